/* test_vpit.c: the 8254 PIT and port B as a DOS guest sees them, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define PIT_COUNTER(i) (0x40 + (i))
#define PIT_CONTROL 0x43
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_REFRESH 0x10
#define PORT_B_OUT2 0x20
#define ST_OUT 0x80
#define ST_NULL 0x40
#define SECOND 1000000000ull

/* The virtual time at which PIT clock tick t begins: ceil(t * 88000 / 105) ns. */
static uint64_t tick_ns(uint64_t t)
{
	return (t * 88000 + 104) / 105;
}

/* The PIT clock tick at virtual time ns: floor(ns * 105 / 88000). */
static uint64_t ticks_at(uint64_t ns)
{
	return ns * 105 / 88000;
}

/* Rising edges of a periodic OUT loaded at tick load, at load + k * period (k >= 1),
 * up to virtual time end_ns. */
static unsigned periodic_edges(uint64_t load, uint64_t period, uint64_t end_ns)
{
	uint64_t last = ticks_at(end_ns);

	return last < load ? 0 : (unsigned)((last - load) / period);
}

static void advance_to(struct mock_vm *vm, uint64_t ns)
{
	assert_true(ns >= mock_now(vm));
	mock_advance(vm, ns - mock_now(vm));
}

static void advance_to_tick(struct mock_vm *vm, uint64_t t)
{
	advance_to(vm, tick_ns(t));
}

/* Control word with RW = LSB then MSB, then the count. */
static void program(struct mock_vm *vm, unsigned counter, unsigned mode, uint16_t count)
{
	mock_outb(vm, PIT_CONTROL, (uint8_t)(counter << 6 | 0x30 | mode << 1));
	mock_outb(vm, PIT_COUNTER(counter), (uint8_t)count);
	mock_outb(vm, PIT_COUNTER(counter), (uint8_t)(count >> 8));
}

/* Counter latch command, then LSB and MSB (RW = 3). */
static uint16_t read_latched(struct mock_vm *vm, unsigned counter)
{
	uint16_t lsb;

	mock_outb(vm, PIT_CONTROL, (uint8_t)(counter << 6));
	lsb = mock_inb(vm, PIT_COUNTER(counter));
	return (uint16_t)(lsb | mock_inb(vm, PIT_COUNTER(counter)) << 8);
}

/* Read-back command latching one counter's status only. */
static uint8_t read_status(struct mock_vm *vm, unsigned counter)
{
	mock_outb(vm, PIT_CONTROL, (uint8_t)(0xE0 | 2 << counter));
	return mock_inb(vm, PIT_COUNTER(counter));
}

static bool out2(struct mock_vm *vm)
{
	return mock_inb(vm, PORT_B) & PORT_B_OUT2;
}

static unsigned irq0_edges(struct mock_vm *vm)
{
	return mock_irq_rising_edges(vm, 0);
}

static struct mock_vm *new_vm(void)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), 0);
	return vm;
}

static int setup(void **state)
{
	*state = new_vm();
	return 0;
}

static int teardown(void **state)
{
	mock_vm_destroy(*state);
	return 0;
}

static void test_create_claims_pit_ports_port_b_and_irq0(void **state)
{
	struct mock_vm *vm = *state;

	for (uint16_t port = 0x40; port <= 0x43; port++)
		assert_true(mock_port_claimed(vm, port));
	assert_true(mock_port_claimed(vm, PORT_B));
	assert_false(mock_port_claimed(vm, 0x44));
	assert_false(mock_port_claimed(vm, 0x60));
	assert_false(mock_port_claimed(vm, 0x62));
	assert_true(mock_irq_opened(vm, 0));
}

static const struct vdh *other_vdh;
static const struct vdh_io_ops other_ops;

static int other_init(const struct vdh *vdh)
{
	other_vdh = vdh;
	return 0;
}

static int other_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	*instance = NULL;
	return other_vdh->install_io_hook(dev, PORT_B, 1, &other_ops, NULL);
}

static const struct vdd_module other_module = {
	.api_version = VDH_API_VERSION,
	.name = "portb",
	.init = other_init,
	.create = other_create,
};

static void test_create_fails_with_ebusy_when_port_b_is_taken(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &other_module, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), -EBUSY);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
}

static void test_no_irq0_before_programming(void **state)
{
	struct mock_vm *vm = *state;

	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_advance(vm, SECOND);
	assert_int_equal(irq0_edges(vm), 0);
	assert_false(mock_irq_level(vm, 0));
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
}

static void test_power_on_counters_wait_for_a_count(void **state)
{
	struct mock_vm *vm = *state;
	uint16_t before = read_latched(vm, 1);

	/* as after a mode 3, LSB-then-MSB control word: OUT high, null count */
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(read_status(vm, i), ST_OUT | ST_NULL | 0x36);
	mock_advance(vm, SECOND / 10);
	assert_int_equal(read_latched(vm, 1), before);
	assert_true(out2(vm));
}

/* Rising OUT0 edges over a virtual second in a periodic mode: one per reload,
 * for 1000 Hz, 100 Hz and the BIOS's 18.2 Hz (divisor 0 = 65536). */
