/* test_uart.c: the 16550A UART as a PC guest and its host files see it, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define COM1 0x3F8
#define RBR (COM1 + 0)
#define THR (COM1 + 0)
#define DLL (COM1 + 0)
#define IER (COM1 + 1)
#define DLM (COM1 + 1)
#define IIR (COM1 + 2)
#define FCR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)
#define IRQ4 4

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

/* 8N1 at divisor 1 (115200 baud): 10 bits of 16 clocks of 1.8432 MHz */
#define CHAR_8N1_DIV1 86805u

static struct mock_vm *new_vm(const char *props)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), 0);
	return vm;
}

static void advance_to(struct mock_vm *vm, uint64_t ns)
{
	assert_true(ns >= mock_now(vm));
	mock_advance(vm, ns - mock_now(vm));
}

/* Divisor and line control as a driver programs them. */
static void set_line(struct mock_vm *vm, uint16_t divisor, uint8_t lcr)
{
	mock_outb(vm, LCR, 0x80);
	mock_outb(vm, DLL, (uint8_t)divisor);
	mock_outb(vm, DLM, (uint8_t)(divisor >> 8));
	mock_outb(vm, LCR, lcr);
}

static char *temp_file(const char *contents)
{
	char *path = strdup("/tmp/test_uart_XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	if (contents)
		assert_int_equal(write(fd, contents, strlen(contents)), (ssize_t)strlen(contents));
	close(fd);
	return path;
}

static void assert_file(const char *path, const char *want)
{
	char got[256] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(got, want, n);
}

static void remove_temp(char *path)
{
	unlink(path);
	free(path);
}

static struct mock_vm *vm_with_output(char **path)
{
	char props[64];

	*path = temp_file(NULL);
	snprintf(props, sizeof(props), "output=%s", *path);
	return new_vm(props);
}

static void test_power_on_registers_ports_and_irq4(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	for (uint16_t p = COM1; p < COM1 + 8; p++)
		assert_true(mock_port_claimed(vm, p));
	assert_false(mock_port_claimed(vm, COM1 - 1));
	assert_false(mock_port_claimed(vm, COM1 + 8));
	assert_true(mock_irq_opened(vm, IRQ4));
	/* the datasheet's master reset values; the modem inputs show a connected line */
	assert_int_equal(mock_inb(vm, IER), 0x00);
	assert_int_equal(mock_inb(vm, IIR), 0x01);
	assert_int_equal(mock_inb(vm, LCR), 0x00);
	assert_int_equal(mock_inb(vm, MCR), 0x00);
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE | LSR_TEMT);
	assert_int_equal(mock_inb(vm, MSR), 0xB0);
	mock_outb(vm, SCR, 0x5A);
	assert_int_equal(mock_inb(vm, SCR), 0x5A);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	assert_false(mock_irq_level(vm, IRQ4));
	mock_vm_destroy(vm);
}

static void test_port_and_irq_properties(void **state)
{
	struct mock_vm *vm = new_vm("port=0x2f8,irq=3");

	assert_true(mock_port_claimed(vm, 0x2F8));
	assert_true(mock_port_claimed(vm, 0x2FF));
	assert_false(mock_port_claimed(vm, COM1));
	assert_true(mock_irq_opened(vm, 3));
	assert_false(mock_irq_opened(vm, IRQ4));
	assert_int_equal(mock_inb(vm, 0x2F8 + 5), LSR_THRE | LSR_TEMT);
	mock_vm_destroy(vm);
}

/* SeaBIOS's detection: IER=02h reads back, and IIR & 3Fh shows the THRE interrupt. */
static void test_seabios_detection_sequence(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	mock_outb(vm, IER, 0x02);
	assert_int_equal(mock_inb(vm, IER), 0x02);
	assert_int_equal(mock_inb(vm, IIR) & 0x3F, 0x02);
	mock_outb(vm, IER, 0x00);
	assert_int_equal(mock_inb(vm, IIR), 0x01);
	/* reading IIR cleared the THRE interrupt it showed */
	mock_outb(vm, IER, 0x02);
	assert_int_equal(mock_inb(vm, IIR), 0x02);
	assert_int_equal(mock_inb(vm, IIR), 0x01);
	/* IER bits 7-4 are always 0 */
	mock_outb(vm, IER, 0xF0);
	assert_int_equal(mock_inb(vm, IER), 0x00);
	mock_vm_destroy(vm);
}

