/* test_io.c: the 64 KiB port space: claims, and how accesses of each size reach the hooks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "io.h"
#include "log.h"

/* One handler call, in the order the devices saw them. */
enum op { OP_INB, OP_INW, OP_IND, OP_OUTB, OP_OUTW, OP_OUTD };

struct call {
	enum op op;
	const struct dev *dev;
	uint16_t port;
	uint32_t value;
};

struct fixture {
	struct io_space io;
	struct call calls[16];
	unsigned ncalls;
};

/* A device that answers byte reads with tag + (port & 0xF), so the port read shows, and wider
 * reads with fixed values, so the handler used shows. */
struct dev {
	struct fixture *f;
	uint8_t tag;
	uint16_t word;
	uint32_t dword;
};

static void record(struct dev *d, enum op op, uint16_t port, uint32_t value)
{
	struct fixture *f = d->f;

	assert_true(f->ncalls < sizeof(f->calls) / sizeof(f->calls[0]));
	f->calls[f->ncalls++] = (struct call){ op, d, port, value };
}

static uint8_t dev_inb(void *opaque, uint16_t port)
{
	struct dev *d = opaque;
	uint8_t v = (uint8_t)(d->tag + (port & 0xF));

	record(d, OP_INB, port, v);
	return v;
}

static uint16_t dev_inw(void *opaque, uint16_t port)
{
	struct dev *d = opaque;

	record(d, OP_INW, port, d->word);
	return d->word;
}

static uint32_t dev_ind(void *opaque, uint16_t port)
{
	struct dev *d = opaque;

	record(d, OP_IND, port, d->dword);
	return d->dword;
}

static void dev_outb(void *opaque, uint16_t port, uint8_t value)
{
	record(opaque, OP_OUTB, port, value);
}

static void dev_outw(void *opaque, uint16_t port, uint16_t value)
{
	record(opaque, OP_OUTW, port, value);
}

static void dev_outd(void *opaque, uint16_t port, uint32_t value)
{
	record(opaque, OP_OUTD, port, value);
}

static const struct vdh_io_ops byte_ops = { .inb = dev_inb, .outb = dev_outb };
static const struct vdh_io_ops word_ops = {
	.inb = dev_inb, .inw = dev_inw, .outb = dev_outb, .outw = dev_outw,
};
static const struct vdh_io_ops dword_ops = {
	.inb = dev_inb, .inw = dev_inw, .ind = dev_ind,
	.outb = dev_outb, .outw = dev_outw, .outd = dev_outd,
};
static const struct vdh_io_ops no_ops = { 0 };

/* Owners only need distinct addresses. */
static const int owner_a, owner_b;

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(io_space_init(&f->io), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* Released first so every test but the one about it stays clear of io_space_finish
	 * freeing a multi-port hook and then reading it through the hook's next port. */
	io_release_owner(&f->io, &owner_a);
	io_release_owner(&f->io, &owner_b);
	io_space_finish(&f->io);
	free(f);
	return 0;
}

static struct dev make_dev(struct fixture *f, uint8_t tag)
{
	return (struct dev){ .f = f, .tag = tag, .word = (uint16_t)(tag << 8 | 0x77),
			     .dword = (uint32_t)tag << 24 | 0x123456 };
}

static void claim(struct fixture *f, uint16_t first, uint32_t count, const struct vdh_io_ops *ops,
		  struct dev *d, const void *owner)
{
	const struct io_hook *conflict = NULL;

	assert_int_equal(io_claim(&f->io, first, count, ops, d, owner, "dev", &conflict), 0);
	assert_null(conflict);
}

static void assert_call(const struct fixture *f, unsigned i, enum op op, const struct dev *d,
			uint16_t port, uint32_t value)
{
	assert_true(i < f->ncalls);
	assert_int_equal(f->calls[i].op, op);
	assert_ptr_equal(f->calls[i].dev, d);
	assert_int_equal(f->calls[i].port, port);
	assert_int_equal(f->calls[i].value, value);
}

