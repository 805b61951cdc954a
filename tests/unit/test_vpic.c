/* test_vpic.c: the 8259A pair of vpic as a guest and the devices see it, through vdh_mock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define MASTER_CMD 0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD 0xA0
#define SLAVE_DATA 0xA1

/* Command bytes as a BIOS or an OS writes them, named after the 8259A datasheet. */
#define ICW1_PC 0x11   /* edge triggered, cascaded, ICW4 follows */
#define ICW1_LTIM 0x08 /* level triggered */
#define ICW1_SNGL 0x02 /* single chip */
#define ICW4_8086 0x01 /* 8086 mode, normal EOI */
#define ICW4_AEOI 0x02 /* automatic EOI */
#define ICW4_SFNM 0x10 /* special fully nested mode */

#define OCW2_EOI 0x20 /* non-specific EOI */
#define OCW2_SPECIFIC_EOI(l) (0x60 | (l))
#define OCW2_ROTATE_EOI 0xA0 /* rotate on non-specific EOI */
#define OCW2_ROTATE_SPECIFIC_EOI(l) (0xE0 | (l))
#define OCW2_SET_PRIORITY(l) (0xC0 | (l))
#define OCW2_SET_ROTATE_AEOI 0x80
#define OCW2_CLEAR_ROTATE_AEOI 0x00
#define OCW2_NOP 0x40

#define OCW3_READ_IRR 0x0A
#define OCW3_READ_ISR 0x0B
#define OCW3_POLL 0x0C
#define OCW3_SET_SMM 0x68
#define OCW3_RESET_SMM 0x48
#define OCW3_SMM_WITHOUT_ESMM 0x28
#define OCW3_NO_READ_COMMAND 0x09 /* RIS=1 but RR=0 */

static int setup(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), 0);
	*state = vm;
	return 0;
}

static int teardown(void **state)
{
	mock_vm_destroy(*state);
	return 0;
}

static uint8_t read_irr(struct mock_vm *vm, uint16_t cmd_port)
{
	mock_outb(vm, cmd_port, OCW3_READ_IRR);
	return mock_inb(vm, cmd_port);
}

static uint8_t read_isr(struct mock_vm *vm, uint16_t cmd_port)
{
	uint8_t isr;

	mock_outb(vm, cmd_port, OCW3_READ_ISR);
	isr = mock_inb(vm, cmd_port);
	mock_outb(vm, cmd_port, OCW3_READ_IRR);
	return isr;
}

/* A device's edge: the pin rises and falls again before the CPU acknowledges. */
static void pulse(struct mock_vm *vm, unsigned line)
{
	mock_intc_set_irq(vm, line, true);
	mock_intc_set_irq(vm, line, false);
}

static void unmask_all(struct mock_vm *vm)
{
	mock_outb(vm, MASTER_DATA, 0x00);
	mock_outb(vm, SLAVE_DATA, 0x00);
}

/* A full PC/AT initialization, as a BIOS or an OS does it; leaves all lines unmasked. */
static void init_pics(struct mock_vm *vm, uint8_t icw1, uint8_t master_base, uint8_t master_icw4,
		      uint8_t slave_base, uint8_t slave_icw4)
{
	mock_outb(vm, MASTER_CMD, icw1);
	mock_outb(vm, MASTER_DATA, master_base);
	mock_outb(vm, MASTER_DATA, 0x04);
	mock_outb(vm, MASTER_DATA, master_icw4);
	mock_outb(vm, SLAVE_CMD, icw1);
	mock_outb(vm, SLAVE_DATA, slave_base);
	mock_outb(vm, SLAVE_DATA, 0x02);
	mock_outb(vm, SLAVE_DATA, slave_icw4);
}

/* Counts the lines the VDD logs (vdh_mock writes them to stderr) while fn runs. */
static unsigned count_log_lines(struct mock_vm *vm, void (*fn)(struct mock_vm *vm))
{
	FILE *capture = tmpfile();
	int saved = dup(STDERR_FILENO);
	unsigned lines = 0;
	int ch;

	assert_non_null(capture);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(capture), STDERR_FILENO) >= 0);
	fn(vm);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(capture);
	while ((ch = fgetc(capture)) != EOF)
		lines += ch == '\n';
	fclose(capture);
	return lines;
}

