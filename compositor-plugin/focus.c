/* focus.c: a click on a guest window gives it the seat's keyboard focus, every change of
 * keyboard focus to or from a guest window is told to its client (focus events), and the
 * focus decides whether guest windows are above host windows or below them. */
#include <stdlib.h>

#include <linux/input-event-codes.h>

#include "seamless.h"

/* A seat we watch: its keyboard, once it has one, reports focus changes. */
struct seamless_seat {
	struct seamless *seamless;
	struct weston_seat *seat;
	struct weston_keyboard *keyboard;
	struct wl_listener caps_changed;
	struct wl_listener destroy;
	struct wl_listener keyboard_focus;
	struct wl_list link; /* seamless->seats */
};

/* One focused guest window for the whole module: enough for one seat, and with several
 * the last focus change wins, as the guest has a single active window. A focus that goes
 * to nothing (a focused window went away) leaves the layers as they are: no host window
 * was chosen over the guest's. */
static void keyboard_focus_changed(struct wl_listener *listener, void *data)
{
	struct seamless_seat *sseat = wl_container_of(listener, sseat, keyboard_focus);
	struct weston_keyboard *keyboard = data;
	struct seamless *seamless = sseat->seamless;
	struct guest_window *now = guest_window_from_surface(keyboard->focus);

	if (keyboard->focus)
		seamless_stack_guest_layer(seamless, now != NULL);
	if (now == seamless->focused)
		return;
	if (seamless->focused)
		guest_window_send_focus(seamless->focused, false);
	seamless->focused = now;
	if (now)
		guest_window_send_focus(now, true);
}

static void seat_watch_keyboard(struct seamless_seat *sseat)
{
	if (sseat->keyboard || !sseat->seat->keyboard_state)
		return;
	sseat->keyboard = sseat->seat->keyboard_state;
	sseat->keyboard_focus.notify = keyboard_focus_changed;
	wl_signal_add(&sseat->keyboard->focus_signal, &sseat->keyboard_focus);
}

static void seat_caps_changed(struct wl_listener *listener, void *data)
{
	struct seamless_seat *sseat = wl_container_of(listener, sseat, caps_changed);

	seat_watch_keyboard(sseat);
}

static void seat_free(struct seamless_seat *sseat, bool keyboard_alive)
{
	if (sseat->keyboard && keyboard_alive)
		wl_list_remove(&sseat->keyboard_focus.link);
	wl_list_remove(&sseat->caps_changed.link);
	wl_list_remove(&sseat->destroy.link);
	wl_list_remove(&sseat->link);
	free(sseat);
}

/* weston_seat_release frees the keyboard, and the signal our listener sits in, before it
 * emits the seat's destroy signal: the listener is not unlinked from freed memory. */
static void seat_destroyed(struct wl_listener *listener, void *data)
{
	struct seamless_seat *sseat = wl_container_of(listener, sseat, destroy);

	seat_free(sseat, false);
}

static void seat_watch(struct seamless *seamless, struct weston_seat *seat)
{
	struct seamless_seat *sseat = calloc(1, sizeof(*sseat));

	if (!sseat) {
		weston_log("mvm-seamless: out of memory: no focus events for seat %s\n",
			   seat->seat_name);
		return;
	}
	sseat->seamless = seamless;
	sseat->seat = seat;
	sseat->caps_changed.notify = seat_caps_changed;
	wl_signal_add(&seat->updated_caps_signal, &sseat->caps_changed);
	sseat->destroy.notify = seat_destroyed;
	wl_signal_add(&seat->destroy_signal, &sseat->destroy);
	wl_list_insert(&seamless->seats, &sseat->link);
	seat_watch_keyboard(sseat);
}

static void seat_created(struct wl_listener *listener, void *data)
{
	struct seamless *seamless = wl_container_of(listener, seamless, seat_created);

	seat_watch(seamless, data);
}

/* A button press on a guest window focuses it; the guest decides itself whether that
 * also raises the window (it answers with place_above). The pointer may be over one of
 * its subsurfaces (vman's picture is one): the window is the main surface. */
static void guest_window_clicked(struct weston_pointer *pointer, const struct timespec *time,
				 uint32_t button, void *data)
{
	struct weston_surface *surface =
		pointer->focus ? weston_surface_get_main_surface(pointer->focus->surface) : NULL;

	if (guest_window_from_surface(surface))
		weston_seat_set_keyboard_focus(pointer->seat, surface);
}

void seamless_focus_forget(struct seamless *seamless, struct guest_window *window)
{
	if (seamless->focused == window)
		seamless->focused = NULL;
}

int seamless_focus_init(struct seamless *seamless)
{
	struct weston_seat *seat;

	wl_list_init(&seamless->seats);
	seamless->click = weston_compositor_add_button_binding(seamless->compositor, BTN_LEFT, 0,
								guest_window_clicked, seamless);
	if (!seamless->click)
		return -1;
	wl_list_for_each(seat, &seamless->compositor->seat_list, link)
		seat_watch(seamless, seat);
	seamless->seat_created.notify = seat_created;
	wl_signal_add(&seamless->compositor->seat_created_signal, &seamless->seat_created);
	return 0;
}

void seamless_focus_finish(struct seamless *seamless)
{
	struct seamless_seat *sseat, *next;

	wl_list_remove(&seamless->seat_created.link);
	wl_list_for_each_safe(sseat, next, &seamless->seats, link)
		seat_free(sseat, true);
	weston_binding_destroy(seamless->click);
	seamless->click = NULL;
	seamless->focused = NULL;
}
