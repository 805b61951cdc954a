/* test_vman_ghi.c: vman_ghi refuses every malformed VVMI command with the protocol's error code and changes nothing. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vman_test.h"

#define W 32
#define H 24

enum {
	WINDOW = 1,     /* XRGB8888 8x8 at (4,4), red */
	BITMAP = 2,     /* XRGB8888 8x8 */
	BITMAP_I8 = 3,  /* I8 8x8 */
	WINDOW_I8 = 4,  /* I8 6x6 at (20,10), index 20 */
	UNUSED = 9,
};

static const size_t body_sizes[VVMI_CMD_COUNT] = {
	[VVMI_CMD_SURFACE_CREATE] = sizeof(struct vvmi_surface_create),
	[VVMI_CMD_SURFACE_DESTROY] = sizeof(struct vvmi_surface_ref),
	[VVMI_CMD_SET_MODE] = sizeof(struct vvmi_set_mode),
	[VVMI_CMD_PALETTE] = sizeof(struct vvmi_palette),
	[VVMI_CMD_FILL] = sizeof(struct vvmi_fill),
	[VVMI_CMD_PATTERN_FILL] = sizeof(struct vvmi_pattern_fill),
	[VVMI_CMD_BITBLT] = sizeof(struct vvmi_bitblt),
	[VVMI_CMD_PUT_IMAGE] = sizeof(struct vvmi_put_image),
	[VVMI_CMD_LINE] = sizeof(struct vvmi_line),
	[VVMI_CMD_TEXT] = sizeof(struct vvmi_text),
	[VVMI_CMD_POINTER_SHAPE] = sizeof(struct vvmi_pointer_shape),
	[VVMI_CMD_POINTER_POS] = sizeof(struct vvmi_pointer_pos),
	[VVMI_CMD_WINDOW_MOVE] = sizeof(struct vvmi_window_move),
	[VVMI_CMD_WINDOW_RESIZE] = sizeof(struct vvmi_window_resize),
	[VVMI_CMD_WINDOW_RAISE] = sizeof(struct vvmi_surface_ref),
	[VVMI_CMD_WINDOW_TITLE] = sizeof(struct vvmi_window_title),
	[VVMI_CMD_WINDOW_REGION] = sizeof(struct vvmi_window_region),
	[VVMI_CMD_WINDOW_VISIBLE] = sizeof(struct vvmi_window_visible),
	[VVMI_CMD_PRESENT] = sizeof(struct vvmi_present),
};

static void create_ok(struct test_vm *vm, uint16_t id, uint8_t kind, uint8_t format,
		      uint16_t width, uint16_t height, int16_t x, int16_t y)
{
	struct vvmi_surface_create create = {.surface = id, .kind = kind, .format = format,
					     .width = width, .height = height, .x = x, .y = y};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, create), 0);
}

static void fill_ok(struct test_vm *vm, uint16_t surface, uint32_t colour)
{
	struct vvmi_fill fill = {.surface = surface, .rop2 = VVMI_ROP2_COPYPEN,
				 .rect = {0, 0, 4096, 4096}, .color = colour};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, fill), 0);
}

static int setup(void **state)
{
	struct test_vm *vm = test_vm_create(VMAN_RENDERER_PIXMAN);
	struct {
		struct vvmi_palette head;
		uint32_t green;
	} palette = {{.surface = WINDOW_I8, .first = 20, .count = 1}, 0x00FF00};

	if (!vm)
		return -1;
	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	for (int y = 0; y < H; y++) {
		struct vvmi_line line = {.surface = 0, .rop2 = VVMI_ROP2_COPYPEN, .x0 = 0,
					 .y0 = (int16_t)y, .x1 = W - 1, .y1 = (int16_t)y,
					 .color = 0x010101u * (uint32_t)(y * 9)};

		assert_int_equal(TEST_GHI(vm, VVMI_CMD_LINE, line), 0);
	}
	create_ok(vm, WINDOW, VVMI_SURFACE_WINDOW, VVMI_FORMAT_XRGB8888, 8, 8, 4, 4);
	fill_ok(vm, WINDOW, 0xFF0000);
	create_ok(vm, BITMAP, VVMI_SURFACE_BITMAP, VVMI_FORMAT_XRGB8888, 8, 8, 0, 0);
	fill_ok(vm, BITMAP, 0x0000FF);
	create_ok(vm, BITMAP_I8, VVMI_SURFACE_BITMAP, VVMI_FORMAT_I8, 8, 8, 0, 0);
	create_ok(vm, WINDOW_I8, VVMI_SURFACE_WINDOW, VVMI_FORMAT_I8, 6, 6, 20, 10);
	fill_ok(vm, WINDOW_I8, 20);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PALETTE, palette), 0);
	*state = vm;
	return 0;
}

