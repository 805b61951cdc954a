/* test_ata.c: the primary ATA channel as a BIOS or driver sees it, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define DATA 0x1F0
#define ERROR 0x1F1    /* read */
#define FEATURES 0x1F1 /* write */
#define NSECT 0x1F2
#define SECTOR 0x1F3
#define LCYL 0x1F4
#define HCYL 0x1F5
#define SELECT 0x1F6
#define STATUS 0x1F7   /* read */
#define COMMAND 0x1F7  /* write */
#define ALT_STATUS 0x3F6 /* read */
#define DEVCTL 0x3F6   /* write */
#define FDC_DIR 0x3F7
#define IRQ 14

#define BSY 0x80
#define DRDY 0x40
#define DSC 0x10
#define DRQ 0x08
#define ERR 0x01
#define READY (DRDY | DSC)             /* 50h: idle, no error */
#define READY_DRQ (DRDY | DSC | DRQ)   /* 58h: data ready */
#define READY_ERR (DRDY | DSC | ERR)   /* 51h: command failed */

#define ER_UNC 0x40
#define ER_IDNF 0x10
#define ER_ABRT 0x04

#define DH_OBS 0xA0 /* bits 7 and 5, written as ones by BIOSes */
#define DH_LBA 0x40
#define DH_DEV 0x10

#define SRST 0x04
#define NIEN 0x02

#define CMD_READ 0x20
#define CMD_WRITE 0x30
#define CMD_VERIFY 0x40
#define CMD_SEEK 0x70
#define CMD_RECALIBRATE 0x10
#define CMD_DIAGNOSTIC 0x90
#define CMD_INIT_PARAMS 0x91
#define CMD_IDENTIFY_PACKET 0xA1
#define CMD_READ_MULTIPLE 0xC4
#define CMD_WRITE_MULTIPLE 0xC5
#define CMD_SET_MULTIPLE 0xC6
#define CMD_STANDBY_IMMEDIATE 0xE0
#define CMD_IDLE_IMMEDIATE 0xE1
#define CMD_CHECK_POWER 0xE5
#define CMD_FLUSH 0xE7
#define CMD_IDENTIFY 0xEC
#define CMD_SET_FEATURES 0xEF

#define SECTOR_SIZE 512
#define MIB (1024 * 1024)
/* The default image: 10 MiB, 20480 sectors, 20 cylinders of 16 heads and 63 sectors. */
#define IMAGE_SECTORS 20480u

struct fixture {
	struct mock_vm *vm;
	char path[64];
	char path1[64];
	bool immutable; /* path has the immutable attribute, to clear before unlinking */
};

/* Byte i of sector lba in a test image: the LBA, then a pattern that differs per sector. */
static uint8_t pattern(uint32_t lba, unsigned i)
{
	if (i < 4)
		return (uint8_t)(lba >> 8 * i);
	return (uint8_t)(lba * 13 + i * 7 + (lba >> 8));
}

/* A temporary image of bytes bytes; the first filled sectors carry pattern(). */
static void make_image(char path[64], uint64_t bytes, uint32_t filled)
{
	uint8_t sector[SECTOR_SIZE];
	int fd;

	snprintf(path, 64, "/tmp/test_ata_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)bytes), 0);
	for (uint32_t lba = 0; lba < filled; lba++) {
		for (unsigned i = 0; i < SECTOR_SIZE; i++)
			sector[i] = pattern(lba, i);
		assert_int_equal(pwrite(fd, sector, SECTOR_SIZE, (off_t)lba * SECTOR_SIZE),
				 SECTOR_SIZE);
	}
	close(fd);
}

static void read_image(const char *path, uint32_t lba, uint8_t *buf, unsigned sectors)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, sectors * SECTOR_SIZE, (off_t)lba * SECTOR_SIZE),
			 sectors * SECTOR_SIZE);
	close(fd);
}

static off_t image_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Sets or clears the immutable attribute, which stops root too from writing a file. */
static bool set_immutable(const char *path, bool on)
{
	int fd = open(path, O_RDONLY), flags;
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
	flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
	ok = ok && ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
	close(fd);
	return ok;
}

static int attach(struct mock_vm *vm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int attach(struct mock_vm *vm, const char *fmt, ...)
{
	char props[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(props, sizeof(props), fmt, ap);
	va_end(ap);
	return mock_vm_attach(vm, &vdd_module, props);
}

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->vm = mock_vm_create();
	assert_non_null(f->vm);
	return f;
}

/* A VM with the default image as master. */
static int setup(void **state)
{
	struct fixture *f = fixture_new();

	make_image(f->path, (uint64_t)IMAGE_SECTORS * SECTOR_SIZE, 2048);
	assert_int_equal(attach(f->vm, "image=%s", f->path), 0);
	*state = f;
	return 0;
}

/* A bare VM: the test attaches the VDD itself. */
static int setup_bare(void **state)
{
	*state = fixture_new();
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mock_vm_destroy(f->vm);
	if (f->immutable)
		set_immutable(f->path, false);
	if (f->path[0])
		unlink(f->path);
	if (f->path1[0])
		unlink(f->path1);
	free(f);
	return 0;
}

static uint8_t status(struct mock_vm *vm)
{
	return mock_inb(vm, STATUS);
}

static unsigned irq_edges(struct mock_vm *vm)
{
	return mock_irq_rising_edges(vm, IRQ);
}

/* Task file for an LBA28 command on device dev, then the command. */
static void lba_command(struct mock_vm *vm, unsigned dev, uint8_t cmd, uint32_t lba,
			uint8_t count)
{
	mock_outb(vm, SELECT, (uint8_t)(DH_OBS | DH_LBA | (dev ? DH_DEV : 0) | (lba >> 24 & 15)));
	mock_outb(vm, NSECT, count);
	mock_outb(vm, SECTOR, (uint8_t)lba);
	mock_outb(vm, LCYL, (uint8_t)(lba >> 8));
	mock_outb(vm, HCYL, (uint8_t)(lba >> 16));
	mock_outb(vm, COMMAND, cmd);
}

static void chs_command(struct mock_vm *vm, uint8_t cmd, unsigned cyl, unsigned head,
			unsigned sector, uint8_t count)
{
	mock_outb(vm, SELECT, (uint8_t)(DH_OBS | head));
	mock_outb(vm, NSECT, count);
	mock_outb(vm, SECTOR, (uint8_t)sector);
	mock_outb(vm, LCYL, (uint8_t)cyl);
	mock_outb(vm, HCYL, (uint8_t)(cyl >> 8));
	mock_outb(vm, COMMAND, cmd);
}

static void read_words(struct mock_vm *vm, uint8_t *buf, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i += 2) {
		uint16_t w = mock_inw(vm, DATA);

		buf[i] = (uint8_t)w;
		buf[i + 1] = (uint8_t)(w >> 8);
	}
}

