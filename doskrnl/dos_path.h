/* dos_path.h: drives over host directories, and DOS paths resolved inside them. */
#ifndef MVM_DOS_PATH_H
#define MVM_DOS_PATH_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "dos_names.h"

#define DOS_DRIVES 26
#define DOS_PATH_MAX 128 /* "C:\" and a 64-character directory path, as DOS allows, and a name */
#define DOS_CWD_MAX 64   /* a current directory, without "C:\" (DOS: 64 bytes with the NUL) */

/* Character devices a name can reach from any directory, with or without
 * an extension ("CON", "NUL.TXT"). */
enum dos_device {
	DOS_DEV_NONE = 0,
	DOS_DEV_CON,
	DOS_DEV_NUL,
	DOS_DEV_AUX, /* also COM1 */
	DOS_DEV_PRN, /* also LPT1 */
	DOS_DEV_CLOCK,
};

struct dos_drive {
	char *root;     /* the host directory's real path; NULL: no such drive */
	bool readonly;  /* :ro: writes give access denied */
	char cwd[DOS_CWD_MAX]; /* "" at the root, else "SUB\\DIR" (DOS names) */
};

/* What the last component of a path must be. */
enum dos_lookup {
	DOS_LOOKUP_EXISTING,  /* must exist (file or directory) */
	DOS_LOOKUP_NEW,       /* may exist or not (create, mkdir, rename target) */
	DOS_LOOKUP_PATTERN,   /* may hold wildcards (find first, FCB search) */
};

struct dos_resolved {
	int drive;                      /* 0 = A: */
	char dos[DOS_PATH_MAX];         /* canonical: "C:\\SUB\\FILE.TXT" (truename) */
	char host[PATH_MAX];            /* the last component's host path (the existing
					 * entry's, else the directory plus the DOS name) */
	char host_dir[PATH_MAX];        /* the directory holding it */
	char fcb[DOS_FCB_NAME];         /* the last component, FCB form (may hold '?') */
	bool exists;
	bool is_root;                   /* the path names the drive's root itself */
	uint8_t attr;                   /* when it exists */
	enum dos_device device;         /* a device name: nothing else is set but dos */
};

/* Resolves path (as a program gave it: an optional drive, '\\' or '/',
 * absolute or relative to the drive's current directory, "." and "..",
 * any case) on drives (DOS_DRIVES of them) with current the current drive.
 * Returns 0 or a dos_error:
 *   DOS_EBADDRIVE (15) for a drive letter that is not mapped (callers that
 *   report it as path not found, as open does, translate);
 *   DOS_ENOPATH (3) when a directory on the way does not exist, ".." climbs
 *   above the root, a component is not a valid name, the path is too long,
 *   or the host path leaves the drive's root (a symbolic link pointing out);
 *   DOS_ENOENT (2) for DOS_LOOKUP_EXISTING when the last component does not
 *   exist. */
int dos_path_resolve(const struct dos_drive *drives, int current, const char *path,
		     enum dos_lookup lookup, struct dos_resolved *out);

/* The canonical form of path as truename (60h) gives it, from the path's text
 * and the current directory alone, as DOS does: nothing on the disk is
 * looked at, so missing files and directories canonicalise too ("C:\\X\\Y\\..\\Z"
 * is "C:\\X\\Z"), wildcards become '?' and a device is "C:/CON". Returns 0,
 * DOS_EBADDRIVE, or DOS_ENOPATH (an invalid name, ".." above the root, too
 * long). */
int dos_path_canonical(const struct dos_drive *drives, int current, const char *path,
		       char dos[DOS_PATH_MAX]);

/* Changes the current directory of the path's drive (function 3Bh):
 * DOS_ENOPATH unless it names an existing directory. */
int dos_path_chdir(struct dos_drive *drives, int current, const char *path);

/* Maps a drive: root must be an existing directory. Returns 0 or -errno. */
int dos_drive_map(struct dos_drive *drive, const char *host_dir, bool readonly);
void dos_drive_unmap(struct dos_drive *drive);

/* The DOS path of a host file (real path) inside one of the drives, e.g.
 * "C:\\SUB\\LONGNA~1.EXE"; DOS_ENOPATH when no drive holds it. */
int dos_path_from_host(const struct dos_drive *drives, const char *host_path,
		       char dos[DOS_PATH_MAX]);

#endif
