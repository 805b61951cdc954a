/* int33.c: the int 33h mouse driver's state and functions, as pure logic over a register image. */
#include "int33.h"

#include <string.h>

/*
 * The Microsoft mouse driver's interface (functions 00h-0Ch, 0Fh, 10h, 13h, 14h, 1Ah-1Ch,
 * 21h-24h), fed by the host's absolute pointer rather than by mickeys: the cursor sits
 * where the host pointer is, so the guest's cursor and the host's agree (seamless), and
 * the motion counters count the mickeys that move would be worth at the mickey ratio.
 *
 * Virtual coordinates as the Microsoft driver has them: text modes 8 virtual pixels per
 * cell (16 across in 40-column modes), positions on a cell's top left; 320-pixel-wide
 * graphics modes (04h, 05h, 0Dh, 13h) 640 wide, x doubled; the rest in screen pixels.
 */

#define TEXT_CELL 8
#define TEXT_CELL_WIDE 16  /* 40-column modes */
#define VGA_TEXT_DOT_WIDTH 9
#define DEFAULT_CHAR_HEIGHT 16
#define DEFAULT_COLS 80
#define DEFAULT_ROWS 25
#define MAX_COLS 132
#define MAX_ROWS 60
#define MAX_CHAR_HEIGHT 32

#define DEFAULT_MICKEYS_X 8 /* per 8 pixels (0Fh) */
#define DEFAULT_MICKEYS_Y 16
#define DEFAULT_DOUBLE_SPEED 64 /* mickeys per second (13h) */
#define DEFAULT_SENSITIVITY 50  /* 1Ah: percent-like, 0-100 */
#define DEFAULT_SCREEN_MASK 0x77FFu /* keep the character, blink and intensity */
#define DEFAULT_CURSOR_MASK 0x7700u /* and swap the colours */
#define SOFTWARE_TEXT_CURSOR 0

/* 00h and 21h answer: installed, three buttons. */
#define RESET_INSTALLED 0xFFFFu
#define RESET_THREE_BUTTONS 3u

static bool text_mode(uint8_t mode)
{
	return mode <= 3 || mode == 7;
}

/* The graphics screens the BIOS modes show, and their virtual width. */
static void graphics_screen(uint8_t mode, int *width, int *height, int *virtual_width)
{
	switch (mode) {
	case 0x04: case 0x05: case 0x0D: case 0x13:
		*width = 320, *height = 200;
		break;
	case 0x06: case 0x0E:
		*width = 640, *height = 200;
		break;
	case 0x0F: case 0x10:
		*width = 640, *height = 350;
		break;
	default: /* 11h, 12h, and modes the driver does not know */
		*width = 640, *height = 480;
	}
	*virtual_width = *width == 320 ? 640 : *width;
}

/* The BDA's text geometry, with the usual values where it holds nonsense. */
static void text_geometry(const struct int33_video *video, unsigned *cols, unsigned *rows,
			  unsigned *char_height)
{
	*cols = video->cols && video->cols <= MAX_COLS ? video->cols
						       : (video->mode <= 1 ? 40 : DEFAULT_COLS);
	*rows = video->rows && video->rows <= MAX_ROWS ? video->rows : DEFAULT_ROWS;
	*char_height = video->char_height && video->char_height <= MAX_CHAR_HEIGHT
			       ? video->char_height
			       : DEFAULT_CHAR_HEIGHT;
}

