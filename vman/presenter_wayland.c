/* presenter_wayland.c: vman as a Wayland client: the foreground guest's windows as guest windows at the guest's positions where the compositor has the mvm-seamless module, else as xdg_toplevels; the screen alone when fullscreen; input back to the guest; a compositor that restarts is found again. */
#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "evdev_set1.h"
#include "hotkey.h"
#include "presenter_wayland.h"
#include "surface.h"
#include "vman.h"
#include "wayland_input.h"
#include "wayland_window.h"

/* How often a lost compositor is looked for again. */
#define RECONNECT_INTERVAL_NS 250000000L

/* A guest window as the last frame had it, for finding what the pointer is
 * over on the fullscreen picture. */
struct shown_window {
	uint16_t id;
	int32_t x, y;
	unsigned width, height;
};

struct wayland_presenter {
	struct vman_presenter base;
	struct vman *vman;
	struct vman_wayland_globals globals;
	struct wl_registry *registry;
	struct vman_wayland_input *input; /* NULL: the compositor has no seat */
	struct vman_hotkey hotkey;
	bool fullscreen;
	bool redraw;     /* every window's picture is stale: it changed state or client */
	uint32_t client; /* whose surfaces the windows show; 0 before the first frame */
	struct vman_wayland_window *windows[VVMI_SURFACES_MAX]; /* by guest surface id; 0: the screen */
	/* The last frame: the screen's size and the guest windows, bottom to top. */
	unsigned screen_width, screen_height;
	struct shown_window shown[VVMI_SURFACES_MAX];
	unsigned shown_count;
	/* The compositor went away: a timer to look for it again, else -1. */
	int reconnect_fd;
	struct wp_presentation *presentation; /* NULL: the compositor has none */
	vman_wayland_presented_fn *presented; /* bench/seamless's */
	void *presented_opaque;
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

static void window_destroy(struct wayland_presenter *wayland, uint16_t id)
{
	struct wl_surface *root, *picture;

	if (!wayland->windows[id])
		return;
	vman_wayland_window_surfaces(wayland->windows[id], &root, &picture);
	vman_wayland_input_forget(wayland->input, root);
	vman_wayland_input_forget(wayland->input, picture);
	vman_wayland_window_destroy(wayland->windows[id]);
	wayland->windows[id] = NULL;
}

static void windows_destroy(struct wayland_presenter *wayland, uint16_t first)
{
	for (unsigned id = first; id < VVMI_SURFACES_MAX; id++)
		window_destroy(wayland, (uint16_t)id);
}

/* The guest surface a window shows; -1 when it is none of ours. */
static int window_id(const struct wayland_presenter *wayland,
		     const struct vman_wayland_window *window)
{
	for (unsigned id = 0; window && id < VVMI_SURFACES_MAX; id++) {
		if (wayland->windows[id] == window)
			return (int)id;
	}
	return -1;
}

static int surface_window_id(const struct wayland_presenter *wayland, struct wl_surface *surface)
{
	return surface ? window_id(wayland, wl_surface_get_user_data(surface)) : -1;
}

static void guest_event(struct wayland_presenter *wayland, unsigned type, const void *body,
			size_t len)
{
	vman_host_event(wayland->vman, wayland->client, (enum vvmi_event_type)type, body, len);
}

/* The host's close: the guest hears of it and decides. */
static void window_closed(void *opaque, struct vman_wayland_window *window)
{
	struct wayland_presenter *wayland = opaque;
	int id = window_id(wayland, window);
	struct vvmi_event_surface closed = {.surface = (uint16_t)id};

	if (id >= 0)
		guest_event(wayland, VVMI_EVENT_CLOSED, &closed, sizeof(closed));
}

/* The user moved a guest window: the guest learns its new place (desktop
 * and guest coordinates are the same) and moves it itself, or not. */
static void window_moved(void *opaque, struct vman_wayland_window *window, int32_t x, int32_t y)
{
	struct wayland_presenter *wayland = opaque;
	int id = window_id(wayland, window);
	struct vvmi_event_geometry moved = {.surface = (uint16_t)id};

	if (id <= 0)
		return;
	for (unsigned i = 0; i < wayland->shown_count; i++) {
		if (wayland->shown[i].id != id)
			continue;
		moved.rect = (struct vvmi_rect){(int16_t)x, (int16_t)y,
						(uint16_t)wayland->shown[i].width,
						(uint16_t)wayland->shown[i].height};
		guest_event(wayland, VVMI_EVENT_MOVED, &moved, sizeof(moved));
	}
}

static void window_presented(void *opaque, struct vman_wayland_window *window,
			     uint64_t committed_ns, uint64_t presented_ns)
{
	struct wayland_presenter *wayland = opaque;
	int id = window_id(wayland, window);

	if (id >= 0 && wayland->presented)
		wayland->presented(wayland->presented_opaque, (uint16_t)id, committed_ns,
				   presented_ns);
}

static const struct vman_wayland_window_listener window_listener = {
	.close = window_closed,
	.moved = window_moved,
	.presented = window_presented,
};

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

/* A window's picture must be drawn again: the window is new, everything
 * is stale, or the guest drew on the surface. */
static bool picture_stale(const struct wayland_presenter *wayland, bool fresh,
			  const struct vman_surface *surface)
{
	return fresh || wayland->redraw || pixman_region32_not_empty(&surface->damage);
}

/* The window for a guest surface, made as a guest window (guest set) or a
 * toplevel; one of the other kind is replaced. */
static struct vman_wayland_window *window_get(struct wayland_presenter *wayland, uint16_t id,
					      const char *guest, bool fullscreen, bool *fresh)
{
	struct vman_wayland_window **slot = &wayland->windows[id];

	if (*slot && (vman_wayland_window_toplevel(*slot) == NULL) != (guest != NULL))
		window_destroy(wayland, id);
	*fresh = !*slot;
	if (!*slot)
		*slot = vman_wayland_window_create(&wayland->globals, guest, fullscreen,
						   &window_listener, wayland);
	return *slot;
}

/* Fullscreen, the whole composed frame: on the module's fullscreen layer
 * where there is one. Windowed, the screen surface as a toplevel, unless
 * the guest's windows stand on the desktop by themselves (seamless). */
static int present_screen(struct wayland_presenter *wayland, const struct vman_frame_view *frame)
{
	const struct vman_surface *screen = frame->scene->layers[0].surface;
	bool seamless = wayland->globals.seamless != NULL;
	struct vman_wayland_window *window;
	pixman_image_t *composed;
	bool fresh;
	int rc;

	if (!wayland->fullscreen && seamless && wayland->shown_count > 0) {
		window_destroy(wayland, VVMI_SURFACE_SCREEN);
		return 0;
	}
	window = window_get(wayland, VVMI_SURFACE_SCREEN,
			    seamless && wayland->fullscreen ? frame->name : NULL, wayland->fullscreen,
			    &fresh);
	if (!window)
		return -errno;
	vman_wayland_window_set_title(window, frame->name);
	if (!wayland->fullscreen) {
		if (!picture_stale(wayland, fresh, screen))
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

static int present_window(struct wayland_presenter *wayland, const struct vman_frame_view *frame,
			  const struct vman_surface *surface,
			  const struct vman_wayland_window *below)
{
	char title[2 * VMAN_WINDOW_TITLE_MAX + 1];
	struct vman_wayland_window *window;
	bool fresh;
	int rc;

	window = window_get(wayland, surface->id, wayland->globals.seamless ? frame->name : NULL,
			    false, &fresh);
	if (!window)
		return -errno;
	title_to_utf8(surface->title, title);
	vman_wayland_window_set_title(window, title);
	vman_wayland_window_place(window, surface->x, surface->y, below);
	if (picture_stale(wayland, fresh, surface)) {
		rc = vman_wayland_window_show(window, surface->image, surface->width,
					      surface->height);
		if (rc < 0)
			return rc;
	}
	vman_wayland_window_flush_place(window);
	return 0;
}

/* Notes the guest's windows, bottom to top; windowed, shows each visible
 * one (seamless: at its place, in its order) and drops the others. */
static int present_windows(struct wayland_presenter *wayland, const struct vman_frame_view *frame)
{
	const struct vman_scene *scene = frame->scene;
	bool shown[VVMI_SURFACES_MAX] = {false};
	const struct vman_wayland_window *below = NULL;

	wayland->shown_count = 0;
	for (unsigned i = 1; i < scene->layer_count; i++) {
		const struct vman_surface *surface = scene->layers[i].surface;
		int rc;

		if (surface->role != VMAN_SURFACE_WINDOW)
			continue;
		wayland->shown[wayland->shown_count++] = (struct shown_window){
			surface->id, surface->x, surface->y, surface->width, surface->height};
		if (wayland->fullscreen)
			continue;
		rc = present_window(wayland, frame, surface, below);
		if (rc < 0)
			return rc;
		shown[surface->id] = true;
		below = wayland->windows[surface->id];
	}
	for (unsigned id = 1; id < VVMI_SURFACES_MAX; id++) {
		if (!shown[id])
			window_destroy(wayland, (uint16_t)id);
	}
	return 0;
}

static void wayland_disconnect(struct wayland_presenter *wayland);
static int wayland_connect(struct wayland_presenter *wayland, char *err, size_t err_size);

/* The compositor is gone (it stopped or restarted): everything of the
 * connection goes, and a timer looks for a compositor again; the guest runs
 * on meanwhile. -errno only when not even the timer can be made. */
static int connection_lost(struct wayland_presenter *wayland, int error)
{
	struct itimerspec every = {.it_interval = {0, RECONNECT_INTERVAL_NS},
				   .it_value = {0, RECONNECT_INTERVAL_NS}};

	fprintf(stderr, "vman: lost the Wayland compositor (%s); looking for it again\n",
		strerror(-error));
	wayland_disconnect(wayland);
	wayland->reconnect_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (wayland->reconnect_fd < 0 ||
	    timerfd_settime(wayland->reconnect_fd, 0, &every, NULL) < 0)
		return -errno;
	return 0;
}

/* On the new connection the guest's windows are made again from its
 * current picture. */
static int try_reconnect(struct wayland_presenter *wayland)
{
	uint64_t expirations;
	char err[160];

	if (read(wayland->reconnect_fd, &expirations, sizeof(expirations)) < 0)
		return 0;
	if (wayland_connect(wayland, err, sizeof(err)) < 0) {
		wayland_disconnect(wayland);
		return 0;
	}
	close(wayland->reconnect_fd);
	wayland->reconnect_fd = -1;
	wayland->client = 0;
	fprintf(stderr, "vman: found the Wayland compositor again\n");
	return vman_frame(wayland->vman);
}

static bool connected(const struct wayland_presenter *wayland)
{
	return wayland->globals.display != NULL;
}

static int wayland_present(struct vman_presenter *base, const struct vman_frame_view *frame)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);
	int rc;

	if (!connected(wayland))
		return 0;
	if (wl_display_get_error(wayland->globals.display))
		return connection_lost(wayland, display_error(wayland->globals.display));
	/* Another guest in the foreground: its ids name other windows. */
	if (frame->client != wayland->client) {
		windows_destroy(wayland, 1);
		wayland->client = frame->client;
		wayland->redraw = true;
	}
	wayland->screen_width = frame->scene->layers[0].surface->width;
	wayland->screen_height = frame->scene->layers[0].surface->height;
	rc = present_windows(wayland, frame);
	if (rc == 0)
		rc = present_screen(wayland, frame);
	if (rc == 0)
		wayland->redraw = false;
	if (rc == 0)
		rc = display_flush(wayland->globals.display);
	else
		display_flush(wayland->globals.display);
	if (wl_display_get_error(wayland->globals.display))
		return connection_lost(wayland, display_error(wayland->globals.display));
	return rc;
}

static void wayland_set_fullscreen(struct vman_presenter *base, bool fullscreen)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);

	if (wayland->fullscreen == fullscreen)
		return;
	wayland->fullscreen = fullscreen;
	wayland->redraw = true;
	if (!connected(wayland))
		return;
	if (wayland->windows[VVMI_SURFACE_SCREEN])
		vman_wayland_window_set_fullscreen(wayland->windows[VVMI_SURFACE_SCREEN], fullscreen);
	display_flush(wayland->globals.display);
	/* The guest's windows come back, or go, with its current picture. */
	vman_frame(wayland->vman);
}

