/* memmap.c: the guest-physical memory map: RAM, ROM and MMIO ranges, one flat view. */
#include "memmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void memmap_init(struct memmap *map)
{
	memset(map, 0, sizeof(*map));
}

void memmap_finish(struct memmap *map)
{
	for (size_t i = 0; i < map->mapping_count; i++)
		free(map->mappings[i]);
	free(map->mappings);
	free(map->flat);
	memset(map, 0, sizeof(*map));
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The topmost mapping covering all of [lo, hi), or NULL. */
static const struct mem_mapping *memmap_top(const struct memmap *map, uint64_t lo, uint64_t hi)
{
	for (size_t i = map->mapping_count; i-- > 0;) {
		const struct mem_mapping *m = map->mappings[i];
		if (m->base <= lo && hi <= m->base + m->size)
			return m;
	}
	return NULL;
}

/* Recomputes the flat view from the stack of mappings: every boundary of
 * every mapping splits the address space; each piece goes to the topmost
 * mapping covering it; neighbouring pieces of one mapping merge. */
static int memmap_rebuild(struct memmap *map)
{
	size_t npoints = map->mapping_count * 2;
	uint64_t *points = malloc((npoints ? npoints : 1) * sizeof(*points));
	struct mem_segment *flat = malloc((npoints ? npoints : 1) * sizeof(*flat));
	size_t nflat = 0;

	if (!points || !flat) {
		free(points);
		free(flat);
		return -ENOMEM;
	}
	for (size_t i = 0; i < map->mapping_count; i++) {
		points[2 * i] = map->mappings[i]->base;
		points[2 * i + 1] = map->mappings[i]->base + map->mappings[i]->size;
	}
	qsort(points, npoints, sizeof(*points), compare_u64);
	for (size_t i = 0; i + 1 < npoints; i++) {
		uint64_t lo = points[i], hi = points[i + 1];
		const struct mem_mapping *top;
		if (lo == hi || !(top = memmap_top(map, lo, hi)))
			continue;
		if (nflat && flat[nflat - 1].mapping == top &&
		    flat[nflat - 1].base + flat[nflat - 1].size == lo) {
			flat[nflat - 1].size += hi - lo;
			continue;
		}
		flat[nflat++] = (struct mem_segment){ lo, hi - lo, top };
	}
	free(points);
	free(map->flat);
	map->flat = flat;
	map->flat_count = nflat;
	return map->changed ? map->changed(map->changed_opaque, map) : 0;
}

static void memmap_unlink(struct memmap *map, size_t index)
{
	free(map->mappings[index]);
	memmove(&map->mappings[index], &map->mappings[index + 1],
		(map->mapping_count - index - 1) * sizeof(*map->mappings));
	map->mapping_count--;
}

int memmap_add(struct memmap *map, const struct mem_mapping *mapping, struct mem_mapping **out)
{
	struct mem_mapping *copy, **grown;
	int rc;

	if (mapping->size == 0 || mapping->base % MEMMAP_PAGE_SIZE ||
	    mapping->size % MEMMAP_PAGE_SIZE || mapping->base + mapping->size < mapping->base ||
	    (mapping->kind == MEM_MMIO ? !mapping->mmio : !mapping->host))
		return -EINVAL;
	copy = malloc(sizeof(*copy));
	grown = realloc(map->mappings, (map->mapping_count + 1) * sizeof(*grown));
	if (!copy || !grown) {
		free(copy);
		if (grown)
			map->mappings = grown;
		return -ENOMEM;
	}
	*copy = *mapping;
	map->mappings = grown;
	map->mappings[map->mapping_count++] = copy;
	rc = memmap_rebuild(map);
	if (rc < 0) {
		memmap_unlink(map, map->mapping_count - 1);
		memmap_rebuild(map);
		return rc;
	}
	if (out)
		*out = copy;
	return 0;
}

void memmap_remove(struct memmap *map, struct mem_mapping *mapping)
{
	for (size_t i = 0; i < map->mapping_count; i++) {
		if (map->mappings[i] == mapping) {
			memmap_unlink(map, i);
			memmap_rebuild(map);
			return;
		}
	}
}

void memmap_remove_owner(struct memmap *map, const void *owner)
{
	bool removed = false;
	for (size_t i = map->mapping_count; i-- > 0;) {
		if (owner && map->mappings[i]->owner == owner) {
			memmap_unlink(map, i);
			removed = true;
		}
	}
	if (removed)
		memmap_rebuild(map);
}

const struct mem_mapping *memmap_find_conflict(const struct memmap *map, uint64_t base,
					       uint64_t size, const void *owner)
{
	for (size_t i = 0; i < map->mapping_count; i++) {
		const struct mem_mapping *m = map->mappings[i];
		if (m->owner && m->owner != owner && base < m->base + m->size &&
		    m->base < base + size)
			return m;
	}
	return NULL;
}

const struct mem_segment *memmap_lookup(const struct memmap *map, uint64_t gpa)
{
	size_t lo = 0, hi = map->flat_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mem_segment *s = &map->flat[mid];
		if (gpa < s->base)
			hi = mid;
		else if (gpa - s->base >= s->size)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

static uint8_t *segment_host(const struct mem_segment *s, uint64_t gpa)
{
	return s->mapping->host + (gpa - s->mapping->base);
}

void *memmap_host(const struct memmap *map, uint64_t gpa, size_t len, bool for_write)
{
	const struct mem_segment *s = memmap_lookup(map, gpa);
	if (!s || s->mapping->kind == MEM_MMIO || (for_write && s->mapping->kind == MEM_ROM))
		return NULL;
	if (len > s->size - (gpa - s->base))
		return NULL;
	return segment_host(s, gpa);
}

/* Walks [gpa, gpa + len) segment by segment over host memory; all or
 * nothing: a range that is not all RAM (or ROM, reading) copies nothing. */
static int memmap_copy(const struct memmap *map, uint64_t gpa, uint8_t *buf, size_t len,
		       bool to_guest)
{
	for (uint64_t at = gpa, left = len; left;) {
		const struct mem_segment *s = memmap_lookup(map, at);
		uint64_t chunk;
		if (!s || s->mapping->kind == MEM_MMIO || (to_guest && s->mapping->kind == MEM_ROM))
			return -EFAULT;
		chunk = s->size - (at - s->base);
		chunk = chunk < left ? chunk : left;
		at += chunk;
		left -= chunk;
	}
	while (len) {
		const struct mem_segment *s = memmap_lookup(map, gpa);
		size_t chunk = s->size - (gpa - s->base);
		if (chunk > len)
			chunk = len;
		if (to_guest)
			memcpy(segment_host(s, gpa), buf, chunk);
		else
			memcpy(buf, segment_host(s, gpa), chunk);
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int memmap_read(const struct memmap *map, uint64_t gpa, void *buf, size_t len)
{
	return memmap_copy(map, gpa, buf, len, false);
}

int memmap_write(const struct memmap *map, uint64_t gpa, const void *buf, size_t len)
{
	return memmap_copy(map, gpa, (uint8_t *)buf, len, true);
}

static void memmap_access_within(const struct mem_segment *s, uint64_t gpa, uint8_t *data,
				 unsigned len, bool is_write)
{
	if (!s) {
		if (!is_write)
			memset(data, 0xFF, len); /* nothing drives the bus */
		return;
	}
	switch (s->mapping->kind) {
	case MEM_MMIO:
		s->mapping->mmio(s->mapping->opaque, gpa, data, len, is_write);
		break;
	case MEM_ROM:
		if (!is_write)
			memcpy(data, segment_host(s, gpa), len);
		break;
	case MEM_RAM:
		if (is_write)
			memcpy(segment_host(s, gpa), data, len);
		else
			memcpy(data, segment_host(s, gpa), len);
		break;
	}
}

void memmap_access(const struct memmap *map, uint64_t gpa, void *data, unsigned len,
		   bool is_write)
{
	const struct mem_segment *s = memmap_lookup(map, gpa);
	uint64_t seg_end = s ? s->base + s->size : 0;

	if (s && gpa + len <= seg_end) {
		memmap_access_within(s, gpa, data, len, is_write);
		return;
	}
	/* Straddles a boundary or is unmapped: byte by byte, each to its owner. */
	for (unsigned i = 0; i < len; i++)
		memmap_access_within(memmap_lookup(map, gpa + i), gpa + i, (uint8_t *)data + i, 1,
				     is_write);
}
