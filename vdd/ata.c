/* ata.c: the primary ATA (IDE) channel of a PC with up to two hard disks, PIO only. */
#include <ctype.h>
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
 * Commands complete at once: BSY is never seen except while the guest holds
 * SRST. Each disk is an image file read and written with pread/pwrite, a
 * DRQ block at a time; the host's page cache plays the drive's write cache,
 * which FLUSH CACHE empties with fdatasync.
 */

#define ATA_PORT_CMD 0x1F0 /* command block */
#define ATA_CMD_PORTS 8
#define ATA_PORT_CTL 0x3F6 /* control block; 3F7h is the floppy controller's DIR */
#define ATA_IRQ 14

/* Command block registers, by offset (read / write name) */
#define ATA_REG_DATA 0
#define ATA_REG_ERROR 1  /* error / features */
#define ATA_REG_NSECT 2  /* sector count */
#define ATA_REG_SECTOR 3 /* sector number, LBA 7:0 */
#define ATA_REG_LCYL 4   /* cylinder low, LBA 15:8 */
#define ATA_REG_HCYL 5   /* cylinder high, LBA 23:16 */
#define ATA_REG_SELECT 6 /* device/head, LBA 27:24 */
#define ATA_REG_STATUS 7 /* status / command */

/* Status */
#define ATA_SR_BSY 0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DSC 0x10
#define ATA_SR_DRQ 0x08
#define ATA_SR_ERR 0x01
/* DF (20h), CORR (04h) and IDX (02h) stay clear: no faults, no ECC, no index pulse */
#define ATA_SR_IDLE (ATA_SR_DRDY | ATA_SR_DSC)

/* Error */
#define ATA_ER_UNC 0x40  /* uncorrectable data error */
#define ATA_ER_IDNF 0x10 /* ID not found: no such sector */
#define ATA_ER_ABRT 0x04 /* command aborted */
/* After a reset or EXECUTE DEVICE DIAGNOSTIC: device 0 passed, device 1 passed or absent */
#define ATA_DIAG_PASSED 0x01

/* Device/head */
#define ATA_DH_LBA 0x40
#define ATA_DH_DEV 0x10
#define ATA_DH_HEAD 0x0F

/* Device control */
#define ATA_DC_SRST 0x04
#define ATA_DC_NIEN 0x02

/* Commands */
#define ATA_CMD_RECALIBRATE 0x10 /* 10h-1Fh */
#define ATA_CMD_READ_SECTORS 0x20
#define ATA_CMD_READ_SECTORS_NR 0x21 /* "without retries" */
#define ATA_CMD_WRITE_SECTORS 0x30
#define ATA_CMD_WRITE_SECTORS_NR 0x31
#define ATA_CMD_READ_VERIFY 0x40
#define ATA_CMD_READ_VERIFY_NR 0x41
#define ATA_CMD_SEEK 0x70 /* 70h-7Fh */
#define ATA_CMD_DIAGNOSTIC 0x90
#define ATA_CMD_INIT_PARAMS 0x91
#define ATA_CMD_IDENTIFY_PACKET 0xA1
#define ATA_CMD_READ_MULTIPLE 0xC4
#define ATA_CMD_WRITE_MULTIPLE 0xC5
#define ATA_CMD_SET_MULTIPLE 0xC6
#define ATA_CMD_STANDBY_IMMEDIATE 0xE0
#define ATA_CMD_IDLE_IMMEDIATE 0xE1
#define ATA_CMD_STANDBY 0xE2
#define ATA_CMD_IDLE 0xE3
#define ATA_CMD_CHECK_POWER 0xE5
#define ATA_CMD_FLUSH_CACHE 0xE7
#define ATA_CMD_IDENTIFY 0xEC
#define ATA_CMD_SET_FEATURES 0xEF

/* SET FEATURES subcommands (features register) */
#define ATA_SF_WCACHE_ON 0x02
#define ATA_SF_XFER_MODE 0x03 /* sector count: the mode */
#define ATA_SF_LOOKAHEAD_OFF 0x55
#define ATA_SF_WCACHE_OFF 0x82
#define ATA_SF_LOOKAHEAD_ON 0xAA
#define ATA_XFER_PIO_DEFAULT 0x00
#define ATA_XFER_PIO_NO_IORDY 0x01
#define ATA_XFER_PIO_FLOW 0x08 /* + PIO mode 0-4 */
#define ATA_PIO_MAX_MODE 4

/* CHECK POWER MODE answers */
#define ATA_POWER_STANDBY 0x00
#define ATA_POWER_ACTIVE 0xFF

#define ATA_SECTOR 512
#define ATA_MAX_MULTIPLE 16
#define ATA_LBA28_SECTORS (1u << 28)
/* CHS addresses at most 16383 * 16 * 63 sectors; larger disks report 16383 cylinders. */
#define ATA_CHS_MAX_SECTORS 16514064u
#define ATA_MAX_CYLINDERS 65535
#define ATA_MAX_HEADS 16
#define ATA_MAX_SPT 255
#define ATA_DEFAULT_HEADS 16
#define ATA_DEFAULT_SPT 63