static void write_words(struct mock_vm *vm, const uint8_t *buf, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i += 2)
		mock_outw(vm, DATA, (uint16_t)(buf[i] | buf[i + 1] << 8));
}

static void assert_sector_is(const uint8_t *buf, uint32_t lba)
{
	for (unsigned i = 0; i < SECTOR_SIZE; i++)
		if (buf[i] != pattern(lba, i))
			fail_msg("sector %u byte %u: %02x, expected %02x", lba, i, buf[i],
				 pattern(lba, i));
}

/* IDENTIFY DEVICE on device dev: the 256 words. */
static void identify(struct mock_vm *vm, unsigned dev, uint16_t id[256])
{
	mock_outb(vm, SELECT, (uint8_t)(DH_OBS | (dev ? DH_DEV : 0)));
	mock_outb(vm, COMMAND, CMD_IDENTIFY);
	assert_int_equal(status(vm), READY_DRQ);
	for (unsigned i = 0; i < 256; i++)
		id[i] = mock_inw(vm, DATA);
	assert_int_equal(status(vm), READY);
}

/* An ATA string: two characters a word, the first in the high byte. */
static void id_string(const uint16_t *id, unsigned first, unsigned words, char *out)
{
	for (unsigned i = 0; i < words; i++) {
		out[2 * i] = (char)(id[first + i] >> 8);
		out[2 * i + 1] = (char)id[first + i];
	}
	out[2 * words] = 0;
}

static uint32_t id_dword(const uint16_t *id, unsigned word)
{
	return id[word] | (uint32_t)id[word + 1] << 16;
}

/* Attaches an image of bytes bytes (sparse) and returns its IDENTIFY page. */
static void identify_image(struct fixture *f, uint64_t bytes, uint16_t id[256])
{
	make_image(f->path, bytes, 0);
	assert_int_equal(attach(f->vm, "image=%s", f->path), 0);
	identify(f->vm, 0, id);
}

/* ---- resources ---- */

static void test_claims_1f0_1f7_and_3f6_but_not_floppy_3f7_and_irq14(void **state)
{
	struct fixture *f = *state;

	for (uint16_t port = 0x1F0; port <= 0x1F7; port++)
		assert_true(mock_port_claimed(f->vm, port));
	assert_true(mock_port_claimed(f->vm, ALT_STATUS));
	assert_false(mock_port_claimed(f->vm, FDC_DIR));
	assert_false(mock_port_claimed(f->vm, 0x1F8));
	assert_false(mock_port_claimed(f->vm, 0x170));
	assert_true(mock_irq_opened(f->vm, IRQ));
	assert_false(mock_irq_level(f->vm, IRQ));
}

/* Power-on: the device has run its diagnostics and shows the ATA signature, ready. */
static void test_power_on_signature_and_ready(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(status(f->vm), READY);
	assert_int_equal(mock_inb(f->vm, ERROR), 0x01);
	assert_int_equal(mock_inb(f->vm, NSECT), 1);
	assert_int_equal(mock_inb(f->vm, SECTOR), 1);
	assert_int_equal(mock_inb(f->vm, LCYL), 0);
	assert_int_equal(mock_inb(f->vm, HCYL), 0);
}

/* ---- IDENTIFY DEVICE ---- */

static void test_identify_words_for_10_mib_image(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];
	uint8_t sum = 0;

	identify(f->vm, 0, id);
	assert_int_equal(id[0], 0x0040);          /* ATA, fixed */
	assert_int_equal(id[1], 20);              /* 20480 / (16 * 63) */
	assert_int_equal(id[3], 16);
	assert_int_equal(id[6], 63);
	assert_int_equal(id[47], 0x8010);         /* READ/WRITE MULTIPLE up to 16 */
	assert_true(id[49] & 0x0200);             /* LBA */
	assert_false(id[49] & 0x0100);            /* no DMA */
	assert_int_equal(id[53] & 1, 1);          /* words 54-58 valid */
	assert_int_equal(id[54], 20);
	assert_int_equal(id[55], 16);
	assert_int_equal(id[56], 63);
	assert_int_equal(id_dword(id, 57), 20 * 16 * 63);
	assert_int_equal(id[59], 0);              /* multiple mode off at power-on */
	assert_int_equal(id_dword(id, 60), IMAGE_SECTORS);
	assert_int_equal(id[80], 0x001E);         /* ATA-1 to ATA-4 */
	assert_int_equal(id[83] & 0xC000, 0x4000);
	assert_int_equal(id[83] & 0x0400, 0);     /* no 48-bit LBA */
	/* word 255: signature A5h, and all 512 bytes sum to zero */
	assert_int_equal(id[255] & 0xFF, 0xA5);
	for (unsigned i = 0; i < 256; i++)
		sum = (uint8_t)(sum + (id[i] & 0xFF) + (id[i] >> 8));
	assert_int_equal(sum, 0);
}

