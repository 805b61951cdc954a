/* test_dos_find.c: find first / find next (4Eh, 4Fh) over a temporary host directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dos_errors.h"
#include "dos_find.h"
#include "dos_test_fs.h"

#define DRIVE_C 2
#define ATTR_DEVICE 0x40
#define ATTR_ALL (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_DIRECTORY)

/*
 * The drive's root holds (in host name order):
 *   .hidden.txt  ALPHA.TXT  Gamma.doc  NOEXT  beta.txt (5 bytes)  longername.txt
 *   out -> a directory outside   ro.txt (read-only)   sub/ a.txt b.txt inner/
 */
static char root[64], outside[64];
static struct dos_drive drives[DOS_DRIVES];
static struct dos_find_table table;

static int setup(void **state)
{
	char path[PATH_MAX];

	strcpy(root, "/tmp/test_dos_find.XXXXXX");
	strcpy(outside, "/tmp/test_dos_find_out.XXXXXX");
	if (!mkdtemp(root) || !mkdtemp(outside))
		return -1;
	test_make_file(root, ".hidden.txt", 1, 0644);
	test_make_file(root, "ALPHA.TXT", 2, 0644);
	test_make_file(root, "Gamma.doc", 3, 0644);
	test_make_file(root, "NOEXT", 4, 0644);
	test_make_file(root, "beta.txt", 5, 0644);
	test_make_file(root, "longername.txt", 6, 0644);
	test_make_file(root, "ro.txt", 7, 0444);
	test_make_dir(root, "sub");
	test_make_file(root, "sub/a.txt", 8, 0644);
	test_make_file(root, "sub/b.txt", 9, 0644);
	test_make_dir(root, "sub/inner");
	test_join(path, outside, "secret.txt");
	close(open(path, O_CREAT | O_WRONLY, 0644));
	test_join(path, root, "out");
	assert_int_equal(symlink(outside, path), 0);
	return dos_drive_map(&drives[DRIVE_C], root, false);
}

static int teardown(void **state)
{
	int err = test_remove_tree(root);

	dos_find_table_free(&table);
	for (int i = 0; i < DOS_DRIVES; i++)
		dos_drive_unmap(&drives[i]);
	return test_remove_tree(outside) || err;
}

/* Finds every match of path and attr, as "NAME NAME ..." */
static int find_all(const char *path, uint8_t attr, char *names, size_t size)
{
	uint8_t state[DOS_FIND_STATE_SIZE];
	struct dos_found found;
	int err;

	names[0] = '\0';
	err = dos_find_first(&table, drives, DRIVE_C, path, attr, state, &found);
	while (err == 0) {
		if (names[0])
			strncat(names, " ", size - strlen(names) - 1);
		strncat(names, found.name, size - strlen(names) - 1);
		err = dos_find_next(&table, drives, state, &found);
	}
	return err;
}

static void assert_finds(const char *path, uint8_t attr, const char *expected)
{
	char names[512];

	assert_int_equal(find_all(path, attr, names, sizeof(names)), DOS_ENOMOREFILES);
	assert_string_equal(names, expected);
}

/* Normal, read-only and archived files always match; the order is the host's by name. */
static void test_wildcards(void **state)
{
	assert_finds("*.TXT", 0, "ALPHA.TXT BETA.TXT LONGER~1.TXT RO.TXT");
	assert_finds("c:\\*.txt", 0, "ALPHA.TXT BETA.TXT LONGER~1.TXT RO.TXT");
	assert_finds("*.*", 0, "ALPHA.TXT GAMMA.DOC NOEXT BETA.TXT LONGER~1.TXT RO.TXT");
	assert_finds("A*.*", 0, "ALPHA.TXT");
	assert_finds("b?ta.txt", 0, "BETA.TXT");
	assert_finds("?????", 0, "NOEXT");
	assert_finds("????", 0, "");
	/* "*" has a blank extension: only names without one. */
	assert_finds("*", 0, "NOEXT");
	assert_finds("*.", 0, "NOEXT");
	assert_finds("LONGER~?.*", 0, "LONGER~1.TXT");
	assert_finds("*.D*", 0, "GAMMA.DOC");
}

