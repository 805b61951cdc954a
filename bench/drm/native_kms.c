/* native_kms.c: bench/drm's peer: a bare KMS client that shows a frame centred in the smallest mode holding it, two dumb buffers flipped in turn. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>

#include "native_kms.h"

struct native_buffer {
	uint32_t handle, fb_id, pitch;
	uint8_t *map;
	size_t size;
};

struct native_kms {
	int fd;
	uint32_t connector_id, crtc_id;
	drmModeModeInfo mode;
	unsigned frame_width, frame_height;
	unsigned x0, y0; /* where the frame goes in the mode */
	struct native_buffer buffers[2];
	unsigned front; /* the buffer on screen */
	bool flipped;
	struct timespec shown;
};

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned refresh_distance(const drmModeModeInfo *mode)
{
	return mode->vrefresh > 60 ? mode->vrefresh - 60 : 60 - mode->vrefresh;
}

/* Whether a is the better mode for the frame than b (b NULL: none yet). */
static bool mode_better(const drmModeModeInfo *a, const drmModeModeInfo *b)
{
	uint64_t pixels_a = (uint64_t)a->hdisplay * a->vdisplay;
	uint64_t pixels_b;
	bool preferred_a = a->type & DRM_MODE_TYPE_PREFERRED;

	if (!b)
		return true;
	pixels_b = (uint64_t)b->hdisplay * b->vdisplay;
	if (pixels_a != pixels_b)
		return pixels_a < pixels_b;
	if (preferred_a != (bool)(b->type & DRM_MODE_TYPE_PREFERRED))
		return preferred_a;
	return refresh_distance(a) < refresh_distance(b);
}

/* The connector's mode for the frame, as the header says. */
static int choose_mode(struct native_kms *kms, const drmModeConnector *connector)
{
	const drmModeModeInfo *best = NULL;

	for (int i = 0; i < connector->count_modes; i++) {
		const drmModeModeInfo *mode = &connector->modes[i];

		if (mode->flags & (DRM_MODE_FLAG_INTERLACE | DRM_MODE_FLAG_DBLSCAN) ||
		    mode->hdisplay < kms->frame_width || mode->vdisplay < kms->frame_height)
			continue;
		if (mode_better(mode, best))
			best = mode;
	}
	if (!best)
		return -ENOENT;
	kms->mode = *best;
	kms->x0 = (best->hdisplay - kms->frame_width) / 2;
	kms->y0 = (best->vdisplay - kms->frame_height) / 2;
	return 0;
}

static int choose_crtc(struct native_kms *kms, const drmModeRes *resources,
		       const drmModeConnector *connector)
{
	drmModeEncoder *encoder =
		connector->encoder_id ? drmModeGetEncoder(kms->fd, connector->encoder_id) : NULL;
	uint32_t possible = drmModeConnectorGetPossibleCrtcs(kms->fd, connector);

	kms->crtc_id = encoder ? encoder->crtc_id : 0;
	drmModeFreeEncoder(encoder);
	for (int i = 0; !kms->crtc_id && i < resources->count_crtcs && i < 32; i++)
		if (possible & (1u << i))
			kms->crtc_id = resources->crtcs[i];
	return kms->crtc_id ? 0 : -ENODEV;
}

/* The first connected connector, its CRTC and mode. */
static int choose_output(struct native_kms *kms)
{
	drmModeRes *resources = drmModeGetResources(kms->fd);
	int rc = -ENODEV;

	if (!resources)
		return -errno;
	for (int i = 0; i < resources->count_connectors && rc == -ENODEV; i++) {
		drmModeConnector *connector = drmModeGetConnector(kms->fd, resources->connectors[i]);

		if (connector && connector->connection == DRM_MODE_CONNECTED) {
			kms->connector_id = connector->connector_id;
			rc = choose_mode(kms, connector);
			if (rc == 0)
				rc = choose_crtc(kms, resources, connector);
		}
		drmModeFreeConnector(connector);
	}
	drmModeFreeResources(resources);
	return rc;
}

/* A black dumb buffer of the mode's size with a framebuffer. */
static int buffer_create(struct native_kms *kms, struct native_buffer *buffer)
{
	uint32_t handles[4] = {0}, pitches[4] = {0}, offsets[4] = {0};
	uint64_t size, offset;
	int rc = drmModeCreateDumbBuffer(kms->fd, kms->mode.hdisplay, kms->mode.vdisplay, 32, 0,
					 &buffer->handle, &buffer->pitch, &size);

	if (rc < 0)
		return rc;
	buffer->size = (size_t)size;
	handles[0] = buffer->handle;
	pitches[0] = buffer->pitch;
	rc = drmModeAddFB2(kms->fd, kms->mode.hdisplay, kms->mode.vdisplay, DRM_FORMAT_XRGB8888,
			   handles, pitches, offsets, &buffer->fb_id, 0);
	if (rc < 0)
		return -errno;
	rc = drmModeMapDumbBuffer(kms->fd, buffer->handle, &offset);
	if (rc < 0)
		return rc;
	buffer->map = mmap(NULL, buffer->size, PROT_READ | PROT_WRITE, MAP_SHARED, kms->fd,
			   (off_t)offset);
	if (buffer->map == MAP_FAILED) {
		buffer->map = NULL;
		return -errno;
	}
	memset(buffer->map, 0, buffer->size);
	return 0;
}

