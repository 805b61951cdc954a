/* test_kbd.c: the 8042 keyboard controller, keyboard, aux port, port 92h, typed and host keys, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "i8042_aux.h"
#include "kbd_keys.h"
#include "kbd_set1.h"
#include "protocol.h"
#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define DATA 0x60
#define COMMAND 0x64
#define PORT_A 0x92
#define MS 1000000ull

#define ST_OBF 0x01
#define ST_SYS 0x04
#define ST_A2 0x08
#define ST_INH 0x10
#define ST_AUXB 0x20

#define CB_INT 0x01
#define CB_INT2 0x02
#define CB_SYS 0x04
#define CB_DISABLE_KBD 0x10
#define CB_DISABLE_AUX 0x20
#define CB_XLAT 0x40

/* ---- the parser ---- */

#define DN(p, c) { KBD_EVENT_DOWN, p, c, false, 0 }
#define UP(p, c) { KBD_EVENT_UP, p, c, false, 0 }
#define DNJ(p, c) { KBD_EVENT_DOWN, p, c, true, 0 }
#define UPJ(p, c) { KBD_EVENT_UP, p, c, true, 0 }
#define WAIT(ms) { KBD_EVENT_WAIT, 0, 0, false, ms }
#define E0 KBD_PREFIX_E0
#define E1 KBD_PREFIX_E1

static void assert_parses_(const char *text, const struct kbd_event *want, size_t n)
{
	struct kbd_event *got = NULL;
	size_t count = 99;
	char err[160] = "";

	if (kbd_keys_parse(text, &got, &count, err, sizeof(err)) != 0)
		fail_msg("'%s' did not parse: %s", text, err);
	if (count != n)
		fail_msg("'%s': %zu events, want %zu", text, count, n);
	for (size_t i = 0; i < n; i++) {
		if (got[i].type != want[i].type || got[i].prefix != want[i].prefix ||
		    got[i].code != want[i].code || got[i].joined != want[i].joined ||
		    got[i].wait_ms != want[i].wait_ms)
			fail_msg("'%s' event %zu: type %d prefix %02X code %02X joined %d wait %u, "
				 "want type %d prefix %02X code %02X joined %d wait %u", text, i,
				 got[i].type, got[i].prefix, got[i].code, got[i].joined,
				 got[i].wait_ms, want[i].type, want[i].prefix, want[i].code,
				 want[i].joined, want[i].wait_ms);
	}
	free(got);
}

#define assert_parses(text, ...)                                                    \
	do {                                                                        \
		static const struct kbd_event want_[] = { __VA_ARGS__ };            \
		assert_parses_(text, want_, sizeof(want_) / sizeof(want_[0]));      \
	} while (0)

static void assert_parse_error(const char *text, const char *message)
{
	struct kbd_event *got = NULL;
	size_t count = 0;
	char err[160] = "";

	assert_int_equal(kbd_keys_parse(text, &got, &count, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, message);
}

static void test_parse_empty_text_types_nothing(void **state)
{
	struct kbd_event *got = NULL;
	size_t count = 99;
	char err[16];

	assert_int_equal(kbd_keys_parse("", &got, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 0);
	free(got);
}

/* Set 2 make codes of the US layout: a 1Ch, z 1Ah, 1 16h, 0 45h, space 29h, / 4Ah. */
static void test_parse_plain_characters_press_and_release_their_keys(void **state)
{
	assert_parses("az1 0/", DN(0, 0x1C), UP(0, 0x1C), DN(0, 0x1A), UP(0, 0x1A), DN(0, 0x16),
		      UP(0, 0x16), DN(0, 0x29), UP(0, 0x29), DN(0, 0x45), UP(0, 0x45),
		      DN(0, 0x4A), UP(0, 0x4A));
	assert_parses("`-=[]\\;',.", DN(0, 0x0E), UP(0, 0x0E), DN(0, 0x4E), UP(0, 0x4E),
		      DN(0, 0x55), UP(0, 0x55), DN(0, 0x54), UP(0, 0x54), DN(0, 0x5B),
		      UP(0, 0x5B), DN(0, 0x5D), UP(0, 0x5D), DN(0, 0x4C), UP(0, 0x4C),
		      DN(0, 0x52), UP(0, 0x52), DN(0, 0x41), UP(0, 0x41), DN(0, 0x49),
		      UP(0, 0x49));
}

/* Capitals and shifted symbols hold the left Shift (12h) around their key. */
static void test_parse_capitals_and_shifted_symbols_hold_left_shift(void **state)
{
	assert_parses("Q!", DN(0, 0x12), DN(0, 0x15), UP(0, 0x15), UP(0, 0x12), DN(0, 0x12),
		      DN(0, 0x16), UP(0, 0x16), UP(0, 0x12));
	assert_parses("~@#$%^&*()_+:\"<>?|",
		      DN(0, 0x12), DN(0, 0x0E), UP(0, 0x0E), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x1E), UP(0, 0x1E), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x26), UP(0, 0x26), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x25), UP(0, 0x25), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x2E), UP(0, 0x2E), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x36), UP(0, 0x36), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x3D), UP(0, 0x3D), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x3E), UP(0, 0x3E), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x46), UP(0, 0x46), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x45), UP(0, 0x45), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x4E), UP(0, 0x4E), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x55), UP(0, 0x55), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x4C), UP(0, 0x4C), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x52), UP(0, 0x52), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x41), UP(0, 0x41), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x49), UP(0, 0x49), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x4A), UP(0, 0x4A), UP(0, 0x12),
		      DN(0, 0x12), DN(0, 0x5D), UP(0, 0x5D), UP(0, 0x12));
}

/* Each special key's set-2 code; the 101-key keyboard's added keys carry E0. */
static void test_parse_each_special_key(void **state)
{
	static const struct {
		const char *text;
		uint8_t prefix, code;
	} keys[] = {
		{ "{enter}", 0, 0x5A },     { "{esc}", 0, 0x76 },       { "{tab}", 0, 0x0D },
		{ "{backspace}", 0, 0x66 }, { "{space}", 0, 0x29 },     { "{up}", E0, 0x75 },
		{ "{down}", E0, 0x72 },     { "{left}", E0, 0x6B },     { "{right}", E0, 0x74 },
		{ "{home}", E0, 0x6C },     { "{end}", E0, 0x69 },      { "{pgup}", E0, 0x7D },
		{ "{pgdn}", E0, 0x7A },     { "{ins}", E0, 0x70 },      { "{del}", E0, 0x71 },
		{ "{f1}", 0, 0x05 },        { "{f2}", 0, 0x06 },        { "{f3}", 0, 0x04 },
		{ "{f4}", 0, 0x0C },        { "{f5}", 0, 0x03 },        { "{f6}", 0, 0x0B },
		{ "{f7}", 0, 0x83 },        { "{f8}", 0, 0x0A },        { "{f9}", 0, 0x01 },
		{ "{f10}", 0, 0x09 },       { "{f11}", 0, 0x78 },       { "{f12}", 0, 0x07 },
		{ "{capslock}", 0, 0x58 },  { "{numlock}", 0, 0x77 },   { "{scrolllock}", 0, 0x7E },
		{ "{ctrl}", 0, 0x14 },      { "{alt}", 0, 0x11 },       { "{shift}", 0, 0x12 },
		{ "{ENTER}", 0, 0x5A },     { "{PgDn}", E0, 0x7A },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct kbd_event want[] = { DN(keys[i].prefix, keys[i].code),
					    UP(keys[i].prefix, keys[i].code) };
		assert_parses_(keys[i].text, want, 2);
	}
}

