/* ist_cache.h: the IST's code cache: blocks of decoded instructions, found by where they
 * start and in which mode, dropped when the guest writes the pages they came from. */
#ifndef MVM_IST_CACHE_H
#define MVM_IST_CACHE_H

#include "ist_state.h"

/* What decoding depends on besides the bytes: part of a block's key. */
#define IST_MODE_CODE32 0x1u /* CS.D: 32-bit default operand and address size */
#define IST_MODE_PE 0x2u     /* protected mode: some instructions #UD in real mode */
#define IST_MODE_SINGLE 0x4u /* one instruction only: single-step, interrupt shadow */

struct ist_block {
	uint32_t eip;
	uint32_t cs_base;
	uint32_t phys;      /* physical address of the first byte */
	uint32_t pages[2];  /* the physical pages its bytes lie in (twice the same for one) */
	uint16_t mode;
	uint16_t n;         /* instructions, not counting the end marker */
	bool dead;          /* invalidated: its instructions only stop execution */
	bool cached;        /* in the hash and page lists (code from MMIO is not) */
	struct ist_block *hash_next;
	struct ist_block *page_next[2];
	struct ist_insn insns[]; /* n + 1: the last marks the end */
};

int ist_cache_create(struct ist_cpu *cpu);
void ist_cache_destroy(struct ist_cpu *cpu);

/* The block at cs:eip in the current mode, decoded now if need be. */
const struct ist_block *ist_cache_lookup(struct ist_cpu *cpu, unsigned mode);

/* Forgets every block (the memory map or A20 changed); safe at any time: the
 * space is reclaimed at the next lookup. */
void ist_cache_flush(struct ist_cpu *cpu);

/* The guest writes a byte of a page holding decoded code. When the byte is
 * near code (the same 64-byte chunk), the page's blocks die (one running now
 * stops after the current instruction) and the page takes fast writes again;
 * data beside code costs only the slow path. */
void ist_cache_write(struct ist_cpu *cpu, uint32_t phys);

/* The handler that ends a block: EIP is the end marker's eip. */
void ist_op_block_end(struct ist_cpu *cpu, const struct ist_insn *i);

#endif
