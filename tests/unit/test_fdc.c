/* test_fdc.c: the 82077AA floppy controller as a BIOS and DOS drive it, with the real 8237A DMA. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <cmocka.h>

#include "vdh_mock.h"

/*
 * The floppy controller moves its data through the DMA controller VDD, so this
 * test runs the real one: dma.c is compiled into this file with its module
 * descriptor renamed, since fdc.c, built beside this test, already exports
 * `vdd_module`. dma.c's statics share this file; names here avoid its `dma_`
 * and `DMA_` prefixes.
 */
#undef VDD_MODULE
#define VDD_MODULE static const struct vdd_module dma_module
#include "../../vdd/dma.c"
#undef VDD_MODULE

extern const struct vdd_module vdd_module;

/* 82077AA ports */
#define FD_DOR 0x3F2
#define FD_MSR 0x3F4
#define FD_DSR 0x3F4
#define FD_FIFO 0x3F5
#define FD_DIR 0x3F7
#define FD_CCR 0x3F7

#define DOR_ENABLE_A 0x1C /* motor A, DMA and IRQ gate, not in reset, drive 0 */

#define MSR_RQM 0x80
#define MSR_DIO 0x40
#define MSR_NDMA 0x20
#define MSR_CB 0x10

#define RATE_500K 0
#define RATE_300K 1
#define RATE_250K 2

#define CMD_READ 0xE6  /* MT, MFM, SK */
#define CMD_READ_1 0x66 /* MFM, SK: one side */
#define CMD_WRITE 0xC5  /* MT, MFM */
#define CMD_WRITE_1 0x45
#define CMD_READ_ID 0x4A
#define CMD_FORMAT 0x4D
#define CMD_RECALIBRATE 0x07
#define CMD_SENSE_INT 0x08
#define CMD_SPECIFY 0x03
#define CMD_SENSE_DRIVE 0x04
#define CMD_SEEK 0x0F
#define CMD_CONFIGURE 0x13
#define CMD_DUMPREG 0x0E
#define CMD_VERSION 0x10
#define CMD_LOCK 0x94
#define CMD_UNLOCK 0x14

#define SECTOR 512
#define MS 1000000ull
#define XFER_NS 500000ull /* a read or write at the head's cylinder */

/* 8237A channel 2 */
#define PORT_CH2_ADDR 0x04
#define PORT_CH2_COUNT 0x05
#define PORT_CH2_PAGE 0x81
#define PORT_DMA1_MASK 0x0A
#define PORT_DMA1_MODE 0x0B
#define PORT_DMA1_FF 0x0C
#define PORT_DMA1_CLEAR 0x0D
#define PORT_DMA2_MODE 0xD6
#define PORT_DMA2_MASK 0xD4
#define PORT_DMA2_CLEAR 0xDA
#define MODE_TO_MEMORY 0x46   /* single, write transfer, channel 2 */
#define MODE_FROM_MEMORY 0x4A /* single, read transfer, channel 2 */

struct fixture {
	struct mock_vm *vm;
	char path[64];
	unsigned sectors; /* in the image */
};

/* The byte j of the sector at LBA lba in a fresh image. */
static uint8_t pattern(unsigned lba, unsigned j)
{
	return (uint8_t)(lba * 31 + j * 7 + (lba >> 8));
}

static void make_image(struct fixture *f, size_t size)
{
	uint8_t sector[SECTOR];
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/mvm-test-fdc-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	f->sectors = (unsigned)(size / SECTOR);
	for (unsigned lba = 0; lba < f->sectors; lba++) {
		for (unsigned j = 0; j < SECTOR; j++)
			sector[j] = pattern(lba, j);
		assert_int_equal(pwrite(fd, sector, SECTOR, (off_t)lba * SECTOR), SECTOR);
	}
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

static void image_sector(const struct fixture *f, unsigned lba, uint8_t *out)
{
	int fd = open(f->path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, out, SECTOR, (off_t)lba * SECTOR), SECTOR);
	close(fd);
}

static void assert_ram_is_sector(struct mock_vm *vm, uint32_t addr, unsigned lba)
{
	const uint8_t *ram = mock_ram(vm);

	for (unsigned j = 0; j < SECTOR; j++)
		if (ram[addr + j] != pattern(lba, j))
			fail_msg("RAM %#x: %02x, LBA %u byte %u is %02x", addr + j, ram[addr + j], lba,
				 j, pattern(lba, j));
}

/* What SeaBIOS does to the DMA pair at POST. */
static void bios_init_dma(struct mock_vm *vm)
{
	mock_outb(vm, PORT_DMA1_CLEAR, 0);
	mock_outb(vm, PORT_DMA2_CLEAR, 0);
	mock_outb(vm, PORT_DMA2_MODE, 0xC0);
	mock_outb(vm, PORT_DMA2_MASK, 0x00);
}

