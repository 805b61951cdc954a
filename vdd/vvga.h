/* vvga.h: the VGA VDD's private header: its state, shared by vvga.c and vvga_render.c. */
#ifndef MVM_VDD_VVGA_H
#define MVM_VDD_VVGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pixman.h>

#include "vdh.h"

/*
 * Requests a host program sends to the entry named "vvga" (register_request).
 */
#define VVGA_REQ_RENDER 1    /* out: struct vvga_frame_header, then width * height XRGB8888
				pixels, rows top to bottom; in: nothing */
#define VVGA_REQ_WRITE_PNG 2 /* in: a NUL-terminated host path; writes the current frame
				there as an 8-bit RGB PNG; out: nothing */

struct vvga_frame_header {
	uint32_t width, height;
};

/* Video memory: four planes of 64 KiB. */
#define VGA_PLANE_SIZE 0x10000u

/* Register files */
#define VGA_SEQ_REGS 5
#define VGA_CRTC_REGS 0x19
#define VGA_GC_REGS 9
#define VGA_ATC_REGS 0x15
#define VGA_DAC_ENTRIES 256

/* Sequencer */
#define SEQ_CLOCKING_MODE 0x01
#define SEQ_MAP_MASK 0x02
#define SEQ_CHARACTER_MAP 0x03
#define SEQ_MEMORY_MODE 0x04
#define SR1_8DOT 0x01            /* 8-dot characters (else 9) */
#define SR1_DOT_CLOCK_HALF 0x08  /* dot clock divided by 2 */
#define SR1_SCREEN_OFF 0x20
#define SR4_ODD_EVEN_OFF 0x04    /* odd/even host writes disabled */
#define SR4_CHAIN4 0x08

/* CRT controller */
#define CRTC_H_TOTAL 0x00
#define CRTC_H_DISPLAY_END 0x01
#define CRTC_V_TOTAL 0x06
#define CRTC_OVERFLOW 0x07
#define CRTC_PRESET_ROW_SCAN 0x08
#define CRTC_MAX_SCAN_LINE 0x09
#define CRTC_CURSOR_START 0x0a
#define CRTC_CURSOR_END 0x0b
#define CRTC_START_HIGH 0x0c
#define CRTC_START_LOW 0x0d
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW 0x0f
#define CRTC_V_RETRACE_START 0x10
#define CRTC_V_RETRACE_END 0x11
#define CRTC_V_DISPLAY_END 0x12
#define CRTC_OFFSET 0x13
#define CRTC_UNDERLINE 0x14
#define CRTC_MODE_CONTROL 0x17
#define CRTC_LINE_COMPARE 0x18
#define CR9_DOUBLE_SCAN 0x80
#define CR9_MAX_SCAN 0x1f
#define CR0A_CURSOR_OFF 0x20
#define CR11_PROTECT 0x80        /* CR0-CR7 write protected (but CR7 bit 4) */
#define CR14_DWORD 0x40
#define CR17_CGA_MA13 0x01       /* 0: row scan bit 0 replaces address bit 13 */
#define CR17_CGA_MA14 0x02       /* 0: row scan bit 1 replaces address bit 14 */
#define CR17_ADDRESS_WRAP 0x20   /* word mode: MA15 (else MA13) becomes address bit 0 */
#define CR17_BYTE_MODE 0x40

/* Graphics controller */
#define GC_SET_RESET 0x00
#define GC_ENABLE_SET_RESET 0x01
#define GC_COLOR_COMPARE 0x02
#define GC_DATA_ROTATE 0x03
#define GC_READ_MAP 0x04
#define GC_MODE 0x05
#define GC_MISC 0x06
#define GC_COLOR_DONT_CARE 0x07
#define GC_BIT_MASK 0x08
#define GR5_READ_MODE1 0x08
#define GR5_ODD_EVEN 0x10        /* odd/even host reads */
#define GR5_SHIFT_CGA 0x20       /* shift register interleave: 2 bits per pixel */
#define GR5_SHIFT_256 0x40       /* 8 bits per pixel */
#define GR6_GRAPHICS 0x01

