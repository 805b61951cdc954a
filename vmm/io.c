/* io.c: the guest's 64 KiB port space and who answers each port. */
#include "io.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"

int io_space_init(struct io_space *io)
{
	io->port = calloc(IO_PORTS, sizeof(*io->port));
	io->unclaimed_logged = calloc(IO_PORTS / 8, 1);
	if (!io->port || !io->unclaimed_logged) {
		io_space_finish(io);
		return -ENOMEM;
	}
	return 0;
}

void io_space_finish(struct io_space *io)
{
	if (io->port) {
		for (uint32_t p = 0; p < IO_PORTS; p++) {
			struct io_hook *h = io->port[p];
			if (!h)
				continue;
			for (uint32_t q = h->first; q < h->first + h->count; q++)
				io->port[q] = NULL;
			free(h);
		}
	}
	free(io->port);
	free(io->unclaimed_logged);
	io->port = NULL;
	io->unclaimed_logged = NULL;
}

int io_claim(struct io_space *io, uint16_t first, uint32_t count, const struct vdh_io_ops *ops,
	     void *opaque, const void *owner, const char *owner_name,
	     const struct io_hook **conflict)
{
	struct io_hook *hook;

	if (count == 0 || count > IO_PORTS - first)
		return -EINVAL;
	for (uint32_t p = first; p < first + count; p++) {
		if (io->port[p]) {
			*conflict = io->port[p];
			return -EBUSY;
		}
	}
	hook = malloc(sizeof(*hook));
	if (!hook)
		return -ENOMEM;
	*hook = (struct io_hook){ first, count, ops, opaque, owner, owner_name };
	for (uint32_t p = first; p < first + count; p++)
		io->port[p] = hook;
	return 0;
}

void io_release_owner(struct io_space *io, const void *owner)
{
	for (uint32_t p = 0; p < IO_PORTS; p++) {
		struct io_hook *h = io->port[p];
		if (!h || h->owner != owner || h->first != p)
			continue;
		for (uint32_t q = p; q < p + h->count; q++)
			io->port[q] = NULL;
		free(h);
	}
}

static void io_note_unclaimed(struct io_space *io, uint16_t port, bool is_write)
{
	uint8_t bit = (uint8_t)(1u << (port & 7));
	if (!log_enabled(LOG_DEBUG) || (io->unclaimed_logged[port >> 3] & bit))
		return;
	io->unclaimed_logged[port >> 3] |= bit;
	log_debug("guest %s port 0x%04x, which no VDD claims (later accesses not logged)",
		  is_write ? "wrote" : "read", port);
}

/* The hook answering all of [port, port + size) by itself, or NULL. */
static const struct io_hook *io_whole(const struct io_space *io, uint16_t port, unsigned size)
{
	const struct io_hook *h = io->port[port];
	if (!h || (uint32_t)port + size > (uint32_t)h->first + h->count)
		return NULL;
	return h;
}

static uint8_t io_read8(struct io_space *io, uint32_t port)
{
	const struct io_hook *h;
	if (port >= IO_PORTS)
		return 0xFF;
	h = io->port[port];
	if (!h) {
		io_note_unclaimed(io, (uint16_t)port, false);
		return 0xFF;
	}
	return h->ops->inb ? h->ops->inb(h->opaque, (uint16_t)port) : 0xFF;
}

static void io_write8(struct io_space *io, uint32_t port, uint8_t value)
{
	const struct io_hook *h;
	if (port >= IO_PORTS)
		return;
	h = io->port[port];
	if (!h) {
		io_note_unclaimed(io, (uint16_t)port, true);
		return;
	}
	if (h->ops->outb)
		h->ops->outb(h->opaque, (uint16_t)port, value);
}

static uint16_t io_read16(struct io_space *io, uint32_t port)
{
	const struct io_hook *h = port < IO_PORTS ? io_whole(io, (uint16_t)port, 2) : NULL;
	uint8_t low, high;
	if (h && h->ops->inw)
		return h->ops->inw(h->opaque, (uint16_t)port);
	/* Low port first, as the AT bus splits it: index/data pairs depend on the order. */
	low = io_read8(io, port);
	high = io_read8(io, port + 1);
	return (uint16_t)(low | high << 8);
}

static void io_write16(struct io_space *io, uint32_t port, uint16_t value)
{
	const struct io_hook *h = port < IO_PORTS ? io_whole(io, (uint16_t)port, 2) : NULL;
	if (h && h->ops->outw) {
		h->ops->outw(h->opaque, (uint16_t)port, value);
		return;
	}
	io_write8(io, port, (uint8_t)value);
	io_write8(io, port + 1, (uint8_t)(value >> 8));
}

uint32_t io_read(struct io_space *io, uint16_t port, unsigned size)
{
	const struct io_hook *h;
	uint16_t low;
	switch (size) {
	case 1:
		return io_read8(io, port);
	case 2:
		return io_read16(io, port);
	default:
		h = io_whole(io, port, 4);
		if (h && h->ops->ind)
			return h->ops->ind(h->opaque, port);
		low = io_read16(io, port);
		return low | (uint32_t)io_read16(io, (uint32_t)port + 2) << 16;
	}
}

void io_write(struct io_space *io, uint16_t port, unsigned size, uint32_t value)
{
	const struct io_hook *h;
	switch (size) {
	case 1:
		io_write8(io, port, (uint8_t)value);
		return;
	case 2:
		io_write16(io, port, (uint16_t)value);
		return;
	default:
		h = io_whole(io, port, 4);
		if (h && h->ops->outd) {
			h->ops->outd(h->opaque, port, value);
			return;
		}
		io_write16(io, port, (uint16_t)value);
		io_write16(io, (uint32_t)port + 2, (uint16_t)(value >> 16));
	}
}