static void test_power_on_claims_ports_and_controller(void **state)
{
	struct mock_vm *vm = *state;

	assert_true(mock_port_claimed(vm, MASTER_CMD));
	assert_true(mock_port_claimed(vm, MASTER_DATA));
	assert_true(mock_port_claimed(vm, SLAVE_CMD));
	assert_true(mock_port_claimed(vm, SLAVE_DATA));
	assert_false(mock_port_claimed(vm, 0x22));
	assert_false(mock_port_claimed(vm, 0xA2));
	assert_true(mock_intc_registered(vm));
}

static void test_power_on_all_masked_nothing_pending(void **state)
{
	struct mock_vm *vm = *state;

	assert_int_equal(mock_inb(vm, MASTER_DATA), 0xFF);
	assert_int_equal(mock_inb(vm, SLAVE_DATA), 0xFF);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x00); /* status port reads IRR */
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
	assert_false(mock_intc_has_interrupt(vm));

	/* A masked request is latched in IRR but does not interrupt. */
	pulse(vm, 0);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x01);
	assert_false(mock_intc_has_interrupt(vm));
}

static void test_power_on_vector_bases_are_bios_ones(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 0);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);

	pulse(vm, 8);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x70);
}

static void test_icw_sequence_sets_vector_base(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x20, ICW4_8086, 0x28, ICW4_8086);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x21);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	pulse(vm, 14);
	assert_int_equal(mock_intc_acknowledge(vm), 0x2E);
}

static void test_icw2_ignores_low_three_bits(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x47, ICW4_8086, 0x70, ICW4_8086);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x43);
}

static void test_icw1_clears_imr_isr_irr_and_rotation(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	mock_outb(vm, MASTER_CMD, OCW2_SET_PRIORITY(3));
	pulse(vm, 5);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
	pulse(vm, 6);
	mock_outb(vm, MASTER_DATA, 0x40);
	mock_outb(vm, MASTER_CMD, OCW3_READ_ISR);

	mock_outb(vm, MASTER_CMD, ICW1_PC);
	assert_int_equal(mock_inb(vm, MASTER_DATA), 0x00);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x00); /* read register back to IRR */
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	mock_outb(vm, MASTER_DATA, 0x08);
	mock_outb(vm, MASTER_DATA, 0x04);
	mock_outb(vm, MASTER_DATA, ICW4_8086);
	assert_false(mock_intc_has_interrupt(vm));

	/* IR7 is the lowest priority again: IR0 beats IR4. */
	pulse(vm, 4);
	pulse(vm, 0);
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);
}

static void test_icw1_resets_edge_sense(void **state)
{
	struct mock_vm *vm = *state;

	mock_intc_set_irq(vm, 3, true);
	init_pics(vm, ICW1_PC, 0x08, ICW4_8086, 0x70, ICW4_8086);
	assert_false(mock_intc_has_interrupt(vm));
	mock_intc_set_irq(vm, 3, false);
	mock_intc_set_irq(vm, 3, true);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
}

static void test_single_mode_skips_icw3_and_cascade(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_CMD, ICW1_PC | ICW1_SNGL);
	mock_outb(vm, MASTER_DATA, 0x40);
	mock_outb(vm, MASTER_DATA, ICW4_8086); /* ICW4 directly after ICW2 */
	mock_outb(vm, MASTER_DATA, 0xF0);      /* OCW1 */
	assert_int_equal(mock_inb(vm, MASTER_DATA), 0xF0);

	/* IR2 is an ordinary input now: the master answers for it itself. */
	mock_outb(vm, SLAVE_DATA, 0x00);
	pulse(vm, 9);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x42);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
}

static void test_icw1_without_ic4_skips_icw4(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_CMD, 0x10);
	mock_outb(vm, MASTER_DATA, 0x50);
	mock_outb(vm, MASTER_DATA, 0x04);
	mock_outb(vm, MASTER_DATA, 0xFD); /* OCW1, not ICW4 */
	assert_int_equal(mock_inb(vm, MASTER_DATA), 0xFD);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x51);
	/* ICW4 functions were cleared: no AEOI, IR1 stays in service. */
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x02);
}

static void init_8080_mode_twice(struct mock_vm *vm)
{
	init_pics(vm, ICW1_PC, 0x08, 0x00, 0x70, ICW4_8086);
	init_pics(vm, ICW1_PC, 0x08, 0x00, 0x70, 0x00);
}

