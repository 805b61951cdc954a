/* test_dos_mcb.c: the DOS memory arena (48h, 49h, 4Ah, 58h) over an array standing in for guest memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dos_errors.h"
#include "dos_test_mem.h"
#include "dos_mcb.h"


#define FIRST_MCB 0x1000u
#define ARENA_END 0xA000u
#define ARENA_FREE (ARENA_END - FIRST_MCB - 1u) /* the whole arena as one block */
#define OWNER_A 0x0100u
#define OWNER_B 0x0200u


static uint8_t *mcb_at(uint32_t segment)
{
	return guest + (segment << 4);
}

static uint16_t mcb_owner(uint32_t segment)
{
	return (uint16_t)(mcb_at(segment)[1] | mcb_at(segment)[2] << 8);
}

static uint16_t mcb_size(uint32_t segment)
{
	return (uint16_t)(mcb_at(segment)[3] | mcb_at(segment)[4] << 8);
}

static void put_mcb(uint32_t segment, uint8_t type, uint16_t owner, uint16_t size)
{
	uint8_t *p = mcb_at(segment);
	p[0] = type;
	p[1] = (uint8_t)owner;
	p[2] = (uint8_t)(owner >> 8);
	p[3] = (uint8_t)size;
	p[4] = (uint8_t)(size >> 8);
}

struct expected_mcb {
	uint32_t segment;
	uint8_t type;
	uint16_t owner;
	uint16_t size;
};

/* The chain from FIRST_MCB is exactly expected, and dos_mcb_check agrees. */
static void assert_chain(const struct expected_mcb *expected, size_t count)
{
	uint32_t segment = FIRST_MCB;
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(segment, expected[i].segment);
		assert_int_equal(mcb_at(segment)[0], expected[i].type);
		assert_int_equal(mcb_owner(segment), expected[i].owner);
		assert_int_equal(mcb_size(segment), expected[i].size);
		segment += 1u + mcb_size(segment);
	}
	assert_int_equal(segment, ARENA_END);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static int setup(void **state)
{
	(void)state;
	memset(guest, 0xCC, sizeof(guest));
	return dos_mcb_init(&mem, FIRST_MCB, ARENA_END);
}

static uint16_t alloc_ok(uint16_t paras, uint16_t owner, enum dos_fit fit)
{
	uint16_t segment = 0, largest = 0xBEEF;
	assert_int_equal(dos_mcb_alloc(&mem, FIRST_MCB, paras, owner, fit, &segment, &largest), 0);
	assert_int_equal(largest, 0xBEEF);
	return segment;
}

/*
 * Owned blocks with holes between them: [A 0x100][hole 0x40][A 0x10]
 * [hole 0x20][A 0x10][free rest]. The holes are freed, not joined: the next
 * allocation walk sees them as they are.
 */
#define HOLE1_MCB (FIRST_MCB + 0x101u)
#define HOLE2_MCB (HOLE1_MCB + 0x41u + 0x11u)
#define TAIL_MCB (HOLE2_MCB + 0x21u + 0x11u)
#define TAIL_FREE (ARENA_END - TAIL_MCB - 1u)

static void make_holes(void)
{
	alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	uint16_t hole1 = alloc_ok(0x40, OWNER_A, DOS_FIT_FIRST);
	alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t hole2 = alloc_ok(0x20, OWNER_A, DOS_FIT_FIRST);
	alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	assert_int_equal(hole1, HOLE1_MCB + 1u);
	assert_int_equal(hole2, HOLE2_MCB + 1u);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, hole1), 0);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, hole2), 0);
}

static void test_init_makes_one_free_z_block(void **state)
{
	(void)state;
	const struct expected_mcb chain[] = { { FIRST_MCB, 'Z', 0, ARENA_FREE } };
	assert_chain(chain, 1);
	/* An empty name, not the bytes the paragraph held. */
	for (int i = 8; i < 16; i++)
		assert_int_equal(mcb_at(FIRST_MCB)[i], 0);
}

static void test_init_refuses_an_arena_the_walk_would_reject(void **state)
{
	(void)state;
	assert_int_equal(dos_mcb_init(&mem, FIRST_MCB, FIRST_MCB), DOS_EMCB);
	assert_int_equal(dos_mcb_init(&mem, FIRST_MCB, FIRST_MCB - 1u), DOS_EMCB);
	assert_int_equal(dos_mcb_init(&mem, FIRST_MCB, ARENA_END + 1u), DOS_EMCB);
	/* Upper memory is an arena of its own, up to the top of the megabyte. */
	assert_int_equal(dos_mcb_init(&mem, 0xC800, 0xF000), 0);
	assert_int_equal(dos_mcb_check(&mem, 0xC800), 0);
}