/* Attribute controller */
#define ATC_MODE_CONTROL 0x10
#define ATC_PLANE_ENABLE 0x12
#define ATC_PEL_PANNING 0x13
#define ATC_COLOR_SELECT 0x14
#define ATC_INDEX_PAS 0x20       /* palette address source: the display runs */
#define AR10_LINE_GRAPHICS 0x04
#define AR10_BLINK 0x08
#define AR10_PAN_COMPAT 0x20     /* panning is 0 below the split screen */
#define AR10_P54S 0x80           /* colour select bits 0-3 give DAC index bits 4-7 */

/* Misc output */
#define MISC_COLOR 0x01          /* CRTC at 3Dx, else 3Bx */

/* The widest frame the renderer makes; wider timings are clamped. (The
 * 10-bit vertical display end keeps frames at most 1024 lines high.) */
#define VVGA_MAX_WIDTH 2048

/* The registers a frame depends on. The renderer keeps a copy of those it
 * drew the last frame with and draws again only when they differ. */
struct vvga_regs {
	uint8_t misc;
	uint8_t seq[VGA_SEQ_REGS];
	uint8_t crtc[VGA_CRTC_REGS];
	uint8_t gc[VGA_GC_REGS];
	uint8_t atc_index;           /* bit 5: palette address source, the display runs */
	uint8_t atc[VGA_ATC_REGS];
	uint8_t pel_mask;
	uint8_t dac[VGA_DAC_ENTRIES][3]; /* 6-bit red, green, blue */
};

/* What the renderer keeps between frames. */
struct vvga_frame {
	pixman_image_t *image;       /* the last frame, x8r8g8b8 */
	pixman_image_t *native;      /* scratch: the frame before horizontal doubling */
	struct vvga_regs regs;       /* the registers it was drawn with */
	bool vram_changed;           /* video memory changed since */
	bool text;                   /* it was a text mode, which blinks */
	unsigned blink_phase;        /* the cursor and character blink states it has */
	bool clamped;                /* the CRTC asked for more than VVGA_MAX_WIDTH */
	uint64_t renders;            /* frames actually drawn, for dirty-tracking tests */
};

/* Mode switches the display showed, and how long each took. */
#define VVGA_MODE_SWITCH_SAMPLES 1024u
struct vvga_mode_switches {
	unsigned count;
	uint64_t max_ns;
	uint64_t latency_ns[VVGA_MODE_SWITCH_SAMPLES]; /* the first ones */
};

struct vvga {
	struct vdh_dev *dev;
	struct vdh_mapping *window;
	struct vdh_timer *refresh;   /* once a frame: the display follows the screen */
	bool foreground;             /* the display shows this VM */
	bool shown;                  /* the display has the last frame drawn */
	bool show_failed;            /* said once */
	uint64_t refresh_deadline;   /* virtual ns the refresh timer is armed for */
	uint64_t geometry_written_ns; /* host monotonic: the last mode register change; 0: none
					 since the last frame shown */
	unsigned shown_width, shown_height; /* of the last frame shown */
	struct vvga_mode_switches mode_switches;

	struct vvga_regs r;
	uint8_t feature, subsystem_enable;
	uint8_t seq_index, crtc_index, gc_index;
	bool atc_data_next;          /* the attribute flip-flop: the next 3C0 write is data */
	uint8_t dac_read_index, dac_write_index, dac_component;
	bool dac_reading;            /* 3C7 was written last (DAC state reads 3) */
	uint8_t dac_staged[3];       /* a colour being written, until its third byte */

	uint32_t latch;              /* byte p: plane p */
	uint32_t *vram;              /* VGA_PLANE_SIZE entries; byte p of each: plane p */

	struct vvga_frame frame;
	bool clamp_warned;
};

/* vvga.c: the virtual time as the number of whole frames the CRTC timing has shown. */
uint64_t vvga_frame_count(const struct vvga *s, uint64_t now_ns);

/* vvga.c: the "vvga" request entry (see VVGA_REQ_*). */
int vvga_request(void *opaque, uint32_t command, const void *in, size_t in_len, void *out,
		 size_t *out_len);

/* vvga_render.c: brings s->frame.image up to date with the video state as frame number
 * `frame` (for blinking) shows it; does nothing when nothing changed. Returns 0 or
 * -ENOMEM (the previous image, if any, is kept). */
int vvga_render(struct vvga *s, uint64_t frame);
void vvga_render_finish(struct vvga_frame *frame);

#endif
