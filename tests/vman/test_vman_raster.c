/* test_vman_raster.c: libvman's raster operations (Windows' ROP2 and ROP3 numbering), patterns, clipping, Bresenham lines and text, checked against references computed bit by bit here. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "vman_test.h"

#define W 24 /* not a multiple of 8, so that pattern alignment shows */
#define H 20
#define FONT_OFFSET 0x8000u
#define STRING_OFFSET 0x8800u

static const enum vvmi_format formats[] = {VVMI_FORMAT_I8, VVMI_FORMAT_RGB565,
					   VVMI_FORMAT_XRGB8888};

static const uint8_t named_rop3s[] = {
	VVMI_ROP3_SRCCOPY,   VVMI_ROP3_SRCPAINT,   VVMI_ROP3_SRCAND,    VVMI_ROP3_SRCINVERT,
	VVMI_ROP3_SRCERASE,  VVMI_ROP3_NOTSRCCOPY, VVMI_ROP3_NOTSRCERASE, VVMI_ROP3_MERGECOPY,
	VVMI_ROP3_MERGEPAINT, VVMI_ROP3_PATCOPY,   VVMI_ROP3_PATPAINT,  VVMI_ROP3_PATINVERT,
	VVMI_ROP3_DSTINVERT, VVMI_ROP3_BLACKNESS,  VVMI_ROP3_WHITENESS,
};

static const uint8_t pattern_rows[8] = {0x55, 0xAA, 0x0F, 0xF0, 0x33, 0xCC, 0x81, 0x7E};

static uint32_t format_mask(enum vvmi_format format)
{
	return (uint32_t)((1ull << test_format_bits(format)) - 1);
}

/* Values that differ everywhere, reproducibly. */
static uint32_t noise(uint32_t i, uint32_t seed)
{
	uint32_t x = i * 2654435761u ^ (seed + 1) * 40503u;

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return x;
}

static void noise_fill(uint32_t *values, size_t count, uint32_t seed, enum vvmi_format format)
{
	for (size_t i = 0; i < count; i++)
		values[i] = noise((uint32_t)i, seed) & format_mask(format);
}

/* Result bit b is bit ((P << 1) | D) of rop2 - 1, per the protocol. */
static uint32_t ref_rop2(unsigned rop2, uint32_t p, uint32_t d, unsigned bits)
{
	uint32_t r = 0;

	for (unsigned b = 0; b < bits; b++) {
		unsigned index = (p >> b & 1) << 1 | (d >> b & 1);

		r |= ((rop2 - 1) >> index & 1u) << b;
	}
	return r;
}

/* Result bit b is bit ((P << 2) | (S << 1) | D) of rop3. */
static uint32_t ref_rop3(unsigned rop3, uint32_t p, uint32_t s, uint32_t d, unsigned bits)
{
	uint32_t r = 0;

	for (unsigned b = 0; b < bits; b++) {
		unsigned index = (p >> b & 1) << 2 | (s >> b & 1) << 1 | (d >> b & 1);

		r |= (rop3 >> index & 1u) << b;
	}
	return r;
}

/* The pattern's colour at surface pixel (x, y): aligned to (0,0), bit 7 leftmost. */
static uint32_t ref_pattern(const uint8_t rows[8], uint32_t fg, uint32_t bg, int x, int y)
{
	return (rows[y & 7] >> (7 - (x & 7)) & 1) ? fg : bg;
}

static bool in_rect(int x, int y, int rx, int ry, int rw, int rh)
{
	return x >= rx && x < rx + rw && y >= ry && y < ry + rh;
}

static void assert_screen(struct test_vm *vm, const uint32_t *expected)
{
	uint32_t got[W * H];

	test_screen_values(vm, got);
	for (int i = 0; i < W * H; i++) {
		if (got[i] != expected[i])
			fail_msg("pixel (%d,%d): got %#x, expected %#x", i % W, i / W, got[i],
				 expected[i]);
	}
}

static int setup(void **state)
{
	*state = test_vm_create(VMAN_RENDERER_PIXMAN);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	test_vm_destroy(*state);
	return 0;
}