void int33_screen_size(const struct int33_video *video, int *width, int *height)
{
	unsigned cols, rows, char_height;
	int virtual_width;

	if (!text_mode(video->mode)) {
		graphics_screen(video->mode, width, height, &virtual_width);
		return;
	}
	text_geometry(video, &cols, &rows, &char_height);
	*width = (int)cols * VGA_TEXT_DOT_WIDTH;
	*height = (int)(rows * char_height);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The cursor moved to (x, y): kept in the ranges, on a cell's corner in text modes. */
static void place_cursor(struct int33 *d, int x, int y)
{
	d->x = clamp(x, d->min_x, d->max_x);
	d->y = clamp(y, d->min_y, d->max_y);
	if (d->text) {
		d->x -= d->x % d->cell_width;
		d->y -= d->y % d->cell_height;
	}
}

static void apply_video(struct int33 *d, const struct int33_video *video)
{
	d->video = *video;
	d->text = text_mode(video->mode);
	int33_screen_size(video, &d->screen_width, &d->screen_height);
	if (d->text) {
		unsigned cols, rows, char_height;

		text_geometry(video, &cols, &rows, &char_height);
		d->cell_width = cols <= 40 ? TEXT_CELL_WIDE : TEXT_CELL;
		d->cell_height = TEXT_CELL;
		d->width = (int)cols * d->cell_width;
		d->height = (int)rows * d->cell_height;
	} else {
		int width, height;

		graphics_screen(video->mode, &width, &height, &d->width);
		d->height = height;
		d->cell_width = d->cell_height = 1;
	}
	d->min_x = d->min_y = 0;
	d->max_x = d->width - 1;
	d->max_y = d->height - 1;
	d->pointer_seen = false;
}

/* Function 00h/21h: everything but the language back to its start. */
static void reset(struct int33 *d)
{
	uint16_t language = d->language;
	struct int33_video video = d->video;

	memset(d, 0, sizeof(*d));
	d->language = language;
	apply_video(d, &video);
	place_cursor(d, d->width / 2, d->height / 2);
	d->mickey_ratio_x = DEFAULT_MICKEYS_X;
	d->mickey_ratio_y = DEFAULT_MICKEYS_Y;
	d->hidden = -1;
	d->text_type = SOFTWARE_TEXT_CURSOR;
	d->text_screen_mask = DEFAULT_SCREEN_MASK;
	d->text_cursor_mask = DEFAULT_CURSOR_MASK;
	d->double_speed = DEFAULT_DOUBLE_SPEED;
	d->sensitivity_x = d->sensitivity_y = d->sensitivity_threshold = DEFAULT_SENSITIVITY;
}

void int33_init(struct int33 *d, const struct int33_video *video)
{
	memset(d, 0, sizeof(*d));
	d->video = *video;
	reset(d);
}

void int33_set_video(struct int33 *d, const struct int33_video *video)
{
	if (video->mode == d->video.mode && video->cols == d->video.cols &&
	    video->rows == d->video.rows && video->char_height == d->video.char_height)
		return;
	apply_video(d, video);
	place_cursor(d, d->x, d->y);
}

/* Adds the mickeys a move of delta virtual pixels is worth at ratio mickeys per 8. */
static void count_mickeys(int delta, uint16_t ratio, int32_t *eighths, int16_t *mickeys)
{
	int32_t whole;

	*eighths += (int32_t)delta * ratio;
	whole = *eighths / 8;
	*eighths -= whole * 8;
	*mickeys = (int16_t)(uint16_t)((uint16_t)*mickeys + (uint16_t)whole);
}

static unsigned update_buttons(struct int33 *d, unsigned buttons)
{
	unsigned events = 0;

	for (unsigned i = 0; i < INT33_BUTTON_COUNT; i++) {
		unsigned bit = 1u << i;
		struct int33_button *b = &d->button[i];

		if ((buttons & bit) == (d->buttons & bit))
			continue;
		/* the masks run left down, left up, right down, ... from bit 1 */
		if (buttons & bit) {
			b->presses++;
			b->press_x = (int16_t)d->x, b->press_y = (int16_t)d->y;
			events |= INT33_EV_LEFT_DOWN << (2 * i);
		} else {
			b->releases++;
			b->release_x = (int16_t)d->x, b->release_y = (int16_t)d->y;
			events |= INT33_EV_LEFT_UP << (2 * i);
		}
	}
	d->buttons = buttons & (INT33_LEFT | INT33_RIGHT | INT33_MIDDLE);
	return events;
}

unsigned int33_pointer(struct int33 *d, int x, int y, unsigned width, unsigned height,
		       unsigned buttons)
{
	unsigned events = 0;
	int vx, vy;

	if (width == 0 || height == 0)
		return update_buttons(d, buttons);
	x = clamp(x, 0, (int)width - 1);
	y = clamp(y, 0, (int)height - 1);
	vx = (int)((int64_t)x * d->width / (int64_t)width);
	vy = (int)((int64_t)y * d->height / (int64_t)height);
	if (d->pointer_seen && (vx != d->pointer_x || vy != d->pointer_y)) {
		count_mickeys(vx - d->pointer_x, d->mickey_ratio_x, &d->mickey_eighths_x,
			      &d->mickeys_x);
		count_mickeys(vy - d->pointer_y, d->mickey_ratio_y, &d->mickey_eighths_y,
			      &d->mickeys_y);
		events |= INT33_EV_MOVED;
	}
	if (!d->pointer_seen || events)
		place_cursor(d, vx, vy);
	d->pointer_seen = true;
	d->pointer_x = vx;
	d->pointer_y = vy;
	return events | update_buttons(d, buttons);
}

static void set16(uint32_t *reg, unsigned value)
{
	*reg = (*reg & 0xFFFF0000u) | (value & 0xFFFFu);
}

static int16_t signed16(uint32_t reg)
{
	return (int16_t)(uint16_t)reg;
}

/* 05h and 06h: BX selects the button; the count since the last call and where. */
static void button_history(struct int33 *d, struct vdh_regs *regs, bool presses)
{
	unsigned i = regs->ebx & 0xFFFFu;
	struct int33_button *b;

	set16(&regs->eax, d->buttons);
	if (i >= INT33_BUTTON_COUNT) {
		set16(&regs->ebx, 0);
		return;
	}
	b = &d->button[i];
	if (presses) {
		set16(&regs->ebx, b->presses);
		set16(&regs->ecx, (uint16_t)b->press_x);
		set16(&regs->edx, (uint16_t)b->press_y);
		b->presses = 0;
	} else {
		set16(&regs->ebx, b->releases);
		set16(&regs->ecx, (uint16_t)b->release_x);
		set16(&regs->edx, (uint16_t)b->release_y);
		b->releases = 0;
	}
}

/* 07h and 08h: a range, its ends in either order. */
static void set_range(struct int33 *d, struct vdh_regs *regs, int *min, int *max)
{
	int a = signed16(regs->ecx), b = signed16(regs->edx);

	*min = a < b ? a : b;
	*max = a < b ? b : a;
	place_cursor(d, d->x, d->y);
}

static void set_handler(struct int33 *d, const struct vdh_regs *regs)
{
	d->handler_mask = (uint16_t)(regs->ecx & INT33_EV_ALL);
	d->handler_segment = regs->es;
	d->handler_offset = (uint16_t)regs->edx;
}

void int33_call(struct int33 *d, struct vdh_regs *regs)
{
	uint16_t old_mask, old_segment, old_offset;

	switch (regs->eax & 0xFFFFu) {
	case 0x00: /* reset and status */
	case 0x21: /* software reset */
		reset(d);
		set16(&regs->eax, RESET_INSTALLED);
		set16(&regs->ebx, RESET_THREE_BUTTONS);
		break;
	case 0x01: /* show cursor */
		if (d->hidden < 0)
			d->hidden++;
		d->exclusion = false;
		break;
	case 0x02: /* hide cursor */
		if (d->hidden > -0x7FFF)
			d->hidden--;
		break;
	case 0x03: /* position and buttons */
		set16(&regs->ebx, d->buttons);
		set16(&regs->ecx, (uint16_t)d->x);
		set16(&regs->edx, (uint16_t)d->y);
		break;
	case 0x04: /* set position */
		place_cursor(d, signed16(regs->ecx), signed16(regs->edx));
		break;
	case 0x05: /* press data */
	case 0x06: /* release data */
		button_history(d, regs, (regs->eax & 0xFFFFu) == 0x05);
		break;
	case 0x07: /* horizontal range */
		set_range(d, regs, &d->min_x, &d->max_x);
		break;
	case 0x08: /* vertical range */
		set_range(d, regs, &d->min_y, &d->max_y);
		break;
	case 0x09: /* graphics cursor shape: kept, not drawn */
		d->hotspot_x = signed16(regs->ebx);
		d->hotspot_y = signed16(regs->ecx);
		d->shape_segment = regs->es;
		d->shape_offset = (uint16_t)regs->edx;
		break;
	case 0x0A: /* text cursor: software masks (BX 0) or hardware scan lines (BX 1) */
		d->text_type = (uint16_t)regs->ebx;
		d->text_screen_mask = (uint16_t)regs->ecx;
		d->text_cursor_mask = (uint16_t)regs->edx;
		break;
	case 0x0B: /* motion counters since the last call */
		set16(&regs->ecx, (uint16_t)d->mickeys_x);
		set16(&regs->edx, (uint16_t)d->mickeys_y);
		d->mickeys_x = d->mickeys_y = 0;
		break;
	case 0x0C: /* user handler */
		set_handler(d, regs);
		break;
	case 0x0F: /* mickeys per 8 pixels */
		if ((regs->ecx & 0xFFFFu) && (regs->edx & 0xFFFFu) &&
		    signed16(regs->ecx) > 0 && signed16(regs->edx) > 0) {
			d->mickey_ratio_x = (uint16_t)regs->ecx;
			d->mickey_ratio_y = (uint16_t)regs->edx;
		}
		break;
	case 0x10: /* exclusion area, until the next show */
		d->exclusion = true;
		d->ex_left = signed16(regs->ecx);
		d->ex_top = signed16(regs->edx);
		d->ex_right = signed16(regs->esi);
		d->ex_bottom = signed16(regs->edi);
		break;
	case 0x13: /* double-speed threshold */
		d->double_speed = (regs->edx & 0xFFFFu) ? (uint16_t)regs->edx
							  : DEFAULT_DOUBLE_SPEED;
		break;
	case 0x14: /* swap user handlers */
		old_mask = d->handler_mask;
		old_segment = d->handler_segment;
		old_offset = d->handler_offset;
		set_handler(d, regs);
		set16(&regs->ecx, old_mask);
		regs->es = old_segment;
		set16(&regs->edx, old_offset);
		break;
	case 0x1A: /* sensitivity */
		d->sensitivity_x = (uint16_t)regs->ebx;
		d->sensitivity_y = (uint16_t)regs->ecx;
		d->sensitivity_threshold = (uint16_t)regs->edx;
		break;
	case 0x1B:
		set16(&regs->ebx, d->sensitivity_x);
		set16(&regs->ecx, d->sensitivity_y);
		set16(&regs->edx, d->sensitivity_threshold);
		break;
	case 0x1C: /* interrupt rate: kept (reports follow the host's events) */
		d->rate = (uint16_t)regs->ebx;
		break;
	case 0x22: /* language */
		d->language = (uint16_t)regs->ebx;
		break;
	case 0x23:
		set16(&regs->ebx, d->language);
		break;
	case 0x24: /* version, type, IRQ */
		set16(&regs->ebx, INT33_VERSION);
		set16(&regs->ecx, INT33_TYPE_PS2 << 8 | INT33_IRQ);
		break;
	default:
		break;
	}
}

bool int33_text_cursor(const struct int33 *d, unsigned *col, unsigned *row)
{
	if (!d->text || d->hidden < 0 || d->text_type != SOFTWARE_TEXT_CURSOR)
		return false;
	if (d->exclusion && d->x >= d->ex_left && d->x <= d->ex_right && d->y >= d->ex_top &&
	    d->y <= d->ex_bottom)
		return false;
	if (d->x < 0 || d->y < 0 || d->x >= d->width || d->y >= d->height)
		return false;
	*col = (unsigned)(d->x / d->cell_width);
	*row = (unsigned)(d->y / d->cell_height);
	return true;
}

uint16_t int33_text_cursor_cell(const struct int33 *d, uint16_t cell)
{
	return (uint16_t)((cell & d->text_screen_mask) ^ d->text_cursor_mask);
}