static void test_first_fit_splits_the_block_from_its_bottom(void **state)
{
	(void)state;
	assert_int_equal(alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST), FIRST_MCB + 1u);
	const struct expected_mcb chain[] = {
		{ FIRST_MCB, 'M', OWNER_A, 0x100 },
		{ FIRST_MCB + 0x101u, 'Z', 0, ARENA_FREE - 0x101u },
	};
	assert_chain(chain, 2);
}

static void test_zero_paragraphs_is_a_block_of_size_zero(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0, OWNER_A, DOS_FIT_FIRST);
	uint16_t b = alloc_ok(0, OWNER_B, DOS_FIT_FIRST);
	assert_int_equal(a, FIRST_MCB + 1u);
	assert_int_equal(b, FIRST_MCB + 2u);
	const struct expected_mcb chain[] = {
		{ FIRST_MCB, 'M', OWNER_A, 0 },
		{ FIRST_MCB + 1u, 'M', OWNER_B, 0 },
		{ FIRST_MCB + 2u, 'Z', 0, ARENA_FREE - 2u },
	};
	assert_chain(chain, 3);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, a), 0);
}

static void test_exact_fit_takes_the_whole_block(void **state)
{
	(void)state;
	assert_int_equal(alloc_ok(ARENA_FREE, OWNER_A, DOS_FIT_LAST), FIRST_MCB + 1u);
	const struct expected_mcb chain[] = { { FIRST_MCB, 'Z', OWNER_A, ARENA_FREE } };
	assert_chain(chain, 1);
}

static void test_first_fit_takes_the_lowest_hole_that_fits(void **state)
{
	(void)state;
	make_holes();
	assert_int_equal(alloc_ok(0x18, OWNER_B, DOS_FIT_FIRST), HOLE1_MCB + 1u);
	assert_int_equal(mcb_size(HOLE1_MCB), 0x18);
	assert_int_equal(mcb_owner(HOLE1_MCB), OWNER_B);
	/* The rest of the hole stays free behind it. */
	assert_int_equal(mcb_at(HOLE1_MCB + 0x19u)[0], 'M');
	assert_int_equal(mcb_owner(HOLE1_MCB + 0x19u), 0);
	assert_int_equal(mcb_size(HOLE1_MCB + 0x19u), 0x40 - 0x19);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static void test_best_fit_takes_the_smallest_hole_that_fits(void **state)
{
	(void)state;
	make_holes();
	assert_int_equal(alloc_ok(0x18, OWNER_B, DOS_FIT_BEST), HOLE2_MCB + 1u);
	assert_int_equal(mcb_owner(HOLE1_MCB), 0);
	assert_int_equal(mcb_size(HOLE1_MCB), 0x40);
	assert_int_equal(mcb_owner(HOLE2_MCB), OWNER_B);
	assert_int_equal(mcb_size(HOLE2_MCB), 0x18);
	/* Too big for both holes: the tail is the only, so the best, fit. */
	assert_int_equal(alloc_ok(0x41, OWNER_B, DOS_FIT_BEST), TAIL_MCB + 1u);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static void test_best_fit_takes_the_lowest_of_equal_holes(void **state)
{
	(void)state;
	uint16_t low = alloc_ok(0x20, OWNER_A, DOS_FIT_FIRST);
	alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t high = alloc_ok(0x20, OWNER_A, DOS_FIT_FIRST);
	alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, high), 0);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, low), 0);
	assert_int_equal(alloc_ok(0x20, OWNER_B, DOS_FIT_BEST), low);
	assert_int_equal(alloc_ok(0x20, OWNER_B, DOS_FIT_BEST), high);
}

