/* surface.h: a client's surfaces (screen, windows, bitmaps): pixels, palette, damage, window state. Private to vman/. */
#ifndef MVM_VMAN_SURFACE_H
#define MVM_VMAN_SURFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pixman.h>

#include "../vvmi/protocol.h"

#define VMAN_SCREEN_WIDTH_DEFAULT 640u
#define VMAN_SCREEN_HEIGHT_DEFAULT 400u
#define VMAN_PALETTE_SIZE 256u
#define VMAN_WINDOW_REGION_MAX 64u /* rectangles in a window's visible region */
#define VMAN_WINDOW_TITLE_MAX 255u /* bytes */

/* All of one client's pixel buffers together may not pass this: a guest
 * cannot make the host allocate 255 surfaces of 64 MiB. */
#define VMAN_CLIENT_PIXEL_BYTES_MAX (256u << 20)

enum vman_surface_role {
	VMAN_SURFACE_SCREEN, /* id 0 */
	VMAN_SURFACE_BITMAP, /* VVMI_SURFACE_BITMAP: drawn on, never shown */
	VMAN_SURFACE_WINDOW, /* VVMI_SURFACE_WINDOW: shown at x, y over the screen */
};

struct vman_surface {
	uint16_t id;
	enum vman_surface_role role;
	enum vvmi_format format;
	unsigned width, height;
	size_t stride;              /* bytes per row, a multiple of 4 as pixman wants */
	uint8_t *pixels;            /* stored values, host order: indices, RGB565 or XRGB8888 */
	pixman_image_t *image;      /* wraps pixels for composition */
	pixman_indexed_t *indexed;  /* I8 only: the palette, entries 0xFF000000 | XRGB */
	pixman_region32_t damage;   /* drawn since the last frame, in surface pixels */

	/* Windows only. */
	int32_t x, y;               /* on the guest's desktop (the screen) */
	bool visible;
	unsigned region_count;      /* 0: the whole window is visible */
	struct vvmi_rect region[VMAN_WINDOW_REGION_MAX];
	unsigned title_length;
	char title[VMAN_WINDOW_TITLE_MAX + 1];
};

/* A client's surfaces by id, and its windows' stacking order. */
struct vman_surfaces {
	struct vman_surface *by_id[VVMI_SURFACES_MAX];
	uint8_t windows[VVMI_SURFACES_MAX - 1]; /* window ids, bottom to top */
	unsigned window_count;
	size_t pixel_bytes; /* of every surface, against VMAN_CLIENT_PIXEL_BYTES_MAX */
};

bool vman_format_valid(unsigned format);
unsigned vman_format_bytes(enum vvmi_format format); /* per pixel */
/* The bits a pixel value of the format has: colours from the guest are
 * cut to them and every raster result stays within them. */
uint32_t vman_format_mask(enum vvmi_format format);

/* Creates the screen (VMAN_SCREEN_WIDTH_DEFAULT x VMAN_SCREEN_HEIGHT_DEFAULT
 * XRGB8888, black). 0 or -ENOMEM. */
int vman_surfaces_init(struct vman_surfaces *surfaces);
void vman_surfaces_finish(struct vman_surfaces *surfaces);

/* NULL when id is out of range or not in use. */
struct vman_surface *vman_surfaces_get(const struct vman_surfaces *surfaces, unsigned id);

/* A new surface, filled with 0, fully damaged; a window goes on top of the
 * others, visible. The caller has checked id, format and size. 0 or
 * -ENOMEM (also when the client's pixel budget would be passed). */
int vman_surfaces_create(struct vman_surfaces *surfaces, uint16_t id, enum vman_surface_role role,
			 enum vvmi_format format, unsigned width, unsigned height, int32_t x,
			 int32_t y);
void vman_surfaces_destroy(struct vman_surfaces *surfaces, struct vman_surface *surface);

/* Puts a window on top of the client's others. */
void vman_surfaces_raise(struct vman_surfaces *surfaces, struct vman_surface *window);

/* A new size and format, filled with 0, the default palette for I8 (as a
 * mode set resets the VGA's DAC), fully damaged. 0 or -ENOMEM, and on error
 * the surface is as it was. */
int vman_surface_set_mode(struct vman_surfaces *surfaces, struct vman_surface *surface,
			  enum vvmi_format format, unsigned width, unsigned height);

/* A new size in the same format keeping the palette and the pixels that
 * still fit (top-left anchored; new ones are 0), fully damaged. 0 or
 * -ENOMEM, and on error the surface is as it was. */
int vman_surface_resize(struct vman_surfaces *surfaces, struct vman_surface *surface,
			unsigned width, unsigned height);

/* Entries first..first+count-1 of an I8 surface's palette (XRGB; X is
 * ignored). The caller has checked the range. Damages the whole surface, as
 * every pixel may have changed colour. */
void vman_surface_set_palette(struct vman_surface *surface, unsigned first, unsigned count,
			      const uint32_t *xrgb);
/* Entry index as XRGB with X 0. I8 surfaces only. */
uint32_t vman_surface_palette_entry(const struct vman_surface *surface, unsigned index);

/* One stored pixel value; x, y must be inside. A value written is cut to
 * the format (XRGB8888's X bits are stored as 0). */
uint32_t vman_surface_read(const struct vman_surface *surface, unsigned x, unsigned y);
void vman_surface_write(struct vman_surface *surface, unsigned x, unsigned y, uint32_t value);
uint8_t *vman_surface_row(const struct vman_surface *surface, unsigned y);

void vman_surface_damage(struct vman_surface *surface, int32_t x, int32_t y, uint32_t width,
			 uint32_t height);
void vman_surface_damage_clear(struct vman_surface *surface);

#endif
