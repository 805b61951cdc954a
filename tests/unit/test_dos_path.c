/* test_dos_path.c: DOS paths resolved on drives mapped over a temporary host directory. */
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
#include <unistd.h>
#include <cmocka.h>

#include "dos_errors.h"
#include "dos_path.h"
#include "dos_test_fs.h"

#define DRIVE_C 2
#define DRIVE_D 3

/*
 * The drive's root holds:
 *   README.TXT  readme.md  ro.txt (read-only)
 *   sub/ file.txt longfilename.text deeper/
 *   Long Directory Name/ inner.txt
 *   in -> sub             (a link inside the root)
 *   out -> outside dir    (links pointing out of the root)
 *   outfile -> outside dir/secret.txt
 */
static char root[64], outside[64], real_root[PATH_MAX];
static struct dos_drive drives[DOS_DRIVES];

static void make_link(const char *target, const char *name)
{
	char path[PATH_MAX];

	test_join(path, root, name);
	assert_int_equal(symlink(target, path), 0);
}

/* The real path of something under the root, as resolution gives it. */
static const char *host_path(const char *below)
{
	static char path[PATH_MAX];
	int len = snprintf(path, sizeof(path), "%s%s%s", real_root, *below ? "/" : "", below);

	assert_true(len < (int)sizeof(path));
	return path;
}

static int group_setup(void **state)
{
	char path[PATH_MAX];

	strcpy(root, "/tmp/test_dos_path.XXXXXX");
	strcpy(outside, "/tmp/test_dos_path_out.XXXXXX");
	if (!mkdtemp(root) || !mkdtemp(outside) || !realpath(root, real_root))
		return -1;
	test_make_file(root, "README.TXT", 0, 0644);
	test_make_file(root, "readme.md", 0, 0644);
	test_make_file(root, "ro.txt", 0, 0444);
	test_make_dir(root, "sub");
	test_join(path, root, "sub");
	test_make_file(path, "file.txt", 0, 0644);
	test_make_file(path, "longfilename.text", 0, 0644);
	test_make_dir(path, "deeper");
	test_make_dir(root, "Long Directory Name");
	test_join(path, root, "Long Directory Name");
	test_make_file(path, "inner.txt", 0, 0644);
	test_make_file(outside, "secret.txt", 0, 0644);
	make_link("sub", "in");
	make_link(outside, "out");
	test_join(path, outside, "secret.txt");
	make_link(path, "outfile");
	return 0;
}

static int group_teardown(void **state)
{
	int err = test_remove_tree(root);

	return test_remove_tree(outside) || err;
}

static int setup(void **state)
{
	return dos_drive_map(&drives[DRIVE_C], root, false);
}

static int teardown(void **state)
{
	for (int i = 0; i < DOS_DRIVES; i++)
		dos_drive_unmap(&drives[i]);
	return 0;
}

static int resolve(const char *path, enum dos_lookup lookup, struct dos_resolved *out)
{
	return dos_path_resolve(drives, DRIVE_C, path, lookup, out);
}

static void assert_existing(const char *path, const char *dos, const char *host_below)
{
	struct dos_resolved r;

	assert_int_equal(resolve(path, DOS_LOOKUP_EXISTING, &r), 0);
	assert_string_equal(r.dos, dos);
	assert_string_equal(r.host, host_path(host_below));
	assert_true(r.exists);
	assert_int_equal(r.drive, DRIVE_C);
	assert_int_equal(r.device, DOS_DEV_NONE);
}

static void assert_error(const char *path, enum dos_lookup lookup, int error)
{
	struct dos_resolved r;

	assert_int_equal(resolve(path, lookup, &r), error);
}

/* The root itself, however it is spelt. */
static void test_root(void **state)
{
	static const char *const roots[] = { "C:\\", "c:/", "\\", "/", "C:", "", "\\\\", ".",
					     "C:\\.", "sub\\.." };
	struct dos_resolved r;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		assert_int_equal(resolve(roots[i], DOS_LOOKUP_EXISTING, &r), 0);
		assert_string_equal(r.dos, "C:\\");
		assert_string_equal(r.host, real_root);
		assert_true(r.is_root);
		assert_true(r.exists);
		assert_int_equal(r.attr, DOS_ATTR_DIRECTORY);
	}
}