/* Channel 2 for bytes bytes at addr, as SeaBIOS programs it for a floppy transfer. */
static void bios_program_ch2(struct mock_vm *vm, uint8_t mode, uint32_t addr, uint16_t bytes)
{
	uint16_t end = (uint16_t)(bytes - 1);

	mock_outb(vm, PORT_DMA1_MASK, 0x06);
	mock_outb(vm, PORT_DMA1_FF, 0);
	mock_outb(vm, PORT_CH2_ADDR, (uint8_t)addr);
	mock_outb(vm, PORT_CH2_ADDR, (uint8_t)(addr >> 8));
	mock_outb(vm, PORT_DMA1_FF, 0);
	mock_outb(vm, PORT_CH2_COUNT, (uint8_t)end);
	mock_outb(vm, PORT_CH2_COUNT, (uint8_t)(end >> 8));
	mock_outb(vm, PORT_DMA1_MODE, mode);
	mock_outb(vm, PORT_CH2_PAGE, (uint8_t)(addr >> 16));
	mock_outb(vm, PORT_DMA1_MASK, 0x02);
}

static uint16_t ch2_count(struct mock_vm *vm)
{
	uint16_t lo;

	mock_outb(vm, PORT_DMA1_FF, 0);
	lo = mock_inb(vm, PORT_CH2_COUNT);
	return (uint16_t)(lo | mock_inb(vm, PORT_CH2_COUNT) << 8);
}

/* Command bytes, each when MSR asks for one (RQM, DIO = 0). */
static void send(struct mock_vm *vm, const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(mock_inb(vm, FD_MSR) & (MSR_RQM | MSR_DIO), MSR_RQM);
		mock_outb(vm, FD_FIFO, bytes[i]);
	}
}

#define SEND(vm, ...)                                                        \
	do {                                                                 \
		const uint8_t bytes_[] = { __VA_ARGS__ };                    \
		send(vm, bytes_, sizeof(bytes_));                            \
	} while (0)

/* Result bytes, each offered with RQM and DIO; then the controller is idle. */
static void result(struct mock_vm *vm, uint8_t *out, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(mock_inb(vm, FD_MSR) & (MSR_RQM | MSR_DIO | MSR_CB),
				 MSR_RQM | MSR_DIO | MSR_CB);
		out[i] = mock_inb(vm, FD_FIFO);
	}
	assert_int_equal(mock_inb(vm, FD_MSR) & (MSR_RQM | MSR_DIO | MSR_CB), MSR_RQM);
}

#define EXPECT_RESULT(vm, ...)                                               \
	do {                                                                 \
		const uint8_t want_[] = { __VA_ARGS__ };                     \
		uint8_t got_[sizeof(want_)];                                 \
		result(vm, got_, sizeof(got_));                              \
		assert_memory_equal(got_, want_, sizeof(want_));             \
	} while (0)

/* IRQ 6 rises within ns of virtual time (and not before, from the edge count). */
static void wait_irq(struct mock_vm *vm, uint64_t ns)
{
	unsigned edges = mock_irq_rising_edges(vm, 6);

	mock_advance(vm, ns);
	assert_true(mock_irq_level(vm, 6));
	assert_int_equal(mock_irq_rising_edges(vm, 6), edges + 1);
}

/* Out of reset with drive A's motor on: the interrupt, four SENSE INTERRUPT STATUS. */
static void reset_controller(struct mock_vm *vm)
{
	mock_outb(vm, FD_DOR, 0x00);
	mock_outb(vm, FD_DOR, DOR_ENABLE_A);
	wait_irq(vm, MS);
	for (uint8_t d = 0; d < 4; d++) {
		SEND(vm, CMD_SENSE_INT);
		EXPECT_RESULT(vm, (uint8_t)(0xC0 | d), 0);
	}
	assert_false(mock_irq_level(vm, 6));
}

static struct mock_vm *attach(const char *props)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &dma_module, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), 0);
	bios_init_dma(vm);
	return vm;
}

/* A drive A: with an image of size bytes, the controller reset and set to rate. */
static void setup_with(void **state, size_t size, uint8_t rate, const char *extra)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char props[160];

	assert_non_null(f);
	make_image(f, size);
	snprintf(props, sizeof(props), "image=%s%s", f->path, extra);
	f->vm = attach(props);
	reset_controller(f->vm);
	mock_outb(f->vm, FD_CCR, rate);
	*state = f;
}

static int setup_144(void **state)
{
	setup_with(state, 1474560, RATE_500K, "");
	return 0;
}

static int setup_360(void **state)
{
	setup_with(state, 368640, RATE_250K, "");
	return 0;
}

static int setup_160(void **state)
{
	setup_with(state, 163840, RATE_250K, "");
	return 0;
}

static int setup_144_readonly(void **state)
{
	setup_with(state, 1474560, RATE_500K, ",readonly=true");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mock_vm_destroy(f->vm);
	unlink(f->path);
	free(f);
	return 0;
}

/* READ DATA (or WRITE DATA) of drive 0 at C, H, R to EOT, then IRQ 6 after the
 * fixed time of a transfer at the head's cylinder. */
static void rw(struct mock_vm *vm, uint8_t cmd, uint8_t c, uint8_t h, uint8_t r, uint8_t eot)
{
	SEND(vm, cmd, (uint8_t)(h << 2), c, h, r, 2, eot, 0x1B, 0xFF);
	/* busy, no data through the FIFO: the DMA moves it */
	assert_int_equal(mock_inb(vm, FD_MSR), MSR_CB);
}

static void seek(struct mock_vm *vm, uint8_t head, uint8_t cyl)
{
	SEND(vm, CMD_SEEK, (uint8_t)(head << 2), cyl);
	mock_advance(vm, 20 * MS);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, (uint8_t)(0x20 | head << 2), cyl);
}

/* ---- ports, reset, identification ---- */