/* IDENTIFY DEVICE words */
#define ID_CONFIG 0          /* general configuration */
#define ID_CYLS 1
#define ID_HEADS 3
#define ID_SPT 6
#define ID_SERIAL 10         /* 10 words */
#define ID_FIRMWARE 23       /* 4 words */
#define ID_MODEL 27          /* 20 words */
#define ID_MAX_MULTIPLE 47
#define ID_CAPS 49
#define ID_CAPS2 50
#define ID_PIO_TIMING 51
#define ID_VALID 53
#define ID_CUR_CYLS 54
#define ID_CUR_HEADS 55
#define ID_CUR_SPT 56
#define ID_CUR_CAPACITY 57   /* 2 words, low first */
#define ID_MULTIPLE 59
#define ID_LBA_CAPACITY 60   /* 2 words, low first */
#define ID_PIO_MODES 64
#define ID_MIN_CYCLE 65      /* 65-68: minimum cycle times in ns */
#define ID_MAJOR 80
#define ID_CMDSET 82         /* 82-84 supported, 85-87 enabled */
#define ID_CHECKSUM 255
#define ID_WORDS 256

#define ID_CONFIG_FIXED 0x0040          /* not removable */
#define ID_MAX_MULTIPLE_TAG 0x8000
#define ID_CAPS_IORDY 0x0800
#define ID_CAPS_IORDY_OFF 0x0400        /* IORDY can be disabled (SET FEATURES 03h, mode 01h) */
#define ID_CAPS_LBA 0x0200
#define ID_CAPS2_ONE 0x4000             /* shall be one */
#define ID_PIO_TIMING_MODE2 0x0200
#define ID_VALID_CUR_CHS 0x0001         /* words 54-58 */
#define ID_VALID_PIO 0x0002             /* words 64-70 */
#define ID_MULTIPLE_VALID 0x0100
#define ID_PIO_MODES_3_4 0x0003
#define ID_MIN_CYCLE_NS 120
#define ID_MAJOR_ATA1_TO_4 0x001E
#define ID_82_POWER_MGMT 0x0008
#define ID_82_WCACHE 0x0020
#define ID_82_LOOKAHEAD 0x0040
#define ID_83_FLUSH_CACHE 0x1000
#define ID_CMDSET_VALID 0x4000          /* words 83, 84, 87: bit 14 one, bit 15 zero */
#define ID_CHECKSUM_SIGNATURE 0xA5

#define ATA_MODEL "MVM HARDDISK"
#define ATA_FIRMWARE "1.0"

enum ata_xfer {
	ATA_XFER_NONE,
	ATA_XFER_IDENTIFY, /* data in from the IDENTIFY page */
	ATA_XFER_READ,     /* data in from the image */
	ATA_XFER_WRITE,    /* data out to the image */
};

struct ata_drive {
	bool present;
	int fd;
	bool readonly;
	bool logged_io_error;
	uint32_t sectors;                   /* LBA capacity */
	uint16_t cyls, heads, spt;          /* default geometry (IDENTIFY words 1, 3, 6) */
	uint16_t cur_cyls, cur_heads, cur_spt; /* CHS translation in use */
	uint8_t multiple;                   /* READ/WRITE MULTIPLE block; 0: disabled */
	uint8_t power;                      /* CHECK POWER MODE answer */
	bool write_cache, lookahead;
	char serial[8];

	/* Registers as this device holds them: writes reach both devices of a
	 * channel, command results only the one that ran the command. The
	 * device/head register, which selects the device, is the channel's
	 * (struct ata). */
	uint8_t error, features, nsect, sector, lcyl, hcyl;
	uint8_t status;
	bool intrq; /* interrupt pending: cleared by a status read or a command */

	/* The PIO transfer under way */
	enum ata_xfer xfer;
	uint32_t lba;     /* first sector of the block in buf */
	uint32_t left;    /* sectors still to transfer, this block included */
	unsigned block;   /* sectors per DRQ block */
	unsigned count;   /* sectors in this block */
	size_t pos, len;  /* bytes of buf transferred so far, and in the block */
	uint8_t buf[ATA_MAX_MULTIPLE * ATA_SECTOR];
};

struct ata {
	struct vdh_dev *dev;
	struct ata_drive drive[2]; /* device 0 (master), device 1 (slave) */
	uint8_t select;            /* device/head register */
	uint8_t control;           /* device control: SRST and nIEN as written */
	struct vdh_irq *irq;
	bool irq_level;
	bool logged_unsupported;
};

static const struct vdh *vdh;

static struct ata_drive *ata_selected(struct ata *s)
{
	return &s->drive[s->select & ATA_DH_DEV ? 1 : 0];
}

/* INTRQ: driven by the selected device, released while nIEN is set. */
static void ata_update_irq(struct ata *s)
{
	const struct ata_drive *d = ata_selected(s);
	bool level = d->present && d->intrq && !(s->control & ATA_DC_NIEN);

	if (level == s->irq_level)
		return;
	s->irq_level = level;
	vdh->set_irq(s->irq, level);
}

static void ata_finish(struct ata_drive *d)
{
	d->xfer = ATA_XFER_NONE;
	d->status = ATA_SR_IDLE;
	d->intrq = true;
}

static void ata_fail(struct ata_drive *d, uint8_t error)
{
	d->xfer = ATA_XFER_NONE;
	d->status = ATA_SR_IDLE | ATA_SR_ERR;
	d->error = error;
	d->intrq = true;
}

/* Cylinders for a translation of heads and spt: as many as the capacity fills, at most
 * what CHS can address, at least one. */
