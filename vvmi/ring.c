/* ring.c: the host's end of the VVMI rings: region setup, the command consumer, the event producer. */
#include "ring.h"

#include <errno.h>

#include "ring_access.h"

#define REGION_FIELD(field) offsetof(struct vvmi_region_header, field)

static volatile uint8_t *cmd_ring(const struct vvmi_ring_host *host)
{
	return host->region + VVMI_CMD_RING_OFFSET;
}

static volatile uint8_t *event_ring(const struct vvmi_ring_host *host)
{
	return host->region + VVMI_EVENT_RING_OFFSET;
}

/* magic, version and size: what the host writes and, for the command ring,
 * expects to find again. */
static void write_ring_identity(volatile uint8_t *ring, uint32_t size)
{
	ring_store32(ring + RING_FIELD(magic), VVMI_MAGIC);
	ring_store16(ring + RING_FIELD(version), VVMI_VERSION);
	ring_store32(ring + RING_FIELD(size), size);
}

void vvmi_region_init(struct vvmi_ring_host *host, volatile uint8_t *region)
{
	for (uint32_t i = 0; i < VVMI_REGION_SIZE; i += 4)
		ring_store32(region + i, 0);

	ring_store32(region + REGION_FIELD(magic), VVMI_MAGIC);
	ring_store16(region + REGION_FIELD(version), VVMI_VERSION);
	ring_store16(region + REGION_FIELD(header_bytes), sizeof(struct vvmi_region_header));
	ring_store32(region + REGION_FIELD(region_bytes), VVMI_REGION_SIZE);
	ring_store16(region + REGION_FIELD(cmd_ring), VVMI_CMD_RING_OFFSET);
	ring_store16(region + REGION_FIELD(event_ring), VVMI_EVENT_RING_OFFSET);
	ring_store16(region + REGION_FIELD(heap), VVMI_HEAP_OFFSET);
	ring_store16(region + REGION_FIELD(heap_bytes_lo), VVMI_HEAP_BYTES);

	host->region = region;
	host->cmd_tail = 0;
	host->event_head = 0;
	host->event_dropped = 0;
	write_ring_identity(cmd_ring(host), VVMI_CMD_RING_DATA_BYTES);
	write_ring_identity(event_ring(host), VVMI_EVENT_RING_DATA_BYTES);
}

/* Tells the guest. A full event ring drops it, which the dropped count shows. */
static void report_error(struct vvmi_ring_host *host, uint16_t opcode, uint16_t code,
			 uint32_t offset)
{
	struct vvmi_event_error error = {
		.opcode = htole16(opcode),
		.code = htole16(code),
		.offset = htole32(offset),
	};
	(void)vvmi_event_push(host, VVMI_EVENT_ERROR, &error, sizeof(error));
}

static void set_cmd_tail(struct vvmi_ring_host *host, uint32_t tail)
{
	ring_release(); /* the record is read before the guest may reuse its bytes */
	host->cmd_tail = tail;
	ring_store32(cmd_ring(host) + RING_FIELD(tail), tail);
}

static bool cmd_ring_header_intact(const struct vvmi_ring_host *host, uint32_t head)
{
	const volatile uint8_t *ring = cmd_ring(host);
	return ring_load32(ring + RING_FIELD(magic)) == VVMI_MAGIC &&
	       (uint16_t)ring_load32(ring + RING_FIELD(version)) == VVMI_VERSION &&
	       ring_load32(ring + RING_FIELD(size)) == VVMI_CMD_RING_DATA_BYTES &&
	       ring_offset_valid(head, VVMI_CMD_RING_DATA_BYTES) &&
	       ring_load32(ring + RING_FIELD(tail)) == host->cmd_tail;
}

/* Empties a ring the guest corrupted. A usable head is left alone, as the
 * guest may be writing there; otherwise there is no record to keep. */
static void reset_cmd_ring(struct vvmi_ring_host *host, uint32_t head)
{
	volatile uint8_t *ring = cmd_ring(host);
	write_ring_identity(ring, VVMI_CMD_RING_DATA_BYTES);
	if (!ring_offset_valid(head, VVMI_CMD_RING_DATA_BYTES)) {
		head = 0;
		ring_store32(ring + RING_FIELD(head), head);
	}
	set_cmd_tail(host, head);
}

int vvmi_ring_consume(struct vvmi_ring_host *host, vvmi_command_fn *execute, void *opaque,
		      unsigned max_records)
{
	const uint32_t size = VVMI_CMD_RING_DATA_BYTES;
	const volatile uint8_t *data = cmd_ring(host) + VVMI_RING_HEADER_BYTES;
	const uint32_t head = ring_load32(cmd_ring(host) + RING_FIELD(head));
	ring_acquire();

	if (!cmd_ring_header_intact(host, head)) {
		uint32_t tail = host->cmd_tail;
		reset_cmd_ring(host, head);
		report_error(host, VVMI_CMD_PAD, VVMI_ERROR_RING, tail);
		return -EPROTO;
	}

	uint32_t tail = host->cmd_tail;
	for (unsigned records = 0; tail != head; records++) {
		if (records == max_records)
			return VVMI_RING_MORE;

		const uint32_t record = ring_load32(data + tail);
		const uint16_t length = ring_record_length(record);
		const uint16_t opcode = ring_record_opcode(record);
		/* The same lap: up to head; the lap before it: up to the end. */
		const uint32_t room = head > tail ? head - tail : size - tail;
		if (length < VVMI_RECORD_BYTES || length % 4 != 0 || length > room) {
			report_error(host, opcode, VVMI_ERROR_LENGTH, tail);
			set_cmd_tail(host, head);
			return -EPROTO;
		}

		if (opcode != VVMI_CMD_PAD) {
			const size_t len = length - VVMI_RECORD_BYTES;
			ring_copy_out(host->body, data + tail + VVMI_RECORD_BYTES, len);
			int error = execute(opaque, opcode, host->body, len, tail);
			if (error)
				report_error(host, opcode, (uint16_t)error, tail);
		}
		tail = ring_advance(tail, length, size);
		set_cmd_tail(host, tail);
	}
	return 0;
}

int vvmi_event_push(struct vvmi_ring_host *host, enum vvmi_event_type type, const void *body,
		    size_t len)
{
	const uint32_t size = VVMI_EVENT_RING_DATA_BYTES;
	volatile uint8_t *ring = event_ring(host);
	volatile uint8_t *data = ring + VVMI_RING_HEADER_BYTES;

	/* The largest record that fits an empty ring, one slot kept free. */
	if (len > size - VVMI_RECORD_BYTES - 4)
		return -EMSGSIZE;
	const uint32_t length = ring_record_bytes(len);
	const uint32_t tail = ring_load32(ring + RING_FIELD(tail));
	uint32_t at;

	/* head is rewritten either way: a guest that scribbled on it gets the
	 * host's back. */
	if (!ring_offset_valid(tail, size) || !ring_place(size, host->event_head, tail, length, &at)) {
		host->event_dropped++;
		ring_store32(ring + RING_FIELD(dropped), host->event_dropped);
		ring_store32(ring + RING_FIELD(head), host->event_head);
		return -ENOSPC;
	}
	ring_acquire(); /* the guest has read the events it freed */
	if (at != host->event_head)
		ring_write_pad(data, host->event_head, size);
	ring_write_record(data, at, (uint16_t)type, body, len);
	ring_release();
	host->event_head = ring_advance(at, length, size);
	ring_store32(ring + RING_FIELD(head), host->event_head);
	return 0;
}
