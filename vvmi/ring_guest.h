/* ring_guest.h: the guest's end of the VVMI rings, for host tests and as the DOS client's model. */
#ifndef MVM_VVMI_RING_GUEST_H
#define MVM_VVMI_RING_GUEST_H

/*
 * What a guest driver does with the shared region once it found VVMI_ID at
 * VVMI_PORT_ID and checked the region header: it writes commands at the
 * command ring's head and reads events at the event ring's tail. The guest
 * trusts the host, but still refuses a ring header it does not understand
 * (wrong size, an index past it) rather than write outside the ring.
 */

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "ring_layout.h"

/*
 * Writes a command: a record of opcode and len bytes of body, zero-padded to
 * a multiple of 4, after a PAD when it does not fit before the end, keeping
 * one slot free; then advances head. The caller rings the doorbell (once
 * for any number of commands). Returns 0; -ENOSPC when the host has not
 * consumed enough yet (ring the doorbell, try again later); -EMSGSIZE when
 * no command ring could hold len bytes; -EPROTO when the ring header is
 * not one this code speaks.
 */
int vvmi_guest_put(volatile uint8_t *region, uint16_t opcode, const void *body, size_t len);

/*
 * Takes the next event, skipping PADs: its type into *type, its body
 * (whole records, so padded to a multiple of 4) into body, at most cap
 * bytes, and advances tail. Returns the body's length, which may exceed
 * cap (the rest is lost, as with snprintf); -EAGAIN when there is none;
 * -EPROTO when the ring header or a record is malformed.
 */
int vvmi_guest_get_event(volatile uint8_t *region, uint16_t *type, void *body, size_t cap);

#endif
