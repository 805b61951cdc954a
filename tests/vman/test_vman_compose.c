/* test_vman_compose.c: what the output shows: palettes and formats, windows in z-order with their regions, the pointer, PRESENTED events, screenshots and the VGA's frames. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <png.h>

#include "vman_test.h"

#define W 32
#define H 24
#define BLUE 0x0000FFu
#define RED 0xFF0000u
#define GREEN 0x00FF00u

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

/* The frame's colour at (x, y). */
static uint32_t output_at(struct test_vm *vm, unsigned x, unsigned y)
{
	unsigned width, height;
	const uint32_t *pixels = vman_output_pixels(vm->vman, &width, &height);

	assert_non_null(pixels);
	assert_true(x < width && y < height);
	return pixels[y * width + x] & 0xFFFFFFu;
}

static void frame_ok(struct test_vm *vm)
{
	assert_int_equal(vman_frame(vm->vman), 0);
}

static void fill(struct test_vm *vm, uint16_t surface, int16_t x, int16_t y, uint16_t w,
		 uint16_t h, uint32_t colour)
{
	struct vvmi_fill cmd = {.surface = surface, .rop2 = VVMI_ROP2_COPYPEN,
				.rect = {x, y, w, h}, .color = colour};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, cmd), 0);
}

static void window_create(struct test_vm *vm, uint16_t id, uint8_t format, uint16_t w,
			  uint16_t h, int16_t x, int16_t y)
{
	struct vvmi_surface_create create = {.surface = id, .kind = VVMI_SURFACE_WINDOW,
					     .format = format, .width = w, .height = h, .x = x,
					     .y = y};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_CREATE, create), 0);
}

/* An I8 surface starts with the VGA's 16 colours, then black; PALETTE
 * changes entries (X ignored); a mode set goes back to the default. */
static void test_i8_default_palette_and_palette_change(void **state)
{
	struct test_vm *vm = *state;
	static const uint32_t vga[16] = {
		0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
		0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF,
	};
	struct vvmi_set_mode mode = {.width = W, .height = H, .format = VVMI_FORMAT_I8};
	struct {
		struct vvmi_palette head;
		uint32_t entries[2];
	} palette = {{.surface = 0, .first = 17, .count = 2}, {0xFF123456, 0x00ABCDEF}};

	vm->width = W;
	vm->height = H;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SET_MODE, mode), 0);
	for (uint16_t i = 0; i < 20; i++)
		fill(vm, 0, (int16_t)i, 0, 1, 1, i);
	frame_ok(vm);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(output_at(vm, i, 0), vga[i]);
	for (unsigned i = 16; i < 20; i++)
		assert_int_equal(output_at(vm, i, 0), 0);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PALETTE, palette), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 17, 0), 0x123456);
	assert_int_equal(output_at(vm, 18, 0), 0xABCDEF);
	assert_int_equal(output_at(vm, 19, 0), 0);
	assert_int_equal(output_at(vm, 1, 0), 0x0000AA);
	/* SET_MODE clears the screen and resets the palette. */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SET_MODE, mode), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 1, 0), 0);
	fill(vm, 0, 0, 0, 1, 1, 17);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 0, 0), 0);
}

/* RGB565 becomes 8 bits per channel by repeating its top bits, as pixman does. */
static void test_rgb565_widens_by_bit_replication(void **state)
{
	struct test_vm *vm = *state;
	static const uint32_t rgb565[] = {0xF800, 0x07E0, 0x001F, 0x8410, 0x0821, 0xFFFF};
	static const uint32_t xrgb[] = {0xFF0000, 0x00FF00, 0x0000FF, 0x848284, 0x080408, 0xFFFFFF};

	test_set_mode(vm, VVMI_FORMAT_RGB565, W, H);
	for (uint16_t i = 0; i < 6; i++)
		fill(vm, 0, (int16_t)i, 2, 1, 1, rgb565[i]);
	frame_ok(vm);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(output_at(vm, i, 2), xrgb[i]);
}

