/* vman.c: libvman's public entry points: the video manager, its clients, frames and the VGA's path. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frame_png.h"
#include "presenter_drm.h"
#include "presenter_wayland.h"
#include "vman_internal.h"

/* The presenter the options name; headless has none beyond the picture
 * every vman keeps. 0, or -1 with errno set. */
static int vman_presenter_start(struct vman *vman, const struct vman_options *options)
{
	switch (options->presenter) {
	case VMAN_PRESENTER_HEADLESS:
		return 0;
	case VMAN_PRESENTER_DRM:
		vman->presenter = vman_presenter_drm_create(options->drm_device, options->fullscreen);
		return vman->presenter ? 0 : -1;
	case VMAN_PRESENTER_WAYLAND:
		vman->presenter = vman_presenter_wayland_create(vman, options->fullscreen);
		return vman->presenter ? 0 : -1;
	}
	errno = EINVAL;
	return -1;
}

struct vman *vman_create(const struct vman_options *options)
{
	enum vman_renderer_kind kind = options ? options->renderer : VMAN_RENDERER_PIXMAN;
	struct vman *vman = calloc(1, sizeof(*vman));

	if (!vman)
		return NULL;
	switch (kind) {
	case VMAN_RENDERER_PIXMAN:
		vman->renderer = vman_renderer_pixman_create();
		break;
	case VMAN_RENDERER_GLES:
		vman->renderer = vman_renderer_gles_create();
		break;
	default:
		errno = EINVAL;
		break;
	}
	if (!vman->renderer) {
		int saved = errno;

		free(vman);
		errno = saved;
		return NULL;
	}
	vman->fullscreen = options && options->fullscreen;
	if (options && vman_presenter_start(vman, options) < 0) {
		int saved = errno;

		vman->renderer->impl->destroy(vman->renderer);
		free(vman);
		errno = saved;
		return NULL;
	}
	return vman;
}

void vman_destroy(struct vman *vman)
{
	if (!vman)
		return;
	while (vman->clients)
		vman_client_destroy(vman->clients);
	if (vman->presenter)
		vman->presenter->impl->destroy(vman->presenter);
	vman_headless_finish(&vman->output);
	vman->renderer->impl->destroy(vman->renderer);
	free(vman);
}

static void client_tell_foreground(struct vman_client *client, bool foreground)
{
	struct vman_event_foreground event = {.value = foreground};

	if (client->event)
		client->event(client->opaque, VMAN_EVENT_FOREGROUND, &event, sizeof(event));
}

struct vman_client *vman_client_create(struct vman *vman, const char *name,
				       vman_event_fn *event, void *opaque)
{
	struct vman_client *client = calloc(1, sizeof(*client));
	struct vman_client **tail = &vman->clients;

	if (!client)
		return NULL;
	client->name = strdup(name ? name : "");
	if (!client->name || vman_surfaces_init(&client->surfaces) < 0) {
		free(client->name);
		free(client);
		errno = ENOMEM;
		return NULL;
	}
	client->vman = vman;
	client->serial = ++vman->client_serial;
	client->event = event;
	client->opaque = opaque;
	while (*tail)
		tail = &(*tail)->next;
	*tail = client;
	client_tell_foreground(client, client == vman->clients);
	return client;
}

void vman_client_destroy(struct vman_client *client)
{
	struct vman_client **link;
	struct vman *vman;

	if (!client)
		return;
	vman = client->vman;
	for (link = &client->vman->clients; *link != client; link = &(*link)->next)
		;
	*link = client->next;
	vman_surfaces_finish(&client->surfaces);
	free(client->name);
	free(client);
	if (link == &vman->clients && vman->clients)
		client_tell_foreground(vman->clients, true);
}

void vman_client_set_foreground(struct vman_client *client)
{
	struct vman *vman = client->vman;
	struct vman_client *previous = vman->clients;
	struct vman_client **link;

	if (previous == client)
		return;
	for (link = &vman->clients; *link != client; link = &(*link)->next)
		;
	*link = client->next;
	client->next = vman->clients;
	vman->clients = client;
	client_tell_foreground(previous, false);
	client_tell_foreground(client, true);
}

int vman_screen_update(struct vman_client *client, const uint32_t *pixels, unsigned width,
		       unsigned height, size_t stride)
{
	struct vman_surface *screen = vman_surfaces_get(&client->surfaces, VVMI_SURFACE_SCREEN);

	if (width == 0 || height == 0 || width > VVMI_SURFACE_WIDTH_MAX ||
	    height > VVMI_SURFACE_HEIGHT_MAX || stride < (size_t)width * 4)
		return -EINVAL;
	if (client->driver_owns_screen) {
		if (width == client->vga_width && height == client->vga_height)
			return 0;
		client->driver_owns_screen = false;
	}
	client->vga_width = width;
	client->vga_height = height;
	if ((screen->format != VVMI_FORMAT_XRGB8888 || screen->width != width ||
	     screen->height != height) &&
	    vman_surface_set_mode(&client->surfaces, screen, VVMI_FORMAT_XRGB8888, width, height) < 0)
		return -ENOMEM;
	for (unsigned y = 0; y < height; y++) {
		const uint32_t *from = (const uint32_t *)((const uint8_t *)pixels + y * stride);
		uint32_t *to = (uint32_t *)vman_surface_row(screen, y);

		/* The stored X bits are 0, whatever the VGA left in them. */
		for (unsigned x = 0; x < width; x++)
			to[x] = from[x] & 0xFFFFFFu;
	}
	vman_surface_damage(screen, 0, 0, width, height);
	return 0;
}

