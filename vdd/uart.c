/* uart.c: a National Semiconductor 16550A UART (a PC serial port), its line tied to host files. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdh.h"

/*
 * Characters take their time on the line as the programmed baud rate and
 * character format say, on the VM's virtual clock. What the guest transmits
 * goes to the output file as each character leaves the transmitter shift
 * register. The input file plays a sender with flow control: it sends while
 * DTR is on, one character time per byte, and holds the next byte while the
 * receiver has no room, so no input is lost to an overrun. The modem inputs
 * show a connected line: CTS, DSR and DCD on, RI off.
 *
 * The timer runs only while something is on its way: a character being sent
 * or received, or a character timeout an interrupt waits for.
 */
#define UART_DEFAULT_PORT "0x3f8"
#define UART_DEFAULT_IRQ "4"
#define UART_PORTS 8

/* Register offsets */
#define UART_RBR 0 /* read: receiver buffer; write: THR, transmitter holding; DLAB: DLL */
#define UART_IER 1 /* interrupt enable; DLAB: DLM, the divisor latch's high byte */
#define UART_IIR 2 /* read: interrupt identification; write: FCR, FIFO control */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

/* IER */
#define IER_ERBFI 0x01 /* received data available (and character timeout) */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0F

/* IIR: bit 0 clear while an interrupt is pending; bits 3-1 name the highest */
#define IIR_NO_INT 0x01
#define IIR_RLS 0x06   /* receiver line status (highest) */
#define IIR_RDA 0x04   /* received data at the trigger level */
#define IIR_CTI 0x0C   /* character timeout */
#define IIR_THRE 0x02
#define IIR_MS 0x00    /* modem status (lowest) */
#define IIR_FIFOS 0xC0 /* FIFOs enabled */

/* FCR */
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_TRIGGER(fcr) ((fcr) >> 6) /* 1, 4, 8 or 14 bytes; bit 3 (DMA mode) is not wired */

/* LCR */
#define LCR_WLS 0x03   /* word length: 5 + WLS bits */
#define LCR_STB 0x04   /* 2 stop bits (1.5 with 5-bit words) */
#define LCR_PEN 0x08   /* parity enable */
#define LCR_DLAB 0x80  /* divisor latch access */

/* MCR */
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08  /* on a PC, gates the UART's interrupt onto the IRQ line */
#define MCR_LOOP 0x10
#define MCR_MASK 0x1F

/* LSR */
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

/* MSR: deltas in bits 3-0, the inputs in bits 7-4 */
#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04  /* RI went off */
#define MSR_DDCD 0x08
#define MSR_DELTAS 0x0F
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80
#define MSR_CONNECTED (MSR_CTS | MSR_DSR | MSR_DCD)

#define UART_FIFO_SIZE 16
/* Power-on divisor, undefined on the chip: 12, 9600 baud. */
#define UART_POWER_ON_DIVISOR 12
/* One bit of divisor 1 is 16 clocks of 1.8432 MHz: 78125 / 9 ns; counted in half bits. */
#define UART_HALF_BIT_NS_NUM 78125u
#define UART_HALF_BIT_NS_DEN 18u
#define UART_TIMEOUT_CHARS 4
#define UART_NEVER UINT64_MAX

struct uart_fifo {
	uint8_t data[UART_FIFO_SIZE];
	uint8_t head, count;
};

struct uart {
	struct vdh_dev *dev;
	uint16_t base;
	uint8_t ier, lcr, mcr, scr;
	uint8_t fcr;                     /* FIFO enable and trigger level as last programmed */
	uint16_t divisor;
	uint8_t lsr_errors;              /* OE, until LSR is read */
	uint8_t msr;
	uint8_t rbr;                     /* the last character read */
	bool thre_pending;               /* the THRE interrupt, until IIR shows it or THR is written */

	struct uart_fifo rx, tx;         /* one byte deep (RBR, THR) while the FIFOs are off */
	uint64_t rx_activity;            /* a character last entered or left the receiver FIFO */
	bool tsr_busy;                   /* the transmitter shift register sends tsr ... */
	uint8_t tsr;
	uint64_t tsr_done;               /* ... until this time */

