/* kbd_keys.c: the keyboard VDD's `keys` property, parsed into key presses, releases and waits. */
#include "kbd_keys.h"
#include "vdd_script.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Syntax (a US keyboard):
 *   - A printable ASCII character is typed as on a US keyboard: Shift goes down around
 *     capitals and shifted symbols (A, !, ~, ...). A space types the space bar.
 *   - {name} types a special key: enter esc tab backspace space up down left right home
 *     end pgup pgdn ins del f1..f12 capslock numlock scrolllock printscreen pause, and the
 *     modifiers ctrl alt shift themselves (the left-hand keys). Names ignore case.
 *   - {mod+...+key} holds modifiers (ctrl, alt, shift) around a key: {ctrl+c},
 *     {alt+home}, {shift+f1}, {ctrl+alt+del}. The key may be one character, typed as in
 *     plain text, so {ctrl+C} also holds Shift; {ctrl++} is Ctrl with the + key.
 *   - {wait:N} waits N milliseconds (0 to KBD_WAIT_MAX_MS) of virtual time.
 *   - {{ and }} type { and }.
 * Modifiers go down in the order Ctrl, Alt, Shift and come up in the reverse order.
 * Extended keys carry the E0 prefix. Print Screen alone sends E0 12 E0 7C (a "fake"
 * Shift with it) and the reverse on release; with Ctrl or Shift held only E0 7C, with Alt
 * the SysRq code 84. Pause sends its whole sequence on the press, E1 14 77 E1 F0 14 F0
 * 77, and nothing on release; with Ctrl it is Break: E0 7E E0 F0 7E.
 */

#define MOD_CTRL 0x1u
#define MOD_ALT 0x2u
#define MOD_SHIFT 0x4u

/* Set-2 codes the parser uses by name. */
#define SC_LCTRL 0x14
#define SC_LALT 0x11
#define SC_LSHIFT 0x12
#define SC_PRINTSCREEN 0x7C /* E0 7C; also the keypad's * without E0 */
#define SC_SYSRQ 0x84       /* Alt + Print Screen */
#define SC_BREAK 0x7E       /* E0 7E: Ctrl + Pause; also Scroll Lock without E0 */
#define SC_NUMLOCK 0x77

enum key_kind { KEY_PLAIN, KEY_PRINTSCREEN, KEY_PAUSE };

struct key {
	enum key_kind kind;
	uint8_t prefix, code;
};

struct key_name {
	const char *name;
	struct key key;
	unsigned modifier; /* MOD_* when the name can also prefix a '+' */
};

static const struct key_name key_names[] = {
	{ "enter", { KEY_PLAIN, 0, 0x5A }, 0 },
	{ "esc", { KEY_PLAIN, 0, 0x76 }, 0 },
	{ "tab", { KEY_PLAIN, 0, 0x0D }, 0 },
	{ "backspace", { KEY_PLAIN, 0, 0x66 }, 0 },
	{ "space", { KEY_PLAIN, 0, 0x29 }, 0 },
	{ "up", { KEY_PLAIN, KBD_PREFIX_E0, 0x75 }, 0 },
	{ "down", { KEY_PLAIN, KBD_PREFIX_E0, 0x72 }, 0 },
	{ "left", { KEY_PLAIN, KBD_PREFIX_E0, 0x6B }, 0 },
	{ "right", { KEY_PLAIN, KBD_PREFIX_E0, 0x74 }, 0 },
	{ "home", { KEY_PLAIN, KBD_PREFIX_E0, 0x6C }, 0 },
	{ "end", { KEY_PLAIN, KBD_PREFIX_E0, 0x69 }, 0 },
	{ "pgup", { KEY_PLAIN, KBD_PREFIX_E0, 0x7D }, 0 },
	{ "pgdn", { KEY_PLAIN, KBD_PREFIX_E0, 0x7A }, 0 },
	{ "ins", { KEY_PLAIN, KBD_PREFIX_E0, 0x70 }, 0 },
	{ "del", { KEY_PLAIN, KBD_PREFIX_E0, 0x71 }, 0 },
	{ "f1", { KEY_PLAIN, 0, 0x05 }, 0 },
	{ "f2", { KEY_PLAIN, 0, 0x06 }, 0 },
	{ "f3", { KEY_PLAIN, 0, 0x04 }, 0 },
	{ "f4", { KEY_PLAIN, 0, 0x0C }, 0 },
	{ "f5", { KEY_PLAIN, 0, 0x03 }, 0 },
	{ "f6", { KEY_PLAIN, 0, 0x0B }, 0 },
	{ "f7", { KEY_PLAIN, 0, 0x83 }, 0 },
	{ "f8", { KEY_PLAIN, 0, 0x0A }, 0 },
	{ "f9", { KEY_PLAIN, 0, 0x01 }, 0 },
	{ "f10", { KEY_PLAIN, 0, 0x09 }, 0 },
	{ "f11", { KEY_PLAIN, 0, 0x78 }, 0 },
	{ "f12", { KEY_PLAIN, 0, 0x07 }, 0 },
	{ "capslock", { KEY_PLAIN, 0, 0x58 }, 0 },
	{ "numlock", { KEY_PLAIN, 0, SC_NUMLOCK }, 0 },
	{ "scrolllock", { KEY_PLAIN, 0, 0x7E }, 0 },
	{ "printscreen", { KEY_PRINTSCREEN, KBD_PREFIX_E0, SC_PRINTSCREEN }, 0 },
	{ "pause", { KEY_PAUSE, KBD_PREFIX_E1, SC_LCTRL }, 0 },
	{ "ctrl", { KEY_PLAIN, 0, SC_LCTRL }, MOD_CTRL },
	{ "alt", { KEY_PLAIN, 0, SC_LALT }, MOD_ALT },
	{ "shift", { KEY_PLAIN, 0, SC_LSHIFT }, MOD_SHIFT },
};

