/* test_fw_cfg.c: QEMU's fw_cfg I/O interface as SeaBIOS reads it, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define SELECTOR 0x510
#define DATA 0x511
#define KEY_SIGNATURE 0x00
#define KEY_ID 0x01
#define KEY_RAM_SIZE 0x03
#define KEY_NB_CPUS 0x05
#define KEY_FILE_DIR 0x19
#define DIR_ENTRY 64
#define DMA_HIGH 0x514
#define DMA_LOW 0x518
#define DMA_ERROR 0x01u
#define DMA_READ 0x02u
#define DMA_SKIP 0x04u
#define DMA_SELECT 0x08u
#define DMA_WRITE 0x10u

static void read_item(struct mock_vm *vm, uint16_t key, uint8_t *buf, size_t len)
{
	mock_outw(vm, SELECTOR, key);
	for (size_t i = 0; i < len; i++)
		buf[i] = mock_inb(vm, DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The key and size of a named file in the directory, or key 0. */
static uint16_t find_file(struct mock_vm *vm, const char *name, uint32_t *size)
{
	uint8_t count[4], entry[DIR_ENTRY];
	mock_outw(vm, SELECTOR, KEY_FILE_DIR);
	for (int i = 0; i < 4; i++)
		count[i] = mock_inb(vm, DATA);
	for (uint32_t f = 0; f < be32(count); f++) {
		for (int i = 0; i < DIR_ENTRY; i++)
			entry[i] = mock_inb(vm, DATA);
		if (strcmp((const char *)entry + 8, name) == 0) {
			*size = be32(entry);
			return (uint16_t)(entry[4] << 8 | entry[5]);
		}
	}
	return 0;
}

static struct mock_vm *attach(const char *props)
{
	struct mock_vm *vm = mock_vm_create();
	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), 0);
	return vm;
}

/* Signature "QEMU", ID with the traditional interface and DMA. */
static void test_signature_and_id(void **state)
{
	struct mock_vm *vm = attach(NULL);
	uint8_t buf[8];

	read_item(vm, KEY_SIGNATURE, buf, 4);
	assert_memory_equal(buf, "QEMU", 4);
	read_item(vm, KEY_ID, buf, 4);
	assert_int_equal(buf[0], 0x03);
	assert_int_equal(buf[1] | buf[2] | buf[3], 0);
	read_item(vm, KEY_NB_CPUS, buf, 2);
	assert_int_equal(buf[0], 1);
	/* Past the end of an item, and for a key with no item: zeros. */
	read_item(vm, KEY_SIGNATURE, buf, 6);
	assert_int_equal(buf[4], 0);
	assert_int_equal(buf[5], 0);
	read_item(vm, 0x1234, buf, 2);
	assert_int_equal(buf[0] | buf[1], 0);
	mock_vm_destroy(vm);
}

/* RAM size as a little-endian u64, and etc/e820 with one RAM entry from 0. */
static void test_ram_and_e820(void **state)
{
	struct mock_vm *vm = attach(NULL);
	uint8_t buf[20];
	uint32_t size = 0;
	uint16_t key;
	uint64_t len = 0;

	read_item(vm, KEY_RAM_SIZE, buf, 8);
	for (int i = 7; i >= 0; i--)
		len = len << 8 | buf[i];
	assert_int_equal(len, MOCK_RAM_SIZE);
	key = find_file(vm, "etc/e820", &size);
	assert_true(key >= 0x20);
	assert_int_equal(size, 20);
	read_item(vm, key, buf, 20);
	for (int i = 0; i < 8; i++)
		assert_int_equal(buf[i], 0);
	len = 0;
	for (int i = 15; i >= 8; i--)
		len = len << 8 | buf[i];
	assert_int_equal(len, MOCK_RAM_SIZE);
	assert_int_equal(buf[16], 1); /* E820_RAM */
	key = find_file(vm, "etc/show-boot-menu", &size);
	assert_true(key >= 0x20);
	assert_int_equal(size, 2);
	read_item(vm, key, buf, 2);
	assert_int_equal(buf[0] | buf[1], 0);
	mock_vm_destroy(vm);
}

/* The selector written as two bytes selects as one word does. */
static void test_bytewise_selector(void **state)
{
	struct mock_vm *vm = attach(NULL);
	mock_outb(vm, SELECTOR, KEY_SIGNATURE);
	mock_outb(vm, SELECTOR + 1, 0);
	assert_int_equal(mock_inb(vm, DATA), 'Q');
	assert_int_equal(mock_inb(vm, DATA), 'E');
	/* Selecting again rewinds. */
	mock_outw(vm, SELECTOR, KEY_SIGNATURE);
	assert_int_equal(mock_inb(vm, DATA), 'Q');
	mock_vm_destroy(vm);
}

/* The VGA BIOS appears as vgaroms/NAME with its bytes; a file that is not
 * an option ROM, or is missing, is refused. */