/* FILL through each of the 16 ROP2s over varied destination indices. */
static void test_every_rop2_on_i8(void **state)
{
	struct test_vm *vm = *state;
	uint32_t dst[W * H], expected[W * H];
	const int rx = 2, ry = 3, rw = 15, rh = 11;

	test_set_mode(vm, VVMI_FORMAT_I8, W, H);
	noise_fill(dst, W * H, 1, VVMI_FORMAT_I8);
	for (unsigned rop2 = 1; rop2 <= 16; rop2++) {
		struct vvmi_fill fill = {.surface = 0, .rop2 = (uint8_t)rop2,
					 .rect = {rx, ry, rw, rh}, .color = 0x5A};

		test_put_values(vm, 0, VVMI_FORMAT_I8, 0, 0, W, H, dst);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, fill), 0);
		for (int i = 0; i < W * H; i++)
			expected[i] = in_rect(i % W, i / W, rx, ry, rw, rh)
					      ? ref_rop2(rop2, 0x5A, dst[i], 8)
					      : dst[i];
		assert_screen(vm, expected);
	}
}

/* ROP2s on the wider formats: R2_WHITE is every bit of the format, the
 * colour is cut to the format. */
static void test_rop2_white_and_colour_cut_to_format(void **state)
{
	struct test_vm *vm = *state;
	uint32_t got[W * H];

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		struct vvmi_fill white = {.rop2 = VVMI_ROP2_WHITE, .rect = {0, 0, 4, 4}};
		struct vvmi_fill pen = {.rop2 = VVMI_ROP2_COPYPEN, .rect = {4, 0, 4, 4},
					.color = 0xFF123456};
		struct vvmi_fill xor_pen = {.rop2 = VVMI_ROP2_XORPEN, .rect = {0, 0, 2, 2},
					    .color = 0x0F0F0F0F};

		test_set_mode(vm, formats[f], W, H);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, white), 0);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, pen), 0);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, xor_pen), 0);
		test_screen_values(vm, got);
		assert_int_equal(got[3 * W + 3], format_mask(formats[f]));
		assert_int_equal(got[0], format_mask(formats[f]) & ~0x0F0F0F0Fu);
		assert_int_equal(got[5], 0x123456u & format_mask(formats[f]));
		assert_int_equal(got[8], 0);
	}
}

/* BITBLT from a bitmap with an 8x8 pattern through each named ROP3, on each format. */
static void test_named_rop3s_on_each_format(void **state)
{
	struct test_vm *vm = *state;
	uint32_t src[W * H], dst[W * H], expected[W * H], got[W * H];
	const int rx = 1, ry = 2, rw = 20, rh = 15, sx = 3, sy = 1;

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		enum vvmi_format format = formats[f];
		uint32_t mask = format_mask(format);
		uint32_t fg = noise(7, 9) & mask, bg = noise(8, 9) & mask;
		struct vvmi_surface_create bitmap = {.surface = 1, .kind = VVMI_SURFACE_BITMAP,
						     .format = (uint8_t)format, .width = W,
						     .height = H};
		struct vvmi_surface_ref gone = {.surface = 1};

		test_set_mode(vm, format, W, H);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, bitmap), 0);
		noise_fill(src, W * H, 2, format);
		noise_fill(dst, W * H, 1, format);
		test_put_values(vm, 1, format, 0, 0, W, H, src);
		for (size_t r = 0; r < sizeof(named_rop3s); r++) {
			struct vvmi_bitblt blt = {.dst = 0, .src = 1, .rect = {rx, ry, rw, rh},
						  .src_x = sx, .src_y = sy, .rop3 = named_rop3s[r],
						  .has_pattern = 1, .pattern_fg = fg,
						  .pattern_bg = bg};

			memcpy(blt.pattern, pattern_rows, 8);
			test_put_values(vm, 0, format, 0, 0, W, H, dst);
			assert_int_equal(TEST_GHI(vm, VVMI_CMD_BITBLT, blt), 0);
			for (int i = 0; i < W * H; i++) {
				int x = i % W, y = i / W;

				expected[i] = dst[i];
				if (in_rect(x, y, rx, ry, rw, rh))
					expected[i] = ref_rop3(
						named_rop3s[r],
						ref_pattern(pattern_rows, fg, bg, x, y),
						src[(y - ry + sy) * W + (x - rx + sx)], dst[i],
						test_format_bits(format));
			}
			assert_screen(vm, expected);
			if (named_rop3s[r] == VVMI_ROP3_WHITENESS) {
				test_screen_values(vm, got);
				assert_int_equal(got[ry * W + rx], mask);
			}
		}
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_DESTROY, gone), 0);
	}
}

