/* kbd.c: the PC's 8042 keyboard controller with an MF2 keyboard and an aux port, port 92h, and typed and host keys. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i8042_aux.h"
#include "kbd_keys.h"
#include "kbd_set1.h"
#include "protocol.h"
#include "vdh.h"

/*
 * The controller: port 60h (output buffer / data), 64h (status / command), IRQ 1 while
 * the output buffer holds a byte from the keyboard side and the command byte's INT bit is
 * set, IRQ 12 while it holds one from the auxiliary (mouse) port and INT2 is set. The aux
 * device is another VDD, linked by request_vdd (i8042_aux.h): D4h's data byte goes to its
 * "ps2aux" entry, and what it sends back through our "i8042" entry waits in a queue until
 * the aux port is enabled (command byte bit 5, A7h/A8h) and the output buffer is empty.
 * When both the keyboard and the aux device have a byte, they take turns, as the 8042's
 * firmware polls its two ports. Without an aux device, D4h gets the FEh a transmission
 * timeout gives; A9h answers 00h either way, and D3h puts a byte in the output buffer as
 * if from the aux device. The A20 gate is the output port's bit 1 ORed with port 92h's
 * bit 1, as PC chipsets combine them.
 *
 * Host keys: the display's VVMI_EVENT_KEY events (set 1 codes) become the key's set 2
 * make or break, sent as a typed key's are, while the keyboard scans (the guest enabled
 * it with F4h, as a BIOS does); a key the 101/102-key keyboard lacks is ignored.
 *
 * The keyboard sends scancode set 2 (set 1 if the guest selects it); the controller
 * translates into set 1 while the command byte's XLAT bit is set, folding the F0h break
 * prefix into bit 7 of the next code, so a guest that clears XLAT sees set 2. The keyboard
 * keeps what it has to send in a 16-byte buffer and sends the next byte only once the
 * guest has read the output buffer and while the controller does not inhibit it (command
 * byte bit 4). When the buffer fills, its last byte becomes the overrun code (00h, or FFh in
 * set 1) and later bytes are lost until the guest reads.
 *
 * Typed keys: the property `keys` holds text to type (syntax in kbd_keys.c: characters as
 * on a US keyboard, {enter}, {ctrl+alt+del}, {wait:500}, {{ and }}). All times are on the
 * VM's virtual clock, so a run types the same way every time:
 *   - Nothing is typed until the guest enables the keyboard: an F4h (enable scanning) since
 *     the last FFh reset or F5h, with the controller's keyboard interface on (command byte
 *     bit 4 clear). A real keyboard scans from power-on; typed keys wait for the guest so
 *     that they do not land in the middle of a BIOS's keyboard initialization.
 *   - Events happen in order, each no sooner than KEY_HOLD_MS (20 ms) after the event
 *     before it if that was a press (a key's release, or the next key of a combination),
 *     KEY_GAP_MS (20 ms) if it was a release.
 *   - A press also waits until all of these hold:
 *       . KEY_GAP_MS have passed since the keyboard was last enabled (see above);
 *       . the keyboard is enabled;
 *       . the controller's output buffer and the keyboard's buffer are empty, that is the
 *         guest has read every byte sent before (a press can come at the very read);
 *       . the BIOS keyboard buffer (head word at 0:41Ah, tail at 0:41Ch, start and end
 *         offsets at 0:480h and 0:482h) holds fewer than 8 keys. This is checked when the
 *         rest allows the press, then every BIOS_POLL_MS (10 ms) and at each guest write
 *         to port 60h or 64h and read of 60h; after 2 s of waiting for it the press comes
 *         anyway (2 s per press), and words that cannot describe a buffer in segment 40h
 *         (start not below end, head or tail outside, odd offsets) are not checked.
 *   - A release also waits for the keyboard to be enabled, but not for the guest to read
 *     the press: its bytes wait in the keyboard's buffer.
 *   - {wait:N} is an event of its own that sends nothing: the event after it comes no
 *     sooner than N ms after it (so after a release, N ms more than the usual gap). A
 *     {wait} first in `keys` counts from the enabling.
 *   - A key's whole sequence goes out at once: Print Screen's two codes on press and on
 *     release, Pause's eight bytes on press (and nothing on release).
 * So with a guest that reads each byte at once, "ab" after the keyboard is enabled at T
 * gives a's make code at T+20 ms, its break at T+40, b's make at T+60 and break at T+80; a
 * capital adds a Shift press 20 ms before its key and a Shift release 20 ms after it.
 */

#define MS 1000000ull
#define KEY_HOLD_MS 20
#define KEY_GAP_MS 20
#define BIOS_POLL_MS 10
#define BIOS_WAIT_MAX_MS 2000
#define NEVER UINT64_MAX

