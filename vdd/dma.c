/* dma.c: the PC/AT's two Intel 8237A DMA controllers and their page registers. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vdh.h"

/*
 * DMA1 moves bytes on channels 0-3. DMA2 moves words on channels 4-7; its
 * channel 4 is the cascade input DMA1 requests the bus through. Nothing is
 * clocked: a device asks for a transfer (vdh->dma_transfer) and the channel
 * moves what its count allows at once, as a block transfer would.
 */
#define DMA1_PORT 0x00     /* 0x00-0x0F: DMA1 registers, one per port */
#define DMA2_PORT 0xC0     /* 0xC0-0xDF: DMA2 registers on even ports (A0 ignored) */
#define DMA_REG_COUNT 16
#define PAGE_PORT 0x81     /* 0x81-0x8F: 74LS612 page registers (0x80 is the POST port) */
#define PAGE_PORT_COUNT 15

/* Register offsets (A3-A0 of the 8237A) */
#define DMA_REG_ADDR(ch) ((ch) * 2)      /* base and current address */
#define DMA_REG_COUNT_OF(ch) ((ch) * 2 + 1) /* base and current word count */
#define DMA_REG_STATUS 0x8               /* read: status; write: command */
#define DMA_REG_REQUEST 0x9
#define DMA_REG_SINGLE_MASK 0xA
#define DMA_REG_MODE 0xB
#define DMA_REG_CLEAR_FF 0xC
#define DMA_REG_MASTER_CLEAR 0xD         /* read: temporary register */
#define DMA_REG_CLEAR_MASK 0xE
#define DMA_REG_ALL_MASK 0xF

#define DMA_CHANNELS 4                   /* per controller */
#define DMA_SELECT(v) ((v) & 3)          /* channel field of request, mask and mode */

/* Command register */
#define DMA_CMD_DISABLE 0x04             /* controller disable */

/* Request and single mask registers */
#define DMA_SET_BIT 0x04

/* Mode register */
#define DMA_MODE_TYPE(m) (((m) >> 2) & 3)
#define DMA_TYPE_VERIFY 0
#define DMA_TYPE_WRITE 1                 /* I/O to memory */
#define DMA_TYPE_READ 2                  /* memory to I/O */
#define DMA_TYPE_ILLEGAL 3
#define DMA_MODE_AUTOINIT 0x10
#define DMA_MODE_DECREMENT 0x20
#define DMA_MODE_OF(m) ((m) >> 6)
#define DMA_MODE_CASCADE 3               /* demand 0, single 1, block 2 */

/* Status register: TC reached in bits 0-3, requests pending in bits 4-7 */
#define DMA_STATUS_REQ_SHIFT 4

#define DMA_CASCADE_CHANNEL 0            /* DMA2's channel 4 */

struct dma_channel {
	uint16_t base_addr, cur_addr;
	uint16_t base_count, cur_count;  /* transfers left minus one */
	uint8_t mode;
};

struct dma_controller {
	struct dma_channel ch[DMA_CHANNELS];
	uint8_t command;
	uint8_t status;                  /* TC bits; requests come from `request` */
	uint8_t request;                 /* software DREQ, one bit per channel */
	uint8_t mask;                    /* one bit per channel, set at reset */
	bool flip_flop;                  /* the next address/count byte is the high one */
	unsigned shift;                  /* 0: bytes, 1: words */
};

struct dma {
	struct vdh_dev *dev;
	struct dma_controller ctl[2];
	uint8_t page[PAGE_PORT_COUNT];   /* indexed by port - PAGE_PORT */
	bool warned_outside_ram;
};

/* The page register of each channel, as the IBM AT wired them. */
static const uint8_t dma_page_port[8] = { 0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A };

static const struct vdh *vdh;

static void dma_master_clear(struct dma_controller *c)
{
	c->command = 0;
	c->status = 0;
	c->request = 0;
	c->mask = 0x0F;
	c->flip_flop = false;
}

/* Reads or writes the byte of a 16-bit register the flip-flop points at, then toggles it. */
static uint8_t dma_read_half(struct dma_controller *c, uint16_t value)
{
	bool high = c->flip_flop;

	c->flip_flop = !high;
	return (uint8_t)(high ? value >> 8 : value);
}

static uint16_t dma_write_half(struct dma_controller *c, uint16_t old, uint8_t value)
{
	bool high = c->flip_flop;

	c->flip_flop = !high;
	return high ? (uint16_t)((old & 0x00FF) | value << 8) : (uint16_t)((old & 0xFF00) | value);
}

