/* drm_scanout_dumb.c: scanout from two dumb buffers of the mode's size, drawn with pixman: the front one is scanned out, the other one drawn and committed. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "drm_scanout.h"

struct drm_buffer {
	uint32_t handle; /* 0: none */
	uint32_t fb_id;
	uint32_t pitch;
	uint64_t size;
	uint32_t *map;
	unsigned width, height;
};

struct dumb_scanout {
	struct vman_drm_scanout base;
	int fd;
	struct drm_buffer buffers[2];
	unsigned front;            /* scanned out; the other one is drawn next */
	struct drm_buffer fresh[2]; /* prepared for a new size, until shown */
};

static const struct vman_drm_scanout_impl dumb_impl;

static struct dumb_scanout *dumb_from_scanout(struct vman_drm_scanout *scanout)
{
	assert(scanout->impl == &dumb_impl);
	return (struct dumb_scanout *)scanout;
}

static void buffer_destroy(int fd, struct drm_buffer *buffer)
{
	if (buffer->map)
		munmap(buffer->map, buffer->size);
	if (buffer->fb_id)
		drmModeRmFB(fd, buffer->fb_id);
	if (buffer->handle)
		drmModeDestroyDumbBuffer(fd, buffer->handle);
	*buffer = (struct drm_buffer){0};
}

/* A dumb buffer, a framebuffer of it and its pages mapped. */
static int buffer_create(int fd, unsigned width, unsigned height, struct drm_buffer *buffer)
{
	uint32_t handles[4] = {0}, pitches[4] = {0}, offsets[4] = {0};
	uint64_t offset;
	void *map;
	int rc;

	*buffer = (struct drm_buffer){.width = width, .height = height};
	rc = drmModeCreateDumbBuffer(fd, width, height, 32, 0, &buffer->handle, &buffer->pitch,
				     &buffer->size);
	if (rc < 0)
		return rc;
	handles[0] = buffer->handle;
	pitches[0] = buffer->pitch;
	rc = drmModeAddFB2(fd, width, height, DRM_FORMAT_XRGB8888, handles, pitches, offsets,
			   &buffer->fb_id, 0);
	if (rc == 0)
		rc = drmModeMapDumbBuffer(fd, buffer->handle, &offset);
	if (rc == 0) {
		map = mmap(NULL, buffer->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
		if (map == MAP_FAILED)
			rc = -errno;
		else
			buffer->map = map;
	}
	if (rc < 0)
		buffer_destroy(fd, buffer);
	return rc;
}

static void buffers_destroy(int fd, struct drm_buffer buffers[2])
{
	buffer_destroy(fd, &buffers[0]);
	buffer_destroy(fd, &buffers[1]);
}

static int dumb_prepare(struct vman_drm_scanout *scanout, unsigned width, unsigned height)
{
	struct dumb_scanout *dumb = dumb_from_scanout(scanout);
	int rc = 0;

	buffers_destroy(dumb->fd, dumb->fresh);
	if (dumb->buffers[0].fb_id && dumb->buffers[0].width == width &&
	    dumb->buffers[0].height == height)
		return 0;
	for (unsigned i = 0; i < 2 && rc == 0; i++)
		rc = buffer_create(dumb->fd, width, height, &dumb->fresh[i]);
	if (rc < 0)
		buffers_destroy(dumb->fd, dumb->fresh);
	return rc;
}

/* The buffer drawn next: the first new one, else the current back one. */
static struct drm_buffer *dumb_target(struct dumb_scanout *dumb)
{
	return dumb->fresh[0].fb_id ? &dumb->fresh[0] : &dumb->buffers[dumb->front ^ 1];
}

static int dumb_draw(struct vman_drm_scanout *scanout, const uint32_t *pixels, unsigned width,
		     unsigned height, const struct vman_placement *placement, uint32_t *fb_id)
{
	struct drm_buffer *buffer = dumb_target(dumb_from_scanout(scanout));
	struct vman_target target = {buffer->map, buffer->width, buffer->height, buffer->pitch};
	int rc;

	if (!buffer->fb_id)
		return -EINVAL;
	rc = vman_draw_placed(&target, pixels, width, height, placement);
	if (rc == 0)
		*fb_id = buffer->fb_id;
	return rc;
}

static void dumb_shown(struct vman_drm_scanout *scanout)
{
	struct dumb_scanout *dumb = dumb_from_scanout(scanout);

	if (!dumb->fresh[0].fb_id) {
		dumb->front ^= 1;
		return;
	}
	buffers_destroy(dumb->fd, dumb->buffers);
	memcpy(dumb->buffers, dumb->fresh, sizeof(dumb->fresh));
	memset(dumb->fresh, 0, sizeof(dumb->fresh));
	dumb->front = 0;
}

static void dumb_discard(struct vman_drm_scanout *scanout)
{
	struct dumb_scanout *dumb = dumb_from_scanout(scanout);

	buffers_destroy(dumb->fd, dumb->fresh);
}

static void dumb_destroy(struct vman_drm_scanout *scanout)
{
	struct dumb_scanout *dumb = dumb_from_scanout(scanout);

	buffers_destroy(dumb->fd, dumb->fresh);
	buffers_destroy(dumb->fd, dumb->buffers);
	free(dumb);
}

static const struct vman_drm_scanout_impl dumb_impl = {
	.name = "dumb buffers drawn with pixman",
	.destroy = dumb_destroy,
	.prepare = dumb_prepare,
	.draw = dumb_draw,
	.shown = dumb_shown,
	.discard = dumb_discard,
};

struct vman_drm_scanout *vman_drm_scanout_dumb_create(int fd)
{
	struct dumb_scanout *dumb = calloc(1, sizeof(*dumb));

	if (!dumb) {
		errno = ENOMEM;
		return NULL;
	}
	dumb->base.impl = &dumb_impl;
	dumb->fd = fd;
	return &dumb->base;
}
