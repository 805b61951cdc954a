/* test_vvga.c: the VGA's registers, video memory and rendered frames as a guest and a host see them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <png.h>

#include "vdh_mock.h"
#include "vga_modes.h"
#include "vvga.h"

extern const struct vdd_module vdd_module;

#define WINDOW_A0000 0xa0000u
#define WINDOW_B0000 0xb0000u
#define WINDOW_B8000 0xb8000u

/* Mode 03h timing: 100 character clocks of 9 dots at 28.322 MHz a line, 449 lines. */
#define TEXT_LINE_PS (900 * 1000000000000ull / 28322000)
#define TEXT_FRAME_NS (TEXT_LINE_PS * 449 / 1000)

struct fixture {
	struct mock_vm *vm;
	struct vvga *s;
	uint8_t *frame;      /* the last VVGA_REQ_RENDER answer */
	size_t frame_size;
};

#define FRAME_CAPACITY (sizeof(struct vvga_frame_header) + (size_t)VVGA_MAX_WIDTH * 1024 * 4)

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->vm = mock_vm_create();
	assert_non_null(f->vm);
	assert_int_equal(mock_vm_attach(f->vm, &vdd_module, NULL), 0);
	f->s = mock_instance(f->vm, &vdd_module);
	f->frame = malloc(FRAME_CAPACITY);
	assert_non_null(f->frame);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mock_vm_destroy(f->vm);
	free(f->frame);
	free(f);
	return 0;
}

static uint8_t seq_read(struct mock_vm *vm, uint8_t index)
{
	mock_outb(vm, SEQ, index);
	return mock_inb(vm, SEQ + 1);
}

static uint8_t crtc_read(struct mock_vm *vm, uint16_t port, uint8_t index)
{
	mock_outb(vm, port, index);
	return mock_inb(vm, (uint16_t)(port + 1));
}

static void mem_write(struct mock_vm *vm, uint32_t gpa, uint8_t value)
{
	assert_true(mock_mmio(vm, gpa, &value, 1, true));
}

static uint8_t mem_read(struct mock_vm *vm, uint32_t gpa)
{
	uint8_t value = 0;

	assert_true(mock_mmio(vm, gpa, &value, 1, false));
	return value;
}

/* Planar access at A0000 (64 KiB): all planes written, write mode 0, no
 * set/reset, no rotation or logical operation, all bits. */
static void planar(struct mock_vm *vm)
{
	seq_write(vm, 2, 0x0f);
	seq_write(vm, 4, 0x06);
	for (uint8_t i = 0; i < 6; i++)
		gc_write(vm, i, 0);
	gc_write(vm, 6, 0x05);
	gc_write(vm, 8, 0xff);
}

/* One plane's byte, read in planar read mode 0 (this loads the latches and
 * leaves the planar access set). */
static uint8_t plane_read(struct mock_vm *vm, unsigned plane, uint16_t offset)
{
	planar(vm);
	gc_write(vm, 4, (uint8_t)plane);
	return mem_read(vm, WINDOW_A0000 + offset);
}

/* Four planes' bytes at offset, written one plane at a time. */
static void planes_fill(struct mock_vm *vm, uint16_t offset, uint8_t p0, uint8_t p1, uint8_t p2,
			uint8_t p3)
{
	const uint8_t value[4] = { p0, p1, p2, p3 };

	planar(vm);
	for (unsigned p = 0; p < 4; p++) {
		seq_write(vm, 2, (uint8_t)(1u << p));
		mem_write(vm, WINDOW_A0000 + offset, value[p]);
	}
	seq_write(vm, 2, 0x0f);
}

static void assert_planes(struct mock_vm *vm, uint16_t offset, uint8_t p0, uint8_t p1,
			  uint8_t p2, uint8_t p3)
{
	assert_int_equal(plane_read(vm, 0, offset), p0);
	assert_int_equal(plane_read(vm, 1, offset), p1);
	assert_int_equal(plane_read(vm, 2, offset), p2);
	assert_int_equal(plane_read(vm, 3, offset), p3);
}

static void render(struct fixture *f, uint32_t *width, uint32_t *height)
{
	struct vvga_frame_header header;
	size_t len = FRAME_CAPACITY;

	assert_int_equal(vvga_request(f->s, VVGA_REQ_RENDER, NULL, 0, f->frame, &len), 0);
	memcpy(&header, f->frame, sizeof(header));
	assert_int_equal(len, sizeof(header) + (size_t)header.width * header.height * 4);
	f->frame_size = len;
	*width = header.width;
	*height = header.height;
}

/* A pixel of the last rendered frame as 0xRRGGBB. */
static uint32_t pixel(const struct fixture *f, uint32_t x, uint32_t y)
{
	struct vvga_frame_header header;
	uint32_t value;

	memcpy(&header, f->frame, sizeof(header));
	assert_true(x < header.width && y < header.height);
	memcpy(&value, f->frame + sizeof(header) + ((size_t)y * header.width + x) * 4, 4);
	return value & 0xffffff;
}

static void advance_to(struct mock_vm *vm, uint64_t ns)
{
	assert_true(ns >= mock_now(vm));
	mock_advance(vm, ns - mock_now(vm));
}

/* A character's 32-byte glyph in plane 2 at character map 0, one pattern on every row. */
static void load_glyph(struct mock_vm *vm, uint8_t ch, uint8_t pattern)
{
	planar(vm);
	seq_write(vm, 2, 0x04);
	for (unsigned row = 0; row < 32; row++)
		mem_write(vm, WINDOW_A0000 + ch * 32u + row, pattern);
}

/* Text mode 03h with a character and attribute at a row and column, through B8000. */
static void text_put(struct mock_vm *vm, unsigned row, unsigned col, uint8_t ch, uint8_t attr)
{
	uint32_t gpa = WINDOW_B8000 + (row * 80 + col) * 2;

	mem_write(vm, gpa, ch);
	mem_write(vm, gpa + 1, attr);
}

/* --- tests ------------------------------------------------------------- */

