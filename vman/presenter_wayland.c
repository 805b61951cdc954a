/* presenter_wayland.c: vman as a Wayland client: the foreground guest's screen and each of its windows as xdg_toplevels, the screen alone when fullscreen, Alt+Home between the two. */
#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hotkey.h"
#include "presenter_wayland.h"
#include "surface.h"
#include "vman.h"
#include "wayland_window.h"

struct wayland_presenter {
	struct vman_presenter base;
	struct vman *vman;
	struct vman_wayland_globals globals;
	struct wl_registry *registry;
	struct wl_seat *seat;         /* NULL: no hotkey */
	struct wl_keyboard *keyboard; /* NULL while the seat has none */
	struct vman_hotkey hotkey;
	bool fullscreen;
	bool redraw;     /* every toplevel's picture is stale: it changed state or client */
	uint32_t client; /* whose surfaces the toplevels show; 0 before the first frame */
	struct vman_wayland_window *windows[VVMI_SURFACES_MAX]; /* by guest surface id; 0: the screen */
};

static const struct vman_presenter_impl wayland_impl;

static struct wayland_presenter *wayland_from_presenter(struct vman_presenter *base)
{
	assert(base->impl == &wayland_impl);
	return (struct wayland_presenter *)base;
}

/* -errno for a display that failed (a protocol error, the compositor gone). */
static int display_error(struct wl_display *display)
{
	int error = wl_display_get_error(display);

	return -(error ? error : EPIPE);
}

/* What does not fit in the socket now goes with the next flush. */
static int display_flush(struct wl_display *display)
{
	if (wl_display_flush(display) < 0 && errno != EAGAIN)
		return display_error(display);
	return 0;
}

static void windows_destroy(struct wayland_presenter *wayland, uint16_t first)
{
	for (unsigned id = first; id < VVMI_SURFACES_MAX; id++) {
		vman_wayland_window_destroy(wayland->windows[id]);
		wayland->windows[id] = NULL;
	}
}

/* xdg_toplevel.close: the guest hears of it and decides. */
static void window_closed(void *opaque, struct vman_wayland_window *window)
{
	struct wayland_presenter *wayland = opaque;

	for (unsigned id = 0; id < VVMI_SURFACES_MAX; id++) {
		struct vvmi_event_surface closed = {.surface = (uint16_t)id};

		if (wayland->windows[id] != window)
			continue;
		vman_host_event(wayland->vman, wayland->client, VVMI_EVENT_CLOSED, &closed,
				sizeof(closed));
		return;
	}
}

/* Guest titles are Latin-1 (vvmi/protocol.h); Wayland's are UTF-8. */
static void title_to_utf8(const char *latin1, char utf8[2 * VMAN_WINDOW_TITLE_MAX + 1])
{
	size_t out = 0;

	for (size_t i = 0; latin1[i] && i < VMAN_WINDOW_TITLE_MAX; i++) {
		uint8_t c = (uint8_t)latin1[i];

		if (c < 0x80) {
			utf8[out++] = (char)c;
			continue;
		}
		utf8[out++] = (char)(0xC0 | c >> 6);
		utf8[out++] = (char)(0x80 | (c & 0x3F));
	}
	utf8[out] = '\0';
}

static struct vman_wayland_window *window_get(struct wayland_presenter *wayland, uint16_t id,
					      bool *fresh)
{
	struct vman_wayland_window **slot = &wayland->windows[id];

	*fresh = !*slot;
	if (!*slot)
		*slot = vman_wayland_window_create(&wayland->globals, id == 0 && wayland->fullscreen,
						   window_closed, wayland);
	return *slot;
}