static int wayland_get_fd(struct vman_presenter *base)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);

	return connected(wayland) ? wl_display_get_fd(wayland->globals.display)
				  : wayland->reconnect_fd;
}

/* Reads what arrived without waiting (the caller polled, or not) and
 * handles it. */
static int wayland_dispatch(struct vman_presenter *base)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);
	struct wl_display *display = wayland->globals.display;
	struct pollfd ready = {.fd = -1, .events = POLLIN};

	if (!display)
		return try_reconnect(wayland);
	ready.fd = wl_display_get_fd(display);
	while (wl_display_prepare_read(display) != 0) {
		if (wl_display_dispatch_pending(display) < 0)
			return connection_lost(wayland, display_error(display));
	}
	if (poll(&ready, 1, 0) > 0) {
		if (wl_display_read_events(display) < 0)
			return connection_lost(wayland, display_error(display));
	} else {
		wl_display_cancel_read(display);
	}
	/* A handler may have lost the connection (a frame it asked for). */
	if (!connected(wayland))
		return 0;
	if (wl_display_dispatch_pending(display) < 0 || display_flush(display) < 0)
		return connection_lost(wayland, display_error(display));
	return 0;
}

/* A seamless window may lie far outside the guest's screen. */
static int16_t clamp_int16(int value)
{
	return (int16_t)(value < INT16_MIN ? INT16_MIN : value > INT16_MAX ? INT16_MAX : value);
}

