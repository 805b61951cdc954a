/* wayland_window.h: one picture on the desktop, as an xdg_toplevel or as an mvm-seamless guest window: its shm buffers, the latest picture waiting for one, fullscreen placement and letterbox. Private to vman/. */
#ifndef MVM_VMAN_WAYLAND_WINDOW_H
#define MVM_VMAN_WAYLAND_WINDOW_H

#include <stdbool.h>

#include <pixman.h>
#include <wayland-client.h>

#include "mvm-seamless-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "viewporter-client-protocol.h"
#include "xdg-shell-client-protocol.h"

/* What a window needs of the connection; the presenter owns them. */
struct vman_wayland_globals {
	struct wl_display *display;
	struct wl_compositor *compositor;
	struct wl_subcompositor *subcompositor;
	struct wp_viewporter *viewporter;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct mvm_seamless_v1 *seamless; /* NULL: the compositor has no mvm-seamless */
	/* Set: every picture's commit asks for wp_presentation feedback. */
	struct wp_presentation *presentation;
};

struct vman_wayland_window;

/* What the host's user did to a window. */
struct vman_wayland_window_listener {
	/* Asked to close it (xdg_toplevel.close, the module's close); the
	 * window stays until its owner destroys it. */
	void (*close)(void *opaque, struct vman_wayland_window *window);
	/* Moved a guest window to (x, y) on the desktop (the module's moved). */
	void (*moved)(void *opaque, struct vman_wayland_window *window, int32_t x, int32_t y);
	/* A picture committed at committed_ns (CLOCK_MONOTONIC) was shown at
	 * presented_ns (the compositor's presentation clock; 0: never shown, a
	 * later one replaced it). Only with globals->presentation. */
	void (*presented)(void *opaque, struct vman_wayland_window *window, uint64_t committed_ns,
			  uint64_t presented_ns);
};

/* guest NULL: an xdg_toplevel, mapped by the first picture after the
 * compositor's first configure. guest set (globals->seamless must be): a
 * guest window of that guest, shown by its first picture at the position
 * set. Nothing is shown yet. NULL with errno set. */
struct vman_wayland_window *vman_wayland_window_create(const struct vman_wayland_globals *globals,
							const char *guest, bool fullscreen,
							const struct vman_wayland_window_listener *listener,
							void *opaque);
void vman_wayland_window_destroy(struct vman_wayland_window *window); /* NULL does nothing */

/* UTF-8; sent only when it changes. */
void vman_wayland_window_set_title(struct vman_wayland_window *window, const char *title);

/* Fullscreen, the picture goes where vman_place puts it on the size the
 * compositor configures (the largest integer scale that fits, else scaled
 * down with its aspect kept), black around it. */
void vman_wayland_window_set_fullscreen(struct vman_wayland_window *window, bool fullscreen);

/* The next picture: the width x height at picture's (0,0), any pixman
 * format. It is copied, and shown now if a buffer is free, else when the
 * compositor releases one (a later picture replaces it): never waits. 0 or
 * -errno. */
int vman_wayland_window_show(struct vman_wayland_window *window, pixman_image_t *picture,
			     unsigned width, unsigned height);

/* A guest window's place on the desktop and its stacking: directly above
 * below (NULL: under all of this connection's guest windows), sent when
 * either changed. Both go with the window's next commit: the next picture
 * vman_wayland_window_show commits, so that a window never shows new
 * contents at its old place or the reverse, or, when no picture is
 * committed, vman_wayland_window_flush_place's. Nothing for a toplevel. */
void vman_wayland_window_place(struct vman_wayland_window *window, int32_t x, int32_t y,
			       const struct vman_wayland_window *below);
void vman_wayland_window_flush_place(struct vman_wayland_window *window);

/* Where a point of one of the window's surfaces (wl_pointer coordinates,
 * surface as the event named it) is on the picture, clamped into it; false
 * when surface is not the window's or there is no picture yet. */
bool vman_wayland_window_picture_point(const struct vman_wayland_window *window,
				       const struct wl_surface *surface, double sx, double sy,
				       int *x, int *y);

/* The latest picture is committed, in the state (windowed or fullscreen)
 * last asked for and configured by the compositor. For tests. */
bool vman_wayland_window_idle(const struct vman_wayland_window *window);

/* Its surfaces: the window's own (the backdrop) and the picture's. */
void vman_wayland_window_surfaces(const struct vman_wayland_window *window,
				  struct wl_surface **root, struct wl_surface **picture);

/* NULL for a guest window. */
struct xdg_toplevel *vman_wayland_window_toplevel(const struct vman_wayland_window *window);

#endif