static uint16_t ata_cylinders(uint32_t sectors, unsigned heads, unsigned spt)
{
	uint32_t c = (sectors < ATA_CHS_MAX_SECTORS ? sectors : ATA_CHS_MAX_SECTORS) /
		     (heads * spt);

	if (c > ATA_MAX_CYLINDERS)
		return ATA_MAX_CYLINDERS;
	return c ? (uint16_t)c : 1;
}

/* The sectors the addressing mode in use reaches. */
static uint32_t ata_limit(const struct ata *s, const struct ata_drive *d)
{
	uint32_t chs = (uint32_t)d->cur_cyls * d->cur_heads * d->cur_spt;

	if (s->select & ATA_DH_LBA || chs > d->sectors)
		return d->sectors;
	return chs;
}

/* The sector the registers address; false for a CHS address outside the translation. */
static bool ata_address(const struct ata *s, const struct ata_drive *d, uint32_t *lba)
{
	unsigned head = s->select & ATA_DH_HEAD, cyl = (unsigned)d->hcyl << 8 | d->lcyl;

	if (s->select & ATA_DH_LBA) {
		*lba = (uint32_t)head << 24 | (uint32_t)d->hcyl << 16 | (uint32_t)d->lcyl << 8 |
		       d->sector;
		return true;
	}
	if (d->sector == 0 || d->sector > d->cur_spt || head >= d->cur_heads ||
	    cyl >= d->cur_cyls)
		return false;
	*lba = ((uint32_t)cyl * d->cur_heads + head) * d->cur_spt + d->sector - 1u;
	return true;
}

/* Points the registers at a sector, in the addressing mode in use. */
static void ata_set_address(struct ata *s, struct ata_drive *d, uint32_t lba)
{
	uint32_t track;

	if (!(s->select & ATA_DH_LBA)) {
		track = lba / d->cur_spt;
		d->sector = (uint8_t)(lba % d->cur_spt + 1);
		s->select = (uint8_t)((s->select & ~ATA_DH_HEAD) | track % d->cur_heads);
		lba = (track / d->cur_heads) << 8; /* the cylinder, where LBA 23:8 goes */
	} else {
		d->sector = (uint8_t)lba;
		s->select = (uint8_t)((s->select & ~ATA_DH_HEAD) | (lba >> 24 & ATA_DH_HEAD));
	}
	d->lcyl = (uint8_t)(lba >> 8);
	d->hcyl = (uint8_t)(lba >> 16);
}

/* An error at sector bad of the transfer: the registers name it and the sectors not done. */
static void ata_fail_at(struct ata *s, struct ata_drive *d, uint8_t error, uint32_t bad)
{
	ata_set_address(s, d, bad);
	d->nsect = (uint8_t)(d->left - (bad - d->lba));
	ata_fail(d, error);
}

/* The next count sectors at d->lba between the image and buf. */
static int ata_image_io(struct ata *s, struct ata_drive *d, bool write, unsigned count)
{
	size_t len = (size_t)count * ATA_SECTOR, done = 0;
	off_t offset = (off_t)d->lba * ATA_SECTOR;
	ssize_t n;
	int rc = 0;

	while (done < len && rc == 0) {
		if (write)
			n = pwrite(d->fd, d->buf + done, len - done, offset + (off_t)done);
		else
			n = pread(d->fd, d->buf + done, len - done, offset + (off_t)done);
		if (n > 0)
			done += (size_t)n;
		else if (n == 0)
			rc = -EIO; /* the image shrank under us */
		else if (errno != EINTR)
			rc = -errno;
	}
	/* without a write cache, a completed write is on the medium */
	if (rc == 0 && write && !d->write_cache && fdatasync(d->fd) < 0)
		rc = -errno;
	if (rc < 0 && !d->logged_io_error) {
		d->logged_io_error = true;
		vdh->log(s->dev, VDH_LOG_WARN, "device %d: %s of sector %u failed: %s",
			 d == &s->drive[1], write ? "write" : "read", d->lba, strerror(-rc));
	}
	return rc;
}

/* Sizes the next DRQ block; false after failing with IDNF, naming the first sector past
 * the end, when it does not fit on the disk. */
static bool ata_next_block(struct ata *s, struct ata_drive *d)
{
	uint32_t limit = ata_limit(s, d);
	unsigned n = d->left < d->block ? d->left : d->block;

	if (d->lba >= limit || n > limit - d->lba) {
		ata_fail_at(s, d, ATA_ER_IDNF, d->lba >= limit ? d->lba : limit);
		return false;
	}
	d->count = n;
	d->pos = 0;
	d->len = (size_t)n * ATA_SECTOR;
	return true;
}

/* Reads the next DRQ block of a read command: data ready, interrupt. */
static void ata_read_block(struct ata *s, struct ata_drive *d)
{
	if (!ata_next_block(s, d))
		return;
	if (ata_image_io(s, d, false, d->count) < 0) {
		ata_fail_at(s, d, ATA_ER_UNC, d->lba);
		return;
	}
	ata_set_address(s, d, d->lba + d->count - 1);
	d->nsect = (uint8_t)(d->left - d->count);
	d->status = ATA_SR_IDLE | ATA_SR_DRQ;
	d->intrq = true;
}

/* Asks for the next DRQ block of a write command; the first comes without an interrupt. */
static void ata_write_request(struct ata *s, struct ata_drive *d, bool interrupt)
{
	if (!ata_next_block(s, d))
		return;
	d->status = ATA_SR_IDLE | ATA_SR_DRQ;
	d->intrq = interrupt;
}

