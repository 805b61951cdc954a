/* native_window.c: bench/seamless's peer: a plain Wayland client that shows a colour in an xdg_toplevel and times it with wp_presentation. */
#include "native_window.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wayland-client.h>

#include "presentation-time-client-protocol.h"
#include "wayland_buffer.h" /* libvman's: the same shm buffers as the presenter's */
#include "xdg-shell-client-protocol.h"

#define BUFFERS 2

struct native_window {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation;
	clockid_t clock;
	bool clock_known;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	bool configured;
	unsigned width, height;
	struct vman_wayland_buffer *buffers[BUFFERS];
	struct wp_presentation_feedback *feedback; /* the last commit's, until answered */
	struct native_presented presented;
};

static void presentation_clock_id(void *data, struct wp_presentation *presentation, uint32_t id)
{
	struct native_window *window = data;

	window->clock = (clockid_t)id;
	window->clock_known = true;
}

static const struct wp_presentation_listener presentation_listener = {
	.clock_id = presentation_clock_id,
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct native_window *window = data;

	if (strcmp(interface, wl_compositor_interface.name) == 0 && version >= 4) {
		window->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	} else if (strcmp(interface, wl_shm_interface.name) == 0) {
		window->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (strcmp(interface, xdg_wm_base_interface.name) == 0) {
		window->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(window->wm_base, &wm_base_listener, window);
	} else if (strcmp(interface, wp_presentation_interface.name) == 0) {
		window->presentation = wl_registry_bind(registry, name,
							&wp_presentation_interface, 1);
		wp_presentation_add_listener(window->presentation, &presentation_listener, window);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct native_window *window = data;

	xdg_surface_ack_configure(xdg_surface, serial);
	window->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

/* The window keeps its own size: the compositor's suggestions are ignored,
 * as vman's presenter ignores them, and closing is not offered. */
static void toplevel_configure(void *data, struct xdg_toplevel *toplevel, int32_t width,
			       int32_t height, struct wl_array *states)
{
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void feedback_finish(struct native_window *window, uint64_t ns, uint32_t refresh_ns)
{
	wp_presentation_feedback_destroy(window->feedback);
	window->feedback = NULL;
	window->presented = (struct native_presented){ .done = true, .ns = ns,
						       .refresh_ns = refresh_ns };
}

static void feedback_sync_output(void *data, struct wp_presentation_feedback *feedback,
				 struct wl_output *output)
{
}

static void feedback_presented(void *data, struct wp_presentation_feedback *feedback,
			       uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec,
			       uint32_t refresh, uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	uint64_t seconds = (uint64_t)tv_sec_hi << 32 | tv_sec_lo;

	feedback_finish(data, seconds * 1000000000u + tv_nsec, refresh);
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *feedback)
{
	feedback_finish(data, 0, 0);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = feedback_sync_output,
	.presented = feedback_presented,
	.discarded = feedback_discarded,
};

/* Reads and handles what arrives within timeout_ms (one poll). */
static int dispatch(struct native_window *window, int timeout_ms)
{
	struct pollfd ready = { .fd = wl_display_get_fd(window->display), .events = POLLIN };

	while (wl_display_prepare_read(window->display) != 0)
		if (wl_display_dispatch_pending(window->display) < 0)
			return -errno;
	if (wl_display_flush(window->display) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(window->display);
		return -errno;
	}
	if (poll(&ready, 1, timeout_ms) > 0) {
		if (wl_display_read_events(window->display) < 0)
			return -errno;
	} else {
		wl_display_cancel_read(window->display);
	}
	return wl_display_dispatch_pending(window->display) < 0 ? -errno : 0;
}

static int globals_bind(struct native_window *window)
{
	window->registry = wl_display_get_registry(window->display);
	wl_registry_add_listener(window->registry, &registry_listener, window);
	/* The globals, then the presentation clock bound with them. */
	if (wl_display_roundtrip(window->display) < 0 || wl_display_roundtrip(window->display) < 0)
		return -errno;
	if (!window->compositor || !window->shm || !window->wm_base || !window->presentation ||
	    !window->clock_known) {
		fprintf(stderr, "native_window: the compositor lacks wl_compositor 4, wl_shm, "
				"xdg_wm_base or wp_presentation\n");
		return -ENODEV;
	}
	return 0;
}

static int window_map(struct native_window *window)
{
	int rc;

	window->surface = wl_compositor_create_surface(window->compositor);
	window->xdg_surface = xdg_wm_base_get_xdg_surface(window->wm_base, window->surface);
	xdg_surface_add_listener(window->xdg_surface, &xdg_surface_listener, window);
	window->toplevel = xdg_surface_get_toplevel(window->xdg_surface);
	xdg_toplevel_add_listener(window->toplevel, &toplevel_listener, window);
	xdg_toplevel_set_title(window->toplevel, "bench_seamless native");
	wl_surface_commit(window->surface);
	for (int i = 0; i < 200 && !window->configured; i++) {
		rc = dispatch(window, 25);
		if (rc < 0)
			return rc;
	}
	if (!window->configured) {
		fprintf(stderr, "native_window: the compositor never configured the window\n");
		return -ETIMEDOUT;
	}
	for (unsigned i = 0; i < BUFFERS; i++) {
		window->buffers[i] = vman_wayland_buffer_create(window->shm, window->width,
								window->height, NULL, NULL);
		if (!window->buffers[i])
			return -errno;
	}
	return 0;
}

struct native_window *native_window_create(unsigned width, unsigned height)
{
	struct native_window *window = calloc(1, sizeof(*window));
	struct native_presented first;
	int rc = -ENOMEM;

	if (!window)
		goto fail;
	window->width = width;
	window->height = height;
	window->display = wl_display_connect(NULL);
	if (!window->display) {
		rc = -errno;
		goto fail;
	}
	rc = globals_bind(window);
	if (rc == 0)
		rc = window_map(window);
	if (rc == 0)
		rc = native_window_show(window, 0);
	if (rc == 0)
		rc = native_window_wait(window, 5000, &first);
	if (rc == 0)
		return window;
fail:
	fprintf(stderr, "native_window: cannot show a window: %s\n", strerror(-rc));
	native_window_destroy(window);
	return NULL;
}

void native_window_destroy(struct native_window *window)
{
	if (!window)
		return;
	if (window->feedback)
		wp_presentation_feedback_destroy(window->feedback);
	for (unsigned i = 0; i < BUFFERS; i++)
		vman_wayland_buffer_destroy(window->buffers[i]);
	if (window->toplevel)
		xdg_toplevel_destroy(window->toplevel);
	if (window->xdg_surface)
		xdg_surface_destroy(window->xdg_surface);
	if (window->surface)
		wl_surface_destroy(window->surface);
	if (window->presentation)
		wp_presentation_destroy(window->presentation);
	if (window->wm_base)
		xdg_wm_base_destroy(window->wm_base);
	if (window->shm)
		wl_shm_destroy(window->shm);
	if (window->compositor)
		wl_compositor_destroy(window->compositor);
	if (window->registry)
		wl_registry_destroy(window->registry);
	if (window->display)
		wl_display_disconnect(window->display);
	free(window);
}

clockid_t native_window_clock(const struct native_window *window)
{
	return window->clock;
}

int native_window_show(struct native_window *window, uint32_t colour)
{
	struct vman_wayland_buffer *buffer = NULL;
	size_t count = (size_t)window->width * window->height;

	for (unsigned i = 0; i < BUFFERS && !buffer; i++)
		if (!window->buffers[i]->busy)
			buffer = window->buffers[i];
	if (!buffer)
		return -EBUSY;
	for (size_t i = 0; i < count; i++)
		buffer->pixels[i] = colour;
	wl_surface_attach(window->surface, buffer->buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, (int32_t)window->width,
				 (int32_t)window->height);
	if (window->feedback)
		wp_presentation_feedback_destroy(window->feedback);
	window->feedback = wp_presentation_feedback(window->presentation, window->surface);
	wp_presentation_feedback_add_listener(window->feedback, &feedback_listener, window);
	window->presented = (struct native_presented){ 0 };
	wl_surface_commit(window->surface);
	buffer->busy = true;
	if (wl_display_flush(window->display) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

int native_window_wait(struct native_window *window, int timeout_ms,
		       struct native_presented *presented)
{
	struct timespec start, now;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!window->presented.done) {
		long waited;

		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		rc = dispatch(window, (int)(timeout_ms - waited));
		if (rc < 0)
			return rc;
	}
	*presented = window->presented;
	return 0;
}
