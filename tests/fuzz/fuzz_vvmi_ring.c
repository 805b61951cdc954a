/* fuzz_vvmi_ring.c: libFuzzer target: a guest that writes anything into the VVMI rings between
 * doorbells. The host never reads or writes outside the region and its own buffers, and a
 * guest that only uses the rings as the protocol says gets every command run and every event. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "ring.h"
#include "ring_guest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct guest {
	bool cmd_ring_written;   /* by something other than vvmi_guest_put */
	bool event_ring_written; /* by something other than vvmi_guest_get_event */
	size_t commands_put;
	size_t commands_run;
};

static int execute(void *opaque, uint16_t opcode, const void *body, size_t len, uint32_t offset)
{
	struct guest *guest = opaque;
	const uint8_t *bytes = body;
	uint8_t sum = 0;

	if (opcode == VVMI_CMD_PAD || len % 4 || len > VVMI_CMD_RING_DATA_BYTES - 8 ||
	    offset >= VVMI_CMD_RING_DATA_BYTES || offset % 4)
		abort();
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + bytes[i]);
	guest->commands_run++;
	/* Fail some, so that error events go out too. */
	return (sum + opcode) % 4 == 0 ? VVMI_ERROR_VALUE : 0;
}

static uint32_t load32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store32(volatile uint8_t *p, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(value >> (8 * i));
}

static void check_host(const struct vvmi_ring_host *host)
{
	if (host->cmd_tail >= VVMI_CMD_RING_DATA_BYTES || host->cmd_tail % 4 ||
	    host->event_head >= VVMI_EVENT_RING_DATA_BYTES || host->event_head % 4)
		abort();
}

static void doorbell(struct vvmi_ring_host *host, struct guest *guest, unsigned max_records)
{
	const int result = vvmi_ring_consume(host, execute, guest, max_records);
	if (result != 0 && result != VVMI_RING_MORE && result != -EPROTO)
		abort();
	if (result == -EPROTO && !guest->cmd_ring_written)
		abort();
	/* Whatever the guest wrote, the host left its own tail there. */
	if (load32(host->region + VVMI_CMD_RING_OFFSET + offsetof(struct vvmi_ring_header, tail)) !=
	    host->cmd_tail)
		abort();
	check_host(host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vvmi_ring_host host;
	struct input in = { data, size };
	struct guest guest = { 0 };
	volatile uint8_t *region = aligned_alloc(4096, VVMI_REGION_SIZE);
	uint8_t buffer[VVMI_CMD_RING_DATA_BYTES];
	size_t len;

	if (!region)
		return 0;
	vvmi_region_init(&host, region);
	while (in.size) {
		switch (take(&in, 1) % 6) {
		case 0: { /* the guest writes bytes anywhere in the rings */
			const uint32_t at = VVMI_CMD_RING_OFFSET +
					    take(&in, 2) % (VVMI_HEAP_OFFSET - VVMI_CMD_RING_OFFSET);
			const uint8_t *bytes = take_bytes(&in, take(&in, 1), &len);
			if (len > VVMI_HEAP_OFFSET - at)
				len = VVMI_HEAP_OFFSET - at;
			for (size_t i = 0; i < len; i++)
				region[at + i] = bytes[i];
			guest.cmd_ring_written |= at < VVMI_EVENT_RING_OFFSET;
			guest.event_ring_written |= at + len > VVMI_EVENT_RING_OFFSET;
			break;
		}
		case 1: { /* one word of a ring header, where the indices are */
			const uint32_t field = take(&in, 1);
			const uint32_t ring = field & 1 ? VVMI_EVENT_RING_OFFSET : VVMI_CMD_RING_OFFSET;
			store32(region + ring + (field >> 1) % 8 * 4, take(&in, 4));
			guest.cmd_ring_written |= ring == VVMI_CMD_RING_OFFSET;
			guest.event_ring_written |= ring == VVMI_EVENT_RING_OFFSET;
			break;
		}
		case 2: { /* a command as the protocol says */
			const uint16_t opcode = (uint16_t)(1 + take(&in, 1) % (VVMI_CMD_COUNT - 1));
			const uint8_t *body = take_bytes(&in, take(&in, 2) % sizeof(buffer), &len);
			const int result = vvmi_guest_put(region, opcode, body, len);
			guest.commands_put += result == 0;
			break;
		}
		case 3:
			doorbell(&host, &guest, take(&in, 1));
			break;
		case 4: { /* the host sends an event */
			const enum vvmi_event_type type = take(&in, 1) % (VVMI_EVENT_ERROR + 1);
			const uint8_t *body = take_bytes(&in, take(&in, 2) % 0x1000, &len);
			const int result = vvmi_event_push(&host, type, body, len);
			if (result != 0 && result != -ENOSPC && result != -EMSGSIZE)
				abort();
			check_host(&host);
			break;
		}
		case 5: { /* the guest takes an event */
			uint16_t type;
			const int result = vvmi_guest_get_event(region, &type, buffer,
								take(&in, 2) % sizeof(buffer));
			if (result == -EPROTO && !guest.event_ring_written)
				abort();
			break;
		}
		}
	}
	/* The last doorbell: a guest that kept to the protocol got every
	 * command run. */
	doorbell(&host, &guest, UINT_MAX);
	if (!guest.cmd_ring_written && guest.commands_run != guest.commands_put)
		abort();
	free((void *)(uintptr_t)region);
	return 0;
}
