/* test_input.c: with MVM_SEAMLESS_TEST_INPUT=1 in weston's environment, a seat "mvm-test"
 * with a pointer and a keyboard, driven by test programs through the mvm_seamless_test_v1
 * global, so that click to focus, bindings and input events can be tested on Weston's
 * headless backend, which has no input devices. */
#include <stdlib.h>
#include <string.h>

#include <linux/input-event-codes.h>

#include "mvm-seamless-test-v1-server-protocol.h"
#include "seamless.h"

/* libweston-10 exports these to its backends without installing their header
 * (libweston/backend.h and libweston-internal.h in Weston's sources); the signatures are
 * Weston 10's. weston_seat_init_pointer's result, if any, is not needed: the seat's
 * pointer is checked instead. */
void weston_seat_init(struct weston_seat *seat, struct weston_compositor *ec,
		      const char *seat_name);
void weston_seat_init_pointer(struct weston_seat *seat);
int weston_seat_init_keyboard(struct weston_seat *seat, struct xkb_keymap *keymap);
void weston_seat_release(struct weston_seat *seat);
void notify_motion_absolute(struct weston_seat *seat, const struct timespec *time, double x,
			    double y);
void notify_button(struct weston_seat *seat, const struct timespec *time, int32_t button,
		   enum wl_pointer_button_state state);
void notify_key(struct weston_seat *seat, const struct timespec *time, uint32_t key,
		enum wl_keyboard_key_state state, enum weston_key_state_update update_state);
void notify_pointer_frame(struct weston_seat *seat);

struct seamless_test_input {
	struct weston_seat seat;
	struct wl_global *global;
};

static void test_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void test_pointer_motion(struct wl_client *client, struct wl_resource *resource,
				int32_t x, int32_t y)
{
	struct seamless_test_input *input = wl_resource_get_user_data(resource);
	struct timespec now;

	weston_compositor_get_time(&now);
	notify_motion_absolute(&input->seat, &now, x, y);
	notify_pointer_frame(&input->seat);
}

/* Codes beyond evdev's range and states other than 0 and 1 are ignored (the XML says so). */
static void test_button(struct wl_client *client, struct wl_resource *resource,
			uint32_t button, uint32_t pressed)
{
	struct seamless_test_input *input = wl_resource_get_user_data(resource);
	struct timespec now;

	if (button > KEY_MAX || pressed > 1)
		return;
	weston_compositor_get_time(&now);
	notify_button(&input->seat, &now, (int32_t)button,
		      pressed ? WL_POINTER_BUTTON_STATE_PRESSED : WL_POINTER_BUTTON_STATE_RELEASED);
	notify_pointer_frame(&input->seat);
}

static void test_key(struct wl_client *client, struct wl_resource *resource, uint32_t key,
		     uint32_t pressed)
{
	struct seamless_test_input *input = wl_resource_get_user_data(resource);
	struct timespec now;

	if (key > KEY_MAX || pressed > 1)
		return;
	weston_compositor_get_time(&now);
	notify_key(&input->seat, &now, key,
		   pressed ? WL_KEYBOARD_KEY_STATE_PRESSED : WL_KEYBOARD_KEY_STATE_RELEASED,
		   STATE_UPDATE_AUTOMATIC);
}

static const struct mvm_seamless_test_v1_interface test_implementation = {
	.destroy = test_destroy,
	.pointer_motion = test_pointer_motion,
	.button = test_button,
	.key = test_key,
};

static void test_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource =
		wl_resource_create(client, &mvm_seamless_test_v1_interface, version, id);

	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &test_implementation, data, NULL);
}

int seamless_test_input_init(struct seamless *seamless)
{
	const char *enabled = getenv("MVM_SEAMLESS_TEST_INPUT");
	struct seamless_test_input *input;

	if (!enabled || strcmp(enabled, "1") != 0)
		return 0;
	input = calloc(1, sizeof(*input));
	if (!input)
		return -1;
	weston_seat_init(&input->seat, seamless->compositor, "mvm-test");
	weston_seat_init_pointer(&input->seat);
	/* A null keymap: the compositor's default one (weston.ini's [keyboard]). */
	if (!input->seat.pointer_state ||
	    weston_seat_init_keyboard(&input->seat, NULL) < 0)
		goto fail;
	input->global = wl_global_create(seamless->compositor->wl_display,
					 &mvm_seamless_test_v1_interface, 1, input, test_bind);
	if (!input->global)
		goto fail;
	seamless->test_input = input;
	weston_log("mvm-seamless: MVM_SEAMLESS_TEST_INPUT: seat mvm-test and the "
		   "mvm_seamless_test_v1 global (tests only)\n");
	return 0;

fail:
	weston_seat_release(&input->seat);
	free(input);
	return -1;
}

void seamless_test_input_finish(struct seamless *seamless)
{
	struct seamless_test_input *input = seamless->test_input;

	if (!input)
		return;
	wl_global_destroy(input->global);
	weston_seat_release(&input->seat);
	free(input);
	seamless->test_input = NULL;
}
