/* fdc.c: an Intel 82077AA floppy disk controller in PC-AT mode, drives A: and B: on image files. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vdh.h"

/*
 * An image holds the sectors of a standard PC format in order: cylinder, head,
 * sector 1..spt, 512 bytes each. A sector is found where its ID (C, H, R, N)
 * says, so only what that layout can hold exists: N = 2, R from 1 to spt, the
 * media's cylinders and heads. Writes go to the file at once.
 *
 * Commands run on the VM's virtual clock: a seek takes a fixed time per track,
 * a read, write, format or read ID a fixed time; then IRQ 6. The data moves
 * through DMA channel 2 all at once when the command completes, or through the
 * FIFO byte by byte in non-DMA mode.
 */
#define FDC_PORT 0x3F0 /* 0x3F0-0x3F5; 0x3F6 is the hard disk's */
#define FDC_PORT_COUNT 6
#define FDC_DIR_PORT 0x3F7
#define FDC_IRQ 6
#define FDC_DMA_CHANNEL 2

/* Register offsets from FDC_PORT */
#define FDC_SRA 0 /* status A and B: PS/2 modes only, tri-stated in PC-AT mode */
#define FDC_SRB 1
#define FDC_DOR 2 /* digital output register */
#define FDC_TDR 3 /* tape drive register */
#define FDC_MSR 4 /* read: main status; write: data rate select (DSR) */
#define FDC_FIFO 5

/* DOR */
#define DOR_DSEL 0x03
#define DOR_NRESET 0x04
/* PC-AT mode: DRQ, DACK and TC enabled. The 82077AA also tri-states INT while
 * it is low; here IRQ 6 is not gated, as SeaBIOS resets the controller with
 * DOR = 04h and waits for the reset interrupt. */
#define DOR_DMAGATE 0x08
#define DOR_MOTOR(d) (0x10u << (d))

#define TDR_SELECT 0x03

/* MSR */
#define MSR_RQM 0x80  /* the FIFO is ready for a byte */
#define MSR_DIO 0x40  /* ... from the controller to the host */
#define MSR_NDMA 0x20 /* execution phase in non-DMA mode */
#define MSR_CB 0x10   /* command in progress */
#define MSR_DRV_BUSY(d) (1u << (d))

/* DSR and CCR */
#define DSR_SWRESET 0x80
#define RATE_MASK 0x03
#define RATE_500K 0
#define RATE_300K 1
#define RATE_250K 2
#define RATE_1M 3
#define RATE_BIT(r) (1u << (r))
#define RATE_POWER_ON RATE_250K /* a hardware reset sets DSR to 02h */

/* DIR */
#define DIR_DSKCHG 0x80
#define DIR_FLOATING 0x7F /* bits 0-6 are not driven in PC-AT mode: the ISA bus reads 1 */

/* ST0 */
#define ST0_IC_NORMAL 0x00
#define ST0_IC_ABNORMAL 0x40
#define ST0_IC_INVALID 0x80
#define ST0_IC_POLLED 0xC0 /* after reset: "ready changed" for each drive */
#define ST0_SE 0x20
#define ST0_EC 0x10
#define ST0_HD 0x04

/* ST1 */
#define ST1_EN 0x80 /* end of cylinder */
#define ST1_DE 0x20 /* data error */
#define ST1_OR 0x10 /* overrun/underrun */
#define ST1_ND 0x04 /* no data */
#define ST1_NW 0x02 /* not writable */
#define ST1_MA 0x01 /* missing address mark */

/* ST2 */
#define ST2_DD 0x20 /* data error in data field */

/* ST3 */
#define ST3_WP 0x40
#define ST3_RDY 0x20 /* always 1 on the 82077AA */
#define ST3_T0 0x10
#define ST3_TS 0x08  /* always 1 on the 82077AA */

/* Command byte 0 flags and byte 1 fields */
#define CMD_MT 0x80
#define CMD_MFM 0x40
#define CMD_DS(b) ((b) & 3)
#define CMD_HDS(b) (((b) >> 2) & 1)
#define RELSEEK_DIR 0x40 /* step in (towards higher cylinders) */
#define LOCK_BIT 0x80
#define LOCK_RESULT 0x10
#define PERP_OW 0x80
#define SPECIFY_ND 0x01

#define VERSION_82077AA 0x90

/* CONFIGURE byte 2 and its power-on value: FIFO disabled, polling on, no implied seek */
#define CONFIG_POLL_OFF 0x10
#define CONFIG_DEFAULT 0x20
#define CONFIG_MASK 0x7F

#define FDC_DRIVES 4
#define FDC_SECTOR 512
#define FDC_SECTOR_N 2
#define FDC_ID_BYTES 4
#define FDC_CMD_MAX 9
#define FDC_RESULT_MAX 10
#define RECAL_STEPS 79 /* steps a recalibrate gives before it reports no track 0 */

/* Virtual time a command takes, in ns */
#define FDC_RESET_NS 250000u
#define FDC_SEEK_NS 500000u /* head settle */
#define FDC_STEP_NS 100000u /* per track */
#define FDC_XFER_NS 500000u /* read, write, format, read ID */
#define FDC_NEVER UINT64_MAX

struct fdc_geometry {
	uint32_t size;
	const char *name;
	uint8_t cylinders, heads, spt;
	uint8_t rates; /* RATE_BIT()s the media can be read at */
};

/* A 5.25" 160K-360K disk reads at 250 kbps, or at 300 kbps in a 1.2M drive. */
static const struct fdc_geometry fdc_geometries[] = {
	{ 163840, "160K", 40, 1, 8, RATE_BIT(RATE_250K) | RATE_BIT(RATE_300K) },
	{ 184320, "180K", 40, 1, 9, RATE_BIT(RATE_250K) | RATE_BIT(RATE_300K) },
	{ 327680, "320K", 40, 2, 8, RATE_BIT(RATE_250K) | RATE_BIT(RATE_300K) },
	{ 368640, "360K", 40, 2, 9, RATE_BIT(RATE_250K) | RATE_BIT(RATE_300K) },
	{ 737280, "720K", 80, 2, 9, RATE_BIT(RATE_250K) },
	{ 1228800, "1.2M", 80, 2, 15, RATE_BIT(RATE_500K) },
	{ 1474560, "1.44M", 80, 2, 18, RATE_BIT(RATE_500K) },
	{ 2949120, "2.88M", 80, 2, 36, RATE_BIT(RATE_1M) },
};

