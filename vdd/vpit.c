/* vpit.c: the Intel 8254 programmable interval timer of a PC, and system control port B. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "vdh.h"

/*
 * The counters count 105/88 MHz clocks (the 14.31818 MHz crystal divided by
 * 12) of the VM's virtual clock, never the host's. Tick T is the T-th clock
 * since the VM started. Nothing is stepped: counter values, OUT levels and the
 * status byte are computed from the number of clocks since the last event that
 * set them going (a count loaded, a gate edge).
 */
#define PIT_CLOCKS 105                   /* input clocks ... */
#define PIT_CLOCK_NS 88000               /* ... in this many ns */

#define PIT_PORT_COUNTER0 0x40
#define PIT_PORT_CONTROL 0x43
#define PIT_COUNTERS 3

/* Control word */
#define PIT_CW_SC(cw) ((cw) >> 6)        /* select counter */
#define PIT_CW_RW(cw) (((cw) >> 4) & 3)  /* read/write */
#define PIT_CW_M(cw) (((cw) >> 1) & 7)   /* mode */
#define PIT_CW_BCD 0x01
#define PIT_CW_STATUS_BITS 0x3f          /* RW, M and BCD, as the status byte returns them */
#define PIT_SC_READ_BACK 3
#define PIT_RW_LATCH 0                   /* counter latch command */
#define PIT_RW_LSB 1                     /* LSB only */
#define PIT_RW_MSB 2                     /* MSB only; 3 is LSB then MSB */

/* Read-back command (SC = 3) */
#define PIT_RB_COUNT_N 0x20              /* 0: latch count */
#define PIT_RB_STATUS_N 0x10             /* 0: latch status */
#define PIT_RB_CNT(i) (0x02 << (i))      /* select counter i */

/* Status byte */
#define PIT_ST_OUTPUT 0x80
#define PIT_ST_NULL_COUNT 0x40

/*
 * At power-on the 8254's modes and counts are undefined. No counter is
 * programmed here: each waits for a count as after a mode 3 control word
 * (OUT high, nothing counting, no IRQ0) until the BIOS programs counter 0.
 */
#define PIT_POWER_ON_CW 0x36

#define PIT_NEVER UINT64_MAX

/* System control port B */
#define PORTB_PORT 0x61
#define PORTB_TIM2_GATE 0x01             /* counter 2 gate */
#define PORTB_SPKR_DATA 0x02             /* speaker data enable */
#define PORTB_PARITY_CHECK 0x04          /* RAM parity check enable (stored only) */
#define PORTB_CHANNEL_CHECK 0x08         /* I/O channel check enable (stored only) */
#define PORTB_REFRESH_DETECT 0x10
#define PORTB_OUT2 0x20                  /* counter 2 OUT, read only */
/* bits 6-7 report parity and channel check errors, which never happen here */
#define PORTB_WRITABLE (PORTB_TIM2_GATE | PORTB_SPKR_DATA | PORTB_PARITY_CHECK | \
			PORTB_CHANNEL_CHECK)
/* The refresh request toggles as counter 1 programmed by the BIOS with 18 would
 * make it (every 15.085 us); it follows the virtual clock whatever counter 1 does. */
#define PORTB_REFRESH_CLOCKS 18

struct pit_counter {
	uint8_t ctrl;                    /* the last control word's RW, M and BCD */
	uint8_t mode;                    /* M, with 6 and 7 folded onto 2 and 3 */
	uint16_t cr;                     /* count register, as written */
	uint8_t cr_lsb;                  /* first byte of a two-byte count */
	bool cr_valid;                   /* a whole count was written since the control word */
	bool write_msb, read_msb;        /* byte flip-flops: the next byte is the MSB */
	bool count_latched, status_latched;
	uint16_t ol;                     /* output latch */
	uint8_t status;
	bool gate;

	/*
	 * The counting element. Before tick `epoch` (PIT_NEVER: nothing counting)
	 * it shows held_ce and OUT is held_out; from it on, it counts: from `left`
	 * clocks before terminal count in modes 0, 1, 4 and 5 (negative once
	 * past it), or in periods of `period` clocks in modes 2 and 3, which
	 * become reload_count clocks from tick reload_at.
	 */
	uint64_t epoch;
	int64_t left;
	uint32_t period;
	uint64_t reload_at;
	uint32_t reload_count;
	uint32_t held_ce;
	bool held_out;
	uint64_t null_until;             /* null count is set before this tick */
};

