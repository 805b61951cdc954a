/* dos_fcb.c: the FCB functions (0Fh-17h, 21h-24h, 27h-29h), CP/M's file calls as MS-DOS 5 keeps them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dos.h"

/*
 * An FCB (file control block) lives in the program's memory and the program
 * may change any of it between calls, so everything read back from it is
 * checked. An extended FCB starts with FFh, its attribute at +6 and the FCB
 * proper at +7; offsets below count from the FCB proper (its drive byte).
 *
 * An open FCB names its open file in the reserved bytes 18h-1Fh: a magic
 * word, the SFT index and a tag derived from the open file's identity. A
 * call accepts the SFT entry only when it is in use, was opened by an FCB
 * call and has the same tag. An FCB that carries the magic but whose entry
 * is gone (closed, or reused since) is opened again by its drive and name,
 * keeping its position fields, as MS-DOS regenerates an FCB's SFT entry from
 * the FCB; one without the magic was never opened and gets an error.
 *
 * Find first/next (11h, 12h) keep dos_find's 21-byte search state in the
 * search FCB at 0Ch-20h, where DOS 3+ keeps its own search state (RBIL:
 * "the search FCB at DS:DX must not be modified if AH=12h will be used"),
 * so any number of FCB searches can run at once.
 */
#define FCB_DRIVE 0x00       /* 0 = default, 1 = A: */
#define FCB_NAME 0x01        /* 8 + 3, space-padded */
#define FCB_BLOCK 0x0C       /* current block (128 records) */
#define FCB_RECSIZE 0x0E     /* logical record size */
#define FCB_FILESIZE 0x10
#define FCB_DATE 0x14
#define FCB_TIME 0x16
#define FCB_MAGIC_AT 0x18    /* ours: FCB_MAGIC while it names an open file */
#define FCB_SFT_AT 0x1A      /* ours: the SFT index, FCB_SFT_CLOSED after 10h */
#define FCB_TAG_AT 0x1C      /* ours: fcb_tag() of the open file */
#define FCB_RECORD 0x20      /* current record within the block */
#define FCB_RANDOM 0x21      /* random record: 4 bytes, 3 when records are >= 64 bytes */
#define FCB_NEW_NAME 0x11    /* 17h: the new name (DOS's "special FCB", drive at 10h) */
#define FCB_SEARCH 0x0C      /* 11h/12h: the search state, DOS_FIND_STATE_SIZE bytes */
#define FCB_LEN 0x25

#define XFCB_FLAG 0xFF
#define XFCB_ATTR 6
#define XFCB_HEADER 7

#define FCB_MAGIC 0x4B46     /* "FK" */
#define FCB_SFT_CLOSED 0xFF
#define FCB_RECORDS_PER_BLOCK 128
#define FCB_DEFAULT_RECSIZE 128
#define FCB_BIG_RECORD 64    /* records this large keep 3 bytes of random record */
#define FCB_DIRENT_SIZE 32

/* The read and write results of 14h, 15h, 21h, 22h, 27h, 28h. */
#define FCB_IO_OK 0
#define FCB_IO_EOF 1         /* reads: no data; writes: disk full */
#define FCB_IO_WRAP 2        /* the transfer would pass the DTA's segment end */
#define FCB_IO_PARTIAL 3     /* reads: a last record padded with zeros */

#define FCB_FAIL 0xFF        /* AL of the other calls when they fail */

/* Entries of these kinds match only when an extended FCB asks for them. */
#define FCB_ATTR_ASKED (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_DIRECTORY)

/* The largest 32-bit file position, DOS's limit. */
#define FCB_POSITION_LIMIT 0x100000000ull

struct fcb {
	uint32_t base;       /* linear address of the drive byte */
	bool extended;
	uint8_t attr;        /* the extended FCB's attribute, else 0 */
	uint8_t b[FCB_LEN];
};

/* The FCB at DS:DX; nonzero when it is not all in memory. */
static int fcb_load(struct dos *d, const struct vdh_regs *r, struct fcb *fcb)
{
	uint32_t linear = dos_linear(r->ds, reg16(r->edx));
	uint8_t flag;

	memset(fcb, 0, sizeof(*fcb));
	if (dos_mem_read8(&d->mem, linear, &flag))
		return -1;
	if (flag == XFCB_FLAG) {
		fcb->extended = true;
		if (dos_mem_read8(&d->mem, linear + XFCB_ATTR, &fcb->attr))
			return -1;
		linear += XFCB_HEADER;
	}
	fcb->base = linear;
	return dos_mem_read(&d->mem, linear, fcb->b, FCB_LEN);
}

/*
 * Writes one field, in the copy and in the guest. Only the fields a call
 * changes are written: a program's FCB at PSP:5Ch ends inside the command
 * tail at 80h, which the unused high byte of the random record overlaps. The
 * FCB was just read from RAM, so the write cannot fail but in ROM, where it
 * is dropped as the hardware would.
 */
static void fcb_put(struct dos *d, struct fcb *fcb, unsigned offset, const void *data, size_t len)
{
	memcpy(fcb->b + offset, data, len);
	(void)dos_mem_write(&d->mem, fcb->base + offset, data, len);
}

static void fcb_put8(struct dos *d, struct fcb *fcb, unsigned offset, uint8_t v)
{
	fcb_put(d, fcb, offset, &v, 1);
}