/* 0x60: output buffer (read), data for the keyboard or a command (write) */
#define KBC_PORT_DATA 0x60
/* 0x64: status (read), controller command (write) */
#define KBC_PORT_COMMAND 0x64

/* Status register */
#define ST_OBF 0x01     /* output buffer full */
#define ST_SYS 0x04     /* system flag, from the command byte */
#define ST_A2 0x08      /* the last write was a command (to 64h) */
#define ST_INH 0x10     /* 1: the keyboard is not inhibited (keylock switch) */
#define ST_AUXB 0x20    /* the output buffer holds a byte from the auxiliary port */
/* bit 1 (input buffer full) stays 0: a write is handled at once; bits 6 (timeout) and 7
 * (parity error) never come up either */

/* Command byte (controller RAM byte 0) */
#define CB_INT 0x01          /* IRQ 1 when keyboard data is in the output buffer */
#define CB_INT2 0x02         /* IRQ 12 when aux data is */
#define CB_SYS 0x04          /* the status register's system flag */
#define CB_DISABLE_KBD 0x10  /* the keyboard interface is off (clock held low) */
#define CB_DISABLE_AUX 0x20
#define CB_XLAT 0x40         /* translate set 2 to set 1 */
/* What a PC BIOS programs for a keyboard without a mouse, with SYS clear as after power-on
 * (a BIOS takes SYS = 0 for a cold boot and SYS = 1 for a CPU reset out of protected mode). */
#define CB_POWER_ON (CB_INT | CB_DISABLE_AUX | CB_XLAT)

#define KBC_RAM_SIZE 32

/* Controller commands */
#define CMD_READ_RAM 0x20        /* 20h-3Fh: read RAM byte (20h: the command byte) */
#define CMD_WRITE_RAM 0x60       /* 60h-7Fh: write RAM byte, the next data byte */
#define CMD_DISABLE_AUX 0xA7
#define CMD_ENABLE_AUX 0xA8
#define CMD_TEST_AUX 0xA9
#define CMD_SELF_TEST 0xAA
#define CMD_TEST_KBD 0xAB
#define CMD_DISABLE_KBD 0xAD
#define CMD_ENABLE_KBD 0xAE
#define CMD_READ_INPUT 0xC0
#define CMD_READ_OUTPUT 0xD0
#define CMD_WRITE_OUTPUT 0xD1
#define CMD_WRITE_KBD_OBUF 0xD2  /* the next data byte appears as if from the keyboard */
#define CMD_WRITE_AUX_OBUF 0xD3  /* ... as if from the aux device */
#define CMD_WRITE_AUX 0xD4       /* the next data byte goes to the aux device */
#define CMD_READ_TEST 0xE0
#define CMD_PULSE 0xF0           /* F0h-FFh: pulse the output port bits 0-3 that are 0 */

#define SELF_TEST_OK 0x55
#define INTERFACE_OK 0x00
#define AUX_TIMEOUT 0xFE

/* Input port (C0h): bit 7 keyboard not inhibited, bit 6 clear for a colour display, bit 5
 * no manufacturing jumper, bit 4 the second 256 KiB of base memory present. */
#define INPUT_PORT 0xB0

/* Output port (D0h, D1h) */
#define OP_RESET_N 0x01  /* 0: reset the CPU */
#define OP_A20 0x02
#define OP_IRQ1 0x10     /* read only here: the IRQ 1 output */
#define OP_IRQ12 0x20    /* read only here: the IRQ 12 output */
/* Keyboard and mouse clock and data lines idle (high), A20 on, the CPU running. */
#define OP_POWER_ON 0xCF

/* Test inputs (E0h) */
#define TI_KBD_CLOCK 0x01
#define TI_KBD_DATA 0x02

/* Commands the keyboard takes */
#define KB_SET_LEDS 0xED
#define KB_ECHO 0xEE
#define KB_SCANCODE_SET 0xF0
#define KB_IDENTIFY 0xF2
#define KB_TYPEMATIC 0xF3
#define KB_ENABLE 0xF4
#define KB_DISABLE 0xF5      /* and set defaults */
#define KB_DEFAULTS 0xF6
#define KB_RESEND 0xFE
#define KB_RESET 0xFF
#define KB_COMMAND_BIT 0x80  /* no parameter has it: in its place a byte with it is a command */
#define KB_LEDS 0x07         /* Scroll, Num and Caps Lock */

