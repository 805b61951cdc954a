/* vvmi_commands.c: the C half of the DOS client library: each command's body built from arguments at protocol.h's offsets (vvmi_dos.h) and put in the ring. */
#include <string.h>

#include "vvmi.h"

/* Little-endian, as the protocol is; the body buffers start zeroed, so
 * reserved fields are 0. */
static void put8(unsigned char *body, unsigned at, unsigned value)
{
	body[at] = value;
}

static void put16(unsigned char *body, unsigned at, unsigned value)
{
	body[at] = value;
	body[at + 1] = value >> 8;
}

static void put32(unsigned char *body, unsigned at, unsigned long value)
{
	put16(body, at, (unsigned)value);
	put16(body, at + 2, (unsigned)(value >> 16));
}

static void put_rect(unsigned char *body, unsigned at, int x, int y, unsigned w, unsigned h)
{
	put16(body, at + VVMI_RECT_X_AT, x);
	put16(body, at + VVMI_RECT_Y_AT, y);
	put16(body, at + VVMI_RECT_W_AT, w);
	put16(body, at + VVMI_RECT_H_AT, h);
}

/* A surface_ref body (DESTROY, RAISE). */
static void put_surface_ref(unsigned opcode, unsigned surface)
{
	unsigned char b[VVMI_SURFACE_REF_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_SURFACE_REF_SURFACE_AT, surface);
	vvmi_put(opcode, b, sizeof(b));
}

void vvmi_set_mode(unsigned width, unsigned height, unsigned format)
{
	unsigned char b[VVMI_SET_MODE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_SET_MODE_WIDTH_AT, width);
	put16(b, VVMI_SET_MODE_HEIGHT_AT, height);
	put8(b, VVMI_SET_MODE_FORMAT_AT, format);
	vvmi_put(VVMI_CMD_SET_MODE, b, sizeof(b));
}

#define PALETTE_CHUNK ((VVMI_PUT_MAX - VVMI_PALETTE_BYTES) / 4)

void vvmi_palette(unsigned surface, unsigned first, unsigned count, unsigned long *entries)
{
	unsigned char b[VVMI_PALETTE_BYTES + PALETTE_CHUNK * 4];
	unsigned n, i;

	while (count) {
		n = count < PALETTE_CHUNK ? count : PALETTE_CHUNK;
		memset(b, 0, VVMI_PALETTE_BYTES);
		put16(b, VVMI_PALETTE_SURFACE_AT, surface);
		put8(b, VVMI_PALETTE_FIRST_AT, first);
		put16(b, VVMI_PALETTE_COUNT_AT, n);
		for (i = 0; i < n; i++)
			put32(b, VVMI_PALETTE_BYTES + i * 4, entries[i]);
		vvmi_put(VVMI_CMD_PALETTE, b, VVMI_PALETTE_BYTES + n * 4);
		first += n;
		entries += n;
		count -= n;
	}
}

void vvmi_surface_create(unsigned surface, unsigned kind, unsigned format, unsigned width,
			 unsigned height, int x, int y)
{
	unsigned char b[VVMI_SURFACE_CREATE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_SURFACE_CREATE_SURFACE_AT, surface);
	put8(b, VVMI_SURFACE_CREATE_KIND_AT, kind);
	put8(b, VVMI_SURFACE_CREATE_FORMAT_AT, format);
	put16(b, VVMI_SURFACE_CREATE_WIDTH_AT, width);
	put16(b, VVMI_SURFACE_CREATE_HEIGHT_AT, height);
	put16(b, VVMI_SURFACE_CREATE_X_AT, x);
	put16(b, VVMI_SURFACE_CREATE_Y_AT, y);
	vvmi_put(VVMI_CMD_SURFACE_CREATE, b, sizeof(b));
}

void vvmi_window_create(unsigned surface, unsigned format, int x, int y, unsigned width,
			unsigned height)
{
	vvmi_surface_create(surface, VVMI_SURFACE_WINDOW, format, width, height, x, y);
}

void vvmi_bitmap_create(unsigned surface, unsigned format, unsigned width, unsigned height)
{
	vvmi_surface_create(surface, VVMI_SURFACE_BITMAP, format, width, height, 0, 0);
}

void vvmi_surface_destroy(unsigned surface)
{
	put_surface_ref(VVMI_CMD_SURFACE_DESTROY, surface);
}