static void test_dlab_switches_to_divisor_latch(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	mock_outb(vm, IER, 0x05);
	mock_outb(vm, LCR, 0x83);
	mock_outb(vm, DLL, 0x34);
	mock_outb(vm, DLM, 0x12);
	assert_int_equal(mock_inb(vm, DLL), 0x34);
	assert_int_equal(mock_inb(vm, DLM), 0x12);
	assert_int_equal(mock_inb(vm, LCR), 0x83);
	mock_outb(vm, LCR, 0x03);
	/* DLAB off: offsets 0 and 1 are RBR/THR and IER again, unchanged by the latch writes */
	assert_int_equal(mock_inb(vm, IER), 0x05);
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE | LSR_TEMT);
	mock_outb(vm, LCR, 0x80);
	assert_int_equal(mock_inb(vm, DLL), 0x34);
	assert_int_equal(mock_inb(vm, DLM), 0x12);
	mock_vm_destroy(vm);
}

/* Loopback, one byte: how long it takes from THR to RBR. */
static uint64_t loopback_char_time(uint16_t divisor, uint8_t lcr)
{
	struct mock_vm *vm = new_vm(NULL);
	uint64_t t;

	set_line(vm, divisor, lcr);
	mock_outb(vm, MCR, MCR_LOOP);
	mock_outb(vm, THR, 0x55);
	t = mock_next_deadline(vm);
	advance_to(vm, t - 1);
	assert_int_equal(mock_inb(vm, LSR) & (LSR_DR | LSR_TEMT), 0);
	mock_advance(vm, 1);
	assert_int_equal(mock_inb(vm, LSR) & (LSR_DR | LSR_TEMT), LSR_DR | LSR_TEMT);
	mock_vm_destroy(vm);
	return t;
}

static void test_character_time_follows_divisor_and_format(void **state)
{
	/* 8N1 and 7E1: 10 bits; 8N2: 11; 5N1.5: 7.5; each bit 16 / 1.8432 MHz times the divisor */
	assert_int_equal(loopback_char_time(1, 0x03), CHAR_8N1_DIV1);
	assert_int_equal(loopback_char_time(12, 0x1A), 1041666);
	assert_int_equal(loopback_char_time(1, 0x07), 95486);
	assert_int_equal(loopback_char_time(3, 0x04), 195312);
	assert_int_equal(loopback_char_time(0x0180, 0x03), 33333333);
}

static void test_loopback_echo_and_modem_status(void **state)
{
	char *path;
	struct mock_vm *vm = vm_with_output(&path);

	set_line(vm, 1, 0x03);
	/* loopback with the outputs off: CTS, DSR and DCD drop */
	mock_outb(vm, MCR, MCR_LOOP);
	assert_int_equal(mock_inb(vm, MSR), 0x0B);
	assert_int_equal(mock_inb(vm, MSR), 0x00);
	/* RTS to CTS, DTR to DSR, OUT1 to RI, OUT2 to DCD */
	mock_outb(vm, MCR, MCR_LOOP | MCR_OUT2 | MCR_OUT1 | MCR_RTS | MCR_DTR);
	assert_int_equal(mock_inb(vm, MSR), 0xFB);
	assert_int_equal(mock_inb(vm, MSR), 0xF0);
	/* RI going off is the trailing edge */
	mock_outb(vm, MCR, MCR_LOOP | MCR_OUT2 | MCR_RTS | MCR_DTR);
	assert_int_equal(mock_inb(vm, MSR), 0xB4);
	mock_outb(vm, MCR, MCR_LOOP | MCR_OUT2 | MCR_OUT1 | MCR_RTS | MCR_DTR);
	assert_int_equal(mock_inb(vm, MSR), 0xF0);

	/* what is sent comes back, and does not reach the line */
	mock_outb(vm, IER, 0x01);
	mock_outb(vm, THR, 'Z');
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE);
	mock_advance(vm, CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	assert_int_equal(mock_inb(vm, IIR), 0x04);
	/* on a PC, loopback holds OUT2 off and with it the IRQ line */
	assert_false(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_inb(vm, RBR), 'Z');
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE | LSR_TEMT);
	mock_vm_destroy(vm);
	assert_file(path, "");
	remove_temp(path);
}