/* Windowed, the screen surface; fullscreen, the whole composed frame. */
static int present_screen(struct wayland_presenter *wayland, const struct vman_frame_view *frame)
{
	const struct vman_surface *screen = frame->scene->layers[0].surface;
	struct vman_wayland_window *window;
	pixman_image_t *composed;
	bool fresh;
	int rc;

	window = window_get(wayland, VVMI_SURFACE_SCREEN, &fresh);
	if (!window)
		return -errno;
	vman_wayland_window_set_title(window, frame->name);
	if (!wayland->fullscreen) {
		if (!fresh && !wayland->redraw && !pixman_region32_not_empty(&screen->damage))
			return 0;
		return vman_wayland_window_show(window, screen->image, screen->width,
						screen->height);
	}
	/* Only read: pixman takes no const pixels. */
	composed = pixman_image_create_bits(PIXMAN_x8r8g8b8, (int)frame->width, (int)frame->height,
					    (uint32_t *)frame->pixels, (int)frame->width * 4);
	if (!composed)
		return -ENOMEM;
	rc = vman_wayland_window_show(window, composed, frame->width, frame->height);
	pixman_image_unref(composed);
	return rc;
}

static int present_window(struct wayland_presenter *wayland, const struct vman_surface *surface)
{
	char title[2 * VMAN_WINDOW_TITLE_MAX + 1];
	struct vman_wayland_window *window;
	bool fresh;

	window = window_get(wayland, surface->id, &fresh);
	if (!window)
		return -errno;
	title_to_utf8(surface->title, title);
	vman_wayland_window_set_title(window, title);
	if (!fresh && !wayland->redraw && !pixman_region32_not_empty(&surface->damage))
		return 0;
	return vman_wayland_window_show(window, surface->image, surface->width, surface->height);
}

/* Windowed, a toplevel for each visible guest window; the others go. */
static int present_windows(struct wayland_presenter *wayland, const struct vman_scene *scene)
{
	bool shown[VVMI_SURFACES_MAX] = {false};

	for (unsigned i = 1; i < scene->layer_count && !wayland->fullscreen; i++) {
		const struct vman_surface *surface = scene->layers[i].surface;
		int rc;

		if (surface->role != VMAN_SURFACE_WINDOW)
			continue;
		shown[surface->id] = true;
		rc = present_window(wayland, surface);
		if (rc < 0)
			return rc;
	}
	for (unsigned id = 1; id < VVMI_SURFACES_MAX; id++) {
		if (!shown[id] && wayland->windows[id]) {
			vman_wayland_window_destroy(wayland->windows[id]);
			wayland->windows[id] = NULL;
		}
	}
	return 0;
}

static int wayland_present(struct vman_presenter *base, const struct vman_frame_view *frame)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);
	int rc;

	if (wl_display_get_error(wayland->globals.display))
		return display_error(wayland->globals.display);
	/* Another guest in the foreground: its ids name other windows. */
	if (frame->client != wayland->client) {
		windows_destroy(wayland, 1);
		wayland->client = frame->client;
		wayland->redraw = true;
	}
	rc = present_screen(wayland, frame);
	if (rc == 0)
		rc = present_windows(wayland, frame->scene);
	if (rc == 0)
		wayland->redraw = false;
	if (rc < 0) {
		display_flush(wayland->globals.display);
		return rc;
	}
	return display_flush(wayland->globals.display);
}

static void wayland_set_fullscreen(struct vman_presenter *base, bool fullscreen)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);

	if (wayland->fullscreen == fullscreen)
		return;
	wayland->fullscreen = fullscreen;
	wayland->redraw = true;
	if (fullscreen)
		windows_destroy(wayland, 1);
	if (wayland->windows[VVMI_SURFACE_SCREEN])
		vman_wayland_window_set_fullscreen(wayland->windows[VVMI_SURFACE_SCREEN], fullscreen);
	display_flush(wayland->globals.display);
}

static int wayland_get_fd(struct vman_presenter *base)
{
	return wl_display_get_fd(wayland_from_presenter(base)->globals.display);
}

/* Reads what arrived without waiting (the caller polled, or not) and
 * handles it. */
static int wayland_dispatch(struct vman_presenter *base)
{
	struct wl_display *display = wayland_from_presenter(base)->globals.display;
	struct pollfd ready = {.fd = wl_display_get_fd(display), .events = POLLIN};

	while (wl_display_prepare_read(display) != 0) {
		if (wl_display_dispatch_pending(display) < 0)
			return display_error(display);
	}
	if (poll(&ready, 1, 0) > 0) {
		if (wl_display_read_events(display) < 0)
			return display_error(display);
	} else {
		wl_display_cancel_read(display);
	}
	if (wl_display_dispatch_pending(display) < 0)
		return display_error(display);
	return display_flush(display);
}

