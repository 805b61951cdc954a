/* drm_scanout.h: the DRM presenter's scanout buffers: dumb buffers drawn with pixman (always there), or a GBM surface drawn with GLES 2 through EGL (where Mesa drives the card). Private to vman/. */
#ifndef MVM_VMAN_DRM_SCANOUT_H
#define MVM_VMAN_DRM_SCANOUT_H

#include <stdint.h>

#include "placement.h"

/*
 * The presenter's cycle, one buffer at a time:
 *   prepare (before a modeset) -> draw -> commit the fb id ->
 *   shown (the modeset succeeded, or later the flip's event came) or
 *   discard (the commit failed, or anything before it).
 * The buffer shown before stays, and stays valid, until shown() says the
 * drawn one replaced it; buffers of another size, made by prepare, replace
 * the current ones only then, so that a failed modeset leaves the screen
 * as it was.
 */

struct vman_drm_scanout;

struct vman_drm_scanout_impl {
	const char *name; /* for the log: what draws and what is scanned out */
	void (*destroy)(struct vman_drm_scanout *scanout);
	/* Buffers of the mode's size to draw the next frame into: the
	 * current ones where they have that size, else new ones. 0 or
	 * -errno. */
	int (*prepare)(struct vman_drm_scanout *scanout, unsigned width, unsigned height);
	/* Draws the frame (XRGB8888, stride width * 4) at the placement,
	 * black around it, into a buffer not on screen, and gives its
	 * framebuffer to commit. 0 or -errno. */
	int (*draw)(struct vman_drm_scanout *scanout, const uint32_t *pixels, unsigned width,
		    unsigned height, const struct vman_placement *placement, uint32_t *fb_id);
	/* The drawn buffer is on screen: the buffer it replaced is free. */
	void (*shown)(struct vman_drm_scanout *scanout);
	/* The drawn buffer will not be shown (its commit failed), and buffers
	 * prepared for a new size go. */
	void (*discard)(struct vman_drm_scanout *scanout);
};

/* Implementations embed this first. */
struct vman_drm_scanout {
	const struct vman_drm_scanout_impl *impl;
};

/* Dumb buffers, made at the first prepare. NULL with errno ENOMEM. */
struct vman_drm_scanout *vman_drm_scanout_dumb_create(int fd);

/* A GBM device on the card, an EGL context and a surface of width x height,
 * so that a card Mesa cannot render to or scan out from is found out here.
 * NULL with errno (ENODEV) when any of it does not start; nothing is
 * printed. */
struct vman_drm_scanout *vman_drm_scanout_gbm_create(int fd, unsigned width, unsigned height);

#endif