static void test_fifo_trigger_levels_raise_received_data_interrupt(void **state)
{
	static const struct {
		uint8_t fcr;
		unsigned level;
	} cases[] = { { 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xC1, 14 } };
	struct mock_vm *vm = new_vm(NULL);

	set_line(vm, 1, 0x03);
	mock_outb(vm, MCR, MCR_LOOP);
	mock_outb(vm, IER, 0x01);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned level = cases[i].level;

		/* clear both FIFOs */
		mock_outb(vm, FCR, (uint8_t)(cases[i].fcr | 0x06));
		for (unsigned k = 0; k + 1 < level; k++)
			mock_outb(vm, THR, (uint8_t)k);
		mock_advance(vm, (level - 1) * CHAR_8N1_DIV1);
		/* one short of the trigger level: data ready, no interrupt yet */
		assert_int_equal(mock_inb(vm, LSR), LSR_DR * (level > 1) | LSR_THRE | LSR_TEMT);
		assert_int_equal(mock_inb(vm, IIR), 0xC1);
		mock_outb(vm, THR, 0xAA);
		mock_advance(vm, CHAR_8N1_DIV1);
		assert_int_equal(mock_inb(vm, IIR), 0xC4);
		/* back below it when one byte is read */
		assert_int_equal(mock_inb(vm, RBR), level > 1 ? 0 : 0xAA);
		assert_int_equal(mock_inb(vm, IIR), 0xC1);
	}
	mock_vm_destroy(vm);
}

static void test_transmit_fifo_holds_16_bytes(void **state)
{
	char *path;
	struct mock_vm *vm = vm_with_output(&path);

	set_line(vm, 1, 0x03);
	mock_outb(vm, FCR, 0x07);
	/* the first goes to the shift register, 16 to the FIFO; the last finds it full */
	for (const char *p = "ABCDEFGHIJKLMNOPQR"; *p; p++)
		mock_outb(vm, THR, (uint8_t)*p);
	assert_int_equal(mock_inb(vm, LSR), 0x00);
	mock_advance(vm, 16 * CHAR_8N1_DIV1 - 1);
	assert_int_equal(mock_inb(vm, LSR), 0x00);
	mock_advance(vm, 1);
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE);
	mock_advance(vm, CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE | LSR_TEMT);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
	assert_file(path, "ABCDEFGHIJKLMNOPQ");
	remove_temp(path);
}

static void test_character_timeout_indication(void **state)
{
	struct mock_vm *vm = new_vm(NULL);
	uint64_t last;

	set_line(vm, 1, 0x03);
	mock_outb(vm, MCR, MCR_LOOP);
	mock_outb(vm, FCR, 0x81); /* trigger level 8 */
	mock_outb(vm, IER, 0x01);
	mock_outb(vm, THR, 'a');
	mock_outb(vm, THR, 'b');
	last = mock_now(vm) + 2 * CHAR_8N1_DIV1;
	advance_to(vm, last);
	/* four character times with nothing in or out of the receiver FIFO */
	assert_int_equal(mock_next_deadline(vm), last + 4 * CHAR_8N1_DIV1);
	advance_to(vm, last + 4 * CHAR_8N1_DIV1 - 1);
	assert_int_equal(mock_inb(vm, IIR), 0xC1);
	mock_advance(vm, 1);
	assert_int_equal(mock_inb(vm, IIR), 0xCC);
	/* reading RBR clears it and starts the count again */
	assert_int_equal(mock_inb(vm, RBR), 'a');
	assert_int_equal(mock_inb(vm, IIR), 0xC1);
	mock_advance(vm, 4 * CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, IIR), 0xCC);
	assert_int_equal(mock_inb(vm, RBR), 'b');
	mock_advance(vm, 10 * CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, IIR), 0xC1);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
}

static void test_iir_priorities_and_what_clears_each(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	set_line(vm, 1, 0x03);
	mock_outb(vm, MCR, MCR_LOOP); /* modem status deltas */
	mock_outb(vm, IER, 0x0F);
	assert_int_equal(mock_inb(vm, IIR), 0x02);
	/* no FIFO: the second byte overruns the first */
	mock_outb(vm, THR, 0x11);
	mock_outb(vm, THR, 0x22);
	mock_advance(vm, 2 * CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, IIR), 0x06);       /* receiver line status */
	assert_int_equal(mock_inb(vm, LSR), LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
	assert_int_equal(mock_inb(vm, IIR), 0x04);       /* received data */
	assert_int_equal(mock_inb(vm, RBR), 0x22);
	assert_int_equal(mock_inb(vm, IIR), 0x02);       /* THR empty, cleared by this read */
	assert_int_equal(mock_inb(vm, IIR), 0x00);       /* modem status */
	assert_int_equal(mock_inb(vm, MSR), 0x0B);
	assert_int_equal(mock_inb(vm, IIR), 0x01);
	/* a THR write also clears the THRE interrupt, until the byte moves on */
	mock_outb(vm, IER, 0x00);
	mock_outb(vm, IER, 0x02);
	mock_outb(vm, THR, 0x33);
	mock_outb(vm, THR, 0x44);
	assert_int_equal(mock_inb(vm, IIR), 0x01);
	mock_advance(vm, CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, IIR), 0x02);
	mock_vm_destroy(vm);
}

