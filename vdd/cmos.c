/* cmos.c: the PC/AT's Motorola MC146818A real-time clock and its 128 bytes of CMOS RAM. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vdh.h"

/*
 * The clock runs on the VM's virtual clock, never the host's: the host's time
 * is read once, when the VM is created (or a fixed start time is given), and
 * from then on the time of day follows virtual nanoseconds, so a run repeats
 * exactly. Nothing is stepped: the divider chain's 32.768 kHz clock count is
 * computed from the virtual time, and updates, flags and UIP from that count
 * when the guest looks. A timer is armed only for an interrupt that is
 * enabled and not already pending.
 */
#define RTC_INDEX_PORT 0x70      /* and 0x71, the data port */
#define RTC_IRQ 8
#define RTC_BYTES 128
#define RTC_INDEX_MASK 0x7F      /* port 70h bit 7 disables NMI: stored, NMI is never raised */

/* The time base: 32768 clocks in 1953125 * 512 ns, so one clock is 1953125 / 64 ns. */
#define RTC_HZ 32768u
#define RTC_CLOCK_NS_NUM 1953125u
#define RTC_CLOCK_NS_DEN 64u
#define RTC_UIP_CLOCKS 8u        /* UIP is set 244 us (8 clocks) before an update */
#define RTC_NEVER UINT64_MAX

/* Clock and calendar registers; century is a PC convention in CMOS RAM that
 * the clock keeps too. */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06     /* 1 = Sunday */
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_CENTURY 0x32
#define RTC_ALARM_DONT_CARE 0xC0 /* an alarm byte with bits 7 and 6 set matches any value */
#define RTC_HOUR_PM 0x80         /* 12-hour mode */

/* Register A */
#define RTC_REG_A 0x0A
#define RTC_A_UIP 0x80           /* update in progress, read only */
/* divider, bits 6-4: 010 for a 32.768 kHz time base, 11x holds the divider chain in
 * reset; other values run as 010, the only one a PC's crystal allows */
#define RTC_A_DV_RESET 0x60
#define RTC_A_RS 0x0F            /* periodic interrupt rate select */

/* Register B */
#define RTC_REG_B 0x0B
#define RTC_B_SET 0x80           /* updates stop so the time can be set */
#define RTC_B_PIE 0x40           /* periodic interrupt enable */
#define RTC_B_AIE 0x20           /* alarm interrupt enable */
#define RTC_B_UIE 0x10           /* update-ended interrupt enable */
/* bit 3, SQWE, enables the SQW pin, which a PC leaves unconnected */
#define RTC_B_DM 0x04            /* data mode: 1 binary, 0 BCD */
#define RTC_B_24H 0x02           /* 1: 24-hour mode, 0: 12-hour mode */
#define RTC_B_DSE 0x01           /* daylight saving enable (the datasheet's US rules) */

/* Register C, read only; a read clears it */
#define RTC_REG_C 0x0C
#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40            /* periodic */
#define RTC_C_AF 0x20            /* alarm */
#define RTC_C_UF 0x10            /* update ended */
/* each flag sits on the bit of its enable in register B */
#define RTC_INTERRUPTS (RTC_C_PF | RTC_C_AF | RTC_C_UF)

/* Register D, read only */
#define RTC_REG_D 0x0D
#define RTC_D_VRT 0x80           /* valid RAM and time: the battery is good */

/* As a BIOS leaves the chip: 32.768 kHz time base, 1024 Hz periodic rate, BCD, 24-hour. */
#define RTC_POWER_ON_A 0x26
#define RTC_POWER_ON_B RTC_B_24H

/* CMOS RAM bytes of the PC/AT and its successors; the rest, 0Fh (shutdown
 * status) among them, keeps what the guest writes */
#define CMOS_FLOPPY_TYPES 0x10   /* drive 0 in the high nibble */
#define CMOS_DISK_TYPES 0x12
#define CMOS_EQUIPMENT 0x14
#define CMOS_EQUIP_FLOPPY 0x01   /* bits 7-6: floppy drives - 1; bits 5-4: 00 EGA/VGA */
#define CMOS_EQUIP_FLOPPIES_SHIFT 6
#define CMOS_BASE_MEM_LO 0x15    /* KiB below 640 KiB */
#define CMOS_BASE_MEM_HI 0x16
#define CMOS_EXT_MEM_LO 0x17     /* KiB above 1 MiB */
#define CMOS_EXT_MEM_HI 0x18
#define CMOS_CHECKSUM_FIRST 0x10
#define CMOS_CHECKSUM_LAST 0x2D
#define CMOS_CHECKSUM_HI 0x2E
#define CMOS_CHECKSUM_LO 0x2F
#define CMOS_EXT_MEM2_LO 0x30    /* the same, as the POST found it */
#define CMOS_EXT_MEM2_HI 0x31
#define CMOS_MEM_16M_LO 0x34     /* 64 KiB units above 16 MiB, below 4 GiB */
#define CMOS_MEM_16M_HI 0x35
#define CMOS_MEM_4G 0x5B         /* 0x5B-0x5D: 64 KiB units above 4 GiB */