static void test_claims_3f0_to_3f5_and_3f7_but_not_3f6(void **state)
{
	struct fixture *f = *state;

	for (uint16_t port = 0x3F0; port <= 0x3F5; port++)
		assert_true(mock_port_claimed(f->vm, port));
	assert_false(mock_port_claimed(f->vm, 0x3F6));
	assert_true(mock_port_claimed(f->vm, 0x3F7));
	assert_true(mock_irq_opened(f->vm, 6));
}

static void test_power_on_held_in_reset_until_dor_bit2(void **state)
{
	struct mock_vm *vm = attach(NULL);

	assert_int_equal(mock_inb(vm, FD_DOR), 0x00);
	assert_int_equal(mock_inb(vm, FD_MSR), 0x00);
	mock_advance(vm, 10 * MS);
	assert_false(mock_irq_level(vm, 6));
	/* SeaBIOS enables the controller with DOR = 04h and waits for IRQ 6 */
	mock_outb(vm, FD_DOR, 0x04);
	assert_int_equal(mock_inb(vm, FD_MSR), MSR_RQM);
	assert_false(mock_irq_level(vm, 6));
	wait_irq(vm, MS);
	mock_vm_destroy(vm);
}

/* After a reset with polling on: one interrupt, then a "ready changed" status
 * (ST0 C0h-C3h) for each drive; the first SENSE INTERRUPT clears IRQ 6. */
static void test_reset_interrupt_and_four_sense_interrupt_statuses(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	seek(vm, 0, 7);
	mock_outb(vm, FD_DOR, 0x18);
	assert_int_equal(mock_inb(vm, FD_MSR), 0x00);
	mock_outb(vm, FD_DOR, DOR_ENABLE_A);
	wait_irq(vm, MS);
	SEND(vm, CMD_SENSE_INT);
	assert_false(mock_irq_level(vm, 6));
	EXPECT_RESULT(vm, 0xC0, 7);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0xC1, 0);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0xC2, 0);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0xC3, 0);
	/* nothing pending: an invalid command */
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0x80);
}

static void test_dsr_software_reset_also_interrupts(void **state)
{
	struct fixture *f = *state;

	mock_outb(f->vm, FD_DSR, 0x80);
	wait_irq(f->vm, MS);
	SEND(f->vm, CMD_SENSE_INT);
	EXPECT_RESULT(f->vm, 0xC0, 0);
}

static void test_version_is_90h_and_invalid_command_80h(void **state)
{
	struct fixture *f = *state;

	SEND(f->vm, CMD_VERSION);
	EXPECT_RESULT(f->vm, 0x90);
	SEND(f->vm, 0x18);
	EXPECT_RESULT(f->vm, 0x80);
	SEND(f->vm, 0x8A); /* READ ID has no MT bit */
	EXPECT_RESULT(f->vm, 0x80);
	assert_false(mock_irq_level(f->vm, 6));
}

static void test_specify_configure_dumpreg(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	SEND(vm, CMD_DUMPREG);
	/* power-on CONFIGURE: FIFO disabled, polling, no implied seek, threshold 1 */
	EXPECT_RESULT(vm, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0);
	SEND(vm, CMD_SPECIFY, 0xAF, 0x02);
	SEND(vm, CMD_CONFIGURE, 0x00, 0x47, 0x10);
	SEND(vm, 0x12, 0x80 | 0x04 | 0x02); /* PERPENDICULAR MODE: OW, D0, GAP */
	/* a read sets the EOT DUMPREG shows and the head's cylinder (sector 0: no data) */
	rw(vm, CMD_READ, 12, 0, 0, 9);
	wait_irq(vm, 5 * MS);
	EXPECT_RESULT(vm, 0x40, 0x04, 0x00, 12, 0, 0, 2);
	SEND(vm, CMD_DUMPREG);
	EXPECT_RESULT(vm, 12, 0, 0, 0, 0xAF, 0x02, 9, 0x06, 0x47, 0x10);
}

/* LOCK keeps EFIFO, FIFOTHR and PRETRK over a reset; unlocked they go back. */
static void test_lock_keeps_fifo_settings_over_reset(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	SEND(vm, CMD_CONFIGURE, 0x00, 0x0A, 0x33);
	SEND(vm, CMD_LOCK);
	EXPECT_RESULT(vm, 0x10);
	reset_controller(vm);
	SEND(vm, CMD_DUMPREG);
	{
		uint8_t r[10];

		result(vm, r, sizeof(r));
		assert_int_equal(r[7] & 0x80, 0x80);
		assert_int_equal(r[8], 0x0A);
		assert_int_equal(r[9], 0x33);
	}
	SEND(vm, CMD_UNLOCK);
	EXPECT_RESULT(vm, 0x00);
	reset_controller(vm);
	SEND(vm, CMD_DUMPREG);
	{
		uint8_t r[10];

		result(vm, r, sizeof(r));
		assert_int_equal(r[7] & 0x80, 0);
		assert_int_equal(r[8], 0x20);
		assert_int_equal(r[9], 0x00);
	}
}

/* ---- seeks ---- */

