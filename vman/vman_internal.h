/* vman_internal.h: struct vman and struct vman_client, shared by libvman's files. Private to vman/. */
#ifndef MVM_VMAN_VMAN_INTERNAL_H
#define MVM_VMAN_VMAN_INTERNAL_H

#include "pointer.h"
#include "presenter.h"
#include "presenter_headless.h"
#include "renderer.h"
#include "scene.h"
#include "surface.h"
#include "vman.h"

/* PRESENTs a client may have waiting for the next frame. The event ring
 * holds fewer PRESENTED events than this, so a guest asking for more gains
 * nothing. */
#define VMAN_PRESENTS_MAX 256u

struct vman_client {
	struct vman *vman;
	struct vman_client *next; /* in creation order */
	uint32_t serial;          /* unique in its vman: how presenters name it */
	char *name;
	vman_event_fn *event;     /* may be NULL */
	void *opaque;
	struct vman_surfaces surfaces;
	struct vman_pointer pointer;
	bool driver_owns_screen;         /* the guest's driver set a mode (vman_screen_update) */
	unsigned vga_width, vga_height; /* the VGA's last frame size */
	unsigned present_count;
	uint32_t presents[VMAN_PRESENTS_MAX]; /* sequences, oldest first */
};

struct vman {
	struct vman_renderer *renderer;
	struct vman_client *clients; /* oldest first; the first is in the foreground */
	struct vman_headless output; /* the last frame, whatever the presenter */
	struct vman_presenter *presenter; /* NULL: headless only */
	bool fullscreen;
	uint32_t client_serial;      /* the last one given */
	struct vman_scene scene;     /* rebuilt by every frame */
};

#endif