static void test_create_claims_vga_ports_and_the_a0000_window(void **state)
{
	struct fixture *f = *state;

	for (uint16_t port = 0x3b0; port <= 0x3df; port++)
		assert_true(mock_port_claimed(f->vm, port));
	assert_false(mock_port_claimed(f->vm, 0x3af));
	assert_false(mock_port_claimed(f->vm, 0x3e0));
	assert_true(mock_mmio(f->vm, 0xa0000, &(uint8_t){ 0 }, 1, false));
	assert_true(mock_mmio(f->vm, 0xbffff, &(uint8_t){ 0 }, 1, false));
	assert_false(mock_mmio(f->vm, 0xc0000, &(uint8_t){ 0 }, 1, false));
}

static uint8_t squat_inb(void *opaque, uint16_t port)
{
	return 0;
}

static const struct vdh_io_ops squat_ops = { .inb = squat_inb };
static const struct vdh *squat_vdh;

static int squat_init(const struct vdh *vdh)
{
	squat_vdh = vdh;
	return 0;
}

static int squat_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	*instance = NULL;
	return squat_vdh->install_io_hook(dev, STATUS1_COLOR, 1, &squat_ops, NULL);
}

static void test_create_fails_with_ebusy_when_a_port_is_taken(void **state)
{
	static const struct vdd_module squatter = {
		.api_version = VDH_API_VERSION, .name = "squat",
		.init = squat_init, .create = squat_create,
	};
	struct mock_vm *vm = mock_vm_create();

	assert_int_equal(mock_vm_attach(vm, &squatter, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), -EBUSY);
	mock_vm_destroy(vm);
}

/* Write mode 0: set/reset fills the planes it is enabled for, the others take the data. */
static void test_write_mode0_set_reset_for_enabled_planes(void **state)
{
	struct fixture *f = *state;

	planar(f->vm);
	gc_write(f->vm, 0x00, 0x01); /* set/reset: plane 0 ones, plane 2 zeros */
	gc_write(f->vm, 0x01, 0x05); /* enabled for planes 0 and 2 */
	mem_write(f->vm, WINDOW_A0000 + 1, 0x3c);
	assert_planes(f->vm, 1, 0xff, 0x3c, 0x00, 0x3c);
}

/* The bit mask keeps latched bits where it is 0; rotation turns the data right. */
static void test_write_mode0_bit_mask_keeps_latches_and_rotate_turns_data(void **state)
{
	struct fixture *f = *state;

	planes_fill(f->vm, 0, 0xaa, 0xaa, 0xaa, 0xaa);
	planar(f->vm);
	gc_write(f->vm, 0x08, 0x0f);
	mem_read(f->vm, WINDOW_A0000); /* latches: AAh */
	mem_write(f->vm, WINDOW_A0000, 0x55);
	assert_planes(f->vm, 0, 0xa5, 0xa5, 0xa5, 0xa5);

	planar(f->vm);
	gc_write(f->vm, 0x03, 0x03); /* rotate right by 3 */
	mem_write(f->vm, WINDOW_A0000 + 2, 0x81);
	assert_planes(f->vm, 2, 0x30, 0x30, 0x30, 0x30);
}

/* Function select: the data ANDed, ORed or XORed with the latches. */
static void test_write_mode0_logical_ops_with_latches(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint8_t op, result;
	} ops[] = { { 0x08, 0xf0 & 0x3c }, { 0x10, 0xf0 | 0x3c }, { 0x18, 0xf0 ^ 0x3c } };

	for (unsigned i = 0; i < 3; i++) {
		planes_fill(f->vm, 0x100, 0xf0, 0xf0, 0xf0, 0xf0);
		planar(f->vm);
		mem_read(f->vm, WINDOW_A0000 + 0x100);
		gc_write(f->vm, 0x03, ops[i].op);
		mem_write(f->vm, WINDOW_A0000 + 0x100, 0x3c);
		assert_planes(f->vm, 0x100, ops[i].result, ops[i].result, ops[i].result,
			      ops[i].result);
	}
}

/* Write mode 1 stores the latches as the last read loaded them, in the map-masked planes. */
static void test_write_mode1_copies_latches(void **state)
{
	struct fixture *f = *state;

	planes_fill(f->vm, 0, 0x11, 0x22, 0x44, 0x88);
	planes_fill(f->vm, 5, 0xee, 0xee, 0xee, 0xee);
	planar(f->vm);
	mem_read(f->vm, WINDOW_A0000);
	gc_write(f->vm, 0x05, 0x01);
	gc_write(f->vm, 0x08, 0x00); /* write mode 1 ignores the bit mask */
	seq_write(f->vm, 2, 0x05);
	mem_write(f->vm, WINDOW_A0000 + 5, 0x00);
	assert_planes(f->vm, 5, 0x11, 0xee, 0x44, 0xee);
}

/* Write mode 2: data bit p fills plane p, through the bit mask. */
static void test_write_mode2_colour_through_bit_mask(void **state)
{
	struct fixture *f = *state;

	planes_fill(f->vm, 9, 0x0f, 0x0f, 0x0f, 0x0f);
	planar(f->vm);
	mem_read(f->vm, WINDOW_A0000 + 9);
	gc_write(f->vm, 0x05, 0x02);
	gc_write(f->vm, 0x08, 0xf0);
	mem_write(f->vm, WINDOW_A0000 + 9, 0x0a);
	assert_planes(f->vm, 9, 0x0f, 0xff, 0x0f, 0xff);
}

/* Write mode 3: set/reset as the colour, the rotated data ANDed with the bit mask as mask. */
static void test_write_mode3_rotated_data_and_bit_mask(void **state)
{
	struct fixture *f = *state;

	planes_fill(f->vm, 12, 0x81, 0x81, 0x81, 0x81);
	planar(f->vm);
	mem_read(f->vm, WINDOW_A0000 + 12);
	gc_write(f->vm, 0x05, 0x03);
	gc_write(f->vm, 0x00, 0x0c);
	gc_write(f->vm, 0x01, 0x00); /* enable set/reset does not matter in mode 3 */
	gc_write(f->vm, 0x08, 0xf0);
	gc_write(f->vm, 0x03, 0x01); /* 78h rotated right by 1 is 3Ch */
	mem_write(f->vm, WINDOW_A0000 + 12, 0x78);
	assert_planes(f->vm, 12, 0x81, 0x81, 0xb1, 0xb1);
}