/* Any case, either separator, repeated separators, "." and "..". */
static void test_files(void **state)
{
	struct dos_resolved r;

	assert_existing("C:\\README.TXT", "C:\\README.TXT", "README.TXT");
	assert_existing("readme.txt", "C:\\README.TXT", "README.TXT");
	assert_existing("c:/sub/file.txt", "C:\\SUB\\FILE.TXT", "sub/file.txt");
	assert_existing("\\\\sub\\\\\\file.txt", "C:\\SUB\\FILE.TXT", "sub/file.txt");
	assert_existing("sub/./file.txt", "C:\\SUB\\FILE.TXT", "sub/file.txt");
	assert_existing("sub\\..\\sub\\deeper\\..\\file.txt", "C:\\SUB\\FILE.TXT", "sub/file.txt");
	assert_existing("Sub\\Deeper", "C:\\SUB\\DEEPER", "sub/deeper");

	assert_int_equal(resolve("C:\\SUB\\FILE.TXT", DOS_LOOKUP_EXISTING, &r), 0);
	assert_string_equal(r.host_dir, host_path("sub"));
	assert_memory_equal(r.fcb, "FILE    TXT", DOS_FCB_NAME);
	assert_int_equal(r.attr, DOS_ATTR_ARCHIVE);
	assert_false(r.is_root);
	assert_int_equal(resolve("C:\\RO.TXT", DOS_LOOKUP_EXISTING, &r), 0);
	assert_int_equal(r.attr, DOS_ATTR_ARCHIVE | DOS_ATTR_READONLY);
	/* A directory named by "." is itself, in its parent. */
	assert_int_equal(resolve("C:\\SUB\\DEEPER\\.", DOS_LOOKUP_EXISTING, &r), 0);
	assert_string_equal(r.dos, "C:\\SUB\\DEEPER");
	assert_string_equal(r.host_dir, host_path("sub"));
	assert_memory_equal(r.fcb, "DEEPER     ", DOS_FCB_NAME);
	assert_int_equal(r.attr, DOS_ATTR_DIRECTORY);
	assert_false(r.is_root);
}