static void assert_irq0_rates(unsigned mode)
{
	static const struct {
		uint16_t divisor;
		uint64_t period;
		unsigned edges;
	} cases[] = { { 1193, 1193, 1000 }, { 11932, 11932, 99 }, { 0, 65536, 18 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mock_vm *vm = new_vm();

		program(vm, 0, mode, cases[i].divisor);
		mock_advance(vm, SECOND);
		/* loaded at tick 1, OUT0 rises at every reload */
		assert_int_equal(periodic_edges(1, cases[i].period, SECOND), cases[i].edges);
		assert_int_equal(irq0_edges(vm), cases[i].edges);
		mock_vm_destroy(vm);
	}
}

static void test_mode2_irq0_rate_follows_divisor(void **state)
{
	assert_irq0_rates(2);
}

static void test_mode3_irq0_rate_follows_divisor(void **state)
{
	assert_irq0_rates(3);
}

static void test_mode2_first_irq0_edges_at_exact_virtual_time(void **state)
{
	struct mock_vm *vm = *state;

	/* written at tick 0, loaded at tick 1, OUT0 low at tick 1193, rises at 1194 */
	program(vm, 0, 2, 1193);
	assert_int_equal(tick_ns(1194), 1000686);
	advance_to(vm, tick_ns(1193) - 1);
	assert_int_equal(read_status(vm, 0) & ST_OUT, ST_OUT);
	advance_to_tick(vm, 1193);
	assert_int_equal(read_status(vm, 0) & ST_OUT, 0);
	advance_to(vm, tick_ns(1194) - 1);
	assert_int_equal(irq0_edges(vm), 0);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 1);
	assert_true(mock_irq_level(vm, 0));
	advance_to(vm, tick_ns(1194 + 1193) - 1);
	assert_int_equal(irq0_edges(vm), 1);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 2);
	assert_int_equal(mock_next_deadline(vm), tick_ns(1194 + 2 * 1193));
}

static void test_mode3_first_irq0_edges_at_exact_virtual_time(void **state)
{
	struct mock_vm *vm = *state;

	/* odd count: OUT0 high for ticks 1-597, low for 598-1193, rises at 1194 */
	program(vm, 0, 3, 1193);
	advance_to_tick(vm, 597);
	assert_int_equal(read_status(vm, 0) & ST_OUT, ST_OUT);
	advance_to_tick(vm, 598);
	assert_int_equal(read_status(vm, 0) & ST_OUT, 0);
	advance_to(vm, tick_ns(1194) - 1);
	assert_int_equal(irq0_edges(vm), 0);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 1);
	advance_to(vm, tick_ns(2387) - 1);
	assert_int_equal(irq0_edges(vm), 1);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 2);
}

static void test_mode3_odd_count_high_one_clock_longer_and_counts_by_two(void **state)
{
	struct mock_vm *vm = *state;
	/* count 5 loaded at tick 1: OUT high 3 clocks, low 2; the counter shows 4, 2, 0 while
	 * high and 4, 2 while low */
	static const bool out[] = { 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1 };
	static const uint16_t ce[] = { 0, 4, 2, 0, 4, 2, 4, 2, 0, 4, 2, 4 };

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	program(vm, 2, 3, 5);
	for (unsigned t = 1; t < sizeof(out) / sizeof(out[0]); t++) {
		advance_to_tick(vm, t);
		assert_int_equal(out2(vm), out[t]);
		assert_int_equal(read_latched(vm, 2), ce[t]);
	}
}

static void test_mode3_even_count_half_high_half_low(void **state)
{
	struct mock_vm *vm = *state;
	static const bool out[] = { 1, 1, 1, 1, 0, 0, 0, 1, 1 };
	static const uint16_t ce[] = { 0, 6, 4, 2, 6, 4, 2, 6, 4 };

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	program(vm, 2, 3, 6);
	for (unsigned t = 1; t < sizeof(out) / sizeof(out[0]); t++) {
		advance_to_tick(vm, t);
		assert_int_equal(out2(vm), out[t]);
		assert_int_equal(read_latched(vm, 2), ce[t]);
	}
}

static void test_counter_latch_freezes_value_while_time_passes(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t lsb;

	program(vm, 0, 2, 50000);
	advance_to_tick(vm, 100);
	mock_outb(vm, PIT_CONTROL, 0x00);
	advance_to_tick(vm, 5000);
	lsb = mock_inb(vm, PIT_COUNTER(0));
	advance_to_tick(vm, 6000);
	/* loaded at tick 1, so 50000 - 99 at tick 100 */
	assert_int_equal(lsb | mock_inb(vm, PIT_COUNTER(0)) << 8, 49901);
	/* released: reads follow the counter again */
	lsb = mock_inb(vm, PIT_COUNTER(0));
	assert_int_equal(lsb | mock_inb(vm, PIT_COUNTER(0)) << 8, 50000 - 5999);
}