/* For tests about where accesses go, not in what order: the call must be among those made. */
static void assert_has_call(const struct fixture *f, enum op op, const struct dev *d,
			   uint16_t port, uint32_t value)
{
	for (unsigned i = 0; i < f->ncalls; i++) {
		const struct call *c = &f->calls[i];
		if (c->op == op && c->dev == d && c->port == port && c->value == value)
			return;
	}
	fail_msg("no call op %d port 0x%04x value 0x%x among %u calls", (int)op, port, value,
		 f->ncalls);
}

/* Runs fn with stderr going to a buffer, so a test can see what was logged. */
static void capture_stderr(void (*fn)(struct fixture *), struct fixture *f, char *buf,
			   size_t size)
{
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	fn(f);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = 0;
	fclose(tmp);
}

static unsigned count_occurrences(const char *text, const char *needle)
{
	unsigned n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- claims ---- */

static void test_claim_points_every_port_of_range_at_one_hook(void **state)
{
	struct fixture *f = *state;
	struct dev d = make_dev(f, 0x20);
	const struct io_hook *h;

	claim(f, 0x3F8, 8, &byte_ops, &d, &owner_a);
	h = f->io.port[0x3F8];
	assert_non_null(h);
	assert_int_equal(h->first, 0x3F8);
	assert_int_equal(h->count, 8);
	assert_ptr_equal(h->ops, &byte_ops);
	assert_ptr_equal(h->opaque, &d);
	assert_ptr_equal(h->owner, &owner_a);
	assert_string_equal(h->owner_name, "dev");
	assert_ptr_equal(f->io.port[0x3FF], h);
	assert_null(f->io.port[0x3F7]);
	assert_null(f->io.port[0x400]);
}

static void test_claim_of_taken_port_fails_busy_naming_holder(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);
	const struct io_hook *conflict = NULL;

	claim(f, 0x60, 1, &byte_ops, &a, &owner_a);
	/* Only the last port of the new range is taken. */
	assert_int_equal(io_claim(&f->io, 0x5C, 5, &byte_ops, &b, &owner_b, "b", &conflict),
			 -EBUSY);
	assert_non_null(conflict);
	assert_ptr_equal(conflict->owner, &owner_a);
	assert_int_equal(conflict->first, 0x60);
	/* A refused claim leaves no half of itself behind. */
	for (uint16_t p = 0x5C; p < 0x60; p++)
		assert_null(f->io.port[p]);
	assert_ptr_equal(f->io.port[0x60]->opaque, &a);
}

static void test_claim_by_same_owner_of_taken_port_also_fails(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);
	const struct io_hook *conflict = NULL;

	claim(f, 0x60, 2, &byte_ops, &a, &owner_a);
	assert_int_equal(io_claim(&f->io, 0x61, 1, &byte_ops, &a, &owner_a, "a", &conflict),
			 -EBUSY);
	assert_ptr_equal(conflict, f->io.port[0x60]);
}

static void test_claim_of_adjacent_ranges_succeeds(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	claim(f, 0x20, 2, &byte_ops, &a, &owner_a);
	claim(f, 0x22, 2, &byte_ops, &b, &owner_b);
	claim(f, 0x1E, 2, &byte_ops, &b, &owner_b);
	assert_ptr_equal(f->io.port[0x21]->opaque, &a);
	assert_ptr_equal(f->io.port[0x22]->opaque, &b);
	assert_ptr_equal(f->io.port[0x1F]->opaque, &b);
}

static void test_claim_of_last_port_succeeds(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0xFFFF, 1, &byte_ops, &a, &owner_a);
	assert_ptr_equal(f->io.port[0xFFFF]->opaque, &a);
}

static void test_claim_of_whole_port_space_succeeds(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0, IO_PORTS, &byte_ops, &a, &owner_a);
	assert_ptr_equal(f->io.port[0], f->io.port[0xFFFF]);
}

static void test_claim_past_ffff_fails_einval(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);
	const struct io_hook *conflict = NULL;

	assert_int_equal(io_claim(&f->io, 0xFFFF, 2, &byte_ops, &a, &owner_a, "a", &conflict),
			 -EINVAL);
	assert_int_equal(io_claim(&f->io, 0, IO_PORTS + 1, &byte_ops, &a, &owner_a, "a",
				  &conflict), -EINVAL);
	assert_null(f->io.port[0xFFFF]);
	assert_null(f->io.port[0]);
}

