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

enum vman_presenter_kind {
	VMAN_PRESENTER_HEADLESS = 0, /* off-screen only: vman_output_pixels, screenshots */
	VMAN_PRESENTER_DRM = 1,      /* KMS on a DRM card (libdrm, dumb buffers or GBM + EGL) */
	VMAN_PRESENTER_WAYLAND = 2,  /* a Wayland client of the compositor $WAYLAND_DISPLAY names */
};

struct vman_options {
	enum vman_renderer_kind renderer;
	enum vman_presenter_kind presenter;
	const char *drm_device; /* DRM: the card; NULL is /dev/dri/card0 */
	bool fullscreen;        /* start fullscreen (the presenters that have windows) */
};

/* NULL on failure (errno says why: ENODEV when the renderer or presenter
 * cannot start). options NULL is the pixman renderer, headless. Every
 * presenter also keeps the headless picture, so screenshots always work. A struct vman and its clients are
 * used from one thread at a time (any thread, the GLES renderer included). */
struct vman *vman_create(const struct vman_options *options);
void vman_destroy(struct vman *vman); /* NULL does nothing */

/* What a client is told (the VVMI VDD queues these as events). body is the
 * event's struct vvmi_event_*, len its size. Called from vman_frame; it may
 * send commands (a PRESENT then waits for the next frame) but not destroy
 * the client or the vman. */
typedef void vman_event_fn(void *opaque, enum vvmi_event_type type, const void *body,
			   size_t len);

/* A VM. Its screen starts as 640 x 400 XRGB8888 (filled black) until the
 * guest or the VGA sets a mode. The first client created is in the
 * foreground (the output shows it); when it goes, the oldest one left is.
 * name is for presenters that show one (the headless one shows none);
 * event may be NULL. NULL with errno ENOMEM on failure. */
struct vman_client *vman_client_create(struct vman *vman, const char *name,
				       vman_event_fn *event, void *opaque);
void vman_client_destroy(struct vman_client *client); /* its surfaces go too; NULL does nothing */

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
 * struct for the commands whose data follows it (PALETTE, WINDOW_REGION).
 * body need not be aligned; heap may be NULL (then any heap access is
 * VVMI_ERROR_HEAP).
 *
 * What the protocol leaves open, decided here:
 * - colours are cut to the surface format's bits (an I8 colour 0x1234 is
 *   index 0x34; XRGB8888's X bits are stored as 0);
 * - a new window is visible, on top of the client's others; WINDOW_RESIZE
 *   keeps the pixels that still fit (top-left anchored), SET_MODE clears
 *   the screen and resets an I8 palette to the default (the VGA's 16
 *   colours, then black), as a mode set resets the DAC;
 * - PALETTE on a surface that is not I8 is VVMI_ERROR_VALUE;
 * - BITBLT with a rop3 that does not read the source ignores src (it need
 *   not exist); with one that does, src must have dst's format;
 * - PUT_IMAGE's whole image (rect.h - 1 rows of stride and one of rect.w
 *   pixels) must lie in the heap, also where the rectangle is clipped;
 * - TEXT: glyph_width 1..8, glyph_height and count at least 1, first +
 *   count <= 256; characters outside the font are blank cells;
 * - POINTER_SHAPE: 1..64 each way, the hot spot inside the shape;
 * - flags (transparent, visible, has_pattern) are 0 or 1, else
 *   VVMI_ERROR_VALUE; reserved fields are not looked at;
 * - a client's pixel buffers together may not pass 256 MiB and at most 256
 *   PRESENTs wait for a frame: past either, VVMI_ERROR_MEMORY. */
int vman_ghi(struct vman_client *client, uint16_t opcode, const void *body, size_t len,
	     const struct vman_heap *heap);

/* Not a VVMI event: the client's VM went to the foreground (it owns the
 * output; body: struct vman_event_foreground, value 1) or the background
 * (value 0). A client is told once when it is created, then on every change. */
#define VMAN_EVENT_FOREGROUND 0x100u
struct vman_event_foreground {
	uint32_t value;
};

/* Not a VVMI event: where the host's pointer is over the guest, for the
 * guest's mouse (the vmouse VDD), in the guest screen's pixels. A presenter
 * sends it beside VVMI_EVENT_POINTER, whose coordinates are the window's.
 * x and y may lie outside the screen (a seamless window can reach past it);
 * width and height are the screen's size when it was sent; buttons as in
 * struct vvmi_event_pointer. */
#define VMAN_EVENT_POINTER_SCREEN 0x101u
struct vman_event_pointer_screen {
	int16_t x, y;
	uint16_t width, height;
	uint16_t buttons;
	uint16_t reserved;
};

/* Brings a client to the foreground (the others keep their order). */
void vman_client_set_foreground(struct vman_client *client);

/* Toggles or sets windowed and fullscreen on presenters that have both. */
void vman_set_fullscreen(struct vman *vman, bool fullscreen);
bool vman_fullscreen(const struct vman *vman);

/* The presenter's descriptor to poll (display input, flip completions), or
 * -1; when it is readable, vman_dispatch handles what arrived (0 or
 * -errno: the display is gone). */
int vman_get_fd(struct vman *vman);
int vman_dispatch(struct vman *vman);

/* The console the output is on was switched away (active false: the DRM
 * presenter gives up DRM master, as the VT switch protocol asks, and keeps
 * the frames it gets) or back (true: it takes master again, sets its mode
 * and shows the latest frame). Presenters without a console ignore it.
 * 0 or -errno. */
int vman_set_active(struct vman *vman, bool active);

/* The VGA VDD's path: a whole frame of the screen in XRGB8888 (stride in
 * bytes), which becomes the screen surface (made width x height XRGB8888
 * when it differs) with damage over all of it. Once the guest's driver set
 * a mode (SET_MODE), the screen is the driver's and VGA frames of the same
 * size as the VGA's last one are ignored; a VGA frame of another size (the
 * guest set a VGA mode again: the program ended, or a game switched) takes
 * the screen back. 0, -EINVAL (a size of 0 or
 * past the maxima, a stride shorter than a row) or -ENOMEM. */
int vman_screen_update(struct vman_client *client, const uint32_t *pixels, unsigned width,
		       unsigned height, size_t stride);

/* Composes the foreground client's visible surfaces (its screen, then its
 * visible windows bottom to top, then its pointer) into the output and
 * presents it; each PRESENT any client asked for since the last frame is
 * answered with a PRESENTED event, and every surface's damage is cleared.
 * With no client it does nothing. Returns 0 or -errno. */
int vman_frame(struct vman *vman);

/* The output's size: headless, the foreground client's screen size. */
void vman_output_size(const struct vman *vman, unsigned *width, unsigned *height);

/* Writes the last presented frame as an 8-bit RGB PNG. 0 or -errno
 * (-ENODATA before the first frame). */
int vman_screenshot_png(struct vman *vman, const char *path);

/* The last presented frame, XRGB8888, rows top to bottom (stride
 * width * 4); only the colour bits are defined, not X. Valid until the next
 * vman_frame. NULL before the first (or after a frame that failed). */
const uint32_t *vman_output_pixels(const struct vman *vman, unsigned *width, unsigned *height);

#endif
