/* test_props.c: a VDD's typed properties: its table, the user's key=value and the getters. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "props.h"

/* The table of a serial port VDD, as a module would declare it. */
static const struct vdh_prop_spec serial_spec[] = {
	{ "irq", VDH_PROP_INT, "4", 0, 15, "IRQ line" },
	{ "base", VDH_PROP_INT, "0x3f8", 0, 0xFFFF, "first port" },
	{ "fifo", VDH_PROP_BOOL, "on", 0, 0, "16550A FIFO" },
	{ "log", VDH_PROP_STRING, "com1.txt", 0, 0, "where output goes" },
	{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
};

struct fixture {
	struct vdh_props *props;
	char err[512];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	props_destroy(f->props);
	free(f);
	return 0;
}

/* props_create for serial_spec with the given assignments, as vdd "com1". */
static int create_with(struct fixture *f, const char *const *assignments, size_t count)
{
	props_destroy(f->props);
	f->props = NULL;
	f->err[0] = 0;
	return props_create(serial_spec, "com1", assignments, count, &f->props, f->err,
			    sizeof(f->err));
}

#define CREATE(f, ...) \
	create_with((f), (const char *const[]){ __VA_ARGS__ }, \
		    sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static int check(const struct vdh_prop_spec *spec, struct fixture *f)
{
	f->err[0] = 0;
	return props_check_spec(spec, f->err, sizeof(f->err));
}

/* What a getter logged: runs it with stderr going to a buffer. */
struct captured {
	char text[1024];
	int64_t value;
	const char *string;
};

static void capture_stderr_begin(FILE **tmp, int *saved)
{
	*tmp = tmpfile();
	assert_non_null(*tmp);
	fflush(stderr);
	*saved = dup(STDERR_FILENO);
	assert_true(*saved >= 0);
	assert_true(dup2(fileno(*tmp), STDERR_FILENO) >= 0);
}

static void capture_stderr_end(FILE *tmp, int saved, char *buf, size_t size)
{
	size_t n;

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = 0;
	fclose(tmp);
}

/* ---- props_check_spec: the VDD's own table ---- */

static void test_check_spec_accepts_valid_table(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(serial_spec, f), 0);
}

static void test_check_spec_accepts_missing_table(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec empty[] = { { NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL } };

	/* A VDD without properties may leave the table out or give just the end marker. */
	assert_int_equal(check(NULL, f), 0);
	assert_int_equal(check(empty, f), 0);
}

static void test_check_spec_refuses_empty_name(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "irq", VDH_PROP_INT, "4", 0, 15, NULL },
		{ "", VDH_PROP_BOOL, "on", 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(check(spec, f), -EINVAL);
	assert_string_equal(f->err, "property 1 has an unusable name ''");
}

static void test_check_spec_refuses_name_the_command_line_cannot_spell(void **state)
{
	struct fixture *f = *state;
	/* `--vdd com1:a=b=1,c=2` splits at the first '=' and at ','. */
	static const struct vdh_prop_spec with_equals[] = {
		{ "a=b", VDH_PROP_BOOL, "on", 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};
	static const struct vdh_prop_spec with_comma[] = {
		{ "a,b", VDH_PROP_BOOL, "on", 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(check(with_equals, f), -EINVAL);
	assert_string_equal(f->err, "property 0 has an unusable name 'a=b'");
	assert_int_equal(check(with_comma, f), -EINVAL);
	assert_string_equal(f->err, "property 0 has an unusable name 'a,b'");
}

static void test_check_spec_refuses_duplicate_name(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "irq", VDH_PROP_INT, "4", 0, 15, NULL },
		{ "base", VDH_PROP_INT, "0x3f8", 0, 0xFFFF, NULL },
		{ "irq", VDH_PROP_INT, "3", 0, 15, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(check(spec, f), -EINVAL);
	assert_string_equal(f->err, "property 'irq' is declared twice");
}

static void test_check_spec_refuses_int_default_out_of_range(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "irq", VDH_PROP_INT, "16", 0, 15, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(check(spec, f), -EINVAL);
	assert_string_equal(f->err, "property 'irq' has a default '16' that is not an integer "
				    "from 0 to 15");
}

static void test_check_spec_refuses_int_without_default(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "irq", VDH_PROP_INT, NULL, 0, 15, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	/* There is no value an unset int could have that the VDD agreed to. */
	assert_int_equal(check(spec, f), -EINVAL);
	assert_string_equal(f->err,
			    "property 'irq' has a default '' that is not an integer from 0 to 15");
}

static void test_check_spec_refuses_bool_default_that_is_no_bool(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "fifo", VDH_PROP_BOOL, "enabled", 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(check(spec, f), -EINVAL);
	assert_string_equal(f->err, "property 'fifo' has a default 'enabled' that is not "
				    "on/off, yes/no, true/false or 1/0");
}

static void test_check_spec_refuses_unknown_type(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "speed", (enum vdh_prop_type)7, "9600", 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	/* A VDD built against a newer API with a type this mvm does not know. */
	assert_int_equal(check(spec, f), -EINVAL);
	assert_non_null(strstr(f->err, "'speed'"));
}

static void test_check_spec_accepts_string_without_default(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "label", VDH_PROP_STRING, NULL, 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(check(spec, f), 0);
}

/* ---- props_create: defaults and assignments ---- */

static void test_create_without_assignments_uses_defaults(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(create_with(f, NULL, 0), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 4);
	assert_int_equal(props_get_int(f->props, "base"), 0x3F8);
	assert_true(props_get_bool(f->props, "fifo"));
	assert_string_equal(props_get_string(f->props, "log"), "com1.txt");
}

static void test_assignment_overrides_default(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=3", "fifo=off", "log=/dev/null"), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 3);
	assert_false(props_get_bool(f->props, "fifo"));
	assert_string_equal(props_get_string(f->props, "log"), "/dev/null");
	/* Unassigned ones keep their defaults. */
	assert_int_equal(props_get_int(f->props, "base"), 0x3F8);
}

static void test_later_assignment_wins(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=3", "log=a.txt", "irq=5", "log=b.txt"), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 5);
	assert_string_equal(props_get_string(f->props, "log"), "b.txt");
}

static void test_bool_accepts_every_spelling_in_any_case(void **state)
{
	struct fixture *f = *state;
	static const char *const yes[] = { "on", "yes", "true", "1", "ON", "Yes", "TRUE" };
	static const char *const no[] = { "off", "no", "false", "0", "OFF", "No", "False" };
	char text[32];

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(text, sizeof(text), "fifo=%s", yes[i]);
		assert_int_equal(CREATE(f, "fifo=off", text), 0);
		assert_true(props_get_bool(f->props, "fifo"));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(text, sizeof(text), "fifo=%s", no[i]);
		assert_int_equal(CREATE(f, "fifo=on", text), 0);
		assert_false(props_get_bool(f->props, "fifo"));
	}
}

static void test_bool_refuses_other_words_saying_what_it_accepts(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "fifo=maybe"), -EINVAL);
	assert_null(f->props);
	assert_string_equal(f->err, "com1: property 'fifo' wants on/off, yes/no, true/false or "
				    "1/0, not 'maybe'");
	assert_int_equal(CREATE(f, "fifo="), -EINVAL);
	assert_int_equal(CREATE(f, "fifo=2"), -EINVAL);
	assert_int_equal(CREATE(f, "fifo=onn"), -EINVAL);
}

static void test_int_accepts_hex_prefix(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "base=0x2f8"), 0);
	assert_int_equal(props_get_int(f->props, "base"), 0x2F8);
	assert_int_equal(CREATE(f, "base=0X2E8"), 0);
	assert_int_equal(props_get_int(f->props, "base"), 0x2E8);
}

