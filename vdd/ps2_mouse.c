/* ps2_mouse.c: a PS/2 mouse (IBM's auxiliary device protocol) as pure state: commands in, bytes out. */
#include "ps2_mouse.h"

#include <string.h>

/*
 * A standard two/three-button PS/2 mouse (ID 00h), after IBM's PS/2 technical reference
 * and the usual descriptions of the protocol:
 *   - The motion counters are 9-bit two's complement, X right and Y up. Motion beyond
 *     -256..255 saturates and sets the packet's overflow bit for that axis, as on the
 *     hardware. One host pixel is one count whatever the resolution (a host pointer has no
 *     physical size); the resolution is kept and reported.
 *   - Stream mode with reporting on (F4h) reports motion and button changes; the caller
 *     paces the packets at the sample rate. Remote mode (F0h) reports on EBh only.
 *   - 2:1 scaling (E7h) applies to stream packets: 1->1, 2->1, 3->3, 4->6, 5->9, else x2.
 *   - F3h and E8h take an argument; a command byte (E6h and up) in its place is a command,
 *     anything else out of range answers FEh. Unknown commands answer FEh.
 *   - Wrap mode (EEh) echoes every byte but ECh (back to the mode before) and FFh (reset).
 */

/* Commands */
#define CMD_SCALING_1TO1 0xE6
#define CMD_SCALING_2TO1 0xE7
#define CMD_SET_RESOLUTION 0xE8
#define CMD_STATUS 0xE9
#define CMD_STREAM_MODE 0xEA
#define CMD_READ_DATA 0xEB
#define CMD_RESET_WRAP 0xEC
#define CMD_WRAP_MODE 0xEE
#define CMD_REMOTE_MODE 0xF0
#define CMD_GET_ID 0xF2
#define CMD_SAMPLE_RATE 0xF3
#define CMD_ENABLE 0xF4
#define CMD_DISABLE 0xF5
#define CMD_DEFAULTS 0xF6
#define CMD_RESEND 0xFE
#define CMD_RESET 0xFF
#define CMD_FIRST CMD_SCALING_1TO1 /* bytes from here on are commands, never arguments */

/* What the mouse sends */
#define ACK 0xFA
#define NAK 0xFE
#define BAT_OK 0xAA
#define MOUSE_ID 0x00

/* Packet byte 0 */
#define PKT_ALWAYS_1 0x08
#define PKT_X_SIGN 0x10
#define PKT_Y_SIGN 0x20
#define PKT_X_OVERFLOW 0x40
#define PKT_Y_OVERFLOW 0x80

/* Status byte 0 (E9h): buttons are right, middle, left from bit 0 */
#define ST_RIGHT 0x01
#define ST_MIDDLE 0x02
#define ST_LEFT 0x04
#define ST_SCALING_2TO1 0x10
#define ST_REPORTING 0x20
#define ST_REMOTE 0x40

#define DEFAULT_SAMPLE_RATE 100
#define DEFAULT_RESOLUTION 2 /* 4 counts per mm */
#define RESOLUTION_MAX 3

#define COUNTER_MIN (-256)
#define COUNTER_MAX 255

static bool valid_sample_rate(uint8_t rate)
{
	static const uint8_t rates[] = { 10, 20, 40, 60, 80, 100, 200 };

	for (size_t i = 0; i < sizeof(rates); i++)
		if (rates[i] == rate)
			return true;
	return false;
}

static void clear_counters(struct ps2_mouse *m)
{
	m->dx = m->dy = 0;
	m->overflow_x = m->overflow_y = false;
	m->reported_buttons = m->buttons;
}

static void set_defaults(struct ps2_mouse *m)
{
	m->sample_rate = DEFAULT_SAMPLE_RATE;
	m->resolution = DEFAULT_RESOLUTION;
	m->scaling_2to1 = false;
	m->reporting = false;
	clear_counters(m);
}

