/* dos_test_mem.h: an array standing in for guest memory, for the doskrnl unit tests. */
#ifndef MVM_TESTS_DOS_TEST_MEM_H
#define MVM_TESTS_DOS_TEST_MEM_H

#include <stdint.h>
#include <string.h>

#include "dos_mem.h"

/* The first megabyte and the HMA. */
#define GUEST_BYTES 0x110000u

static uint8_t guest[GUEST_BYTES];

static int guest_read(void *opaque, uint32_t linear, void *buf, size_t len)
{
	(void)opaque;
	if (linear > GUEST_BYTES || len > GUEST_BYTES - linear)
		return -1;
	memcpy(buf, guest + linear, len);
	return 0;
}

static int guest_write(void *opaque, uint32_t linear, const void *buf, size_t len)
{
	(void)opaque;
	if (linear > GUEST_BYTES || len > GUEST_BYTES - linear)
		return -1;
	memcpy(guest + linear, buf, len);
	return 0;
}

static const struct dos_mem mem = { guest_read, guest_write, NULL };

#endif