static void test_8080_mode_logs_once_and_answers_8086_vectors(void **state)
{
	struct mock_vm *vm = *state;

	assert_int_equal(count_log_lines(vm, init_8080_mode_twice), 1);
	pulse(vm, 6);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0E);
}

static void test_icw4_aeoi_does_not_keep_isr(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x08, ICW4_8086 | ICW4_AEOI, 0x70, ICW4_8086 | ICW4_AEOI);
	pulse(vm, 4);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(mock_eoi_count(vm, 4), 1);

	/* IR4 is not in service, so a lower level is served at once. */
	pulse(vm, 5);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
}

static void test_aeoi_on_slave_reports_slave_line_not_cascade(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x08, ICW4_8086 | ICW4_AEOI, 0x70, ICW4_8086 | ICW4_AEOI);
	pulse(vm, 12);
	assert_int_equal(mock_intc_acknowledge(vm), 0x74);
	assert_int_equal(mock_eoi_count(vm, 12), 1);
	assert_int_equal(mock_eoi_count(vm, 2), 0);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
}

static void test_imr_reads_back_ocw1(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_DATA, 0xB8);
	mock_outb(vm, SLAVE_DATA, 0x3D);
	assert_int_equal(mock_inb(vm, MASTER_DATA), 0xB8);
	assert_int_equal(mock_inb(vm, SLAVE_DATA), 0x3D);
}

static void test_imr_masks_request_until_unmasked(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_DATA, 0xFE);
	pulse(vm, 1);
	assert_false(mock_intc_has_interrupt(vm));
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x02);

	mock_outb(vm, MASTER_DATA, 0xFD);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
}

static void test_masked_slave_line_does_not_reach_master(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_DATA, 0x00);
	mock_outb(vm, SLAVE_DATA, 0xFF);
	pulse(vm, 11);
	assert_false(mock_intc_has_interrupt(vm));
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_irr(vm, SLAVE_CMD), 0x08);
}

static void test_fixed_priority_serves_lowest_level_first(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 7);
	pulse(vm, 3);
	pulse(vm, 1);
	pulse(vm, 5);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0F);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x80); /* a real IR7, not a spurious one */
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_false(mock_intc_has_interrupt(vm));
}

static void test_slave_lines_rank_between_irq1_and_irq3(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 3);
	pulse(vm, 15);
	assert_int_equal(mock_intc_acknowledge(vm), 0x77);
	mock_outb(vm, SLAVE_CMD, OCW2_EOI);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
}

static void test_cascade_vectors_for_irq8_to_15(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	for (unsigned line = 8; line < 16; line++) {
		pulse(vm, line);
		assert_true(mock_intc_has_interrupt(vm));
		assert_int_equal(mock_intc_acknowledge(vm), 0x70 + line - 8);
		assert_int_equal(read_isr(vm, SLAVE_CMD), 1u << (line - 8));
		mock_outb(vm, SLAVE_CMD, OCW2_EOI);
		mock_outb(vm, MASTER_CMD, OCW2_EOI);
		assert_false(mock_intc_has_interrupt(vm));
	}
}

static void test_slave_interrupt_sets_master_isr_bit2(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 10);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x04);
	assert_int_equal(mock_intc_acknowledge(vm), 0x72);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x04);

	/* The slave's EOI alone leaves IR2 in service on the master. */
	mock_outb(vm, SLAVE_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
}

static void test_nonspecific_eoi_clears_highest_isr(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x0A);

	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x08);
	assert_int_equal(mock_eoi_count(vm, 1), 1);
	assert_int_equal(mock_eoi_count(vm, 3), 0);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(mock_eoi_count(vm, 3), 1);
}

static void test_nonspecific_eoi_with_nothing_in_service_reports_nothing(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	mock_outb(vm, SLAVE_CMD, OCW2_EOI);
	for (unsigned line = 0; line < 16; line++)
		assert_int_equal(mock_eoi_count(vm, line), 0);
}

static void test_specific_eoi_clears_named_level(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);

	mock_outb(vm, MASTER_CMD, OCW2_SPECIFIC_EOI(3));
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x02);
	assert_int_equal(mock_eoi_count(vm, 3), 1);
	assert_int_equal(mock_eoi_count(vm, 1), 0);
}