#define FDC_GEOMETRIES (sizeof(fdc_geometries) / sizeof(fdc_geometries[0]))

struct fdc_drive {
	bool present;
	int fd; /* -1: no disk */
	bool readonly;
	const struct fdc_geometry *geo;
	uint8_t pcn;        /* present cylinder number; the head is there */
	bool dskchg;        /* the drive's disk change line */
	uint8_t next_r;     /* the sector whose ID passes under the head next */
	uint64_t seek_end;  /* a seek or recalibrate in progress ends; FDC_NEVER */
	uint8_t seek_to;
	uint8_t seek_st0;   /* ST0 it ends with */
	bool int_pending;   /* it ended; SENSE INTERRUPT STATUS has not reported it */
};

enum fdc_phase {
	FDC_IN_RESET, /* DOR bit 2 low */
	FDC_COMMAND,  /* taking command bytes */
	FDC_EXEC,     /* executing, no data through the FIFO */
	FDC_EXEC_PIO, /* executing in non-DMA mode, data through the FIFO */
	FDC_RESULT,
};

enum fdc_op { OP_READ, OP_WRITE, OP_READ_ID, OP_FORMAT };

/* The command being executed. */
struct fdc_xfer {
	enum fdc_op op;
	unsigned ds, hds;
	bool mt, mfm;
	uint8_t c, h, r, n, eot; /* read and write: the sector at hand */
	uint8_t fmt_n, sc, fill; /* format: sector size code, sectors per track, filler byte */
	unsigned formatted;      /* format: sectors done */
	off_t offset;            /* the image offset of the sector at hand */
};

struct fdc;
typedef void fdc_cmd_fn(struct fdc *s);

struct fdc_command {
	uint8_t mask, value; /* byte 0 & mask == value */
	uint8_t length;      /* command bytes */
	fdc_cmd_fn *run;
};

struct fdc {
	struct vdh_dev *dev;
	struct vdh_irq *irq;
	struct vdh_timer *timer;
	struct fdc_drive drive[FDC_DRIVES];

	uint8_t dor, tdr;
	uint8_t rate; /* CCR/DSR data rate */
	uint8_t specify[2];
	uint8_t config, pretrk;
	bool lock;
	uint8_t perpendicular; /* D3-D0, GAP, WGATE as DUMPREG shows them */
	uint8_t sc_eot;        /* the last EOT or SC, for DUMPREG */

	enum fdc_phase phase;
	const struct fdc_command *cmd;
	uint8_t cmd_bytes[FDC_CMD_MAX];
	unsigned cmd_len;
	uint8_t result[FDC_RESULT_MAX];
	unsigned result_len, result_pos;
	uint8_t data_latch; /* the last byte the FIFO passed */

	struct fdc_xfer x;
	uint64_t exec_end;   /* the command in execution completes; FDC_NEVER */
	uint8_t buf[FDC_SECTOR];
	unsigned pio_len, pio_pos;
	bool pio_to_host;

	uint64_t reset_end;     /* the polling interrupt after a reset; FDC_NEVER */
	uint8_t reset_status;   /* drives whose reset status SIS still owes */
	bool int_reset, int_result, int_data;
	bool irq_level;
	bool warned_format, warned_io;
};

static const struct vdh *vdh;

static bool fdc_dma_mode(const struct fdc *s)
{
	return !(s->specify[1] & SPECIFY_ND);
}

static void fdc_update_irq(struct fdc *s)
{
	bool level = s->int_reset || s->int_result || s->int_data;

	for (unsigned d = 0; d < FDC_DRIVES; d++)
		level |= s->drive[d].int_pending;
	if (s->phase == FDC_IN_RESET)
		level = false;
	if (level != s->irq_level) {
		s->irq_level = level;
		vdh->set_irq(s->irq, level);
	}
}

/* The timer runs at the earliest thing due. */
static void fdc_arm(struct fdc *s)
{
	uint64_t next = s->exec_end < s->reset_end ? s->exec_end : s->reset_end;

	for (unsigned d = 0; d < FDC_DRIVES; d++)
		if (s->drive[d].seek_end < next)
			next = s->drive[d].seek_end;
	if (next == FDC_NEVER)
		vdh->disarm_timer(s->timer);
	else
		vdh->arm_timer(s->timer, next);
}

static uint64_t fdc_now(struct fdc *s)
{
	return vdh->now_ns(s->dev);
}

/* A new interrupt condition (a seek ended, a result is ready) drops the "ready
 * changed" statuses a reset left: SeaBIOS reads one of the four, then expects
 * the next SENSE INTERRUPT STATUS to report its recalibrate. */
static void fdc_new_interrupt(struct fdc *s)
{
	s->reset_status = 0;
	s->int_reset = false;
}

static void fdc_result(struct fdc *s, const uint8_t *bytes, unsigned len, bool interrupt)
{
	memcpy(s->result, bytes, len);
	s->result_len = len;
	s->result_pos = 0;
	s->phase = FDC_RESULT;
	s->int_data = false;
	if (interrupt) {
		fdc_new_interrupt(s);
		s->int_result = true;
	}
	fdc_update_irq(s);
}

static void fdc_idle(struct fdc *s)
{
	s->phase = FDC_COMMAND;
	s->cmd = NULL;
	s->cmd_len = 0;
}

/* The end of a read, write, format or read ID: seven result bytes and IRQ 6. */
static void fdc_finish(struct fdc *s, uint8_t ic, uint8_t st1, uint8_t st2)
{
	const struct fdc_xfer *x = &s->x;
	uint8_t res[7] = { (uint8_t)(ic | x->hds << 2 | x->ds), st1, st2, x->c, x->h, x->r, x->n };

	s->exec_end = FDC_NEVER;
	fdc_result(s, res, sizeof(res), true);
}