static void fcb_put16(struct dos *d, struct fcb *fcb, unsigned offset, uint16_t v)
{
	uint8_t b[2];
	dos_put16(b, v);
	fcb_put(d, fcb, offset, b, 2);
}

static void fcb_put32(struct dos *d, struct fcb *fcb, unsigned offset, uint32_t v)
{
	uint8_t b[4];
	dos_put32(b, v);
	fcb_put(d, fcb, offset, b, 4);
}

/* The record size, 128 when the program left it 0 (DOS then stores 128). */
static uint16_t fcb_recsize(struct dos *d, struct fcb *fcb, bool store)
{
	uint16_t size = dos_get16(fcb->b + FCB_RECSIZE);

	if (size == 0) {
		size = FCB_DEFAULT_RECSIZE;
		if (store)
			fcb_put16(d, fcb, FCB_RECSIZE, size);
	}
	return size;
}

static uint32_t fcb_random(const struct fcb *fcb, uint16_t recsize)
{
	uint32_t v = dos_get32(fcb->b + FCB_RANDOM);
	return recsize >= FCB_BIG_RECORD ? v & 0xFFFFFF : v;
}

static void fcb_set_random(struct dos *d, struct fcb *fcb, uint16_t recsize, uint32_t v)
{
	uint8_t b[4];

	dos_put32(b, v);
	fcb_put(d, fcb, FCB_RANDOM, b, recsize >= FCB_BIG_RECORD ? 3 : 4);
}

/* The current block and record of 14h/15h as one record number. */
static uint64_t fcb_sequential(const struct fcb *fcb)
{
	return (uint64_t)dos_get16(fcb->b + FCB_BLOCK) * FCB_RECORDS_PER_BLOCK + fcb->b[FCB_RECORD];
}

static void fcb_set_sequential(struct dos *d, struct fcb *fcb, uint64_t record)
{
	fcb_put16(d, fcb, FCB_BLOCK, (uint16_t)(record / FCB_RECORDS_PER_BLOCK));
	fcb_put8(d, fcb, FCB_RECORD, (uint8_t)(record % FCB_RECORDS_PER_BLOCK));
}

/* The drive an FCB's drive byte names (0-based); -1 when it is not mapped. */
static int fcb_drive(const struct dos *d, uint8_t drive_byte)
{
	int drive = drive_byte == 0 ? d->current_drive : drive_byte - 1;

	if (drive < 0 || drive >= DOS_DRIVES || !d->drives[drive].root)
		return -1;
	return drive;
}

/* "C:NAME.EXT": a name in the drive's current directory. */
static int drive_path(char path[DOS_PATH_MAX], int drive, const char *name)
{
	int n = snprintf(path, DOS_PATH_MAX, "%c:%s", 'A' + drive, name);
	return n < 0 || n >= DOS_PATH_MAX ? DOS_ENOPATH : 0;
}

/*
 * "C:NAME.EXT" for an FCB name (11 bytes) on a drive, relative to the drive's
 * current directory as FCB names always are. Characters that cannot be in a
 * name (a path separator, a colon, a NUL) would let the name reach outside
 * the directory or mean something else, so they fail here.
 */
static int fcb_path(const struct dos *d, uint8_t drive_byte, const uint8_t *name, bool wildcards,
		    char path[DOS_PATH_MAX], int *drive_out)
{
	char fcb_name[DOS_FCB_NAME], dos_name[DOS_NAME_MAX];
	int drive = fcb_drive(d, drive_byte);

	if (drive < 0)
		return DOS_ENOPATH; /* as DOS reports an FCB on a drive that does not exist */
	for (size_t i = 0; i < DOS_FCB_NAME; i++) {
		uint8_t c = name[i];

		if (!(c == ' ' || (c == '?' && wildcards) || dos_name_char_ok(c)))
			return DOS_ENOENT;
		fcb_name[i] = (char)c;
	}
	if (fcb_name[0] == ' ')
		return DOS_ENOENT;
	dos_fcb_to_name(fcb_name, dos_name);
	*drive_out = drive;
	return drive_path(path, drive, dos_name);
}

/* The directory an FCB name (may hold '?') is in, listed. A device name
 * lists nothing and leaves res->device set. */
static int fcb_list(struct dos *d, const struct fcb *fcb, const uint8_t *name,
		    struct dos_resolved *res, struct dos_dirlist *list)
{
	char path[DOS_PATH_MAX];
	int drive, err;

	memset(list, 0, sizeof(*list));
	err = fcb_path(d, fcb->b[FCB_DRIVE], name, true, path, &drive);
	if (err)
		return err;
	err = dos_resolve(d, path, DOS_LOOKUP_PATTERN, res);
	if (err)
		return err;
	if (res->device != DOS_DEV_NONE)
		return 0;
	if (dos_dir_read(res->host_dir, strcmp(res->host_dir, d->drives[res->drive].root) == 0,
			 list) != 0)
		return DOS_ENOPATH;
	return 0;
}

/* fcb_list for a call that changes the directory (delete, rename): a
 * device or a read-only drive is refused with DOS_EACCES, nothing listed. */
static int fcb_list_changeable(struct dos *d, const struct fcb *fcb, struct dos_resolved *res,
			       struct dos_dirlist *list)
{
	int err = fcb_list(d, fcb, fcb->b + FCB_NAME, res, list);

