/* test_dos_attr.c: DOS attributes of host files, hidden, system and archive kept in user.DOSATTRIB. */
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
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>

#include "dos_attr.h"
#include "dos_errors.h"
#include "dos_names.h"
#include "dos_test_fs.h"

static char root[64], file[PATH_MAX], dir[PATH_MAX];

static int setup(void **state)
{
	strcpy(root, "/tmp/test_dos_attr.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	test_make_file(root, "FILE.TXT", 0, 0644);
	test_make_dir(root, "SUB");
	test_join(file, root, "FILE.TXT");
	test_join(dir, root, "SUB");
	return 0;
}

static int teardown(void **state)
{
	return test_remove_tree(root);
}

static uint8_t attr_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return dos_attr_of(path, &st);
}

/* The file system under /tmp must keep user extended attributes (ext4,
 * xfs, btrfs and tmpfs since Linux 6.6 do). */
static void skip_without_user_xattrs(void)
{
	if (setxattr(file, "user.test", "1", 1, 0) != 0 && errno == ENOTSUP) {
		print_message("SKIP dos_attr: /tmp keeps no user extended attributes\n");
		skip();
	}
	assert_int_equal(removexattr(file, "user.test"), 0);
}

static void test_plain_files_are_archive_and_directories_nothing(void **state)
{
	assert_int_equal(attr_of(file), DOS_ATTR_ARCHIVE);
	assert_int_equal(attr_of(dir), DOS_ATTR_DIRECTORY);
	assert_int_equal(chmod(file, 0444), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_ARCHIVE | DOS_ATTR_READONLY);
}

static void test_hidden_and_system_are_kept(void **state)
{
	char text[16] = { 0 };

	skip_without_user_xattrs();
	assert_int_equal(dos_attr_keep(file, DOS_ATTR_HIDDEN | DOS_ATTR_ARCHIVE, false), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_HIDDEN | DOS_ATTR_ARCHIVE);
	assert_int_equal(getxattr(file, DOS_ATTR_XATTR_NAME, text, sizeof(text) - 1), 4);
	assert_string_equal(text, "0x22");
	/* Read-only is the permissions' business, not the attribute's. */
	assert_int_equal(dos_attr_keep(file, DOS_ATTR_SYSTEM | DOS_ATTR_READONLY, false), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_SYSTEM);
	assert_int_equal(dos_attr_keep(dir, DOS_ATTR_HIDDEN, true), 0);
	assert_int_equal(attr_of(dir), DOS_ATTR_DIRECTORY | DOS_ATTR_HIDDEN);
}

static void test_plain_bits_leave_no_attribute_behind(void **state)
{
	skip_without_user_xattrs();
	assert_int_equal(dos_attr_keep(file, DOS_ATTR_HIDDEN, false), 0);
	assert_int_equal(dos_attr_keep(file, DOS_ATTR_ARCHIVE, false), 0);
	assert_true(getxattr(file, DOS_ATTR_XATTR_NAME, NULL, 0) < 0 && errno == ENODATA);
	assert_int_equal(dos_attr_keep(dir, DOS_ATTR_HIDDEN, true), 0);
	assert_int_equal(dos_attr_keep(dir, 0, true), 0);
	assert_true(getxattr(dir, DOS_ATTR_XATTR_NAME, NULL, 0) < 0 && errno == ENODATA);
	/* Clearing archive on a file is kept, as 0x00. */
	assert_int_equal(dos_attr_keep(file, 0, false), 0);
	assert_int_equal(attr_of(file), 0);
}

static void test_a_written_file_gets_archive_back(void **state)
{
	int fd;

	skip_without_user_xattrs();
	assert_int_equal(dos_attr_keep(file, DOS_ATTR_HIDDEN, false), 0);
	fd = open(file, O_RDWR);
	assert_true(fd >= 0);
	dos_attr_set_archive(fd);
	close(fd);
	assert_int_equal(attr_of(file), DOS_ATTR_HIDDEN | DOS_ATTR_ARCHIVE);
}

/* What another program left there, or garbage, reads as no attribute. */
static void test_a_foreign_value_is_ignored(void **state)
{
	skip_without_user_xattrs();
	assert_int_equal(setxattr(file, DOS_ATTR_XATTR_NAME, "junk", 4, 0), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_ARCHIVE);
	assert_int_equal(setxattr(file, DOS_ATTR_XATTR_NAME, "0x1234", 6, 0), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_ARCHIVE);
	/* Bits DOS cannot change (directory, volume) are not taken from it. */
	assert_int_equal(setxattr(file, DOS_ATTR_XATTR_NAME, "0x1a", 4, 0), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_HIDDEN);
	assert_int_equal(setxattr(file, DOS_ATTR_XATTR_NAME, "0x02 and a long tail", 20, 0), 0);
	assert_int_equal(attr_of(file), DOS_ATTR_ARCHIVE);
}

#define ATTR_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ATTR_TEST(test_plain_files_are_archive_and_directories_nothing),
		ATTR_TEST(test_hidden_and_system_are_kept),
		ATTR_TEST(test_plain_bits_leave_no_attribute_behind),
		ATTR_TEST(test_a_written_file_gets_archive_back),
		ATTR_TEST(test_a_foreign_value_is_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
