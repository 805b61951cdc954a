/* placement.c: places the guest's frame on an output and draws it there with pixman, black around it. */
#include <errno.h>

#include <pixman.h>

#include "placement.h"

/* The largest size of the frame's aspect that fits, each side at least 1
 * (rounding to the nearest never passes the output's side, an integer). */
static void fit(unsigned output_width, unsigned output_height, unsigned frame_width,
		unsigned frame_height, unsigned *width, unsigned *height)
{
	uint64_t across = (uint64_t)output_width * frame_height;
	uint64_t down = (uint64_t)output_height * frame_width;

	if (across <= down) {
		*width = output_width;
		*height = (unsigned)((across + frame_width / 2) / frame_width);
	} else {
		*height = output_height;
		*width = (unsigned)((down + frame_height / 2) / frame_height);
	}
	if (*width == 0)
		*width = 1;
	if (*height == 0)
		*height = 1;
}

void vman_place(unsigned output_width, unsigned output_height, unsigned frame_width,
		unsigned frame_height, bool fill, struct vman_placement *placement)
{
	unsigned scale_x = output_width / frame_width, scale_y = output_height / frame_height;
	unsigned scale = scale_x < scale_y ? scale_x : scale_y;
	unsigned width, height;

	if (scale >= 1 && !fill) {
		width = scale * frame_width;
		height = scale * frame_height;
	} else {
		fit(output_width, output_height, frame_width, frame_height, &width, &height);
		scale = width % frame_width == 0 && height % frame_height == 0 &&
				width / frame_width == height / frame_height
			? width / frame_width
			: 0;
	}
	*placement = (struct vman_placement){
		.x = (output_width - width) / 2,
		.y = (output_height - height) / 2,
		.width = width,
		.height = height,
		.scale = scale,
	};
}

/* Black over the target less the placement: up to four bands. */
static bool fill_borders(pixman_image_t *image, unsigned width, unsigned height,
			 const struct vman_placement *dest)
{
	static const pixman_color_t black = {0, 0, 0, 0xFFFF};
	int32_t left = (int32_t)dest->x, top = (int32_t)dest->y;
	int32_t right = left + (int32_t)dest->width, bottom = top + (int32_t)dest->height;
	pixman_box32_t bands[] = {
		{0, 0, (int32_t)width, top},
		{0, bottom, (int32_t)width, (int32_t)height},
		{0, top, left, bottom},
		{right, top, (int32_t)width, bottom},
	};
	pixman_box32_t boxes[4];
	int count = 0;

	for (unsigned i = 0; i < 4; i++)
		if (bands[i].x2 > bands[i].x1 && bands[i].y2 > bands[i].y1)
			boxes[count++] = bands[i];
	return count == 0 ||
	       pixman_image_fill_boxes(PIXMAN_OP_SRC, image, &black, count, boxes);
}

/* The source step per destination pixel, 16.16, rounded to the nearest. */
static pixman_fixed_t step(unsigned source, unsigned dest)
{
	return (pixman_fixed_t)((((uint64_t)source << 16) + dest / 2) / dest);
}

int vman_draw_placed(const struct vman_target *target, const uint32_t *pixels, unsigned width,
		     unsigned height, const struct vman_placement *placement)
{
	/* ARGB, so that pixman writes 0xFF where the frame's X byte was. */
	pixman_image_t *to = pixman_image_create_bits_no_clear(
		PIXMAN_a8r8g8b8, (int)target->width, (int)target->height, target->pixels,
		(int)target->stride);
	/* pixman wants a writable pointer; a source image is only read. */
	pixman_image_t *from = pixman_image_create_bits_no_clear(
		PIXMAN_x8r8g8b8, (int)width, (int)height, (uint32_t *)pixels, (int)width * 4);
	pixman_transform_t transform;
	int rc = -ENOMEM;

	if (!to || !from)
		goto out;
	if (placement->width != width || placement->height != height) {
		pixman_transform_init_scale(&transform, step(width, placement->width),
					    step(height, placement->height));
		if (!pixman_image_set_transform(from, &transform))
			goto out;
		pixman_image_set_filter(from, placement->scale ? PIXMAN_FILTER_NEAREST
							       : PIXMAN_FILTER_BILINEAR,
					NULL, 0);
		/* Bilinear samples at the frame's edge take the edge's colour, not black. */
		pixman_image_set_repeat(from, PIXMAN_REPEAT_PAD);
	}
	if (!fill_borders(to, target->width, target->height, placement))
		goto out;
	pixman_image_composite32(PIXMAN_OP_SRC, from, NULL, to, 0, 0, 0, 0, (int32_t)placement->x,
				 (int32_t)placement->y, (int32_t)placement->width,
				 (int32_t)placement->height);
	rc = 0;
out:
	if (from)
		pixman_image_unref(from);
	if (to)
		pixman_image_unref(to);
	return rc;
}
