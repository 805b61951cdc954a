/* dos_test_fs.h: building the host directories the doskrnl unit tests resolve DOS names in. */
#ifndef MVM_TESTS_DOS_TEST_FS_H
#define MVM_TESTS_DOS_TEST_FS_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* dir + "/" + name into path (PATH_MAX bytes). */
static void test_join(char *path, const char *dir, const char *name)
{
	int len = snprintf(path, PATH_MAX, "%s/%s", dir, name);

	assert_true(len > 0 && len < PATH_MAX);
}

/* A file of size bytes (zeros) with the permissions mode. */
static void test_make_file(const char *dir, const char *name, size_t size, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	test_join(path, dir, name);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void test_make_dir(const char *dir, const char *name)
{
	char path[PATH_MAX];

	test_join(path, dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
}

static int test_remove_tree(const char *path)
{
	char command[PATH_MAX + 16];
	int len = snprintf(command, sizeof(command), "rm -rf '%s'", path);

	assert_true(len < (int)sizeof(command));
	return system(command);
}

#endif
