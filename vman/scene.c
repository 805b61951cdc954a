/* scene.c: turns a client's surfaces into the layers the renderers compose, so that both show the same thing. */
#include "scene.h"

/* The layer's clip starts as the surface's rectangle on the output. */
static struct vman_layer *layer_add(struct vman_scene *scene, const struct vman_surface *surface,
				    int32_t x, int32_t y)
{
	struct vman_layer *layer = &scene->layers[scene->layer_count++];

	layer->surface = surface;
	layer->x = x;
	layer->y = y;
	pixman_region32_init_rect(&layer->clip, x, y, surface->width, surface->height);
	return layer;
}

/* The window's visible region (window coordinates) as output pixels. */
static void clip_to_window_region(pixman_region32_t *clip, const struct vman_surface *window)
{
	pixman_region32_t visible;

	if (window->region_count == 0)
		return;
	pixman_region32_init(&visible);
	for (unsigned i = 0; i < window->region_count; i++) {
		const struct vvmi_rect *rect = &window->region[i];

		pixman_region32_union_rect(&visible, &visible, window->x + rect->x,
					   window->y + rect->y, rect->w, rect->h);
	}
	pixman_region32_intersect(clip, clip, &visible);
	pixman_region32_fini(&visible);
}

void vman_scene_init(struct vman_scene *scene, const struct vman_surfaces *surfaces,
		     unsigned width, unsigned height)
{
	scene->width = width;
	scene->height = height;
	scene->layer_count = 0;
	layer_add(scene, vman_surfaces_get(surfaces, VVMI_SURFACE_SCREEN), 0, 0);
	for (unsigned i = 0; i < surfaces->window_count; i++) {
		const struct vman_surface *window = vman_surfaces_get(surfaces, surfaces->windows[i]);

		if (!window->visible)
			continue;
		clip_to_window_region(&layer_add(scene, window, window->x, window->y)->clip, window);
	}
	for (unsigned i = 0; i < scene->layer_count; i++)
		pixman_region32_intersect_rect(&scene->layers[i].clip, &scene->layers[i].clip, 0, 0,
					       width, height);
}

void vman_scene_finish(struct vman_scene *scene)
{
	for (unsigned i = 0; i < scene->layer_count; i++)
		pixman_region32_fini(&scene->layers[i].clip);
	scene->layer_count = 0;
}
