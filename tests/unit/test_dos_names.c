/* test_dos_names.c: DOS 8.3 names, wildcards, and the DOS names of host files in a temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "dos_names.h"
#include "dos_test_fs.h"

static char temp_dir[64];

static int setup(void **state)
{
	strcpy(temp_dir, "/tmp/test_dos_names.XXXXXX");
	return mkdtemp(temp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return test_remove_tree(temp_dir);
}

static const struct dos_dirent *entry_by_host(const struct dos_dirlist *list, const char *host)
{
	for (size_t i = 0; i < list->count; i++) {
		if (strcmp(list->entries[i].host, host) == 0)
			return &list->entries[i];
	}
	return NULL;
}

static const char *dos_name_of(const struct dos_dirlist *list, const char *host)
{
	const struct dos_dirent *entry = entry_by_host(list, host);

	return entry ? entry->name : "(missing)";
}

static void assert_fcb(const char *component, bool wildcards, const char *expected)
{
	char fcb[DOS_FCB_NAME];

	assert_true(dos_name_to_fcb(component, strlen(component), wildcards, fcb));
	assert_memory_equal(fcb, expected, DOS_FCB_NAME);
}

static void assert_refused(const char *component, bool wildcards)
{
	char fcb[DOS_FCB_NAME];

	assert_false(dos_name_to_fcb(component, strlen(component), wildcards, fcb));
}

/* MS-DOS 5's valid file name characters; everything else is refused. */
static void test_name_characters(void **state)
{
	const char *allowed = "AZaz09!#$%&'()-@^_`{}~";
	const char *refused = " \"*+,./:;<=>?[\\]|";

	for (const char *c = allowed; *c; c++)
		assert_true(dos_name_char_ok((unsigned char)*c));
	for (const char *c = refused; *c; c++)
		assert_false(dos_name_char_ok((unsigned char)*c));
	for (unsigned c = 0; c < 0x20; c++)
		assert_false(dos_name_char_ok((unsigned char)c));
	assert_true(dos_name_char_ok(0x80));
	assert_true(dos_name_char_ok(0xe5));
	assert_true(dos_name_char_ok(0xff));
	assert_false(dos_name_char_ok(0x7f));
}

/* DOS upper-cases, and cuts the name to 8 and the extension to 3 silently. */
static void test_name_to_fcb(void **state)
{
	assert_fcb("readme.txt", false, "README  TXT");
	assert_fcb("COMMAND.COM", false, "COMMAND COM");
	assert_fcb("Makefile", false, "MAKEFILE   ");
	assert_fcb("a", false, "A          ");
	assert_fcb("trail.", false, "TRAIL      ");
	assert_fcb("longfilename.text", false, "LONGFILETEX");
	assert_fcb("ninechars", false, "NINECHAR   ");
	assert_fcb("{x}~$!.@#%", false, "{X}~$!  @#%");
	assert_fcb("caf\xe9.t\xe8", false, "CAF\xe9    T\xe8 ");
	/* Only the component given counts, not what follows it. */
	char fcb[DOS_FCB_NAME];
	assert_true(dos_name_to_fcb("sub\\file.txt", 3, false, fcb));
	assert_memory_equal(fcb, "SUB        ", DOS_FCB_NAME);
}

static void test_name_to_fcb_refused(void **state)
{
	assert_refused("", false);
	assert_refused(".", false);
	assert_refused("..", false);
	assert_refused(".profile", false);
	assert_refused("a b", false);
	assert_refused("a+b", false);
	assert_refused("a,b", false);
	assert_refused("a;b", false);
	assert_refused("a=b", false);
	assert_refused("a[1]", false);
	assert_refused("a|b", false);
	assert_refused("a\"b", false);
	assert_refused("a<b>", false);
	assert_refused("a.b.c", false);
	assert_refused("tab\there", false);
	/* Characters past the truncation point still have to be valid. */
	assert_refused("longfilename+x", false);
	assert_refused("file.tx+t", false);
	/* Wildcards only where asked for. */
	assert_refused("*.txt", false);
	assert_refused("a?", false);
}