static void test_second_latch_before_read_is_ignored(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 2, 50000);
	advance_to_tick(vm, 100);
	mock_outb(vm, PIT_CONTROL, 0x00);
	advance_to_tick(vm, 200);
	mock_outb(vm, PIT_CONTROL, 0x00);
	mock_outb(vm, PIT_CONTROL, 0xD2); /* read-back count latch, counter 0 */
	advance_to_tick(vm, 300);
	assert_int_equal(read_latched(vm, 0), 49901);
	assert_int_equal(read_latched(vm, 0), 50000 - 299);
}

static void test_lsb_msb_flip_flops_for_reads_and_writes(void **state)
{
	struct mock_vm *vm = *state;

	/* RW = 3: LSB then MSB for writes, and reads alternate */
	program(vm, 1, 2, 0x1234);
	advance_to_tick(vm, 1);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x34);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x12);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x34);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x12);

	/* the write flip-flop waits for the MSB however long it takes */
	mock_outb(vm, PIT_CONTROL, 0x74);
	mock_outb(vm, PIT_COUNTER(1), 0x78);
	advance_to_tick(vm, 10);
	mock_outb(vm, PIT_COUNTER(1), 0x56);
	advance_to_tick(vm, 11);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x78);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x56);

	/* a control word resets the read flip-flop to the LSB */
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x78);
	mock_outb(vm, PIT_CONTROL, 0x74);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x78);

	/* RW = 1: LSB only, MSB zero */
	mock_outb(vm, PIT_CONTROL, 0x54);
	mock_outb(vm, PIT_COUNTER(1), 0x80);
	advance_to_tick(vm, 12);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x80);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x80);
	advance_to_tick(vm, 20);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x80 - 8);

	/* RW = 2: MSB only, LSB zero */
	mock_outb(vm, PIT_CONTROL, 0x64);
	mock_outb(vm, PIT_COUNTER(1), 0x02);
	advance_to_tick(vm, 21);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x02);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x02);
	advance_to_tick(vm, 22);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x01);
}

static void test_read_back_latches_count_and_status_of_several_counters(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	program(vm, 0, 2, 1000);
	mock_outb(vm, PIT_CONTROL, 0x51); /* counter 1: LSB only, mode 0, BCD */
	mock_outb(vm, PIT_COUNTER(1), 0x50);
	program(vm, 2, 3, 5);
	advance_to_tick(vm, 10);
	mock_outb(vm, PIT_CONTROL, 0xCE); /* count and status of counters 0, 1, 2 */
	advance_to_tick(vm, 20);

	/* status first, then the count as the RW mode reads it */
	assert_int_equal(mock_inb(vm, PIT_COUNTER(0)), ST_OUT | 0x34);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(0)), (1000 - 9) & 0xff);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(0)), (1000 - 9) >> 8);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x11);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x41);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(2)), 0x36);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(2)), 0x02);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(2)), 0x00);
	/* all released */
	assert_int_equal(read_latched(vm, 0), 1000 - 19);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), 0x31);
}

static void test_read_back_null_count_until_load_clock(void **state)
{
	struct mock_vm *vm = *state;

	advance_to(vm, tick_ns(5) + 100);
	mock_outb(vm, PIT_CONTROL, 0x74);
	assert_int_equal(read_status(vm, 1), ST_OUT | ST_NULL | 0x34);
	mock_outb(vm, PIT_COUNTER(1), 0x10);
	assert_int_equal(read_status(vm, 1), ST_OUT | ST_NULL | 0x34);
	mock_outb(vm, PIT_COUNTER(1), 0x00);
	assert_int_equal(read_status(vm, 1), ST_OUT | ST_NULL | 0x34);
	advance_to(vm, tick_ns(6) - 1);
	assert_int_equal(read_status(vm, 1), ST_OUT | ST_NULL | 0x34);
	advance_to_tick(vm, 6);
	assert_int_equal(read_status(vm, 1), ST_OUT | 0x34);
	assert_int_equal(read_latched(vm, 1), 0x10);
}

static void test_control_word_sets_out_initial_level(void **state)
{
	struct mock_vm *vm = *state;

	for (unsigned mode = 0; mode < 6; mode++) {
		mock_outb(vm, PIT_CONTROL, (uint8_t)(0x70 | mode << 1));
		assert_int_equal(read_status(vm, 1), (mode ? ST_OUT : 0) | ST_NULL | 0x30 | mode << 1);
		/* nothing counts until a count is written */
		mock_advance(vm, 1000000);
		assert_int_equal(read_status(vm, 1) & ST_OUT, mode ? ST_OUT : 0);
	}
}

static void test_mode0_out_rises_after_n_plus_1_clocks_with_one_irq0_edge(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 0, 100);
	assert_int_equal(read_status(vm, 0), ST_NULL | 0x30);
	advance_to(vm, tick_ns(101) - 1);
	assert_int_equal(read_status(vm, 0), 0x30);
	assert_int_equal(irq0_edges(vm), 0);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 1);
	assert_int_equal(read_status(vm, 0), ST_OUT | 0x30);
	mock_advance(vm, SECOND);
	assert_int_equal(irq0_edges(vm), 1);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
}