/* Modifiers go down Ctrl (14h), Alt (11h), Shift (12h) and come up the other way round. */
static void test_parse_combinations_hold_modifiers_around_the_key(void **state)
{
	assert_parses("{ctrl+c}", DN(0, 0x14), DN(0, 0x21), UP(0, 0x21), UP(0, 0x14));
	assert_parses("{alt+home}", DN(0, 0x11), DN(E0, 0x6C), UP(E0, 0x6C), UP(0, 0x11));
	assert_parses("{shift+f1}", DN(0, 0x12), DN(0, 0x05), UP(0, 0x05), UP(0, 0x12));
	assert_parses("{ctrl+alt+del}", DN(0, 0x14), DN(0, 0x11), DN(E0, 0x71), UP(E0, 0x71),
		      UP(0, 0x11), UP(0, 0x14));
	/* the order written does not matter */
	assert_parses("{alt+ctrl+del}", DN(0, 0x14), DN(0, 0x11), DN(E0, 0x71), UP(E0, 0x71),
		      UP(0, 0x11), UP(0, 0x14));
	/* a character key brings its own Shift, once */
	assert_parses("{ctrl+C}", DN(0, 0x14), DN(0, 0x12), DN(0, 0x21), UP(0, 0x21),
		      UP(0, 0x12), UP(0, 0x14));
	assert_parses("{shift+A}", DN(0, 0x12), DN(0, 0x1C), UP(0, 0x1C), UP(0, 0x12));
	assert_parses("{ctrl++}", DN(0, 0x14), DN(0, 0x12), DN(0, 0x55), UP(0, 0x55),
		      UP(0, 0x12), UP(0, 0x14));
	assert_parses("{ctrl+{}", DN(0, 0x14), DN(0, 0x12), DN(0, 0x54), UP(0, 0x54),
		      UP(0, 0x12), UP(0, 0x14));
	assert_parses("{CTRL+Shift+x}", DN(0, 0x14), DN(0, 0x12), DN(0, 0x22), UP(0, 0x22),
		      UP(0, 0x12), UP(0, 0x14));
}

/*
 * Print Screen: E0 12 E0 7C (a fake Shift and the key) on press, the reverse on release;
 * with Ctrl or Shift only E0 7C; with Alt it is SysRq, 84h. Pause: E1 14 77 E1 F0 14 F0 77,
 * all on the press; with Ctrl it is Break, E0 7E E0 F0 7E.
 */
static void test_parse_printscreen_and_pause_send_their_special_sequences(void **state)
{
	assert_parses("{printscreen}", DN(E0, 0x12), DNJ(E0, 0x7C), UP(E0, 0x7C), UPJ(E0, 0x12));
	assert_parses("{shift+printscreen}", DN(0, 0x12), DN(E0, 0x7C), UP(E0, 0x7C),
		      UP(0, 0x12));
	assert_parses("{ctrl+printscreen}", DN(0, 0x14), DN(E0, 0x7C), UP(E0, 0x7C),
		      UP(0, 0x14));
	assert_parses("{alt+printscreen}", DN(0, 0x11), DN(0, 0x84), UP(0, 0x84), UP(0, 0x11));
	assert_parses("{pause}", DN(E1, 0x14), DNJ(0, 0x77), UPJ(E1, 0x14), UPJ(0, 0x77));
	assert_parses("{ctrl+pause}", DN(0, 0x14), DN(E0, 0x7E), UPJ(E0, 0x7E), UP(0, 0x14));
}

static void test_parse_waits(void **state)
{
	assert_parses("a{wait:250}b", DN(0, 0x1C), UP(0, 0x1C), WAIT(250), DN(0, 0x32),
		      UP(0, 0x32));
	assert_parses("{wait:0}{WAIT:3600000}", WAIT(0), WAIT(3600000));
}

static void test_parse_doubled_braces_are_literal_braces(void **state)
{
	assert_parses("{{}}", DN(0, 0x12), DN(0, 0x54), UP(0, 0x54), UP(0, 0x12), DN(0, 0x12),
		      DN(0, 0x5B), UP(0, 0x5B), UP(0, 0x12));
	assert_parses("{{{enter}", DN(0, 0x12), DN(0, 0x54), UP(0, 0x54), UP(0, 0x12),
		      DN(0, 0x5A), UP(0, 0x5A));
}

static void test_parse_errors_quote_the_column(void **state)
{
	assert_parse_error("abc{entr}", "unknown key 'entr' at column 5");
	assert_parse_error("{enter", "'{' at column 1 is not closed");
	assert_parse_error("{ctrl+a", "'{' at column 1 is not closed");
	assert_parse_error("ab}", "'}' at column 3 closes nothing (type }} for a '}')");
	assert_parse_error("x{}", "missing key name at column 3");
	assert_parse_error("{ctrl+}", "missing key name at column 7");
	assert_parse_error("{del+a}", "'del' at column 2 is not a modifier (ctrl, alt, shift)");
	assert_parse_error("{win+a}", "'win' at column 2 is not a modifier (ctrl, alt, shift)");
	assert_parse_error("{ctrl+alt+ctrl+a}", "modifier 'ctrl' given twice, at column 11");
	assert_parse_error("{wait:}",
			   "bad wait 'wait:' at column 2 (want wait:N, N from 0 to 3600000 ms)");
	assert_parse_error("{wait:1s}",
			   "bad wait 'wait:1s' at column 2 (want wait:N, N from 0 to 3600000 ms)");
	assert_parse_error("{wait:3600001}", "bad wait 'wait:3600001' at column 2 (want wait:N, "
			   "N from 0 to 3600000 ms)");
	assert_parse_error("{wait:99999999999999999999}",
			   "bad wait 'wait:99999999999999999999' at column 2 (want wait:N, N "
			   "from 0 to 3600000 ms)");
	assert_parse_error("{ctrl+wait:5}", "a wait cannot take modifiers, at column 7");
	assert_parse_error("a\tb", "character 0x09 at column 2 is not printable ASCII (type "
			   "special keys as {name})");
	assert_parse_error("\xc3\xa9", "character 0xC3 at column 1 is not printable ASCII (type "
			   "special keys as {name})");
}

/* ---- the controller ---- */

static struct mock_vm *new_vm(const char *props)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), 0);
	return vm;
}

static int setup(void **state)
{
	*state = new_vm(NULL);
	return 0;
}

static int teardown(void **state)
{
	mock_vm_destroy(*state);
	return 0;
}

static uint8_t status(struct mock_vm *vm)
{
	return mock_inb(vm, COMMAND);
}

/* The next byte of the output buffer, which must be full. */
static uint8_t next_byte(struct mock_vm *vm)
{
	assert_true(status(vm) & ST_OBF);
	return mock_inb(vm, DATA);
}

static void assert_empty(struct mock_vm *vm)
{
	assert_false(status(vm) & ST_OBF);
}

static uint8_t command_byte(struct mock_vm *vm)
{
	mock_outb(vm, COMMAND, 0x20);
	return next_byte(vm);
}

static void set_command_byte(struct mock_vm *vm, uint8_t value)
{
	mock_outb(vm, COMMAND, 0x60);
	mock_outb(vm, DATA, value);
}

/* A command to the controller that answers one byte. */
static uint8_t controller(struct mock_vm *vm, uint8_t command)
{
	mock_outb(vm, COMMAND, command);
	return next_byte(vm);
}

/* Bytes the guest reads one after the other, and then nothing. */
static void assert_bytes_(struct mock_vm *vm, const uint8_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t st = status(vm);
		uint8_t got;

		if (!(st & ST_OBF))
			fail_msg("byte %zu: output buffer empty, want %02X", i, want[i]);
		got = mock_inb(vm, DATA);
		if (got != want[i])
			fail_msg("byte %zu: %02X, want %02X", i, got, want[i]);
	}
	assert_empty(vm);
}

#define assert_bytes(vm, ...)                                                       \
	do {                                                                        \
		const uint8_t want_[] = { __VA_ARGS__ };                            \
		assert_bytes_(vm, want_, sizeof(want_));                            \
	} while (0)