static int teardown(void **state)
{
	test_vm_destroy(*state);
	return 0;
}

/* The command fails with code, and the output is what it was. */
static void assert_rejected(struct test_vm *vm, uint16_t opcode, const void *body, size_t len,
			    int code)
{
	static uint32_t before[W * H], after[W * H];

	test_frame(vm, before);
	assert_int_equal(test_ghi(vm, opcode, body, len), code);
	test_frame(vm, after);
	assert_memory_equal(before, after, sizeof(before));
}
#define REJECTED(vm, opcode, body, code) assert_rejected((vm), (opcode), &(body), sizeof(body), (code))

static void test_body_shorter_than_its_struct_is_length(void **state)
{
	struct test_vm *vm = *state;
	uint8_t body[64] = {0};

	for (unsigned opcode = 1; opcode < VVMI_CMD_COUNT; opcode++) {
		assert_true(body_sizes[opcode] > 0 && body_sizes[opcode] <= sizeof(body));
		assert_rejected(vm, (uint16_t)opcode, body, body_sizes[opcode] - 1,
				VVMI_ERROR_LENGTH);
		assert_rejected(vm, (uint16_t)opcode, body, 0, VVMI_ERROR_LENGTH);
	}
	/* PAD has no body and does nothing. */
	assert_rejected(vm, VVMI_CMD_PAD, NULL, 0, 0);
}

static void test_unknown_opcode(void **state)
{
	struct test_vm *vm = *state;
	uint8_t body[64] = {0};

	assert_rejected(vm, VVMI_CMD_COUNT, body, sizeof(body), VVMI_ERROR_OPCODE);
	assert_rejected(vm, 0xFFFF, body, sizeof(body), VVMI_ERROR_OPCODE);
}

static void test_unknown_surface(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_fill fill = {.surface = UNUSED, .rop2 = VVMI_ROP2_COPYPEN, .rect = {0, 0, W, H}};
	struct vvmi_fill beyond = {.surface = 300, .rop2 = VVMI_ROP2_COPYPEN, .rect = {0, 0, W, H}};
	struct vvmi_bitblt blt = {.dst = 0, .src = UNUSED, .rect = {0, 0, W, H},
				  .rop3 = VVMI_ROP3_SRCCOPY};
	struct vvmi_bitblt to_nowhere = {.dst = UNUSED, .src = BITMAP, .rect = {0, 0, W, H},
					 .rop3 = VVMI_ROP3_SRCCOPY};
	struct vvmi_line line = {.surface = 256, .rop2 = VVMI_ROP2_COPYPEN, .x1 = 10, .y1 = 10};
	struct vvmi_surface_ref destroy = {.surface = UNUSED};
	struct vvmi_surface_ref destroy_screen = {.surface = 0};

	REJECTED(vm, VVMI_CMD_FILL, fill, VVMI_ERROR_SURFACE);
	REJECTED(vm, VVMI_CMD_FILL, beyond, VVMI_ERROR_SURFACE);
	REJECTED(vm, VVMI_CMD_BITBLT, blt, VVMI_ERROR_SURFACE);
	REJECTED(vm, VVMI_CMD_BITBLT, to_nowhere, VVMI_ERROR_SURFACE);
	REJECTED(vm, VVMI_CMD_LINE, line, VVMI_ERROR_SURFACE);
	REJECTED(vm, VVMI_CMD_SURFACE_DESTROY, destroy, VVMI_ERROR_SURFACE);
	REJECTED(vm, VVMI_CMD_SURFACE_DESTROY, destroy_screen, VVMI_ERROR_SURFACE);
}

