/* fake_kms.c: the libdrm functions the DRM presenter calls, answered from struct fake_kms as a driver would (and stricter: a flip of a buffer of another size, or a second flip in flight, is refused). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>

#include "fake_kms.h"

#define MEMORY_SIZE (512ull << 20)

enum {
	CRTC_ID = 10,
	ENCODER_ID = 20,
	CONNECTOR_ID = 30, /* the first; the second is 31 */
	PRIMARY_PLANE_ID = 40,
	CURSOR_PLANE_ID = 41,
	BLOB_ID = 500,
	FB_ID = 1000,
};

/* Property ids; CRTC_ID is one property for connectors and planes, as in the kernel. */
enum {
	PROP_TYPE = 100,
	PROP_FB_ID,
	PROP_CRTC_ID,
	PROP_SRC_X,
	PROP_SRC_Y,
	PROP_SRC_W,
	PROP_SRC_H,
	PROP_CRTC_X,
	PROP_CRTC_Y,
	PROP_CRTC_W,
	PROP_CRTC_H,
	PROP_MODE_ID,
	PROP_ACTIVE,
	PROP_END,
};

static const char *const prop_names[PROP_END - PROP_TYPE] = {
	"type",   "FB_ID",  "CRTC_ID", "SRC_X",  "SRC_Y",   "SRC_W",  "SRC_H",
	"CRTC_X", "CRTC_Y", "CRTC_W",  "CRTC_H", "MODE_ID", "ACTIVE",
};

struct fake_kms fake;

struct _drmModeAtomicReq {
	size_t count;
	struct {
		uint32_t object, prop;
		uint64_t value;
	} items[64];
};

void fake_kms_init(bool atomic)
{
	fake = (struct fake_kms){.atomic = atomic, .master = false};
	fake.memfd = memfd_create("fake-kms", MFD_CLOEXEC);
	if (fake.memfd < 0 || ftruncate(fake.memfd, (off_t)MEMORY_SIZE) < 0)
		abort();
	fake.memory = mmap(NULL, MEMORY_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fake.memfd, 0);
	if (fake.memory == MAP_FAILED)
		abort();
	snprintf(fake.path, sizeof(fake.path), "/proc/self/fd/%d", fake.memfd);
	/* The console, as fbcon leaves it. */
	fake.active = true;
	fake.fb = FAKE_CONSOLE_FB;
	fake.mode = (drmModeModeInfo){.hdisplay = 1024, .vdisplay = 768};
}

void fake_kms_finish(void)
{
	munmap(fake.memory, MEMORY_SIZE);
	close(fake.memfd);
}

void fake_kms_connect(unsigned connector, const struct fake_mode *modes, size_t count)
{
	fake.connectors[connector].connected = true;
	fake.connectors[connector].mode_count = count;
	for (size_t i = 0; i < count; i++) {
		drmModeModeInfo *mode = &fake.connectors[connector].modes[i];

		/* Totals of 2000 x 2000 make the clock say the refresh exactly. */
		*mode = (drmModeModeInfo){
			.clock = modes[i].refresh_hz * 4000,
			.hdisplay = (uint16_t)modes[i].width,
			.htotal = 2000,
			.vdisplay = (uint16_t)modes[i].height,
			.vtotal = 2000,
			.vrefresh = modes[i].refresh_hz,
			.type = DRM_MODE_TYPE_DRIVER | (modes[i].preferred ? DRM_MODE_TYPE_PREFERRED : 0),
		};
		snprintf(mode->name, sizeof(mode->name), "%ux%u", modes[i].width, modes[i].height);
	}
}

void fake_kms_disconnect(unsigned connector)
{
	fake.connectors[connector].connected = false;
	fake.connectors[connector].mode_count = 0;
}

static struct fake_buffer *buffer_of_fb(uint32_t fb)
{
	for (unsigned i = 0; i < FAKE_BUFFERS_MAX; i++)
		if (fake.buffers[i].used && fake.buffers[i].fb_id && fake.buffers[i].fb_id == fb)
			return &fake.buffers[i];
	return NULL;
}

uint32_t fake_kms_pixel(unsigned x, unsigned y)
{
	const struct fake_buffer *buffer = buffer_of_fb(fake.fb);
	uint32_t pixel;

	if (!fake.active || !buffer || x >= buffer->width || y >= buffer->height)
		return 0;
	memcpy(&pixel, fake.memory + buffer->offset + (uint64_t)y * buffer->pitch + x * 4, 4);
	return pixel & 0xFFFFFFu;
}