/* Moves the head of drive d to cylinder c; a step pulse clears the disk change
 * line of a drive with a disk in it. Returns the tracks stepped. */
static unsigned fdc_move_head(struct fdc *s, unsigned d, uint8_t c)
{
	struct fdc_drive *drv = &s->drive[d];
	unsigned steps = c > drv->pcn ? c - drv->pcn : drv->pcn - c;

	if (steps && drv->fd >= 0)
		drv->dskchg = false;
	drv->pcn = c;
	return steps;
}

/* Whether the head of the drive reads ID fields: a disk at its data rate in MFM, on a
 * formatted track. Returns ST1 MA when not. */
static uint8_t fdc_track_readable(const struct fdc *s, const struct fdc_xfer *x)
{
	const struct fdc_drive *drv = &s->drive[x->ds];

	/* A drive without a disk gives no index pulses and a real controller would
	 * wait forever; failing as on an unformatted disk lets the BIOS go on. */
	if (drv->fd < 0 || !x->mfm || !(drv->geo->rates & RATE_BIT(s->rate)))
		return ST1_MA;
	if (drv->pcn >= drv->geo->cylinders || x->hds >= drv->geo->heads)
		return ST1_MA;
	return 0;
}

/* Finds the sector x->c, h, r, n under the head; returns ST1 ND when no ID matches. */
static uint8_t fdc_locate(struct fdc *s)
{
	struct fdc_xfer *x = &s->x;
	const struct fdc_drive *drv = &s->drive[x->ds];
	const struct fdc_geometry *g = drv->geo;
	uint8_t st1 = fdc_track_readable(s, x);

	if (st1)
		return st1;
	if (x->h != x->hds || x->n != FDC_SECTOR_N || x->r < 1 || x->r > g->spt)
		return ST1_ND;
	x->offset = (((off_t)drv->pcn * g->heads + x->hds) * g->spt + x->r - 1) * FDC_SECTOR;
	return 0;
}

static void fdc_warn_io(struct fdc *s, const char *what, unsigned ds)
{
	if (s->warned_io)
		return;
	s->warned_io = true;
	vdh->log(s->dev, VDH_LOG_WARN, "drive %c: cannot %s the image: %s", 'A' + ds, what,
		 strerror(errno));
}

static bool fdc_pread(struct fdc *s, void *buf, size_t len, off_t offset)
{
	ssize_t got;

	do
		got = pread(s->drive[s->x.ds].fd, buf, len, offset);
	while (got < 0 && errno == EINTR);
	if (got == (ssize_t)len)
		return true;
	if (got >= 0)
		errno = EIO;
	fdc_warn_io(s, "read", s->x.ds);
	return false;
}

static bool fdc_pwrite(struct fdc *s, const void *buf, size_t len, off_t offset)
{
	ssize_t done;

	do
		done = pwrite(s->drive[s->x.ds].fd, buf, len, offset);
	while (done < 0 && errno == EINTR);
	if (done == (ssize_t)len)
		return true;
	if (done >= 0)
		errno = ENOSPC;
	fdc_warn_io(s, "write", s->x.ds);
	return false;
}

/* DMA channel 2, through the DOR's DMA gate. */
static size_t fdc_dma(struct fdc *s, void *buf, size_t len, bool to_memory, bool *tc)
{
	*tc = false;
	if (!(s->dor & DOR_DMAGATE))
		return 0;
	return vdh->dma_transfer(s->dev, FDC_DMA_CHANNEL, buf, len, to_memory, tc);
}

/* On to the sector after x->r; false at the end of the cylinder (EOT, and
 * with MT on head 1). */
static bool fdc_advance(struct fdc_xfer *x)
{
	if (x->r != x->eot) {
		x->r++;
		return true;
	}
	if (x->mt && x->hds == 0) {
		x->hds = 1;
		x->h ^= 1;
		x->r = 1;
		return true;
	}
	return false;
}

/* The ID the result phase shows after the last sector transferred (82077AA
 * result phase table): the next sector, past EOT the next side or cylinder. */
static void fdc_next_id(struct fdc_xfer *x)
{
	if (x->r != x->eot) {
		x->r++;
		return;
	}
	x->r = 1;
	if (!x->mt || x->hds)
		x->c++;
	if (x->mt)
		x->h ^= 1;
}

static void fdc_sector_passed(struct fdc *s)
{
	struct fdc_drive *drv = &s->drive[s->x.ds];

	drv->next_r = (uint8_t)(s->x.r % drv->geo->spt + 1);
}

/* Read or write data in DMA mode: sector after sector until TC or the end of the cylinder. */
static void fdc_rw_dma(struct fdc *s)
{
	struct fdc_xfer *x = &s->x;
	bool tc;
	size_t got;
	uint8_t st1;

	for (;;) {
		st1 = fdc_locate(s);
		if (st1) {
			fdc_finish(s, ST0_IC_ABNORMAL, st1, 0);
			return;
		}
		if (x->op == OP_READ) {
			if (!fdc_pread(s, s->buf, FDC_SECTOR, x->offset)) {
				fdc_finish(s, ST0_IC_ABNORMAL, ST1_DE, ST2_DD);
				return;
			}
			got = fdc_dma(s, s->buf, FDC_SECTOR, true, &tc);
		} else {
			got = fdc_dma(s, s->buf, FDC_SECTOR, false, &tc);
		}
		/* DMA that does not keep up: the bytes are lost */
		if (got < FDC_SECTOR && !tc) {
			fdc_finish(s, ST0_IC_ABNORMAL, ST1_OR, 0);
			return;
		}
		if (x->op == OP_WRITE) {
			/* TC inside a sector: the rest of its data field is written as 00h */
			memset(s->buf + got, 0, FDC_SECTOR - got);
			if (!fdc_pwrite(s, s->buf, FDC_SECTOR, x->offset)) {
				fdc_finish(s, ST0_IC_ABNORMAL | ST0_EC, 0, 0);
				return;
			}
		}
		fdc_sector_passed(s);
		if (tc) {
			fdc_next_id(x);
			fdc_finish(s, ST0_IC_NORMAL, 0, 0);
			return;
		}
		if (!fdc_advance(x)) {
			fdc_next_id(x);
			fdc_finish(s, ST0_IC_ABNORMAL, ST1_EN, 0);
			return;
		}
	}
}