/* PUT_IMAGE through ROP3s: S is the image, P solid 0. */
static void test_put_image_rop3_has_black_pattern(void **state)
{
	struct test_vm *vm = *state;
	static const uint8_t rops[] = {VVMI_ROP3_SRCINVERT, VVMI_ROP3_SRCAND, VVMI_ROP3_MERGECOPY,
				       VVMI_ROP3_PATPAINT, VVMI_ROP3_NOTSRCERASE};
	uint32_t image[8 * 5], dst[W * H], expected[W * H];

	test_set_mode(vm, VVMI_FORMAT_RGB565, W, H);
	noise_fill(image, 8 * 5, 3, VVMI_FORMAT_RGB565);
	noise_fill(dst, W * H, 4, VVMI_FORMAT_RGB565);
	for (size_t r = 0; r < sizeof(rops); r++) {
		struct vvmi_put_image put = {.surface = 0, .rop3 = rops[r],
					     .format = VVMI_FORMAT_RGB565, .rect = {6, 7, 8, 5},
					     .offset = 0x9000, .stride = 20};

		test_put_values(vm, 0, VVMI_FORMAT_RGB565, 0, 0, W, H, dst);
		for (int i = 0; i < 8 * 5; i++) {
			uint8_t le[2] = {(uint8_t)image[i], (uint8_t)(image[i] >> 8)};

			test_heap_put(vm, 0x9000u + (unsigned)(i / 8) * 20u + (unsigned)(i % 8) * 2u,
				      le, 2);
		}
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_PUT_IMAGE, put), 0);
		for (int i = 0; i < W * H; i++) {
			int x = i % W, y = i / W;

			expected[i] = in_rect(x, y, 6, 7, 8, 5)
					      ? ref_rop3(rops[r], 0, image[(y - 7) * 8 + (x - 6)],
							 dst[i], 16)
					      : dst[i];
		}
		assert_screen(vm, expected);
	}
}

/* The pattern is aligned to the surface's (0,0), not to the rectangle. */
static void test_pattern_fill_is_aligned_to_the_surface(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_pattern_fill fill = {.surface = 0, .rop3 = VVMI_ROP3_PATCOPY,
					 .rect = {3, 5, 13, 9}, .fg = 1, .bg = 2};
	struct vvmi_pattern_fill invert = {.surface = 0, .rop3 = VVMI_ROP3_PATINVERT,
					   .rect = {0, 0, W, H}, .fg = 0xF0, .bg = 0x0F};
	uint32_t expected[W * H];

	memcpy(fill.pattern, pattern_rows, 8);
	memcpy(invert.pattern, pattern_rows, 8);
	test_set_mode(vm, VVMI_FORMAT_I8, W, H);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PATTERN_FILL, fill), 0);
	for (int i = 0; i < W * H; i++) {
		int x = i % W, y = i / W;

		expected[i] = in_rect(x, y, 3, 5, 13, 9) ? ref_pattern(pattern_rows, 1, 2, x, y) : 0;
	}
	assert_screen(vm, expected);
	/* Row 5 uses pattern row 5 (0xCC), column 3 bit 4. */
	assert_int_equal(expected[5 * W + 3], 2);
	assert_int_equal(expected[5 * W + 4], 1);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PATTERN_FILL, invert), 0);
	for (int i = 0; i < W * H; i++)
		expected[i] ^= ref_pattern(pattern_rows, 0xF0, 0x0F, i % W, i / W);
	assert_screen(vm, expected);
}

