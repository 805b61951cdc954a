/* guest_vvmi.h: bench/seamless's guest: VVMI commands written into a region in memory with the guest's ring code, run by the host's ring code into libvman as the VVMI VDD runs them at a doorbell. */
#ifndef MVM_BENCH_SEAMLESS_GUEST_VVMI_H
#define MVM_BENCH_SEAMLESS_GUEST_VVMI_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"
#include "vman.h"

/*
 * No guest CPU and no VMM: the guest's side is vvmi_guest_put into the
 * region (ring_guest.c, the DOS client library's model), the doorbell is
 * what vvmi_vdd.c does when the guest writes its port: vvmi_ring_consume
 * in batches of 4096 records, each command to the VM's display (here
 * vman_ghi with the region's heap, as the in-process display passes it),
 * VVMI's events pushed to the event ring, and vman_frame after a batch that
 * held a PRESENT.
 */
struct guest_vvmi {
	struct vman *vman;
	struct vman_client *client;
	volatile uint8_t *region; /* VVMI_REGION_SIZE bytes */
	struct vman_heap heap;
	struct vvmi_ring_host host;
	bool present_pending;
	unsigned refused; /* commands vman_ghi refused */
	uint32_t sequence; /* the last PRESENT's */
};

/* A client of vman with its region. 0 or -errno. */
int guest_vvmi_create(struct guest_vvmi *guest, struct vman *vman);
void guest_vvmi_destroy(struct guest_vvmi *guest);

/* Writes a command into the command ring (the guest's side). 0 or -errno
 * (-ENOSPC: ring the doorbell first). */
int guest_vvmi_put(struct guest_vvmi *guest, uint16_t opcode, const void *body, size_t len);

/* Writes a PRESENT with the next sequence. 0 or -errno. */
int guest_vvmi_present(struct guest_vvmi *guest);

/* The host's side of a doorbell. 0, or -errno from the ring or the frame;
 * a refused command counts in refused. */
int guest_vvmi_doorbell(struct guest_vvmi *guest);

/* Reads the event ring as the guest would, so that it never fills:
 * -EPROTO when an error event was there, else 0. */
int guest_vvmi_drain_events(struct guest_vvmi *guest);

#endif