/* What the keyboard sends */
#define KB_ACK 0xFA
#define KB_NAK 0xFE          /* "resend": the command was not understood */
#define KB_BAT_OK 0xAA
#define KB_ID_1 0xAB         /* an MF2 keyboard */
#define KB_ID_2 0x83
#define KB_BREAK 0xF0        /* set 2: the next code is a release */
#define KB_OVERRUN 0x00      /* sets 2 and 3 */
#define KB_OVERRUN_SET1 0xFF
#define KB_SET1_BREAK 0x80   /* set 1: a release is the make code with bit 7 */
#define KB_TYPEMATIC_DEFAULT 0x2B /* 10.9 characters/s after 500 ms */
#define KB_BUFFER_SIZE 16

/* System control port A */
#define PORT_A 0x92
#define PA_FAST_RESET 0x01   /* 0 -> 1: reset the CPU */
#define PA_A20 0x02
#define PA_BITS (PA_FAST_RESET | PA_A20)

/* The BIOS data area's keyboard buffer: words at these addresses, offsets in segment 40h */
#define BDA_KB_HEAD 0x41A
#define BDA_KB_TAIL 0x41C
#define BDA_KB_START 0x480
#define BDA_KB_END 0x482
#define BIOS_KEYS_FULL 8

/* Nonsense a guest is told about once */
#define WARN_CONTROLLER 0x1u
#define WARN_KEYBOARD 0x2u
#define WARN_SCANCODE_SET 0x4u
#define WARN_AUX_DEVICE 0x8u

/*
 * The 8042's set 2 -> set 1 translation of codes 00h-7Fh. Codes from 80h up pass
 * unchanged but for 83h (F7) and 84h (Alt+Print Screen), the two keys set 2 numbers above
 * 7Fh.
 */
static const uint8_t xlat_table[128] = {
	/* 00 */ 0xFF, 0x43, 0x41, 0x3F, 0x3D, 0x3B, 0x3C, 0x58,
	/* 08 */ 0x64, 0x44, 0x42, 0x40, 0x3E, 0x0F, 0x29, 0x59,
	/* 10 */ 0x65, 0x38, 0x2A, 0x70, 0x1D, 0x10, 0x02, 0x5A,
	/* 18 */ 0x66, 0x71, 0x2C, 0x1F, 0x1E, 0x11, 0x03, 0x5B,
	/* 20 */ 0x67, 0x2E, 0x2D, 0x20, 0x12, 0x05, 0x04, 0x5C,
	/* 28 */ 0x68, 0x39, 0x2F, 0x21, 0x14, 0x13, 0x06, 0x5D,
	/* 30 */ 0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5E,
	/* 38 */ 0x6A, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5F,
	/* 40 */ 0x6B, 0x33, 0x25, 0x17, 0x18, 0x0B, 0x0A, 0x60,
	/* 48 */ 0x6C, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0C, 0x61,
	/* 50 */ 0x6D, 0x73, 0x28, 0x74, 0x1A, 0x0D, 0x62, 0x6E,
	/* 58 */ 0x3A, 0x36, 0x1C, 0x1B, 0x75, 0x2B, 0x63, 0x76,
	/* 60 */ 0x55, 0x56, 0x77, 0x78, 0x79, 0x7A, 0x0E, 0x7B,
	/* 68 */ 0x7C, 0x4F, 0x7D, 0x4B, 0x47, 0x7E, 0x7F, 0x6F,
	/* 70 */ 0x52, 0x53, 0x50, 0x4C, 0x4D, 0x48, 0x01, 0x45,
	/* 78 */ 0x57, 0x4E, 0x51, 0x4A, 0x37, 0x49, 0x46, 0x54,
};

struct kbd {
	struct vdh_dev *dev;
	struct vdh_irq *irq1, *irq12;
	struct vdh_timer *timer;    /* the next typed-key event */

	/* the controller */
	uint8_t ram[KBC_RAM_SIZE];  /* byte 0 is the command byte */
	uint8_t out;                /* output buffer; reads return it even when empty */
	bool obf, auxb;
	bool a2;
	uint8_t pending;            /* a command waiting for its data byte, or 0 */
	uint8_t output_port;
	bool xlat_break;            /* translation took an F0h: the next code is a release */
	bool irq1_level, irq12_level;
	bool last_from_aux;         /* whose byte was moved in last: the other goes next */
	uint8_t aux_queue[I8042_AUX_QUEUE]; /* what the aux device sent, not yet moved in */
	unsigned aux_head, aux_len;
	uint8_t port_a;
	bool a20;                   /* as last given to set_a20 */

