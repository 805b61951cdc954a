/* dos_names.c: DOS 8.3 names, their FCB form, and the DOS names (aliases) of host files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dos_attr.h"
#include "dos_names.h"

#define FCB_BASE 8               /* "FILENAME" */
#define FCB_EXT 3                /* "EXT" */
#define ALIAS_BASIS_MAX 6        /* "LONGNA" of "LONGNA~1.TXT" */

/*
 * Find first/next keeps the index of the next entry in a word: a host
 * directory with more entries shows "." and ".." and its first ones by host
 * name, 65535 in all.
 */
#define DIR_ENTRIES_MAX 65535

/* The first and last dates a FAT directory entry can hold. */
#define DOS_YEAR_FIRST 1980
#define DOS_YEAR_LAST 2107

/* Characters allowed in a name besides letters, digits and bytes >= 0x80. */
static const char dos_name_punct[] = "!#$%&'()-@^_`{}~";

/* Upper-cases ASCII only: bytes >= 0x80 are the code page's, left alone. */
static unsigned char dos_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

bool dos_name_char_ok(unsigned char c)
{
	c = dos_upper(c);
	if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != 0 && strchr(dos_name_punct, c) != NULL;
}

bool dos_name_to_fcb(const char *component, size_t len, bool wildcards,
		     char fcb[DOS_FCB_NAME])
{
	size_t field = 0, field_len = FCB_BASE, pos = 0;
	bool in_ext = false, star = false;

	memset(fcb, ' ', DOS_FCB_NAME);
	/* A leading dot leaves the name empty: "." and ".." are not names. */
	if (len == 0 || component[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = dos_upper((unsigned char)component[i]);

		if (c == '.') {
			if (in_ext)
				return false;
			in_ext = true;
			field = FCB_BASE;
			field_len = FCB_EXT;
			pos = 0;
			star = false;
			continue;
		}
		if (c == '?' || c == '*') {
			if (!wildcards)
				return false;
		} else if (!dos_name_char_ok(c)) {
			return false;
		}
		/* After a '*' or past the field's end the rest is dropped, but
		 * still has to be valid. */
		if (star || pos == field_len)
			continue;
		if (c == '*') {
			memset(fcb + field + pos, '?', field_len - pos);
			star = true;
			continue;
		}
		fcb[field + pos++] = (char)c;
	}
	return true;
}

void dos_fcb_to_name(const char fcb[DOS_FCB_NAME], char name[DOS_NAME_MAX])
{
	size_t base = FCB_BASE, ext = FCB_EXT, len;

	while (base > 0 && fcb[base - 1] == ' ')
		base--;
	while (ext > 0 && fcb[FCB_BASE + ext - 1] == ' ')
		ext--;
	memcpy(name, fcb, base);
	len = base;
	if (ext > 0) {
		name[len++] = '.';
		memcpy(name + len, fcb + FCB_BASE, ext);
		len += ext;
	}
	name[len] = '\0';
}

bool dos_fcb_match(const char pattern[DOS_FCB_NAME], const char name[DOS_FCB_NAME])
{
	for (size_t i = 0; i < DOS_FCB_NAME; i++) {
		if (pattern[i] != '?' && pattern[i] != name[i])
			return false;
	}
	return true;
}

/*
 * The FCB names given out so far in one directory, so that alias generation
 * finds a free one without comparing against every entry: open addressing
 * over pointers to the entries' own fcb arrays.
 */
struct fcb_set {
	const char **slot;
	size_t mask;
};

static int fcb_set_init(struct fcb_set *set, size_t count)
{
	size_t size = 16;

	while (size < 2 * count)
		size *= 2;
	set->slot = calloc(size, sizeof(*set->slot));
	set->mask = size - 1;
	return set->slot ? 0 : -ENOMEM;
}

static size_t fcb_hash(const char fcb[DOS_FCB_NAME])
{
	uint32_t hash = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < DOS_FCB_NAME; i++)
		hash = (hash ^ (unsigned char)fcb[i]) * 16777619u;
	return hash;
}

