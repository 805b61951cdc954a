/* test_cmos.c: the MC146818A RTC and CMOS RAM as a PC guest sees them, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

/* In cmos.c: the memory size bytes for a RAM size the mock cannot give. */
void cmos_set_memory_size(uint8_t *nvram, uint64_t ram_size);

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define IRQ8 8

#define SEC 0x00
#define SEC_ALARM 0x01
#define MIN 0x02
#define MIN_ALARM 0x03
#define HOUR 0x04
#define HOUR_ALARM 0x05
#define DOW 0x06
#define DAY 0x07
#define MONTH 0x08
#define YEAR 0x09
#define CENTURY 0x32
#define REG_A 0x0A
#define REG_B 0x0B
#define REG_C 0x0C
#define REG_D 0x0D

#define A_UIP 0x80
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_DM 0x04
#define B_24H 0x02
#define B_DSE 0x01
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10

#define SECOND 1000000000ull
#define START "start=2024-02-28 23:59:58"

static uint8_t rtc_read(struct mock_vm *vm, uint8_t reg)
{
	mock_outb(vm, RTC_INDEX, reg);
	return mock_inb(vm, RTC_DATA);
}

static void rtc_write(struct mock_vm *vm, uint8_t reg, uint8_t value)
{
	mock_outb(vm, RTC_INDEX, reg);
	mock_outb(vm, RTC_DATA, value);
}

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

/* The time and date registers, in the order sec, min, hour, dow, day, month, year, century. */
static void assert_time(struct mock_vm *vm, const uint8_t want[8])
{
	static const uint8_t regs[8] = { SEC, MIN, HOUR, DOW, DAY, MONTH, YEAR, CENTURY };

	for (int i = 0; i < 8; i++)
		assert_int_equal(rtc_read(vm, regs[i]), want[i]);
}

/* Sets the time as a BIOS does: SET on, the registers (BCD, 24-hour), SET off. */
static void set_time(struct mock_vm *vm, const uint8_t t[8])
{
	static const uint8_t regs[8] = { SEC, MIN, HOUR, DOW, DAY, MONTH, YEAR, CENTURY };

	rtc_write(vm, REG_B, (uint8_t)(rtc_read(vm, REG_B) | B_SET));
	for (int i = 0; i < 8; i++)
		rtc_write(vm, regs[i], t[i]);
	rtc_write(vm, REG_B, (uint8_t)(rtc_read(vm, REG_B) & ~B_SET));
}

/* Updates end on whole virtual seconds from the VM's start. */
static void advance_seconds(struct mock_vm *vm, uint64_t n)
{
	advance_to(vm, (mock_now(vm) / SECOND + n) * SECOND);
}

static void test_claims_ports_70h_71h_and_irq8_and_idles_without_timer(void **state)
{
	struct mock_vm *vm = new_vm(START);

	assert_true(mock_port_claimed(vm, RTC_INDEX));
	assert_true(mock_port_claimed(vm, RTC_DATA));
	assert_false(mock_port_claimed(vm, 0x6F));
	assert_false(mock_port_claimed(vm, 0x72));
	assert_true(mock_irq_opened(vm, IRQ8));
	/* no interrupt enabled: nothing to time */
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_advance(vm, 10 * SECOND);
	assert_int_equal(mock_irq_rising_edges(vm, IRQ8), 0);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
}

static void test_fixed_start_reads_as_bcd_24_hour_with_status_registers(void **state)
{
	struct mock_vm *vm = new_vm(START);
	/* 2024-02-28 was a Wednesday: day of week 4 (Sunday = 1) */
	static const uint8_t want[8] = { 0x58, 0x59, 0x23, 0x04, 0x28, 0x02, 0x24, 0x20 };

	assert_time(vm, want);
	/* 32.768 kHz time base, 1024 Hz rate; BCD, 24-hour; no flags; valid RAM and time */
	assert_int_equal(rtc_read(vm, REG_A), 0x26);
	assert_int_equal(rtc_read(vm, REG_B), 0x02);
	assert_int_equal(rtc_read(vm, REG_C), 0x00);
	assert_int_equal(rtc_read(vm, REG_D), 0x80);
	mock_vm_destroy(vm);
}

static void test_start_accepts_iso_t_separator(void **state)
{
	struct mock_vm *vm = new_vm("start=1999-12-31T08:07:06");
	/* a Friday */
	static const uint8_t want[8] = { 0x06, 0x07, 0x08, 0x06, 0x31, 0x12, 0x99, 0x19 };

	assert_time(vm, want);
	mock_vm_destroy(vm);
}