	if (err)
		return err;
	if (res->device != DOS_DEV_NONE)
		return DOS_EACCES;
	if (d->drives[res->drive].readonly) {
		dos_dir_free(list);
		return DOS_EACCES;
	}
	return 0;
}

/* An entry the FCB's pattern and attribute select; never "." or "..", which
 * no FCB call but find may touch. */
static bool fcb_selects(const struct dos_dirent *entry, const char pattern[DOS_FCB_NAME],
			uint8_t attr)
{
	if (entry->fcb[0] == '.' || (entry->attr & DOS_ATTR_VOLUME))
		return false;
	if (entry->attr & ~attr & FCB_ATTR_ASKED)
		return false;
	return dos_fcb_match(pattern, entry->fcb);
}

static int host_join(char out[PATH_MAX], const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	return n < 0 || n >= PATH_MAX ? DOS_ENOPATH : 0;
}

/* Identifies the open file an FCB names, so that a stale or forged FCB does
 * not reach another file that happens to use the same SFT entry. */
static uint32_t fcb_tag(const struct dos_file *f, unsigned sft)
{
	uint64_t h = (uint64_t)f->host_ino * 0x9E3779B97F4A7C15ull;

	h ^= (uint64_t)f->host_dev + ((uint64_t)sft << 40) + ((uint64_t)(unsigned)f->drive << 48);
	h *= 0xBF58476D1CE4E5B9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static void fcb_set_handle(struct dos *d, struct fcb *fcb, unsigned sft)
{
	uint8_t b[8];

	dos_put16(b, FCB_MAGIC);
	b[2] = (uint8_t)sft;
	b[3] = 0;
	dos_put32(b + 4, fcb_tag(&d->files[sft], sft));
	fcb_put(d, fcb, FCB_MAGIC_AT, b, sizeof(b));
}

/* Size, date and time of an open file as the FCB shows them. */
static void file_stat(const struct dos_file *f, uint32_t *size, uint16_t *date, uint16_t *time)
{
	struct stat st;

	*size = 0;
	*date = f->date;
	*time = f->time;
	if (f->device != DOS_DEV_NONE || fstat(f->fd, &st) != 0)
		return;
	*size = (uint64_t)st.st_size > UINT32_MAX ? UINT32_MAX : (uint32_t)st.st_size;
	dos_time_pack((int64_t)st.st_mtime, time, date);
}

static void fcb_set_stat(struct dos *d, struct fcb *fcb, const struct dos_file *f)
{
	uint32_t size;
	uint16_t date, time;

	file_stat(f, &size, &date, &time);
	fcb_put32(d, fcb, FCB_FILESIZE, size);
	fcb_put16(d, fcb, FCB_DATE, date);
	fcb_put16(d, fcb, FCB_TIME, time);
}

/*
 * Opens the first file the FCB's name (may hold '?', as DOS allows) and
 * attribute select: read/write, or read-only when the file or its drive
 * allows no more, as DOS 3+ opens read-only files through FCBs.
 */
static int fcb_open_file(struct dos *d, const struct fcb *fcb, unsigned *sft)
{
	struct dos_resolved res;
	struct dos_dirlist list;
	char path[DOS_PATH_MAX];
	const char *name = NULL;
	int err;

	err = fcb_list(d, fcb, fcb->b + FCB_NAME, &res, &list);
	if (err)
		return err;
	if (res.device != DOS_DEV_NONE) {
		/* res.dos is "C:/CON". */
		err = drive_path(path, res.drive, res.dos + 3);
	} else {
		for (size_t i = 0; i < list.count && !name; i++) {
			if (fcb_selects(&list.entries[i], res.fcb, fcb->attr) &&
			    !(list.entries[i].attr & DOS_ATTR_DIRECTORY))
				name = list.entries[i].name;
		}
		err = name ? drive_path(path, res.drive, name) : DOS_ENOENT;
		dos_dir_free(&list);
	}
	if (err)
		return err;
	err = dos_file_open(d, path, 2, true, sft);
	if (err == DOS_EACCES)
		err = dos_file_open(d, path, 0, true, sft);
	return err;
}

/* What 0Fh and 16h fill in: the drive, block 0, records of 128 bytes, the
 * file's size, date and time, and the open file. The current and random
 * record are the program's to set. */
static void fcb_opened(struct dos *d, struct fcb *fcb, unsigned sft, int drive)
{
	fcb_put8(d, fcb, FCB_DRIVE, (uint8_t)(drive + 1));
	fcb_put16(d, fcb, FCB_BLOCK, 0);
	fcb_put16(d, fcb, FCB_RECSIZE, FCB_DEFAULT_RECSIZE);
	fcb_set_stat(d, fcb, &d->files[sft]);
	fcb_set_handle(d, fcb, sft);
}

/* The open file an FCB names (see the top of this file). */
static int fcb_file(struct dos *d, struct fcb *fcb, struct dos_file **out)
{
	unsigned sft = fcb->b[FCB_SFT_AT];
	int err;

	if (dos_get16(fcb->b + FCB_MAGIC_AT) != FCB_MAGIC)
		return DOS_EBADF;
	if (sft < DOS_SFT_SIZE && d->files[sft].refs && d->files[sft].fcb &&
	    dos_get32(fcb->b + FCB_TAG_AT) == fcb_tag(&d->files[sft], sft)) {
		*out = &d->files[sft];
		return 0;
	}
	err = fcb_open_file(d, fcb, &sft);
	if (err)
		return err;
	fcb_set_handle(d, fcb, sft);
	*out = &d->files[sft];
	return 0;
}

static enum dos_status fcb_result(struct vdh_regs *r, uint8_t al)
{
	set_reg_lo(&r->eax, al);
	return DOS_DONE;
}

static enum dos_status fcb_fail(struct dos *d, struct vdh_regs *r, int error)
{
	dos_set_error(d, error);
	return fcb_result(r, FCB_FAIL);
}

/* 0Fh: open. */
static enum dos_status fcb_fn_open(struct dos *d, struct vdh_regs *r)
{
	struct fcb fcb;
	unsigned sft;
	int drive, err;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_ENOENT);
	drive = fcb_drive(d, fcb.b[FCB_DRIVE]);
	if (drive < 0)
		return fcb_fail(d, r, DOS_ENOPATH);
	err = fcb_open_file(d, &fcb, &sft);
	if (err)
		return fcb_fail(d, r, err);
	fcb_opened(d, &fcb, sft, drive);
	return fcb_result(r, 0);
}