static void keyboard_keymap(void *data, struct wl_keyboard *keyboard, uint32_t format, int32_t fd,
			    uint32_t size)
{
	close(fd);
}

/* Keys already held count for the Alts, never as a Home press. */
static void keyboard_enter(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			   struct wl_surface *surface, struct wl_array *keys)
{
	struct wayland_presenter *wayland = data;
	const uint32_t *key;

	vman_hotkey_reset(&wayland->hotkey);
	wl_array_for_each(key, keys)
		vman_hotkey_key(&wayland->hotkey, *key, true);
}

static void keyboard_leave(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			   struct wl_surface *surface)
{
	struct wayland_presenter *wayland = data;

	vman_hotkey_reset(&wayland->hotkey);
}

static void keyboard_key(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			 uint32_t time, uint32_t key, uint32_t state)
{
	struct wayland_presenter *wayland = data;

	if (vman_hotkey_key(&wayland->hotkey, key, state == WL_KEYBOARD_KEY_STATE_PRESSED))
		vman_set_fullscreen(wayland->vman, !vman_fullscreen(wayland->vman));
}

static void keyboard_modifiers(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			       uint32_t depressed, uint32_t latched, uint32_t locked,
			       uint32_t group)
{
}

static void keyboard_repeat_info(void *data, struct wl_keyboard *keyboard, int32_t rate,
				 int32_t delay)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = keyboard_keymap,
	.enter = keyboard_enter,
	.leave = keyboard_leave,
	.key = keyboard_key,
	.modifiers = keyboard_modifiers,
	.repeat_info = keyboard_repeat_info,
};

static void keyboard_drop(struct wayland_presenter *wayland)
{
	if (!wayland->keyboard)
		return;
	if (wl_keyboard_get_version(wayland->keyboard) >= WL_KEYBOARD_RELEASE_SINCE_VERSION)
		wl_keyboard_release(wayland->keyboard);
	else
		wl_keyboard_destroy(wayland->keyboard);
	wayland->keyboard = NULL;
	vman_hotkey_reset(&wayland->hotkey);
}

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t capabilities)
{
	struct wayland_presenter *wayland = data;

	if (!(capabilities & WL_SEAT_CAPABILITY_KEYBOARD)) {
		keyboard_drop(wayland);
		return;
	}
	if (wayland->keyboard)
		return;
	wayland->keyboard = wl_seat_get_keyboard(seat);
	if (wayland->keyboard)
		wl_keyboard_add_listener(wayland->keyboard, &keyboard_listener, wayland);
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

/* Versions: the lowest that has what is used (wl_compositor 4 for
 * damage_buffer; wl_seat up to 5, for release). wl_subcompositor and
 * wp_viewporter place and scale the fullscreen picture. */
static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct wayland_presenter *wayland = data;
	struct vman_wayland_globals *globals = &wayland->globals;

	if (strcmp(interface, wl_compositor_interface.name) == 0 && version >= 4 &&
	    !globals->compositor) {
		globals->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	} else if (strcmp(interface, wl_subcompositor_interface.name) == 0 &&
		   !globals->subcompositor) {
		globals->subcompositor =
			wl_registry_bind(registry, name, &wl_subcompositor_interface, 1);
	} else if (strcmp(interface, wp_viewporter_interface.name) == 0 && !globals->viewporter) {
		globals->viewporter = wl_registry_bind(registry, name, &wp_viewporter_interface, 1);
	} else if (strcmp(interface, wl_shm_interface.name) == 0 && !globals->shm) {
		globals->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (strcmp(interface, xdg_wm_base_interface.name) == 0 && !globals->wm_base) {
		globals->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
		if (globals->wm_base)
			xdg_wm_base_add_listener(globals->wm_base, &wm_base_listener, wayland);
	} else if (strcmp(interface, wl_seat_interface.name) == 0 && !wayland->seat) {
		wayland->seat = wl_registry_bind(registry, name, &wl_seat_interface,
						 version < 5 ? version : 5);
		if (wayland->seat)
			wl_seat_add_listener(wayland->seat, &seat_listener, wayland);
	}
}

/* A seat or output going away is not followed: the hotkey just stops. */
static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void wayland_destroy(struct vman_presenter *base)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);
	struct vman_wayland_globals *globals = &wayland->globals;

	windows_destroy(wayland, 0);
	keyboard_drop(wayland);
	if (wayland->seat) {
		if (wl_seat_get_version(wayland->seat) >= WL_SEAT_RELEASE_SINCE_VERSION)
			wl_seat_release(wayland->seat);
		else
			wl_seat_destroy(wayland->seat);
	}
	if (globals->wm_base)
		xdg_wm_base_destroy(globals->wm_base);
	if (globals->shm)
		wl_shm_destroy(globals->shm);
	if (globals->viewporter)
		wp_viewporter_destroy(globals->viewporter);
	if (globals->subcompositor)
		wl_subcompositor_destroy(globals->subcompositor);
	if (globals->compositor)
		wl_compositor_destroy(globals->compositor);
	if (wayland->registry)
		wl_registry_destroy(wayland->registry);
	if (globals->display)
		wl_display_disconnect(globals->display);
	free(wayland);
}

