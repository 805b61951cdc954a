/* vmouse.c: the mouse: a PS/2 device on the 8042's aux port and an int 33h driver, fed by the host's pointer. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../vman/vman.h"
#include "i8042_aux.h"
#include "int33.h"
#include "ps2_mouse.h"
#include "vdh.h"
#include "vmouse_moves.h"

/*
 * Where the pointer comes from: the display's VMAN_EVENT_POINTER_SCREEN events (the host
 * pointer in the guest screen's pixels), and the `moves` property (vmouse_moves.c), which
 * scripts the same events on the virtual clock for tests: nothing happens until the guest
 * is ready (an int 33h reset, function 00h or 21h, or the PS/2 mouse told to report, F4h),
 * then each event comes MOVE_GAP_MS after the one before and {wait:N} adds N ms. A script
 * places its points on the screen the BIOS video mode shows (int33_screen_size).
 *
 * Where it goes:
 *   - The PS/2 mouse (ps2_mouse.c) gets the relative motion, Y up, and sends its packets
 *     to the 8042 (request I8042_AUX_SEND; the 8042 raises IRQ 12), at most one per
 *     sample period; bytes the guest sends it through the 8042's D4h come in as
 *     PS2AUX_WRITE requests and are answered at once.
 *   - The int 33h driver (int33.c) puts its cursor where the host pointer is.
 *
 * The int 33h driver's guest side is a page of code the VDD maps read-only at the upper
 * memory segment `segment` (default CF00h: above the option ROMs, below VVMI's D000h, in
 * the UMB space SeaBIOS leaves free; SeaBIOS itself covers E000h-FFFFh). SeaBIOS
 * points every vector at its own IRET while it starts, so the int 33h vector is set once
 * it has: a timer looks at it every POLL_MS until it holds a BIOS (F000h) or null value
 * after the BIOS filled the table, then points it at the page. A program that installs a
 * driver of its own later simply replaces the vector.
 *
 * Guest code on the page, each SVC a `hlt; db n; db ~n` into this VDD:
 *   int33:     SVC_INT33; IRET             the driver's entry
 *   irq:       SVC_IRQ                     the vector of the line `irq` (default 5)
 *   irq_done:  EOI to the 8259(s); IRET
 *   ret:       SVC_RETURN                  where the user handler's RETF lands
 *   act:       unmask the line at the 8259(s); restore the cell under the old text cursor
 *              if it still holds the cursor; draw the new one; SVC_ACT_DONE
 * The text cursor is drawn by guest code because the VGA's memory is the video VDD's MMIO,
 * which the helpers' guest accesses do not reach.
 *
 * The user handler (functions 0Ch, 14h) and a text cursor that must move are work for the
 * guest while it runs something else, so the VDD raises its IRQ line (edge) and the
 * interrupt runs irq: the VDD lowers the line, runs act when the cursor must be drawn,
 * then, when events the handler asked for are pending, far-calls the handler on the
 * interrupted stack (AX condition mask, BX buttons, CX/DX position, SI/DI mickey counts,
 * DS the page) with a return address at ret, where it puts every register back as the
 * interrupt found it and goes on at irq_done. Events that come during the handler are
 * delivered by the next interrupt, raised when it returns. After an int 33h call, act runs
 * when the cursor must change or while a handler is set or the cursor shows (it also
 * unmasks the line, which the BIOS leaves masked).
 *
 * Assumed: real mode (a guest in protected or V86 mode takes HLT itself; DOS extenders
 * and Windows drive the PS/2 mouse on their own), the BIOS's IRQ vector bases (08h, 70h).
 */

#define MS 1000000ull
#define POLL_MS 1
#define MOVE_GAP_MS 20
#define NEVER UINT64_MAX

#define SVC_INT33 0x33
#define SVC_IRQ 0x34
#define SVC_RETURN 0x35
#define SVC_ACT_DONE 0x36

#define PAGE_SIZE 4096u
#define INT33_VECTOR 0x33
#define BIOS_SEGMENT 0xF000u

/* Offsets of the code on the page */
#define OFF_INT33 0x00
#define OFF_INT33_IRET 0x03
#define OFF_IRQ 0x10
#define OFF_IRQ_DONE 0x13
#define OFF_RETURN 0x20
#define OFF_ACT 0x30