static void test_seek_runs_in_background_and_interrupts(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	SEND(vm, CMD_SEEK, 0x04, 10);
	/* the controller takes commands again; drive 0 is busy seeking */
	assert_int_equal(mock_inb(vm, FD_MSR), MSR_RQM | 0x01);
	/* 0.5 ms settle + 10 tracks of 0.1 ms */
	mock_advance(vm, 1500000 - 1);
	assert_false(mock_irq_level(vm, 6));
	wait_irq(vm, 1);
	SEND(vm, CMD_SENSE_INT);
	assert_false(mock_irq_level(vm, 6));
	EXPECT_RESULT(vm, 0x24, 10);
	assert_int_equal(mock_inb(vm, FD_MSR), MSR_RQM);
	SEND(vm, CMD_SENSE_DRIVE, 0x00);
	EXPECT_RESULT(vm, 0x28); /* ready and two-side always 1, not track 0 */
	SEND(vm, CMD_RECALIBRATE, 0x00);
	wait_irq(vm, 2 * MS);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0x20, 0);
	SEND(vm, CMD_SENSE_DRIVE, 0x04);
	EXPECT_RESULT(vm, 0x3C); /* track 0, head 1 */
}

static void test_recalibrate_of_missing_drive_is_equipment_check(void **state)
{
	struct fixture *f = *state;

	SEND(f->vm, CMD_RECALIBRATE, 0x01); /* no drive B: */
	wait_irq(f->vm, 20 * MS);
	SEND(f->vm, CMD_SENSE_INT);
	EXPECT_RESULT(f->vm, 0x71, 0);
}

/* The disk change line is active from power-on; a step pulse clears it, a seek
 * to the cylinder the head is on gives none. DIR shows it with the motor on. */
static void test_disk_change_line_cleared_by_a_step(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	assert_int_equal(mock_inb(vm, FD_DIR), 0xFF);
	seek(vm, 0, 0);
	assert_int_equal(mock_inb(vm, FD_DIR) & 0x80, 0x80);
	mock_outb(vm, FD_DOR, 0x0C); /* motor off */
	assert_int_equal(mock_inb(vm, FD_DIR) & 0x80, 0x00);
	mock_outb(vm, FD_DOR, DOR_ENABLE_A);
	seek(vm, 0, 1);
	assert_int_equal(mock_inb(vm, FD_DIR) & 0x80, 0x00);
}

/* ---- reads ---- */

/* SeaBIOS's boot sector read: C0 H0 R1 with EOT 1, MT, 512 bytes to 0:7C00. */
static void test_read_sector_1_to_7c00_through_dma(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	mock_outb(vm, FD_CCR, RATE_500K);
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	rw(vm, CMD_READ, 0, 0, 1, 1);
	mock_advance(vm, XFER_NS - 1);
	assert_false(mock_irq_level(vm, 6));
	assert_int_equal(mock_ram(vm)[0x7C00], 0);
	wait_irq(vm, 1);
	/* TC on the EOT sector with MT on head 0: the next ID is head 1, sector 1 */
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 1, 1, 2);
	assert_false(mock_irq_level(vm, 6));
	assert_ram_is_sector(vm, 0x7C00, 0);
	assert_int_equal(mock_ram(vm)[0x7E00], 0);
	assert_int_equal(ch2_count(vm), 0xFFFF);
}

/* Three sectors up to EOT without MT: TC on the last; the result names the next cylinder. */
static void test_multi_sector_read_ends_at_tc(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x10000, 3 * SECTOR);
	rw(vm, CMD_READ_1, 5, 1, 16, 18);
	wait_irq(vm, 2 * MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 6, 1, 1, 2);
	for (unsigned i = 0; i < 3; i++)
		assert_ram_is_sector(vm, 0x10000 + i * SECTOR, (5 * 2 + 1) * 18 + 15 + i);
}

/* TC before EOT: the result shows the sector after the last one read. */
static void test_read_ending_at_tc_before_eot(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x20000, 2 * SECTOR);
	rw(vm, CMD_READ, 0, 0, 3, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 5, 2);
	assert_ram_is_sector(vm, 0x20000, 2);
	assert_ram_is_sector(vm, 0x20200, 3);
	assert_int_equal(mock_ram(vm)[0x20400], 0);
}

/* MT: after EOT on head 0 the read goes on at head 1, sector 1. */
static void test_multitrack_read_crosses_to_head_1(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x30000, 4 * SECTOR);
	rw(vm, CMD_READ, 2, 0, 17, 18);
	wait_irq(vm, 2 * MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 2, 1, 3, 2);
	for (unsigned i = 0; i < 4; i++)
		assert_ram_is_sector(vm, 0x30000 + i * SECTOR, 2 * 36 + 16 + i);
}

/* MT through the end of head 1 without TC: end of cylinder, next cylinder, head 0. */
static void test_multitrack_read_past_head_1_ends_with_en(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x30000, 8 * SECTOR);
	rw(vm, CMD_READ, 0, 1, 17, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x44, 0x80, 0x00, 1, 0, 1, 2);
	assert_ram_is_sector(vm, 0x30000, 18 + 16);
	assert_ram_is_sector(vm, 0x30200, 18 + 17);
	assert_int_equal(ch2_count(vm), 8 * SECTOR - 1 - 2 * SECTOR);
}

/* READ ID gives the sectors passing the head in turn. */
static void test_read_id(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	seek(vm, 1, 4);
	SEND(vm, CMD_READ_ID, 0x04);
	assert_int_equal(mock_inb(vm, FD_MSR), MSR_CB);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 4, 1, 1, 2);
	SEND(vm, CMD_READ_ID, 0x04);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 4, 1, 2, 2);
}