static void test_int_accepts_both_ends_of_range(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=0"), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 0);
	assert_int_equal(CREATE(f, "irq=15"), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 15);
	assert_int_equal(CREATE(f, "base=0xffff"), 0);
	assert_int_equal(props_get_int(f->props, "base"), 0xFFFF);
}

static void test_int_refuses_values_outside_range_saying_the_range(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=16"), -EINVAL);
	assert_string_equal(f->err, "com1: property 'irq' wants an integer from 0 to 15, not '16'");
	assert_int_equal(CREATE(f, "irq=-1"), -EINVAL);
	assert_string_equal(f->err, "com1: property 'irq' wants an integer from 0 to 15, not '-1'");
	assert_int_equal(CREATE(f, "base=0x10000"), -EINVAL);
	assert_null(f->props);
}

static void test_int_refuses_text_that_is_not_a_whole_number(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=4x"), -EINVAL);
	assert_string_equal(f->err, "com1: property 'irq' wants an integer from 0 to 15, not '4x'");
	assert_int_equal(CREATE(f, "irq="), -EINVAL);
	assert_int_equal(CREATE(f, "irq=four"), -EINVAL);
	assert_int_equal(CREATE(f, "irq=0x"), -EINVAL);
	assert_int_equal(CREATE(f, "irq=3.5"), -EINVAL);
}