#define KIB 1024u
#define MIB (1024u * KIB)
#define CONVENTIONAL_BYTES (640u * KIB)
#define GIB (1024ull * MIB)

#define SECONDS_PER_DAY 86400u
/* DSE: on the last Sunday in April 1:59:59 AM is followed by 3:00:00 AM; on the
 * last Sunday in October the first 1:59:59 AM is followed by 1:00:00 AM. */
#define DSE_SECOND_OF_DAY (2u * 3600u)

/* The time of day and date, binary; hour is 0-23 whatever the register format. */
struct rtc_time {
	uint8_t sec, min, hour, dow, day, month, year, century;
};

struct cmos {
	struct vdh_dev *dev;
	uint8_t index;                   /* port 70h as last written */
	uint8_t nvram[RTC_BYTES];        /* alarm bytes, registers A-C and the RAM */
	struct rtc_time time;

	/* The divider chain: clock base_clock began at base_ns. An update ends
	 * at every multiple of RTC_HZ clocks; the one ending at clock
	 * done_update * RTC_HZ is the last the time and flags have seen, and
	 * periodic edges up to clock flags_clock have been seen. */
	uint64_t base_ns, base_clock;
	uint64_t done_update, flags_clock;
	bool dse_fell_back;              /* the October repeat of 1:00-1:59 is running */

	struct vdh_irq *irq8;
	bool irq8_level;
	struct vdh_timer *timer;
};

static const struct vdh *vdh;

void cmos_set_memory_size(uint8_t *nvram, uint64_t ram_size);

static bool rtc_leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned rtc_days_in_month(unsigned year, unsigned month)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && rtc_leap(year))
		return 29;
	return days[month - 1];
}

static unsigned rtc_full_year(const struct rtc_time *t)
{
	return t->century * 100u + t->year;
}

/* 1 = Sunday ... 7 = Saturday. 0001-01-01 was a Monday; years are counted
 * from 400 years earlier, a whole number of weeks, so none is negative. */
static uint8_t rtc_weekday(unsigned year, unsigned month, unsigned day)
{
	uint64_t y = year + 399u;
	uint64_t days = y * 365 + y / 4 - y / 100 + y / 400 + day - 1;

	for (unsigned m = 1; m < month; m++)
		days += rtc_days_in_month(year, m);
	return (uint8_t)((days + 1) % 7 + 1);
}

static uint32_t rtc_second_of_day(const struct rtc_time *t)
{
	return t->hour * 3600u + t->min * 60u + t->sec;
}

/* Values the guest wrote out of range are brought into it before the clock counts. */
static void rtc_normalize(struct rtc_time *t)
{
	t->sec = t->sec > 59 ? 59 : t->sec;
	t->min = t->min > 59 ? 59 : t->min;
	t->hour = t->hour > 23 ? 23 : t->hour;
	t->year = t->year > 99 ? 99 : t->year;
	t->century = t->century > 99 ? 99 : t->century;
	t->dow = t->dow < 1 ? 1 : t->dow > 7 ? 7 : t->dow;
	t->month = t->month < 1 ? 1 : t->month > 12 ? 12 : t->month;
	if (t->day < 1)
		t->day = 1;
	if (t->day > rtc_days_in_month(rtc_full_year(t), t->month))
		t->day = (uint8_t)rtc_days_in_month(rtc_full_year(t), t->month);
}

static void rtc_add_days(struct rtc_time *t, uint64_t days)
{
	t->dow = (uint8_t)((t->dow - 1 + days % 7) % 7 + 1);
	while (days) {
		unsigned left = rtc_days_in_month(rtc_full_year(t), t->month) - t->day;

		if (days <= left) {
			t->day = (uint8_t)(t->day + days);
			return;
		}
		days -= left + 1;
		t->day = 1;
		if (++t->month > 12) {
			t->month = 1;
			if (++t->year > 99) {
				t->year = 0;
				t->century = (uint8_t)((t->century + 1) % 100);
			}
		}
	}
}

