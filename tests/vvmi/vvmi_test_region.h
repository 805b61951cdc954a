/* vvmi_test_region.h: a shared region in host memory and its fields at protocol.h's offsets, for the VVMI tests. */
#ifndef MVM_TESTS_VVMI_TEST_REGION_H
#define MVM_TESTS_VVMI_TEST_REGION_H

#include <stdint.h>
#include <stdlib.h>

/* Offsets written out, not taken from the library, so that a test checks
 * the library against the protocol. */
#define CMD_RING 0x0040u
#define EVENT_RING 0x2040u
#define RING_MAGIC 0u
#define RING_VERSION 4u
#define RING_SIZE 8u
#define RING_HEAD 12u
#define RING_TAIL 16u
#define RING_DROPPED 20u
#define RING_DATA 32u
#define CMD_SIZE 0x1FE0u   /* 0x2000 less the header */
#define EVENT_SIZE 0x0EE0u /* 0x0F00 less the header */

/* Exactly VVMI_REGION_SIZE bytes from the heap, so that ASan sees a step
 * past its end. */
static inline volatile uint8_t *region_create(void)
{
	return aligned_alloc(4096, 0x10000);
}

static inline void region_destroy(volatile uint8_t *region)
{
	free((void *)(uintptr_t)region);
}

static inline uint16_t peek16(const volatile uint8_t *region, uint32_t offset)
{
	return (uint16_t)(region[offset] | region[offset + 1] << 8);
}

static inline uint32_t peek32(const volatile uint8_t *region, uint32_t offset)
{
	return (uint32_t)peek16(region, offset) | (uint32_t)peek16(region, offset + 2) << 16;
}

static inline void poke32(volatile uint8_t *region, uint32_t offset, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		region[offset + (uint32_t)i] = (uint8_t)(value >> (8 * i));
}

#endif
