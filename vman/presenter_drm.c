/* presenter_drm.c: shows the guest's frames on a KMS connector: the closest mode, drawn with GLES 2 into a GBM surface where Mesa drives the card (else with pixman into dumb buffers), page flips paced by their completion events, atomic where the driver has it. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

#include "placement.h"
#include "drm_hotplug.h"
#include "drm_modes.h"
#include "drm_scanout.h"
#include "presenter_drm.h"

/*
 * One connector, one CRTC and buffers of the mode's size (drm_scanout.h):
 * one is scanned out, another drawn and flipped to. They are a GBM surface
 * drawn with GLES 2 where Mesa has a driver for the card and EGL starts on
 * it, else (or with MVM_DRM_DUMB=1) two dumb buffers drawn with pixman.
 *
 * Every frame is first copied (the frame view lives only during
 * present()), so that a frame that cannot be shown now is shown later:
 * when the flip in flight completes (its event, read by dispatch), after a
 * fullscreen toggle, or when the display comes back. A flip is asked for
 * only when none is in flight, so the screen never tears and nothing
 * waits. The kernel sends a flip's event even when the CRTC goes off
 * meanwhile, so none is waited for in vain.
 *
 * The display is "away" when a commit fails for any reason but memory:
 * another process took DRM master (EACCES: a VT switch under logind, a
 * compositor), or the connector or the whole card went (ENOENT, EINVAL,
 * ENODEV). present() then keeps the frame and returns 0, and at most once a
 * second tries to take master back and find a connected connector (the
 * first connected one, perhaps another), where it sets the mode again and
 * shows the latest frame.
 *
 * The kernel's uevents say when the card's connectors changed (a hotplug):
 * when the output's connector is no longer connected, its CRTC goes off
 * and the display is away until a hotplug brings a connected connector
 * (or a commit finds one, as above). The presenter's descriptor is an
 * epoll set of the card and the uevent socket.
 *
 * Each modeset is logged on stderr (connector, mode, where the frame
 * goes), and so are a lost and a found output: one line each, rare.
 */

#define DRM_DEFAULT_CARD "/dev/dri/card0"
#define DRM_RETRY_SECONDS 1       /* how often an away display is looked for */
#define DRM_FLIP_DRAIN_MS 100     /* how long destroy waits for a flip in flight */

/* The property ids an atomic commit names. */
struct drm_props {
	uint32_t connector_crtc_id;
	uint32_t crtc_mode_id, crtc_active;
	uint32_t plane_fb_id, plane_crtc_id;
	uint32_t plane_src_x, plane_src_y, plane_src_w, plane_src_h;
	uint32_t plane_crtc_x, plane_crtc_y, plane_crtc_w, plane_crtc_h;
};

struct vman_drm {
	struct vman_presenter base;
	int fd;
	int epoll;   /* fd and hotplug, for get_fd */
	int hotplug; /* the uevent socket, or -1 where the kernel gave none */
	dev_t card;  /* fd's device number, as uevents name it */
	bool atomic; /* the driver took DRM_CLIENT_CAP_ATOMIC and has every property */
	bool fill;   /* fullscreen scaling */

	/* The output: a connector, the CRTC driving it and (atomic) its primary plane. */
	uint32_t connector_id, crtc_id, plane_id;
	char connector_name[32]; /* "Virtual-1", for the log */
	uint32_t stale_connector; /* atomic: the one before, still bound to the CRTC */
	struct drm_props props;
	drmModeModeInfo *modes;          /* the connector's progressive modes */
	struct vman_drm_mode *mode_list; /* the same for drm_modes */
	size_t mode_count;
	drmModeCrtc *saved_crtc;         /* what the CRTC showed before us, put back at the end */

	/* What is on screen. */
	bool mode_set;
	drmModeModeInfo mode;
	uint32_t mode_blob; /* atomic: the mode's property blob, 0 for none */
	struct vman_drm_scanout *scanout;
	bool flip_pending;  /* the drawn buffer is queued; its event puts it on screen */

	/* The latest frame. */
	uint32_t *kept;
	size_t kept_capacity; /* in pixels */
	unsigned kept_width, kept_height;
	bool kept_new; /* not on screen yet */

	bool away;
	bool suspended; /* away by vman_set_active: comes back only by it */
	struct timespec retry_at;
	int event_rc; /* what showing a frame from the flip event returned */
	vman_drm_flipped_fn *flipped;
	void *flipped_opaque;
};

