/* test_vman_drm_presenter.c: the DRM presenter against a fake KMS card (fake_kms.c), legacy and atomic: what the screen shows, when it modesets and flips, a guest's mode switches, fullscreen scaling, VT switches, a lost master, an unplugged connector and the console put back. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "fake_kms.h"
#include "vman.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* bochs-drm's list, shortened. */
static const struct fake_mode bochs[] = {
	{1024, 768, 60, true}, {1920, 1080, 60, false}, {1280, 1024, 60, false},
	{848, 480, 60, false}, {800, 600, 60, false},   {640, 480, 60, false},
};

static const struct fake_mode panel[] = {{1920, 1080, 60, true}};

struct test_display {
	bool atomic;
	struct vman *vman;
	struct vman_client *client;
	uint32_t *pixels; /* the guest's frame */
};

static int setup(void **state, bool atomic)
{
	struct test_display *t = calloc(1, sizeof(*t));

	t->atomic = atomic;
	t->pixels = calloc(4096 * 2048, sizeof(uint32_t));
	fake_kms_init(atomic);
	*state = t;
	return 0;
}

static int setup_legacy(void **state)
{
	return setup(state, false);
}

static int setup_atomic(void **state)
{
	return setup(state, true);
}

static int teardown(void **state)
{
	struct test_display *t = *state;

	vman_destroy(t->vman);
	fake_kms_finish();
	free(t->pixels);
	free(t);
	return 0;
}

/* A vman on the fake card, one client; fails the test if it cannot start. */
static void start(struct test_display *t, bool fullscreen)
{
	struct vman_options options = {
		.presenter = VMAN_PRESENTER_DRM,
		.drm_device = fake.path,
		.fullscreen = fullscreen,
	};

	t->vman = vman_create(&options);
	assert_non_null(t->vman);
	t->client = vman_client_create(t->vman, "test", NULL, NULL);
	assert_non_null(t->client);
}

/* The guest's frame: every pixel its own colour (from a seed), so that any
 * misplaced one shows. */
static uint32_t colour(uint32_t seed, unsigned x, unsigned y)
{
	return (seed * 0x010101u + x * 0x3001u + y * 0x050003u) & 0xFFFFFFu;
}

static void frame(struct test_display *t, uint32_t seed, unsigned width, unsigned height)
{
	for (unsigned y = 0; y < height; y++)
		for (unsigned x = 0; x < width; x++)
			t->pixels[y * width + x] = colour(seed, x, y);
	assert_int_equal(vman_screen_update(t->client, t->pixels, width, height, width * 4), 0);
	assert_int_equal(vman_frame(t->vman), 0);
	/* The driver's way only. */
	assert_int_equal(t->atomic ? fake.legacy_commits : fake.atomic_commits, 0);
}

/* The screen shows the frame of that seed at (x, y) scaled by an integer,
 * black around it, in a mode of the given size. */
static void shows(uint32_t seed, unsigned width, unsigned height, unsigned mode_width,
		  unsigned mode_height, unsigned x0, unsigned y0, unsigned scale)
{
	assert_true(fake.active);
	assert_int_equal(fake.mode.hdisplay, mode_width);
	assert_int_equal(fake.mode.vdisplay, mode_height);
	for (unsigned y = 0; y < mode_height; y += 7) {
		for (unsigned x = 0; x < mode_width; x += 5) {
			bool inside = x >= x0 && y >= y0 && x < x0 + width * scale &&
				      y < y0 + height * scale;
			uint32_t want = inside ? colour(seed, (x - x0) / scale, (y - y0) / scale) : 0;

			assert_int_equal(fake_kms_pixel(x, y), want);
		}
	}
	/* The frame's last pixel, which the steps above may miss. */
	assert_int_equal(fake_kms_pixel(x0 + width * scale - 1, y0 + height * scale - 1),
			 colour(seed, width - 1, height - 1));
}

static void flip_completes(struct test_display *t)
{
	assert_true(fake.flip_pending);
	assert_true(vman_get_fd(t->vman) >= 0);
	assert_int_equal(vman_dispatch(t->vman), 0);
}

/* The first frame sets the closest mode; the next ones flip, one at a time,
 * and a frame that comes while a flip is in flight is shown by its event. */
