/* display_local.c: the display in this process: libvman with the headless, Wayland or DRM presenter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "vman.h"

struct display_local {
	struct display base;
	struct vman *vman;
	struct vman_client *client;
	struct vman_heap heap;
	bool heap_shared;
};

static struct display_local *local_of(struct display *display)
{
	return (struct display_local *)display;
}

static int local_screen(struct display *display, const uint32_t *pixels, unsigned width,
			unsigned height, size_t stride)
{
	return vman_screen_update(local_of(display)->client, pixels, width, height, stride);
}

static int local_ghi(struct display *display, uint16_t opcode, const void *body, size_t len)
{
	struct display_local *d = local_of(display);

	return vman_ghi(d->client, opcode, body, len, d->heap_shared ? &d->heap : NULL);
}

static int local_share_heap(struct display *display, void *pages, size_t size,
			    uint32_t heap_start, int fd)
{
	struct display_local *d = local_of(display);

	(void)fd; /* the pages are in this process already */
	if (!pages) {
		d->heap_shared = false;
		return 0;
	}
	if (size > UINT32_MAX || heap_start > size)
		return -EINVAL;
	d->heap = (struct vman_heap){ .base = pages, .heap_start = heap_start,
				      .size = (uint32_t)size };
	d->heap_shared = true;
	return 0;
}

static int local_frame(struct display *display)
{
	return vman_frame(local_of(display)->vman);
}

static int local_screenshot(struct display *display, const char *path)
{
	return vman_screenshot_png(local_of(display)->vman, path);
}

/* What the presenter's compositor sent (input, closes), without waiting. */
static int local_poll(struct display *display)
{
	return vman_dispatch(local_of(display)->vman);
}

static void local_destroy(struct display *display)
{
	struct display_local *d = local_of(display);

	vman_client_destroy(d->client);
	vman_destroy(d->vman);
	free(d);
}

static const struct display_ops local_ops = {
	.screen = local_screen,
	.ghi = local_ghi,
	.share_heap = local_share_heap,
	.frame = local_frame,
	.screenshot = local_screenshot,
	.poll = local_poll,
	.destroy = local_destroy,
};

static void local_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	display_emit(opaque, type, body, len);
}

int display_local_open(const struct display_options *options, struct display **out, char *err,
		       size_t err_size)
{
	static const char *const presenter_names[] = {
		[VMAN_PRESENTER_HEADLESS] = "headless",
		[VMAN_PRESENTER_DRM] = "drm",
		[VMAN_PRESENTER_WAYLAND] = "wayland",
	};
	struct vman_options vo = {
		.renderer = options->gles ? VMAN_RENDERER_GLES : VMAN_RENDERER_PIXMAN,
		.presenter = options->kind == DISPLAY_WAYLAND ? VMAN_PRESENTER_WAYLAND
			     : options->kind == DISPLAY_DRM   ? VMAN_PRESENTER_DRM
							      : VMAN_PRESENTER_HEADLESS,
		.fullscreen = options->fullscreen,
	};
	struct display_local *d = calloc(1, sizeof(*d));
	int rc;

	if (!d) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	d->base.ops = &local_ops;
	d->vman = vman_create(&vo);
	if (!d->vman) {
		rc = -errno;
		snprintf(err, err_size, "cannot start VMAN (%s display, %s renderer): %s",
			 presenter_names[vo.presenter], options->gles ? "gles" : "pixman",
			 strerror(errno));
		free(d);
		return rc;
	}
	d->client = vman_client_create(d->vman, options->name ? options->name : "mvm",
				       local_event, d);
	if (!d->client) {
		snprintf(err, err_size, "out of memory");
		vman_destroy(d->vman);
		free(d);
		return -ENOMEM;
	}
	*out = &d->base;
	return 0;
}