/* '?' stands for one character, '*' fills the rest of its field. */
static void test_name_to_fcb_wildcards(void **state)
{
	assert_fcb("*.*", true, "???????????");
	assert_fcb("*.TXT", true, "????????TXT");
	assert_fcb("a*.*", true, "A??????????");
	assert_fcb("*", true, "????????   ");
	assert_fcb("?", true, "?          ");
	assert_fcb("a?c.t?t", true, "A?C     T?T");
	assert_fcb("ab*xyz.c*", true, "AB??????C??");
	assert_fcb("????????.???", true, "???????????");
	assert_refused("a*b*.t+t", true);
	assert_refused("*.*.*", true);
}

static void test_fcb_to_name(void **state)
{
	char name[DOS_NAME_MAX];

	dos_fcb_to_name("README  TXT", name);
	assert_string_equal(name, "README.TXT");
	dos_fcb_to_name("MAKEFILE   ", name);
	assert_string_equal(name, "MAKEFILE");
	dos_fcb_to_name("COMMAND COM", name);
	assert_string_equal(name, "COMMAND.COM");
	dos_fcb_to_name("LONGNAMETXT", name);
	assert_string_equal(name, "LONGNAME.TXT");
	dos_fcb_to_name("A       B  ", name);
	assert_string_equal(name, "A.B");
}

static void test_fcb_match(void **state)
{
	assert_true(dos_fcb_match("????????TXT", "README  TXT"));
	assert_false(dos_fcb_match("????????TXT", "README  DOC"));
	assert_true(dos_fcb_match("???????????", "MAKEFILE   "));
	/* "*" alone finds only names without an extension. */
	assert_true(dos_fcb_match("????????   ", "MAKEFILE   "));
	assert_false(dos_fcb_match("????????   ", "README  TXT"));
	/* '?' matches the padding too: "A?" finds "A" and "AB". */
	assert_true(dos_fcb_match("A?         ", "A          "));
	assert_true(dos_fcb_match("A?         ", "AB         "));
	assert_false(dos_fcb_match("A?         ", "ABC        "));
	assert_true(dos_fcb_match("README  TXT", "README  TXT"));
	assert_false(dos_fcb_match("README  TXT", "READ    TXT"));
}