/* The slot holding fcb, or the empty slot where it would go. */
static const char **fcb_set_slot(const struct fcb_set *set, const char fcb[DOS_FCB_NAME])
{
	size_t i = fcb_hash(fcb) & set->mask;

	while (set->slot[i] && memcmp(set->slot[i], fcb, DOS_FCB_NAME) != 0)
		i = (i + 1) & set->mask;
	return &set->slot[i];
}

/* How a host name fits 8.3. */
enum host_fit {
	HOST_FIT_NONE,   /* needs an alias */
	HOST_FIT_UPPER,  /* a valid 8.3 name once upper-cased */
	HOST_FIT_EXACT,  /* already a valid upper-case 8.3 name */
};

static enum host_fit host_name_fit(const char *host, char fcb[DOS_FCB_NAME])
{
	size_t len = strlen(host);
	char name[DOS_NAME_MAX];

	/* Anything truncated or dropped (a trailing dot) does not fit. */
	if (len >= DOS_NAME_MAX || !dos_name_to_fcb(host, len, false, fcb))
		return HOST_FIT_NONE;
	dos_fcb_to_name(fcb, name);
	if (strcmp(name, host) == 0)
		return HOST_FIT_EXACT;
	if (strlen(name) != len)
		return HOST_FIT_NONE;
	for (size_t i = 0; i < len; i++) {
		if (dos_upper((unsigned char)host[i]) != (unsigned char)name[i])
			return HOST_FIT_NONE;
	}
	return HOST_FIT_UPPER;
}

/*
 * The basis and extension of a host name's alias: up to 6 allowed characters
 * of the part before the last dot, and up to 3 of the part after it; leading
 * dots (".profile") start no extension. '~' is left out of the basis, so the
 * number after the alias's '~' is never ambiguous and each N gives a
 * different alias.
 */
static void alias_parts(const char *host, char basis[ALIAS_BASIS_MAX + 1], size_t *basis_len,
			char ext[FCB_EXT])
{
	const char *start = host, *dot, *end;
	size_t len = 0;

	while (*start == '.')
		start++;
	dot = strrchr(start, '.');
	end = dot ? dot : start + strlen(start);
	for (const char *p = start; p < end && len < ALIAS_BASIS_MAX; p++) {
		if (*p != '~' && dos_name_char_ok((unsigned char)*p))
			basis[len++] = (char)dos_upper((unsigned char)*p);
	}
	if (len == 0)
		basis[len++] = '_';
	*basis_len = len;
	memset(ext, ' ', FCB_EXT);
	if (!dot)
		return;
	len = 0;
	for (const char *p = dot + 1; *p && len < FCB_EXT; p++) {
		if (dos_name_char_ok((unsigned char)*p))
			ext[len++] = (char)dos_upper((unsigned char)*p);
	}
}

/* The first free BASIS~N.EXT, the basis cut so that the name stays 8 long. */
static void alias_make(const struct fcb_set *set, const char *host, char fcb[DOS_FCB_NAME])
{
	char basis[ALIAS_BASIS_MAX + 1], ext[FCB_EXT], tail[FCB_BASE + 1];
	size_t basis_len;

	alias_parts(host, basis, &basis_len, ext);
	/* At most DIR_ENTRIES_MAX names are taken, so N stays below 65536
	 * and "~N" fits with at least two characters of basis. */
	for (unsigned n = 1;; n++) {
		size_t tail_len = (size_t)snprintf(tail, sizeof(tail), "~%u", n);
		size_t keep = basis_len < FCB_BASE - tail_len ? basis_len : FCB_BASE - tail_len;

		memset(fcb, ' ', DOS_FCB_NAME);
		memcpy(fcb, basis, keep);
		memcpy(fcb + keep, tail, tail_len);
		memcpy(fcb + FCB_BASE, ext, FCB_EXT);
		if (!*fcb_set_slot(set, fcb))
			return;
	}
}

/* Gives each of entries[0..count) its DOS name, in the three passes dos_names.h
 * describes, each in host name order. */