/* Strings are big-endian in each word: "MVM HARDDISK" reads "VM" from the first word's bytes. */
static void test_identify_model_string_is_byte_swapped_and_blank_padded(void **state)
{
	struct fixture *f = *state;
	uint8_t raw[512];
	uint16_t id[256];
	char model[41], firmware[9], serial[21];

	mock_outb(f->vm, SELECT, DH_OBS);
	mock_outb(f->vm, COMMAND, CMD_IDENTIFY);
	for (unsigned i = 0; i < 512; i++)
		raw[i] = mock_inb(f->vm, DATA);
	for (unsigned i = 0; i < 256; i++)
		id[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
	assert_int_equal(id[27], 'M' << 8 | 'V');
	assert_memory_equal(&raw[54], "VM MAH", 6); /* words 27-29: "MV", "M ", "HA" */
	id_string(id, 27, 20, model);
	assert_string_equal(model, "MVM HARDDISK                            ");
	id_string(id, 23, 4, firmware);
	assert_int_equal(strlen(firmware), 8);
	assert_true(firmware[0] != ' ');
	id_string(id, 10, 10, serial);
	assert_true(serial[0] != ' ' && serial[0] != 0);
	assert_int_equal(serial[19], ' ');
}

static void test_identify_504_mib_image_has_1024_cylinders(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	identify_image(f, 1024ull * 16 * 63 * SECTOR_SIZE, id);
	assert_int_equal(id[1], 1024);
	assert_int_equal(id[3], 16);
	assert_int_equal(id[6], 63);
	assert_int_equal(id_dword(id, 60), 1032192);
	assert_int_equal(id_dword(id, 57), 1032192);
}

/* Disks past 16383 * 16 * 63 sectors (8.4 GB) report 16383 cylinders; LBA has them all. */
static void test_identify_9_gib_image_caps_cylinders_at_16383(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	identify_image(f, 9ull << 30, id);
	assert_int_equal(id[1], 16383);
	assert_int_equal(id[54], 16383);
	assert_int_equal(id_dword(id, 57), 16514064);
	assert_int_equal(id[60], 0x0000);
	assert_int_equal(id[61], 0x0120); /* 18874368 sectors */
}

static void test_identify_tiny_image_keeps_one_cylinder(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	identify_image(f, 100 * SECTOR_SIZE, id);
	assert_int_equal(id[1], 1);
	assert_int_equal(id_dword(id, 60), 100);
}

/* 2^28 sectors is the most LBA28 addresses: accepted. */
static void test_128_gib_image_is_the_largest_accepted(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	identify_image(f, (1ull << 28) * SECTOR_SIZE, id);
	assert_int_equal(id_dword(id, 60), 1u << 28);
	/* the last sector is reachable */
	lba_command(f->vm, 0, CMD_VERIFY, (1u << 28) - 1, 1);
	assert_int_equal(status(f->vm), READY);
}

static void test_image_larger_than_lba28_is_refused(void **state)
{
	struct fixture *f = *state;

	make_image(f->path, ((1ull << 28) + 1) * SECTOR_SIZE, 0);
	assert_int_equal(attach(f->vm, "image=%s", f->path), -EFBIG);
}

static void test_image_smaller_than_a_sector_is_refused(void **state)
{
	struct fixture *f = *state;

	make_image(f->path, 511, 0);
	assert_int_equal(attach(f->vm, "image=%s", f->path), -EINVAL);
}

static void test_missing_image_is_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(attach(f->vm, "image=/nonexistent/disk.img"), -ENOENT);
}

static void test_bad_chs_property_is_refused(void **state)
{
	struct fixture *f = *state;

	/* the mock splits properties at every comma, so only comma-free values reach the VDD */
	make_image(f->path, 1 * MIB, 0);
	assert_int_equal(attach(f->vm, "image=%s,chs=100", f->path), -EINVAL);
}

static void test_slave_without_master_is_refused(void **state)
{
	struct fixture *f = *state;

	make_image(f->path1, 1 * MIB, 0);
	assert_int_equal(attach(f->vm, "image1=%s", f->path1), -EINVAL);
}

/* A size that is not a multiple of 512: the partial sector does not exist for the guest. */
static void test_odd_sized_image_tail_is_ignored(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE], tail[100];
	uint16_t id[256];
	int fd;

	memset(buf, 0xEE, sizeof(buf));
	make_image(f->path, 1000 * SECTOR_SIZE + 100, 1000);
	assert_int_equal(attach(f->vm, "image=%s", f->path), 0);
	identify(f->vm, 0, id);
	assert_int_equal(id_dword(id, 60), 1000);
	lba_command(f->vm, 0, CMD_READ, 1000, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	/* a write through the last whole sector stops there and leaves the tail alone */
	lba_command(f->vm, 0, CMD_WRITE, 999, 2);
	assert_int_equal(status(f->vm), READY_DRQ);
	write_words(f->vm, buf, sizeof(buf));
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	assert_int_equal(image_size(f->path), 1000 * SECTOR_SIZE + 100);
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, tail, sizeof(tail), 1000 * SECTOR_SIZE), sizeof(tail));
	close(fd);
	for (unsigned i = 0; i < sizeof(tail); i++)
		assert_int_equal(tail[i], 0);
}

/* ---- reading ---- */

static void test_read_lba0(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	lba_command(f->vm, 0, CMD_READ, 0, 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, 0);
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(irq_edges(f->vm), 1);
}

/* CHS with the default translation: LBA = (C * 16 + H) * 63 + S - 1. */
static void test_read_chs_address(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	chs_command(f->vm, CMD_READ, 1, 2, 3, 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, (1 * 16 + 2) * 63 + 2);
	assert_int_equal(status(f->vm), READY);
}

static void test_read_sectors_interrupts_once_per_sector(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	lba_command(f->vm, 0, CMD_READ, 10, 4);
	for (uint32_t i = 0; i < 4; i++) {
		/* data ready: INTRQ asserted, cleared by the driver's status read */
		assert_true(mock_irq_level(f->vm, IRQ));
		assert_int_equal(irq_edges(f->vm), i + 1);
		assert_int_equal(status(f->vm), READY_DRQ);
		assert_false(mock_irq_level(f->vm, IRQ));
		read_words(f->vm, buf, sizeof(buf));
		assert_sector_is(buf, 10 + i);
	}
	/* no interrupt after the last sector of a read */
	assert_int_equal(irq_edges(f->vm), 4);
	assert_false(mock_irq_level(f->vm, IRQ));
	assert_int_equal(status(f->vm), READY);
	/* the registers point at the last sector read, none left */
	assert_int_equal(mock_inb(f->vm, SECTOR), 13);
	assert_int_equal(mock_inb(f->vm, NSECT), 0);
}