static void test_binary_and_12_hour_modes_follow_register_b(void **state)
{
	struct mock_vm *vm = new_vm(START);
	static const uint8_t binary[8] = { 58, 59, 23, 4, 28, 2, 24, 20 };

	rtc_write(vm, REG_B, B_DM | B_24H);
	assert_time(vm, binary);
	/* 12-hour: 11 PM is 11 with bit 7 set */
	rtc_write(vm, REG_B, 0);
	assert_int_equal(rtc_read(vm, HOUR), 0x91);
	rtc_write(vm, REG_B, B_DM);
	assert_int_equal(rtc_read(vm, HOUR), 0x8B);

	/* 12 AM is midnight, 12 PM is noon */
	rtc_write(vm, REG_B, B_SET);
	rtc_write(vm, HOUR, 0x12);
	rtc_write(vm, REG_B, B_SET | B_24H);
	assert_int_equal(rtc_read(vm, HOUR), 0x00);
	rtc_write(vm, REG_B, B_SET);
	rtc_write(vm, HOUR, 0x92);
	rtc_write(vm, REG_B, B_SET | B_24H);
	assert_int_equal(rtc_read(vm, HOUR), 0x12);
	rtc_write(vm, REG_B, B_SET);
	rtc_write(vm, HOUR, 0x81);
	rtc_write(vm, REG_B, B_SET | B_24H);
	assert_int_equal(rtc_read(vm, HOUR), 0x13);

	/* a binary write reads back in BCD */
	rtc_write(vm, REG_B, B_SET | B_DM | B_24H);
	rtc_write(vm, SEC, 30);
	rtc_write(vm, REG_B, B_SET | B_24H);
	assert_int_equal(rtc_read(vm, SEC), 0x30);
	mock_vm_destroy(vm);
}

static void test_binary_12_hour_time_counts_through_noon(void **state)
{
	struct mock_vm *vm = new_vm("start=2024-06-01 11:59:59");

	rtc_write(vm, REG_B, B_DM);
	assert_int_equal(rtc_read(vm, HOUR), 11);
	advance_seconds(vm, 1);
	assert_int_equal(rtc_read(vm, HOUR), 0x8C);
	assert_int_equal(rtc_read(vm, MIN), 0);
	assert_int_equal(rtc_read(vm, SEC), 0);
	mock_vm_destroy(vm);
}

static void test_time_advances_across_minute_hour_day_and_leap_day(void **state)
{
	struct mock_vm *vm = new_vm(START);
	static const uint8_t t1[8] = { 0x59, 0x59, 0x23, 0x04, 0x28, 0x02, 0x24, 0x20 };
	static const uint8_t t2[8] = { 0x00, 0x00, 0x00, 0x05, 0x29, 0x02, 0x24, 0x20 };
	static const uint8_t minute[8] = { 0x59, 0x00, 0x10, 0x05, 0x29, 0x02, 0x24, 0x20 };
	static const uint8_t minute1[8] = { 0x00, 0x01, 0x10, 0x05, 0x29, 0x02, 0x24, 0x20 };
	static const uint8_t hour[8] = { 0x59, 0x59, 0x10, 0x05, 0x29, 0x02, 0x24, 0x20 };
	static const uint8_t hour1[8] = { 0x00, 0x00, 0x11, 0x05, 0x29, 0x02, 0x24, 0x20 };
	static const uint8_t leap_end[8] = { 0x59, 0x59, 0x23, 0x05, 0x29, 0x02, 0x24, 0x20 };
	static const uint8_t march[8] = { 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x24, 0x20 };

	/* the first update ends one virtual second after the VM starts, not before */
	advance_to(vm, SECOND - 1);
	assert_int_equal(rtc_read(vm, SEC), 0x58);
	mock_advance(vm, 1);
	assert_time(vm, t1);
	advance_seconds(vm, 1);
	assert_time(vm, t2);

	set_time(vm, minute);
	advance_seconds(vm, 1);
	assert_time(vm, minute1);
	set_time(vm, hour);
	advance_seconds(vm, 1);
	assert_time(vm, hour1);
	set_time(vm, leap_end);
	advance_seconds(vm, 1);
	assert_time(vm, march);
	mock_vm_destroy(vm);
}