/* BITBLT without a pattern uses pattern_fg as a solid brush. */
static void test_bitblt_without_pattern_is_solid_fg(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_bitblt blt = {.dst = 0, .src = 99, .rect = {2, 2, 5, 5},
				  .rop3 = VVMI_ROP3_PATCOPY, .pattern_fg = 0x00ABCDEF,
				  .pattern_bg = 0x111111};
	uint32_t expected[W * H];

	memcpy(blt.pattern, pattern_rows, 8);
	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	/* PATCOPY does not read the source, so surface 99 is not looked at. */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_BITBLT, blt), 0);
	for (int i = 0; i < W * H; i++)
		expected[i] = in_rect(i % W, i / W, 2, 2, 5, 5) ? 0xABCDEF : 0;
	assert_screen(vm, expected);
}

/* A rectangle partly outside draws its inside part, one wholly outside nothing. */
static void test_fill_is_clipped_at_every_edge(void **state)
{
	struct test_vm *vm = *state;
	static const struct vvmi_rect rects[] = {
		{-5, -4, 10, 8},          /* top-left */
		{W - 3, H - 2, 10, 10},   /* bottom-right */
		{-100, 9, 1000, 2},       /* left and right */
		{11, -50, 2, 200},        /* top and bottom */
		{W, 0, 5, 5},             /* just right of it */
		{0, -10, 5, 10},          /* ends just above it */
		{-32768, -32768, 0, 65535}, /* empty */
	};
	uint32_t expected[W * H] = {0};

	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	for (size_t r = 0; r < sizeof(rects) / sizeof(rects[0]); r++) {
		struct vvmi_fill fill = {.surface = 0, .rop2 = VVMI_ROP2_XORPEN, .rect = rects[r],
					 .color = 0x010203u << r};

		assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, fill), 0);
		for (int i = 0; i < W * H; i++) {
			if (in_rect(i % W, i / W, rects[r].x, rects[r].y, rects[r].w, rects[r].h))
				expected[i] ^= (0x010203u << r) & 0xFFFFFFu;
		}
	}
	assert_screen(vm, expected);
}

/* Blits are clipped to the destination and to the source, the two moving together. */
static void test_bitblt_is_clipped_to_both_surfaces(void **state)
{
	struct test_vm *vm = *state;
	enum { SW = 12, SH = 10 };
	static const struct {
		struct vvmi_rect rect;
		int16_t src_x, src_y;
	} blits[] = {
		{{-2, -3, 10, 10}, 5, 4},   /* off the destination's top-left */
		{{6, 6, 10, 10}, -4, -2},   /* the source's top-left */
		{{10, 12, 30, 30}, 3, 3},   /* both bottom-rights */
		{{0, 0, 5, 5}, SW, 0},      /* the source wholly outside */
		{{-20, 0, 5, 5}, 0, 0},     /* the destination wholly outside */
	};
	struct vvmi_surface_create bitmap = {.surface = 3, .kind = VVMI_SURFACE_BITMAP,
					     .format = VVMI_FORMAT_XRGB8888, .width = SW,
					     .height = SH};
	uint32_t src[SW * SH], dst[W * H], expected[W * H];

	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, bitmap), 0);
	noise_fill(src, SW * SH, 5, VVMI_FORMAT_XRGB8888);
	noise_fill(dst, W * H, 6, VVMI_FORMAT_XRGB8888);
	test_put_values(vm, 3, VVMI_FORMAT_XRGB8888, 0, 0, SW, SH, src);
	for (size_t b = 0; b < sizeof(blits) / sizeof(blits[0]); b++) {
		const struct vvmi_rect *r = &blits[b].rect;
		struct vvmi_bitblt blt = {.dst = 0, .src = 3, .rect = *r, .src_x = blits[b].src_x,
					  .src_y = blits[b].src_y, .rop3 = VVMI_ROP3_SRCCOPY};

		test_put_values(vm, 0, VVMI_FORMAT_XRGB8888, 0, 0, W, H, dst);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_BITBLT, blt), 0);
		for (int i = 0; i < W * H; i++) {
			int x = i % W, y = i / W;
			int sx = x - r->x + blits[b].src_x, sy = y - r->y + blits[b].src_y;

			expected[i] = in_rect(x, y, r->x, r->y, r->w, r->h) && sx >= 0 && sx < SW &&
						      sy >= 0 && sy < SH
					      ? src[sy * SW + sx]
					      : dst[i];
		}
		assert_screen(vm, expected);
	}
}