/* Non-DMA mode: asks the host for the next byte (or to take one) with RQM and IRQ 6. */
static void fdc_pio_request(struct fdc *s, unsigned len, bool to_host)
{
	s->phase = FDC_EXEC_PIO;
	s->pio_len = len;
	s->pio_pos = 0;
	s->pio_to_host = to_host;
	s->int_data = true;
	fdc_update_irq(s);
}

/* Non-DMA read or write: the sector at hand goes through the FIFO. */
static void fdc_rw_pio_sector(struct fdc *s)
{
	uint8_t st1 = fdc_locate(s);

	if (st1) {
		fdc_finish(s, ST0_IC_ABNORMAL, st1, 0);
		return;
	}
	if (s->x.op == OP_READ && !fdc_pread(s, s->buf, FDC_SECTOR, s->x.offset)) {
		fdc_finish(s, ST0_IC_ABNORMAL, ST1_DE, ST2_DD);
		return;
	}
	fdc_pio_request(s, FDC_SECTOR, s->x.op == OP_READ);
}

/* Non-DMA mode has no TC on a PC: a transfer ends at the end of the cylinder. */
static void fdc_rw_pio_done(struct fdc *s)
{
	if (s->x.op == OP_WRITE && !fdc_pwrite(s, s->buf, FDC_SECTOR, s->x.offset)) {
		fdc_finish(s, ST0_IC_ABNORMAL | ST0_EC, 0, 0);
		return;
	}
	fdc_sector_passed(s);
	if (!fdc_advance(&s->x)) {
		fdc_next_id(&s->x);
		fdc_finish(s, ST0_IC_ABNORMAL, ST1_EN, 0);
		return;
	}
	fdc_rw_pio_sector(s);
}

static void fdc_warn_format(struct fdc *s, const uint8_t *id)
{
	if (s->warned_format)
		return;
	s->warned_format = true;
	vdh->log(s->dev, VDH_LOG_WARN,
		 "FORMAT TRACK: sector ID C=%u H=%u R=%u N=%u does not fit the image's layout; "
		 "the sector is not written",
		 id[0], id[1], id[2], id[3]);
}

/* One sector of a format: its ID (C, H, R, N) came from the host; its data
 * field is the filler. The result phase shows the last ID. */
static bool fdc_format_sector(struct fdc *s, const uint8_t *id)
{
	struct fdc_xfer *x = &s->x;
	const struct fdc_geometry *g = s->drive[x->ds].geo;
	off_t offset;

	x->c = id[0];
	x->h = id[1];
	x->r = id[2];
	x->n = id[3];
	x->formatted++;
	/* the image keeps a sector at the place its ID names, on the side formatted */
	if (x->fmt_n != FDC_SECTOR_N || x->n != FDC_SECTOR_N || x->c >= g->cylinders ||
	    x->h != x->hds || x->r < 1 || x->r > g->spt) {
		fdc_warn_format(s, id);
		return true;
	}
	memset(s->buf, x->fill, FDC_SECTOR);
	offset = (((off_t)x->c * g->heads + x->hds) * g->spt + x->r - 1) * FDC_SECTOR;
	if (fdc_pwrite(s, s->buf, FDC_SECTOR, offset))
		return true;
	fdc_finish(s, ST0_IC_ABNORMAL | ST0_EC, 0, 0);
	return false;
}

static void fdc_format_dma(struct fdc *s)
{
	uint8_t id[FDC_ID_BYTES];
	bool tc;

	while (s->x.formatted < s->x.sc) {
		if (fdc_dma(s, id, sizeof(id), false, &tc) < sizeof(id)) {
			fdc_finish(s, ST0_IC_ABNORMAL, ST1_OR, 0);
			return;
		}
		if (!fdc_format_sector(s, id))
			return;
		if (tc)
			break;
	}
	fdc_finish(s, ST0_IC_NORMAL, 0, 0);
}

/* What happens when the head has reached the track and the command runs. */
static void fdc_execute(struct fdc *s)
{
	struct fdc_xfer *x = &s->x;
	struct fdc_drive *drv = &s->drive[x->ds];
	bool writes = x->op == OP_WRITE || x->op == OP_FORMAT;
	uint8_t st1 = 0;

	s->exec_end = FDC_NEVER;
	if (drv->fd < 0)
		st1 = ST1_MA;
	else if (writes && drv->readonly)
		st1 = ST1_NW;
	else if (x->op != OP_FORMAT)
		st1 = fdc_track_readable(s, x);
	else if (!x->mfm || !(drv->geo->rates & RATE_BIT(s->rate)))
		st1 = ST1_MA;
	if (st1) {
		fdc_finish(s, ST0_IC_ABNORMAL, st1, 0);
		return;
	}
	switch (x->op) {
	case OP_READ_ID:
		x->r = drv->next_r;
		fdc_sector_passed(s);
		fdc_finish(s, ST0_IC_NORMAL, 0, 0);
		break;
	case OP_FORMAT:
		if (fdc_dma_mode(s))
			fdc_format_dma(s);
		else
			fdc_pio_request(s, FDC_ID_BYTES, false);
		break;
	default:
		if (fdc_dma_mode(s))
			fdc_rw_dma(s);
		else
			fdc_rw_pio_sector(s);
		break;
	}
}

static void fdc_exec_after(struct fdc *s, uint64_t ns)
{
	s->phase = FDC_EXEC;
	s->exec_end = fdc_now(s) + ns;
	fdc_arm(s);
}