/* The host has read the whole block. */
static void ata_in_block_done(struct ata *s, struct ata_drive *d)
{
	d->left -= d->count;
	d->lba += d->count;
	if (d->left == 0) {
		/* the last block of a data-in command brings no interrupt */
		d->xfer = ATA_XFER_NONE;
		d->status = ATA_SR_IDLE;
		return;
	}
	ata_read_block(s, d);
	ata_update_irq(s);
}

/* The host has written the whole block: it goes to the image. */
static void ata_out_block_done(struct ata *s, struct ata_drive *d)
{
	if (ata_image_io(s, d, true, d->count) < 0) {
		ata_fail_at(s, d, ATA_ER_ABRT, d->lba);
	} else {
		ata_set_address(s, d, d->lba + d->count - 1);
		d->nsect = (uint8_t)(d->left - d->count);
		d->left -= d->count;
		d->lba += d->count;
		if (d->left == 0)
			ata_finish(d);
		else
			ata_write_request(s, d, true);
	}
	ata_update_irq(s);
}

static uint8_t ata_data_inb(struct ata *s, struct ata_drive *d)
{
	uint8_t value;

	if (!(d->status & ATA_SR_DRQ) || d->xfer == ATA_XFER_WRITE)
		return 0;
	value = d->buf[d->pos++];
	if (d->pos == d->len)
		ata_in_block_done(s, d);
	return value;
}

static void ata_data_outb(struct ata *s, struct ata_drive *d, uint8_t value)
{
	if (!(d->status & ATA_SR_DRQ) || d->xfer != ATA_XFER_WRITE)
		return;
	d->buf[d->pos++] = value;
	if (d->pos == d->len)
		ata_out_block_done(s, d);
}

/* Sixteen bits a word, the first character in the high byte, blank-padded. */
static void ata_id_string(uint16_t *id, unsigned first, unsigned words, const char *text)
{
	size_t len = strlen(text);

	for (unsigned i = 0; i < words * 2; i++) {
		uint16_t c = (uint8_t)(i < len ? text[i] : ' ');

		id[first + i / 2] |= i & 1 ? c : (uint16_t)(c << 8);
	}
}

static void ata_identify(struct ata_drive *d)
{
	uint16_t id[ID_WORDS] = { 0 };
	uint32_t cur_capacity = (uint32_t)d->cur_cyls * d->cur_heads * d->cur_spt;
	uint8_t sum = 0;

	id[ID_CONFIG] = ID_CONFIG_FIXED;
	id[ID_CYLS] = d->cyls;
	id[ID_HEADS] = d->heads;
	id[ID_SPT] = d->spt;
	ata_id_string(id, ID_SERIAL, 10, d->serial);
	ata_id_string(id, ID_FIRMWARE, 4, ATA_FIRMWARE);
	ata_id_string(id, ID_MODEL, 20, ATA_MODEL);
	id[ID_MAX_MULTIPLE] = ID_MAX_MULTIPLE_TAG | ATA_MAX_MULTIPLE;
	id[ID_CAPS] = ID_CAPS_IORDY | ID_CAPS_IORDY_OFF | ID_CAPS_LBA;
	id[ID_CAPS2] = ID_CAPS2_ONE;
	id[ID_PIO_TIMING] = ID_PIO_TIMING_MODE2;
	id[ID_VALID] = ID_VALID_CUR_CHS | ID_VALID_PIO;
	id[ID_CUR_CYLS] = d->cur_cyls;
	id[ID_CUR_HEADS] = d->cur_heads;
	id[ID_CUR_SPT] = d->cur_spt;
	id[ID_CUR_CAPACITY] = (uint16_t)cur_capacity;
	id[ID_CUR_CAPACITY + 1] = (uint16_t)(cur_capacity >> 16);
	id[ID_MULTIPLE] = d->multiple ? ID_MULTIPLE_VALID | d->multiple : 0;
	id[ID_LBA_CAPACITY] = (uint16_t)d->sectors;
	id[ID_LBA_CAPACITY + 1] = (uint16_t)(d->sectors >> 16);
	id[ID_PIO_MODES] = ID_PIO_MODES_3_4;
	for (unsigned i = 0; i < 4; i++)
		id[ID_MIN_CYCLE + i] = ID_MIN_CYCLE_NS;
	id[ID_MAJOR] = ID_MAJOR_ATA1_TO_4;
	id[ID_CMDSET] = ID_82_POWER_MGMT | ID_82_WCACHE | ID_82_LOOKAHEAD;
	id[ID_CMDSET + 1] = ID_CMDSET_VALID | ID_83_FLUSH_CACHE;
	id[ID_CMDSET + 2] = ID_CMDSET_VALID;
	id[ID_CMDSET + 3] = ID_82_POWER_MGMT | (d->write_cache ? ID_82_WCACHE : 0) |
			    (d->lookahead ? ID_82_LOOKAHEAD : 0);
	id[ID_CMDSET + 4] = ID_83_FLUSH_CACHE;
	id[ID_CMDSET + 5] = ID_CMDSET_VALID;
	for (unsigned i = 0; i < ID_WORDS; i++) {
		d->buf[2 * i] = (uint8_t)id[i];
		d->buf[2 * i + 1] = (uint8_t)(id[i] >> 8);
	}
	/* the checksum byte makes all 512 bytes sum to zero */
	d->buf[2 * ID_CHECKSUM] = ID_CHECKSUM_SIGNATURE;
	for (unsigned i = 0; i < ATA_SECTOR - 1; i++)
		sum = (uint8_t)(sum + d->buf[i]);
	d->buf[2 * ID_CHECKSUM + 1] = (uint8_t)-sum;

	d->xfer = ATA_XFER_IDENTIFY;
	d->left = d->count = 1;
	d->pos = 0;
	d->len = ATA_SECTOR;
	d->status = ATA_SR_IDLE | ATA_SR_DRQ;
	d->intrq = true;
}