static void test_create_claims_60_64_92_and_irq1_and_turns_a20_on(void **state)
{
	struct mock_vm *vm = *state;

	assert_true(mock_port_claimed(vm, DATA));
	assert_true(mock_port_claimed(vm, COMMAND));
	assert_true(mock_port_claimed(vm, PORT_A));
	for (uint16_t port = 0x61; port <= 0x63; port++)
		assert_false(mock_port_claimed(vm, port));
	assert_true(mock_irq_opened(vm, 1));
	assert_true(mock_irq_opened(vm, 12));
	/* A20 on at power-on, as the output port's bit 1 is */
	assert_true(mock_a20(vm));
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
}

static void test_create_fails_with_einval_on_bad_keys(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, "keys=abc{entr}"), -EINVAL);
	mock_vm_destroy(vm);
}

/* Power-on: nothing to read, SYS clear (a cold boot), keyboard not inhibited. */
static void test_power_on_status_and_command_byte(void **state)
{
	struct mock_vm *vm = *state;

	assert_int_equal(status(vm), ST_INH);
	mock_outb(vm, COMMAND, 0x20);
	/* A2: the last write was a command */
	assert_int_equal(status(vm), ST_INH | ST_A2 | ST_OBF);
	/* INT, aux disabled, XLAT */
	assert_int_equal(mock_inb(vm, DATA), 0x61);
	assert_int_equal(status(vm), ST_INH | ST_A2);
}

static void test_command_byte_write_sets_sys_flag_and_clears_a2(void **state)
{
	struct mock_vm *vm = *state;

	set_command_byte(vm, 0x45);
	assert_int_equal(status(vm), ST_INH | ST_SYS);
	assert_int_equal(command_byte(vm), 0x45);
	set_command_byte(vm, 0x41);
	assert_int_equal(status(vm) & ST_SYS, 0);
}

/* 21h-3Fh and 61h-7Fh reach the rest of the controller's 32 bytes of RAM. */
static void test_controller_ram_reads_back(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, COMMAND, 0x7F);
	mock_outb(vm, DATA, 0x5A);
	mock_outb(vm, COMMAND, 0x65);
	mock_outb(vm, DATA, 0xA5);
	assert_int_equal(controller(vm, 0x3F), 0x5A);
	assert_int_equal(controller(vm, 0x25), 0xA5);
	assert_int_equal(controller(vm, 0x20), 0x61);
}

static void test_self_test_and_interface_tests(void **state)
{
	struct mock_vm *vm = *state;

	assert_int_equal(controller(vm, 0xAA), 0x55);
	assert_int_equal(controller(vm, 0xAB), 0x00);
	assert_int_equal(controller(vm, 0xA9), 0x00);
}

/* ADh/AEh and A7h/A8h are the command byte's bits 4 and 5. */
static void test_disable_enable_commands_flip_command_byte_bits(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, COMMAND, 0xAD);
	assert_int_equal(command_byte(vm), 0x61 | CB_DISABLE_KBD);
	mock_outb(vm, COMMAND, 0xAE);
	assert_int_equal(command_byte(vm), 0x61);
	mock_outb(vm, COMMAND, 0xA8);
	assert_int_equal(command_byte(vm), 0x61 & ~CB_DISABLE_AUX);
	mock_outb(vm, COMMAND, 0xA7);
	assert_int_equal(command_byte(vm), 0x61);
}

static void test_input_output_and_test_ports(void **state)
{
	struct mock_vm *vm = *state;

	/* keyboard not inhibited, colour display, no manufacturing jumper, 512 KiB */
	assert_int_equal(controller(vm, 0xC0), 0xB0);
	/* clock and data lines high, A20 on, reset high; IRQ outputs low */
	assert_int_equal(controller(vm, 0xD0), 0xCF);
	/* the IRQ 1 output is high while keyboard data waits with INT set */
	mock_outb(vm, COMMAND, 0xD2);
	mock_outb(vm, DATA, 0x11);
	assert_int_equal(controller(vm, 0xD0), 0xDF);
	/* keyboard clock and data high; the clock low while the interface is disabled */
	assert_int_equal(controller(vm, 0xE0), 0x03);
	mock_outb(vm, COMMAND, 0xAD);
	assert_int_equal(controller(vm, 0xE0), 0x02);
}

static void test_a20_gate_from_output_port_and_port_92(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, COMMAND, 0xD1);
	mock_outb(vm, DATA, 0xDD);
	assert_false(mock_a20(vm));
	assert_int_equal(controller(vm, 0xD0) & 0x02, 0);
	mock_outb(vm, COMMAND, 0xD1);
	mock_outb(vm, DATA, 0xDF);
	assert_true(mock_a20(vm));
	mock_outb(vm, COMMAND, 0xD1);
	mock_outb(vm, DATA, 0xDD);
	/* port 92h bit 1 is ORed with the output port's */
	mock_outb(vm, PORT_A, 0x02);
	assert_true(mock_a20(vm));
	assert_int_equal(mock_inb(vm, PORT_A), 0x02);
	mock_outb(vm, PORT_A, 0x00);
	assert_false(mock_a20(vm));
	assert_int_equal(mock_inb(vm, PORT_A), 0x00);
	assert_int_equal(mock_resets(vm), 0);
}

static void test_cpu_reset_by_pulse_output_port_and_port_92(void **state)
{
	struct mock_vm *vm = *state;

	/* F0h-FFh pulse the output port lines whose bit is 0; line 0 is the CPU's reset */
	mock_outb(vm, COMMAND, 0xFF);
	mock_outb(vm, COMMAND, 0xFD);
	assert_int_equal(mock_resets(vm), 0);
	mock_outb(vm, COMMAND, 0xFE);
	assert_int_equal(mock_resets(vm), 1);
	mock_outb(vm, COMMAND, 0xF0);
	assert_int_equal(mock_resets(vm), 2);
	/* output port bit 0 written 0; the line is back up afterwards, A20 as written */
	mock_outb(vm, COMMAND, 0xD1);
	mock_outb(vm, DATA, 0xDE);
	assert_int_equal(mock_resets(vm), 3);
	assert_int_equal(controller(vm, 0xD0), 0xCF);
	/* port 92h bit 0 going 0 -> 1, which reads 0 after the reset */
	mock_outb(vm, PORT_A, 0x03);
	assert_int_equal(mock_resets(vm), 4);
	assert_int_equal(mock_inb(vm, PORT_A), 0x02);
	mock_outb(vm, PORT_A, 0x02);
	assert_int_equal(mock_resets(vm), 4);
	mock_outb(vm, PORT_A, 0x01);
	assert_int_equal(mock_resets(vm), 5);
	/* the controller keeps its state across the CPU reset */
	set_command_byte(vm, 0x45);
	mock_outb(vm, COMMAND, 0xFE);
	assert_int_equal(status(vm) & ST_SYS, ST_SYS);
}

/* D2h: a byte as if from the keyboard (not translated), with IRQ 1. */
static void test_write_keyboard_output_buffer_raises_irq1(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, COMMAND, 0xD2);
	mock_outb(vm, DATA, 0x1C);
	assert_true(mock_irq_level(vm, 1));
	assert_int_equal(mock_irq_rising_edges(vm, 1), 1);
	assert_int_equal(status(vm), ST_INH | ST_OBF);
	assert_int_equal(mock_inb(vm, DATA), 0x1C);
	assert_false(mock_irq_level(vm, 1));
}

/* D3h: a byte as if from the aux device, with AUXB and without IRQ 1. D4h: no device. */
static void test_aux_output_buffer_and_missing_aux_device(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, COMMAND, 0xD3);
	mock_outb(vm, DATA, 0x08);
	assert_int_equal(status(vm), ST_INH | ST_AUXB | ST_OBF);
	assert_false(mock_irq_level(vm, 1));
	assert_int_equal(mock_inb(vm, DATA), 0x08);
	assert_int_equal(status(vm), ST_INH);
	mock_outb(vm, COMMAND, 0xD4);
	mock_outb(vm, DATA, 0xFF);
	assert_int_equal(status(vm), ST_INH | ST_AUXB | ST_OBF);
	assert_int_equal(mock_inb(vm, DATA), 0xFE);
	assert_int_equal(mock_irq_rising_edges(vm, 1), 0);
}