static void test_month_ends_and_century_rollover(void **state)
{
	struct mock_vm *vm = new_vm(START);
	static const struct {
		uint8_t before[8], after[8];
	} cases[] = {
		/* 2023 is not a leap year */
		{ { 0x59, 0x59, 0x23, 0x03, 0x28, 0x02, 0x23, 0x20 },
		  { 0x00, 0x00, 0x00, 0x04, 0x01, 0x03, 0x23, 0x20 } },
		/* nor is 2100 */
		{ { 0x59, 0x59, 0x23, 0x01, 0x28, 0x02, 0x00, 0x21 },
		  { 0x00, 0x00, 0x00, 0x02, 0x01, 0x03, 0x00, 0x21 } },
		/* April has 30 days */
		{ { 0x59, 0x59, 0x23, 0x03, 0x30, 0x04, 0x24, 0x20 },
		  { 0x00, 0x00, 0x00, 0x04, 0x01, 0x05, 0x24, 0x20 } },
		/* Saturday wraps to Sunday; the century counts when the year wraps */
		{ { 0x59, 0x59, 0x23, 0x07, 0x31, 0x12, 0x99, 0x20 },
		  { 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x21 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_time(vm, cases[i].before);
		advance_seconds(vm, 1);
		assert_time(vm, cases[i].after);
	}
	mock_vm_destroy(vm);
}

static void test_time_counts_a_year_of_virtual_time_read_once(void **state)
{
	struct mock_vm *vm = new_vm(START);
	/* 367 days after Wednesday 2024-02-28 (a leap day between) is Saturday 2025-03-01 */
	static const uint8_t want[8] = { 0x58, 0x59, 0x23, 0x07, 0x01, 0x03, 0x25, 0x20 };

	mock_advance(vm, 367 * 86400 * SECOND);
	assert_time(vm, want);
	mock_vm_destroy(vm);
}

static void test_set_freezes_updates_and_clears_uie(void **state)
{
	struct mock_vm *vm = new_vm(START);
	static const uint8_t frozen[8] = { 0x58, 0x59, 0x23, 0x04, 0x28, 0x02, 0x24, 0x20 };
	static const uint8_t later[8] = { 0x01, 0x30, 0x12, 0x02, 0x15, 0x07, 0x24, 0x20 };

	/* no periodic flag to mask out */
	rtc_write(vm, REG_A, 0x20);
	rtc_write(vm, REG_B, B_UIE | B_24H);
	rtc_write(vm, REG_B, B_SET | B_UIE | B_24H);
	assert_int_equal(rtc_read(vm, REG_B), B_SET | B_24H);
	advance_to(vm, 5 * SECOND - 100000);
	/* no update in progress while SET is on */
	assert_int_equal(rtc_read(vm, REG_A) & A_UIP, 0);
	advance_to(vm, 5 * SECOND + 1);
	assert_time(vm, frozen);
	assert_int_equal(rtc_read(vm, REG_C), 0);
	assert_int_equal(mock_irq_rising_edges(vm, IRQ8), 0);

	/* Monday 2024-07-15 12:30:00, counting from the next update */
	rtc_write(vm, SEC, 0x00);
	rtc_write(vm, MIN, 0x30);
	rtc_write(vm, HOUR, 0x12);
	rtc_write(vm, DOW, 0x02);
	rtc_write(vm, DAY, 0x15);
	rtc_write(vm, MONTH, 0x07);
	advance_to(vm, 5 * SECOND + SECOND / 2);
	rtc_write(vm, REG_B, B_24H);
	advance_to(vm, 6 * SECOND - 1);
	assert_int_equal(rtc_read(vm, SEC), 0x00);
	mock_advance(vm, 1);
	assert_time(vm, later);
	assert_int_equal(rtc_read(vm, REG_C), C_UF);
	mock_vm_destroy(vm);
}

/* Periodic interrupts over a virtual second, the guest reading register C at each. */
static void test_periodic_interrupt_rate_follows_register_a(void **state)
{
	static const struct {
		uint8_t rs;
		unsigned hz;
	} cases[] = { { 1, 256 }, { 2, 128 }, { 3, 8192 }, { 6, 1024 }, { 13, 8 }, { 15, 2 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mock_vm *vm = new_vm(START);
		unsigned seen = 0;

		rtc_write(vm, REG_A, (uint8_t)(0x20 | cases[i].rs));
		rtc_write(vm, REG_B, B_PIE | B_24H);
		while (mock_next_deadline(vm) <= SECOND) {
			advance_to(vm, mock_next_deadline(vm));
			assert_true(mock_irq_level(vm, IRQ8));
			assert_int_equal(rtc_read(vm, REG_C) & (C_IRQF | C_PF), C_IRQF | C_PF);
			assert_false(mock_irq_level(vm, IRQ8));
			seen++;
		}
		assert_int_equal(seen, cases[i].hz);
		assert_int_equal(mock_irq_rising_edges(vm, IRQ8), cases[i].hz);
		mock_vm_destroy(vm);
	}
}

static void test_periodic_interrupt_first_edge_after_one_period(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* rate 6: 32 clocks of 1/32768 s, 976562.5 ns */
	rtc_write(vm, REG_B, B_PIE | B_24H);
	assert_int_equal(mock_next_deadline(vm), 976563);
	advance_to(vm, 976562);
	assert_false(mock_irq_level(vm, IRQ8));
	mock_advance(vm, 1);
	assert_true(mock_irq_level(vm, IRQ8));
	/* rate 0 stops it */
	assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_PF);
	rtc_write(vm, REG_A, 0x20);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_advance(vm, SECOND / 2);
	assert_int_equal(rtc_read(vm, REG_C), 0);
	mock_vm_destroy(vm);
}

static void test_flags_set_without_interrupt_enables_and_no_timer(void **state)
{
	struct mock_vm *vm = new_vm(START);

	rtc_write(vm, SEC_ALARM, 0x59);
	rtc_write(vm, MIN_ALARM, 0x59);
	rtc_write(vm, HOUR_ALARM, 0x23);
	mock_advance(vm, SECOND / 100);
	/* polled: PF without IRQF, and no IRQ 8 */
	assert_int_equal(rtc_read(vm, REG_C), C_PF);
	assert_int_equal(rtc_read(vm, REG_C), 0);
	advance_to(vm, SECOND);
	/* the update to 23:59:59 sets UF and AF as well */
	assert_int_equal(rtc_read(vm, REG_C), C_PF | C_AF | C_UF);
	assert_int_equal(mock_irq_rising_edges(vm, IRQ8), 0);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
}

static void test_register_c_read_clears_flags_and_lowers_irq8(void **state)
{
	struct mock_vm *vm = new_vm(START);

	rtc_write(vm, REG_B, B_PIE | B_24H);
	mock_advance(vm, SECOND / 100);
	/* one edge: IRQ 8 stays raised until register C is read, and no timer runs meanwhile */
	assert_true(mock_irq_level(vm, IRQ8));
	assert_int_equal(mock_irq_rising_edges(vm, IRQ8), 1);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_PF);
	assert_false(mock_irq_level(vm, IRQ8));
	assert_int_equal(rtc_read(vm, REG_C), 0);
	/* writes to C and D change nothing */
	rtc_write(vm, REG_C, 0xFF);
	rtc_write(vm, REG_D, 0x00);
	assert_int_equal(rtc_read(vm, REG_C), 0);
	assert_int_equal(rtc_read(vm, REG_D), 0x80);
	/* enabling an interrupt whose flag is set raises IRQ 8 at once */
	rtc_write(vm, REG_B, B_24H);
	mock_advance(vm, SECOND / 100);
	assert_false(mock_irq_level(vm, IRQ8));
	rtc_write(vm, REG_B, B_PIE | B_24H);
	assert_true(mock_irq_level(vm, IRQ8));
	assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_PF);
	mock_vm_destroy(vm);
}

