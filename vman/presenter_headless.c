/* presenter_headless.c: presents frames into memory, for tests, screenshots and machines nobody watches. */
#include <errno.h>
#include <stdlib.h>

#include "presenter_headless.h"

int vman_headless_present(struct vman_headless *headless, struct vman_renderer *renderer,
			  const struct vman_scene *scene, const struct vman_pointer *pointer)
{
	int rc;

	if (scene->width != headless->width || scene->height != headless->height) {
		free(headless->pixels);
		headless->width = headless->height = 0;
		headless->pixels = malloc((size_t)scene->width * scene->height * sizeof(uint32_t));
		if (!headless->pixels)
			return -ENOMEM;
	}
	rc = renderer->impl->render(renderer, scene, headless->pixels);
	if (rc < 0) {
		headless->width = headless->height = 0;
		return rc;
	}
	headless->width = scene->width;
	headless->height = scene->height;
	vman_pointer_draw(pointer, headless->pixels, headless->width, headless->height);
	return 0;
}

void vman_headless_finish(struct vman_headless *headless)
{
	free(headless->pixels);
	*headless = (struct vman_headless){0};
}