/* A sector count of 0 means 256 sectors. */
static void test_sector_count_zero_means_256(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	lba_command(f->vm, 0, CMD_READ, 100, 0);
	for (uint32_t i = 0; i < 256; i++) {
		assert_int_equal(status(f->vm), READY_DRQ);
		read_words(f->vm, buf, sizeof(buf));
		assert_sector_is(buf, 100 + i);
	}
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(irq_edges(f->vm), 256);
	/* 256 sectors from 256 before the end fit; from one later they do not */
	lba_command(f->vm, 0, CMD_VERIFY, IMAGE_SECTORS - 256, 0);
	assert_int_equal(status(f->vm), READY);
	lba_command(f->vm, 0, CMD_VERIFY, IMAGE_SECTORS - 255, 0);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
}

static void test_read_multiple_interrupts_once_per_block(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[4 * SECTOR_SIZE];
	const unsigned blocks[] = { 4, 4, 2 };
	uint16_t id[256];
	uint32_t lba = 20;

	mock_outb(f->vm, NSECT, 4);
	mock_outb(f->vm, COMMAND, CMD_SET_MULTIPLE);
	assert_int_equal(status(f->vm), READY);
	identify(f->vm, 0, id);
	assert_int_equal(id[59], 0x0104);

	unsigned edges = irq_edges(f->vm);
	lba_command(f->vm, 0, CMD_READ_MULTIPLE, lba, 10);
	for (unsigned b = 0; b < 3; b++) {
		assert_int_equal(irq_edges(f->vm), edges + b + 1);
		assert_int_equal(status(f->vm), READY_DRQ);
		/* DRQ stays set through the whole block, with no interrupt inside it */
		for (unsigned i = 0; i + 2 < blocks[b] * SECTOR_SIZE; i += 2) {
			uint16_t w = mock_inw(f->vm, DATA);

			buf[i] = (uint8_t)w;
			buf[i + 1] = (uint8_t)(w >> 8);
			assert_int_equal(mock_inb(f->vm, ALT_STATUS), READY_DRQ);
		}
		assert_int_equal(irq_edges(f->vm), edges + b + 1);
		read_words(f->vm, buf + blocks[b] * SECTOR_SIZE - 2, 2);
		for (unsigned s = 0; s < blocks[b]; s++)
			assert_sector_is(buf + s * SECTOR_SIZE, lba++);
	}
	assert_int_equal(irq_edges(f->vm), edges + 3);
	assert_int_equal(status(f->vm), READY);
}

static void test_read_multiple_without_set_multiple_aborts(void **state)
{
	struct fixture *f = *state;

	lba_command(f->vm, 0, CMD_READ_MULTIPLE, 0, 2);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
}

/* Block sizes 1, 2, 4, 8, 16 (and 0: off); anything else aborts and disables the mode. */
static void test_set_multiple_accepts_powers_of_two_up_to_16(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	for (unsigned n = 1; n <= 16; n *= 2) {
		mock_outb(f->vm, NSECT, (uint8_t)n);
		mock_outb(f->vm, COMMAND, CMD_SET_MULTIPLE);
		assert_int_equal(status(f->vm), READY);
	}
	mock_outb(f->vm, NSECT, 3);
	mock_outb(f->vm, COMMAND, CMD_SET_MULTIPLE);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
	identify(f->vm, 0, id);
	assert_int_equal(id[59], 0);
	mock_outb(f->vm, NSECT, 32);
	mock_outb(f->vm, COMMAND, CMD_SET_MULTIPLE);
	assert_int_equal(status(f->vm), READY_ERR);
}

/* ---- writing ---- */

