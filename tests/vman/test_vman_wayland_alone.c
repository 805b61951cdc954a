/* test_vman_wayland_alone.c: the Wayland presenter's parts that need no compositor: the Alt+Home hotkey, and the error when no compositor listens. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/input-event-codes.h>

#include "hotkey.h"
#include "vman.h"

static void test_alt_home_toggles(void **state)
{
	struct vman_hotkey hotkey = {0};

	assert_false(vman_hotkey_key(&hotkey, KEY_HOME, true));
	assert_false(vman_hotkey_key(&hotkey, KEY_HOME, false));
	assert_false(vman_hotkey_key(&hotkey, KEY_LEFTALT, true));
	assert_true(vman_hotkey_key(&hotkey, KEY_HOME, true));
	assert_false(vman_hotkey_key(&hotkey, KEY_HOME, false)); /* the release does not */
	assert_false(vman_hotkey_key(&hotkey, KEY_LEFTALT, false));
	assert_false(vman_hotkey_key(&hotkey, KEY_HOME, true));
	assert_false(vman_hotkey_key(&hotkey, KEY_RIGHTALT, true));
	assert_false(vman_hotkey_key(&hotkey, KEY_END, true));
	assert_true(vman_hotkey_key(&hotkey, KEY_HOME, true));
	/* Focus lost with Alt down: Alt no longer counts. */
	vman_hotkey_reset(&hotkey);
	assert_false(vman_hotkey_key(&hotkey, KEY_HOME, true));
	/* Either Alt still down after the other went up. */
	assert_false(vman_hotkey_key(&hotkey, KEY_LEFTALT, true));
	assert_false(vman_hotkey_key(&hotkey, KEY_RIGHTALT, true));
	assert_false(vman_hotkey_key(&hotkey, KEY_LEFTALT, false));
	assert_true(vman_hotkey_key(&hotkey, KEY_HOME, true));
}

/* A display name nobody listens on: vman_create fails with ENODEV. */
static void test_no_compositor_is_enodev(void **state)
{
	char runtime[] = "/tmp/vman-no-wayland.XXXXXX";
	struct vman_options options = {.presenter = VMAN_PRESENTER_WAYLAND};
	struct vman *vman;

	assert_non_null(mkdtemp(runtime));
	assert_int_equal(setenv("XDG_RUNTIME_DIR", runtime, 1), 0);
	assert_int_equal(setenv("WAYLAND_DISPLAY", "vman-nobody", 1), 0);
	errno = 0;
	vman = vman_create(&options);
	assert_null(vman);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(rmdir(runtime), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alt_home_toggles),
		cmocka_unit_test(test_no_compositor_is_enodev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