void vvmi_put_fill(unsigned surface, int x, int y, unsigned w, unsigned h, unsigned long colour,
		   unsigned rop2)
{
	unsigned char b[VVMI_FILL_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_FILL_SURFACE_AT, surface);
	put8(b, VVMI_FILL_ROP2_AT, rop2);
	put_rect(b, VVMI_FILL_RECT_AT, x, y, w, h);
	put32(b, VVMI_FILL_COLOR_AT, colour);
	vvmi_put(VVMI_CMD_FILL, b, sizeof(b));
}

void vvmi_put_pattern_fill(unsigned surface, int x, int y, unsigned w, unsigned h,
			   unsigned long fg, unsigned long bg, unsigned char *pattern, unsigned rop3)
{
	unsigned char b[VVMI_PATTERN_FILL_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_PATTERN_FILL_SURFACE_AT, surface);
	put8(b, VVMI_PATTERN_FILL_ROP3_AT, rop3);
	put_rect(b, VVMI_PATTERN_FILL_RECT_AT, x, y, w, h);
	put32(b, VVMI_PATTERN_FILL_FG_AT, fg);
	put32(b, VVMI_PATTERN_FILL_BG_AT, bg);
	memcpy(b + VVMI_PATTERN_FILL_PATTERN_AT, pattern, 8);
	vvmi_put(VVMI_CMD_PATTERN_FILL, b, sizeof(b));
}

void vvmi_bitblt(unsigned dst, int x, int y, unsigned w, unsigned h, unsigned src, int src_x,
		 int src_y, unsigned rop3)
{
	unsigned char b[VVMI_BITBLT_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_BITBLT_DST_AT, dst);
	put16(b, VVMI_BITBLT_SRC_AT, src);
	put_rect(b, VVMI_BITBLT_RECT_AT, x, y, w, h);
	put16(b, VVMI_BITBLT_SRC_X_AT, src_x);
	put16(b, VVMI_BITBLT_SRC_Y_AT, src_y);
	put8(b, VVMI_BITBLT_ROP3_AT, rop3);
	vvmi_put(VVMI_CMD_BITBLT, b, sizeof(b));
}

void vvmi_put_image(unsigned surface, int x, int y, unsigned w, unsigned h, unsigned format,
		    unsigned offset, unsigned stride, unsigned rop3)
{
	unsigned char b[VVMI_PUT_IMAGE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_PUT_IMAGE_SURFACE_AT, surface);
	put8(b, VVMI_PUT_IMAGE_ROP3_AT, rop3);
	put8(b, VVMI_PUT_IMAGE_FORMAT_AT, format);
	put_rect(b, VVMI_PUT_IMAGE_RECT_AT, x, y, w, h);
	put16(b, VVMI_PUT_IMAGE_OFFSET_AT, offset);
	put16(b, VVMI_PUT_IMAGE_STRIDE_AT, stride);
	vvmi_put(VVMI_CMD_PUT_IMAGE, b, sizeof(b));
}

void vvmi_put_line(unsigned surface, int x0, int y0, int x1, int y1, unsigned long colour,
		   unsigned rop2)
{
	unsigned char b[VVMI_LINE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_LINE_SURFACE_AT, surface);
	put8(b, VVMI_LINE_ROP2_AT, rop2);
	put16(b, VVMI_LINE_X0_AT, x0);
	put16(b, VVMI_LINE_Y0_AT, y0);
	put16(b, VVMI_LINE_X1_AT, x1);
	put16(b, VVMI_LINE_Y1_AT, y1);
	put32(b, VVMI_LINE_COLOR_AT, colour);
	vvmi_put(VVMI_CMD_LINE, b, sizeof(b));
}

void vvmi_put_text(unsigned surface, int x, int y, unsigned long fg, unsigned long bg,
		   int transparent, struct vvmi_font *font, unsigned string, unsigned length)
{
	unsigned char b[VVMI_TEXT_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_TEXT_SURFACE_AT, surface);
	put8(b, VVMI_TEXT_TRANSPARENT_AT, transparent);
	put16(b, VVMI_TEXT_X_AT, x);
	put16(b, VVMI_TEXT_Y_AT, y);
	put32(b, VVMI_TEXT_FG_AT, fg);
	put32(b, VVMI_TEXT_BG_AT, bg);
	put16(b, VVMI_TEXT_FONT_AT, font->offset);
	put8(b, VVMI_TEXT_GLYPH_WIDTH_AT, font->glyph_width);
	put8(b, VVMI_TEXT_GLYPH_HEIGHT_AT, font->glyph_height);
	put8(b, VVMI_TEXT_FIRST_AT, font->first);
	put8(b, VVMI_TEXT_COUNT_AT, font->count);
	put16(b, VVMI_TEXT_STRING_AT, string);
	put16(b, VVMI_TEXT_LENGTH_AT, length);
	vvmi_put(VVMI_CMD_TEXT, b, sizeof(b));
}