/* A seek or recalibrate ends: the head is there, ST0 waits for SENSE INTERRUPT STATUS. */
static void fdc_seek_end(struct fdc *s, unsigned d)
{
	struct fdc_drive *drv = &s->drive[d];

	drv->seek_end = FDC_NEVER;
	fdc_move_head(s, d, drv->seek_to);
	fdc_new_interrupt(s);
	drv->int_pending = true;
	fdc_update_irq(s);
}

static void fdc_timer(void *opaque, uint64_t now_ns)
{
	struct fdc *s = opaque;

	if (s->reset_end <= now_ns) {
		/* polling after a reset: a "ready changed" status for every drive */
		s->reset_end = FDC_NEVER;
		s->reset_status = (1u << FDC_DRIVES) - 1;
		s->int_reset = true;
		fdc_update_irq(s);
	}
	for (unsigned d = 0; d < FDC_DRIVES; d++)
		if (s->drive[d].seek_end <= now_ns)
			fdc_seek_end(s, d);
	if (s->exec_end <= now_ns)
		fdc_execute(s);
	fdc_arm(s);
}

/* ---- commands ---- */

static void fdc_start_xfer(struct fdc *s, enum fdc_op op)
{
	const uint8_t *b = s->cmd_bytes;
	struct fdc_xfer *x = &s->x;

	*x = (struct fdc_xfer){
		.op = op,
		.ds = CMD_DS(b[1]),
		.hds = CMD_HDS(b[1]),
		.mt = b[0] & CMD_MT,
		.mfm = b[0] & CMD_MFM,
	};
}

/* READ DATA and WRITE DATA: C, H, R, N, EOT, GPL, DTL. */
static void fdc_cmd_rw(struct fdc *s, enum fdc_op op)
{
	const uint8_t *b = s->cmd_bytes;
	struct fdc_xfer *x = &s->x;
	unsigned steps;

	fdc_start_xfer(s, op);
	x->c = b[2];
	x->h = b[3];
	x->r = b[4];
	x->n = b[5];
	x->eot = b[6];
	s->sc_eot = x->eot;
	/* The head goes to cylinder C first, as with implied seeks (CONFIGURE EIS)
	 * on: SeaBIOS reads and writes after a recalibrate without seeking. */
	steps = fdc_move_head(s, x->ds, x->c);
	fdc_exec_after(s, FDC_XFER_NS + (uint64_t)steps * FDC_STEP_NS);
}

static void fdc_cmd_read(struct fdc *s)
{
	fdc_cmd_rw(s, OP_READ);
}

static void fdc_cmd_write(struct fdc *s)
{
	fdc_cmd_rw(s, OP_WRITE);
}

static void fdc_cmd_read_id(struct fdc *s)
{
	struct fdc_xfer *x = &s->x;

	fdc_start_xfer(s, OP_READ_ID);
	x->c = s->drive[x->ds].pcn;
	x->h = (uint8_t)x->hds;
	x->r = s->drive[x->ds].next_r;
	x->n = FDC_SECTOR_N;
	fdc_exec_after(s, FDC_XFER_NS);
}

/* FORMAT TRACK: N, SC, GPL, D; then C, H, R, N of each sector from the host. */
static void fdc_cmd_format(struct fdc *s)
{
	const uint8_t *b = s->cmd_bytes;
	struct fdc_xfer *x = &s->x;

	fdc_start_xfer(s, OP_FORMAT);
	x->c = s->drive[x->ds].pcn;
	x->h = (uint8_t)x->hds;
	x->n = b[2];
	x->fmt_n = b[2];
	x->sc = b[3];
	x->fill = b[5];
	s->sc_eot = x->sc;
	fdc_exec_after(s, FDC_XFER_NS);
}

/* SEEK, RELATIVE SEEK and RECALIBRATE run in the background: the controller
 * takes the next command while the drive steps (MSR shows it busy). */
static void fdc_seek_to(struct fdc *s, unsigned d, uint8_t target, uint8_t st0, unsigned steps)
{
	struct fdc_drive *drv = &s->drive[d];

	drv->seek_to = target;
	drv->seek_st0 = st0;
	drv->int_pending = false;
	drv->seek_end = fdc_now(s) + FDC_SEEK_NS + (uint64_t)steps * FDC_STEP_NS;
	fdc_idle(s);
	fdc_update_irq(s);
	fdc_arm(s);
}

static void fdc_cmd_recalibrate(struct fdc *s)
{
	unsigned d = CMD_DS(s->cmd_bytes[1]);
	const struct fdc_drive *drv = &s->drive[d];

	/* no drive answers with track 0: after 79 steps, equipment check */
	if (!drv->present)
		fdc_seek_to(s, d, 0, (uint8_t)(ST0_IC_ABNORMAL | ST0_SE | ST0_EC | d), RECAL_STEPS);
	else
		fdc_seek_to(s, d, 0, (uint8_t)(ST0_SE | d), drv->pcn);
}

static void fdc_cmd_seek(struct fdc *s)
{
	const uint8_t *b = s->cmd_bytes;
	unsigned d = CMD_DS(b[1]);
	uint8_t pcn = s->drive[d].pcn;

	fdc_seek_to(s, d, b[2], (uint8_t)(ST0_SE | CMD_HDS(b[1]) << 2 | d),
		    b[2] > pcn ? b[2] - pcn : pcn - b[2]);
}

static void fdc_cmd_relative_seek(struct fdc *s)
{
	const uint8_t *b = s->cmd_bytes;
	unsigned d = CMD_DS(b[1]);
	uint8_t st0 = (uint8_t)(ST0_SE | CMD_HDS(b[1]) << 2 | d);
	int target = s->drive[d].pcn;

	target += b[0] & RELSEEK_DIR ? b[2] : -b[2];
	/* stepping out past track 0 stops there with equipment check */
	if (target < 0) {
		target = 0;
		st0 |= ST0_EC;
	}
	if (target > UINT8_MAX)
		target = UINT8_MAX;
	fdc_seek_to(s, d, (uint8_t)target, st0, b[2]);
}

static void fdc_invalid(struct fdc *s)
{
	const uint8_t st0 = ST0_IC_INVALID;

	fdc_result(s, &st0, 1, false);
}