static void test_write_sectors_reach_the_image_file(void **state)
{
	struct fixture *f = *state;
	uint8_t out[2 * SECTOR_SIZE], back[2 * SECTOR_SIZE], buf[SECTOR_SIZE];

	for (unsigned i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 3 + 1);
	lba_command(f->vm, 0, CMD_WRITE, 5, 2);
	/* the first block is asked for without an interrupt */
	assert_int_equal(irq_edges(f->vm), 0);
	assert_int_equal(status(f->vm), READY_DRQ);
	write_words(f->vm, out, SECTOR_SIZE);
	/* after each block written: an interrupt */
	assert_int_equal(irq_edges(f->vm), 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	write_words(f->vm, out + SECTOR_SIZE, SECTOR_SIZE);
	assert_int_equal(irq_edges(f->vm), 2);
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(mock_inb(f->vm, SECTOR), 6);

	/* in the file at once, neighbours untouched */
	read_image(f->path, 5, back, 2);
	assert_memory_equal(back, out, sizeof(out));
	read_image(f->path, 4, buf, 1);
	assert_sector_is(buf, 4);
	read_image(f->path, 7, buf, 1);
	assert_sector_is(buf, 7);

	/* and read back through the port */
	lba_command(f->vm, 0, CMD_READ, 5, 2);
	status(f->vm);
	read_words(f->vm, back, SECTOR_SIZE);
	status(f->vm);
	read_words(f->vm, back + SECTOR_SIZE, SECTOR_SIZE);
	assert_memory_equal(back, out, sizeof(out));
}

static void test_write_multiple_interrupts_once_per_block(void **state)
{
	struct fixture *f = *state;
	uint8_t out[3 * SECTOR_SIZE], back[3 * SECTOR_SIZE];

	for (unsigned i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i ^ 0x5A);
	mock_outb(f->vm, NSECT, 2);
	mock_outb(f->vm, COMMAND, CMD_SET_MULTIPLE);
	status(f->vm);
	unsigned edges = irq_edges(f->vm);

	lba_command(f->vm, 0, CMD_WRITE_MULTIPLE, 300, 3);
	assert_int_equal(status(f->vm), READY_DRQ);
	write_words(f->vm, out, 2 * SECTOR_SIZE);
	assert_int_equal(irq_edges(f->vm), edges + 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	write_words(f->vm, out + 2 * SECTOR_SIZE, SECTOR_SIZE);
	assert_int_equal(irq_edges(f->vm), edges + 2);
	assert_int_equal(status(f->vm), READY);
	read_image(f->path, 300, back, 3);
	assert_memory_equal(back, out, sizeof(out));
}

static void test_readonly_property_aborts_writes(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	make_image(f->path, 1 * MIB, 16);
	assert_int_equal(attach(f->vm, "image=%s,readonly=on", f->path), 0);
	lba_command(f->vm, 0, CMD_WRITE, 3, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
	assert_int_equal(irq_edges(f->vm), 1);
	/* no data phase: the port swallows nothing into the image */
	for (unsigned i = 0; i < SECTOR_SIZE / 2; i++)
		mock_outw(f->vm, DATA, 0);
	read_image(f->path, 3, buf, 1);
	assert_sector_is(buf, 3);
	/* reads still work */
	lba_command(f->vm, 0, CMD_READ, 3, 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, 3);
}

/* An image the user may not write opens read-only rather than failing. */
static void test_unwritable_image_opens_read_only(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];
	int fd;

	make_image(f->path, 1 * MIB, 16);
	assert_int_equal(chmod(f->path, 0444), 0);
	fd = open(f->path, O_RDWR);
	if (fd >= 0) {
		/* root ignores the file mode */
		close(fd);
		f->immutable = set_immutable(f->path, true);
		if (!f->immutable)
			skip();
	}
	assert_int_equal(attach(f->vm, "image=%s", f->path), 0);
	lba_command(f->vm, 0, CMD_READ, 2, 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, 2);
	lba_command(f->vm, 0, CMD_WRITE, 0, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
}

/* ---- errors ---- */

static void test_out_of_range_addresses_report_idnf(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	/* LBA past the end */
	lba_command(f->vm, 0, CMD_READ, IMAGE_SECTORS, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	assert_int_equal(irq_edges(f->vm), 1);

	/* a read running off the end: the sectors before it arrive, then IDNF naming it */
	lba_command(f->vm, 0, CMD_READ, IMAGE_SECTORS - 1, 2);
	assert_int_equal(status(f->vm), READY_DRQ);
	read_words(f->vm, buf, sizeof(buf));
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	assert_int_equal(mock_inb(f->vm, SECTOR), (uint8_t)IMAGE_SECTORS);
	assert_int_equal(mock_inb(f->vm, LCYL), (uint8_t)(IMAGE_SECTORS >> 8));
	assert_int_equal(mock_inb(f->vm, NSECT), 1);

	/* writes never grow the file */
	lba_command(f->vm, 0, CMD_WRITE, IMAGE_SECTORS, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	lba_command(f->vm, 0, CMD_WRITE, 0x0FFFFFFF, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(image_size(f->path), (off_t)IMAGE_SECTORS * SECTOR_SIZE);

	/* CHS: sector 0, a head or cylinder past the geometry */
	chs_command(f->vm, CMD_READ, 0, 0, 0, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	chs_command(f->vm, CMD_READ, 0, 0, 64, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	chs_command(f->vm, CMD_READ, 20, 0, 1, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	chs_command(f->vm, CMD_SEEK, 20, 0, 1, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	chs_command(f->vm, CMD_SEEK, 19, 15, 63, 1);
	assert_int_equal(status(f->vm), READY);
}

static void test_unknown_commands_and_identify_packet_abort(void **state)
{
	struct fixture *f = *state;
	const uint8_t cmds[] = { CMD_IDENTIFY_PACKET, 0x00, 0x24, 0x25, 0xC8, 0xCA, 0xA0, 0xFF };

	for (size_t i = 0; i < sizeof(cmds); i++) {
		unsigned edges = irq_edges(f->vm);

		mock_outb(f->vm, COMMAND, cmds[i]);
		assert_int_equal(irq_edges(f->vm), edges + 1);
		assert_int_equal(status(f->vm), READY_ERR);
		assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
	}
}

/* ---- non-data commands ---- */

static void test_non_data_commands_complete_with_an_interrupt(void **state)
{
	struct fixture *f = *state;
	const uint8_t cmds[] = { CMD_RECALIBRATE, 0x1F, CMD_IDLE_IMMEDIATE, CMD_FLUSH };

	for (size_t i = 0; i < sizeof(cmds); i++) {
		unsigned edges = irq_edges(f->vm);

		mock_outb(f->vm, COMMAND, cmds[i]);
		assert_int_equal(irq_edges(f->vm), edges + 1);
		assert_int_equal(status(f->vm), READY);
	}
}

static void test_check_power_mode_follows_standby_and_idle(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, COMMAND, CMD_CHECK_POWER);
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(mock_inb(f->vm, NSECT), 0xFF);
	mock_outb(f->vm, COMMAND, CMD_STANDBY_IMMEDIATE);
	assert_int_equal(status(f->vm), READY);
	mock_outb(f->vm, COMMAND, CMD_CHECK_POWER);
	assert_int_equal(mock_inb(f->vm, NSECT), 0x00);
	mock_outb(f->vm, COMMAND, CMD_IDLE_IMMEDIATE);
	mock_outb(f->vm, COMMAND, CMD_CHECK_POWER);
	assert_int_equal(mock_inb(f->vm, NSECT), 0xFF);
}

static void set_features(struct mock_vm *vm, uint8_t sub, uint8_t count)
{
	mock_outb(vm, FEATURES, sub);
	mock_outb(vm, NSECT, count);
	mock_outb(vm, COMMAND, CMD_SET_FEATURES);
}

static void test_set_features_transfer_mode_and_cache(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	set_features(f->vm, 0x03, 0x0C); /* PIO mode 4 */
	assert_int_equal(status(f->vm), READY);
	set_features(f->vm, 0x03, 0x00); /* PIO default */
	assert_int_equal(status(f->vm), READY);
	set_features(f->vm, 0x03, 0x22); /* multiword DMA 2: no DMA */
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
	set_features(f->vm, 0x03, 0x45); /* UDMA 5 */
	assert_int_equal(status(f->vm), READY_ERR);
	set_features(f->vm, 0x82, 0); /* write cache off */
	assert_int_equal(status(f->vm), READY);
	identify(f->vm, 0, id);
	assert_int_equal(id[82] & 0x20, 0x20);
	assert_int_equal(id[85] & 0x20, 0);
	set_features(f->vm, 0x02, 0); /* write cache on */
	assert_int_equal(status(f->vm), READY);
	set_features(f->vm, 0x55, 0); /* read look-ahead off */
	assert_int_equal(status(f->vm), READY);
	identify(f->vm, 0, id);
	assert_int_equal(id[85] & 0x60, 0x20);
	set_features(f->vm, 0xAA, 0);
	assert_int_equal(status(f->vm), READY);
	set_features(f->vm, 0x42, 0); /* not supported */
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
}

/* With the write cache off every write is flushed before it completes: same data. */
static void test_write_with_write_cache_off(void **state)
{
	struct fixture *f = *state;
	uint8_t out[SECTOR_SIZE], back[SECTOR_SIZE];

	memset(out, 0xC3, sizeof(out));
	set_features(f->vm, 0x82, 0);
	lba_command(f->vm, 0, CMD_WRITE, 1, 1);
	write_words(f->vm, out, sizeof(out));
	assert_int_equal(status(f->vm), READY);
	read_image(f->path, 1, back, 1);
	assert_memory_equal(back, out, sizeof(out));
}

/* INITIALIZE DEVICE PARAMETERS sets the translation CHS addresses use afterwards. */
static void test_initialize_device_parameters_changes_chs_translation(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];
	uint16_t id[256];

	mock_outb(f->vm, SELECT, DH_OBS | 3); /* 4 heads */
	mock_outb(f->vm, NSECT, 17);
	mock_outb(f->vm, COMMAND, CMD_INIT_PARAMS);
	assert_int_equal(status(f->vm), READY);
	identify(f->vm, 0, id);
	assert_int_equal(id[1], 20); /* the default geometry stays */
	assert_int_equal(id[3], 16);
	assert_int_equal(id[6], 63);
	assert_int_equal(id[54], IMAGE_SECTORS / (4 * 17));
	assert_int_equal(id[55], 4);
	assert_int_equal(id[56], 17);
	assert_int_equal(id_dword(id, 57), IMAGE_SECTORS / (4 * 17) * 4 * 17);

	chs_command(f->vm, CMD_READ, 2, 3, 5, 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, (2 * 4 + 3) * 17 + 4);
	/* sector 18 and head 4 are outside this translation */
	chs_command(f->vm, CMD_READ, 0, 0, 18, 1);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_IDNF);
	chs_command(f->vm, CMD_READ, 0, 4, 1, 1);
	assert_int_equal(status(f->vm), READY_ERR);

	/* zero sectors per track is refused */
	mock_outb(f->vm, NSECT, 0);
	mock_outb(f->vm, COMMAND, CMD_INIT_PARAMS);
	assert_int_equal(status(f->vm), READY_ERR);
	assert_int_equal(mock_inb(f->vm, ERROR), ER_ABRT);
}

/* A CHS read across a track and head boundary advances sector, head and cylinder. */
static void test_chs_registers_follow_the_transfer(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	chs_command(f->vm, CMD_READ, 0, 15, 63, 2);
	status(f->vm);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, 15 * 63 + 62);
	status(f->vm);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, 16 * 63);
	/* the last sector read: C 1, H 0, S 1 */
	assert_int_equal(mock_inb(f->vm, SECTOR), 1);
	assert_int_equal(mock_inb(f->vm, LCYL), 1);
	assert_int_equal(mock_inb(f->vm, HCYL), 0);
	assert_int_equal(mock_inb(f->vm, SELECT) & 0x0F, 0);
}

/* ---- device control, reset, diagnostics ---- */

static void test_srst_busy_then_signature(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	lba_command(f->vm, 0, CMD_READ, 7, 5);
	mock_outb(f->vm, FEATURES, 0x33);
	mock_outb(f->vm, SELECT, 0xEF);
	mock_outb(f->vm, DEVCTL, SRST);
	assert_int_equal(status(f->vm), BSY);
	assert_int_equal(mock_inb(f->vm, ALT_STATUS), BSY);
	/* commands are not taken while reset is held */
	mock_outb(f->vm, COMMAND, CMD_IDENTIFY);
	assert_int_equal(status(f->vm), BSY);
	mock_outb(f->vm, DEVCTL, 0);
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(mock_inb(f->vm, ERROR), 0x01);
	assert_int_equal(mock_inb(f->vm, NSECT), 1);
	assert_int_equal(mock_inb(f->vm, SECTOR), 1);
	assert_int_equal(mock_inb(f->vm, LCYL), 0);
	assert_int_equal(mock_inb(f->vm, HCYL), 0);
	assert_int_equal(mock_inb(f->vm, SELECT), 0);
	/* the read in progress is gone */
	assert_int_equal(mock_inw(f->vm, DATA), 0);
	assert_int_equal(status(f->vm), READY);
	/* and the device works */
	lba_command(f->vm, 0, CMD_READ, 7, 1);
	read_words(f->vm, buf, sizeof(buf));
	assert_sector_is(buf, 7);
}

/* SRST keeps the multiple block size and the CHS translation (a soft reset). */
static void test_srst_keeps_multiple_and_translation(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	mock_outb(f->vm, NSECT, 8);
	mock_outb(f->vm, COMMAND, CMD_SET_MULTIPLE);
	mock_outb(f->vm, SELECT, DH_OBS | 7);
	mock_outb(f->vm, NSECT, 32);
	mock_outb(f->vm, COMMAND, CMD_INIT_PARAMS);
	mock_outb(f->vm, DEVCTL, SRST);
	mock_outb(f->vm, DEVCTL, 0);
	identify(f->vm, 0, id);
	assert_int_equal(id[59], 0x0108);
	assert_int_equal(id[55], 8);
	assert_int_equal(id[56], 32);
}

static void test_execute_device_diagnostic(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, NSECT, 0x42);
	mock_outb(f->vm, LCYL, 0x99);
	mock_outb(f->vm, COMMAND, CMD_DIAGNOSTIC);
	assert_true(mock_irq_level(f->vm, IRQ));
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(mock_inb(f->vm, ERROR), 0x01);
	assert_int_equal(mock_inb(f->vm, NSECT), 1);
	assert_int_equal(mock_inb(f->vm, SECTOR), 1);
	assert_int_equal(mock_inb(f->vm, LCYL), 0);
	assert_int_equal(mock_inb(f->vm, HCYL), 0);
}

static void test_nien_suppresses_irq14(void **state)
{
	struct fixture *f = *state;
	uint16_t id[256];

	mock_outb(f->vm, DEVCTL, NIEN);
	mock_outb(f->vm, SELECT, DH_OBS);
	mock_outb(f->vm, COMMAND, CMD_IDENTIFY);
	assert_int_equal(mock_inb(f->vm, ALT_STATUS), READY_DRQ);
	assert_false(mock_irq_level(f->vm, IRQ));
	assert_int_equal(irq_edges(f->vm), 0);
	for (unsigned i = 0; i < 256; i++)
		id[i] = mock_inw(f->vm, DATA);
	lba_command(f->vm, 0, CMD_READ, 0, 2);
	assert_int_equal(irq_edges(f->vm), 0);
	/* the device still holds its interrupt: clearing nIEN lets INTRQ through */
	mock_outb(f->vm, DEVCTL, 0);
	assert_true(mock_irq_level(f->vm, IRQ));
	assert_int_equal(irq_edges(f->vm), 1);
	assert_int_equal(id[1], 20);
}

/* Alternate status shows the status without acknowledging the interrupt; status does. */
static void test_status_clears_interrupt_alternate_status_does_not(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, SELECT, DH_OBS);
	mock_outb(f->vm, COMMAND, CMD_RECALIBRATE);
	assert_true(mock_irq_level(f->vm, IRQ));
	assert_int_equal(mock_inb(f->vm, ALT_STATUS), READY);
	assert_int_equal(mock_inb(f->vm, ALT_STATUS), READY);
	assert_true(mock_irq_level(f->vm, IRQ));
	assert_int_equal(status(f->vm), READY);
	assert_false(mock_irq_level(f->vm, IRQ));
	/* writing a command also clears a pending interrupt before the new one */
	mock_outb(f->vm, COMMAND, CMD_RECALIBRATE);
	assert_int_equal(irq_edges(f->vm), 2);
	mock_outb(f->vm, COMMAND, CMD_RECALIBRATE);
	assert_int_equal(irq_edges(f->vm), 3);
}

/* ---- device 1 ---- */

/* No slave: status reads 00h for it, its commands get no answer, and device 0 answers the
 * other registers, as the BIOS's register test expects. */
static void test_absent_slave_reads_status_zero_and_ignores_commands(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, SELECT, DH_OBS | DH_DEV);
	assert_int_equal(mock_inb(f->vm, SELECT), DH_OBS | DH_DEV);
	mock_outb(f->vm, NSECT, 0x55);
	mock_outb(f->vm, SECTOR, 0xAA);
	assert_int_equal(mock_inb(f->vm, NSECT), 0x55);
	assert_int_equal(mock_inb(f->vm, SECTOR), 0xAA);
	assert_int_equal(status(f->vm), 0);
	assert_int_equal(mock_inb(f->vm, ALT_STATUS), 0);
	mock_outb(f->vm, COMMAND, CMD_IDENTIFY);
	assert_int_equal(status(f->vm), 0);
	assert_int_equal(mock_inw(f->vm, DATA), 0);
	mock_outb(f->vm, COMMAND, CMD_IDENTIFY_PACKET);
	assert_int_equal(status(f->vm), 0);
	assert_int_equal(irq_edges(f->vm), 0);
	/* device 0 is untouched by all this */
	mock_outb(f->vm, SELECT, DH_OBS);
	assert_int_equal(status(f->vm), READY);
}

/* INTRQ comes from the selected device only. */
static void test_pending_interrupt_follows_device_selection(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, SELECT, DH_OBS);
	mock_outb(f->vm, COMMAND, CMD_RECALIBRATE);
	assert_true(mock_irq_level(f->vm, IRQ));
	mock_outb(f->vm, SELECT, DH_OBS | DH_DEV);
	assert_false(mock_irq_level(f->vm, IRQ));
	status(f->vm); /* the absent slave's status: device 0's interrupt stays pending */
	mock_outb(f->vm, SELECT, DH_OBS);
	assert_true(mock_irq_level(f->vm, IRQ));
}

static void test_slave_disk_has_its_own_geometry_and_data(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];
	uint16_t id[256];

	make_image(f->path, 10 * MIB, 4);
	make_image(f->path1, 1024ull * 16 * 63 * SECTOR_SIZE, 0);
	assert_int_equal(attach(f->vm, "image=%s,image1=%s", f->path, f->path1), 0);
	identify(f->vm, 1, id);
	assert_int_equal(id[1], 1024);
	identify(f->vm, 0, id);
	assert_int_equal(id[1], 20);

	/* a sector written to the slave lands in its image only */
	memset(buf, 0x77, sizeof(buf));
	lba_command(f->vm, 1, CMD_WRITE, 2, 1);
	assert_int_equal(status(f->vm), READY_DRQ);
	write_words(f->vm, buf, sizeof(buf));
	assert_int_equal(status(f->vm), READY);
	read_image(f->path1, 2, buf, 1);
	assert_int_equal(buf[0], 0x77);
	read_image(f->path, 2, buf, 1);
	assert_sector_is(buf, 2);

	/* diagnostics and reset report both devices passed */
	mock_outb(f->vm, COMMAND, CMD_DIAGNOSTIC);
	assert_int_equal(mock_inb(f->vm, ERROR), 0x01);
	mock_outb(f->vm, SELECT, DH_OBS | DH_DEV);
	assert_int_equal(status(f->vm), READY);
	assert_int_equal(mock_inb(f->vm, NSECT), 1);
}