/* READ/WRITE SECTORS and MULTIPLE: the first block. */
static void ata_start_transfer(struct ata *s, struct ata_drive *d, enum ata_xfer xfer,
			       unsigned block)
{
	uint32_t lba;

	if (!ata_address(s, d, &lba)) {
		ata_fail(d, ATA_ER_IDNF);
		return;
	}
	d->xfer = xfer;
	d->lba = lba;
	d->left = d->nsect ? d->nsect : 256;
	d->block = block;
	if (xfer == ATA_XFER_READ)
		ata_read_block(s, d);
	else
		ata_write_request(s, d, false);
}

static void ata_read_verify(struct ata *s, struct ata_drive *d)
{
	uint32_t lba, limit = ata_limit(s, d);

	if (!ata_address(s, d, &lba)) {
		ata_fail(d, ATA_ER_IDNF);
		return;
	}
	d->lba = lba;
	d->left = d->nsect ? d->nsect : 256;
	if (lba >= limit || d->left > limit - lba) {
		ata_fail_at(s, d, ATA_ER_IDNF, lba >= limit ? lba : limit);
		return;
	}
	ata_set_address(s, d, lba + d->left - 1);
	d->nsect = 0;
	ata_finish(d);
}

static void ata_seek(struct ata *s, struct ata_drive *d)
{
	uint32_t lba;

	if (!ata_address(s, d, &lba) || lba >= ata_limit(s, d))
		ata_fail(d, ATA_ER_IDNF);
	else
		ata_finish(d);
}

/* INITIALIZE DEVICE PARAMETERS: sectors per track in the sector count, heads - 1 in
 * the device/head register; CHS addresses go through this translation afterwards. */
static void ata_init_params(struct ata *s, struct ata_drive *d)
{
	if (d->nsect == 0) {
		ata_fail(d, ATA_ER_ABRT);
		return;
	}
	d->cur_spt = d->nsect;
	d->cur_heads = (uint16_t)((s->select & ATA_DH_HEAD) + 1);
	d->cur_cyls = ata_cylinders(d->sectors, d->cur_heads, d->cur_spt);
	ata_finish(d);
}

/* SET MULTIPLE MODE: 0 disables READ/WRITE MULTIPLE; a block size not supported
 * aborts and disables them too. */
static void ata_set_multiple(struct ata_drive *d)
{
	unsigned n = d->nsect;

	if (n > ATA_MAX_MULTIPLE || (n & (n - 1))) {
		d->multiple = 0;
		ata_fail(d, ATA_ER_ABRT);
		return;
	}
	d->multiple = (uint8_t)n;
	ata_finish(d);
}

static void ata_set_features(struct ata_drive *d)
{
	uint8_t mode = d->nsect;

	switch (d->features) {
	case ATA_SF_XFER_MODE:
		/* PIO modes only: no DMA here */
		if (mode != ATA_XFER_PIO_DEFAULT && mode != ATA_XFER_PIO_NO_IORDY &&
		    (mode < ATA_XFER_PIO_FLOW || mode > ATA_XFER_PIO_FLOW + ATA_PIO_MAX_MODE)) {
			ata_fail(d, ATA_ER_ABRT);
			return;
		}
		break;
	case ATA_SF_WCACHE_ON:
	case ATA_SF_WCACHE_OFF:
		d->write_cache = d->features == ATA_SF_WCACHE_ON;
		break;
	case ATA_SF_LOOKAHEAD_ON:
	case ATA_SF_LOOKAHEAD_OFF:
		d->lookahead = d->features == ATA_SF_LOOKAHEAD_ON;
		break;
	default:
		ata_fail(d, ATA_ER_ABRT);
		return;
	}
	ata_finish(d);
}

static void ata_flush(struct ata *s, struct ata_drive *d)
{
	if (!d->readonly && fdatasync(d->fd) < 0) {
		if (!d->logged_io_error) {
			d->logged_io_error = true;
			vdh->log(s->dev, VDH_LOG_WARN, "device %d: flush failed: %s",
				 d == &s->drive[1], strerror(errno));
		}
		ata_fail(d, ATA_ER_ABRT);
		return;
	}
	ata_finish(d);
}

/* What a device reports after a reset or EXECUTE DEVICE DIAGNOSTIC: the ATA signature. */
static void ata_signature(struct ata_drive *d)
{
	d->nsect = 1;
	d->sector = 1;
	d->lcyl = 0;
	d->hcyl = 0;
	d->error = ATA_DIAG_PASSED;
	d->status = ATA_SR_IDLE;
	d->xfer = ATA_XFER_NONE;
	d->intrq = false;
	d->power = ATA_POWER_ACTIVE;
}

