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

/* Signature "QEMU", ID with the traditional interface only (no DMA bit). */
static void test_signature_and_id(void **state)
{
	struct mock_vm *vm = attach(NULL);
	uint8_t buf[8];

	read_item(vm, KEY_SIGNATURE, buf, 4);
	assert_memory_equal(buf, "QEMU", 4);
	read_item(vm, KEY_ID, buf, 4);
	assert_int_equal(buf[0], 0x01);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_and_id),
		cmocka_unit_test(test_ram_and_e820),
		cmocka_unit_test(test_bytewise_selector),
		cmocka_unit_test(test_vgabios_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