/* Read mode 0 returns the plane read map select names, and loads all four latches. */
static void test_read_mode0_read_map_select(void **state)
{
	struct fixture *f = *state;

	planes_fill(f->vm, 3, 0x10, 0x20, 0x30, 0x40);
	planar(f->vm);
	for (uint8_t p = 0; p < 4; p++) {
		gc_write(f->vm, 0x04, p);
		assert_int_equal(mem_read(f->vm, WINDOW_A0000 + 3), 0x10 * (p + 1));
	}
	/* the latches hold all four planes: write mode 1 copies them elsewhere */
	gc_write(f->vm, 0x05, 0x01);
	mem_write(f->vm, WINDOW_A0000 + 4, 0);
	assert_planes(f->vm, 4, 0x10, 0x20, 0x30, 0x40);
}

/* Read mode 1: a 1 for each pixel whose colour matches the compare colour in
 * the planes colour don't care selects. */
static void test_read_mode1_colour_compare_and_dont_care(void **state)
{
	struct fixture *f = *state;

	planes_fill(f->vm, 7, 0xf0, 0xcc, 0xaa, 0x00);
	planar(f->vm);
	gc_write(f->vm, 0x05, 0x08);
	gc_write(f->vm, 0x02, 0x03);
	gc_write(f->vm, 0x07, 0x0f);
	assert_int_equal(mem_read(f->vm, WINDOW_A0000 + 7), 0xf0 & 0xcc & 0x55 & 0xff);
	gc_write(f->vm, 0x07, 0x03);
	assert_int_equal(mem_read(f->vm, WINDOW_A0000 + 7), 0xf0 & 0xcc);
	gc_write(f->vm, 0x07, 0x00);
	assert_int_equal(mem_read(f->vm, WINDOW_A0000 + 7), 0xff);
}

/* Chain 4: address bits 1-0 pick the plane, the plane offset has them clear. */
static void test_chain4_addressing(void **state)
{
	struct fixture *f = *state;

	set_mode(f->vm, &mode_13h);
	for (uint8_t i = 0; i < 8; i++)
		mem_write(f->vm, WINDOW_A0000 + i, (uint8_t)(0x10 + i));
	assert_int_equal(mem_read(f->vm, WINDOW_A0000 + 6), 0x16);
	assert_planes(f->vm, 0, 0x10, 0x11, 0x12, 0x13);
	assert_planes(f->vm, 4, 0x14, 0x15, 0x16, 0x17);
	assert_planes(f->vm, 1, 0, 0, 0, 0);
}

/* Odd/even: even addresses go to planes 0 and 2, odd ones to 1 and 3, at the
 * even plane offset; reads pick plane 0/1 or 2/3 by read map select bit 1. */
static void test_odd_even_addressing(void **state)
{
	struct fixture *f = *state;

	set_mode(f->vm, &mode_03h);
	mem_write(f->vm, WINDOW_B8000, 'A');
	mem_write(f->vm, WINDOW_B8000 + 1, 0x1f);
	mem_write(f->vm, WINDOW_B8000 + 2, 'B');
	mem_write(f->vm, WINDOW_B8000 + 3, 0x2e);
	assert_int_equal(mem_read(f->vm, WINDOW_B8000 + 3), 0x2e);
	assert_int_equal(mem_read(f->vm, WINDOW_B8000 + 2), 'B');
	seq_write(f->vm, 2, 0x0f);
	mem_write(f->vm, WINDOW_B8000 + 4, 0x77); /* planes 0 and 2 */
	gc_write(f->vm, 0x04, 0x02);
	assert_int_equal(mem_read(f->vm, WINDOW_B8000 + 4), 0x77);
	assert_int_equal(mem_read(f->vm, WINDOW_B8000 + 1), 0x00); /* plane 3 */
	assert_planes(f->vm, 0, 'A', 0x1f, 0, 0);
	assert_planes(f->vm, 1, 0, 0, 0, 0);
	assert_planes(f->vm, 2, 'B', 0x2e, 0, 0);
	assert_planes(f->vm, 4, 0x77, 0, 0x77, 0);
}

/* Memory map select: A0000 128K, A0000 64K, B0000 32K, B8000 32K; elsewhere
 * reads are FFh and writes go nowhere. */
static void test_memory_map_select_windows(void **state)
{
	struct fixture *f = *state;

	planar(f->vm);
	gc_write(f->vm, 0x06, 0x0d); /* B8000 */
	assert_int_equal(mem_read(f->vm, WINDOW_A0000), 0xff);
	assert_int_equal(mem_read(f->vm, WINDOW_B0000), 0xff);
	mem_write(f->vm, WINDOW_A0000, 0x12);
	mem_write(f->vm, WINDOW_B8000 + 1, 0x34);
	gc_write(f->vm, 0x06, 0x09); /* B0000 */
	assert_int_equal(mem_read(f->vm, WINDOW_B8000), 0xff);
	mem_write(f->vm, WINDOW_B0000 + 2, 0x56);
	gc_write(f->vm, 0x06, 0x01); /* A0000-BFFFF: B0000 is plane offset 10000h, wrapping to 0 */
	mem_write(f->vm, WINDOW_B0000 + 3, 0x78);
	assert_int_equal(plane_read(f->vm, 0, 0), 0x00);
	assert_int_equal(plane_read(f->vm, 0, 1), 0x34);
	assert_int_equal(plane_read(f->vm, 0, 2), 0x56);
	assert_int_equal(plane_read(f->vm, 0, 3), 0x78);
}

/* A glyph from plane 2 at a known place: 9-dot cells, the ninth column
 * repeating the eighth for line-graphics characters only (C0h-DFh on a VGA;
 * B0h-DFh as QEMU shows them, which we follow). */