/* Where the pointer is in the guest: on which of its surfaces (on the
 * fullscreen picture, the topmost window there, else the screen) and on
 * its screen. */
static void input_pointer(void *opaque, struct wl_surface *surface, double sx, double sy,
			  unsigned buttons)
{
	struct wayland_presenter *wayland = opaque;
	int id = surface_window_id(wayland, surface);
	struct vvmi_event_pointer pointer = {.buttons = (uint16_t)buttons};
	struct vman_event_pointer_screen screen = {.buttons = (uint16_t)buttons,
						   .width = (uint16_t)wayland->screen_width,
						   .height = (uint16_t)wayland->screen_height};
	int x, y, screen_x, screen_y;

	if (id < 0 || !vman_wayland_window_picture_point(wayland->windows[id], surface, sx, sy,
							 &x, &y))
		return;
	screen_x = x;
	screen_y = y;
	pointer.surface = (uint16_t)id;
	for (unsigned i = 0; i < wayland->shown_count; i++) {
		const struct shown_window *w = &wayland->shown[i];

		if (id != VVMI_SURFACE_SCREEN && w->id == id) {
			screen_x = w->x + x;
			screen_y = w->y + y;
		} else if (id == VVMI_SURFACE_SCREEN && wayland->fullscreen && x >= w->x &&
			   y >= w->y && x - w->x < (int)w->width && y - w->y < (int)w->height) {
			/* Later ones are higher: the last that holds the point wins. */
			pointer.surface = w->id;
			x = screen_x - w->x;
			y = screen_y - w->y;
		}
	}
	pointer.x = (int16_t)x;
	pointer.y = (int16_t)y;
	screen.x = clamp_int16(screen_x);
	screen.y = clamp_int16(screen_y);
	guest_event(wayland, VVMI_EVENT_POINTER, &pointer, sizeof(pointer));
	guest_event(wayland, VMAN_EVENT_POINTER_SCREEN, &screen, sizeof(screen));
}