/* 8259A pair */
#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIC_CASCADE_BIT 0x04
#define PIC1_VECTOR_BASE 0x08
#define PIC2_VECTOR_BASE 0x70

/* BIOS data area */
#define BDA_VIDEO_MODE 0x449
#define BDA_VIDEO_COLS 0x44A
#define BDA_VIDEO_PAGE_START 0x44E
#define BDA_VIDEO_ROWS 0x484 /* rows - 1 */
#define BDA_CHAR_HEIGHT 0x485
#define TEXT_SEGMENT 0xB800u
#define MONO_TEXT_SEGMENT 0xB000u
#define TEXT_WINDOW 0x8000u
#define NO_CELL 0xFFFFu

/* x86 bytes the page is made of */
#define X86_HLT 0xF4
#define X86_IRET 0xCF
#define X86_PUSH_AX 0x50
#define X86_POP_AX 0x58
#define X86_PUSH_CX 0x51
#define X86_POP_CX 0x59
#define X86_MOV_AL_IMM 0xB0
#define X86_IN_AL_IMM 0xE4
#define X86_OUT_IMM_AL 0xE6
#define X86_AND_AL_IMM 0x24

enum { WARN_ENOSPC = 0x1u, WARN_STACK = 0x2u };

struct vmouse {
	struct vdh_dev *dev;
	uint8_t *page;
	struct vdh_mapping *mapping;
	uint16_t segment;
	unsigned irq_line;
	struct vdh_irq *irq;
	bool int33_enabled, installed, irq_vector_set, unmasked;
	struct vdh_timer *poll_timer, *report_timer, *script_timer;

	struct ps2_mouse ps2;
	uint64_t next_report;  /* the earliest time for the next packet */
	bool pointer_seen;
	int last_x, last_y;    /* screen pixels, for the PS/2 motion */
	unsigned buttons;

	struct int33 int33;
	unsigned pending;      /* INT33_EV_* the handler has yet to hear about */
	bool irq_raised, in_irq, in_callback, act_then_callback;
	struct vdh_regs irq_saved;  /* the interrupted guest, while irq and the handler run */
	struct vdh_regs act_resume; /* where the guest goes on after act */
	/* the text cursor as drawn: the cell, what was there, what the cursor made of it */
	bool drawn;
	uint16_t drawn_segment, drawn_offset, drawn_saved, drawn_value;
	uint16_t act_segment, act_offset; /* what act is drawing (NO_CELL: nothing) */

	/* the `moves` script */
	struct vmouse_move *moves;
	size_t move_count, next_move;
	bool script_started;
	uint64_t move_due;
	int script_x, script_y;
	unsigned script_buttons;

	unsigned warned;
};

static const struct vdh *vdh;

static uint8_t bda_byte(struct vmouse *s, uint64_t gpa)
{
	uint8_t value = 0;

	if (vdh->read_guest(s->dev, gpa, &value, 1) < 0)
		return 0;
	return value;
}

static uint16_t guest_word(struct vmouse *s, uint64_t gpa)
{
	uint8_t bytes[2] = { 0, 0 };

	if (vdh->read_guest(s->dev, gpa, bytes, sizeof(bytes)) < 0)
		return 0;
	return (uint16_t)(bytes[0] | bytes[1] << 8);
}

static int write_far_pointer(struct vmouse *s, uint64_t gpa, uint16_t segment, uint16_t offset)
{
	uint8_t bytes[4] = { (uint8_t)offset, (uint8_t)(offset >> 8), (uint8_t)segment,
			     (uint8_t)(segment >> 8) };

	return vdh->write_guest(s->dev, gpa, bytes, sizeof(bytes));
}

static void bios_video(struct vmouse *s, struct int33_video *video)
{
	video->mode = bda_byte(s, BDA_VIDEO_MODE) & 0x7F; /* bit 7: the mode set kept memory */
	video->cols = guest_word(s, BDA_VIDEO_COLS);
	video->rows = bda_byte(s, BDA_VIDEO_ROWS) + 1u;
	video->char_height = bda_byte(s, BDA_CHAR_HEIGHT);
}

/* ---- the page of guest code ---- */

static size_t put(uint8_t *page, size_t at, const uint8_t *bytes, size_t len)
{
	memcpy(page + at, bytes, len);
	return at + len;
}

