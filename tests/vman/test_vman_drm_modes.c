/* test_vman_drm_modes.c: the DRM presenter's choice of mode for each guest screen size, where the frame goes in it, and how a missing or non-KMS card fails. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "drm_modes.h"
#include "vman.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MODE(w, h, mhz) {(w), (h), (mhz), false}
#define PREFERRED(w, h, mhz) {(w), (h), (mhz), true}

/* bochs-drm (QEMU -vga std) without EDID: the VESA DMT modes up to 61 Hz
 * and 1024x768 preferred, in the kernel's order (preferred, then largest). */
static const struct vman_drm_mode bochs[] = {
	PREFERRED(1024, 768, 60004),
	MODE(2560, 1600, 59987),
	MODE(1920, 1200, 59885),
	MODE(1920, 1080, 60000),
	MODE(1600, 1200, 60000),
	MODE(1680, 1050, 59954),
	MODE(1400, 1050, 59978),
	MODE(1280, 1024, 60020),
	MODE(1440, 900, 59887),
	MODE(1280, 960, 60000),
	MODE(1366, 768, 59790),
	MODE(1360, 768, 60015),
	MODE(1280, 800, 59810),
	MODE(1280, 768, 59870),
	MODE(848, 480, 60000),
	MODE(800, 600, 60317),
	MODE(800, 600, 56250),
	MODE(640, 480, 59940),
};

/* A laptop's eDP panel: its native mode only. */
static const struct vman_drm_mode panel[] = {
	PREFERRED(1920, 1080, 60010),
};

/* A desktop monitor's EDID: native mode, standard and established timings,
 * 720x400 at 70 Hz among them (the VGA's text timing). */
static const struct vman_drm_mode monitor[] = {
	PREFERRED(1920, 1080, 60000),
	MODE(1920, 1080, 50000),
	MODE(1280, 1024, 75025),
	MODE(1280, 1024, 60020),
	MODE(1024, 768, 75029),
	MODE(1024, 768, 70069),
	MODE(1024, 768, 60004),
	MODE(800, 600, 75000),
	MODE(800, 600, 72188),
	MODE(800, 600, 60317),
	MODE(800, 600, 56250),
	MODE(720, 400, 85039),
	MODE(720, 400, 70082),
	MODE(640, 480, 75000),
	MODE(640, 480, 72809),
	MODE(640, 480, 66667),
	MODE(640, 480, 59940),
};

struct expect {
	unsigned frame_width, frame_height;
	bool fill;
	unsigned mode_width, mode_height, refresh_mhz;
	unsigned scale, x, y, width, height;
};

static void check(const struct vman_drm_mode *modes, size_t count, const struct expect *e)
{
	struct vman_drm_placement placement;

	assert_int_equal(vman_drm_mode_choose(modes, count, e->frame_width, e->frame_height, e->fill,
					      &placement),
			 0);
	assert_true(placement.mode < count);
	assert_int_equal(modes[placement.mode].width, e->mode_width);
	assert_int_equal(modes[placement.mode].height, e->mode_height);
	assert_int_equal(modes[placement.mode].refresh_mhz, e->refresh_mhz);
	assert_int_equal(placement.place.scale, e->scale);
	assert_int_equal(placement.place.x, e->x);
	assert_int_equal(placement.place.y, e->y);
	assert_int_equal(placement.place.width, e->width);
	assert_int_equal(placement.place.height, e->height);
}

static void check_all(const struct vman_drm_mode *modes, size_t count,
		      const struct expect *expects, size_t expect_count)
{
	for (size_t i = 0; i < expect_count; i++)
		check(modes, count, &expects[i]);
}

/* The VGA's sizes (text 720x400, 13h doubled to 640x400, 10h 640x350, 12h
 * 640x480) and VVMI modes take the smallest mode that holds them. */
static void test_bochs_closest_modes(void **state)
{
	static const struct expect expects[] = {
		/* 720 is too wide for 640x480; 848x480 is smaller than 800x600. */
		{720, 400, false, 848, 480, 60000, 1, 64, 40, 720, 400},
		{640, 400, false, 640, 480, 59940, 1, 0, 40, 640, 400},
		{640, 350, false, 640, 480, 59940, 1, 0, 65, 640, 350},
		{640, 480, false, 640, 480, 59940, 1, 0, 0, 640, 480},
		/* 800x600 at 60 Hz rather than 56 Hz. */
		{800, 600, false, 800, 600, 60317, 1, 0, 0, 800, 600},
		{1024, 768, false, 1024, 768, 60004, 1, 0, 0, 1024, 768},
		/* A frame at most half the mode each way is scaled up. */
		{320, 200, false, 640, 480, 59940, 2, 0, 40, 640, 400},
		{320, 240, false, 640, 480, 59940, 2, 0, 0, 640, 480},
		{1, 1, false, 640, 480, 59940, 480, 80, 0, 480, 480},
	};

	check_all(bochs, COUNT(bochs), expects, COUNT(expects));
}

