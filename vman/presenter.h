/* presenter.h: the presenter interface: where composed frames go (headless memory, DRM/KMS, a Wayland window). Private to vman/. */
#ifndef MVM_VMAN_PRESENTER_H
#define MVM_VMAN_PRESENTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scene.h"

/* What every presenter gets: the foreground client's frame, composed by the
 * renderer with the pointer drawn over it (XRGB8888, rows top to bottom,
 * stride width * 4; X undefined), and the scene it was composed from, for
 * presenters that show the client's windows one by one. Both are valid
 * during present() only. */
struct vman_frame_view {
	const uint32_t *pixels;
	unsigned width, height; /* the guest's screen size */
	const struct vman_scene *scene;
	const char *name; /* the client's, for a window's title */
	uint32_t client;  /* the client's serial, for vman_host_event */
};

struct vman_presenter;

struct vman_presenter_impl {
	void (*destroy)(struct vman_presenter *presenter);
	/* Shows the frame (scaled and letterboxed as the presenter's output
	 * needs). A presenter that cannot show it now (a flip is pending, the
	 * VT is switched away) keeps it and shows the latest one when it can.
	 * 0 or -errno. */
	int (*present)(struct vman_presenter *presenter, const struct vman_frame_view *frame);
	/* Windowed or fullscreen (--fullscreen, the Alt+Home hotkey); may be
	 * NULL when the presenter has only one way. */
	void (*set_fullscreen)(struct vman_presenter *presenter, bool fullscreen);
	/* A descriptor to poll for input before calling dispatch (display
	 * events, flip completions), or -1; both may be NULL. */
	int (*get_fd)(struct vman_presenter *presenter);
	int (*dispatch)(struct vman_presenter *presenter);
	/* vman_set_active; may be NULL (a presenter without a console). */
	int (*set_active)(struct vman_presenter *presenter, bool active);
};

/* Implementations embed this first. */
struct vman_presenter {
	const struct vman_presenter_impl *impl;
};

struct vman;

/* A presenter's way back to a guest: what the host's user did to a window
 * it shows (VVMI_EVENT_CLOSED, VVMI_EVENT_RESIZED; body and len as for
 * vman_event_fn) goes to the client whose frame it showed (frame->client).
 * Dropped when that client is gone: a presenter may hold a window past its
 * client's end. Not from inside present(). */
void vman_host_event(struct vman *vman, uint32_t client, enum vvmi_event_type type,
		     const void *body, size_t len);

#endif
