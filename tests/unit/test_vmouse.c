/* test_vmouse.c: the PS/2 mouse, the int 33h driver's logic, the moves parser, and the vmouse VDD through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../vman/vman.h"
#include "i8042_aux.h"
#include "int33.h"
#include "ps2_mouse.h"
#include "vdh_mock.h"
#include "vmouse_moves.h"

extern const struct vdd_module vdd_module;

#define MS 1000000ull

/* ---- the PS/2 mouse ---- */

static size_t send(struct ps2_mouse *m, uint8_t byte, uint8_t reply[PS2_MOUSE_REPLY_MAX])
{
	return ps2_mouse_write(m, byte, reply);
}

static void ps2_reset_answers_ack_bat_id(void **state)
{
	struct ps2_mouse m;
	uint8_t r[PS2_MOUSE_REPLY_MAX];

	ps2_mouse_init(&m);
	assert_int_equal(send(&m, 0xFF, r), 3);
	assert_int_equal(r[0], 0xFA);
	assert_int_equal(r[1], 0xAA);
	assert_int_equal(r[2], 0x00);
	assert_int_equal(send(&m, 0xF2, r), 2); /* ID: a standard mouse */
	assert_int_equal(r[0], 0xFA);
	assert_int_equal(r[1], 0x00);
	assert_int_equal(send(&m, 0x12, r), 1); /* not a command */
	assert_int_equal(r[0], 0xFE);
}

static void ps2_status_sample_rate_resolution(void **state)
{
	struct ps2_mouse m;
	uint8_t r[PS2_MOUSE_REPLY_MAX];

	ps2_mouse_init(&m);
	assert_int_equal(send(&m, 0xE9, r), 4); /* defaults: stream, off, 1:1, 4/mm, 100/s */
	assert_memory_equal(r, ((uint8_t[]){ 0xFA, 0x00, 0x02, 100 }), 4);
	assert_int_equal(send(&m, 0xF3, r), 1);
	assert_int_equal(r[0], 0xFA);
	assert_int_equal(send(&m, 40, r), 1);
	assert_int_equal(r[0], 0xFA);
	send(&m, 0xF3, r);
	assert_int_equal(send(&m, 55, r), 1); /* not a rate a mouse knows */
	assert_int_equal(r[0], 0xFE);
	send(&m, 0xE8, r);
	send(&m, 3, r);
	send(&m, 0xE7, r);
	send(&m, 0xF4, r);
	ps2_mouse_move(&m, 0, 0, PS2_MOUSE_LEFT | PS2_MOUSE_RIGHT);
	assert_int_equal(send(&m, 0xE9, r), 4);
	assert_memory_equal(r, ((uint8_t[]){ 0xFA, 0x20 | 0x10 | 0x04 | 0x01, 3, 40 }), 4);
	assert_int_equal(send(&m, 0xF6, r), 1); /* defaults, reporting off */
	send(&m, 0xE9, r);
	assert_memory_equal(r, ((uint8_t[]){ 0xFA, 0x05, 0x02, 100 }), 4);
	/* resend repeats the last answer */
	assert_int_equal(send(&m, 0xFE, r), 4);
	assert_memory_equal(r, ((uint8_t[]){ 0xFA, 0x05, 0x02, 100 }), 4);
}

