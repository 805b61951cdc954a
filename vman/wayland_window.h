/* wayland_window.h: one xdg_toplevel showing one picture: its shm buffers, the latest picture waiting for one, fullscreen placement and letterbox. Private to vman/. */
#ifndef MVM_VMAN_WAYLAND_WINDOW_H
#define MVM_VMAN_WAYLAND_WINDOW_H

#include <stdbool.h>

#include <pixman.h>
#include <wayland-client.h>

#include "viewporter-client-protocol.h"
#include "xdg-shell-client-protocol.h"

/* What a window needs of the connection; the presenter owns them. */
struct vman_wayland_globals {
	struct wl_display *display;
	struct wl_compositor *compositor;
	struct wl_subcompositor *subcompositor;
	struct wp_viewporter *viewporter;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
};

struct vman_wayland_window;

/* The host's user asked to close the window (xdg_toplevel.close); the
 * window stays until its owner destroys it. */
typedef void vman_wayland_window_close_fn(void *opaque, struct vman_wayland_window *window);

/* A toplevel with nothing shown yet; it is mapped by the first picture
 * after the compositor's first configure. NULL with errno set. */
struct vman_wayland_window *vman_wayland_window_create(const struct vman_wayland_globals *globals,
							bool fullscreen,
							vman_wayland_window_close_fn *close,
							void *opaque);
void vman_wayland_window_destroy(struct vman_wayland_window *window); /* NULL does nothing */

/* UTF-8; sent only when it changes. */
void vman_wayland_window_set_title(struct vman_wayland_window *window, const char *title);

/* Fullscreen, the picture goes where vman_place puts it on the size the
 * compositor configures (the largest integer scale that fits, else scaled
 * down with its aspect kept), black around it. */
void vman_wayland_window_set_fullscreen(struct vman_wayland_window *window, bool fullscreen);

/* The next picture: the width x height at picture's (0,0), any pixman
 * format. It is copied, and shown now if a buffer is free, else when the
 * compositor releases one (a later picture replaces it): never waits. 0 or
 * -errno. */
int vman_wayland_window_show(struct vman_wayland_window *window, pixman_image_t *picture,
			     unsigned width, unsigned height);

/* The latest picture is committed, in the state (windowed or fullscreen)
 * last asked for and configured by the compositor. For tests. */
bool vman_wayland_window_idle(const struct vman_wayland_window *window);

struct xdg_toplevel *vman_wayland_window_toplevel(const struct vman_wayland_window *window);

#endif