	FILE *out;
	bool owns_out;                   /* a file we opened, not stdout */
	FILE *in;
	uint64_t in_next;                /* the next input byte is in, or UART_NEVER while held */

	struct vdh_irq *irq;
	bool irq_level;
	struct vdh_timer *timer;
};

static const struct vdh *vdh;

static bool fifo_push(struct uart_fifo *f, unsigned size, uint8_t value)
{
	if (f->count >= size)
		return false;
	f->data[(f->head + f->count) % UART_FIFO_SIZE] = value;
	f->count++;
	return true;
}

static uint8_t fifo_pop(struct uart_fifo *f)
{
	uint8_t value = f->data[f->head];

	f->head = (uint8_t)((f->head + 1) % UART_FIFO_SIZE);
	f->count--;
	return value;
}

static void fifo_clear(struct uart_fifo *f)
{
	f->head = f->count = 0;
}

static bool uart_fifos(const struct uart *s)
{
	return s->fcr & FCR_ENABLE;
}

static unsigned uart_fifo_size(const struct uart *s)
{
	return uart_fifos(s) ? UART_FIFO_SIZE : 1;
}

static unsigned uart_trigger(const struct uart *s)
{
	static const uint8_t levels[4] = { 1, 4, 8, 14 };

	return uart_fifos(s) ? levels[FCR_TRIGGER(s->fcr)] : 1;
}

/* Start bit, data bits, parity and stop bits at the programmed baud rate. A
 * divisor of 0 counts as 65536. */
static uint64_t uart_char_ns(const struct uart *s)
{
	unsigned data = 5 + (s->lcr & LCR_WLS);
	unsigned half_bits = 2 * (1 + data + (s->lcr & LCR_PEN ? 1 : 0)) +
			     (s->lcr & LCR_STB ? (data == 5 ? 3 : 4) : 2);
	uint64_t divisor = s->divisor ? s->divisor : 65536;

	return half_bits * divisor * UART_HALF_BIT_NS_NUM / UART_HALF_BIT_NS_DEN;
}

/* The bits of a byte a character of the programmed word length carries. */
static uint8_t uart_word(const struct uart *s, uint8_t value)
{
	return (uint8_t)(value & (0xFF >> (3 - (s->lcr & LCR_WLS))));
}

static uint8_t uart_modem_inputs(const struct uart *s)
{
	uint8_t m = s->mcr;

	if (!(s->mcr & MCR_LOOP))
		return MSR_CONNECTED;
	/* loopback: RTS to CTS, DTR to DSR, OUT1 to RI, OUT2 to DCD */
	return (uint8_t)((m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) |
			 (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0));
}

static void uart_set_modem_inputs(struct uart *s)
{
	uint8_t old = s->msr & ~MSR_DELTAS, now = uart_modem_inputs(s), changed = old ^ now;

	s->msr = (uint8_t)(now | (s->msr & MSR_DELTAS) | (changed & MSR_CTS ? MSR_DCTS : 0) |
			   (changed & MSR_DSR ? MSR_DDSR : 0) | (changed & MSR_DCD ? MSR_DDCD : 0) |
			   (old & MSR_RI && !(now & MSR_RI) ? MSR_TERI : 0));
}

/* When the character timeout shows: FIFOs on, data in the receiver FIFO, and
 * no character in or out of it for four character times. */
static uint64_t uart_timeout_at(const struct uart *s)
{
	if (!uart_fifos(s) || !s->rx.count)
		return UART_NEVER;
	return s->rx_activity + UART_TIMEOUT_CHARS * uart_char_ns(s);
}

/* The interrupt IIR shows at virtual time now, in the datasheet's priority order. */
static uint8_t uart_iir(const struct uart *s, uint64_t now)
{
	if (s->ier & IER_ELSI && s->lsr_errors)
		return IIR_RLS;
	if (s->ier & IER_ERBFI && s->rx.count >= uart_trigger(s))
		return IIR_RDA;
	if (s->ier & IER_ERBFI && now >= uart_timeout_at(s))
		return IIR_CTI;
	if (s->ier & IER_ETBEI && s->thre_pending)
		return IIR_THRE;
	if (s->ier & IER_EDSSI && s->msr & MSR_DELTAS)
		return IIR_MS;
	return IIR_NO_INT;
}