static void test_claim_with_count_wrapping_32_bits_fails_einval(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);
	const struct io_hook *conflict = NULL;

	/* first + count is 2^32: a range far past 0xFFFF, even though the sum wraps to 0. */
	assert_int_equal(io_claim(&f->io, 1, UINT32_MAX, &byte_ops, &a, &owner_a, "a",
				  &conflict), -EINVAL);
	assert_null(f->io.port[1]);
}

static void test_claim_of_no_ports_fails_einval(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);
	const struct io_hook *conflict = NULL;

	assert_int_equal(io_claim(&f->io, 0x60, 0, &byte_ops, &a, &owner_a, "a", &conflict),
			 -EINVAL);
}

/* ---- release ---- */

static void test_release_owner_frees_all_and_only_its_ports(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	claim(f, 0x20, 2, &byte_ops, &a, &owner_a);
	claim(f, 0x40, 4, &byte_ops, &b, &owner_b);
	claim(f, 0xA0, 2, &byte_ops, &a, &owner_a);
	io_release_owner(&f->io, &owner_a);
	assert_null(f->io.port[0x20]);
	assert_null(f->io.port[0x21]);
	assert_null(f->io.port[0xA0]);
	assert_null(f->io.port[0xA1]);
	assert_ptr_equal(f->io.port[0x43]->opaque, &b);
	assert_int_equal(io_read(&f->io, 0x20, 1), 0xFF);
	assert_int_equal(io_read(&f->io, 0x41, 1), 0x41);
	/* The ports can be claimed again, by anybody. */
	claim(f, 0x20, 2, &byte_ops, &b, &owner_b);
}

static void test_release_of_owner_without_ports_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x20, 2, &byte_ops, &a, &owner_a);
	io_release_owner(&f->io, &owner_b);
	assert_ptr_equal(f->io.port[0x20]->opaque, &a);
}

static void test_finish_frees_hooks_still_claimed(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);
	struct io_space io;
	int status;
	pid_t pid;

	/* A machine torn down with its VDDs still attached: finish frees their hooks. A use
	 * after free aborts the process under ASan, so the teardown runs in a child. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const struct io_hook *conflict = NULL;
		if (io_space_init(&io) < 0 ||
		    io_claim(&io, 0x20, 2, &byte_ops, &a, &owner_a, "a", &conflict) < 0 ||
		    io_claim(&io, 0x3F8, 8, &byte_ops, &a, &owner_a, "a", &conflict) < 0)
			_exit(2);
		io_space_finish(&io);
		_exit(io.port == NULL && io.unclaimed_logged == NULL ? 0 : 3);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- byte accesses ---- */

static void test_byte_read_goes_to_inb_of_port_owner(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	claim(f, 0x20, 2, &byte_ops, &a, &owner_a);
	claim(f, 0x22, 2, &byte_ops, &b, &owner_b);
	assert_int_equal(io_read(&f->io, 0x21, 1), 0x21);
	assert_int_equal(io_read(&f->io, 0x22, 1), 0x42);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INB, &a, 0x21, 0x21);
	assert_call(f, 1, OP_INB, &b, 0x22, 0x42);
}

static void test_byte_write_goes_to_outb_of_port_owner(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x20, 2, &byte_ops, &a, &owner_a);
	io_write(&f->io, 0x21, 1, 0x1234ABCD);
	assert_int_equal(f->ncalls, 1);
	assert_call(f, 0, OP_OUTB, &a, 0x21, 0xCD);
}

static void test_unclaimed_port_reads_all_ones_at_every_size(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(io_read(&f->io, 0x300, 1), 0xFF);
	assert_int_equal(io_read(&f->io, 0x300, 2), 0xFFFF);
	assert_int_equal(io_read(&f->io, 0x300, 4), 0xFFFFFFFF);
}

static void test_write_to_unclaimed_port_is_dropped(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	/* Neighbours on both sides must not hear it. */
	claim(f, 0x2FF, 1, &dword_ops, &a, &owner_a);
	claim(f, 0x304, 1, &dword_ops, &a, &owner_a);
	io_write(&f->io, 0x300, 1, 0x11);
	io_write(&f->io, 0x300, 2, 0x2222);
	io_write(&f->io, 0x300, 4, 0x33333333);
	assert_int_equal(f->ncalls, 0);
}

