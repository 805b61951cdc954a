/* int33.h: the int 33h mouse driver's state and functions, as pure logic over a register image. */
#ifndef MVM_VDD_INT33_H
#define MVM_VDD_INT33_H

#include <stdbool.h>
#include <stdint.h>

#include "vdh.h"

/* Buttons, in function 03h's BX and the user handler's BX (as in host pointer events). */
#define INT33_LEFT 0x1u
#define INT33_RIGHT 0x2u
#define INT33_MIDDLE 0x4u
#define INT33_BUTTON_COUNT 3

/* The user handler's condition mask (function 0Ch's CX, the handler's AX). */
#define INT33_EV_MOVED 0x01u
#define INT33_EV_LEFT_DOWN 0x02u
#define INT33_EV_LEFT_UP 0x04u
#define INT33_EV_RIGHT_DOWN 0x08u
#define INT33_EV_RIGHT_UP 0x10u
#define INT33_EV_MIDDLE_DOWN 0x20u
#define INT33_EV_MIDDLE_UP 0x40u
#define INT33_EV_ALL 0x7Fu

/* Function 24h: the version reported (8.00) and the mouse type (PS/2) on IRQ 12. */
#define INT33_VERSION 0x0800u
#define INT33_TYPE_PS2 4u
#define INT33_IRQ 12u

/* The BIOS video state the driver follows (BDA 0449h, 044Ah, 0484h + 1, 0485h). */
struct int33_video {
	uint8_t mode;
	unsigned cols, rows, char_height;
};

struct int33_button {
	uint16_t presses, releases;
	int16_t press_x, press_y, release_x, release_y;
};

struct int33 {
	/* the screen in the driver's virtual coordinates, and how the mode shows it */
	struct int33_video video;
	int width, height;          /* virtual pixels */
	int screen_width, screen_height; /* pixels the display shows for the mode */
	bool text;
	int cell_width, cell_height; /* text modes: virtual pixels per character cell */

	int x, y;                   /* the cursor, within the ranges */
	int min_x, max_x, min_y, max_y;
	unsigned buttons;
	struct int33_button button[INT33_BUTTON_COUNT];

	/* where the host pointer last was, in virtual pixels, for the mickeys */
	bool pointer_seen;
	int pointer_x, pointer_y;
	int32_t mickey_eighths_x, mickey_eighths_y; /* not yet whole mickeys, in 1/8 */
	int16_t mickeys_x, mickeys_y;               /* since the last 0Bh (handler SI, DI) */
	uint16_t mickey_ratio_x, mickey_ratio_y;    /* mickeys per 8 pixels (0Fh) */

	int hidden;                 /* 0: shown; below 0: hidden (01h/02h count) */
	bool exclusion;             /* 10h: the cursor is hidden inside [ex_left..] */
	int ex_left, ex_top, ex_right, ex_bottom;
	uint16_t text_type, text_screen_mask, text_cursor_mask; /* 0Ah */
	int16_t hotspot_x, hotspot_y; /* 09h */
	uint16_t shape_segment, shape_offset;

	uint16_t handler_mask, handler_segment, handler_offset; /* 0Ch, 14h */

	uint16_t double_speed;      /* 13h */
	uint16_t sensitivity_x, sensitivity_y, sensitivity_threshold; /* 1Ah */
	uint16_t rate;              /* 1Ch */
	uint16_t language;          /* 22h */
};

/* A driver as after function 00h, for a screen in video's mode. */
void int33_init(struct int33 *d, const struct int33_video *video);

/* The BIOS video state now: a mode change resets the ranges to the new screen. */
void int33_set_video(struct int33 *d, const struct int33_video *video);

/* The pixels the display shows for a mode (the screen a `moves` script's points are in). */
void int33_screen_size(const struct int33_video *video, int *width, int *height);

/*
 * The host pointer at (x, y) on a screen of width x height pixels (outside it: clamped to
 * its edge) with buttons (INT33_*) held. The cursor follows it absolutely; the motion
 * counters count the mickeys the move is worth. Returns the INT33_EV_* that happened.
 */
unsigned int33_pointer(struct int33 *d, int x, int y, unsigned width, unsigned height,
		       unsigned buttons);

/* Function AX of int 33h with the registers the guest passed; unknown ones change nothing. */
void int33_call(struct int33 *d, struct vdh_regs *regs);

/* Text modes: whether the software cursor shows, and at which cell (on the screen). */
bool int33_text_cursor(const struct int33 *d, unsigned *col, unsigned *row);

/* The character and attribute word the text cursor turns cell into (0Ah's masks). */
uint16_t int33_text_cursor_cell(const struct int33 *d, uint16_t cell);

#endif