/* ---- writes and format ---- */

static void test_write_reaches_image_and_reads_back(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	unsigned lba = (2 * 2 + 1) * 18 + 4;
	uint8_t disk[SECTOR];

	for (unsigned j = 0; j < 2 * SECTOR; j++)
		mock_ram(vm)[0x40000 + j] = (uint8_t)(j * 3 + 1);
	bios_program_ch2(vm, MODE_FROM_MEMORY, 0x40000, 2 * SECTOR);
	rw(vm, CMD_WRITE, 2, 1, 5, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 2, 1, 7, 2);
	/* on the file before the VM ends */
	image_sector(f, lba, disk);
	assert_memory_equal(disk, mock_ram(vm) + 0x40000, SECTOR);
	image_sector(f, lba + 1, disk);
	assert_memory_equal(disk, mock_ram(vm) + 0x40200, SECTOR);
	image_sector(f, lba + 2, disk);
	assert_int_equal(disk[0], pattern(lba + 2, 0));

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x50000, 2 * SECTOR);
	rw(vm, CMD_READ, 2, 1, 5, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 2, 1, 7, 2);
	assert_memory_equal(mock_ram(vm) + 0x50000, mock_ram(vm) + 0x40000, 2 * SECTOR);
}

/* TC inside a sector of a write: the rest of the sector is written as zeros. */
static void test_write_tc_mid_sector_pads_with_zeros(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	uint8_t disk[SECTOR];

	/* a read first, so the controller's sector buffer holds other data */
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x30000, SECTOR);
	rw(vm, CMD_READ, 0, 0, 5, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 6, 2);
	memset(mock_ram(vm) + 0x40000, 0xAB, 100);
	bios_program_ch2(vm, MODE_FROM_MEMORY, 0x40000, 100);
	rw(vm, CMD_WRITE, 0, 0, 9, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 10, 2);
	image_sector(f, 8, disk);
	for (unsigned j = 0; j < SECTOR; j++)
		assert_int_equal(disk[j], j < 100 ? 0xAB : 0x00);
	image_sector(f, 9, disk);
	assert_int_equal(disk[0], pattern(9, 0));
}

static void test_format_track_fills_sectors(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	uint8_t disk[SECTOR];

	seek(vm, 1, 3);
	/* C, H, R, N of 18 sectors, interleaved as a formatter may lay them */
	for (unsigned i = 0; i < 18; i++) {
		uint8_t *id = mock_ram(vm) + 0x60000 + 4 * i;

		id[0] = 3;
		id[1] = 1;
		id[2] = (uint8_t)((i * 2) % 18 + (i * 2 >= 18 ? 2 : 1));
		id[3] = 2;
	}
	bios_program_ch2(vm, MODE_FROM_MEMORY, 0x60000, 18 * 4);
	SEND(vm, CMD_FORMAT, 0x04, 2, 18, 0x6C, 0xF6);
	wait_irq(vm, MS);
	{
		uint8_t r[7];

		result(vm, r, sizeof(r));
		assert_int_equal(r[0], 0x04);
		assert_int_equal(r[1], 0x00);
		assert_int_equal(r[2], 0x00);
	}
	for (unsigned s = 0; s < 18; s++) {
		image_sector(f, (3 * 2 + 1) * 18 + s, disk);
		for (unsigned j = 0; j < SECTOR; j++)
			assert_int_equal(disk[j], 0xF6);
	}
	image_sector(f, (3 * 2 + 1) * 18 - 1, disk);
	assert_int_equal(disk[0], pattern((3 * 2 + 1) * 18 - 1, 0));
	image_sector(f, (3 * 2 + 2) * 18, disk);
	assert_int_equal(disk[0], pattern((3 * 2 + 2) * 18, 0));
}

/* IDs the image cannot hold (a cylinder past the disk, another size code) are
 * not written anywhere: the file keeps its size and contents. */
static void test_format_with_ids_outside_the_image_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	static const uint8_t ids[] = { 80, 0, 1, 2, 0, 0, 1, 3, 0, 1, 1, 2, 0, 0, 19, 2 };
	uint8_t disk[SECTOR];
	struct stat st;

	memcpy(mock_ram(vm) + 0x60000, ids, sizeof(ids));
	bios_program_ch2(vm, MODE_FROM_MEMORY, 0x60000, sizeof(ids));
	SEND(vm, CMD_FORMAT, 0x00, 2, 4, 0x6C, 0xF6);
	wait_irq(vm, MS);
	{
		uint8_t r[7];

		result(vm, r, sizeof(r));
		assert_int_equal(r[0], 0x00);
	}
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, 1474560);
	image_sector(f, 0, disk);
	assert_int_equal(disk[0], pattern(0, 0));
	image_sector(f, 18, disk);
	assert_int_equal(disk[0], pattern(18, 0));
}

static void test_readonly_disk_refuses_write_and_format(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	uint8_t disk[SECTOR];

	SEND(vm, CMD_SENSE_DRIVE, 0x00);
	EXPECT_RESULT(vm, 0x78); /* write protected, track 0 */
	memset(mock_ram(vm) + 0x40000, 0x55, SECTOR);
	bios_program_ch2(vm, MODE_FROM_MEMORY, 0x40000, SECTOR);
	rw(vm, CMD_WRITE, 0, 0, 1, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x02, 0x00, 0, 0, 1, 2);
	assert_int_equal(ch2_count(vm), SECTOR - 1);
	SEND(vm, CMD_FORMAT, 0x00, 2, 18, 0x6C, 0xF6);
	wait_irq(vm, MS);
	{
		uint8_t r[7];

		result(vm, r, sizeof(r));
		assert_int_equal(r[0], 0x40);
		assert_int_equal(r[1], 0x02);
	}
	image_sector(f, 0, disk);
	assert_int_equal(disk[0], pattern(0, 0));
}

