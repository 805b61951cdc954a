/* test_memmap.c: the guest-physical memory map: stacking, the flat view, copies and CPU exits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "memmap.h"

#define PAGE MEMMAP_PAGE_SIZE

/* Owners only need distinct addresses. */
static const int owner_a, owner_b;

/* What an MMIO device saw: one entry per handler call. */
struct mmio_call {
	void *opaque;
	uint64_t gpa;
	unsigned len;
	bool is_write;
	uint8_t data[8];
};

struct mmio_dev {
	struct mmio_call calls[16];
	unsigned ncalls;
	uint8_t read_base; /* a read of gpa returns read_base + (gpa & 0xFF) per byte */
};

/* What the CPU backend saw on each change of the map. */
struct changed_log {
	unsigned calls;
	int fail_calls;         /* this many calls fail with -EIO before the rest succeed */
	size_t flat_count[8];   /* the flat view's size at each call */
	size_t mapping_count[8];
};

struct fixture {
	struct memmap map;
	struct mmio_dev mmio;
	struct changed_log changed;
	uint8_t ram[16 * PAGE];
	uint8_t ram2[4 * PAGE];
	uint8_t rom[2 * PAGE];
};

static void mmio_handler(void *opaque, uint64_t gpa, void *data, unsigned len, bool is_write)
{
	struct mmio_dev *dev = opaque;
	struct mmio_call *call;

	assert_true(dev->ncalls < sizeof(dev->calls) / sizeof(dev->calls[0]));
	assert_true(len <= sizeof(call->data));
	call = &dev->calls[dev->ncalls++];
	call->opaque = opaque;
	call->gpa = gpa;
	call->len = len;
	call->is_write = is_write;
	if (is_write) {
		memcpy(call->data, data, len);
		return;
	}
	for (unsigned i = 0; i < len; i++)
		((uint8_t *)data)[i] = (uint8_t)(dev->read_base + ((gpa + i) & 0xFF));
}

static int changed_cb(void *opaque, const struct memmap *map)
{
	struct changed_log *log = opaque;

	if (log->calls < 8) {
		log->flat_count[log->calls] = map->flat_count;
		log->mapping_count[log->calls] = map->mapping_count;
	}
	log->calls++;
	if (log->fail_calls > 0) {
		log->fail_calls--;
		return -EIO;
	}
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	memmap_init(&f->map);
	/* Distinct contents, so a copy from the wrong offset shows. */
	for (size_t i = 0; i < sizeof(f->ram); i++)
		f->ram[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(f->ram2); i++)
		f->ram2[i] = (uint8_t)(i * 3 + 0x40);
	for (size_t i = 0; i < sizeof(f->rom); i++)
		f->rom[i] = (uint8_t)(0xC0 ^ i);
	f->mmio.read_base = 0x10;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	memmap_finish(&f->map);
	free(f);
	return 0;
}

static struct mem_mapping host_mapping(enum mem_kind kind, uint8_t *host, uint64_t base,
				       uint64_t size, const void *owner)
{
	return (struct mem_mapping){ .base = base, .size = size, .kind = kind, .host = host,
				     .owner = owner, .name = "test" };
}

static struct mem_mapping *add_host(struct fixture *f, enum mem_kind kind, uint8_t *host,
				    uint64_t base, uint64_t size, const void *owner)
{
	struct mem_mapping m = host_mapping(kind, host, base, size, owner);
	struct mem_mapping *out = NULL;

	assert_int_equal(memmap_add(&f->map, &m, &out), 0);
	assert_non_null(out);
	return out;
}

static struct mem_mapping *add_mmio(struct fixture *f, uint64_t base, uint64_t size,
				    const void *owner)
{
	struct mem_mapping m = { .base = base, .size = size, .kind = MEM_MMIO,
				 .mmio = mmio_handler, .opaque = &f->mmio, .owner = owner,
				 .name = "mmio" };
	struct mem_mapping *out = NULL;

	assert_int_equal(memmap_add(&f->map, &m, &out), 0);
	assert_non_null(out);
	return out;
}

