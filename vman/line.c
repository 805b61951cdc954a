/* line.c: Bresenham lines through a rop2, both ends drawn, the pixels outside the surface skipped. */
#include <stdint.h>
#include <stdlib.h>

#include "raster.h"

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/*
 * One step along the major axis per pixel, the error term deciding the
 * minor one, over every octant. Coordinates come from int16 fields, so a
 * line is at most 65536 steps: checking each pixel against the surface
 * costs less than clipping the ends exactly, and draws exactly the pixels
 * the whole line would.
 */
void vman_raster_line(struct vman_surface *surface, int32_t x0, int32_t y0, int32_t x1,
		      int32_t y1, uint8_t rop2, uint32_t colour)
{
	int32_t width = (int32_t)surface->width, height = (int32_t)surface->height;
	int32_t dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int32_t step_x = x0 < x1 ? 1 : -1, step_y = y0 < y1 ? 1 : -1;
	int32_t error = dx + dy;
	struct vman_box drawn = {INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN};

	if (max32(x0, x1) < 0 || max32(y0, y1) < 0 || min32(x0, x1) >= width ||
	    min32(y0, y1) >= height)
		return;
	for (;;) {
		if (x0 >= 0 && y0 >= 0 && x0 < width && y0 < height) {
			uint32_t dst = vman_surface_read(surface, (unsigned)x0, (unsigned)y0);

			vman_surface_write(surface, (unsigned)x0, (unsigned)y0,
					   vman_rop2_apply(rop2, colour, dst));
			drawn.x0 = min32(drawn.x0, x0);
			drawn.y0 = min32(drawn.y0, y0);
			drawn.x1 = max32(drawn.x1, x0 + 1);
			drawn.y1 = max32(drawn.y1, y0 + 1);
		}
		if (x0 == x1 && y0 == y1)
			break;
		int32_t twice = 2 * error;
		if (twice >= dy) {
			error += dy;
			x0 += step_x;
		}
		if (twice <= dx) {
			error += dx;
			y0 += step_y;
		}
	}
	if (!vman_box_empty(&drawn))
		vman_surface_damage(surface, drawn.x0, drawn.y0, (uint32_t)(drawn.x1 - drawn.x0),
				    (uint32_t)(drawn.y1 - drawn.y0));
}