	/* the keyboard */
	uint8_t buffer[KB_BUFFER_SIZE];
	unsigned buffer_head, buffer_len;
	uint8_t kb_pending;         /* a command waiting for its parameter, or 0 */
	uint8_t scancode_set;       /* 1 or 2 */
	uint8_t leds, typematic;
	bool scanning;              /* the guest enabled it: F4h since the last FFh or F5h */
	uint8_t last_sent;          /* for KB_RESEND */

	/* typed keys */
	struct kbd_event *events;
	size_t event_count, next_event;
	uint64_t due;               /* the next event's earliest time; NEVER before typing starts */
	bool enabled;               /* typing may go on, as last seen */
	uint64_t enabled_at;
	uint64_t bios_wait_since;   /* when the press due began to wait for the BIOS, or NEVER */

	unsigned warned;
};

static const struct vdh *vdh;

static uint8_t xlat(uint8_t code)
{
	if (code < sizeof(xlat_table))
		return xlat_table[code];
	if (code == 0x83)
		return 0x41;
	if (code == 0x84)
		return 0x54;
	return code;
}

static void kbc_update_irq(struct kbd *s)
{
	bool irq1 = s->obf && !s->auxb && (s->ram[0] & CB_INT);
	bool irq12 = s->obf && s->auxb && (s->ram[0] & CB_INT2);

	if (irq1 != s->irq1_level) {
		s->irq1_level = irq1;
		vdh->set_irq(s->irq1, irq1);
	}
	if (irq12 != s->irq12_level) {
		s->irq12_level = irq12;
		vdh->set_irq(s->irq12, irq12);
	}
}

/* Puts a byte in the output buffer; one still unread is lost, as on the 8042. */
static void kbc_output(struct kbd *s, uint8_t byte, bool aux)
{
	s->out = byte;
	s->obf = true;
	s->auxb = aux;
	kbc_update_irq(s);
}

static void kbd_update_a20(struct kbd *s)
{
	bool a20 = (s->output_port & OP_A20) || (s->port_a & PA_A20);

	if (a20 == s->a20)
		return;
	s->a20 = a20;
	vdh->set_a20(s->dev, a20);
}

static void kb_send(struct kbd *s, uint8_t byte)
{
	if (s->buffer_len == KB_BUFFER_SIZE)
		return;
	if (s->buffer_len == KB_BUFFER_SIZE - 1)
		byte = s->scancode_set == 1 ? KB_OVERRUN_SET1 : KB_OVERRUN;
	s->buffer[(s->buffer_head + s->buffer_len++) % KB_BUFFER_SIZE] = byte;
	s->last_sent = byte;
}

static uint8_t kb_take(struct kbd *s)
{
	uint8_t byte = s->buffer[s->buffer_head];

	s->buffer_head = (s->buffer_head + 1) % KB_BUFFER_SIZE;
	s->buffer_len--;
	return byte;
}

static uint8_t aux_take(struct kbd *s)
{
	uint8_t byte = s->aux_queue[s->aux_head];

	s->aux_head = (s->aux_head + 1) % I8042_AUX_QUEUE;
	s->aux_len--;
	return byte;
}

/* Moves the next byte into an empty output buffer: the keyboard's (translated) or the aux
 * device's, the other side's first when both have one. */
static void kbc_fill(struct kbd *s)
{
	while (!s->obf) {
		bool kbd_ready = s->buffer_len && !(s->ram[0] & CB_DISABLE_KBD);
		bool aux_ready = s->aux_len && !(s->ram[0] & CB_DISABLE_AUX);
		uint8_t byte;

		if (aux_ready && (!kbd_ready || !s->last_from_aux)) {
			s->last_from_aux = true;
			kbc_output(s, aux_take(s), true);
			continue;
		}
		if (!kbd_ready)
			return;
		byte = kb_take(s);
		if (s->ram[0] & CB_XLAT) {
			if (byte == KB_BREAK) {
				s->xlat_break = true;
				continue;
			}
			byte = (uint8_t)(xlat(byte) | (s->xlat_break ? KB_SET1_BREAK : 0));
			s->xlat_break = false;
		}
		s->last_from_aux = false;
		kbc_output(s, byte, false);
	}
}

/* The aux device's "i8042" entry: bytes it sends the controller. */
static int kbd_aux_request(void *opaque, uint32_t command, const void *in, size_t in_len,
			   void *out, size_t *out_len)
{
	struct kbd *s = opaque;

	if (command != I8042_AUX_SEND || !in || in_len == 0 || in_len > I8042_AUX_SEND_MAX)
		return -EINVAL;
	if (in_len > I8042_AUX_QUEUE - s->aux_len)
		return -ENOSPC;
	for (size_t i = 0; i < in_len; i++)
		s->aux_queue[(s->aux_head + s->aux_len++) % I8042_AUX_QUEUE] =
			((const uint8_t *)in)[i];
	if (out_len)
		*out_len = 0;
	kbc_fill(s);
	return 0;
}