static void assert_segment(const struct memmap *map, size_t i, uint64_t base, uint64_t size,
			   const struct mem_mapping *mapping)
{
	assert_true(i < map->flat_count);
	assert_int_equal(map->flat[i].base, base);
	assert_int_equal(map->flat[i].size, size);
	assert_ptr_equal(map->flat[i].mapping, mapping);
}

/* ---- adding: what memmap_add accepts ---- */

static void test_empty_map_has_nothing_mapped(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->map.flat_count, 0);
	assert_null(memmap_lookup(&f->map, 0));
	assert_null(memmap_host(&f->map, 0, 1, false));
}

static void test_add_refuses_unaligned_base(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, f->ram, 0x800, PAGE, NULL);

	assert_int_equal(memmap_add(&f->map, &m, NULL), -EINVAL);
	assert_int_equal(f->map.mapping_count, 0);
	assert_int_equal(f->map.flat_count, 0);
}

static void test_add_refuses_unaligned_size(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, f->ram, 0, PAGE + 1, NULL);

	assert_int_equal(memmap_add(&f->map, &m, NULL), -EINVAL);
	assert_int_equal(f->map.mapping_count, 0);
}

static void test_add_refuses_empty_mapping(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, f->ram, 0, 0, NULL);

	assert_int_equal(memmap_add(&f->map, &m, NULL), -EINVAL);
	assert_int_equal(f->map.mapping_count, 0);
}

static void test_add_refuses_range_wrapping_past_top_of_address_space(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, f->ram, UINT64_MAX - PAGE + 1, 2 * PAGE,
					    NULL);

	assert_int_equal(memmap_add(&f->map, &m, NULL), -EINVAL);
	assert_int_equal(f->map.mapping_count, 0);
}

static void test_add_refuses_ram_without_host_memory(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, NULL, 0, PAGE, NULL);

	assert_int_equal(memmap_add(&f->map, &m, NULL), -EINVAL);
	assert_int_equal(f->map.mapping_count, 0);
}

static void test_add_refuses_mmio_without_handler(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = { .base = 0, .size = PAGE, .kind = MEM_MMIO };

	assert_int_equal(memmap_add(&f->map, &m, NULL), -EINVAL);
	assert_int_equal(f->map.mapping_count, 0);
}

static void test_add_keeps_a_copy_of_the_mapping(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, f->ram, 0, PAGE, &owner_a);
	struct mem_mapping *out = NULL;

	assert_int_equal(memmap_add(&f->map, &m, &out), 0);
	/* The caller's struct may live on its stack: changing it must not move the map. */
	m.base = 8 * PAGE;
	m.host = f->ram2;
	assert_non_null(out);
	assert_ptr_not_equal(out, &m);
	assert_int_equal(out->base, 0);
	assert_ptr_equal(out->host, f->ram);
	assert_ptr_equal(out->owner, &owner_a);
	assert_ptr_equal(memmap_lookup(&f->map, 0)->mapping, out);
}

static void test_add_accepts_null_handle(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping m = host_mapping(MEM_RAM, f->ram, 0, PAGE, NULL);

	assert_int_equal(memmap_add(&f->map, &m, NULL), 0);
	assert_int_equal(f->map.mapping_count, 1);
	assert_non_null(memmap_lookup(&f->map, 0));
}

/* ---- the flat view ---- */

static void test_lookup_covers_exactly_the_mapped_range(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 4 * PAGE, 2 * PAGE, NULL);

	assert_null(memmap_lookup(&f->map, 4 * PAGE - 1));
	assert_ptr_equal(memmap_lookup(&f->map, 4 * PAGE)->mapping, ram);
	assert_ptr_equal(memmap_lookup(&f->map, 6 * PAGE - 1)->mapping, ram);
	assert_null(memmap_lookup(&f->map, 6 * PAGE));
	assert_int_equal(f->map.flat_count, 1);
	assert_segment(&f->map, 0, 4 * PAGE, 2 * PAGE, ram);
}

