/* kbd_keys.h: the keyboard VDD's `keys` property, parsed into key presses, releases and waits. */
#ifndef MVM_VDD_KBD_KEYS_H
#define MVM_VDD_KBD_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kbd_event_type {
	KBD_EVENT_DOWN, /* a key goes down: [prefix] code */
	KBD_EVENT_UP,   /* a key comes up: [prefix] F0 code */
	KBD_EVENT_WAIT, /* {wait:N} */
};

/* The prefix bytes of scancode set 2. */
#define KBD_PREFIX_E0 0xE0 /* the keys the 101-key keyboard added (arrows, Home, ...) */
#define KBD_PREFIX_E1 0xE1 /* Pause, whose make code is a Ctrl and a NumLock press */

#define KBD_WAIT_MAX_MS 3600000u /* an hour: {wait:N} accepts 0 to this */

struct kbd_event {
	enum kbd_event_type type;
	uint8_t prefix;   /* 0, KBD_PREFIX_E0 or KBD_PREFIX_E1 */
	uint8_t code;     /* scancode set 2 */
	bool joined;      /* part of the event before it: one key's sequence, sent in one go */
	uint32_t wait_ms; /* KBD_EVENT_WAIT */
};

/*
 * Turns the text of the `keys` property into events, in the order they happen. Returns 0
 * with *events (free() it; NULL when there are none) and *count, or -EINVAL with err
 * saying what is wrong and at which column (from 1), or -ENOMEM.
 */
int kbd_keys_parse(const char *text, struct kbd_event **events, size_t *count, char *err,
		   size_t err_size);

#endif