static void test_mode0_counter_wraps_after_terminal_count(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 0, 100);
	advance_to_tick(vm, 101);
	assert_int_equal(read_latched(vm, 0), 0);
	advance_to_tick(vm, 102);
	assert_int_equal(read_latched(vm, 0), 0xFFFF);
	advance_to_tick(vm, 110);
	assert_int_equal(read_latched(vm, 0), 0xFFF7);
	assert_int_equal(read_status(vm, 0) & ST_OUT, ST_OUT);
}

static void test_mode0_new_count_restarts_one_shot(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 0, 100);
	advance_to_tick(vm, 200);
	assert_int_equal(irq0_edges(vm), 1);
	mock_outb(vm, PIT_COUNTER(0), 50);
	mock_outb(vm, PIT_COUNTER(0), 0);
	/* a new count sets OUT low at once and runs its N + 1 clocks */
	assert_int_equal(read_status(vm, 0), ST_NULL | 0x30);
	advance_to(vm, tick_ns(251) - 1);
	assert_int_equal(irq0_edges(vm), 1);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 2);
}

static void test_mode0_first_byte_of_count_stops_counting(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 0, 1000);
	advance_to_tick(vm, 100);
	mock_outb(vm, PIT_COUNTER(0), 0x20);
	advance_to_tick(vm, 500);
	assert_int_equal(read_latched(vm, 0), 1000 - 99);
	assert_int_equal(read_status(vm, 0) & ST_OUT, 0);
	advance_to_tick(vm, 1100);
	assert_int_equal(irq0_edges(vm), 0);
	mock_outb(vm, PIT_COUNTER(0), 0x00);
	advance_to(vm, tick_ns(1100 + 0x20 + 1) - 1);
	assert_int_equal(irq0_edges(vm), 0);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 1);
}

static void test_mode4_software_strobe_low_for_one_clock(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 4, 100);
	advance_to_tick(vm, 100);
	assert_int_equal(read_status(vm, 0) & ST_OUT, ST_OUT);
	advance_to_tick(vm, 101);
	assert_int_equal(read_status(vm, 0) & ST_OUT, 0);
	assert_int_equal(read_latched(vm, 0), 0);
	advance_to(vm, tick_ns(102) - 1);
	assert_int_equal(irq0_edges(vm), 0);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 1);
	assert_int_equal(read_status(vm, 0) & ST_OUT, ST_OUT);
	mock_advance(vm, SECOND);
	assert_int_equal(irq0_edges(vm), 1);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
}

static void test_counter2_mode1_gate_edge_triggers_retriggerable_one_shot(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 2, 1, 10);
	advance_to_tick(vm, 50);
	assert_true(out2(vm));
	/* trigger at tick 50: OUT2 low for ticks 51-60 */
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	assert_true(out2(vm));
	advance_to_tick(vm, 51);
	assert_false(out2(vm));
	advance_to_tick(vm, 60);
	assert_false(out2(vm));
	advance_to_tick(vm, 61);
	assert_true(out2(vm));
	/* the gate staying high triggers nothing */
	advance_to_tick(vm, 70);
	assert_true(out2(vm));
	mock_outb(vm, PORT_B, 0);
	advance_to_tick(vm, 75);
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 76);
	assert_false(out2(vm));
	/* retriggered at tick 82 during the pulse: low until 92 */
	advance_to_tick(vm, 80);
	mock_outb(vm, PORT_B, 0);
	advance_to_tick(vm, 82);
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 86);
	assert_false(out2(vm));
	advance_to_tick(vm, 92);
	assert_false(out2(vm));
	advance_to_tick(vm, 93);
	assert_true(out2(vm));
}

static void test_counter2_mode1_count_written_after_trigger_is_loaded_on_next_clock(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 2, 1, 10);
	advance_to_tick(vm, 50);
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	/* the count register reaches the counting element only at the clock after the trigger */
	mock_outb(vm, PIT_COUNTER(2), 20);
	mock_outb(vm, PIT_COUNTER(2), 0);
	advance_to_tick(vm, 51);
	assert_int_equal(read_latched(vm, 2), 20);
	advance_to_tick(vm, 70);
	assert_false(out2(vm));
	advance_to_tick(vm, 71);
	assert_true(out2(vm));
}