static void test_irq4_follows_interrupt_and_out2(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	mock_outb(vm, IER, 0x02);
	/* OUT2 off: the interrupt shows in IIR but does not reach IRQ 4 */
	assert_false(mock_irq_level(vm, IRQ4));
	mock_outb(vm, MCR, MCR_OUT2);
	assert_true(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_inb(vm, IIR), 0x02);
	assert_false(mock_irq_level(vm, IRQ4));
	/* a byte written moves to the shift register at once: THR is empty again */
	mock_outb(vm, THR, 'x');
	assert_true(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_irq_rising_edges(vm, IRQ4), 2);
	mock_outb(vm, MCR, 0);
	assert_false(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_inb(vm, IIR), 0x02);
	mock_vm_destroy(vm);
}

/* An interrupt-driven transmitter, as a DOS driver writes one: a byte per THRE interrupt. */
static void test_interrupt_driven_output_reaches_file_at_newline(void **state)
{
	char *path;
	struct mock_vm *vm = vm_with_output(&path);
	const char *text = "hello\n";

	set_line(vm, 1, 0x03);
	mock_outb(vm, MCR, MCR_OUT2 | MCR_RTS | MCR_DTR);
	mock_outb(vm, IER, 0x02);
	while (*text) {
		while (!mock_irq_level(vm, IRQ4))
			advance_to(vm, mock_next_deadline(vm));
		assert_int_equal(mock_inb(vm, IIR), 0x02);
		mock_outb(vm, THR, (uint8_t)*text++);
	}
	while (mock_next_deadline(vm) != UINT64_MAX)
		advance_to(vm, mock_next_deadline(vm));
	assert_int_equal(mock_inb(vm, LSR), LSR_THRE | LSR_TEMT);
	/* flushed at the newline, before the VM ends */
	assert_file(path, "hello\n");
	mock_vm_destroy(vm);
	remove_temp(path);
}

static void test_output_file_gets_what_was_sent_and_the_rest_at_terminate(void **state)
{
	char *path;
	struct mock_vm *vm = vm_with_output(&path);

	set_line(vm, 1, 0x03);
	for (const char *p = "ab\n"; *p; p++) {
		mock_outb(vm, THR, (uint8_t)*p);
		mock_advance(vm, CHAR_8N1_DIV1);
	}
	assert_file(path, "ab\n");
	/* the file gets whole bytes, whatever the word length */
	mock_outb(vm, LCR, 0x02);
	mock_outb(vm, THR, 0xC3);
	mock_advance(vm, CHAR_8N1_DIV1);
	/* still in the transmitter when the VM ends: written all the same */
	mock_outb(vm, FCR, 0x01);
	mock_outb(vm, LCR, 0x03);
	mock_outb(vm, THR, 'd');
	mock_outb(vm, THR, 'e');
	mock_vm_destroy(vm);
	assert_file(path, "ab\n\xC3" "de");
	remove_temp(path);
}

static struct mock_vm *vm_with_input(const char *contents, char **path)
{
	char props[64];

	*path = temp_file(contents);
	snprintf(props, sizeof(props), "input=%s", *path);
	return new_vm(props);
}

