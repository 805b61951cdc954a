/* ring_guest.c: the guest's end of the VVMI rings: the command producer and the event consumer. */
#include "ring_guest.h"

#include <errno.h>

#include "ring_access.h"

/* head and tail of a ring whose header this code understands. */
static bool ring_indices(const volatile uint8_t *ring, uint32_t size, uint32_t *head,
			 uint32_t *tail)
{
	if (ring_load32(ring + RING_FIELD(magic)) != VVMI_MAGIC ||
	    ring_load32(ring + RING_FIELD(size)) != size)
		return false;
	*head = ring_load32(ring + RING_FIELD(head));
	*tail = ring_load32(ring + RING_FIELD(tail));
	return ring_offset_valid(*head, size) && ring_offset_valid(*tail, size);
}

int vvmi_guest_put(volatile uint8_t *region, uint16_t opcode, const void *body, size_t len)
{
	const uint32_t size = VVMI_CMD_RING_DATA_BYTES;
	volatile uint8_t *ring = region + VVMI_CMD_RING_OFFSET;
	volatile uint8_t *data = ring + VVMI_RING_HEADER_BYTES;
	uint32_t head, tail, at;

	if (len > size - VVMI_RECORD_BYTES - 4)
		return -EMSGSIZE;
	if (!ring_indices(ring, size, &head, &tail))
		return -EPROTO;
	const uint32_t length = ring_record_bytes(len);
	if (!ring_place(size, head, tail, length, &at))
		return -ENOSPC;
	ring_acquire(); /* the host has read the commands it freed */
	if (at != head)
		ring_write_pad(data, head, size);
	ring_write_record(data, at, opcode, body, len);
	ring_release();
	ring_store32(ring + RING_FIELD(head), ring_advance(at, length, size));
	return 0;
}

static void set_event_tail(volatile uint8_t *ring, uint32_t tail)
{
	ring_release(); /* the record is read before the host may reuse its bytes */
	ring_store32(ring + RING_FIELD(tail), tail);
}

int vvmi_guest_get_event(volatile uint8_t *region, uint16_t *type, void *body, size_t cap)
{
	const uint32_t size = VVMI_EVENT_RING_DATA_BYTES;
	volatile uint8_t *ring = region + VVMI_EVENT_RING_OFFSET;
	const volatile uint8_t *data = ring + VVMI_RING_HEADER_BYTES;
	uint32_t head, tail;

	if (!ring_indices(ring, size, &head, &tail))
		return -EPROTO;
	ring_acquire();
	while (tail != head) {
		const uint32_t record = ring_load32(data + tail);
		const uint16_t length = ring_record_length(record);
		const uint16_t opcode = ring_record_opcode(record);
		const uint32_t room = head > tail ? head - tail : size - tail;
		if (length < VVMI_RECORD_BYTES || length % 4 != 0 || length > room)
			return -EPROTO;

		const size_t len = length - VVMI_RECORD_BYTES;
		if (opcode != VVMI_EVENT_PAD)
			ring_copy_out(body, data + tail + VVMI_RECORD_BYTES, len < cap ? len : cap);
		tail = ring_advance(tail, length, size);
		set_event_tail(ring, tail);
		if (opcode != VVMI_EVENT_PAD) {
			*type = opcode;
			return (int)len;
		}
	}
	return -EAGAIN;
}
