/* vvga_render.c: turns the VGA's registers and video memory into an RGB frame, as QEMU shows it. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vvga.h"

/*
 * The frame is the active display area, no border, at the size the CRTC
 * timing describes. Facts seen in QEMU 7.2 (`qemu-system-i386 -M isapc -vga
 * std`, SeaVGABIOS vgabios-isavga.bin, monitor `screendump`), which this
 * renderer reproduces pixel for pixel (checked by loading QEMU's register
 * file, DAC and planes into this VDD and comparing whole frames):
 *
 * - GR6 bit 0 says text or graphics (the attribute controller's graphics
 *   bit is not looked at); GR5 bits 5-6 say 16 colours, CGA or 256 colours.
 * - Text modes are columns (CR1 + 1) x character width by rows x character
 *   height, rows = (vertical display end + 1) / (CR9 max scan line + 1):
 *   modes 2, 3 and 7 are 720x400 (9-dot), 80x50 text 720x400, 8-dot text
 *   640x400. With the dot clock halved (SR1 bit 3: modes 0 and 1) a
 *   character is 16 pixels, its 8 dots doubled and no ninth: 640x400.
 *   CR9's double-scan bit does nothing in text modes.
 * - The ninth column repeats the eighth for characters B0h-DFh when line
 *   graphics are enabled (attribute mode control bit 2), else it is the
 *   background. (A VGA does this for C0h-DFh only; we follow QEMU, so that
 *   the shading characters B1h and B2h look the same.)
 * - The cursor fills all 9 (or 8, 16) columns of scan lines cursor start to
 *   cursor end (clipped to the character height; none if start > end) in
 *   the foreground colour. No underline, in mode 7 either. The colour plane
 *   enable register does not apply to text. Attribute bit 3 picks character
 *   map A or B (SR3).
 * - 6-bit DAC values become 8 bits as v << 2 | (v & 1) * 3: 0 -> 0, 1 -> 7,
 *   2 -> 8, 31 -> 127, 32 -> 128, 62 -> 248, 63 -> 255.
 * - 256-colour modes (GR5 bit 6) show each pixel twice across, (CR1 + 1) *
 *   8 wide: mode 13h and mode X are 640x400 (each line twice too, by CR9 max
 *   scan line 1). Pixels go to the DAC directly: the palette registers,
 *   colour select and plane enable do not apply.
 * - 16-colour and CGA graphics are (CR1 + 1) * 8 wide, doubled with the dot
 *   clock halved: modes 4, 5, 6, 0Dh, 0Eh are 640x400, 0Fh and 10h 640x350,
 *   11h and 12h 640x480. The height is vertical display end + 1.
 * - Lines repeat per CR9 max scan line and double scan; CR17 bits 0 and 1
 *   put row scan bits 0 and 1 into address bits 13 and 14 (CGA banks).
 * - Split screen: in graphics the line after line compare shows address 0;
 *   in text the character row after the one holding line compare does. The
 *   row scan count goes on: a split in the middle of a doubled line shows
 *   the first split line once.
 *
 * Where QEMU lacks a VGA feature we do what a VGA does, and tests compared
 * with QEMU must keep away from it:
 * - the PEL mask (3C6) masks DAC indexes (QEMU reads it as 0 and ignores it);
 * - horizontal pel panning (attribute 13h), byte panning and preset row
 *   scan (CR8), and the pel panning reset below the split (attribute mode
 *   control bit 5);
 * - SR1 bit 5 (screen off) and attribute index bit 5 clear give a black
 *   frame of the last frame's size (QEMU shows the picture, or a message);
 * - the CRTC addresses 64 KiB per plane, byte, word (CR17 bit 6 clear, MA13
 *   or MA15 into bit 0) or doubleword (CR14 bit 6) mode, and wraps there
 *   (QEMU reads on past 64 KiB and ignores the addressing mode);
 * - blinking: attribute bit 7 blinks the character and the background
 *   takes bits 4-6 only when attribute mode control bit 3 is set (QEMU
 *   never blinks characters and always shows a bright background). Blink
 *   follows the virtual clock, not the host's as QEMU's cursor does: the
 *   cursor is on for 8 frames and off for 8, blinking characters on for 16
 *   and off for 16, at the frame rate the CRTC timing gives (70 Hz in the
 *   400-line text modes).
 */