/* Upper-case 8.3 names keep themselves, the rest get stable, unique aliases. */
static void test_dir_aliases(void **state)
{
	struct dos_dirlist list;
	char fifo[PATH_MAX], link[PATH_MAX];

	test_make_file(temp_dir, "ABC.TXT", 10, 0644);
	test_make_file(temp_dir, "README.MD", 1, 0644);
	test_make_file(temp_dir, "readme.md", 2, 0644);
	test_make_file(temp_dir, "longername.txt", 3, 0644);
	test_make_file(temp_dir, "longname.txt", 3, 0644);
	test_make_file(temp_dir, "Makefile", 4, 0644);
	test_make_file(temp_dir, ".hidden", 5, 0644);
	test_make_file(temp_dir, "archive.tar.gz", 6, 0644);
	test_make_file(temp_dir, "a b+c.text", 7, 0644);
	test_make_file(temp_dir, "+++", 8, 0644);
	test_make_file(temp_dir, "x~1.txt", 9, 0644);
	test_make_dir(temp_dir, "sub");
	test_make_dir(temp_dir, "Program Files");
	snprintf(fifo, sizeof(fifo), "%s/pipe", temp_dir);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	snprintf(link, sizeof(link), "%s/dangling", temp_dir);
	assert_int_equal(symlink("/nonexistent/nowhere", link), 0);

	assert_int_equal(dos_dir_read(temp_dir, true, &list), 0);
	/* The fifo and the dangling link are left out, no "." at a root. */
	assert_int_equal(list.count, 13);
	for (size_t i = 1; i < list.count; i++)
		assert_true(strcmp(list.entries[i - 1].host, list.entries[i].host) < 0);
	assert_string_equal(dos_name_of(&list, "ABC.TXT"), "ABC.TXT");
	assert_string_equal(dos_name_of(&list, "README.MD"), "README.MD");
	assert_string_equal(dos_name_of(&list, "readme.md"), "README~1.MD");
	assert_string_equal(dos_name_of(&list, "longername.txt"), "LONGER~1.TXT");
	/* Eight characters fit once upper-cased: no alias needed. */
	assert_string_equal(dos_name_of(&list, "longname.txt"), "LONGNAME.TXT");
	assert_string_equal(dos_name_of(&list, "Makefile"), "MAKEFILE");
	assert_string_equal(dos_name_of(&list, ".hidden"), "HIDDEN~1");
	assert_string_equal(dos_name_of(&list, "archive.tar.gz"), "ARCHIV~1.GZ");
	assert_string_equal(dos_name_of(&list, "a b+c.text"), "ABC~1.TEX");
	assert_string_equal(dos_name_of(&list, "+++"), "_~1");
	assert_string_equal(dos_name_of(&list, "x~1.txt"), "X~1.TXT");
	assert_string_equal(dos_name_of(&list, "sub"), "SUB");
	assert_string_equal(dos_name_of(&list, "Program Files"), "PROGRA~1");
	assert_null(entry_by_host(&list, "pipe"));
	assert_null(entry_by_host(&list, "dangling"));
	/* The FCB form agrees with the name. */
	assert_memory_equal(entry_by_host(&list, "longername.txt")->fcb, "LONGER~1TXT", DOS_FCB_NAME);
	assert_non_null(dos_dir_find(&list, "README~1MD "));
	assert_string_equal(dos_dir_find(&list, "README~1MD ")->host, "readme.md");
	assert_string_equal(dos_dir_find(&list, "README  MD ")->host, "README.MD");
	assert_null(dos_dir_find(&list, "NOSUCH     "));
	dos_dir_free(&list);
	assert_null(list.entries);
	assert_int_equal(list.count, 0);
}

/* Without the exact upper-case name, a lower-case one takes its upper-case form. */
static void test_dir_upper_case_form(void **state)
{
	struct dos_dirlist list;

	test_make_file(temp_dir, "readme.md", 1, 0644);
	test_make_file(temp_dir, "Readme.Md", 1, 0644);
	assert_int_equal(dos_dir_read(temp_dir, true, &list), 0);
	/* Sorted by host name: "Readme.Md" < "readme.md", so it comes first. */
	assert_string_equal(dos_name_of(&list, "Readme.Md"), "README.MD");
	assert_string_equal(dos_name_of(&list, "readme.md"), "README~1.MD");
	dos_dir_free(&list);
}

/* The basis shortens as N grows: LONGNA~9, then LONGN~10. */
static void test_dir_many_aliases(void **state)
{
	static const char *const expected[][2] = {
		{ "longname1.txt", "LONGNA~1.TXT" }, { "longname10.txt", "LONGNA~2.TXT" },
		{ "longname11.txt", "LONGNA~3.TXT" }, { "longname12.txt", "LONGNA~4.TXT" },
		{ "longname2.txt", "LONGNA~5.TXT" }, { "longname3.txt", "LONGNA~6.TXT" },
		{ "longname4.txt", "LONGNA~7.TXT" }, { "longname5.txt", "LONGNA~8.TXT" },
		{ "longname6.txt", "LONGNA~9.TXT" }, { "longname7.txt", "LONGN~10.TXT" },
		{ "longname8.txt", "LONGN~11.TXT" }, { "longname9.txt", "LONGN~12.TXT" },
	};
	struct dos_dirlist first, again;

	for (size_t i = 0; i < 12; i++)
		test_make_file(temp_dir, expected[i][0], i, 0644);
	assert_int_equal(dos_dir_read(temp_dir, true, &first), 0);
	assert_int_equal(first.count, 12);
	for (size_t i = 0; i < 12; i++)
		assert_string_equal(dos_name_of(&first, expected[i][0]), expected[i][1]);
	/* The same directory gives the same names again. */
	assert_int_equal(dos_dir_read(temp_dir, true, &again), 0);
	assert_int_equal(again.count, first.count);
	for (size_t i = 0; i < first.count; i++) {
		assert_string_equal(again.entries[i].host, first.entries[i].host);
		assert_string_equal(again.entries[i].name, first.entries[i].name);
	}
	dos_dir_free(&again);
	dos_dir_free(&first);
}