static void rtc_add_seconds(struct rtc_time *t, uint64_t seconds)
{
	uint64_t total = rtc_second_of_day(t) + seconds;
	uint32_t sod = (uint32_t)(total % SECONDS_PER_DAY);

	t->hour = (uint8_t)(sod / 3600);
	t->min = (uint8_t)(sod / 60 % 60);
	t->sec = (uint8_t)(sod % 60);
	rtc_add_days(t, total / SECONDS_PER_DAY);
}

/* A value as the registers show it in the current data mode. */
static uint8_t rtc_encode(const struct cmos *s, unsigned value)
{
	if (s->nvram[RTC_REG_B] & RTC_B_DM)
		return (uint8_t)value;
	return (uint8_t)((value / 10 % 10) << 4 | value % 10);
}

/* Digits above 9 in BCD are taken at face value: the datasheet leaves them undefined. */
static uint8_t rtc_decode(const struct cmos *s, uint8_t value)
{
	if (s->nvram[RTC_REG_B] & RTC_B_DM)
		return value;
	return (uint8_t)((value >> 4) * 10 + (value & 15));
}

static uint8_t rtc_encode_hour(const struct cmos *s, unsigned hour)
{
	unsigned h12 = hour % 12 ? hour % 12 : 12;

	if (s->nvram[RTC_REG_B] & RTC_B_24H)
		return rtc_encode(s, hour);
	return (uint8_t)(rtc_encode(s, h12) | (hour >= 12 ? RTC_HOUR_PM : 0));
}

static uint8_t rtc_decode_hour(const struct cmos *s, uint8_t value)
{
	if (s->nvram[RTC_REG_B] & RTC_B_24H)
		return rtc_decode(s, value);
	return (uint8_t)(rtc_decode(s, value & ~RTC_HOUR_PM) % 12 + (value & RTC_HOUR_PM ? 12 : 0));
}

static bool rtc_alarm_field(uint8_t alarm, uint8_t now)
{
	return (alarm & RTC_ALARM_DONT_CARE) == RTC_ALARM_DONT_CARE || alarm == now;
}

static bool rtc_alarm_hour(const struct cmos *s, unsigned hour)
{
	return rtc_alarm_field(s->nvram[RTC_HOURS_ALARM], rtc_encode_hour(s, hour));
}

static bool rtc_alarm_minute(const struct cmos *s, unsigned min)
{
	return rtc_alarm_field(s->nvram[RTC_MINUTES_ALARM], rtc_encode(s, min));
}

static bool rtc_alarm_second(const struct cmos *s, unsigned sec)
{
	return rtc_alarm_field(s->nvram[RTC_SECONDS_ALARM], rtc_encode(s, sec));
}

/* Whether some hour, minute and second match the alarm at all. */
static bool rtc_alarm_possible(const struct cmos *s)
{
	bool hour = false, min = false, sec = false;

	for (unsigned v = 0; v < 60; v++) {
		hour |= v < 24 && rtc_alarm_hour(s, v);
		min |= rtc_alarm_minute(s, v);
		sec |= rtc_alarm_second(s, v);
	}
	return hour && min && sec;
}

/* Updates from second of day sod until one makes the time match the alarm
 * (1 to 86400), or 0 if none ever does. */
static uint32_t rtc_alarm_wait(const struct cmos *s, uint32_t sod)
{
	uint32_t t = sod + 1;

	if (!rtc_alarm_possible(s))
		return 0;
	/* whole hours and minutes that cannot match are skipped */
	for (;;) {
		uint32_t x = t % SECONDS_PER_DAY;

		if (!rtc_alarm_hour(s, x / 3600))
			t += 3600 - x % 3600;
		else if (!rtc_alarm_minute(s, x / 60 % 60))
			t += 60 - x % 60;
		else if (!rtc_alarm_second(s, x % 60))
			t++;
		else
			return t - sod;
	}
}

static bool rtc_alarm_now(const struct cmos *s)
{
	return rtc_alarm_hour(s, s->time.hour) && rtc_alarm_minute(s, s->time.min) &&
	       rtc_alarm_second(s, s->time.sec);
}

