/* test_vman_placement.c: where a guest frame goes on an output (the rule both the DRM and the Wayland presenters follow) for each DOS mode on common outputs, and how it is drawn there. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "placement.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void assert_fit(unsigned width, unsigned height, unsigned output_width,
		       unsigned output_height, unsigned shown_width, unsigned shown_height)
{
	struct vman_placement placement;

	vman_place(output_width, output_height, width, height, false, &placement);
	assert_int_equal(placement.width, shown_width);
	assert_int_equal(placement.height, shown_height);
	assert_int_equal(placement.x, (output_width - shown_width) / 2);
	assert_int_equal(placement.y, (output_height - shown_height) / 2);
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

/* An integer scale makes blocks of the guest's pixels; the border is black;
 * the frame's unused top byte (0 here) becomes 0xFF. */
static void test_draw_integer_scale_and_border(void **state)
{
	static const uint32_t frame[2 * 2] = {0x112233, 0x445566, 0x778899, 0xAABBCC};
	struct vman_placement placement;
	uint32_t pixels[10 * 6];
	struct vman_target target = {pixels, 10, 6, 10 * 4};

	for (unsigned i = 0; i < COUNT(pixels); i++)
		pixels[i] = 0xDEADBEEF;
	vman_place(10, 6, 2, 2, false, &placement);
	assert_int_equal(placement.scale, 3);
	assert_int_equal(placement.x, 2);
	assert_int_equal(placement.y, 0);
	assert_int_equal(vman_draw_placed(&target, frame, 2, 2, &placement), 0);
	for (unsigned y = 0; y < 6; y++) {
		for (unsigned x = 0; x < 10; x++) {
			uint32_t want = x < 2 || x >= 8 ? 0 : frame[(y / 3) * 2 + (x - 2) / 3];

			assert_int_equal(pixels[y * 10 + x], 0xFF000000u | want);
		}
	}
}

/* A non-integer factor blends neighbours, and the edges keep their own
 * colour (no black bleeding in); a padded stride is honoured. */
static void test_draw_bilinear_keeps_edges(void **state)
{
	static const uint32_t frame[2] = {0x000000, 0xFFFFFF};
	struct vman_placement placement;
	uint32_t pixels[8 * 3];
	struct vman_target target = {pixels, 5, 3, 8 * 4};

	for (unsigned i = 0; i < COUNT(pixels); i++)
		pixels[i] = 0xDEADBEEF;
	vman_place(5, 3, 2, 1, true, &placement);
	assert_int_equal(placement.scale, 0);
	assert_int_equal(placement.width, 5);
	assert_int_equal(placement.height, 3);
	assert_int_equal(vman_draw_placed(&target, frame, 2, 1, &placement), 0);
	for (unsigned y = 0; y < 3; y++) {
		const uint32_t *row = pixels + y * 8;

		assert_int_equal(row[0], 0xFF000000u);
		assert_int_equal(row[4], 0xFFFFFFFFu);
		/* The middle is between the two, a grey. */
		assert_true((row[2] & 0xFF) > 0x40 && (row[2] & 0xFF) < 0xC0);
		for (unsigned x = 5; x < 8; x++)
			assert_int_equal(row[x], 0xDEADBEEF);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_scale_where_it_fits),
		cmocka_unit_test(test_too_big_keeps_its_aspect),
		cmocka_unit_test(test_draw_integer_scale_and_border),
		cmocka_unit_test(test_draw_bilinear_keeps_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