/* The modifiers in the order they go down. */
static const struct {
	unsigned mod;
	uint8_t code;
} modifier_keys[] = { { MOD_CTRL, SC_LCTRL }, { MOD_ALT, SC_LALT }, { MOD_SHIFT, SC_LSHIFT } };

static const uint8_t letter_codes[26] = {
	0x1C, 0x32, 0x21, 0x23, 0x24, 0x2B, 0x34, 0x33, 0x43, 0x3B, 0x42, 0x4B, 0x3A, /* a-m */
	0x31, 0x44, 0x4D, 0x15, 0x2D, 0x1B, 0x2C, 0x3C, 0x2A, 0x1D, 0x22, 0x35, 0x1A, /* n-z */
};

/* The printable characters other than letters: the key, and whether Shift types it. */
static const struct {
	uint8_t code;
	bool shift;
} symbol_keys[128] = {
	[' '] = { 0x29, false }, ['!'] = { 0x16, true },  ['"'] = { 0x52, true },
	['#'] = { 0x26, true },  ['$'] = { 0x25, true },  ['%'] = { 0x2E, true },
	['&'] = { 0x3D, true },  ['\''] = { 0x52, false }, ['('] = { 0x46, true },
	[')'] = { 0x45, true },  ['*'] = { 0x3E, true },  ['+'] = { 0x55, true },
	[','] = { 0x41, false }, ['-'] = { 0x4E, false }, ['.'] = { 0x49, false },
	['/'] = { 0x4A, false }, ['0'] = { 0x45, false }, ['1'] = { 0x16, false },
	['2'] = { 0x1E, false }, ['3'] = { 0x26, false }, ['4'] = { 0x25, false },
	['5'] = { 0x2E, false }, ['6'] = { 0x36, false }, ['7'] = { 0x3D, false },
	['8'] = { 0x3E, false }, ['9'] = { 0x46, false }, [':'] = { 0x4C, true },
	[';'] = { 0x4C, false }, ['<'] = { 0x41, true },  ['='] = { 0x55, false },
	['>'] = { 0x49, true },  ['?'] = { 0x4A, true },  ['@'] = { 0x1E, true },
	['['] = { 0x54, false }, ['\\'] = { 0x5D, false }, [']'] = { 0x5B, false },
	['^'] = { 0x36, true },  ['_'] = { 0x4E, true },  ['`'] = { 0x0E, false },
	['{'] = { 0x54, true },  ['|'] = { 0x5D, true },  ['}'] = { 0x5B, true },
	['~'] = { 0x0E, true },
};

struct parser {
	struct vdd_script script;
	struct kbd_event *events;
	size_t count, capacity;
};

static bool printable(char c)
{
	return c >= 0x20 && c <= 0x7E;
}

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static int emit(struct parser *p, struct kbd_event item)
{
	void *events = p->events;
	int rc = vdd_script_grow(&events, &p->capacity, p->count, sizeof(*p->events));

	if (rc < 0)
		return rc;
	p->events = events;
	p->events[p->count++] = item;
	return 0;
}