/* Hidden files and directories only when asked for. */
static void test_attributes(void **state)
{
	uint8_t state_bytes[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_finds("*.TXT", DOS_ATTR_HIDDEN, "HIDDEN~1.TXT ALPHA.TXT BETA.TXT LONGER~1.TXT RO.TXT");
	assert_finds("*.*", DOS_ATTR_DIRECTORY,
		     "ALPHA.TXT GAMMA.DOC NOEXT BETA.TXT LONGER~1.TXT OUT RO.TXT SUB");
	assert_finds("*.*", ATTR_ALL,
		     "HIDDEN~1.TXT ALPHA.TXT GAMMA.DOC NOEXT BETA.TXT LONGER~1.TXT OUT RO.TXT SUB");
	/* DOS lists "." and ".." in a subdirectory, first. */
	assert_finds("sub\\*.*", DOS_ATTR_DIRECTORY, ". .. A.TXT B.TXT INNER");
	assert_finds("SUB\\*.*", 0, "A.TXT B.TXT");
	assert_finds("sub\\*.txt", DOS_ATTR_DIRECTORY, "A.TXT B.TXT");
	/* A directory by name, only with the directory bit. */
	assert_finds("SUB", 0, "");
	assert_finds("SUB", DOS_ATTR_DIRECTORY, "SUB");

	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "beta.txt", 0, state_bytes, &found),
			 0);
	assert_string_equal(found.name, "BETA.TXT");
	assert_memory_equal(found.fcb, "BETA    TXT", DOS_FCB_NAME);
	assert_int_equal(found.attr, DOS_ATTR_ARCHIVE);
	assert_int_equal(found.size, 5);
	assert_int_not_equal(found.date, 0);
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "ro.txt", 0, state_bytes, &found),
			 0);
	assert_int_equal(found.attr, DOS_ATTR_ARCHIVE | DOS_ATTR_READONLY);
	assert_int_equal(found.size, 7);
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.txt", DOS_ATTR_HIDDEN,
					state_bytes, &found), 0);
	assert_int_equal(found.attr, DOS_ATTR_ARCHIVE | DOS_ATTR_HIDDEN);
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "sub\\*.*", DOS_ATTR_DIRECTORY,
					state_bytes, &found), 0);
	assert_string_equal(found.name, ".");
	assert_int_equal(found.attr, DOS_ATTR_DIRECTORY);
}

/* The volume label (attribute 08h alone): host directories have none. */
static void test_volume_label(void **state)
{
	uint8_t state_bytes[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.*", DOS_ATTR_VOLUME,
					state_bytes, &found), DOS_ENOMOREFILES);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), DOS_ENOMOREFILES);
	/* With other bits, the volume bit does not stop files from matching. */
	assert_finds("A*.*", DOS_ATTR_VOLUME | DOS_ATTR_ARCHIVE, "ALPHA.TXT");
}

static void test_errors(void **state)
{
	uint8_t state_bytes[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_finds("*.XYZ", ATTR_ALL, "");
	assert_finds("C:\\", ATTR_ALL, "");
	assert_int_equal(find_all("nodir\\*.*", 0, (char[64]){ 0 }, 64), DOS_ENOPATH);
	assert_int_equal(find_all("E:\\*.*", 0, (char[64]){ 0 }, 64), DOS_ENOPATH);
	assert_int_equal(find_all("..\\*.*", 0, (char[64]){ 0 }, 64), DOS_ENOPATH);
	assert_int_equal(find_all("a+b\\*.*", 0, (char[64]){ 0 }, 64), DOS_ENOPATH);
	assert_int_equal(find_all("*.t+t", 0, (char[64]){ 0 }, 64), DOS_ENOPATH);
	/* A link out of the drive is not searched. */
	assert_int_equal(find_all("out\\*.*", ATTR_ALL, (char[64]){ 0 }, 64), DOS_ENOPATH);
	/* After the end, the end again. */
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "NOEXT", 0, state_bytes, &found),
			 0);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), DOS_ENOMOREFILES);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), DOS_ENOMOREFILES);
}

