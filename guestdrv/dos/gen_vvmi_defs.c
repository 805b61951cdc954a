/* gen_vvmi_defs.c: writes protocol.h's constants and layouts for the DOS client library, as NASM equates (vvmi.inc) or C macros for bcc (vvmi_dos.h), so neither half can drift from the C definition. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "protocol.h"

/*
 * The DOS library's own sizes, which its NASM routines and its C callers
 * share: the longest command body vvmi_put takes, the most of an event's
 * body vvmi_get_event copies out (longer bodies are cut), and what
 * vvmi_heap_write_bios_font writes (the VGA BIOS's 8x8 font, characters
 * 0-127, 8 bytes each).
 */
#define VVMI_PUT_MAX 512u
#define VVMI_EVENT_MAX 32u
#define VVMI_BIOS_FONT_BYTES 1024u

/* NASM: `vvmi_fill.rect equ 4`, `vvmi_fill_size equ 16`. C (bcc is C89 with a
 * 16-bit int and no packed structs, so programs build bodies at offsets):
 * `#define VVMI_FILL_RECT_AT 4`, `#define VVMI_FILL_BYTES 16`, and constants
 * past 16 bits marked long. */
static int c_syntax;

static void constant(const char *name, unsigned long value)
{
	if (c_syntax)
		printf("#define %-32s 0x%lX%s\n", name, value, value > 0xFFFFu ? "UL" : "u");
	else
		printf("%-32s equ 0x%lX\n", name, value);
}

static void print_upper(const char *s)
{
	for (; *s; s++)
		putchar(toupper((unsigned char)*s));
}

static void field(const char *type, const char *name, size_t offset)
{
	int width;

	if (!c_syntax) {
		width = printf("%s.%s", type, name);
		printf("%*s equ %zu\n", 32 - width > 0 ? 32 - width : 0, "", offset);
		return;
	}
	printf("#define ");
	print_upper(type);
	putchar('_');
	print_upper(name);
	width = (int)(strlen(type) + strlen(name) + 4);
	printf("_AT%*s %zu\n", 32 - width > 0 ? 32 - width : 0, "", offset);
}

static void size(const char *type, size_t bytes)
{
	int width;

	if (!c_syntax) {
		width = printf("%s_size", type);
		printf("%*s equ %zu\n", 32 - width > 0 ? 32 - width : 0, "", bytes);
		return;
	}
	printf("#define ");
	print_upper(type);
	width = (int)strlen(type) + 6;
	printf("_BYTES%*s %zu\n", 32 - width > 0 ? 32 - width : 0, "", bytes);
}

#define CONSTANT(name) constant(#name, (unsigned long)(name))
#define FIELD(type, name) field(#type, #name, offsetof(struct type, name))
#define SIZE(type) size(#type, sizeof(struct type))

