/* vpic.c: the PC/AT's two cascaded Intel 8259A programmable interrupt controllers. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "vdh.h"

#define PIC_MASTER_PORT 0x20
#define PIC_SLAVE_PORT 0xA0
#define PIC_PORT_COUNT 2
#define PIC_A0 0x01 /* address line A0: 0 = command/status port, 1 = data (IMR) port */

/* ICW1: written to A0=0 with D4 set; starts initialization. Bits 7-5 and ADI only matter in
 * 8080 mode. */
#define ICW1_IC4 0x01  /* ICW4 follows */
#define ICW1_SNGL 0x02 /* single chip: no ICW3, no cascade */
#define ICW1_LTIM 0x08 /* level triggered inputs */
#define ICW1_SEL 0x10

/* ICW2: the vector base, T7-T3 in 8086 mode. */
#define ICW2_VECTOR 0xF8

/* ICW4. Its buffered-mode bits (BUF, M/S) only steer the chip's bus buffers. */
#define ICW4_UPM 0x01  /* 8086/8088 mode (0: 8080/8085) */
#define ICW4_AEOI 0x02 /* automatic EOI at the end of INTA */
#define ICW4_SFNM 0x10 /* special fully nested mode */

/* OCW2: written to A0=0 with D4-D3 = 00. R, SL and EOI select one of eight commands. */
#define OCW2_LEVEL 0x07
#define OCW2_EOI 0x20
#define OCW2_SL 0x40
#define OCW2_R 0x80

/* OCW3: written to A0=0 with D4-D3 = 01. */
#define OCW3_RIS 0x01  /* read ISR (else IRR), if RR */
#define OCW3_RR 0x02   /* read register command */
#define OCW3_P 0x04    /* poll: the next status read acknowledges */
#define OCW3_SEL 0x08
#define OCW3_SMM 0x20  /* special mask mode on (else off), if ESMM */
#define OCW3_ESMM 0x40 /* enable special mask mode command */

#define POLL_I 0x80 /* poll word: a request was pending; W2-W0 hold its level */

#define PIC_LEVELS 8
#define SPURIOUS_IR 7 /* a chip without a request at INTA answers with IR7's vector */

/* PC/AT wiring: the slave's INT drives master IR2; ISA lines 8-15 are slave IR0-7. */
#define CASCADE_IR 2
#define SLAVE_FIRST_LINE 8

/*
 * Power-on state: the chips as a PC BIOS leaves them, except that every line is masked until
 * the guest unmasks it. Both have had ICW1=0x11 (edge triggered, cascaded, ICW4 follows) and
 * ICW4=0x01 (8086 mode, normal EOI, not special fully nested); the master has vector base 0x08
 * and a slave on IR2 (ICW3=0x04), the slave vector base 0x70 and ID 2. IMR=0xFF, IRR=ISR=0,
 * IR7 lowest priority, and the status port reads IRR.
 */
#define POWER_ON_ICW1 (ICW1_SEL | ICW1_IC4)
#define POWER_ON_ICW4 ICW4_UPM
#define POWER_ON_MASTER_BASE 0x08
#define POWER_ON_MASTER_ICW3 (1u << CASCADE_IR)
#define POWER_ON_SLAVE_BASE 0x70
#define POWER_ON_SLAVE_ICW3 CASCADE_IR
#define POWER_ON_IMR 0xFF

/* What a write to the data port (A0=1) is, as the initialization sequence advances. */
enum pic_data_write { PIC_OCW1, PIC_ICW2, PIC_ICW3, PIC_ICW4 };

struct pic_chip {
	bool is_master;
	uint8_t pins;   /* IR input levels; a rising edge latches IRR in edge mode */
	uint8_t irr;    /* interrupt request register */
	uint8_t isr;    /* in-service register */
	uint8_t imr;    /* interrupt mask register (OCW1) */
	uint8_t lowest; /* the level with the lowest priority: 7 unless rotated */
	uint8_t base;   /* vector base from ICW2 */
	uint8_t icw1;
	uint8_t icw3; /* master: a bit per IR with a slave; slave: its ID */
	uint8_t icw4;
	enum pic_data_write data_write;
	bool special_mask;
	bool rotate_in_aeoi;
	bool read_isr; /* the status port reads ISR, else IRR */
	bool poll;     /* the next status read is a poll */
};

struct vpic {
	struct vdh_dev *dev;
	struct pic_chip master, slave;
	bool warned_line2, warned_8080;
};

static const struct vdh *vdh;

