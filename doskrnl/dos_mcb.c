/* dos_mcb.c: the DOS memory arena, functions 48h, 49h, 4Ah and 58h's strategies, as MS-DOS 5 keeps it. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "dos_errors.h"
#include "dos_mcb.h"

#define MCB_TYPE 0          /* 'M' or 'Z' */
#define MCB_OWNER 1
#define MCB_SIZE 3
#define MCB_HEADER_BYTES 5  /* type, owner and size: what the walk reads */
#define MCB_NAME 8
#define MCB_NAME_BYTES 8

#define MCB_MORE 'M'
#define MCB_LAST 'Z'

#define MCB_SIZE_MAX 0xFFFFu

/* Where an arena may end. A chain in conventional memory stops at the video
 * memory at A000h; one above it (upper memory) at the top of the first
 * megabyte, since the block's segment must fit 16 bits. Every step moves
 * forward by at least one paragraph, so a walk bounded by this ends. */
#define CONVENTIONAL_END 0xA000u
#define SEGMENT_SPACE_END 0x10000u

/* One MCB as read from guest memory; segment is the MCB's own. Kept in
 * uint32_t so a size that wraps 16 bits stays visible as too large. */
struct mcb {
	uint32_t segment;
	uint8_t type;
	uint16_t owner;
	uint16_t size;
};

static uint32_t arena_end(uint16_t first_mcb)
{
	return first_mcb < CONVENTIONAL_END ? CONVENTIONAL_END : SEGMENT_SPACE_END;
}

/* The paragraph after the block: the next MCB when the type is 'M'. */
static uint32_t mcb_next(const struct mcb *mcb)
{
	return mcb->segment + 1u + mcb->size;
}

/* Reads the MCB at segment: DOS_EMCB when it is not 'M' or 'Z', or it or
 * its block reaches past end. */
static int mcb_read(const struct dos_mem *m, uint32_t segment, uint32_t end, struct mcb *mcb)
{
	uint8_t b[MCB_HEADER_BYTES];

	if (segment >= end || dos_mem_read(m, segment << 4, b, sizeof(b)))
		return DOS_EMCB;
	mcb->segment = segment;
	mcb->type = b[MCB_TYPE];
	mcb->owner = (uint16_t)(b[MCB_OWNER] | b[MCB_OWNER + 1] << 8);
	mcb->size = (uint16_t)(b[MCB_SIZE] | b[MCB_SIZE + 1] << 8);
	if (mcb->type != MCB_MORE && mcb->type != MCB_LAST)
		return DOS_EMCB;
	if (mcb_next(mcb) > end)
		return DOS_EMCB;
	return 0;
}

static int mcb_write(const struct dos_mem *m, const struct mcb *mcb)
{
	uint8_t b[MCB_HEADER_BYTES] = {
		mcb->type,
		(uint8_t)mcb->owner, (uint8_t)(mcb->owner >> 8),
		(uint8_t)mcb->size, (uint8_t)(mcb->size >> 8),
	};

	return dos_mem_write(m, mcb->segment << 4, b, sizeof(b)) ? DOS_EMCB : 0;
}

/* Copies up to 8 characters of name, NUL-padding a shorter one, as DOS 4+
 * EXEC names a program's blocks. */
static int mcb_write_name(const struct dos_mem *m, uint32_t segment, const char *name)
{
	uint8_t b[MCB_NAME_BYTES] = { 0 };

	for (size_t i = 0; i < MCB_NAME_BYTES && name[i]; i++)
		b[i] = (uint8_t)name[i];
	return dos_mem_write(m, (segment << 4) + MCB_NAME, b, sizeof(b)) ? DOS_EMCB : 0;
}

/* A new MCB: free or freshly owned, with no name left over from whatever
 * the paragraph held before. */
static int mcb_create(const struct dos_mem *m, const struct mcb *mcb)
{
	int err = mcb_write(m, mcb);

	return err ? err : mcb_write_name(m, mcb->segment, "");
}

/* Joins the free blocks that follow mcb into it, as DOS does before it
 * looks at a block's size. A join that would pass 0xFFFF paragraphs stops,
 * since the size could not hold it. */