static void ps2_packets_sign_overflow_scaling(void **state)
{
	struct ps2_mouse m;
	uint8_t r[PS2_MOUSE_REPLY_MAX], p[3];

	ps2_mouse_init(&m);
	ps2_mouse_move(&m, 5, 5, 0);
	assert_false(ps2_mouse_packet(&m, p)); /* reporting off */
	send(&m, 0xF4, r);
	assert_false(ps2_mouse_packet(&m, p)); /* F4h cleared the counters */
	ps2_mouse_move(&m, -3, 7, PS2_MOUSE_MIDDLE);
	assert_true(ps2_mouse_packet(&m, p));
	assert_memory_equal(p, ((uint8_t[]){ 0x08 | 0x10 | 0x04, 0xFD, 7 }), 3);
	ps2_mouse_move(&m, 0, -2, PS2_MOUSE_MIDDLE); /* not sent yet: adds up */
	assert_true(ps2_mouse_packet(&m, p));
	assert_memory_equal(p, ((uint8_t[]){ 0x08 | 0x10 | 0x04, 0xFD, 5 }), 3);
	ps2_mouse_packet_sent(&m, p);
	assert_false(ps2_mouse_packet(&m, p));
	ps2_mouse_move(&m, 300, -400, 0); /* beyond 9 bits: saturated, overflow */
	assert_true(ps2_mouse_packet(&m, p));
	assert_memory_equal(p, ((uint8_t[]){ 0x08 | 0x20 | 0x40 | 0x80, 0xFF, 0x00 }), 3);
	ps2_mouse_packet_sent(&m, p);
	send(&m, 0xE7, r); /* 2:1: 3 -> 3, 4 -> 6, -5 -> -9, 10 -> 20 */
	ps2_mouse_move(&m, 4, -5, 0);
	assert_true(ps2_mouse_packet(&m, p));
	assert_memory_equal(p, ((uint8_t[]){ 0x08 | 0x20, 6, (uint8_t)-9 }), 3);
	ps2_mouse_packet_sent(&m, p);
	send(&m, 0xF0, r); /* remote: data only on EBh, unscaled */
	ps2_mouse_move(&m, 10, 0, PS2_MOUSE_LEFT);
	assert_false(ps2_mouse_packet(&m, p));
	assert_int_equal(send(&m, 0xEB, r), 4);
	assert_memory_equal(r, ((uint8_t[]){ 0xFA, 0x09, 10, 0 }), 4);
}

static void ps2_wrap_mode_echoes(void **state)
{
	struct ps2_mouse m;
	uint8_t r[PS2_MOUSE_REPLY_MAX];

	ps2_mouse_init(&m);
	send(&m, 0xEE, r);
	assert_int_equal(send(&m, 0xF2, r), 1);
	assert_int_equal(r[0], 0xF2);
	assert_int_equal(send(&m, 0xEC, r), 1);
	assert_int_equal(r[0], 0xFA);
	assert_int_equal(send(&m, 0xF2, r), 2);
}

/* ---- the int 33h driver ---- */

static struct vdh_regs call(struct int33 *d, uint16_t ax, uint16_t bx, uint16_t cx, uint16_t dx)
{
	struct vdh_regs r = { .eax = ax, .ebx = bx, .ecx = cx, .edx = dx };

	int33_call(d, &r);
	return r;
}

static const struct int33_video text80 = { 3, 80, 25, 16 };
static const struct int33_video vga13 = { 0x13, 40, 25, 8 };

static void int33_reset_and_version(void **state)
{
	struct int33 d;
	struct vdh_regs r;

	int33_init(&d, &text80);
	r = call(&d, 0, 0, 0, 0);
	assert_int_equal(r.eax, 0xFFFF);
	assert_int_equal(r.ebx, 3);
	r = call(&d, 3, 0, 0, 0); /* the centre, on a cell */
	assert_int_equal(r.ecx, 320);
	assert_int_equal(r.edx, 96);
	r = call(&d, 0x24, 0, 0, 0);
	assert_int_equal(r.ebx, 0x0800);
	assert_int_equal(r.ecx, 0x040C);
}

static void int33_text_and_13h_coordinates(void **state)
{
	struct int33 d;
	struct vdh_regs r;
	unsigned col, row;
	int w, h;

	int33_init(&d, &text80);
	int33_screen_size(&text80, &w, &h);
	assert_int_equal(w, 720);
	assert_int_equal(h, 400);
	int33_pointer(&d, 719, 399, 720, 400, 0); /* the last pixel: cell (79, 24) */
	r = call(&d, 3, 0, 0, 0);
	assert_int_equal(r.ecx, 632);
	assert_int_equal(r.edx, 192);
	assert_false(int33_text_cursor(&d, &col, &row)); /* hidden after a reset */
	call(&d, 1, 0, 0, 0);
	assert_true(int33_text_cursor(&d, &col, &row));
	assert_int_equal(col, 79);
	assert_int_equal(row, 24);
	assert_int_equal(int33_text_cursor_cell(&d, 0x0741), 0x7041);
	int33_pointer(&d, -50, 5000, 720, 400, 0); /* outside: the edge */
	r = call(&d, 3, 0, 0, 0);
	assert_int_equal(r.ecx, 0);
	assert_int_equal(r.edx, 192);

	int33_set_video(&d, &vga13); /* 320x200: x doubled */
	int33_screen_size(&vga13, &w, &h);
	assert_int_equal(w, 320);
	int33_pointer(&d, 101, 57, 320, 200, 0);
	r = call(&d, 3, 0, 0, 0);
	assert_int_equal(r.ecx, 202);
	assert_int_equal(r.edx, 57);
	assert_false(int33_text_cursor(&d, &col, &row));
}