/* "IF EXIST C:\SUB\NUL": a device name finds the device, in an existing directory. */
static void test_devices(void **state)
{
	uint8_t state_bytes[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "sub\\nul", 0, state_bytes, &found),
			 0);
	assert_string_equal(found.name, "NUL");
	assert_memory_equal(found.fcb, "NUL        ", DOS_FCB_NAME);
	assert_int_equal(found.attr, ATTR_DEVICE);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), DOS_ENOMOREFILES);
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "con.txt", 0, state_bytes, &found),
			 0);
	assert_string_equal(found.name, "CON");
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "nodir\\nul", 0, state_bytes,
					&found), DOS_ENOPATH);
}

/* The reserved bytes of the DTA, as dos_find.h lays them out. */
static void test_state_layout(void **state)
{
	uint8_t state_bytes[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	memset(state_bytes, 0xaa, sizeof(state_bytes));
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "sub\\*.TXT", DOS_ATTR_HIDDEN,
					state_bytes, &found), 0);
	assert_string_equal(found.name, "A.TXT");
	assert_int_equal(state_bytes[0], DRIVE_C);
	assert_memory_equal(state_bytes + 1, "????????TXT", DOS_FCB_NAME);
	assert_int_equal(state_bytes[12], DOS_ATTR_HIDDEN);
	/* ".", "..", then A.TXT at index 2: the next is 3. */
	assert_int_equal(state_bytes[13] | state_bytes[14] << 8, 3);
	assert_true((state_bytes[15] | state_bytes[16] << 8) < DOS_FIND_SLOTS);
	assert_int_equal(state_bytes[19], 0);
	assert_int_equal(state_bytes[20], 0);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), 0);
	assert_string_equal(found.name, "B.TXT");
	assert_int_equal(state_bytes[13] | state_bytes[14] << 8, 4);
}

/* The state is the program's: anything it holds must end the search or find files, never more. */
static void test_corrupted_state(void **state)
{
	uint8_t good[DOS_FIND_STATE_SIZE], bad[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.*", 0, good, &found), 0);

	memcpy(bad, good, sizeof(bad));
	bad[15] = DOS_FIND_SLOTS;
	bad[16] = 0;
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	memcpy(bad, good, sizeof(bad));
	bad[15] = bad[16] = 0xff;
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	/* A slot not in use. */
	memcpy(bad, good, sizeof(bad));
	bad[15] = (uint8_t)(bad[15] + 1);
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	/* A generation that is not the slot's. */
	memcpy(bad, good, sizeof(bad));
	bad[17] ^= 0x01;
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	/* An index past the end. */
	memcpy(bad, good, sizeof(bad));
	bad[13] = bad[14] = 0xff;
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	/* A drive that is not mapped. */
	memcpy(bad, good, sizeof(bad));
	bad[0] = 0xff;
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	bad[0] = 0;
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);
	/* All zeros: slot 0 is in use, but its generation is not 0. */
	memset(bad, 0, sizeof(bad));
	assert_int_equal(dos_find_next(&table, drives, bad, &found), DOS_ENOMOREFILES);

	/* Random states: each either ends or finds a real name. */
	srand(4321);
	for (int i = 0; i < 20000; i++) {
		int err;

		memcpy(bad, good, sizeof(bad));
		for (int j = 0, n = rand() % 4 + 1; j < n; j++)
			bad[rand() % DOS_FIND_STATE_SIZE] = (uint8_t)rand();
		err = dos_find_next(&table, drives, bad, &found);
		if (err == 0)
			assert_true(found.name[0] != '\0' && strlen(found.name) < DOS_NAME_MAX);
		else
			assert_int_equal(err, DOS_ENOMOREFILES);
	}
	/* The good state still works. */
	assert_int_equal(dos_find_next(&table, drives, good, &found), 0);
	assert_string_equal(found.name, "GAMMA.DOC");
}