/* EXECUTE DEVICE DIAGNOSTIC runs on both devices whatever DEV says; device 0 interrupts. */
static void ata_diagnostic(struct ata *s)
{
	ata_signature(&s->drive[0]);
	ata_signature(&s->drive[1]);
	s->select = 0;
	s->drive[0].intrq = true;
}

static void ata_unsupported(struct ata *s, struct ata_drive *d, uint8_t cmd)
{
	/* IDENTIFY PACKET DEVICE aborts as on any ATA (not ATAPI) device: BIOSes probe with it */
	if (cmd != ATA_CMD_IDENTIFY_PACKET && !s->logged_unsupported) {
		s->logged_unsupported = true;
		vdh->log(s->dev, VDH_LOG_INFO,
			 "command %02Xh not supported: aborted (later ones not logged)", cmd);
	}
	ata_fail(d, ATA_ER_ABRT);
}

static void ata_command(struct ata *s, uint8_t cmd)
{
	struct ata_drive *d = ata_selected(s);

	if (s->control & ATA_DC_SRST)
		return;
	if (cmd == ATA_CMD_DIAGNOSTIC) {
		ata_diagnostic(s);
		ata_update_irq(s);
		return;
	}
	/* an absent device 1 does not answer */
	if (!d->present)
		return;
	d->xfer = ATA_XFER_NONE;
	d->status = ATA_SR_IDLE;
	d->error = 0;
	/* writing the command register negates INTRQ; completion asserts it anew */
	d->intrq = false;
	ata_update_irq(s);
	if ((cmd & 0xF0) == ATA_CMD_RECALIBRATE || (cmd & 0xF0) == ATA_CMD_SEEK)
		cmd &= 0xF0;
	switch (cmd) {
	case ATA_CMD_READ_SECTORS:
	case ATA_CMD_READ_SECTORS_NR:
		d->power = ATA_POWER_ACTIVE;
		ata_start_transfer(s, d, ATA_XFER_READ, 1);
		break;
	case ATA_CMD_READ_MULTIPLE:
		d->power = ATA_POWER_ACTIVE;
		if (d->multiple)
			ata_start_transfer(s, d, ATA_XFER_READ, d->multiple);
		else
			ata_fail(d, ATA_ER_ABRT);
		break;
	case ATA_CMD_WRITE_SECTORS:
	case ATA_CMD_WRITE_SECTORS_NR:
	case ATA_CMD_WRITE_MULTIPLE:
		d->power = ATA_POWER_ACTIVE;
		if (d->readonly || (cmd == ATA_CMD_WRITE_MULTIPLE && !d->multiple))
			ata_fail(d, ATA_ER_ABRT);
		else
			ata_start_transfer(s, d, ATA_XFER_WRITE,
					   cmd == ATA_CMD_WRITE_MULTIPLE ? d->multiple : 1);
		break;
	case ATA_CMD_READ_VERIFY:
	case ATA_CMD_READ_VERIFY_NR:
		d->power = ATA_POWER_ACTIVE;
		ata_read_verify(s, d);
		break;
	case ATA_CMD_SEEK:
		d->power = ATA_POWER_ACTIVE;
		ata_seek(s, d);
		break;
	case ATA_CMD_RECALIBRATE:
		d->power = ATA_POWER_ACTIVE;
		ata_finish(d);
		break;
	case ATA_CMD_IDENTIFY:
		ata_identify(d);
		break;
	case ATA_CMD_INIT_PARAMS:
		ata_init_params(s, d);
		break;
	case ATA_CMD_SET_MULTIPLE:
		ata_set_multiple(d);
		break;
	case ATA_CMD_SET_FEATURES:
		ata_set_features(d);
		break;
	case ATA_CMD_FLUSH_CACHE:
		ata_flush(s, d);
		break;
	case ATA_CMD_CHECK_POWER:
		d->nsect = d->power;
		ata_finish(d);
		break;
	case ATA_CMD_STANDBY_IMMEDIATE:
	case ATA_CMD_STANDBY:
		d->power = ATA_POWER_STANDBY;
		ata_finish(d);
		break;
	case ATA_CMD_IDLE_IMMEDIATE:
	case ATA_CMD_IDLE:
		d->power = ATA_POWER_ACTIVE;
		ata_finish(d);
		break;
	default:
		ata_unsupported(s, d, cmd);
	}
	ata_update_irq(s);
}

static uint8_t ata_inb(void *opaque, uint16_t port)
{
	struct ata *s = opaque;
	struct ata_drive *d = ata_selected(s);
	/* device 0 answers register reads for an absent device 1, except status */
	const struct ata_drive *r = d->present ? d : &s->drive[0];

	if (!r->present)
		return 0; /* no device drives the bus */
	switch (port - ATA_PORT_CMD) {
	case ATA_REG_DATA:
		return d->present ? ata_data_inb(s, d) : 0;
	case ATA_REG_ERROR:
		return r->error;
	case ATA_REG_NSECT:
		return r->nsect;
	case ATA_REG_SECTOR:
		return r->sector;
	case ATA_REG_LCYL:
		return r->lcyl;
	case ATA_REG_HCYL:
		return r->hcyl;
	case ATA_REG_SELECT:
		return s->select;
	default:
		if (!d->present)
			return 0;
		d->intrq = false;
		ata_update_irq(s);
		return d->status;
	}
}