static void test_hook_without_inb_reads_all_ones(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	/* A write-only port, like the 8253's mode register. */
	claim(f, 0x43, 1, &no_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0x43, 1), 0xFF);
	assert_int_equal(io_read(&f->io, 0x43, 2), 0xFFFF);
}

static void test_hook_without_outb_drops_write(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x43, 1, &no_ops, &a, &owner_a);
	io_write(&f->io, 0x43, 1, 0x36);
	io_write(&f->io, 0x43, 4, 0x36363636);
	assert_int_equal(f->ncalls, 0);
}

/* ---- word accesses ---- */

static void test_word_access_uses_word_handler_of_hook_owning_both_ports(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x1F0, 8, &word_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0x1F0, 2), 0x2077);
	io_write(&f->io, 0x1F6, 2, 0xBEEF);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INW, &a, 0x1F0, 0x2077);
	assert_call(f, 1, OP_OUTW, &a, 0x1F6, 0xBEEF);
}

static void test_word_access_without_word_handler_splits_into_bytes(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x70, 2, &byte_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0x70, 2), 0x2120);
	assert_int_equal(f->ncalls, 2);
	assert_has_call(f, OP_INB, &a, 0x70, 0x20);
	assert_has_call(f, OP_INB, &a, 0x71, 0x21);
	io_write(&f->io, 0x70, 2, 0xBEEF);
	assert_int_equal(f->ncalls, 4);
	assert_has_call(f, OP_OUTB, &a, 0x70, 0xEF);
	assert_has_call(f, OP_OUTB, &a, 0x71, 0xBE);
}
static void test_word_access_across_two_hooks_goes_byte_by_byte_to_each(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	/* Both have word handlers, but neither owns both ports. */
	claim(f, 0x60, 1, &word_ops, &a, &owner_a);
	claim(f, 0x61, 1, &word_ops, &b, &owner_b);
	assert_int_equal(io_read(&f->io, 0x60, 2), 0x4120);
	assert_int_equal(f->ncalls, 2);
	assert_has_call(f, OP_INB, &a, 0x60, 0x20);
	assert_has_call(f, OP_INB, &b, 0x61, 0x41);
	io_write(&f->io, 0x60, 2, 0x1234);
	assert_int_equal(f->ncalls, 4);
	assert_has_call(f, OP_OUTB, &a, 0x60, 0x34);
	assert_has_call(f, OP_OUTB, &b, 0x61, 0x12);
}
static void test_word_access_on_last_port_of_hook_reads_ones_past_it(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x60, 2, &word_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0x61, 2), 0xFF21);
	io_write(&f->io, 0x61, 2, 0xABCD);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INB, &a, 0x61, 0x21);
	assert_call(f, 1, OP_OUTB, &a, 0x61, 0xCD);
}

static void test_word_access_at_port_ffff_does_not_wrap_to_port_0(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	claim(f, 0xFFFF, 1, &word_ops, &a, &owner_a);
	claim(f, 0, 1, &word_ops, &b, &owner_b);
	assert_int_equal(io_read(&f->io, 0xFFFF, 2), 0xFF2F);
	io_write(&f->io, 0xFFFF, 2, 0x5AA5);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INB, &a, 0xFFFF, 0x2F);
	assert_call(f, 1, OP_OUTB, &a, 0xFFFF, 0xA5);
}

/* ---- dword accesses ---- */

static void test_dword_access_uses_dword_handler(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0xCF8, 8, &dword_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0xCFC, 4), 0x20123456);
	io_write(&f->io, 0xCF8, 4, 0x80001234);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_IND, &a, 0xCFC, 0x20123456);
	assert_call(f, 1, OP_OUTD, &a, 0xCF8, 0x80001234);
}