static void test_specific_eoi_of_idle_level_reports_nothing(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 4);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	mock_outb(vm, MASTER_CMD, OCW2_SPECIFIC_EOI(6));
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x10);
	assert_int_equal(mock_eoi_count(vm, 6), 0);
	assert_int_equal(mock_eoi_count(vm, 4), 0);
}

static void test_slave_eoi_reports_isa_line_and_never_cascade(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 13);
	assert_int_equal(mock_intc_acknowledge(vm), 0x75);
	mock_outb(vm, SLAVE_CMD, OCW2_SPECIFIC_EOI(5));
	mock_outb(vm, MASTER_CMD, OCW2_SPECIFIC_EOI(2));
	assert_int_equal(mock_eoi_count(vm, 13), 1);
	assert_int_equal(mock_eoi_count(vm, 5), 0);
	assert_int_equal(mock_eoi_count(vm, 2), 0);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);

	pulse(vm, 8);
	assert_int_equal(mock_intc_acknowledge(vm), 0x70);
	mock_outb(vm, SLAVE_CMD, OCW2_EOI);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_eoi_count(vm, 8), 1);
	assert_int_equal(mock_eoi_count(vm, 0), 0);
	assert_int_equal(mock_eoi_count(vm, 2), 0);
}

static void test_higher_priority_request_preempts_in_service(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 5);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
	pulse(vm, 1);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x22);
}

static void test_lower_priority_request_waits_for_eoi(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	pulse(vm, 5);
	assert_false(mock_intc_has_interrupt(vm));
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
}

static void test_same_level_waits_for_its_own_eoi(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 0);
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);
	pulse(vm, 0);
	assert_false(mock_intc_has_interrupt(vm));
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x01);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);
}

static void test_second_slave_request_delivered_after_both_eois(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 9);
	pulse(vm, 8);
	assert_int_equal(mock_intc_acknowledge(vm), 0x70);
	assert_false(mock_intc_has_interrupt(vm));
	mock_outb(vm, SLAVE_CMD, OCW2_EOI);
	assert_false(mock_intc_has_interrupt(vm)); /* master IR2 still in service */
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x71);
}

static void test_master_keeps_ir2_request_while_slave_still_asserts(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x08, ICW4_8086, 0x70, ICW4_8086 | ICW4_AEOI);
	pulse(vm, 9);
	pulse(vm, 8);
	assert_int_equal(mock_intc_acknowledge(vm), 0x70);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x04);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x71);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x00);
}

static void test_rotate_on_nonspecific_eoi_makes_level_lowest(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	mock_outb(vm, MASTER_CMD, OCW2_ROTATE_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(mock_eoi_count(vm, 3), 1);

	/* Priority is now 4 5 6 7 0 1 2 3. */
	pulse(vm, 3);
	pulse(vm, 0);
	pulse(vm, 6);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0E);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
}

static void test_rotated_nonspecific_eoi_clears_highest_rotated_level(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	mock_outb(vm, MASTER_CMD, OCW2_SET_PRIORITY(4)); /* 5 6 7 0 1 2 3 4 */
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	pulse(vm, 6);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0E);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x02);
}

static void test_rotate_on_specific_eoi_makes_named_level_lowest(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 5);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
	mock_outb(vm, MASTER_CMD, OCW2_ROTATE_SPECIFIC_EOI(5));
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(mock_eoi_count(vm, 5), 1);

	/* Priority is now 6 7 0 1 2 3 4 5. */
	pulse(vm, 0);
	pulse(vm, 7);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0F);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x80);
}

static void test_set_priority_command_changes_order_only(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 4);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	mock_outb(vm, MASTER_CMD, OCW2_SET_PRIORITY(5)); /* 6 7 0 1 2 3 4 5 */
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x10);
	assert_int_equal(mock_eoi_count(vm, 4), 0);

	/* IR6 now outranks the in-service IR4; IR0 still does too, but ranks below IR6. */
	pulse(vm, 0);
	pulse(vm, 6);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0E);
}