/* Every PRESENT waiting is answered, in order. The list is taken first, so
 * that a PRESENT the callback sends waits for the next frame. */
static void client_answer_presents(struct vman_client *client)
{
	uint32_t presents[VMAN_PRESENTS_MAX];
	unsigned count = client->present_count;

	memcpy(presents, client->presents, count * sizeof(presents[0]));
	client->present_count = 0;
	for (unsigned i = 0; i < count && client->event; i++) {
		struct vvmi_event_presented presented = {.sequence = presents[i]};

		client->event(client->opaque, VVMI_EVENT_PRESENTED, &presented, sizeof(presented));
	}
}

static void client_clear_damage(struct vman_client *client)
{
	for (unsigned id = 0; id < VVMI_SURFACES_MAX; id++) {
		struct vman_surface *surface = vman_surfaces_get(&client->surfaces, id);

		if (surface)
			vman_surface_damage_clear(surface);
	}
}

int vman_frame(struct vman *vman)
{
	struct vman_client *foreground = vman->clients;
	unsigned width, height;
	int rc;

	if (!foreground)
		return 0;
	vman_output_size(vman, &width, &height);
	vman_scene_init(&vman->scene, &foreground->surfaces, width, height);
	rc = vman_headless_present(&vman->output, vman->renderer, &vman->scene,
				   &foreground->pointer);
	if (rc == 0 && vman->presenter) {
		struct vman_frame_view view = {
			.pixels = vman->output.pixels,
			.width = vman->output.width,
			.height = vman->output.height,
			.scene = &vman->scene,
			.name = foreground->name,
			.client = foreground->serial,
		};

		rc = vman->presenter->impl->present(vman->presenter, &view);
	}
	vman_scene_finish(&vman->scene);
	if (rc < 0)
		return rc;
	/* Every client's drawing has been seen, shown or not: the ones in the
	 * background must not wait for the foreground to change. */
	for (struct vman_client *client = vman->clients; client; client = client->next) {
		client_clear_damage(client);
		client_answer_presents(client);
	}
	return 0;
}

void vman_output_size(const struct vman *vman, unsigned *width, unsigned *height)
{
	const struct vman_surface *screen =
		vman->clients ? vman_surfaces_get(&vman->clients->surfaces, VVMI_SURFACE_SCREEN)
			      : NULL;

	*width = screen ? screen->width : 0;
	*height = screen ? screen->height : 0;
}

int vman_screenshot_png(struct vman *vman, const char *path)
{
	if (!vman->output.width)
		return -ENODATA;
	return vman_frame_png_write(vman->output.pixels, vman->output.width, vman->output.height,
				    (size_t)vman->output.width * 4, path);
}

const uint32_t *vman_output_pixels(const struct vman *vman, unsigned *width, unsigned *height)
{
	*width = vman->output.width;
	*height = vman->output.height;
	return vman->output.width ? vman->output.pixels : NULL;
}

void vman_host_event(struct vman *vman, uint32_t client, enum vvmi_event_type type,
		     const void *body, size_t len)
{
	for (struct vman_client *c = vman->clients; c; c = c->next) {
		if (c->serial == client && c->event)
			c->event(c->opaque, type, body, len);
	}
}

void vman_set_fullscreen(struct vman *vman, bool fullscreen)
{
	vman->fullscreen = fullscreen;
	if (vman->presenter && vman->presenter->impl->set_fullscreen)
		vman->presenter->impl->set_fullscreen(vman->presenter, fullscreen);
}

bool vman_fullscreen(const struct vman *vman)
{
	return vman->fullscreen;
}

int vman_get_fd(struct vman *vman)
{
	if (!vman->presenter || !vman->presenter->impl->get_fd)
		return -1;
	return vman->presenter->impl->get_fd(vman->presenter);
}

int vman_dispatch(struct vman *vman)
{
	if (!vman->presenter || !vman->presenter->impl->dispatch)
		return 0;
	return vman->presenter->impl->dispatch(vman->presenter);
}

int vman_set_active(struct vman *vman, bool active)
{
	if (!vman->presenter || !vman->presenter->impl->set_active)
		return 0;
	return vman->presenter->impl->set_active(vman->presenter, active);
}