static void test_vgabios_file(void **state)
{
	char path[] = "/tmp/mvm-test-vgabios-XXXXXX", props[128];
	uint8_t rom[1024] = { 0x55, 0xAA, 2 }, buf[4];
	int fd = mkstemp(path);
	struct mock_vm *vm;
	uint32_t size = 0;
	uint16_t key;
	char name[80];
	const char *base = strrchr(path, '/') + 1;

	assert_true(fd >= 0);
	rom[1023] = 0x5A;
	assert_int_equal(write(fd, rom, sizeof(rom)), (ssize_t)sizeof(rom));
	close(fd);
	snprintf(props, sizeof(props), "vgabios=%s", path);
	vm = attach(props);
	snprintf(name, sizeof(name), "vgaroms/%s", base);
	key = find_file(vm, name, &size);
	assert_true(key >= 0x20);
	assert_int_equal(size, sizeof(rom));
	read_item(vm, key, buf, 3);
	assert_memory_equal(buf, rom, 3);
	mock_vm_destroy(vm);

	rom[0] = 0;
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, rom, sizeof(rom)), (ssize_t)sizeof(rom));
	close(fd);
	vm = mock_vm_create();
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), -EINVAL);
	mock_vm_destroy(vm);
	unlink(path);
	vm = mock_vm_create();
	assert_int_equal(mock_vm_attach(vm, &vdd_module, props), -ENOENT);
	mock_vm_destroy(vm);
}

static void put_be(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

/* Writes a FWCfgDmaAccess at access_gpa and runs it as SeaBIOS does: the
 * big-endian address as two dwords, high first. Returns the control word
 * the device left. */
static uint32_t dma(struct mock_vm *vm, uint64_t access_gpa, uint32_t control, uint32_t length,
		    uint64_t address)
{
	uint8_t *ram = mock_ram(vm), swapped[4];
	uint32_t value;

	put_be(ram + access_gpa, control, 4);
	put_be(ram + access_gpa + 4, length, 4);
	put_be(ram + access_gpa + 8, address, 8);
	put_be(swapped, access_gpa >> 32, 4);
	memcpy(&value, swapped, 4);
	mock_outd(vm, DMA_HIGH, value);
	put_be(swapped, access_gpa & 0xffffffffu, 4);
	memcpy(&value, swapped, 4);
	mock_outd(vm, DMA_LOW, value);
	return be32(ram + access_gpa);
}

/* Select and read in one access; past the end, zeros; skip then read; the
 * selection stays between accesses. */
static void test_dma_read(void **state)
{
	struct mock_vm *vm = attach(NULL);
	uint8_t *ram = mock_ram(vm), dir[8];
	uint32_t size = 0;
	uint16_t key = find_file(vm, "etc/e820", &size);

	memset(ram + 0x2000, 0xff, 16);
	assert_int_equal(dma(vm, 0x1000, KEY_SIGNATURE << 16 | DMA_SELECT | DMA_READ, 8, 0x2000),
			 0);
	assert_memory_equal(ram + 0x2000, "QEMU\0\0\0\0", 8);
	assert_int_equal(ram[0x2008], 0xff);

	assert_int_equal(dma(vm, 0x1000, KEY_FILE_DIR << 16 | DMA_SELECT | DMA_SKIP, 4, 0), 0);
	assert_int_equal(dma(vm, 0x1000, DMA_READ, 8, 0x3000), 0);
	read_item(vm, KEY_FILE_DIR, dir, 4);
	for (int i = 0; i < 8; i++)
		dir[i] = mock_inb(vm, DATA);
	assert_memory_equal(ram + 0x3000, dir, 8);

	assert_int_equal(dma(vm, 0x1000, (uint32_t)key << 16 | DMA_SELECT | DMA_READ, size, 0x4000),
			 0);
	assert_int_equal(ram[0x4000 + 8 + 2], MOCK_RAM_SIZE >> 16 & 0xff);
	mock_vm_destroy(vm);
}

/* Writes are refused; a destination outside RAM is an error; an access
 * outside RAM is ignored; reads of the DMA ports give "QEMU CFG". */
static void test_dma_errors(void **state)
{
	struct mock_vm *vm = attach(NULL);
	uint32_t sig[2];

	assert_int_equal(dma(vm, 0x1000, KEY_SIGNATURE << 16 | DMA_SELECT | DMA_WRITE, 4, 0x2000),
			 DMA_ERROR);
	assert_int_equal(dma(vm, 0x1000, KEY_SIGNATURE << 16 | DMA_SELECT | DMA_READ, 4,
			     MOCK_RAM_SIZE - 2),
			 DMA_ERROR);
	assert_int_equal(dma(vm, 0x1000, DMA_READ, 0xffffffffu, 0x2000), DMA_ERROR);
	mock_outd(vm, DMA_HIGH, 0x01000000); /* 1 << 32, big-endian */
	mock_outd(vm, DMA_LOW, 0);
	sig[0] = mock_ind(vm, DMA_HIGH);
	sig[1] = mock_ind(vm, DMA_LOW);
	assert_memory_equal(sig, "QEMU CFG", 8);
	mock_vm_destroy(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_and_id),
		cmocka_unit_test(test_ram_and_e820),
		cmocka_unit_test(test_bytewise_selector),
		cmocka_unit_test(test_vgabios_file),
		cmocka_unit_test(test_dma_read),
		cmocka_unit_test(test_dma_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