static void test_mapping_on_top_hides_lower_one(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	struct mem_mapping *rom = add_host(f, MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, NULL);

	/* The RAM is split around the ROM, not replaced. */
	assert_int_equal(f->map.flat_count, 3);
	assert_segment(&f->map, 0, 0, 4 * PAGE, ram);
	assert_segment(&f->map, 1, 4 * PAGE, 2 * PAGE, rom);
	assert_segment(&f->map, 2, 6 * PAGE, 10 * PAGE, ram);
	assert_ptr_equal(memmap_lookup(&f->map, 5 * PAGE)->mapping, rom);
}

static void test_mapping_on_top_covering_all_of_lower_one_hides_it_entirely(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram2, 2 * PAGE, 2 * PAGE, NULL);
	struct mem_mapping *top = add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);

	/* The lower mapping's edges split the space, but every piece is top's: one segment. */
	assert_int_equal(f->map.flat_count, 1);
	assert_segment(&f->map, 0, 0, 16 * PAGE, top);
}

static void test_flat_view_is_sorted_with_holes_left_out(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *high = add_host(f, MEM_RAM, f->ram2, 10 * PAGE, 2 * PAGE, NULL);
	struct mem_mapping *low = add_host(f, MEM_RAM, f->ram, 0, 2 * PAGE, NULL);
	struct mem_mapping *mid = add_mmio(f, 4 * PAGE, PAGE, NULL);

	assert_int_equal(f->map.flat_count, 3);
	assert_segment(&f->map, 0, 0, 2 * PAGE, low);
	assert_segment(&f->map, 1, 4 * PAGE, PAGE, mid);
	assert_segment(&f->map, 2, 10 * PAGE, 2 * PAGE, high);
	assert_null(memmap_lookup(&f->map, 3 * PAGE));
	assert_null(memmap_lookup(&f->map, 9 * PAGE));
	assert_null(memmap_lookup(&f->map, 12 * PAGE));
}

static void test_adjacent_mappings_stay_separate_segments(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *a = add_host(f, MEM_RAM, f->ram, 0, 2 * PAGE, NULL);
	struct mem_mapping *b = add_host(f, MEM_RAM, f->ram2, 2 * PAGE, 2 * PAGE, NULL);

	/* Merging them would make host pointers run from one buffer into the other. */
	assert_int_equal(f->map.flat_count, 2);
	assert_segment(&f->map, 0, 0, 2 * PAGE, a);
	assert_segment(&f->map, 1, 2 * PAGE, 2 * PAGE, b);
}

static void test_mapping_above_4g_is_found(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0x100000000ull, PAGE, NULL);

	assert_ptr_equal(memmap_lookup(&f->map, 0x100000000ull + 5)->mapping, ram);
	assert_null(memmap_lookup(&f->map, 5));
}

/* ---- removal ---- */

static void test_removal_uncovers_lower_mapping(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	struct mem_mapping *rom = add_host(f, MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, &owner_a);

	memmap_remove(&f->map, rom);
	assert_int_equal(f->map.mapping_count, 1);
	/* The RAM's pieces join again into one segment. */
	assert_int_equal(f->map.flat_count, 1);
	assert_segment(&f->map, 0, 0, 16 * PAGE, ram);
	assert_ptr_equal(memmap_host(&f->map, 5 * PAGE, 1, true), f->ram + 5 * PAGE);
}

static void test_removal_of_lower_mapping_keeps_upper_one(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	struct mem_mapping *rom = add_host(f, MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, NULL);

	memmap_remove(&f->map, ram);
	assert_int_equal(f->map.flat_count, 1);
	assert_segment(&f->map, 0, 4 * PAGE, 2 * PAGE, rom);
	assert_null(memmap_lookup(&f->map, 0));
}

static void test_removal_of_unknown_mapping_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	struct mem_mapping stranger = host_mapping(MEM_RAM, f->ram2, 0, PAGE, NULL);

	f->map.changed = changed_cb;
	f->map.changed_opaque = &f->changed;
	memmap_remove(&f->map, &stranger);
	assert_int_equal(f->map.mapping_count, 1);
	assert_segment(&f->map, 0, 0, PAGE, ram);
	assert_int_equal(f->changed.calls, 0);
}