/* Host names reach DOS through their aliases; long names are truncated, not matched. */
static void test_aliases(void **state)
{
	assert_existing("C:\\LONGDI~1\\INNER.TXT", "C:\\LONGDI~1\\INNER.TXT",
			"Long Directory Name/inner.txt");
	assert_existing("longdi~1\\inner.txt", "C:\\LONGDI~1\\INNER.TXT",
			"Long Directory Name/inner.txt");
	assert_existing("readme.md", "C:\\README.MD", "readme.md");
	assert_existing("sub\\LONGFI~1.TEX", "C:\\SUB\\LONGFI~1.TEX", "sub/longfilename.text");
	/* MS-DOS reads "longfilename.text" as LONGFILE.TEX, which is not there. */
	assert_error("sub\\longfilename.text", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("Long Directory Name\\inner.txt", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
}

static void test_missing(void **state)
{
	struct dos_resolved r;

	assert_error("C:\\nosuch.txt", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("C:\\nodir\\x.txt", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\nodir\\x.txt", DOS_LOOKUP_NEW, DOS_ENOPATH);
	/* A file is not a directory on the way. */
	assert_error("C:\\README.TXT\\x", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\README.TXT\\..\\README.TXT", DOS_LOOKUP_EXISTING, DOS_ENOPATH);

	/* A new name is created as DOS would create it: upper case. */
	assert_int_equal(resolve("c:\\sub\\newfile.txt", DOS_LOOKUP_NEW, &r), 0);
	assert_false(r.exists);
	assert_string_equal(r.dos, "C:\\SUB\\NEWFILE.TXT");
	assert_string_equal(r.host, host_path("sub/NEWFILE.TXT"));
	assert_string_equal(r.host_dir, host_path("sub"));
	assert_int_equal(resolve("c:\\sub\\averylongname.text", DOS_LOOKUP_NEW, &r), 0);
	assert_string_equal(r.dos, "C:\\SUB\\AVERYLON.TEX");
	assert_string_equal(r.host, host_path("sub/AVERYLON.TEX"));
	/* An existing one keeps its host name. */
	assert_int_equal(resolve("c:\\readme.md", DOS_LOOKUP_NEW, &r), 0);
	assert_true(r.exists);
	assert_string_equal(r.host, host_path("readme.md"));
}

/* ".." never climbs above the drive's root. */
static void test_dotdot_escape(void **state)
{
	assert_error("..\\..\\etc\\passwd", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\..\\X", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\..\\X", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("/../x", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("..", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("sub\\..\\..", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("sub\\..\\..\\sub\\file.txt", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("...", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("...\\x", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	/* From a subdirectory one level up is fine, two are not. */
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "sub"), 0);
	assert_existing("..\\README.TXT", "C:\\README.TXT", "README.TXT");
	assert_error("..\\..\\README.TXT", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
}

/* A host absolute path is a DOS path from the drive's root. */
static void test_host_absolute_path(void **state)
{
	assert_error("/etc/passwd", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("\\etc\\passwd", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("/etc", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error(outside, DOS_LOOKUP_EXISTING, DOS_ENOPATH);
}

/* Links are followed, but only while they stay inside the root. */
static void test_symlinks(void **state)
{
	struct dos_resolved r;

	assert_error("C:\\OUT\\SECRET.TXT", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\OUT\\SECRET.TXT", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("C:\\OUT\\NEW.TXT", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("C:\\OUT\\*.*", DOS_LOOKUP_PATTERN, DOS_ENOPATH);
	assert_error("C:\\OUT", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\OUTFILE", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\OUTFILE", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "out"), DOS_ENOPATH);
	assert_string_equal(drives[DRIVE_C].cwd, "");

	assert_existing("C:\\IN\\FILE.TXT", "C:\\IN\\FILE.TXT", "in/file.txt");
	assert_int_equal(resolve("C:\\IN", DOS_LOOKUP_EXISTING, &r), 0);
	assert_int_equal(r.attr, DOS_ATTR_DIRECTORY);
	/* ".." is DOS's: back to the link's parent, not the target's. */
	assert_existing("C:\\IN\\DEEPER\\..\\..\\README.TXT", "C:\\README.TXT", "README.TXT");
}

/* Bad names: path not found on the way, file not found at the end of an open. */
static void test_invalid_names(void **state)
{
	struct dos_resolved r;

	assert_error("C:\\a+b\\x", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	assert_error("C:\\a+b", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("C:\\a+b", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("C:\\a b", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("C:\\a.b.c", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("*.txt", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("*.txt", DOS_LOOKUP_NEW, DOS_ENOPATH);
	assert_error("C:\\s*\\file.txt", DOS_LOOKUP_PATTERN, DOS_ENOPATH);

	/* A pattern names a directory and a mask. */
	assert_int_equal(resolve("C:\\SUB\\*.TXT", DOS_LOOKUP_PATTERN, &r), 0);
	assert_false(r.exists);
	assert_memory_equal(r.fcb, "????????TXT", DOS_FCB_NAME);
	assert_string_equal(r.host_dir, host_path("sub"));
	assert_string_equal(r.dos, "C:\\SUB\\????????.TXT");
	assert_int_equal(resolve("sub\\file.txt", DOS_LOOKUP_PATTERN, &r), 0);
	assert_true(r.exists);
}

static void assert_device(const char *path, enum dos_device device, const char *dos)
{
	struct dos_resolved r;

	assert_int_equal(resolve(path, DOS_LOOKUP_EXISTING, &r), 0);
	assert_int_equal(r.device, device);
	assert_string_equal(r.dos, dos);
	assert_false(r.exists);
	assert_string_equal(r.host, "");
	assert_int_equal(resolve(path, DOS_LOOKUP_NEW, &r), 0);
	assert_int_equal(r.device, device);
}

/* Devices are found in every directory, with any extension (truename "C:/CON"). */
static void test_devices(void **state)
{
	assert_device("CON", DOS_DEV_CON, "C:/CON");
	assert_device("con", DOS_DEV_CON, "C:/CON");
	assert_device("nul.txt", DOS_DEV_NUL, "C:/NUL");
	assert_device("C:\\SUB\\PRN", DOS_DEV_PRN, "C:/PRN");
	assert_device("sub/deeper/lpt1.doc", DOS_DEV_PRN, "C:/LPT1");
	assert_device("aux", DOS_DEV_AUX, "C:/AUX");
	assert_device("COM1", DOS_DEV_AUX, "C:/COM1");
	assert_device("clock$", DOS_DEV_CLOCK, "C:/CLOCK$");
	/* The directory must still exist. */
	assert_error("C:\\NODIR\\CON", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	/* Only the whole name is a device. */
	assert_error("CONX", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("CO", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	assert_error("COM2", DOS_LOOKUP_EXISTING, DOS_ENOENT);
	/* A device is not a directory. */
	assert_error("CON\\x", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
}

static void test_unmapped_drive(void **state)
{
	struct dos_resolved r;

	assert_error("E:\\x", DOS_LOOKUP_EXISTING, DOS_EBADDRIVE);
	assert_error("e:", DOS_LOOKUP_NEW, DOS_EBADDRIVE);
	assert_error("a:readme.txt", DOS_LOOKUP_EXISTING, DOS_EBADDRIVE);
	assert_int_equal(dos_path_resolve(drives, 4, "README.TXT", DOS_LOOKUP_EXISTING, &r),
			 DOS_EBADDRIVE);
	assert_int_equal(dos_path_resolve(drives, 26, "README.TXT", DOS_LOOKUP_EXISTING, &r),
			 DOS_EBADDRIVE);
	assert_int_equal(dos_path_resolve(drives, -1, "README.TXT", DOS_LOOKUP_EXISTING, &r),
			 DOS_EBADDRIVE);
	/* Not a drive letter: a name with a colon. */
	assert_error("1:\\x", DOS_LOOKUP_EXISTING, DOS_ENOPATH);
	/* The current drive need not be mapped when the path names one that is. */
	assert_int_equal(dos_path_resolve(drives, 4, "C:README.TXT", DOS_LOOKUP_EXISTING, &r),
			 0);
	assert_string_equal(r.dos, "C:\\README.TXT");
}

/* Function 3Bh: the current directory is kept in DOS names, without "C:\". */
static void test_chdir(void **state)
{
	char path[PATH_MAX];

	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "sub"), 0);
	assert_string_equal(drives[DRIVE_C].cwd, "SUB");
	assert_existing("file.txt", "C:\\SUB\\FILE.TXT", "sub/file.txt");
	assert_existing("C:file.txt", "C:\\SUB\\FILE.TXT", "sub/file.txt");
	assert_existing("\\README.TXT", "C:\\README.TXT", "README.TXT");
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "deeper\\"), 0);
	assert_string_equal(drives[DRIVE_C].cwd, "SUB\\DEEPER");
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, ".."), 0);
	assert_string_equal(drives[DRIVE_C].cwd, "SUB");
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "/long directory name"), DOS_ENOPATH);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "/longdi~1"), 0);
	assert_string_equal(drives[DRIVE_C].cwd, "LONGDI~1");
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "C:\\IN\\DEEPER"), 0);
	assert_string_equal(drives[DRIVE_C].cwd, "IN\\DEEPER");

	/* Failures leave the current directory alone. */
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "\\README.TXT"), DOS_ENOPATH);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "\\nosuch"), DOS_ENOPATH);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "CON"), DOS_ENOPATH);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "E:\\"), DOS_ENOPATH);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "\\..\\.."), DOS_ENOPATH);
	assert_string_equal(drives[DRIVE_C].cwd, "IN\\DEEPER");
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "\\"), 0);
	assert_string_equal(drives[DRIVE_C].cwd, "");

	/* Another drive's current directory changes, not the current drive's. */
	test_join(path, root, "sub");
	assert_int_equal(dos_drive_map(&drives[DRIVE_D], path, true), 0);
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "d:deeper"), 0);
	assert_string_equal(drives[DRIVE_D].cwd, "DEEPER");
	assert_string_equal(drives[DRIVE_C].cwd, "");
	assert_existing("README.TXT", "C:\\README.TXT", "README.TXT");
}