static void buffer_destroy(struct native_kms *kms, struct native_buffer *buffer)
{
	if (buffer->map)
		munmap(buffer->map, buffer->size);
	if (buffer->fb_id)
		drmModeRmFB(kms->fd, buffer->fb_id);
	if (buffer->handle)
		drmModeDestroyDumbBuffer(kms->fd, buffer->handle);
}

struct native_kms *native_kms_create(const char *path, unsigned frame_width,
				     unsigned frame_height)
{
	struct native_kms *kms = calloc(1, sizeof(*kms));
	const char *what = "open";
	int rc = kms ? 0 : -ENOMEM;

	if (rc == 0) {
		kms->frame_width = frame_width;
		kms->frame_height = frame_height;
		kms->fd = open(path, O_RDWR | O_CLOEXEC);
		rc = kms->fd < 0 ? -errno : 0;
	}
	if (rc == 0) {
		what = "no connected connector with a mode holding the frame";
		rc = choose_output(kms);
	}
	for (unsigned i = 0; rc == 0 && i < 2; i++) {
		what = "dumb buffer";
		rc = buffer_create(kms, &kms->buffers[i]);
	}
	/* The first to open a card is its master: the turns say when this one is. */
	if (rc == 0 && drmIsMaster(kms->fd) && drmDropMaster(kms->fd) < 0) {
		what = "drop master";
		rc = -errno;
	}
	if (rc < 0) {
		fprintf(stderr, "native_kms: %s: %s: %s\n", path, what, strerror(-rc));
		native_kms_destroy(kms);
		return NULL;
	}
	return kms;
}

void native_kms_destroy(struct native_kms *kms)
{
	if (!kms)
		return;
	if (kms->fd >= 0) {
		for (unsigned i = 0; i < 2; i++)
			buffer_destroy(kms, &kms->buffers[i]);
		close(kms->fd);
	}
	free(kms);
}

const drmModeModeInfo *native_kms_mode(const struct native_kms *kms)
{
	return &kms->mode;
}

int native_kms_take(struct native_kms *kms)
{
	drmModeModeInfo mode = kms->mode;

	if (!drmIsMaster(kms->fd) && drmSetMaster(kms->fd) < 0)
		return -errno;
	if (drmModeSetCrtc(kms->fd, kms->crtc_id, kms->buffers[kms->front].fb_id, 0, 0,
			   &kms->connector_id, 1, &mode) < 0)
		return -errno;
	return 0;
}

int native_kms_release(struct native_kms *kms)
{
	return drmDropMaster(kms->fd) < 0 ? -errno : 0;
}

static void flip_done(int fd, unsigned sequence, unsigned seconds, unsigned microseconds,
		      void *opaque)
{
	struct native_kms *kms = opaque;

	kms->flipped = true;
	kms->shown = (struct timespec){.tv_sec = seconds, .tv_nsec = (long)microseconds * 1000};
}

int native_kms_show(struct native_kms *kms, const uint32_t *pixels, size_t stride,
		    int timeout_ms, uint64_t *queued_ns, struct timespec *shown)
{
	drmEventContext context = {.version = 2, .page_flip_handler = flip_done};
	struct pollfd poller = {.fd = kms->fd, .events = POLLIN};
	struct native_buffer *back = &kms->buffers[!kms->front];
	size_t row = (size_t)kms->frame_width * 4;
	uint64_t deadline;

	for (unsigned y = 0; y < kms->frame_height; y++)
		memcpy(back->map + (size_t)(kms->y0 + y) * back->pitch + (size_t)kms->x0 * 4,
		       (const uint8_t *)pixels + y * stride, row);
	kms->flipped = false;
	if (drmModePageFlip(kms->fd, kms->crtc_id, back->fb_id, DRM_MODE_PAGE_FLIP_EVENT, kms) < 0)
		return -errno;
	*queued_ns = monotonic_ns();
	deadline = *queued_ns + (uint64_t)timeout_ms * 1000000u;
	while (!kms->flipped) {
		uint64_t now = monotonic_ns();

		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&poller, 1, (int)((deadline - now) / 1000000u) + 1) < 0 && errno != EINTR)
			return -errno;
		if ((poller.revents & POLLIN) && drmHandleEvent(kms->fd, &context) < 0)
			return -EIO;
	}
	kms->front = !kms->front;
	*shown = kms->shown;
	return 0;
}