static int mcb_coalesce(const struct dos_mem *m, uint32_t end, struct mcb *mcb)
{
	bool joined = false;

	while (mcb->type == MCB_MORE) {
		struct mcb next;
		int err = mcb_read(m, mcb_next(mcb), end, &next);
		if (err)
			return err;
		if (next.owner != DOS_MCB_OWNER_FREE)
			break;
		uint32_t size = (uint32_t)mcb->size + 1u + next.size;
		if (size > MCB_SIZE_MAX)
			break;
		mcb->type = next.type;
		mcb->size = (uint16_t)size;
		joined = true;
	}
	return joined ? mcb_write(m, mcb) : 0;
}

int dos_mcb_check(const struct dos_mem *m, uint16_t first_mcb)
{
	uint32_t end = arena_end(first_mcb);
	struct mcb mcb = { .segment = first_mcb };

	for (;;) {
		int err = mcb_read(m, mcb.segment, end, &mcb);
		if (err)
			return err;
		if (mcb.type == MCB_LAST)
			return 0;
		mcb.segment = mcb_next(&mcb);
	}
}

/* The MCB of the block at segment, found the way MS-DOS's 49h and 4Ah find
 * it: the paragraph before the block, in 16 bits, and only its type byte
 * checked. Neither walks the chain from its head. */
static int mcb_of_block(const struct dos_mem *m, uint16_t first_mcb, uint16_t segment,
			struct mcb *mcb)
{
	return mcb_read(m, (uint16_t)(segment - 1u), arena_end(first_mcb), mcb);
}

int dos_mcb_init(const struct dos_mem *m, uint16_t first_mcb, uint16_t end_segment)
{
	/* Refuses an arena the walk would call trashed. */
	if (end_segment <= first_mcb || end_segment > arena_end(first_mcb))
		return DOS_EMCB;
	struct mcb mcb = {
		.segment = first_mcb,
		.type = MCB_LAST,
		.owner = DOS_MCB_OWNER_FREE,
		.size = (uint16_t)(end_segment - first_mcb - 1u),
	};
	return mcb_create(m, &mcb);
}

/* Whether a free block of size paragraphs is a better choice than the one
 * found so far (found_size, if any) under fit. Strategies above last fit
 * are taken as last fit. */
static bool fit_prefers(enum dos_fit fit, bool found, uint16_t found_size, uint16_t size)
{
	if (!found)
		return true;
	if (fit == DOS_FIT_FIRST)
		return false;
	if (fit == DOS_FIT_BEST)
		return size < found_size;
	return true;
}

int dos_mcb_alloc(const struct dos_mem *m, uint16_t first_mcb, uint16_t paras, uint16_t owner,
		  enum dos_fit fit, uint16_t *segment, uint16_t *largest)
{
	uint32_t end = arena_end(first_mcb);
	struct mcb mcb = { .segment = first_mcb };
	struct mcb chosen = { 0 };
	bool found = false;
	uint16_t largest_free = 0;

	/* The whole chain is walked whatever the strategy, joining free blocks
	 * on the way, so a trashed chain fails every allocation alike. */
	for (;;) {
		int err = mcb_read(m, mcb.segment, end, &mcb);
		if (err)
			return err;
		if (mcb.owner == DOS_MCB_OWNER_FREE) {
			err = mcb_coalesce(m, end, &mcb);
			if (err)
				return err;
			if (mcb.size > largest_free)
				largest_free = mcb.size;
			if (mcb.size >= paras && fit_prefers(fit, found, chosen.size, mcb.size)) {
				chosen = mcb;
				found = true;
			}
		}
		if (mcb.type == MCB_LAST)
			break;
		mcb.segment = mcb_next(&mcb);
	}
	if (!found) {
		*largest = largest_free;
		return DOS_ENOMEM;
	}