static void test_alarm_interrupt_at_matching_update(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* 00:00:05 is 7 updates after 23:59:58; rate 0: no periodic flag */
	rtc_write(vm, REG_A, 0x20);
	rtc_write(vm, SEC_ALARM, 0x05);
	rtc_write(vm, MIN_ALARM, 0x00);
	rtc_write(vm, HOUR_ALARM, 0x00);
	rtc_write(vm, REG_B, B_AIE | B_24H);
	assert_int_equal(mock_next_deadline(vm), 7 * SECOND);
	advance_to(vm, 7 * SECOND - 1);
	assert_false(mock_irq_level(vm, IRQ8));
	mock_advance(vm, 1);
	assert_true(mock_irq_level(vm, IRQ8));
	assert_int_equal(rtc_read(vm, SEC), 0x05);
	assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_AF | C_UF);
	/* the same time tomorrow */
	assert_int_equal(mock_next_deadline(vm), (7 + 86400) * SECOND);
	mock_vm_destroy(vm);
}

static void test_alarm_dont_care_bytes_match_any_value(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* hours and minutes 0xC0-0xFF: every minute at :30 */
	rtc_write(vm, SEC_ALARM, 0x30);
	rtc_write(vm, MIN_ALARM, 0xC0);
	rtc_write(vm, HOUR_ALARM, 0xFF);
	rtc_write(vm, REG_B, B_AIE | B_24H);
	assert_int_equal(mock_next_deadline(vm), 32 * SECOND);
	advance_to(vm, 32 * SECOND);
	assert_true(mock_irq_level(vm, IRQ8));
	assert_int_equal(rtc_read(vm, REG_C) & (C_IRQF | C_AF), C_IRQF | C_AF);
	assert_int_equal(mock_next_deadline(vm), 92 * SECOND);

	/* all three: every second */
	rtc_write(vm, SEC_ALARM, 0xC0);
	assert_int_equal(mock_next_deadline(vm), 33 * SECOND);
	advance_to(vm, 33 * SECOND);
	assert_int_equal(rtc_read(vm, REG_C) & (C_IRQF | C_AF), C_IRQF | C_AF);

	/* a value no time has never matches: no timer */
	rtc_write(vm, SEC_ALARM, 0x60);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	mock_vm_destroy(vm);
}