/* Makes the file unwritable even for root (immutable, where the file system
 * has the flag); false if it cannot. */
static bool make_unwritable(const char *path, bool on)
{
	int fd, flags, rc;

	if (geteuid() != 0)
		return chmod(path, on ? 0444 : 0644) == 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	rc = ioctl(fd, FS_IOC_GETFLAGS, &flags);
	if (rc == 0) {
		flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
		rc = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
	return rc == 0;
}

/* A file that cannot be opened for writing is a write-protected disk. */
static void test_unwritable_image_is_write_protected(void **state)
{
	struct fixture f;
	struct mock_vm *vm;
	char props[96];

	make_image(&f, 737280);
	if (!make_unwritable(f.path, true)) {
		unlink(f.path);
		skip();
	}
	snprintf(props, sizeof(props), "image=%s", f.path);
	vm = attach(props);
	reset_controller(vm);
	SEND(vm, CMD_SENSE_DRIVE, 0x00);
	EXPECT_RESULT(vm, 0x78);
	mock_outb(vm, FD_CCR, RATE_250K);
	bios_program_ch2(vm, MODE_FROM_MEMORY, 0x40000, SECTOR);
	rw(vm, CMD_WRITE, 0, 0, 1, 9);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x02, 0x00, 0, 0, 1, 2);
	mock_vm_destroy(vm);
	assert_true(make_unwritable(f.path, false));
	unlink(f.path);
}

/* ---- errors ---- */

/* SeaBIOS tells media apart by the data rate READ ID works at. */
static void test_wrong_data_rate_is_missing_address_mark(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	mock_outb(vm, FD_CCR, RATE_250K);
	SEND(vm, CMD_READ_ID, 0x00);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x01, 0x00, 0, 0, 1, 2);
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	rw(vm, CMD_READ, 0, 0, 1, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x01, 0x00, 0, 0, 1, 2);
	assert_int_equal(ch2_count(vm), SECTOR - 1);
	assert_int_equal(mock_ram(vm)[0x7C00], 0);
	mock_outb(vm, FD_DSR, RATE_500K);
	SEND(vm, CMD_READ_ID, 0x00);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 1, 2);
}

/* 360K media: 250 kbps (360K drive) or 300 kbps (1.2M drive), not 500. */
static void test_360k_media_reads_at_250_and_300_kbps(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	mock_outb(vm, FD_CCR, RATE_500K);
	SEND(vm, CMD_READ_ID, 0x00);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x01, 0x00, 0, 0, 1, 2);
	mock_outb(vm, FD_CCR, RATE_300K);
	SEND(vm, CMD_READ_ID, 0x00);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 1, 2);
	mock_outb(vm, FD_CCR, RATE_250K);
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x8000, 9 * SECTOR);
	rw(vm, CMD_READ, 39, 1, 1, 9);
	wait_irq(vm, 10 * MS);
	EXPECT_RESULT(vm, 0x04, 0x00, 0x00, 40, 0, 1, 2);
	assert_ram_is_sector(vm, 0x8000 + 8 * SECTOR, 719);
}

static void test_sector_beyond_track_is_no_data(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	rw(vm, CMD_READ, 0, 0, 19, 19);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x04, 0x00, 0, 0, 19, 2);
	/* N must be 2 (512 bytes), H the side read */
	SEND(vm, CMD_READ, 0x00, 0, 0, 1, 3, 18, 0x1B, 0xFF);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x04, 0x00, 0, 0, 1, 3);
	SEND(vm, CMD_READ, 0x00, 0, 1, 1, 2, 18, 0x1B, 0xFF);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x04, 0x00, 0, 1, 1, 2);
	/* a read past EOT runs out of sectors on the track */
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, 3 * SECTOR);
	rw(vm, CMD_READ_1, 0, 0, 18, 20);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x04, 0x00, 0, 0, 19, 2);
	assert_ram_is_sector(vm, 0x7C00, 17);
}

/* Cylinder 80 of an 80-track disk, side 1 of a single-sided one: no IDs at all. */
static void test_cylinder_beyond_disk_is_missing_address_mark(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	rw(vm, CMD_READ, 80, 0, 1, 18);
	wait_irq(vm, 20 * MS);
	EXPECT_RESULT(vm, 0x40, 0x01, 0x00, 80, 0, 1, 2);
	rw(vm, CMD_READ, 255, 1, 1, 18);
	wait_irq(vm, 50 * MS);
	EXPECT_RESULT(vm, 0x44, 0x01, 0x00, 255, 1, 1, 2);
	assert_int_equal(mock_ram(vm)[0x7C00], 0);
}

static void test_single_sided_disk_has_no_side_1(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	mock_outb(vm, FD_CCR, RATE_250K);
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, 2 * SECTOR);
	/* MT from the last sector of side 0 goes to side 1, which has none */
	rw(vm, CMD_READ, 0, 0, 8, 8);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x44, 0x01, 0x00, 0, 1, 1, 2);
	assert_ram_is_sector(vm, 0x7C00, 7);
}

