/* vvmi.h: the VVMI client library for DOS programs in C (Debian's bcc, -ansi -Md: a .COM). */
#ifndef VVMI_H
#define VVMI_H

/*
 * Link a program with vvmi_cdecl.o (the NASM library's ring code, under C's
 * convention) and vvmi_commands.o (commands built from arguments); the
 * constants and body layouts come from vvmi_dos.h, which the build generates
 * from vvmi/protocol.h.
 *
 * bcc turns prototypes into K&R declarations, so arguments are not converted
 * to the parameters' types: pass ints (16 bits) where a parameter is int or
 * unsigned. The commands with 32-bit colours are macros that cast them
 * (vvmi_fill calls vvmi_put_fill), so a plain 4 or 0xC02020L both work
 * there. bcc has no const.
 *
 * The heap (VVMI_HEAP_OFFSET to the end of the region) is the program's to
 * lay out: commands name what they draw from (fonts, images, titles) by their
 * offset in the region.
 */
#include "vvmi_dos.h"

/* The ring (vvmi_cdecl.asm). */
int vvmi_open(void);    /* 0 when the VVMI VDD answers, else -1 */
/* len: a multiple of 4, at most VVMI_PUT_MAX. Waits, ringing the doorbell,
 * while the ring is full. */
void vvmi_put(unsigned opcode, void *body, unsigned len);
void vvmi_doorbell(void); /* the host runs what the ring holds */
void vvmi_heap_write(unsigned offset, void *bytes, unsigned count);
/* The VGA BIOS's 8x8 font, VVMI_BIOS_FONT_BYTES of it (vvmi_bios_font below). */
void vvmi_heap_write_bios_font(unsigned offset);
/* The next event's type, its body (at most VVMI_EVENT_MAX bytes) copied to
 * body; -1 when none waits. */
int vvmi_get_event(void *body);
/* Rings, then waits for VVMI_EVENT_PRESENTED or VVMI_EVENT_ERROR, which it
 * returns (an error's body in body, VVMI_EVENT_MAX bytes); other events are
 * passed over. */
int vvmi_wait_presented(void *body);

/* A font in the heap: count glyphs from character first, glyph_width
 * (1..8) by glyph_height, one byte per row. */
struct vvmi_font {
	unsigned offset;
	int glyph_width, glyph_height, first, count;
};

/* Commands built from arguments (vvmi_commands.c). Colours are pixel values
 * in the surface's format (an index for I8), palette entries XRGB8888. */
void vvmi_set_mode(unsigned width, unsigned height, unsigned format);
/* Any count of entries: the command is split to fit VVMI_PUT_MAX. */
void vvmi_palette(unsigned surface, unsigned first, unsigned count, unsigned long *entries);
void vvmi_surface_create(unsigned surface, unsigned kind, unsigned format, unsigned width,
			 unsigned height, int x, int y);
void vvmi_window_create(unsigned surface, unsigned format, int x, int y, unsigned width,
			unsigned height);
void vvmi_bitmap_create(unsigned surface, unsigned format, unsigned width, unsigned height);
void vvmi_surface_destroy(unsigned surface);
void vvmi_put_fill(unsigned surface, int x, int y, unsigned w, unsigned h, unsigned long colour,
		   unsigned rop2);
#define vvmi_fill(surface, x, y, w, h, colour, rop2) \
	vvmi_put_fill(surface, x, y, w, h, (unsigned long)(colour), rop2)
/* pattern: 8 rows, bit 7 leftmost; 1 is fg, 0 is bg. */
void vvmi_put_pattern_fill(unsigned surface, int x, int y, unsigned w, unsigned h,
			   unsigned long fg, unsigned long bg, unsigned char *pattern, unsigned rop3);
#define vvmi_pattern_fill(surface, x, y, w, h, fg, bg, pattern, rop3) \
	vvmi_put_pattern_fill(surface, x, y, w, h, (unsigned long)(fg), (unsigned long)(bg), \
			  pattern, rop3)
/* From src at (src_x, src_y) to the rectangle on dst, without a pattern
 * (a rop3 that reads P gets solid 0); vvmi_put for the rest. */
void vvmi_bitblt(unsigned dst, int x, int y, unsigned w, unsigned h, unsigned src, int src_x,
		 int src_y, unsigned rop3);
/* An image of the surface's format at offset in the heap, stride bytes a row. */
void vvmi_put_image(unsigned surface, int x, int y, unsigned w, unsigned h, unsigned format,
		    unsigned offset, unsigned stride, unsigned rop3);
void vvmi_put_line(unsigned surface, int x0, int y0, int x1, int y1, unsigned long colour,
		   unsigned rop2);
#define vvmi_line(surface, x0, y0, x1, y1, colour, rop2) \
	vvmi_put_line(surface, x0, y0, x1, y1, (unsigned long)(colour), rop2)
/* length characters at string (an offset in the heap); transparent 1 leaves
 * the background's pixels alone. */
void vvmi_put_text(unsigned surface, int x, int y, unsigned long fg, unsigned long bg,
		   int transparent, struct vvmi_font *font, unsigned string, unsigned length);
#define vvmi_text(surface, x, y, fg, bg, transparent, font, string, length) \
	vvmi_put_text(surface, x, y, (unsigned long)(fg), (unsigned long)(bg), transparent, font, \
		  string, length)
/* AND then XOR mask at masks in the heap. */
void vvmi_pointer_shape(unsigned width, unsigned height, unsigned hot_x, unsigned hot_y,
			unsigned masks);
void vvmi_pointer_pos(int x, int y, int visible);
void vvmi_window_move(unsigned surface, int x, int y);
void vvmi_window_resize(unsigned surface, unsigned width, unsigned height);
void vvmi_window_raise(unsigned surface);
void vvmi_window_title(unsigned surface, unsigned text, unsigned length);
void vvmi_window_visible(unsigned surface, int visible);
void vvmi_present(unsigned sequence);

/* Writes the VGA BIOS's 8x8 font (characters 0-127) at offset in the heap and
 * describes it in font. */
void vvmi_bios_font(struct vvmi_font *font, unsigned offset);

#endif