/* 6-bit DAC value to 8 bits, as QEMU does it. */
#define DAC_TO_8BIT(v) ((uint32_t)(v) << 2 | ((uint32_t)(v) & 1) * 3)

/* Characters whose ninth column repeats the eighth under line graphics (QEMU's range). */
#define LINE_GRAPHICS_FIRST 0xb0
#define LINE_GRAPHICS_LAST 0xdf

/* Blink phases (struct vvga_frame.blink_phase) */
#define BLINK_CURSOR_ON 0x1
#define BLINK_CHARS_ON 0x2

/* The widest line the CRTC can describe: 256 character clocks and one more
 * for panning, of up to 9 pixels. */
#define LINE_MAX_PIXELS ((256 + 1) * 9)

enum vga_kind { KIND_TEXT, KIND_PLANAR, KIND_CGA, KIND_256 };

/* What one frame is drawn with. */
struct scan {
	const struct vvga *s;
	enum vga_kind kind;
	unsigned cols;              /* character clocks per line */
	unsigned cell;              /* pixels a character clock gives, before doubling */
	unsigned pan;               /* pixels the line starts into its first character clock */
	unsigned blink_phase;
	uint32_t font[2];           /* plane 2 offsets of character maps B and A */
	uint32_t dac[VGA_DAC_ENTRIES];  /* x8r8g8b8 */
	uint32_t color[16];         /* attribute colour index to x8r8g8b8 */
};

/* The memory address the CRTC reads for character clock ma on a line at row_scan. */
static uint32_t crtc_address(const struct vvga *s, uint32_t ma, unsigned row_scan)
{
	uint8_t mode = s->r.crtc[CRTC_MODE_CONTROL];
	uint32_t a;

	if (s->r.crtc[CRTC_UNDERLINE] & CR14_DWORD)
		a = ma << 2;
	else if (!(mode & CR17_BYTE_MODE))
		a = ma << 1 | (ma >> (mode & CR17_ADDRESS_WRAP ? 15 : 13) & 1);
	else
		a = ma;
	/* CGA and Hercules interleave: row scan bits in address bits 13 and 14 */
	if (!(mode & CR17_CGA_MA13))
		a = (a & ~0x2000u) | (row_scan & 1) << 13;
	if (!(mode & CR17_CGA_MA14))
		a = (a & ~0x4000u) | (row_scan & 2) << 13;
	return a % VGA_PLANE_SIZE;
}

static uint8_t plane_byte(const struct vvga *s, uint32_t a, unsigned plane)
{
	return (uint8_t)(s->vram[a % VGA_PLANE_SIZE] >> 8 * plane);
}

/* A palette register's value as a DAC index, through the colour select register. */
static uint8_t dac_index(const struct vvga *s, uint8_t palette)
{
	uint8_t select = s->r.atc[ATC_COLOR_SELECT];

	if (s->r.atc[ATC_MODE_CONTROL] & AR10_P54S)
		return (uint8_t)((select & 0x0f) << 4 | (palette & 0x0f));
	return (uint8_t)((select & 0x0c) << 4 | (palette & 0x3f));
}

static void scan_palette(struct scan *sc)
{
	const struct vvga *s = sc->s;

	for (unsigned i = 0; i < VGA_DAC_ENTRIES; i++) {
		const uint8_t *c = s->r.dac[i & s->r.pel_mask];

		sc->dac[i] = DAC_TO_8BIT(c[0]) << 16 | DAC_TO_8BIT(c[1]) << 8 | DAC_TO_8BIT(c[2]);
	}
	for (unsigned i = 0; i < 16; i++)
		sc->color[i] = sc->dac[dac_index(s, s->r.atc[i])];
}

/* Character map select: map B for attribute bit 3 clear, map A for it set. */
static uint32_t font_base(uint8_t select)
{
	return (select & 3) * 0x4000u + (select >> 2) * 0x2000u;
}