static void test_input_paced_at_baud_rate_and_held_without_overrun(void **state)
{
	char *path;
	struct mock_vm *vm = vm_with_input("xyz", &path);
	uint64_t t;

	set_line(vm, 1, 0x03);
	mock_outb(vm, IER, 0x01);
	/* nothing is sent before DTR */
	mock_advance(vm, 1000000);
	assert_int_equal(mock_inb(vm, LSR) & LSR_DR, 0);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	t = mock_now(vm);
	mock_outb(vm, MCR, MCR_OUT2 | MCR_DTR);
	assert_int_equal(mock_next_deadline(vm), t + CHAR_8N1_DIV1);
	advance_to(vm, t + CHAR_8N1_DIV1 - 1);
	assert_int_equal(mock_inb(vm, LSR) & LSR_DR, 0);
	mock_advance(vm, 1);
	assert_true(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_inb(vm, IIR), 0x04);
	/* the receiver is full: the next byte waits, no overrun, no timer */
	mock_advance(vm, 10 * CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	assert_int_equal(mock_inb(vm, RBR), 'x');
	assert_false(mock_irq_level(vm, IRQ4));
	t = mock_now(vm);
	advance_to(vm, t + CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, RBR), 'y');
	/* DTR off holds it */
	mock_outb(vm, MCR, MCR_OUT2);
	mock_advance(vm, 10 * CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, LSR) & LSR_DR, 0);
	mock_outb(vm, MCR, MCR_OUT2 | MCR_DTR);
	mock_advance(vm, CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, RBR), 'z');
	/* end of file: nothing more, no timer */
	mock_advance(vm, 10 * CHAR_8N1_DIV1);
	assert_int_equal(mock_inb(vm, LSR) & LSR_DR, 0);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
	remove_temp(path);
}

static void test_input_into_fifo_ends_with_character_timeout(void **state)
{
	char *path;
	struct mock_vm *vm = vm_with_input("hello", &path);
	char got[6] = { 0 };
	uint64_t t;

	set_line(vm, 1, 0x03);
	mock_outb(vm, FCR, 0xC1); /* trigger level 14 */
	mock_outb(vm, IER, 0x01);
	t = mock_now(vm);
	mock_outb(vm, MCR, MCR_OUT2 | MCR_DTR);
	/* five bytes a character time apart, then four character times of silence */
	advance_to(vm, t + 9 * CHAR_8N1_DIV1 - 1);
	assert_false(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_inb(vm, IIR), 0xC1);
	mock_advance(vm, 1);
	assert_true(mock_irq_level(vm, IRQ4));
	assert_int_equal(mock_inb(vm, IIR), 0xCC);
	for (int i = 0; i < 5; i++)
		got[i] = (char)mock_inb(vm, RBR);
	assert_string_equal(got, "hello");
	assert_false(mock_irq_level(vm, IRQ4));
	mock_vm_destroy(vm);
	remove_temp(path);
}

static void test_unopenable_files_refused(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, "output=/nonexistent/dir/out"), -ENOENT);
	mock_vm_destroy(vm);
	vm = mock_vm_create();
	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, "input=/nonexistent/in"), -ENOENT);
	mock_vm_destroy(vm);
}

static void test_garbage_port_sequences_do_not_crash(void **state)
{
	char *in_path = temp_file("some input bytes for the receiver");
	char *out_path = temp_file(NULL);
	char props[128];
	struct mock_vm *vm;
	uint32_t x = 777;

	snprintf(props, sizeof(props), "input=%s,output=%s", in_path, out_path);
	vm = new_vm(props);
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		mock_outb(vm, (uint16_t)(COM1 + (x >> 29)), (uint8_t)(x >> 16));
		mock_inb(vm, (uint16_t)(COM1 + (x >> 13 & 7)));
		if (i % 8 == 0)
			mock_advance(vm, (x >> 4) % 2000000);
	}
	mock_vm_destroy(vm);
	remove_temp(in_path);
	remove_temp(out_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on_registers_ports_and_irq4),
		cmocka_unit_test(test_port_and_irq_properties),
		cmocka_unit_test(test_seabios_detection_sequence),
		cmocka_unit_test(test_dlab_switches_to_divisor_latch),
		cmocka_unit_test(test_character_time_follows_divisor_and_format),
		cmocka_unit_test(test_loopback_echo_and_modem_status),
		cmocka_unit_test(test_fifo_trigger_levels_raise_received_data_interrupt),
		cmocka_unit_test(test_transmit_fifo_holds_16_bytes),
		cmocka_unit_test(test_character_timeout_indication),
		cmocka_unit_test(test_iir_priorities_and_what_clears_each),
		cmocka_unit_test(test_irq4_follows_interrupt_and_out2),
		cmocka_unit_test(test_interrupt_driven_output_reaches_file_at_newline),
		cmocka_unit_test(test_output_file_gets_what_was_sent_and_the_rest_at_terminate),
		cmocka_unit_test(test_input_paced_at_baud_rate_and_held_without_overrun),
		cmocka_unit_test(test_input_into_fifo_ends_with_character_timeout),
		cmocka_unit_test(test_unopenable_files_refused),
		cmocka_unit_test(test_garbage_port_sequences_do_not_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