/* Bad creations leave the id free: creating it properly afterwards works. */
static void test_surface_create_errors(void **state)
{
	struct test_vm *vm = *state;
	static const struct {
		struct vvmi_surface_create create;
		int code;
	} cases[] = {
		{{.surface = 0, .kind = 0, .format = 3, .width = 8, .height = 8}, VVMI_ERROR_SURFACE},
		{{.surface = WINDOW, .kind = 1, .format = 3, .width = 8, .height = 8},
		 VVMI_ERROR_SURFACE},
		{{.surface = 256, .kind = 0, .format = 3, .width = 8, .height = 8}, VVMI_ERROR_SURFACE},
		{{.surface = UNUSED, .kind = 2, .format = 3, .width = 8, .height = 8}, VVMI_ERROR_VALUE},
		{{.surface = UNUSED, .kind = 1, .format = 0, .width = 8, .height = 8}, VVMI_ERROR_VALUE},
		{{.surface = UNUSED, .kind = 1, .format = 4, .width = 8, .height = 8}, VVMI_ERROR_VALUE},
		{{.surface = UNUSED, .kind = 1, .format = 3, .width = 0, .height = 8}, VVMI_ERROR_VALUE},
		{{.surface = UNUSED, .kind = 1, .format = 3, .width = 8, .height = 4097},
		 VVMI_ERROR_VALUE},
	};
	struct vvmi_surface_create good = {.surface = UNUSED, .kind = 1, .format = 3, .width = 4096,
					   .height = 4096, .x = -100, .y = -100};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		REJECTED(vm, VVMI_CMD_SURFACE_CREATE, cases[i].create, cases[i].code);
	/* A window of the maximum size over everything: the output changes. */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, good), 0);
	REJECTED(vm, VVMI_CMD_SURFACE_CREATE, good, VVMI_ERROR_SURFACE);
}

static void test_set_mode_errors(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_set_mode modes[] = {
		{.width = 640, .height = 480, .format = 0},
		{.width = 640, .height = 480, .format = 4},
		{.width = 0, .height = 480, .format = 3},
		{.width = 4097, .height = 480, .format = 3},
		{.width = 640, .height = 0, .format = 1},
	};
	unsigned width, height;

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		REJECTED(vm, VVMI_CMD_SET_MODE, modes[i], VVMI_ERROR_VALUE);
	vman_output_size(vm->vman, &width, &height);
	assert_int_equal(width, W);
	assert_int_equal(height, H);
}

static void test_bad_rop2_is_value(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_fill fill = {.surface = 0, .rop2 = 0, .rect = {0, 0, W, H}, .color = 0xFFFFFF};
	struct vvmi_line line = {.surface = 0, .rop2 = 17, .x0 = 0, .y0 = 0, .x1 = W, .y1 = H,
				 .color = 0xFFFFFF};

	REJECTED(vm, VVMI_CMD_FILL, fill, VVMI_ERROR_VALUE);
	fill.rop2 = 17;
	REJECTED(vm, VVMI_CMD_FILL, fill, VVMI_ERROR_VALUE);
	REJECTED(vm, VVMI_CMD_LINE, line, VVMI_ERROR_VALUE);
	line.rop2 = 0;
	REJECTED(vm, VVMI_CMD_LINE, line, VVMI_ERROR_VALUE);
}

/* PATTERN_FILL has no source: a rop3 that reads one is refused. */
static void test_pattern_fill_with_source_rop_is_value(void **state)
{
	struct test_vm *vm = *state;
	static const uint8_t rops[] = {VVMI_ROP3_SRCCOPY, VVMI_ROP3_MERGECOPY, 0x01, 0xFE};
	struct vvmi_pattern_fill fill = {.surface = 0, .rect = {0, 0, W, H}, .fg = 0xFFFFFF};

	for (size_t i = 0; i < sizeof(rops); i++) {
		fill.rop3 = rops[i];
		REJECTED(vm, VVMI_CMD_PATTERN_FILL, fill, VVMI_ERROR_VALUE);
	}
}