/* Windows show over the screen in z-order; raise, move and visibility change it. */
static void test_window_stacking_raise_move_visible(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_surface_ref raise = {.surface = 1};
	struct vvmi_window_move move = {.surface = 1, .x = 24, .y = -4};
	struct vvmi_window_visible hide = {.surface = 2, .visible = 0};
	struct vvmi_surface_ref destroy = {.surface = 1};

	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	fill(vm, 0, 0, 0, W, H, BLUE);
	window_create(vm, 1, VVMI_FORMAT_XRGB8888, 10, 10, 5, 5);
	fill(vm, 1, 0, 0, 10, 10, RED);
	window_create(vm, 2, VVMI_FORMAT_I8, 10, 10, 10, 10);
	fill(vm, 2, 0, 0, 10, 10, 2); /* VGA green */
	frame_ok(vm);
	assert_int_equal(output_at(vm, 4, 4), BLUE);
	assert_int_equal(output_at(vm, 5, 5), RED);
	assert_int_equal(output_at(vm, 12, 12), 0x00AA00); /* 2 was created last: on top */
	assert_int_equal(output_at(vm, 19, 19), 0x00AA00);
	assert_int_equal(output_at(vm, 20, 20), BLUE);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_RAISE, raise), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 12, 12), RED);
	assert_int_equal(output_at(vm, 15, 15), 0x00AA00);
	/* Partly off the output: the part on it shows. */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_MOVE, move), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 5, 5), BLUE);
	assert_int_equal(output_at(vm, 12, 12), 0x00AA00);
	assert_int_equal(output_at(vm, 24, 0), RED);
	assert_int_equal(output_at(vm, 31, 5), RED);
	assert_int_equal(output_at(vm, 31, 6), BLUE);
	assert_int_equal(output_at(vm, 23, 0), BLUE);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_VISIBLE, hide), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 12, 12), BLUE);
	hide.visible = 1;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_VISIBLE, hide), 0);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SURFACE_DESTROY, destroy), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 12, 12), 0x00AA00);
	assert_int_equal(output_at(vm, 24, 0), BLUE);
}

/* The visible region (window coordinates) clips the window; none is all of it. */
static void test_window_region_clips(void **state)
{
	struct test_vm *vm = *state;
	struct {
		struct vvmi_window_region head;
		struct vvmi_rect rects[2];
	} region = {{.surface = 1, .count = 2}, {{0, 0, 4, 8}, {6, 6, 30, 30}}};
	struct vvmi_window_region all = {.surface = 1, .count = 0};

	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	fill(vm, 0, 0, 0, W, H, BLUE);
	window_create(vm, 1, VVMI_FORMAT_XRGB8888, 8, 8, 4, 4);
	fill(vm, 1, 0, 0, 8, 8, RED);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_REGION, region), 0);
	frame_ok(vm);
	for (unsigned y = 0; y < H; y++) {
		for (unsigned x = 0; x < W; x++) {
			bool in_window = x >= 4 && x < 12 && y >= 4 && y < 12;
			bool in_region = (x < 8 && y < 12) || (x >= 10 && y >= 10);
			uint32_t expected = in_window && in_region ? RED : BLUE;

			if (output_at(vm, x, y) != expected)
				fail_msg("(%u,%u): %#x", x, y, output_at(vm, x, y));
		}
	}
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_REGION, all), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 9, 5), RED);
}

/* WINDOW_RESIZE keeps the pixels that still fit, top-left anchored; new ones are 0. */
static void test_window_resize_keeps_pixels(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_window_resize grow = {.surface = 1, .width = 12, .height = 6};

	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	fill(vm, 0, 0, 0, W, H, BLUE);
	window_create(vm, 1, VVMI_FORMAT_XRGB8888, 8, 8, 0, 0);
	fill(vm, 1, 0, 0, 8, 8, RED);
	fill(vm, 1, 2, 3, 1, 1, GREEN);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_WINDOW_RESIZE, grow), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 2, 3), GREEN);
	assert_int_equal(output_at(vm, 7, 5), RED);
	assert_int_equal(output_at(vm, 8, 5), 0);
	assert_int_equal(output_at(vm, 11, 0), 0);
	assert_int_equal(output_at(vm, 0, 6), BLUE);
}

/* screen = (screen AND and) XOR xor over the output, the hot spot at the position. */
static void test_pointer_and_xor_masks(void **state)
{
	struct test_vm *vm = *state;
	/* Row 0 columns 0-3: keep, black, white, invert; row 1 transparent. */
	static const uint8_t masks[] = {0x90, 0xF0, 0x30, 0x00};
	struct vvmi_pointer_shape shape = {.width = 4, .height = 2, .hot_x = 1, .hot_y = 0,
					   .masks = 0x8000};
	struct vvmi_pointer_pos pos = {.x = 5, .y = 3, .visible = 1};

	test_set_mode(vm, VVMI_FORMAT_XRGB8888, W, H);
	fill(vm, 0, 0, 0, W, H, 0x123456);
	test_heap_put(vm, 0x8000, masks, sizeof(masks));
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_POINTER_SHAPE, shape), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 5, 3), 0x123456); /* not shown until POINTER_POS */
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_POINTER_POS, pos), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 3, 3), 0x123456);
	assert_int_equal(output_at(vm, 4, 3), 0x123456);
	assert_int_equal(output_at(vm, 5, 3), 0x000000);
	assert_int_equal(output_at(vm, 6, 3), 0xFFFFFF);
	assert_int_equal(output_at(vm, 7, 3), 0xEDCBA9);
	assert_int_equal(output_at(vm, 8, 3), 0x123456);
	assert_int_equal(output_at(vm, 5, 4), 0x123456);
	/* At the edge, the part on the output. */
	pos.x = 0;
	pos.y = 0;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_POINTER_POS, pos), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 0, 0), 0x000000);
	assert_int_equal(output_at(vm, 1, 0), 0xFFFFFF);
	assert_int_equal(output_at(vm, 2, 0), 0xEDCBA9);
	assert_int_equal(output_at(vm, 5, 3), 0x123456); /* not left behind in the screen */
	pos.visible = 0;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_POINTER_POS, pos), 0);
	frame_ok(vm);
	assert_int_equal(output_at(vm, 1, 0), 0x123456);
}