static const struct vman_presenter_impl wayland_impl = {
	.destroy = wayland_destroy,
	.present = wayland_present,
	.set_fullscreen = wayland_set_fullscreen,
	.get_fd = wayland_get_fd,
	.dispatch = wayland_dispatch,
};

/* The globals, in one round trip: the only wait there is. */
static int wayland_connect(struct wayland_presenter *wayland)
{
	struct vman_wayland_globals *globals = &wayland->globals;
	const char *name = getenv("WAYLAND_DISPLAY");
	const char *missing;

	globals->display = wl_display_connect(NULL);
	if (!globals->display) {
		fprintf(stderr, "vman: no Wayland compositor at %s: %s\n",
			name ? name : "wayland-0", strerror(errno));
		return -ENODEV;
	}
	wayland->registry = wl_display_get_registry(globals->display);
	if (!wayland->registry)
		return -ENOMEM;
	wl_registry_add_listener(wayland->registry, &registry_listener, wayland);
	if (wl_display_roundtrip(globals->display) < 0)
		return -ENODEV;
	missing = !globals->compositor      ? "wl_compositor 4"
		  : !globals->subcompositor ? "wl_subcompositor"
		  : !globals->viewporter    ? "wp_viewporter"
		  : !globals->shm           ? "wl_shm"
		  : !globals->wm_base       ? "xdg_wm_base"
					    : NULL;
	if (missing) {
		fprintf(stderr, "vman: the Wayland compositor at %s lacks %s\n",
			name ? name : "wayland-0", missing);
		return -ENODEV;
	}
	return 0;
}

struct vman_presenter *vman_presenter_wayland_create(struct vman *vman, bool fullscreen)
{
	struct wayland_presenter *wayland = calloc(1, sizeof(*wayland));
	int rc;

	if (!wayland)
		return NULL;
	wayland->base.impl = &wayland_impl;
	wayland->vman = vman;
	wayland->fullscreen = fullscreen;
	rc = wayland_connect(wayland);
	if (rc < 0) {
		wayland_destroy(&wayland->base);
		errno = -rc;
		return NULL;
	}
	return &wayland->base;
}

bool vman_presenter_wayland_idle(struct vman_presenter *presenter)
{
	struct wayland_presenter *wayland = wayland_from_presenter(presenter);

	for (unsigned id = 0; id < VVMI_SURFACES_MAX; id++) {
		if (wayland->windows[id] && !vman_wayland_window_idle(wayland->windows[id]))
			return false;
	}
	return true;
}

struct xdg_toplevel *vman_presenter_wayland_toplevel(struct vman_presenter *presenter,
						     uint16_t surface)
{
	struct wayland_presenter *wayland = wayland_from_presenter(presenter);

	if (surface >= VVMI_SURFACES_MAX || !wayland->windows[surface])
		return NULL;
	return vman_wayland_window_toplevel(wayland->windows[surface]);
}
