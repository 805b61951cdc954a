/* ring.h: the host's end of the VVMI rings: it sets up the region, runs commands and sends events. */
#ifndef MVM_VVMI_RING_H
#define MVM_VVMI_RING_H

/*
 * A pure library over the shared region (VVMI_REGION_SIZE bytes, 4-byte
 * aligned), which the guest may write at any moment. The host never trusts
 * what the guest can write: the sizes are the host's constants, the host's
 * indices (the command ring's tail, the event ring's head) live in struct
 * vvmi_ring_host and are only copied out to the region, and each command
 * is copied into host memory before anything looks at it.
 *
 * One thread at a time per struct vvmi_ring_host (the VDD's lock): a
 * command callback may push events, but must not consume.
 */

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "ring_layout.h"

/* vvmi_ring_consume stopped at max_records with commands left. */
#define VVMI_RING_MORE 1

/*
 * Executes one command. body is the record after its header, len bytes (a
 * multiple of 4, so it may end in the padding the guest added), in host
 * memory that is valid only during the call; whether len suits opcode is
 * the callee's to check. offset is the record's offset in the ring's data.
 * Returns 0 or an enum vvmi_error_code, which the guest gets as an error
 * event.
 */
typedef int vvmi_command_fn(void *opaque, uint16_t opcode, const void *body, size_t len,
			    uint32_t offset);

struct vvmi_ring_host {
	volatile uint8_t *region;
	uint32_t cmd_tail;      /* the host's; the region's copy only tells the guest */
	uint32_t event_head;    /* the host's; rewritten to the region at each push */
	uint32_t event_dropped; /* the host's; likewise */
	/* The command being executed, copied out of the ring: a record is
	 * shorter than the ring, its body shorter still. */
	alignas(8) uint8_t body[VVMI_CMD_RING_DATA_BYTES];
};

/* Writes the region header and both rings' headers (empty), zeroes the rest
 * of the region, and points host at it. Also how the VDD resets the rings. */
void vvmi_region_init(struct vvmi_ring_host *host, volatile uint8_t *region);

/*
 * Runs the commands the guest published: from the host's tail up to the
 * ring's head, read once on entry, calling execute for each record but PAD
 * and at most max_records records (PADs count) per call, so that a guest
 * cannot keep the host busy; tail is written back after each record. A
 * nonzero return of execute becomes an error event with the record's
 * opcode and offset, and the next record runs.
 *
 * Returns 0 when the ring was drained up to the head it read, VVMI_RING_MORE
 * when max_records stopped it (call again later), or -EPROTO when the guest
 * broke the ring. Then the guest got an error event and the ring is empty:
 *   - a record whose length is below 4, not a multiple of 4, or runs past
 *     head or the end of the data cannot be stepped over: VVMI_ERROR_LENGTH
 *     (the record's opcode and offset), and tail jumps to head, dropping
 *     what follows;
 *   - a ring header whose magic, version or size is not what the host wrote,
 *     whose head is past size or unaligned, or whose tail is not the host's:
 *     VVMI_ERROR_RING (opcode 0, the host's tail as offset). The host
 *     rewrites the header and sets tail to head, or both to 0 when head is
 *     unusable.
 */
int vvmi_ring_consume(struct vvmi_ring_host *host, vvmi_command_fn *execute, void *opaque,
		      unsigned max_records) __attribute__((warn_unused_result));

/*
 * Sends an event: a record of type and len bytes of body (the wire format:
 * a struct vvmi_event_*, little-endian) at the host's head, after a PAD
 * when it does not fit before the end, keeping one slot free. Returns 0,
 * -ENOSPC when the guest has not made room (or its tail is past size or
 * unaligned, which counts as full): the event is dropped and counted in the
 * header's dropped field; or -EMSGSIZE when no event ring could hold len
 * bytes, which is the caller's mistake and is not counted.
 */
int vvmi_event_push(struct vvmi_ring_host *host, enum vvmi_event_type type, const void *body,
		    size_t len);

#endif