static void test_modeset_then_paced_flips(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	assert_int_equal(fake.modesets, 0);
	frame(t, 1, 720, 400);
	assert_int_equal(fake.modesets, 1);
	assert_false(fake.flip_pending);
	shows(1, 720, 400, 848, 480, 64, 40, 1);

	frame(t, 2, 720, 400);
	assert_int_equal(fake.modesets, 1);
	assert_int_equal(fake.flips_asked, 1);
	shows(1, 720, 400, 848, 480, 64, 40, 1); /* until the flip completes */
	frame(t, 3, 720, 400);
	frame(t, 4, 720, 400);
	assert_int_equal(fake.flips_asked, 1); /* kept, nothing asked */
	flip_completes(t);
	shows(2, 720, 400, 848, 480, 64, 40, 1);
	assert_int_equal(fake.flips_asked, 2); /* the latest, 4, at once */
	flip_completes(t);
	shows(4, 720, 400, 848, 480, 64, 40, 1);
	assert_false(fake.flip_pending);
	if (t->atomic)
		assert_int_equal(fake.last_flags,
				 DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT);
	assert_int_equal(fake.shown_fb_removed, 0);
}

/* Text 720x400, 13h (640x400), 12h 640x480, 320x200, text again: a modeset
 * only where the mode changes, the old picture on screen until then. */
static void test_guest_mode_switches(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 720, 400);
	shows(1, 720, 400, 848, 480, 64, 40, 1);
	frame(t, 2, 640, 480);
	assert_int_equal(fake.modesets, 2);
	shows(2, 640, 480, 640, 480, 0, 0, 1);
	frame(t, 3, 640, 400);
	assert_int_equal(fake.modesets, 2);
	flip_completes(t);
	shows(3, 640, 400, 640, 480, 0, 40, 1);
	frame(t, 4, 320, 200);
	flip_completes(t);
	assert_int_equal(fake.modesets, 2);
	shows(4, 320, 200, 640, 480, 0, 40, 2);
	frame(t, 5, 720, 400);
	assert_int_equal(fake.modesets, 3);
	shows(5, 720, 400, 848, 480, 64, 40, 1);
	/* The old mode's buffers went, after the modeset. */
	assert_int_equal(fake_kms_buffers(), 2);
	assert_int_equal(fake.shown_fb_removed, 0);
}

/* Fullscreen scaling takes the preferred mode and fills it; off again, the
 * closest mode comes back. The toggle shows the kept frame at once. */
static void test_fullscreen_scaling(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 512, 384);
	shows(1, 512, 384, 640, 480, 64, 48, 1);
	vman_set_fullscreen(t->vman, true);
	assert_int_equal(fake.modesets, 2);
	shows(1, 512, 384, 1024, 768, 0, 0, 2);
	vman_set_fullscreen(t->vman, false);
	assert_int_equal(fake.modesets, 3);
	shows(1, 512, 384, 640, 480, 64, 48, 1);
}

static void test_fullscreen_from_the_start(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, panel, COUNT(panel));
	start(t, true);
	frame(t, 1, 640, 480);
	/* 1080 / 480 = 2.25: aspect kept, 1440 wide, centred. */
	assert_int_equal(fake.mode.hdisplay, 1920);
	assert_int_equal(fake_kms_pixel(239, 540), 0);
	assert_int_equal(fake_kms_pixel(1680, 540), 0);
	assert_int_equal(fake_kms_pixel(240, 0), colour(1, 0, 0));
	assert_int_equal(fake_kms_pixel(1679, 1079), colour(1, 639, 479));
}

/* A VT switch: master goes, frames are kept and not drawn; back, the latest
 * one is shown in a fresh modeset (the other VT set its own). */
static void test_vt_switch_keeps_the_picture(void **state)
{
	struct test_display *t = *state;
	unsigned commits;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 640, 480);
	assert_int_equal(vman_set_active(t->vman, false), 0);
	assert_false(fake.master);
	commits = fake.commits;
	frame(t, 2, 640, 480);
	frame(t, 3, 640, 480);
	assert_int_equal(fake.commits, commits);
	/* Another process holds master: not yet. */
	fake.other_master = true;
	assert_int_equal(vman_set_active(t->vman, true), -EACCES);
	fake.other_master = false;
	assert_int_equal(vman_set_active(t->vman, true), 0);
	assert_true(fake.master);
	assert_int_equal(fake.modesets, 2);
	shows(3, 640, 480, 640, 480, 0, 0, 1);
	frame(t, 4, 640, 480);
	flip_completes(t);
	shows(4, 640, 480, 640, 480, 0, 0, 1);
}

/* A VT switch while a flip is in flight: its event still comes, and nothing
 * is drawn until the switch back. */
