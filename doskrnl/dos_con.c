/* dos_con.c: the console, CON: keys from the keyboard or the host's stdin, output to the screen and stdio. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dos.h"

#define KEY_BACKSPACE 0x08
#define KEY_TAB 0x09
#define KEY_LF 0x0A
#define KEY_CR 0x0D
#define KEY_EOF 0x1A /* Ctrl-Z: what DOS reads at the end of redirected input */
#define KEY_ESC 0x1B
#define KEY_BEL 0x07
#define SCREEN_COLUMNS 80
#define TAB_WIDTH 8

void dos_key_push(struct dos *d, uint16_t bios_key)
{
	uint8_t ascii = (uint8_t)bios_key;

	if (d->key_count + 2 > DOS_KEY_BUFFER)
		return;
	d->keys[d->key_count++] = ascii;
	/* An extended key reads as 00h, then its scan code. */
	if (ascii == 0)
		d->keys[d->key_count++] = (uint8_t)(bios_key >> 8);
}

static bool key_pop(struct dos *d, uint8_t *c)
{
	if (!d->key_count)
		return false;
	*c = d->keys[0];
	memmove(d->keys, d->keys + 1, --d->key_count);
	return true;
}

/* One byte of the host's stdin as a key: LF and CR LF are Enter. Returns
 * false at the end of the input. */
static bool stdin_read_key(struct dos *d, uint8_t *c)
{
	for (;;) {
		ssize_t n = read(STDIN_FILENO, c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			d->stdin_eof = true;
			return false;
		}
		if (*c == KEY_LF && d->stdin_cr) {
			d->stdin_cr = false;
			continue;
		}
		d->stdin_cr = *c == KEY_CR;
		if (*c == KEY_LF)
			*c = KEY_CR;
		return true;
	}
}

/* The next key, without echo. */
static enum dos_status con_getc(struct dos *d, uint8_t *c)
{
	if (key_pop(d, c))
		return DOS_DONE;
	if (d->config.stdin_host) {
		if (d->stdin_eof || !stdin_read_key(d, c))
			*c = KEY_EOF;
		return DOS_DONE;
	}
	return DOS_NEED_KEY;
}

enum dos_status dos_con_key_waiting(struct dos *d, bool *waiting)
{
	if (d->key_count) {
		*waiting = true;
		return DOS_DONE;
	}
	if (d->config.stdin_host) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		uint8_t c;
		*waiting = false;
		if (!d->stdin_eof && poll(&p, 1, 0) == 1 && stdin_read_key(d, &c)) {
			d->keys[d->key_count++] = c;
			*waiting = true;
		}
		return DOS_DONE;
	}
	if (!d->polled)
		return DOS_NEED_POLL;
	*waiting = false;
	return DOS_DONE;
}