static void text_line(const struct scan *sc, uint32_t *out, uint32_t ma, unsigned row_scan)
{
	const struct vvga *s = sc->s;
	const uint8_t *cr = s->r.crtc;
	uint8_t ar10 = s->r.atc[ATC_MODE_CONTROL];
	uint32_t cursor = (uint32_t)cr[CRTC_CURSOR_HIGH] << 8 | cr[CRTC_CURSOR_LOW];
	unsigned cursor_start = cr[CRTC_CURSOR_START] & 0x1f, cursor_end = cr[CRTC_CURSOR_END] & 0x1f;
	unsigned cheight = (cr[CRTC_MAX_SCAN_LINE] & CR9_MAX_SCAN) + 1;
	bool cursor_line;

	if (cursor_end > cheight - 1)
		cursor_end = cheight - 1;
	cursor_line = !(cr[CRTC_CURSOR_START] & CR0A_CURSOR_OFF) &&
		      sc->blink_phase & BLINK_CURSOR_ON && row_scan >= cursor_start &&
		      row_scan <= cursor_end;
	for (unsigned k = 0; k <= sc->cols; k++, ma++) {
		uint32_t a = crtc_address(s, ma, row_scan);
		uint8_t ch = plane_byte(s, a, 0), at = plane_byte(s, a, 1);
		uint8_t glyph = plane_byte(s, sc->font[at >> 3 & 1] + ch * 32u + row_scan, 2);
		uint32_t fg = sc->color[at & 0x0f], bg = sc->color[at >> 4];
		bool ninth = ar10 & AR10_LINE_GRAPHICS && ch >= LINE_GRAPHICS_FIRST &&
			     ch <= LINE_GRAPHICS_LAST;

		if (ar10 & AR10_BLINK) {
			bg = sc->color[at >> 4 & 7];
			if (at & 0x80 && !(sc->blink_phase & BLINK_CHARS_ON))
				glyph = 0;
		}
		if (cursor_line && (ma & 0xffff) == cursor) {
			glyph = 0xff;
			ninth = true;
		}
		for (unsigned x = 0; x < 8; x++)
			*out++ = glyph & 0x80 >> x ? fg : bg;
		if (sc->cell == 9)
			*out++ = ninth && glyph & 1 ? fg : bg;
	}
}

static void planar_line(const struct scan *sc, uint32_t *out, uint32_t ma, unsigned row_scan)
{
	const struct vvga *s = sc->s;
	uint8_t enable = s->r.atc[ATC_PLANE_ENABLE] & 0x0f;

	for (unsigned k = 0; k <= sc->cols; k++, ma++) {
		uint32_t planes = s->vram[crtc_address(s, ma, row_scan)];

		for (unsigned x = 0; x < 8; x++) {
			unsigned shift = 7 - x, v = (planes >> shift & 1) | (planes >> (shift + 7) & 2) |
						   (planes >> (shift + 14) & 4) | (planes >> (shift + 21) & 8);

			*out++ = sc->color[v & enable];
		}
	}
}

/* Shift register interleave: two bits a pixel, four pixels from plane 0 (with
 * plane 2 above them), then four from plane 1 (with plane 3). */
static void cga_line(const struct scan *sc, uint32_t *out, uint32_t ma, unsigned row_scan)
{
	const struct vvga *s = sc->s;
	uint8_t enable = s->r.atc[ATC_PLANE_ENABLE] & 0x0f;

	for (unsigned k = 0; k <= sc->cols; k++, ma++) {
		uint32_t planes = s->vram[crtc_address(s, ma, row_scan)];

		for (unsigned half = 0; half < 2; half++) {
			uint8_t low = (uint8_t)(planes >> 8 * half), high = (uint8_t)(planes >> (16 + 8 * half));

			for (unsigned x = 0; x < 4; x++) {
				unsigned shift = 6 - 2 * x;
				unsigned v = (low >> shift & 3) | (high >> shift & 3) << 2;

				*out++ = sc->color[v & enable];
			}
		}
	}
}

/* Each character clock gives the four planes' bytes as four pixels. */
static void vga256_line(const struct scan *sc, uint32_t *out, uint32_t ma, unsigned row_scan)
{
	const struct vvga *s = sc->s;

	for (unsigned k = 0; k <= sc->cols; k++, ma++) {
		uint32_t planes = s->vram[crtc_address(s, ma, row_scan)];

		for (unsigned p = 0; p < 4; p++)
			*out++ = sc->dac[planes >> 8 * p & 0xff];
	}
}

