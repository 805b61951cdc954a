/* vvga.c: an IBM VGA: its register file, 256 KiB of video memory in four planes, and screenshots. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frame_png.h"
#include "vvga.h"

/*
 * Video memory is 64 Ki words of 32 bits, byte p of each holding plane p, so
 * that the four latches load and store as one word. The host window decodes
 * through the graphics controller (memory map select, odd/even, chain 4) and
 * the sequencer map mask as the VGA does:
 *   planar:   host offset A is plane offset A in the planes the map mask enables;
 *   odd/even: A0 picks planes 0/2 or 1/3 and the plane offset is A with A0 clear;
 *   chain 4:  A1-A0 pick the plane and the plane offset is A with A1-A0 clear.
 * The misc output page bit is not modelled: odd/even uses the low page only.
 */

/* Ports */
#define VGA_PORT_FIRST 0x3b0
#define VGA_PORT_COUNT 0x30
#define VGA_ATC_INDEX 0x3c0      /* write: index and data, by the flip-flop */
#define VGA_ATC_DATA_READ 0x3c1
#define VGA_MISC_WRITE 0x3c2     /* read: input status 0 */
#define VGA_SUBSYSTEM_ENABLE 0x3c3
#define VGA_SEQ_INDEX 0x3c4
#define VGA_SEQ_DATA 0x3c5
#define VGA_PEL_MASK 0x3c6
#define VGA_DAC_READ_INDEX 0x3c7 /* read: DAC state */
#define VGA_DAC_WRITE_INDEX 0x3c8
#define VGA_DAC_DATA 0x3c9
#define VGA_FEATURE_READ 0x3ca
#define VGA_MISC_READ 0x3cc
#define VGA_GC_INDEX 0x3ce
#define VGA_GC_DATA 0x3cf
#define VGA_CRTC_MONO 0x3b0      /* 3B4/3B5 CRTC, 3BA status 1 / feature control */
#define VGA_CRTC_COLOR 0x3d0     /* the same at 3D4/3D5, 3DA */
#define CRTC_PORT_INDEX 0x4
#define CRTC_PORT_DATA 0x5
#define CRTC_PORT_STATUS1 0xa    /* write: feature control */

/* Input status 1 */
#define ST1_DISPLAY_OFF 0x01     /* horizontal or vertical blanking */
#define ST1_V_RETRACE 0x08

/* DAC state register */
#define DAC_STATE_READ 0x03

/* The host window: memory map select (GR6 bits 3-2). */
#define VGA_WINDOW_BASE 0xa0000u
#define VGA_WINDOW_SIZE 0x20000u

/* Dot clocks the misc output selects (bits 3-2); 2 and 3 are external, taken as 25 MHz. */
#define VGA_CLOCK_25 25175000u
#define VGA_CLOCK_28 28322000u

/* Reserved register bits, which read as 0. */
static const uint8_t seq_mask[VGA_SEQ_REGS] = { 0x03, 0x3d, 0x0f, 0x3f, 0x0e };
static const uint8_t gc_mask[VGA_GC_REGS] = { 0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f,
					      0xff };
#define ATC_PALETTE_MASK 0x3f
static const uint8_t atc_ctrl_mask[VGA_ATC_REGS - 0x10] = { 0xef, 0xff, 0x3f, 0x0f, 0x0f };

static const struct vdh *vdh;

/* The CRTC timing. Any setting gives a running clock: a line has at least 5
 * character clocks, a frame at least 2 lines. */
struct vga_timing {
	uint64_t line_ps;        /* one scan line */
	uint64_t frame_ns;       /* one frame */
	unsigned h_total, h_display; /* character clocks */
	unsigned v_total, v_display, v_retrace_start, v_retrace_lines;
};