unsigned fake_kms_buffers(void)
{
	unsigned count = 0;

	for (unsigned i = 0; i < FAKE_BUFFERS_MAX; i++)
		count += fake.buffers[i].used;
	return count;
}

unsigned fake_kms_blobs(void)
{
	unsigned count = 0;

	for (unsigned i = 0; i < FAKE_BLOBS_MAX; i++)
		count += fake.blobs[i].id != 0;
	return count;
}

/* --- resources, connectors, encoders, CRTCs, planes, properties --- */

static uint32_t *ids(size_t count, uint32_t first)
{
	uint32_t *list = calloc(count, sizeof(*list));

	for (size_t i = 0; list && i < count; i++)
		list[i] = first + (uint32_t)i;
	return list;
}

drmModeResPtr drmModeGetResources(int fd)
{
	drmModeRes *resources = calloc(1, sizeof(*resources));

	resources->count_crtcs = 1;
	resources->crtcs = ids(1, CRTC_ID);
	resources->count_encoders = 1;
	resources->encoders = ids(1, ENCODER_ID);
	resources->count_connectors = FAKE_CONNECTORS;
	resources->connectors = ids(FAKE_CONNECTORS, CONNECTOR_ID);
	resources->max_width = resources->max_height = 8192;
	return resources;
}

void drmModeFreeResources(drmModeResPtr resources)
{
	if (!resources)
		return;
	free(resources->crtcs);
	free(resources->encoders);
	free(resources->connectors);
	free(resources);
}

static drmModeConnectorPtr get_connector(uint32_t id)
{
	unsigned index = id - CONNECTOR_ID;
	drmModeConnector *connector;

	if (id < CONNECTOR_ID || index >= FAKE_CONNECTORS)
		return NULL;
	connector = calloc(1, sizeof(*connector));
	connector->connector_id = id;
	connector->connection =
		fake.connectors[index].connected ? DRM_MODE_CONNECTED : DRM_MODE_DISCONNECTED;
	connector->encoder_id = fake.connector == id ? ENCODER_ID : 0;
	connector->count_modes = (int)fake.connectors[index].mode_count;
	connector->modes = calloc(FAKE_MODES_MAX, sizeof(drmModeModeInfo));
	memcpy(connector->modes, fake.connectors[index].modes,
	       fake.connectors[index].mode_count * sizeof(drmModeModeInfo));
	connector->count_encoders = 1;
	connector->encoders = ids(1, ENCODER_ID);
	return connector;
}

drmModeConnectorPtr drmModeGetConnector(int fd, uint32_t id)
{
	return get_connector(id);
}

drmModeConnectorPtr drmModeGetConnectorCurrent(int fd, uint32_t id)
{
	return get_connector(id);
}

void drmModeFreeConnector(drmModeConnectorPtr connector)
{
	if (!connector)
		return;
	free(connector->modes);
	free(connector->encoders);
	free(connector);
}

drmModeEncoderPtr drmModeGetEncoder(int fd, uint32_t id)
{
	drmModeEncoder *encoder;

	if (id != ENCODER_ID)
		return NULL;
	encoder = calloc(1, sizeof(*encoder));
	encoder->encoder_id = id;
	encoder->crtc_id = fake.connector ? CRTC_ID : 0;
	encoder->possible_crtcs = 1;
	return encoder;
}

void drmModeFreeEncoder(drmModeEncoderPtr encoder)
{
	free(encoder);
}

uint32_t drmModeConnectorGetPossibleCrtcs(int fd, const drmModeConnector *connector)
{
	return 1;
}

drmModeCrtcPtr drmModeGetCrtc(int fd, uint32_t id)
{
	drmModeCrtc *crtc;

	if (id != CRTC_ID)
		return NULL;
	crtc = calloc(1, sizeof(*crtc));
	crtc->crtc_id = id;
	crtc->buffer_id = fake.active ? fake.fb : 0;
	crtc->mode_valid = fake.active;
	crtc->mode = fake.mode;
	crtc->width = fake.mode.hdisplay;
	crtc->height = fake.mode.vdisplay;
	return crtc;
}

void drmModeFreeCrtc(drmModeCrtcPtr crtc)
{
	free(crtc);
}

drmModePlaneResPtr drmModeGetPlaneResources(int fd)
{
	drmModePlaneRes *planes;

	if (!fake.client_atomic)
		return NULL;
	planes = calloc(1, sizeof(*planes));
	/* The cursor plane first: the presenter must look at the type. */
	planes->count_planes = 2;
	planes->planes = calloc(2, sizeof(uint32_t));
	planes->planes[0] = CURSOR_PLANE_ID;
	planes->planes[1] = PRIMARY_PLANE_ID;
	return planes;
}

