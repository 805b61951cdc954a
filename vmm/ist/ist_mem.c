/* ist_mem.c: the IST's page table of host pointers and the slow memory path. */
#include "ist_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../memmap.h"
#include "ist_cache.h"

static void *ist_table(size_t bytes)
{
	/* Most entries are never touched: the kernel backs what is. */
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int ist_mem_init(struct ist_cpu *cpu)
{
	cpu->rd_page = ist_table(IST_PAGES * sizeof(*cpu->rd_page));
	cpu->wr_page = ist_table(IST_PAGES * sizeof(*cpu->wr_page));
	cpu->page_kind = ist_table(IST_PAGES);
	cpu->a20_mask = 0xFFFFFFFFu;
	if (!cpu->rd_page || !cpu->wr_page || !cpu->page_kind) {
		ist_mem_finish(cpu);
		return -ENOMEM;
	}
	return 0;
}

void ist_mem_finish(struct ist_cpu *cpu)
{
	if (cpu->rd_page)
		munmap(cpu->rd_page, IST_PAGES * sizeof(*cpu->rd_page));
	if (cpu->wr_page)
		munmap(cpu->wr_page, IST_PAGES * sizeof(*cpu->wr_page));
	if (cpu->page_kind)
		munmap(cpu->page_kind, IST_PAGES);
	free(cpu->mapped);
	cpu->rd_page = cpu->wr_page = NULL;
	cpu->page_kind = NULL;
	cpu->mapped = NULL;
	cpu->mapped_count = 0;
}

enum ist_page_kind ist_page_kind(const struct ist_cpu *cpu, uint32_t page)
{
	return (enum ist_page_kind)cpu->page_kind[page];
}

void ist_mem_rebuild(struct ist_cpu *cpu, const struct memmap *map)
{
	uint32_t *mapped;

	for (size_t r = 0; r < cpu->mapped_count; r++) {
		for (uint32_t p = cpu->mapped[2 * r]; p < cpu->mapped[2 * r + 1]; p++) {
			cpu->rd_page[p] = cpu->wr_page[p] = NULL;
			cpu->page_kind[p] = IST_PAGE_NONE;
		}
	}
	cpu->mapped_count = 0;
	mapped = realloc(cpu->mapped, (map->flat_count + 1) * 2 * sizeof(*mapped));
	if (mapped)
		cpu->mapped = mapped;
	for (size_t s = 0; s < map->flat_count && mapped; s++) {
		const struct mem_segment *seg = &map->flat[s];
		enum mem_kind kind = seg->mapping->kind;
		uint64_t end = seg->base + seg->size;
		uint32_t first, last;
		if (kind == MEM_MMIO || seg->base >= (1ull << 32))
			continue;
		if (end > (1ull << 32))
			end = 1ull << 32;
		first = (uint32_t)(seg->base >> IST_PAGE_SHIFT);
		last = (uint32_t)(end >> IST_PAGE_SHIFT);
		for (uint32_t p = first; p < last; p++) {
			uint8_t *host = seg->mapping->host +
					((uint64_t)p * IST_PAGE_SIZE - seg->mapping->base);
			cpu->rd_page[p] = host;
			cpu->wr_page[p] = kind == MEM_RAM ? host : NULL;
			cpu->page_kind[p] = kind == MEM_RAM ? IST_PAGE_RAM : IST_PAGE_ROM;
		}
		cpu->mapped[2 * cpu->mapped_count] = first;
		cpu->mapped[2 * cpu->mapped_count + 1] = last;
		cpu->mapped_count++;
	}
	/* Whatever was decoded came from the old map. */
	ist_cache_flush(cpu);
}

/* One access inside one page that has no host memory: a device's. */
static bool ist_is_device_access(const struct ist_cpu *cpu, uint32_t phys, unsigned size)
{
	return (phys & IST_PAGE_MASK) + size <= IST_PAGE_SIZE &&
	       cpu->page_kind[phys >> IST_PAGE_SHIFT] == IST_PAGE_NONE;
}

uint32_t ist_read_slow(struct ist_cpu *cpu, uint32_t lin, unsigned size)
{
	uint32_t phys = ist_phys(cpu, lin), value = 0;
	uint8_t data[4] = { 0 };

	if (ist_is_device_access(cpu, phys, size)) {
		cpu->bus.mmio(cpu->bus.opaque, phys, data, size, false);
		ist_yield(cpu);
		memcpy(&value, data, size);
		return value;
	}
	/* Byte by byte, each translated: crossing a page or the A20 wrap. */
	for (unsigned k = 0; k < size; k++) {
		uint32_t p = ist_phys(cpu, lin + k);
		const uint8_t *page = cpu->rd_page[p >> IST_PAGE_SHIFT];
		uint8_t b;
		if (page) {
			b = page[p & IST_PAGE_MASK];
		} else {
			cpu->bus.mmio(cpu->bus.opaque, p, &b, 1, false);
			ist_yield(cpu);
		}
		value |= (uint32_t)b << (8 * k);
	}
	return value;
}

/* memcpy of 1, 2 or 4 bytes, without a call for the size known only here. */
static inline void ist_store(uint8_t *to, const uint8_t *from, unsigned size)
{
	switch (size) {
	case 4:
		memcpy(to, from, 4);
		break;
	case 2:
		memcpy(to, from, 2);
		break;
	default:
		for (unsigned k = 0; k < size; k++)
			to[k] = from[k];
	}
}

/* Writes [phys, phys + size), inside one page. */
static void ist_write_in_page(struct ist_cpu *cpu, uint32_t phys, uint8_t *data,
			      unsigned size)
{
	uint32_t page = phys >> IST_PAGE_SHIFT;
	switch ((enum ist_page_kind)cpu->page_kind[page]) {
	case IST_PAGE_RAM:
		if (!cpu->wr_page[page])
			ist_cache_write(cpu, phys, size);
		ist_store(cpu->rd_page[page] + (phys & IST_PAGE_MASK), data, size);
		break;
	case IST_PAGE_ROM:
		break; /* a ROM ignores writes */
	case IST_PAGE_NONE:
		cpu->bus.mmio(cpu->bus.opaque, phys, data, size, true);
		ist_yield(cpu);
		break;
	}
}

void ist_write_slow(struct ist_cpu *cpu, uint32_t lin, uint32_t value, unsigned size)
{
	uint32_t phys = ist_phys(cpu, lin);
	uint8_t data[4];

	memcpy(data, &value, 4);
	/* Inside one page, A20 masks every byte alike: one write. */
	if ((phys & IST_PAGE_MASK) + size <= IST_PAGE_SIZE) {
		ist_write_in_page(cpu, phys, data, size);
		return;
	}
	/* Byte by byte, each translated: crossing a page or the A20 wrap. */
	for (unsigned k = 0; k < size; k++)
		ist_write_in_page(cpu, ist_phys(cpu, lin + k), &data[k], 1);
}
