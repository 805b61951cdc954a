/* raster.h: drawing on a surface's stored pixel values on the CPU: raster operations, lines, text. Private to vman/. */
#ifndef MVM_VMAN_RASTER_H
#define MVM_VMAN_RASTER_H

#include <stdbool.h>
#include <stdint.h>

#include "heap.h"
#include "surface.h"

/* Pixels x0 <= x < x1, y0 <= y < y1. */
struct vman_box {
	int32_t x0, y0, x1, y1;
};

/* An 8x8 mono brush: rows top to bottom, bit 7 leftmost, 1 is fg and 0 bg,
 * aligned to the surface's (0,0). */
struct vman_pattern {
	uint32_t fg, bg;
	uint8_t rows[8];
};

struct vman_box vman_box_from_rect(const struct vvmi_rect *rect);
/* Cuts box to what lies in a width x height surface, maybe nothing. */
void vman_box_clip(struct vman_box *box, unsigned width, unsigned height);
bool vman_box_empty(const struct vman_box *box);

bool vman_rop2_valid(unsigned rop2);
/* Whether a rop3 reads the source: bit i of it with S = 1 (i & 2) differs
 * from the one with S = 0 for some i. */
bool vman_rop3_uses_source(uint8_t rop3);
/* Bit by bit over whole pixel values; callers cut the result to the format. */
uint32_t vman_rop2_apply(uint8_t rop2, uint32_t pen, uint32_t dst);
uint32_t vman_rop3_apply(uint8_t rop3, uint32_t pattern, uint32_t src, uint32_t dst);

struct vman_pattern vman_pattern_solid(uint32_t colour);

/*
 * The drawing operations. A box given to them lies inside the surface
 * (the caller clipped it); each damages what it changes.
 */
void vman_raster_fill(struct vman_surface *surface, const struct vman_box *box, uint8_t rop2,
		      uint32_t colour);
/* rop3 must not use the source. */
void vman_raster_pattern_fill(struct vman_surface *surface, const struct vman_box *box,
			      uint8_t rop3, const struct vman_pattern *pattern);
/* The source is the same-sized box at src_x, src_y, inside src (of dst's
 * format); src may be dst, overlapping or not, and is not read (may be
 * NULL) when rop3 does not use it. */
void vman_raster_blit(struct vman_surface *dst, const struct vman_box *box,
		      const struct vman_surface *src, int32_t src_x, int32_t src_y, uint8_t rop3,
		      const struct vman_pattern *pattern);
/* The source is an image of the surface's format in the heap (little-endian
 * pixels): its pixel for box's top-left at offset, rows stride bytes apart,
 * all of it checked to lie in the heap. The pattern is solid 0. */
void vman_raster_put_image(struct vman_surface *surface, const struct vman_box *box,
			   const struct vman_heap *heap, uint32_t offset, uint32_t stride,
			   uint8_t rop3);

/* Bresenham from (x0,y0) to (x1,y1), both drawn, the pixels outside the
 * surface skipped. */
void vman_raster_line(struct vman_surface *surface, int32_t x0, int32_t y0, int32_t x1,
		      int32_t y1, uint8_t rop2, uint32_t colour);

/* A string of a heap font, which the caller checked lies in the heap. */
struct vman_text_run {
	int32_t x, y;                  /* top-left of the first glyph */
	uint32_t fg, bg;
	bool transparent;              /* background pixels left alone */
	uint32_t font;                 /* offset of glyph first: count glyphs of height bytes */
	unsigned glyph_width;          /* 1..8 */
	unsigned glyph_height;         /* 1.. */
	unsigned first, count;
	uint32_t string;               /* offset of length characters */
	unsigned length;
};
/* Characters outside the font are blank cells. */
void vman_raster_text(struct vman_surface *surface, const struct vman_text_run *run,
		      const struct vman_heap *heap);

#endif