static void test_int_accepts_negative_numbers_in_range(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "skew", VDH_PROP_INT, "0", -1000, 1000, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};
	const char *const assignments[] = { "skew=-0x10" };

	assert_int_equal(props_create(spec, "clock", assignments, 1, &f->props, f->err,
				      sizeof(f->err)), 0);
	assert_int_equal(props_get_int(f->props, "skew"), -16);
}

/* Users mean ten, not eight: no octal. */
static void test_int_with_leading_zero_is_decimal(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=010"), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 10);
	assert_int_equal(CREATE(f, "irq=08"), 0);
	assert_int_equal(props_get_int(f->props, "irq"), 8);
	assert_int_equal(CREATE(f, "irq= 8"), -EINVAL);
	assert_int_equal(CREATE(f, "irq=+8"), -EINVAL);
}

static void test_int_spans_full_64_bit_range_and_refuses_overflow(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "n", VDH_PROP_INT, "0", INT64_MIN, INT64_MAX, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};
	const char *const min[] = { "n=-9223372036854775808" };
	const char *const max[] = { "n=0x7fffffffffffffff" };
	const char *const over[] = { "n=9223372036854775808" };

	assert_int_equal(props_create(spec, "t", min, 1, &f->props, f->err, sizeof(f->err)), 0);
	assert_int_equal(props_get_int(f->props, "n"), INT64_MIN);
	props_destroy(f->props);
	f->props = NULL;
	assert_int_equal(props_create(spec, "t", max, 1, &f->props, f->err, sizeof(f->err)), 0);
	assert_int_equal(props_get_int(f->props, "n"), INT64_MAX);
	props_destroy(f->props);
	f->props = NULL;
	/* strtoll would clamp this to INT64_MAX; it must be refused, not clamped. */
	assert_int_equal(props_create(spec, "t", over, 1, &f->props, f->err, sizeof(f->err)),
			 -EINVAL);
	assert_null(f->props);
}

static void test_string_takes_everything_after_first_equals_sign(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "log=a=b,c"), 0);
	assert_string_equal(props_get_string(f->props, "log"), "a=b,c");
	assert_int_equal(CREATE(f, "log="), 0);
	assert_string_equal(props_get_string(f->props, "log"), "");
}

static void test_string_without_default_reads_empty(void **state)
{
	struct fixture *f = *state;
	static const struct vdh_prop_spec spec[] = {
		{ "label", VDH_PROP_STRING, NULL, 0, 0, NULL },
		{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
	};

	assert_int_equal(props_create(spec, "t", NULL, 0, &f->props, f->err, sizeof(f->err)),
			 0);
	assert_string_equal(props_get_string(f->props, "label"), "");
}

static void test_unknown_key_is_refused_listing_known_ones(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq=3", "speed=9600"), -EINVAL);
	assert_null(f->props);
	assert_string_equal(f->err, "com1 has no property 'speed' (it has: irq, base, fifo, log)");
}

static void test_key_that_is_prefix_of_a_name_is_unknown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "ir=3"), -EINVAL);
	assert_string_equal(f->err, "com1 has no property 'ir' (it has: irq, base, fifo, log)");
	assert_int_equal(CREATE(f, "irqs=3"), -EINVAL);
}

