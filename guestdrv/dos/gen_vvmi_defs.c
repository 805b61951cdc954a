/* gen_vvmi_inc.c: writes vvmi.inc, protocol.h's constants and struct layouts as NASM equates, so the DOS client library cannot drift from the C definition. */
#include <stddef.h>
#include <stdio.h>

#include "protocol.h"

#define CONSTANT(name) printf("%-32s equ 0x%X\n", #name, (unsigned)(name))
#define FIELD(type, field) \
	printf("%-32s equ %u\n", #type "." #field, (unsigned)offsetof(struct type, field))
#define SIZE(type) printf("%-32s equ %u\n", #type "_size", (unsigned)sizeof(struct type))

int main(void)
{
	printf("; vvmi.inc: generated from vvmi/protocol.h by gen_vvmi_inc; do not edit.\n");
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

	CONSTANT(VVMI_FORMAT_I8);
	CONSTANT(VVMI_FORMAT_RGB565);
	CONSTANT(VVMI_FORMAT_XRGB8888);
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

	SIZE(vvmi_surface_ref);
	SIZE(vvmi_surface_create);
	SIZE(vvmi_set_mode);
	SIZE(vvmi_palette);
	SIZE(vvmi_fill);
	SIZE(vvmi_pattern_fill);
	SIZE(vvmi_bitblt);
	SIZE(vvmi_put_image);
	SIZE(vvmi_line);
	SIZE(vvmi_text);
	SIZE(vvmi_pointer_shape);
	SIZE(vvmi_pointer_pos);
	SIZE(vvmi_window_move);
	SIZE(vvmi_window_resize);
	SIZE(vvmi_window_title);
	SIZE(vvmi_window_region);
	SIZE(vvmi_window_visible);
	SIZE(vvmi_present);
	SIZE(vvmi_event_error);
	SIZE(vvmi_event_presented);
	return 0;
}