static void fdc_cmd_sense_interrupt(struct fdc *s)
{
	uint8_t res[2];

	s->int_result = false;
	for (unsigned d = 0; d < FDC_DRIVES; d++) {
		if (!(s->reset_status & (1u << d)))
			continue;
		s->reset_status &= (uint8_t)~(1u << d);
		/* the first one clears the reset interrupt; the rest are statuses only */
		s->int_reset = false;
		res[0] = (uint8_t)(ST0_IC_POLLED | d);
		res[1] = s->drive[d].pcn;
		fdc_result(s, res, 2, false);
		return;
	}
	for (unsigned d = 0; d < FDC_DRIVES; d++) {
		struct fdc_drive *drv = &s->drive[d];

		if (!drv->int_pending)
			continue;
		drv->int_pending = false;
		res[0] = drv->seek_st0;
		res[1] = drv->pcn;
		fdc_result(s, res, 2, false);
		return;
	}
	/* without an interrupt pending it is an invalid command */
	fdc_invalid(s);
}

static void fdc_cmd_specify(struct fdc *s)
{
	s->specify[0] = s->cmd_bytes[1];
	s->specify[1] = s->cmd_bytes[2];
	fdc_idle(s);
}

static void fdc_cmd_sense_drive(struct fdc *s)
{
	unsigned d = CMD_DS(s->cmd_bytes[1]);
	const struct fdc_drive *drv = &s->drive[d];
	uint8_t st3 = (uint8_t)(ST3_RDY | ST3_TS | CMD_HDS(s->cmd_bytes[1]) << 2 | d);

	if (drv->present && drv->pcn == 0)
		st3 |= ST3_T0;
	if (drv->fd >= 0 && drv->readonly)
		st3 |= ST3_WP;
	fdc_result(s, &st3, 1, false);
}

static void fdc_cmd_configure(struct fdc *s)
{
	s->config = s->cmd_bytes[2] & CONFIG_MASK;
	s->pretrk = s->cmd_bytes[3];
	fdc_idle(s);
}

static void fdc_cmd_dumpreg(struct fdc *s)
{
	uint8_t res[10] = {
		s->drive[0].pcn, s->drive[1].pcn, s->drive[2].pcn, s->drive[3].pcn,
		s->specify[0], s->specify[1], s->sc_eot,
		(uint8_t)((s->lock ? LOCK_BIT : 0) | s->perpendicular),
		s->config, s->pretrk,
	};

	fdc_result(s, res, sizeof(res), false);
}

static void fdc_cmd_version(struct fdc *s)
{
	const uint8_t version = VERSION_82077AA;

	fdc_result(s, &version, 1, false);
}

static void fdc_cmd_perpendicular(struct fdc *s)
{
	uint8_t v = s->cmd_bytes[1];

	/* GAP and WGATE always; the drive bits D3-D0 only with OW */
	if (v & PERP_OW)
		s->perpendicular = v & 0x3F;
	else
		s->perpendicular = (uint8_t)((s->perpendicular & 0x3C) | (v & 0x03));
	fdc_idle(s);
}

static void fdc_cmd_lock(struct fdc *s)
{
	uint8_t res;

	s->lock = s->cmd_bytes[0] & LOCK_BIT;
	res = s->lock ? LOCK_RESULT : 0;
	fdc_result(s, &res, 1, false);
}

/* The 82077AA command set, by the first byte (bits shown 0 in the datasheet must be 0). */
static const struct fdc_command fdc_commands[] = {
	{ 0x1F, 0x06, 9, fdc_cmd_read },          /* READ DATA (MT, MFM, SK) */
	{ 0x3F, 0x05, 9, fdc_cmd_write },         /* WRITE DATA (MT, MFM) */
	{ 0xBF, 0x0A, 2, fdc_cmd_read_id },       /* READ ID (MFM) */
	{ 0xBF, 0x0D, 6, fdc_cmd_format },        /* FORMAT TRACK (MFM) */
	{ 0xFF, 0x07, 2, fdc_cmd_recalibrate },   /* RECALIBRATE */
	{ 0xFF, 0x08, 1, fdc_cmd_sense_interrupt }, /* SENSE INTERRUPT STATUS */
	{ 0xFF, 0x03, 3, fdc_cmd_specify },       /* SPECIFY */
	{ 0xFF, 0x04, 2, fdc_cmd_sense_drive },   /* SENSE DRIVE STATUS */
	{ 0xFF, 0x0F, 3, fdc_cmd_seek },          /* SEEK */
	{ 0xBF, 0x8F, 3, fdc_cmd_relative_seek }, /* RELATIVE SEEK (DIR) */
	{ 0xFF, 0x13, 4, fdc_cmd_configure },     /* CONFIGURE */
	{ 0xFF, 0x0E, 1, fdc_cmd_dumpreg },       /* DUMPREG */
	{ 0xFF, 0x10, 1, fdc_cmd_version },       /* VERSION */
	{ 0xFF, 0x12, 2, fdc_cmd_perpendicular }, /* PERPENDICULAR MODE */
	{ 0x7F, 0x14, 1, fdc_cmd_lock },          /* LOCK (LOCK bit) */
};

#define FDC_COMMANDS (sizeof(fdc_commands) / sizeof(fdc_commands[0]))

static void fdc_command_byte(struct fdc *s, uint8_t value)
{
	if (s->cmd_len == 0) {
		s->cmd = NULL;
		for (size_t i = 0; i < FDC_COMMANDS; i++) {
			if ((value & fdc_commands[i].mask) == fdc_commands[i].value) {
				s->cmd = &fdc_commands[i];
				break;
			}
		}
		if (!s->cmd) {
			fdc_invalid(s);
			return;
		}
		/* a new command ends the interrupt of the last one's result */
		s->int_result = false;
		fdc_update_irq(s);
	}
	s->cmd_bytes[s->cmd_len++] = value;
	if (s->cmd_len == s->cmd->length)
		s->cmd->run(s);
}

/* ---- the FIFO in non-DMA execution ---- */