struct vpit {
	struct vdh_dev *dev;
	struct pit_counter counter[PIT_COUNTERS];
	uint8_t port_b;                  /* the writable bits of port B */
	struct vdh_irq *irq0;
	bool irq0_level;                 /* as last driven */
	uint64_t irq0_seen;              /* OUT0 rising edges up to this tick have reached IRQ0 */
	struct vdh_timer *timer;         /* armed for the next rising edge of OUT0 */
};

static const struct vdh *vdh;

static uint64_t pit_ticks(uint64_t ns)
{
	return ns / PIT_CLOCK_NS * PIT_CLOCKS + ns % PIT_CLOCK_NS * PIT_CLOCKS / PIT_CLOCK_NS;
}

/* The virtual time at which tick T begins: ceil(T * 88000 / 105). */
static uint64_t pit_tick_ns(uint64_t tick)
{
	uint64_t whole = tick / PIT_CLOCKS, part = tick % PIT_CLOCKS;

	if (whole > (UINT64_MAX - PIT_CLOCK_NS) / PIT_CLOCK_NS)
		return UINT64_MAX;
	return whole * PIT_CLOCK_NS + (part * PIT_CLOCK_NS + PIT_CLOCKS - 1) / PIT_CLOCKS;
}

static uint64_t vpit_now(struct vpit *s)
{
	return pit_ticks(vdh->now_ns(s->dev));
}

static uint32_t pit_modulus(const struct pit_counter *c)
{
	return c->ctrl & PIT_CW_BCD ? 10000 : 65536;
}

/* The count register in clocks; 0 stands for the modulus. Digits above 9 in a
 * BCD count are taken at face value: the datasheet leaves them undefined. */
static uint32_t pit_count(const struct pit_counter *c)
{
	uint32_t n = c->cr;

	if (c->ctrl & PIT_CW_BCD)
		n = (n >> 12) * 1000 + (n >> 8 & 15) * 100 + (n >> 4 & 15) * 10 + (n & 15);
	return n ? n : pit_modulus(c);
}

/* A counting element value as a read returns it: 16 bits or four BCD digits. */
static uint16_t pit_encode(const struct pit_counter *c, uint32_t value)
{
	if (!(c->ctrl & PIT_CW_BCD))
		return (uint16_t)value;
	value %= 10000;
	return (uint16_t)(value / 1000 << 12 | value / 100 % 10 << 8 | value / 10 % 10 << 4 |
			  value % 10);
}

static bool pit_periodic(const struct pit_counter *c)
{
	return c->mode == 2 || c->mode == 3;
}

/* Gate low stops the count in modes 0 and 4 (in modes 2 and 3 it also ends the period). */
static bool pit_paused(const struct pit_counter *c)
{
	return !c->gate && (c->mode == 0 || c->mode == 4);
}

/* Modes 0, 1, 4, 5: clocks left to terminal count at tick t >= epoch. */
static int64_t pit_left(const struct pit_counter *c, uint64_t t)
{
	if (pit_paused(c))
		return c->left;
	return c->left - (int64_t)(t - c->epoch);
}

/* Modes 2, 3: how far into its period the count is at tick t >= epoch. */
static uint32_t pit_phase(const struct pit_counter *c, uint64_t t, uint32_t *period)
{
	uint64_t start = c->epoch;

	*period = c->period;
	if (t >= c->reload_at) {
		start = c->reload_at;
		*period = c->reload_count;
	}
	return (uint32_t)((t - start) % *period);
}

/* Modes 2, 3: the first reload after tick t >= epoch. */
static uint64_t pit_next_reload(const struct pit_counter *c, uint64_t t)
{
	uint32_t period, phase = pit_phase(c, t, &period);

	return t - phase + period;
}

/* The counting element at tick t, as a number below 65537. */
static uint32_t pit_ce(const struct pit_counter *c, uint64_t t)
{
	uint32_t period, phase, half;
	int64_t modulus;

	if (t < c->epoch)
		return c->held_ce;
	if (!pit_periodic(c)) {
		/* past terminal count the counter wraps and keeps counting */
		modulus = pit_modulus(c);
		return (uint32_t)((pit_left(c, t) % modulus + modulus) % modulus);
	}
	phase = pit_phase(c, t, &period);
	if (c->mode == 2)
		return period - phase;
	/* Mode 3 counts down by two from the count rounded down to even, once for
	 * each half of the period; an odd count's high half is one clock longer. */
	half = (period + 1) / 2;
	return (period & ~1u) - 2 * (phase < half ? phase : phase - half);
}