static void assert_canonical(const char *path, const char *expected)
{
	char dos[DOS_PATH_MAX];

	assert_int_equal(dos_path_canonical(drives, DRIVE_C, path, dos), 0);
	assert_string_equal(dos, expected);
}

/* Truename is lexical: missing names canonicalise, nothing is listed. */
static void test_canonical(void **state)
{
	char dos[DOS_PATH_MAX];

	assert_canonical("readme.txt", "C:\\README.TXT");
	assert_canonical("C:\\X\\Y\\..\\Z", "C:\\X\\Z");
	assert_canonical("c:/fwd/./slash.txt", "C:\\FWD\\SLASH.TXT");
	assert_canonical("nodir\\longfilename.text", "C:\\NODIR\\LONGFILE.TEX");
	assert_canonical("*.t?t", "C:\\????????.T?T");
	assert_canonical("\\", "C:\\");
	assert_canonical("C:", "C:\\");
	assert_canonical("sub\\con.txt", "C:/CON");
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "sub\\deeper"), 0);
	assert_canonical("..\\F.TXT", "C:\\SUB\\F.TXT");
	assert_canonical("C:x", "C:\\SUB\\DEEPER\\X");
	assert_int_equal(dos_path_canonical(drives, DRIVE_C, "\\..\\X", dos), DOS_ENOPATH);
	assert_int_equal(dos_path_canonical(drives, DRIVE_C, "a|b", dos), DOS_ENOPATH);
	assert_int_equal(dos_path_canonical(drives, DRIVE_C, "E:X", dos), DOS_EBADDRIVE);
}