/* The last Sunday of April (30 days) or October (31 days), by the day of week register. */
static bool rtc_dse_day(const struct rtc_time *t, unsigned month)
{
	return t->month == month && t->dow == 1 &&
	       t->day + 7u > rtc_days_in_month(rtc_full_year(t), month);
}

/* Updates until the next one that ends at 2:00:00 AM, where DSE may change the hour. */
static uint32_t rtc_dse_wait(const struct rtc_time *t)
{
	return (DSE_SECOND_OF_DAY + SECONDS_PER_DAY - rtc_second_of_day(t) - 1) % SECONDS_PER_DAY + 1;
}

/* Runs n update cycles; returns whether one of them set the alarm flag. */
static bool rtc_count(struct cmos *s, uint64_t n)
{
	bool alarm = false;

	rtc_normalize(&s->time);
	while (n) {
		uint64_t step = n;
		uint32_t wait;

		if (s->nvram[RTC_REG_B] & RTC_B_DSE && step > rtc_dse_wait(&s->time))
			step = rtc_dse_wait(&s->time);
		/* the updates before the last of this step, then the last, which DSE may change */
		wait = rtc_alarm_wait(s, rtc_second_of_day(&s->time));
		alarm |= wait && wait < step;
		rtc_add_seconds(&s->time, step);
		n -= step;
		if (s->nvram[RTC_REG_B] & RTC_B_DSE && rtc_second_of_day(&s->time) == DSE_SECOND_OF_DAY) {
			if (rtc_dse_day(&s->time, 4)) {
				s->time.hour = 3;
			} else if (rtc_dse_day(&s->time, 10) && !s->dse_fell_back) {
				s->time.hour = 1;
				s->dse_fell_back = true;
			} else {
				s->dse_fell_back = false;
			}
		}
		alarm |= rtc_alarm_now(s);
	}
	return alarm;
}

static bool cmos_running(const struct cmos *s)
{
	return (s->nvram[RTC_REG_A] & RTC_A_DV_RESET) != RTC_A_DV_RESET;
}

/* The divider chain's clock count at virtual time ns (>= base_ns). */
static uint64_t cmos_clock(const struct cmos *s, uint64_t ns)
{
	uint64_t d = ns - s->base_ns;

	return s->base_clock + d / RTC_CLOCK_NS_NUM * RTC_CLOCK_NS_DEN +
	       d % RTC_CLOCK_NS_NUM * RTC_CLOCK_NS_DEN / RTC_CLOCK_NS_NUM;
}

/* The virtual time at which clock c (>= base_clock) begins. */
static uint64_t cmos_clock_ns(const struct cmos *s, uint64_t c)
{
	uint64_t d = c - s->base_clock;
	uint64_t whole = d / RTC_CLOCK_NS_DEN, part = d % RTC_CLOCK_NS_DEN;

	if (whole > (UINT64_MAX - s->base_ns - RTC_CLOCK_NS_NUM) / RTC_CLOCK_NS_NUM)
		return UINT64_MAX;
	return s->base_ns + whole * RTC_CLOCK_NS_NUM +
	       (part * RTC_CLOCK_NS_NUM + RTC_CLOCK_NS_DEN - 1) / RTC_CLOCK_NS_DEN;
}

/* Clocks between periodic interrupts, 0 for none. Rates 1 and 2 repeat rates
 * 8 and 9 with the 32.768 kHz time base. */
static uint64_t cmos_period(const struct cmos *s)
{
	unsigned rs = s->nvram[RTC_REG_A] & RTC_A_RS;

	if (rs == 0)
		return 0;
	if (rs <= 2)
		rs += 7;
	return 1ull << (rs - 1);
}

static void cmos_update_irq(struct cmos *s)
{
	uint8_t pending = s->nvram[RTC_REG_C] & s->nvram[RTC_REG_B] & RTC_INTERRUPTS;

	s->nvram[RTC_REG_C] = (uint8_t)((s->nvram[RTC_REG_C] & RTC_INTERRUPTS) |
					(pending ? RTC_C_IRQF : 0));
	if (!pending != !s->irq8_level) {
		s->irq8_level = pending;
		vdh->set_irq(s->irq8, s->irq8_level);
	}
}