static void test_alarm_in_12_hour_binary_mode(void **state)
{
	struct mock_vm *vm = new_vm("start=2024-02-28 12:59:58");

	/* 1 PM in binary 12-hour mode is 0x81 */
	rtc_write(vm, REG_A, 0x20);
	rtc_write(vm, REG_B, B_DM);
	rtc_write(vm, SEC_ALARM, 0);
	rtc_write(vm, MIN_ALARM, 0);
	rtc_write(vm, HOUR_ALARM, 0x81);
	rtc_write(vm, REG_B, B_AIE | B_DM);
	assert_int_equal(mock_next_deadline(vm), 2 * SECOND);
	advance_to(vm, 2 * SECOND);
	assert_int_equal(rtc_read(vm, HOUR), 0x81);
	assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_AF | C_UF);
	mock_vm_destroy(vm);
}

static void test_update_ended_interrupt_once_per_second(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* rate 0, and an alarm away from the midnight the power-on alarm bytes (0) would set AF at */
	rtc_write(vm, REG_A, 0x20);
	rtc_write(vm, HOUR_ALARM, 0x12);
	rtc_write(vm, REG_B, B_UIE | B_24H);
	for (uint64_t k = 1; k <= 5; k++) {
		assert_int_equal(mock_next_deadline(vm), k * SECOND);
		advance_to(vm, k * SECOND - 1);
		assert_false(mock_irq_level(vm, IRQ8));
		mock_advance(vm, 1);
		assert_true(mock_irq_level(vm, IRQ8));
		assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_UF);
	}
	assert_int_equal(mock_irq_rising_edges(vm, IRQ8), 5);
	assert_int_equal(rtc_read(vm, SEC), 0x03);
	mock_vm_destroy(vm);
}

static void test_uip_set_for_244us_before_each_update(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* 8 clocks of 32.768 kHz before the update at 1 s: from 999755859.375 ns */
	advance_to(vm, 999755859);
	assert_int_equal(rtc_read(vm, REG_A), 0x26);
	mock_advance(vm, 1);
	assert_int_equal(rtc_read(vm, REG_A), A_UIP | 0x26);
	advance_to(vm, SECOND - 1);
	assert_int_equal(rtc_read(vm, REG_A), A_UIP | 0x26);
	assert_int_equal(rtc_read(vm, SEC), 0x58);
	mock_advance(vm, 1);
	assert_int_equal(rtc_read(vm, REG_A), 0x26);
	assert_int_equal(rtc_read(vm, SEC), 0x59);
	/* and again before the next */
	advance_to(vm, 2 * SECOND - 100000);
	assert_int_equal(rtc_read(vm, REG_A), A_UIP | 0x26);
	/* reading UIP needs no timer */
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	/* UIP is read only */
	rtc_write(vm, REG_A, 0xA6);
	advance_to(vm, 2 * SECOND + 1);
	assert_int_equal(rtc_read(vm, REG_A), 0x26);
	mock_vm_destroy(vm);
}

static void test_divider_reset_stops_clock_first_update_half_second_after(void **state)
{
	struct mock_vm *vm = new_vm(START);

	rtc_write(vm, REG_B, B_UIE | B_PIE | B_24H);
	rtc_write(vm, REG_A, 0x70);
	assert_int_equal(mock_next_deadline(vm), UINT64_MAX);
	advance_to(vm, 3 * SECOND + SECOND / 4);
	assert_int_equal(rtc_read(vm, SEC), 0x58);
	assert_int_equal(rtc_read(vm, REG_C), 0);
	/* back to the 32.768 kHz time base, rate 15 (2 Hz) */
	rtc_write(vm, REG_A, 0x2F);
	assert_int_equal(mock_next_deadline(vm), 3 * SECOND + 3 * SECOND / 4);
	advance_to(vm, 3 * SECOND + 3 * SECOND / 4 - 1);
	assert_int_equal(rtc_read(vm, SEC), 0x58);
	assert_false(mock_irq_level(vm, IRQ8));
	mock_advance(vm, 1);
	assert_int_equal(rtc_read(vm, SEC), 0x59);
	assert_int_equal(rtc_read(vm, REG_C), C_IRQF | C_PF | C_UF);
	mock_vm_destroy(vm);
}