/* DOS paths are at most 127 characters, current directories 63. */
static void test_too_long(void **state)
{
	char host[PATH_MAX], dos[512], name[16];
	size_t dos_len = 0;
	struct dos_resolved r;

	test_join(host, root, "deep");
	test_make_dir(root, "deep");
	dos_len = (size_t)snprintf(dos, sizeof(dos), "C:\\DEEP");
	for (int level = 1; level <= 14; level++) {
		snprintf(name, sizeof(name), "dir%05d", level);
		test_make_dir(host, name);
		strcat(host, "/");
		strcat(host, name);
		dos_len += (size_t)snprintf(dos + dos_len, sizeof(dos) - dos_len, "\\DIR%05d",
					    level);
		/* 7 + 9 * level characters */
		if (dos_len < DOS_PATH_MAX) {
			assert_int_equal(resolve(dos, DOS_LOOKUP_EXISTING, &r), 0);
			assert_string_equal(r.dos, dos);
		} else {
			assert_int_equal(resolve(dos, DOS_LOOKUP_EXISTING, &r), DOS_ENOPATH);
		}
		if (dos_len - 3 < DOS_CWD_MAX) {
			assert_int_equal(dos_path_chdir(drives, DRIVE_C, dos), 0);
			assert_string_equal(drives[DRIVE_C].cwd, dos + 3);
		} else {
			assert_int_equal(dos_path_chdir(drives, DRIVE_C, dos), DOS_ENOPATH);
			assert_int_not_equal(strlen(drives[DRIVE_C].cwd), 0);
		}
	}
	/* A new name that would make the path too long is refused too. */
	assert_int_equal(dos_path_chdir(drives, DRIVE_C, "\\"), 0);
	dos[7 + 9 * 12] = '\0'; /* "C:\\DEEP" and 12 directories: 115 characters */
	strcat(dos, "\\NEWFILES.TXT");
	assert_int_equal(resolve(dos, DOS_LOOKUP_NEW, &r), DOS_ENOPATH);
	strcpy(dos + 7 + 9 * 12, "\\NEWFILE.TXT");
	assert_int_equal(resolve(dos, DOS_LOOKUP_NEW, &r), 0);
	assert_int_equal(strlen(r.dos), DOS_PATH_MAX - 1);

	/* Very many components, even ones that cancel out. */
	strcpy(dos, "C:\\");
	for (int i = 0; i < 150; i++)
		strcat(dos, ".\\");
	strcat(dos, "README.TXT");
	assert_int_equal(resolve(dos, DOS_LOOKUP_EXISTING, &r), DOS_ENOPATH);
}

