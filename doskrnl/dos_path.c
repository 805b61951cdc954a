/* dos_path.c: DOS drives over host directories, and DOS paths resolved inside them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dos_errors.h"
#include "dos_path.h"

/*
 * A path is walked one DOS name at a time, each looked up among its host
 * directory's entries as DOS names them (dos_dir_read), so aliases and any
 * case reach the host file. ".." is taken lexically, as DOS does: it returns
 * to the DOS parent, never to a symbolic link's host parent. Each directory
 * entered is checked to be the drive's root or inside it (its real path), so
 * no host directory outside a drive is ever listed, and the last component's
 * real path is checked too.
 */

/* "C:\" */
#define DOS_ROOT_LEN 3

/* A path has at most this many components, cwd and path together: more than
 * any path DOS's 128-byte buffers hold. */
#define PATH_COMPONENTS_MAX DOS_PATH_MAX

static const struct {
	const char *name;
	enum dos_device device;
} dos_devices[] = {
	{ "CON", DOS_DEV_CON },
	{ "NUL", DOS_DEV_NUL },
	{ "AUX", DOS_DEV_AUX },
	{ "COM1", DOS_DEV_AUX },
	{ "PRN", DOS_DEV_PRN },
	{ "LPT1", DOS_DEV_PRN },
	{ "CLOCK$", DOS_DEV_CLOCK },
};

/* The device a name in FCB form reaches (the extension does not matter). */
static enum dos_device device_of(const char fcb[DOS_FCB_NAME], const char **name)
{
	char base[9];
	size_t len = 8;

	while (len > 0 && fcb[len - 1] == ' ')
		len--;
	memcpy(base, fcb, len);
	base[len] = '\0';
	for (size_t i = 0; i < sizeof(dos_devices) / sizeof(dos_devices[0]); i++) {
		if (strcmp(base, dos_devices[i].name) == 0) {
			*name = dos_devices[i].name;
			return dos_devices[i].device;
		}
	}
	return DOS_DEV_NONE;
}

static bool is_separator(char c)
{
	return c == '\\' || c == '/';
}

/* The part of real (a real path) below root, "" for root itself, or NULL when
 * real is neither root nor inside it. */
static const char *path_below_root(const char *root, const char *real)
{
	size_t len = strlen(root);

	if (strcmp(root, "/") == 0)
		return real + 1;
	if (strncmp(real, root, len) != 0)
		return NULL;
	if (real[len] == '\0')
		return real + len;
	return real[len] == '/' ? real + len + 1 : NULL;
}

static bool host_inside_root(const char *root, const char *host)
{
	char real[PATH_MAX];

	return realpath(host, real) && path_below_root(root, real);
}

/* Appends "/name" to a host path; false when it would not fit. */
static bool host_append(char *host, size_t *len, const char *name)
{
	size_t name_len = strlen(name);
	bool slash = *len == 0 || host[*len - 1] != '/';

	if (*len + slash + name_len >= PATH_MAX)
		return false;
	if (slash)
		host[(*len)++] = '/';
	memcpy(host + *len, name, name_len + 1);
	*len += name_len;
	return true;
}

/* Appends a DOS name to a canonical path ("C:\" or "C:\SUB"); false when the
 * path would be longer than DOS allows. */
static bool dos_append(char *dos, size_t *len, const char *name)
{
	size_t name_len = strlen(name);
	bool backslash = *len > DOS_ROOT_LEN;

	if (*len + backslash + name_len >= DOS_PATH_MAX)
		return false;
	if (backslash)
		dos[(*len)++] = '\\';
	memcpy(dos + *len, name, name_len + 1);
	*len += name_len;
	return true;
}

/* A walk from a drive's root down its directories. */
struct path_walk {
	const char *root;
	char dos[DOS_PATH_MAX];
	size_t dos_len;
	char host[PATH_MAX];
	size_t host_len;
	size_t depth;
	struct {
		size_t dos_len, host_len; /* the parent's */
		char fcb[DOS_FCB_NAME];
		uint8_t attr;
	} level[PATH_COMPONENTS_MAX];
};

static int walk_start(struct path_walk *walk, const struct dos_drive *drive, int letter)
{
	walk->root = drive->root;
	walk->dos_len = (size_t)snprintf(walk->dos, sizeof(walk->dos), "%c:\\", 'A' + letter);
	walk->host_len = strlen(drive->root);
	if (walk->host_len >= sizeof(walk->host))
		return DOS_ENOPATH;
	memcpy(walk->host, drive->root, walk->host_len + 1);
	walk->depth = 0;
	return 0;
}