static void test_vt_switch_during_a_flip(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 640, 480);
	frame(t, 2, 640, 480);
	assert_int_equal(vman_set_active(t->vman, false), 0);
	frame(t, 3, 640, 480);
	fake.master = true; /* as if still master, so that a stray flip would go through */
	flip_completes(t);
	assert_false(fake.flip_pending);
	fake.master = false;
	assert_int_equal(vman_set_active(t->vman, true), 0);
	shows(3, 640, 480, 640, 480, 0, 0, 1);
}

/* Wait (at most 3 s) for the display to come back by itself: a present at
 * most once a second looks for it. */
static void frames_until_shown(struct test_display *t, uint32_t seed, unsigned width,
			       unsigned height, unsigned modesets)
{
	const struct timespec pause = {0, 50 * 1000 * 1000};

	for (unsigned i = 0; i < 60 && fake.modesets < modesets; i++) {
		nanosleep(&pause, NULL);
		frame(t, seed, width, height);
	}
	assert_int_equal(fake.modesets, modesets);
}

/* Another process takes master without a VT switch: frames are kept, and
 * the display is looked for again once a second. */
static void test_master_taken_away(void **state)
{
	struct test_display *t = *state;
	unsigned commits;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 640, 480);
	fake.master = false;
	fake.other_master = true;
	frame(t, 2, 640, 480); /* refused: away */
	commits = fake.commits;
	frame(t, 3, 640, 480);
	assert_int_equal(fake.commits, commits); /* not within the second */
	fake.other_master = false;
	frames_until_shown(t, 4, 640, 480, 2);
	assert_true(fake.master);
	shows(4, 640, 480, 640, 480, 0, 0, 1);
}

/* The connector goes and the driver refuses it; another one comes (a panel
 * with other modes), and the frames go there. */
static void test_connector_unplugged(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 640, 480);
	fake_kms_disconnect(0);
	fake.reject_disconnected = true;
	frame(t, 2, 640, 480);
	frame(t, 3, 640, 480);
	fake_kms_connect(1, panel, COUNT(panel));
	frames_until_shown(t, 4, 640, 480, 2);
	assert_int_equal(fake.connector, 31);
	shows(4, 640, 480, 1920, 1080, 320, 60, 2);
}

/* The end puts the console's picture back and frees every buffer and blob;
 * a flip still in flight is waited for first. */
static void test_destroy_restores_the_console(void **state)
{
	struct test_display *t = *state;

	fake_kms_connect(0, bochs, COUNT(bochs));
	start(t, false);
	frame(t, 1, 720, 400);
	frame(t, 2, 720, 400);
	assert_true(fake.flip_pending);
	vman_destroy(t->vman);
	t->vman = NULL;
	assert_false(fake.flip_pending);
	assert_int_equal(fake.fb, FAKE_CONSOLE_FB);
	assert_int_equal(fake.mode.hdisplay, 1024);
	assert_int_equal(fake_kms_buffers(), 0);
	assert_int_equal(fake_kms_blobs(), 0);
	assert_int_equal(fake.shown_fb_removed, 0);
}

static void test_nothing_connected(void **state)
{
	struct vman_options options = {
		.presenter = VMAN_PRESENTER_DRM,
		.drm_device = fake.path,
	};

	errno = 0;
	assert_null(vman_create(&options));
	assert_int_equal(errno, ENODEV);
}

static void test_master_held_by_another(void **state)
{
	struct vman_options options = {
		.presenter = VMAN_PRESENTER_DRM,
		.drm_device = fake.path,
	};

	fake_kms_connect(0, bochs, COUNT(bochs));
	fake.other_master = true;
	errno = 0;
	assert_null(vman_create(&options));
	assert_int_equal(errno, EBUSY);
}

#define BOTH(fn)                                                    \
	cmocka_unit_test_setup_teardown(fn, setup_legacy, teardown), \
		cmocka_unit_test_setup_teardown(fn, setup_atomic, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_modeset_then_paced_flips),
		BOTH(test_guest_mode_switches),
		BOTH(test_fullscreen_scaling),
		BOTH(test_fullscreen_from_the_start),
		BOTH(test_vt_switch_keeps_the_picture),
		BOTH(test_vt_switch_during_a_flip),
		BOTH(test_master_taken_away),
		BOTH(test_connector_unplugged),
		BOTH(test_destroy_restores_the_console),
		BOTH(test_nothing_connected),
		BOTH(test_master_held_by_another),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