static void test_text_glyph_and_ninth_column(void **state)
{
	struct fixture *f = *state;
	const uint32_t fg = 0xffff57, bg = 0x0000a8; /* DAC 3Eh (63,63,21), DAC 01h (0,0,42) */
	uint32_t w, h;

	set_mode(f->vm, &mode_03h);
	load_glyph(f->vm, 0xc4, 0x81);
	load_glyph(f->vm, 0xdf, 0x81);
	load_glyph(f->vm, 0x41, 0x81);
	load_glyph(f->vm, 0xaf, 0x81);
	load_glyph(f->vm, 0xb1, 0x81);
	set_mode(f->vm, &mode_03h);
	dac_write(f->vm, 0x01, 0, 0, 42);
	dac_write(f->vm, 0x3e, 63, 63, 21);
	text_put(f->vm, 2, 5, 0xc4, 0x1e);
	text_put(f->vm, 2, 6, 0x41, 0x1e);
	text_put(f->vm, 2, 7, 0xdf, 0x1e);
	text_put(f->vm, 2, 8, 0xaf, 0x1e);
	text_put(f->vm, 2, 9, 0xb1, 0x1e);
	render(f, &w, &h);
	assert_int_equal(w, 720);
	assert_int_equal(h, 400);
	/* row 2, column 5: x 45-53, y 32-47 */
	for (uint32_t y = 32; y < 48; y++) {
		assert_int_equal(pixel(f, 45, y), fg);
		assert_int_equal(pixel(f, 46, y), bg);
		assert_int_equal(pixel(f, 52, y), fg);
		assert_int_equal(pixel(f, 53, y), fg); /* C4h: ninth = eighth */
		assert_int_equal(pixel(f, 62, y), bg); /* 41h: ninth is background */
		assert_int_equal(pixel(f, 71, y), fg); /* DFh, the last line-graphics character */
		assert_int_equal(pixel(f, 80, y), bg); /* AFh */
		assert_int_equal(pixel(f, 89, y), fg); /* B1h: QEMU repeats B0h-DFh, a VGA C0h-DFh */
	}
	assert_int_equal(pixel(f, 45, 31), 0x000000); /* row 1: character 0, attribute 0 */
	/* line graphics off: the ninth column is background for every character */
	atc_write(f->vm, 0x10, 0x08);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 52, 40), fg);
	assert_int_equal(pixel(f, 53, 40), bg);
}

/* Mode 13h: each pixel a DAC index, 640x400 with pixels doubled both ways;
 * 6-bit DAC values widen as v << 2 | (v & 1) * 3, as QEMU shows them. */
static void test_mode13h_pixels_through_dac(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_13h);
	dac_write(f->vm, 1, 0, 1, 31);
	dac_write(f->vm, 2, 63, 62, 32);
	dac_write(f->vm, 3, 2, 33, 0);
	mem_write(f->vm, WINDOW_A0000, 1);
	mem_write(f->vm, WINDOW_A0000 + 1, 2);
	mem_write(f->vm, WINDOW_A0000 + 320 * 199 + 319, 3);
	render(f, &w, &h);
	assert_int_equal(w, 640);
	assert_int_equal(h, 400);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(pixel(f, i & 1, i >> 1), 0x00077f);
		assert_int_equal(pixel(f, 2 + (i & 1), i >> 1), 0xfff880);
		assert_int_equal(pixel(f, 638 + (i & 1), 398 + (i >> 1)), 0x088700);
	}
	assert_int_equal(pixel(f, 4, 0), 0x000000);
	/* the PEL mask ANDs the pixel before the DAC: 2 & 1 = 0 */
	mock_outb(f->vm, PEL_MASK, 0x01);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 2, 0), 0x000000);
	assert_int_equal(pixel(f, 0, 0), 0x00077f);
}

/* Mode 12h: four planes make a 4-bit colour, through the palette registers,
 * colour plane enable and the DAC. */
static void test_mode12h_planar_pixels(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_12h);
	dac_write(f->vm, 0x39, 10, 20, 30); /* palette register 9 is 39h */
	dac_write(f->vm, 0x01, 5, 6, 7);
	gc_write(f->vm, 0x05, 0x02);
	gc_write(f->vm, 0x08, 0x10);        /* pixel 3 of the byte */
	mem_read(f->vm, WINDOW_A0000 + 10 * 80);
	mem_write(f->vm, WINDOW_A0000 + 10 * 80, 9);
	render(f, &w, &h);
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	assert_int_equal(pixel(f, 3, 10), 0x285078);
	assert_int_equal(pixel(f, 2, 10), 0x000000);
	assert_int_equal(pixel(f, 3, 9), 0x000000);
	atc_write(f->vm, 0x12, 0x07);       /* plane 3 off: colour 9 shows as 1 */
	render(f, &w, &h);
	assert_int_equal(pixel(f, 3, 10), 0x17181f);
}

/* Unchained 256 colours (mode X): the map mask picks which of four adjacent pixels a write sets. */
static void test_mode_x_unchained_writes_with_map_mask(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_13h);
	seq_write(f->vm, 4, 0x06);
	crtc_write(f->vm, 0x14, 0x00);
	crtc_write(f->vm, 0x17, 0xe3);
	dac_write(f->vm, 5, 63, 0, 0);
	dac_write(f->vm, 6, 0, 63, 0);
	seq_write(f->vm, 2, 0x02);
	mem_write(f->vm, WINDOW_A0000, 5);      /* pixel 1 */
	seq_write(f->vm, 2, 0x0c);
	mem_write(f->vm, WINDOW_A0000 + 1, 6);  /* pixels 6 and 7 */
	seq_write(f->vm, 2, 0x01);
	mem_write(f->vm, WINDOW_A0000 + 80, 5); /* line 1, pixel 0 */
	render(f, &w, &h);
	assert_int_equal(w, 640);
	assert_int_equal(h, 400);
	assert_int_equal(pixel(f, 0, 0), 0x000000);
	assert_int_equal(pixel(f, 2, 0), 0xff0000);
	assert_int_equal(pixel(f, 3, 1), 0xff0000);
	assert_int_equal(pixel(f, 10, 0), 0x000000);
	assert_int_equal(pixel(f, 12, 0), 0x00ff00);
	assert_int_equal(pixel(f, 15, 1), 0x00ff00);
	assert_int_equal(pixel(f, 0, 2), 0xff0000);
	assert_int_equal(pixel(f, 0, 3), 0xff0000);
	assert_int_equal(pixel(f, 2, 2), 0x000000);
}