void drmModeFreePlaneResources(drmModePlaneResPtr planes)
{
	if (!planes)
		return;
	free(planes->planes);
	free(planes);
}

drmModePlanePtr drmModeGetPlane(int fd, uint32_t id)
{
	drmModePlane *plane;

	if (id != PRIMARY_PLANE_ID && id != CURSOR_PLANE_ID)
		return NULL;
	plane = calloc(1, sizeof(*plane));
	plane->plane_id = id;
	plane->possible_crtcs = 1;
	return plane;
}

void drmModeFreePlane(drmModePlanePtr plane)
{
	free(plane);
}

drmModeObjectPropertiesPtr drmModeObjectGetProperties(int fd, uint32_t object, uint32_t type)
{
	static const uint32_t connector_props[] = {PROP_CRTC_ID};
	static const uint32_t crtc_props[] = {PROP_MODE_ID, PROP_ACTIVE};
	static const uint32_t plane_props[] = {
		PROP_TYPE,  PROP_FB_ID,  PROP_CRTC_ID, PROP_SRC_X,  PROP_SRC_Y,  PROP_SRC_W,
		PROP_SRC_H, PROP_CRTC_X, PROP_CRTC_Y,  PROP_CRTC_W, PROP_CRTC_H,
	};
	const uint32_t *list;
	size_t count;
	drmModeObjectProperties *props;

	if (type == DRM_MODE_OBJECT_CONNECTOR && object >= CONNECTOR_ID &&
	    object < CONNECTOR_ID + FAKE_CONNECTORS) {
		list = connector_props;
		count = 1;
	} else if (type == DRM_MODE_OBJECT_CRTC && object == CRTC_ID) {
		list = crtc_props;
		count = 2;
	} else if (type == DRM_MODE_OBJECT_PLANE &&
		   (object == PRIMARY_PLANE_ID || object == CURSOR_PLANE_ID)) {
		list = plane_props;
		count = sizeof(plane_props) / sizeof(plane_props[0]);
	} else {
		return NULL;
	}
	props = calloc(1, sizeof(*props));
	props->count_props = (uint32_t)count;
	props->props = calloc(count, sizeof(uint32_t));
	props->prop_values = calloc(count, sizeof(uint64_t));
	memcpy(props->props, list, count * sizeof(uint32_t));
	if (list == plane_props)
		props->prop_values[0] =
			object == PRIMARY_PLANE_ID ? DRM_PLANE_TYPE_PRIMARY : DRM_PLANE_TYPE_CURSOR;
	return props;
}

void drmModeFreeObjectProperties(drmModeObjectPropertiesPtr props)
{
	if (!props)
		return;
	free(props->props);
	free(props->prop_values);
	free(props);
}

drmModePropertyPtr drmModeGetProperty(int fd, uint32_t id)
{
	drmModePropertyRes *prop;

	if (id < PROP_TYPE || id >= PROP_END)
		return NULL;
	prop = calloc(1, sizeof(*prop));
	prop->prop_id = id;
	snprintf(prop->name, sizeof(prop->name), "%s", prop_names[id - PROP_TYPE]);
	return prop;
}

void drmModeFreeProperty(drmModePropertyPtr prop)
{
	free(prop);
}

/* --- master and capabilities --- */

int drmIsMaster(int fd)
{
	return fake.master;
}

int drmSetMaster(int fd)
{
	if (fake.other_master) {
		errno = EBUSY;
		return -1;
	}
	fake.master = true;
	return 0;
}

int drmDropMaster(int fd)
{
	if (!fake.master) {
		errno = EINVAL;
		return -1;
	}
	fake.master = false;
	return 0;
}

int drmSetClientCap(int fd, uint64_t capability, uint64_t value)
{
	if (capability == DRM_CLIENT_CAP_ATOMIC) {
		if (!fake.atomic) {
			errno = EOPNOTSUPP;
			return -1;
		}
		fake.client_atomic = value;
	}
	return 0;
}

/* --- buffers --- */