static void vga_timing(const struct vvga *s, struct vga_timing *t)
{
	const uint8_t *cr = s->r.crtc;
	uint64_t clock = (s->r.misc >> 2 & 3) == 1 ? VGA_CLOCK_28 : VGA_CLOCK_25;
	uint64_t dots = s->r.seq[SEQ_CLOCKING_MODE] & SR1_8DOT ? 8 : 9;
	unsigned v_retrace_end = cr[CRTC_V_RETRACE_END] & 0x0f;

	if (s->r.seq[SEQ_CLOCKING_MODE] & SR1_DOT_CLOCK_HALF)
		dots *= 2;
	t->h_total = cr[CRTC_H_TOTAL] + 5u;
	t->h_display = cr[CRTC_H_DISPLAY_END] + 1u;
	t->v_total = (cr[CRTC_V_TOTAL] | (cr[CRTC_OVERFLOW] & 0x01) << 8 |
		      (cr[CRTC_OVERFLOW] & 0x20) << 4) + 2u;
	t->v_display = (cr[CRTC_V_DISPLAY_END] | (cr[CRTC_OVERFLOW] & 0x02) << 7 |
			(cr[CRTC_OVERFLOW] & 0x40) << 3) + 1u;
	t->v_retrace_start = cr[CRTC_V_RETRACE_START] | (cr[CRTC_OVERFLOW] & 0x04) << 6 |
			     (cr[CRTC_OVERFLOW] & 0x80) << 2;
	/* the retrace ends when the line counter's low four bits match the end value */
	t->v_retrace_lines = (v_retrace_end - t->v_retrace_start) & 0x0f;
	if (!t->v_retrace_lines)
		t->v_retrace_lines = 16;
	t->line_ps = t->h_total * dots * 1000000000000ull / clock;
	t->frame_ns = t->line_ps * t->v_total / 1000;
}

uint64_t vvga_frame_count(const struct vvga *s, uint64_t now_ns)
{
	struct vga_timing t;

	vga_timing(s, &t);
	return now_ns / t.frame_ns;
}

static uint8_t vga_input_status1(struct vvga *s)
{
	struct vga_timing t;
	uint64_t now_ps, line, clock_in_line;
	uint8_t value = 0;

	/* reading input status 1 sets the attribute flip-flop to index */
	s->atc_data_next = false;
	vga_timing(s, &t);
	now_ps = vdh->now_ns(s->dev) % t.frame_ns * 1000;
	line = now_ps / t.line_ps;
	clock_in_line = now_ps % t.line_ps * t.h_total / t.line_ps;
	if (line >= t.v_display || clock_in_line >= t.h_display)
		value |= ST1_DISPLAY_OFF;
	if (line >= t.v_retrace_start && line < t.v_retrace_start + t.v_retrace_lines)
		value |= ST1_V_RETRACE | ST1_DISPLAY_OFF;
	return value;
}

static uint16_t vga_crtc_base(const struct vvga *s)
{
	return s->r.misc & MISC_COLOR ? VGA_CRTC_COLOR : VGA_CRTC_MONO;
}

/* A register that decides the frame's size or kind was written: a mode
 * switch is under way. The display hears of it 1 ms (virtual) after the
 * last such write, time enough for a BIOS to program the rest, instead of
 * at the next frame; a switch's latency is measured from that last write
 * (the guest's own work, such as clearing video memory with the screen
 * off, is not the display's). */
#define VVGA_MODE_SETTLE_NS 1000000u
/* The display is refreshed at most 125 times a second. */
#define VVGA_REFRESH_MIN_NS 8000000u

/* The host's monotonic clock: mode-switch latency is the host's time. */
static uint64_t host_clock_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void vvga_geometry_written(struct vvga *s)
{
	uint64_t soon = vdh->now_ns(s->dev) + VVGA_MODE_SETTLE_NS;

	s->geometry_written_ns = host_clock_ns();
	if (s->refresh_deadline > soon) {
		s->refresh_deadline = soon;
		vdh->arm_timer(s->refresh, soon);
	}
}

/* The CRTC registers that set the frame's size: timing, overflow, scan
 * lines, display end, mode control (not the cursor, start address or
 * offset, which text output and scrolling change all the time). */
static bool crtc_sets_geometry(uint8_t index)
{
	return index <= CRTC_OVERFLOW || index == CRTC_MAX_SCAN_LINE ||
	       index == CRTC_V_DISPLAY_END || index == CRTC_MODE_CONTROL;
}