static void test_counter2_mode2_gate_low_forces_out_high_and_rising_edge_reloads(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	program(vm, 2, 2, 10);
	advance_to_tick(vm, 9);
	assert_true(out2(vm));
	advance_to_tick(vm, 10);
	assert_false(out2(vm));
	mock_outb(vm, PORT_B, 0);
	assert_true(out2(vm));
	advance_to_tick(vm, 30);
	assert_true(out2(vm));
	assert_int_equal(read_latched(vm, 2), 1);
	/* rising edge at tick 30: reload at 31, low at 40; the count was loaded before */
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	assert_int_equal(read_status(vm, 2), ST_OUT | 0x34);
	advance_to_tick(vm, 31);
	assert_int_equal(read_latched(vm, 2), 10);
	assert_int_equal(read_status(vm, 2), ST_OUT | 0x34);
	advance_to_tick(vm, 39);
	assert_true(out2(vm));
	advance_to_tick(vm, 40);
	assert_false(out2(vm));
	advance_to_tick(vm, 41);
	assert_true(out2(vm));
	/* a count waiting for the reload at tick 51 waits for the next trigger once the gate
	 * falls */
	mock_outb(vm, PIT_COUNTER(2), 5);
	mock_outb(vm, PIT_COUNTER(2), 0);
	advance_to_tick(vm, 45);
	mock_outb(vm, PORT_B, 0);
	advance_to_tick(vm, 60);
	assert_int_equal(read_status(vm, 2), ST_OUT | ST_NULL | 0x34);
	assert_int_equal(read_latched(vm, 2), 10 - 4);
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 61);
	assert_int_equal(read_status(vm, 2), ST_OUT | 0x34);
	assert_int_equal(read_latched(vm, 2), 5);
}

static void test_counter2_mode3_speaker_tone_runs_while_gate_high(void **state)
{
	struct mock_vm *vm = *state;
	static const bool out[] = { 1, 1, 0, 0, 1, 1, 0, 0 };

	program(vm, 2, 3, 4);
	advance_to_tick(vm, 20);
	assert_true(out2(vm));
	assert_int_equal(read_latched(vm, 2), 0);
	/* gate and speaker on at tick 20: square wave from tick 21 */
	mock_outb(vm, PORT_B, PORT_B_GATE2 | PORT_B_SPEAKER);
	for (unsigned i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		advance_to_tick(vm, 21 + i);
		assert_int_equal(out2(vm), out[i]);
	}
	assert_int_equal(mock_inb(vm, PORT_B) & 0x0f, PORT_B_GATE2 | PORT_B_SPEAKER);
	advance_to_tick(vm, 31);
	assert_false(out2(vm));
	mock_outb(vm, PORT_B, PORT_B_SPEAKER);
	assert_true(out2(vm));
	advance_to_tick(vm, 100);
	assert_true(out2(vm));
}

static void test_counter2_mode5_gate_edge_triggers_strobe(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 2, 5, 10);
	advance_to_tick(vm, 40);
	assert_true(out2(vm));
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 50);
	assert_true(out2(vm));
	advance_to_tick(vm, 51);
	assert_false(out2(vm));
	advance_to_tick(vm, 52);
	assert_true(out2(vm));
	advance_to_tick(vm, 60);
	mock_outb(vm, PORT_B, 0);
	advance_to_tick(vm, 65);
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 75);
	assert_true(out2(vm));
	advance_to_tick(vm, 76);
	assert_false(out2(vm));
	advance_to_tick(vm, 77);
	assert_true(out2(vm));
}

static void test_counter2_gate_low_pauses_mode0(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	program(vm, 2, 0, 100);
	advance_to_tick(vm, 40);
	mock_outb(vm, PORT_B, 0);
	assert_int_equal(read_latched(vm, 2), 100 - 39);
	advance_to_tick(vm, 1000);
	assert_int_equal(read_latched(vm, 2), 100 - 39);
	assert_false(out2(vm));
	/* 61 clocks left from tick 1000 */
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 1060);
	assert_false(out2(vm));
	assert_int_equal(read_latched(vm, 2), 1);
	advance_to_tick(vm, 1061);
	assert_true(out2(vm));
	/* a count written just before the gate falls is loaded, then held */
	program(vm, 2, 0, 10);
	mock_outb(vm, PORT_B, 0);
	advance_to_tick(vm, 2000);
	assert_int_equal(read_latched(vm, 2), 10);
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	advance_to_tick(vm, 2009);
	assert_false(out2(vm));
	advance_to_tick(vm, 2010);
	assert_true(out2(vm));
}

static void test_bcd_count_and_readback(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, PIT_CONTROL, 0x35); /* counter 0, mode 2, BCD */
	mock_outb(vm, PIT_COUNTER(0), 0x00);
	mock_outb(vm, PIT_COUNTER(0), 0x10);
	mock_outb(vm, PIT_CONTROL, 0x71); /* counter 1, mode 0, BCD, count 0 = 10000 */
	mock_outb(vm, PIT_COUNTER(1), 0x00);
	mock_outb(vm, PIT_COUNTER(1), 0x00);
	advance_to_tick(vm, 1);
	assert_int_equal(read_latched(vm, 0), 0x1000);
	assert_int_equal(read_latched(vm, 1), 0x0000);
	advance_to_tick(vm, 2);
	assert_int_equal(read_latched(vm, 0), 0x0999);
	assert_int_equal(read_latched(vm, 1), 0x9999);
	advance_to_tick(vm, 501);
	assert_int_equal(read_latched(vm, 0), 0x0500);
	assert_int_equal(read_latched(vm, 1), 0x9500);
	advance_to(vm, tick_ns(1001) - 1);
	assert_int_equal(irq0_edges(vm), 0);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 1);
	advance_to_tick(vm, 10000);
	assert_int_equal(read_status(vm, 1), 0x31);
	advance_to_tick(vm, 10001);
	assert_int_equal(read_status(vm, 1), ST_OUT | 0x31);
	advance_to(vm, SECOND);
	assert_int_equal(irq0_edges(vm), periodic_edges(1, 1000, SECOND));
	assert_int_equal(irq0_edges(vm), 1193);
}