static void test_rotate_in_aeoi_mode_rotates_at_inta(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x08, ICW4_8086 | ICW4_AEOI, 0x70, ICW4_8086);
	mock_outb(vm, MASTER_CMD, OCW2_SET_ROTATE_AEOI);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);

	/* Priority is now 2 3 4 5 6 7 0 1. */
	pulse(vm, 0);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	/* 4 5 6 7 0 1 2 3: IR0 is next, IR3 last */
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);

	mock_outb(vm, MASTER_CMD, OCW2_CLEAR_ROTATE_AEOI);
	/* Priority stays 1 2 3 4 5 6 7 0 from the last rotation, and rotates no more. */
	pulse(vm, 0);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	assert_int_equal(mock_intc_acknowledge(vm), 0x08);
}

static void test_ocw2_nop_changes_nothing(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 3);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0B);
	mock_outb(vm, MASTER_CMD, OCW2_NOP | 3);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x08);
	assert_int_equal(mock_eoi_count(vm, 3), 0);
}

static void test_special_mask_mode_lets_lower_levels_in(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	/* An IR1 handler that wants lower levels: SMM on, its own level masked. */
	mock_outb(vm, MASTER_CMD, OCW3_SET_SMM);
	mock_outb(vm, MASTER_DATA, 0x02);
	pulse(vm, 5);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x22);

	/* In SMM a level's own ISR bit still holds it back. */
	pulse(vm, 5);
	assert_false(mock_intc_has_interrupt(vm));
	/* A non-specific EOI skips the masked IR1 and ends IR5. */
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x02);
	assert_int_equal(mock_eoi_count(vm, 5), 1);
	assert_int_equal(mock_eoi_count(vm, 1), 0);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
}

static void test_reset_special_mask_mode_restores_nesting(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 1);
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
	mock_outb(vm, MASTER_CMD, OCW3_SET_SMM);
	mock_outb(vm, MASTER_CMD, OCW3_RESET_SMM);
	mock_outb(vm, MASTER_DATA, 0x02);
	pulse(vm, 5);
	assert_false(mock_intc_has_interrupt(vm));
	/* SMM=1 without ESMM is ignored. */
	mock_outb(vm, MASTER_CMD, OCW3_SMM_WITHOUT_ESMM);
	assert_false(mock_intc_has_interrupt(vm));
	mock_outb(vm, MASTER_CMD, OCW3_SET_SMM);
	assert_true(mock_intc_has_interrupt(vm));
}

static void test_fully_nested_blocks_slave_while_cascade_in_service(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 11);
	assert_int_equal(mock_intc_acknowledge(vm), 0x73);
	pulse(vm, 8); /* higher on the slave, but the master holds IR2 in service */
	assert_false(mock_intc_has_interrupt(vm));
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x70);
}

static void test_sfnm_lets_higher_slave_level_preempt(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x08, ICW4_8086 | ICW4_SFNM, 0x70, ICW4_8086);
	pulse(vm, 11);
	assert_int_equal(mock_intc_acknowledge(vm), 0x73);
	pulse(vm, 8);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x70);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x09);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04);

	/* A lower slave level still waits for the slave's own in-service levels. */
	pulse(vm, 12);
	assert_false(mock_intc_has_interrupt(vm));
}

static void test_sfnm_still_blocks_lower_master_levels(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC, 0x08, ICW4_8086 | ICW4_SFNM, 0x70, ICW4_8086);
	pulse(vm, 11);
	assert_int_equal(mock_intc_acknowledge(vm), 0x73);
	pulse(vm, 5);
	assert_false(mock_intc_has_interrupt(vm));
	pulse(vm, 1);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x09);
}

static void test_level_triggered_irr_follows_pin(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC | ICW1_LTIM, 0x08, ICW4_8086, 0x70, ICW4_8086);
	mock_intc_set_irq(vm, 4, true);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x10);
	assert_true(mock_intc_has_interrupt(vm));
	mock_intc_set_irq(vm, 4, false);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x00);
	assert_false(mock_intc_has_interrupt(vm));
}

static void test_level_triggered_request_repeats_after_eoi(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC | ICW1_LTIM, 0x08, ICW4_8086, 0x70, ICW4_8086);
	mock_intc_set_irq(vm, 4, true);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	assert_false(mock_intc_has_interrupt(vm));
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	/* The pin is still high: no new edge needed. */
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
}

static void test_icw1_in_level_mode_irr_shows_pins(void **state)
{
	struct mock_vm *vm = *state;

	pulse(vm, 5);
	mock_intc_set_irq(vm, 6, true);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x60);
	mock_outb(vm, MASTER_CMD, ICW1_PC | ICW1_LTIM);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x40);
}