/* A host file's DOS path, as a program's own name in its environment. */
static void test_from_host(void **state)
{
	char host[PATH_MAX], dos[DOS_PATH_MAX];

	test_join(host, root, "sub/longfilename.text");
	assert_int_equal(dos_path_from_host(drives, host, dos), 0);
	assert_string_equal(dos, "C:\\SUB\\LONGFI~1.TEX");
	test_join(host, root, "Long Directory Name/inner.txt");
	assert_int_equal(dos_path_from_host(drives, host, dos), 0);
	assert_string_equal(dos, "C:\\LONGDI~1\\INNER.TXT");
	assert_int_equal(dos_path_from_host(drives, root, dos), 0);
	assert_string_equal(dos, "C:\\");
	/* Through a link inside, the real path's names. */
	test_join(host, root, "in/file.txt");
	assert_int_equal(dos_path_from_host(drives, host, dos), 0);
	assert_string_equal(dos, "C:\\SUB\\FILE.TXT");
	/* Outside every drive, or not there at all. */
	test_join(host, outside, "secret.txt");
	assert_int_equal(dos_path_from_host(drives, host, dos), DOS_ENOPATH);
	test_join(host, root, "outfile");
	assert_int_equal(dos_path_from_host(drives, host, dos), DOS_ENOPATH);
	test_join(host, root, "nosuch");
	assert_int_equal(dos_path_from_host(drives, host, dos), DOS_ENOPATH);
	/* With only D: over SUB, names below it are D:'s, the rest no drive's. */
	test_join(host, root, "sub");
	dos_drive_unmap(&drives[DRIVE_C]);
	assert_int_equal(dos_drive_map(&drives[DRIVE_D], host, false), 0);
	test_join(host, root, "sub/deeper");
	assert_int_equal(dos_path_from_host(drives, host, dos), 0);
	assert_string_equal(dos, "D:\\DEEPER");
	test_join(host, root, "README.TXT");
	assert_int_equal(dos_path_from_host(drives, host, dos), DOS_ENOPATH);
}

static void test_drive_map(void **state)
{
	struct dos_drive drive = { 0 };
	char path[PATH_MAX];

	test_join(path, root, "nosuch");
	assert_int_equal(dos_drive_map(&drive, path, false), -ENOENT);
	assert_null(drive.root);
	test_join(path, root, "README.TXT");
	assert_int_equal(dos_drive_map(&drive, path, false), -ENOTDIR);
	assert_null(drive.root);
	/* The root is kept as a real path. */
	test_join(path, root, "in/");
	assert_int_equal(dos_drive_map(&drive, path, true), 0);
	assert_string_equal(drive.root, host_path("sub"));
	assert_true(drive.readonly);
	assert_string_equal(drive.cwd, "");
	dos_drive_unmap(&drive);
	assert_null(drive.root);
	assert_false(drive.readonly);
	dos_drive_unmap(&drive);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_escape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_absolute_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmapped_drive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_canonical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_from_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drive_map, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