static void walk_up(struct path_walk *walk)
{
	walk->depth--;
	walk->dos_len = walk->level[walk->depth].dos_len;
	walk->dos[walk->dos_len] = '\0';
	walk->host_len = walk->level[walk->depth].host_len;
	walk->host[walk->host_len] = '\0';
}

/* Enters the directory called name (a component, not "." or ".."). */
static int walk_down(struct path_walk *walk, const char *name, size_t len)
{
	char fcb[DOS_FCB_NAME];
	struct dos_dirlist list;
	const struct dos_dirent *entry;
	int err = DOS_ENOPATH;

	if (walk->depth == PATH_COMPONENTS_MAX || !dos_name_to_fcb(name, len, false, fcb))
		return DOS_ENOPATH;
	if (dos_dir_read(walk->host, walk->depth == 0, &list) != 0)
		return DOS_ENOPATH;
	entry = dos_dir_find(&list, fcb);
	if (entry && (entry->attr & DOS_ATTR_DIRECTORY)) {
		walk->level[walk->depth].dos_len = walk->dos_len;
		walk->level[walk->depth].host_len = walk->host_len;
		memcpy(walk->level[walk->depth].fcb, entry->fcb, DOS_FCB_NAME);
		walk->level[walk->depth].attr = entry->attr;
		walk->depth++;
		if (dos_append(walk->dos, &walk->dos_len, entry->name) &&
		    host_append(walk->host, &walk->host_len, entry->host) &&
		    host_inside_root(walk->root, walk->host))
			err = 0;
	}
	dos_dir_free(&list);
	return err;
}

/* One directory component: ".", "..", or a name. */
static int walk_step(struct path_walk *walk, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (walk->depth == 0)
			return DOS_ENOPATH;
		walk_up(walk);
		return 0;
	}
	return walk_down(walk, name, len);
}

/* The result when the path names a directory it walked into (or the root). */
static void resolved_directory(const struct path_walk *walk, struct dos_resolved *out)
{
	out->exists = true;
	strcpy(out->dos, walk->dos);
	strcpy(out->host, walk->host);
	if (walk->depth == 0) {
		out->is_root = true;
		out->attr = DOS_ATTR_DIRECTORY;
		memset(out->fcb, ' ', DOS_FCB_NAME);
		strcpy(out->host_dir, walk->host);
		return;
	}
	out->attr = walk->level[walk->depth - 1].attr;
	memcpy(out->fcb, walk->level[walk->depth - 1].fcb, DOS_FCB_NAME);
	memcpy(out->host_dir, walk->host, walk->level[walk->depth - 1].host_len);
	out->host_dir[walk->level[walk->depth - 1].host_len] = '\0';
}

/* A device name: only the drive and MS-DOS's truename of a device, "C:/CON". */
static void resolved_device(enum dos_device device, const char *name, struct dos_resolved *out)
{
	int drive = out->drive;

	memset(out, 0, sizeof(*out));
	out->drive = drive;
	out->device = device;
	snprintf(out->dos, sizeof(out->dos), "%c:/%s", 'A' + drive, name);
}

/*
 * The last component of a path in the directory walk has reached. A name DOS
 * refuses gives file not found when it had to exist (as open reports it) and
 * path not found otherwise (as create reports it).
 */
static int resolve_last(const struct path_walk *walk, const char *name, size_t len,
			enum dos_lookup lookup, struct dos_resolved *out)
{
	const struct dos_dirent *entry = NULL;
	struct dos_dirlist list = { 0 };
	char dos_name[DOS_NAME_MAX];
	size_t dos_len = walk->dos_len, host_len = walk->host_len;
	bool pattern;
	int err = 0;