/* The picture's geometry; false when there is nothing to show. */
static bool scan_setup(struct scan *sc, unsigned *width, unsigned *height, unsigned *hscale)
{
	const struct vvga *s = sc->s;
	const uint8_t *cr = s->r.crtc;
	uint8_t sr1 = s->r.seq[SEQ_CLOCKING_MODE], gr5 = s->r.gc[GC_MODE];
	unsigned pan = s->r.atc[ATC_PEL_PANNING] & 0x0f;
	unsigned lines = (cr[CRTC_V_DISPLAY_END] | (cr[CRTC_OVERFLOW] & 0x02) << 7 |
			  (cr[CRTC_OVERFLOW] & 0x40) << 3) + 1u;
	uint8_t sr3 = s->r.seq[SEQ_CHARACTER_MAP];

	sc->cols = cr[CRTC_H_DISPLAY_END] + 1u;
	*hscale = sr1 & SR1_DOT_CLOCK_HALF ? 2 : 1;
	if (!(s->r.gc[GC_MISC] & GR6_GRAPHICS)) {
		unsigned cheight = (cr[CRTC_MAX_SCAN_LINE] & CR9_MAX_SCAN) + 1;

		sc->kind = KIND_TEXT;
		sc->cell = sr1 & (SR1_8DOT | SR1_DOT_CLOCK_HALF) ? 8 : 9;
		lines -= lines % cheight;
		sc->font[0] = font_base((uint8_t)((sr3 & 3) | (sr3 >> 2 & 4)));
		sc->font[1] = font_base((uint8_t)((sr3 >> 2 & 3) | (sr3 >> 3 & 4)));
		/* 9-dot characters pan 8 for none, then 0-7 for one to eight pixels */
		pan = sr1 & SR1_8DOT ? pan & 7 : pan >= 8 ? 0 : pan + 1;
	} else if (gr5 & GR5_SHIFT_256) {
		sc->kind = KIND_256;
		sc->cell = 4;
		*hscale = 2;
		pan = (pan & 7) >> 1;
	} else {
		sc->kind = gr5 & GR5_SHIFT_CGA ? KIND_CGA : KIND_PLANAR;
		sc->cell = 8;
		pan &= 7;
	}
	sc->pan = pan;
	*width = sc->cols * sc->cell;
	*height = lines;
	return *width && *height;
}

static int frame_images(struct vvga_frame *f, unsigned width, unsigned height, unsigned hscale)
{
	pixman_image_t *image = f->image, *native = f->native;

	if (!native || (unsigned)pixman_image_get_width(native) != width ||
	    (unsigned)pixman_image_get_height(native) != height) {
		native = pixman_image_create_bits(PIXMAN_x8r8g8b8, (int)width, (int)height, NULL, 0);
		if (!native)
			return -ENOMEM;
		if (f->native)
			pixman_image_unref(f->native);
		f->native = native;
	}
	if (!image || (unsigned)pixman_image_get_width(image) != width * hscale ||
	    (unsigned)pixman_image_get_height(image) != height) {
		image = pixman_image_create_bits(PIXMAN_x8r8g8b8, (int)(width * hscale), (int)height,
						 NULL, 0);
		if (!image)
			return -ENOMEM;
		if (f->image)
			pixman_image_unref(f->image);
		f->image = image;
	}
	return 0;
}

/* A black frame the size of the last one. */
static int render_blank(struct vvga_frame *f)
{
	static const pixman_color_t black = { 0, 0, 0, 0xffff };
	pixman_rectangle16_t all = { 0, 0, 640, 480 };

	if (!f->image) {
		f->image = pixman_image_create_bits(PIXMAN_x8r8g8b8, 640, 480, NULL, 0);
		if (!f->image)
			return -ENOMEM;
	}
	all.width = (uint16_t)pixman_image_get_width(f->image);
	all.height = (uint16_t)pixman_image_get_height(f->image);
	pixman_image_fill_rectangles(PIXMAN_OP_SRC, f->image, &black, 1, &all);
	return 0;
}