int drmModeCreateDumbBuffer(int fd, uint32_t width, uint32_t height, uint32_t bpp, uint32_t flags,
			    uint32_t *handle, uint32_t *pitch, uint64_t *size)
{
	for (unsigned i = 0; i < FAKE_BUFFERS_MAX; i++) {
		struct fake_buffer *buffer = &fake.buffers[i];

		if (buffer->used)
			continue;
		/* A stride longer than a row, as drivers align them. */
		*buffer = (struct fake_buffer){
			.used = true,
			.width = width,
			.height = height,
			.pitch = width * 4 + 64,
			.offset = fake.memory_used,
		};
		buffer->size = ((uint64_t)buffer->pitch * height + 4095) & ~4095ull;
		if (bpp != 32 || flags || fake.memory_used + buffer->size > MEMORY_SIZE) {
			buffer->used = false;
			return -EINVAL;
		}
		fake.memory_used += buffer->size;
		*handle = i + 1;
		*pitch = buffer->pitch;
		*size = buffer->size;
		return 0;
	}
	return -ENOSPC;
}

static struct fake_buffer *buffer_of_handle(uint32_t handle)
{
	if (handle == 0 || handle > FAKE_BUFFERS_MAX || !fake.buffers[handle - 1].used)
		return NULL;
	return &fake.buffers[handle - 1];
}

int drmModeDestroyDumbBuffer(int fd, uint32_t handle)
{
	struct fake_buffer *buffer = buffer_of_handle(handle);

	if (!buffer)
		return -ENOENT;
	buffer->used = false;
	return 0;
}

int drmModeMapDumbBuffer(int fd, uint32_t handle, uint64_t *offset)
{
	struct fake_buffer *buffer = buffer_of_handle(handle);

	if (!buffer)
		return -ENOENT;
	*offset = buffer->offset;
	return 0;
}

int drmModeAddFB2(int fd, uint32_t width, uint32_t height, uint32_t format,
		  const uint32_t handles[4], const uint32_t pitches[4], const uint32_t offsets[4],
		  uint32_t *fb_id, uint32_t flags)
{
	struct fake_buffer *buffer = buffer_of_handle(handles[0]);

	if (!buffer || format != DRM_FORMAT_XRGB8888 || width != buffer->width ||
	    height != buffer->height || pitches[0] != buffer->pitch || offsets[0] || buffer->fb_id)
		return -EINVAL;
	buffer->fb_id = FB_ID + handles[0];
	*fb_id = buffer->fb_id;
	return 0;
}

int drmModeRmFB(int fd, uint32_t fb_id)
{
	struct fake_buffer *buffer = buffer_of_fb(fb_id);

	if (!buffer)
		return -ENOENT;
	/* The kernel would turn the CRTC off: a black screen. */
	if ((fake.active && fake.fb == fb_id) || (fake.flip_pending && fake.pending_fb == fb_id))
		fake.shown_fb_removed++;
	buffer->fb_id = 0;
	return 0;
}

/* --- commits --- */

int drmModeCreatePropertyBlob(int fd, const void *data, size_t size, uint32_t *id)
{
	if (size != sizeof(drmModeModeInfo))
		return -EINVAL;
	for (unsigned i = 0; i < FAKE_BLOBS_MAX; i++) {
		if (fake.blobs[i].id)
			continue;
		fake.blobs[i].id = BLOB_ID + i;
		memcpy(&fake.blobs[i].mode, data, size);
		*id = fake.blobs[i].id;
		return 0;
	}
	return -ENOSPC;
}

int drmModeDestroyPropertyBlob(int fd, uint32_t id)
{
	for (unsigned i = 0; i < FAKE_BLOBS_MAX; i++) {
		if (fake.blobs[i].id == id) {
			fake.blobs[i].id = 0;
			return 0;
		}
	}
	return -ENOENT;
}

static bool connector_usable(uint32_t id)
{
	unsigned index = id - CONNECTOR_ID;

	if (id < CONNECTOR_ID || index >= FAKE_CONNECTORS)
		return false;
	return fake.connectors[index].connected || !fake.reject_disconnected;
}

/* A modeset (done now) or a flip (done by the next drmHandleEvent). */
static int apply(uint32_t connector, const drmModeModeInfo *mode, uint32_t fb, bool flip,
		 void *data)
{
	const struct fake_buffer *buffer = buffer_of_fb(fb);

	fake.commits++;
	if (!fake.master)
		return -EACCES;
	if (fake.flip_pending)
		return -EBUSY;
	if (!buffer || !connector_usable(connector))
		return -EINVAL;
	if (buffer->width != mode->hdisplay || buffer->height != mode->vdisplay)
		return -EINVAL;
	if (flip) {
		fake.flip_pending = true;
		fake.pending_fb = fb;
		fake.pending_data = data;
		fake.flips_asked++;
		return 0;
	}
	fake.active = true;
	fake.mode = *mode;
	fake.fb = fb;
	fake.connector = connector;
	fake.modesets++;
	return 0;
}