/* The PC wires the interrupt through OUT2, which loopback holds off. */
static void uart_update_irq(struct uart *s, uint64_t now)
{
	bool level = uart_iir(s, now) != IIR_NO_INT && (s->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;

	if (level != s->irq_level) {
		s->irq_level = level;
		vdh->set_irq(s->irq, level);
	}
}

/* A character came in over the line at time t. */
static void uart_receive(struct uart *s, uint8_t value, uint64_t t)
{
	value = uart_word(s, value);
	s->rx_activity = t;
	if (fifo_push(&s->rx, uart_fifo_size(s), value))
		return;
	/* overrun: the FIFO keeps its bytes; a lone RBR is overwritten */
	s->lsr_errors |= LSR_OE;
	if (!uart_fifos(s))
		s->rx.data[s->rx.head] = value;
}

/* The host file is not a line: it gets the whole byte the guest wrote,
 * whatever word length the LCR sets (the reset value's 5 bits included, which
 * the BIOS leaves to int 14h's initialisation), as QEMU's serial port does. */
static void uart_output(struct uart *s, uint8_t value)
{
	if (!s->out)
		return;
	fputc(value, s->out);
	/* whole lines reach the file at once */
	if (value == '\n')
		fflush(s->out);
}

/* The next byte from the holding register or FIFO into the shift register at time t. */
static void uart_tx_start(struct uart *s, uint64_t t)
{
	s->tsr = fifo_pop(&s->tx);
	s->tsr_busy = true;
	s->tsr_done = t + uart_char_ns(s);
	if (!s->tx.count)
		s->thre_pending = true;
}

static void uart_input_byte(struct uart *s)
{
	int c = fgetc(s->in);

	if (c == EOF) {
		if (ferror(s->in))
			vdh->log(s->dev, VDH_LOG_WARN, "input read failed; no more input");
		fclose(s->in);
		s->in = NULL;
		s->in_next = UART_NEVER;
		return;
	}
	uart_receive(s, (uint8_t)c, s->in_next);
	s->in_next += uart_char_ns(s);
}

/* Characters sent and received up to virtual time now. */
static void uart_sync(struct uart *s, uint64_t now)
{
	while (s->tsr_busy && s->tsr_done <= now) {
		uint8_t value = s->tsr;
		uint64_t done = s->tsr_done;

		if (s->mcr & MCR_LOOP)
			uart_receive(s, value, done);
		else
			uart_output(s, value);
		s->tsr_busy = false;
		if (s->tx.count)
			uart_tx_start(s, done);
	}
	while (s->in && s->in_next <= now) {
		/* held while the receiver has no room */
		if (s->rx.count >= uart_fifo_size(s)) {
			s->in_next = UART_NEVER;
			break;
		}
		uart_input_byte(s);
	}
}

/* The input sends while DTR is on outside loopback, once the receiver has room. */
static void uart_input_flow(struct uart *s, uint64_t now)
{
	bool flowing = (s->mcr & (MCR_DTR | MCR_LOOP)) == MCR_DTR &&
		       s->rx.count < uart_fifo_size(s);

	if (!s->in)
		return;
	if (!flowing)
		s->in_next = UART_NEVER;
	else if (s->in_next == UART_NEVER)
		s->in_next = now + uart_char_ns(s);
}

static void uart_arm(struct uart *s, uint64_t now)
{
	uint64_t next = s->in ? s->in_next : UART_NEVER;
	uint64_t timeout = uart_timeout_at(s);

	if (s->tsr_busy && s->tsr_done < next)
		next = s->tsr_done;
	if (s->ier & IER_ERBFI && timeout > now && timeout < next)
		next = timeout;
	if (next == UART_NEVER)
		vdh->disarm_timer(s->timer);
	else
		vdh->arm_timer(s->timer, next);
}

/* After a register access or a timer: the input's flow, IRQ line and timer. */
static void uart_settle(struct uart *s, uint64_t now)
{
	uart_input_flow(s, now);
	uart_update_irq(s, now);
	uart_arm(s, now);
}

static void uart_timer(void *opaque, uint64_t now_ns)
{
	struct uart *s = opaque;

	uart_sync(s, now_ns);
	uart_settle(s, now_ns);
}

static void uart_write_fcr(struct uart *s, uint8_t value)
{
	/* turning the FIFOs on or off empties them; other bits need FIFO enable */
	if ((value ^ s->fcr) & FCR_ENABLE) {
		fifo_clear(&s->rx);
		fifo_clear(&s->tx);
	}
	if (!(value & FCR_ENABLE)) {
		s->fcr = 0;
		return;
	}
	if (value & FCR_CLEAR_RX)
		fifo_clear(&s->rx);
	if (value & FCR_CLEAR_TX && s->tx.count) {
		fifo_clear(&s->tx);
		s->thre_pending = true;
	}
	s->fcr = value & (0xC0 | FCR_ENABLE);
}

static void uart_write_thr(struct uart *s, uint8_t value, uint64_t now)
{
	s->thre_pending = false;
	/* a full FIFO drops the byte; a full THR takes the new one */
	if (!fifo_push(&s->tx, uart_fifo_size(s), value) && !uart_fifos(s))
		s->tx.data[s->tx.head] = value;
	if (!s->tsr_busy)
		uart_tx_start(s, now);
}

static uint8_t uart_inb(void *opaque, uint16_t port)
{
	struct uart *s = opaque;
	uint64_t now = vdh->now_ns(s->dev);
	uint8_t value = 0;

	uart_sync(s, now);
	switch (port - s->base) {
	case UART_RBR:
		if (s->lcr & LCR_DLAB) {
			value = (uint8_t)s->divisor;
			break;
		}
		if (s->rx.count) {
			s->rbr = fifo_pop(&s->rx);
			s->rx_activity = now;
		}
		value = s->rbr;
		break;
	case UART_IER:
		value = s->lcr & LCR_DLAB ? (uint8_t)(s->divisor >> 8) : s->ier;
		break;
	case UART_IIR:
		value = uart_iir(s, now);
		/* reading IIR clears the THRE interrupt it reports */
		if (value == IIR_THRE)
			s->thre_pending = false;
		if (uart_fifos(s))
			value |= IIR_FIFOS;
		break;
	case UART_LCR:
		value = s->lcr;
		break;
	case UART_MCR:
		value = s->mcr;
		break;
	case UART_LSR:
		value = (uint8_t)(s->lsr_errors | (s->rx.count ? LSR_DR : 0) |
				  (s->tx.count ? 0 : LSR_THRE) |
				  (s->tx.count || s->tsr_busy ? 0 : LSR_TEMT));
		s->lsr_errors = 0;
		break;
	case UART_MSR:
		value = s->msr;
		s->msr &= (uint8_t)~MSR_DELTAS;
		break;
	case UART_SCR:
		value = s->scr;
	}
	uart_settle(s, now);
	return value;
}

static void uart_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct uart *s = opaque;
	uint64_t now = vdh->now_ns(s->dev);
	uint8_t old;

	uart_sync(s, now);
	switch (port - s->base) {
	case UART_RBR:
		if (s->lcr & LCR_DLAB)
			s->divisor = (uint16_t)((s->divisor & 0xFF00) | value);
		else
			uart_write_thr(s, value, now);
		break;
	case UART_IER:
		if (s->lcr & LCR_DLAB) {
			s->divisor = (uint16_t)((s->divisor & 0x00FF) | value << 8);
			break;
		}
		old = s->ier;
		s->ier = value & IER_MASK;
		/* enabling THRE interrupts with the holding register empty raises one */
		if (!(old & IER_ETBEI) && s->ier & IER_ETBEI && !s->tx.count)
			s->thre_pending = true;
		break;
	case UART_IIR:
		uart_write_fcr(s, value);
		break;
	case UART_LCR:
		s->lcr = value;
		break;
	case UART_MCR:
		s->mcr = value & MCR_MASK;
		uart_set_modem_inputs(s);
		break;
	case UART_LSR:
	case UART_MSR:
		break; /* factory test writes: ignored */
	case UART_SCR:
		s->scr = value;
	}
	uart_settle(s, now);
}

