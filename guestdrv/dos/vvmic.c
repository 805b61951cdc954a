/* vvmic.c: the VVMI demo in C (bcc): draws through the C client library and waits for the frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vvmi.h"

/*
 * A 320x200 I8 screen with entries 5 and 6 of the default palette replaced,
 * solid fills (COPYPEN and XORPEN), a pattern fill, a line, opaque text in
 * the VGA BIOS's font, an image put into an off-screen bitmap and blitted to
 * the screen, and an XRGB8888 window that is filled, titled and moved. It
 * presents and waits for PRESENTED: exit 0; 1 without VVMI, 2 when an error
 * event came back (its opcode and code are printed). tests/vvmi checks the
 * colours these commands fix.
 */
#define HEAP_FONT VVMI_HEAP_OFFSET
#define HEAP_TEXT (HEAP_FONT + VVMI_BIOS_FONT_BYTES)
#define HEAP_TITLE (HEAP_TEXT + 32)
#define HEAP_IMAGE (HEAP_TITLE + 32)

#define BITMAP 1
#define WINDOW 2

static char text[] = " VVMI from C";
static char title[] = "C window";
static unsigned long palette[] = { 0x123456L, 0x654321L };
static unsigned char checker[8] = { 0xAA, 0x55, 0xAA, 0x55, 0xAA, 0x55, 0xAA, 0x55 };
static unsigned char image[16 * 16];
static unsigned char event[VVMI_EVENT_MAX];

static unsigned word_at(unsigned char *body, unsigned at)
{
	return body[at] | (body[at + 1] << 8);
}

int main(void)
{
	struct vvmi_font font;
	int i;

	if (vvmi_open() < 0) {
		printf("VVMI is not there (no vvmi VDD)\n");
		return 1;
	}
	vvmi_bios_font(&font, HEAP_FONT);
	vvmi_heap_write(HEAP_TEXT, text, strlen(text));
	vvmi_heap_write(HEAP_TITLE, title, strlen(title));
	for (i = 0; i < sizeof(image); i++)
		image[i] = i < sizeof(image) / 2 ? 6 : 12;
	vvmi_heap_write(HEAP_IMAGE, image, sizeof(image));

	vvmi_set_mode(320, 200, VVMI_FORMAT_I8);
	vvmi_palette(VVMI_SURFACE_SCREEN, 5, 2, palette);
	vvmi_fill(VVMI_SURFACE_SCREEN, 0, 0, 320, 200, 1, VVMI_ROP2_COPYPEN);
	vvmi_fill(VVMI_SURFACE_SCREEN, 10, 10, 60, 40, 4, VVMI_ROP2_COPYPEN);
	vvmi_fill(VVMI_SURFACE_SCREEN, 40, 30, 60, 40, 15, VVMI_ROP2_XORPEN);
	vvmi_pattern_fill(VVMI_SURFACE_SCREEN, 120, 10, 64, 40, 5, 2, checker, VVMI_ROP3_PATCOPY);
	vvmi_line(VVMI_SURFACE_SCREEN, 200, 10, 300, 10, 14, VVMI_ROP2_COPYPEN);
	vvmi_text(VVMI_SURFACE_SCREEN, 10, 80, 15, 4, 0, &font, HEAP_TEXT, strlen(text));
	vvmi_bitmap_create(BITMAP, VVMI_FORMAT_I8, 16, 16);
	vvmi_put_image(BITMAP, 0, 0, 16, 16, VVMI_FORMAT_I8, HEAP_IMAGE, 16, VVMI_ROP3_SRCCOPY);
	vvmi_bitblt(VVMI_SURFACE_SCREEN, 200, 100, 16, 16, BITMAP, 0, 0, VVMI_ROP3_SRCCOPY);
	vvmi_surface_destroy(BITMAP);
	vvmi_window_create(WINDOW, VVMI_FORMAT_XRGB8888, 150, 120, 100, 60);
	vvmi_fill(WINDOW, 0, 0, 100, 60, 0xC02020L, VVMI_ROP2_COPYPEN);
	vvmi_fill(WINDOW, 10, 10, 20, 20, 0x20C020L, VVMI_ROP2_COPYPEN);
	vvmi_window_title(WINDOW, HEAP_TITLE, strlen(title));
	vvmi_window_move(WINDOW, 180, 130);
	vvmi_present(1);

	if (vvmi_wait_presented(event) == VVMI_EVENT_ERROR) {
		printf("VVMI error event (opcode, code): %04X %04X\n",
		       word_at(event, VVMI_EVENT_ERROR_OPCODE_AT),
		       word_at(event, VVMI_EVENT_ERROR_CODE_AT));
		return 2;
	}
	return 0;
}
