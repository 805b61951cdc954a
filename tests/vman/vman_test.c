/* vman_test.c: the test guest of vman_test.h. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vman_test.h"

/* Where test_put_values stages its images: the heap's start. */
#define STAGING_OFFSET VVMI_HEAP_OFFSET

static void record_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct test_vm *vm = opaque;
	struct vvmi_event_presented presented;
	struct vman_event_foreground foreground;

	if (type == VMAN_EVENT_FOREGROUND) {
		assert_int_equal(len, sizeof(foreground));
		memcpy(&foreground, body, sizeof(foreground));
		vm->foreground = (int)foreground.value;
		vm->foreground_events++;
		return;
	}
	assert_int_equal(type, VVMI_EVENT_PRESENTED);
	assert_int_equal(len, sizeof(presented));
	memcpy(&presented, body, sizeof(presented));
	assert_true(vm->presented_count < TEST_EVENTS_MAX);
	vm->presented[vm->presented_count++] = presented.sequence;
}

struct test_vm *test_vm_create(enum vman_renderer_kind renderer)
{
	struct vman_options options = {.renderer = renderer};
	struct test_vm *vm = calloc(1, sizeof(*vm));

	assert_non_null(vm);
	vm->vman = vman_create(&options);
	if (!vm->vman) {
		int saved = errno;

		free(vm);
		errno = saved;
		return NULL;
	}
	vm->client = vman_client_create(vm->vman, "test", record_event, vm);
	assert_non_null(vm->client);
	vm->heap = (struct vman_heap){vm->region, VVMI_HEAP_OFFSET, VVMI_REGION_SIZE};
	vm->format = VVMI_FORMAT_XRGB8888;
	vm->width = 640;
	vm->height = 400;
	return vm;
}

void test_vm_destroy(struct test_vm *vm)
{
	vman_destroy(vm->vman);
	free(vm);
}

int test_ghi(struct test_vm *vm, uint16_t opcode, const void *body, size_t len)
{
	return vman_ghi(vm->client, opcode, body, len, &vm->heap);
}

void test_identity_palette(struct test_vm *vm, uint16_t surface)
{
	struct {
		struct vvmi_palette head;
		uint32_t entries[256];
	} palette = {{.surface = surface, .first = 0, .count = 256}, {0}};

	for (unsigned i = 0; i < 256; i++)
		palette.entries[i] = i;
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PALETTE, palette), 0);
}

void test_set_mode(struct test_vm *vm, enum vvmi_format format, unsigned width, unsigned height)
{
	struct vvmi_set_mode mode = {.width = (uint16_t)width, .height = (uint16_t)height,
				     .format = (uint8_t)format};

	assert_int_equal(TEST_GHI(vm, VVMI_CMD_SET_MODE, mode), 0);
	vm->format = format;
	vm->width = width;
	vm->height = height;
	if (format == VVMI_FORMAT_I8)
		test_identity_palette(vm, VVMI_SURFACE_SCREEN);
}

void test_heap_put(struct test_vm *vm, uint32_t offset, const void *bytes, size_t len)
{
	assert_true(offset >= VVMI_HEAP_OFFSET && offset + len <= VVMI_REGION_SIZE);
	memcpy(vm->region + offset, bytes, len);
}

static unsigned format_bytes(enum vvmi_format format)
{
	return format == VVMI_FORMAT_I8 ? 1 : format == VVMI_FORMAT_RGB565 ? 2 : 4;
}

unsigned test_format_bits(enum vvmi_format format)
{
	return format == VVMI_FORMAT_I8 ? 8 : format == VVMI_FORMAT_RGB565 ? 16 : 24;
}

void test_put_values(struct test_vm *vm, uint16_t surface, enum vvmi_format format, int16_t x,
		     int16_t y, unsigned width, unsigned height, const uint32_t *values)
{
	unsigned bytes = format_bytes(format);
	struct vvmi_put_image put = {
		.surface = surface,
		.rop3 = VVMI_ROP3_SRCCOPY,
		.format = (uint8_t)format,
		.rect = {x, y, (uint16_t)width, (uint16_t)height},
		.offset = STAGING_OFFSET,
		.stride = (uint16_t)(width * bytes),
	};

	assert_true((size_t)width * height * bytes <= VVMI_HEAP_BYTES);
	for (size_t i = 0; i < (size_t)width * height; i++) {
		for (unsigned b = 0; b < bytes; b++)
			vm->region[STAGING_OFFSET + i * bytes + b] = (uint8_t)(values[i] >> (8 * b));
	}
	assert_int_equal(TEST_GHI(vm, VVMI_CMD_PUT_IMAGE, put), 0);
}

void test_frame(struct test_vm *vm, uint32_t *out)
{
	unsigned width, height;
	const uint32_t *pixels;

	assert_int_equal(vman_frame(vm->vman), 0);
	pixels = vman_output_pixels(vm->vman, &width, &height);
	assert_non_null(pixels);
	assert_int_equal(width, vm->width);
	assert_int_equal(height, vm->height);
	for (size_t i = 0; i < (size_t)width * height; i++)
		out[i] = pixels[i] & 0xFFFFFFu;
}

/* An output pixel back to the stored value it shows: I8 through the
 * identity palette, RGB565 from its bit-replicated widening. */
static uint32_t stored_value(enum vvmi_format format, uint32_t xrgb)
{
	switch (format) {
	case VVMI_FORMAT_I8:
		assert_true(xrgb <= 0xFF);
		return xrgb;
	case VVMI_FORMAT_RGB565:
		return (xrgb >> 19 & 0x1F) << 11 | (xrgb >> 10 & 0x3F) << 5 | (xrgb >> 3 & 0x1F);
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	return xrgb;
}

void test_screen_values(struct test_vm *vm, uint32_t *values)
{
	test_frame(vm, values);
	for (size_t i = 0; i < (size_t)vm->width * vm->height; i++)
		values[i] = stored_value(vm->format, values[i]);
}
