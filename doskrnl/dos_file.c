/* dos_file.c: the system file table, each process's handles, and the handle functions. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dos.h"
#include "dos_attr.h"

#define ACCESS_READ 0
#define ACCESS_WRITE 1
#define ACCESS_READ_WRITE 2
#define MODE_ACCESS(mode) ((mode) & 0x07)
#define MODE_SHARING(mode) (((mode) >> 4) & 0x07)
#define MODE_NO_INHERIT 0x80
#define SHARE_COMPAT 0
#define SHARE_DENY_ALL 1
#define SHARE_DENY_WRITE 2
#define SHARE_DENY_READ 3

/* IOCTL 4400h device information */
#define DEVINFO_DEVICE 0x0080
#define DEVINFO_NOT_WRITTEN 0x0040
#define DEVINFO_RAW 0x0020

/* A host error as DOS reports it. */
static int dos_error_from_errno(int e)
{
	switch (e) {
	case ENOENT:
		return DOS_ENOENT;
	case ENOTDIR:
	case ENAMETOOLONG:
	case ELOOP:
		return DOS_ENOPATH;
	case EMFILE:
	case ENFILE:
		return DOS_EMFILE;
	case EEXIST:
		return DOS_EEXIST;
	case ENOMEM:
		return DOS_ENOMEM;
	default:
		return DOS_EACCES;
	}
}

int dos_resolve(struct dos *d, const char *path, enum dos_lookup lookup, struct dos_resolved *out)
{
	int rc = dos_path_resolve(d->drives, d->current_drive, path, lookup, out);
	/* An unknown drive in a file name is a path DOS cannot find. */
	return rc == DOS_EBADDRIVE ? DOS_ENOPATH : rc;
}

/* The current process's handle table: where it is and how long. */
static int jft_of(struct dos *d, uint16_t psp, uint32_t *table, uint16_t *size)
{
	uint16_t n, off, seg;
	uint32_t base = dos_linear(psp, 0);

	if (dos_mem_read16(&d->mem, base + PSP_JFT_SIZE, &n) ||
	    dos_mem_read16(&d->mem, base + PSP_JFT_POINTER, &off) ||
	    dos_mem_read16(&d->mem, base + PSP_JFT_POINTER + 2, &seg))
		return DOS_EBADF;
	*table = dos_linear(seg, off);
	*size = n;
	return 0;
}

int dos_handle_sft(struct dos *d, uint16_t handle, unsigned *sft)
{
	uint32_t table;
	uint16_t size;
	uint8_t index;

	if (jft_of(d, d->psp, &table, &size) || handle >= size ||
	    dos_mem_read8(&d->mem, table + handle, &index) || index >= DOS_SFT_SIZE ||
	    d->files[index].refs == 0)
		return DOS_EBADF;
	*sft = index;
	return 0;
}

static int jft_set(struct dos *d, uint16_t handle, uint8_t index)
{
	uint32_t table;
	uint16_t size;
	if (jft_of(d, d->psp, &table, &size) || handle >= size ||
	    dos_mem_write8(&d->mem, table + handle, index))
		return DOS_EBADF;
	return 0;
}

int dos_handle_new(struct dos *d, unsigned sft, uint16_t *handle)
{
	uint32_t table;
	uint16_t size;

	if (jft_of(d, d->psp, &table, &size))
		return DOS_EMFILE;
	for (uint16_t h = 0; h < size; h++) {
		uint8_t index;
		if (dos_mem_read8(&d->mem, table + h, &index))
			break;
		if (index == DOS_JFT_FREE) {
			if (dos_mem_write8(&d->mem, table + h, (uint8_t)sft))
				break;
			*handle = h;
			return 0;
		}
	}
	return DOS_EMFILE;
}

int dos_file_alloc(struct dos *d)
{
	for (unsigned i = 0; i < DOS_SFT_SIZE; i++)
		if (d->files[i].refs == 0)
			return (int)i;
	return -DOS_EMFILE;
}

static void file_apply_time(struct dos_file *f)
{
	if (f->fd >= 0 && f->time_set) {
		struct timespec times[2];
		times[0].tv_sec = times[1].tv_sec = (time_t)dos_time_unpack(f->time, f->date);
		times[0].tv_nsec = times[1].tv_nsec = 0;
		(void)futimens(f->fd, times);
	}
}