/* IRQ 1 is OBF with INT; each byte moved in after a read is a new rising edge. */
static void test_irq1_follows_int_bit_and_each_byte(void **state)
{
	struct mock_vm *vm = *state;

	set_command_byte(vm, CB_XLAT);
	mock_outb(vm, DATA, 0xF2);
	assert_true(status(vm) & ST_OBF);
	assert_false(mock_irq_level(vm, 1));
	set_command_byte(vm, CB_XLAT | CB_INT);
	assert_true(mock_irq_level(vm, 1));
	assert_int_equal(mock_irq_rising_edges(vm, 1), 1);
	assert_int_equal(mock_inb(vm, DATA), 0xFA);
	assert_int_equal(mock_irq_rising_edges(vm, 1), 2);
	assert_int_equal(mock_inb(vm, DATA), 0xAB);
	assert_int_equal(mock_irq_rising_edges(vm, 1), 3);
	assert_int_equal(mock_inb(vm, DATA), 0x41);
	assert_false(mock_irq_level(vm, 1));
	assert_int_equal(mock_irq_rising_edges(vm, 1), 3);
	/* an empty output buffer reads its last byte again */
	assert_int_equal(mock_inb(vm, DATA), 0x41);
}

/* ---- the keyboard ---- */

static void test_keyboard_reset_acks_and_passes_bat(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DATA, 0xFF);
	assert_bytes(vm, 0xFA, 0xAA);
}

/* MF2 ID AB 83; the controller's translation makes the 83h 41h, as on a real PC. */
static void test_identify_is_ab_83_translated_to_ab_41(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DATA, 0xF2);
	assert_bytes(vm, 0xFA, 0xAB, 0x41);
	set_command_byte(vm, CB_INT | CB_DISABLE_AUX);
	mock_outb(vm, DATA, 0xF2);
	assert_bytes(vm, 0xFA, 0xAB, 0x83);
}

static void test_echo_and_resend(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DATA, 0xEE);
	assert_bytes(vm, 0xEE);
	mock_outb(vm, DATA, 0xFE);
	assert_bytes(vm, 0xEE);
}

static void test_scancode_set_get_and_set(void **state)
{
	struct mock_vm *vm = *state;

	set_command_byte(vm, CB_INT | CB_DISABLE_AUX);
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x00);
	assert_bytes(vm, 0xFA, 0xFA, 0x02);
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x01);
	assert_bytes(vm, 0xFA, 0xFA);
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x00);
	assert_bytes(vm, 0xFA, 0xFA, 0x01);
	/* set 3 is refused and the set stays */
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x03);
	assert_bytes(vm, 0xFA, 0xFE);
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x00);
	assert_bytes(vm, 0xFA, 0xFA, 0x01);
	/* a reset goes back to set 2 */
	mock_outb(vm, DATA, 0xFF);
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x00);
	assert_bytes(vm, 0xFA, 0xAA, 0xFA, 0xFA, 0x02);
}

static void test_leds_typematic_and_a_command_in_place_of_a_parameter(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DATA, 0xED);
	mock_outb(vm, DATA, 0x07);
	assert_bytes(vm, 0xFA, 0xFA);
	mock_outb(vm, DATA, 0xF3);
	mock_outb(vm, DATA, 0x2B);
	assert_bytes(vm, 0xFA, 0xFA);
	/* no parameter has bit 7 set: EEh is an echo, not an LED byte */
	mock_outb(vm, DATA, 0xED);
	mock_outb(vm, DATA, 0xEE);
	assert_bytes(vm, 0xFA, 0xEE);
	mock_outb(vm, DATA, 0xF5);
	assert_bytes(vm, 0xFA);
	mock_outb(vm, DATA, 0xF6);
	assert_bytes(vm, 0xFA);
}

static void test_unknown_keyboard_commands_answer_resend(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DATA, 0xE8);
	assert_bytes(vm, 0xFE);
	mock_outb(vm, DATA, 0x00);
	assert_bytes(vm, 0xFE);
}

/* The keyboard waits while its interface is disabled; sending to it enables it again. */
static void test_disabled_interface_holds_keyboard_bytes(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DATA, 0xF2);
	assert_int_equal(next_byte(vm), 0xFA);
	/* AB is in the output buffer already; 83 waits in the keyboard */
	mock_outb(vm, COMMAND, 0xAD);
	assert_bytes(vm, 0xAB);
	mock_outb(vm, COMMAND, 0xAE);
	assert_bytes(vm, 0x41);
	mock_outb(vm, COMMAND, 0xAD);
	mock_outb(vm, DATA, 0xEE);
	assert_bytes(vm, 0xEE);
	assert_int_equal(command_byte(vm) & CB_DISABLE_KBD, 0);
}

/* 16 bytes of buffer: the 16th becomes the overrun code, later ones are lost. */
static void test_keyboard_buffer_overrun_code(void **state)
{
	for (int xlat = 0; xlat < 2; xlat++) {
		struct mock_vm *vm = new_vm(NULL);

		set_command_byte(vm, (uint8_t)(CB_INT | (xlat ? CB_XLAT : 0)));
		/* one in the output buffer, 15 in the keyboard, then the overrun */
		for (int i = 0; i < 20; i++)
			mock_outb(vm, DATA, 0xEE);
		for (int i = 0; i < 16; i++)
			assert_int_equal(next_byte(vm), 0xEE);
		/* set 2's 00h, which translation turns into set 1's FFh */
		assert_bytes(vm, xlat ? 0xFF : 0x00);
		mock_vm_destroy(vm);
	}
}

/* ---- typed keys ---- */

static void advance_to(struct mock_vm *vm, uint64_t ns)
{
	assert_true(ns >= mock_now(vm));
	mock_advance(vm, ns - mock_now(vm));
}

/* F4h, its ACK read; returns the time the keyboard was enabled. */
static uint64_t enable_keyboard(struct mock_vm *vm)
{
	mock_outb(vm, DATA, 0xF4);
	assert_int_equal(next_byte(vm), 0xFA);
	return mock_now(vm);
}

/* Lets the keys type, reading each byte as soon as it comes. */
static void type_all(struct mock_vm *vm, uint8_t *out, size_t *n, size_t max)
{
	*n = 0;
	for (int guard = 0; guard < 1000; guard++) {
		while (status(vm) & ST_OBF) {
			assert_true(*n < max);
			out[(*n)++] = mock_inb(vm, DATA);
		}
		if (mock_next_deadline(vm) == UINT64_MAX)
			return;
		advance_to(vm, mock_next_deadline(vm));
	}
	fail_msg("typing does not end");
}

#define assert_typed(keys, ...)                                                     \
	do {                                                                        \
		static const uint8_t want_[] = { __VA_ARGS__ };                     \
		assert_typed_(keys, NULL, want_, sizeof(want_));                    \
	} while (0)

static void assert_typed_(const char *keys, const uint8_t *command, const uint8_t *want,
			  size_t n)
{
	char props[200];
	struct mock_vm *vm;
	uint8_t got[256];
	size_t count;

	snprintf(props, sizeof(props), "keys=%s", keys);
	vm = new_vm(props);
	if (command)
		set_command_byte(vm, *command);
	enable_keyboard(vm);
	type_all(vm, got, &count, sizeof(got));
	if (count != n)
		fail_msg("'%s': %zu bytes, want %zu", keys, count, n);
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("'%s' byte %zu: %02X, want %02X", keys, i, got[i], want[i]);
	mock_vm_destroy(vm);
}