static void test_edge_latch_survives_pin_drop_before_inta(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	mock_intc_set_irq(vm, 4, true);
	mock_intc_set_irq(vm, 4, false);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x10);
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x10);
}

static void test_edge_mode_needs_new_edge_after_eoi(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	mock_intc_set_irq(vm, 4, true);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	mock_intc_set_irq(vm, 4, true); /* still high: not an edge */
	assert_false(mock_intc_has_interrupt(vm));
	mock_intc_set_irq(vm, 4, false);
	mock_intc_set_irq(vm, 4, true);
	assert_true(mock_intc_has_interrupt(vm));
}

static void test_spurious_irq7_without_request(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	assert_false(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x0F);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
}

static void test_spurious_irq7_when_request_vanishes(void **state)
{
	struct mock_vm *vm = *state;

	init_pics(vm, ICW1_PC | ICW1_LTIM, 0x08, ICW4_8086, 0x70, ICW4_8086);
	mock_intc_set_irq(vm, 5, true);
	assert_true(mock_intc_has_interrupt(vm));
	mock_intc_set_irq(vm, 5, false);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0F);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(mock_eoi_count(vm, 7), 0);
}

static void test_spurious_irq7_when_request_masked_before_inta(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_DATA, 0x00);
	pulse(vm, 6);
	assert_true(mock_intc_has_interrupt(vm));
	mock_outb(vm, MASTER_DATA, 0x40);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0F);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x40);
}

static void test_spurious_irq15_when_slave_request_vanishes(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 10);
	assert_true(mock_intc_has_interrupt(vm));
	mock_outb(vm, SLAVE_DATA, 0x04); /* masked on the slave after the master latched IR2 */
	assert_true(mock_intc_has_interrupt(vm));
	assert_int_equal(mock_intc_acknowledge(vm), 0x77);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04); /* the guest must EOI the master */
	mock_outb(vm, MASTER_CMD, OCW2_EOI);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x00);
	assert_int_equal(mock_eoi_count(vm, 15), 0);
	assert_int_equal(mock_eoi_count(vm, 2), 0);
}

static void test_spurious_irq15_when_level_slave_request_drops(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, MASTER_DATA, 0x00);
	mock_outb(vm, SLAVE_CMD, ICW1_PC | ICW1_LTIM);
	mock_outb(vm, SLAVE_DATA, 0x70);
	mock_outb(vm, SLAVE_DATA, 0x02);
	mock_outb(vm, SLAVE_DATA, ICW4_8086);
	mock_intc_set_irq(vm, 14, true);
	assert_true(mock_intc_has_interrupt(vm));
	mock_intc_set_irq(vm, 14, false);
	assert_int_equal(mock_intc_acknowledge(vm), 0x77);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04);
}

static void test_poll_returns_highest_request_and_acknowledges(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 6);
	pulse(vm, 3);
	mock_outb(vm, MASTER_CMD, OCW3_POLL);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x83);
	/* The poll flag is gone: the status port reads IRR again. */
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x40);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x08);
}

static void test_poll_without_request_returns_zero(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 5);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0D);
	pulse(vm, 6); /* lower than the in-service IR5: not a request the poll reports */
	mock_outb(vm, MASTER_CMD, OCW3_POLL);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x00);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x20);
}

static void test_poll_waits_for_status_port_read(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 1);
	mock_outb(vm, MASTER_CMD, OCW3_POLL);
	assert_int_equal(mock_inb(vm, MASTER_DATA), 0x00); /* the IMR, not the poll word */
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x81);
}

static void test_poll_of_master_then_slave_finds_slave_level(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 13);
	mock_outb(vm, MASTER_CMD, OCW3_POLL);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x82);
	mock_outb(vm, SLAVE_CMD, OCW3_POLL);
	assert_int_equal(mock_inb(vm, SLAVE_CMD), 0x85);
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x20);
	assert_int_equal(read_isr(vm, MASTER_CMD), 0x04);
	assert_false(mock_intc_has_interrupt(vm));
}

