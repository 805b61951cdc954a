/* wayland_input.c: wl_seat, wl_pointer and wl_keyboard for the presenter: surface-local positions, the buttons held, keys and focus. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/input-event-codes.h>

#include "wayland_input.h"

struct vman_wayland_input {
	struct wl_seat *seat;
	struct wl_pointer *pointer;   /* NULL while the seat has none */
	struct wl_keyboard *keyboard; /* NULL while the seat has none */
	const struct vman_wayland_input_listener *listener;
	void *opaque;
	struct wl_surface *pointer_surface;  /* under the pointer; NULL outside ours */
	struct wl_surface *keyboard_surface; /* with keyboard focus */
	double sx, sy;
	unsigned buttons;
};

static void pointer_report(struct vman_wayland_input *input)
{
	if (input->pointer_surface)
		input->listener->pointer(input->opaque, input->pointer_surface, input->sx, input->sy,
					 input->buttons);
}

static void pointer_enter(void *data, struct wl_pointer *pointer, uint32_t serial,
			  struct wl_surface *surface, wl_fixed_t sx, wl_fixed_t sy)
{
	struct vman_wayland_input *input = data;

	/* Buttons pressed elsewhere are not ours; the ones released elsewhere
	 * were never seen here. */
	input->pointer_surface = surface;
	input->buttons = 0;
	input->sx = wl_fixed_to_double(sx);
	input->sy = wl_fixed_to_double(sy);
	pointer_report(input);
}

static void pointer_leave(void *data, struct wl_pointer *pointer, uint32_t serial,
			  struct wl_surface *surface)
{
	struct vman_wayland_input *input = data;

	if (input->pointer_surface && input->buttons) {
		input->buttons = 0;
		pointer_report(input);
	}
	input->pointer_surface = NULL;
}

static void pointer_motion(void *data, struct wl_pointer *pointer, uint32_t time, wl_fixed_t sx,
			   wl_fixed_t sy)
{
	struct vman_wayland_input *input = data;

	input->sx = wl_fixed_to_double(sx);
	input->sy = wl_fixed_to_double(sy);
	pointer_report(input);
}

static void pointer_button(void *data, struct wl_pointer *pointer, uint32_t serial, uint32_t time,
			   uint32_t button, uint32_t state)
{
	struct vman_wayland_input *input = data;
	unsigned bit = button == BTN_LEFT     ? VMAN_BUTTON_LEFT
		       : button == BTN_RIGHT  ? VMAN_BUTTON_RIGHT
		       : button == BTN_MIDDLE ? VMAN_BUTTON_MIDDLE
					      : 0;

	if (!bit)
		return;
	if (state == WL_POINTER_BUTTON_STATE_PRESSED)
		input->buttons |= bit;
	else
		input->buttons &= ~bit;
	pointer_report(input);
}

static void pointer_axis(void *data, struct wl_pointer *pointer, uint32_t time, uint32_t axis,
			 wl_fixed_t value)
{
}

static void pointer_frame(void *data, struct wl_pointer *pointer)
{
}

static void pointer_axis_source(void *data, struct wl_pointer *pointer, uint32_t source)
{
}

static void pointer_axis_stop(void *data, struct wl_pointer *pointer, uint32_t time,
			      uint32_t axis)
{
}

static void pointer_axis_discrete(void *data, struct wl_pointer *pointer, uint32_t axis,
				  int32_t discrete)
{
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = pointer_enter,
	.leave = pointer_leave,
	.motion = pointer_motion,
	.button = pointer_button,
	.axis = pointer_axis,
	.frame = pointer_frame,
	.axis_source = pointer_axis_source,
	.axis_stop = pointer_axis_stop,
	.axis_discrete = pointer_axis_discrete,
};

/* Keys are evdev codes whatever the keymap: no keymap is needed. */
static void keyboard_keymap(void *data, struct wl_keyboard *keyboard, uint32_t format, int32_t fd,
			    uint32_t size)
{
	close(fd);
}

static void keyboard_enter(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			   struct wl_surface *surface, struct wl_array *keys)
{
	struct vman_wayland_input *input = data;

	input->keyboard_surface = surface;
	input->listener->focus(input->opaque, surface, true, keys->data,
			       keys->size / sizeof(uint32_t));
}

static void keyboard_leave(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			   struct wl_surface *surface)
{
	struct vman_wayland_input *input = data;

	if (surface && surface == input->keyboard_surface)
		input->listener->focus(input->opaque, surface, false, NULL, 0);
	input->keyboard_surface = NULL;
}

static void keyboard_key(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			 uint32_t time, uint32_t key, uint32_t state)
{
	struct vman_wayland_input *input = data;

	if (input->keyboard_surface)
		input->listener->key(input->opaque, key, state == WL_KEYBOARD_KEY_STATE_PRESSED);
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

static void pointer_drop(struct vman_wayland_input *input)
{
	if (!input->pointer)
		return;
	if (wl_pointer_get_version(input->pointer) >= WL_POINTER_RELEASE_SINCE_VERSION)
		wl_pointer_release(input->pointer);
	else
		wl_pointer_destroy(input->pointer);
	input->pointer = NULL;
	input->pointer_surface = NULL;
	input->buttons = 0;
}

static void keyboard_drop(struct vman_wayland_input *input)
{
	if (!input->keyboard)
		return;
	if (wl_keyboard_get_version(input->keyboard) >= WL_KEYBOARD_RELEASE_SINCE_VERSION)
		wl_keyboard_release(input->keyboard);
	else
		wl_keyboard_destroy(input->keyboard);
	input->keyboard = NULL;
	if (input->keyboard_surface)
		input->listener->focus(input->opaque, input->keyboard_surface, false, NULL, 0);
	input->keyboard_surface = NULL;
}

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t capabilities)
{
	struct vman_wayland_input *input = data;

	if (!(capabilities & WL_SEAT_CAPABILITY_POINTER)) {
		pointer_drop(input);
	} else if (!input->pointer) {
		input->pointer = wl_seat_get_pointer(seat);
		if (input->pointer)
			wl_pointer_add_listener(input->pointer, &pointer_listener, input);
	}
	if (!(capabilities & WL_SEAT_CAPABILITY_KEYBOARD)) {
		keyboard_drop(input);
	} else if (!input->keyboard) {
		input->keyboard = wl_seat_get_keyboard(seat);
		if (input->keyboard)
			wl_keyboard_add_listener(input->keyboard, &keyboard_listener, input);
	}
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

struct vman_wayland_input *vman_wayland_input_create(struct wl_seat *seat,
						      const struct vman_wayland_input_listener *listener,
						      void *opaque)
{
	struct vman_wayland_input *input = calloc(1, sizeof(*input));

	if (!input)
		return NULL;
	input->seat = seat;
	input->listener = listener;
	input->opaque = opaque;
	wl_seat_add_listener(seat, &seat_listener, input);
	return input;
}

void vman_wayland_input_destroy(struct vman_wayland_input *input)
{
	if (!input)
		return;
	pointer_drop(input);
	keyboard_drop(input);
	if (wl_seat_get_version(input->seat) >= WL_SEAT_RELEASE_SINCE_VERSION)
		wl_seat_release(input->seat);
	else
		wl_seat_destroy(input->seat);
	free(input);
}

void vman_wayland_input_forget(struct vman_wayland_input *input, const struct wl_surface *surface)
{
	if (!input)
		return;
	if (input->pointer_surface == surface) {
		input->pointer_surface = NULL;
		input->buttons = 0;
	}
	if (input->keyboard_surface == surface)
		input->keyboard_surface = NULL;
}