/* 0 for the highest priority, 7 for the lowest, under the current rotation. */
static unsigned chip_rank(const struct pic_chip *c, unsigned level)
{
	return (level - c->lowest - 1) % PIC_LEVELS;
}

/* The highest-priority level set in bits, or -1. */
static int chip_highest(const struct pic_chip *c, unsigned bits)
{
	for (unsigned rank = 0; rank < PIC_LEVELS; rank++) {
		unsigned level = (c->lowest + 1 + rank) % PIC_LEVELS;
		if (bits & 1u << level)
			return (int)level;
	}
	return -1;
}

/* The master serves IR2 through the slave: IR2 is named in ICW3 and the chip is cascaded. */
static bool chip_has_cascade(const struct pic_chip *c)
{
	return c->is_master && !(c->icw1 & ICW1_SNGL) && c->icw3 & 1u << CASCADE_IR;
}

/* The level the priority resolver hands to the CPU at the next INTA (INT is asserted), or -1. */
static int chip_resolve(const struct pic_chip *c)
{
	unsigned requests = c->irr & ~c->imr;
	/* In special fully nested mode the slave may interrupt again while the master has it in
	 * service, so that a higher level on the slave can preempt a lower one. */
	unsigned reentrant = chip_has_cascade(c) && c->icw4 & ICW4_SFNM ? 1u << CASCADE_IR : 0;
	int level, current;

	/* Special mask mode: a level is held back only by its own ISR bit; masked levels, being
	 * left out of requests, neither interrupt nor block. */
	if (c->special_mask)
		return chip_highest(c, requests & ~(c->isr & ~reentrant));

	level = chip_highest(c, requests);
	if (level < 0)
		return -1;
	current = chip_highest(c, c->isr & ~(reentrant & 1u << level));
	if (current >= 0 && chip_rank(c, (unsigned)current) <= chip_rank(c, (unsigned)level))
		return -1;
	return level;
}

static void chip_set_pin(struct pic_chip *c, unsigned ir, bool level)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (c->icw1 & ICW1_LTIM)
		c->irr = level ? c->irr | bit : c->irr & ~bit;
	else if (level && !(c->pins & bit))
		/* Edge triggered: the request stays latched until INTA even if the pin drops
		 * first, as QEMU and Bochs do and as devices rely on. */
		c->irr |= bit;
	c->pins = level ? c->pins | bit : c->pins & ~bit;
}

/* The slave's INT output is the master's IR2 pin. */
static void vpic_update_cascade(struct vpic *vp)
{
	chip_set_pin(&vp->master, CASCADE_IR, chip_resolve(&vp->slave) >= 0);
}

/* An EOI ended a level's service: tell the device on that line (none sits on the cascade). */
static void chip_end_service(struct vpic *vp, const struct pic_chip *c, unsigned level)
{
	if (!c->is_master)
		vdh->notify_eoi(vp->dev, SLAVE_FIRST_LINE + level);
	else if (level != CASCADE_IR)
		vdh->notify_eoi(vp->dev, level);
}

static void chip_eoi(struct vpic *vp, struct pic_chip *c, unsigned level)
{
	uint8_t bit = (uint8_t)(1u << level);

	if (!(c->isr & bit))
		return;
	c->isr &= ~bit;
	chip_end_service(vp, c, level);
}

/* The in-service level a non-specific EOI ends, or -1; special mask mode skips masked levels. */
static int chip_eoi_level(const struct pic_chip *c)
{
	return chip_highest(c, c->special_mask ? c->isr & ~c->imr : c->isr);
}

/* The chip's part of an INTA cycle, or of a poll read, for level. */
static void chip_intack(struct vpic *vp, struct pic_chip *c, unsigned level)
{
	uint8_t bit = (uint8_t)(1u << level);

	/* The master keeps IR2 requested only if the slave still has a request after this cycle:
	 * take the slave's INT as falling during it, so a request it asserts afterwards is a
	 * new edge on IR2 (vpic_update_cascade raises it again). */
	if (!c->is_master)
		chip_set_pin(&vp->master, CASCADE_IR, false);
	if (!(c->icw1 & ICW1_LTIM))
		c->irr &= ~bit;
	if (c->icw4 & ICW4_AEOI) {
		if (c->rotate_in_aeoi)
			c->lowest = (uint8_t)level;
		chip_end_service(vp, c, level);
	} else {
		c->isr |= bit;
	}
}

