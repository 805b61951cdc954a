/* ist_cache.h: the IST's code cache: blocks of decoded instructions, found by where they
 * start and in which mode, dropped when the guest writes the pages they came from. */
#ifndef MVM_IST_CACHE_H
#define MVM_IST_CACHE_H

#include "ist_state.h"

/* What decoding depends on besides the bytes: part of a block's key. */
#define IST_MODE_CODE32 0x1u /* CS.D: 32-bit default operand and address size */
#define IST_MODE_PE 0x2u     /* protected mode: some instructions #UD in real mode */
#define IST_MODE_SINGLE 0x4u /* one instruction only: single-step, interrupt shadow */

/* Successors remembered per block for its last instruction when that is a
 * branch with a varying target (RET, indirect JMP and CALL). */
#define IST_BLOCK_LINKS 2

struct ist_block {
	uint32_t eip;
	uint32_t cs_base;
	uint32_t phys;      /* physical address of the first byte */
	uint32_t pages[2];  /* the physical pages its bytes lie in (twice the same for one) */
	uint32_t phys_end;  /* just past its last byte (in pages[1]) */
	uint16_t mode;
	uint16_t n;         /* instructions, not counting the end marker */
	bool dead;          /* invalidated: its instructions only stop execution */
	bool cached;        /* in the hash and page lists (code from MMIO is not) */
	struct ist_block *hash_next;
	struct ist_block *page_next[2];
	/* Blocks that followed this one (see ist_chain); set by the run loop. */
	struct ist_block *link[IST_BLOCK_LINKS];
	uint8_t next_slot; /* where a link goes when all slots are taken */
	/* Translation (see ist_jit.h): until the block is hot, its first
	 * handler counts entries, and first is the one decoded. */
	uint16_t heat;
	ist_op *first;
	void *jit_entry;         /* where translated blocks chain in, or NULL */
	const uint16_t *codes;   /* each instruction's opcode, after insns */
	struct ist_insn insns[]; /* n + 1: the last marks the end */
};

/* Blocks are translated to host code (where the host allows, see
 * ist_jit.h) once they have been entered hot_after times; 0: never, only
 * interpreted. */
int ist_cache_create(struct ist_cpu *cpu, unsigned hot_after);
void ist_cache_destroy(struct ist_cpu *cpu);

/* Whether blocks are translated to host code. */
bool ist_cache_translates(const struct ist_cpu *cpu);

/* The block at cs:eip in the current mode, decoded now if need be. */
struct ist_block *ist_cache_lookup(struct ist_cpu *cpu, unsigned mode);

/* Blocks run one after another without going back to the run loop this
 * many times at most (the loop then looks at kicks from other threads). */
#define IST_CHAIN_MAX 256

/* Enters block next from a chain: charges it and runs its first instruction. */
IST_INLINE void ist_chain_enter(struct ist_cpu *cpu, struct ist_block *next)
{
	cpu->block = next;
	cpu->budget -= next->n;
	next->insns[0].fn(cpu, next->insns);
}

/* Whether the run may go on into another block without the run loop. */
IST_INLINE bool ist_chain_allowed(struct ist_cpu *cpu)
{
	return cpu->budget > 0 && !cpu->yield && --cpu->chain_left > 0;
}

/* Continues at EIP target after a branch from instruction i whose target
 * never changes (a relative branch, or the end of the block): i remembers
 * the block there, once the run loop has found it, as an offset into the
 * code cache in i->disp. Instructions of this block after i do not run:
 * they are given back. CS and the mode do not change across such a branch,
 * so the block stays the right one; a dead one is looked up again. */
IST_INLINE void ist_chain_fixed(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t target)
{
	cpu->budget += i->imm2;
	if (likely(i->disp != 0) && ist_chain_allowed(cpu)) {
		struct ist_block *next = (struct ist_block *)(cpu->code_arena + i->disp);
		if (likely(!next->dead)) {
			ist_chain_enter(cpu, next);
			return;
		}
	}
	cpu->eip = target;
	cpu->chain_from = (struct ist_insn *)i;
}

/* Continues at EIP target after a branch whose target varies (RET, JMP and
 * CALL through a register or memory): the blocks that followed this one
 * before are tried. */
IST_INLINE void ist_chain(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t target)
{
	const struct ist_block *b = cpu->block;
	cpu->budget += i->imm2;
	for (unsigned k = 0; k < IST_BLOCK_LINKS; k++) {
		struct ist_block *next = b->link[k];
		if (next && next->eip == target) {
			if (ist_chain_allowed(cpu)) {
				ist_chain_enter(cpu, next);
				return;
			}
			break;
		}
	}
	cpu->eip = target;
}

/* Forgets every block (the memory map or A20 changed); safe at any time: the
 * block running stops after its current instruction, and the space is
 * reclaimed at the next lookup. */
void ist_cache_flush(struct ist_cpu *cpu);

/* A flush is due (blocks already found must not be linked to). */
bool ist_cache_flushing(const struct ist_cpu *cpu);

/* The guest writes [phys, phys + size), inside one page holding decoded
 * code. The blocks holding a byte of it die (one running now stops after the
 * current instruction); a page left without code takes fast writes again.
 * Data beside code costs only the slow path. */
void ist_cache_write(struct ist_cpu *cpu, uint32_t phys, unsigned size);

/* The host wrote [phys, phys + len): every page in it that holds decoded
 * code loses it. */
void ist_cache_host_write(struct ist_cpu *cpu, uint64_t phys, uint64_t len);

/* Where a block lies in the code cache; never 0. */
uint32_t ist_cache_offset(const struct ist_cpu *cpu, const struct ist_block *b);

/* The handler that ends a block: EIP is the end marker's eip. */
void ist_op_block_end(struct ist_cpu *cpu, const struct ist_insn *i);

#endif