static int assign_dos_names(struct dos_dirent *entries, size_t count)
{
	struct fcb_set set;
	enum host_fit *fit;
	char fcb[DOS_FCB_NAME];

	fit = calloc(count ? count : 1, sizeof(*fit));
	if (!fit || fcb_set_init(&set, count) != 0) {
		free(fit);
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		fit[i] = host_name_fit(entries[i].host, entries[i].fcb);
		if (fit[i] == HOST_FIT_EXACT)
			*fcb_set_slot(&set, entries[i].fcb) = entries[i].fcb;
	}
	for (size_t i = 0; i < count; i++) {
		const char **slot;

		if (fit[i] != HOST_FIT_UPPER)
			continue;
		slot = fcb_set_slot(&set, entries[i].fcb);
		if (*slot)
			fit[i] = HOST_FIT_NONE;
		else
			*slot = entries[i].fcb;
	}
	for (size_t i = 0; i < count; i++) {
		if (fit[i] != HOST_FIT_NONE)
			continue;
		alias_make(&set, entries[i].host, fcb);
		memcpy(entries[i].fcb, fcb, DOS_FCB_NAME);
		*fcb_set_slot(&set, entries[i].fcb) = entries[i].fcb;
	}
	for (size_t i = 0; i < count; i++)
		dos_fcb_to_name(entries[i].fcb, entries[i].name);
	free(set.slot);
	free(fit);
	return 0;
}

static void dirent_set_stat(struct dos_dirent *entry, const char *host_path,
			    const struct stat *st)
{
	entry->attr = dos_attr_of(host_path, st);
	entry->size = S_ISDIR(st->st_mode) ? 0
		      : st->st_size > UINT32_MAX ? UINT32_MAX : (uint32_t)st->st_size;
	dos_time_pack(st->st_mtime, &entry->time, &entry->date);
}

/* "." or "..": a directory entry with the directory's own times. */
static int dirent_set_dot(struct dos_dirent *entry, int dir_fd, const char *dot)
{
	struct stat st;

	memset(entry, 0, sizeof(*entry));
	entry->host = strdup(dot);
	if (!entry->host)
		return -ENOMEM;
	memset(entry->fcb, ' ', DOS_FCB_NAME);
	memcpy(entry->fcb, dot, strlen(dot));
	dos_fcb_to_name(entry->fcb, entry->name);
	if (fstatat(dir_fd, dot, &st, 0) != 0)
		st.st_mtime = 0;
	entry->attr = DOS_ATTR_DIRECTORY;
	dos_time_pack(st.st_mtime, &entry->time, &entry->date);
	return 0;
}

static int compare_host_names(const void *a, const void *b)
{
	const struct dos_dirent *x = a, *y = b;

	return strcmp(x->host, y->host);
}

/* Appends the host entries of dir, host_dir opened (files and directories,
 * through symbolic links), to list, whose entries array has room for
 * *capacity. */