/* Hundreds of names with one basis still all get different aliases. */
static void test_dir_aliases_unique(void **state)
{
	struct dos_dirlist list;
	char name[64];

	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "verylongname%03d.data", i);
		test_make_file(temp_dir, name, 0, 0644);
	}
	test_make_file(temp_dir, "VERYLO~1.DAT", 0, 0644);
	assert_int_equal(dos_dir_read(temp_dir, true, &list), 0);
	assert_int_equal(list.count, 301);
	for (size_t i = 0; i < list.count; i++) {
		assert_true(strlen(list.entries[i].name) <= 12);
		for (size_t j = i + 1; j < list.count; j++)
			assert_memory_not_equal(list.entries[i].fcb, list.entries[j].fcb,
						DOS_FCB_NAME);
	}
	/* The existing 8.3 name keeps its own, the first alias moves on. */
	assert_string_equal(dos_name_of(&list, "VERYLO~1.DAT"), "VERYLO~1.DAT");
	assert_string_equal(dos_name_of(&list, "verylongname000.data"), "VERYLO~2.DAT");
	assert_string_equal(dos_name_of(&list, "verylongname299.data"), "VERY~301.DAT");
	dos_dir_free(&list);
}

/* Attributes, sizes and times as the directory entry would hold them. */
static void test_dir_attributes(void **state)
{
	struct tm tm = { .tm_year = 95, .tm_mon = 5, .tm_mday = 15, .tm_hour = 13, .tm_min = 45,
			 .tm_sec = 31, .tm_isdst = -1 };
	struct timespec times[2];
	struct dos_dirlist list;
	const struct dos_dirent *entry;
	char path[PATH_MAX], link[PATH_MAX];

	test_make_file(temp_dir, "data.bin", 123456, 0644);
	test_make_file(temp_dir, "ro.txt", 1, 0444);
	test_make_file(temp_dir, ".dotfile", 1, 0644);
	test_make_dir(temp_dir, "subdir");
	snprintf(path, sizeof(path), "%s/data.bin", temp_dir);
	times[0].tv_sec = times[1].tv_sec = mktime(&tm);
	times[0].tv_nsec = times[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	/* A link is seen as what it points to. */
	snprintf(link, sizeof(link), "%s/link.bin", temp_dir);
	assert_int_equal(symlink("data.bin", link), 0);

	assert_int_equal(dos_dir_read(temp_dir, false, &list), 0);
	assert_int_equal(list.count, 7);
	/* Not a root: "." and ".." come first. */
	assert_string_equal(list.entries[0].name, ".");
	assert_memory_equal(list.entries[0].fcb, ".          ", DOS_FCB_NAME);
	assert_int_equal(list.entries[0].attr, DOS_ATTR_DIRECTORY);
	assert_string_equal(list.entries[1].name, "..");
	assert_memory_equal(list.entries[1].fcb, "..         ", DOS_FCB_NAME);
	assert_int_equal(list.entries[1].attr, DOS_ATTR_DIRECTORY);

	entry = entry_by_host(&list, "data.bin");
	assert_int_equal(entry->attr, DOS_ATTR_ARCHIVE);
	assert_int_equal(entry->size, 123456);
	assert_int_equal(entry->time, 13 << 11 | 45 << 5 | 15);
	assert_int_equal(entry->date, 15 << 9 | 6 << 5 | 15);
	entry = entry_by_host(&list, "link.bin");
	assert_int_equal(entry->attr, DOS_ATTR_ARCHIVE);
	assert_int_equal(entry->size, 123456);
	assert_int_equal(entry->date, 15 << 9 | 6 << 5 | 15);
	assert_int_equal(entry_by_host(&list, "ro.txt")->attr,
			 DOS_ATTR_ARCHIVE | DOS_ATTR_READONLY);
	assert_int_equal(entry_by_host(&list, ".dotfile")->attr,
			 DOS_ATTR_ARCHIVE | DOS_ATTR_HIDDEN);
	assert_int_equal(entry_by_host(&list, "subdir")->attr, DOS_ATTR_DIRECTORY);
	assert_int_equal(entry_by_host(&list, "subdir")->size, 0);
	dos_dir_free(&list);
}

static void test_dir_missing(void **state)
{
	struct dos_dirlist list;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/nonexistent", temp_dir);
	assert_int_equal(dos_dir_read(path, true, &list), -ENOENT);
	assert_int_equal(list.count, 0);
}

/* FAT dates run from 1980 to 2107: times outside are clamped. */
static void test_time_clamp(void **state)
{
	uint16_t time, date;

	dos_time_pack(0, &time, &date);
	assert_int_equal(time, 0);
	assert_int_equal(date, 0 << 9 | 1 << 5 | 1);
	dos_time_pack(-1000000000, &time, &date);
	assert_int_equal(time, 0);
	assert_int_equal(date, 0 << 9 | 1 << 5 | 1);
	dos_time_pack(7258118400, &time, &date); /* 2200-01-01 */
	assert_int_equal(time, 23 << 11 | 59 << 5 | 29);
	assert_int_equal(date, 127 << 9 | 12 << 5 | 31);
	dos_time_pack(INT64_MAX, &time, &date);
	assert_int_equal(date, 127 << 9 | 12 << 5 | 31);
}

/* The time is the local one (main sets a zone 5:30 east of UTC). */
static void test_time_local(void **state)
{
	uint16_t time, date;

	dos_time_pack(946684800, &time, &date); /* 2000-01-01 00:00:00 UTC */
	assert_int_equal(time, 5 << 11 | 30 << 5 | 0);
	assert_int_equal(date, 20 << 9 | 1 << 5 | 1);
	assert_int_equal(dos_time_unpack(time, date), 946684800);
}

/* Packing keeps two-second resolution. */
static void test_time_round_trip(void **state)
{
	struct tm tm = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 23, .tm_min = 59,
			 .tm_sec = 59, .tm_isdst = -1 };
	time_t seconds = mktime(&tm);
	uint16_t time, date;

	dos_time_pack(seconds, &time, &date);
	assert_int_equal(time, 23 << 11 | 59 << 5 | 29);
	assert_int_equal(date, 44 << 9 | 2 << 5 | 29);
	assert_int_equal(dos_time_unpack(time, date), (int64_t)seconds - 1);
	for (int64_t t = 315532800 + 86400; t < 4102444800; t += 86400 * 37 + 3601) {
		dos_time_pack(t, &time, &date);
		assert_int_equal(dos_time_unpack(time, date), t - (t & 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_characters),
		cmocka_unit_test(test_name_to_fcb),
		cmocka_unit_test(test_name_to_fcb_refused),
		cmocka_unit_test(test_name_to_fcb_wildcards),
		cmocka_unit_test(test_fcb_to_name),
		cmocka_unit_test(test_fcb_match),
		cmocka_unit_test_setup_teardown(test_dir_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_upper_case_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_many_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_aliases_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_missing, setup, teardown),
		cmocka_unit_test(test_time_clamp),
		cmocka_unit_test(test_time_local),
		cmocka_unit_test(test_time_round_trip),
	};

	/* A zone without daylight saving: every local time is unambiguous. */
	setenv("TZ", "IST-5:30", 1);
	tzset();

	return cmocka_run_group_tests(tests, NULL, NULL);
}