/* A masked channel never answers the controller's DMA request: overrun. */
static void test_masked_dma_channel_is_overrun(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;

	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	mock_outb(vm, PORT_DMA1_MASK, 0x06);
	rw(vm, CMD_READ, 0, 0, 1, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x10, 0x00, 0, 0, 1, 2);
	assert_int_equal(mock_ram(vm)[0x7C00], 0);
	/* DOR bit 3 low: in PC-AT mode the controller's DRQ is cut off */
	mock_outb(vm, PORT_DMA1_MASK, 0x02);
	mock_outb(vm, FD_DOR, 0x14);
	rw(vm, CMD_READ, 0, 0, 1, 18);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x10, 0x00, 0, 0, 1, 2);
	assert_int_equal(mock_ram(vm)[0x7C00], 0);
	assert_int_equal(ch2_count(vm), SECTOR - 1);
}

/* ---- non-DMA mode ---- */

/* SPECIFY ND: the data goes through the FIFO, MSR shows NDMA; without TC the
 * read ends at EOT with "end of cylinder". */
static void test_non_dma_read_through_fifo(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	unsigned edges;

	SEND(vm, CMD_SPECIFY, 0xAF, 0x03);
	rw(vm, CMD_READ_1, 1, 0, 17, 18);
	wait_irq(vm, MS);
	edges = mock_irq_rising_edges(vm, 6);
	for (unsigned i = 0; i < 2 * SECTOR; i++) {
		unsigned lba = 18 * 2 + 16 + i / SECTOR;

		assert_int_equal(mock_inb(vm, FD_MSR), MSR_RQM | MSR_DIO | MSR_NDMA | MSR_CB);
		assert_int_equal(mock_inb(vm, FD_FIFO), pattern(lba, i % SECTOR));
	}
	/* the FIFO is off: after each byte a new interrupt, for the next byte or the result */
	assert_int_equal(mock_irq_rising_edges(vm, 6), edges + 2 * SECTOR);
	assert_true(mock_irq_level(vm, 6));
	EXPECT_RESULT(vm, 0x40, 0x80, 0x00, 2, 0, 1, 2);
}

static void test_non_dma_write_through_fifo(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	uint8_t disk[SECTOR];

	SEND(vm, CMD_SPECIFY, 0xAF, 0x03);
	rw(vm, CMD_WRITE_1, 0, 0, 18, 18);
	wait_irq(vm, MS);
	for (unsigned i = 0; i < SECTOR; i++) {
		assert_int_equal(mock_inb(vm, FD_MSR), MSR_RQM | MSR_NDMA | MSR_CB);
		mock_outb(vm, FD_FIFO, (uint8_t)(i ^ 0x5A));
	}
	EXPECT_RESULT(vm, 0x40, 0x80, 0x00, 1, 0, 1, 2);
	image_sector(f, 17, disk);
	for (unsigned i = 0; i < SECTOR; i++)
		assert_int_equal(disk[i], (uint8_t)(i ^ 0x5A));
}

/* Non-DMA FORMAT TRACK: the host writes each sector's C, H, R, N through the FIFO. */
static void test_non_dma_format_through_fifo(void **state)
{
	struct fixture *f = *state;
	struct mock_vm *vm = f->vm;
	static const uint8_t ids[] = { 0, 0, 2, 2, 0, 0, 1, 2 };
	uint8_t disk[SECTOR];

	SEND(vm, CMD_SPECIFY, 0xAF, 0x03);
	SEND(vm, CMD_FORMAT, 0x00, 2, 2, 0x6C, 0xE5);
	wait_irq(vm, MS);
	for (unsigned i = 0; i < sizeof(ids); i++) {
		assert_int_equal(mock_inb(vm, FD_MSR), MSR_RQM | MSR_NDMA | MSR_CB);
		mock_outb(vm, FD_FIFO, ids[i]);
	}
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 1, 2);
	for (unsigned lba = 0; lba < 2; lba++) {
		image_sector(f, lba, disk);
		for (unsigned j = 0; j < SECTOR; j++)
			assert_int_equal(disk[j], 0xE5);
	}
	image_sector(f, 2, disk);
	assert_int_equal(disk[0], pattern(2, 0));
}

/* SeaBIOS's whole floppy boot: enable with DOR = 04h and one SENSE INTERRUPT,
 * recalibrate, READ ID at the CMOS type's data rate, then the boot sector. */
static void test_seabios_boot_sequence(void **state)
{
	struct fixture f;
	struct mock_vm *vm;
	char props[96];

	make_image(&f, 1474560);
	snprintf(props, sizeof(props), "image=%s", f.path);
	vm = attach(props);
	mock_outb(vm, FD_DOR, mock_inb(vm, FD_DOR) | 0x04);
	wait_irq(vm, MS);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0xC0, 0);
	mock_outb(vm, FD_DOR, 0x1C);
	SEND(vm, CMD_RECALIBRATE, 0x00);
	wait_irq(vm, MS);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0x20, 0);
	assert_false(mock_irq_level(vm, 6));
	mock_outb(vm, FD_DOR, 0x1C);
	mock_outb(vm, FD_DIR, RATE_500K);
	SEND(vm, CMD_READ_ID, 0x00);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 0, 1, 2);
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	mock_outb(vm, FD_DOR, 0x1C);
	SEND(vm, CMD_READ, 0x00, 0, 0, 1, 2, 1, 0x1B, 0xFF);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x00, 0x00, 0x00, 0, 1, 1, 2);
	assert_ram_is_sector(vm, 0x7C00, 0);
	mock_vm_destroy(vm);
	unlink(f.path);
}