	if (!dos_name_to_fcb(name, len, lookup == DOS_LOOKUP_PATTERN, out->fcb))
		return lookup == DOS_LOOKUP_EXISTING ? DOS_ENOENT : DOS_ENOPATH;
	pattern = memchr(out->fcb, '?', DOS_FCB_NAME) != NULL;
	if (!pattern) {
		const char *device_name;
		enum dos_device device = device_of(out->fcb, &device_name);

		if (device != DOS_DEV_NONE) {
			resolved_device(device, device_name, out);
			return 0;
		}
	}
	strcpy(out->dos, walk->dos);
	strcpy(out->host, walk->host);
	strcpy(out->host_dir, walk->host);
	dos_fcb_to_name(out->fcb, dos_name);
	/* A pattern names no one entry: dos_find matches it against the listing. */
	if (!pattern) {
		if (dos_dir_read(walk->host, walk->depth == 0, &list) != 0)
			return DOS_ENOPATH;
		entry = dos_dir_find(&list, out->fcb);
	}
	if (entry) {
		out->exists = true;
		out->attr = entry->attr;
		strcpy(dos_name, entry->name);
		if (!host_append(out->host, &host_len, entry->host) ||
		    !host_inside_root(walk->root, out->host))
			err = DOS_ENOPATH;
	} else if (lookup == DOS_LOOKUP_EXISTING) {
		err = DOS_ENOENT;
	} else if (!host_append(out->host, &host_len, dos_name)) {
		err = DOS_ENOPATH;
	}
	if (!err && !dos_append(out->dos, &dos_len, dos_name))
		err = DOS_ENOPATH;
	dos_dir_free(&list);
	return err;
}

/* Splits a path at its separators into components, after those already in
 * component[0..*count). */
static int split_path(const char *path, const char **component, size_t *component_len,
		      size_t *count)
{
	while (*path) {
		size_t len;

		while (is_separator(*path))
			path++;
		len = strcspn(path, "\\/");
		if (len == 0)
			break;
		if (*count == PATH_COMPONENTS_MAX)
			return DOS_ENOPATH;
		component[*count] = path;
		component_len[*count] = len;
		(*count)++;
		path += len;
	}
	return 0;
}

/* Walks every component but the last as a directory; the last, unless "." or
 * "..", is looked up as lookup says. No component at all is the start itself. */
static int resolve_components(struct path_walk *walk, const char **component,
			      const size_t *component_len, size_t count,
			      enum dos_lookup lookup, struct dos_resolved *out)
{
	const char *last;
	size_t last_len;
	int err;

	for (size_t i = 0; i + 1 < count; i++) {
		err = walk_step(walk, component[i], component_len[i]);
		if (err)
			return err;
	}
	if (count == 0) {
		resolved_directory(walk, out);
		return 0;
	}
	last = component[count - 1];
	last_len = component_len[count - 1];
	if ((last_len == 1 && last[0] == '.') || (last_len == 2 && !memcmp(last, "..", 2))) {
		err = walk_step(walk, last, last_len);
		if (err)
			return err;
		resolved_directory(walk, out);
		return 0;
	}
	return resolve_last(walk, last, last_len, lookup, out);
}

/* The drive a path names (its letter, or current) and its components from
 * that drive's root: the current directory's, unless the path starts at the
 * root, then the path's own. */
