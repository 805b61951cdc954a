/* renderer.h: the renderer interface: composes a scene into XRGB8888 pixels. Private to vman/; pixman and GLES 2 implement it. */
#ifndef MVM_VMAN_RENDERER_H
#define MVM_VMAN_RENDERER_H

#include <stdint.h>

#include "scene.h"

struct vman_renderer;

struct vman_renderer_impl {
	void (*destroy)(struct vman_renderer *renderer);
	/* Composes the scene's layers with their clips into pixels
	 * (scene->width x scene->height, stride width * 4); what no layer covers
	 * is black. Only the colour bits are defined. 0 or -errno. */
	int (*render)(struct vman_renderer *renderer, const struct vman_scene *scene,
		      uint32_t *pixels);
};

/* Implementations embed this first. */
struct vman_renderer {
	const struct vman_renderer_impl *impl;
};

/* NULL with errno set when they cannot start (ENODEV: no EGL or GLES 2). */
struct vman_renderer *vman_renderer_pixman_create(void);
struct vman_renderer *vman_renderer_gles_create(void);

#endif