void ps2_mouse_init(struct ps2_mouse *m)
{
	memset(m, 0, sizeof(*m));
	set_defaults(m);
	m->last[0] = BAT_OK;
	m->last_len = 1;
}

static int scale_2to1(int d)
{
	static const int small[] = { 0, 1, 1, 3, 6, 9 };
	int magnitude = d < 0 ? -d : d;
	int scaled = magnitude < 6 ? small[magnitude] : 2 * magnitude;

	return d < 0 ? -scaled : scaled;
}

static void build_packet(const struct ps2_mouse *m, bool scaled, uint8_t packet[3])
{
	int dx = scaled ? scale_2to1(m->dx) : m->dx;
	int dy = scaled ? scale_2to1(m->dy) : m->dy;
	bool overflow_x = m->overflow_x, overflow_y = m->overflow_y;

	/* only 2:1 scaling takes a counter out of range here */
	if (dx > COUNTER_MAX || dx < COUNTER_MIN) {
		dx = dx > COUNTER_MAX ? COUNTER_MAX : COUNTER_MIN;
		overflow_x = true;
	}
	if (dy > COUNTER_MAX || dy < COUNTER_MIN) {
		dy = dy > COUNTER_MAX ? COUNTER_MAX : COUNTER_MIN;
		overflow_y = true;
	}
	packet[0] = (uint8_t)((m->buttons & PS2_MOUSE_BUTTONS) | PKT_ALWAYS_1 |
			      (dx < 0 ? PKT_X_SIGN : 0) | (dy < 0 ? PKT_Y_SIGN : 0) |
			      (overflow_x ? PKT_X_OVERFLOW : 0) | (overflow_y ? PKT_Y_OVERFLOW : 0));
	packet[1] = (uint8_t)dx;
	packet[2] = (uint8_t)dy;
}

static uint8_t status_byte(const struct ps2_mouse *m)
{
	return (uint8_t)((m->remote ? ST_REMOTE : 0) | (m->reporting ? ST_REPORTING : 0) |
			 (m->scaling_2to1 ? ST_SCALING_2TO1 : 0) |
			 (m->buttons & PS2_MOUSE_LEFT ? ST_LEFT : 0) |
			 (m->buttons & PS2_MOUSE_MIDDLE ? ST_MIDDLE : 0) |
			 (m->buttons & PS2_MOUSE_RIGHT ? ST_RIGHT : 0));
}

/* A command's answer, remembered for a resend. */
static size_t answer(struct ps2_mouse *m, uint8_t reply[PS2_MOUSE_REPLY_MAX], const uint8_t *bytes,
		     size_t len)
{
	memcpy(reply, bytes, len);
	memcpy(m->last, bytes, len);
	m->last_len = len;
	return len;
}

static size_t argument(struct ps2_mouse *m, uint8_t command, uint8_t value,
		       uint8_t reply[PS2_MOUSE_REPLY_MAX])
{
	static const uint8_t ack[] = { ACK }, nak[] = { NAK };

	if (command == CMD_SAMPLE_RATE && valid_sample_rate(value)) {
		m->sample_rate = value;
		return answer(m, reply, ack, 1);
	}
	if (command == CMD_SET_RESOLUTION && value <= RESOLUTION_MAX) {
		m->resolution = value;
		return answer(m, reply, ack, 1);
	}
	return answer(m, reply, nak, 1);
}