static void test_count_zero_means_65536_in_binary(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 1, 2, 0);
	advance_to_tick(vm, 1);
	assert_int_equal(read_latched(vm, 1), 0);
	advance_to_tick(vm, 2);
	assert_int_equal(read_latched(vm, 1), 0xFFFF);
	advance_to_tick(vm, 65535);
	assert_int_equal(read_status(vm, 1) & ST_OUT, ST_OUT);
	advance_to_tick(vm, 65536);
	assert_int_equal(read_status(vm, 1) & ST_OUT, 0);
	assert_int_equal(read_latched(vm, 1), 1);
	advance_to_tick(vm, 65537);
	assert_int_equal(read_status(vm, 1) & ST_OUT, ST_OUT);
}

static void test_mode2_new_count_applies_at_next_reload(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 2, 1000);
	advance_to_tick(vm, 1200);
	assert_int_equal(irq0_edges(vm), 1);
	mock_outb(vm, PIT_COUNTER(0), 500 & 0xff);
	mock_outb(vm, PIT_COUNTER(0), 500 >> 8);
	advance_to_tick(vm, 1300);
	assert_int_equal(read_latched(vm, 0), 1000 - 299);
	/* a restart would have put an edge at tick 1701 */
	advance_to(vm, tick_ns(2001) - 1);
	assert_int_equal(irq0_edges(vm), 1);
	assert_int_equal(read_status(vm, 0), ST_NULL | 0x34);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 2);
	assert_int_equal(read_status(vm, 0), ST_OUT | 0x34);
	assert_int_equal(read_latched(vm, 0), 500);
	advance_to(vm, tick_ns(2501) - 1);
	assert_int_equal(irq0_edges(vm), 2);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 3);
	advance_to_tick(vm, 3001);
	assert_int_equal(irq0_edges(vm), 4);
}

static void test_mode3_new_count_applies_at_next_full_period(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	program(vm, 2, 3, 10);
	advance_to_tick(vm, 3);
	mock_outb(vm, PIT_COUNTER(2), 4);
	mock_outb(vm, PIT_COUNTER(2), 0);
	/* the old period finishes: high 1-5, low 6-10; then 4: high 11-12, low 13-14 */
	advance_to_tick(vm, 5);
	assert_true(out2(vm));
	advance_to_tick(vm, 6);
	assert_false(out2(vm));
	advance_to_tick(vm, 10);
	assert_false(out2(vm));
	advance_to_tick(vm, 11);
	assert_true(out2(vm));
	advance_to_tick(vm, 13);
	assert_false(out2(vm));
	advance_to_tick(vm, 15);
	assert_true(out2(vm));
}

static void test_mode3_count_1_holds_out0_high_until_a_new_count(void **state)
{
	struct mock_vm *vm = *state;

	/* high for (1 + 1) / 2 clocks, low for none */
	program(vm, 0, 3, 1);
	advance_to_tick(vm, 100);
	assert_int_equal(irq0_edges(vm), 0);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	/* count 4 from the reload at tick 101: high 101-102, low 103-104, rises at 105 */
	mock_outb(vm, PIT_COUNTER(0), 4);
	mock_outb(vm, PIT_COUNTER(0), 0);
	assert_int_equal(mock_next_deadline(vm), tick_ns(105));
	advance_to_tick(vm, 109);
	assert_int_equal(irq0_edges(vm), 2);
}

static void test_reprogramming_counter0_changes_irq0_rate(void **state)
{
	struct mock_vm *vm = *state;
	uint64_t half = SECOND / 2;

	program(vm, 0, 2, 11932);
	advance_to(vm, half);
	assert_int_equal(irq0_edges(vm), periodic_edges(1, 11932, half));
	assert_int_equal(irq0_edges(vm), 49);
	program(vm, 0, 2, 1193);
	advance_to(vm, SECOND);
	assert_int_equal(irq0_edges(vm),
			 49 + periodic_edges(ticks_at(half) + 1, 1193, SECOND));
	assert_int_equal(irq0_edges(vm), 549);
}

static void test_control_word_raising_out0_gives_one_irq0_edge(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 0, 0, 1000);
	advance_to_tick(vm, 100);
	assert_int_equal(irq0_edges(vm), 0);
	/* mode 2's control word sets OUT0 high: that is a rising edge */
	mock_outb(vm, PIT_CONTROL, 0x34);
	assert_int_equal(irq0_edges(vm), 1);
	mock_outb(vm, PIT_CONTROL, 0x34);
	assert_int_equal(irq0_edges(vm), 1);
	mock_outb(vm, PIT_COUNTER(0), 1000 & 0xff);
	mock_outb(vm, PIT_COUNTER(0), 1000 >> 8);
	advance_to(vm, tick_ns(1101) - 1);
	assert_int_equal(irq0_edges(vm), 1);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), 2);
}