static void test_dword_access_without_dword_handler_uses_two_word_accesses(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x1F0, 8, &word_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0x1F0, 4), 0x20772077);
	assert_int_equal(f->ncalls, 2);
	assert_has_call(f, OP_INW, &a, 0x1F0, 0x2077);
	assert_has_call(f, OP_INW, &a, 0x1F2, 0x2077);
	io_write(&f->io, 0x1F0, 4, 0xCAFEBABE);
	assert_int_equal(f->ncalls, 4);
	assert_has_call(f, OP_OUTW, &a, 0x1F0, 0xBABE);
	assert_has_call(f, OP_OUTW, &a, 0x1F2, 0xCAFE);
}
static void test_dword_access_on_byte_only_hook_goes_byte_by_byte(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x80, 4, &byte_ops, &a, &owner_a);
	assert_int_equal(io_read(&f->io, 0x80, 4), 0x23222120);
	assert_int_equal(f->ncalls, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_has_call(f, OP_INB, &a, (uint16_t)(0x80 + i), 0x20 + i);
	io_write(&f->io, 0x80, 4, 0x44332211);
	assert_int_equal(f->ncalls, 8);
	for (unsigned i = 0; i < 4; i++)
		assert_has_call(f, OP_OUTB, &a, (uint16_t)(0x80 + i), 0x11 * (i + 1));
}
static void test_dword_access_across_hooks_splits_to_words_then_bytes(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	/* a has a dword handler but owns only half; b owns one port; the last is unclaimed. */
	claim(f, 0x100, 2, &dword_ops, &a, &owner_a);
	claim(f, 0x102, 1, &dword_ops, &b, &owner_b);
	assert_int_equal(io_read(&f->io, 0x100, 4), 0xFF422077);
	assert_int_equal(f->ncalls, 2);
	assert_has_call(f, OP_INW, &a, 0x100, 0x2077);
	assert_has_call(f, OP_INB, &b, 0x102, 0x42);
	io_write(&f->io, 0x100, 4, 0x87654321);
	assert_int_equal(f->ncalls, 4);
	assert_has_call(f, OP_OUTW, &a, 0x100, 0x4321);
	assert_has_call(f, OP_OUTB, &b, 0x102, 0x65);
}
static void test_dword_access_near_top_does_not_wrap_to_port_0(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	claim(f, 0xFFFE, 2, &word_ops, &a, &owner_a);
	claim(f, 0, 2, &word_ops, &b, &owner_b);
	assert_int_equal(io_read(&f->io, 0xFFFE, 4), 0xFFFF2077);
	io_write(&f->io, 0xFFFE, 4, 0x12345678);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INW, &a, 0xFFFE, 0x2077);
	assert_call(f, 1, OP_OUTW, &a, 0xFFFE, 0x5678);
}

/* ---- the order of split accesses ---- */

/* The AT bus controller splits a wide access to an 8-bit device low byte first; devices
 * with paired ports (an index latched by one port and used by the next, a counter latched
 * by reading its low byte) see the guest's order, so it must not be left to the compiler. */

static void test_split_word_read_reads_low_port_first(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x70, 2, &byte_ops, &a, &owner_a);
	(void)io_read(&f->io, 0x70, 2);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INB, &a, 0x70, 0x20);
	assert_call(f, 1, OP_INB, &a, 0x71, 0x21);
}

static void test_split_word_write_writes_low_port_first(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x70, 2, &byte_ops, &a, &owner_a);
	io_write(&f->io, 0x70, 2, 0xBEEF);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_OUTB, &a, 0x70, 0xEF);
	assert_call(f, 1, OP_OUTB, &a, 0x71, 0xBE);
}

static void test_split_dword_read_reads_ports_in_ascending_order(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x80, 4, &byte_ops, &a, &owner_a);
	(void)io_read(&f->io, 0x80, 4);
	assert_int_equal(f->ncalls, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_call(f, i, OP_INB, &a, (uint16_t)(0x80 + i), 0x20 + i);
}

static void test_split_dword_read_reads_low_word_first(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20), b = make_dev(f, 0x40);

	/* Two word devices side by side: only the dword level splits. */
	claim(f, 0x1F0, 2, &word_ops, &a, &owner_a);
	claim(f, 0x1F2, 2, &word_ops, &b, &owner_b);
	assert_int_equal(io_read(&f->io, 0x1F0, 4), 0x40772077);
	assert_int_equal(f->ncalls, 2);
	assert_call(f, 0, OP_INW, &a, 0x1F0, 0x2077);
	assert_call(f, 1, OP_INW, &b, 0x1F2, 0x4077);
}