static size_t put_svc(uint8_t *page, size_t at, uint8_t n)
{
	const uint8_t svc[] = { X86_HLT, n, (uint8_t)~n };

	return put(page, at, svc, sizeof(svc));
}

/* in al, port; and al, mask; out port, al */
static size_t put_unmask(uint8_t *page, size_t at, uint8_t port, uint8_t bit)
{
	const uint8_t code[] = { X86_IN_AL_IMM, port, X86_AND_AL_IMM, (uint8_t)~bit,
				 X86_OUT_IMM_AL, port };

	return put(page, at, code, sizeof(code));
}

static void build_page(uint8_t *page, unsigned line)
{
	/* act's middle: registers as act_start sets them */
	static const uint8_t act_cells[] = {
		0x83, 0xFF, 0xFF,       /* cmp di, -1: nothing to restore */
		0x74, 0x08,             /* je .draw */
		0x26, 0x39, 0x35,       /* cmp [es:di], si: the cursor is still there? */
		0x75, 0x03,             /* jne .draw */
		0x26, 0x89, 0x05,       /* mov [es:di], ax: what was there before it */
		0x83, 0xFB, 0xFF,       /* .draw: cmp bx, -1: nothing to draw */
		0x74, 0x0C,             /* je .done */
		0x26, 0x8B, 0x0F,       /* mov cx, [es:bx] */
		X86_PUSH_CX,
		0x21, 0xD1,             /* and cx, dx: the screen mask */
		0x31, 0xE9,             /* xor cx, bp: the cursor mask */
		0x26, 0x89, 0x0F,       /* mov [es:bx], cx */
		X86_POP_CX,             /* .done: CX = the cell before the cursor */
	};
	const uint8_t eoi_start[] = { X86_PUSH_AX, X86_MOV_AL_IMM, PIC_EOI };
	const uint8_t eoi_slave[] = { X86_OUT_IMM_AL, PIC2_COMMAND };
	const uint8_t eoi_end[] = { X86_OUT_IMM_AL, PIC1_COMMAND, X86_POP_AX, X86_IRET };
	const uint8_t iret[] = { X86_IRET }, push_ax[] = { X86_PUSH_AX }, pop_ax[] = { X86_POP_AX };
	bool slave = line >= 8;
	size_t at;

	memset(page, X86_HLT, PAGE_SIZE);
	put(page, put_svc(page, OFF_INT33, SVC_INT33), iret, 1);

	at = put_svc(page, OFF_IRQ, SVC_IRQ);
	at = put(page, at, eoi_start, sizeof(eoi_start));
	if (slave)
		at = put(page, at, eoi_slave, sizeof(eoi_slave));
	put(page, at, eoi_end, sizeof(eoi_end));

	put_svc(page, OFF_RETURN, SVC_RETURN);

	at = put(page, OFF_ACT, push_ax, 1);
	if (slave) {
		at = put_unmask(page, at, PIC2_DATA, (uint8_t)(1u << (line - 8)));
		at = put_unmask(page, at, PIC1_DATA, PIC_CASCADE_BIT);
	} else {
		at = put_unmask(page, at, PIC1_DATA, (uint8_t)(1u << line));
	}
	at = put(page, at, pop_ax, 1);
	at = put(page, at, act_cells, sizeof(act_cells));
	put_svc(page, at, SVC_ACT_DONE);
}

static uint8_t irq_vector(unsigned line)
{
	return (uint8_t)(line < 8 ? PIC1_VECTOR_BASE + line : PIC2_VECTOR_BASE + line - 8);
}

/* ---- the text cursor ---- */

static void irq_continue(struct vmouse *s, struct vdh_regs *regs);

/* Where the text cursor should be now: its segment and offset, or false. */
static bool cursor_cell(struct vmouse *s, uint16_t *segment, uint16_t *offset)
{
	unsigned col, row, cols = s->int33.video.cols ? s->int33.video.cols : 80;
	uint32_t at;

	if (!int33_text_cursor(&s->int33, &col, &row))
		return false;
	at = guest_word(s, BDA_VIDEO_PAGE_START) + (row * cols + col) * 2u;
	if (at + 2 > TEXT_WINDOW)
		return false;
	*segment = s->int33.video.mode == 7 ? MONO_TEXT_SEGMENT : TEXT_SEGMENT;
	*offset = (uint16_t)at;
	return true;
}