/* Brings the time and the flags up to virtual time now. */
static void cmos_sync(struct cmos *s, uint64_t now)
{
	uint64_t c, update, period;

	if (!cmos_running(s))
		return;
	c = cmos_clock(s, now);
	update = c / RTC_HZ;
	if (update > s->done_update) {
		/* SET inhibits updates; those it skipped are lost, not made up */
		if (!(s->nvram[RTC_REG_B] & RTC_B_SET)) {
			s->nvram[RTC_REG_C] |= RTC_C_UF;
			if (rtc_count(s, update - s->done_update))
				s->nvram[RTC_REG_C] |= RTC_C_AF;
		}
		s->done_update = update;
	}
	period = cmos_period(s);
	if (period && c / period > s->flags_clock / period)
		s->nvram[RTC_REG_C] |= RTC_C_PF;
	s->flags_clock = c;
	cmos_update_irq(s);
}

static uint64_t cmos_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Arms the timer for the first enabled interrupt to come, if IRQ 8 is not already raised. */
static void cmos_arm(struct cmos *s, uint64_t now)
{
	uint8_t enabled = s->nvram[RTC_REG_B];
	uint64_t c, next = RTC_NEVER, period = cmos_period(s);
	struct rtc_time t = s->time;
	uint32_t wait;

	if (!cmos_running(s) || s->irq8_level) {
		vdh->disarm_timer(s->timer);
		return;
	}
	c = cmos_clock(s, now);
	if (enabled & RTC_B_PIE && period)
		next = (c / period + 1) * period;
	if (enabled & RTC_B_UIE && !(enabled & RTC_B_SET))
		next = cmos_min(next, (s->done_update + 1) * RTC_HZ);
	if (enabled & RTC_B_AIE && !(enabled & RTC_B_SET)) {
		/* as the next update will count it */
		rtc_normalize(&t);
		wait = rtc_alarm_wait(s, rtc_second_of_day(&t));
		/* a DSE hour change may bring the alarm sooner: look again there */
		if (wait && enabled & RTC_B_DSE)
			wait = (uint32_t)cmos_min(wait, rtc_dse_wait(&t));
		if (wait)
			next = cmos_min(next, (s->done_update + wait) * RTC_HZ);
	}
	if (next == RTC_NEVER)
		vdh->disarm_timer(s->timer);
	else
		vdh->arm_timer(s->timer, cmos_clock_ns(s, next));
}

static void cmos_timer(void *opaque, uint64_t now_ns)
{
	struct cmos *s = opaque;

	cmos_sync(s, now_ns);
	cmos_arm(s, now_ns);
}

static bool cmos_uip(const struct cmos *s, uint64_t now)
{
	if (!cmos_running(s) || s->nvram[RTC_REG_B] & RTC_B_SET)
		return false;
	return cmos_clock(s, now) % RTC_HZ >= RTC_HZ - RTC_UIP_CLOCKS;
}

static uint8_t cmos_read(struct cmos *s, uint8_t reg, uint64_t now)
{
	uint8_t value;

	switch (reg) {
	case RTC_SECONDS:
		return rtc_encode(s, s->time.sec);
	case RTC_MINUTES:
		return rtc_encode(s, s->time.min);
	case RTC_HOURS:
		return rtc_encode_hour(s, s->time.hour);
	case RTC_DAY_OF_WEEK:
		return rtc_encode(s, s->time.dow);
	case RTC_DAY_OF_MONTH:
		return rtc_encode(s, s->time.day);
	case RTC_MONTH:
		return rtc_encode(s, s->time.month);
	case RTC_YEAR:
		return rtc_encode(s, s->time.year);
	case RTC_CENTURY:
		return rtc_encode(s, s->time.century);
	case RTC_REG_A:
		return (uint8_t)(s->nvram[RTC_REG_A] | (cmos_uip(s, now) ? RTC_A_UIP : 0));
	case RTC_REG_C:
		value = s->nvram[RTC_REG_C];
		s->nvram[RTC_REG_C] = 0;
		cmos_update_irq(s);
		return value;
	case RTC_REG_D:
		return RTC_D_VRT;
	default:
		return s->nvram[reg];
	}
}