/* Within one surface a blit reads all its source before it writes, as memmove, whichever way it goes. */
static void test_overlapping_blit_both_directions(void **state)
{
	struct test_vm *vm = *state;
	static const int shifts[][2] = {{3, 2}, {-3, -2}, {1, 0}, {-1, 0}, {0, 1}, {0, -1},
					{5, -1}, {-5, 1}};
	static const uint8_t rops[] = {VVMI_ROP3_SRCCOPY, VVMI_ROP3_SRCINVERT};
	const int rx = 6, ry = 5, rw = 10, rh = 8;
	uint32_t before[W * H], expected[W * H];

	test_set_mode(vm, VVMI_FORMAT_RGB565, W, H);
	noise_fill(before, W * H, 7, VVMI_FORMAT_RGB565);
	for (size_t r = 0; r < sizeof(rops); r++) {
		for (size_t s = 0; s < sizeof(shifts) / sizeof(shifts[0]); s++) {
			/* The destination is the source moved by the shift. */
			int sx = rx - shifts[s][0], sy = ry - shifts[s][1];
			struct vvmi_bitblt blt = {.dst = 0, .src = 0, .rect = {rx, ry, rw, rh},
						  .src_x = (int16_t)sx, .src_y = (int16_t)sy,
						  .rop3 = rops[r]};

			test_put_values(vm, 0, VVMI_FORMAT_RGB565, 0, 0, W, H, before);
			assert_int_equal(TEST_GHI(vm, VVMI_CMD_BITBLT, blt), 0);
			for (int i = 0; i < W * H; i++) {
				int x = i % W, y = i / W;
				uint32_t source = 0;

				expected[i] = before[i];
				if (!in_rect(x, y, rx, ry, rw, rh))
					continue;
				source = before[(y - ry + sy) * W + (x - rx + sx)];
				expected[i] = ref_rop3(rops[r], 0, source, before[i], 16);
			}
			assert_screen(vm, expected);
		}
	}
}

/* Draws a COPYPEN line of index 7 on a cleared 16x16 I8 screen and checks
 * that exactly the given pixels are set. */
static void assert_line(struct test_vm *vm, int16_t x0, int16_t y0, int16_t x1, int16_t y1,
			const int (*pixels)[2], size_t count)
{
	struct vvmi_fill clear = {.rop2 = VVMI_ROP2_BLACK, .rect = {0, 0, W, H}};
	struct vvmi_line line = {.surface = 0, .rop2 = VVMI_ROP2_COPYPEN, .x0 = x0, .y0 = y0,
				 .x1 = x1, .y1 = y1, .color = 7};
	uint32_t expected[W * H] = {0};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, clear), 0);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, line), 0);
	for (size_t i = 0; i < count; i++)
		expected[pixels[i][1] * W + pixels[i][0]] = 7;
	assert_screen(vm, expected);
}

/* Bresenham, both ends drawn; where the line passes midway between two
 * pixels it takes the one further along the minor axis. */