static const struct vdh_io_ops uart_ops = {
	.inb = uart_inb,
	.outb = uart_outb,
};

static int uart_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void uart_terminate(void *instance)
{
	struct uart *s = instance;

	if (!s)
		return;
	vdh->destroy_timer(s->timer);
	if (s->out) {
		/* what the guest had handed to the transmitter still goes out */
		if (s->tsr_busy && !(s->mcr & MCR_LOOP)) {
			uart_output(s, s->tsr);
			while (s->tx.count)
				uart_output(s, fifo_pop(&s->tx));
		}
		if (s->owns_out)
			fclose(s->out);
		else
			fflush(s->out);
	}
	if (s->in)
		fclose(s->in);
	free(s);
}

static int uart_open(struct uart *s, const char *path, const char *mode, FILE **out)
{
	int rc;

	*out = fopen(path, mode);
	if (*out)
		return 0;
	rc = -errno;
	vdh->log(s->dev, VDH_LOG_ERROR, "cannot open '%s': %s", path, strerror(errno));
	return rc;
}

static int uart_open_files(struct uart *s, const struct vdh_props *props)
{
	const char *output = vdh->prop_string(props, "output");
	const char *input = vdh->prop_string(props, "input");
	int rc;

	if (strcmp(output, "stdio") == 0) {
		s->out = stdout;
	} else if (strcmp(output, "none") != 0) {
		rc = uart_open(s, output, "w", &s->out);
		if (rc < 0)
			return rc;
		s->owns_out = true;
	}
	if (strcmp(input, "none") != 0)
		return uart_open(s, input, "rb", &s->in);
	return 0;
}

