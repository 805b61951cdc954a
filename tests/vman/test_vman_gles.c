/* test_vman_gles.c: the GLES 2 renderer shows exactly what the pixman renderer shows; skipped (exit 77) where EGL cannot start. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vman_test.h"

#define W 64
#define H 48
#define MESON_SKIP 77

static uint32_t noise(uint32_t i, uint32_t seed)
{
	uint32_t x = i * 2654435761u ^ (seed + 1) * 40503u;

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return x;
}

static void put_noise(struct test_vm *vm, uint16_t surface, enum vvmi_format format,
		      unsigned width, unsigned height, uint32_t seed)
{
	static uint32_t values[W * H];
	uint32_t mask = format == VVMI_FORMAT_I8 ? 0xFF : format == VVMI_FORMAT_RGB565 ? 0xFFFF
											 : 0xFFFFFF;

	for (unsigned i = 0; i < width * height; i++)
		values[i] = noise(i, seed) & mask;
	test_put_values(vm, surface, format, 0, 0, width, height, values);
}

static void create(struct test_vm *vm, uint16_t id, uint8_t kind, uint8_t format, uint16_t w,
		   uint16_t h, int16_t x, int16_t y)
{
	struct vvmi_surface_create cmd = {.surface = id, .kind = kind, .format = format,
					  .width = w, .height = h, .x = x, .y = y};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, cmd), 0);
}

/* Every format, the palette, windows off the edges, a region, a hidden window, the pointer. */
static void build_scene(struct test_vm *vm)
{
	struct vvmi_set_mode mode = {.width = W, .height = H, .format = VVMI_FORMAT_I8};
	struct {
		struct vvmi_palette head;
		uint32_t entries[200];
	} palette = {{.surface = 0, .first = 30, .count = 200}, {0}};
	struct {
		struct vvmi_window_region head;
		struct vvmi_rect rects[3];
	} region = {{.surface = 2, .count = 3}, {{0, 0, 16, 4}, {2, 6, 5, 9}, {10, 8, 30, 30}}};
	struct vvmi_window_visible hide = {.surface = 3, .visible = 0};
	static const uint8_t masks[2 * 2 * 11] = {
		0x00, 0x3F, 0x80, 0x1F, 0xC0, 0x0F, 0xE0, 0x07, 0xF0, 0x03, 0xF8, 0x01,
		0xFC, 0x00, 0xFE, 0x00, 0x7F, 0x80, 0x3F, 0xC0, 0x1F, 0xE0,
		0x00, 0x00, 0x40, 0x00, 0x60, 0x00, 0x70, 0x00, 0x78, 0x00, 0x7C, 0x00,
		0x7E, 0x00, 0x7F, 0x00, 0x7F, 0x80, 0x7C, 0x00, 0xFF, 0xFF,
	};
	struct vvmi_pointer_shape shape = {.width = 10, .height = 11, .hot_x = 1, .hot_y = 1,
					   .masks = 0xA000};
	struct vvmi_pointer_pos pos = {.x = 60, .y = 20, .visible = 1};

	vm->width = W;
	vm->height = H;
	vm->format = VVMI_FORMAT_I8;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SET_MODE, mode), 0);
	for (unsigned i = 0; i < 200; i++)
		palette.entries[i] = noise(i, 99);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PALETTE, palette), 0);
	put_noise(vm, 0, VVMI_FORMAT_I8, W, H, 1);
	create(vm, 1, VVMI_SURFACE_WINDOW, VVMI_FORMAT_RGB565, 20, 15, -5, 36);
	put_noise(vm, 1, VVMI_FORMAT_RGB565, 20, 15, 2);
	create(vm, 2, VVMI_SURFACE_WINDOW, VVMI_FORMAT_XRGB8888, 16, 16, 40, 10);
	put_noise(vm, 2, VVMI_FORMAT_XRGB8888, 16, 16, 3);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_REGION, region), 0);
	create(vm, 3, VVMI_SURFACE_WINDOW, VVMI_FORMAT_XRGB8888, 30, 30, 0, 0);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_VISIBLE, hide), 0);
	create(vm, 4, VVMI_SURFACE_WINDOW, VVMI_FORMAT_I8, 12, 12, 8, 8);
	put_noise(vm, 4, VVMI_FORMAT_I8, 12, 12, 4);
	test_heap_put(vm, 0xA000, masks, sizeof(masks));
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_POINTER_SHAPE, shape), 0);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_POINTER_POS, pos), 0);
}

static void test_gles_output_matches_pixman(void **state)
{
	struct test_vm *pixman = test_vm_create(VMAN_RENDERER_PIXMAN);
	struct test_vm *gles = test_vm_create(VMAN_RENDERER_GLES);
	static uint32_t expected[W * H], got[W * H];
	unsigned different = 0;

	assert_non_null(pixman);
	assert_non_null(gles);
	build_scene(pixman);
	build_scene(gles);
	/* Twice: the second frame reuses what the first set up. */
	for (int frame = 0; frame < 2; frame++) {
		test_frame(pixman, expected);
		test_frame(gles, got);
		for (unsigned i = 0; i < W * H; i++) {
			if (got[i] != expected[i] && different++ < 10)
				print_error("(%u,%u): gles %#08x, pixman %#08x\n", i % W, i / W, got[i],
					    expected[i]);
		}
		assert_int_equal(different, 0);
	}
	/* The scene is not mostly one colour, or the comparison would say little. */
	for (unsigned i = 0; i < W * H; i++)
		different += expected[i] != expected[0];
	assert_true(different > W * H / 2);
	test_vm_destroy(gles);
	test_vm_destroy(pixman);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gles_output_matches_pixman),
	};
	struct vman_options options = {.renderer = VMAN_RENDERER_GLES};
	struct vman *probe = vman_create(&options);

	if (!probe) {
		printf("SKIP gles: %s\n", strerror(errno));
		return MESON_SKIP;
	}
	vman_destroy(probe);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