static void test_remove_owner_removes_all_and_only_its_mappings(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);

	add_host(f, MEM_ROM, f->rom, 2 * PAGE, 2 * PAGE, &owner_a);
	struct mem_mapping *b = add_host(f, MEM_RAM, f->ram2, 8 * PAGE, 2 * PAGE, &owner_b);
	add_mmio(f, 12 * PAGE, PAGE, &owner_a);

	memmap_remove_owner(&f->map, &owner_a);
	assert_int_equal(f->map.mapping_count, 2);
	assert_int_equal(f->map.flat_count, 3);
	assert_segment(&f->map, 0, 0, 8 * PAGE, ram);
	assert_segment(&f->map, 1, 8 * PAGE, 2 * PAGE, b);
	assert_segment(&f->map, 2, 10 * PAGE, 6 * PAGE, ram);
}

static void test_remove_owner_null_keeps_machine_layout(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);

	/* NULL marks the machine's own layout, which no VDD teardown may take away. */
	memmap_remove_owner(&f->map, NULL);
	assert_int_equal(f->map.mapping_count, 1);
	assert_segment(&f->map, 0, 0, PAGE, ram);
}

/* ---- conflicts ---- */

static void test_conflict_with_other_owners_overlapping_mapping(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *a = add_host(f, MEM_RAM, f->ram2, 4 * PAGE, 2 * PAGE, &owner_a);

	assert_ptr_equal(memmap_find_conflict(&f->map, 5 * PAGE, 4 * PAGE, &owner_b), a);
	assert_ptr_equal(memmap_find_conflict(&f->map, 0, 4 * PAGE + 1, &owner_b), a);
	assert_ptr_equal(memmap_find_conflict(&f->map, 6 * PAGE - 1, 1, &owner_b), a);
}

static void test_no_conflict_with_adjacent_mapping(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram2, 4 * PAGE, 2 * PAGE, &owner_a);
	assert_null(memmap_find_conflict(&f->map, 0, 4 * PAGE, &owner_b));
	assert_null(memmap_find_conflict(&f->map, 6 * PAGE, PAGE, &owner_b));
}

static void test_no_conflict_with_own_mapping(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram2, 4 * PAGE, 2 * PAGE, &owner_a);
	assert_null(memmap_find_conflict(&f->map, 4 * PAGE, 2 * PAGE, &owner_a));
}

static void test_no_conflict_with_machine_layout(void **state)
{
	struct fixture *f = *state;

	/* A VDD may lay its ROM or MMIO over the machine's RAM; that is what stacking is for. */
	add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	assert_null(memmap_find_conflict(&f->map, 4 * PAGE, 2 * PAGE, &owner_a));
}

static void test_conflict_found_below_machine_layout(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *a = add_host(f, MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, &owner_a);

	/* Hidden under a later machine mapping, a's range is still a's. */
	add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	assert_ptr_equal(memmap_find_conflict(&f->map, 4 * PAGE, PAGE, &owner_b), a);
}

/* ---- host pointers ---- */

static void test_host_pointer_into_ram(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram, 4 * PAGE, 4 * PAGE, NULL);
	assert_ptr_equal(memmap_host(&f->map, 4 * PAGE + 0x123, 16, true), f->ram + 0x123);
	assert_ptr_equal(memmap_host(&f->map, 4 * PAGE, 4 * PAGE, false), f->ram);
}

static void test_host_pointer_counts_from_mapping_not_segment(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	add_host(f, MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, NULL);
	/* The RAM segment after the ROM starts at 6 pages but still maps ram + 6 pages. */
	assert_ptr_equal(memmap_host(&f->map, 6 * PAGE + 8, 1, true), f->ram + 6 * PAGE + 8);
	assert_ptr_equal(memmap_host(&f->map, 5 * PAGE + 8, 1, false), f->rom + PAGE + 8);
}