static void ata_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct ata *s = opaque;
	unsigned reg = port - ATA_PORT_CMD;

	if (!s->drive[0].present)
		return;
	if (reg == ATA_REG_DATA) {
		if (ata_selected(s)->present)
			ata_data_outb(s, ata_selected(s), value);
		return;
	}
	if (reg == ATA_REG_SELECT) {
		s->select = value;
		ata_update_irq(s);
		return;
	}
	if (reg == ATA_REG_STATUS) {
		ata_command(s, value);
		return;
	}
	for (int i = 0; i < 2; i++) {
		struct ata_drive *d = &s->drive[i];

		switch (reg) {
		case ATA_REG_ERROR:
			d->features = value;
			break;
		case ATA_REG_NSECT:
			d->nsect = value;
			break;
		case ATA_REG_SECTOR:
			d->sector = value;
			break;
		case ATA_REG_LCYL:
			d->lcyl = value;
			break;
		default:
			d->hcyl = value;
		}
	}
}

/*
 * Only the data register is 16 bits wide; a word or doubleword access to the others is a
 * sequence of byte accesses, lowest port first. The data register hands out the sector
 * buffer in order whatever the width, so 16- and 32-bit accesses take its next bytes.
 */
static uint32_t ata_in(void *opaque, uint16_t port, unsigned size)
{
	uint32_t value = 0;

	for (unsigned i = 0; i < size; i++) {
		unsigned p = port == ATA_PORT_CMD ? port : port + i;
		uint8_t byte = p < ATA_PORT_CMD + ATA_CMD_PORTS ? ata_inb(opaque, (uint16_t)p) : 0xFF;

		value |= (uint32_t)byte << 8 * i;
	}
	return value;
}

static void ata_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned p = port == ATA_PORT_CMD ? port : port + i;

		if (p < ATA_PORT_CMD + ATA_CMD_PORTS)
			ata_outb(opaque, (uint16_t)p, (uint8_t)(value >> 8 * i));
	}
}

static uint16_t ata_inw(void *opaque, uint16_t port)
{
	return (uint16_t)ata_in(opaque, port, 2);
}

static uint32_t ata_ind(void *opaque, uint16_t port)
{
	return ata_in(opaque, port, 4);
}

static void ata_outw(void *opaque, uint16_t port, uint16_t value)
{
	ata_out(opaque, port, value, 2);
}

static void ata_outd(void *opaque, uint16_t port, uint32_t value)
{
	ata_out(opaque, port, value, 4);
}

/* Alternate status: the status without clearing the pending interrupt. */
static uint8_t ata_ctl_inb(void *opaque, uint16_t port)
{
	struct ata *s = opaque;
	const struct ata_drive *d = ata_selected(s);

	return d->present ? d->status : 0;
}

static void ata_ctl_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct ata *s = opaque;
	bool was_reset = s->control & ATA_DC_SRST;

	if (!s->drive[0].present)
		return;
	s->control = value & (ATA_DC_SRST | ATA_DC_NIEN);
	if ((value & ATA_DC_SRST) && !was_reset) {
		/* both devices hold BSY while SRST is set and drop any command */
		for (int i = 0; i < 2; i++) {
			s->drive[i].xfer = ATA_XFER_NONE;
			s->drive[i].status = ATA_SR_BSY;
			s->drive[i].intrq = false;
		}
	} else if (!(value & ATA_DC_SRST) && was_reset) {
		ata_signature(&s->drive[0]);
		ata_signature(&s->drive[1]);
		s->select = 0;
	}
	ata_update_irq(s);
}

static const struct vdh_io_ops ata_cmd_ops = {
	.inb = ata_inb,
	.inw = ata_inw,
	.ind = ata_ind,
	.outb = ata_outb,
	.outw = ata_outw,
	.outd = ata_outd,
};

static const struct vdh_io_ops ata_ctl_ops = {
	.inb = ata_ctl_inb,
	.outb = ata_ctl_outb,
};

/* "C,H,S" */
static int ata_parse_chs(const char *text, unsigned long v[3])
{
	const char *p = text;
	char *end;

	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		errno = 0;
		v[i] = strtoul(p, &end, 10);
		if (errno || *end != (i < 2 ? ',' : '\0'))
			return -EINVAL;
		p = end + 1;
	}
	if (v[0] < 1 || v[0] > ATA_MAX_CYLINDERS || v[1] < 1 || v[1] > ATA_MAX_HEADS ||
	    v[2] < 1 || v[2] > ATA_MAX_SPT)
		return -EINVAL;
	return 0;
}

static int ata_geometry(struct ata *s, struct ata_drive *d, const char *chs)
{
	unsigned long v[3];

	if (!*chs) {
		d->heads = ATA_DEFAULT_HEADS;
		d->spt = ATA_DEFAULT_SPT;
		d->cyls = ata_cylinders(d->sectors, d->heads, d->spt);
	} else if (ata_parse_chs(chs, v) < 0) {
		vdh->log(s->dev, VDH_LOG_ERROR,
			 "chs '%s' is not C,H,S with 1-65535 cylinders, 1-16 heads and 1-255 "
			 "sectors per track", chs);
		return -EINVAL;
	} else {
		d->cyls = (uint16_t)v[0];
		d->heads = (uint16_t)v[1];
		d->spt = (uint16_t)v[2];
		if ((uint64_t)v[0] * v[1] * v[2] > d->sectors)
			vdh->log(s->dev, VDH_LOG_WARN,
				 "chs %s spans more than the image's %u sectors: CHS addresses "
				 "past its end report ID not found", chs, d->sectors);
	}
	d->cur_cyls = d->cyls;
	d->cur_heads = d->heads;
	d->cur_spt = d->spt;
	return 0;
}