/* D4h's data byte: to the aux device, which may answer before this returns. */
static void kbc_aux_write(struct kbd *s, uint8_t value)
{
	int rc = vdh->request_vdd(s->dev, PS2AUX_REQUEST, PS2AUX_WRITE, &value, 1, NULL, NULL);

	if (rc == 0)
		return;
	if (rc != -ENOENT && !(s->warned & WARN_AUX_DEVICE))
		vdh->log(s->dev, VDH_LOG_WARN, "the aux device refused %02Xh: %s", value,
			 strerror(-rc));
	if (rc != -ENOENT)
		s->warned |= WARN_AUX_DEVICE;
	kbc_output(s, AUX_TIMEOUT, true);
}

static void kb_send_key(struct kbd *s, const struct kbd_event *ev)
{
	bool up = ev->type == KBD_EVENT_UP;

	if (ev->prefix)
		kb_send(s, ev->prefix);
	/* set 1 is what the controller's translation makes of set 2 */
	if (s->scancode_set == 1) {
		kb_send(s, (uint8_t)(xlat(ev->code) | (up ? KB_SET1_BREAK : 0)));
		return;
	}
	if (up)
		kb_send(s, KB_BREAK);
	kb_send(s, ev->code);
}

static void kb_parameter(struct kbd *s, uint8_t command, uint8_t value)
{
	switch (command) {
	case KB_SET_LEDS:
		s->leds = value & KB_LEDS;
		kb_send(s, KB_ACK);
		break;
	case KB_TYPEMATIC:
		s->typematic = value;
		kb_send(s, KB_ACK);
		break;
	default: /* KB_SCANCODE_SET */
		if (value == 0) {
			kb_send(s, KB_ACK);
			kb_send(s, s->scancode_set);
		} else if (value == 1 || value == 2) {
			s->scancode_set = value;
			kb_send(s, KB_ACK);
		} else {
			if (!(s->warned & WARN_SCANCODE_SET))
				vdh->log(s->dev, VDH_LOG_WARN, "scancode set %u is not supported "
					 "(sets 1 and 2 are)", value);
			s->warned |= WARN_SCANCODE_SET;
			kb_send(s, KB_NAK);
		}
	}
}

/* A byte the controller passed on to the keyboard. */
static void kb_receive(struct kbd *s, uint8_t byte)
{
	uint8_t command = s->kb_pending;

	s->kb_pending = 0;
	if (command && !(byte & KB_COMMAND_BIT)) {
		kb_parameter(s, command, byte);
		return;
	}
	switch (byte) {
	case KB_SET_LEDS:
	case KB_TYPEMATIC:
	case KB_SCANCODE_SET:
		s->kb_pending = byte;
		kb_send(s, KB_ACK);
		break;
	case KB_ECHO:
		kb_send(s, KB_ECHO);
		break;
	case KB_IDENTIFY:
		kb_send(s, KB_ACK);
		kb_send(s, KB_ID_1);
		kb_send(s, KB_ID_2);
		break;
	case KB_ENABLE:
		s->buffer_len = 0;
		s->scanning = true;
		kb_send(s, KB_ACK);
		break;
	case KB_DISABLE:
		s->buffer_len = 0;
		s->typematic = KB_TYPEMATIC_DEFAULT;
		s->scanning = false;
		kb_send(s, KB_ACK);
		break;
	case KB_DEFAULTS:
		s->buffer_len = 0;
		s->typematic = KB_TYPEMATIC_DEFAULT;
		kb_send(s, KB_ACK);
		break;
	case KB_RESEND:
		kb_send(s, s->last_sent);
		break;
	case KB_RESET:
		s->buffer_len = 0;
		s->typematic = KB_TYPEMATIC_DEFAULT;
		s->scancode_set = 2;
		s->leds = 0;
		s->scanning = false;
		kb_send(s, KB_ACK);
		kb_send(s, KB_BAT_OK);
		break;
	default:
		if (!(s->warned & WARN_KEYBOARD))
			vdh->log(s->dev, VDH_LOG_WARN, "unknown keyboard command %02Xh: resend",
				 byte);
		s->warned |= WARN_KEYBOARD;
		kb_send(s, KB_NAK);
	}
}

static uint8_t kbc_status(const struct kbd *s)
{
	return (uint8_t)((s->obf ? ST_OBF : 0) | (s->ram[0] & CB_SYS ? ST_SYS : 0) |
			 (s->a2 ? ST_A2 : 0) | ST_INH | (s->auxb ? ST_AUXB : 0));
}