static void fdc_pio_byte_done(struct fdc *s)
{
	uint8_t id[FDC_ID_BYTES];

	/* each byte ends the data request; the next one is a new interrupt */
	s->int_data = false;
	fdc_update_irq(s);
	if (++s->pio_pos < s->pio_len) {
		s->int_data = true;
		fdc_update_irq(s);
		return;
	}
	if (s->x.op != OP_FORMAT) {
		fdc_rw_pio_done(s);
		return;
	}
	memcpy(id, s->buf, sizeof(id));
	if (!fdc_format_sector(s, id))
		return;
	if (s->x.formatted < s->x.sc)
		fdc_pio_request(s, FDC_ID_BYTES, false);
	else
		fdc_finish(s, ST0_IC_NORMAL, 0, 0);
}

static uint8_t fdc_fifo_read(struct fdc *s)
{
	switch (s->phase) {
	case FDC_RESULT:
		/* reading the result clears the interrupt of a read or write */
		s->int_result = false;
		fdc_update_irq(s);
		s->data_latch = s->result[s->result_pos++];
		if (s->result_pos == s->result_len)
			fdc_idle(s);
		break;
	case FDC_EXEC_PIO:
		if (!s->pio_to_host)
			break;
		s->data_latch = s->buf[s->pio_pos];
		fdc_pio_byte_done(s);
		break;
	default:
		break;
	}
	return s->data_latch;
}

static void fdc_fifo_write(struct fdc *s, uint8_t value)
{
	switch (s->phase) {
	case FDC_COMMAND:
		fdc_command_byte(s, value);
		break;
	case FDC_EXEC_PIO:
		if (s->pio_to_host)
			break;
		s->buf[s->pio_pos] = value;
		fdc_pio_byte_done(s);
		break;
	default:
		/* the FIFO does not take bytes while it is busy or has results */
		break;
	}
}

static uint8_t fdc_msr(const struct fdc *s)
{
	uint8_t busy = 0;

	for (unsigned d = 0; d < FDC_DRIVES; d++)
		if (s->drive[d].seek_end != FDC_NEVER || s->drive[d].int_pending)
			busy |= MSR_DRV_BUSY(d);
	switch (s->phase) {
	case FDC_IN_RESET:
		return 0;
	case FDC_COMMAND:
		return (uint8_t)(MSR_RQM | (s->cmd_len ? MSR_CB : 0) | busy);
	case FDC_EXEC:
		return (uint8_t)(MSR_CB | busy);
	case FDC_EXEC_PIO:
		return (uint8_t)(MSR_RQM | MSR_NDMA | MSR_CB | (s->pio_to_host ? MSR_DIO : 0) | busy);
	default:
		return (uint8_t)(MSR_RQM | MSR_DIO | MSR_CB | busy);
	}
}

/* ---- reset ---- */

static void fdc_enter_reset(struct fdc *s)
{
	s->phase = FDC_IN_RESET;
	s->exec_end = s->reset_end = FDC_NEVER;
	for (unsigned d = 0; d < FDC_DRIVES; d++) {
		s->drive[d].seek_end = FDC_NEVER;
		s->drive[d].int_pending = false;
	}
	s->reset_status = 0;
	s->int_reset = s->int_result = s->int_data = false;
	fdc_update_irq(s);
	fdc_arm(s);
}

/* Out of reset: idle, CONFIGURE and PERPENDICULAR MODE back to their defaults
 * except what LOCK keeps (EFIFO, FIFOTHR, PRETRK; the drive bits D3-D0), and,
 * with polling on, an interrupt soon after. */
static void fdc_leave_reset(struct fdc *s)
{
	fdc_idle(s);
	if (s->lock) {
		s->config = (uint8_t)((s->config & 0x2F) | (CONFIG_DEFAULT & 0x50));
	} else {
		s->config = CONFIG_DEFAULT;
		s->pretrk = 0;
	}
	s->perpendicular &= 0x3C;
	if (!(s->config & CONFIG_POLL_OFF)) {
		s->reset_end = fdc_now(s) + FDC_RESET_NS;
		fdc_arm(s);
	}
}

/* ---- ports ---- */

static uint8_t fdc_inb(void *opaque, uint16_t port)
{
	struct fdc *s = opaque;

	switch (port - FDC_PORT) {
	case FDC_DOR:
		return s->dor;
	case FDC_TDR:
		return (uint8_t)(0xFC | s->tdr);
	case FDC_MSR:
		return fdc_msr(s);
	case FDC_FIFO:
		return fdc_fifo_read(s);
	default: /* FDC_SRA, FDC_SRB */
		return 0xFF;
	}
}

static void fdc_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct fdc *s = opaque;
	uint8_t old = s->dor;

	switch (port - FDC_PORT) {
	case FDC_DOR:
		s->dor = value;
		if (!(value & DOR_NRESET))
			fdc_enter_reset(s);
		else if (!(old & DOR_NRESET))
			fdc_leave_reset(s);
		break;
	case FDC_TDR:
		s->tdr = value & TDR_SELECT;
		break;
	case FDC_MSR:
		/* DSR: the data rate (precompensation does not matter to an image);
		 * bit 7 resets and clears itself */
		s->rate = value & RATE_MASK;
		if ((value & DSR_SWRESET) && (s->dor & DOR_NRESET)) {
			fdc_enter_reset(s);
			fdc_leave_reset(s);
		}
		break;
	case FDC_FIFO:
		if (s->phase != FDC_IN_RESET)
			fdc_fifo_write(s, value);
		break;
	default: /* the status registers are read-only */
		break;
	}
}

/* DIR: the disk change line of the drive the DOR selects, when its motor is on
 * (the 82077AA gates the drive select outputs with the motor bits). */
static uint8_t fdc_dir_inb(void *opaque, uint16_t port)
{
	struct fdc *s = opaque;
	unsigned d = s->dor & DOR_DSEL;
	const struct fdc_drive *drv = &s->drive[d];
	bool change = drv->present && (s->dor & DOR_MOTOR(d)) && (drv->dskchg || drv->fd < 0);

	return (uint8_t)(DIR_FLOATING | (change ? DIR_DSKCHG : 0));
}