static const struct vman_presenter_impl drm_impl;

static struct vman_drm *drm_from_presenter(struct vman_presenter *presenter)
{
	assert(presenter->impl == &drm_impl);
	return (struct vman_drm *)presenter;
}

struct prop_want {
	const char *name;
	uint32_t *id;
	uint64_t *value; /* may be NULL */
};

/* Looks up the named properties of a KMS object: 0, or -ENOENT when one of
 * them is missing (its id stays 0). */
static int object_props(int fd, uint32_t object, uint32_t type, const struct prop_want *wants,
			size_t count)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, object, type);
	size_t found = 0;

	for (size_t w = 0; w < count; w++)
		*wants[w].id = 0;
	if (!props)
		return -ENOENT;
	for (uint32_t i = 0; i < props->count_props; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);

		if (!prop)
			continue;
		for (size_t w = 0; w < count; w++) {
			if (*wants[w].id || strcmp(prop->name, wants[w].name) != 0)
				continue;
			*wants[w].id = prop->prop_id;
			if (wants[w].value)
				*wants[w].value = props->prop_values[i];
			found++;
		}
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	return found == count ? 0 : -ENOENT;
}

/* The connector's modes that drm_modes may choose from: all but the
 * interlaced and double-scanned ones. 0, -ENODEV (none) or -ENOMEM. */
static int output_take_modes(struct vman_drm *drm, const drmModeConnector *connector)
{
	size_t size = connector->count_modes > 0 ? (size_t)connector->count_modes : 1;
	drmModeModeInfo *modes = calloc(size, sizeof(*modes));
	struct vman_drm_mode *list = calloc(size, sizeof(*list));
	size_t count = 0;

	if (!modes || !list) {
		free(modes);
		free(list);
		return -ENOMEM;
	}
	for (int i = 0; i < connector->count_modes; i++) {
		const drmModeModeInfo *mode = &connector->modes[i];
		uint64_t dots = (uint64_t)mode->htotal * mode->vtotal;

		if (mode->flags & (DRM_MODE_FLAG_INTERLACE | DRM_MODE_FLAG_DBLSCAN))
			continue;
		modes[count] = *mode;
		list[count] = (struct vman_drm_mode){
			.width = mode->hdisplay,
			.height = mode->vdisplay,
			.refresh_mhz = dots ? (unsigned)((uint64_t)mode->clock * 1000000u / dots)
					    : mode->vrefresh * 1000u,
			.preferred = mode->type & DRM_MODE_TYPE_PREFERRED,
		};
		count++;
	}
	if (count == 0) {
		free(modes);
		free(list);
		return -ENODEV;
	}
	free(drm->modes);
	free(drm->mode_list);
	drm->modes = modes;
	drm->mode_list = list;
	drm->mode_count = count;
	return 0;
}

/* The CRTC that drives the connector now, else the first one an encoder of
 * it can drive: its id and index in the resources, or -ENODEV. */
static int output_crtc(int fd, const drmModeRes *resources, const drmModeConnector *connector,
		       uint32_t *crtc_id, unsigned *index)
{
	drmModeEncoder *encoder =
		connector->encoder_id ? drmModeGetEncoder(fd, connector->encoder_id) : NULL;
	uint32_t current = encoder ? encoder->crtc_id : 0;
	uint32_t possible = drmModeConnectorGetPossibleCrtcs(fd, connector);
	int count = resources->count_crtcs < 32 ? resources->count_crtcs : 32;

	drmModeFreeEncoder(encoder);
	for (int i = 0; current && i < count; i++) {
		if (resources->crtcs[i] == current) {
			*crtc_id = current;
			*index = (unsigned)i;
			return 0;
		}
	}
	for (int i = 0; i < count; i++) {
		if (possible & (1u << i)) {
			*crtc_id = resources->crtcs[i];
			*index = (unsigned)i;
			return 0;
		}
	}
	return -ENODEV;
}

