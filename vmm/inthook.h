/* inthook.h: software-interrupt hooks, reflected to the host through HLT stubs in ROM. */
#ifndef MVM_INTHOOK_H
#define MVM_INTHOOK_H

#include <stdint.h>

#include "vdh.h"

struct memmap;

/* Each hook owns a 4-byte stub `hlt; db SVC_INT_HOOK; db ~SVC_INT_HOOK;
 * iret` in the VMM's ROM block; the real-mode vector points at the stub and
 * the vector's previous value is kept for chaining. */
#define INTHOOK_STUB_SIZE 4u

struct int_hook {
	uint8_t vector;
	vdh_int_fn *fn; /* NULL once its owner is gone: the stub just chains */
	void *opaque;
	const void *owner;
	uint16_t previous_segment, previous_offset;
};

struct int_hooks {
	uint8_t *rom;      /* host view of the ROM block */
	uint32_t rom_base; /* guest-physical, 16-byte aligned */
	uint32_t rom_size;
	struct int_hook *hook; /* hook i's stub is at rom_base + i * INTHOOK_STUB_SIZE */
	unsigned count;
};

void inthook_init(struct int_hooks *hooks, uint8_t *rom, uint32_t rom_base, uint32_t rom_size);
void inthook_finish(struct int_hooks *hooks);

/* Points vector at a new stub; -ENOSPC when the ROM block is full. */
int inthook_install(struct int_hooks *hooks, const struct memmap *map, uint8_t vector,
		    vdh_int_fn *fn, void *opaque, const void *owner)
	__attribute__((warn_unused_result));

/* The hook whose stub's SVC ends just before linear (the guest's IP after
 * the SVC), or NULL when linear is not inside a stub. */
const struct int_hook *inthook_at(const struct int_hooks *hooks, uint64_t linear);

void inthook_release_owner(struct int_hooks *hooks, const void *owner);

#endif
