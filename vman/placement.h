/* placement.h: where a guest frame goes on an output (scale, centre, aspect) and drawing it there; the DRM and Wayland presenters share the rule. Private to vman/. */
#ifndef MVM_VMAN_PLACEMENT_H
#define MVM_VMAN_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the frame goes on the output, in the output's pixels: centred,
 * inside it, at least 1 x 1. Pixels stay square. */
struct vman_placement {
	unsigned x, y, width, height;
	unsigned scale; /* width = scale x frame width; 0 for a non-integer factor */
};

/* Places a frame_width x frame_height frame on an output of that size: the
 * largest integer scale that fits both ways (sharp DOS pixels), else (or
 * with fill) the largest size that fits with the frame's aspect, rounded
 * to the nearest pixel; the scale is then an integer only where that size
 * happens to be a multiple of the frame. No size may be 0. */
void vman_place(unsigned output_width, unsigned output_height, unsigned frame_width,
		unsigned frame_height, bool fill, struct vman_placement *placement);

/* Memory to draw into: 32 bits a pixel, XRGB8888 or ARGB8888, stride in
 * bytes. */
struct vman_target {
	uint32_t *pixels;
	unsigned width, height;
	size_t stride;
};

/* Draws the frame (XRGB8888, width x height, stride width * 4) scaled into
 * the placement, which lies inside the target: each guest pixel a block of
 * scale x scale for an integer scale (nearest neighbour), bilinear for any
 * other factor; the rest of the target becomes black. Every target pixel
 * is written once, so that write-combined scanout memory is never read,
 * and its top byte is 0xFF: Weston's pixman renderer carries an XRGB8888
 * buffer's unused byte into its output. 0 or -ENOMEM. */
int vman_draw_placed(const struct vman_target *target, const uint32_t *pixels, unsigned width,
		     unsigned height, const struct vman_placement *placement);

#endif