static void test_bitblt_value_errors(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_bitblt across_formats = {.dst = 0, .src = BITMAP_I8, .rect = {0, 0, W, H},
					     .rop3 = VVMI_ROP3_SRCCOPY};
	struct vvmi_bitblt bad_flag = {.dst = 0, .src = BITMAP, .rect = {0, 0, W, H},
				       .rop3 = VVMI_ROP3_SRCCOPY, .has_pattern = 2};

	REJECTED(vm, VVMI_CMD_BITBLT, across_formats, VVMI_ERROR_VALUE);
	REJECTED(vm, VVMI_CMD_BITBLT, bad_flag, VVMI_ERROR_VALUE);
}

static void test_palette_errors(void **state)
{
	struct test_vm *vm = *state;
	struct {
		struct vvmi_palette head;
		uint32_t entries[60];
	} palette = {{.surface = WINDOW_I8, .first = 20, .count = 0}, {0}};

	for (int i = 0; i < 60; i++)
		palette.entries[i] = 0xFFFFFF;
	REJECTED(vm, VVMI_CMD_PALETTE, palette, VVMI_ERROR_VALUE); /* count 0 */
	palette.head.first = 200;
	palette.head.count = 57; /* 200 + 57 > 256 */
	REJECTED(vm, VVMI_CMD_PALETTE, palette, VVMI_ERROR_VALUE);
	palette.head.first = 20;
	palette.head.count = 61; /* one more than the record holds */
	REJECTED(vm, VVMI_CMD_PALETTE, palette, VVMI_ERROR_LENGTH);
	palette.head.count = 1;
	palette.head.surface = 0; /* XRGB8888 has no palette */
	REJECTED(vm, VVMI_CMD_PALETTE, palette, VVMI_ERROR_VALUE);
	palette.head.surface = UNUSED;
	REJECTED(vm, VVMI_CMD_PALETTE, palette, VVMI_ERROR_SURFACE);
	/* The edge of the range is fine: entries 200..255. */
	palette.head.surface = BITMAP_I8;
	palette.head.first = 200;
	palette.head.count = 56;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PALETTE, palette), 0);
}

/* [offset, offset + bytes) must lie in [heap_start, size), computed without wrapping. */
static void test_put_image_heap_and_value_errors(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_put_image put = {.surface = 0, .rop3 = VVMI_ROP3_SRCCOPY,
				     .format = VVMI_FORMAT_XRGB8888, .rect = {0, 0, 16, 16},
				     .offset = 0xFFFFFFF0u, .stride = 64};

	memset(vm->region, 0xEE, sizeof(vm->region));
	REJECTED(vm, VVMI_CMD_PUT_IMAGE, put, VVMI_ERROR_HEAP);
	put.stride = 0xFFFF;
	put.rect.h = 0xFFFF;
	REJECTED(vm, VVMI_CMD_PUT_IMAGE, put, VVMI_ERROR_HEAP);
	put.rect.h = 16;
	put.stride = 64;
	put.offset = VVMI_HEAP_OFFSET - 4; /* the rings, not the heap */
	REJECTED(vm, VVMI_CMD_PUT_IMAGE, put, VVMI_ERROR_HEAP);
	put.offset = VVMI_REGION_SIZE - 15 * 64 - 64 + 1; /* one byte past the end */
	REJECTED(vm, VVMI_CMD_PUT_IMAGE, put, VVMI_ERROR_HEAP);
	put.stride = 63; /* less than a row */
	put.offset = VVMI_HEAP_OFFSET;
	REJECTED(vm, VVMI_CMD_PUT_IMAGE, put, VVMI_ERROR_VALUE);
	put.stride = 64;
	put.format = VVMI_FORMAT_RGB565; /* not the surface's */
	REJECTED(vm, VVMI_CMD_PUT_IMAGE, put, VVMI_ERROR_VALUE);
	/* Without a heap nothing can be read. */
	put.format = VVMI_FORMAT_XRGB8888;
	{
		static uint32_t before[W * H], after[W * H];

		test_frame(vm, before);
		assert_int_equal(vman_ghi(vm->client, VVMI_CMD_PUT_IMAGE, &put, sizeof(put), NULL),
				 VVMI_ERROR_HEAP);
		test_frame(vm, after);
		assert_memory_equal(before, after, sizeof(before));
	}
	/* Ending exactly at the region's end is fine. */
	put.offset = VVMI_REGION_SIZE - 15 * 64 - 64;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PUT_IMAGE, put), 0);
}

