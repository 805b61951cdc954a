/* guest_vvmi.c: bench/seamless's guest: VVMI commands written into a region in memory with the guest's ring code, run by the host's ring code into libvman as the VVMI VDD runs them at a doorbell. */
#include "guest_vvmi.h"

#include <errno.h>
#include <stdlib.h>

#include "protocol.h"
#include "ring_guest.h"

/* vvmi_vdd.c's batch. */
#define BATCH_RECORDS 4096u

/* As the VDD's event handler: only VVMI's own types reach the guest. */
static void guest_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct guest_vvmi *guest = opaque;

	if (type < VVMI_EVENT_POINTER || type > VVMI_EVENT_ERROR)
		return;
	(void)vvmi_event_push(&guest->host, type, body, len);
}

static int guest_execute(void *opaque, uint16_t opcode, const void *body, size_t len,
			 uint32_t offset)
{
	struct guest_vvmi *guest = opaque;
	int rc = vman_ghi(guest->client, opcode, body, len, &guest->heap);

	if (rc)
		guest->refused++;
	else if (opcode == VVMI_CMD_PRESENT)
		guest->present_pending = true;
	return rc;
}

int guest_vvmi_create(struct guest_vvmi *guest, struct vman *vman)
{
	*guest = (struct guest_vvmi){ .vman = vman };
	guest->region = aligned_alloc(4096, VVMI_REGION_SIZE);
	if (!guest->region)
		return -ENOMEM;
	/* The region first: a new client is told at once that it is in the
	 * foreground. */
	vvmi_region_init(&guest->host, guest->region);
	guest->heap = (struct vman_heap){ .base = guest->region, .heap_start = VVMI_HEAP_OFFSET,
					  .size = VVMI_REGION_SIZE };
	guest->client = vman_client_create(vman, "bench_seamless", guest_event, guest);
	if (!guest->client) {
		free((void *)guest->region);
		guest->region = NULL;
		return -ENOMEM;
	}
	return 0;
}

void guest_vvmi_destroy(struct guest_vvmi *guest)
{
	vman_client_destroy(guest->client);
	free((void *)guest->region);
	guest->client = NULL;
	guest->region = NULL;
}

int guest_vvmi_put(struct guest_vvmi *guest, uint16_t opcode, const void *body, size_t len)
{
	return vvmi_guest_put(guest->region, opcode, body, len);
}

int guest_vvmi_present(struct guest_vvmi *guest)
{
	struct vvmi_present present = { .sequence = ++guest->sequence };

	return guest_vvmi_put(guest, VVMI_CMD_PRESENT, &present, sizeof(present));
}

int guest_vvmi_doorbell(struct guest_vvmi *guest)
{
	int rc = vvmi_ring_consume(&guest->host, guest_execute, guest, BATCH_RECORDS);

	if (rc < 0)
		return rc;
	if (guest->present_pending) {
		guest->present_pending = false;
		rc = vman_frame(guest->vman);
	}
	return rc < 0 ? rc : 0;
}

int guest_vvmi_drain_events(struct guest_vvmi *guest)
{
	uint8_t body[64];
	uint16_t type;
	int rc, error = 0;

	while ((rc = vvmi_guest_get_event(guest->region, &type, body, sizeof(body))) >= 0)
		if (type == VVMI_EVENT_ERROR)
			error = -EPROTO;
	return rc == -EAGAIN ? error : rc;
}