static void test_ocw3_selects_irr_or_isr_for_status_reads(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	pulse(vm, 4);
	assert_int_equal(mock_intc_acknowledge(vm), 0x0C);
	pulse(vm, 7);

	mock_outb(vm, MASTER_CMD, OCW3_READ_ISR);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x10);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x10); /* the choice sticks */
	mock_outb(vm, MASTER_CMD, OCW3_READ_IRR);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x80);
	/* RR=0 keeps the previous choice. */
	mock_outb(vm, MASTER_CMD, OCW3_NO_READ_COMMAND);
	assert_int_equal(mock_inb(vm, MASTER_CMD), 0x80);
	/* The slave has its own registers. */
	assert_int_equal(read_isr(vm, SLAVE_CMD), 0x00);
}

static void drive_line2(struct mock_vm *vm)
{
	mock_intc_set_irq(vm, 2, true);
	mock_intc_set_irq(vm, 2, false);
	mock_intc_set_irq(vm, 2, true);
}

static void test_line2_is_ignored_with_one_warning(void **state)
{
	struct mock_vm *vm = *state;

	unmask_all(vm);
	assert_int_equal(count_log_lines(vm, drive_line2), 1);
	assert_false(mock_intc_has_interrupt(vm));
	assert_int_equal(read_irr(vm, MASTER_CMD), 0x00);

	/* The cascade itself still works. */
	pulse(vm, 9);
	assert_int_equal(mock_intc_acknowledge(vm), 0x71);
}

static void test_guest_garbage_is_survivable(void **state)
{
	struct mock_vm *vm = *state;
	static const uint16_t ports[] = { MASTER_CMD, MASTER_DATA, SLAVE_CMD, SLAVE_DATA };
	uint32_t seed = 12345;

	for (unsigned i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		uint16_t port = ports[(seed >> 16) & 3];
		uint8_t value = (uint8_t)(seed >> 20);
		switch ((seed >> 28) & 3) {
		case 0:
			mock_outb(vm, port, value);
			break;
		case 1:
			mock_inb(vm, port);
			break;
		case 2:
			mock_intc_set_irq(vm, value & 0x1F, value & 0x20);
			break;
		case 3:
			mock_intc_has_interrupt(vm);
			mock_intc_acknowledge(vm);
			break;
		}
	}

	/* A full initialization brings the pair back to a known state. */
	for (unsigned line = 0; line < 16; line++)
		mock_intc_set_irq(vm, line, false);
	init_pics(vm, ICW1_PC, 0x08, ICW4_8086, 0x70, ICW4_8086);
	assert_false(mock_intc_has_interrupt(vm));
	pulse(vm, 12);
	assert_int_equal(mock_intc_acknowledge(vm), 0x74);
}

/* Another VDD attached first, holding the slave PIC's ports or the controller role. */
static const struct vdh *other_vdh;

static int other_init(const struct vdh *helpers)
{
	other_vdh = helpers;
	return 0;
}

static const struct vdh_io_ops no_io_ops;
static const struct vdh_intc_ops no_intc_ops;

static int claim_slave_ports(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	return other_vdh->install_io_hook(dev, SLAVE_CMD, 1, &no_io_ops, NULL);
}

static int claim_intc(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	return other_vdh->register_intc(dev, &no_intc_ops, NULL);
}

static const struct vdd_module port_squatter = {
	.api_version = VDH_API_VERSION,
	.name = "squatter",
	.init = other_init,
	.create = claim_slave_ports,
};

static const struct vdd_module intc_squatter = {
	.api_version = VDH_API_VERSION,
	.name = "squatter",
	.init = other_init,
	.create = claim_intc,
};

/* create() must free its instance when a registration fails: LeakSanitizer reports it. */
static void test_create_fails_when_slave_ports_taken(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_int_equal(mock_vm_attach(vm, &port_squatter, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), -EBUSY);
	assert_false(mock_intc_registered(vm));
	mock_vm_destroy(vm);
}

static void test_create_fails_when_controller_taken(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_int_equal(mock_vm_attach(vm, &intc_squatter, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), -EBUSY);
	mock_vm_destroy(vm);
}

