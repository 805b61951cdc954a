/* ring_access.h: what both ends of a VVMI ring do to the shared region (private to vvmi/). */
#ifndef MVM_VVMI_RING_ACCESS_H
#define MVM_VVMI_RING_ACCESS_H

/*
 * The other side writes the region while we read it. Each field is read
 * with one aligned 32-bit volatile load, so it is old or new, never torn,
 * and read once into a local that is then checked and used. The fences
 * order a record's bytes against the index that publishes or frees them,
 * as virtio's barriers do (on x86 they only stop the compiler). The region
 * must be 4-byte aligned; every offset used here is a multiple of 4.
 */

#include <endian.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ring_layout.h"

#define RING_FIELD(field) offsetof(struct vvmi_ring_header, field)

static inline uint32_t ring_load32(const volatile uint8_t *p)
{
	return le32toh(*(const volatile uint32_t *)(const volatile void *)p);
}

static inline void ring_store32(volatile uint8_t *p, uint32_t value)
{
	*(volatile uint32_t *)(volatile void *)p = htole32(value);
}

static inline void ring_store16(volatile uint8_t *p, uint16_t value)
{
	*(volatile uint16_t *)(volatile void *)p = htole16(value);
}

/* A record's header as one word, so length and opcode come from one load. */
static inline uint32_t ring_record(uint16_t length, uint16_t opcode)
{
	return (uint32_t)length | (uint32_t)opcode << 16;
}

static inline uint16_t ring_record_length(uint32_t record)
{
	return (uint16_t)record;
}

static inline uint16_t ring_record_opcode(uint32_t record)
{
	return (uint16_t)(record >> 16);
}

/* A record's length for a body of len bytes (the caller checked len is small). */
static inline uint32_t ring_record_bytes(size_t len)
{
	return VVMI_RECORD_BYTES + (((uint32_t)len + 3u) & ~3u);
}

/* After reading the other side's index: what it published before is visible. */
static inline void ring_acquire(void)
{
	atomic_thread_fence(memory_order_acquire);
}

/* Before writing our index: what we wrote or read before it is done. */
static inline void ring_release(void)
{
	atomic_thread_fence(memory_order_release);
}

/* An index the other side gave us can be used as an offset into data. */
static inline bool ring_offset_valid(uint32_t offset, uint32_t size)
{
	return offset < size && offset % 4 == 0;
}

/*
 * Where a producer at head puts a record of length bytes (a multiple of 4)
 * when the consumer is at tail, keeping one 4-byte slot free so that a full
 * ring never looks empty. Records never wrap: when the record does not fit
 * before the end it goes to 0 (*at != head) and the caller fills head..size
 * with a PAD record. False when the ring has no room for it.
 */
static inline bool ring_place(uint32_t size, uint32_t head, uint32_t tail, uint32_t length,
			      uint32_t *at)
{
	if (head < tail) {
		*at = head;
		return length < tail - head;
	}
	/* Free: head..size, then 0..tail. Ending exactly at size wraps head to
	 * 0, which must not meet tail. */
	if (length < size - head || (length == size - head && tail != 0)) {
		*at = head;
		return true;
	}
	*at = 0;
	return length < tail;
}

/* The offset after a record of length bytes at offset. */
static inline uint32_t ring_advance(uint32_t offset, uint32_t length, uint32_t size)
{
	offset += length;
	return offset == size ? 0 : offset;
}

/* Copies len bytes out of the ring, a word at a time while it can. */
static inline void ring_copy_out(void *dst, const volatile uint8_t *src, size_t len)
{
	uint8_t *out = dst;
	size_t i = 0;
	for (; i + 4 <= len; i += 4) {
		uint32_t word = *(const volatile uint32_t *)(const volatile void *)(src + i);
		memcpy(out + i, &word, 4);
	}
	for (; i < len; i++)
		out[i] = src[i];
}

/* Copies len bytes into the ring and zeroes up to the next multiple of 4. */
static inline void ring_copy_in(volatile uint8_t *dst, const void *src, size_t len)
{
	const uint8_t *in = src;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t word = 0;
		memcpy(&word, in + i, len - i < 4 ? len - i : 4);
		*(volatile uint32_t *)(volatile void *)(dst + i) = word;
	}
}

/* Writes a record: header, body, zero padding. The caller publishes it. */
static inline void ring_write_record(volatile uint8_t *data, uint32_t at, uint16_t opcode,
				     const void *body, size_t len)
{
	ring_store32(data + at, ring_record((uint16_t)ring_record_bytes(len), opcode));
	ring_copy_in(data + at + VVMI_RECORD_BYTES, body, len);
}

/* Fills head..size with a PAD record when the next record goes to 0. */
_Static_assert((int)VVMI_CMD_PAD == (int)VVMI_EVENT_PAD, "both rings pad with opcode 0");
static inline void ring_write_pad(volatile uint8_t *data, uint32_t head, uint32_t size)
{
	ring_store32(data + head, ring_record((uint16_t)(size - head), VVMI_CMD_PAD));
}

#endif