static void int33_ranges_clamp(void **state)
{
	struct int33 d;
	struct vdh_regs r;

	int33_init(&d, &vga13);
	call(&d, 7, 0, 300, 100); /* either order */
	call(&d, 8, 0, 20, 50);
	call(&d, 4, 0, 10, 199);
	r = call(&d, 3, 0, 0, 0);
	assert_int_equal(r.ecx, 100);
	assert_int_equal(r.edx, 50);
	int33_pointer(&d, 319, 0, 320, 200, 0);
	r = call(&d, 3, 0, 0, 0);
	assert_int_equal(r.ecx, 300);
	assert_int_equal(r.edx, 20);
}

static void int33_press_counts_and_events(void **state)
{
	struct int33 d;
	struct vdh_regs r;

	int33_init(&d, &vga13);
	assert_int_equal(int33_pointer(&d, 10, 10, 320, 200, 0), 0); /* the first: no motion */
	assert_int_equal(int33_pointer(&d, 10, 10, 320, 200, INT33_LEFT), INT33_EV_LEFT_DOWN);
	assert_int_equal(int33_pointer(&d, 20, 10, 320, 200, INT33_RIGHT),
			 INT33_EV_MOVED | INT33_EV_LEFT_UP | INT33_EV_RIGHT_DOWN);
	int33_pointer(&d, 20, 10, 320, 200, 0);
	int33_pointer(&d, 20, 10, 320, 200, INT33_LEFT | INT33_MIDDLE);
	r = call(&d, 5, 0, 0, 0); /* left: two presses, the last at (40, 10) */
	assert_int_equal(r.eax, INT33_LEFT | INT33_MIDDLE);
	assert_int_equal(r.ebx, 2);
	assert_int_equal(r.ecx, 40);
	assert_int_equal(r.edx, 10);
	r = call(&d, 5, 0, 0, 0); /* read: cleared */
	assert_int_equal(r.ebx, 0);
	r = call(&d, 6, 1, 0, 0); /* right: one release at (40, 10) */
	assert_int_equal(r.ebx, 1);
	assert_int_equal(r.ecx, 40);
	r = call(&d, 5, 2, 0, 0);
	assert_int_equal(r.ebx, 1);
}

static void int33_mickeys(void **state)
{
	struct int33 d;
	struct vdh_regs r;

	int33_init(&d, &text80);
	int33_pointer(&d, 0, 0, 640, 200, 0);
	int33_pointer(&d, 16, 4, 640, 200, 0); /* 8:8 and 16:8 mickeys per pixel */
	r = call(&d, 0x0B, 0, 0, 0);
	assert_int_equal(r.ecx, 16);
	assert_int_equal(r.edx, 8);
	r = call(&d, 0x0B, 0, 0, 0);
	assert_int_equal(r.ecx, 0);
	call(&d, 0x0F, 0, 4, 32); /* 4 and 32 per 8 pixels; thirds of mickeys carry over */
	int33_pointer(&d, 13, 5, 640, 200, 0);
	int33_pointer(&d, 10, 5, 640, 200, 0);
	r = call(&d, 0x0B, 0, 0, 0);
	assert_int_equal((int16_t)r.ecx, -3);
	assert_int_equal(r.edx, 4);
}

static void int33_handler_swap(void **state)
{
	struct int33 d;
	struct vdh_regs r = { .eax = 0x0C, .ecx = 0x0A, .edx = 0x1234, .es = 0x5678 };

	int33_init(&d, &text80);
	int33_call(&d, &r);
	r = (struct vdh_regs){ .eax = 0x14, .ecx = 0x01, .edx = 0x1111, .es = 0x2222 };
	int33_call(&d, &r);
	assert_int_equal(r.ecx, 0x0A);
	assert_int_equal(r.edx, 0x1234);
	assert_int_equal(r.es, 0x5678);
	assert_int_equal(d.handler_mask, 1);
	call(&d, 0, 0, 0, 0);
	assert_int_equal(d.handler_mask, 0);
}

/* ---- the moves parser ---- */