static int uart_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct uart *s = calloc(1, sizeof(*s));
	int64_t port = vdh->prop_int(props, "port");
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	s->base = (uint16_t)port;
	s->divisor = UART_POWER_ON_DIVISOR;
	s->in_next = UART_NEVER;
	s->msr = uart_modem_inputs(s);
	rc = uart_open_files(s, props);
	if (rc < 0)
		goto err;
	rc = vdh->open_irq(dev, (unsigned)vdh->prop_int(props, "irq"), NULL, NULL, &s->irq);
	if (rc < 0)
		goto err;
	rc = vdh->create_timer(dev, uart_timer, s, &s->timer);
	if (rc < 0)
		goto err;
	/* base to base + 7: the 16550A's registers (COM1 at 0x3F8 by default) */
	rc = vdh->install_io_hook(dev, s->base, UART_PORTS, &uart_ops, s);
	if (rc < 0)
		goto err;
	*instance = s;
	return 0;

	/* the VMM drops the hooks and the IRQ line of a VDD whose create() fails */
err:
	uart_terminate(s);
	return rc;
}

static const struct vdh_prop_spec uart_props[] = {
	{ "port", VDH_PROP_INT, UART_DEFAULT_PORT, 0, 0x10000 - UART_PORTS,
	  "the first of its eight I/O ports (COM1 0x3F8, COM2 0x2F8)" },
	{ "irq", VDH_PROP_INT, UART_DEFAULT_IRQ, 0, VDH_IRQ_LINES - 1,
	  "its IRQ line (COM1 4, COM2 3)" },
	{ "output", VDH_PROP_STRING, "none", 0, 0,
	  "where the guest's transmitted bytes go: 'none', 'stdio' (mvm's stdout) or a file path" },
	{ "input", VDH_PROP_STRING, "none", 0, 0,
	  "'none', or a file whose bytes the guest receives at the programmed baud rate" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "uart",
	.description = "16550A UART serial port: transmits to a host file, receives from one",
	.props = uart_props,
	.init = uart_init,
	.create = uart_create,
	.terminate = uart_terminate,
};