static void test_split_dword_write_writes_ports_in_ascending_order(void **state)
{
	struct fixture *f = *state;
	struct dev a = make_dev(f, 0x20);

	claim(f, 0x80, 4, &byte_ops, &a, &owner_a);
	io_write(&f->io, 0x80, 4, 0x44332211);
	assert_int_equal(f->ncalls, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_call(f, i, OP_OUTB, &a, (uint16_t)(0x80 + i), 0x11 * (i + 1));
}

/* ---- the unclaimed-port note ---- */

static void touch_port_300_three_times(struct fixture *f)
{
	log_set_level(LOG_DEBUG);
	(void)io_read(&f->io, 0x300, 1);
	io_write(&f->io, 0x300, 1, 0);
	(void)io_read(&f->io, 0x300, 2);
	log_set_level(LOG_WARN);
}

static void test_unclaimed_port_is_noted_once_not_per_access(void **state)
{
	struct fixture *f = *state;
	char text[4096];

	/* A guest polling a missing device would otherwise flood the log. */
	capture_stderr(touch_port_300_three_times, f, text, sizeof(text));
	assert_int_equal(count_occurrences(text, "port 0x0300"), 1);
	/* The word read also touched 0x301, a port of its own. */
	assert_int_equal(count_occurrences(text, "port 0x0301"), 1);
	assert_non_null(strstr(text, "guest read port 0x0300"));
}

#define IO_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IO_TEST(test_claim_points_every_port_of_range_at_one_hook),
		IO_TEST(test_claim_of_taken_port_fails_busy_naming_holder),
		IO_TEST(test_claim_by_same_owner_of_taken_port_also_fails),
		IO_TEST(test_claim_of_adjacent_ranges_succeeds),
		IO_TEST(test_claim_of_last_port_succeeds),
		IO_TEST(test_claim_of_whole_port_space_succeeds),
		IO_TEST(test_claim_past_ffff_fails_einval),
		IO_TEST(test_claim_with_count_wrapping_32_bits_fails_einval),
		IO_TEST(test_claim_of_no_ports_fails_einval),
		IO_TEST(test_release_owner_frees_all_and_only_its_ports),
		IO_TEST(test_release_of_owner_without_ports_changes_nothing),
		IO_TEST(test_finish_frees_hooks_still_claimed),
		IO_TEST(test_byte_read_goes_to_inb_of_port_owner),
		IO_TEST(test_byte_write_goes_to_outb_of_port_owner),
		IO_TEST(test_unclaimed_port_reads_all_ones_at_every_size),
		IO_TEST(test_write_to_unclaimed_port_is_dropped),
		IO_TEST(test_hook_without_inb_reads_all_ones),
		IO_TEST(test_hook_without_outb_drops_write),
		IO_TEST(test_word_access_uses_word_handler_of_hook_owning_both_ports),
		IO_TEST(test_word_access_without_word_handler_splits_into_bytes),
		IO_TEST(test_word_access_across_two_hooks_goes_byte_by_byte_to_each),
		IO_TEST(test_word_access_on_last_port_of_hook_reads_ones_past_it),
		IO_TEST(test_word_access_at_port_ffff_does_not_wrap_to_port_0),
		IO_TEST(test_dword_access_uses_dword_handler),
		IO_TEST(test_dword_access_without_dword_handler_uses_two_word_accesses),
		IO_TEST(test_dword_access_on_byte_only_hook_goes_byte_by_byte),
		IO_TEST(test_dword_access_across_hooks_splits_to_words_then_bytes),
		IO_TEST(test_dword_access_near_top_does_not_wrap_to_port_0),
		IO_TEST(test_split_word_read_reads_low_port_first),
		IO_TEST(test_split_word_write_writes_low_port_first),
		IO_TEST(test_split_dword_read_reads_ports_in_ascending_order),
		IO_TEST(test_split_dword_read_reads_low_word_first),
		IO_TEST(test_split_dword_write_writes_ports_in_ascending_order),
		IO_TEST(test_unclaimed_port_is_noted_once_not_per_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