/* Searches are independent: each keeps its own place. */
static void test_interleaved(void **state)
{
	uint8_t first[DOS_FIND_STATE_SIZE], second[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.TXT", 0, first, &found), 0);
	assert_string_equal(found.name, "ALPHA.TXT");
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.*", ATTR_ALL, second, &found),
			 0);
	assert_string_equal(found.name, "HIDDEN~1.TXT");
	assert_int_equal(dos_find_next(&table, drives, first, &found), 0);
	assert_string_equal(found.name, "BETA.TXT");
	assert_int_equal(dos_find_next(&table, drives, second, &found), 0);
	assert_string_equal(found.name, "ALPHA.TXT");
	/* Many searches of the same directory share its slot: none is lost. */
	for (int i = 0; i < 3 * DOS_FIND_SLOTS; i++)
		assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "SUB", DOS_ATTR_DIRECTORY,
						second, &found), 0);
	assert_int_equal(dos_find_next(&table, drives, first, &found), 0);
	assert_string_equal(found.name, "LONGER~1.TXT");
}

/* Slots are reused oldest first: the search DOS_FIND_SLOTS directories ago is gone. */
static void test_slot_reuse(void **state)
{
	uint8_t oldest[DOS_FIND_STATE_SIZE], other[DOS_FIND_STATE_SIZE];
	struct dos_found found;
	char name[32];

	for (int i = 0; i < DOS_FIND_SLOTS; i++) {
		snprintf(name, sizeof(name), "d%02d", i);
		test_make_dir(root, name);
		snprintf(name, sizeof(name), "d%02d/f1.txt", i);
		test_make_file(root, name, 0, 0644);
		snprintf(name, sizeof(name), "d%02d/f2.txt", i);
		test_make_file(root, name, 0, 0644);
	}
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.TXT", 0, oldest, &found), 0);
	for (int i = 0; i < DOS_FIND_SLOTS - 1; i++) {
		snprintf(name, sizeof(name), "d%02d\\*.txt", i);
		assert_int_equal(dos_find_first(&table, drives, DRIVE_C, name, 0, other, &found),
				 0);
	}
	/* 64 directories so far: the root's search is still there. */
	assert_int_equal(dos_find_next(&table, drives, oldest, &found), 0);
	assert_string_equal(found.name, "BETA.TXT");
	snprintf(name, sizeof(name), "d%02d\\*.txt", DOS_FIND_SLOTS - 1);
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, name, 0, other, &found), 0);
	assert_int_equal(dos_find_next(&table, drives, oldest, &found), DOS_ENOMOREFILES);
	/* The newest still goes on. */
	assert_int_equal(dos_find_next(&table, drives, other, &found), 0);
	assert_string_equal(found.name, "F2.TXT");
}

/* The directory is read again at each call: files created meanwhile are found. */
static void test_directory_changes(void **state)
{
	uint8_t state_bytes[DOS_FIND_STATE_SIZE];
	struct dos_found found;

	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "sub\\*.TXT", 0, state_bytes,
					&found), 0);
	assert_string_equal(found.name, "A.TXT");
	test_make_file(root, "sub/c.txt", 0, 0644);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), 0);
	assert_string_equal(found.name, "B.TXT");
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), 0);
	assert_string_equal(found.name, "C.TXT");
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), DOS_ENOMOREFILES);
	/* A drive unmapped between calls ends the search. */
	assert_int_equal(dos_find_first(&table, drives, DRIVE_C, "*.*", 0, state_bytes, &found),
			 0);
	dos_drive_unmap(&drives[DRIVE_C]);
	assert_int_equal(dos_find_next(&table, drives, state_bytes, &found), DOS_ENOMOREFILES);
}

/* The current directory is where a relative pattern looks. */
static void test_relative_to_cwd(void **state)
{
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "sub"), 0);
	assert_finds("*.*", DOS_ATTR_DIRECTORY, ". .. A.TXT B.TXT INNER");
	assert_finds("..\\*.DOC", 0, "GAMMA.DOC");
	assert_finds("inner\\*.*", DOS_ATTR_DIRECTORY, ". ..");
	assert_finds("inner\\*.*", 0, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wildcards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_volume_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_to_cwd, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