/* Each PRESENT is answered, in order, by the frame after it. */
static void test_present_answered_by_the_next_frame(void **state)
{
	struct test_vm *vm = *state;
	struct vvmi_present first = {.sequence = 7}, second = {.sequence = 0xFFFFFFFF};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PRESENT, first), 0);
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PRESENT, second), 0);
	assert_int_equal(vm->presented_count, 0);
	frame_ok(vm);
	assert_int_equal(vm->presented_count, 2);
	assert_int_equal(vm->presented[0], 7);
	assert_int_equal(vm->presented[1], 0xFFFFFFFF);
	frame_ok(vm);
	assert_int_equal(vm->presented_count, 2);
}

/* The last frame as an 8-bit RGB PNG, read back with libpng. */
static void test_screenshot_png(void **state)
{
	struct test_vm *vm = *state;
	char path[] = "/tmp/vman_screenshot_XXXXXX";
	png_image image = {.version = PNG_IMAGE_VERSION};
	uint8_t rgb[20 * 10 * 3];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vman_screenshot_png(vm->vman, path), -ENODATA);
	test_set_mode(vm, VVMI_FORMAT_XRGB8888, 20, 10);
	fill(vm, 0, 3, 4, 2, 2, 0x123456);
	frame_ok(vm);
	assert_int_equal(vman_screenshot_png(vm->vman, path), 0);
	assert_true(png_image_begin_read_from_file(&image, path));
	assert_int_equal(image.width, 20);
	assert_int_equal(image.height, 10);
	assert_int_equal(image.format, PNG_FORMAT_RGB);
	assert_true(png_image_finish_read(&image, NULL, rgb, 0, NULL));
	assert_memory_equal(&rgb[(4 * 20 + 3) * 3], "\x12\x34\x56", 3);
	assert_memory_equal(&rgb[(4 * 20 + 5) * 3], "\x00\x00\x00", 3);
	unlink(path);
	assert_int_equal(vman_screenshot_png(vm->vman, "/nonexistent/dir/shot.png"), -ENOENT);
}

/* The VGA's frame becomes the screen, at its size, in XRGB8888. */
static void test_screen_update_takes_the_vga_frame(void **state)
{
	struct test_vm *vm = *state;
	enum { FW = 33, FH = 17, STRIDE = 36 };
	static uint32_t frame[STRIDE * FH];
	unsigned width, height;
	const uint32_t *pixels;

	test_set_mode(vm, VVMI_FORMAT_I8, 8, 8);
	for (unsigned i = 0; i < STRIDE * FH; i++)
		frame[i] = 0xFF000000u | (i * 0x010203u);
	assert_int_equal(vman_screen_update(vm->client, frame, FW, FH, STRIDE * 4), 0);
	frame_ok(vm);
	pixels = vman_output_pixels(vm->vman, &width, &height);
	assert_int_equal(width, FW);
	assert_int_equal(height, FH);
	for (unsigned y = 0; y < FH; y++) {
		for (unsigned x = 0; x < FW; x++)
			assert_int_equal(pixels[y * FW + x] & 0xFFFFFF,
					 frame[y * STRIDE + x] & 0xFFFFFF);
	}
	/* GHI draws on it in XRGB8888, which keeps no X bits. */
	{
		struct vvmi_fill invert = {.surface = 0, .rop2 = 6 /* R2_NOT */, .rect = {0, 0, 1, 1}};

		assert_int_equal(TEST_GHI(vm, VVMI_CMD_FILL, invert), 0);
		frame_ok(vm);
		assert_int_equal(output_at(vm, 0, 0), 0xFFFFFF);
	}
	assert_int_equal(vman_screen_update(vm->client, frame, 0, FH, STRIDE * 4), -EINVAL);
	assert_int_equal(vman_screen_update(vm->client, frame, FW, FH, FW * 4 - 4), -EINVAL);
	assert_int_equal(vman_screen_update(vm->client, frame, 4097, 1, 4097 * 4), -EINVAL);
}

