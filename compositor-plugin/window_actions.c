/* window_actions.c: what the user does to guest windows through the compositor: Super +
 * left-button drag moves one (a pointer grab; moved tells the guest where it went), and
 * Super+F4 asks the focused one to close (close; the guest decides). */
#include <stdlib.h>

#include <linux/input-event-codes.h>

#include "seamless.h"

/* A drag under way: one at a time for the module, as there is one user. */
struct seamless_move {
	struct weston_pointer_grab grab;
	struct seamless *seamless;
	struct guest_window *window;
	int32_t dx, dy; /* the window's position minus the pointer's, at the start */
};

static void move_free(struct seamless_move *move)
{
	weston_pointer_end_grab(move->grab.pointer);
	move->seamless->move = NULL;
	free(move);
}

/* The pointer keeps its focus (the dragged window) and clients see nothing of the drag. */
static void move_grab_focus(struct weston_pointer_grab *grab)
{
}

static void move_grab_motion(struct weston_pointer_grab *grab, const struct timespec *time,
			     struct weston_pointer_motion_event *event)
{
	struct seamless_move *move = wl_container_of(grab, move, grab);
	struct weston_pointer *pointer = grab->pointer;

	weston_pointer_move(pointer, event);
	guest_window_drag_to(move->window, wl_fixed_to_int(pointer->x) + move->dx,
			     wl_fixed_to_int(pointer->y) + move->dy);
}

static void move_finish(struct seamless_move *move)
{
	guest_window_drag_end(move->window);
	move_free(move);
}

/* The drag ends when the last button is up. */
static void move_grab_button(struct weston_pointer_grab *grab, const struct timespec *time,
			     uint32_t button, uint32_t state)
{
	struct seamless_move *move = wl_container_of(grab, move, grab);

	if (grab->pointer->button_count == 0 && state == WL_POINTER_BUTTON_STATE_RELEASED)
		move_finish(move);
}

static void move_grab_axis(struct weston_pointer_grab *grab, const struct timespec *time,
			   struct weston_pointer_axis_event *event)
{
}

static void move_grab_axis_source(struct weston_pointer_grab *grab, uint32_t source)
{
}

static void move_grab_frame(struct weston_pointer_grab *grab)
{
}

/* Weston takes the pointer away (e.g. the seat loses it): the window stays where it is. */
static void move_grab_cancel(struct weston_pointer_grab *grab)
{
	struct seamless_move *move = wl_container_of(grab, move, grab);

	move_finish(move);
}

static const struct weston_pointer_grab_interface move_grab_interface = {
	.focus = move_grab_focus,
	.motion = move_grab_motion,
	.button = move_grab_button,
	.axis = move_grab_axis,
	.axis_source = move_grab_axis_source,
	.frame = move_grab_frame,
	.cancel = move_grab_cancel,
};

/* Super + left button on a guest window: it gets the keyboard focus, as after a plain
 * click (so it is above the host's windows while it moves), and follows the pointer. */
static void move_binding(struct weston_pointer *pointer, const struct timespec *time,
			 uint32_t button, void *data)
{
	struct seamless *seamless = data;
	struct weston_surface *surface =
		pointer->focus ? weston_surface_get_main_surface(pointer->focus->surface) : NULL;
	struct guest_window *window = guest_window_from_surface(surface);
	struct seamless_move *move;
	int32_t x, y;

	if (!window || seamless->move || pointer->grab != &pointer->default_grab ||
	    pointer->button_count != 1)
		return;
	move = calloc(1, sizeof(*move));
	if (!move) {
		weston_log("mvm-seamless: out of memory: no move\n");
		return;
	}
	if (guest_window_drag_begin(window, &x, &y) < 0) {
		free(move);
		return;
	}
	weston_seat_set_keyboard_focus(pointer->seat, surface);
	move->seamless = seamless;
	move->window = window;
	move->dx = x - wl_fixed_to_int(pointer->x);
	move->dy = y - wl_fixed_to_int(pointer->y);
	move->grab.interface = &move_grab_interface;
	seamless->move = move;
	weston_pointer_start_grab(pointer, &move->grab);
}

static void close_binding(struct weston_keyboard *keyboard, const struct timespec *time,
			  uint32_t key, void *data)
{
	struct guest_window *window = guest_window_from_surface(keyboard->focus);

	if (window)
		guest_window_send_close(window);
}

void seamless_actions_forget(struct seamless *seamless, struct guest_window *window)
{
	if (seamless->move && seamless->move->window == window)
		move_free(seamless->move);
}

int seamless_actions_init(struct seamless *seamless)
{
	seamless->move_binding = weston_compositor_add_button_binding(
		seamless->compositor, BTN_LEFT, MODIFIER_SUPER, move_binding, seamless);
	seamless->close_binding = weston_compositor_add_key_binding(
		seamless->compositor, KEY_F4, MODIFIER_SUPER, close_binding, seamless);
	return seamless->move_binding && seamless->close_binding ? 0 : -1;
}

void seamless_actions_finish(struct seamless *seamless)
{
	if (seamless->move)
		move_free(seamless->move);
	if (seamless->move_binding)
		weston_binding_destroy(seamless->move_binding);
	if (seamless->close_binding)
		weston_binding_destroy(seamless->close_binding);
	seamless->move_binding = seamless->close_binding = NULL;
}