static void vga_crtc_write(struct vvga *s, uint8_t value)
{
	uint8_t i = s->crtc_index;

	if (i >= VGA_CRTC_REGS)
		return;
	if (crtc_sets_geometry(i) && s->r.crtc[i] != value)
		vvga_geometry_written(s);
	if (s->r.crtc[CRTC_V_RETRACE_END] & CR11_PROTECT && i <= CRTC_OVERFLOW) {
		/* the line compare bit 8 in the overflow register stays writable */
		if (i != CRTC_OVERFLOW)
			return;
		value = (uint8_t)((s->r.crtc[CRTC_OVERFLOW] & ~0x10) | (value & 0x10));
	}
	s->r.crtc[i] = value;
}

static void vga_atc_write(struct vvga *s, uint8_t value)
{
	uint8_t i;

	s->atc_data_next = !s->atc_data_next;
	if (s->atc_data_next) {
		/* the palette address source turns the picture on and off */
		if ((s->r.atc_index ^ value) & ATC_INDEX_PAS)
			vvga_geometry_written(s);
		s->r.atc_index = value & 0x3f;
		return;
	}
	i = s->r.atc_index & 0x1f;
	if (i == ATC_MODE_CONTROL && s->r.atc[i] != (value & atc_ctrl_mask[0]))
		vvga_geometry_written(s);
	if (i < 0x10)
		s->r.atc[i] = value & ATC_PALETTE_MASK;
	else if (i < VGA_ATC_REGS)
		s->r.atc[i] = value & atc_ctrl_mask[i - 0x10];
}

static void vga_dac_write(struct vvga *s, uint8_t value)
{
	s->dac_staged[s->dac_component++] = value & 0x3f;
	if (s->dac_component < 3)
		return;
	s->dac_component = 0;
	memcpy(s->r.dac[s->dac_write_index++], s->dac_staged, 3);
}

static uint8_t vga_dac_read(struct vvga *s)
{
	uint8_t value = s->r.dac[s->dac_read_index][s->dac_component++];

	if (s->dac_component == 3) {
		s->dac_component = 0;
		s->dac_read_index++;
	}
	return value;
}

static uint8_t vvga_inb(void *opaque, uint16_t port)
{
	struct vvga *s = opaque;
	uint8_t i;

	switch (port) {
	case VGA_ATC_INDEX:
		return s->r.atc_index;
	case VGA_ATC_DATA_READ:
		i = s->r.atc_index & 0x1f;
		return i < VGA_ATC_REGS ? s->r.atc[i] : 0;
	case VGA_MISC_WRITE:
		/* input status 0: no retrace interrupt pending, switch sense 0 */
		return 0;
	case VGA_SUBSYSTEM_ENABLE:
		return s->subsystem_enable;
	case VGA_SEQ_INDEX:
		return s->seq_index;
	case VGA_SEQ_DATA:
		return s->seq_index < VGA_SEQ_REGS ? s->r.seq[s->seq_index] : 0;
	case VGA_PEL_MASK:
		return s->r.pel_mask;
	case VGA_DAC_READ_INDEX:
		return s->dac_reading ? DAC_STATE_READ : 0;
	case VGA_DAC_WRITE_INDEX:
		return s->dac_write_index;
	case VGA_DAC_DATA:
		return vga_dac_read(s);
	case VGA_FEATURE_READ:
		return s->feature;
	case VGA_MISC_READ:
		return s->r.misc;
	case VGA_GC_INDEX:
		return s->gc_index;
	case VGA_GC_DATA:
		return s->gc_index < VGA_GC_REGS ? s->r.gc[s->gc_index] : 0;
	}
	/* the CRTC and input status 1 answer at 3Bx or 3Dx, as misc output bit 0 says */
	if ((port & 0xfff0) != vga_crtc_base(s))
		return 0xff;
	switch (port & 0xf) {
	case CRTC_PORT_INDEX:
		return s->crtc_index;
	case CRTC_PORT_DATA:
		return s->crtc_index < VGA_CRTC_REGS ? s->r.crtc[s->crtc_index] : 0;
	case CRTC_PORT_STATUS1:
		return vga_input_status1(s);
	}
	return 0xff;
}