/* The primary plane of the CRTC of that index, or 0. */
static uint32_t output_primary_plane(int fd, unsigned crtc_index)
{
	drmModePlaneRes *planes = drmModeGetPlaneResources(fd);
	uint32_t primary = 0;

	if (!planes)
		return 0;
	for (uint32_t i = 0; i < planes->count_planes && !primary; i++) {
		drmModePlane *plane = drmModeGetPlane(fd, planes->planes[i]);
		uint32_t type_id;
		uint64_t type = 0;
		const struct prop_want want = {"type", &type_id, &type};

		if (!plane)
			continue;
		if ((plane->possible_crtcs & (1u << crtc_index)) &&
		    object_props(fd, plane->plane_id, DRM_MODE_OBJECT_PLANE, &want, 1) == 0 &&
		    type == DRM_PLANE_TYPE_PRIMARY)
			primary = plane->plane_id;
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(planes);
	return primary;
}

/* Everything an atomic commit names; -ENOENT when something is missing. */
static int output_atomic(struct vman_drm *drm, unsigned crtc_index)
{
	struct drm_props *p = &drm->props;
	const struct prop_want connector[] = {{"CRTC_ID", &p->connector_crtc_id, NULL}};
	const struct prop_want crtc[] = {
		{"MODE_ID", &p->crtc_mode_id, NULL},
		{"ACTIVE", &p->crtc_active, NULL},
	};
	const struct prop_want plane[] = {
		{"FB_ID", &p->plane_fb_id, NULL},   {"CRTC_ID", &p->plane_crtc_id, NULL},
		{"SRC_X", &p->plane_src_x, NULL},   {"SRC_Y", &p->plane_src_y, NULL},
		{"SRC_W", &p->plane_src_w, NULL},   {"SRC_H", &p->plane_src_h, NULL},
		{"CRTC_X", &p->plane_crtc_x, NULL}, {"CRTC_Y", &p->plane_crtc_y, NULL},
		{"CRTC_W", &p->plane_crtc_w, NULL}, {"CRTC_H", &p->plane_crtc_h, NULL},
	};

	drm->plane_id = output_primary_plane(drm->fd, crtc_index);
	if (!drm->plane_id)
		return -ENOENT;
	if (object_props(drm->fd, drm->connector_id, DRM_MODE_OBJECT_CONNECTOR, connector, 1) < 0 ||
	    object_props(drm->fd, drm->crtc_id, DRM_MODE_OBJECT_CRTC, crtc, 2) < 0 ||
	    object_props(drm->fd, drm->plane_id, DRM_MODE_OBJECT_PLANE, plane,
			 sizeof(plane) / sizeof(plane[0])) < 0)
		return -ENOENT;
	return 0;
}

/* Makes the connector the output. */
static int output_take(struct vman_drm *drm, const drmModeRes *resources,
		       const drmModeConnector *connector)
{
	uint32_t crtc_id;
	unsigned crtc_index;
	int rc = output_crtc(drm->fd, resources, connector, &crtc_id, &crtc_index);

	if (rc == 0)
		rc = output_take_modes(drm, connector);
	if (rc < 0)
		return rc;
	if (drm->connector_id && drm->connector_id != connector->connector_id) {
		drmModeConnector *old = drmModeGetConnectorCurrent(drm->fd, drm->connector_id);

		/* Still there (unplugged, not destroyed): the next modeset unbinds it. */
		drm->stale_connector = old ? drm->connector_id : 0;
		drmModeFreeConnector(old);
	}
	drm->connector_id = connector->connector_id;
	drm->crtc_id = crtc_id;
	snprintf(drm->connector_name, sizeof(drm->connector_name), "%s-%u",
		 drmModeGetConnectorTypeName(connector->connector_type)
			 ? drmModeGetConnectorTypeName(connector->connector_type)
			 : "Unknown",
		 connector->connector_type_id);
	/* A driver without every property the commit names is driven the legacy way. */
	if (drm->atomic && output_atomic(drm, crtc_index) < 0)
		drm->atomic = false;
	if (!drm->saved_crtc)
		drm->saved_crtc = drmModeGetCrtc(drm->fd, crtc_id);
	return 0;
}

/* The first connected connector with a usable mode becomes the output.
 * Without probe the kernel's last known state is read (cheap), and a
 * connector connected since is probed for its modes. 0, -ENODEV (none) or
 * -ENOMEM. */
static int output_find(struct vman_drm *drm, bool probe)
{
	drmModeRes *resources = drmModeGetResources(drm->fd);
	int rc = -ENODEV;

	if (!resources)
		return -ENODEV;
	for (int i = 0; i < resources->count_connectors && rc < 0 && rc != -ENOMEM; i++) {
		uint32_t id = resources->connectors[i];
		drmModeConnector *connector =
			probe ? drmModeGetConnector(drm->fd, id) : drmModeGetConnectorCurrent(drm->fd, id);

		if (connector && connector->connection == DRM_MODE_CONNECTED &&
		    connector->count_modes == 0 && !probe) {
			drmModeFreeConnector(connector);
			connector = drmModeGetConnector(drm->fd, id);
		}
		if (connector && connector->connection == DRM_MODE_CONNECTED)
			rc = output_take(drm, resources, connector);
		drmModeFreeConnector(connector);
	}
	drmModeFreeResources(resources);
	return rc;
}

/* Sets the mode (blocking) or queues a flip (with its event) to the framebuffer. */
static int atomic_commit(struct vman_drm *drm, uint32_t fb_id, const drmModeModeInfo *mode)
{
	const struct drm_props *p = &drm->props;
	drmModeAtomicReq *request = drmModeAtomicAlloc();
	uint32_t flags = DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT;
	uint32_t blob = 0;
	bool added;
	int rc;

	if (!request)
		return -ENOMEM;
	added = drmModeAtomicAddProperty(request, drm->plane_id, p->plane_fb_id, fb_id) >= 0;
	if (mode) {
		rc = drmModeCreatePropertyBlob(drm->fd, mode, sizeof(*mode), &blob);
		if (rc < 0) {
			drmModeAtomicFree(request);
			return rc;
		}
		/* The plane shows the whole buffer (the mode's size) over the whole CRTC. */
		const struct {
			uint32_t object, prop;
			uint64_t value;
		} set[] = {
			{drm->connector_id, p->connector_crtc_id, drm->crtc_id},
			{drm->crtc_id, p->crtc_mode_id, blob},
			{drm->crtc_id, p->crtc_active, 1},
			{drm->plane_id, p->plane_crtc_id, drm->crtc_id},
			{drm->plane_id, p->plane_src_x, 0},
			{drm->plane_id, p->plane_src_y, 0},
			{drm->plane_id, p->plane_src_w, (uint64_t)mode->hdisplay << 16},
			{drm->plane_id, p->plane_src_h, (uint64_t)mode->vdisplay << 16},
			{drm->plane_id, p->plane_crtc_x, 0},
			{drm->plane_id, p->plane_crtc_y, 0},
			{drm->plane_id, p->plane_crtc_w, mode->hdisplay},
			{drm->plane_id, p->plane_crtc_h, mode->vdisplay},
		};

		for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
			added = added && drmModeAtomicAddProperty(request, set[i].object, set[i].prop,
								  set[i].value) >= 0;
		if (drm->stale_connector)
			added = added && drmModeAtomicAddProperty(request, drm->stale_connector,
								  p->connector_crtc_id, 0) >= 0;
		flags = DRM_MODE_ATOMIC_ALLOW_MODESET;
	}
	rc = added ? drmModeAtomicCommit(drm->fd, request, flags, drm) : -ENOMEM;
	drmModeAtomicFree(request);
	if (blob && rc < 0) {
		drmModeDestroyPropertyBlob(drm->fd, blob);
	} else if (blob) {
		if (drm->mode_blob)
			drmModeDestroyPropertyBlob(drm->fd, drm->mode_blob);
		drm->mode_blob = blob;
		drm->stale_connector = 0;
	}
	return rc;
}

static int legacy_commit(struct vman_drm *drm, uint32_t fb_id, const drmModeModeInfo *mode)
{
	drmModeModeInfo copy;

	if (!mode)
		return drmModePageFlip(drm->fd, drm->crtc_id, fb_id, DRM_MODE_PAGE_FLIP_EVENT, drm);
	copy = *mode;
	return drmModeSetCrtc(drm->fd, drm->crtc_id, fb_id, 0, 0, &drm->connector_id, 1, &copy);
}

/* mode NULL: a flip to the framebuffer, its event later; else a modeset to
 * the mode with the framebuffer, done on return. */
static int commit(struct vman_drm *drm, uint32_t fb_id, const drmModeModeInfo *mode)
{
	return drm->atomic ? atomic_commit(drm, fb_id, mode) : legacy_commit(drm, fb_id, mode);
}

/* Draws the kept frame and commits it: a modeset to the mode, done on
 * return, or (mode NULL) a flip, done by its event. */
static int show_drawn(struct vman_drm *drm, const drmModeModeInfo *mode,
		      const struct vman_drm_placement *placement)
{
	struct vman_drm_scanout *scanout = drm->scanout;
	uint32_t fb_id;
	int rc = scanout->impl->draw(scanout, drm->kept, drm->kept_width, drm->kept_height,
				     &placement->place, &fb_id);

	if (rc == 0)
		rc = commit(drm, fb_id, mode);
	if (rc < 0)
		scanout->impl->discard(scanout);
	else if (mode)
		scanout->impl->shown(scanout);
	else
		drm->flip_pending = true;
	return rc;
}

/* Sets a new mode with the kept frame drawn for it. Buffers of a new size
 * replace the old ones (one of them on screen) only after the modeset, so
 * the screen shows the old picture until the new one. */
static int show_modeset(struct vman_drm *drm, const drmModeModeInfo *mode,
			const struct vman_drm_placement *placement)
{
	struct timespec start, end;
	int rc = drm->scanout->impl->prepare(drm->scanout, mode->hdisplay, mode->vdisplay);

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (rc == 0)
		rc = show_drawn(drm, mode, placement);
	if (rc < 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &end);
	drm->mode = *mode;
	drm->mode_set = true;
	/* The time includes drawing; the screen can be dark only during the modeset in it. */
	fprintf(stderr, "vman: drm: %s %ux%u@%u: the %ux%u frame at %u,%u as %ux%u "
			"(drawn and set in %.1f ms)\n",
		drm->connector_name, mode->hdisplay, mode->vdisplay, mode->vrefresh,
		drm->kept_width, drm->kept_height, placement->place.x, placement->place.y,
		placement->place.width, placement->place.height,
		(double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6);
	return 0;
}

/* Puts the kept frame on screen: a flip in the mode set, or a modeset when
 * the frame's size or the scaling asks for another mode. */
static int show(struct vman_drm *drm)
{
	struct vman_drm_placement placement;
	const drmModeModeInfo *mode;
	int rc = vman_drm_mode_choose(drm->mode_list, drm->mode_count, drm->kept_width,
				      drm->kept_height, drm->fill, &placement);

	if (rc < 0)
		return rc;
	mode = &drm->modes[placement.mode];
	if (!drm->mode_set || memcmp(mode, &drm->mode, sizeof(*mode)) != 0)
		return show_modeset(drm, mode, &placement);
	return show_drawn(drm, NULL, &placement);
}

static void go_away(struct vman_drm *drm)
{
	drm->away = true;
	/* Whoever had the display meanwhile set modes of its own. */
	drm->mode_set = false;
	clock_gettime(CLOCK_MONOTONIC, &drm->retry_at);
	drm->retry_at.tv_sec += DRM_RETRY_SECONDS;
}

/* Takes the display back if the time has come and it can: master again and
 * a connector connected (probed for it with probe, else as the kernel last
 * saw them). 0, or -errno while it stays away. */
static int come_back(struct vman_drm *drm, bool probe)
{
	struct timespec now;
	int rc;

	if (drm->suspended)
		return -EAGAIN;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < drm->retry_at.tv_sec ||
	    (now.tv_sec == drm->retry_at.tv_sec && now.tv_nsec < drm->retry_at.tv_nsec))
		return -EAGAIN;
	drm->retry_at = now;
	drm->retry_at.tv_sec += DRM_RETRY_SECONDS;
	if (!drmIsMaster(drm->fd) && drmSetMaster(drm->fd) < 0)
		return -EACCES;
	rc = output_find(drm, probe);
	if (rc < 0)
		return rc;
	drm->away = false;
	return 0;
}

/* Shows the kept frame when there is a new one and the display can take it
 * now. 0 or -ENOMEM: every other failure sends the display away. */
static int update(struct vman_drm *drm)
{
	int rc;

	if (!drm->kept_new || drm->flip_pending)
		return 0;
	if (drm->away && come_back(drm, false) < 0)
		return 0;
	rc = show(drm);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		go_away(drm);
		return 0;
	}
	drm->kept_new = false;
	return 0;
}

