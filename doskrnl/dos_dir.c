/* dos_dir.c: drives, directories, find first/next, rename and truename. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "dos.h"

/* What 4Eh/4Fh write to the DTA after the search state. */
#define FIND_ATTR 0x15
#define FIND_TIME 0x16
#define FIND_DATE 0x18
#define FIND_SIZE 0x1A
#define FIND_NAME 0x1E
#define FIND_DTA_SIZE 0x2B

/* LASTDRIVE=Z: function 0Eh's count of drive letters. */
#define DOS_LASTDRIVE 26

static int drive_index(struct dos *d, uint8_t dl)
{
	int index = dl ? dl - 1 : d->current_drive;
	return index < DOS_DRIVES && d->drives[index].root ? index : -1;
}

/* 36h: the host file system's free space, in the 16-bit fields DOS has:
 * clusters of 32 KiB at most 65535 of them (2 GiB, as MS-DOS 5 caps it). */
static enum dos_status free_space(struct dos *d, struct vdh_regs *r)
{
	int drive = drive_index(d, reg_lo(r->edx));
	struct statvfs vfs;
	uint64_t free_bytes, total_bytes;
	const uint32_t cluster = 64 * 512;

	if (drive < 0 || statvfs(d->drives[drive].root, &vfs) < 0) {
		set_reg16(&r->eax, 0xFFFF);
		return DOS_DONE;
	}
	free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	total_bytes = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	if (d->drives[drive].readonly)
		free_bytes = 0;
	set_reg16(&r->eax, 64);
	set_reg16(&r->ecx, 512);
	set_reg16(&r->ebx, (uint16_t)(free_bytes / cluster > 0xFFFF ? 0xFFFF : free_bytes / cluster));
	set_reg16(&r->edx,
		  (uint16_t)(total_bytes / cluster > 0xFFFF ? 0xFFFF : total_bytes / cluster));
	return DOS_DONE;
}

static enum dos_status make_directory(struct dos *d, struct vdh_regs *r, const char *path)
{
	struct dos_resolved res;
	int rc = dos_resolve(d, path, DOS_LOOKUP_NEW, &res);

	if (rc)
		return dos_fail(d, r, rc);
	if (res.exists || res.device || res.is_root || d->drives[res.drive].readonly)
		return dos_fail(d, r, DOS_EACCES);
	if (mkdir(res.host, 0777) < 0)
		return dos_fail(d, r, errno == ENOENT ? DOS_ENOPATH : DOS_EACCES);
	dos_ok(r);
	return DOS_DONE;
}

static enum dos_status remove_directory(struct dos *d, struct vdh_regs *r, const char *path)
{
	struct dos_resolved res;
	int rc = dos_resolve(d, path, DOS_LOOKUP_EXISTING, &res);
	char current[DOS_PATH_MAX];

	if (rc)
		return dos_fail(d, r, rc == DOS_ENOENT ? DOS_ENOPATH : rc);
	if (res.device)
		return dos_fail(d, r, DOS_ENOPATH);
	/* MS-DOS checks the current directory first (so removing the root while
	 * it is current gives 16), then refuses the root and files alike with
	 * access denied. */
	snprintf(current, sizeof(current), "%c:\\%s", 'A' + res.drive, d->drives[res.drive].cwd);
	if (strcmp(current, res.dos) == 0)
		return dos_fail(d, r, DOS_ERMCURDIR);
	if (res.is_root || !(res.attr & DOS_ATTR_DIRECTORY) || d->drives[res.drive].readonly)
		return dos_fail(d, r, DOS_EACCES);
	if (rmdir(res.host) < 0)
		return dos_fail(d, r, DOS_EACCES);
	dos_ok(r);
	return DOS_DONE;
}

/* 47h: DL drive (0 default), DS:SI 64 bytes for the path without "C:\". */
static enum dos_status get_cwd(struct dos *d, struct vdh_regs *r)
{
	int drive = drive_index(d, reg_lo(r->edx));
	const char *cwd;

	if (drive < 0)
		return dos_fail(d, r, DOS_EBADDRIVE);
	cwd = d->drives[drive].cwd;
	if (dos_mem_write(&d->mem, dos_linear(r->ds, reg16(r->esi)), cwd, strlen(cwd) + 1))
		return dos_fail(d, r, DOS_EACCES);
	/* MS-DOS returns 0100h in AX on success. */
	set_reg16(&r->eax, 0x0100);
	dos_ok(r);
	return DOS_DONE;
}

static int write_found(struct dos *d, const uint8_t state[DOS_FIND_STATE_SIZE],
		       const struct dos_found *found)
{
	uint8_t dta[FIND_DTA_SIZE] = { 0 };
	uint32_t linear = dos_linear((uint16_t)(d->dta >> 16), (uint16_t)d->dta);

	memcpy(dta, state, DOS_FIND_STATE_SIZE);
	dta[FIND_ATTR] = found->attr;
	dos_put16(dta + FIND_TIME, found->time);
	dos_put16(dta + FIND_DATE, found->date);
	dos_put32(dta + FIND_SIZE, found->size);
	memcpy(dta + FIND_NAME, found->name, strlen(found->name));
	return dos_mem_write(&d->mem, linear, dta, sizeof(dta)) ? DOS_EACCES : 0;
}