/* 16h: create, or truncate an existing file. */
static enum dos_status fcb_fn_create(struct dos *d, struct vdh_regs *r)
{
	char path[DOS_PATH_MAX];
	struct fcb fcb;
	unsigned sft;
	int drive, err;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_ENOPATH);
	/* Host directories have no volume label to create. */
	if (fcb.attr & (DOS_ATTR_VOLUME | DOS_ATTR_DIRECTORY))
		return fcb_fail(d, r, DOS_EACCES);
	err = fcb_path(d, fcb.b[FCB_DRIVE], fcb.b + FCB_NAME, false, path, &drive);
	if (err)
		return fcb_fail(d, r, err == DOS_ENOENT ? DOS_ENOPATH : err);
	if (d->drives[drive].readonly)
		return fcb_fail(d, r, DOS_EACCES);
	err = dos_file_create(d, path, fcb.attr, false, true, &sft);
	if (err)
		return fcb_fail(d, r, err);
	fcb_opened(d, &fcb, sft, drive);
	return fcb_result(r, 0);
}

/* 10h: close. */
static enum dos_status fcb_fn_close(struct dos *d, struct vdh_regs *r)
{
	struct fcb fcb;
	unsigned sft;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_EBADF);
	sft = fcb.b[FCB_SFT_AT];
	if (dos_get16(fcb.b + FCB_MAGIC_AT) != FCB_MAGIC)
		return fcb_fail(d, r, DOS_EBADF);
	/* An FCB closed already (or whose entry is gone) closes again without
	 * complaint, as in DOSBox and in DOS, which would regenerate it first. */
	if (sft < DOS_SFT_SIZE && d->files[sft].refs && d->files[sft].fcb &&
	    dos_get32(fcb.b + FCB_TAG_AT) == fcb_tag(&d->files[sft], sft))
		dos_file_release(d, sft);
	/* The magic stays: a program that goes on using a closed FCB gets its
	 * file opened again, as in DOS. */
	fcb_put8(d, &fcb, FCB_SFT_AT, FCB_SFT_CLOSED);
	return fcb_result(r, 0);
}

/* The found entry in the DTA: an unopened FCB (extended when the search FCB
 * is) made of the drive byte and the 32-byte directory entry. */
static int fcb_found_to_dta(struct dos *d, const struct fcb *fcb, uint8_t drive,
			    const struct dos_found *found)
{
	uint8_t out[XFCB_HEADER + 1 + FCB_DIRENT_SIZE], *entry;
	size_t n = 0;

	memset(out, 0, sizeof(out));
	if (fcb->extended) {
		out[0] = XFCB_FLAG;
		out[XFCB_ATTR] = fcb->attr;
		n = XFCB_HEADER;
	}
	out[n++] = (uint8_t)(drive + 1);
	entry = out + n;
	memcpy(entry, found->fcb, DOS_FCB_NAME);
	entry[0x0B] = found->attr;
	dos_put16(entry + 0x16, found->time);
	dos_put16(entry + 0x18, found->date);
	dos_put16(entry + 0x1A, 0); /* no cluster on a host directory */
	dos_put32(entry + 0x1C, found->size);
	n += FCB_DIRENT_SIZE;
	return dos_mem_write(&d->mem, dos_linear((uint16_t)(d->dta >> 16), (uint16_t)d->dta), out, n);
}