static void cmos_write(struct cmos *s, uint8_t reg, uint8_t value, uint64_t now)
{
	bool was_running;

	switch (reg) {
	case RTC_SECONDS:
		s->time.sec = rtc_decode(s, value);
		break;
	case RTC_MINUTES:
		s->time.min = rtc_decode(s, value);
		break;
	case RTC_HOURS:
		s->time.hour = rtc_decode_hour(s, value);
		break;
	case RTC_DAY_OF_WEEK:
		s->time.dow = rtc_decode(s, value);
		break;
	case RTC_DAY_OF_MONTH:
		s->time.day = rtc_decode(s, value);
		break;
	case RTC_MONTH:
		s->time.month = rtc_decode(s, value);
		break;
	case RTC_YEAR:
		s->time.year = rtc_decode(s, value);
		break;
	case RTC_CENTURY:
		s->time.century = rtc_decode(s, value);
		break;
	case RTC_REG_A:
		was_running = cmos_running(s);
		s->nvram[RTC_REG_A] = value & ~RTC_A_UIP;
		if (was_running || !cmos_running(s))
			break;
		/* out of divider reset, the first update ends half a second later */
		s->base_ns = now;
		s->base_clock = RTC_HZ / 2;
		s->done_update = 0;
		s->flags_clock = s->base_clock;
		break;
	case RTC_REG_B:
		/* SET going high clears UIE */
		if (value & RTC_B_SET)
			value &= (uint8_t)~RTC_B_UIE;
		s->nvram[RTC_REG_B] = value;
		cmos_update_irq(s);
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break; /* read only */
	default:
		s->nvram[reg] = value;
	}
}

static uint8_t cmos_inb(void *opaque, uint16_t port)
{
	struct cmos *s = opaque;
	uint64_t now = vdh->now_ns(s->dev);
	uint8_t value;

	/* port 70h reads back the index as written, NMI disable bit included */
	if (port == RTC_INDEX_PORT)
		return s->index;
	cmos_sync(s, now);
	value = cmos_read(s, s->index & RTC_INDEX_MASK, now);
	cmos_arm(s, now);
	return value;
}

static void cmos_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct cmos *s = opaque;
	uint64_t now = vdh->now_ns(s->dev);

	if (port == RTC_INDEX_PORT) {
		s->index = value;
		return;
	}
	/* what happened under the old contents first */
	cmos_sync(s, now);
	cmos_write(s, s->index & RTC_INDEX_MASK, value, now);
	cmos_arm(s, now);
}

static const struct vdh_io_ops cmos_ops = {
	.inb = cmos_inb,
	.outb = cmos_outb,
};

static uint16_t cmos_cap16(uint64_t value)
{
	return value > 0xFFFF ? 0xFFFF : (uint16_t)value;
}

static void cmos_put16(uint8_t *nvram, unsigned lo, unsigned hi, uint16_t value)
{
	nvram[lo] = (uint8_t)value;
	nvram[hi] = (uint8_t)(value >> 8);
}

/* The memory size bytes for ram_size bytes of RAM from address 0 up. Also
 * called by the unit test, whose mock VMM has one RAM size only. */
void cmos_set_memory_size(uint8_t *nvram, uint64_t ram_size)
{
	uint64_t base = ram_size < CONVENTIONAL_BYTES ? ram_size : CONVENTIONAL_BYTES;
	uint64_t ext = ram_size > MIB ? (ram_size - MIB) / KIB : 0;
	uint64_t below_4g = ram_size < 4 * GIB ? ram_size : 4 * GIB;
	uint64_t above_16m = below_4g > 16 * MIB ? (below_4g - 16 * MIB) / (64 * KIB) : 0;
	uint64_t above_4g = ram_size > 4 * GIB ? (ram_size - 4 * GIB) / (64 * KIB) : 0;

	cmos_put16(nvram, CMOS_BASE_MEM_LO, CMOS_BASE_MEM_HI, (uint16_t)(base / KIB));
	cmos_put16(nvram, CMOS_EXT_MEM_LO, CMOS_EXT_MEM_HI, cmos_cap16(ext));
	cmos_put16(nvram, CMOS_EXT_MEM2_LO, CMOS_EXT_MEM2_HI, cmos_cap16(ext));
	cmos_put16(nvram, CMOS_MEM_16M_LO, CMOS_MEM_16M_HI, cmos_cap16(above_16m));
	if (above_4g > 0xFFFFFF)
		above_4g = 0xFFFFFF;
	for (unsigned i = 0; i < 3; i++)
		nvram[CMOS_MEM_4G + i] = (uint8_t)(above_4g >> 8 * i);
}

static void cmos_set_checksum(uint8_t *nvram)
{
	uint16_t sum = 0;

	for (unsigned i = CMOS_CHECKSUM_FIRST; i <= CMOS_CHECKSUM_LAST; i++)
		sum = (uint16_t)(sum + nvram[i]);
	nvram[CMOS_CHECKSUM_HI] = (uint8_t)(sum >> 8);
	nvram[CMOS_CHECKSUM_LO] = (uint8_t)sum;
}