/* Set 2 'a' 1Ch -> set 1 1Eh, F0 1C -> 9Eh; E0 keys keep E0; F7's 83h -> 41h. */
static void test_translation_to_set_1_folds_break_prefix(void **state)
{
	assert_typed("a", 0x1E, 0x9E);
	assert_typed("{up}", 0xE0, 0x48, 0xE0, 0xC8);
	assert_typed("{f7}{alt+printscreen}", 0x41, 0xC1, 0x38, 0x54, 0xD4, 0xB8);
	assert_typed("{printscreen}", 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA);
	assert_typed("{pause}", 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
	assert_typed("{ctrl+pause}", 0x1D, 0xE0, 0x46, 0xE0, 0xC6, 0x9D);
	assert_typed("{ctrl+alt+del}", 0x1D, 0x38, 0xE0, 0x53, 0xE0, 0xD3, 0xB8, 0x9D);
}

static void test_xlat_off_gives_set_2(void **state)
{
	static const uint8_t no_xlat = CB_INT | CB_DISABLE_AUX;
	static const uint8_t want[] = { 0x1C, 0xF0, 0x1C, 0xE0, 0x75, 0xE0, 0xF0, 0x75,
					0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77 };

	assert_typed_("a{up}{pause}", &no_xlat, want, sizeof(want));
}

/* A keyboard switched to set 1 sends set 1 itself. */
static void test_keyboard_in_set_1_sends_set_1(void **state)
{
	struct mock_vm *vm = new_vm("keys={home}");
	uint8_t got[16];
	size_t n;

	set_command_byte(vm, CB_INT);
	mock_outb(vm, DATA, 0xF0);
	mock_outb(vm, DATA, 0x01);
	assert_bytes(vm, 0xFA, 0xFA);
	enable_keyboard(vm);
	type_all(vm, got, &n, sizeof(got));
	assert_int_equal(n, 4);
	assert_memory_equal(got, ((uint8_t[]){ 0xE0, 0x47, 0xE0, 0xC7 }), 4);
	mock_vm_destroy(vm);
}

/* Nothing is typed before the guest's F4h, nor after an FFh reset until the next F4h. */
static void test_typing_waits_for_the_guest_to_enable_scanning(void **state)
{
	struct mock_vm *vm = new_vm("keys=ab");
	uint64_t t;

	mock_advance(vm, 1000 * MS);
	assert_empty(vm);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_outb(vm, DATA, 0xFF);
	assert_bytes(vm, 0xFA, 0xAA);
	mock_advance(vm, 1000 * MS);
	assert_empty(vm);
	mock_outb(vm, DATA, 0xF5);
	assert_bytes(vm, 0xFA);
	mock_advance(vm, 1000 * MS);
	assert_empty(vm);
	t = enable_keyboard(vm);
	advance_to(vm, t + 20 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 20 * MS);
	assert_bytes(vm, 0x1E);
	/* a reset stops it again: the release waits for the next F4h */
	mock_outb(vm, DATA, 0xFF);
	assert_bytes(vm, 0xFA, 0xAA);
	advance_to(vm, t + 1000 * MS);
	assert_empty(vm);
	t = enable_keyboard(vm);
	assert_bytes(vm, 0x9E);
	advance_to(vm, t + 20 * MS);
	assert_bytes(vm, 0x30);
	mock_vm_destroy(vm);
}

/*
 * "ab{enter}" with the keyboard enabled at T: each press 20 ms after the event before it
 * or (after a release) 20 ms after it, and only once the guest has read everything sent
 * before; a release 20 ms after its press whether or not the guest has read it.
 */
static void test_typed_keys_timing_follows_the_guest_reads(void **state)
{
	struct mock_vm *vm = new_vm("keys=ab{enter}");
	uint64_t t;

	mock_advance(vm, 5 * MS);
	t = enable_keyboard(vm);
	assert_int_equal(mock_next_deadline(vm), t + 20 * MS);

	/* a's make at T+20, with IRQ 1 */
	advance_to(vm, t + 20 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 20 * MS);
	assert_true(mock_irq_level(vm, 1));
	assert_int_equal(mock_irq_rising_edges(vm, 1), 2); /* FA, then 1E */
	assert_bytes(vm, 0x1E);
	assert_false(mock_irq_level(vm, 1));

	/* its break at T+40 */
	advance_to(vm, t + 40 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 40 * MS);
	assert_int_equal(status(vm) & ST_OBF, ST_OBF);

	/* unread, it holds b back past T+60 */
	advance_to(vm, t + 70 * MS);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	assert_int_equal(mock_inb(vm, DATA), 0x9E);
	/* b comes at the read */
	assert_int_equal(mock_irq_rising_edges(vm, 1), 4);
	assert_true(status(vm) & ST_OBF);

	/* b's break at T+90 waits in the keyboard while the make is unread */
	advance_to(vm, t + 95 * MS);
	assert_int_equal(mock_inb(vm, DATA), 0x30);
	assert_bytes(vm, 0xB0);

	/* Enter 20 ms after b's release */
	advance_to(vm, t + 110 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 110 * MS);
	assert_bytes(vm, 0x1C);
	advance_to(vm, t + 130 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 130 * MS);
	assert_bytes(vm, 0x9C);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_advance(vm, 1000 * MS);
	assert_empty(vm);
	assert_int_equal(mock_irq_rising_edges(vm, 1), 7);
	mock_vm_destroy(vm);
}

/* A capital: Shift down, the key 20 ms later, its release, Shift up 20 ms after that. */
static void test_capital_timing(void **state)
{
	struct mock_vm *vm = new_vm("keys=A");
	uint64_t t = enable_keyboard(vm);
	static const uint8_t want[] = { 0x2A, 0x1E, 0x9E, 0xAA };

	for (size_t i = 0; i < sizeof(want); i++) {
		advance_to(vm, t + (20 + 20 * i) * MS - 1);
		assert_empty(vm);
		advance_to(vm, t + (20 + 20 * i) * MS);
		assert_bytes(vm, want[i]);
	}
	mock_vm_destroy(vm);
}

static void test_wait_delays_the_next_event(void **state)
{
	struct mock_vm *vm = new_vm("keys={wait:100}a{wait:500}b");
	uint64_t t = enable_keyboard(vm);

	advance_to(vm, t + 100 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 100 * MS);
	assert_bytes(vm, 0x1E);
	advance_to(vm, t + 120 * MS);
	assert_bytes(vm, 0x9E);
	/* 20 ms after the release, and 500 more */
	advance_to(vm, t + 640 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 640 * MS);
	assert_bytes(vm, 0x30);
	mock_vm_destroy(vm);
}

/* ADh holds typing; AEh lets the due release out at once and the next press 20 ms later. */
static void test_disabled_keyboard_holds_typing(void **state)
{
	struct mock_vm *vm = new_vm("keys=ab");
	uint64_t t = enable_keyboard(vm);

	advance_to(vm, t + 20 * MS);
	assert_bytes(vm, 0x1E);
	mock_outb(vm, COMMAND, 0xAD);
	advance_to(vm, t + 200 * MS);
	assert_empty(vm);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_outb(vm, COMMAND, 0xAE);
	assert_bytes(vm, 0x9E);
	advance_to(vm, t + 220 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 220 * MS);
	assert_bytes(vm, 0x30);
	/* the command byte's bit 4 does the same */
	set_command_byte(vm, 0x61 | CB_DISABLE_KBD);
	advance_to(vm, t + 300 * MS);
	assert_empty(vm);
	set_command_byte(vm, 0x61);
	assert_bytes(vm, 0xB0);
	mock_vm_destroy(vm);
}

static void set_bios_buffer(struct mock_vm *vm, uint16_t start, uint16_t end, uint16_t head,
			    uint16_t tail)
{
	uint8_t *ram = mock_ram(vm);

	ram[0x41A] = (uint8_t)head;
	ram[0x41B] = (uint8_t)(head >> 8);
	ram[0x41C] = (uint8_t)tail;
	ram[0x41D] = (uint8_t)(tail >> 8);
	ram[0x480] = (uint8_t)start;
	ram[0x481] = (uint8_t)(start >> 8);
	ram[0x482] = (uint8_t)end;
	ram[0x483] = (uint8_t)(end >> 8);
}

/* A press waits while the BIOS buffer holds 8 keys, looking every 10 ms. */
static void test_press_waits_for_room_in_the_bios_buffer(void **state)
{
	struct mock_vm *vm = new_vm("keys=ab");
	uint64_t t;

	/* the standard buffer 1Eh-3Eh, 8 keys, wrapped round its end */
	set_bios_buffer(vm, 0x1E, 0x3E, 0x36, 0x36 + 16 - 32);
	t = enable_keyboard(vm);
	advance_to(vm, t + 50 * MS);
	assert_empty(vm);
	/* the guest takes one key: 7 left */
	set_bios_buffer(vm, 0x1E, 0x3E, 0x38, 0x36 + 16 - 32);
	advance_to(vm, t + 60 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 60 * MS);
	assert_bytes(vm, 0x1E);
	/* a release does not wait for the BIOS */
	set_bios_buffer(vm, 0x1E, 0x3E, 0x1E, 0x1E + 16);
	advance_to(vm, t + 80 * MS);
	assert_bytes(vm, 0x9E);
	mock_vm_destroy(vm);
}

/* ... but no more than 2 s per press. */
static void test_bios_buffer_wait_gives_up_after_2_seconds(void **state)
{
	struct mock_vm *vm = new_vm("keys=ab");
	uint64_t t;

	set_bios_buffer(vm, 0x1E, 0x3E, 0x20, 0x3C);
	t = enable_keyboard(vm);
	advance_to(vm, t + 2020 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 2020 * MS);
	assert_bytes(vm, 0x1E);
	advance_to(vm, t + 2040 * MS);
	assert_bytes(vm, 0x9E);
	advance_to(vm, t + 4060 * MS - 1);
	assert_empty(vm);
	advance_to(vm, t + 4060 * MS);
	assert_bytes(vm, 0x30);
	mock_vm_destroy(vm);
}

/* Words that cannot be a BIOS buffer are not waited for. */
static void test_implausible_bios_buffer_is_ignored(void **state)
{
	static const uint16_t bad[][4] = {
		{ 0x3E, 0x1E, 0x20, 0x3C }, /* start after end */
		{ 0x1E, 0x3E, 0x20, 0x50 }, /* tail outside */
		{ 0x1E, 0x3E, 0x1F, 0x3B }, /* odd offsets */
		{ 0x1E, 0x3F, 0x20, 0x3C }, /* odd size */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mock_vm *vm = new_vm("keys=a");
		uint64_t t;

		set_bios_buffer(vm, bad[i][0], bad[i][1], bad[i][2], bad[i][3]);
		t = enable_keyboard(vm);
		advance_to(vm, t + 20 * MS);
		assert_bytes(vm, 0x1E);
		mock_vm_destroy(vm);
	}
}

/* A combination: each press waits 20 ms after the press before it. */
static void test_combination_timing(void **state)
{
	struct mock_vm *vm = new_vm("keys={ctrl+c}");
	uint64_t t = enable_keyboard(vm);
	static const uint8_t want[] = { 0x1D, 0x2E, 0xAE, 0x9D };

	for (size_t i = 0; i < sizeof(want); i++) {
		advance_to(vm, t + (20 + 20 * i) * MS - 1);
		assert_empty(vm);
		advance_to(vm, t + (20 + 20 * i) * MS);
		assert_bytes(vm, want[i]);
	}
	mock_vm_destroy(vm);
}

/* Whatever the guest writes, in any order, nothing breaks. */
static void test_garbage_port_sequences_do_not_crash(void **state)
{
	struct mock_vm *vm = new_vm("keys=Hello{enter}");
	uint32_t x = 12345;

	enable_keyboard(vm);
	for (int i = 0; i < 100000; i++) {
		uint8_t value;
		unsigned op;

		x = x * 1103515245 + 12345;
		value = (uint8_t)(x >> 16);
		op = x >> 28;
		/* no resets and no A20 flips in the mix: those are tested above */
		if (op < 4 && !(value >= 0xF0 || value == 0xD1))
			mock_outb(vm, COMMAND, value);
		else if (op < 9)
			mock_outb(vm, DATA, value);
		else if (op < 13)
			mock_inb(vm, DATA);
		else
			mock_advance(vm, (x & 0xFFFF) * 1000);
		(void)status(vm);
	}
	mock_vm_destroy(vm);
}

/* ---- the aux port ---- */

/* A PS/2 aux device standing in for the mouse: answers each byte D4h gives it with FAh
 * (ACK), and a reset (FFh) with FAh AAh 00h (ACK, self-test passed, its ID), sent back
 * from inside the write as a real device may. It records what it got. */
struct aux_device {
	struct vdh_dev *dev;
	uint8_t got[16];
	unsigned got_count;
};

static const struct vdh *aux_vdh;

static int aux_write(void *opaque, uint32_t command, const void *in, size_t in_len, void *out,
		     size_t *out_len)
{
	static const uint8_t reset_answer[] = { 0xFA, 0xAA, 0x00 };
	static const uint8_t ack = 0xFA;
	struct aux_device *a = opaque;
	uint8_t byte;

	if (command != PS2AUX_WRITE || in_len != 1)
		return -EINVAL;
	byte = *(const uint8_t *)in;
	if (a->got_count < sizeof(a->got))
		a->got[a->got_count++] = byte;
	if (byte == 0xFF)
		return aux_vdh->request_vdd(a->dev, I8042_REQUEST, I8042_AUX_SEND, reset_answer,
					    sizeof(reset_answer), NULL, NULL);
	return aux_vdh->request_vdd(a->dev, I8042_REQUEST, I8042_AUX_SEND, &ack, 1, NULL, NULL);
}

static int aux_init(const struct vdh *helpers)
{
	aux_vdh = helpers;
	return 0;
}

static int aux_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct aux_device *a = calloc(1, sizeof(*a));
	int rc;

	if (!a)
		return -ENOMEM;
	a->dev = dev;
	rc = aux_vdh->register_request(dev, PS2AUX_REQUEST, aux_write, a);
	if (rc < 0) {
		free(a);
		return rc;
	}
	*instance = a;
	return 0;
}

