/* ist_decode.h: x86 machine code to struct ist_insn, a block at a time. */
#ifndef MVM_IST_DECODE_H
#define MVM_IST_DECODE_H

#include <stddef.h>

#include "ist_state.h"

struct ist_decode_info {
	uint32_t phys;       /* physical address of the first byte */
	uint32_t pages[2];   /* pages of the first and the last byte */
	uint32_t end_offset; /* offset in pages[1] just past the last byte */
	bool cacheable;      /* all bytes came from RAM or ROM */
	uint16_t code[IST_BLOCK_MAX_INSNS]; /* each instruction's opcode (see ist_ops.h) */
};

/* Merges the families' opcode tables once; fails on an overlap. */
int ist_decode_init(char *err, size_t err_size);

/* Decodes at most max instructions at CS:EIP in the given mode (IST_MODE_*)
 * into out, then an end marker; returns the number of instructions. A block
 * ends after an instruction flagged IST_OPF_END, at max, or where decoding
 * fails: an instruction that cannot be fetched or decoded becomes one that
 * raises its exception when executed. */
unsigned ist_decode_block(struct ist_cpu *cpu, unsigned mode, struct ist_insn *out, unsigned max,
			  struct ist_decode_info *info);

/* The handler of an instruction that faults when executed: vector in imm,
 * error code in disp. */
void ist_op_raise(struct ist_cpu *cpu, const struct ist_insn *i);

#endif