/* Whether the drawn cursor differs from where it should be. */
static bool cursor_stale(struct vmouse *s)
{
	uint16_t segment, offset;
	bool want = cursor_cell(s, &segment, &offset);

	if (want != s->drawn)
		return true;
	return want && (segment != s->drawn_segment || offset != s->drawn_offset ||
			int33_text_cursor_cell(&s->int33, s->drawn_saved) != s->drawn_value);
}

/* Sends the guest to act with what it should restore and draw; resume: where after. */
static void act_start(struct vmouse *s, struct vdh_regs *regs)
{
	uint16_t segment = TEXT_SEGMENT, offset = NO_CELL;
	bool want = cursor_cell(s, &segment, &offset);

	s->act_resume = *regs;
	if (!want)
		segment = s->drawn ? s->drawn_segment : TEXT_SEGMENT;
	s->act_segment = segment;
	s->act_offset = want ? offset : NO_CELL;
	/* a cursor drawn in another segment (the mode changed) is gone with the screen */
	regs->edi = s->drawn && s->drawn_segment == segment ? s->drawn_offset : NO_CELL;
	regs->eax = s->drawn_saved;
	regs->esi = s->drawn_value;
	regs->ebx = s->act_offset;
	regs->edx = s->int33.text_screen_mask;
	regs->ebp = s->int33.text_cursor_mask;
	regs->es = segment;
	regs->cs = s->segment;
	regs->eip = OFF_ACT;
}

static void svc_act_done(void *opaque, struct vdh_regs *regs)
{
	struct vmouse *s = opaque;
	uint16_t saved = (uint16_t)regs->ecx;

	s->unmasked = true;
	s->drawn = s->act_offset != NO_CELL;
	if (s->drawn) {
		s->drawn_segment = s->act_segment;
		s->drawn_offset = s->act_offset;
		s->drawn_saved = saved;
		s->drawn_value = int33_text_cursor_cell(&s->int33, saved);
	}
	*regs = s->act_resume;
	if (s->act_then_callback) {
		s->act_then_callback = false;
		irq_continue(s, regs);
	}
}

/* ---- the user handler, through the IRQ ---- */

static bool irq_work(struct vmouse *s)
{
	bool callback = s->pending && s->int33.handler_mask &&
			(s->int33.handler_segment || s->int33.handler_offset);

	return callback || cursor_stale(s);
}

static void raise_irq(struct vmouse *s)
{
	if (!s->installed || s->in_irq || s->in_callback || !s->unmasked || !irq_work(s))
		return;
	/* an edge: the 8259 latches it, and the handler lowers it */
	vdh->set_irq(s->irq, false);
	vdh->set_irq(s->irq, true);
	s->irq_raised = true;
}

/* From irq (or act after it): far-calls the user handler when it has events to hear. */
static void irq_continue(struct vmouse *s, struct vdh_regs *regs)
{
	const struct int33 *d = &s->int33;
	unsigned events = s->pending & d->handler_mask;
	uint32_t sp = (regs->esp - 4) & 0xFFFFu;

	s->in_irq = false;
	s->pending = 0;
	if (!events || !(d->handler_segment || d->handler_offset))
		return;
	if (write_far_pointer(s, vdh_real_linear(regs->ss, (uint16_t)sp), s->segment,
			      OFF_RETURN) < 0) {
		if (!(s->warned & WARN_STACK))
			vdh->log(s->dev, VDH_LOG_WARN, "the guest's stack %04X:%04X is not in RAM: "
				 "user handler not called", regs->ss, sp);
		s->warned |= WARN_STACK;
		return;
	}
	s->irq_saved = *regs;
	s->in_callback = true;
	regs->esp = (regs->esp & 0xFFFF0000u) | sp;
	regs->eax = events;
	regs->ebx = d->buttons;
	regs->ecx = (uint16_t)d->x;
	regs->edx = (uint16_t)d->y;
	regs->esi = (uint16_t)d->mickeys_x;
	regs->edi = (uint16_t)d->mickeys_y;
	regs->ds = s->segment;
	regs->cs = d->handler_segment;
	regs->eip = d->handler_offset;
}

