/* vmouse_moves.h: the mouse VDD's `moves` property, parsed into pointer positions, buttons and waits. */
#ifndef MVM_VDD_VMOUSE_MOVES_H
#define MVM_VDD_VMOUSE_MOVES_H

#include <stddef.h>
#include <stdint.h>

enum vmouse_move_type {
	VMOUSE_MOVE_AT,   /* {at:X,Y}: the pointer to (x, y), screen pixels */
	VMOUSE_MOVE_BY,   /* {by:DX,DY}: the pointer by (x, y) from where it is */
	VMOUSE_MOVE_DOWN, /* {down:B}: button (VMOUSE_BUTTON_*) goes down */
	VMOUSE_MOVE_UP,   /* {up:B} */
	VMOUSE_MOVE_WAIT, /* {wait:N}: N ms */
};

/* As in host pointer events: bit 0 left, 1 right, 2 middle. */
#define VMOUSE_BUTTON_LEFT 0x1u
#define VMOUSE_BUTTON_RIGHT 0x2u
#define VMOUSE_BUTTON_MIDDLE 0x4u

#define VMOUSE_WAIT_MAX_MS 3600000u /* an hour */
#define VMOUSE_COORD_MAX 32767     /* |X|, |Y| */

struct vmouse_move {
	enum vmouse_move_type type;
	int x, y;         /* AT, BY */
	unsigned button;  /* DOWN, UP */
	uint32_t wait_ms; /* WAIT */
};

/*
 * Turns the text of the `moves` property into events, in order. Returns 0 with *moves
 * (free() it; NULL when there are none) and *count, or -EINVAL with err saying what is
 * wrong and at which column (from 1), or -ENOMEM.
 */
int vmouse_moves_parse(const char *text, struct vmouse_move **moves, size_t *count, char *err,
		       size_t err_size);

#endif