static void constants(void)
{
	CONSTANT(VVMI_REGION_SEGMENT);
	CONSTANT(VVMI_REGION_SIZE);
	CONSTANT(VVMI_PORT_DOORBELL);
	CONSTANT(VVMI_PORT_ID);
	CONSTANT(VVMI_ID);
	CONSTANT(VVMI_MAGIC);
	CONSTANT(VVMI_VERSION);
	CONSTANT(VVMI_CMD_RING_OFFSET);
	CONSTANT(VVMI_CMD_RING_BYTES);
	CONSTANT(VVMI_EVENT_RING_OFFSET);
	CONSTANT(VVMI_EVENT_RING_BYTES);
	CONSTANT(VVMI_HEAP_OFFSET);
	CONSTANT(VVMI_HEAP_BYTES);
	CONSTANT(VVMI_PUT_MAX);
	CONSTANT(VVMI_EVENT_MAX);
	CONSTANT(VVMI_BIOS_FONT_BYTES);

	CONSTANT(VVMI_FORMAT_I8);
	CONSTANT(VVMI_FORMAT_RGB565);
	CONSTANT(VVMI_FORMAT_XRGB8888);
	CONSTANT(VVMI_SURFACES_MAX);
	CONSTANT(VVMI_SURFACE_SCREEN);
	CONSTANT(VVMI_SURFACE_BITMAP);
	CONSTANT(VVMI_SURFACE_WINDOW);

	CONSTANT(VVMI_ROP3_BLACKNESS);
	CONSTANT(VVMI_ROP3_NOTSRCERASE);
	CONSTANT(VVMI_ROP3_NOTSRCCOPY);
	CONSTANT(VVMI_ROP3_SRCERASE);
	CONSTANT(VVMI_ROP3_DSTINVERT);
	CONSTANT(VVMI_ROP3_PATINVERT);
	CONSTANT(VVMI_ROP3_SRCINVERT);
	CONSTANT(VVMI_ROP3_SRCAND);
	CONSTANT(VVMI_ROP3_MERGEPAINT);
	CONSTANT(VVMI_ROP3_MERGECOPY);
	CONSTANT(VVMI_ROP3_SRCCOPY);
	CONSTANT(VVMI_ROP3_SRCPAINT);
	CONSTANT(VVMI_ROP3_PATCOPY);
	CONSTANT(VVMI_ROP3_PATPAINT);
	CONSTANT(VVMI_ROP3_WHITENESS);
	CONSTANT(VVMI_ROP2_BLACK);
	CONSTANT(VVMI_ROP2_COPYPEN);
	CONSTANT(VVMI_ROP2_XORPEN);
	CONSTANT(VVMI_ROP2_WHITE);

	CONSTANT(VVMI_CMD_PAD);
	CONSTANT(VVMI_CMD_SURFACE_CREATE);
	CONSTANT(VVMI_CMD_SURFACE_DESTROY);
	CONSTANT(VVMI_CMD_SET_MODE);
	CONSTANT(VVMI_CMD_PALETTE);
	CONSTANT(VVMI_CMD_FILL);
	CONSTANT(VVMI_CMD_PATTERN_FILL);
	CONSTANT(VVMI_CMD_BITBLT);
	CONSTANT(VVMI_CMD_PUT_IMAGE);
	CONSTANT(VVMI_CMD_LINE);
	CONSTANT(VVMI_CMD_TEXT);
	CONSTANT(VVMI_CMD_POINTER_SHAPE);
	CONSTANT(VVMI_CMD_POINTER_POS);
	CONSTANT(VVMI_CMD_WINDOW_MOVE);
	CONSTANT(VVMI_CMD_WINDOW_RESIZE);
	CONSTANT(VVMI_CMD_WINDOW_RAISE);
	CONSTANT(VVMI_CMD_WINDOW_TITLE);
	CONSTANT(VVMI_CMD_WINDOW_REGION);
	CONSTANT(VVMI_CMD_WINDOW_VISIBLE);
	CONSTANT(VVMI_CMD_PRESENT);

	CONSTANT(VVMI_EVENT_PAD);
	CONSTANT(VVMI_EVENT_POINTER);
	CONSTANT(VVMI_EVENT_KEY);
	CONSTANT(VVMI_EVENT_FOCUS);
	CONSTANT(VVMI_EVENT_MOVED);
	CONSTANT(VVMI_EVENT_RESIZED);
	CONSTANT(VVMI_EVENT_CLOSED);
	CONSTANT(VVMI_EVENT_PRESENTED);
	CONSTANT(VVMI_EVENT_ERROR);

	CONSTANT(VVMI_ERROR_LENGTH);
	CONSTANT(VVMI_ERROR_OPCODE);
	CONSTANT(VVMI_ERROR_SURFACE);
	CONSTANT(VVMI_ERROR_VALUE);
	CONSTANT(VVMI_ERROR_HEAP);
	CONSTANT(VVMI_ERROR_RING);
	CONSTANT(VVMI_ERROR_MEMORY);
}