static enum dos_status find(struct dos *d, struct vdh_regs *r, const char *path, bool first)
{
	uint8_t state[DOS_FIND_STATE_SIZE];
	uint32_t dta = dos_linear((uint16_t)(d->dta >> 16), (uint16_t)d->dta);
	struct dos_found found;
	int rc;

	if (first) {
		rc = dos_find_first(&d->finds, d->drives, d->current_drive, path, reg_lo(r->ecx),
				    state, &found);
		if (rc == DOS_EBADDRIVE)
			rc = DOS_ENOPATH;
	} else if (dos_mem_read(&d->mem, dta, state, sizeof(state))) {
		rc = DOS_ENOMOREFILES;
	} else {
		rc = dos_find_next(&d->finds, d->drives, state, &found);
	}
	if (rc == 0)
		rc = write_found(d, state, &found);
	if (rc)
		return dos_fail(d, r, rc);
	/* MS-DOS leaves 0 in AX when a file is found. */
	set_reg16(&r->eax, 0);
	dos_ok(r);
	return DOS_DONE;
}

/* 56h: DS:DX to ES:DI, on one drive; the new name must not exist. */
static enum dos_status rename_file(struct dos *d, struct vdh_regs *r, const char *from)
{
	char to[DOS_PATH_MAX];
	struct dos_resolved old, new;
	int rc;

	if (!dos_read_path(d, r->es, reg16(r->edi), to))
		return dos_fail(d, r, DOS_ENOPATH);
	rc = dos_resolve(d, from, DOS_LOOKUP_EXISTING, &old);
	if (rc)
		return dos_fail(d, r, rc);
	rc = dos_resolve(d, to, DOS_LOOKUP_NEW, &new);
	if (rc)
		return dos_fail(d, r, rc);
	if (old.device || new.device || old.is_root)
		return dos_fail(d, r, DOS_EACCES);
	if (old.drive != new.drive)
		return dos_fail(d, r, DOS_EXDEV);
	if (new.exists || d->drives[old.drive].readonly || (old.attr & DOS_ATTR_READONLY))
		return dos_fail(d, r, DOS_EACCES);
	if (rename(old.host, new.host) < 0)
		return dos_fail(d, r, DOS_EACCES);
	dos_ok(r);
	return DOS_DONE;
}

/* 60h: DS:SI to the canonical name at ES:DI (128 bytes). */
static enum dos_status truename(struct dos *d, struct vdh_regs *r)
{
	char path[DOS_PATH_MAX], canonical[DOS_PATH_MAX];
	int rc;

	if (!dos_read_path(d, r->ds, reg16(r->esi), path))
		return dos_fail(d, r, DOS_ENOPATH);
	rc = dos_path_canonical(d->drives, d->current_drive, path, canonical);
	if (rc)
		return dos_fail(d, r, rc);
	if (dos_mem_write(&d->mem, dos_linear(r->es, reg16(r->edi)), canonical,
			  strlen(canonical) + 1))
		return dos_fail(d, r, DOS_EACCES);
	dos_ok(r);
	return DOS_DONE;
}

enum dos_status dos_fn_dirs(struct dos *d, struct vdh_regs *r)
{
	uint8_t function = reg_hi(r->eax);
	char path[DOS_PATH_MAX];
	int rc, drive;

	switch (function) {
	case 0x39:
	case 0x3A:
	case 0x3B:
	case 0x4E:
	case 0x56:
		if (!dos_read_path(d, r->ds, reg16(r->edx), path))
			return dos_fail(d, r, DOS_ENOPATH);
		break;
	}
	switch (function) {
	case 0x0E:
		drive = drive_index(d, (uint8_t)(reg_lo(r->edx) + 1));
		if (drive >= 0) {
			d->current_drive = drive;
			dos_tables_update_cds(d, drive);
		}
		set_reg_lo(&r->eax, DOS_LASTDRIVE);
		return DOS_DONE;
	case 0x19:
		set_reg_lo(&r->eax, (uint8_t)d->current_drive);
		return DOS_DONE;
	case 0x36:
		return free_space(d, r);
	case 0x39:
		return make_directory(d, r, path);
	case 0x3A:
		return remove_directory(d, r, path);
	case 0x3B:
		rc = dos_path_chdir(d->drives, d->current_drive, path);
		if (rc)
			return dos_fail(d, r, DOS_ENOPATH);
		for (int i = 0; i < DOS_DRIVES; i++)
			dos_tables_update_cds(d, i);
		dos_ok(r);
		return DOS_DONE;
	case 0x47:
		return get_cwd(d, r);
	case 0x4E:
		return find(d, r, path, true);
	case 0x4F:
		return find(d, r, NULL, false);
	case 0x56:
		return rename_file(d, r, path);
	case 0x60:
		return truename(d, r);
	}
	return dos_fail(d, r, DOS_EINVAL_FUNCTION);
}