static uint8_t kbc_read_output_port(const struct kbd *s)
{
	uint8_t value = s->output_port & (uint8_t)~(OP_IRQ1 | OP_IRQ12);

	if (s->irq1_level)
		value |= OP_IRQ1;
	if (s->irq12_level)
		value |= OP_IRQ12;
	return value;
}

static void kbc_write_output_port(struct kbd *s, uint8_t value)
{
	/* the reset line comes back up after the reset, or the CPU would stay in it */
	s->output_port = value | OP_RESET_N;
	kbd_update_a20(s);
	if (!(value & OP_RESET_N))
		vdh->reset_system(s->dev);
}

static void kbc_command(struct kbd *s, uint8_t command)
{
	s->pending = 0;
	if (command >= CMD_READ_RAM && command < CMD_READ_RAM + KBC_RAM_SIZE) {
		kbc_output(s, s->ram[command - CMD_READ_RAM], false);
		return;
	}
	if (command >= CMD_WRITE_RAM && command < CMD_WRITE_RAM + KBC_RAM_SIZE) {
		s->pending = command;
		return;
	}
	if (command >= CMD_PULSE) {
		/* only the reset line's pulse is long enough to matter */
		if (!(command & OP_RESET_N))
			vdh->reset_system(s->dev);
		return;
	}
	switch (command) {
	case CMD_DISABLE_AUX:
		s->ram[0] |= CB_DISABLE_AUX;
		break;
	case CMD_ENABLE_AUX:
		s->ram[0] &= (uint8_t)~CB_DISABLE_AUX;
		break;
	case CMD_TEST_AUX:
	case CMD_TEST_KBD:
		kbc_output(s, INTERFACE_OK, false);
		break;
	case CMD_SELF_TEST:
		kbc_output(s, SELF_TEST_OK, false);
		break;
	case CMD_DISABLE_KBD:
		s->ram[0] |= CB_DISABLE_KBD;
		break;
	case CMD_ENABLE_KBD:
		s->ram[0] &= (uint8_t)~CB_DISABLE_KBD;
		break;
	case CMD_READ_INPUT:
		kbc_output(s, INPUT_PORT, false);
		break;
	case CMD_READ_OUTPUT:
		kbc_output(s, kbc_read_output_port(s), false);
		break;
	case CMD_WRITE_OUTPUT:
	case CMD_WRITE_KBD_OBUF:
	case CMD_WRITE_AUX_OBUF:
	case CMD_WRITE_AUX:
		s->pending = command;
		break;
	case CMD_READ_TEST:
		/* the clock is held low while the interface is disabled; data idles high */
		kbc_output(s, (uint8_t)((s->ram[0] & CB_DISABLE_KBD ? 0 : TI_KBD_CLOCK) |
					TI_KBD_DATA), false);
		break;
	default:
		if (!(s->warned & WARN_CONTROLLER))
			vdh->log(s->dev, VDH_LOG_WARN, "unknown controller command %02Xh ignored",
				 command);
		s->warned |= WARN_CONTROLLER;
	}
}

/* A byte written to port 60h. */
static void kbc_data(struct kbd *s, uint8_t value)
{
	uint8_t command = s->pending;

	s->pending = 0;
	if (command >= CMD_WRITE_RAM && command < CMD_WRITE_RAM + KBC_RAM_SIZE) {
		s->ram[command - CMD_WRITE_RAM] = value;
		return;
	}
	switch (command) {
	case CMD_WRITE_OUTPUT:
		kbc_write_output_port(s, value);
		break;
	case CMD_WRITE_KBD_OBUF:
		kbc_output(s, value, false);
		break;
	case CMD_WRITE_AUX_OBUF:
		kbc_output(s, value, true);
		break;
	case CMD_WRITE_AUX:
		kbc_aux_write(s, value);
		break;
	default:
		/* sending to the keyboard turns its interface back on */
		s->ram[0] &= (uint8_t)~CB_DISABLE_KBD;
		kb_receive(s, value);
	}
}

static bool bda_word(struct kbd *s, uint64_t gpa, unsigned *value)
{
	uint8_t bytes[2];

	if (vdh->read_guest(s->dev, gpa, bytes, sizeof(bytes)) < 0)
		return false;
	*value = bytes[0] | (unsigned)bytes[1] << 8;
	return true;
}