static void layouts(void)
{
	FIELD(vvmi_region_header, magic);
	FIELD(vvmi_region_header, version);
	SIZE(vvmi_region_header);
	FIELD(vvmi_ring_header, magic);
	FIELD(vvmi_ring_header, size);
	FIELD(vvmi_ring_header, head);
	FIELD(vvmi_ring_header, tail);
	FIELD(vvmi_ring_header, dropped);
	SIZE(vvmi_ring_header);
	FIELD(vvmi_record, length);
	FIELD(vvmi_record, opcode);
	SIZE(vvmi_record);
	FIELD(vvmi_rect, x);
	FIELD(vvmi_rect, y);
	FIELD(vvmi_rect, w);
	FIELD(vvmi_rect, h);
	SIZE(vvmi_rect);

	FIELD(vvmi_surface_ref, surface);
	SIZE(vvmi_surface_ref);
	FIELD(vvmi_surface_create, surface);
	FIELD(vvmi_surface_create, kind);
	FIELD(vvmi_surface_create, format);
	FIELD(vvmi_surface_create, width);
	FIELD(vvmi_surface_create, height);
	FIELD(vvmi_surface_create, x);
	FIELD(vvmi_surface_create, y);
	SIZE(vvmi_surface_create);
	FIELD(vvmi_set_mode, width);
	FIELD(vvmi_set_mode, height);
	FIELD(vvmi_set_mode, format);
	SIZE(vvmi_set_mode);
	FIELD(vvmi_palette, surface);
	FIELD(vvmi_palette, first);
	FIELD(vvmi_palette, count);
	SIZE(vvmi_palette);
	FIELD(vvmi_fill, surface);
	FIELD(vvmi_fill, rop2);
	FIELD(vvmi_fill, rect);
	FIELD(vvmi_fill, color);
	SIZE(vvmi_fill);
	FIELD(vvmi_pattern_fill, surface);
	FIELD(vvmi_pattern_fill, rop3);
	FIELD(vvmi_pattern_fill, rect);
	FIELD(vvmi_pattern_fill, fg);
	FIELD(vvmi_pattern_fill, bg);
	FIELD(vvmi_pattern_fill, pattern);
	SIZE(vvmi_pattern_fill);
	FIELD(vvmi_bitblt, dst);
	FIELD(vvmi_bitblt, src);
	FIELD(vvmi_bitblt, rect);
	FIELD(vvmi_bitblt, src_x);
	FIELD(vvmi_bitblt, src_y);
	FIELD(vvmi_bitblt, rop3);
	FIELD(vvmi_bitblt, has_pattern);
	FIELD(vvmi_bitblt, pattern_fg);
	FIELD(vvmi_bitblt, pattern_bg);
	FIELD(vvmi_bitblt, pattern);
	SIZE(vvmi_bitblt);
	FIELD(vvmi_put_image, surface);
	FIELD(vvmi_put_image, rop3);
	FIELD(vvmi_put_image, format);
	FIELD(vvmi_put_image, rect);
	FIELD(vvmi_put_image, offset);
	FIELD(vvmi_put_image, stride);
	SIZE(vvmi_put_image);
	FIELD(vvmi_line, surface);
	FIELD(vvmi_line, rop2);
	FIELD(vvmi_line, x0);
	FIELD(vvmi_line, y0);
	FIELD(vvmi_line, x1);
	FIELD(vvmi_line, y1);
	FIELD(vvmi_line, color);
	SIZE(vvmi_line);
	FIELD(vvmi_text, surface);
	FIELD(vvmi_text, transparent);
	FIELD(vvmi_text, x);
	FIELD(vvmi_text, y);
	FIELD(vvmi_text, fg);
	FIELD(vvmi_text, bg);
	FIELD(vvmi_text, font);
	FIELD(vvmi_text, glyph_width);
	FIELD(vvmi_text, glyph_height);
	FIELD(vvmi_text, first);
	FIELD(vvmi_text, count);
	FIELD(vvmi_text, string);
	FIELD(vvmi_text, length);
	SIZE(vvmi_text);
	FIELD(vvmi_pointer_shape, width);
	FIELD(vvmi_pointer_shape, height);
	FIELD(vvmi_pointer_shape, hot_x);
	FIELD(vvmi_pointer_shape, hot_y);
	FIELD(vvmi_pointer_shape, masks);
	SIZE(vvmi_pointer_shape);
	FIELD(vvmi_pointer_pos, x);
	FIELD(vvmi_pointer_pos, y);
	FIELD(vvmi_pointer_pos, visible);
	SIZE(vvmi_pointer_pos);
	FIELD(vvmi_window_move, surface);
	FIELD(vvmi_window_move, x);
	FIELD(vvmi_window_move, y);
	SIZE(vvmi_window_move);
	FIELD(vvmi_window_resize, surface);
	FIELD(vvmi_window_resize, width);
	FIELD(vvmi_window_resize, height);
	SIZE(vvmi_window_resize);
	FIELD(vvmi_window_title, surface);
	FIELD(vvmi_window_title, length);
	FIELD(vvmi_window_title, text);
	SIZE(vvmi_window_title);
	FIELD(vvmi_window_region, surface);
	FIELD(vvmi_window_region, count);
	SIZE(vvmi_window_region);
	FIELD(vvmi_window_visible, surface);
	FIELD(vvmi_window_visible, visible);
	SIZE(vvmi_window_visible);
	FIELD(vvmi_present, sequence);
	SIZE(vvmi_present);

	FIELD(vvmi_event_pointer, surface);
	FIELD(vvmi_event_pointer, buttons);
	FIELD(vvmi_event_pointer, x);
	FIELD(vvmi_event_pointer, y);
	SIZE(vvmi_event_pointer);
	FIELD(vvmi_event_key, scancode);
	FIELD(vvmi_event_key, pressed);
	SIZE(vvmi_event_key);
	FIELD(vvmi_event_surface, surface);
	FIELD(vvmi_event_surface, value);
	SIZE(vvmi_event_surface);
	FIELD(vvmi_event_geometry, surface);
	FIELD(vvmi_event_geometry, rect);
	SIZE(vvmi_event_geometry);
	FIELD(vvmi_event_error, opcode);
	FIELD(vvmi_event_error, code);
	FIELD(vvmi_event_error, offset);
	SIZE(vvmi_event_error);
	FIELD(vvmi_event_presented, sequence);
	SIZE(vvmi_event_presented);
}

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "nasm") != 0 && strcmp(argv[1], "c") != 0)) {
		fprintf(stderr, "usage: gen_vvmi_defs nasm|c\n");
		return 2;
	}
	c_syntax = strcmp(argv[1], "c") == 0;
	if (c_syntax)
		printf("/* vvmi_dos.h: generated from vvmi/protocol.h by gen_vvmi_defs; do not edit. */\n"
		       "#ifndef VVMI_DOS_H\n#define VVMI_DOS_H\n");
	else
		printf("; vvmi.inc: generated from vvmi/protocol.h by gen_vvmi_defs; do not edit.\n");
	constants();
	layouts();
	if (c_syntax)
		printf("#endif\n");
	return 0;
}