static void test_daylight_saving_on_last_sundays_of_april_and_october(void **state)
{
	struct mock_vm *vm = new_vm(START);
	/* Sunday 2024-04-28 and Sunday 2024-10-27, 1:59:59 AM */
	static const uint8_t april[8] = { 0x59, 0x59, 0x01, 0x01, 0x28, 0x04, 0x24, 0x20 };
	static const uint8_t october[8] = { 0x59, 0x59, 0x01, 0x01, 0x27, 0x10, 0x24, 0x20 };
	static const uint8_t not_last[8] = { 0x59, 0x59, 0x01, 0x01, 0x21, 0x04, 0x24, 0x20 };

	rtc_write(vm, REG_B, B_DSE | B_24H);
	set_time(vm, april);
	advance_seconds(vm, 1);
	assert_int_equal(rtc_read(vm, HOUR), 0x03);
	assert_int_equal(rtc_read(vm, MIN), 0x00);

	/* the first 1:59:59 AM is followed by 1:00:00 AM, the second by 2:00:00 AM */
	set_time(vm, october);
	advance_seconds(vm, 1);
	assert_int_equal(rtc_read(vm, HOUR), 0x01);
	assert_int_equal(rtc_read(vm, MIN), 0x00);
	advance_seconds(vm, 3600);
	assert_int_equal(rtc_read(vm, HOUR), 0x02);
	assert_int_equal(rtc_read(vm, DAY), 0x27);

	/* only on the last Sunday */
	set_time(vm, not_last);
	advance_seconds(vm, 1);
	assert_int_equal(rtc_read(vm, HOUR), 0x02);

	/* DSE off: no change */
	rtc_write(vm, REG_B, B_24H);
	set_time(vm, april);
	advance_seconds(vm, 1);
	assert_int_equal(rtc_read(vm, HOUR), 0x02);
	mock_vm_destroy(vm);
}

static void test_alarm_after_spring_forward_is_not_missed(void **state)
{
	struct mock_vm *vm = new_vm(START);
	static const uint8_t april[8] = { 0x58, 0x59, 0x01, 0x01, 0x28, 0x04, 0x24, 0x20 };
	uint64_t set_at;

	/* an alarm at 3:00:05 comes 6 updates after 1:59:59 when DSE skips 2:00-2:59 */
	rtc_write(vm, REG_B, B_DSE | B_24H);
	set_time(vm, april);
	set_at = mock_now(vm) / SECOND;
	rtc_write(vm, SEC_ALARM, 0x05);
	rtc_write(vm, MIN_ALARM, 0x00);
	rtc_write(vm, HOUR_ALARM, 0x03);
	rtc_write(vm, REG_B, B_AIE | B_DSE | B_24H);
	while (!mock_irq_level(vm, IRQ8) && mock_next_deadline(vm) != UINT64_MAX)
		advance_to(vm, mock_next_deadline(vm));
	assert_int_equal(mock_now(vm), (set_at + 7) * SECOND);
	assert_int_equal(rtc_read(vm, HOUR), 0x03);
	assert_int_equal(rtc_read(vm, SEC), 0x05);
	mock_vm_destroy(vm);
}

static uint16_t nvram16(const uint8_t *nvram, unsigned lo)
{
	return (uint16_t)(nvram[lo] | nvram[lo + 1] << 8);
}