/* No disk at all: the ports are claimed and read 00h, so the BIOS finds nothing. */
static void test_no_disk_claims_ports_and_reads_zero(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mock_vm_attach(f->vm, &vdd_module, NULL), 0);
	assert_true(mock_port_claimed(f->vm, STATUS));
	assert_true(mock_port_claimed(f->vm, ALT_STATUS));
	assert_false(mock_port_claimed(f->vm, FDC_DIR));
	mock_outb(f->vm, SELECT, DH_OBS);
	mock_outb(f->vm, NSECT, 0x55);
	mock_outb(f->vm, SECTOR, 0xAA);
	for (uint16_t port = 0x1F0; port <= 0x1F7; port++)
		assert_int_equal(mock_inb(f->vm, port), 0);
	assert_int_equal(mock_inb(f->vm, ALT_STATUS), 0);
	mock_outb(f->vm, COMMAND, CMD_IDENTIFY);
	mock_outb(f->vm, DEVCTL, SRST);
	assert_int_equal(status(f->vm), 0);
	assert_int_equal(irq_edges(f->vm), 0);
}

/* ---- data port widths ---- */

static void test_32bit_data_port_access(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE], out[SECTOR_SIZE];

	lba_command(f->vm, 0, CMD_READ, 9, 1);
	for (unsigned i = 0; i < SECTOR_SIZE; i += 4) {
		uint32_t d = mock_ind(f->vm, DATA);

		for (unsigned b = 0; b < 4; b++)
			buf[i + b] = (uint8_t)(d >> 8 * b);
	}
	assert_sector_is(buf, 9);
	assert_int_equal(status(f->vm), READY);

	for (unsigned i = 0; i < SECTOR_SIZE; i++)
		out[i] = (uint8_t)(255 - i);
	lba_command(f->vm, 0, CMD_WRITE, 9, 1);
	for (unsigned i = 0; i < SECTOR_SIZE; i += 4)
		mock_outd(f->vm, DATA, (uint32_t)(out[i] | out[i + 1] << 8 | out[i + 2] << 16 |
						  (uint32_t)out[i + 3] << 24));
	assert_int_equal(status(f->vm), READY);
	read_image(f->path, 9, buf, 1);
	assert_memory_equal(buf, out, sizeof(out));
}