/* The start address picks the first line; below line compare memory starts again at 0. */
static void test_start_address_and_split_screen(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_13h);
	dac_write(f->vm, 1, 63, 0, 0);
	dac_write(f->vm, 2, 0, 0, 63);
	mem_write(f->vm, WINDOW_A0000, 1);       /* memory line 0 */
	mem_write(f->vm, WINDOW_A0000 + 320, 2); /* memory line 1 */
	crtc_write(f->vm, 0x0d, 80);             /* doubleword mode: 80 * 4 = line 1 */
	render(f, &w, &h);
	assert_int_equal(pixel(f, 0, 0), 0x0000ff);
	assert_int_equal(pixel(f, 0, 1), 0x0000ff);
	assert_int_equal(pixel(f, 0, 2), 0x000000);
	/* line compare 99 (bits 8 and 9 in CR7 bit 4 and CR9 bit 6 cleared) */
	crtc_write(f->vm, 0x18, 99);
	crtc_write(f->vm, 0x07, 0x0f);
	crtc_write(f->vm, 0x09, 0x01);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 0, 99), 0x000000);
	assert_int_equal(pixel(f, 0, 100), 0xff0000);
	assert_int_equal(pixel(f, 0, 101), 0xff0000);
	assert_int_equal(pixel(f, 0, 102), 0x0000ff);
	assert_int_equal(pixel(f, 0, 103), 0x0000ff);
}

/* CGA mode 4: two bits a pixel, odd lines in the bank at BA000 (row scan bit 0 as address bit 13). */
static void test_cga_mode4_banks(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_04h);
	dac_write(f->vm, 0x13, 0, 63, 63);
	dac_write(f->vm, 0x17, 63, 63, 63);
	dac_write(f->vm, 0x15, 63, 0, 63);
	mem_write(f->vm, WINDOW_B8000, 0x10);          /* line 0 pixel 1: colour 1 */
	mem_write(f->vm, WINDOW_B8000 + 1, 0x02);      /* line 0 pixel 7: colour 2 */
	mem_write(f->vm, WINDOW_B8000 + 0x2000, 0xc0); /* line 1 pixel 0: colour 3 */
	render(f, &w, &h);
	assert_int_equal(w, 640);
	assert_int_equal(h, 400);
	assert_int_equal(pixel(f, 2, 0), 0x00ffff);
	assert_int_equal(pixel(f, 3, 1), 0x00ffff);
	assert_int_equal(pixel(f, 0, 0), 0x000000);
	assert_int_equal(pixel(f, 14, 0), 0xff00ff);
	assert_int_equal(pixel(f, 0, 2), 0xffffff);
	assert_int_equal(pixel(f, 1, 3), 0xffffff);
	assert_int_equal(pixel(f, 0, 4), 0x000000);
}

/* Horizontal pel panning (attribute 13h) moves the picture left by pixels,
 * the byte pan (CR8 bits 5-6) by character clocks. */
static void test_horizontal_panning(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_12h);
	dac_write(f->vm, 0x3f, 63, 63, 63);
	mem_write(f->vm, WINDOW_A0000 + 1, 0x80); /* pixel 8: colour 15 */
	atc_write(f->vm, 0x13, 3);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 5, 0), 0xffffff);
	assert_int_equal(pixel(f, 8, 0), 0x000000);
	atc_write(f->vm, 0x13, 0);
	crtc_write(f->vm, 0x08, 0x20);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 0, 0), 0xffffff);
}

/* DAC: three bytes a colour, the index moving on after each third; the read
 * index cycles the same way; values are 6 bits. */
static void test_dac_index_cycling(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, DAC_WRITE, 5);
	for (uint8_t i = 0; i < 6; i++)
		mock_outb(f->vm, DAC_DATA, (uint8_t)(0xc0 | (10 + i)));
	assert_int_equal(mock_inb(f->vm, DAC_WRITE), 7);
	assert_int_equal(mock_inb(f->vm, DAC_READ), 0x00);
	mock_outb(f->vm, DAC_READ, 5);
	assert_int_equal(mock_inb(f->vm, DAC_READ), 0x03);
	for (uint8_t i = 0; i < 6; i++)
		assert_int_equal(mock_inb(f->vm, DAC_DATA), 10 + i);
	assert_int_equal(mock_inb(f->vm, DAC_DATA), 0); /* entry 7, component 0 */
	/* a new write index starts a new colour: the two bytes before are lost */
	mock_outb(f->vm, DAC_WRITE, 9);
	mock_outb(f->vm, DAC_DATA, 1);
	mock_outb(f->vm, DAC_DATA, 2);
	mock_outb(f->vm, DAC_WRITE, 9);
	mock_outb(f->vm, DAC_DATA, 3);
	mock_outb(f->vm, DAC_DATA, 4);
	mock_outb(f->vm, DAC_DATA, 5);
	mock_outb(f->vm, DAC_READ, 9);
	assert_int_equal(mock_inb(f->vm, DAC_DATA), 3);
	assert_int_equal(mock_inb(f->vm, DAC_DATA), 4);
	assert_int_equal(mock_inb(f->vm, DAC_DATA), 5);
	mock_outb(f->vm, PEL_MASK, 0x0f);
	assert_int_equal(mock_inb(f->vm, PEL_MASK), 0x0f);
}

/* 3C0 alternates index and data; reading input status 1 sets it back to index. */
static void test_attribute_flip_flop(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, MISC_WRITE, 0x67);
	mock_inb(f->vm, STATUS1_COLOR);
	mock_outb(f->vm, ATC, 0x32);     /* index 12h, palette address source */
	assert_int_equal(mock_inb(f->vm, ATC), 0x32);
	mock_outb(f->vm, ATC, 0x05);     /* data */
	assert_int_equal(mock_inb(f->vm, ATC_READ), 0x05);
	mock_outb(f->vm, ATC, 0x33);     /* index again */
	mock_outb(f->vm, ATC, 0x07);
	mock_outb(f->vm, ATC, 0x31);     /* index */
	mock_inb(f->vm, STATUS1_COLOR);  /* flip-flop to index: the next write is an index too */
	mock_outb(f->vm, ATC, 0x34);
	mock_outb(f->vm, ATC, 0x0a);
	mock_outb(f->vm, ATC, 0x33);
	assert_int_equal(mock_inb(f->vm, ATC_READ), 0x07);
	mock_outb(f->vm, ATC, 0x00);     /* data: 13h = 0 */
	mock_inb(f->vm, STATUS1_COLOR);
	mock_outb(f->vm, ATC, 0x34);
	assert_int_equal(mock_inb(f->vm, ATC_READ), 0x0a);
	/* a word write to 3C0 is index, then data */
	mock_inb(f->vm, STATUS1_COLOR);
	mock_outw(f->vm, ATC, 0x0911);
	mock_outb(f->vm, ATC, 0x31);
	assert_int_equal(mock_inb(f->vm, ATC_READ), 0x09);
	/* reading 3BA resets it only while the CRTC is at 3Bx */
	mock_outb(f->vm, ATC, 0x00);
	mock_outb(f->vm, ATC, 0x31);
	mock_inb(f->vm, STATUS1_MONO);
	mock_outb(f->vm, ATC, 0x02);     /* data: 11h = 2 */
	mock_inb(f->vm, STATUS1_COLOR);
	mock_outb(f->vm, ATC, 0x31);
	assert_int_equal(mock_inb(f->vm, ATC_READ), 0x02);
}

