/* ps2_mouse.h: a PS/2 mouse (IBM's auxiliary device protocol) as pure state: commands in, bytes out. */
#ifndef MVM_VDD_PS2_MOUSE_H
#define MVM_VDD_PS2_MOUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most bytes one command answers (E9h: the ACK and three status bytes). */
#define PS2_MOUSE_REPLY_MAX 4
#define PS2_MOUSE_PACKET_SIZE 3

/* Buttons, as in a packet's first byte and in the host's pointer events. */
#define PS2_MOUSE_LEFT 0x1u
#define PS2_MOUSE_RIGHT 0x2u
#define PS2_MOUSE_MIDDLE 0x4u
#define PS2_MOUSE_BUTTONS (PS2_MOUSE_LEFT | PS2_MOUSE_RIGHT | PS2_MOUSE_MIDDLE)

struct ps2_mouse {
	uint8_t sample_rate;  /* reports per second in stream mode */
	uint8_t resolution;   /* 0-3: 1, 2, 4, 8 counts per mm */
	bool scaling_2to1;
	bool reporting;       /* F4h: stream mode sends packets */
	bool remote;          /* F0h: packets only on EBh */
	bool wrap;            /* EEh: every byte comes back */
	uint8_t pending;      /* F3h or E8h waiting for its argument, or 0 */
	int32_t dx, dy;       /* motion counters since the last report, Y up */
	bool overflow_x, overflow_y;
	uint8_t buttons;      /* PS2_MOUSE_* held now */
	uint8_t reported_buttons;
	uint8_t last[PS2_MOUSE_REPLY_MAX]; /* what FEh (resend) repeats */
	size_t last_len;
};

/* Power-on: the defaults, reporting off, stream mode, nothing moved. */
void ps2_mouse_init(struct ps2_mouse *m);

/*
 * A byte the controller passed on from the host (the guest's 8042 D4h command): fills
 * reply with the bytes the mouse answers (FAh and what follows; FEh for what it does not
 * understand) and returns their count (0 to PS2_MOUSE_REPLY_MAX).
 */
size_t ps2_mouse_write(struct ps2_mouse *m, uint8_t byte, uint8_t reply[PS2_MOUSE_REPLY_MAX]);

/* The pointer moved by (dx, dy) counts, Y up as on PS/2, and now holds buttons. */
void ps2_mouse_move(struct ps2_mouse *m, int dx, int dy, unsigned buttons);

/*
 * Stream mode: whether a packet is due (reporting on, not remote, and motion or a button
 * change since the last one); if so fills packet with it. The counters stay until
 * ps2_mouse_packet_sent says it went out, so a packet the controller could not take is
 * built again, with what moved since, at the next try.
 */
bool ps2_mouse_packet(const struct ps2_mouse *m, uint8_t packet[PS2_MOUSE_PACKET_SIZE]);
void ps2_mouse_packet_sent(struct ps2_mouse *m, const uint8_t packet[PS2_MOUSE_PACKET_SIZE]);

#endif