static void test_bresenham_exact_pixels(void **state)
{
	struct test_vm *vm = *state;
	static const int shallow[][2] = {{0, 0}, {1, 1}, {2, 1}, {3, 2}, {4, 2}};
	static const int steep_back[][2] = {{2, 0}, {2, 1}, {1, 2}, {1, 3}, {0, 4}, {0, 5}};
	static const int up_left[][2] = {{9, 9}, {8, 8}, {7, 7}};
	static const int flat[][2] = {{3, 4}, {4, 4}, {5, 4}, {6, 4}};
	static const int upright[][2] = {{5, 7}, {5, 6}, {5, 5}};
	static const int dot[][2] = {{5, 5}};

	test_set_mode(vm, VVMI_FORMAT_I8, W, H);
	assert_line(vm, 0, 0, 4, 2, shallow, 5);
	assert_line(vm, 2, 0, 0, 5, steep_back, 6);
	assert_line(vm, 9, 9, 7, 7, up_left, 3);
	assert_line(vm, 3, 4, 6, 4, flat, 4);
	assert_line(vm, 5, 7, 5, 5, upright, 3);
	assert_line(vm, 5, 5, 5, 5, dot, 1);
}

/* A clipped line shows the same pixels as the whole line would there. */
static void test_line_clipped_at_every_edge(void **state)
{
	struct test_vm *vm = *state;
	enum { BIG_W = 80, BIG_H = 64, OX = 28, OY = 22 };
	static const int16_t lines[][4] = {
		{-10, -5, 30, 25}, {-20, 30, 40, -12}, {5, -20, 12, 40}, {-25, 7, 50, 9},
	};
	static uint32_t big[BIG_W * BIG_H];
	uint32_t expected[W * H];

	for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]); l++) {
		struct vvmi_line line = {.surface = 0, .rop2 = VVMI_ROP2_XORPEN,
					 .x0 = (int16_t)(lines[l][0] + OX), .y0 = (int16_t)(lines[l][1] + OY),
					 .x1 = (int16_t)(lines[l][2] + OX), .y1 = (int16_t)(lines[l][3] + OY),
					 .color = 0x3C};

		/* The whole line on a big screen, the small one a window of it at OX, OY. */
		test_set_mode(vm, VVMI_FORMAT_I8, BIG_W, BIG_H);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, line), 0);
		test_screen_values(vm, big);
		for (int i = 0; i < W * H; i++)
			expected[i] = big[(i / W + OY) * BIG_W + i % W + OX];
		test_set_mode(vm, VVMI_FORMAT_I8, W, H);
		line.x0 = lines[l][0];
		line.y0 = lines[l][1];
		line.x1 = lines[l][2];
		line.y1 = lines[l][3];
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, line), 0);
		assert_screen(vm, expected);
	}
}

/* Corner to corner of int16's range: the visible diagonal, soon. */
static void test_huge_clipped_line_is_fast(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_line diagonal = {.surface = 0, .rop2 = VVMI_ROP2_COPYPEN, .x0 = -30000,
				     .y0 = -30000, .x1 = 30000, .y1 = 30000, .color = 9};
	struct vvmi_line outside = {.surface = 0, .rop2 = VVMI_ROP2_COPYPEN, .x0 = -32768,
				    .y0 = 100, .x1 = 32767, .y1 = 300, .color = 9};
	uint32_t expected[W * H] = {0};
	clock_t start = clock();

	test_set_mode(vm, VVMI_FORMAT_I8, W, H);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, diagonal), 0);
		assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, outside), 0);
	}
	assert_true(clock() - start < CLOCKS_PER_SEC);
	for (int i = 0; i < H; i++)
		expected[i * W + i] = 9;
	assert_screen(vm, expected);
}

/* Drawing the same line twice with R2_XORPEN leaves nothing: each pixel once. */
static void test_xor_line_twice_leaves_nothing(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_line line = {.surface = 0, .rop2 = VVMI_ROP2_XORPEN, .x0 = 1, .y0 = 17,
				 .x1 = 22, .y1 = 2, .color = 0xFF};
	uint32_t expected[W * H] = {0}, got[W * H];
	int set = 0;

	test_set_mode(vm, VVMI_FORMAT_I8, W, H);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, line), 0);
	test_screen_values(vm, got);
	for (int i = 0; i < W * H; i++)
		set += got[i] == 0xFF;
	assert_int_equal(set, 22); /* one per column: x-major */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, line), 0);
	assert_screen(vm, expected);
}