/* A word write to an index port writes the index, then the data port. */
static void test_word_writes_to_index_ports(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, MISC_WRITE, 0x67);
	mock_outw(f->vm, SEQ, 0x0a02);
	mock_outw(f->vm, GC, 0x5508);
	mock_outw(f->vm, CRTC_COLOR, 0x120c);
	assert_int_equal(seq_read(f->vm, 2), 0x0a);
	mock_outb(f->vm, GC, 8);
	assert_int_equal(mock_inb(f->vm, GC + 1), 0x55);
	assert_int_equal(crtc_read(f->vm, CRTC_COLOR, 0x0c), 0x12);
}

/* Misc output bit 0 moves the CRTC and input status 1 between 3Bx and 3Dx;
 * CR11 bit 7 protects CR0-CR7 except the line compare bit in CR7. */
static void test_crtc_ports_follow_misc_output_and_write_protect(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, MISC_WRITE, 0x67);
	assert_int_equal(mock_inb(f->vm, MISC_READ), 0x67);
	crtc_write(f->vm, 0x0e, 0x12);
	assert_int_equal(crtc_read(f->vm, CRTC_COLOR, 0x0e), 0x12);
	assert_int_equal(crtc_read(f->vm, CRTC_MONO, 0x0e), 0xff);
	assert_int_equal(mock_inb(f->vm, STATUS1_MONO), 0xff);
	mock_outb(f->vm, MISC_WRITE, 0x66);
	assert_int_equal(crtc_read(f->vm, CRTC_MONO, 0x0e), 0x12);
	assert_int_equal(crtc_read(f->vm, CRTC_COLOR, 0x0e), 0xff);
	mock_outb(f->vm, MISC_WRITE, 0x67);

	crtc_write(f->vm, 0x07, 0x00);
	crtc_write(f->vm, 0x01, 0x4f);
	crtc_write(f->vm, 0x11, 0x8e);
	crtc_write(f->vm, 0x01, 0x27);
	crtc_write(f->vm, 0x07, 0xff);
	assert_int_equal(crtc_read(f->vm, CRTC_COLOR, 0x01), 0x4f);
	assert_int_equal(crtc_read(f->vm, CRTC_COLOR, 0x07), 0x10);
}

/* Input status 1 follows the virtual clock through the mode 03h timing: display
 * enable off in blanking (bit 0), vertical retrace (bit 3) on lines 412-413. */
static void test_input_status1_retrace_follows_virtual_clock(void **state)
{
	struct fixture *f = *state;

	set_mode(f->vm, &mode_03h);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x00);
	/* character clock 85 of line 0: horizontal blanking */
	advance_to(f->vm, TEXT_LINE_PS * 85 / 100 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x01);
	/* line 405, mid-line: vertical blanking before the retrace */
	advance_to(f->vm, TEXT_LINE_PS * 4055 / 10 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x01);
	advance_to(f->vm, TEXT_LINE_PS * 4125 / 10 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x09);
	advance_to(f->vm, TEXT_LINE_PS * 4135 / 10 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x09);
	advance_to(f->vm, TEXT_LINE_PS * 4145 / 10 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x01);
	/* the next frame: displaying, then the retrace again */
	advance_to(f->vm, TEXT_FRAME_NS + TEXT_LINE_PS * 105 / 10 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x09, 0x00);
	advance_to(f->vm, TEXT_FRAME_NS + TEXT_LINE_PS * 4125 / 10 / 1000);
	assert_int_equal(mock_inb(f->vm, STATUS1_COLOR) & 0x08, 0x08);
}