	/* The block's MCB: the free block's own, or for last fit one carved
	 * inside it, paras + 1 paragraphs below its end. What is left stays a
	 * free block: above the new one, or for last fit below it. */
	struct mcb block = {
		.segment = chosen.segment,
		.type = chosen.type,
		.owner = owner,
		.size = paras,
	};
	if (chosen.size > paras) {
		struct mcb rest = {
			.type = MCB_MORE,
			.owner = DOS_MCB_OWNER_FREE,
			.size = (uint16_t)(chosen.size - paras - 1u),
		};
		if (fit >= DOS_FIT_LAST) {
			rest.segment = chosen.segment;
			block.segment = chosen.segment + 1u + rest.size;
		} else {
			rest.segment = chosen.segment + 1u + paras;
			rest.type = chosen.type;
			block.type = MCB_MORE;
		}
		int err = mcb_create(m, &rest);
		if (err)
			return err;
	}
	int err = mcb_create(m, &block);
	if (err)
		return err;
	*segment = (uint16_t)(block.segment + 1u);
	return 0;
}

/* Like DOS's 49h, freeing only marks the block free; the next allocation
 * joins it with its free neighbours. A block whose MCB has lost its type
 * byte is error 9, not 7: 49h does not look at the rest of the arena. */
int dos_mcb_free(const struct dos_mem *m, uint16_t first_mcb, uint16_t segment)
{
	struct mcb mcb;

	if (mcb_of_block(m, first_mcb, segment, &mcb))
		return DOS_EBADBLOCK;
	mcb.owner = DOS_MCB_OWNER_FREE;
	return mcb_write(m, &mcb);
}

/* MS-DOS 5's 4Ah first joins the free blocks after the block into it, then
 * compares sizes; so when growing fails the block keeps all it could get
 * (the RBIL note on 4Ah: "the block will be made as large as possible"),
 * and *largest is that size. */
int dos_mcb_resize(const struct dos_mem *m, uint16_t first_mcb, uint16_t segment, uint16_t paras,
		   uint16_t *largest)
{
	uint32_t end = arena_end(first_mcb);
	struct mcb mcb;
	int err = mcb_of_block(m, first_mcb, segment, &mcb);

	if (err)
		return err;
	err = mcb_coalesce(m, end, &mcb);
	if (err)
		return err;
	if (paras > mcb.size) {
		*largest = mcb.size;
		return DOS_ENOMEM;
	}
	if (paras == mcb.size)
		return 0;
	struct mcb rest = {
		.segment = mcb.segment + 1u + paras,
		.type = mcb.type,
		.owner = DOS_MCB_OWNER_FREE,
		.size = (uint16_t)(mcb.size - paras - 1u),
	};
	err = mcb_create(m, &rest);
	if (err)
		return err;
	mcb.type = MCB_MORE;
	mcb.size = paras;
	return mcb_write(m, &mcb);
}

int dos_mcb_free_owner(const struct dos_mem *m, uint16_t first_mcb, uint16_t owner)
{
	uint32_t end = arena_end(first_mcb);
	struct mcb mcb = { .segment = first_mcb };
	int err = dos_mcb_check(m, first_mcb);

	/* Checked first, so a trashed chain frees nothing. */
	if (err)
		return err;
	for (;;) {
		err = mcb_read(m, mcb.segment, end, &mcb);
		if (err)
			return err;
		if (mcb.owner == owner) {
			mcb.owner = DOS_MCB_OWNER_FREE;
			err = mcb_write(m, &mcb);
			if (err)
				return err;
		}
		if (mcb.type == MCB_LAST)
			return 0;
		mcb.segment = mcb_next(&mcb);
	}
}

/* Checks only that segment - 1 holds an MCB: the caller (EXEC) names a
 * block it has just allocated. A NULL name leaves the name as it is. */
int dos_mcb_set_owner(const struct dos_mem *m, uint16_t segment, uint16_t owner,
		      const char *name)
{
	struct mcb mcb;

	if (segment == 0 || mcb_read(m, segment - 1u, SEGMENT_SPACE_END, &mcb))
		return DOS_EBADBLOCK;
	mcb.owner = owner;
	int err = mcb_write(m, &mcb);
	if (err || !name)
		return err;
	return mcb_write_name(m, mcb.segment, name);
}