static void vvga_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct vvga *s = opaque;

	switch (port) {
	case VGA_ATC_INDEX:
		vga_atc_write(s, value);
		return;
	case VGA_MISC_WRITE:
		if (s->r.misc != (value & 0xef))
			vvga_geometry_written(s);
		s->r.misc = value & 0xef;
		return;
	case VGA_SUBSYSTEM_ENABLE:
		s->subsystem_enable = value & 0x01;
		return;
	case VGA_SEQ_INDEX:
		s->seq_index = value & 0x07;
		return;
	case VGA_SEQ_DATA:
		if (s->seq_index >= VGA_SEQ_REGS)
			return;
		if ((s->seq_index == SEQ_CLOCKING_MODE || s->seq_index == SEQ_MEMORY_MODE) &&
		    s->r.seq[s->seq_index] != (value & seq_mask[s->seq_index]))
			vvga_geometry_written(s);
		s->r.seq[s->seq_index] = value & seq_mask[s->seq_index];
		return;
	case VGA_PEL_MASK:
		s->r.pel_mask = value;
		return;
	case VGA_DAC_READ_INDEX:
		s->dac_read_index = value;
		s->dac_component = 0;
		s->dac_reading = true;
		return;
	case VGA_DAC_WRITE_INDEX:
		s->dac_write_index = value;
		s->dac_component = 0;
		s->dac_reading = false;
		return;
	case VGA_DAC_DATA:
		vga_dac_write(s, value);
		return;
	case VGA_GC_INDEX:
		s->gc_index = value & 0x0f;
		return;
	case VGA_GC_DATA:
		if (s->gc_index >= VGA_GC_REGS)
			return;
		if ((s->gc_index == GC_MODE || s->gc_index == GC_MISC) &&
		    (s->r.gc[s->gc_index] ^ value) & (s->gc_index == GC_MODE ? 0x60 : GR6_GRAPHICS))
			vvga_geometry_written(s);
		s->r.gc[s->gc_index] = value & gc_mask[s->gc_index];
		return;
	}
	if ((port & 0xfff0) != vga_crtc_base(s))
		return;
	switch (port & 0xf) {
	case CRTC_PORT_INDEX:
		s->crtc_index = value & 0x1f;
		return;
	case CRTC_PORT_DATA:
		vga_crtc_write(s, value);
		return;
	case CRTC_PORT_STATUS1:
		s->feature = value & 0x0b;
		return;
	}
}

/* A word write to an index port writes the index, then the data port; to 3C0 both
 * bytes go through the attribute flip-flop. */
static void vvga_outw(void *opaque, uint16_t port, uint16_t value)
{
	vvga_outb(opaque, port, (uint8_t)value);
	vvga_outb(opaque, port == VGA_ATC_INDEX ? port : (uint16_t)(port + 1), (uint8_t)(value >> 8));
}

static const struct vdh_io_ops vvga_io_ops = {
	.inb = vvga_inb,
	.outb = vvga_outb,
	.outw = vvga_outw,
};

/* Each bit of a 4-bit plane set as 0x00 or 0xFF in that plane's byte. */
static uint32_t vga_expand(unsigned planes)
{
	uint32_t value = 0;

	for (unsigned p = 0; p < 4; p++)
		if (planes & 1u << p)
			value |= 0xffu << 8 * p;
	return value;
}

/* The host window's offset for gpa, or false when the memory map puts gpa outside it. */
static bool vga_window_offset(const struct vvga *s, uint64_t gpa, uint32_t *offset)
{
	static const uint32_t base[4] = { 0xa0000, 0xa0000, 0xb0000, 0xb8000 };
	static const uint32_t size[4] = { 0x20000, 0x10000, 0x8000, 0x8000 };
	unsigned map = s->r.gc[GC_MISC] >> 2 & 3;

	if (gpa < base[map] || gpa - base[map] >= size[map])
		return false;
	*offset = (uint32_t)(gpa - base[map]);
	return true;
}