static uint8_t dma_read(struct dma_controller *c, unsigned reg)
{
	uint8_t value;

	if (reg < DMA_REG_STATUS) {
		struct dma_channel *ch = &c->ch[reg / 2];

		return dma_read_half(c, reg & 1 ? ch->cur_count : ch->cur_addr);
	}
	switch (reg) {
	case DMA_REG_STATUS:
		/* reading the status clears the TC bits */
		value = (uint8_t)(c->status | c->request << DMA_STATUS_REQ_SHIFT);
		c->status = 0;
		return value;
	case DMA_REG_MASTER_CLEAR:
		/* the temporary register holds data of memory-to-memory transfers only */
		return 0;
	case DMA_REG_ALL_MASK:
		/* the 8237A leaves this read undefined; AT chipsets (82374, PIIX) return
		 * the mask bits, and the unused high nibble as ones */
		return (uint8_t)(0xF0 | c->mask);
	default:
		return 0xFF; /* write-only registers */
	}
}

static void dma_write(struct dma_controller *c, unsigned reg, uint8_t value)
{
	if (reg < DMA_REG_STATUS) {
		struct dma_channel *ch = &c->ch[reg / 2];

		/* a write sets the base register and the current one together */
		if (reg & 1)
			ch->base_count = ch->cur_count = dma_write_half(c, ch->base_count, value);
		else
			ch->base_addr = ch->cur_addr = dma_write_half(c, ch->base_addr, value);
		return;
	}
	switch (reg) {
	case DMA_REG_STATUS:
		c->command = value;
		break;
	case DMA_REG_REQUEST:
		if (value & DMA_SET_BIT)
			c->request |= (uint8_t)(1u << DMA_SELECT(value));
		else
			c->request &= (uint8_t)~(1u << DMA_SELECT(value));
		break;
	case DMA_REG_SINGLE_MASK:
		if (value & DMA_SET_BIT)
			c->mask |= (uint8_t)(1u << DMA_SELECT(value));
		else
			c->mask &= (uint8_t)~(1u << DMA_SELECT(value));
		break;
	case DMA_REG_MODE:
		c->ch[DMA_SELECT(value)].mode = value;
		break;
	case DMA_REG_CLEAR_FF:
		c->flip_flop = false;
		break;
	case DMA_REG_MASTER_CLEAR:
		dma_master_clear(c);
		break;
	case DMA_REG_CLEAR_MASK:
		c->mask = 0;
		break;
	default: /* DMA_REG_ALL_MASK */
		c->mask = value & 0x0F;
		break;
	}
}

static uint8_t dma1_inb(void *opaque, uint16_t port)
{
	struct dma *s = opaque;

	return dma_read(&s->ctl[0], port - DMA1_PORT);
}

static void dma1_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct dma *s = opaque;

	dma_write(&s->ctl[0], port - DMA1_PORT, value);
}

static uint8_t dma2_inb(void *opaque, uint16_t port)
{
	struct dma *s = opaque;

	return dma_read(&s->ctl[1], (unsigned)(port - DMA2_PORT) >> 1);
}

static void dma2_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct dma *s = opaque;

	dma_write(&s->ctl[1], (unsigned)(port - DMA2_PORT) >> 1, value);
}

static uint8_t dma_page_inb(void *opaque, uint16_t port)
{
	struct dma *s = opaque;

	return s->page[port - PAGE_PORT];
}

static void dma_page_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct dma *s = opaque;

	s->page[port - PAGE_PORT] = value;
}

/* Whether a request on channel (0-7) reaches the bus: DMA1 asks for it through
 * DMA2's channel 4, which must be unmasked and in cascade mode. */
static bool dma_channel_live(const struct dma *s, unsigned channel)
{
	const struct dma_controller *c = &s->ctl[channel / DMA_CHANNELS];
	const struct dma_controller *dma2 = &s->ctl[1];
	unsigned i = channel % DMA_CHANNELS;

	if ((c->command & DMA_CMD_DISABLE) || (c->mask & (1u << i)) ||
	    DMA_MODE_OF(c->ch[i].mode) == DMA_MODE_CASCADE)
		return false;
	if (channel >= DMA_CHANNELS)
		return true;
	return !(dma2->command & DMA_CMD_DISABLE) && !(dma2->mask & (1u << DMA_CASCADE_CHANNEL)) &&
	       DMA_MODE_OF(dma2->ch[DMA_CASCADE_CHANNEL].mode) == DMA_MODE_CASCADE;
}

static void dma_warn_outside_ram(struct dma *s, unsigned channel, uint64_t gpa)
{
	if (s->warned_outside_ram)
		return;
	s->warned_outside_ram = true;
	vdh->log(s->dev, VDH_LOG_WARN,
		 "channel %u transfers at %#llx, outside guest memory: bytes written there are "
		 "dropped, bytes read there are FFh",
		 channel, (unsigned long long)gpa);
}

/* Moves bytes at gpa, inside one 64 KiB (128 KiB) block. Where there is no
 * RAM, writes are dropped and reads give FFh, as an undecoded ISA cycle does. */