static bool pit_out(const struct pit_counter *c, uint64_t t)
{
	uint32_t period, phase;

	if (t < c->epoch)
		return c->held_out;
	switch (c->mode) {
	case 0: /* interrupt on terminal count */
	case 1: /* one-shot */
		return pit_left(c, t) <= 0;
	case 4: /* strobes: low for the clock of terminal count */
	case 5:
		return pit_left(c, t) != 0;
	case 2: /* rate generator: low for the clock the count is 1 */
		phase = pit_phase(c, t, &period);
		return phase != period - 1;
	default: /* square wave: high for (N + 1) / 2 clocks, low for N / 2 */
		phase = pit_phase(c, t, &period);
		return phase < (period + 1) / 2;
	}
}

/* The first tick after t at which OUT rises if the guest does nothing; PIT_NEVER if none. */
static uint64_t pit_next_rise(const struct pit_counter *c, uint64_t t)
{
	uint64_t edge[3];
	unsigned n = 0;

	if (c->epoch == PIT_NEVER)
		return PIT_NEVER;
	if (c->epoch > t)
		edge[n++] = c->epoch;
	switch (c->mode) {
	case 0:
	case 1:
		if (!pit_paused(c) && c->left > 0)
			edge[n++] = c->epoch + (uint64_t)c->left;
		break;
	case 4:
	case 5:
		if (!pit_paused(c) && c->left >= 0)
			edge[n++] = c->epoch + (uint64_t)c->left + 1;
		break;
	default:
		/* OUT rises at reloads; a new count can start at the next one, so
		 * the one after that shows whether OUT rises in the periods to come */
		edge[n] = pit_next_reload(c, c->epoch > t ? c->epoch : t);
		edge[n + 1] = pit_next_reload(c, edge[n]);
		n += 2;
	}
	for (unsigned i = 0; i < n; i++)
		if (edge[i] > t && !pit_out(c, edge[i] - 1) && pit_out(c, edge[i]))
			return edge[i];
	return PIT_NEVER;
}

/* The count register goes into the counting element on the clock after tick t. */
static void pit_load(struct pit_counter *c, uint64_t t)
{
	c->held_ce = pit_ce(c, t);
	c->held_out = pit_out(c, t);
	c->epoch = t + 1;
	c->left = pit_count(c);
	c->period = pit_count(c);
	c->reload_at = PIT_NEVER;
	if (c->null_until > t + 1)
		c->null_until = t + 1;
}

/* Modes 2, 3: a period that has run out has become the one counting. */
static void pit_sync(struct pit_counter *c, uint64_t t)
{
	if (t < c->reload_at)
		return;
	c->epoch = c->reload_at;
	c->period = c->reload_count;
	c->reload_at = PIT_NEVER;
}

static void pit_program(struct pit_counter *c, uint8_t cw, uint64_t t)
{
	/* the counting element keeps its value: the datasheet leaves it undefined */
	c->held_ce = pit_ce(c, t);
	c->ctrl = cw & PIT_CW_STATUS_BITS;
	c->mode = PIT_CW_M(cw) > 5 ? PIT_CW_M(cw) & 3 : PIT_CW_M(cw);
	c->held_out = c->mode != 0;
	c->epoch = c->reload_at = c->null_until = PIT_NEVER;
	c->cr_valid = c->write_msb = c->read_msb = false;
	c->count_latched = c->status_latched = false;
}

static void pit_write_count(struct pit_counter *c, uint16_t count, uint64_t t)
{
	c->cr = count;
	c->cr_valid = true;
	c->null_until = PIT_NEVER;
	switch (c->mode) {
	case 0:
		pit_load(c, t);
		c->held_out = false; /* a new count sets OUT low at once */
		break;
	case 4:
		pit_load(c, t);
		break;
	case 1:
	case 5:
		/* waits for a gate trigger; one still before its load clock takes this count */
		if (c->epoch != PIT_NEVER && c->epoch > t)
			pit_load(c, t);
		break;
	default:
		pit_sync(c, t);
		if (c->epoch <= t) {
			/* The period in progress runs to its end. The datasheet has
			 * mode 3 take the count at the end of the half-cycle; we take it
			 * at the end of the full period, as mode 2 does, so OUT keeps a
			 * whole high and low half. */
			c->reload_at = pit_next_reload(c, t);
			c->reload_count = pit_count(c);
			c->null_until = c->reload_at;
		} else if (c->gate) {
			pit_load(c, t);
		}
	}
}

