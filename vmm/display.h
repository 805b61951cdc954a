/* display.h: a VM's display: its client at VMAN, in this process (libvman) or in the vman service. */
#ifndef MVM_DISPLAY_H
#define MVM_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The VMM opens one display per VM before building it and hands it to the
 * VDDs through the display helpers (vdh.h). Where it goes is the user's
 * --display choice:
 *   auto     the vman service when one listens on its socket, else headless
 *            (the embedded default);
 *   headless libvman in this process, off-screen (--screenshot);
 *   wayland  libvman in this process, shown in a Wayland window;
 *   drm      libvman in this process, fullscreen on a DRM card;
 *   vman     the vman service, which must be running.
 */

enum display_kind {
	DISPLAY_AUTO,
	DISPLAY_HEADLESS,
	DISPLAY_WAYLAND,
	DISPLAY_DRM,
	DISPLAY_VMAN,
};

struct display_options {
	enum display_kind kind;
	bool gles;           /* compose with GLES 2 (in process; the service has its own) */
	bool fullscreen;     /* --fullscreen */
	const char *socket;  /* the service's socket; NULL: display_socket_default */
	const char *name;    /* the VM's name, for titles */
};

/* What the display tells its VM: enum vvmi_event_type events (and
 * VMAN_EVENT_FOREGROUND), with their body. */
typedef void display_event_fn(void *opaque, unsigned type, const void *body, size_t len);

struct display;

struct display_ops {
	int (*screen)(struct display *display, const uint32_t *pixels, unsigned width,
		      unsigned height, size_t stride);
	int (*ghi)(struct display *display, uint16_t opcode, const void *body, size_t len);
	/* fd: a memfd holding the pages at offset 0 (the service maps it) */
	int (*share_heap)(struct display *display, void *pages, size_t size, uint32_t heap_start,
			  int fd);
	int (*frame)(struct display *display);
	int (*screenshot)(struct display *display, const char *path);
	/* Optional: delivers events that arrived since the last call, without
	 * waiting (the service's: another VM left or was brought forward).
	 * The machine calls it periodically. 0 or -errno. */
	int (*poll)(struct display *display);
	void (*destroy)(struct display *display);
};

/* Implementations embed this first; they deliver events with display_emit. */
struct display {
	const struct display_ops *ops;
	display_event_fn *event;
	void *event_opaque;
	bool foreground;
};

/* Opens the display the options ask for. 0, or -errno with a one-line
 * reason in err. */
int display_open(const struct display_options *options, struct display **out, char *err,
		 size_t err_size) __attribute__((warn_unused_result));
void display_close(struct display *display); /* NULL does nothing */

/* $MVM_VMAN_SOCKET, else $XDG_RUNTIME_DIR/mvm-vman.sock; -ENOENT when
 * neither variable is set, -ENAMETOOLONG. */
int display_socket_default(char *out, size_t out_size);

/* Where events go (the machine routes them to the VDDs). */
void display_set_event_handler(struct display *display, display_event_fn *fn, void *opaque);
/* For implementations: passes an event on (and remembers foreground). */
void display_emit(struct display *display, unsigned type, const void *body, size_t len);

/* Writes the last frame as PNG, composing one first. 0 or -errno. */
int display_screenshot(struct display *display, const char *path);

/* The in-process display (display_local.c). */
int display_local_open(const struct display_options *options, struct display **out, char *err,
		       size_t err_size);
/* The vman service's client (display_remote.c); -ECONNREFUSED or -ENOENT
 * when no service listens at socket_path. */
int display_remote_open(const struct display_options *options, const char *socket_path,
			struct display **out, char *err, size_t err_size);

#endif