/* A 6x8 font of 'A', 'B', 'C'. */
static const uint8_t font[3][8] = {
	{0x30, 0x48, 0x84, 0x84, 0xFC, 0x84, 0x84, 0x00},
	{0xF8, 0x84, 0x84, 0xF8, 0x84, 0x84, 0xF8, 0x00},
	{0x78, 0x84, 0x80, 0x80, 0x80, 0x84, 0x78, 0x00},
};

/* The text the test font gives, drawn into a model of the screen. */
static void ref_text(uint32_t *screen, const char *string, int x, int y, uint32_t fg,
		     uint32_t bg, bool transparent)
{
	for (size_t c = 0; string[c]; c++) {
		int index = string[c] - 'A';
		bool in_font = index >= 0 && index < 3;

		for (int row = 0; row < 8; row++) {
			for (int column = 0; column < 6; column++) {
				int px = x + (int)c * 6 + column, py = y + row;
				bool set = in_font && (font[index][row] >> (7 - column) & 1);

				if (px < 0 || px >= W || py < 0 || py >= H || (!set && transparent))
					continue;
				screen[py * W + px] = set ? fg : bg;
			}
		}
	}
}

static struct vvmi_text text_command(struct test_vm *vm, const char *string, int16_t x,
				     int16_t y, bool transparent)
{
	test_heap_put(vm, FONT_OFFSET, font, sizeof(font));
	test_heap_put(vm, STRING_OFFSET, string, strlen(string));
	return (struct vvmi_text){.surface = 0, .transparent = transparent, .x = x, .y = y,
				  .fg = 0x0E, .bg = 0x01, .font = FONT_OFFSET, .glyph_width = 6,
				  .glyph_height = 8, .first = 'A', .count = 3,
				  .string = STRING_OFFSET, .length = (uint16_t)strlen(string)};
}

/* Opaque and transparent text, clipped at each edge; characters outside the font are blank cells. */
static void test_text_opaque_transparent_and_clipped(void **state)
{
	struct test_vm *vm = *state;
	static const struct {
		const char *string;
		int16_t x, y;
		bool transparent;
	} runs[] = {
		{"ABC", -3, -2, false},      /* left and top edges */
		{"CAB", W - 10, H - 5, false}, /* right and bottom edges */
		{"AZB", 2, 6, false},        /* Z is not in the font */
		{"BA", 1, 9, true},          /* over the others: only fg */
		{"ABCABCABC", -30000, 3, false}, /* wholly left of the surface */
	};
	uint32_t expected[W * H];

	test_set_mode(vm, VVMI_FORMAT_I8, W, H);
	noise_fill(expected, W * H, 8, VVMI_FORMAT_I8);
	test_put_values(vm, 0, VVMI_FORMAT_I8, 0, 0, W, H, expected);
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		struct vvmi_text text =
			text_command(vm, runs[r].string, runs[r].x, runs[r].y, runs[r].transparent);

		assert_int_equal(TEST_GHI(vm, VVMI_CMD_TEXT, text), 0);
		ref_text(expected, runs[r].string, runs[r].x, runs[r].y, 0x0E, 0x01,
			 runs[r].transparent);
		assert_screen(vm, expected);
	}
}

#define RASTER_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		RASTER_TEST(test_every_rop2_on_i8),
		RASTER_TEST(test_rop2_white_and_colour_cut_to_format),
		RASTER_TEST(test_named_rop3s_on_each_format),
		RASTER_TEST(test_put_image_rop3_has_black_pattern),
		RASTER_TEST(test_pattern_fill_is_aligned_to_the_surface),
		RASTER_TEST(test_bitblt_without_pattern_is_solid_fg),
		RASTER_TEST(test_fill_is_clipped_at_every_edge),
		RASTER_TEST(test_bitblt_is_clipped_to_both_surfaces),
		RASTER_TEST(test_overlapping_blit_both_directions),
		RASTER_TEST(test_bresenham_exact_pixels),
		RASTER_TEST(test_line_clipped_at_every_edge),
		RASTER_TEST(test_huge_clipped_line_is_fast),
		RASTER_TEST(test_xor_line_twice_leaves_nothing),
		RASTER_TEST(test_text_opaque_transparent_and_clipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