static void file_close(struct dos_file *f)
{
	file_apply_time(f);
	if (f->fd >= 0 && f->written)
		dos_attr_set_archive(f->fd);
	if (f->fd >= 0)
		close(f->fd);
	*f = (struct dos_file){ .fd = -1 };
}

void dos_file_release(struct dos *d, unsigned sft)
{
	struct dos_file *f = &d->files[sft];
	if (f->refs && --f->refs == 0)
		file_close(f);
}

void dos_files_close_all(struct dos *d)
{
	for (unsigned i = 0; i < DOS_SFT_SIZE; i++)
		if (d->files[i].refs || d->files[i].fd >= 0)
			file_close(&d->files[i]);
}

void dos_files_close_process(struct dos *d, uint16_t psp)
{
	uint32_t table;
	uint16_t size;

	/* Files its FCBs opened, as MS-DOS closes them when SHARE runs; an FCB
	 * used again later reopens its file (dos_fcb keeps the name). */
	for (unsigned i = 0; i < DOS_SFT_SIZE; i++)
		if (d->files[i].refs && d->files[i].fcb && d->files[i].owner == psp)
			file_close(&d->files[i]);
	if (jft_of(d, psp, &table, &size))
		return;
	for (uint16_t h = 0; h < size; h++) {
		uint8_t index;
		if (dos_mem_read8(&d->mem, table + h, &index))
			return;
		if (index < DOS_SFT_SIZE)
			dos_file_release(d, index);
		(void)dos_mem_write8(&d->mem, table + h, DOS_JFT_FREE);
	}
}

/* DOS's sharing rules, simplified: compatibility mode shares like deny
 * none, and each side's deny bits must allow the other's access. */
static bool sharing_allows(uint8_t held, uint8_t wanted)
{
	unsigned hs = MODE_SHARING(held), ws = MODE_SHARING(wanted);
	unsigned ha = MODE_ACCESS(held), wa = MODE_ACCESS(wanted);
	bool h_reads = ha != ACCESS_WRITE, h_writes = ha != ACCESS_READ;
	bool w_reads = wa != ACCESS_WRITE, w_writes = wa != ACCESS_READ;

	if (hs == SHARE_DENY_ALL || ws == SHARE_DENY_ALL)
		return false;
	if ((hs == SHARE_DENY_WRITE && w_writes) || (hs == SHARE_DENY_READ && w_reads))
		return false;
	if ((ws == SHARE_DENY_WRITE && h_writes) || (ws == SHARE_DENY_READ && h_reads))
		return false;
	return true;
}

static bool sharing_conflict(struct dos *d, const struct stat *st, uint8_t mode)
{
	for (unsigned i = 0; i < DOS_SFT_SIZE; i++) {
		const struct dos_file *f = &d->files[i];
		if (f->refs && f->device == DOS_DEV_NONE && f->host_dev == st->st_dev &&
		    f->host_ino == st->st_ino && !sharing_allows(f->mode, mode))
			return true;
	}
	return false;
}

static void file_init_device(struct dos *d, unsigned sft, const struct dos_resolved *res,
			     uint8_t mode, bool fcb)
{
	struct dos_file *f = &d->files[sft];
	const char *name = strrchr(res->dos, '/');
	*f = (struct dos_file){ .refs = 1, .device = res->device, .fd = -1, .mode = mode,
				.fcb = fcb, .drive = res->drive, .owner = d->psp };
	snprintf(f->name, sizeof(f->name), "%.12s", name ? name + 1 : res->dos);
}

static int file_init_host(struct dos *d, unsigned sft, const struct dos_resolved *res, int fd,
			  uint8_t mode, bool fcb)
{
	struct dos_file *f = &d->files[sft];
	struct stat st;

	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return dos_error_from_errno(e);
	}
	if (sharing_conflict(d, &st, mode)) {
		close(fd);
		return DOS_ESHARE;
	}
	*f = (struct dos_file){ .refs = 1, .fd = fd, .mode = mode, .fcb = fcb,
				.host_dev = st.st_dev, .host_ino = st.st_ino, .drive = res->drive,
				.owner = d->psp, .attr = res->exists ? res->attr : DOS_ATTR_ARCHIVE };
	dos_fcb_to_name(res->fcb, f->name);
	return 0;
}