/* A frame is rendered only when memory or registers changed (or text blinks). */
static void test_dirty_tracking_renders_only_after_changes(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;
	uint64_t renders;

	set_mode(f->vm, &mode_13h);
	dac_write(f->vm, 1, 1, 2, 3);
	mem_write(f->vm, WINDOW_A0000, 1);
	render(f, &w, &h);
	renders = f->s->frame.renders;
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders);
	/* same values, index writes, reads and time passing change nothing */
	dac_write(f->vm, 1, 1, 2, 3);
	mem_write(f->vm, WINDOW_A0000, 1);
	seq_write(f->vm, 2, 0x0f);
	mock_inb(f->vm, STATUS1_COLOR);
	mem_read(f->vm, WINDOW_A0000 + 5);
	mock_advance(f->vm, 1000000000);
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders);
	mem_write(f->vm, WINDOW_A0000 + 1, 1);
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders + 1);
	dac_write(f->vm, 1, 1, 2, 4);
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders + 2);
	assert_int_equal(pixel(f, 0, 0), 0x070810);
	atc_write(f->vm, 0x10, 0x41);
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders + 2);

	/* text mode: again when the blink phase turns, every 8 frames */
	set_mode(f->vm, &mode_03h);
	advance_to(f->vm, 128 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	renders = f->s->frame.renders;
	advance_to(f->vm, 135 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders);
	advance_to(f->vm, 136 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(f->s->frame.renders, renders + 1);
}

/* The cursor blinks 8 frames on, 8 off, blinking characters 16 and 16, on the
 * virtual clock; with blink enabled attribute bit 7 is no background intensity. */
static void test_cursor_and_character_blink_follow_virtual_clock(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h;

	set_mode(f->vm, &mode_03h);
	load_glyph(f->vm, 0xdb, 0xff);
	set_mode(f->vm, &mode_03h);
	dac_write(f->vm, 0x07, 42, 42, 42);
	dac_write(f->vm, 0x3f, 63, 63, 63);
	dac_write(f->vm, 0x04, 42, 0, 0);
	dac_write(f->vm, 0x3c, 63, 21, 21);
	text_put(f->vm, 0, 0, ' ', 0x07);        /* cursor here, lines 13-14 */
	text_put(f->vm, 0, 1, 0xdb, 0x8f);       /* blinking white block */
	text_put(f->vm, 0, 2, ' ', 0xc0);        /* red background, blinking */
	advance_to(f->vm, TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 4, 13), 0xa8a8a8);
	assert_int_equal(pixel(f, 8, 14), 0xa8a8a8);
	assert_int_equal(pixel(f, 4, 12), 0x000000);
	assert_int_equal(pixel(f, 4, 15), 0x000000);
	assert_int_equal(pixel(f, 12, 5), 0xffffff);
	assert_int_equal(pixel(f, 20, 5), 0xa80000);
	advance_to(f->vm, 8 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 4, 13), 0x000000);
	assert_int_equal(pixel(f, 12, 5), 0xffffff);
	advance_to(f->vm, 16 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 4, 13), 0xa8a8a8);
	assert_int_equal(pixel(f, 12, 5), 0x000000);
	advance_to(f->vm, 32 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 12, 5), 0xffffff);
	/* blink off: bit 7 is background intensity, nothing blinks */
	atc_write(f->vm, 0x10, 0x04);
	advance_to(f->vm, 48 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 12, 5), 0xffffff);
	assert_int_equal(pixel(f, 20, 5), 0xff5757);
	/* cursor disable (CR0A bit 5) */
	crtc_write(f->vm, 0x0a, 0x2d);
	advance_to(f->vm, 64 * TEXT_FRAME_NS + TEXT_FRAME_NS / 2);
	render(f, &w, &h);
	assert_int_equal(pixel(f, 4, 13), 0x000000);
}

/* Timings a guest should never program still give a frame, clamped to the
 * widest the renderer makes, or a black one when nothing would show. */
static void test_nonsense_timings_give_a_sane_frame(void **state)
{
	struct fixture *f = *state;
	uint32_t w, h, seed = 1;

	set_mode(f->vm, &mode_12h);
	crtc_write(f->vm, 0x11, 0x0c);         /* unprotect CR0-CR7 */
	crtc_write(f->vm, 0x01, 0xff);
	seq_write(f->vm, 1, 0x09);             /* 256 x 8 dots, doubled: 4096 wide */
	render(f, &w, &h);
	assert_int_equal(w, VVGA_MAX_WIDTH);
	assert_int_equal(h, 480);
	assert_true(f->s->frame.clamped);

	set_mode(f->vm, &mode_03h);
	crtc_write(f->vm, 0x11, 0x0e);
	crtc_write(f->vm, 0x09, 0x1f);         /* 32-line characters ... */
	crtc_write(f->vm, 0x12, 0x0a);         /* ... on 11 lines: no row */
	crtc_write(f->vm, 0x07, 0x00);
	render(f, &w, &h);
	/* black, the size of the last frame */
	assert_int_equal(w, VVGA_MAX_WIDTH);
	assert_int_equal(h, 480);
	for (uint32_t y = 0; y < h; y += 97)
		assert_int_equal(pixel(f, w / 2, y), 0);

	/* random register and memory writes, rendering in between */
	for (unsigned i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		if (seed >> 28 < 11)
			mock_outb(f->vm, (uint16_t)(0x3b0 + (seed >> 8) % 0x30), (uint8_t)(seed >> 16));
		else if (seed >> 28 < 14)
			mem_write(f->vm, 0xa0000 + (seed >> 4) % 0x20000, (uint8_t)(seed >> 20));
		else
			mock_inb(f->vm, (uint16_t)(0x3b0 + (seed >> 8) % 0x30));
		if (i % 500 == 0) {
			render(f, &w, &h);
			assert_true(w > 0 && w <= VVGA_MAX_WIDTH);
			assert_true(h > 0 && h <= 1024);
		}
	}
}

/* Requests: too small a buffer gets the header (or nothing) and -ENOSPC;
 * unknown commands and a path without its NUL are refused. */
static void test_request_render_needs_room_and_checks_input(void **state)
{
	struct fixture *f = *state;
	struct vvga_frame_header header;
	size_t len = 4;

	set_mode(f->vm, &mode_13h);
	assert_int_equal(vvga_request(f->s, VVGA_REQ_RENDER, NULL, 0, f->frame, &len), -ENOSPC);
	assert_int_equal(len, 0);
	len = sizeof(header) + 100;
	assert_int_equal(vvga_request(f->s, VVGA_REQ_RENDER, NULL, 0, f->frame, &len), -ENOSPC);
	assert_int_equal(len, sizeof(header));
	memcpy(&header, f->frame, sizeof(header));
	assert_int_equal(header.width, 640);
	assert_int_equal(header.height, 400);
	len = 0;
	assert_int_equal(vvga_request(f->s, 99, NULL, 0, NULL, &len), -EINVAL);
	assert_int_equal(vvga_request(f->s, VVGA_REQ_WRITE_PNG, "/tmp/x", 6, NULL, &len),
			 -EINVAL);
}

/* Reads an 8-bit RGB PNG back with libpng. */
static uint8_t *png_load(const char *path, uint32_t *width, uint32_t *height)
{
	png_image image;
	uint8_t *pixels;

	memset(&image, 0, sizeof(image));
	image.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&image, path))
		return NULL;
	assert_int_equal(image.format & PNG_FORMAT_FLAG_COLOR, PNG_FORMAT_FLAG_COLOR);
	assert_int_equal(image.format & PNG_FORMAT_FLAG_ALPHA, 0);
	image.format = PNG_FORMAT_RGB;
	pixels = malloc(PNG_IMAGE_SIZE(image));
	assert_non_null(pixels);
	assert_true(png_image_finish_read(&image, NULL, pixels, 0, NULL));
	*width = image.width;
	*height = image.height;
	return pixels;
}

