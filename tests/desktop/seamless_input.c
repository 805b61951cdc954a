/* seamless_input.c: drives mvm-seamless's test seat (MVM_SEAMLESS_TEST_INPUT=1) from the command line: pointer motion, buttons and keys, each handled by the compositor before this program ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/input-event-codes.h>
#include <wayland-client.h>

#include "mvm-seamless-test-v1-client-protocol.h"

static const char usage[] =
	"usage: seamless_input STEP...\n"
	"  move X Y      the pointer to desktop position (X, Y)\n"
	"  click X Y     move there, then press and release the left button\n"
	"  down BUTTON   press a button (left, right, middle); up BUTTON releases it\n"
	"  key CODE      press and release an evdev key code (KEY_M is 50)\n"
	"  keydown CODE  press a key; keyup CODE releases it\n"
	"The steps run in order against $WAYLAND_DISPLAY, each finished by the\n"
	"compositor (a round trip) before the next.\n";

static struct mvm_seamless_test_v1 *test_input;

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	if (strcmp(interface, mvm_seamless_test_v1_interface.name) == 0)
		test_input = wl_registry_bind(registry, name, &mvm_seamless_test_v1_interface, 1);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static int parse_number(const char *text, long *value)
{
	char *end;

	*value = strtol(text, &end, 0);
	return *text && !*end ? 0 : -1;
}

static int parse_button(const char *text, uint32_t *button)
{
	*button = strcmp(text, "left") == 0	 ? BTN_LEFT
		  : strcmp(text, "right") == 0  ? BTN_RIGHT
		  : strcmp(text, "middle") == 0 ? BTN_MIDDLE
						: 0;
	return *button ? 0 : -1;
}

/* One step from argv; the number of words it took, or -1. */
static int step(struct wl_display *display, char **argv, int left)
{
	const char *name = argv[0];
	uint32_t button;
	long x, y;

	if ((strcmp(name, "move") == 0 || strcmp(name, "click") == 0) && left >= 3 &&
	    parse_number(argv[1], &x) == 0 && parse_number(argv[2], &y) == 0) {
		mvm_seamless_test_v1_pointer_motion(test_input, (int32_t)x, (int32_t)y);
		if (name[0] == 'c') {
			mvm_seamless_test_v1_button(test_input, BTN_LEFT, 1);
			wl_display_roundtrip(display);
			mvm_seamless_test_v1_button(test_input, BTN_LEFT, 0);
		}
		return wl_display_roundtrip(display) < 0 ? -1 : 3;
	}
	if ((strcmp(name, "down") == 0 || strcmp(name, "up") == 0) && left >= 2 &&
	    parse_button(argv[1], &button) == 0) {
		mvm_seamless_test_v1_button(test_input, button, name[0] == 'd');
		return wl_display_roundtrip(display) < 0 ? -1 : 2;
	}
	if ((strcmp(name, "key") == 0 || strcmp(name, "keydown") == 0 ||
	     strcmp(name, "keyup") == 0) &&
	    left >= 2 && parse_number(argv[1], &x) == 0 && x > 0) {
		if (strcmp(name, "keyup") != 0)
			mvm_seamless_test_v1_key(test_input, (uint32_t)x, 1);
		if (strcmp(name, "key") == 0)
			wl_display_roundtrip(display);
		if (strcmp(name, "keydown") != 0)
			mvm_seamless_test_v1_key(test_input, (uint32_t)x, 0);
		return wl_display_roundtrip(display) < 0 ? -1 : 2;
	}
	fprintf(stderr, "seamless_input: bad step at '%s'\n%s", name, usage);
	return -1;
}

int main(int argc, char **argv)
{
	struct wl_display *display;
	struct wl_registry *registry;
	int i = 1;

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	display = wl_display_connect(NULL);
	if (!display) {
		fprintf(stderr, "seamless_input: no Wayland compositor\n");
		return 1;
	}
	registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	wl_display_roundtrip(display);
	if (!test_input) {
		fprintf(stderr, "seamless_input: no mvm_seamless_test_v1 (is weston running with "
				"mvm-seamless.so and MVM_SEAMLESS_TEST_INPUT=1?)\n");
		return 1;
	}
	while (i < argc) {
		int taken = step(display, argv + i, argc - i);

		if (taken < 0)
			return 1;
		i += taken;
	}
	mvm_seamless_test_v1_destroy(test_input);
	wl_registry_destroy(registry);
	wl_display_disconnect(display);
	return 0;
}