static void moves_parse(void **state)
{
	struct vmouse_move *m = NULL;
	size_t n = 0;
	char err[160];

	assert_int_equal(vmouse_moves_parse("{at:10,-20} {by:3,4}{click:Right}{wait:50}",
					    &m, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 5);
	assert_int_equal(m[0].type, VMOUSE_MOVE_AT);
	assert_int_equal(m[0].y, -20);
	assert_int_equal(m[1].type, VMOUSE_MOVE_BY);
	assert_int_equal(m[2].type, VMOUSE_MOVE_DOWN);
	assert_int_equal(m[2].button, VMOUSE_BUTTON_RIGHT);
	assert_int_equal(m[3].type, VMOUSE_MOVE_UP);
	assert_int_equal(m[4].wait_ms, 50);
	free(m);
	assert_int_equal(vmouse_moves_parse("{at:1,2}{down:thumb}", &m, &n, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "column 15"));
	assert_int_equal(vmouse_moves_parse("{at:1}", &m, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "column 5"));
	assert_int_equal(vmouse_moves_parse("{wait:1", &m, &n, err, sizeof(err)), -EINVAL);
	assert_int_equal(vmouse_moves_parse("x", &m, &n, err, sizeof(err)), -EINVAL);
	assert_int_equal(vmouse_moves_parse("{jump:1}", &m, &n, err, sizeof(err)), -EINVAL);
	assert_int_equal(vmouse_moves_parse("", &m, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
}

/* ---- the VDD: the aux port through a stand-in 8042 ---- */

static uint8_t sent[256];
static size_t sent_len;

static int fake_i8042(void *opaque, uint32_t command, const void *in, size_t in_len, void *out,
		      size_t *out_len)
{
	assert_int_equal(command, I8042_AUX_SEND);
	memcpy(sent + sent_len, in, in_len);
	sent_len += in_len;
	return 0;
}

static void write_aux(struct mock_vm *vm, uint8_t byte)
{
	assert_int_equal(mock_request_vdd(vm, PS2AUX_REQUEST, PS2AUX_WRITE, &byte, 1, NULL, NULL),
			 0);
}

static void vdd_aux_answers_and_streams(void **state)
{
	struct mock_vm *vm = mock_vm_create();
	struct vman_event_pointer_screen p = { 100, 100, 720, 400, 0, 0 };

	sent_len = 0;
	assert_int_equal(mock_add_request(vm, I8042_REQUEST, fake_i8042, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), 0);
	write_aux(vm, 0xFF);
	assert_int_equal(sent_len, 3);
	assert_memory_equal(sent, ((uint8_t[]){ 0xFA, 0xAA, 0x00 }), 3);
	write_aux(vm, 0xF4);
	assert_int_equal(sent_len, 4);
	mock_display_event(vm, VMAN_EVENT_POINTER_SCREEN, &p, sizeof(p));
	p.x = 110, p.y = 90, p.buttons = 1; /* right 10, up 10, left down */
	mock_display_event(vm, VMAN_EVENT_POINTER_SCREEN, &p, sizeof(p));
	assert_int_equal(sent_len, 7);
	assert_memory_equal(sent + 4, ((uint8_t[]){ 0x09, 10, 10 }), 3);
	p.x = 100; /* within the sample period: waits */
	mock_display_event(vm, VMAN_EVENT_POINTER_SCREEN, &p, sizeof(p));
	assert_int_equal(sent_len, 7);
	mock_advance(vm, 10 * MS);
	assert_int_equal(sent_len, 10);
	assert_memory_equal(sent + 7, ((uint8_t[]){ 0x19, 0xF6, 0 }), 3);
	mock_vm_destroy(vm);
}

static void vdd_bad_moves_refused(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_int_equal(mock_vm_attach(vm, &vdd_module, "moves={at:1,2"), -EINVAL);
	mock_vm_destroy(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ps2_reset_answers_ack_bat_id),
		cmocka_unit_test(ps2_status_sample_rate_resolution),
		cmocka_unit_test(ps2_packets_sign_overflow_scaling),
		cmocka_unit_test(ps2_wrap_mode_echoes),
		cmocka_unit_test(int33_reset_and_version),
		cmocka_unit_test(int33_text_and_13h_coordinates),
		cmocka_unit_test(int33_ranges_clamp),
		cmocka_unit_test(int33_press_counts_and_events),
		cmocka_unit_test(int33_mickeys),
		cmocka_unit_test(int33_handler_swap),
		cmocka_unit_test(moves_parse),
		cmocka_unit_test(vdd_aux_answers_and_streams),
		cmocka_unit_test(vdd_bad_moves_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