/* ---- configuration ---- */

static void test_bad_image_size_is_refused(void **state)
{
	struct fixture f;
	struct mock_vm *vm = mock_vm_create();
	char props[96];

	make_image(&f, 1474560 + SECTOR);
	snprintf(props, sizeof(props), "image=%s", f.path);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), -EINVAL);
	mock_vm_destroy(vm);
	unlink(f.path);

	vm = mock_vm_create();
	assert_int_equal(mock_vm_attach(vm, &vdd_module, "image=/nonexistent/a.img"), -ENOENT);
	mock_vm_destroy(vm);
}

/* No image: drive A: is there without a disk; reads fail, the change line stays on. */
static void test_empty_drive(void **state)
{
	struct mock_vm *vm = attach(NULL);

	reset_controller(vm);
	SEND(vm, CMD_READ_ID, 0x00);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x40, 0x01, 0x00, 0, 0, 1, 2);
	SEND(vm, CMD_SEEK, 0x00, 3);
	wait_irq(vm, 10 * MS);
	SEND(vm, CMD_SENSE_INT);
	EXPECT_RESULT(vm, 0x20, 3);
	assert_int_equal(mock_inb(vm, FD_DIR) & 0x80, 0x80);
	mock_vm_destroy(vm);
}

static void test_drive_b_reads_its_own_image(void **state)
{
	struct fixture a, b;
	struct mock_vm *vm;
	char props[160];

	make_image(&a, 1474560);
	make_image(&b, 737280);
	snprintf(props, sizeof(props), "image=%s,image1=%s", a.path, b.path);
	vm = attach(props);
	reset_controller(vm);
	mock_outb(vm, FD_DOR, 0x2D); /* motor B, drive 1 */
	assert_int_equal(mock_inb(vm, FD_DIR) & 0x80, 0x80);
	mock_outb(vm, FD_CCR, RATE_250K);
	bios_program_ch2(vm, MODE_TO_MEMORY, 0x7C00, SECTOR);
	SEND(vm, CMD_READ, 0x05, 1, 1, 9, 2, 9, 0x1B, 0xFF);
	wait_irq(vm, MS);
	EXPECT_RESULT(vm, 0x05, 0x00, 0x00, 2, 0, 1, 2);
	assert_ram_is_sector(vm, 0x7C00, 1 * 18 + 9 + 8);
	mock_vm_destroy(vm);
	unlink(a.path);
	unlink(b.path);
}

#define T(fn, setup_fn) cmocka_unit_test_setup_teardown(fn, setup_fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_claims_3f0_to_3f5_and_3f7_but_not_3f6, setup_144),
		cmocka_unit_test(test_power_on_held_in_reset_until_dor_bit2),
		T(test_reset_interrupt_and_four_sense_interrupt_statuses, setup_144),
		T(test_dsr_software_reset_also_interrupts, setup_144),
		T(test_version_is_90h_and_invalid_command_80h, setup_144),
		T(test_specify_configure_dumpreg, setup_144),
		T(test_lock_keeps_fifo_settings_over_reset, setup_144),
		T(test_seek_runs_in_background_and_interrupts, setup_144),
		T(test_recalibrate_of_missing_drive_is_equipment_check, setup_144),
		T(test_disk_change_line_cleared_by_a_step, setup_144),
		T(test_read_sector_1_to_7c00_through_dma, setup_144),
		T(test_multi_sector_read_ends_at_tc, setup_144),
		T(test_read_ending_at_tc_before_eot, setup_144),
		T(test_multitrack_read_crosses_to_head_1, setup_144),
		T(test_multitrack_read_past_head_1_ends_with_en, setup_144),
		T(test_read_id, setup_144),
		T(test_write_reaches_image_and_reads_back, setup_144),
		T(test_write_tc_mid_sector_pads_with_zeros, setup_144),
		T(test_format_track_fills_sectors, setup_144),
		T(test_format_with_ids_outside_the_image_writes_nothing, setup_144),
		T(test_readonly_disk_refuses_write_and_format, setup_144_readonly),
		cmocka_unit_test(test_unwritable_image_is_write_protected),
		T(test_wrong_data_rate_is_missing_address_mark, setup_144),
		T(test_360k_media_reads_at_250_and_300_kbps, setup_360),
		T(test_sector_beyond_track_is_no_data, setup_144),
		T(test_cylinder_beyond_disk_is_missing_address_mark, setup_144),
		T(test_single_sided_disk_has_no_side_1, setup_160),
		T(test_masked_dma_channel_is_overrun, setup_144),
		T(test_non_dma_read_through_fifo, setup_144),
		T(test_non_dma_write_through_fifo, setup_144),
		T(test_non_dma_format_through_fifo, setup_144),
		cmocka_unit_test(test_seabios_boot_sequence),
		cmocka_unit_test(test_bad_image_size_is_refused),
		cmocka_unit_test(test_empty_drive),
		cmocka_unit_test(test_drive_b_reads_its_own_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