static void flip_done(int fd, unsigned sequence, unsigned seconds, unsigned microseconds,
		      unsigned crtc_id, void *opaque)
{
	struct vman_drm *drm = opaque;
	int rc;

	drm->flip_pending = false;
	drm->scanout->impl->shown(drm->scanout);
	if (drm->flipped) {
		struct timespec shown = {.tv_sec = seconds, .tv_nsec = (long)microseconds * 1000};

		drm->flipped(drm->flipped_opaque, &shown);
	}
	rc = update(drm);
	if (rc < 0)
		drm->event_rc = rc;
}

/* Lets a flip in flight finish (its buffer is about to go, or the CRTC
 * off) without flipping again. */
static void flip_drain(struct vman_drm *drm)
{
	drmEventContext context = {.version = 3, .page_flip_handler2 = flip_done};
	struct pollfd poller = {.fd = drm->fd, .events = POLLIN};
	bool kept_new = drm->kept_new;

	drm->kept_new = false;
	while (drm->flip_pending && poll(&poller, 1, DRM_FLIP_DRAIN_MS) > 0 &&
	       drmHandleEvent(drm->fd, &context) == 0)
		;
	drm->kept_new = kept_new;
}

/* Switches the output's CRTC off (its connector is gone), once the flip in
 * flight is done; the buffers stay for the next modeset. */
