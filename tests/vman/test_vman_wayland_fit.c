/* test_vman_wayland_fit.c: the Wayland presenter's rules that need no compositor: the fullscreen scale for each DOS mode, the Alt+Home hotkey, and the error when no compositor listens. */
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
#include "wayland_window.h"

static void assert_fit(unsigned width, unsigned height, unsigned output_width,
		       unsigned output_height, unsigned shown_width, unsigned shown_height)
{
	unsigned w = 0, h = 0;

	vman_wayland_fit(width, height, output_width, output_height, &w, &h);
	assert_int_equal(w, shown_width);
	assert_int_equal(h, shown_height);
}

/* The largest whole multiple that fits both ways: mode 13h (320x200) is
 * 3x on 1024x768 (4x would be 800 lines), 5x on 1920x1080; text (720x400)
 * and 12h (640x480) only 1x on 1024x768, 2x on 1920x1080 (3x would be
 * 1200 lines for text). */
static void test_whole_scale_where_it_fits(void **state)
{
	assert_fit(320, 200, 1024, 768, 960, 600);
	assert_fit(320, 200, 1920, 1080, 1600, 1000);
	assert_fit(720, 400, 1024, 768, 720, 400);
	assert_fit(720, 400, 1920, 1080, 1440, 800);
	assert_fit(640, 480, 1024, 768, 640, 480);
	assert_fit(640, 480, 1920, 1080, 1280, 960);
	assert_fit(640, 400, 640, 400, 640, 400);
}

/* Bigger than the output: scaled down to the largest size with its aspect. */
static void test_too_big_keeps_its_aspect(void **state)
{
	assert_fit(1280, 1024, 1024, 768, 960, 768);  /* 5:4 in 4:3: pillarboxed */
	assert_fit(2048, 768, 1024, 768, 1024, 384);  /* wider: letterboxed */
	assert_fit(1024, 1536, 1024, 768, 512, 768);
	assert_fit(4096, 1, 1024, 768, 1024, 1);      /* never 0 */
	assert_fit(1, 4096, 1024, 768, 1, 768);
}

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
		cmocka_unit_test(test_whole_scale_where_it_fits),
		cmocka_unit_test(test_too_big_keeps_its_aspect),
		cmocka_unit_test(test_alt_home_toggles),
		cmocka_unit_test(test_no_compositor_is_enodev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