static void test_last_fit_carves_the_top_of_the_highest_fitting_block(void **state)
{
	(void)state;
	make_holes();
	uint16_t top = alloc_ok(0x18, OWNER_B, DOS_FIT_LAST);
	assert_int_equal(top, ARENA_END - 0x18u);
	/* The new MCB sits inside the old free block, which keeps the bottom. */
	assert_int_equal(mcb_at(top - 1u)[0], 'Z');
	assert_int_equal(mcb_owner(top - 1u), OWNER_B);
	assert_int_equal(mcb_size(top - 1u), 0x18);
	assert_int_equal(mcb_at(TAIL_MCB)[0], 'M');
	assert_int_equal(mcb_owner(TAIL_MCB), 0);
	assert_int_equal(mcb_size(TAIL_MCB), TAIL_FREE - 0x19u);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);

	/* With the tail gone, the highest block that fits is the second hole. */
	alloc_ok(mcb_size(TAIL_MCB), OWNER_A, DOS_FIT_FIRST);
	uint16_t in_hole = alloc_ok(0x8, OWNER_B, DOS_FIT_LAST);
	assert_int_equal(in_hole, HOLE2_MCB + 1u + 0x20u - 0x8u);
	assert_int_equal(mcb_size(HOLE2_MCB), 0x20 - 0x9);
	assert_int_equal(mcb_owner(HOLE2_MCB), 0);
	assert_int_equal(mcb_at(in_hole - 1u)[0], 'M');
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static void test_failed_alloc_reports_the_largest_free_block(void **state)
{
	(void)state;
	make_holes();
	alloc_ok(TAIL_FREE, OWNER_A, DOS_FIT_FIRST);
	uint16_t segment = 0xBEEF, largest = 0;
	for (int fit = DOS_FIT_FIRST; fit <= DOS_FIT_LAST; fit++) {
		assert_int_equal(dos_mcb_alloc(&mem, FIRST_MCB, 0x41, OWNER_B, (enum dos_fit)fit,
					       &segment, &largest),
				 DOS_ENOMEM);
		assert_int_equal(largest, 0x40);
		assert_int_equal(segment, 0xBEEF);
	}
}

static void test_freed_neighbours_join_on_the_next_walk(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	uint16_t b = alloc_ok(0x200, OWNER_A, DOS_FIT_FIRST);
	alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t rest = (uint16_t)(ARENA_FREE - 0x100u - 0x200u - 0x10u - 3u);
	alloc_ok(rest, OWNER_A, DOS_FIT_FIRST);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, a), 0);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, b), 0);

	/* Only joined, A and B hold 0x100 + 1 + 0x200 paragraphs. */
	uint16_t segment = 0, largest = 0;
	assert_int_equal(dos_mcb_alloc(&mem, FIRST_MCB, 0x302, OWNER_B, DOS_FIT_FIRST, &segment,
				       &largest),
			 DOS_ENOMEM);
	assert_int_equal(largest, 0x301);
	assert_int_equal(mcb_size(FIRST_MCB), 0x301);
	assert_int_equal(alloc_ok(0x301, OWNER_B, DOS_FIT_FIRST), a);
	assert_int_equal(mcb_owner(FIRST_MCB), OWNER_B);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static void test_free_of_a_segment_that_is_no_block_is_error_9(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, a + 1u), DOS_EBADBLOCK);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, FIRST_MCB), DOS_EBADBLOCK);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, 0), DOS_EBADBLOCK);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, 0xB000), DOS_EBADBLOCK);
	assert_int_equal(mcb_owner(FIRST_MCB), OWNER_A);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, a), 0);
	assert_int_equal(mcb_owner(FIRST_MCB), 0);
}

/* MS-DOS's 49h trusts any paragraph with an MCB type byte before the block:
 * it reads no chain. A program that frees a look-alike gets what DOS gives. */
static void test_free_looks_only_at_the_blocks_own_mcb(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	put_mcb(a + 0x10u, 'M', OWNER_A, 0x10);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, a + 0x11u), 0);
	assert_int_equal(mcb_owner(a + 0x10u), 0);
	assert_int_equal(mcb_owner(FIRST_MCB), OWNER_A);
}

static void test_resize_shrinks_and_grows_back(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	uint16_t b = alloc_ok(0x100, OWNER_B, DOS_FIT_FIRST);
	uint16_t largest = 0xBEEF;

	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 0x80, &largest), 0);
	assert_int_equal(largest, 0xBEEF);
	const struct expected_mcb shrunk[] = {
		{ FIRST_MCB, 'M', OWNER_A, 0x80 },
		{ FIRST_MCB + 0x81u, 'M', 0, 0x7F },
		{ b - 1u, 'M', OWNER_B, 0x100 },
		{ b + 0x100u, 'Z', 0, ARENA_FREE - 0x202u },
	};
	assert_chain(shrunk, 4);

	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 0x100, &largest), 0);
	const struct expected_mcb grown[] = {
		{ FIRST_MCB, 'M', OWNER_A, 0x100 },
		{ b - 1u, 'M', OWNER_B, 0x100 },
		{ b + 0x100u, 'Z', 0, ARENA_FREE - 0x202u },
	};
	assert_chain(grown, 3);

	/* The last block shrinks to a 'Z' free block after it. */
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, b, 0x10, &largest), 0);
	assert_int_equal(mcb_at(b - 1u)[0], 'M');
	assert_int_equal(mcb_at(b + 0x10u)[0], 'Z');
	assert_int_equal(mcb_owner(b + 0x10u), 0);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static void test_resize_grows_the_last_owned_block_into_the_free_tail(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	uint16_t largest = 0;
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 0x1000, &largest), 0);
	const struct expected_mcb chain[] = {
		{ FIRST_MCB, 'M', OWNER_A, 0x1000 },
		{ FIRST_MCB + 0x1001u, 'Z', 0, ARENA_FREE - 0x1001u },
	};
	assert_chain(chain, 2);
	/* 4Ah with FFFFh asks for everything: DOS answers with the maximum. */
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 0xFFFF, &largest), DOS_ENOMEM);
	assert_int_equal(largest, ARENA_FREE);
}