static void write_all(int fd, const uint8_t *bytes, size_t len)
{
	while (len) {
		ssize_t n = write(fd, bytes, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		bytes += n;
		len -= (size_t)n;
	}
}

static bool screen_reserve(struct dos *d, size_t more)
{
	size_t cap = d->screen_cap ? d->screen_cap : 1024;
	uint8_t *grown;

	if (d->screen_len + more <= d->screen_cap)
		return true;
	while (cap < d->screen_len + more)
		cap *= 2;
	grown = realloc(d->screen, cap);
	if (!grown)
		return false;
	d->screen = grown;
	d->screen_cap = cap;
	return true;
}

/* Queues one byte for the screen, following the cursor column. */
static void screen_put(struct dos *d, uint8_t c)
{
	if (!screen_reserve(d, 1))
		return;
	d->screen[d->screen_len++] = c;
	switch (c) {
	case KEY_CR:
		d->column = 0;
		break;
	case KEY_LF:
	case KEY_BEL:
		break;
	case KEY_BACKSPACE:
		if (d->column)
			d->column--;
		break;
	default:
		d->column = (d->column + 1) % SCREEN_COLUMNS;
		break;
	}
}

void dos_con_write(struct dos *d, const uint8_t *bytes, size_t len, bool cooked, bool to_stderr)
{
	if (d->config.console_stdio)
		write_all(to_stderr ? STDERR_FILENO : STDOUT_FILENO, bytes, len);
	if (!d->config.console_screen)
		return;
	for (size_t i = 0; i < len; i++) {
		/* Cooked output expands tabs to the next multiple of 8, as DOS does. */
		if (cooked && bytes[i] == KEY_TAB) {
			do
				screen_put(d, ' ');
			while (d->column % TAB_WIDTH);
		} else {
			screen_put(d, bytes[i]);
		}
	}
}

/* The file behind standard handle h of the current process, or NULL. */
static struct dos_file *std_file(struct dos *d, uint16_t h)
{
	unsigned sft;
	return dos_handle_sft(d, h, &sft) ? NULL : &d->files[sft];
}

/* 01h-0Ch write to stdout (handle 1) and read stdin (handle 0), as MS-DOS
 * does: the console unless the program redirected them to a file. */
static void std_write(struct dos *d, const uint8_t *bytes, size_t len, bool cooked)
{
	struct dos_file *f = std_file(d, 1);
	uint16_t done;

	if (!f || f->device == DOS_DEV_CON)
		dos_con_write(d, bytes, len, cooked, false);
	else
		(void)dos_file_write_bytes(d, f, bytes, (uint16_t)len, &done);
}

static bool std_redirected(struct dos *d)
{
	struct dos_file *f = std_file(d, 0);
	return f && f->device != DOS_DEV_CON;
}

/* A redirected stdin's end reads as Ctrl-Z. */
static enum dos_status std_getc(struct dos *d, uint8_t *c)
{
	struct dos_file *f = std_file(d, 0);
	uint16_t done = 0;

	if (!f || f->device == DOS_DEV_CON)
		return con_getc(d, c);
	if (dos_file_read_bytes(d, f, c, 1, &done) || done == 0)
		*c = KEY_EOF;
	return DOS_DONE;
}

/* Input status (06h, 0Bh): a redirected stdin has input until its end. */
static enum dos_status std_key_waiting(struct dos *d, bool *waiting)
{
	struct dos_file *f = std_file(d, 0);
	struct stat st;

	if (!f || f->device == DOS_DEV_CON)
		return dos_con_key_waiting(d, waiting);
	*waiting = f->device == DOS_DEV_NONE && fstat(f->fd, &st) == 0 &&
		   f->position < (uint64_t)st.st_size;
	return DOS_DONE;
}

static void con_echo(struct dos *d, const char *text)
{
	dos_con_write(d, (const uint8_t *)text, strlen(text), true, false);
}

static enum dos_status dos_con_read_key(struct dos *d, bool echo, uint8_t *c)
{
	enum dos_status status = std_getc(d, c);
	if (status == DOS_DONE && echo)
		std_write(d, c, 1, true);
	return status;
}

/*
 * The line editor of function 0Ah and cooked CON reads: printable keys are
 * added and echoed, Backspace removes, Esc starts over on a new line, Enter
 * ends. It keeps its line in d->line between runs of the call (each run
 * stops where it needs a key). Returns DOS_DONE when Enter came (or the
 * host's input ended).
 */
static enum dos_status edit_line(struct dos *d, unsigned max, bool std)
{
	uint8_t c;
	enum dos_status (*getc)(struct dos *, uint8_t *) = std ? std_getc : con_getc;

	if (!d->line.active) {
		d->line.active = true;
		d->line.len = 0;
	}
	for (;;) {
		enum dos_status status = getc(d, &c);
		if (status != DOS_DONE)
			return status;
		if (c == KEY_CR || (c == KEY_EOF && (d->stdin_eof || (std && std_redirected(d))))) {
			d->line.active = false;
			return DOS_DONE;
		}
		if (c == 0) {
			/* The editing keys (F1-F6, arrows) are not offered: drop
			 * the scan code that follows. */
			uint8_t scan;
			if (getc(d, &scan) != DOS_DONE)
				return DOS_NEED_KEY;
			continue;
		}
		if (c == KEY_BACKSPACE) {
			if (d->line.len) {
				d->line.len--;
				con_echo(d, "\b \b");
			}
		} else if (c == KEY_ESC) {
			con_echo(d, "\\\r\n");
			d->line.len = 0;
		} else if (d->line.len + 1 >= max) {
			con_echo(d, "\a");
		} else {
			d->line.text[d->line.len++] = c;
			if (std)
				std_write(d, &c, 1, true);
			else
				dos_con_write(d, &c, 1, true, false);
		}
	}
}

/* 0Ah: DS:DX holds the maximum (with the CR), the count, then the text. */
static enum dos_status buffered_input(struct dos *d, struct vdh_regs *r)
{
	uint32_t buf = dos_linear(r->ds, reg16(r->edx));
	uint8_t max;
	enum dos_status status;

	if (dos_mem_read8(&d->mem, buf, &max) || max == 0)
		return DOS_DONE;
	status = edit_line(d, max, true);
	if (status != DOS_DONE)
		return status;
	d->line.text[d->line.len] = KEY_CR;
	std_write(d, (const uint8_t *)"\r", 1, true);
	(void)dos_mem_write8(&d->mem, buf + 1, (uint8_t)d->line.len);
	(void)dos_mem_write(&d->mem, buf + 2, d->line.text, d->line.len + 1);
	return DOS_DONE;
}

enum dos_status dos_con_read(struct dos *d, bool cooked, uint8_t *buf, uint16_t len,
			     uint16_t *done)
{
	*done = 0;
	if (!cooked) {
		/* Raw: the keys as they come, one call's worth at a time. */
		uint8_t c;
		enum dos_status status;
		if (len == 0)
			return DOS_DONE;
		status = con_getc(d, &c);
		if (status != DOS_DONE)
			return status;
		if (c == KEY_EOF && d->stdin_eof)
			return DOS_DONE;
		buf[0] = c;
		*done = 1;
		return DOS_DONE;
	}
	if (d->con_pending_pos >= d->con_pending_len) {
		/* A new line: from the host's stdin as a redirected file would
		 * give it, without echo; from the keyboard, edited and echoed. */
		enum dos_status status;
		bool echo = !d->config.stdin_host;
		bool saved_screen = d->config.console_screen, saved_stdio = d->config.console_stdio;
		if (d->stdin_eof && !d->key_count)
			return DOS_DONE;
		if (!echo)
			d->config.console_screen = d->config.console_stdio = false;
		status = edit_line(d, DOS_LINE_MAX - 1, false);
		d->config.console_screen = saved_screen;
		d->config.console_stdio = saved_stdio;
		if (status != DOS_DONE)
			return status;
		if (d->stdin_eof && d->line.len == 0)
			return DOS_DONE;
		memcpy(d->con_pending, d->line.text, d->line.len);
		d->con_pending[d->line.len] = KEY_CR;
		d->con_pending[d->line.len + 1] = KEY_LF;
		d->con_pending_len = d->line.len + 2;
		d->con_pending_pos = 0;
		if (echo)
			con_echo(d, "\r\n");
	}
	while (*done < len && d->con_pending_pos < d->con_pending_len)
		buf[(*done)++] = d->con_pending[d->con_pending_pos++];
	return DOS_DONE;
}

/* 01h-0Ch */
enum dos_status dos_fn_char_io(struct dos *d, struct vdh_regs *r)
{
	uint8_t function = reg_hi(r->eax);
	uint8_t c = reg_lo(r->edx);
	enum dos_status status;
	bool waiting;

	if (function == 0x0C) {
		/* Flush the keyboard (not the host's input: that is a file
		 * to DOS), then one of the input functions. */
		if (!d->flushed && !d->config.stdin_host)
			d->key_count = 0;
		d->flushed = true;
		function = reg_lo(r->eax);
		if (function != 0x01 && function != 0x06 && function != 0x07 && function != 0x08 &&
		    function != 0x0A) {
			set_reg_lo(&r->eax, 0);
			return DOS_DONE;
		}
	}
	switch (function) {
	case 0x01:
	case 0x07:
	case 0x08:
		status = dos_con_read_key(d, function == 0x01, &c);
		if (status == DOS_DONE)
			set_reg_lo(&r->eax, c);
		return status;
	case 0x02:
		std_write(d, &c, 1, true);
		set_reg_lo(&r->eax, c == KEY_TAB ? ' ' : c);
		return DOS_DONE;
	case 0x03:
		/* AUX: nothing is attached, it reads as end of file. */
		set_reg_lo(&r->eax, KEY_EOF);
		return DOS_DONE;
	case 0x04:
	case 0x05:
		/* AUX and PRN output goes nowhere. */
		return DOS_DONE;
	case 0x06:
		if (c != 0xFF) {
			std_write(d, &c, 1, false);
			set_reg_lo(&r->eax, c);
			return DOS_DONE;
		}
		status = std_key_waiting(d, &waiting);
		if (status != DOS_DONE)
			return status;
		dos_set_zf(r, !waiting);
		set_reg_lo(&r->eax, 0);
		if (waiting && std_getc(d, &c) == DOS_DONE)
			set_reg_lo(&r->eax, c);
		return DOS_DONE;
	case 0x09: {
		uint8_t chunk[256];
		uint16_t off = reg16(r->edx);
		/* Up to a segment's worth, to the '$'. */
		for (uint32_t done = 0; done < 0x10000;) {
			size_t n = 0;
			for (; n < sizeof(chunk) && done < 0x10000; n++, done++) {
				if (dos_mem_read8(&d->mem, dos_linear(r->ds, (uint16_t)(off + done)),
						  &chunk[n]) || chunk[n] == '$')
					break;
			}
			std_write(d, chunk, n, true);
			if (n < sizeof(chunk))
				break;
		}
		set_reg_lo(&r->eax, '$');
		return DOS_DONE;
	}
	case 0x0A:
		return buffered_input(d, r);
	case 0x0B:
		status = std_key_waiting(d, &waiting);
		if (status == DOS_DONE)
			set_reg_lo(&r->eax, waiting ? 0xFF : 0x00);
		return status;
	}
	return dos_fail(d, r, DOS_EINVAL_FUNCTION);
}
