/* presenter_headless.h: the headless output, an off-screen picture the size of the foreground screen. Private to vman/. */
#ifndef MVM_VMAN_PRESENTER_HEADLESS_H
#define MVM_VMAN_PRESENTER_HEADLESS_H

#include <stdint.h>

#include "pointer.h"
#include "renderer.h"

struct vman_headless {
	uint32_t *pixels;       /* the last frame, XRGB8888, stride width * 4 */
	unsigned width, height; /* 0 x 0 before the first frame */
};

/* Composes the scene, then the pointer over it, as the next frame. 0 or
 * -errno (then there is no frame until the next one succeeds). */
int vman_headless_present(struct vman_headless *headless, struct vman_renderer *renderer,
			  const struct vman_scene *scene, const struct vman_pointer *pointer);
void vman_headless_finish(struct vman_headless *headless);

#endif