static void test_failed_grow_reports_the_most_the_block_can_have(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x100, OWNER_A, DOS_FIT_FIRST);
	uint16_t b = alloc_ok(0x100, OWNER_B, DOS_FIT_FIRST);
	uint16_t largest = 0;

	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 0x80, &largest), 0);
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 0x101, &largest), DOS_ENOMEM);
	assert_int_equal(largest, 0x100);
	/* As in MS-DOS 5, the block keeps the free space it joined. */
	const struct expected_mcb chain[] = {
		{ FIRST_MCB, 'M', OWNER_A, 0x100 },
		{ b - 1u, 'M', OWNER_B, 0x100 },
		{ b + 0x100u, 'Z', 0, ARENA_FREE - 0x202u },
	};
	assert_chain(chain, 3);
	/* MS-DOS's 4Ah answers a segment with no MCB before it with 7, not 9. */
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a + 1u, 0x10, &largest), DOS_EMCB);
}

static void test_free_owner_frees_only_that_owners_blocks(void **state)
{
	(void)state;
	uint16_t a1 = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t b = alloc_ok(0x10, OWNER_B, DOS_FIT_FIRST);
	uint16_t a2 = alloc_ok(0x10, OWNER_A, DOS_FIT_LAST);
	assert_int_equal(dos_mcb_free_owner(&mem, FIRST_MCB, OWNER_A), 0);
	assert_int_equal(mcb_owner(a1 - 1u), 0);
	assert_int_equal(mcb_owner(b - 1u), OWNER_B);
	assert_int_equal(mcb_owner(a2 - 1u), 0);
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), 0);
}

static void test_set_owner_names_the_block(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint8_t *name = mcb_at(a - 1u) + 8;

	assert_int_equal(dos_mcb_set_owner(&mem, a, OWNER_B, "COMMAND"), 0);
	assert_int_equal(mcb_owner(a - 1u), OWNER_B);
	assert_memory_equal(name, "COMMAND\0", 8);
	assert_int_equal(dos_mcb_set_owner(&mem, a, OWNER_B, "LONGERNAME"), 0);
	assert_memory_equal(name, "LONGERNA", 8);
	assert_int_equal(mcb_at(a - 1u)[16], 0xCC); /* the block itself is untouched */
	assert_int_equal(dos_mcb_set_owner(&mem, a, OWNER_A, "AB"), 0);
	assert_memory_equal(name, "AB\0\0\0\0\0\0", 8);
	assert_int_equal(dos_mcb_set_owner(&mem, a, DOS_MCB_OWNER_DOS, NULL), 0);
	assert_int_equal(mcb_owner(a - 1u), DOS_MCB_OWNER_DOS);
	assert_memory_equal(name, "AB\0\0\0\0\0\0", 8);

	assert_int_equal(dos_mcb_set_owner(&mem, a + 1u, OWNER_A, "X"), DOS_EBADBLOCK);
	assert_int_equal(dos_mcb_set_owner(&mem, 0, OWNER_A, "X"), DOS_EBADBLOCK);
}

/* Every call that walks the chain sees the damage (48h, and a process's
 * end), and 4Ah of block when the damage is the MCB after it, which 4Ah
 * reads to join it; 49h of block reads block's own MCB alone and works. */
static void assert_trashed_chain_after(uint16_t block)
{
	uint16_t segment = 0, largest = 0;
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), DOS_EMCB);
	assert_int_equal(dos_mcb_alloc(&mem, FIRST_MCB, 1, OWNER_B, DOS_FIT_FIRST, &segment,
				       &largest),
			 DOS_EMCB);
	assert_int_equal(dos_mcb_free_owner(&mem, FIRST_MCB, OWNER_A), DOS_EMCB);
	/* free_owner checked first: it freed nothing. */
	assert_int_equal(mcb_owner(block - 1u), OWNER_A);
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, block, 1, &largest), DOS_EMCB);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, block), 0);
	assert_int_equal(mcb_owner(block - 1u), 0);
}