int drmModeSetCrtc(int fd, uint32_t crtc_id, uint32_t fb, uint32_t x, uint32_t y,
		   uint32_t *connectors, int count, drmModeModeInfoPtr mode)
{
	fake.legacy_commits++;
	if (crtc_id != CRTC_ID || count != 1 || !mode)
		return -EINVAL;
	/* The console's framebuffer is the kernel's, always there. */
	if (fb == FAKE_CONSOLE_FB) {
		fake.fb = fb;
		fake.mode = *mode;
		fake.active = true;
		fake.connector = 0;
		return 0;
	}
	return apply(connectors[0], mode, fb, false, NULL);
}

int drmModePageFlip(int fd, uint32_t crtc_id, uint32_t fb, uint32_t flags, void *data)
{
	fake.legacy_commits++;
	if (crtc_id != CRTC_ID || !(flags & DRM_MODE_PAGE_FLIP_EVENT) || !fake.active ||
	    !fake.connector)
		return -EINVAL;
	return apply(fake.connector, &fake.mode, fb, true, data);
}

drmModeAtomicReqPtr drmModeAtomicAlloc(void)
{
	return calloc(1, sizeof(struct _drmModeAtomicReq));
}

void drmModeAtomicFree(drmModeAtomicReqPtr request)
{
	free(request);
}

int drmModeAtomicAddProperty(drmModeAtomicReqPtr request, uint32_t object, uint32_t prop,
			     uint64_t value)
{
	if (request->count == sizeof(request->items) / sizeof(request->items[0]))
		return -ENOMEM;
	request->items[request->count].object = object;
	request->items[request->count].prop = prop;
	request->items[request->count].value = value;
	return (int)++request->count;
}

int drmModeAtomicCommit(int fd, drmModeAtomicReqPtr request, uint32_t flags, void *data)
{
	uint32_t connector = fake.connector, fb = 0;
	const drmModeModeInfo *mode = &fake.mode;
	bool modeset = false, unbound = false;

	fake.atomic_commits++;
	if (!fake.client_atomic)
		return -EINVAL;
	fake.last_flags = flags;
	for (size_t i = 0; i < request->count; i++) {
		uint32_t object = request->items[i].object, prop = request->items[i].prop;
		uint64_t value = request->items[i].value;

		if (object == PRIMARY_PLANE_ID && prop == PROP_FB_ID) {
			fb = (uint32_t)value;
		} else if (object == CRTC_ID && prop == PROP_MODE_ID) {
			mode = NULL;
			for (unsigned b = 0; b < FAKE_BLOBS_MAX; b++)
				if (fake.blobs[b].id && fake.blobs[b].id == value)
					mode = &fake.blobs[b].mode;
			if (!mode)
				return -EINVAL;
			modeset = true;
		} else if (prop == PROP_CRTC_ID && object != PRIMARY_PLANE_ID && value == 0) {
			unbound = unbound || object == fake.connector;
			modeset = true;
		} else if (prop == PROP_CRTC_ID && object != PRIMARY_PLANE_ID) {
			connector = object;
			modeset = true;
		}
	}
	/* One connector a CRTC: the one bound before must be unbound. */
	if (fake.connector && connector != fake.connector && !unbound)
		return -EINVAL;
	/* A modeset needs the flag; a flip must be non-blocking with its event. */
	if (modeset != !!(flags & DRM_MODE_ATOMIC_ALLOW_MODESET))
		return -EINVAL;
	if (!modeset && (!(flags & DRM_MODE_ATOMIC_NONBLOCK) ||
			 !(flags & DRM_MODE_PAGE_FLIP_EVENT) || !fake.connector))
		return -EINVAL;
	return apply(connector, mode, fb, !modeset, data);
}

int drmHandleEvent(int fd, drmEventContextPtr context)
{
	if (!fake.flip_pending)
		return 0;
	fake.flip_pending = false;
	fake.fb = fake.pending_fb;
	fake.flips_done++;
	if (context->version >= 3 && context->page_flip_handler2)
		context->page_flip_handler2(fd, fake.flips_done, 0, 0, CRTC_ID, fake.pending_data);
	else if (context->page_flip_handler)
		context->page_flip_handler(fd, fake.flips_done, 0, 0, fake.pending_data);
	return 0;
}