static void output_off(struct vman_drm *drm)
{
	flip_drain(drm);
	if (!drm->atomic) {
		drmModeSetCrtc(drm->fd, drm->crtc_id, 0, 0, 0, NULL, 0, NULL);
		return;
	}
	drmModeAtomicReq *request = drmModeAtomicAlloc();
	const struct drm_props *p = &drm->props;

	if (request && drmModeAtomicAddProperty(request, drm->connector_id, p->connector_crtc_id,
						0) >= 0 &&
	    drmModeAtomicAddProperty(request, drm->crtc_id, p->crtc_active, 0) >= 0 &&
	    drmModeAtomicAddProperty(request, drm->crtc_id, p->crtc_mode_id, 0) >= 0 &&
	    drmModeAtomicAddProperty(request, drm->plane_id, p->plane_fb_id, 0) >= 0 &&
	    drmModeAtomicAddProperty(request, drm->plane_id, p->plane_crtc_id, 0) >= 0)
		drmModeAtomicCommit(drm->fd, request, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	drmModeAtomicFree(request);
}

static bool mode_listed(const struct vman_drm *drm, const drmModeModeInfo *mode)
{
	for (size_t i = 0; i < drm->mode_count; i++)
		if (memcmp(&drm->modes[i], mode, sizeof(*mode)) == 0)
			return true;
	return false;
}

/* The card's connectors changed. The output stays while its connector is
 * connected, in another mode if its monitor no longer lists the one set;
 * else its CRTC goes off and the display is away until a connector is
 * connected, now (perhaps another) or at a later hotplug. While a VT
 * switch holds the display away, the switch back looks. */
static int hotplug(struct vman_drm *drm)
{
	if (drm->suspended)
		return 0;
	if (!drm->away) {
		drmModeConnector *connector = drmModeGetConnector(drm->fd, drm->connector_id);
		int rc = connector && connector->connection == DRM_MODE_CONNECTED
				 ? output_take_modes(drm, connector)
				 : -ENODEV;

		drmModeFreeConnector(connector);
		if (rc == -ENOMEM)
			return rc;
		if (rc == 0 && (!drm->mode_set || mode_listed(drm, &drm->mode)))
			return 0;
		if (rc == 0) {
			drm->mode_set = false;
			drm->kept_new = drm->kept_width != 0;
			return update(drm);
		}
		fprintf(stderr, "vman: drm: %s is disconnected; waiting for a connector\n",
			drm->connector_name);
		output_off(drm);
		go_away(drm);
	}
	drm->retry_at = (struct timespec){0};
	if (come_back(drm, true) < 0)
		return 0;
	fprintf(stderr, "vman: drm: %s is connected\n", drm->connector_name);
	drm->kept_new = drm->kept_width != 0;
	return update(drm);
}

static int drm_dispatch(struct vman_presenter *presenter)
{
	struct vman_drm *drm = drm_from_presenter(presenter);
	drmEventContext context = {.version = 3, .page_flip_handler2 = flip_done};
	struct epoll_event events[2] = {{.data.fd = drm->fd}};
	int count = drm->epoll >= 0 ? epoll_wait(drm->epoll, events, 2, 0) : 1;

	if (count < 0)
		return errno == EINTR ? 0 : -errno;
	drm->event_rc = 0;
	for (int i = 0; i < count && drm->event_rc == 0; i++) {
		int rc;

		if (events[i].data.fd == drm->fd) {
			errno = 0;
			if (drmHandleEvent(drm->fd, &context) < 0)
				return errno ? -errno : -EIO;
			continue;
		}
		rc = vman_drm_hotplug_read(drm->hotplug, drm->card);
		if (rc > 0)
			rc = hotplug(drm);
		if (rc < 0)
			return rc;
	}
	return drm->event_rc;
}

static int drm_get_fd(struct vman_presenter *presenter)
{
	struct vman_drm *drm = drm_from_presenter(presenter);

	return drm->epoll >= 0 ? drm->epoll : drm->fd;
}

static int drm_present(struct vman_presenter *presenter, const struct vman_frame_view *frame)
{
	struct vman_drm *drm = drm_from_presenter(presenter);
	size_t count = (size_t)frame->width * frame->height;

	if (count == 0)
		return -EINVAL;
	if (count > drm->kept_capacity) {
		uint32_t *kept = realloc(drm->kept, count * sizeof(*kept));

		if (!kept)
			return -ENOMEM;
		drm->kept = kept;
		drm->kept_capacity = count;
	}
	memcpy(drm->kept, frame->pixels, count * sizeof(*drm->kept));
	drm->kept_width = frame->width;
	drm->kept_height = frame->height;
	drm->kept_new = true;
	return update(drm);
}

/* Fullscreen scaling on or off: the kept frame is shown again at once (or
 * after the flip in flight); a failure is the next present()'s to report. */
static void drm_set_fullscreen(struct vman_presenter *presenter, bool fullscreen)
{
	struct vman_drm *drm = drm_from_presenter(presenter);

	drm->fill = fullscreen;
	if (!drm->kept_width)
		return;
	drm->kept_new = true;
	update(drm);
}

/* A VT switch away: master goes (the flip in flight still completes), the
 * frames are kept. Back: master again and the latest frame shown at once;
 * -EACCES when another process holds master (-ENODEV: no connector), and
 * then the next presents try again once a second. */
static int drm_set_active(struct vman_presenter *presenter, bool active)
{
	struct vman_drm *drm = drm_from_presenter(presenter);
	int rc;

	if (!active) {
		go_away(drm);
		drm->suspended = true;
		return drmIsMaster(drm->fd) && drmDropMaster(drm->fd) < 0 ? -errno : 0;
	}
	if (!drm->suspended && !drm->away)
		return 0;
	drm->suspended = false;
	drm->retry_at = (struct timespec){0};
	rc = come_back(drm, false);
	if (rc < 0)
		return rc;
	drm->kept_new = drm->kept_width != 0;
	return update(drm);
}

static void drm_destroy(struct vman_presenter *presenter)
{
	struct vman_drm *drm = drm_from_presenter(presenter);
	drmModeCrtc *saved = drm->saved_crtc;

	if (drm->fd >= 0) {
		flip_drain(drm);
		/* What the console showed, where it is still there to show. */
		if (saved && saved->mode_valid && saved->buffer_id && !drm->away)
			drmModeSetCrtc(drm->fd, saved->crtc_id, saved->buffer_id, saved->x, saved->y,
				       &drm->connector_id, 1, &saved->mode);
		if (drm->scanout)
			drm->scanout->impl->destroy(drm->scanout);
		if (drm->mode_blob)
			drmModeDestroyPropertyBlob(drm->fd, drm->mode_blob);
		close(drm->fd);
	}
	if (drm->epoll >= 0)
		close(drm->epoll);
	if (drm->hotplug >= 0)
		close(drm->hotplug);
	drmModeFreeCrtc(saved);
	free(drm->modes);
	free(drm->mode_list);
	free(drm->kept);
	free(drm);
}

static bool env_is(const char *name, const char *value)
{
	const char *set = getenv(name);

	return set && strcmp(set, value) == 0;
}

/* The card's descriptor and its uevents in one epoll set. 0 or -errno; a
 * kernel without uevents for us leaves hotplugs unseen, not an error, and
 * so does a card epoll refuses (a regular file standing in for one, which
 * poll finds always readable): it is polled by itself. */
static int events_open(struct vman_drm *drm)
{
	struct stat st;
	struct epoll_event card = {.events = EPOLLIN, .data.fd = drm->fd};

	if (fstat(drm->fd, &st) < 0)
		return -errno;
	drm->card = st.st_rdev;
	drm->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (drm->epoll < 0)
		return -errno;
	if (epoll_ctl(drm->epoll, EPOLL_CTL_ADD, drm->fd, &card) < 0) {
		int rc = errno == EPERM ? 0 : -errno;

		close(drm->epoll);
		drm->epoll = -1;
		return rc;
	}
	drm->hotplug = vman_drm_hotplug_open();
	if (drm->hotplug < 0) {
		fprintf(stderr, "vman: drm: no uevents (%s): connectors plugged in later are "
				"found only when a frame is shown\n", strerror(-drm->hotplug));
		return 0;
	}
	struct epoll_event uevents = {.events = EPOLLIN, .data.fd = drm->hotplug};

	return epoll_ctl(drm->epoll, EPOLL_CTL_ADD, drm->hotplug, &uevents) < 0 ? -errno : 0;
}

/* GBM and EGL where they start on the card, unless MVM_DRM_DUMB=1 asks for
 * dumb buffers; else dumb buffers. The surface is tried at the first mode's
 * size, usually the one shown. NULL only without memory. */
static struct vman_drm_scanout *scanout_create(int fd, const struct vman_drm_mode *first)
{
	struct vman_drm_scanout *scanout = NULL;

	if (!env_is("MVM_DRM_DUMB", "1"))
		scanout = vman_drm_scanout_gbm_create(fd, first->width, first->height);
	return scanout ? scanout : vman_drm_scanout_dumb_create(fd);
}

void vman_presenter_drm_set_flipped(struct vman_presenter *presenter, vman_drm_flipped_fn *fn,
				    void *opaque)
{
	struct vman_drm *drm = drm_from_presenter(presenter);

	drm->flipped = fn;
	drm->flipped_opaque = opaque;
}

static const struct vman_presenter_impl drm_impl = {
	.destroy = drm_destroy,
	.present = drm_present,
	.set_fullscreen = drm_set_fullscreen,
	.get_fd = drm_get_fd,
	.dispatch = drm_dispatch,
	.set_active = drm_set_active,
};

struct vman_presenter *vman_presenter_drm_create(const char *device, bool fill)
{
	struct vman_drm *drm = calloc(1, sizeof(*drm));
	drmModeRes *resources;
	drmVersion *version;
	int rc;

	if (!drm)
		return NULL;
	drm->base.impl = &drm_impl;
	drm->fill = fill;
	drm->epoll = drm->hotplug = -1;
	drm->fd = open(device ? device : DRM_DEFAULT_CARD, O_RDWR | O_CLOEXEC);
	if (drm->fd < 0) {
		rc = -errno;
		goto fail;
	}
	/* Only a KMS device (a card, not a render node) has mode resources. */
	resources = drmModeGetResources(drm->fd);
	if (!resources) {
		rc = -ENODEV;
		goto fail;
	}
	drmModeFreeResources(resources);
	/* The first to open a card is its master; else another process shows
	 * something on it (a compositor, X) and a modeset would be refused. */
	if (!drmIsMaster(drm->fd) && drmSetMaster(drm->fd) < 0) {
		rc = -EBUSY;
		goto fail;
	}
	/* MVM_DRM_ATOMIC=0 drives an atomic driver the legacy way, for tests. */
	drm->atomic = !env_is("MVM_DRM_ATOMIC", "0") &&
		      drmSetClientCap(drm->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) == 0 &&
		      drmSetClientCap(drm->fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0;
	rc = output_find(drm, true);
	if (rc == 0)
		rc = events_open(drm);
	if (rc < 0)
		goto fail;
	drm->scanout = scanout_create(drm->fd, &drm->mode_list[0]);
	if (!drm->scanout) {
		rc = -ENOMEM;
		goto fail;
	}
	version = drmGetVersion(drm->fd);
	fprintf(stderr, "vman: drm: %s (%s): %s, %s commits, %s\n",
		device ? device : DRM_DEFAULT_CARD, version ? version->name : "?",
		drm->connector_name, drm->atomic ? "atomic" : "legacy", drm->scanout->impl->name);
	drmFreeVersion(version);
	return &drm->base;
fail:
	drm_destroy(&drm->base);
	errno = -rc;
	return NULL;
}