static void assert_png_pixel(const uint8_t *png, uint32_t width, uint32_t x, uint32_t y,
			     uint32_t rgb)
{
	const uint8_t *p = png + ((size_t)y * width + x) * 3;

	assert_int_equal((uint32_t)p[0] << 16 | p[1] << 8 | p[2], rgb);
}

static void draw_13h_marks(struct mock_vm *vm)
{
	set_mode(vm, &mode_13h);
	dac_write(vm, 1, 63, 31, 0);
	dac_write(vm, 2, 1, 2, 3);
	mem_write(vm, WINDOW_A0000 + 320 * 100 + 160, 1);
	mem_write(vm, WINDOW_A0000 + 320 * 199 + 319, 2);
}

static uint32_t display_pixel(const struct mock_display *d, unsigned x, unsigned y)
{
	assert_true(x < d->width && y < d->height);
	return d->pixels[(size_t)y * d->width + x] & 0xffffff;
}

/* A VGA VDD whose display has shown the 13h marks. */
static struct mock_vm *vm_showing_13h_marks(const struct mock_display **d)
{
	struct mock_vm *vm = mock_vm_create();

	*d = mock_display(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, ""), 0);
	draw_13h_marks(vm);
	advance_to(vm, mock_now(vm) + 20 * 1000000ull);
	return vm;
}

/* The display follows the screen within a frame of each change (a mode
 * switch within 1 ms of its last register write) and is sent nothing while
 * nothing changes. */
static void test_display_follows_the_screen(void **state)
{
	const struct mock_display *d;
	struct mock_vm *vm = vm_showing_13h_marks(&d);
	unsigned screens;

	assert_int_equal(d->width, 640);
	assert_int_equal(d->height, 400);
	assert_int_equal(display_pixel(d, 320, 200), 0xff7f00);
	assert_int_equal(display_pixel(d, 639, 399), 0x07080f);
	assert_int_equal(d->frames, d->screens);
	screens = d->screens;
	advance_to(vm, mock_now(vm) + 100 * 1000000ull);
	assert_int_equal(d->screens, screens);

	set_mode(vm, &mode_12h);
	advance_to(vm, mock_now(vm) + 2 * 1000000ull);
	assert_int_equal(d->width, 640);
	assert_int_equal(d->height, 480);
	mock_vm_destroy(vm);
}

/* In the background nothing is sent; back in the foreground the picture is
 * sent again even though it did not change. */
static void test_display_waits_in_the_background(void **state)
{
	const struct mock_display *d;
	struct mock_vm *vm = vm_showing_13h_marks(&d);
	unsigned screens = d->screens;

	mock_set_foreground(vm, false);
	mem_write(vm, WINDOW_A0000, 1);
	advance_to(vm, mock_now(vm) + 50 * 1000000ull);
	assert_int_equal(d->screens, screens);
	mock_set_foreground(vm, true);
	advance_to(vm, mock_now(vm) + 20 * 1000000ull);
	assert_int_equal(d->screens, screens + 1);
	assert_int_equal(display_pixel(d, 0, 0), 0xff7f00);
	mock_vm_destroy(vm);
}

/* VVGA_REQ_WRITE_PNG writes where asked; an unwritable path is an error, not a crash. */
static void test_request_writes_png(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/test_vvga.XXXXXX", path[64];
	size_t len = 0;
	uint32_t w, h;
	uint8_t *png;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/req.png", dir);
	draw_13h_marks(f->vm);
	assert_int_equal(vvga_request(f->s, VVGA_REQ_WRITE_PNG, path, strlen(path) + 1, NULL, &len),
			 0);
	png = png_load(path, &w, &h);
	assert_non_null(png);
	assert_int_equal(w, 640);
	assert_png_pixel(png, w, 320, 200, 0xff7f00);
	free(png);
	unlink(path);
	snprintf(path, sizeof(path), "%s/no/such/dir.png", dir);
	assert_int_equal(vvga_request(f->s, VVGA_REQ_WRITE_PNG, path, strlen(path) + 1, NULL, &len),
			 -ENOENT);
	rmdir(dir);
}

#define VVGA_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		VVGA_TEST(test_create_claims_vga_ports_and_the_a0000_window),
		cmocka_unit_test(test_create_fails_with_ebusy_when_a_port_is_taken),
		VVGA_TEST(test_write_mode0_set_reset_for_enabled_planes),
		VVGA_TEST(test_write_mode0_bit_mask_keeps_latches_and_rotate_turns_data),
		VVGA_TEST(test_write_mode0_logical_ops_with_latches),
		VVGA_TEST(test_write_mode1_copies_latches),
		VVGA_TEST(test_write_mode2_colour_through_bit_mask),
		VVGA_TEST(test_write_mode3_rotated_data_and_bit_mask),
		VVGA_TEST(test_read_mode0_read_map_select),
		VVGA_TEST(test_read_mode1_colour_compare_and_dont_care),
		VVGA_TEST(test_chain4_addressing),
		VVGA_TEST(test_odd_even_addressing),
		VVGA_TEST(test_memory_map_select_windows),
		VVGA_TEST(test_text_glyph_and_ninth_column),
		VVGA_TEST(test_mode13h_pixels_through_dac),
		VVGA_TEST(test_mode12h_planar_pixels),
		VVGA_TEST(test_mode_x_unchained_writes_with_map_mask),
		VVGA_TEST(test_start_address_and_split_screen),
		VVGA_TEST(test_cga_mode4_banks),
		VVGA_TEST(test_horizontal_panning),
		VVGA_TEST(test_dac_index_cycling),
		VVGA_TEST(test_attribute_flip_flop),
		VVGA_TEST(test_word_writes_to_index_ports),
		VVGA_TEST(test_crtc_ports_follow_misc_output_and_write_protect),
		VVGA_TEST(test_input_status1_retrace_follows_virtual_clock),
		VVGA_TEST(test_dirty_tracking_renders_only_after_changes),
		VVGA_TEST(test_cursor_and_character_blink_follow_virtual_clock),
		VVGA_TEST(test_nonsense_timings_give_a_sane_frame),
		VVGA_TEST(test_request_render_needs_room_and_checks_input),
		cmocka_unit_test(test_display_follows_the_screen),
		cmocka_unit_test(test_display_waits_in_the_background),
		VVGA_TEST(test_request_writes_png),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