/* CCR: the data rate */
static void fdc_ccr_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct fdc *s = opaque;

	s->rate = value & RATE_MASK;
}

static const struct vdh_io_ops fdc_ops = {
	.inb = fdc_inb,
	.outb = fdc_outb,
};

static const struct vdh_io_ops fdc_dir_ops = {
	.inb = fdc_dir_inb,
	.outb = fdc_ccr_outb,
};

/* ---- create and terminate ---- */

static void fdc_log_sizes(struct vdh_dev *dev, unsigned d, const char *path, long long size)
{
	char list[256];
	size_t used = 0;

	list[0] = '\0';
	for (size_t i = 0; i < FDC_GEOMETRIES && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s (%u bytes)",
					 i ? ", " : "", fdc_geometries[i].name,
					 fdc_geometries[i].size);
	vdh->log(dev, VDH_LOG_ERROR,
		 "drive %c: the floppy image '%s' is %lld bytes; the sizes accepted are %s",
		 'A' + d, path, size, list);
}

static int fdc_open_image(struct fdc *s, unsigned d, const char *path, bool readonly)
{
	struct fdc_drive *drv = &s->drive[d];
	struct stat st;
	off_t size;
	int fd, rc;

	fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && !readonly && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		int why = errno;

		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			vdh->log(s->dev, VDH_LOG_WARN,
				 "drive %c: the image '%s' cannot be opened for writing (%s): the "
				 "disk is write-protected",
				 'A' + d, path, strerror(why));
			readonly = true;
		}
	}
	if (fd < 0) {
		rc = -errno;
		vdh->log(s->dev, VDH_LOG_ERROR, "drive %c: cannot open the image '%s': %s", 'A' + d,
			 path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		vdh->log(s->dev, VDH_LOG_ERROR, "drive %c: the image '%s' is not a file", 'A' + d,
			 path);
		close(fd);
		return -EINVAL;
	}
	size = lseek(fd, 0, SEEK_END);
	for (size_t i = 0; i < FDC_GEOMETRIES; i++)
		if (size == (off_t)fdc_geometries[i].size)
			drv->geo = &fdc_geometries[i];
	if (!drv->geo) {
		fdc_log_sizes(s->dev, d, path, (long long)size);
		close(fd);
		return -EINVAL;
	}
	drv->fd = fd;
	drv->readonly = readonly;
	return 0;
}

static void fdc_terminate(void *instance)
{
	struct fdc *s = instance;

	if (!s)
		return;
	for (unsigned d = 0; d < FDC_DRIVES; d++) {
		if (s->drive[d].fd < 0)
			continue;
		if (!s->drive[d].readonly && fsync(s->drive[d].fd) < 0)
			vdh->log(s->dev, VDH_LOG_WARN, "drive %c: cannot flush the image: %s",
				 'A' + d, strerror(errno));
		close(s->drive[d].fd);
	}
	vdh->destroy_timer(s->timer);
	free(s);
}

static int fdc_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int fdc_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	const char *image[2] = { vdh->prop_string(props, "image"),
				 vdh->prop_string(props, "image1") };
	bool readonly = vdh->prop_bool(props, "readonly");
	struct fdc *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	for (unsigned d = 0; d < FDC_DRIVES; d++) {
		s->drive[d].fd = -1;
		s->drive[d].seek_end = FDC_NEVER;
		/* at power-on the disk change line is active */
		s->drive[d].dskchg = true;
		s->drive[d].next_r = 1;
	}
	/* drive A: is always there, drive B: with an image */
	s->drive[0].present = true;
	s->drive[1].present = image[1][0] != '\0';
	s->phase = FDC_IN_RESET; /* DOR is 00h after a hardware reset */
	s->rate = RATE_POWER_ON;
	s->config = CONFIG_DEFAULT;
	s->exec_end = s->reset_end = FDC_NEVER;

	rc = vdh->create_timer(dev, fdc_timer, s, &s->timer);
	if (rc < 0) {
		free(s);
		return rc;
	}
	for (unsigned d = 0; d < 2; d++) {
		if (image[d][0] == '\0')
			continue;
		rc = fdc_open_image(s, d, image[d], readonly);
		if (rc < 0)
			goto err;
	}
	rc = vdh->open_irq(dev, FDC_IRQ, NULL, NULL, &s->irq);
	if (rc < 0)
		goto err;
	/* 0x3F0-0x3F5: 82077AA status, DOR, TDR, MSR/DSR, FIFO */
	rc = vdh->install_io_hook(dev, FDC_PORT, FDC_PORT_COUNT, &fdc_ops, s);
	if (rc < 0)
		goto err;
	/* 0x3F7: 82077AA DIR/CCR */
	rc = vdh->install_io_hook(dev, FDC_DIR_PORT, 1, &fdc_dir_ops, s);
	if (rc < 0)
		goto err;
	for (unsigned d = 0; d < 2; d++)
		if (s->drive[d].fd >= 0)
			vdh->log(dev, VDH_LOG_INFO, "drive %c: %s, %s%s", 'A' + d, image[d],
				 s->drive[d].geo->name, s->drive[d].readonly ? ", read-only" : "");
	*instance = s;
	return 0;

	/* the VMM drops the hooks and the IRQ line of a VDD whose create() fails */
err:
	fdc_terminate(s);
	return rc;
}

static const struct vdh_prop_spec fdc_props[] = {
	{ "image", VDH_PROP_STRING, "", 0, 0, "drive A:'s image file (empty: no disk)" },
	{ "image1", VDH_PROP_STRING, "", 0, 0, "drive B:'s image file (empty: no drive B:)" },
	{ "readonly", VDH_PROP_BOOL, "false", 0, 1,
	  "write-protect both disks (also when an image cannot be opened for writing)" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "fdc",
	.description = "Intel 82077AA floppy disk controller (IRQ 6, DMA 2), drives A: and B: on "
		       "160K-2.88M image files",
	.props = fdc_props,
	.init = fdc_init,
	.create = fdc_create,
	.terminate = fdc_terminate,
};