static void test_a_type_byte_other_than_m_or_z_is_error_7(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t b = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t largest = 0;
	mcb_at(b - 1u)[0] = 'X';
	/* The damaged block itself: 4Ah says 7, 49h finds no block (9). */
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, b, 1, &largest), DOS_EMCB);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, b), DOS_EBADBLOCK);
	assert_trashed_chain_after(a);
}

static void test_damage_further_on_is_error_7_for_walks_only(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	uint16_t largest = 0, segment = 0;
	alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	mcb_at(a + 0x21u)[0] = 0; /* the free tail's MCB */
	assert_int_equal(dos_mcb_check(&mem, FIRST_MCB), DOS_EMCB);
	assert_int_equal(dos_mcb_alloc(&mem, FIRST_MCB, 1, OWNER_B, DOS_FIT_FIRST, &segment,
				       &largest),
			 DOS_EMCB);
	/* A's neighbour is B, in use: 4Ah of A joins nothing and never reads
	 * the damage. */
	assert_int_equal(dos_mcb_resize(&mem, FIRST_MCB, a, 8, &largest), 0);
	assert_int_equal(mcb_size(a - 1u), 8);
	assert_int_equal(dos_mcb_free(&mem, FIRST_MCB, a), 0);
}

static void test_a_size_past_a000_is_error_7(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	/* The 'Z' block claims a paragraph of video memory. */
	put_mcb(a + 0x10u, 'Z', 0, (uint16_t)(ARENA_END - (a + 0x10u)));
	assert_trashed_chain_after(a);
	/* An 'M' block whose next MCB would be at A000h. */
	put_mcb(a - 1u, 'M', OWNER_A, 0x10);
	put_mcb(a + 0x10u, 'M', 0, (uint16_t)(ARENA_END - (a + 0x10u) - 1u));
	put_mcb(ARENA_END, 'Z', 0, 0x10);
	assert_trashed_chain_after(a);
}

static void test_a_size_that_wraps_16_bits_is_error_7(void **state)
{
	(void)state;
	uint16_t a = alloc_ok(0x10, OWNER_A, DOS_FIT_FIRST);
	/* In 16 bits, 0x1011 + 1 + 0xFFEE would lead back to the first MCB and
	 * the walk would never end. */
	put_mcb(a + 0x10u, 'M', 0, (uint16_t)(0x10000u + FIRST_MCB - (a + 0x10u) - 1u));
	assert_trashed_chain_after(a);
}

#define MCB_TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		MCB_TEST(test_init_makes_one_free_z_block),
		MCB_TEST(test_init_refuses_an_arena_the_walk_would_reject),
		MCB_TEST(test_first_fit_splits_the_block_from_its_bottom),
		MCB_TEST(test_zero_paragraphs_is_a_block_of_size_zero),
		MCB_TEST(test_exact_fit_takes_the_whole_block),
		MCB_TEST(test_first_fit_takes_the_lowest_hole_that_fits),
		MCB_TEST(test_best_fit_takes_the_smallest_hole_that_fits),
		MCB_TEST(test_best_fit_takes_the_lowest_of_equal_holes),
		MCB_TEST(test_last_fit_carves_the_top_of_the_highest_fitting_block),
		MCB_TEST(test_failed_alloc_reports_the_largest_free_block),
		MCB_TEST(test_freed_neighbours_join_on_the_next_walk),
		MCB_TEST(test_free_of_a_segment_that_is_no_block_is_error_9),
		MCB_TEST(test_free_looks_only_at_the_blocks_own_mcb),
		MCB_TEST(test_resize_shrinks_and_grows_back),
		MCB_TEST(test_resize_grows_the_last_owned_block_into_the_free_tail),
		MCB_TEST(test_failed_grow_reports_the_most_the_block_can_have),
		MCB_TEST(test_free_owner_frees_only_that_owners_blocks),
		MCB_TEST(test_set_owner_names_the_block),
		MCB_TEST(test_a_type_byte_other_than_m_or_z_is_error_7),
		MCB_TEST(test_damage_further_on_is_error_7_for_walks_only),
		MCB_TEST(test_a_size_past_a000_is_error_7),
		MCB_TEST(test_a_size_that_wraps_16_bits_is_error_7),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