static void pit_write(struct pit_counter *c, uint8_t value, uint64_t t)
{
	switch (PIT_CW_RW(c->ctrl)) {
	case PIT_RW_LSB:
		pit_write_count(c, value, t);
		break;
	case PIT_RW_MSB:
		pit_write_count(c, (uint16_t)(value << 8), t);
		break;
	default: /* LSB then MSB */
		c->write_msb = !c->write_msb;
		if (!c->write_msb) {
			pit_write_count(c, (uint16_t)(value << 8 | c->cr_lsb), t);
		} else {
			c->cr_lsb = value;
			if (c->mode == 0) {
				/* the first byte of a new count stops counting, OUT goes low */
				c->held_ce = pit_ce(c, t);
				c->held_out = false;
				c->epoch = PIT_NEVER;
			}
		}
	}
}

static void pit_latch_count(struct pit_counter *c, uint64_t t)
{
	/* a second latch before the first is read is ignored */
	if (c->count_latched)
		return;
	c->ol = pit_encode(c, pit_ce(c, t));
	c->count_latched = true;
}

static void pit_latch_status(struct pit_counter *c, uint64_t t)
{
	if (c->status_latched)
		return;
	c->status = (uint8_t)((pit_out(c, t) ? PIT_ST_OUTPUT : 0) |
			      (t < c->null_until ? PIT_ST_NULL_COUNT : 0) | c->ctrl);
	c->status_latched = true;
}

static uint8_t pit_read(struct pit_counter *c, uint64_t t)
{
	uint16_t value;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	value = c->count_latched ? c->ol : pit_encode(c, pit_ce(c, t));
	switch (PIT_CW_RW(c->ctrl)) {
	case PIT_RW_LSB:
		c->count_latched = false;
		return (uint8_t)value;
	case PIT_RW_MSB:
		c->count_latched = false;
		return (uint8_t)(value >> 8);
	default: /* LSB then MSB */
		c->read_msb = !c->read_msb;
		if (c->read_msb)
			return (uint8_t)value;
		c->count_latched = false;
		return (uint8_t)(value >> 8);
	}
}

static void pit_set_gate(struct pit_counter *c, bool gate, uint64_t t)
{
	if (gate == c->gate)
		return;
	if (!gate) {
		if (c->mode == 0 || c->mode == 4) {
			/* the count stops where it is */
			if (c->epoch < t) {
				c->left = pit_left(c, t);
				c->epoch = t;
			}
		} else if (pit_periodic(c) && c->epoch != PIT_NEVER) {
			/* OUT goes high and counting waits for a rising edge to reload;
			 * a count not yet loaded waits for it too */
			c->held_ce = pit_ce(c, t);
			c->held_out = true;
			c->epoch = c->reload_at = PIT_NEVER;
			if (c->null_until > t)
				c->null_until = PIT_NEVER;
		}
		c->gate = false;
		return;
	}
	c->gate = true;
	if (c->mode == 0 || c->mode == 4) {
		/* counting goes on from where it stopped */
		if (c->epoch < t)
			c->epoch = t;
	} else if (c->cr_valid) {
		pit_load(c, t); /* a rising edge triggers modes 1, 2, 3 and 5 */
	}
}

/* One rising edge on IRQ0 for a rising edge of OUT0. The line is left high
 * until the next one rather than following OUT0 down: the 8259 only looks for
 * rising edges, and the timer then runs once a period instead of twice. */
static void vpit_irq0_edge(struct vpit *s)
{
	if (s->irq0_level)
		vdh->set_irq(s->irq0, false);
	vdh->set_irq(s->irq0, true);
	s->irq0_level = true;
}

/* Passes on a rising edge of OUT0 since the last call; the 8259 latches at most one. */
static void vpit_irq0_catch_up(struct vpit *s, uint64_t now)
{
	if (pit_next_rise(&s->counter[0], s->irq0_seen) <= now)
		vpit_irq0_edge(s);
	s->irq0_seen = now;
}

static void vpit_irq0_arm(struct vpit *s, uint64_t now)
{
	uint64_t next = pit_next_rise(&s->counter[0], now);

	if (next == PIT_NEVER)
		vdh->disarm_timer(s->timer);
	else
		vdh->arm_timer(s->timer, pit_tick_ns(next));
}