static uint8_t vga_mem_read(struct vvga *s, uint32_t a)
{
	uint8_t mode = s->r.gc[GC_MODE];
	unsigned plane;
	uint32_t match;

	if (s->r.seq[SEQ_MEMORY_MODE] & SR4_CHAIN4) {
		plane = a & 3;
		a &= ~3u;
	} else if (mode & GR5_ODD_EVEN) {
		plane = (s->r.gc[GC_READ_MAP] & 2) | (a & 1);
		a &= ~1u;
	} else {
		plane = s->r.gc[GC_READ_MAP] & 3;
	}
	s->latch = s->vram[a % VGA_PLANE_SIZE];
	if (!(mode & GR5_READ_MODE1))
		return (uint8_t)(s->latch >> 8 * plane);
	/* colour compare: a 1 where every plane that counts matches the compare colour */
	match = ~(s->latch ^ vga_expand(s->r.gc[GC_COLOR_COMPARE])) |
		~vga_expand(s->r.gc[GC_COLOR_DONT_CARE]);
	return (uint8_t)(match & match >> 8 & match >> 16 & match >> 24);
}

static void vga_mem_write(struct vvga *s, uint32_t a, uint8_t data)
{
	const uint8_t *gc = s->r.gc;
	unsigned planes = s->r.seq[SEQ_MAP_MASK] & 0xf, rotate = gc[GC_DATA_ROTATE] & 7;
	uint8_t bit_mask = gc[GC_BIT_MASK];
	uint8_t rotated = (uint8_t)(data >> rotate | data << ((8 - rotate) & 7));
	uint32_t value, mask, old, *word;

	if (s->r.seq[SEQ_MEMORY_MODE] & SR4_CHAIN4) {
		planes &= 1u << (a & 3);
		a &= ~3u;
	} else if (!(s->r.seq[SEQ_MEMORY_MODE] & SR4_ODD_EVEN_OFF)) {
		planes &= a & 1 ? 0xa : 0x5;
		a &= ~1u;
	}
	switch (gc[GC_MODE] & 3) {
	case 0: /* rotated data, or set/reset for the planes it is enabled in */
		value = (rotated * 0x01010101u & ~vga_expand(gc[GC_ENABLE_SET_RESET])) |
			(vga_expand(gc[GC_SET_RESET]) & vga_expand(gc[GC_ENABLE_SET_RESET]));
		break;
	case 1: /* the latches, as a read loaded them */
		value = s->latch;
		bit_mask = 0;
		break;
	case 2: /* data bits 3-0 fill planes 3-0 */
		value = vga_expand(data);
		break;
	default: /* set/reset through a bit mask ANDed with the rotated data */
		value = vga_expand(gc[GC_SET_RESET]);
		bit_mask &= rotated;
		break;
	}
	if ((gc[GC_MODE] & 3) != 1) {
		switch (gc[GC_DATA_ROTATE] >> 3 & 3) {
		case 1:
			value &= s->latch;
			break;
		case 2:
			value |= s->latch;
			break;
		case 3:
			value ^= s->latch;
			break;
		}
	}
	mask = bit_mask * 0x01010101u;
	value = (value & mask) | (s->latch & ~mask);
	mask = vga_expand(planes);
	word = &s->vram[a % VGA_PLANE_SIZE];
	old = *word;
	*word = (old & ~mask) | (value & mask);
	if (*word != old)
		s->frame.vram_changed = true;
}

/* The A0000-BFFFF window: wider accesses are bytes in ascending address order. */
static void vvga_mmio(void *opaque, uint64_t gpa, void *data, unsigned len, bool is_write)
{
	struct vvga *s = opaque;
	uint8_t *bytes = data;
	uint32_t a;

	for (unsigned i = 0; i < len; i++) {
		if (!vga_window_offset(s, gpa + i, &a)) {
			if (!is_write)
				bytes[i] = 0xff;
		} else if (is_write) {
			vga_mem_write(s, a, bytes[i]);
		} else {
			bytes[i] = vga_mem_read(s, a);
		}
	}
}

static void vvga_note_clamped(struct vvga *s)
{
	if (s->frame.clamped && !s->clamp_warned) {
		s->clamp_warned = true;
		vdh->log(s->dev, VDH_LOG_WARN, "the guest programmed a display wider than %u "
			 "pixels; the frame is clamped", VVGA_MAX_WIDTH);
	}
}

static int vvga_update(struct vvga *s)
{
	int rc = vvga_render(s, vvga_frame_count(s, vdh->now_ns(s->dev)));

	vvga_note_clamped(s);
	return rc;
}