static void svc_irq(void *opaque, struct vdh_regs *regs)
{
	struct vmouse *s = opaque;

	vdh->set_irq(s->irq, false);
	s->irq_raised = false;
	if (s->in_callback)
		return;
	s->in_irq = true;
	if (cursor_stale(s)) {
		s->act_then_callback = true;
		act_start(s, regs);
		return;
	}
	irq_continue(s, regs);
}

static void svc_return(void *opaque, struct vdh_regs *regs)
{
	struct vmouse *s = opaque;

	if (!s->in_callback)
		return;
	*regs = s->irq_saved;
	s->in_callback = false;
	raise_irq(s);
}

/* ---- int 33h ---- */

static void refresh_video(struct vmouse *s)
{
	struct int33_video video;

	bios_video(s, &video);
	int33_set_video(&s->int33, &video);
}

static void script_start(struct vmouse *s);

/* The vector of the line, pointed at irq once the guest could need it. */
static void set_irq_vector(struct vmouse *s)
{
	uint64_t gpa = (uint64_t)irq_vector(s->irq_line) * 4;

	if (s->irq_vector_set && guest_word(s, gpa) == OFF_IRQ &&
	    guest_word(s, gpa + 2) == s->segment)
		return;
	s->irq_vector_set = write_far_pointer(s, gpa, s->segment, OFF_IRQ) == 0;
	s->unmasked = false;
}

static void svc_int33(void *opaque, struct vdh_regs *regs)
{
	struct vmouse *s = opaque;
	unsigned function = regs->eax & 0xFFFFu;
	bool wants_irq;

	refresh_video(s);
	int33_call(&s->int33, regs);
	if (function == 0x00 || function == 0x21) {
		s->pending = 0;
		script_start(s);
	}
	wants_irq = s->int33.handler_mask || s->int33.hidden == 0;
	if (wants_irq)
		set_irq_vector(s);
	if (cursor_stale(s) || (wants_irq && !s->unmasked)) {
		s->act_then_callback = false;
		act_start(s, regs);
	}
}

/* Points int 33h at the page once the BIOS has filled the vector table. */
static void poll_install(void *opaque, uint64_t now_ns)
{
	struct vmouse *s = opaque;
	uint16_t offset = guest_word(s, INT33_VECTOR * 4);
	uint16_t segment = guest_word(s, INT33_VECTOR * 4 + 2);
	bool table_filled = guest_word(s, 0x10 * 4 + 2) != 0; /* int 10h: the BIOS's own */

	if (table_filled && ((segment == 0 && offset == 0) || segment == BIOS_SEGMENT)) {
		if (write_far_pointer(s, INT33_VECTOR * 4, s->segment, OFF_INT33) == 0) {
			s->installed = true;
			return;
		}
	}
	vdh->arm_timer(s->poll_timer, now_ns + POLL_MS * MS);
}

/* ---- the PS/2 mouse ---- */

static void send_to_controller(struct vmouse *s, const uint8_t *bytes, size_t len, bool *full)
{
	int rc = vdh->request_vdd(s->dev, I8042_REQUEST, I8042_AUX_SEND, bytes, len, NULL, NULL);

	*full = rc == -ENOSPC;
	if (*full && !(s->warned & WARN_ENOSPC)) {
		vdh->log(s->dev, VDH_LOG_DEBUG, "the 8042's aux queue is full: the packet waits");
		s->warned |= WARN_ENOSPC;
	}
}

static uint64_t report_period(const struct vmouse *s)
{
	return 1000000000ull / (s->ps2.sample_rate ? s->ps2.sample_rate : 100);
}

/* Sends a stream packet if one is due and the sample period allows, else waits for it. */
static void ps2_report(struct vmouse *s)
{
	uint8_t packet[PS2_MOUSE_PACKET_SIZE];
	uint64_t now = vdh->now_ns(s->dev);
	bool full;

	if (!ps2_mouse_packet(&s->ps2, packet))
		return;
	if (now < s->next_report) {
		vdh->arm_timer(s->report_timer, s->next_report);
		return;
	}
	send_to_controller(s, packet, sizeof(packet), &full);
	s->next_report = now + report_period(s);
	if (full) {
		vdh->arm_timer(s->report_timer, s->next_report);
		return;
	}
	ps2_mouse_packet_sent(&s->ps2, packet);
}