static void vpit_timer(void *opaque, uint64_t now_ns)
{
	struct vpit *s = opaque;
	uint64_t now = pit_ticks(now_ns);

	vpit_irq0_catch_up(s, now);
	vpit_irq0_arm(s, now);
}

static void vpit_control(struct vpit *s, uint8_t cw, uint64_t now)
{
	struct pit_counter *c;

	if (PIT_CW_SC(cw) == PIT_SC_READ_BACK) {
		for (int i = 0; i < PIT_COUNTERS; i++) {
			if (!(cw & PIT_RB_CNT(i)))
				continue;
			if (!(cw & PIT_RB_COUNT_N))
				pit_latch_count(&s->counter[i], now);
			if (!(cw & PIT_RB_STATUS_N))
				pit_latch_status(&s->counter[i], now);
		}
		return;
	}
	c = &s->counter[PIT_CW_SC(cw)];
	if (PIT_CW_RW(cw) == PIT_RW_LATCH)
		pit_latch_count(c, now);
	else
		pit_program(c, cw, now);
}

static uint8_t vpit_pit_inb(void *opaque, uint16_t port)
{
	struct vpit *s = opaque;

	/* the control word register cannot be read */
	if (port == PIT_PORT_CONTROL)
		return 0xff;
	return pit_read(&s->counter[port - PIT_PORT_COUNTER0], vpit_now(s));
}

static void vpit_pit_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct vpit *s = opaque;
	uint64_t now = vpit_now(s);
	bool out0;

	/* edges due under the old programming first, then any the write makes */
	vpit_irq0_catch_up(s, now);
	out0 = pit_out(&s->counter[0], now);
	if (port == PIT_PORT_CONTROL)
		vpit_control(s, value, now);
	else
		pit_write(&s->counter[port - PIT_PORT_COUNTER0], value, now);
	if (!out0 && pit_out(&s->counter[0], now))
		vpit_irq0_edge(s);
	vpit_irq0_arm(s, now);
}

static uint8_t vpit_port_b_inb(void *opaque, uint16_t port)
{
	struct vpit *s = opaque;
	uint64_t now = vpit_now(s);
	uint8_t value = s->port_b;

	if (now / PORTB_REFRESH_CLOCKS & 1)
		value |= PORTB_REFRESH_DETECT;
	if (pit_out(&s->counter[2], now))
		value |= PORTB_OUT2;
	return value;
}

static void vpit_port_b_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct vpit *s = opaque;

	s->port_b = value & PORTB_WRITABLE;
	pit_set_gate(&s->counter[2], value & PORTB_TIM2_GATE, vpit_now(s));
}

static const struct vdh_io_ops vpit_pit_ops = {
	.inb = vpit_pit_inb,
	.outb = vpit_pit_outb,
};

static const struct vdh_io_ops vpit_port_b_ops = {
	.inb = vpit_port_b_inb,
	.outb = vpit_port_b_outb,
};

static int vpit_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int vpit_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct vpit *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	for (int i = 0; i < PIT_COUNTERS; i++) {
		struct pit_counter *c = &s->counter[i];

		/* counters 0 and 1 have their gates tied high; counter 2's is port B bit 0 */
		c->gate = i != 2;
		c->epoch = PIT_NEVER;
		pit_program(c, PIT_POWER_ON_CW, 0);
	}
	s->irq0_seen = vpit_now(s);

	rc = vdh->open_irq(dev, 0, NULL, NULL, &s->irq0);
	if (rc < 0)
		goto err_free;
	rc = vdh->create_timer(dev, vpit_timer, s, &s->timer);
	if (rc < 0)
		goto err_free;
	/* 0x40-0x43: 8254 PIT counters 0-2 and control word */
	rc = vdh->install_io_hook(dev, PIT_PORT_COUNTER0, 4, &vpit_pit_ops, s);
	if (rc < 0)
		goto err_timer;
	/* 0x61: system control port B (counter 2 gate, speaker, refresh, OUT2) */
	rc = vdh->install_io_hook(dev, PORTB_PORT, 1, &vpit_port_b_ops, s);
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

static void vpit_terminate(void *instance)
{
	struct vpit *s = instance;

	vdh->destroy_timer(s->timer);
	free(s);
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "vpit",
	.description = "Intel 8254 programmable interval timer (IRQ0) and system control port B",
	.init = vpit_init,
	.create = vpit_create,
	.terminate = vpit_terminate,
};