/* 11h, 12h: find first, find next. */
static enum dos_status fcb_fn_find(struct dos *d, struct vdh_regs *r, bool first)
{
	uint8_t state[DOS_FIND_STATE_SIZE];
	char path[DOS_PATH_MAX];
	struct dos_found found;
	struct fcb fcb;
	int drive, err;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_ENOMOREFILES);
	if (first) {
		err = fcb_path(d, fcb.b[FCB_DRIVE], fcb.b + FCB_NAME, true, path, &drive);
		if (err)
			return fcb_fail(d, r, err == DOS_ENOENT ? DOS_ENOMOREFILES : err);
		err = dos_find_first(&d->finds, d->drives, d->current_drive, path, fcb.attr,
				     state, &found);
	} else {
		memcpy(state, fcb.b + FCB_SEARCH, sizeof(state));
		err = dos_find_next(&d->finds, d->drives, state, &found);
	}
	fcb_put(d, &fcb, FCB_SEARCH, state, sizeof(state));
	if (err)
		return fcb_fail(d, r, err);
	/* dos_find checked the drive of a state it accepted. */
	if (fcb_found_to_dta(d, &fcb, state[0], &found))
		return fcb_fail(d, r, DOS_ENOMOREFILES);
	return fcb_result(r, 0);
}

/* 13h: delete every file the name (may hold '?') selects; read-only files
 * stay. */
static enum dos_status fcb_fn_delete(struct dos *d, struct vdh_regs *r)
{
	struct dos_resolved res;
	struct dos_dirlist list;
	char host[PATH_MAX];
	struct fcb fcb;
	unsigned deleted = 0;
	int err, why = DOS_ENOENT;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_ENOENT);
	err = fcb_list_changeable(d, &fcb, &res, &list);
	if (err)
		return fcb_fail(d, r, err);
	for (size_t i = 0; i < list.count; i++) {
		const struct dos_dirent *entry = &list.entries[i];

		if (!fcb_selects(entry, res.fcb, fcb.attr) || (entry->attr & DOS_ATTR_DIRECTORY))
			continue;
		if ((entry->attr & DOS_ATTR_READONLY) || host_join(host, res.host_dir, entry->host) ||
		    unlink(host) != 0) {
			why = DOS_EACCES;
			continue;
		}
		deleted++;
	}
	dos_dir_free(&list);
	return deleted ? fcb_result(r, 0) : fcb_fail(d, r, why);
}

/* One file of 17h: old (an entry of res's directory) to the new pattern,
 * whose '?' keep the old name's character. */
static int fcb_rename_one(struct dos *d, const struct dos_resolved *res,
			  const struct dos_dirent *entry, const uint8_t *pattern)
{
	char new_fcb[DOS_FCB_NAME], name[DOS_NAME_MAX], path[DOS_PATH_MAX], old_host[PATH_MAX];
	struct dos_resolved target;
	int err;

	for (size_t i = 0; i < DOS_FCB_NAME; i++)
		new_fcb[i] = pattern[i] == '?' ? entry->fcb[i] : (char)pattern[i];
	if (memcmp(new_fcb, entry->fcb, DOS_FCB_NAME) == 0)
		return 0;
	if (new_fcb[0] == ' ')
		return DOS_EACCES;
	dos_fcb_to_name(new_fcb, name);
	err = drive_path(path, res->drive, name);
	if (err)
		return err;
	err = host_join(old_host, res->host_dir, entry->host);
	if (err)
		return err;
	err = dos_resolve(d, path, DOS_LOOKUP_NEW, &target);
	if (err)
		return err == DOS_ENOPATH ? DOS_EACCES : err;
	/* The new name may not be taken, but by the file itself (a host name
	 * whose case alone differs). */
	if (target.device != DOS_DEV_NONE || (target.exists && strcmp(target.host, old_host)))
		return DOS_EACCES;
	if (rename(old_host, target.host) != 0)
		return DOS_EACCES;
	return 0;
}

/* 17h: rename every file the name (may hold '?') selects to the name at 11h. */
static enum dos_status fcb_fn_rename(struct dos *d, struct vdh_regs *r)
{
	uint8_t pattern[DOS_FCB_NAME];
	struct dos_resolved res;
	struct dos_dirlist list;
	struct fcb fcb;
	unsigned renamed = 0;
	int err;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_ENOENT);
	memcpy(pattern, fcb.b + FCB_NEW_NAME, sizeof(pattern));
	for (size_t i = 0; i < sizeof(pattern); i++) {
		if (!(pattern[i] == ' ' || pattern[i] == '?' || dos_name_char_ok(pattern[i])))
			return fcb_fail(d, r, DOS_EACCES);
		if (pattern[i] >= 'a' && pattern[i] <= 'z')
			pattern[i] = (uint8_t)(pattern[i] - 'a' + 'A');
	}
	err = fcb_list_changeable(d, &fcb, &res, &list);
	if (err)
		return fcb_fail(d, r, err);
	/* The listing is a snapshot: files renamed already are not met again. */
	for (size_t i = 0; i < list.count && !err; i++) {
		if (!fcb_selects(&list.entries[i], res.fcb, fcb.attr))
			continue;
		err = fcb_rename_one(d, &res, &list.entries[i], pattern);
		if (!err)
			renamed++;
	}
	dos_dir_free(&list);
	if (err)
		return fcb_fail(d, r, err);
	return renamed ? fcb_result(r, 0) : fcb_fail(d, r, DOS_ENOENT);
}

/* 23h: the file's size in records, rounded up, into the random record. */
static enum dos_status fcb_fn_size(struct dos *d, struct vdh_regs *r)
{
	struct dos_resolved res;
	struct dos_dirlist list;
	struct fcb fcb;
	uint16_t recsize;
	uint64_t size = 0;
	bool found = false;
	int err;