static void report_timer(void *opaque, uint64_t now_ns)
{
	ps2_report(opaque);
}

static int ps2aux_request(void *opaque, uint32_t command, const void *in, size_t in_len,
			  void *out, size_t *out_len)
{
	struct vmouse *s = opaque;
	uint8_t reply[PS2_MOUSE_REPLY_MAX];
	size_t len;
	bool full;

	if (command != PS2AUX_WRITE || in_len != 1)
		return -EINVAL;
	if (out_len)
		*out_len = 0;
	len = ps2_mouse_write(&s->ps2, *(const uint8_t *)in, reply);
	if (len)
		send_to_controller(s, reply, len, &full);
	if (s->ps2.reporting)
		script_start(s);
	ps2_report(s);
	return 0;
}

/* ---- the pointer ---- */

static int clamp_to(int v, unsigned size)
{
	return v < 0 || size == 0 ? 0 : v >= (int)size ? (int)size - 1 : v;
}

/* The pointer at (x, y) on a width x height screen: outside it, at its edge. */
static void pointer(struct vmouse *s, int x, int y, unsigned width, unsigned height,
		    unsigned buttons)
{
	x = clamp_to(x, width);
	y = clamp_to(y, height);
	if (s->pointer_seen)
		ps2_mouse_move(&s->ps2, x - s->last_x, s->last_y - y, buttons);
	else
		ps2_mouse_move(&s->ps2, 0, 0, buttons);
	s->pointer_seen = true;
	s->last_x = x;
	s->last_y = y;
	ps2_report(s);

	if (!s->int33_enabled)
		return;
	refresh_video(s);
	s->pending |= int33_pointer(&s->int33, x, y, width, height, buttons);
	s->pending &= s->int33.handler_mask;
	raise_irq(s);
}

static void display_event(void *opaque, unsigned type, const void *body, size_t len)
{
	const struct vman_event_pointer_screen *p = body;

	if (type != VMAN_EVENT_POINTER_SCREEN || len < sizeof(*p))
		return;
	pointer(opaque, p->x, p->y, p->width, p->height, p->buttons);
}

/* ---- the `moves` script ---- */

static void script_run(struct vmouse *s, uint64_t now)
{
	while (s->next_move < s->move_count) {
		const struct vmouse_move *m = &s->moves[s->next_move];
		struct int33_video video;
		int width, height;

		if (now < s->move_due) {
			vdh->arm_timer(s->script_timer, s->move_due);
			return;
		}
		s->next_move++;
		s->move_due = now + MOVE_GAP_MS * MS;
		switch (m->type) {
		case VMOUSE_MOVE_WAIT:
			s->move_due = now + m->wait_ms * MS;
			continue;
		case VMOUSE_MOVE_AT:
			s->script_x = m->x, s->script_y = m->y;
			break;
		case VMOUSE_MOVE_BY:
			s->script_x += m->x, s->script_y += m->y;
			break;
		case VMOUSE_MOVE_DOWN:
			s->script_buttons |= m->button;
			break;
		case VMOUSE_MOVE_UP:
			s->script_buttons &= ~m->button;
			break;
		}
		bios_video(s, &video);
		int33_screen_size(&video, &width, &height);
		pointer(s, s->script_x, s->script_y, (unsigned)width, (unsigned)height,
			s->script_buttons);
	}
}

static void script_timer(void *opaque, uint64_t now_ns)
{
	script_run(opaque, now_ns);
}

/* The guest is ready for the pointer: the script's first event comes a gap later. */
static void script_start(struct vmouse *s)
{
	uint64_t now;

	if (s->script_started || !s->move_count)
		return;
	s->script_started = true;
	now = vdh->now_ns(s->dev);
	s->move_due = now + MOVE_GAP_MS * MS;
	vdh->arm_timer(s->script_timer, s->move_due);
}

/* ---- lifecycle ---- */