/* A floppy drive property: its CMOS drive type, or -1. */
static int cmos_floppy_type(const char *value)
{
	static const char *const types[] = { "none", "360K", "1.2M", "720K", "1.44M", "2.88M" };

	for (int i = 0; i < (int)(sizeof(types) / sizeof(types[0])); i++)
		if (strcmp(value, types[i]) == 0)
			return i;
	return -1;
}

static int cmos_set_floppies(struct cmos *s, const struct vdh_props *props)
{
	static const char *const names[] = { "floppy0", "floppy1" };
	int type[2];
	unsigned drives = 0;

	for (unsigned i = 0; i < 2; i++) {
		const char *value = vdh->prop_string(props, names[i]);

		type[i] = cmos_floppy_type(value);
		if (type[i] < 0) {
			vdh->log(s->dev, VDH_LOG_ERROR,
				 "%s='%s': expected none, 360K, 1.2M, 720K, 1.44M or 2.88M", names[i],
				 value);
			return -EINVAL;
		}
		drives += type[i] != 0;
	}
	s->nvram[CMOS_FLOPPY_TYPES] = (uint8_t)(type[0] << 4 | type[1]);
	s->nvram[CMOS_EQUIPMENT] =
		drives ? (uint8_t)(CMOS_EQUIP_FLOPPY | (drives - 1) << CMOS_EQUIP_FLOPPIES_SHIFT) : 0;
	return 0;
}

/* "YYYY-MM-DD HH:MM:SS" (or with a T between date and time) into t; false if it is not one. */
static bool rtc_parse_start(const char *text, struct rtc_time *t)
{
	static const char form[] = "dddd-dd-dd dd:dd:dd";
	unsigned year, month, day, hour, min, sec;

	if (strlen(text) != sizeof(form) - 1)
		return false;
	for (size_t i = 0; form[i]; i++) {
		bool ok = form[i] == 'd' ? text[i] >= '0' && text[i] <= '9'
			: form[i] == ' ' ? text[i] == ' ' || text[i] == 'T'
					 : text[i] == form[i];
		if (!ok)
			return false;
	}
	year = (unsigned)atoi(text);
	month = (unsigned)atoi(text + 5);
	day = (unsigned)atoi(text + 8);
	hour = (unsigned)atoi(text + 11);
	min = (unsigned)atoi(text + 14);
	sec = (unsigned)atoi(text + 17);
	if (month < 1 || month > 12 || day < 1 || day > rtc_days_in_month(year, month) ||
	    hour > 23 || min > 59 || sec > 59)
		return false;
	*t = (struct rtc_time){
		.sec = (uint8_t)sec, .min = (uint8_t)min, .hour = (uint8_t)hour,
		.dow = rtc_weekday(year, month, day), .day = (uint8_t)day, .month = (uint8_t)month,
		.year = (uint8_t)(year % 100), .century = (uint8_t)(year / 100),
	};
	return true;
}

/* The host's local time now: read once, when the VM is created. */
static int rtc_host_time(struct rtc_time *t)
{
	time_t now = time(NULL);
	struct tm tm;
	unsigned year;

	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return -EIO;
	year = (unsigned)tm.tm_year + 1900;
	*t = (struct rtc_time){
		/* a leap second shows as 59 */
		.sec = (uint8_t)(tm.tm_sec > 59 ? 59 : tm.tm_sec), .min = (uint8_t)tm.tm_min,
		.hour = (uint8_t)tm.tm_hour, .dow = (uint8_t)(tm.tm_wday + 1),
		.day = (uint8_t)tm.tm_mday, .month = (uint8_t)(tm.tm_mon + 1),
		.year = (uint8_t)(year % 100), .century = (uint8_t)(year / 100 % 100),
	};
	return 0;
}

static int cmos_set_start(struct cmos *s, const struct vdh_props *props)
{
	const char *start = vdh->prop_string(props, "start");
	int rc;

	if (strcmp(start, "host") == 0) {
		rc = rtc_host_time(&s->time);
		if (rc < 0)
			vdh->log(s->dev, VDH_LOG_ERROR, "cannot read the host's local time");
		return rc;
	}
	if (!rtc_parse_start(start, &s->time)) {
		vdh->log(s->dev, VDH_LOG_ERROR,
			 "start='%s': expected 'host' or a time 'YYYY-MM-DD HH:MM:SS'", start);
		return -EINVAL;
	}
	return 0;
}