	if (fcb_load(d, r, &fcb))
		return fcb_fail(d, r, DOS_ENOENT);
	err = fcb_list(d, &fcb, fcb.b + FCB_NAME, &res, &list);
	if (err)
		return fcb_fail(d, r, err);
	found = res.device != DOS_DEV_NONE; /* a device is empty */
	for (size_t i = 0; i < list.count && !found; i++) {
		const struct dos_dirent *entry = &list.entries[i];

		if (fcb_selects(entry, res.fcb, fcb.attr) && !(entry->attr & DOS_ATTR_DIRECTORY)) {
			size = entry->size;
			found = true;
		}
	}
	dos_dir_free(&list);
	if (!found)
		return fcb_fail(d, r, DOS_ENOENT);
	/* A record size of 0 counts as 128 here, but stays 0. */
	recsize = fcb_recsize(d, &fcb, false);
	fcb_set_random(d, &fcb, recsize, (uint32_t)((size + recsize - 1) / recsize));
	return fcb_result(r, 0);
}

/* 24h: the random record from the current block and record. AL stays, as
 * DOSBox leaves it. */
static enum dos_status fcb_fn_set_random(struct dos *d, struct vdh_regs *r)
{
	struct fcb fcb;

	if (fcb_load(d, r, &fcb))
		return DOS_DONE;
	fcb_set_random(d, &fcb, fcb_recsize(d, &fcb, false), (uint32_t)fcb_sequential(&fcb));
	return DOS_DONE;
}