/* Alt+Home is vman's; every other key is the guest's, in set 1. */
static void input_key(void *opaque, uint32_t key, bool pressed)
{
	struct wayland_presenter *wayland = opaque;
	struct vvmi_event_key event = {.scancode = vman_evdev_to_set1(key), .pressed = pressed};

	if (vman_hotkey_key(&wayland->hotkey, key, pressed)) {
		vman_set_fullscreen(wayland->vman, !vman_fullscreen(wayland->vman));
		return;
	}
	if (event.scancode)
		guest_event(wayland, VVMI_EVENT_KEY, &event, sizeof(event));
}

/* Keys already held count for the Alts, never as a Home press. */
static void input_focus(void *opaque, struct wl_surface *surface, bool focused,
			const uint32_t *keys, size_t count)
{
	struct wayland_presenter *wayland = opaque;
	int id = surface_window_id(wayland, surface);
	struct vvmi_event_surface focus = {.surface = (uint16_t)id, .value = focused};

	vman_hotkey_reset(&wayland->hotkey);
	for (size_t i = 0; i < count; i++)
		vman_hotkey_key(&wayland->hotkey, keys[i], true);
	if (id >= 0)
		guest_event(wayland, VVMI_EVENT_FOCUS, &focus, sizeof(focus));
}

