/* memmap.h: the guest-physical memory map: RAM, ROM and MMIO ranges, one flat view. */
#ifndef MVM_MEMMAP_H
#define MVM_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMMAP_PAGE_SIZE 4096u

enum mem_kind {
	MEM_RAM,  /* host memory, guest reads and writes it */
	MEM_ROM,  /* host memory, guest writes are dropped */
	MEM_MMIO, /* every access goes to a handler */
};

typedef void mem_mmio_fn(void *opaque, uint64_t gpa, void *data, unsigned len, bool is_write);

/* One range somebody mapped. Later mappings lie on top of earlier ones;
 * removing one uncovers what lay below. */
struct mem_mapping {
	uint64_t base, size;
	enum mem_kind kind;
	uint8_t *host;      /* RAM, ROM: host address of base */
	mem_mmio_fn *mmio;  /* MMIO */
	void *opaque;
	const void *owner;  /* who mapped it; NULL for the machine's own layout */
	const char *name;   /* for messages: "conventional memory", "vvga" */
};

/* A piece of the flat view: [base, base + size) is served by mapping, or
 * by nothing (mapping == NULL: reads as all ones, writes are dropped). */
struct mem_segment {
	uint64_t base, size;
	const struct mem_mapping *mapping;
};

struct memmap {
	struct mem_mapping **mappings; /* bottom first */
	size_t mapping_count;
	struct mem_segment *flat;      /* sorted, non-overlapping, only mapped pieces */
	size_t flat_count;
	/* Called after every change, so a CPU backend can update its view. */
	int (*changed)(void *opaque, const struct memmap *map);
	void *changed_opaque;
};

void memmap_init(struct memmap *map);
void memmap_finish(struct memmap *map);

/* Adds a copy of *mapping on top; base and size page-aligned. Returns 0 or
 * a negative errno; *out (may be NULL) is the handle for memmap_remove. */
int memmap_add(struct memmap *map, const struct mem_mapping *mapping,
	       struct mem_mapping **out) __attribute__((warn_unused_result));
void memmap_remove(struct memmap *map, struct mem_mapping *mapping);
/* Removes every mapping of owner. */
void memmap_remove_owner(struct memmap *map, const void *owner);

/* A mapping by someone other than owner (and not the machine's layout)
 * that overlaps [base, base + size), or NULL. */
const struct mem_mapping *memmap_find_conflict(const struct memmap *map, uint64_t base,
					       uint64_t size, const void *owner);

/* The segment holding gpa, or NULL when gpa is unmapped. */
const struct mem_segment *memmap_lookup(const struct memmap *map, uint64_t gpa);

/* Host pointer to [gpa, gpa + len) when all of it is one RAM (or, unless
 * for_write, ROM) mapping; else NULL. */
void *memmap_host(const struct memmap *map, uint64_t gpa, size_t len, bool for_write);

/* Copies between the guest and a host buffer across mappings; RAM and ROM
 * only (writes refuse ROM). Returns 0 or -EFAULT. */
int memmap_read(const struct memmap *map, uint64_t gpa, void *buf, size_t len);
int memmap_write(const struct memmap *map, uint64_t gpa, const void *buf, size_t len);

/* A guest access that the CPU could not do on host memory itself: MMIO,
 * a ROM write, or an unmapped address. */
void memmap_access(const struct memmap *map, uint64_t gpa, void *data, unsigned len,
		   bool is_write);

#endif