static void test_byte_data_port_access(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[SECTOR_SIZE];

	lba_command(f->vm, 0, CMD_READ, 11, 1);
	for (unsigned i = 0; i < SECTOR_SIZE; i++)
		buf[i] = mock_inb(f->vm, DATA);
	assert_sector_is(buf, 11);
	assert_int_equal(status(f->vm), READY);
}

/* Word access to an 8-bit register is two byte accesses: sector count, then sector number. */
static void test_word_access_to_byte_registers_is_split(void **state)
{
	struct fixture *f = *state;

	mock_outw(f->vm, NSECT, 0x3412);
	assert_int_equal(mock_inb(f->vm, NSECT), 0x12);
	assert_int_equal(mock_inb(f->vm, SECTOR), 0x34);
	assert_int_equal(mock_inw(f->vm, NSECT), 0x3412);
}

/* ---- robustness ---- */

static void test_garbage_port_sequences_do_not_crash(void **state)
{
	struct fixture *f = *state;
	static const uint16_t ports[] = { 0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4,
					  0x1F5, 0x1F6, 0x1F7, 0x3F6 };
	uint32_t seed = 12345;

	for (unsigned i = 0; i < 200000; i++) {
		seed = seed * 1103515245 + 12345;
		uint16_t port = ports[(seed >> 16) % 9];
		uint8_t value = (uint8_t)(seed >> 8);

		switch (seed >> 28) {
		case 0:
		case 1:
		case 2:
		case 3:
			mock_outb(f->vm, port, value);
			break;
		case 4:
			mock_outw(f->vm, port, (uint16_t)seed);
			break;
		case 5:
			mock_outd(f->vm, port, seed);
			break;
		case 6:
			mock_ind(f->vm, port);
			break;
		case 7:
			mock_inw(f->vm, port);
			break;
		default:
			mock_inb(f->vm, port);
		}
	}
	assert_int_equal(image_size(f->path), (off_t)IMAGE_SECTORS * SECTOR_SIZE);
}