/* Writes the rendered frame (x8r8g8b8) as an 8-bit RGB PNG: 0 or -errno. */
static int vvga_png_write(pixman_image_t *image, const char *path)
{
	if (!image)
		return -EINVAL;
	return vman_frame_png_write(pixman_image_get_data(image),
				    (unsigned)pixman_image_get_width(image),
				    (unsigned)pixman_image_get_height(image),
				    (size_t)pixman_image_get_stride(image), path);
}

int vvga_request(void *opaque, uint32_t command, const void *in, size_t in_len, void *out,
		 size_t *out_len)
{
	struct vvga *s = opaque;
	struct vvga_frame_header header;
	size_t pixels;
	int rc;

	switch (command) {
	case VVGA_REQ_RENDER:
		rc = vvga_update(s);
		if (rc < 0)
			return rc;
		header.width = (uint32_t)pixman_image_get_width(s->frame.image);
		header.height = (uint32_t)pixman_image_get_height(s->frame.image);
		pixels = (size_t)header.width * header.height * 4;
		if (*out_len < sizeof(header)) {
			*out_len = 0;
			return -ENOSPC;
		}
		memcpy(out, &header, sizeof(header));
		if (*out_len - sizeof(header) < pixels) {
			/* the header alone tells the caller how much room the frame needs */
			*out_len = sizeof(header);
			return -ENOSPC;
		}
		for (uint32_t y = 0; y < header.height; y++)
			memcpy((uint8_t *)out + sizeof(header) + (size_t)y * header.width * 4,
			       (uint8_t *)pixman_image_get_data(s->frame.image) +
				       (size_t)y * (size_t)pixman_image_get_stride(s->frame.image),
			       (size_t)header.width * 4);
		*out_len = sizeof(header) + pixels;
		return 0;
	case VVGA_REQ_WRITE_PNG:
		*out_len = 0;
		if (!in_len || memchr(in, '\0', in_len) == NULL)
			return -EINVAL;
		rc = vvga_update(s);
		if (rc < 0)
			return rc;
		return vvga_png_write(s->frame.image, in);
	}
	*out_len = 0;
	return -EINVAL;
}

static int vvga_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

/* A frame reached the display: when its size differs from the last one
 * shown and mode registers were written since, that was a mode switch, and
 * its latency is kept for the report at terminate. */