static void test_text_errors(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_text good = {.surface = 0, .x = 0, .y = 0, .fg = 0xFFFFFF, .bg = 0xFFFFFF,
				 .font = 0x8000, .glyph_width = 8, .glyph_height = 16,
				 .first = 0, .count = 255, .string = 0x9000, .length = 4};
	struct vvmi_text text;

	memset(vm->region + 0x8000, 0xFF, 0x1004);
	text = good;
	text.font = VVMI_REGION_SIZE - 255 * 16 + 1;
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_HEAP);
	text = good;
	text.string = 0xFFFFFFFEu;
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_HEAP);
	text = good;
	text.glyph_width = 9;
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_VALUE);
	text.glyph_width = 0;
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_VALUE);
	text = good;
	text.glyph_height = 0;
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_VALUE);
	text = good;
	text.first = 2; /* 2 + 255 > 256 */
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_VALUE);
	text = good;
	text.transparent = 2;
	REJECTED(vm, VVMI_CMD_TEXT, text, VVMI_ERROR_VALUE);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_TEXT, good), 0);
}

/* Window commands need a window: the screen and bitmaps are the wrong kind. */
static void test_window_ops_on_other_kinds_are_surface(void **state)
{
	struct test_vm *vm = *state;
	static const uint16_t not_windows[] = {0, BITMAP, BITMAP_I8, UNUSED};

	for (size_t i = 0; i < sizeof(not_windows) / sizeof(not_windows[0]); i++) {
		uint16_t id = not_windows[i];
		struct vvmi_window_move move = {.surface = id, .x = 1, .y = 1};
		struct vvmi_window_resize resize = {.surface = id, .width = 4, .height = 4};
		struct vvmi_surface_ref raise = {.surface = id};
		struct vvmi_window_title title = {.surface = id, .length = 1, .text = 0x8000};
		struct vvmi_window_region region = {.surface = id, .count = 0};
		struct vvmi_window_visible visible = {.surface = id, .visible = 0};

		REJECTED(vm, VVMI_CMD_WINDOW_MOVE, move, VVMI_ERROR_SURFACE);
		REJECTED(vm, VVMI_CMD_WINDOW_RESIZE, resize, VVMI_ERROR_SURFACE);
		REJECTED(vm, VVMI_CMD_WINDOW_RAISE, raise, VVMI_ERROR_SURFACE);
		REJECTED(vm, VVMI_CMD_WINDOW_TITLE, title, VVMI_ERROR_SURFACE);
		REJECTED(vm, VVMI_CMD_WINDOW_REGION, region, VVMI_ERROR_SURFACE);
		REJECTED(vm, VVMI_CMD_WINDOW_VISIBLE, visible, VVMI_ERROR_SURFACE);
	}
}

static void test_window_value_errors(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_window_resize resize = {.surface = WINDOW, .width = 0, .height = 4};
	struct vvmi_window_title title = {.surface = WINDOW, .length = 256, .text = 0x8000};
	struct vvmi_window_title title_out = {.surface = WINDOW, .length = 10,
					      .text = VVMI_REGION_SIZE - 9};
	struct vvmi_window_visible visible = {.surface = WINDOW, .visible = 2};
	struct {
		struct vvmi_window_region head;
		struct vvmi_rect rects[65];
	} region = {{.surface = WINDOW, .count = 65}, {{0}}};

	REJECTED(vm, VVMI_CMD_WINDOW_RESIZE, resize, VVMI_ERROR_VALUE);
	resize.width = 4097;
	REJECTED(vm, VVMI_CMD_WINDOW_RESIZE, resize, VVMI_ERROR_VALUE);
	REJECTED(vm, VVMI_CMD_WINDOW_TITLE, title, VVMI_ERROR_VALUE);
	REJECTED(vm, VVMI_CMD_WINDOW_TITLE, title_out, VVMI_ERROR_HEAP);
	REJECTED(vm, VVMI_CMD_WINDOW_VISIBLE, visible, VVMI_ERROR_VALUE);
	/* 65 empty rectangles would hide the window. */
	REJECTED(vm, VVMI_CMD_WINDOW_REGION, region, VVMI_ERROR_VALUE);
	region.head.count = 2;
	assert_rejected(vm, VVMI_CMD_WINDOW_REGION, &region,
			sizeof(region.head) + sizeof(struct vvmi_rect) + 4, VVMI_ERROR_LENGTH);
	assert_int_equal(test_ghi(vm, VVMI_CMD_WINDOW_REGION, &region,
				  sizeof(region.head) + 2 * sizeof(struct vvmi_rect)),
			 0);
}