static void chip_write_icw1(struct pic_chip *c, uint8_t value)
{
	c->icw1 = value;
	c->data_write = PIC_ICW2;
	/* What the datasheet says ICW1 resets ... */
	c->imr = 0;
	c->lowest = PIC_LEVELS - 1;
	c->special_mask = false;
	c->read_isr = false;
	if (!(value & ICW1_IC4))
		c->icw4 = 0;
	/* ... and what a fresh chip must not carry over: nothing in service, and the edge sense
	 * reset, so a request needs a new rising edge (in level mode IRR shows the pins). */
	c->isr = 0;
	c->irr = value & ICW1_LTIM ? c->pins : 0;
	c->rotate_in_aeoi = false;
	c->poll = false;
}

static void chip_write_ocw2(struct vpic *vp, struct pic_chip *c, uint8_t value)
{
	unsigned level = value & OCW2_LEVEL;
	int in_service;

	switch (value & (OCW2_R | OCW2_SL | OCW2_EOI)) {
	case OCW2_EOI: /* non-specific EOI */
		in_service = chip_eoi_level(c);
		if (in_service >= 0)
			chip_eoi(vp, c, (unsigned)in_service);
		break;
	case OCW2_SL | OCW2_EOI: /* specific EOI */
		chip_eoi(vp, c, level);
		break;
	case OCW2_R | OCW2_EOI: /* rotate on non-specific EOI: the ended level goes last */
		in_service = chip_eoi_level(c);
		if (in_service >= 0) {
			c->lowest = (uint8_t)in_service;
			chip_eoi(vp, c, (unsigned)in_service);
		}
		break;
	case OCW2_R | OCW2_SL | OCW2_EOI: /* rotate on specific EOI */
		c->lowest = (uint8_t)level;
		chip_eoi(vp, c, level);
		break;
	case OCW2_R | OCW2_SL: /* set priority: level goes last */
		c->lowest = (uint8_t)level;
		break;
	case OCW2_R: /* set rotate in automatic EOI mode */
		c->rotate_in_aeoi = true;
		break;
	case 0: /* clear rotate in automatic EOI mode */
		c->rotate_in_aeoi = false;
		break;
	case OCW2_SL: /* no operation */
		break;
	}
}

static void chip_write_ocw3(struct pic_chip *c, uint8_t value)
{
	if (value & OCW3_ESMM)
		c->special_mask = value & OCW3_SMM;
	if (value & OCW3_RR)
		c->read_isr = value & OCW3_RIS;
	c->poll = value & OCW3_P;
}

/* ICW2-ICW4 while initializing, OCW1 (the IMR) after. */
static void chip_write_data(struct vpic *vp, struct pic_chip *c, uint8_t value)
{
	switch (c->data_write) {
	case PIC_OCW1:
		c->imr = value;
		return;
	case PIC_ICW2:
		c->base = value & ICW2_VECTOR;
		c->data_write = c->icw1 & ICW1_SNGL ? PIC_ICW4 : PIC_ICW3;
		break;
	case PIC_ICW3:
		c->icw3 = value;
		c->data_write = PIC_ICW4;
		break;
	case PIC_ICW4:
		c->icw4 = value;
		c->data_write = PIC_OCW1;
		break;
	}
	if (c->data_write == PIC_ICW4 && !(c->icw1 & ICW1_IC4))
		c->data_write = PIC_OCW1;
	/* Without ICW4, or with uPM=0, the chip would be in 8080 mode: its 3-byte CALL INTA
	 * sequence means nothing to an x86 CPU, so keep answering with 8086 vectors. */
	if (c->data_write == PIC_OCW1 && !(c->icw4 & ICW4_UPM) && !vp->warned_8080) {
		vp->warned_8080 = true;
		vdh->log(vp->dev, VDH_LOG_WARN,
			 "8080 mode (ICW4 uPM=0) is not supported; the PIC stays in 8086 mode");
	}
}

static struct pic_chip *vpic_chip(struct vpic *vp, uint16_t port)
{
	return (port & ~PIC_A0) == PIC_SLAVE_PORT ? &vp->slave : &vp->master;
}

static void vpic_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct vpic *vp = opaque;
	struct pic_chip *c = vpic_chip(vp, port);

	if (port & PIC_A0)
		chip_write_data(vp, c, value);
	else if (value & ICW1_SEL)
		chip_write_icw1(c, value);
	else if (value & OCW3_SEL)
		chip_write_ocw3(c, value);
	else
		chip_write_ocw2(vp, c, value);
	vpic_update_cascade(vp);
}