static void vvga_note_shown(struct vvga *s, unsigned width, unsigned height)
{
	struct vvga_mode_switches *m = &s->mode_switches;
	uint64_t latency;

	if (s->geometry_written_ns && (width != s->shown_width || height != s->shown_height) &&
	    s->shown_width) {
		latency = host_clock_ns() - s->geometry_written_ns;
		if (m->count < VVGA_MODE_SWITCH_SAMPLES)
			m->latency_ns[m->count] = latency;
		m->count++;
		if (latency > m->max_ns)
			m->max_ns = latency;
	}
	s->geometry_written_ns = 0;
	s->shown_width = width;
	s->shown_height = height;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The mode switches the display showed, for bench/vman (mvm -v prints it). */
static void vvga_report_mode_switches(struct vvga *s)
{
	struct vvga_mode_switches *m = &s->mode_switches;
	unsigned kept = m->count < VVGA_MODE_SWITCH_SAMPLES ? m->count : VVGA_MODE_SWITCH_SAMPLES;

	if (!m->count)
		return;
	qsort(m->latency_ns, kept, sizeof(m->latency_ns[0]), compare_u64);
	vdh->log(s->dev, VDH_LOG_INFO, "%u mode switches shown; latency from the last mode "
		 "register write to the frame presented: median %.3f ms, max %.3f ms", m->count,
		 (double)m->latency_ns[kept / 2] / 1e6, (double)m->max_ns / 1e6);
}

/* Sends the picture to the display when it changed since it was last
 * sent (or was never sent). 0 or -errno. */
static int vvga_show(struct vvga *s)
{
	uint64_t renders = s->frame.renders;
	pixman_image_t *image;
	int rc = vvga_update(s);

	image = s->frame.image;
	if (rc < 0 || !image || (s->shown && s->frame.renders == renders))
		return rc;
	rc = vdh->display_screen(s->dev, pixman_image_get_data(image),
				 (unsigned)pixman_image_get_width(image),
				 (unsigned)pixman_image_get_height(image),
				 (size_t)pixman_image_get_stride(image));
	if (rc == 0)
		rc = vdh->display_frame(s->dev);
	s->shown = rc == 0;
	if (s->shown)
		vvga_note_shown(s, (unsigned)pixman_image_get_width(image),
				(unsigned)pixman_image_get_height(image));
	return rc;
}

/* Once a frame, at the start of vertical retrace's frame boundary, as a
 * monitor would: the display follows the guest within one frame, mode
 * switches included. In the background the display shows another VM, and
 * the picture waits for the foreground hook. */
static void vvga_refresh(void *opaque, uint64_t now_ns)
{
	struct vvga *s = opaque;
	struct vga_timing t;
	int rc;

	if (s->foreground) {
		rc = vvga_show(s);
		if (rc < 0 && rc != -ENODEV && !s->show_failed) {
			s->show_failed = true;
			vdh->log(s->dev, VDH_LOG_ERROR, "cannot show the screen: %s", strerror(-rc));
		}
	}
	/* Frame boundaries at least VVGA_REFRESH_MIN_NS apart: a CRTC not yet
	 * programmed (all zeros at power-on) runs frames of microseconds. */
	vga_timing(s, &t);
	s->refresh_deadline =
		((now_ns + VVGA_REFRESH_MIN_NS) / t.frame_ns + 1) * t.frame_ns;
	vdh->arm_timer(s->refresh, s->refresh_deadline);
}

static void vvga_foreground(void *instance)
{
	struct vvga *s = instance;

	s->foreground = true;
	s->shown = false; /* the display showed another VM meanwhile */
}

static void vvga_background(void *instance)
{
	struct vvga *s = instance;

	s->foreground = false;
}

static int vvga_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct vvga *s = calloc(1, sizeof(*s));
	int rc = -ENOMEM;

	(void)props;
	if (!s)
		return -ENOMEM;
	s->dev = dev;
	s->foreground = true;
	s->vram = calloc(VGA_PLANE_SIZE, sizeof(*s->vram));
	if (!s->vram)
		goto err_free;
	s->r.pel_mask = 0xff;

	/* 0x3B0-0x3DF: VGA registers (monochrome CRTC, attribute, sequencer, DAC,
	 * graphics controller, colour CRTC) */
	rc = vdh->install_io_hook(dev, VGA_PORT_FIRST, VGA_PORT_COUNT, &vvga_io_ops, s);
	if (rc < 0)
		goto err_free;
	/* 0xA0000-0xBFFFF: the video memory window */
	rc = vdh->map_mmio(dev, VGA_WINDOW_BASE, VGA_WINDOW_SIZE, vvga_mmio, s, &s->window);
	if (rc < 0)
		goto err_free;
	rc = vdh->register_request(dev, "vvga", vvga_request, s);
	if (rc < 0)
		goto err_unmap;
	rc = vdh->create_timer(dev, vvga_refresh, s, &s->refresh);
	if (rc < 0)
		goto err_unmap;
	/* The first refresh runs once the VM is built, when the machine has told
	 * the VDDs whether it is in the foreground. */
	s->refresh_deadline = vdh->now_ns(dev);
	vdh->arm_timer(s->refresh, s->refresh_deadline);
	*instance = s;
	return 0;

	/* the VMM drops the port hooks of a VDD whose create() fails */
err_unmap:
	vdh->unmap(s->window);
err_free:
	free(s->vram);
	free(s);
	return rc;
}

static void vvga_terminate(void *instance)
{
	struct vvga *s = instance;
	int rc;

	/* The display keeps the last picture (--screenshot writes it). */
	if (s->foreground) {
		rc = vvga_show(s);
		if (rc < 0 && rc != -ENODEV && !s->show_failed)
			vdh->log(s->dev, VDH_LOG_ERROR, "cannot show the screen: %s", strerror(-rc));
	}
	vvga_report_mode_switches(s);
	vvga_render_finish(&s->frame);
	free(s->vram);
	free(s);
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "vvga",
	.description = "IBM VGA: registers, 256 KiB video memory at A0000-BFFFF, shown on the "
		       "VM's display",
	.init = vvga_init,
	.create = vvga_create,
	.terminate = vvga_terminate,
	.foreground = vvga_foreground,
	.background = vvga_background,
};