static const struct vman_wayland_input_listener input_listener = {
	.pointer = input_pointer,
	.key = input_key,
	.focus = input_focus,
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

/* Versions: the lowest that has what is used (wl_compositor 4 for
 * damage_buffer; wl_seat up to 5, for release and pointer frames).
 * wl_subcompositor and wp_viewporter place and scale the fullscreen
 * picture; mvm_seamless_v1, where the module offers it, places guest
 * windows. */
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
	} else if (strcmp(interface, wp_presentation_interface.name) == 0 &&
		   !wayland->presentation) {
		wayland->presentation =
			wl_registry_bind(registry, name, &wp_presentation_interface, 1);
		if (wayland->presented)
			globals->presentation = wayland->presentation;
	} else if (strcmp(interface, mvm_seamless_v1_interface.name) == 0 && !globals->seamless) {
		globals->seamless = wl_registry_bind(registry, name, &mvm_seamless_v1_interface, 1);
	} else if (strcmp(interface, wl_seat_interface.name) == 0 && !wayland->input) {
		struct wl_seat *seat = wl_registry_bind(registry, name, &wl_seat_interface,
							version < 5 ? version : 5);

		if (seat)
			wayland->input = vman_wayland_input_create(seat, &input_listener, wayland);
		if (seat && !wayland->input)
			wl_seat_destroy(seat);
	}
}

/* A seat or output going away is not followed: input from it just stops. */
static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

/* Everything of the connection; the presenter's own state stays. */
static void wayland_disconnect(struct wayland_presenter *wayland)
{
	struct vman_wayland_globals *globals = &wayland->globals;

	vman_wayland_input_destroy(wayland->input);
	wayland->input = NULL;
	windows_destroy(wayland, 0);
	vman_hotkey_reset(&wayland->hotkey);
	if (globals->seamless)
		mvm_seamless_v1_destroy(globals->seamless);
	if (wayland->presentation)
		wp_presentation_destroy(wayland->presentation);
	wayland->presentation = NULL;
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
	wayland->registry = NULL;
	*globals = (struct vman_wayland_globals){0};
}

static void wayland_destroy(struct vman_presenter *base)
{
	struct wayland_presenter *wayland = wayland_from_presenter(base);

	wayland_disconnect(wayland);
	if (wayland->reconnect_fd >= 0)
		close(wayland->reconnect_fd);
	free(wayland);
}

static const struct vman_presenter_impl wayland_impl = {
	.destroy = wayland_destroy,
	.present = wayland_present,
	.set_fullscreen = wayland_set_fullscreen,
	.get_fd = wayland_get_fd,
	.dispatch = wayland_dispatch,
};

/* The globals, in one round trip: the only wait there is. -ENODEV with
 * the reason in err. */
static int wayland_connect(struct wayland_presenter *wayland, char *err, size_t err_size)
{
	struct vman_wayland_globals *globals = &wayland->globals;
	const char *name = getenv("WAYLAND_DISPLAY");
	const char *missing;

	globals->display = wl_display_connect(NULL);
	if (!globals->display) {
		snprintf(err, err_size, "no Wayland compositor at %s: %s",
			 name ? name : "wayland-0", strerror(errno));
		return -ENODEV;
	}
	wayland->registry = wl_display_get_registry(globals->display);
	if (!wayland->registry) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	wl_registry_add_listener(wayland->registry, &registry_listener, wayland);
	if (wl_display_roundtrip(globals->display) < 0) {
		snprintf(err, err_size, "the Wayland compositor at %s hung up",
			 name ? name : "wayland-0");
		return -ENODEV;
	}
	missing = !globals->compositor      ? "wl_compositor 4"
		  : !globals->subcompositor ? "wl_subcompositor"
		  : !globals->viewporter    ? "wp_viewporter"
		  : !globals->shm           ? "wl_shm"
		  : !globals->wm_base       ? "xdg_wm_base"
					    : NULL;
	if (missing) {
		snprintf(err, err_size, "the Wayland compositor at %s lacks %s",
			 name ? name : "wayland-0", missing);
		return -ENODEV;
	}
	return 0;
}

struct vman_presenter *vman_presenter_wayland_create(struct vman *vman, bool fullscreen)
{
	struct wayland_presenter *wayland = calloc(1, sizeof(*wayland));
	char err[160];
	int rc;

	if (!wayland)
		return NULL;
	wayland->base.impl = &wayland_impl;
	wayland->vman = vman;
	wayland->fullscreen = fullscreen;
	wayland->reconnect_fd = -1;
	rc = wayland_connect(wayland, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "vman: %s\n", err);
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

int vman_presenter_wayland_set_presented(struct vman_presenter *presenter,
					 vman_wayland_presented_fn *fn, void *opaque)
{
	struct wayland_presenter *wayland = wayland_from_presenter(presenter);

	if (fn && connected(wayland) && !wayland->presentation)
		return -ENOTSUP;
	wayland->presented = fn;
	wayland->presented_opaque = opaque;
	wayland->globals.presentation = fn ? wayland->presentation : NULL;
	return 0;
}
