/* inthook.c: software-interrupt hooks, reflected to the host through HLT stubs in ROM. */
#include "inthook.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"
#include "svc.h"

#define X86_HLT 0xF4
#define X86_IRET 0xCF
/* Offset of the IRET in a stub: where IP points once the SVC is taken. */
#define INTHOOK_IRET_OFFSET 3u

void inthook_init(struct int_hooks *hooks, uint8_t *rom, uint32_t rom_base, uint32_t rom_size)
{
	memset(hooks, 0, sizeof(*hooks));
	hooks->rom = rom;
	hooks->rom_base = rom_base;
	hooks->rom_size = rom_size;
}

void inthook_finish(struct int_hooks *hooks)
{
	free(hooks->hook);
	hooks->hook = NULL;
	hooks->count = 0;
}

int inthook_install(struct int_hooks *hooks, const struct memmap *map, uint8_t vector,
		    vdh_int_fn *fn, void *opaque, const void *owner)
{
	static const uint8_t stub[INTHOOK_STUB_SIZE] = {
		X86_HLT, SVC_INT_HOOK, (uint8_t)~SVC_INT_HOOK, X86_IRET,
	};
	uint32_t offset = hooks->count * INTHOOK_STUB_SIZE;
	uint16_t segment = (uint16_t)(hooks->rom_base >> 4);
	uint8_t vec_entry[4];
	struct int_hook *grown;
	int rc;

	if (offset + INTHOOK_STUB_SIZE > hooks->rom_size)
		return -ENOSPC;
	rc = memmap_read(map, (uint64_t)vector * 4, vec_entry, sizeof(vec_entry));
	if (rc < 0)
		return rc;
	grown = realloc(hooks->hook, (hooks->count + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	hooks->hook = grown;
	hooks->hook[hooks->count] = (struct int_hook){
		.vector = vector,
		.fn = fn,
		.opaque = opaque,
		.owner = owner,
		.previous_offset = (uint16_t)(vec_entry[0] | vec_entry[1] << 8),
		.previous_segment = (uint16_t)(vec_entry[2] | vec_entry[3] << 8),
	};
	memcpy(hooks->rom + offset, stub, sizeof(stub));
	/* The vector now points at the stub (offset first, then segment). */
	vec_entry[0] = (uint8_t)offset;
	vec_entry[1] = (uint8_t)(offset >> 8);
	vec_entry[2] = (uint8_t)segment;
	vec_entry[3] = (uint8_t)(segment >> 8);
	rc = memmap_write(map, (uint64_t)vector * 4, vec_entry, sizeof(vec_entry));
	if (rc < 0)
		return rc;
	hooks->count++;
	return 0;
}

const struct int_hook *inthook_at(const struct int_hooks *hooks, uint64_t linear)
{
	uint64_t offset;
	if (linear < (uint64_t)hooks->rom_base + INTHOOK_IRET_OFFSET)
		return NULL;
	offset = linear - hooks->rom_base - INTHOOK_IRET_OFFSET;
	if (offset % INTHOOK_STUB_SIZE || offset / INTHOOK_STUB_SIZE >= hooks->count)
		return NULL;
	return &hooks->hook[offset / INTHOOK_STUB_SIZE];
}

void inthook_release_owner(struct int_hooks *hooks, const void *owner)
{
	for (unsigned i = 0; i < hooks->count; i++) {
		if (hooks->hook[i].owner == owner) {
			hooks->hook[i].fn = NULL;
			hooks->hook[i].owner = NULL;
		}
	}
}