static int read_host_entries(DIR *dir, const char *host_dir, struct dos_dirlist *list,
			     size_t *capacity)
{
	int dir_fd = dirfd(dir);
	struct dirent *de;
	char host_path[PATH_MAX];

	for (;;) {
		struct dos_dirent *entry;
		struct stat st;

		errno = 0;
		de = readdir(dir);
		if (!de)
			return -errno;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* A dangling link, a socket, a device: nothing DOS could open. */
		if (fstatat(dir_fd, de->d_name, &st, 0) != 0 ||
		    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
			continue;
		if (list->count == *capacity) {
			size_t grown = *capacity ? 2 * *capacity : 32;
			struct dos_dirent *entries = realloc(list->entries, grown * sizeof(*entries));

			if (!entries)
				return -ENOMEM;
			list->entries = entries;
			*capacity = grown;
		}
		entry = &list->entries[list->count];
		memset(entry, 0, sizeof(*entry));
		entry->host = strdup(de->d_name);
		if (!entry->host)
			return -ENOMEM;
		list->count++;
		if (snprintf(host_path, sizeof(host_path), "%s/%s", host_dir, de->d_name) >=
		    (int)sizeof(host_path))
			host_path[0] = '\0';
		dirent_set_stat(entry, host_path, &st);
	}
}

int dos_dir_read(const char *host_dir, bool is_root, struct dos_dirlist *list)
{
	size_t dots = is_root ? 0 : 2, capacity = 2;
	DIR *dir;
	int err;

	list->count = 0;
	list->entries = calloc(capacity, sizeof(*list->entries));
	if (!list->entries)
		return -ENOMEM;
	dir = opendir(host_dir);
	if (!dir) {
		err = -errno;
		goto fail;
	}
	/* DOS lists "." and ".." first, whatever the other names. */
	if (!is_root) {
		err = dirent_set_dot(&list->entries[0], dirfd(dir), ".");
		if (err)
			goto fail_dir;
		list->count++;
		err = dirent_set_dot(&list->entries[1], dirfd(dir), "..");
		if (err)
			goto fail_dir;
		list->count++;
	}
	err = read_host_entries(dir, host_dir, list, &capacity);
	if (err)
		goto fail_dir;
	closedir(dir);
	qsort(list->entries + dots, list->count - dots, sizeof(*list->entries),
	      compare_host_names);
	while (list->count > DIR_ENTRIES_MAX)
		free(list->entries[--list->count].host);
	err = assign_dos_names(list->entries + dots, list->count - dots);
	if (err)
		goto fail;
	for (size_t i = dots; i < list->count; i++) {
		if (list->entries[i].host[0] == '.')
			list->entries[i].attr |= DOS_ATTR_HIDDEN;
	}
	return 0;

fail_dir:
	closedir(dir);
fail:
	dos_dir_free(list);
	return err;
}

void dos_dir_free(struct dos_dirlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->entries[i].host);
	free(list->entries);
	list->entries = NULL;
	list->count = 0;
}

const struct dos_dirent *dos_dir_find(const struct dos_dirlist *list,
				      const char fcb[DOS_FCB_NAME])
{
	for (size_t i = 0; i < list->count; i++) {
		if (memcmp(list->entries[i].fcb, fcb, DOS_FCB_NAME) == 0)
			return &list->entries[i];
	}
	return NULL;
}

void dos_time_pack(int64_t unix_seconds, uint16_t *time, uint16_t *date)
{
	time_t seconds = (time_t)unix_seconds;
	struct tm tm;

	if (!localtime_r(&seconds, &tm)) {
		/* Out of the host's range: the nearer end of DOS's. */
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = unix_seconds < 0 ? 0 : INT_MAX;
	}
	if (tm.tm_year < DOS_YEAR_FIRST - 1900) {
		tm = (struct tm){ .tm_year = DOS_YEAR_FIRST - 1900, .tm_mon = 0, .tm_mday = 1 };
	} else if (tm.tm_year > DOS_YEAR_LAST - 1900) {
		tm = (struct tm){ .tm_year = DOS_YEAR_LAST - 1900, .tm_mon = 11, .tm_mday = 31,
				  .tm_hour = 23, .tm_min = 59, .tm_sec = 58 };
	}
	/* A leap second (60) would read back as 0 of the next minute. */
	if (tm.tm_sec > 59)
		tm.tm_sec = 59;
	*time = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*date = (uint16_t)((tm.tm_year + 1900 - DOS_YEAR_FIRST) << 9 | (tm.tm_mon + 1) << 5 |
			   tm.tm_mday);
}

int64_t dos_time_unpack(uint16_t time, uint16_t date)
{
	/* Fields out of range (a guest's) are normalised by mktime. */
	struct tm tm = {
		.tm_year = (date >> 9) + DOS_YEAR_FIRST - 1900,
		.tm_mon = ((date >> 5) & 0x0f) - 1,
		.tm_mday = date & 0x1f,
		.tm_hour = time >> 11,
		.tm_min = (time >> 5) & 0x3f,
		.tm_sec = (time & 0x1f) * 2,
		.tm_isdst = -1,
	};

	return (int64_t)mktime(&tm);
}