static void aux_terminate(void *instance)
{
	free(instance);
}

static const struct vdd_module aux_module = {
	.api_version = VDH_API_VERSION,
	.name = "aux",
	.description = "a PS/2 aux device that ACKs",
	.init = aux_init,
	.create = aux_create,
	.terminate = aux_terminate,
};

/* The keyboard controller with the aux device, the aux port enabled with IRQ 12 and IRQ 1. */
static int setup_with_aux(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	assert_int_equal(mock_vm_attach(vm, &aux_module, NULL), 0);
	set_command_byte(vm, CB_INT | CB_INT2 | CB_XLAT);
	*state = vm;
	return 0;
}

/* The device sends bytes on its own (a mouse moved). */
static int aux_send(struct mock_vm *vm, const uint8_t *bytes, size_t len)
{
	return mock_request_vdd(vm, I8042_REQUEST, I8042_AUX_SEND, bytes, len, NULL, NULL);
}

/* The next byte, which must be from the aux device with IRQ 12 up and IRQ 1 down. */
static uint8_t next_aux_byte(struct mock_vm *vm)
{
	assert_int_equal(status(vm) & (ST_OBF | ST_AUXB), ST_OBF | ST_AUXB);
	assert_true(mock_irq_level(vm, 12));
	assert_false(mock_irq_level(vm, 1));
	return mock_inb(vm, DATA);
}