static int emit_all(struct parser *p, const struct kbd_event *events, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = emit(p, events[i]);
	return rc;
}

#define DOWN(prefix, code, joined) { KBD_EVENT_DOWN, prefix, code, joined, 0 }
#define UP(prefix, code, joined) { KBD_EVENT_UP, prefix, code, joined, 0 }

static const struct kbd_event printscreen_events[] = {
	DOWN(KBD_PREFIX_E0, SC_LSHIFT, false), DOWN(KBD_PREFIX_E0, SC_PRINTSCREEN, true),
	UP(KBD_PREFIX_E0, SC_PRINTSCREEN, false), UP(KBD_PREFIX_E0, SC_LSHIFT, true),
};
static const struct kbd_event printscreen_shifted_events[] = {
	DOWN(KBD_PREFIX_E0, SC_PRINTSCREEN, false), UP(KBD_PREFIX_E0, SC_PRINTSCREEN, false),
};
static const struct kbd_event sysrq_events[] = {
	DOWN(0, SC_SYSRQ, false), UP(0, SC_SYSRQ, false),
};
static const struct kbd_event pause_events[] = {
	DOWN(KBD_PREFIX_E1, SC_LCTRL, false), DOWN(0, SC_NUMLOCK, true),
	UP(KBD_PREFIX_E1, SC_LCTRL, true), UP(0, SC_NUMLOCK, true),
};
static const struct kbd_event ctrl_break_events[] = {
	DOWN(KBD_PREFIX_E0, SC_BREAK, false), UP(KBD_PREFIX_E0, SC_BREAK, true),
};

/* The key's own events, between its modifiers going down and coming up. */
static int type_key_itself(struct parser *p, struct key key, unsigned mods)
{
	const struct kbd_event plain[] = {
		DOWN(key.prefix, key.code, false), UP(key.prefix, key.code, false),
	};

	if (key.kind == KEY_PRINTSCREEN && (mods & MOD_ALT))
		return emit_all(p, sysrq_events, COUNT(sysrq_events));
	if (key.kind == KEY_PRINTSCREEN && (mods & (MOD_CTRL | MOD_SHIFT)))
		return emit_all(p, printscreen_shifted_events, COUNT(printscreen_shifted_events));
	if (key.kind == KEY_PRINTSCREEN)
		return emit_all(p, printscreen_events, COUNT(printscreen_events));
	if (key.kind == KEY_PAUSE && (mods & MOD_CTRL))
		return emit_all(p, ctrl_break_events, COUNT(ctrl_break_events));
	if (key.kind == KEY_PAUSE)
		return emit_all(p, pause_events, COUNT(pause_events));
	return emit_all(p, plain, COUNT(plain));
}

static int type_key(struct parser *p, struct key key, unsigned mods)
{
	int rc = 0;

	for (size_t i = 0; i < COUNT(modifier_keys) && rc == 0; i++) {
		const struct kbd_event down = DOWN(0, modifier_keys[i].code, false);

		if (mods & modifier_keys[i].mod)
			rc = emit(p, down);
	}
	if (rc == 0)
		rc = type_key_itself(p, key, mods);
	for (size_t i = COUNT(modifier_keys); i-- > 0 && rc == 0;) {
		const struct kbd_event up = UP(0, modifier_keys[i].code, false);

		if (mods & modifier_keys[i].mod)
			rc = emit(p, up);
	}
	return rc;
}

#undef DOWN
#undef UP

/* A printable character as typed on a US keyboard; adds Shift to *mods when it needs it. */
static struct key char_key(char c, unsigned *mods)
{
	struct key key = { KEY_PLAIN, 0, 0 };

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
		/* ASCII letters differ in case by bit 5 alone. */
		key.code = letter_codes[(c | 0x20) - 'a'];
		if (c <= 'Z')
			*mods |= MOD_SHIFT;
	} else {
		key.code = symbol_keys[(unsigned char)c].code;
		if (symbol_keys[(unsigned char)c].shift)
			*mods |= MOD_SHIFT;
	}
	return key;
}

static const struct key_name *find_name(const char *name, size_t len)
{
	for (size_t i = 0; i < COUNT(key_names); i++)
		if (strlen(key_names[i].name) == len &&
		    strncasecmp(key_names[i].name, name, len) == 0)
			return &key_names[i];
	return NULL;
}