static void dma_move(struct dma *s, unsigned channel, uint64_t gpa, uint8_t *buf, size_t bytes,
		     bool to_memory)
{
	int rc = to_memory ? vdh->write_guest(s->dev, gpa, buf, bytes)
			   : vdh->read_guest(s->dev, gpa, buf, bytes);

	if (rc == 0)
		return;
	dma_warn_outside_ram(s, channel, gpa);
	/* a block that runs past the end of RAM: byte by byte, keeping the part that is RAM */
	for (size_t i = 0; i < bytes; i++) {
		bool ok = to_memory ? vdh->write_guest(s->dev, gpa + i, buf + i, 1) == 0
				    : vdh->read_guest(s->dev, gpa + i, buf + i, 1) == 0;

		if (!ok && !to_memory)
			buf[i] = 0xFF;
	}
}

static size_t dma_transfer(void *opaque, unsigned channel, void *buf, size_t len, bool to_memory,
			   bool *terminal_count)
{
	struct dma *s = opaque;
	struct dma_controller *c;
	struct dma_channel *ch;
	unsigned i, type, shift;
	uint8_t *p = buf;
	uint64_t page;
	size_t units, left, done = 0;
	bool decrement;

	*terminal_count = false;
	if (channel >= 2 * DMA_CHANNELS || !dma_channel_live(s, channel))
		return 0;
	c = &s->ctl[channel / DMA_CHANNELS];
	i = channel % DMA_CHANNELS;
	ch = &c->ch[i];
	type = DMA_MODE_TYPE(ch->mode);
	if (type == DMA_TYPE_ILLEGAL || (type == DMA_TYPE_WRITE && !to_memory) ||
	    (type == DMA_TYPE_READ && to_memory))
		return 0; /* the illegal type 3, or the other direction */

	shift = c->shift;
	/* A 16-bit channel puts address bits A1-A16 out of its address register and
	 * A17-A23 out of page bits 1-7; page bit 0 is not used. */
	page = shift ? (uint64_t)(s->page[dma_page_port[channel] - PAGE_PORT] & 0xFE) << 16
		     : (uint64_t)s->page[dma_page_port[channel] - PAGE_PORT] << 16;
	decrement = ch->mode & DMA_MODE_DECREMENT;
	units = len >> shift;
	left = (size_t)ch->cur_count + 1;
	if (units > left)
		units = left;

	while (done < units) {
		/* the address register wraps inside its block; the page never changes */
		size_t run = decrement ? 1 : 0x10000u - ch->cur_addr;
		uint64_t gpa = page | (uint64_t)ch->cur_addr << shift;

		if (run > units - done)
			run = units - done;
		if (type != DMA_TYPE_VERIFY)
			dma_move(s, channel, gpa, p + (done << shift), run << shift, to_memory);
		ch->cur_addr = (uint16_t)(decrement ? ch->cur_addr - run : ch->cur_addr + run);
		done += run;
	}
	ch->cur_count = (uint16_t)(ch->cur_count - units);

	if (units == left) {
		/* terminal count: the count rolled over from 0 to FFFFh */
		*terminal_count = true;
		c->status |= (uint8_t)(1u << i);
		c->request &= (uint8_t)~(1u << i);
		if (ch->mode & DMA_MODE_AUTOINIT) {
			ch->cur_addr = ch->base_addr;
			ch->cur_count = ch->base_count;
		} else {
			c->mask |= (uint8_t)(1u << i);
		}
	}
	return units << shift;
}

static const struct vdh_io_ops dma1_ops = {
	.inb = dma1_inb,
	.outb = dma1_outb,
};

static const struct vdh_io_ops dma2_ops = {
	.inb = dma2_inb,
	.outb = dma2_outb,
};

static const struct vdh_io_ops dma_page_ops = {
	.inb = dma_page_inb,
	.outb = dma_page_outb,
};

static const struct vdh_dma_ops dma_ops = {
	.transfer = dma_transfer,
};

static int dma_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int dma_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct dma *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	for (int i = 0; i < 2; i++)
		dma_master_clear(&s->ctl[i]);
	s->ctl[1].shift = 1;

	/* 0x00-0x0F: 8237A DMA1, channels 0-3 */
	rc = vdh->install_io_hook(dev, DMA1_PORT, DMA_REG_COUNT, &dma1_ops, s);
	if (rc < 0)
		goto err;
	/* 0xC0-0xDF: 8237A DMA2, channels 4-7 */
	rc = vdh->install_io_hook(dev, DMA2_PORT, 2 * DMA_REG_COUNT, &dma2_ops, s);
	if (rc < 0)
		goto err;
	/* 0x81-0x8F: DMA page registers */
	rc = vdh->install_io_hook(dev, PAGE_PORT, PAGE_PORT_COUNT, &dma_page_ops, s);
	if (rc < 0)
		goto err;
	rc = vdh->register_dma(dev, &dma_ops, s);
	if (rc < 0)
		goto err;
	*instance = s;
	return 0;

	/* the VMM drops the hooks of a VDD whose create() fails */
err:
	free(s);
	return rc;
}

static void dma_terminate(void *instance)
{
	free(instance);
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "dma",
	.description = "Intel 8237A DMA controller pair (channels 0-3 8-bit, 4-7 16-bit) and page "
		       "registers",
	.init = dma_init,
	.create = dma_create,
	.terminate = dma_terminate,
};