static void test_no_timer_when_out0_cannot_rise(void **state)
{
	struct mock_vm *vm = *state;

	/* mode 1 needs a gate edge, and counter 0's gate is tied high */
	program(vm, 0, 1, 100);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_advance(vm, SECOND);
	assert_int_equal(irq0_edges(vm), 0);
	/* a control word alone counts nothing */
	mock_outb(vm, PIT_CONTROL, 0x34);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_outb(vm, PIT_COUNTER(0), 100);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_outb(vm, PIT_COUNTER(0), 0);
	assert_int_equal(mock_next_deadline(vm), tick_ns(ticks_at(SECOND) + 101));
}

static void test_port_b_refresh_bit_toggles_every_18_clocks(void **state)
{
	struct mock_vm *vm = *state;

	assert_int_equal(mock_inb(vm, PORT_B) & PORT_B_REFRESH, 0);
	assert_int_equal(tick_ns(18), 15086);
	advance_to(vm, tick_ns(18) - 1);
	assert_int_equal(mock_inb(vm, PORT_B) & PORT_B_REFRESH, 0);
	advance_to_tick(vm, 18);
	assert_int_equal(mock_inb(vm, PORT_B) & PORT_B_REFRESH, PORT_B_REFRESH);
	advance_to(vm, tick_ns(36) - 1);
	assert_int_equal(mock_inb(vm, PORT_B) & PORT_B_REFRESH, PORT_B_REFRESH);
	advance_to_tick(vm, 36);
	assert_int_equal(mock_inb(vm, PORT_B) & PORT_B_REFRESH, 0);
	advance_to_tick(vm, 18 * 1001);
	assert_int_equal(mock_inb(vm, PORT_B) & PORT_B_REFRESH, PORT_B_REFRESH);
}

static void test_port_b_keeps_low_bits_and_out2_is_read_only(void **state)
{
	struct mock_vm *vm = *state;

	program(vm, 2, 0, 1000);
	mock_outb(vm, PORT_B, 0xFF);
	assert_int_equal(mock_inb(vm, PORT_B) & ~PORT_B_REFRESH, 0x0F);
	mock_outb(vm, PORT_B, 0x0C);
	assert_int_equal(mock_inb(vm, PORT_B) & ~PORT_B_REFRESH, 0x0C);
	mock_outb(vm, PIT_CONTROL, 0xB4); /* mode 2 sets OUT2 high */
	assert_int_equal(mock_inb(vm, PORT_B) & ~PORT_B_REFRESH, PORT_B_OUT2 | 0x0C);
	mock_outb(vm, PORT_B, 0x00);
	assert_int_equal(mock_inb(vm, PORT_B) & ~PORT_B_REFRESH, PORT_B_OUT2);
}

static void test_modes_6_and_7_alias_modes_2_and_3(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, PORT_B, PORT_B_GATE2);
	mock_outb(vm, PIT_CONTROL, 0xBC); /* counter 2, M = 6 */
	mock_outb(vm, PIT_COUNTER(2), 10);
	mock_outb(vm, PIT_COUNTER(2), 0);
	mock_outb(vm, PIT_CONTROL, 0x7E); /* counter 1, M = 7 */
	mock_outb(vm, PIT_COUNTER(1), 10);
	mock_outb(vm, PIT_COUNTER(1), 0);
	advance_to_tick(vm, 5);
	assert_int_equal(read_status(vm, 2), ST_OUT | 0x3C);
	assert_int_equal(read_status(vm, 1), ST_OUT | 0x3E);
	assert_int_equal(read_latched(vm, 2), 6);
	assert_int_equal(read_latched(vm, 1), 2);
	advance_to_tick(vm, 6);
	assert_int_equal(read_status(vm, 1), 0x3E);
	advance_to_tick(vm, 10);
	assert_int_equal(read_status(vm, 2), 0x3C);
	advance_to_tick(vm, 11);
	assert_int_equal(read_status(vm, 2), ST_OUT | 0x3C);
	assert_int_equal(read_status(vm, 1), ST_OUT | 0x3E);
}

static void test_unprogrammed_and_half_written_counters_read_safely(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t first = mock_inb(vm, PIT_COUNTER(1));

	assert_int_equal(mock_inb(vm, PIT_CONTROL), 0xFF);
	mock_outb(vm, PIT_CONTROL, 0xC0); /* read-back selecting no counter */
	mock_outb(vm, PIT_CONTROL, 0xFE); /* read-back latching nothing */
	mock_inb(vm, PIT_COUNTER(1));
	mock_advance(vm, SECOND);
	assert_int_equal(mock_inb(vm, PIT_COUNTER(1)), first);
	/* half a count written: still waiting, readable */
	mock_outb(vm, PIT_CONTROL, 0xB0);
	mock_outb(vm, PIT_COUNTER(2), 0x12);
	mock_inb(vm, PIT_COUNTER(2));
	mock_inb(vm, PIT_COUNTER(2));
	mock_outb(vm, PORT_B, PORT_B_GATE2);
	mock_outb(vm, PORT_B, 0);
	mock_advance(vm, SECOND);
	assert_false(out2(vm));
	assert_int_equal(irq0_edges(vm), 0);
}