static int cmos_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

/*
 * The boot order, where SeaBIOS reads it on QEMU's machines: the first two
 * devices in the low and high nibbles of 3Dh, the third in the high nibble
 * of 38h, whose bit 0 left clear keeps the boot sector signature check on
 * floppies. Device codes: 1 floppy, 2 hard disk, 3 CD-ROM, 4 network.
 */
#define CMOS_BOOT_ORDER_1_2 0x3D
#define CMOS_BOOT_ORDER_3 0x38
#define CMOS_BOOT_DEVICES 3

static int cmos_set_boot_order(struct cmos *s, const struct vdh_props *props)
{
	static const char *const devices[] = { NULL, "floppy", "disk", "cdrom", "network" };
	const char *order = vdh->prop_string(props, "boot");
	unsigned codes[CMOS_BOOT_DEVICES] = { 0 }, n = 0;

	for (const char *p = order; *p && n < CMOS_BOOT_DEVICES;) {
		size_t len = strcspn(p, ",");
		unsigned code = 0;
		for (unsigned c = 1; c < sizeof(devices) / sizeof(devices[0]); c++)
			if (strlen(devices[c]) == len && strncmp(p, devices[c], len) == 0)
				code = c;
		if (!code) {
			vdh->log(s->dev, VDH_LOG_ERROR, "boot: '%.*s' is not floppy, disk, cdrom or "
				 "network", (int)len, p);
			return -EINVAL;
		}
		codes[n++] = code;
		p += len + (p[len] == ',');
	}
	s->nvram[CMOS_BOOT_ORDER_1_2] = (uint8_t)(codes[0] | codes[1] << 4);
	s->nvram[CMOS_BOOT_ORDER_3] = (uint8_t)(codes[2] << 4);
	return 0;
}

static int cmos_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct cmos *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	rc = cmos_set_start(s, props);
	if (rc < 0)
		goto err_free;
	rc = cmos_set_floppies(s, props);
	if (rc == 0)
		rc = cmos_set_boot_order(s, props);
	if (rc < 0)
		goto err_free;
	s->nvram[RTC_REG_A] = RTC_POWER_ON_A;
	s->nvram[RTC_REG_B] = RTC_POWER_ON_B;
	s->nvram[CMOS_DISK_TYPES] = 0; /* no AT hard disk types: SeaBIOS probes its disks */
	cmos_set_memory_size(s->nvram, vdh->ram_size(dev));
	cmos_set_checksum(s->nvram);
	/* the first update ends a second after the VM starts */
	s->base_ns = vdh->now_ns(dev);

	rc = vdh->open_irq(dev, RTC_IRQ, NULL, NULL, &s->irq8);
	if (rc < 0)
		goto err_free;
	rc = vdh->create_timer(dev, cmos_timer, s, &s->timer);
	if (rc < 0)
		goto err_free;
	/* 0x70-0x71: MC146818A index (and NMI disable) and data */
	rc = vdh->install_io_hook(dev, RTC_INDEX_PORT, 2, &cmos_ops, s);
	if (rc < 0)
		goto err_timer;
	*instance = s;
	return 0;

	/* the VMM drops the hooks and the IRQ line of a VDD whose create() fails */
err_timer:
	vdh->destroy_timer(s->timer);
err_free:
	free(s);
	return rc;
}

static void cmos_terminate(void *instance)
{
	struct cmos *s = instance;

	vdh->destroy_timer(s->timer);
	free(s);
}

static const struct vdh_prop_spec cmos_props[] = {
	{ "start", VDH_PROP_STRING, "host", 0, 0,
	  "the time when the VM starts: 'host' (the host's local time) or 'YYYY-MM-DD HH:MM:SS'" },
	{ "floppy0", VDH_PROP_STRING, "none", 0, 0,
	  "drive A: type: none, 360K, 1.2M, 720K, 1.44M or 2.88M" },
	{ "floppy1", VDH_PROP_STRING, "none", 0, 0, "drive B: type, as floppy0" },
	{ "boot", VDH_PROP_STRING, "floppy,disk", 0, 0,
	  "the firmware's boot order: up to three of floppy, disk, cdrom, network" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "cmos",
	.description = "MC146818A real-time clock (IRQ 8) and CMOS RAM at ports 70h-71h",
	.props = cmos_props,
	.init = cmos_init,
	.create = cmos_create,
	.terminate = cmos_terminate,
};
