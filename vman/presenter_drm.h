/* presenter_drm.h: the DRM/KMS presenter: the guest's frame on a connector of a DRM card, no compositor. Private to vman/. */
#ifndef MVM_VMAN_PRESENTER_DRM_H
#define MVM_VMAN_PRESENTER_DRM_H

#include <stdbool.h>

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

#endif
