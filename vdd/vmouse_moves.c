/* vmouse_moves.c: the mouse VDD's `moves` property, parsed into pointer positions, buttons and waits. */
#include "vmouse_moves.h"
#include "vdd_script.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Syntax: groups in braces, spaces between them ignored; names ignore case.
 *   {at:X,Y}     the pointer to X,Y in the guest screen's pixels (outside it: its edge)
 *   {by:DX,DY}   the pointer by DX,DY pixels (Y down, as on the screen)
 *   {down:B}     button B (left, right, middle) goes down
 *   {up:B}       ... comes up
 *   {click:B}    down, then up
 *   {wait:N}     N milliseconds (0 to VMOUSE_WAIT_MAX_MS) of virtual time
 * Numbers are decimal, X and Y from -VMOUSE_COORD_MAX to VMOUSE_COORD_MAX.
 */

struct parser {
	struct vdd_script script;
	struct vmouse_move *moves;
	size_t count, capacity;
};

static int emit(struct parser *p, struct vmouse_move item)
{
	void *moves = p->moves;
	int rc = vdd_script_grow(&moves, &p->capacity, p->count, sizeof(*p->moves));

	if (rc < 0)
		return rc;
	p->moves = moves;
	p->moves[p->count++] = item;
	return 0;
}

/* A decimal number in [s, end) within [-max, max] (negative only when allowed). */
static bool parse_number(const char *s, const char *end, bool negative_ok, long max, long *out)
{
	bool negative = false;
	long value = 0;

	if (s < end && *s == '-' && negative_ok) {
		negative = true;
		s++;
	}
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		value = value * 10 + (*s - '0');
		if (value > max)
			return false;
	}
	*out = negative ? -value : value;
	return true;
}

static bool parse_button(const char *s, size_t len, unsigned *button)
{
	static const struct {
		const char *name;
		unsigned button;
	} buttons[] = {
		{ "left", VMOUSE_BUTTON_LEFT },
		{ "right", VMOUSE_BUTTON_RIGHT },
		{ "middle", VMOUSE_BUTTON_MIDDLE },
	};

	for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++) {
		if (strlen(buttons[i].name) == len && strncasecmp(buttons[i].name, s, len) == 0) {
			*button = buttons[i].button;
			return true;
		}
	}
	return false;
}

/* The group {name:arg} with arg in [arg, end). */
static int parse_group(struct parser *p, const char *name, size_t name_len, const char *arg,
		       const char *end)
{
	struct vmouse_move move = { 0 };
	const char *comma;
	long x, y, ms;

#define IS(word) (name_len == strlen(word) && strncasecmp(name, word, name_len) == 0)
	if (IS("at") || IS("by")) {
		comma = memchr(arg, ',', (size_t)(end - arg));
		if (!comma || !parse_number(arg, comma, true, VMOUSE_COORD_MAX, &x) ||
		    !parse_number(comma + 1, end, true, VMOUSE_COORD_MAX, &y)) {
			vdd_script_error(&p->script, "bad point '%.*s' at column %zu "
					 "(want X,Y, each from %d to %d)",
					 vdd_script_quote_len((size_t)(end - arg)), arg,
					 vdd_script_column(&p->script, arg), -VMOUSE_COORD_MAX,
					 VMOUSE_COORD_MAX);
			return -EINVAL;
		}
		move.type = IS("at") ? VMOUSE_MOVE_AT : VMOUSE_MOVE_BY;
		move.x = (int)x;
		move.y = (int)y;
		return emit(p, move);
	}
	if (IS("down") || IS("up") || IS("click")) {
		if (!parse_button(arg, (size_t)(end - arg), &move.button)) {
			vdd_script_error(&p->script, "unknown button '%.*s' at column %zu "
					 "(left, right, middle)",
					 vdd_script_quote_len((size_t)(end - arg)), arg,
					 vdd_script_column(&p->script, arg));
			return -EINVAL;
		}
		move.type = IS("up") ? VMOUSE_MOVE_UP : VMOUSE_MOVE_DOWN;
		if (!IS("click"))
			return emit(p, move);
		if (emit(p, move) < 0)
			return -ENOMEM;
		move.type = VMOUSE_MOVE_UP;
		return emit(p, move);
	}
	if (IS("wait")) {
		if (!parse_number(arg, end, false, VMOUSE_WAIT_MAX_MS, &ms)) {
			vdd_script_error(&p->script,
					 "bad wait '%.*s' at column %zu (want N, from 0 to %u ms)",
					 vdd_script_quote_len((size_t)(end - arg)), arg,
					 vdd_script_column(&p->script, arg), VMOUSE_WAIT_MAX_MS);
			return -EINVAL;
		}
		move.type = VMOUSE_MOVE_WAIT;
		move.wait_ms = (uint32_t)ms;
		return emit(p, move);
	}
#undef IS
	vdd_script_error(&p->script,
			 "unknown action '%.*s' at column %zu (at, by, down, up, click, wait)",
			 vdd_script_quote_len(name_len), name, vdd_script_column(&p->script, name));
	return -EINVAL;
}

int vmouse_moves_parse(const char *text, struct vmouse_move **moves, size_t *count, char *err,
		       size_t err_size)
{
	struct parser p = { .script = { .text = text, .err = err, .err_size = err_size } };
	const char *at = text;
	int rc = 0;

	while (*at && rc == 0) {
		const char *open = at, *name, *colon, *close;

		if (*at == ' ') {
			at++;
			continue;
		}
		if (*at != '{') {
			vdd_script_error(&p.script,
					 "'%c' at column %zu: want a {group} such as {at:10,20}",
					 *at >= 0x20 && *at < 0x7F ? *at : '?',
					 vdd_script_column(&p.script, at));
			rc = -EINVAL;
			break;
		}
		name = open + 1;
		close = strchr(name, '}');
		if (!close) {
			vdd_script_error(&p.script, "'{' at column %zu is not closed",
					 vdd_script_column(&p.script, open));
			rc = -EINVAL;
			break;
		}
		colon = memchr(name, ':', (size_t)(close - name));
		if (!colon || colon == name) {
			vdd_script_error(&p.script, "'%.*s' at column %zu: want name:argument",
					 vdd_script_quote_len((size_t)(close - name)), name,
					 vdd_script_column(&p.script, name));
			rc = -EINVAL;
			break;
		}
		rc = parse_group(&p, name, (size_t)(colon - name), colon + 1, close);
		at = close + 1;
	}
	if (rc < 0) {
		if (rc == -ENOMEM)
			vdd_script_error(&p.script, "out of memory");
		free(p.moves);
		return rc;
	}
	*moves = p.moves;
	*count = p.count;
	return 0;
}