static void test_panel_scales_by_integers(void **state)
{
	static const struct expect expects[] = {
		{720, 400, false, 1920, 1080, 60010, 2, 240, 140, 1440, 800},
		{640, 400, false, 1920, 1080, 60010, 2, 320, 140, 1280, 800},
		{640, 350, false, 1920, 1080, 60010, 3, 0, 15, 1920, 1050},
		{640, 480, false, 1920, 1080, 60010, 2, 320, 60, 1280, 960},
		{320, 200, false, 1920, 1080, 60010, 5, 160, 40, 1600, 1000},
		{1920, 1080, false, 1920, 1080, 60010, 1, 0, 0, 1920, 1080},
		{1024, 768, false, 1920, 1080, 60010, 1, 448, 156, 1024, 768},
	};

	check_all(panel, COUNT(panel), expects, COUNT(expects));
}

/* A monitor that lists the VGA's own timings shows the VGA's frames 1:1. */
static void test_monitor_takes_the_vga_timings(void **state)
{
	static const struct expect expects[] = {
		/* 70 Hz rather than 85 Hz: nearer 60. */
		{720, 400, false, 720, 400, 70082, 1, 0, 0, 720, 400},
		/* 59.94 Hz is the nearest 60 of the four 640x480s. */
		{640, 480, false, 640, 480, 59940, 1, 0, 0, 640, 480},
		/* 720x400 holds 13h's 640x400 and 640x350 and is smaller than 640x480. */
		{640, 400, false, 720, 400, 70082, 1, 40, 0, 640, 400},
		{640, 350, false, 720, 400, 70082, 1, 40, 25, 640, 350},
		{1920, 1080, false, 1920, 1080, 60000, 1, 0, 0, 1920, 1080},
	};

	check_all(monitor, COUNT(monitor), expects, COUNT(expects));
}

/* Fullscreen scaling: the preferred mode, filled as far as the aspect
 * allows, by any factor. */
static void test_fill_takes_the_preferred_mode(void **state)
{
	static const struct expect on_bochs[] = {
		{720, 400, true, 1024, 768, 60004, 0, 0, 99, 1024, 569},
		{640, 480, true, 1024, 768, 60004, 0, 0, 0, 1024, 768},
		{320, 200, true, 1024, 768, 60004, 0, 0, 64, 1024, 640},
		/* An exact multiple is an integer scale. */
		{512, 384, true, 1024, 768, 60004, 2, 0, 0, 1024, 768},
		/* Fill scales down too: no mode holds it, yet 1024x768 is asked. */
		{2048, 2048, true, 1024, 768, 60004, 0, 128, 0, 768, 768},
	};
	static const struct expect on_panel[] = {
		{720, 400, true, 1920, 1080, 60010, 0, 0, 6, 1920, 1067},
		{640, 480, true, 1920, 1080, 60010, 0, 240, 0, 1440, 1080},
		{640, 400, true, 1920, 1080, 60010, 0, 96, 0, 1728, 1080},
	};
	static const struct expect on_monitor[] = {
		{720, 400, true, 1920, 1080, 60000, 0, 0, 6, 1920, 1067},
	};

	check_all(bochs, COUNT(bochs), on_bochs, COUNT(on_bochs));
	check_all(panel, COUNT(panel), on_panel, COUNT(on_panel));
	check_all(monitor, COUNT(monitor), on_monitor, COUNT(on_monitor));
}

/* No mode holds the frame: it is scaled down into the mode that shows it
 * largest. */
static void test_larger_than_every_mode_scales_down(void **state)
{
	static const struct expect on_bochs[] = {
		{4096, 4096, false, 2560, 1600, 59987, 0, 480, 0, 1600, 1600},
		/* 2560x1600 holds 2560 wide but not 1601 high. */
		{2560, 1601, false, 2560, 1600, 59987, 0, 1, 0, 2558, 1600},
	};
	static const struct expect on_panel[] = {
		{2048, 1536, false, 1920, 1080, 60010, 0, 240, 0, 1440, 1080},
		/* Exactly half: an integer step down is still not an integer scale. */
		{3840, 2160, false, 1920, 1080, 60010, 0, 0, 0, 1920, 1080},
		/* Extremely wide: the picture keeps at least one row. */
		{4096, 1, false, 1920, 1080, 60010, 0, 0, 539, 1920, 1},
	};

	check_all(bochs, COUNT(bochs), on_bochs, COUNT(on_bochs));
	check_all(panel, COUNT(panel), on_panel, COUNT(on_panel));
}