static void test_memory_size_bytes(void **state)
{
	static const struct {
		uint64_t mib;
		uint16_t ext_kib, above_16m;
	} cases[] = {
		{ 1, 0, 0 },
		{ 16, 15 * 1024, 0 },
		{ 64, 63 * 1024, 48 * 16 },
		/* extended memory in KiB stops at 0xFFFF; SeaBIOS sizes RAM from 34h-35h */
		{ 3072, 0xFFFF, (3072 - 16) * 16 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t nvram[128];

		memset(nvram, 0xEE, sizeof(nvram));
		cmos_set_memory_size(nvram, cases[i].mib << 20);
		assert_int_equal(nvram16(nvram, 0x15), 640);
		assert_int_equal(nvram16(nvram, 0x17), cases[i].ext_kib);
		assert_int_equal(nvram16(nvram, 0x30), cases[i].ext_kib);
		assert_int_equal(nvram16(nvram, 0x34), cases[i].above_16m);
		assert_int_equal(nvram[0x5B] | nvram[0x5C] << 8 | nvram[0x5D] << 16, 0);
		/* nothing else touched */
		assert_int_equal(nvram[0x14], 0xEE);
		assert_int_equal(nvram[0x19], 0xEE);
		assert_int_equal(nvram[0x32], 0xEE);
		assert_int_equal(nvram[0x33], 0xEE);
		assert_int_equal(nvram[0x36], 0xEE);
		assert_int_equal(nvram[0x5E], 0xEE);
	}
}

static void test_memory_size_bytes_through_ports(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* the mock's 2 MiB: 640 KiB base, 1024 KiB extended */
	assert_int_equal(rtc_read(vm, 0x15), 0x80);
	assert_int_equal(rtc_read(vm, 0x16), 0x02);
	assert_int_equal(rtc_read(vm, 0x17), 0x00);
	assert_int_equal(rtc_read(vm, 0x18), 0x04);
	assert_int_equal(rtc_read(vm, 0x30), 0x00);
	assert_int_equal(rtc_read(vm, 0x31), 0x04);
	assert_int_equal(rtc_read(vm, 0x34), 0x00);
	assert_int_equal(rtc_read(vm, 0x35), 0x00);
	mock_vm_destroy(vm);
}

static uint16_t checksum(struct mock_vm *vm)
{
	uint16_t sum = 0;

	for (uint8_t i = 0x10; i <= 0x2D; i++)
		sum = (uint16_t)(sum + rtc_read(vm, i));
	return sum;
}

/* SeaBIOS on QEMU's machines reads the boot order from 3Dh (first two
 * devices) and the high nibble of 38h (third): 1 floppy, 2 hard disk. */
static void test_boot_order_bytes(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_int_equal(mock_vm_attach(vm, &vdd_module, "start=2000-01-01 00:00:00,boot=disk,floppy"),
			 0);
	assert_int_equal(rtc_read(vm, 0x3D), 0x12);
	assert_int_equal(rtc_read(vm, 0x38), 0x00);
	mock_vm_destroy(vm);
	vm = mock_vm_create();
	assert_int_equal(mock_vm_attach(vm, &vdd_module,
					"start=2000-01-01 00:00:00,boot=floppy,disk,cdrom"), 0);
	assert_int_equal(rtc_read(vm, 0x3D), 0x21);
	assert_int_equal(rtc_read(vm, 0x38), 0x30);
	mock_vm_destroy(vm);
	vm = mock_vm_create();
	assert_int_equal(mock_vm_attach(vm, &vdd_module, "boot=tape"), -EINVAL);
	mock_vm_destroy(vm);
}

static void test_floppy_types_equipment_byte_and_checksum(void **state)
{
	static const struct {
		const char *props;
		uint8_t types, equipment;
	} cases[] = {
		{ START, 0x00, 0x00 },
		{ START ",floppy0=1.44M", 0x40, 0x01 },
		{ START ",floppy0=1.44M,floppy1=1.2M", 0x42, 0x41 },
		{ START ",floppy0=360K,floppy1=720K", 0x13, 0x41 },
		{ START ",floppy0=2.88M,floppy1=none", 0x50, 0x01 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mock_vm *vm = new_vm(cases[i].props);

		assert_int_equal(rtc_read(vm, 0x10), cases[i].types);
		assert_int_equal(rtc_read(vm, 0x14), cases[i].equipment);
		/* no hard disks in CMOS */
		assert_int_equal(rtc_read(vm, 0x12), 0x00);
		/* 2Eh-2Fh: the sum of 10h-2Dh, high byte first */
		assert_int_equal(rtc_read(vm, 0x2E) << 8 | rtc_read(vm, 0x2F), checksum(vm));
		assert_int_not_equal(checksum(vm), 0);
		mock_vm_destroy(vm);
	}
}

static void test_bad_floppy_type_refused(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, START ",floppy1=1.4M"), -EINVAL);
	assert_false(mock_port_claimed(vm, RTC_INDEX));
	mock_vm_destroy(vm);
}

static void test_ram_bytes_read_back_and_index_port(void **state)
{
	struct mock_vm *vm = new_vm(START);

	/* shutdown status byte, and every byte past the clock and the BIOS's */
	rtc_write(vm, 0x0F, 0x0A);
	assert_int_equal(rtc_read(vm, 0x0F), 0x0A);
	for (uint8_t i = 0x40; i < 0x80; i++)
		rtc_write(vm, i, (uint8_t)(i ^ 0x5A));
	for (uint8_t i = 0x40; i < 0x80; i++)
		assert_int_equal(rtc_read(vm, i), i ^ 0x5A);
	/* a write to the checksummed area is kept as written */
	rtc_write(vm, 0x2E, 0x12);
	assert_int_equal(rtc_read(vm, 0x2E), 0x12);
	/* bit 7 of the index disables NMI: the byte selected is the same */
	mock_outb(vm, RTC_INDEX, 0x8F);
	assert_int_equal(mock_inb(vm, RTC_DATA), 0x0A);
	assert_int_equal(mock_inb(vm, RTC_INDEX), 0x8F);
	mock_vm_destroy(vm);
}