static int vmouse_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int create_int33(struct vmouse *s, struct vdh_dev *dev)
{
	static const uint8_t svcs[] = { SVC_INT33, SVC_IRQ, SVC_RETURN, SVC_ACT_DONE };
	static vdh_svc_fn *const fns[] = { svc_int33, svc_irq, svc_return, svc_act_done };
	int rc;

	s->page = vdh->alloc_pages(dev, PAGE_SIZE);
	if (!s->page)
		return -ENOMEM;
	build_page(s->page, s->irq_line);
	/* the page: the int 33h driver's code, read-only so nothing in the guest changes it */
	rc = vdh->map_memory(dev, (uint64_t)s->segment << 4, PAGE_SIZE, s->page,
			     VDH_MAP_READONLY, &s->mapping);
	for (size_t i = 0; i < sizeof(svcs) && rc == 0; i++)
		rc = vdh->register_svc(dev, svcs[i], fns[i], s);
	if (rc == 0)
		rc = vdh->open_irq(dev, s->irq_line, NULL, NULL, &s->irq);
	if (rc == 0)
		rc = vdh->create_timer(dev, poll_install, s, &s->poll_timer);
	if (rc < 0)
		return rc;
	vdh->arm_timer(s->poll_timer, POLL_MS * MS);
	return 0;
}

static void vmouse_free(struct vmouse *s)
{
	if (s->mapping)
		vdh->unmap(s->mapping);
	if (s->page)
		vdh->free_pages(s->dev, s->page, PAGE_SIZE);
	if (s->poll_timer)
		vdh->destroy_timer(s->poll_timer);
	if (s->report_timer)
		vdh->destroy_timer(s->report_timer);
	if (s->script_timer)
		vdh->destroy_timer(s->script_timer);
	free(s->moves);
	free(s);
}

static int vmouse_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct vmouse *s = calloc(1, sizeof(*s));
	struct int33_video video = { .mode = 3 };
	char err[160];
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	s->segment = (uint16_t)vdh->prop_int(props, "segment");
	s->irq_line = (unsigned)vdh->prop_int(props, "irq");
	s->int33_enabled = vdh->prop_bool(props, "int33");
	rc = vmouse_moves_parse(vdh->prop_string(props, "moves"), &s->moves, &s->move_count, err,
				sizeof(err));
	if (rc < 0) {
		vdh->log(dev, VDH_LOG_ERROR, "moves: %s", err);
		free(s);
		return rc;
	}
	if (s->segment & 0xFF) {
		vdh->log(dev, VDH_LOG_ERROR, "segment %04Xh is not on a 4 KiB page", s->segment);
		vmouse_free(s);
		return -EINVAL;
	}
	ps2_mouse_init(&s->ps2);
	int33_init(&s->int33, &video);

	rc = vdh->create_timer(dev, report_timer, s, &s->report_timer);
	if (rc == 0)
		rc = vdh->create_timer(dev, script_timer, s, &s->script_timer);
	if (rc == 0)
		rc = vdh->register_request(dev, PS2AUX_REQUEST, ps2aux_request, s);
	if (rc == 0 && s->int33_enabled)
		rc = create_int33(s, dev);
	if (rc == 0) {
		/* without a display (-ENODEV) only the script moves the pointer */
		rc = vdh->display_set_event_handler(dev, display_event, s);
		if (rc == -ENODEV)
			rc = 0;
	}
	if (rc < 0) {
		/* the VMM drops the hooks, mapping, pages and line of a VDD whose create() fails */
		vmouse_free(s);
		return rc;
	}
	*instance = s;
	return 0;
}

static void vmouse_terminate(void *instance)
{
	vmouse_free(instance);
}

static const struct vdh_prop_spec vmouse_props[] = {
	{ "moves", VDH_PROP_STRING, "", 0, 0,
	  "pointer events to script once the guest is ready: {at:X,Y} {by:DX,DY} "
	  "{down:left} {up:right} {click:middle} {wait:MS}" },
	{ "int33", VDH_PROP_BOOL, "on", 0, 0, "provide the int 33h mouse driver" },
	{ "irq", VDH_PROP_INT, "5", 3, 15,
	  "the IRQ line the int 33h driver calls its user handler and draws its cursor by" },
	{ "segment", VDH_PROP_INT, "0xCF00", 0xC000, 0xDF00,
	  "the upper-memory segment of the int 33h driver's 4 KiB of code" },
	{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "vmouse",
	.description = "PS/2 mouse on the 8042's aux port and an int 33h driver, fed by the "
		       "host pointer",
	.props = vmouse_props,
	.init = vmouse_init,
	.create = vmouse_create,
	.terminate = vmouse_terminate,
};