static void render_lines(const struct scan *sc, pixman_image_t *native)
{
	const struct vvga *s = sc->s;
	const uint8_t *cr = s->r.crtc;
	void (*draw)(const struct scan *, uint32_t *, uint32_t, unsigned) =
		sc->kind == KIND_TEXT ? text_line : sc->kind == KIND_PLANAR ? planar_line :
		sc->kind == KIND_CGA ? cga_line : vga256_line;
	unsigned width = (unsigned)pixman_image_get_width(native);
	unsigned height = (unsigned)pixman_image_get_height(native);
	unsigned stride = (unsigned)pixman_image_get_stride(native) / 4;
	uint32_t *pixels = pixman_image_get_data(native);
	unsigned max_scan = cr[CRTC_MAX_SCAN_LINE] & CR9_MAX_SCAN;
	bool double_scan = cr[CRTC_MAX_SCAN_LINE] & CR9_DOUBLE_SCAN && sc->kind != KIND_TEXT;
	unsigned line_compare = cr[CRTC_LINE_COMPARE] | (cr[CRTC_OVERFLOW] & 0x10) << 4 |
				(cr[CRTC_MAX_SCAN_LINE] & 0x40) << 3;
	uint32_t ma = ((uint32_t)cr[CRTC_START_HIGH] << 8 | cr[CRTC_START_LOW]) +
		      (cr[CRTC_PRESET_ROW_SCAN] >> 5 & 3);
	unsigned row_scan = cr[CRTC_PRESET_ROW_SCAN] & 0x1f, pan = sc->pan, row_first = 0;
	bool text = sc->kind == KIND_TEXT, second = false, split;
	uint32_t line[LINE_MAX_PIXELS];

	if (width > sc->cols * sc->cell)
		width = sc->cols * sc->cell;
	for (unsigned y = 0; y < height; y++) {
		draw(sc, line, ma, row_scan);
		memcpy(pixels + (size_t)y * stride, line + pan, width * sizeof(*line));
		/* The split screen: memory from address 0 on, at the row scan line
		 * the display has reached (QEMU does not restart it). Graphics split
		 * after line LC; text at the end of the character row holding it. */
		split = !text && y == line_compare;
		if (double_scan && !second) {
			second = true;
		} else if (row_scan >= max_scan) {
			second = false;
			row_scan = 0;
			ma += cr[CRTC_OFFSET] * 2u;
			split |= text && row_first < line_compare && y + 1 >= line_compare;
			row_first = y + 1;
		} else {
			second = false;
			row_scan++;
		}
		if (split) {
			ma = 0;
			if (s->r.atc[ATC_MODE_CONTROL] & AR10_PAN_COMPAT)
				pan = 0;
		}
	}
}

int vvga_render(struct vvga *s, uint64_t frame)
{
	struct vvga_frame *f = &s->frame;
	struct scan sc = { .s = s };
	unsigned width, height, hscale;
	pixman_transform_t scale;
	int rc;

	sc.blink_phase = (frame >> 3 & 1 ? 0 : BLINK_CURSOR_ON) | (frame >> 4 & 1 ? 0 : BLINK_CHARS_ON);
	if (f->image && !f->vram_changed && memcmp(&s->r, &f->regs, sizeof(s->r)) == 0 &&
	    (!f->text || f->blink_phase == sc.blink_phase))
		return 0;
	f->renders++;
	f->text = false;
	f->clamped = false;
	f->regs = s->r;
	f->vram_changed = false;
	if (!(s->r.atc_index & ATC_INDEX_PAS) || s->r.seq[SEQ_CLOCKING_MODE] & SR1_SCREEN_OFF ||
	    !scan_setup(&sc, &width, &height, &hscale)) {
		rc = render_blank(f);
		f->vram_changed |= rc < 0;
		return rc;
	}
	if (width * hscale > VVGA_MAX_WIDTH) {
		width = VVGA_MAX_WIDTH / hscale;
		f->clamped = true;
	}
	rc = frame_images(f, width, height, hscale);
	if (rc < 0) {
		f->vram_changed = true;
		return rc;
	}
	scan_palette(&sc);
	render_lines(&sc, f->native);
	/* doubled pixels: nearest-neighbour scaling by the inverse transform */
	pixman_transform_init_scale(&scale, pixman_int_to_fixed(1) / (pixman_fixed_t)hscale,
				    pixman_int_to_fixed(1));
	pixman_image_set_transform(f->native, &scale);
	pixman_image_set_filter(f->native, PIXMAN_FILTER_NEAREST, NULL, 0);
	pixman_image_composite32(PIXMAN_OP_SRC, f->native, NULL, f->image, 0, 0, 0, 0, 0, 0,
				 (int32_t)(width * hscale), (int32_t)height);
	f->text = sc.kind == KIND_TEXT;
	f->blink_phase = sc.blink_phase;
	return 0;
}

void vvga_render_finish(struct vvga_frame *f)
{
	if (f->native)
		pixman_image_unref(f->native);
	if (f->image)
		pixman_image_unref(f->image);
	f->native = f->image = NULL;
}