static void test_pointer_errors(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_pointer_shape good = {.width = 64, .height = 64, .hot_x = 63, .hot_y = 63,
					  .masks = 0x8000};
	struct vvmi_pointer_shape shape;
	struct vvmi_pointer_pos pos = {.x = 5, .y = 5, .visible = 2};

	memset(vm->region + 0x8000, 0x00, 2 * 8 * 64); /* all black, if shown */
	shape = good;
	shape.width = 65;
	REJECTED(vm, VVMI_CMD_POINTER_SHAPE, shape, VVMI_ERROR_VALUE);
	shape = good;
	shape.height = 0;
	REJECTED(vm, VVMI_CMD_POINTER_SHAPE, shape, VVMI_ERROR_VALUE);
	shape = good;
	shape.hot_x = 64;
	REJECTED(vm, VVMI_CMD_POINTER_SHAPE, shape, VVMI_ERROR_VALUE);
	shape = good;
	shape.masks = VVMI_REGION_SIZE - 2 * 8 * 64 + 1;
	REJECTED(vm, VVMI_CMD_POINTER_SHAPE, shape, VVMI_ERROR_HEAP);
	REJECTED(vm, VVMI_CMD_POINTER_POS, pos, VVMI_ERROR_VALUE);
}

/* PRESENTs wait for a frame; past VMAN's queue the guest is told to slow down. */
static void test_present_queue_limit(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_present present;
	unsigned accepted = 0;

	for (uint32_t sequence = 1; sequence <= 1000; sequence++) {
		present.sequence = sequence;
		if (TEST_GHI(vm, VVMI_CMD_PRESENT, present) != 0) {
			assert_int_equal(TEST_GHI(vm, VVMI_CMD_PRESENT, present), VVMI_ERROR_MEMORY);
			break;
		}
		accepted++;
	}
	assert_int_equal(accepted, 256);
	assert_int_equal(vm->presented_count, 0);
	assert_int_equal(vman_frame(vm->vman), 0);
	assert_int_equal(vm->presented_count, 256);
	assert_int_equal(vm->presented[255], 256);
	present.sequence = 5000;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PRESENT, present), 0);
}

/* A guest cannot make the host allocate without end: a client's pixels have a budget. */
static void test_surface_memory_budget(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_surface_create big = {.kind = VVMI_SURFACE_BITMAP,
					  .format = VVMI_FORMAT_XRGB8888, .width = 4096,
					  .height = 4096};
	struct vvmi_surface_ref first = {.surface = 10};
	int rc = 0;
	uint16_t id;

	for (id = 10; id < 20 && rc == 0; id++) {
		big.surface = id;
		rc = TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, big);
	}
	assert_int_equal(rc, VVMI_ERROR_MEMORY);
	/* 64 MiB each, in 256 MiB with the others: the fourth does not fit. */
	assert_int_equal(id - 1, 13);
	/* Freeing one makes room again. */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_DESTROY, first), 0);
	big.surface = 13;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, big), 0);
}

#define GHI_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		GHI_TEST(test_body_shorter_than_its_struct_is_length),
		GHI_TEST(test_unknown_opcode),
		GHI_TEST(test_unknown_surface),
		GHI_TEST(test_surface_create_errors),
		GHI_TEST(test_set_mode_errors),
		GHI_TEST(test_bad_rop2_is_value),
		GHI_TEST(test_pattern_fill_with_source_rop_is_value),
		GHI_TEST(test_bitblt_value_errors),
		GHI_TEST(test_palette_errors),
		GHI_TEST(test_put_image_heap_and_value_errors),
		GHI_TEST(test_text_errors),
		GHI_TEST(test_window_ops_on_other_kinds_are_surface),
		GHI_TEST(test_window_value_errors),
		GHI_TEST(test_pointer_errors),
		GHI_TEST(test_present_queue_limit),
		GHI_TEST(test_surface_memory_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