int dos_file_open(struct dos *d, const char *path, uint8_t mode, bool fcb, unsigned *sft)
{
	struct dos_resolved res;
	unsigned access = MODE_ACCESS(mode);
	int rc, index, fd;

	if (access > ACCESS_READ_WRITE || MODE_SHARING(mode) > 4)
		return DOS_EBADACCESS;
	rc = dos_resolve(d, path, DOS_LOOKUP_EXISTING, &res);
	if (rc)
		return rc;
	index = dos_file_alloc(d);
	if (index < 0)
		return -index;
	if (res.device) {
		file_init_device(d, (unsigned)index, &res, mode, fcb);
		*sft = (unsigned)index;
		return 0;
	}
	if (res.attr & DOS_ATTR_DIRECTORY)
		return DOS_EACCES;
	if (access != ACCESS_READ &&
	    ((res.attr & DOS_ATTR_READONLY) || d->drives[res.drive].readonly))
		return DOS_EACCES;
	fd = open(res.host, (access == ACCESS_READ ? O_RDONLY :
			     access == ACCESS_WRITE ? O_WRONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return dos_error_from_errno(errno);
	rc = file_init_host(d, (unsigned)index, &res, fd, mode, fcb);
	if (rc)
		return rc;
	*sft = (unsigned)index;
	return 0;
}

int dos_file_create(struct dos *d, const char *path, uint8_t attr, bool must_be_new, bool fcb,
		    unsigned *sft)
{
	struct dos_resolved res;
	int rc, index, fd;

	rc = dos_resolve(d, path, DOS_LOOKUP_NEW, &res);
	if (rc)
		return rc;
	index = dos_file_alloc(d);
	if (index < 0)
		return -index;
	if (res.device) {
		file_init_device(d, (unsigned)index, &res, ACCESS_READ_WRITE, fcb);
		*sft = (unsigned)index;
		return 0;
	}
	if (res.exists && must_be_new)
		return DOS_EEXIST;
	if (res.exists && (res.attr & (DOS_ATTR_DIRECTORY | DOS_ATTR_READONLY)))
		return DOS_EACCES;
	if (d->drives[res.drive].readonly)
		return DOS_EACCES;
	if (attr & (DOS_ATTR_DIRECTORY | DOS_ATTR_VOLUME))
		return DOS_EACCES;
	fd = open(res.host, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | (must_be_new ? O_EXCL : 0),
		  0666);
	if (fd < 0)
		return dos_error_from_errno(errno);
	/* DOS marks every file it creates for backup. */
	rc = dos_attr_keep(res.host, attr | DOS_ATTR_ARCHIVE, false);
	if (rc == 0 && (attr & DOS_ATTR_READONLY)) {
		struct stat st;
		if (fstat(fd, &st) == 0)
			(void)fchmod(fd, st.st_mode & ~(mode_t)0222);
	}
	if (rc) {
		close(fd);
		if (!res.exists)
			(void)unlink(res.host);
		return rc;
	}
	rc = file_init_host(d, (unsigned)index, &res, fd, ACCESS_READ_WRITE, fcb);
	if (rc)
		return rc;
	*sft = (unsigned)index;
	return 0;
}

/* CLOCK$ reads as days since 1980, minutes, hours, hundredths, seconds. */
static uint16_t clock_device_read(struct dos *d, uint8_t *buf, uint16_t len)
{
	struct dos_clock_time t;
	uint8_t rec[6];
	uint16_t n = len < sizeof(rec) ? len : (uint16_t)sizeof(rec);

	dos_clock_read(d, &t);
	dos_put16(rec, t.days_since_1980);
	rec[2] = t.minute;
	rec[3] = t.hour;
	rec[4] = t.hundredths;
	rec[5] = t.second;
	memcpy(buf, rec, n);
	return n;
}

int dos_file_read_bytes(struct dos *d, struct dos_file *f, uint8_t *buf, uint16_t len,
			uint16_t *done)
{
	ssize_t n = 0;

	*done = 0;
	if (f->device == DOS_DEV_NUL || f->device == DOS_DEV_AUX || f->device == DOS_DEV_PRN)
		return 0;
	if (MODE_ACCESS(f->mode) == ACCESS_WRITE)
		return DOS_EACCES;
	if (f->device == DOS_DEV_CLOCK) {
		n = clock_device_read(d, buf, len);
	} else if (len) {
		n = pread(f->fd, buf, len, (off_t)f->position);
		if (n < 0)
			return DOS_EACCES;
		f->position += (uint32_t)n;
	}
	*done = (uint16_t)n;
	return 0;
}

int dos_file_write_bytes(struct dos *d, struct dos_file *f, const uint8_t *buf, uint16_t len,
			 uint16_t *done)
{
	ssize_t n;

	*done = 0;
	if (MODE_ACCESS(f->mode) == ACCESS_READ)
		return DOS_EACCES;
	if (f->device != DOS_DEV_NONE) {
		*done = len;
		return 0;
	}
	f->written = true;
	if (len == 0) {
		/* A write of nothing sets the file's size to the position. */
		return ftruncate(f->fd, (off_t)f->position) < 0 ? DOS_EACCES : 0;
	}
	n = pwrite(f->fd, buf, len, (off_t)f->position);
	if (n < 0)
		return errno == ENOSPC ? 0 : DOS_EACCES; /* a full disk writes less, no error */
	f->position += (uint32_t)n;
	*done = (uint16_t)n;
	return 0;
}

int dos_file_read(struct dos *d, struct dos_file *f, uint32_t linear, uint16_t len,
		  uint16_t *done)
{
	uint8_t *buf = malloc(len ? len : 1);
	int rc;

	if (!buf)
		return DOS_ENOMEM;
	rc = dos_file_read_bytes(d, f, buf, len, done);
	if (rc == 0 && *done && dos_mem_write(&d->mem, linear, buf, *done))
		rc = DOS_EACCES;
	free(buf);
	return rc;
}

int dos_file_write(struct dos *d, struct dos_file *f, uint32_t linear, uint16_t len,
		   uint16_t *done)
{
	uint8_t *buf = malloc(len ? len : 1);
	int rc = DOS_EACCES;

	*done = 0;
	if (!buf)
		return DOS_ENOMEM;
	if (dos_mem_read(&d->mem, linear, buf, len) == 0)
		rc = dos_file_write_bytes(d, f, buf, len, done);
	free(buf);
	return rc;
}

/* 3Fh and 40h: CON goes through the console; DS:DX, CX bytes. */
static enum dos_status handle_read_write(struct dos *d, struct vdh_regs *r, bool write)
{
	uint16_t handle = reg16(r->ebx), len = reg16(r->ecx), done = 0;
	uint32_t linear = dos_linear(r->ds, reg16(r->edx));
	unsigned sft;
	struct dos_file *f;
	int rc = dos_handle_sft(d, handle, &sft);

	if (rc)
		return dos_fail(d, r, rc);
	f = &d->files[sft];
	if (f->device == DOS_DEV_CON) {
		uint8_t *buf = malloc(len ? len : 1);
		enum dos_status status = DOS_DONE;
		if (!buf)
			return dos_fail(d, r, DOS_ENOMEM);
		if (write) {
			if (dos_mem_read(&d->mem, linear, buf, len) == 0) {
				dos_con_write(d, buf, len, !f->binary, handle == 2);
				done = len;
			}
		} else {
			status = dos_con_read(d, !f->binary, buf, len, &done);
			if (status == DOS_DONE && done && dos_mem_write(&d->mem, linear, buf, done))
				done = 0;
		}
		free(buf);
		if (status != DOS_DONE)
			return status;
	} else {
		rc = write ? dos_file_write(d, f, linear, len, &done) :
			     dos_file_read(d, f, linear, len, &done);
		if (rc)
			return dos_fail(d, r, rc);
	}
	set_reg16(&r->eax, done);
	dos_ok(r);
	return DOS_DONE;
}

static enum dos_status handle_result(struct dos *d, struct vdh_regs *r, int rc, unsigned sft)
{
	uint16_t handle;
	if (rc)
		return dos_fail(d, r, rc);
	rc = dos_handle_new(d, sft, &handle);
	if (rc) {
		dos_file_release(d, sft);
		return dos_fail(d, r, rc);
	}
	set_reg16(&r->eax, handle);
	dos_ok(r);
	return DOS_DONE;
}

/* 42h: AL origin, CX:DX the distance (signed from the current position or
 * the end). DOS lets the pointer go before the start: later reads and
 * writes then fail. */
static enum dos_status handle_seek(struct dos *d, struct vdh_regs *r)
{
	unsigned sft;
	int rc = dos_handle_sft(d, reg16(r->ebx), &sft);
	struct dos_file *f;
	uint32_t distance = (uint32_t)reg16(r->ecx) << 16 | reg16(r->edx);
	uint32_t base;

	if (rc)
		return dos_fail(d, r, rc);
	f = &d->files[sft];
	switch (reg_lo(r->eax)) {
	case 0:
		base = 0;
		break;
	case 1:
		base = f->position;
		break;
	case 2: {
		struct stat st;
		base = f->device == DOS_DEV_NONE && fstat(f->fd, &st) == 0 ? (uint32_t)st.st_size : 0;
		break;
	}
	default:
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	if (f->device == DOS_DEV_NONE)
		f->position = base + distance;
	set_reg16(&r->eax, (uint16_t)f->position);
	set_reg16(&r->edx, (uint16_t)(f->position >> 16));
	dos_ok(r);
	return DOS_DONE;
}

static uint16_t device_info(const struct dos_file *f)
{
	static const uint16_t info[] = {
		[DOS_DEV_CON] = 0x80D3, [DOS_DEV_NUL] = 0x8084, [DOS_DEV_AUX] = 0x80C0,
		[DOS_DEV_PRN] = 0x80C0, [DOS_DEV_CLOCK] = 0x8088,
	};
	if (f->device == DOS_DEV_NONE)
		return (uint16_t)((f->drive & 0x3F) | (f->written ? 0 : DEVINFO_NOT_WRITTEN));
	return (uint16_t)(info[f->device] | (f->binary ? DEVINFO_RAW : 0));
}

/* 44h: the IOCTL subfunctions DOS programs use on handles and drives. */
static enum dos_status handle_ioctl(struct dos *d, struct vdh_regs *r)
{
	uint8_t function = reg_lo(r->eax);
	unsigned sft;
	struct dos_file *f;
	int rc;

	if (function == 0x08 || function == 0x0E) {
		uint8_t drive = reg_lo(r->ebx);
		int index = drive ? drive - 1 : d->current_drive;
		if (index >= DOS_DRIVES || !d->drives[index].root)
			return dos_fail(d, r, DOS_EBADDRIVE);
		/* 08h: fixed (1); 0Eh: one letter per drive (0). */
		set_reg16(&r->eax, function == 0x08 ? 1 : 0);
		dos_ok(r);
		return DOS_DONE;
	}
	if (function > 0x07 || function == 0x02 || function == 0x03 || function == 0x04 ||
	    function == 0x05)
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	rc = dos_handle_sft(d, reg16(r->ebx), &sft);
	if (rc)
		return dos_fail(d, r, rc);
	f = &d->files[sft];
	switch (function) {
	case 0x00:
		set_reg16(&r->edx, device_info(f));
		set_reg16(&r->eax, device_info(f));
		break;
	case 0x01:
		if (f->device == DOS_DEV_NONE)
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		if (reg_hi(r->edx) != 0)
			return dos_fail(d, r, DOS_EBADDATA);
		f->binary = (reg_lo(r->edx) & DEVINFO_RAW) != 0;
		break;
	case 0x06: {
		/* Input status: FFh ready, 00h not (a file at its end). */
		bool ready = true;
		if (f->device == DOS_DEV_CON) {
			enum dos_status status = dos_con_key_waiting(d, &ready);
			if (status != DOS_DONE)
				return status;
		} else if (f->device == DOS_DEV_NONE) {
			struct stat st;
			ready = fstat(f->fd, &st) == 0 && f->position < (uint64_t)st.st_size;
		}
		set_reg_lo(&r->eax, ready ? 0xFF : 0x00);
		break;
	}
	case 0x07:
		set_reg_lo(&r->eax, 0xFF);
		break;
	}
	dos_ok(r);
	return DOS_DONE;
}

/* 57h: AL 00h get, 01h set a handle's time (CX) and date (DX). */
static enum dos_status handle_file_time(struct dos *d, struct vdh_regs *r)
{
	unsigned sft;
	int rc = dos_handle_sft(d, reg16(r->ebx), &sft);
	struct dos_file *f;

	if (rc)
		return dos_fail(d, r, rc);
	f = &d->files[sft];
	if (reg_lo(r->eax) > 1)
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	if (f->device != DOS_DEV_NONE) {
		/* Devices have no time: DOS gives the current one. */
		struct dos_clock_time t;
		dos_clock_read(d, &t);
		if (reg_lo(r->eax) == 0) {
			set_reg16(&r->ecx, (uint16_t)(t.hour << 11 | t.minute << 5 | t.second / 2));
			set_reg16(&r->edx, (uint16_t)((t.year - 1980) << 9 | t.month << 5 | t.day));
		}
	} else if (reg_lo(r->eax) == 0) {
		uint16_t t = f->time, dt = f->date;
		struct stat st;
		if (!f->time_set) {
			if (fstat(f->fd, &st) < 0)
				return dos_fail(d, r, DOS_EACCES);
			dos_time_pack(st.st_mtime, &t, &dt);
		}
		set_reg16(&r->ecx, t);
		set_reg16(&r->edx, dt);
	} else {
		f->time = reg16(r->ecx);
		f->date = reg16(r->edx);
		f->time_set = true;
		file_apply_time(f);
	}
	dos_ok(r);
	return DOS_DONE;
}

/* 67h: BX handles; a table over 20 entries lives in a block of its own. */
static enum dos_status handle_count(struct dos *d, struct vdh_regs *r)
{
	uint16_t want = reg16(r->ebx), size, seg;
	uint32_t table, base = dos_linear(d->psp, 0);
	uint8_t entries[DOS_JFT_MAX];
	uint16_t largest;
	int rc;

	if (jft_of(d, d->psp, &table, &size) || size > DOS_JFT_MAX ||
	    dos_mem_read(&d->mem, table, entries, size))
		return dos_fail(d, r, DOS_EBADF);
	if (want > DOS_JFT_MAX)
		return dos_fail(d, r, DOS_EMFILE);
	for (uint16_t h = want; h < size; h++)
		if (entries[h] != DOS_JFT_FREE)
			return dos_fail(d, r, DOS_EMFILE);
	memset(entries + size, DOS_JFT_FREE, want > size ? (size_t)(want - size) : 0);
	if (want <= DOS_JFT_DEFAULT) {
		if (dos_mem_write(&d->mem, base + PSP_JFT, entries, DOS_JFT_DEFAULT) ||
		    dos_mem_write16(&d->mem, base + PSP_JFT_SIZE, DOS_JFT_DEFAULT) ||
		    dos_mem_write16(&d->mem, base + PSP_JFT_POINTER, PSP_JFT) ||
		    dos_mem_write16(&d->mem, base + PSP_JFT_POINTER + 2, d->psp))
			return dos_fail(d, r, DOS_EBADF);
	} else {
		rc = dos_mcb_alloc(&d->mem, d->first_mcb, (uint16_t)((want + 15u) >> 4), d->psp,
				   d->fit, &seg, &largest);
		if (rc)
			return dos_fail(d, r, rc);
		if (dos_mem_write(&d->mem, dos_linear(seg, 0), entries, want) ||
		    dos_mem_write16(&d->mem, base + PSP_JFT_SIZE, want) ||
		    dos_mem_write16(&d->mem, base + PSP_JFT_POINTER, 0) ||
		    dos_mem_write16(&d->mem, base + PSP_JFT_POINTER + 2, seg))
			return dos_fail(d, r, DOS_EBADF);
	}
	/* The old external table, if any, is the process's block to keep; DOS
	 * frees it, and so do we. */
	if (table != base + PSP_JFT && (table & 0xF) == 0)
		(void)dos_mcb_free(&d->mem, d->first_mcb, (uint16_t)(table >> 4));
	dos_ok(r);
	return DOS_DONE;
}

/* 6Ch: BL mode, CX attribute, DL action (low nibble when the file exists:
 * 0 fail, 1 open, 2 replace; high nibble when not: 0 fail, 1 create), DS:SI
 * the name. CX returns 1 opened, 2 created, 3 replaced. */
static enum dos_status extended_open(struct dos *d, struct vdh_regs *r, const char *path)
{
	uint8_t action = reg_lo(r->edx), mode = reg_lo(r->ebx);
	unsigned if_exists = action & 0x0F, if_missing = action >> 4;
	struct dos_resolved res;
	unsigned sft;
	int rc;
	uint16_t taken;

	if (reg_lo(r->eax) != 0 || if_exists > 2 || if_missing > 1 || (if_exists == 0 && if_missing == 0))
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	rc = dos_resolve(d, path, DOS_LOOKUP_NEW, &res);
	if (rc)
		return dos_fail(d, r, rc);
	if (res.exists || res.device) {
		if (if_exists == 0)
			return dos_fail(d, r, DOS_EEXIST);
		if (if_exists == 1) {
			rc = dos_file_open(d, path, mode, false, &sft);
			taken = 1;
		} else {
			rc = dos_file_create(d, path, reg_lo(r->ecx), false, false, &sft);
			taken = 3;
		}
	} else {
		if (if_missing == 0)
			return dos_fail(d, r, DOS_ENOENT);
		rc = dos_file_create(d, path, reg_lo(r->ecx), false, false, &sft);
		taken = 2;
	}
	if (rc == 0 && taken != 1)
		d->files[sft].mode = mode;
	if (handle_result(d, r, rc, sft) == DOS_DONE && !(r->eflags & VDH_FLAG_CF))
		set_reg16(&r->ecx, taken);
	return DOS_DONE;
}

/* 5Ah: DS:DX a directory ending in '\'; DOS appends a unique name. */
static enum dos_status temp_file(struct dos *d, struct vdh_regs *r, const char *dir)
{
	static unsigned counter;
	size_t len = strlen(dir);
	char path[DOS_PATH_MAX + 16];
	unsigned sft;
	int rc = DOS_EEXIST;

	if (len + 9 >= DOS_PATH_MAX)
		return dos_fail(d, r, DOS_ENOPATH);
	for (unsigned tries = 0; tries < 1000 && rc == DOS_EEXIST; tries++) {
		unsigned stamp = (unsigned)time(NULL) ^ (++counter * 2654435761u);
		snprintf(path, sizeof(path), "%s%s%08X", dir,
			 len && dir[len - 1] != '\\' && dir[len - 1] != '/' && dir[len - 1] != ':' ?
				 "\\" : "", stamp);
		rc = dos_file_create(d, path, reg_lo(r->ecx), true, false, &sft);
	}
	if (rc)
		return dos_fail(d, r, rc);
	if (dos_mem_write(&d->mem, dos_linear(r->ds, reg16(r->edx)), path, strlen(path) + 1)) {
		dos_file_release(d, sft);
		return dos_fail(d, r, DOS_EACCES);
	}
	return handle_result(d, r, 0, sft);
}

/* 43h: AL 00h get (CX), 01h set the attributes of DS:DX. */
static enum dos_status file_attributes(struct dos *d, struct vdh_regs *r, const char *path)
{
	struct dos_resolved res;
	int rc = dos_resolve(d, path, DOS_LOOKUP_EXISTING, &res);
	uint16_t attr = reg16(r->ecx);
	struct stat st;

	if (rc)
		return dos_fail(d, r, rc);
	if (res.device)
		return dos_fail(d, r, DOS_ENOENT);
	if (reg_lo(r->eax) == 0) {
		set_reg16(&r->ecx, res.attr);
		set_reg16(&r->eax, res.attr);
		dos_ok(r);
		return DOS_DONE;
	}
	if (reg_lo(r->eax) != 1)
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	if ((attr & (DOS_ATTR_DIRECTORY | DOS_ATTR_VOLUME)) != (res.attr & DOS_ATTR_DIRECTORY) ||
	    attr & 0xFFC0)
		return dos_fail(d, r, DOS_EACCES);
	if (d->drives[res.drive].readonly)
		return dos_fail(d, r, DOS_EACCES);
	if (stat(res.host, &st) < 0)
		return dos_fail(d, r, DOS_EACCES);
	rc = dos_attr_keep(res.host, (uint8_t)attr, S_ISDIR(st.st_mode));
	if (rc == 0 && chmod(res.host, attr & DOS_ATTR_READONLY ? st.st_mode & ~(mode_t)0222 :
								st.st_mode | S_IWUSR) < 0)
		rc = DOS_EACCES;
	if (rc)
		return dos_fail(d, r, rc);
	dos_ok(r);
	return DOS_DONE;
}

/* 41h: delete DS:DX. */
static enum dos_status delete_file(struct dos *d, struct vdh_regs *r, const char *path)
{
	struct dos_resolved res;
	int rc = dos_resolve(d, path, DOS_LOOKUP_EXISTING, &res);

	if (rc)
		return dos_fail(d, r, rc);
	if (res.device)
		return dos_fail(d, r, DOS_ENOENT);
	if (res.attr & (DOS_ATTR_DIRECTORY | DOS_ATTR_READONLY) || d->drives[res.drive].readonly)
		return dos_fail(d, r, DOS_EACCES);
	if (unlink(res.host) < 0)
		return dos_fail(d, r, dos_error_from_errno(errno));
	dos_ok(r);
	return DOS_DONE;
}

enum dos_status dos_fn_handles(struct dos *d, struct vdh_regs *r)
{
	uint8_t function = reg_hi(r->eax);
	char path[DOS_PATH_MAX];
	unsigned sft;
	uint16_t handle;
	int rc;

	switch (function) {
	case 0x3C: /* create */
	case 0x3D: /* open */
	case 0x41: /* delete */
	case 0x43: /* attributes */
	case 0x5A: /* temporary file */
	case 0x5B: /* new file */
		if (!dos_read_path(d, r->ds, reg16(r->edx), path))
			return dos_fail(d, r, DOS_ENOPATH);
		break;
	case 0x6C: /* extended open */
		if (!dos_read_path(d, r->ds, reg16(r->esi), path))
			return dos_fail(d, r, DOS_ENOPATH);
		break;
	}
	switch (function) {
	case 0x3C:
		rc = dos_file_create(d, path, reg_lo(r->ecx), false, false, &sft);
		return handle_result(d, r, rc, sft);
	case 0x3D:
		rc = dos_file_open(d, path, reg_lo(r->eax), false, &sft);
		return handle_result(d, r, rc, sft);
	case 0x3E:
		handle = reg16(r->ebx);
		rc = dos_handle_sft(d, handle, &sft);
		if (rc)
			return dos_fail(d, r, rc);
		(void)jft_set(d, handle, DOS_JFT_FREE);
		dos_file_release(d, sft);
		dos_ok(r);
		return DOS_DONE;
	case 0x3F:
		return handle_read_write(d, r, false);
	case 0x40:
		return handle_read_write(d, r, true);
	case 0x41:
		return delete_file(d, r, path);
	case 0x42:
		return handle_seek(d, r);
	case 0x43:
		return file_attributes(d, r, path);
	case 0x44:
		return handle_ioctl(d, r);
	case 0x45:
		rc = dos_handle_sft(d, reg16(r->ebx), &sft);
		if (rc)
			return dos_fail(d, r, rc);
		rc = dos_handle_new(d, sft, &handle);
		if (rc)
			return dos_fail(d, r, rc);
		d->files[sft].refs++;
		set_reg16(&r->eax, handle);
		dos_ok(r);
		return DOS_DONE;
	case 0x46: {
		unsigned old_sft;
		handle = reg16(r->ecx);
		rc = dos_handle_sft(d, reg16(r->ebx), &sft);
		if (rc)
			return dos_fail(d, r, rc);
		if (handle == reg16(r->ebx)) {
			dos_ok(r);
			return DOS_DONE;
		}
		if (dos_handle_sft(d, handle, &old_sft) == 0)
			dos_file_release(d, old_sft);
		rc = jft_set(d, handle, (uint8_t)sft);
		if (rc)
			return dos_fail(d, r, rc);
		d->files[sft].refs++;
		dos_ok(r);
		return DOS_DONE;
	}
	case 0x57:
		return handle_file_time(d, r);
	case 0x5A:
		return temp_file(d, r, path);
	case 0x5B:
		rc = dos_file_create(d, path, reg_lo(r->ecx), true, false, &sft);
		return handle_result(d, r, rc, sft);
	case 0x67:
		return handle_count(d, r);
	case 0x68:
	case 0x6A:
		rc = dos_handle_sft(d, reg16(r->ebx), &sft);
		if (rc)
			return dos_fail(d, r, rc);
		if (d->files[sft].fd >= 0)
			(void)fsync(d->files[sft].fd);
		dos_ok(r);
		return DOS_DONE;
	case 0x6C:
		return extended_open(d, r, path);
	}
	return dos_fail(d, r, DOS_EINVAL_FUNCTION);
}