static void test_garbage_port_sequences_do_not_crash(void **state)
{
	static const uint16_t ports[] = { 0x40, 0x41, 0x42, 0x43, 0x61 };
	struct mock_vm *vm = *state;
	uint32_t seed = 12345;
	uint64_t now, edges;

	for (int i = 0; i < 20000; i++) {
		uint16_t port;

		seed = seed * 1103515245 + 12345;
		port = ports[(seed >> 16) % 5];
		switch ((seed >> 8) & 7) {
		case 0:
			mock_advance(vm, (seed >> 12) % 100000);
			break;
		case 1:
		case 2:
			mock_inb(vm, port);
			break;
		default:
			mock_outb(vm, port, (uint8_t)(seed >> 20));
		}
		assert_true(mock_next_deadline(vm) > mock_now(vm));
	}
	/* afterwards a clean programming behaves exactly */
	mock_outb(vm, PORT_B, 0);
	program(vm, 0, 2, 100);
	now = ticks_at(mock_now(vm));
	edges = irq0_edges(vm);
	advance_to(vm, tick_ns(now + 101) - 1);
	assert_int_equal(irq0_edges(vm), edges);
	mock_advance(vm, 1);
	assert_int_equal(irq0_edges(vm), edges + 1);
	advance_to_tick(vm, now + 201);
	assert_int_equal(irq0_edges(vm), edges + 2);
}

#define VPIT_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		VPIT_TEST(test_create_claims_pit_ports_port_b_and_irq0),
		cmocka_unit_test(test_create_fails_with_ebusy_when_port_b_is_taken),
		VPIT_TEST(test_no_irq0_before_programming),
		VPIT_TEST(test_power_on_counters_wait_for_a_count),
		cmocka_unit_test(test_mode2_irq0_rate_follows_divisor),
		cmocka_unit_test(test_mode3_irq0_rate_follows_divisor),
		VPIT_TEST(test_mode2_first_irq0_edges_at_exact_virtual_time),
		VPIT_TEST(test_mode3_first_irq0_edges_at_exact_virtual_time),
		VPIT_TEST(test_mode3_odd_count_high_one_clock_longer_and_counts_by_two),
		VPIT_TEST(test_mode3_even_count_half_high_half_low),
		VPIT_TEST(test_counter_latch_freezes_value_while_time_passes),
		VPIT_TEST(test_second_latch_before_read_is_ignored),
		VPIT_TEST(test_lsb_msb_flip_flops_for_reads_and_writes),
		VPIT_TEST(test_read_back_latches_count_and_status_of_several_counters),
		VPIT_TEST(test_read_back_null_count_until_load_clock),
		VPIT_TEST(test_control_word_sets_out_initial_level),
		VPIT_TEST(test_mode0_out_rises_after_n_plus_1_clocks_with_one_irq0_edge),
		VPIT_TEST(test_mode0_counter_wraps_after_terminal_count),
		VPIT_TEST(test_mode0_new_count_restarts_one_shot),
		VPIT_TEST(test_mode0_first_byte_of_count_stops_counting),
		VPIT_TEST(test_mode4_software_strobe_low_for_one_clock),
		VPIT_TEST(test_counter2_mode1_gate_edge_triggers_retriggerable_one_shot),
		VPIT_TEST(test_counter2_mode1_count_written_after_trigger_is_loaded_on_next_clock),
		VPIT_TEST(test_counter2_mode2_gate_low_forces_out_high_and_rising_edge_reloads),
		VPIT_TEST(test_counter2_mode3_speaker_tone_runs_while_gate_high),
		VPIT_TEST(test_counter2_mode5_gate_edge_triggers_strobe),
		VPIT_TEST(test_counter2_gate_low_pauses_mode0),
		VPIT_TEST(test_bcd_count_and_readback),
		VPIT_TEST(test_count_zero_means_65536_in_binary),
		VPIT_TEST(test_mode2_new_count_applies_at_next_reload),
		VPIT_TEST(test_mode3_new_count_applies_at_next_full_period),
		VPIT_TEST(test_mode3_count_1_holds_out0_high_until_a_new_count),
		VPIT_TEST(test_reprogramming_counter0_changes_irq0_rate),
		VPIT_TEST(test_control_word_raising_out0_gives_one_irq0_edge),
		VPIT_TEST(test_no_timer_when_out0_cannot_rise),
		VPIT_TEST(test_port_b_refresh_bit_toggles_every_18_clocks),
		VPIT_TEST(test_port_b_keeps_low_bits_and_out2_is_read_only),
		VPIT_TEST(test_modes_6_and_7_alias_modes_2_and_3),
		VPIT_TEST(test_unprogrammed_and_half_written_counters_read_safely),
		VPIT_TEST(test_garbage_port_sequences_do_not_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