#define ATA_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define BARE_TEST(f) cmocka_unit_test_setup_teardown(f, setup_bare, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ATA_TEST(test_claims_1f0_1f7_and_3f6_but_not_floppy_3f7_and_irq14),
		ATA_TEST(test_power_on_signature_and_ready),
		ATA_TEST(test_identify_words_for_10_mib_image),
		ATA_TEST(test_identify_model_string_is_byte_swapped_and_blank_padded),
		BARE_TEST(test_identify_504_mib_image_has_1024_cylinders),
		BARE_TEST(test_identify_9_gib_image_caps_cylinders_at_16383),
		BARE_TEST(test_identify_tiny_image_keeps_one_cylinder),
		BARE_TEST(test_128_gib_image_is_the_largest_accepted),
		BARE_TEST(test_image_larger_than_lba28_is_refused),
		BARE_TEST(test_image_smaller_than_a_sector_is_refused),
		BARE_TEST(test_missing_image_is_refused),
		BARE_TEST(test_bad_chs_property_is_refused),
		BARE_TEST(test_slave_without_master_is_refused),
		BARE_TEST(test_odd_sized_image_tail_is_ignored),
		ATA_TEST(test_read_lba0),
		ATA_TEST(test_read_chs_address),
		ATA_TEST(test_read_sectors_interrupts_once_per_sector),
		ATA_TEST(test_sector_count_zero_means_256),
		ATA_TEST(test_read_multiple_interrupts_once_per_block),
		ATA_TEST(test_read_multiple_without_set_multiple_aborts),
		ATA_TEST(test_set_multiple_accepts_powers_of_two_up_to_16),
		ATA_TEST(test_write_sectors_reach_the_image_file),
		ATA_TEST(test_write_multiple_interrupts_once_per_block),
		BARE_TEST(test_readonly_property_aborts_writes),
		BARE_TEST(test_unwritable_image_opens_read_only),
		ATA_TEST(test_out_of_range_addresses_report_idnf),
		ATA_TEST(test_unknown_commands_and_identify_packet_abort),
		ATA_TEST(test_non_data_commands_complete_with_an_interrupt),
		ATA_TEST(test_check_power_mode_follows_standby_and_idle),
		ATA_TEST(test_set_features_transfer_mode_and_cache),
		ATA_TEST(test_write_with_write_cache_off),
		ATA_TEST(test_initialize_device_parameters_changes_chs_translation),
		ATA_TEST(test_chs_registers_follow_the_transfer),
		ATA_TEST(test_srst_busy_then_signature),
		ATA_TEST(test_srst_keeps_multiple_and_translation),
		ATA_TEST(test_execute_device_diagnostic),
		ATA_TEST(test_nien_suppresses_irq14),
		ATA_TEST(test_status_clears_interrupt_alternate_status_does_not),
		ATA_TEST(test_absent_slave_reads_status_zero_and_ignores_commands),
		ATA_TEST(test_pending_interrupt_follows_device_selection),
		BARE_TEST(test_slave_disk_has_its_own_geometry_and_data),
		BARE_TEST(test_no_disk_claims_ports_and_reads_zero),
		ATA_TEST(test_32bit_data_port_access),
		ATA_TEST(test_byte_data_port_access),
		ATA_TEST(test_word_access_to_byte_registers_is_split),
		ATA_TEST(test_garbage_port_sequences_do_not_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