void vvmi_pointer_shape(unsigned width, unsigned height, unsigned hot_x, unsigned hot_y,
			unsigned masks)
{
	unsigned char b[VVMI_POINTER_SHAPE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_POINTER_SHAPE_WIDTH_AT, width);
	put16(b, VVMI_POINTER_SHAPE_HEIGHT_AT, height);
	put16(b, VVMI_POINTER_SHAPE_HOT_X_AT, hot_x);
	put16(b, VVMI_POINTER_SHAPE_HOT_Y_AT, hot_y);
	put16(b, VVMI_POINTER_SHAPE_MASKS_AT, masks);
	vvmi_put(VVMI_CMD_POINTER_SHAPE, b, sizeof(b));
}

void vvmi_pointer_pos(int x, int y, int visible)
{
	unsigned char b[VVMI_POINTER_POS_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_POINTER_POS_X_AT, x);
	put16(b, VVMI_POINTER_POS_Y_AT, y);
	put8(b, VVMI_POINTER_POS_VISIBLE_AT, visible);
	vvmi_put(VVMI_CMD_POINTER_POS, b, sizeof(b));
}

void vvmi_window_move(unsigned surface, int x, int y)
{
	unsigned char b[VVMI_WINDOW_MOVE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_WINDOW_MOVE_SURFACE_AT, surface);
	put16(b, VVMI_WINDOW_MOVE_X_AT, x);
	put16(b, VVMI_WINDOW_MOVE_Y_AT, y);
	vvmi_put(VVMI_CMD_WINDOW_MOVE, b, sizeof(b));
}

void vvmi_window_resize(unsigned surface, unsigned width, unsigned height)
{
	unsigned char b[VVMI_WINDOW_RESIZE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_WINDOW_RESIZE_SURFACE_AT, surface);
	put16(b, VVMI_WINDOW_RESIZE_WIDTH_AT, width);
	put16(b, VVMI_WINDOW_RESIZE_HEIGHT_AT, height);
	vvmi_put(VVMI_CMD_WINDOW_RESIZE, b, sizeof(b));
}

void vvmi_window_raise(unsigned surface)
{
	put_surface_ref(VVMI_CMD_WINDOW_RAISE, surface);
}

void vvmi_window_title(unsigned surface, unsigned text, unsigned length)
{
	unsigned char b[VVMI_WINDOW_TITLE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_WINDOW_TITLE_SURFACE_AT, surface);
	put16(b, VVMI_WINDOW_TITLE_LENGTH_AT, length);
	put16(b, VVMI_WINDOW_TITLE_TEXT_AT, text);
	vvmi_put(VVMI_CMD_WINDOW_TITLE, b, sizeof(b));
}

void vvmi_window_visible(unsigned surface, int visible)
{
	unsigned char b[VVMI_WINDOW_VISIBLE_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_WINDOW_VISIBLE_SURFACE_AT, surface);
	put8(b, VVMI_WINDOW_VISIBLE_VISIBLE_AT, visible);
	vvmi_put(VVMI_CMD_WINDOW_VISIBLE, b, sizeof(b));
}

void vvmi_present(unsigned sequence)
{
	unsigned char b[VVMI_PRESENT_BYTES];

	memset(b, 0, sizeof(b));
	put16(b, VVMI_PRESENT_SEQUENCE_AT, sequence);
	vvmi_put(VVMI_CMD_PRESENT, b, sizeof(b));
}

void vvmi_bios_font(struct vvmi_font *font, unsigned offset)
{
	vvmi_heap_write_bios_font(offset);
	font->offset = offset;
	font->glyph_width = 8;
	font->glyph_height = 8;
	font->first = 0;
	font->count = VVMI_BIOS_FONT_BYTES / 8;
}