/* ... from the keyboard, IRQ 1 up and IRQ 12 down. */
static uint8_t next_keyboard_byte(struct mock_vm *vm)
{
	assert_int_equal(status(vm) & (ST_OBF | ST_AUXB), ST_OBF);
	assert_true(mock_irq_level(vm, 1));
	assert_false(mock_irq_level(vm, 12));
	return mock_inb(vm, DATA);
}

/* D4h FFh: the device's reset answer arrives as three aux bytes, each raising IRQ 12. */
static void test_aux_reset_answers_fa_aa_00_through_irq12(void **state)
{
	struct mock_vm *vm = *state;
	const struct aux_device *a = mock_instance(vm, &aux_module);

	mock_outb(vm, COMMAND, 0xD4);
	mock_outb(vm, DATA, 0xFF);
	assert_int_equal(a->got_count, 1);
	assert_int_equal(a->got[0], 0xFF);
	assert_int_equal(next_aux_byte(vm), 0xFA);
	assert_int_equal(next_aux_byte(vm), 0xAA);
	assert_int_equal(next_aux_byte(vm), 0x00);
	assert_empty(vm);
	assert_false(mock_irq_level(vm, 12));
	assert_int_equal(mock_irq_rising_edges(vm, 12), 3);
	assert_int_equal(mock_irq_rising_edges(vm, 1), 0);
	/* any other byte: FAh */
	mock_outb(vm, COMMAND, 0xD4);
	mock_outb(vm, DATA, 0xF4);
	assert_int_equal(next_aux_byte(vm), 0xFA);
	assert_empty(vm);
}

/* INT2 clear: the byte comes with AUXB but no IRQ 12; the output port's bit 5 is IRQ 12. */
static void test_irq12_follows_int2_and_output_port_shows_it(void **state)
{
	struct mock_vm *vm = *state;
	const uint8_t byte = 0x08;

	set_command_byte(vm, CB_INT | CB_XLAT);
	assert_int_equal(aux_send(vm, &byte, 1), 0);
	assert_int_equal(status(vm) & (ST_OBF | ST_AUXB), ST_OBF | ST_AUXB);
	assert_false(mock_irq_level(vm, 12));
	assert_false(mock_irq_level(vm, 1));
	set_command_byte(vm, CB_INT | CB_INT2 | CB_XLAT);
	assert_true(mock_irq_level(vm, 12));
	/* D0h reads the output port as it is, then its value replaces the aux byte */
	assert_int_equal(controller(vm, 0xD0) & 0x30, 0x20);
	assert_false(mock_irq_level(vm, 12));
}

/* A7h holds what the device sends; the queue takes 64 bytes, refuses the 65th whole
 * (and a send of more than 16 or none at all), and A8h lets them out in order. */
static void test_aux_queue_waits_while_the_aux_port_is_disabled(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t bytes[I8042_AUX_QUEUE + 1];

	for (unsigned i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i + 1);
	mock_outb(vm, COMMAND, 0xA7);
	for (unsigned i = 0; i < I8042_AUX_QUEUE; i += I8042_AUX_SEND_MAX)
		assert_int_equal(aux_send(vm, bytes + i, I8042_AUX_SEND_MAX), 0);
	assert_int_equal(aux_send(vm, bytes + I8042_AUX_QUEUE, 1), -ENOSPC);
	assert_int_equal(aux_send(vm, bytes, I8042_AUX_SEND_MAX + 1), -EINVAL);
	assert_int_equal(aux_send(vm, bytes, 0), -EINVAL);
	assert_empty(vm);
	assert_false(mock_irq_level(vm, 12));
	mock_outb(vm, COMMAND, 0xA8);
	for (unsigned i = 0; i < I8042_AUX_QUEUE; i++)
		assert_int_equal(next_aux_byte(vm), bytes[i]);
	assert_empty(vm);
	assert_int_equal(aux_send(vm, bytes, 1), 0);
	assert_int_equal(next_aux_byte(vm), 1);
}

/* The keyboard's and the device's bytes take turns, each after the guest read the one
 * before, each with its own IRQ: here a key press and release (1Eh, 9Eh translated) and
 * three aux bytes waiting behind A7h. */
static void test_aux_and_keyboard_bytes_interleave(void **state)
{
	struct mock_vm *vm = *state;
	const uint8_t packet[] = { 0x08, 0x01, 0x02 };
	const struct vvmi_event_key press = { .scancode = 0x1E, .pressed = 1 };
	const struct vvmi_event_key release = { .scancode = 0x1E, .pressed = 0 };

	enable_keyboard(vm);
	mock_outb(vm, COMMAND, 0xA7);
	assert_int_equal(aux_send(vm, packet, sizeof(packet)), 0);
	mock_display_event(vm, VVMI_EVENT_KEY, &press, sizeof(press));
	mock_display_event(vm, VVMI_EVENT_KEY, &release, sizeof(release));
	mock_outb(vm, COMMAND, 0xA8);
	assert_int_equal(next_keyboard_byte(vm), 0x1E);
	assert_int_equal(next_aux_byte(vm), 0x08);
	assert_int_equal(next_keyboard_byte(vm), 0x9E);
	assert_int_equal(next_aux_byte(vm), 0x01);
	assert_int_equal(next_aux_byte(vm), 0x02);
	assert_empty(vm);
}

/* Without an aux device (no "ps2aux" entry) D4h's byte times out: FEh with AUXB. */
static void test_aux_write_without_a_device_times_out(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	set_command_byte(vm, CB_INT | CB_INT2 | CB_XLAT);
	mock_outb(vm, COMMAND, 0xD4);
	mock_outb(vm, DATA, 0xFF);
	assert_int_equal(next_aux_byte(vm), 0xFE);
	assert_empty(vm);
	assert_int_equal(mock_request_vdd(vm, PS2AUX_REQUEST, PS2AUX_WRITE, "", 1, NULL, NULL),
			 -ENOENT);
	mock_vm_destroy(vm);
}

/* ---- host keys ---- */

static void assert_set2(uint16_t set1, uint8_t want_prefix, uint8_t want_code)
{
	uint8_t prefix = 0x55, code = 0x55;

	if (!kbd_set1_to_set2(set1, &prefix, &code))
		fail_msg("set 1 %04X: no key, want %02X %02X", set1, want_prefix, want_code);
	if (prefix != want_prefix || code != want_code)
		fail_msg("set 1 %04X: %02X %02X, want %02X %02X", set1, prefix, code, want_prefix,
			 want_code);
}

/* A sample of the 101/102-key keyboard, set 1 -> set 2 (the IBM keyboard references). */
static void test_set1_to_set2_sample(void **state)
{
	static const uint8_t f_keys[12] = { 0x05, 0x06, 0x04, 0x0C, 0x03, 0x0B,
					    0x83, 0x0A, 0x01, 0x09, 0x78, 0x07 };
	static const uint16_t unknown[] = { 0x0000, 0x0055, 0x007F, 0x009E, 0x00FF,
					    0xE02A, 0xE036, 0xE000, 0xE11D, 0x1C1C };
	uint8_t prefix, code;

	assert_set2(0x1E, 0, 0x1C); /* A */
	assert_set2(0x2C, 0, 0x1A); /* Z */
	assert_set2(0x10, 0, 0x15); /* Q */
	assert_set2(0x02, 0, 0x16); /* 1 */
	assert_set2(0x0B, 0, 0x45); /* 0 */
	assert_set2(0x01, 0, 0x76); /* Esc */
	assert_set2(0x1C, 0, 0x5A); /* Enter */
	assert_set2(0x39, 0, 0x29); /* Space */
	assert_set2(0x2A, 0, 0x12); /* left Shift */
	assert_set2(0x1D, 0, 0x14); /* left Ctrl */
	assert_set2(0x38, 0, 0x11); /* left Alt */
	for (unsigned i = 0; i < 10; i++)
		assert_set2((uint16_t)(0x3B + i), 0, f_keys[i]); /* F1-F10 */
	assert_set2(0x57, 0, f_keys[10]); /* F11 */
	assert_set2(0x58, 0, f_keys[11]); /* F12 */
	assert_set2(0xE048, 0xE0, 0x75);  /* Up */
	assert_set2(0xE050, 0xE0, 0x72);  /* Down */
	assert_set2(0xE04B, 0xE0, 0x6B);  /* Left */
	assert_set2(0xE04D, 0xE0, 0x74);  /* Right */
	assert_set2(0xE047, 0xE0, 0x6C);  /* Home */
	assert_set2(0xE04F, 0xE0, 0x69);  /* End */
	assert_set2(0xE052, 0xE0, 0x70);  /* Insert */
	assert_set2(0xE053, 0xE0, 0x71);  /* Delete */
	assert_set2(0xE01D, 0xE0, 0x14);  /* right Ctrl */
	assert_set2(0xE038, 0xE0, 0x11);  /* right Alt */
	assert_set2(0xE01C, 0xE0, 0x5A);  /* keypad Enter */
	assert_set2(0xE035, 0xE0, 0x4A);  /* keypad / */
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (kbd_set1_to_set2(unknown[i], &prefix, &code))
			fail_msg("set 1 %04X is no key, got %02X %02X", unknown[i], prefix, code);
}

