/* scene.h: what the output shows of a client: its surfaces as layers, bottom to top, each with the output pixels it covers. Private to vman/. */
#ifndef MVM_VMAN_SCENE_H
#define MVM_VMAN_SCENE_H

#include <stdint.h>

#include <pixman.h>

#include "surface.h"

struct vman_layer {
	const struct vman_surface *surface;
	int32_t x, y;           /* where the surface's (0,0) lands on the output */
	pixman_region32_t clip; /* the output pixels it covers: inside the output and the surface */
};

struct vman_scene {
	unsigned width, height; /* of the output */
	unsigned layer_count;
	struct vman_layer layers[VVMI_SURFACES_MAX]; /* bottom to top */
};

/* A client's screen at (0,0), then its visible windows in stacking order
 * at their positions, each cut to its visible region. */
void vman_scene_init(struct vman_scene *scene, const struct vman_surfaces *surfaces,
		     unsigned width, unsigned height);
void vman_scene_finish(struct vman_scene *scene);

#endif
