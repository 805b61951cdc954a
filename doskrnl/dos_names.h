/* dos_names.h: DOS 8.3 names, their FCB form, wildcards, and the DOS names of host files. */
#ifndef MVM_DOS_NAMES_H
#define MVM_DOS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOS_NAME_MAX 13 /* "FILENAME.EXT" and its NUL */
#define DOS_FCB_NAME 11 /* "FILENAMEEXT", space-padded */

/* DOS attributes */
#define DOS_ATTR_READONLY 0x01
#define DOS_ATTR_HIDDEN 0x02
#define DOS_ATTR_SYSTEM 0x04
#define DOS_ATTR_VOLUME 0x08
#define DOS_ATTR_DIRECTORY 0x10
#define DOS_ATTR_ARCHIVE 0x20

/* True for a character DOS allows in a file name (after upper-casing). */
bool dos_name_char_ok(unsigned char c);

/* One path component as DOS 5 reads it: upper-cased, the name cut to 8
 * characters and the extension to 3 (as MS-DOS truncates), into FCB form.
 * With wildcards, '*' fills the rest of its field with '?'. Returns false
 * for an empty component or a character DOS refuses (or a wildcard when
 * !wildcards). "." and ".." are not components for this function. */
bool dos_name_to_fcb(const char *component, size_t len, bool wildcards,
		     char fcb[DOS_FCB_NAME]);

/* "FILENAMEEXT" to "FILENAME.EXT" (no dot when the extension is blank). */
void dos_fcb_to_name(const char fcb[DOS_FCB_NAME], char name[DOS_NAME_MAX]);

/* A pattern in FCB form against a name in FCB form: '?' matches any
 * character, a space too. */
bool dos_fcb_match(const char pattern[DOS_FCB_NAME], const char name[DOS_FCB_NAME]);

/* One entry of a host directory as DOS sees it. */
struct dos_dirent {
	char fcb[DOS_FCB_NAME];
	char name[DOS_NAME_MAX]; /* the DOS name: the host name when it fits 8.3 in
				  * upper case, else a unique alias NAME~N.EXT */
	char *host;              /* the host name */
	uint8_t attr;
	uint32_t size;           /* files over 4 GiB - 1 report 4 GiB - 1 */
	uint16_t time, date;     /* the modification time, DOS-packed, local */
};

/* A host directory's entries, sorted by host name, with their DOS names.
 * The same directory contents give the same aliases every time: names that
 * already are valid upper-case 8.3 names keep them, then names that are
 * valid once upper-cased get that form when it is free, then the rest get
 * the first free BASIS~N.EXT (BASIS: up to 6 allowed characters of the
 * name, upper-cased; N from 1; the basis shortens as N grows). "." and ".."
 * are listed (directories) unless the directory is a drive's root. Host
 * entries that are neither files nor directories are left out. */
struct dos_dirlist {
	struct dos_dirent *entries;
	size_t count;
};

/* Returns 0 or a negative errno. */
int dos_dir_read(const char *host_dir, bool is_root, struct dos_dirlist *list);
void dos_dir_free(struct dos_dirlist *list);
/* The entry whose DOS name (FCB form) is fcb, or NULL. */
const struct dos_dirent *dos_dir_find(const struct dos_dirlist *list,
				      const char fcb[DOS_FCB_NAME]);

/* A host time as DOS packs it: time = h<<11 | m<<5 | s/2, date =
 * (y-1980)<<9 | m<<5 | d; clamped to 1980-2107. */
void dos_time_pack(int64_t unix_seconds, uint16_t *time, uint16_t *date);
int64_t dos_time_unpack(uint16_t time, uint16_t date);

#endif