static void test_unknown_key_on_vdd_without_properties_says_none(void **state)
{
	struct fixture *f = *state;
	const char *const assignments[] = { "irq=3" };

	assert_int_equal(props_create(NULL, "debugcon", assignments, 1, &f->props, f->err,
				      sizeof(f->err)), -EINVAL);
	assert_null(f->props);
	assert_string_equal(f->err, "debugcon has no property 'irq' (it has: none)");
}

static void test_vdd_without_properties_creates_empty_set(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(props_create(NULL, "debugcon", NULL, 0, &f->props, f->err,
				      sizeof(f->err)), 0);
	assert_non_null(f->props);
}

static void test_assignment_without_equals_sign_is_malformed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "irq"), -EINVAL);
	assert_null(f->props);
	assert_string_equal(f->err, "com1: 'irq' is not key=value");
}

static void test_assignment_with_empty_key_is_malformed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(CREATE(f, "=3"), -EINVAL);
	assert_string_equal(f->err, "com1: '=3' is not key=value");
}

static void test_refused_assignment_after_good_ones_frees_them(void **state)
{
	struct fixture *f = *state;
	static char sentinel;
	struct vdh_props *untouched = (struct vdh_props *)&sentinel;
	const char *const assignments[] = { "log=x.txt", "log=y.txt", "irq=99" };

	/* Strings were already copied when the bad assignment comes; ASan would see a leak.
	 * A refused create must not hand out anything either. */
	assert_int_equal(props_create(serial_spec, "com1", assignments, 3, &untouched, f->err,
				      sizeof(f->err)), -EINVAL);
	assert_ptr_equal(untouched, (struct vdh_props *)&sentinel);
}

static void test_error_message_is_cut_to_buffer_size(void **state)
{
	struct fixture *f = *state;
	char err[16];

	memset(err, 'x', sizeof(err));
	assert_int_equal(props_create(serial_spec, "com1", (const char *const[]){ "speed=1" }, 1,
				      &f->props, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "com1 has no pro");
}

static void test_long_list_of_known_names_is_cut_safely(void **state)
{
	struct fixture *f = *state;
	enum { N = 40 };
	static char names[N][32];
	static struct vdh_prop_spec spec[N + 1];

	/* Far more names than the message has room for. */
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "property_number_%02d", i);
		spec[i] = (struct vdh_prop_spec){ names[i], VDH_PROP_BOOL, "off", 0, 0, NULL };
	}
	spec[N] = (struct vdh_prop_spec){ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL };
	assert_int_equal(check(spec, f), 0);
	assert_int_equal(props_create(spec, "big", (const char *const[]){ "nope=1" }, 1,
				      &f->props, f->err, sizeof(f->err)), -EINVAL);
	assert_true(strncmp(f->err, "big has no property 'nope' (it has: property_number_00, "
				    "property_number_01", 70) == 0);
	assert_true(strlen(f->err) < sizeof(f->err));
}

/* ---- getters ---- */

static void test_getter_for_undeclared_name_returns_zero_and_logs_vdd_bug(void **state)
{
	struct fixture *f = *state;
	struct captured c;
	bool b;
	FILE *tmp;
	int saved;

	assert_int_equal(create_with(f, NULL, 0), 0);
	capture_stderr_begin(&tmp, &saved);
	c.value = props_get_int(f->props, "speed");
	b = props_get_bool(f->props, "parity");
	c.string = props_get_string(f->props, "device");
	capture_stderr_end(tmp, saved, c.text, sizeof(c.text));
	assert_int_equal(c.value, 0);
	assert_false(b);
	assert_string_equal(c.string, "");
	assert_string_equal(c.text,
			    "mvm: VDD bug: asked for int property 'speed', which it did not "
			    "declare\n"
			    "mvm: VDD bug: asked for bool property 'parity', which it did not "
			    "declare\n"
			    "mvm: VDD bug: asked for string property 'device', which it did not "
			    "declare\n");
}