/* The second client's events: PRESENTED counted, foreground kept. */
struct second_events {
	unsigned presented, foreground_events;
	int foreground;
};

static void count_events(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct second_events *e = opaque;
	struct vman_event_foreground foreground;

	if ((unsigned)type == VMAN_EVENT_FOREGROUND) {
		memcpy(&foreground, body, sizeof(foreground));
		e->foreground = (int)foreground.value;
		e->foreground_events++;
		return;
	}
	e->presented++;
}

/* Each client is told whether it is in the foreground when it is created
 * and on every change: bringing one forward, the foreground one leaving. */
static void test_foreground_events(void **state)
{
	struct test_vm *vm = *state;
	struct second_events events = {0};
	struct vman_client *second = vman_client_create(vm->vman, "second", count_events, &events);
	unsigned width, height;

	assert_non_null(second);
	assert_int_equal(vm->foreground, 1);
	assert_int_equal(vm->foreground_events, 1);
	assert_int_equal(events.foreground, 0);
	assert_int_equal(events.foreground_events, 1);
	vman_client_set_foreground(second);
	assert_int_equal(vm->foreground, 0);
	assert_int_equal(events.foreground, 1);
	vman_client_set_foreground(second);
	assert_int_equal(events.foreground_events, 2);
	assert_int_equal(vm->foreground_events, 2);
	assert_int_equal(vman_ghi(second, VVMI_CMD_SET_MODE,
				  &(struct vvmi_set_mode){.width = 64, .height = 32,
							  .format = VVMI_FORMAT_I8},
				  sizeof(struct vvmi_set_mode), NULL), 0);
	vman_output_size(vm->vman, &width, &height);
	assert_int_equal(width, 64);
	vman_client_destroy(second);
	assert_int_equal(vm->foreground, 1);
	assert_int_equal(vm->foreground_events, 3);
}

/* The output shows the first client; when it goes, the next. Every client's PRESENTs are answered. */
static void test_output_follows_the_foreground_client(void **state)
{
	struct test_vm *vm = *state;
	struct second_events events = {0};
	unsigned width, height;
	struct vman_client *second = vman_client_create(vm->vman, "second", count_events, &events);
	struct vvmi_set_mode mode = {.width = 100, .height = 50, .format = VVMI_FORMAT_RGB565};
	struct vvmi_present present = {.sequence = 1};

	assert_non_null(second);
	assert_int_equal(vman_ghi(second, VVMI_CMD_SET_MODE, &mode, sizeof(mode), NULL), 0);
	assert_int_equal(vman_ghi(second, VVMI_CMD_PRESENT, &present, sizeof(present), NULL), 0);
	vman_output_size(vm->vman, &width, &height);
	assert_int_equal(width, 640);
	assert_int_equal(height, 400);
	frame_ok(vm);
	assert_int_equal(events.presented, 1);
	vman_client_destroy(vm->client);
	vm->client = NULL;
	vman_output_size(vm->vman, &width, &height);
	assert_int_equal(width, 100);
	assert_int_equal(height, 50);
	frame_ok(vm);
	assert_non_null(vman_output_pixels(vm->vman, &width, &height));
	assert_int_equal(width, 100);
	vman_client_destroy(second);
	vman_output_size(vm->vman, &width, &height);
	assert_int_equal(width, 0);
	assert_int_equal(vman_frame(vm->vman), 0);
}

/* A new client's screen is 640 x 400 XRGB8888, black. */
static void test_new_client_screen(void **state)
{
	struct test_vm *vm = *state;
	unsigned width, height;
	const uint32_t *pixels;

	assert_null(vman_output_pixels(vm->vman, &width, &height));
	frame_ok(vm);
	pixels = vman_output_pixels(vm->vman, &width, &height);
	assert_non_null(pixels);
	assert_int_equal(width, 640);
	assert_int_equal(height, 400);
	for (unsigned i = 0; i < width * height; i++)
		assert_int_equal(pixels[i] & 0xFFFFFF, 0);
}

#define COMPOSE_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		COMPOSE_TEST(test_new_client_screen),
		COMPOSE_TEST(test_i8_default_palette_and_palette_change),
		COMPOSE_TEST(test_rgb565_widens_by_bit_replication),
		COMPOSE_TEST(test_window_stacking_raise_move_visible),
		COMPOSE_TEST(test_window_region_clips),
		COMPOSE_TEST(test_window_resize_keeps_pixels),
		COMPOSE_TEST(test_pointer_and_xor_masks),
		COMPOSE_TEST(test_present_answered_by_the_next_frame),
		COMPOSE_TEST(test_screenshot_png),
		COMPOSE_TEST(test_screen_update_takes_the_vga_frame),
		COMPOSE_TEST(test_output_follows_the_foreground_client),
		COMPOSE_TEST(test_foreground_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
