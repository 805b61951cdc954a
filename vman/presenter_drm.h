/* presenter_drm.h: the DRM/KMS presenter: the guest's frame on a connector of a DRM card, no compositor. Private to vman/. */
#ifndef MVM_VMAN_PRESENTER_DRM_H
#define MVM_VMAN_PRESENTER_DRM_H

#include <stdbool.h>
#include <time.h>

#include "presenter.h"

/* Takes the card's first connected connector (device NULL is
 * /dev/dri/card0); fill is fullscreen scaling (drm_modes.h). The mode is
 * set by the first frame. Frames are drawn with GLES 2 into a GBM surface
 * where Mesa and EGL start on the card, else (or with MVM_DRM_DUMB=1 in
 * the environment) with pixman into dumb buffers. NULL with errno: ENOENT (no such file), EACCES
 * (no permission to open it), ENODEV (not a KMS device, or no connector
 * connected), EBUSY (another process is the DRM master: a compositor, X),
 * ENOMEM. */
struct vman_presenter *vman_presenter_drm_create(const char *device, bool fill);

/* For bench/drm: fn gets each page flip's completion, with the time the
 * kernel gives it (CLOCK_MONOTONIC: the vblank the new buffer was shown
 * at); a modeset, done when its commit returns, has none. NULL stops. */
typedef void vman_drm_flipped_fn(void *opaque, const struct timespec *shown);
void vman_presenter_drm_set_flipped(struct vman_presenter *presenter, vman_drm_flipped_fn *fn,
				    void *opaque);

#endif