static void test_bad_start_value_refused(void **state)
{
	static const char *const bad[] = {
		"start=yesterday",
		"start=2024-02-30 00:00:00",
		"start=2023-02-29 00:00:00",
		"start=2024-13-01 00:00:00",
		"start=2024-00-10 00:00:00",
		"start=2024-01-01 24:00:00",
		"start=2024-01-01 00:60:00",
		"start=2024-01-01 00:00:60",
		"start=2024-1-01 00:00:00",
		"start=2024-01-01 00:00:00 ",
		"start=2024-01-01",
		"start=+024-01-01 00:00:00",
		"start=",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mock_vm *vm = mock_vm_create();

		assert_non_null(vm);
		assert_int_equal(mock_vm_attach(vm, &vdd_module, bad[i]), -EINVAL);
		mock_vm_destroy(vm);
	}
}

static bool valid_bcd(uint8_t v, unsigned min, unsigned max)
{
	unsigned n = (v >> 4) * 10u + (v & 15u);

	return (v & 15) <= 9 && v >> 4 <= 9 && n >= min && n <= max;
}

static void test_host_start_gives_a_valid_time(void **state)
{
	struct mock_vm *vm = new_vm(NULL);

	assert_true(valid_bcd(rtc_read(vm, SEC), 0, 59));
	assert_true(valid_bcd(rtc_read(vm, MIN), 0, 59));
	assert_true(valid_bcd(rtc_read(vm, HOUR), 0, 23));
	assert_true(valid_bcd(rtc_read(vm, DOW), 1, 7));
	assert_true(valid_bcd(rtc_read(vm, DAY), 1, 31));
	assert_true(valid_bcd(rtc_read(vm, MONTH), 1, 12));
	assert_true(valid_bcd(rtc_read(vm, YEAR), 0, 99));
	assert_int_equal(rtc_read(vm, CENTURY), 0x20);
	mock_vm_destroy(vm);
}

static void test_garbage_writes_do_not_crash(void **state)
{
	struct mock_vm *vm = new_vm(START);
	uint32_t x = 12345;

	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		mock_outb(vm, (uint16_t)(RTC_INDEX + (x >> 31)), (uint8_t)(x >> 16));
		if (i % 16 == 0)
			mock_advance(vm, (x >> 8) % (3 * SECOND));
		mock_inb(vm, (uint16_t)(RTC_INDEX + (x >> 30 & 1)));
	}
	/* whatever was written, time still counts and flags still clear */
	rtc_write(vm, REG_A, 0x26);
	rtc_write(vm, REG_B, B_UIE | B_24H);
	rtc_read(vm, REG_C);
	assert_true(mock_next_deadline(vm) <= mock_now(vm) + SECOND);
	mock_vm_destroy(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims_ports_70h_71h_and_irq8_and_idles_without_timer),
		cmocka_unit_test(test_fixed_start_reads_as_bcd_24_hour_with_status_registers),
		cmocka_unit_test(test_start_accepts_iso_t_separator),
		cmocka_unit_test(test_binary_and_12_hour_modes_follow_register_b),
		cmocka_unit_test(test_binary_12_hour_time_counts_through_noon),
		cmocka_unit_test(test_time_advances_across_minute_hour_day_and_leap_day),
		cmocka_unit_test(test_month_ends_and_century_rollover),
		cmocka_unit_test(test_time_counts_a_year_of_virtual_time_read_once),
		cmocka_unit_test(test_set_freezes_updates_and_clears_uie),
		cmocka_unit_test(test_periodic_interrupt_rate_follows_register_a),
		cmocka_unit_test(test_periodic_interrupt_first_edge_after_one_period),
		cmocka_unit_test(test_flags_set_without_interrupt_enables_and_no_timer),
		cmocka_unit_test(test_register_c_read_clears_flags_and_lowers_irq8),
		cmocka_unit_test(test_alarm_interrupt_at_matching_update),
		cmocka_unit_test(test_alarm_dont_care_bytes_match_any_value),
		cmocka_unit_test(test_alarm_in_12_hour_binary_mode),
		cmocka_unit_test(test_update_ended_interrupt_once_per_second),
		cmocka_unit_test(test_uip_set_for_244us_before_each_update),
		cmocka_unit_test(test_divider_reset_stops_clock_first_update_half_second_after),
		cmocka_unit_test(test_daylight_saving_on_last_sundays_of_april_and_october),
		cmocka_unit_test(test_alarm_after_spring_forward_is_not_missed),
		cmocka_unit_test(test_memory_size_bytes),
		cmocka_unit_test(test_memory_size_bytes_through_ports),
		cmocka_unit_test(test_floppy_types_equipment_byte_and_checksum),
		cmocka_unit_test(test_boot_order_bytes),
		cmocka_unit_test(test_bad_floppy_type_refused),
		cmocka_unit_test(test_ram_bytes_read_back_and_index_port),
		cmocka_unit_test(test_bad_start_value_refused),
		cmocka_unit_test(test_host_start_gives_a_valid_time),
		cmocka_unit_test(test_garbage_writes_do_not_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