#define VPIC_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		VPIC_TEST(test_power_on_claims_ports_and_controller),
		VPIC_TEST(test_power_on_all_masked_nothing_pending),
		VPIC_TEST(test_power_on_vector_bases_are_bios_ones),
		VPIC_TEST(test_icw_sequence_sets_vector_base),
		VPIC_TEST(test_icw2_ignores_low_three_bits),
		VPIC_TEST(test_icw1_clears_imr_isr_irr_and_rotation),
		VPIC_TEST(test_icw1_resets_edge_sense),
		VPIC_TEST(test_single_mode_skips_icw3_and_cascade),
		VPIC_TEST(test_icw1_without_ic4_skips_icw4),
		VPIC_TEST(test_8080_mode_logs_once_and_answers_8086_vectors),
		VPIC_TEST(test_icw4_aeoi_does_not_keep_isr),
		VPIC_TEST(test_aeoi_on_slave_reports_slave_line_not_cascade),
		VPIC_TEST(test_imr_reads_back_ocw1),
		VPIC_TEST(test_imr_masks_request_until_unmasked),
		VPIC_TEST(test_masked_slave_line_does_not_reach_master),
		VPIC_TEST(test_fixed_priority_serves_lowest_level_first),
		VPIC_TEST(test_slave_lines_rank_between_irq1_and_irq3),
		VPIC_TEST(test_cascade_vectors_for_irq8_to_15),
		VPIC_TEST(test_slave_interrupt_sets_master_isr_bit2),
		VPIC_TEST(test_nonspecific_eoi_clears_highest_isr),
		VPIC_TEST(test_nonspecific_eoi_with_nothing_in_service_reports_nothing),
		VPIC_TEST(test_specific_eoi_clears_named_level),
		VPIC_TEST(test_specific_eoi_of_idle_level_reports_nothing),
		VPIC_TEST(test_slave_eoi_reports_isa_line_and_never_cascade),
		VPIC_TEST(test_higher_priority_request_preempts_in_service),
		VPIC_TEST(test_lower_priority_request_waits_for_eoi),
		VPIC_TEST(test_same_level_waits_for_its_own_eoi),
		VPIC_TEST(test_second_slave_request_delivered_after_both_eois),
		VPIC_TEST(test_master_keeps_ir2_request_while_slave_still_asserts),
		VPIC_TEST(test_rotate_on_nonspecific_eoi_makes_level_lowest),
		VPIC_TEST(test_rotated_nonspecific_eoi_clears_highest_rotated_level),
		VPIC_TEST(test_rotate_on_specific_eoi_makes_named_level_lowest),
		VPIC_TEST(test_set_priority_command_changes_order_only),
		VPIC_TEST(test_rotate_in_aeoi_mode_rotates_at_inta),
		VPIC_TEST(test_ocw2_nop_changes_nothing),
		VPIC_TEST(test_special_mask_mode_lets_lower_levels_in),
		VPIC_TEST(test_reset_special_mask_mode_restores_nesting),
		VPIC_TEST(test_fully_nested_blocks_slave_while_cascade_in_service),
		VPIC_TEST(test_sfnm_lets_higher_slave_level_preempt),
		VPIC_TEST(test_sfnm_still_blocks_lower_master_levels),
		VPIC_TEST(test_level_triggered_irr_follows_pin),
		VPIC_TEST(test_level_triggered_request_repeats_after_eoi),
		VPIC_TEST(test_icw1_in_level_mode_irr_shows_pins),
		VPIC_TEST(test_edge_latch_survives_pin_drop_before_inta),
		VPIC_TEST(test_edge_mode_needs_new_edge_after_eoi),
		VPIC_TEST(test_spurious_irq7_without_request),
		VPIC_TEST(test_spurious_irq7_when_request_vanishes),
		VPIC_TEST(test_spurious_irq7_when_request_masked_before_inta),
		VPIC_TEST(test_spurious_irq15_when_slave_request_vanishes),
		VPIC_TEST(test_spurious_irq15_when_level_slave_request_drops),
		VPIC_TEST(test_poll_returns_highest_request_and_acknowledges),
		VPIC_TEST(test_poll_without_request_returns_zero),
		VPIC_TEST(test_poll_waits_for_status_port_read),
		VPIC_TEST(test_poll_of_master_then_slave_finds_slave_level),
		VPIC_TEST(test_ocw3_selects_irr_or_isr_for_status_reads),
		VPIC_TEST(test_line2_is_ignored_with_one_warning),
		VPIC_TEST(test_guest_garbage_is_survivable),
		cmocka_unit_test(test_create_fails_when_slave_ports_taken),
		cmocka_unit_test(test_create_fails_when_controller_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
