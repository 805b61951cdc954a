/* io.h: the guest's 64 KiB port space and who answers each port. */
#ifndef MVM_IO_H
#define MVM_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "vdh.h"

#define IO_PORTS 0x10000u

struct io_hook {
	uint16_t first;
	uint32_t count;
	const struct vdh_io_ops *ops;
	void *opaque;
	const void *owner;
	const char *owner_name;
};

struct io_space {
	struct io_hook **port; /* IO_PORTS entries, NULL where nothing answers */
	/* One warning per unclaimed port, not one per access. */
	uint8_t *unclaimed_logged;
};

int io_space_init(struct io_space *io) __attribute__((warn_unused_result));
void io_space_finish(struct io_space *io);

/* Claims [first, first + count) for ops; -EBUSY with *conflict set when a
 * port is taken, -EINVAL for a range past 0xFFFF. */
int io_claim(struct io_space *io, uint16_t first, uint32_t count, const struct vdh_io_ops *ops,
	     void *opaque, const void *owner, const char *owner_name,
	     const struct io_hook **conflict) __attribute__((warn_unused_result));
void io_release_owner(struct io_space *io, const void *owner);

/* One guest access of size 1, 2 or 4 bytes. */
uint32_t io_read(struct io_space *io, uint16_t port, unsigned size);
void io_write(struct io_space *io, uint16_t port, unsigned size, uint32_t value);

#endif