static int ata_open(struct ata *s, int index, const char *path, bool readonly, const char *chs)
{
	struct ata_drive *d = &s->drive[index];
	struct stat st;
	off_t size;

	d->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0 && !readonly && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		readonly = true;
		d->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (d->fd >= 0)
			vdh->log(s->dev, VDH_LOG_WARN, "'%s' is not writable: device %d is read-only",
				 path, index);
	}
	if (d->fd < 0) {
		int rc = -errno;

		vdh->log(s->dev, VDH_LOG_ERROR, "cannot open '%s': %s", path, strerror(errno));
		return rc;
	}
	d->readonly = readonly;
	if (fstat(d->fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) ||
	    (size = lseek(d->fd, 0, SEEK_END)) < 0) {
		vdh->log(s->dev, VDH_LOG_ERROR, "'%s' is not a disk image (a file or block device)",
			 path);
		return -EINVAL;
	}
	if (size < ATA_SECTOR) {
		vdh->log(s->dev, VDH_LOG_ERROR, "'%s' is smaller than one 512-byte sector", path);
		return -EINVAL;
	}
	if (size / ATA_SECTOR > ATA_LBA28_SECTORS) {
		vdh->log(s->dev, VDH_LOG_ERROR,
			 "'%s' has %lld sectors; 28-bit LBA reaches at most %u (128 GiB)", path,
			 (long long)(size / ATA_SECTOR), ATA_LBA28_SECTORS);
		return -EFBIG;
	}
	if (size % ATA_SECTOR)
		vdh->log(s->dev, VDH_LOG_WARN,
			 "'%s' is not a whole number of 512-byte sectors: its last %lld bytes "
			 "are ignored", path, (long long)(size % ATA_SECTOR));
	d->sectors = (uint32_t)(size / ATA_SECTOR);
	d->present = true;
	d->write_cache = d->lookahead = true;
	snprintf(d->serial, sizeof(d->serial), "MVM-HD%d", index);
	return ata_geometry(s, d, chs);
}

static int ata_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void ata_terminate(void *instance)
{
	struct ata *s = instance;

	for (int i = 0; i < 2; i++) {
		struct ata_drive *d = &s->drive[i];

		if (d->fd < 0)
			continue;
		if (!d->readonly && fsync(d->fd) < 0)
			vdh->log(s->dev, VDH_LOG_WARN, "device %d: fsync failed: %s", i,
				 strerror(errno));
		close(d->fd);
	}
	free(s);
}

static int ata_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	const char *image = vdh->prop_string(props, "image");
	const char *image1 = vdh->prop_string(props, "image1");
	const char *chs = vdh->prop_string(props, "chs");
	bool readonly = vdh->prop_bool(props, "readonly");
	struct ata *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	s->drive[0].fd = s->drive[1].fd = -1;
	if (!*image && (*image1 || *chs)) {
		vdh->log(dev, VDH_LOG_ERROR, "%s needs a master disk: set image",
			 *image1 ? "a slave disk (image1)" : "chs");
		rc = -EINVAL;
		goto err;
	}
	if (*image) {
		rc = ata_open(s, 0, image, readonly, chs);
		if (rc < 0)
			goto err;
	}
	if (*image1) {
		rc = ata_open(s, 1, image1, readonly, "");
		if (rc < 0)
			goto err;
	}
	/* power-on: both devices have run their diagnostics */
	ata_signature(&s->drive[0]);
	ata_signature(&s->drive[1]);

	/* the ports and IRQ 14 are the channel's, claimed even with no disk on it */
	rc = vdh->open_irq(dev, ATA_IRQ, NULL, NULL, &s->irq);
	if (rc < 0)
		goto err;
	/* 0x1F0-0x1F7: primary ATA channel command block */
	rc = vdh->install_io_hook(dev, ATA_PORT_CMD, ATA_CMD_PORTS, &ata_cmd_ops, s);
	if (rc < 0)
		goto err;
	/* 0x3F6: primary ATA channel alternate status / device control */
	rc = vdh->install_io_hook(dev, ATA_PORT_CTL, 1, &ata_ctl_ops, s);
	if (rc < 0)
		goto err;
	*instance = s;
	return 0;

	/* the VMM drops the hooks and the IRQ line of a VDD whose create() fails */
err:
	ata_terminate(s);
	return rc;
}

static const struct vdh_prop_spec ata_props[] = {
	{ "image", VDH_PROP_STRING, "", 0, 0, "master disk image; empty: no disk" },
	{ "image1", VDH_PROP_STRING, "", 0, 0, "slave disk image; empty: no slave" },
	{ "readonly", VDH_PROP_BOOL, "off", 0, 0, "refuse guest writes to the disks" },
	{ "chs", VDH_PROP_STRING, "", 0, 0,
	  "master geometry C,H,S; empty: 16 heads, 63 sectors per track" },
	{ NULL, VDH_PROP_BOOL, NULL, 0, 0, NULL },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "ata",
	.description = "primary ATA (IDE) channel: up to two hard disk images, PIO, IRQ 14",
	.props = ata_props,
	.init = ata_init,
	.create = ata_create,
	.terminate = ata_terminate,
};