/* Whether the BIOS keyboard buffer holds BIOS_KEYS_FULL keys or more. */
static bool bios_buffer_full(struct kbd *s)
{
	unsigned head, tail, start, end, size;

	if (!bda_word(s, BDA_KB_HEAD, &head) || !bda_word(s, BDA_KB_TAIL, &tail) ||
	    !bda_word(s, BDA_KB_START, &start) || !bda_word(s, BDA_KB_END, &end))
		return false;
	if (start >= end || head < start || head >= end || tail < start || tail >= end ||
	    (end - start) % 2 || (head - start) % 2 || (tail - start) % 2)
		return false;
	size = end - start;
	return (tail + size - head) % size / 2 >= BIOS_KEYS_FULL;
}

static bool typing_enabled(const struct kbd *s)
{
	return s->scanning && !(s->ram[0] & CB_DISABLE_KBD);
}

/* Sends the next event with the events joined to it; the next may come a hold or a gap later. */
static void typer_send(struct kbd *s, uint64_t now)
{
	const struct kbd_event *ev;

	do
		kb_send_key(s, ev = &s->events[s->next_event++]);
	while (s->next_event < s->event_count && s->events[s->next_event].joined);
	s->due = now + (ev->type == KBD_EVENT_DOWN ? KEY_HOLD_MS : KEY_GAP_MS) * MS;
	s->bios_wait_since = NEVER;
	kbc_fill(s);
}

/* Whether the press due now waits for the BIOS buffer; if so, arms the next look at it. */
static bool typer_wait_for_bios(struct kbd *s, uint64_t now)
{
	uint64_t give_up;

	if (!bios_buffer_full(s))
		return false;
	if (s->bios_wait_since == NEVER)
		s->bios_wait_since = now;
	give_up = s->bios_wait_since + BIOS_WAIT_MAX_MS * MS;
	if (now >= give_up)
		return false;
	vdh->arm_timer(s->timer, now + BIOS_POLL_MS * MS < give_up ? now + BIOS_POLL_MS * MS
								     : give_up);
	return true;
}

/*
 * Types what is due. Runs after every guest access that can unblock it and from the timer;
 * leaves the timer armed only for a time it waits for, not for the guest.
 */
static void typer_run(struct kbd *s)
{
	uint64_t now;
	bool enabled;

	if (s->next_event == s->event_count)
		return;
	now = vdh->now_ns(s->dev);
	enabled = typing_enabled(s);
	if (enabled && !s->enabled) {
		s->enabled_at = now;
		if (s->due == NEVER)
			s->due = now;
	}
	s->enabled = enabled;
	vdh->disarm_timer(s->timer);
	while (s->next_event < s->event_count && s->due != NEVER) {
		const struct kbd_event *ev = &s->events[s->next_event];
		uint64_t at = s->due;

		if (ev->type == KBD_EVENT_WAIT) {
			if (now < at) {
				vdh->arm_timer(s->timer, at);
				return;
			}
			s->due = now + ev->wait_ms * MS;
			s->next_event++;
			continue;
		}
		if (!enabled)
			return;
		if (ev->type == KBD_EVENT_DOWN && at < s->enabled_at + KEY_GAP_MS * MS)
			at = s->enabled_at + KEY_GAP_MS * MS;
		if (now < at) {
			vdh->arm_timer(s->timer, at);
			return;
		}
		if (ev->type == KBD_EVENT_DOWN &&
		    (s->obf || s->buffer_len || typer_wait_for_bios(s, now)))
			return;
		typer_send(s, now);
	}
}

static void kbd_timer(void *opaque, uint64_t now_ns)
{
	typer_run(opaque);
}

static uint8_t kbd_data_inb(void *opaque, uint16_t port)
{
	struct kbd *s = opaque;
	uint8_t value = s->out;

	s->obf = s->auxb = false;
	kbc_update_irq(s);
	kbc_fill(s);
	typer_run(s);
	return value;
}

static void kbd_data_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct kbd *s = opaque;

	s->a2 = false;
	kbc_data(s, value);
	kbc_update_irq(s);
	kbc_fill(s);
	typer_run(s);
}

static uint8_t kbd_status_inb(void *opaque, uint16_t port)
{
	return kbc_status(opaque);
}

static void kbd_command_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct kbd *s = opaque;

	s->a2 = true;
	kbc_command(s, value);
	kbc_update_irq(s);
	kbc_fill(s);
	typer_run(s);
}

static uint8_t kbd_port_a_inb(void *opaque, uint16_t port)
{
	struct kbd *s = opaque;

	return s->port_a;
}

static void kbd_port_a_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct kbd *s = opaque;
	bool reset = !(s->port_a & PA_FAST_RESET) && (value & PA_FAST_RESET);

	s->port_a = value & PA_BITS;
	kbd_update_a20(s);
	if (reset) {
		s->port_a &= (uint8_t)~PA_FAST_RESET;
		vdh->reset_system(s->dev);
	}
}