static size_t command(struct ps2_mouse *m, uint8_t byte, uint8_t reply[PS2_MOUSE_REPLY_MAX])
{
	static const uint8_t ack[] = { ACK }, nak[] = { NAK };
	uint8_t bytes[PS2_MOUSE_REPLY_MAX] = { ACK };

	switch (byte) {
	case CMD_RESET:
		set_defaults(m);
		m->remote = m->wrap = false;
		bytes[1] = BAT_OK;
		bytes[2] = MOUSE_ID;
		return answer(m, reply, bytes, 3);
	case CMD_RESEND:
		memcpy(reply, m->last, m->last_len);
		return m->last_len;
	case CMD_DEFAULTS:
		set_defaults(m);
		return answer(m, reply, ack, 1);
	case CMD_DISABLE:
		m->reporting = false;
		clear_counters(m);
		return answer(m, reply, ack, 1);
	case CMD_ENABLE:
		m->reporting = true;
		clear_counters(m);
		return answer(m, reply, ack, 1);
	case CMD_SAMPLE_RATE:
	case CMD_SET_RESOLUTION:
		m->pending = byte;
		return answer(m, reply, ack, 1);
	case CMD_GET_ID:
		bytes[1] = MOUSE_ID;
		return answer(m, reply, bytes, 2);
	case CMD_REMOTE_MODE:
	case CMD_STREAM_MODE:
		m->remote = byte == CMD_REMOTE_MODE;
		clear_counters(m);
		return answer(m, reply, ack, 1);
	case CMD_READ_DATA:
		build_packet(m, false, bytes + 1);
		clear_counters(m);
		return answer(m, reply, bytes, 1 + PS2_MOUSE_PACKET_SIZE);
	case CMD_STATUS:
		bytes[1] = status_byte(m);
		bytes[2] = m->resolution;
		bytes[3] = m->sample_rate;
		return answer(m, reply, bytes, 4);
	case CMD_WRAP_MODE:
		m->wrap = true;
		clear_counters(m);
		return answer(m, reply, ack, 1);
	case CMD_RESET_WRAP:
		m->wrap = false;
		clear_counters(m);
		return answer(m, reply, ack, 1);
	case CMD_SCALING_1TO1:
	case CMD_SCALING_2TO1:
		m->scaling_2to1 = byte == CMD_SCALING_2TO1;
		return answer(m, reply, ack, 1);
	default:
		return answer(m, reply, nak, 1);
	}
}

size_t ps2_mouse_write(struct ps2_mouse *m, uint8_t byte, uint8_t reply[PS2_MOUSE_REPLY_MAX])
{
	uint8_t pending = m->pending;

	m->pending = 0;
	if (m->wrap && byte != CMD_RESET_WRAP && byte != CMD_RESET) {
		reply[0] = byte;
		return 1;
	}
	if (pending && byte < CMD_FIRST)
		return argument(m, pending, byte, reply);
	return command(m, byte, reply);
}

static int32_t accumulate(int32_t counter, int delta, bool *overflow)
{
	int64_t sum = (int64_t)counter + delta;

	if (sum > COUNTER_MAX || sum < COUNTER_MIN) {
		*overflow = true;
		return sum > COUNTER_MAX ? COUNTER_MAX : COUNTER_MIN;
	}
	return (int32_t)sum;
}

void ps2_mouse_move(struct ps2_mouse *m, int dx, int dy, unsigned buttons)
{
	m->dx = accumulate(m->dx, dx, &m->overflow_x);
	m->dy = accumulate(m->dy, dy, &m->overflow_y);
	m->buttons = (uint8_t)(buttons & PS2_MOUSE_BUTTONS);
}

bool ps2_mouse_packet(const struct ps2_mouse *m, uint8_t packet[PS2_MOUSE_PACKET_SIZE])
{
	if (!m->reporting || m->remote || m->wrap)
		return false;
	if (!m->dx && !m->dy && !m->overflow_x && !m->overflow_y &&
	    m->buttons == m->reported_buttons)
		return false;
	build_packet(m, m->scaling_2to1, packet);
	return true;
}

void ps2_mouse_packet_sent(struct ps2_mouse *m, const uint8_t packet[PS2_MOUSE_PACKET_SIZE])
{
	memcpy(m->last, packet, PS2_MOUSE_PACKET_SIZE);
	m->last_len = PS2_MOUSE_PACKET_SIZE;
	clear_counters(m);
}