static void test_host_pointer_into_rom_only_for_reading(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_ROM, f->rom, 0, 2 * PAGE, NULL);
	assert_ptr_equal(memmap_host(&f->map, 0x10, 4, false), f->rom + 0x10);
	assert_null(memmap_host(&f->map, 0x10, 4, true));
}

static void test_host_pointer_refused_for_mmio_and_unmapped(void **state)
{
	struct fixture *f = *state;

	add_mmio(f, 0, PAGE, NULL);
	assert_null(memmap_host(&f->map, 0, 1, false));
	assert_null(memmap_host(&f->map, PAGE, 1, false));
}

static void test_host_pointer_refused_past_end_of_segment(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	add_host(f, MEM_RAM, f->ram2, PAGE, PAGE, NULL);
	/* Both sides are RAM, but in different host buffers: no single pointer covers both. */
	assert_ptr_equal(memmap_host(&f->map, PAGE - 4, 4, true), f->ram + PAGE - 4);
	assert_null(memmap_host(&f->map, PAGE - 4, 5, true));
}

/* ---- copies between guest and host ---- */

static void test_read_copies_across_mappings(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[16], want[16];

	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	add_host(f, MEM_ROM, f->rom, PAGE, PAGE, NULL);
	memcpy(want, f->ram + PAGE - 8, 8);
	memcpy(want + 8, f->rom, 8);
	assert_int_equal(memmap_read(&f->map, PAGE - 8, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_write_copies_across_ram_mappings(void **state)
{
	struct fixture *f = *state;
	const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	add_host(f, MEM_RAM, f->ram2, PAGE, PAGE, NULL);
	assert_int_equal(memmap_write(&f->map, PAGE - 3, data, sizeof(data)), 0);
	assert_memory_equal(f->ram + PAGE - 3, data, 3);
	assert_memory_equal(f->ram2, data + 3, 5);
}

static void test_write_refuses_rom(void **state)
{
	struct fixture *f = *state;
	const uint8_t data[4] = { 0xDE, 0xAD, 0xBE, 0xEF };
	uint8_t before[sizeof(f->rom)];

	add_host(f, MEM_ROM, f->rom, 0, 2 * PAGE, NULL);
	memcpy(before, f->rom, sizeof(before));
	assert_int_equal(memmap_write(&f->map, 0x100, data, sizeof(data)), -EFAULT);
	assert_memory_equal(f->rom, before, sizeof(before));
}

static void test_read_refuses_mmio(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[4];

	/* A copy must not have side effects on a device. */
	add_mmio(f, 0, PAGE, NULL);
	assert_int_equal(memmap_read(&f->map, 0, buf, sizeof(buf)), -EFAULT);
	assert_int_equal(memmap_write(&f->map, 0, buf, sizeof(buf)), -EFAULT);
	assert_int_equal(f->mmio.ncalls, 0);
}

static void test_read_refuses_unmapped(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[4];

	assert_int_equal(memmap_read(&f->map, 0x1000, buf, sizeof(buf)), -EFAULT);
	assert_int_equal(memmap_write(&f->map, 0x1000, buf, sizeof(buf)), -EFAULT);
}

static void test_read_running_into_hole_faults(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8];

	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	assert_int_equal(memmap_read(&f->map, PAGE - 4, buf, sizeof(buf)), -EFAULT);
}

static void test_copy_of_zero_bytes_succeeds_anywhere(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[1];

	assert_int_equal(memmap_read(&f->map, 0x5000, buf, 0), 0);
	assert_int_equal(memmap_write(&f->map, 0x5000, buf, 0), 0);
}

/* ---- memmap_access: what the CPU could not do itself ---- */

static void test_access_hands_mmio_write_to_handler(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = { 0x11, 0x22, 0x33, 0x44 };

	add_mmio(f, 0xA0000, 16 * PAGE, NULL);
	memmap_access(&f->map, 0xA0010, data, 4, true);
	assert_int_equal(f->mmio.ncalls, 1);
	assert_ptr_equal(f->mmio.calls[0].opaque, &f->mmio);
	/* The handler gets the guest-physical address, not an offset into its range. */
	assert_int_equal(f->mmio.calls[0].gpa, 0xA0010);
	assert_int_equal(f->mmio.calls[0].len, 4);
	assert_true(f->mmio.calls[0].is_write);
	assert_memory_equal(f->mmio.calls[0].data, data, 4);
}

static void test_access_takes_mmio_read_from_handler(void **state)
{
	struct fixture *f = *state;
	uint8_t data[2] = { 0, 0 };

	add_mmio(f, 0xA0000, 16 * PAGE, NULL);
	memmap_access(&f->map, 0xA0020, data, 2, false);
	assert_int_equal(f->mmio.ncalls, 1);
	assert_int_equal(f->mmio.calls[0].gpa, 0xA0020);
	assert_int_equal(f->mmio.calls[0].len, 2);
	assert_false(f->mmio.calls[0].is_write);
	assert_int_equal(data[0], 0x30);
	assert_int_equal(data[1], 0x31);
}

static void test_access_drops_rom_write(void **state)
{
	struct fixture *f = *state;
	uint8_t data[2] = { 0xAA, 0x55 };
	uint8_t before[sizeof(f->rom)];

	add_host(f, MEM_ROM, f->rom, 0xF0000, 2 * PAGE, NULL);
	memcpy(before, f->rom, sizeof(before));
	memmap_access(&f->map, 0xF0004, data, 2, true);
	assert_memory_equal(f->rom, before, sizeof(before));
}

static void test_access_reads_rom(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4];

	add_host(f, MEM_ROM, f->rom, 0xF0000, 2 * PAGE, NULL);
	memmap_access(&f->map, 0xF1000, data, 4, false);
	assert_memory_equal(data, f->rom + PAGE, 4);
}

static void test_access_reads_and_writes_ram(void **state)
{
	struct fixture *f = *state;
	uint8_t in[4] = { 9, 8, 7, 6 }, out[4];

	add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	memmap_access(&f->map, 0x2345, in, 4, true);
	assert_memory_equal(f->ram + 0x2345, in, 4);
	memmap_access(&f->map, 0x2345, out, 4, false);
	assert_memory_equal(out, in, 4);
}

static void test_access_reads_unmapped_as_all_ones(void **state)
{
	struct fixture *f = *state;
	uint8_t data[8] = { 0 };
	const uint8_t ones[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

	memmap_access(&f->map, 0xC0000, data, 8, false);
	assert_memory_equal(data, ones, 8);
}

static void test_access_drops_unmapped_write(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = { 1, 2, 3, 4 };
	uint8_t before[sizeof(f->ram)];

	/* The write lands in the hole between two mappings and must touch neither. */
	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	add_mmio(f, 2 * PAGE, PAGE, NULL);
	memcpy(before, f->ram, sizeof(before));
	memmap_access(&f->map, PAGE + 8, data, 4, true);
	assert_memory_equal(f->ram, before, sizeof(before));
	assert_int_equal(f->mmio.ncalls, 0);
	assert_int_equal(data[0], 1);
}

static void test_access_straddling_ram_and_mmio_splits_per_byte(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = { 0xA1, 0xB2, 0xC3, 0xD4 };

	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	add_mmio(f, PAGE, PAGE, NULL);
	memmap_access(&f->map, PAGE - 2, data, 4, true);
	assert_int_equal(f->ram[PAGE - 2], 0xA1);
	assert_int_equal(f->ram[PAGE - 1], 0xB2);
	assert_int_equal(f->mmio.ncalls, 2);
	assert_int_equal(f->mmio.calls[0].gpa, PAGE);
	assert_int_equal(f->mmio.calls[0].len, 1);
	assert_int_equal(f->mmio.calls[0].data[0], 0xC3);
	assert_int_equal(f->mmio.calls[1].gpa, PAGE + 1);
	assert_int_equal(f->mmio.calls[1].len, 1);
	assert_int_equal(f->mmio.calls[1].data[0], 0xD4);
}

static void test_access_straddling_ram_and_hole_reads_ones_in_hole(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = { 0 };

	add_host(f, MEM_RAM, f->ram, 0, PAGE, NULL);
	memmap_access(&f->map, PAGE - 2, data, 4, false);
	assert_int_equal(data[0], f->ram[PAGE - 2]);
	assert_int_equal(data[1], f->ram[PAGE - 1]);
	assert_int_equal(data[2], 0xFF);
	assert_int_equal(data[3], 0xFF);
}

static void test_access_starting_in_hole_reaches_following_mapping(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = { 0 };

	add_host(f, MEM_ROM, f->rom, PAGE, PAGE, NULL);
	memmap_access(&f->map, PAGE - 2, data, 4, false);
	assert_int_equal(data[0], 0xFF);
	assert_int_equal(data[1], 0xFF);
	assert_int_equal(data[2], f->rom[0]);
	assert_int_equal(data[3], f->rom[1]);
}

static void test_access_straddling_mmio_and_rom_drops_rom_part_of_write(void **state)
{
	struct fixture *f = *state;
	uint8_t data[2] = { 0x5A, 0xA5 };
	uint8_t rom0 = f->rom[0];

	add_mmio(f, 0, PAGE, NULL);
	add_host(f, MEM_ROM, f->rom, PAGE, PAGE, NULL);
	memmap_access(&f->map, PAGE - 1, data, 2, true);
	assert_int_equal(f->mmio.ncalls, 1);
	assert_int_equal(f->mmio.calls[0].gpa, PAGE - 1);
	assert_int_equal(f->mmio.calls[0].data[0], 0x5A);
	assert_int_equal(f->rom[0], rom0);
}

/* ---- the changed() callback ---- */

static void test_changed_runs_after_add_and_remove_with_new_view(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *rom;

	f->map.changed = changed_cb;
	f->map.changed_opaque = &f->changed;
	add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	rom = add_host(f, MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, &owner_a);
	memmap_remove(&f->map, rom);
	/* The backend must see each view already rebuilt, or it would map stale segments. */
	assert_int_equal(f->changed.calls, 3);
	assert_int_equal(f->changed.flat_count[0], 1);
	assert_int_equal(f->changed.flat_count[1], 3);
	assert_int_equal(f->changed.flat_count[2], 1);
}

static void test_changed_runs_once_for_remove_owner(void **state)
{
	struct fixture *f = *state;

	add_host(f, MEM_RAM, f->ram, 0, PAGE, &owner_a);
	add_host(f, MEM_RAM, f->ram2, PAGE, PAGE, &owner_a);
	f->map.changed = changed_cb;
	f->map.changed_opaque = &f->changed;
	memmap_remove_owner(&f->map, &owner_a);
	assert_int_equal(f->changed.calls, 1);
	assert_int_equal(f->changed.flat_count[0], 0);
	memmap_remove_owner(&f->map, &owner_b);
	assert_int_equal(f->changed.calls, 1);
}

static void test_failed_changed_rolls_back_add(void **state)
{
	struct fixture *f = *state;
	struct mem_mapping *ram = add_host(f, MEM_RAM, f->ram, 0, 16 * PAGE, NULL);
	struct mem_mapping rom = host_mapping(MEM_ROM, f->rom, 4 * PAGE, 2 * PAGE, &owner_a);
	struct mem_mapping *out = NULL;

	f->map.changed = changed_cb;
	f->map.changed_opaque = &f->changed;
	f->changed.fail_calls = 1;
	assert_int_equal(memmap_add(&f->map, &rom, &out), -EIO);
	assert_null(out);
	assert_int_equal(f->map.mapping_count, 1);
	assert_int_equal(f->map.flat_count, 1);
	assert_segment(&f->map, 0, 0, 16 * PAGE, ram);
	/* The backend already saw the refused view, so it is told of the restored one. */
	assert_int_equal(f->changed.calls, 2);
	assert_int_equal(f->changed.mapping_count[0], 2);
	assert_int_equal(f->changed.flat_count[0], 3);
	assert_int_equal(f->changed.mapping_count[1], 1);
	assert_int_equal(f->changed.flat_count[1], 1);
	assert_null(memmap_find_conflict(&f->map, 4 * PAGE, PAGE, &owner_b));
}

#define MEMMAP_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		MEMMAP_TEST(test_empty_map_has_nothing_mapped),
		MEMMAP_TEST(test_add_refuses_unaligned_base),
		MEMMAP_TEST(test_add_refuses_unaligned_size),
		MEMMAP_TEST(test_add_refuses_empty_mapping),
		MEMMAP_TEST(test_add_refuses_range_wrapping_past_top_of_address_space),
		MEMMAP_TEST(test_add_refuses_ram_without_host_memory),
		MEMMAP_TEST(test_add_refuses_mmio_without_handler),
		MEMMAP_TEST(test_add_keeps_a_copy_of_the_mapping),
		MEMMAP_TEST(test_add_accepts_null_handle),
		MEMMAP_TEST(test_lookup_covers_exactly_the_mapped_range),
		MEMMAP_TEST(test_mapping_on_top_hides_lower_one),
		MEMMAP_TEST(test_mapping_on_top_covering_all_of_lower_one_hides_it_entirely),
		MEMMAP_TEST(test_flat_view_is_sorted_with_holes_left_out),
		MEMMAP_TEST(test_adjacent_mappings_stay_separate_segments),
		MEMMAP_TEST(test_mapping_above_4g_is_found),
		MEMMAP_TEST(test_removal_uncovers_lower_mapping),
		MEMMAP_TEST(test_removal_of_lower_mapping_keeps_upper_one),
		MEMMAP_TEST(test_removal_of_unknown_mapping_changes_nothing),
		MEMMAP_TEST(test_remove_owner_removes_all_and_only_its_mappings),
		MEMMAP_TEST(test_remove_owner_null_keeps_machine_layout),
		MEMMAP_TEST(test_conflict_with_other_owners_overlapping_mapping),
		MEMMAP_TEST(test_no_conflict_with_adjacent_mapping),
		MEMMAP_TEST(test_no_conflict_with_own_mapping),
		MEMMAP_TEST(test_no_conflict_with_machine_layout),
		MEMMAP_TEST(test_conflict_found_below_machine_layout),
		MEMMAP_TEST(test_host_pointer_into_ram),
		MEMMAP_TEST(test_host_pointer_counts_from_mapping_not_segment),
		MEMMAP_TEST(test_host_pointer_into_rom_only_for_reading),
		MEMMAP_TEST(test_host_pointer_refused_for_mmio_and_unmapped),
		MEMMAP_TEST(test_host_pointer_refused_past_end_of_segment),
		MEMMAP_TEST(test_read_copies_across_mappings),
		MEMMAP_TEST(test_write_copies_across_ram_mappings),
		MEMMAP_TEST(test_write_refuses_rom),
		MEMMAP_TEST(test_read_refuses_mmio),
		MEMMAP_TEST(test_read_refuses_unmapped),
		MEMMAP_TEST(test_read_running_into_hole_faults),
		MEMMAP_TEST(test_copy_of_zero_bytes_succeeds_anywhere),
		MEMMAP_TEST(test_access_hands_mmio_write_to_handler),
		MEMMAP_TEST(test_access_takes_mmio_read_from_handler),
		MEMMAP_TEST(test_access_drops_rom_write),
		MEMMAP_TEST(test_access_reads_rom),
		MEMMAP_TEST(test_access_reads_and_writes_ram),
		MEMMAP_TEST(test_access_reads_unmapped_as_all_ones),
		MEMMAP_TEST(test_access_drops_unmapped_write),
		MEMMAP_TEST(test_access_straddling_ram_and_mmio_splits_per_byte),
		MEMMAP_TEST(test_access_straddling_ram_and_hole_reads_ones_in_hole),
		MEMMAP_TEST(test_access_starting_in_hole_reaches_following_mapping),
		MEMMAP_TEST(test_access_straddling_mmio_and_rom_drops_rom_part_of_write),
		MEMMAP_TEST(test_changed_runs_after_add_and_remove_with_new_view),
		MEMMAP_TEST(test_changed_runs_once_for_remove_owner),
		MEMMAP_TEST(test_failed_changed_rolls_back_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