static int host_pread_all(int fd, uint8_t *buf, size_t len, uint64_t pos, size_t *done)
{
	*done = 0;
	while (*done < len) {
		ssize_t n = pread(fd, buf + *done, len - *done, (off_t)(pos + *done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		*done += (size_t)n;
	}
	return 0;
}

static int host_pwrite_all(int fd, const uint8_t *buf, size_t len, uint64_t pos, size_t *done)
{
	*done = 0;
	while (*done < len) {
		ssize_t n = pwrite(fd, buf + *done, len - *done, (off_t)(pos + *done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ENOSPC;
		if (n <= 0)
			return -1;
		*done += (size_t)n;
	}
	return 0;
}

static bool file_writable(const struct dos *d, const struct dos_file *f)
{
	if ((f->mode & 7) == 0)
		return false;
	return !(f->drive >= 0 && f->drive < DOS_DRIVES && d->drives[f->drive].readonly);
}

/* A record written to CON goes to the screen. */
static int fcb_con_write(struct dos *d, struct dos_file *f, uint32_t at, uint16_t len,
			 uint16_t *done)
{
	uint8_t *buf = malloc(len);

	*done = 0;
	if (!buf)
		return DOS_ENOMEM;
	if (dos_mem_read(&d->mem, at, buf, len)) {
		free(buf);
		return DOS_EACCES;
	}
	dos_con_write(d, buf, len, !f->binary, false);
	free(buf);
	*done = len;
	return 0;
}

/* Devices (an FCB may open CON or NUL): a record at a time through the
 * handle code. Reading CON through an FCB, which would wait for keys, is not
 * supported: it reads nothing. */
static uint8_t fcb_device_io(struct dos *d, struct dos_file *f, uint32_t dta, uint16_t recsize,
			     uint16_t count, bool write, uint16_t *records)
{
	static const uint8_t zeros[256];

	for (*records = 0; *records < count; (*records)++) {
		uint32_t at = dta + (uint32_t)*records * recsize;
		uint16_t done = 0;
		int err;

		if (write && f->device == DOS_DEV_CON)
			err = fcb_con_write(d, f, at, recsize, &done);
		else if (write)
			err = dos_file_write(d, f, at, recsize, &done);
		else if (f->device == DOS_DEV_CON)
			err = 0;
		else
			err = dos_file_read(d, f, at, recsize, &done);

		if (err) {
			dos_set_error(d, err);
			return FCB_IO_EOF;
		}
		if (done == recsize)
			continue;
		if (write || done == 0)
			return FCB_IO_EOF;
		for (uint32_t pad = done; pad < recsize; pad += sizeof(zeros)) {
			uint32_t len = recsize - pad < sizeof(zeros) ? recsize - pad : sizeof(zeros);
			(void)dos_mem_write(&d->mem, at + pad, zeros, len);
		}
		(*records)++;
		return FCB_IO_PARTIAL;
	}
	return FCB_IO_OK;
}

/*
 * Moves count records from record on between the file and the DTA; *records
 * is how many moved (a padded partial record counts). A transfer that would
 * pass the end of the DTA's segment moves the records that fit and reports
 * FCB_IO_WRAP, as MS-DOS does (its transfer is cut to the segment).
 */
static uint8_t fcb_io(struct dos *d, struct dos_file *f, uint64_t record, uint16_t recsize,
		      uint16_t count, bool write, uint16_t *records)
{
	uint16_t dta_off = (uint16_t)d->dta;
	uint32_t dta = dos_linear((uint16_t)(d->dta >> 16), dta_off);
	uint32_t fit = (0x10000u - dta_off) / recsize;
	uint64_t pos = record * recsize;
	size_t len, done = 0;
	uint8_t *buf, status = FCB_IO_OK;
	bool wrap = false;

	*records = 0;
	if (count > fit) {
		count = (uint16_t)fit;
		wrap = true;
	}
	if (count == 0)
		return wrap ? FCB_IO_WRAP : FCB_IO_OK;
	if (write && !file_writable(d, f)) {
		dos_set_error(d, DOS_EACCES);
		return FCB_IO_EOF;
	}
	if (f->device != DOS_DEV_NONE) {
		status = fcb_device_io(d, f, dta, recsize, count, write, records);
		return status == FCB_IO_OK && wrap ? FCB_IO_WRAP : status;
	}
	/* DOS file positions are 32-bit: nothing lies past 4 GiB - 1. */
	if (pos >= FCB_POSITION_LIMIT)
		return FCB_IO_EOF;
	if (pos + (uint64_t)count * recsize > FCB_POSITION_LIMIT) {
		count = (uint16_t)((FCB_POSITION_LIMIT - pos) / recsize);
		status = FCB_IO_EOF;
		if (count == 0 && write)
			return FCB_IO_EOF;
	}
	len = (size_t)count * recsize; /* at most 64 KiB: it fits the segment */
	buf = calloc(1, len ? len : 1);
	if (!buf) {
		dos_set_error(d, DOS_ENOMEM);
		return FCB_IO_EOF;
	}
	if (write) {
		if (dos_mem_read(&d->mem, dta, buf, len)) {
			status = FCB_IO_WRAP;
		} else if (host_pwrite_all(f->fd, buf, len, pos, &done) != 0) {
			/* A full disk writes less, which AL reports; DOS sets no
			 * error for it. */
			if (errno != ENOSPC)
				dos_set_error(d, DOS_EACCES);
			status = FCB_IO_EOF;
		}
		f->written = f->written || done > 0;
		*records = (uint16_t)(done / recsize);
	} else {
		size_t full, partial, moved;

		if (host_pread_all(f->fd, buf, len, pos, &done) != 0)
			done = 0;
		full = done / recsize;
		partial = done % recsize;
		/* buf came zeroed, so a partial record is padded already. */
		moved = (full + (partial ? 1 : 0)) * recsize;
		if (moved && dos_mem_write(&d->mem, dta, buf, moved)) {
			free(buf);
			return FCB_IO_WRAP;
		}
		*records = (uint16_t)(full + (partial ? 1 : 0));
		if (partial)
			status = FCB_IO_PARTIAL;
		else if (done < len)
			status = FCB_IO_EOF;
	}
	f->position = (uint32_t)(pos + done);
	free(buf);
	if (status == FCB_IO_OK && wrap)
		status = FCB_IO_WRAP;
	return status;
}

/* 28h with CX = 0: the file ends at the random record. */
static uint8_t fcb_truncate(struct dos *d, struct dos_file *f, uint64_t record, uint16_t recsize)
{
	uint64_t size = record * recsize;

	if (f->device != DOS_DEV_NONE)
		return FCB_IO_OK;
	if (!file_writable(d, f) || size >= FCB_POSITION_LIMIT || ftruncate(f->fd, (off_t)size) != 0) {
		dos_set_error(d, DOS_EACCES);
		return FCB_IO_EOF;
	}
	f->written = true;
	f->position = (uint32_t)size;
	return FCB_IO_OK;
}

/* 14h, 15h, 21h, 22h, 27h, 28h: reads and writes of records. */
static enum dos_status fcb_fn_io(struct dos *d, struct vdh_regs *r, uint8_t fn)
{
	bool write = fn == 0x15 || fn == 0x22 || fn == 0x28;
	struct dos_file *f;
	struct fcb fcb;
	uint16_t recsize, records = 0;
	uint64_t record;
	uint8_t status;
	int err;

	if (fcb_load(d, r, &fcb))
		return fcb_result(r, FCB_IO_EOF);
	err = fcb_file(d, &fcb, &f);
	if (err) {
		dos_set_error(d, err);
		return fcb_result(r, FCB_IO_EOF);
	}
	recsize = fcb_recsize(d, &fcb, true);
	switch (fn) {
	case 0x14: /* sequential: at the current block and record, which advance */
	case 0x15:
		record = fcb_sequential(&fcb);
		status = fcb_io(d, f, record, recsize, 1, write, &records);
		if (records)
			fcb_set_sequential(d, &fcb, record + records);
		break;
	case 0x21: /* random: at the random record, where the current one moves */
	case 0x22:
		record = fcb_random(&fcb, recsize);
		fcb_set_sequential(d, &fcb, record);
		status = fcb_io(d, f, record, recsize, 1, write, &records);
		break;
	default: /* 27h, 28h: CX records at the random record, which advances */
		record = fcb_random(&fcb, recsize);
		if (fn == 0x28 && reg16(r->ecx) == 0)
			status = fcb_truncate(d, f, record, recsize);
		else
			status = fcb_io(d, f, record, recsize, reg16(r->ecx), write, &records);
		fcb_set_sequential(d, &fcb, record + records);
		fcb_set_random(d, &fcb, recsize, (uint32_t)(record + records));
		set_reg16(&r->ecx, records);
		break;
	}
	if (write)
		fcb_set_stat(d, &fcb, f);
	return fcb_result(r, status);
}

/*
 * 29h: parse a file name into an FCB, as MS-DOS's MakeFcb does. Terminators
 * end a name; blanks before it always go, and with AL bit 0 one delimiter
 * among them. A name longer than its field is read to its end but cut.
 */
static bool parse_terminator(uint8_t c)
{
	return c <= ' ' || strchr(".\"/\\[]:<|>+=;,", c) != NULL;
}

static bool parse_delimiter(uint8_t c)
{
	return c == ' ' || c == '\t' || (c != 0 && strchr(":<|>+=;,", c) != NULL);
}

/* The string's character at offset si of its segment (offsets wrap, as the
 * CPU's would); memory that is not there ends the string. */
static uint8_t parse_char(struct dos *d, uint16_t seg, uint16_t si)
{
	uint8_t c;

	if (dos_mem_read8(&d->mem, dos_linear(seg, si), &c))
		return 0;
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
}

static uint16_t parse_blanks(struct dos *d, uint16_t seg, uint16_t si)
{
	for (unsigned n = 0; n < 0x10000; n++) {
		uint8_t c = parse_char(d, seg, si);
		if (c != ' ' && c != '\t')
			break;
		si++;
	}
	return si;
}

/* A name or extension field: '*' fills the rest with '?'; either sets bit 0
 * of the result. An empty name leaves the field as it is; an extension after
 * a dot is always written. */
static uint16_t parse_field(struct dos *d, uint16_t seg, uint16_t si, uint8_t *field, size_t len,
			    bool always, uint8_t *result)
{
	size_t pos = 0;

	if (!always && parse_terminator(parse_char(d, seg, si)))
		return si;
	for (unsigned n = 0; n < 0x10000; n++) {
		uint8_t c = parse_char(d, seg, si);

		if (parse_terminator(c))
			break;
		si++;
		if (pos == len)
			continue;
		if (c == '*') {
			memset(field + pos, '?', len - pos);
			pos = len;
			*result |= 1;
			continue;
		}
		field[pos++] = c;
		if (c == '?')
			*result |= 1;
	}
	memset(field + pos, ' ', len - pos);
	return si;
}

int dos_fcb_parse(struct dos *d, uint8_t opts, uint16_t seg, uint16_t *next, uint32_t linear,
		  uint8_t *parsed)
{
	uint8_t out[0x10], result = 0, c;
	uint16_t si = *next;

	/* The FCB's old drive, name and extension stay where AL asks. */
	if (dos_mem_read(&d->mem, linear, out, FCB_BLOCK))
		return DOS_EINVAL_PARAM;
	if (!(opts & 2))
		out[FCB_DRIVE] = 0;
	if (!(opts & 4))
		memset(out + FCB_NAME, ' ', 8);
	if (!(opts & 8))
		memset(out + FCB_NAME + 8, ' ', 3);
	/* MS-DOS also zeroes the current block and the record size. */
	memset(out + FCB_BLOCK, 0, 4);
	si = parse_blanks(d, seg, si);
	if ((opts & 1) && parse_delimiter(parse_char(d, seg, si)))
		si = parse_blanks(d, seg, (uint16_t)(si + 1));
	c = parse_char(d, seg, si);
	if (!parse_terminator(c) && parse_char(d, seg, (uint16_t)(si + 1)) == ':') {
		uint8_t drive = (uint8_t)(c - '@');

		/* The drive byte is written even when the drive does not exist. */
		if (c <= '@' || drive > DOS_DRIVES || !d->drives[drive - 1].root)
			result = FCB_FAIL;
		out[FCB_DRIVE] = drive;
		si = (uint16_t)(si + 2);
	}
	si = parse_field(d, seg, si, out + FCB_NAME, 8, false, &result);
	if (parse_char(d, seg, si) == '.')
		si = parse_field(d, seg, (uint16_t)(si + 1), out + FCB_NAME + 8, 3, true, &result);
	if (dos_mem_write(&d->mem, linear, out, sizeof(out)))
		return DOS_EINVAL_PARAM;
	*next = si;
	*parsed = result;
	return 0;
}

static enum dos_status fcb_fn_parse(struct dos *d, struct vdh_regs *r)
{
	uint16_t si = reg16(r->esi);
	uint8_t result;
	int rc = dos_fcb_parse(d, reg_lo(r->eax), r->ds, &si, dos_linear(r->es, reg16(r->edi)),
			       &result);

	if (rc)
		return fcb_fail(d, r, rc);
	set_reg16(&r->esi, si);
	return fcb_result(r, result);
}

enum dos_status dos_fn_fcb(struct dos *d, struct vdh_regs *r)
{
	uint8_t fn = reg_hi(r->eax);

	switch (fn) {
	case 0x0F:
		return fcb_fn_open(d, r);
	case 0x10:
		return fcb_fn_close(d, r);
	case 0x11:
		return fcb_fn_find(d, r, true);
	case 0x12:
		return fcb_fn_find(d, r, false);
	case 0x13:
		return fcb_fn_delete(d, r);
	case 0x14:
	case 0x15:
	case 0x21:
	case 0x22:
	case 0x27:
	case 0x28:
		return fcb_fn_io(d, r, fn);
	case 0x16:
		return fcb_fn_create(d, r);
	case 0x17:
		return fcb_fn_rename(d, r);
	case 0x23:
		return fcb_fn_size(d, r);
	case 0x24:
		return fcb_fn_set_random(d, r);
	case 0x29:
		return fcb_fn_parse(d, r);
	default:
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
}
