/* vman.h: libvman, the video manager: guest surfaces, GHI commands, composition and output. */
#ifndef MVM_VMAN_VMAN_H
#define MVM_VMAN_VMAN_H

/*
 * One struct vman owns an output (the headless presenter: an off-screen
 * picture; later DRM or a Wayland window) and the surfaces of every VM that
 * uses it. Each VM is a client: it has a screen surface (VVMI surface 0, the
 * VGA screen or the mode the guest set) and up to VVMI_SURFACES_MAX - 1 more
 * (windows and off-screen bitmaps), named by the guest.
 *
 * GHI, as in OS/2's GRADD: one entry point, vman_ghi, takes a VVMI command
 * (opcode and body, already copied out of the guest's ring) and a view of
 * the guest's heap. Drawing (raster operations, lines, text) runs on the
 * CPU on the surfaces' own pixels; the renderer (pixman or GLES 2) composes
 * the surfaces in z-order into the output, converting formats and scaling.
 *
 * Nothing here trusts the guest: every surface id, rectangle, palette range,
 * heap offset and length is checked, and a bad command returns an enum
 * vvmi_error_code without changing anything.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vvmi/protocol.h"

struct vman;
struct vman_client;

enum vman_renderer_kind {
	VMAN_RENDERER_PIXMAN = 0, /* CPU, always available */
	VMAN_RENDERER_GLES = 1,   /* GLES 2 through EGL (surfaceless Mesa when headless) */
};

struct vman_options {
	enum vman_renderer_kind renderer;
};

/* NULL on failure (errno says why: ENODEV when the renderer cannot start). */
struct vman *vman_create(const struct vman_options *options);
void vman_destroy(struct vman *vman); /* NULL does nothing */

/* What a client is told (the VVMI VDD queues these as events). body is the
 * event's struct vvmi_event_*, len its size. */
typedef void vman_event_fn(void *opaque, enum vvmi_event_type type, const void *body,
			   size_t len);

/* A VM. Its screen starts as 640 x 400 XRGB8888 (filled black) until the
 * guest or the VGA sets a mode. */
struct vman_client *vman_client_create(struct vman *vman, const char *name,
				       vman_event_fn *event, void *opaque);
void vman_client_destroy(struct vman_client *client); /* its surfaces go too */

/* The guest's heap as the command sees it: bytes [0, size) of the shared
 * region. Offsets in commands are from base; only [heap_start, size) may be
 * read. The guest may change it at any time: libvman reads each byte once
 * and bounds every access, so a racing guest draws garbage, nothing worse. */
struct vman_heap {
	const volatile uint8_t *base;
	uint32_t heap_start;
	uint32_t size;
};

/* Executes one GHI command: 0 or an enum vvmi_error_code. len is the body's
 * length (the record's length less its header), which may exceed the body
 * struct for the commands whose data follows it (PALETTE, WINDOW_REGION). */
int vman_ghi(struct vman_client *client, uint16_t opcode, const void *body, size_t len,
	     const struct vman_heap *heap);

/* The VGA VDD's path: a whole frame of the screen in XRGB8888 (stride in
 * bytes), which becomes the screen surface (resized to width x height when
 * it differs) with damage over all of it. */
int vman_screen_update(struct vman_client *client, const uint32_t *pixels, unsigned width,
		       unsigned height, size_t stride);

/* Composes every client's visible surfaces into the output and presents it;
 * each PRESENT the guests asked for since the last frame is answered with a
 * PRESENTED event. Returns 0 or -errno. */
int vman_frame(struct vman *vman);

/* The output's size: headless, the foreground client's screen size. */
void vman_output_size(const struct vman *vman, unsigned *width, unsigned *height);

/* Writes the last presented frame as an 8-bit RGB PNG. 0 or -errno. */
int vman_screenshot_png(struct vman *vman, const char *path);

/* The last presented frame, XRGB8888, rows top to bottom (stride
 * width * 4); valid until the next vman_frame. NULL before the first. */
const uint32_t *vman_output_pixels(const struct vman *vman, unsigned *width, unsigned *height);

#endif