static void test_getter_of_wrong_type_returns_zero(void **state)
{
	struct fixture *f = *state;
	struct captured c;
	FILE *tmp;
	int saved;

	/* irq is 3, fifo is on, log is set: none of it may leak through the wrong getter. */
	assert_int_equal(CREATE(f, "irq=3"), 0);
	capture_stderr_begin(&tmp, &saved);
	c.value = props_get_bool(f->props, "irq");
	c.value += props_get_int(f->props, "fifo");
	c.value += props_get_int(f->props, "log");
	c.string = props_get_string(f->props, "irq");
	capture_stderr_end(tmp, saved, c.text, sizeof(c.text));
	assert_int_equal(c.value, 0);
	assert_string_equal(c.string, "");
	assert_non_null(strstr(c.text, "asked for bool property 'irq'"));
	assert_non_null(strstr(c.text, "asked for string property 'irq'"));
}

static void test_destroy_of_null_does_nothing(void **state)
{
	props_destroy(NULL);
}

static void test_type_names(void **state)
{
	assert_string_equal(props_type_name(VDH_PROP_BOOL), "bool");
	assert_string_equal(props_type_name(VDH_PROP_INT), "int");
	assert_string_equal(props_type_name(VDH_PROP_STRING), "string");
}

#define PROPS_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PROPS_TEST(test_check_spec_accepts_valid_table),
		PROPS_TEST(test_check_spec_accepts_missing_table),
		PROPS_TEST(test_check_spec_refuses_empty_name),
		PROPS_TEST(test_check_spec_refuses_name_the_command_line_cannot_spell),
		PROPS_TEST(test_check_spec_refuses_duplicate_name),
		PROPS_TEST(test_check_spec_refuses_int_default_out_of_range),
		PROPS_TEST(test_check_spec_refuses_int_without_default),
		PROPS_TEST(test_check_spec_refuses_bool_default_that_is_no_bool),
		PROPS_TEST(test_check_spec_refuses_unknown_type),
		PROPS_TEST(test_check_spec_accepts_string_without_default),
		PROPS_TEST(test_create_without_assignments_uses_defaults),
		PROPS_TEST(test_assignment_overrides_default),
		PROPS_TEST(test_later_assignment_wins),
		PROPS_TEST(test_bool_accepts_every_spelling_in_any_case),
		PROPS_TEST(test_bool_refuses_other_words_saying_what_it_accepts),
		PROPS_TEST(test_int_accepts_hex_prefix),
		PROPS_TEST(test_int_accepts_both_ends_of_range),
		PROPS_TEST(test_int_refuses_values_outside_range_saying_the_range),
		PROPS_TEST(test_int_refuses_text_that_is_not_a_whole_number),
		PROPS_TEST(test_int_with_leading_zero_is_decimal),
		PROPS_TEST(test_int_accepts_negative_numbers_in_range),
		PROPS_TEST(test_int_spans_full_64_bit_range_and_refuses_overflow),
		PROPS_TEST(test_string_takes_everything_after_first_equals_sign),
		PROPS_TEST(test_string_without_default_reads_empty),
		PROPS_TEST(test_unknown_key_is_refused_listing_known_ones),
		PROPS_TEST(test_key_that_is_prefix_of_a_name_is_unknown),
		PROPS_TEST(test_unknown_key_on_vdd_without_properties_says_none),
		PROPS_TEST(test_vdd_without_properties_creates_empty_set),
		PROPS_TEST(test_assignment_without_equals_sign_is_malformed),
		PROPS_TEST(test_assignment_with_empty_key_is_malformed),
		PROPS_TEST(test_refused_assignment_after_good_ones_frees_them),
		PROPS_TEST(test_error_message_is_cut_to_buffer_size),
		PROPS_TEST(test_long_list_of_known_names_is_cut_safely),
		PROPS_TEST(test_getter_for_undeclared_name_returns_zero_and_logs_vdd_bug),
		PROPS_TEST(test_getter_of_wrong_type_returns_zero),
		cmocka_unit_test(test_destroy_of_null_does_nothing),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