/* {wait:N}, name pointing at "wait:". */
static int parse_wait(struct parser *p, const char *name, size_t len, unsigned mods)
{
	const char *digits = name + 5;
	size_t n = len - 5;
	uint32_t ms = 0;

	if (mods) {
		vdd_script_error(&p->script, "a wait cannot take modifiers, at column %zu",
				 vdd_script_column(&p->script, name));
		return -EINVAL;
	}
	for (size_t i = 0; i < n && ms <= KBD_WAIT_MAX_MS; i++) {
		if (digits[i] < '0' || digits[i] > '9') {
			n = 0;
			break;
		}
		ms = ms * 10 + (uint32_t)(digits[i] - '0');
	}
	if (n == 0 || ms > KBD_WAIT_MAX_MS) {
		vdd_script_error(&p->script,
				 "bad wait '%.*s' at column %zu (want wait:N, N from 0 to %u ms)",
				 vdd_script_quote_len(len), name,
				 vdd_script_column(&p->script, name), KBD_WAIT_MAX_MS);
		return -EINVAL;
	}
	return emit(p, (struct kbd_event){ KBD_EVENT_WAIT, 0, 0, false, ms });
}

/* A {...} group starting at *at (its '{'); moves *at past the '}'. */
static int parse_braced(struct parser *p, const char **at)
{
	const char *open = *at, *s = open + 1;
	unsigned mods = 0;
	struct key key;

	for (;;) {
		const char *name = s;
		const struct key_name *known;
		size_t len;

		if (printable(s[0]) && s[1] == '}') {
			key = char_key(s[0], &mods);
			*at = s + 2;
			return type_key(p, key, mods);
		}
		while (*s && *s != '+' && *s != '}')
			s++;
		len = (size_t)(s - name);
		if (!*s) {
			vdd_script_error(&p->script, "'{' at column %zu is not closed",
					 vdd_script_column(&p->script, open));
			return -EINVAL;
		}
		if (len == 0) {
			vdd_script_error(&p->script, "missing key name at column %zu",
					 vdd_script_column(&p->script, name));
			return -EINVAL;
		}
		known = find_name(name, len);
		if (*s == '+') {
			if (!known || !known->modifier) {
				vdd_script_error(&p->script,
						 "'%.*s' at column %zu is not a modifier "
						 "(ctrl, alt, shift)", vdd_script_quote_len(len),
						 name, vdd_script_column(&p->script, name));
				return -EINVAL;
			}
			if (mods & known->modifier) {
				vdd_script_error(&p->script,
						 "modifier '%s' given twice, at column %zu",
						 known->name, vdd_script_column(&p->script, name));
				return -EINVAL;
			}
			mods |= known->modifier;
			s++;
			continue;
		}
		*at = s + 1;
		if (len >= 5 && strncasecmp(name, "wait:", 5) == 0)
			return parse_wait(p, name, len, mods);
		if (!known) {
			vdd_script_error(&p->script, "unknown key '%.*s' at column %zu",
					 vdd_script_quote_len(len), name,
					 vdd_script_column(&p->script, name));
			return -EINVAL;
		}
		return type_key(p, known->key, mods);
	}
}

int kbd_keys_parse(const char *text, struct kbd_event **events, size_t *count, char *err,
		   size_t err_size)
{
	struct parser p = { .script = { .text = text, .err = err, .err_size = err_size } };
	const char *at = text;
	int rc = 0;

	while (*at && rc == 0) {
		unsigned mods = 0;
		char c = *at;

		if ((c == '{' || c == '}') && at[1] == c) {
			struct key key = char_key(c, &mods);

			rc = type_key(&p, key, mods);
			at += 2;
		} else if (c == '{') {
			rc = parse_braced(&p, &at);
		} else if (c == '}') {
			vdd_script_error(&p.script,
					 "'}' at column %zu closes nothing (type }} for a '}')",
					 vdd_script_column(&p.script, at));
			rc = -EINVAL;
		} else if (!printable(c)) {
			vdd_script_error(&p.script,
					 "character 0x%02X at column %zu is not printable "
					 "ASCII (type special keys as {name})", (unsigned char)c,
					 vdd_script_column(&p.script, at));
			rc = -EINVAL;
		} else {
			struct key key = char_key(c, &mods);

			rc = type_key(&p, key, mods);
			at++;
		}
	}
	if (rc < 0) {
		if (rc == -ENOMEM)
			vdd_script_error(&p.script, "out of memory");
		free(p.events);
		return rc;
	}
	*events = p.events;
	*count = p.count;
	return 0;
}