static uint8_t vpic_inb(void *opaque, uint16_t port)
{
	struct vpic *vp = opaque;
	struct pic_chip *c = vpic_chip(vp, port);
	int level;

	if (port & PIC_A0)
		return c->imr;
	if (!c->poll)
		return c->read_isr ? c->isr : c->irr;

	/* Poll: this read is the chip's INTA; it returns the level instead of a vector. */
	c->poll = false;
	level = chip_resolve(c);
	if (level < 0)
		return 0;
	chip_intack(vp, c, (unsigned)level);
	vpic_update_cascade(vp);
	return (uint8_t)(POLL_I | level);
}

static void vpic_set_irq(void *opaque, unsigned line, bool level)
{
	struct vpic *vp = opaque;

	if (line >= VDH_IRQ_LINES)
		return;
	if (line == CASCADE_IR) {
		if (!vp->warned_line2) {
			vp->warned_line2 = true;
			vdh->log(vp->dev, VDH_LOG_WARN,
				 "IRQ 2 is the slave PIC's cascade input; a device driving it is "
				 "ignored (PC/AT devices use IRQ 9)");
		}
		return;
	}
	if (line < SLAVE_FIRST_LINE)
		chip_set_pin(&vp->master, line, level);
	else
		chip_set_pin(&vp->slave, line - SLAVE_FIRST_LINE, level);
	vpic_update_cascade(vp);
}

static bool vpic_has_interrupt(void *opaque)
{
	struct vpic *vp = opaque;

	return chip_resolve(&vp->master) >= 0;
}

static uint8_t vpic_acknowledge(void *opaque)
{
	struct vpic *vp = opaque;
	int level = chip_resolve(&vp->master);
	uint8_t vector;

	/* The request went away before INTA: the master answers with IR7's vector but sets no
	 * ISR bit, so the guest must not EOI it. */
	if (level < 0)
		return vp->master.base + SPURIOUS_IR;

	chip_intack(vp, &vp->master, (unsigned)level);
	if (level != CASCADE_IR || !chip_has_cascade(&vp->master))
		return (uint8_t)(vp->master.base + level);

	/* The slave supplies the vector. If its request went away it answers with its IR7's
	 * vector (IRQ 15), and the master's IR2 stays in service, as on real hardware. */
	level = chip_resolve(&vp->slave);
	if (level < 0) {
		vector = vp->slave.base + SPURIOUS_IR;
	} else {
		chip_intack(vp, &vp->slave, (unsigned)level);
		vector = (uint8_t)(vp->slave.base + level);
	}
	vpic_update_cascade(vp);
	return vector;
}

static const struct vdh_io_ops vpic_io_ops = {
	.inb = vpic_inb,
	.outb = vpic_outb,
};

static const struct vdh_intc_ops vpic_intc_ops = {
	.set_irq = vpic_set_irq,
	.has_interrupt = vpic_has_interrupt,
	.acknowledge = vpic_acknowledge,
};

static void chip_power_on(struct pic_chip *c, bool is_master, uint8_t base, uint8_t icw3)
{
	*c = (struct pic_chip){
		.is_master = is_master,
		.imr = POWER_ON_IMR,
		.lowest = PIC_LEVELS - 1,
		.base = base,
		.icw1 = POWER_ON_ICW1,
		.icw3 = icw3,
		.icw4 = POWER_ON_ICW4,
		.data_write = PIC_OCW1,
	};
}

static int vpic_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int vpic_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct vpic *vp = calloc(1, sizeof(*vp));
	int rc;

	if (!vp)
		return -ENOMEM;
	vp->dev = dev;
	chip_power_on(&vp->master, true, POWER_ON_MASTER_BASE, POWER_ON_MASTER_ICW3);
	chip_power_on(&vp->slave, false, POWER_ON_SLAVE_BASE, POWER_ON_SLAVE_ICW3);

	/* 0x20-0x21: 8259A master PIC */
	rc = vdh->install_io_hook(dev, PIC_MASTER_PORT, PIC_PORT_COUNT, &vpic_io_ops, vp);
	if (rc < 0)
		goto fail;
	/* 0xA0-0xA1: 8259A slave PIC */
	rc = vdh->install_io_hook(dev, PIC_SLAVE_PORT, PIC_PORT_COUNT, &vpic_io_ops, vp);
	if (rc < 0)
		goto fail;
	rc = vdh->register_intc(dev, &vpic_intc_ops, vp);
	if (rc < 0)
		goto fail;

	*instance = vp;
	return 0;

fail:
	/* The VMM removes the hooks already installed. */
	free(vp);
	return rc;
}

static void vpic_terminate(void *instance)
{
	free(instance);
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "vpic",
	.description = "Intel 8259A interrupt controllers, master and slave as on a PC/AT",
	.init = vpic_init,
	.create = vpic_create,
	.terminate = vpic_terminate,
};