static void host_key(struct mock_vm *vm, uint16_t set1, bool pressed)
{
	const struct vvmi_event_key key = { .scancode = set1, .pressed = pressed };

	mock_display_event(vm, VVMI_EVENT_KEY, &key, sizeof(key));
}

/* With translation off the guest sees the set 2 make and break: E0 75, E0 F0 75 for Up. */
static void test_host_keys_arrive_in_set_2(void **state)
{
	struct mock_vm *vm = *state;

	enable_keyboard(vm);
	set_command_byte(vm, CB_INT);
	host_key(vm, 0x1E, true);
	host_key(vm, 0x1E, false);
	assert_bytes(vm, 0x1C, 0xF0, 0x1C);
	host_key(vm, 0xE048, true);
	host_key(vm, 0xE048, false);
	assert_bytes(vm, 0xE0, 0x75, 0xE0, 0xF0, 0x75);
	/* unknown codes and other events send nothing */
	host_key(vm, 0x0055, true);
	host_key(vm, 0xE02A, true);
	mock_display_event(vm, VVMI_EVENT_FOCUS, "\0\0\1\0", 4);
	mock_display_event(vm, VVMI_EVENT_KEY, "\x1E", 1);
	assert_empty(vm);
}

/* Through the 8042's translation (as a DOS BIOS reads them) every key of the table comes
 * out as the set 1 code the host gave, make and break. */
static void test_host_keys_translate_back_to_the_hosts_codes(void **state)
{
	struct mock_vm *vm = *state;
	unsigned keys = 0;

	enable_keyboard(vm);
	for (unsigned prefix = 0; prefix <= 0xE0; prefix += 0xE0) {
		for (unsigned c = 0; c < 0x80; c++) {
			uint16_t set1 = (uint16_t)(prefix << 8 | c);
			uint8_t p, code;

			if (!kbd_set1_to_set2(set1, &p, &code))
				continue;
			keys++;
			host_key(vm, set1, true);
			host_key(vm, set1, false);
			if (prefix)
				assert_bytes(vm, 0xE0, (uint8_t)c, 0xE0, (uint8_t)(c | 0x80));
			else
				assert_bytes(vm, (uint8_t)c, (uint8_t)(c | 0x80));
		}
	}
	assert_int_equal(keys, 87 + 18); /* set 1 01h-58h but 55h, and the E0h keys */
}

/* A keyboard the guest has not enabled (no F4h since power-on) sends no host keys. */
static void test_host_keys_wait_for_scanning(void **state)
{
	struct mock_vm *vm = *state;

	host_key(vm, 0x1E, true);
	assert_empty(vm);
	enable_keyboard(vm);
	host_key(vm, 0x1E, true);
	assert_bytes(vm, 0x1E);
}

#define KBD_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define AUX_TEST(f) cmocka_unit_test_setup_teardown(f, setup_with_aux, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_empty_text_types_nothing),
		cmocka_unit_test(test_parse_plain_characters_press_and_release_their_keys),
		cmocka_unit_test(test_parse_capitals_and_shifted_symbols_hold_left_shift),
		cmocka_unit_test(test_parse_each_special_key),
		cmocka_unit_test(test_parse_combinations_hold_modifiers_around_the_key),
		cmocka_unit_test(test_parse_printscreen_and_pause_send_their_special_sequences),
		cmocka_unit_test(test_parse_waits),
		cmocka_unit_test(test_parse_doubled_braces_are_literal_braces),
		cmocka_unit_test(test_parse_errors_quote_the_column),
		KBD_TEST(test_create_claims_60_64_92_and_irq1_and_turns_a20_on),
		cmocka_unit_test(test_create_fails_with_einval_on_bad_keys),
		KBD_TEST(test_power_on_status_and_command_byte),
		KBD_TEST(test_command_byte_write_sets_sys_flag_and_clears_a2),
		KBD_TEST(test_controller_ram_reads_back),
		KBD_TEST(test_self_test_and_interface_tests),
		KBD_TEST(test_disable_enable_commands_flip_command_byte_bits),
		KBD_TEST(test_input_output_and_test_ports),
		KBD_TEST(test_a20_gate_from_output_port_and_port_92),
		KBD_TEST(test_cpu_reset_by_pulse_output_port_and_port_92),
		KBD_TEST(test_write_keyboard_output_buffer_raises_irq1),
		KBD_TEST(test_aux_output_buffer_and_missing_aux_device),
		KBD_TEST(test_irq1_follows_int_bit_and_each_byte),
		KBD_TEST(test_keyboard_reset_acks_and_passes_bat),
		KBD_TEST(test_identify_is_ab_83_translated_to_ab_41),
		KBD_TEST(test_echo_and_resend),
		KBD_TEST(test_scancode_set_get_and_set),
		KBD_TEST(test_leds_typematic_and_a_command_in_place_of_a_parameter),
		KBD_TEST(test_unknown_keyboard_commands_answer_resend),
		KBD_TEST(test_disabled_interface_holds_keyboard_bytes),
		cmocka_unit_test(test_keyboard_buffer_overrun_code),
		cmocka_unit_test(test_translation_to_set_1_folds_break_prefix),
		cmocka_unit_test(test_xlat_off_gives_set_2),
		cmocka_unit_test(test_keyboard_in_set_1_sends_set_1),
		cmocka_unit_test(test_typing_waits_for_the_guest_to_enable_scanning),
		cmocka_unit_test(test_typed_keys_timing_follows_the_guest_reads),
		cmocka_unit_test(test_capital_timing),
		cmocka_unit_test(test_wait_delays_the_next_event),
		cmocka_unit_test(test_disabled_keyboard_holds_typing),
		cmocka_unit_test(test_press_waits_for_room_in_the_bios_buffer),
		cmocka_unit_test(test_bios_buffer_wait_gives_up_after_2_seconds),
		cmocka_unit_test(test_implausible_bios_buffer_is_ignored),
		cmocka_unit_test(test_combination_timing),
		cmocka_unit_test(test_garbage_port_sequences_do_not_crash),
		AUX_TEST(test_aux_reset_answers_fa_aa_00_through_irq12),
		AUX_TEST(test_irq12_follows_int2_and_output_port_shows_it),
		AUX_TEST(test_aux_queue_waits_while_the_aux_port_is_disabled),
		AUX_TEST(test_aux_and_keyboard_bytes_interleave),
		cmocka_unit_test(test_aux_write_without_a_device_times_out),
		cmocka_unit_test(test_set1_to_set2_sample),
		KBD_TEST(test_host_keys_arrive_in_set_2),
		KBD_TEST(test_host_keys_translate_back_to_the_hosts_codes),
		KBD_TEST(test_host_keys_wait_for_scanning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
