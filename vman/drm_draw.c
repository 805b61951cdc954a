/* drm_draw.c: scales the guest's frame into a scanout buffer with pixman, black around it. */
#include <errno.h>

#include <pixman.h>

#include "drm_draw.h"

/* Black over the target less the destination: up to four bands. */
static bool fill_borders(pixman_image_t *image, unsigned width, unsigned height,
			 const struct vman_drm_rect *dest)
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

int vman_drm_draw(const struct vman_drm_target *target, const uint32_t *pixels, unsigned width,
		  unsigned height, const struct vman_drm_placement *placement)
{
	const struct vman_drm_rect *dest = &placement->dest;
	pixman_image_t *to = pixman_image_create_bits_no_clear(
		PIXMAN_x8r8g8b8, (int)target->width, (int)target->height, target->pixels,
		(int)target->stride);
	/* pixman wants a writable pointer; a source image is only read. */
	pixman_image_t *from = pixman_image_create_bits_no_clear(
		PIXMAN_x8r8g8b8, (int)width, (int)height, (uint32_t *)pixels, (int)width * 4);
	pixman_transform_t transform;
	int rc = -ENOMEM;

	if (!to || !from)
		goto out;
	pixman_transform_init_scale(&transform, step(width, dest->width),
				    step(height, dest->height));
	if (!pixman_image_set_transform(from, &transform))
		goto out;
	pixman_image_set_filter(from, placement->scale ? PIXMAN_FILTER_NEAREST
						       : PIXMAN_FILTER_BILINEAR,
				NULL, 0);
	/* Bilinear samples at the frame's edge take the edge's colour, not black. */
	pixman_image_set_repeat(from, PIXMAN_REPEAT_PAD);
	if (!fill_borders(to, target->width, target->height, dest))
		goto out;
	pixman_image_composite32(PIXMAN_OP_SRC, from, NULL, to, 0, 0, 0, 0, (int32_t)dest->x,
				 (int32_t)dest->y, (int32_t)dest->width, (int32_t)dest->height);
	rc = 0;
out:
	if (from)
		pixman_image_unref(from);
	if (to)
		pixman_image_unref(to);
	return rc;
}