static void test_ties(void **state)
{
	/* The same size twice: the preferred one, wherever it is. */
	static const struct vman_drm_mode second_preferred[] = {
		MODE(800, 600, 60000),
		PREFERRED(800, 600, 75000),
	};
	/* The same size and refresh distance: the earlier one. */
	static const struct vman_drm_mode twins[] = {
		MODE(800, 600, 55000),
		MODE(800, 600, 65000),
		MODE(1024, 768, 60000),
	};
	/* No preferred mode: fill takes the largest, at the refresh nearest 60. */
	static const struct vman_drm_mode unflagged[] = {
		MODE(1024, 768, 60000),
		MODE(1280, 1024, 75000),
		MODE(1280, 1024, 60020),
		MODE(800, 600, 60000),
	};
	/* A second preferred flag does not take over from the first. */
	static const struct vman_drm_mode two_preferred[] = {
		PREFERRED(1280, 1024, 60000),
		PREFERRED(1024, 768, 60000),
	};
	static const struct expect a = {640, 480, false, 800, 600, 75000, 1, 80, 60, 640, 480};
	static const struct expect b = {640, 480, false, 800, 600, 55000, 1, 80, 60, 640, 480};
	static const struct expect c = {640, 480, true, 1280, 1024, 60020, 2, 0, 32, 1280, 960};
	static const struct expect d = {640, 480, true, 1280, 1024, 60000, 2, 0, 32, 1280, 960};

	check(second_preferred, COUNT(second_preferred), &a);
	check(twins, COUNT(twins), &b);
	check(unflagged, COUNT(unflagged), &c);
	check(two_preferred, COUNT(two_preferred), &d);
}

static void test_no_mode(void **state)
{
	static const struct vman_drm_mode empty_sizes[] = {
		MODE(0, 768, 60000),
		PREFERRED(1024, 0, 60000),
	};
	static const struct vman_drm_mode one[] = {PREFERRED(1024, 768, 60000)};
	struct vman_drm_placement placement;

	assert_int_equal(vman_drm_mode_choose(NULL, 0, 640, 480, false, &placement), -ENOENT);
	assert_int_equal(vman_drm_mode_choose(NULL, 0, 640, 480, true, &placement), -ENOENT);
	assert_int_equal(vman_drm_mode_choose(empty_sizes, COUNT(empty_sizes), 640, 480, false,
					      &placement),
			 -ENOENT);
	assert_int_equal(vman_drm_mode_choose(empty_sizes, COUNT(empty_sizes), 640, 480, true,
					      &placement),
			 -ENOENT);
	assert_int_equal(vman_drm_mode_choose(one, 1, 0, 480, false, &placement), -EINVAL);
	assert_int_equal(vman_drm_mode_choose(one, 1, 640, 0, true, &placement), -EINVAL);
}

/* For every frame size in steps over the range VVMI allows and every list,
 * both ways: the destination is inside the mode, centred, not empty, of the
 * frame's aspect (to the rounding of one pixel), and an integer scale means
 * exactly that multiple. */
static void test_destination_never_leaves_the_mode(void **state)
{
	static const struct {
		const struct vman_drm_mode *modes;
		size_t count;
	} lists[] = {
		{bochs, COUNT(bochs)},
		{panel, COUNT(panel)},
		{monitor, COUNT(monitor)},
	};

	for (size_t l = 0; l < COUNT(lists); l++) {
		for (unsigned w = 1; w <= 4096; w += 37) {
			for (unsigned h = 1; h <= 4096; h += 41) {
				for (int fill = 0; fill < 2; fill++) {
					struct vman_drm_placement p;
					const struct vman_drm_mode *mode;
					const struct vman_placement *d = &p.place;
					uint64_t across, down;

					assert_int_equal(vman_drm_mode_choose(lists[l].modes,
									      lists[l].count, w, h,
									      fill, &p),
							 0);
					mode = &lists[l].modes[p.mode];
					assert_true(d->width >= 1 && d->height >= 1);
					assert_true(d->x + d->width <= mode->width);
					assert_true(d->y + d->height <= mode->height);
					assert_true(mode->width - d->width - 2 * d->x <= 1);
					assert_true(mode->height - d->height - 2 * d->y <= 1);
					if (p.place.scale) {
						assert_int_equal(d->width, p.place.scale * w);
						assert_int_equal(d->height, p.place.scale * h);
					}
					/* |d.w / d.h - w / h| within a pixel's rounding,
					 * unless a side was held at 1. */
					across = (uint64_t)d->width * h;
					down = (uint64_t)d->height * w;
					if (d->width > 1 && d->height > 1)
						assert_true((across > down ? across - down
									   : down - across) <=
							    (uint64_t)(w > h ? w : h));
					/* The closest mode never scales down a frame a mode holds. */
					if (!fill && w <= mode->width && h <= mode->height)
						assert_true(p.place.scale >= 1);
				}
			}
		}
	}
}

static void test_missing_or_non_kms_card(void **state)
{
	struct vman_options options = {
		.renderer = VMAN_RENDERER_PIXMAN,
		.presenter = VMAN_PRESENTER_DRM,
		.drm_device = "/nonexistent/card",
	};

	errno = 0;
	assert_null(vman_create(&options));
	assert_int_equal(errno, ENOENT);
	/* A character device that is not a DRM card. */
	options.drm_device = "/dev/null";
	errno = 0;
	assert_null(vman_create(&options));
	assert_int_equal(errno, ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_closest_modes),
		cmocka_unit_test(test_panel_scales_by_integers),
		cmocka_unit_test(test_monitor_takes_the_vga_timings),
		cmocka_unit_test(test_fill_takes_the_preferred_mode),
		cmocka_unit_test(test_larger_than_every_mode_scales_down),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_no_mode),
		cmocka_unit_test(test_destination_never_leaves_the_mode),
		cmocka_unit_test(test_missing_or_non_kms_card),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
