/* renderer_pixman.c: composes on the CPU with pixman, which converts each surface's format to the output's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pixman.h>

#include "renderer.h"

/* Black first only where the screen leaves something uncovered. */
static bool scene_covers_output(const struct vman_scene *scene)
{
	pixman_box32_t output = {0, 0, (int32_t)scene->width, (int32_t)scene->height};

	return scene->layer_count > 0 &&
	       pixman_region32_contains_rectangle(&scene->layers[0].clip, &output) ==
		       PIXMAN_REGION_IN;
}

static int pixman_render(struct vman_renderer *renderer, const struct vman_scene *scene,
			 uint32_t *pixels)
{
	pixman_image_t *output =
		pixman_image_create_bits(PIXMAN_x8r8g8b8, (int)scene->width, (int)scene->height,
					 pixels, (int)scene->width * 4);

	if (!output)
		return -ENOMEM;
	if (!scene_covers_output(scene))
		memset(pixels, 0, (size_t)scene->width * scene->height * 4);
	for (unsigned i = 0; i < scene->layer_count; i++) {
		const struct vman_layer *layer = &scene->layers[i];
		pixman_region32_t clip;

		/* pixman takes its own copy of a clip but not a const one. */
		pixman_region32_init(&clip);
		if (!pixman_region32_copy(&clip, &layer->clip) ||
		    !pixman_image_set_clip_region32(output, &clip)) {
			pixman_region32_fini(&clip);
			pixman_image_unref(output);
			return -ENOMEM;
		}
		pixman_region32_fini(&clip);
		pixman_image_composite32(PIXMAN_OP_SRC, layer->surface->image, NULL, output, 0, 0, 0,
					 0, layer->x, layer->y, (int32_t)layer->surface->width,
					 (int32_t)layer->surface->height);
	}
	pixman_image_unref(output);
	return 0;
}

static void pixman_destroy(struct vman_renderer *renderer)
{
	free(renderer);
}

static const struct vman_renderer_impl pixman_impl = {
	.destroy = pixman_destroy,
	.render = pixman_render,
};

struct vman_renderer *vman_renderer_pixman_create(void)
{
	struct vman_renderer *renderer = malloc(sizeof(*renderer));

	if (!renderer)
		return NULL;
	renderer->impl = &pixman_impl;
	return renderer;
}
