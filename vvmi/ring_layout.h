/* ring_layout.h: where the data of VVMI's two rings lies in the shared region, from protocol.h. */
#ifndef MVM_VVMI_RING_LAYOUT_H
#define MVM_VVMI_RING_LAYOUT_H

#include <stdint.h>

#include "protocol.h"

/*
 * VVMI_CMD_RING_BYTES and VVMI_EVENT_RING_BYTES are each ring's whole span,
 * its header included: the command ring's header at 0x0040 followed by a
 * full 0x2000 bytes of data would run 0x20 bytes into the event ring at
 * 0x2040. So a ring's data is its span less the header, and the header's
 * size field says so.
 */
#define VVMI_RING_HEADER_BYTES 32u
#define VVMI_CMD_RING_DATA_BYTES (VVMI_CMD_RING_BYTES - VVMI_RING_HEADER_BYTES)     /* 0x1FE0 */
#define VVMI_EVENT_RING_DATA_BYTES (VVMI_EVENT_RING_BYTES - VVMI_RING_HEADER_BYTES) /* 0x0EE0 */

#define VVMI_RECORD_BYTES 4u

_Static_assert(sizeof(struct vvmi_region_header) == VVMI_CMD_RING_OFFSET,
	       "the command ring follows the region header");
_Static_assert(sizeof(struct vvmi_ring_header) == VVMI_RING_HEADER_BYTES, "ring header size");
_Static_assert(sizeof(struct vvmi_record) == VVMI_RECORD_BYTES, "record header size");
_Static_assert(VVMI_CMD_RING_OFFSET + VVMI_CMD_RING_BYTES == VVMI_EVENT_RING_OFFSET,
	       "the event ring follows the command ring");
_Static_assert(VVMI_EVENT_RING_OFFSET + VVMI_EVENT_RING_BYTES <= VVMI_HEAP_OFFSET,
	       "the event ring ends before the heap");
/* A PAD record can fill the rest of either ring with its 16-bit length. */
_Static_assert(VVMI_CMD_RING_DATA_BYTES % 4 == 0 && VVMI_CMD_RING_DATA_BYTES <= UINT16_MAX,
	       "command ring data size");
_Static_assert(VVMI_EVENT_RING_DATA_BYTES % 4 == 0 && VVMI_EVENT_RING_DATA_BYTES <= UINT16_MAX,
	       "event ring data size");

#endif