static const struct vdh_io_ops kbd_data_ops = {
	.inb = kbd_data_inb,
	.outb = kbd_data_outb,
};

static const struct vdh_io_ops kbd_command_ops = {
	.inb = kbd_status_inb,
	.outb = kbd_command_outb,
};

static const struct vdh_io_ops kbd_port_a_ops = {
	.inb = kbd_port_a_inb,
	.outb = kbd_port_a_outb,
};

static void kbd_power_on(struct kbd *s)
{
	s->ram[0] = CB_POWER_ON;
	s->output_port = OP_POWER_ON;
	s->a20 = true;
	s->scancode_set = 2;
	s->typematic = KB_TYPEMATIC_DEFAULT;
	/* the keyboard's power-on BAT code counts as read by the POST */
	s->last_sent = KB_BAT_OK;
	s->due = NEVER;
	s->bios_wait_since = NEVER;
}

/* The display's events: the host's keys, while the keyboard scans. */
static void kbd_display_event(void *opaque, unsigned type, const void *body, size_t len)
{
	struct kbd *s = opaque;
	struct vvmi_event_key key;
	struct kbd_event ev = { 0 };

	if (type != VVMI_EVENT_KEY || len < sizeof(key))
		return;
	memcpy(&key, body, sizeof(key));
	if (!s->scanning || !kbd_set1_to_set2(key.scancode, &ev.prefix, &ev.code))
		return;
	ev.type = key.pressed ? KBD_EVENT_DOWN : KBD_EVENT_UP;
	kb_send_key(s, &ev);
	kbc_fill(s);
}

static int kbd_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int kbd_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct kbd *s = calloc(1, sizeof(*s));
	char err[160];
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	rc = kbd_keys_parse(vdh->prop_string(props, "keys"), &s->events, &s->event_count, err,
			    sizeof(err));
	if (rc < 0) {
		vdh->log(dev, VDH_LOG_ERROR, "keys: %s", err);
		goto err_free;
	}
	kbd_power_on(s);

	rc = vdh->open_irq(dev, 1, NULL, NULL, &s->irq1);
	if (rc == 0)
		rc = vdh->open_irq(dev, 12, NULL, NULL, &s->irq12);
	if (rc == 0)
		rc = vdh->register_request(dev, I8042_REQUEST, kbd_aux_request, s);
	if (rc < 0)
		goto err_free;
	/* Without a display (or room for one more handler) the host's keys just do not come. */
	rc = vdh->display_set_event_handler(dev, kbd_display_event, s);
	if (rc < 0 && rc != -ENODEV)
		vdh->log(dev, VDH_LOG_WARN, "the host's keys will not reach the guest: %s",
			 strerror(-rc));
	rc = vdh->create_timer(dev, kbd_timer, s, &s->timer);
	if (rc < 0)
		goto err_free;
	/* 0x60: 8042 keyboard controller data */
	rc = vdh->install_io_hook(dev, KBC_PORT_DATA, 1, &kbd_data_ops, s);
	if (rc < 0)
		goto err_timer;
	/* 0x64: 8042 keyboard controller status and command */
	rc = vdh->install_io_hook(dev, KBC_PORT_COMMAND, 1, &kbd_command_ops, s);
	if (rc < 0)
		goto err_timer;
	/* 0x92: system control port A (fast A20 and fast reset) */
	rc = vdh->install_io_hook(dev, PORT_A, 1, &kbd_port_a_ops, s);
	if (rc < 0)
		goto err_timer;
	vdh->set_a20(dev, true);
	*instance = s;
	return 0;

	/* the VMM drops the hooks and the IRQ line of a VDD whose create() fails */
err_timer:
	vdh->destroy_timer(s->timer);
err_free:
	free(s->events);
	free(s);
	return rc;
}

static void kbd_terminate(void *instance)
{
	struct kbd *s = instance;

	vdh->destroy_timer(s->timer);
	free(s->events);
	free(s);
}

static const struct vdh_prop_spec kbd_props[] = {
	{ "keys", VDH_PROP_STRING, "", 0, 0,
	  "keys to type once the guest enables the keyboard: text as on a US keyboard, "
	  "{enter} {f1} {ctrl+alt+del} {wait:MS}, {{ and }} for braces" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "kbd",
	.description = "8042 keyboard controller with an MF2 keyboard (IRQ1), PS/2 aux port (IRQ12), "
		       "A20 gate, port 92h",
	.props = kbd_props,
	.init = kbd_init,
	.create = kbd_create,
	.terminate = kbd_terminate,
};