static int split_full_path(const struct dos_drive *drives, int current, const char *path,
			   int *drive, const char **component, size_t *component_len,
			   size_t *count)
{
	int err;

	*drive = current;
	if (((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
	    path[1] == ':') {
		*drive = (path[0] & ~0x20) - 'A';
		path += 2;
	}
	if (*drive < 0 || *drive >= DOS_DRIVES || !drives[*drive].root)
		return DOS_EBADDRIVE;
	if (!is_separator(path[0])) {
		err = split_path(drives[*drive].cwd, component, component_len, count);
		if (err)
			return err;
	}
	return split_path(path, component, component_len, count);
}

int dos_path_resolve(const struct dos_drive *drives, int current, const char *path,
		     enum dos_lookup lookup, struct dos_resolved *out)
{
	const char *component[PATH_COMPONENTS_MAX];
	size_t component_len[PATH_COMPONENTS_MAX], count = 0;
	struct path_walk walk;
	int drive, err;

	memset(out, 0, sizeof(*out));
	err = split_full_path(drives, current, path, &drive, component, component_len, &count);
	if (err)
		return err;
	out->drive = drive;
	err = walk_start(&walk, &drives[drive], drive);
	if (err)
		return err;
	return resolve_components(&walk, component, component_len, count, lookup, out);
}

int dos_path_canonical(const struct dos_drive *drives, int current, const char *path,
		       char dos[DOS_PATH_MAX])
{
	const char *component[PATH_COMPONENTS_MAX];
	size_t component_len[PATH_COMPONENTS_MAX], count = 0, len, parent[PATH_COMPONENTS_MAX];
	size_t depth = 0;
	int drive;
	int err = split_full_path(drives, current, path, &drive, component, component_len, &count);

	if (err)
		return err;
	len = (size_t)snprintf(dos, DOS_PATH_MAX, "%c:\\", 'A' + drive);
	for (size_t i = 0; i < count; i++) {
		char fcb[DOS_FCB_NAME], name[DOS_NAME_MAX];
		const char *device_name;

		if (component_len[i] == 1 && component[i][0] == '.')
			continue;
		if (component_len[i] == 2 && !memcmp(component[i], "..", 2)) {
			if (depth == 0)
				return DOS_ENOPATH;
			len = parent[--depth];
			dos[len] = '\0';
			continue;
		}
		if (!dos_name_to_fcb(component[i], component_len[i], true, fcb))
			return DOS_ENOPATH;
		if (i + 1 == count && device_of(fcb, &device_name) != DOS_DEV_NONE) {
			snprintf(dos, DOS_PATH_MAX, "%c:/%s", 'A' + drive, device_name);
			return 0;
		}
		dos_fcb_to_name(fcb, name);
		parent[depth++] = len;
		if (!dos_append(dos, &len, name))
			return DOS_ENOPATH;
	}
	return 0;
}

int dos_path_chdir(struct dos_drive *drives, int current, const char *path)
{
	struct dos_resolved resolved;

	/* The canonical path less "C:\" is the new cwd. */
	if (dos_path_resolve(drives, current, path, DOS_LOOKUP_EXISTING, &resolved) != 0 ||
	    resolved.device != DOS_DEV_NONE || !(resolved.attr & DOS_ATTR_DIRECTORY) ||
	    strlen(resolved.dos + DOS_ROOT_LEN) >= DOS_CWD_MAX)
		return DOS_ENOPATH;
	strcpy(drives[resolved.drive].cwd, resolved.dos + DOS_ROOT_LEN);
	return 0;
}

int dos_drive_map(struct dos_drive *drive, const char *host_dir, bool readonly)
{
	struct stat st;
	char *root;

	root = realpath(host_dir, NULL);
	if (!root)
		return -errno;
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(root);
		return -ENOTDIR;
	}
	free(drive->root);
	drive->root = root;
	drive->readonly = readonly;
	drive->cwd[0] = '\0';
	return 0;
}

void dos_drive_unmap(struct dos_drive *drive)
{
	free(drive->root);
	drive->root = NULL;
	drive->readonly = false;
	drive->cwd[0] = '\0';
}

/* The DOS path of below (a real path relative to the root of drive). */
static int dos_path_below_root(const struct dos_drive *drive, int letter, const char *below,
			       char dos[DOS_PATH_MAX])
{
	char host[PATH_MAX];
	size_t host_len = strlen(drive->root), dos_len;
	int err = 0;

	if (host_len >= sizeof(host))
		return DOS_ENOPATH;
	memcpy(host, drive->root, host_len + 1);
	dos_len = (size_t)snprintf(dos, DOS_PATH_MAX, "%c:\\", 'A' + letter);
	for (bool is_root = true; *below && !err; is_root = false) {
		size_t len = strcspn(below, "/");
		const struct dos_dirent *entry = NULL;
		struct dos_dirlist list;

		if (dos_dir_read(host, is_root, &list) != 0)
			return DOS_ENOPATH;
		for (size_t i = 0; i < list.count && !entry; i++) {
			if (strlen(list.entries[i].host) == len &&
			    memcmp(list.entries[i].host, below, len) == 0)
				entry = &list.entries[i];
		}
		if (!entry || !dos_append(dos, &dos_len, entry->name) ||
		    !host_append(host, &host_len, entry->host))
			err = DOS_ENOPATH;
		dos_dir_free(&list);
		below += len;
		if (*below == '/')
			below++;
	}
	return err;
}

int dos_path_from_host(const struct dos_drive *drives, const char *host_path,
		       char dos[DOS_PATH_MAX])
{
	char real[PATH_MAX];

	if (!realpath(host_path, real))
		return DOS_ENOPATH;
	/* Drives may overlap: the first (from A:) that reaches the file. */
	for (int drive = 0; drive < DOS_DRIVES; drive++) {
		const char *below;

		if (!drives[drive].root)
			continue;
		below = path_below_root(drives[drive].root, real);
		if (below && dos_path_below_root(&drives[drive], drive, below, dos) == 0)
			return 0;
	}
	return DOS_ENOPATH;
}
