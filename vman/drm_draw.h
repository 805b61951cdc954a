/* drm_draw.h: draws the guest's frame into a scanout buffer where drm_modes placed it. Private to vman/. */
#ifndef MVM_VMAN_DRM_DRAW_H
#define MVM_VMAN_DRM_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "drm_modes.h"

/* A buffer the display scans out: XRGB8888, stride in bytes. */
struct vman_drm_target {
	uint32_t *pixels;
	unsigned width, height;
	size_t stride;
};

/* Draws the frame (XRGB8888, width x height, stride width * 4) scaled into
 * placement->dest, which lies inside the target: each guest pixel a block of
 * scale x scale for an integer scale (nearest neighbour, sharp), bilinear
 * for any other factor. The rest of the target becomes black. Every target
 * pixel is written once, so that write-combined buffer memory is never
 * read. 0 or -ENOMEM. */
int vman_drm_draw(const struct vman_drm_target *target, const uint32_t *pixels, unsigned width,
		  unsigned height, const struct vman_drm_placement *placement);

#endif
