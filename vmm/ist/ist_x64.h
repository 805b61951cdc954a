/* ist_x64.h: an x86-64 machine code assembler, just the instructions the IST's translator
 * emits: register and memory operands through ModR/M and SIB, immediates, and jumps with
 * 32-bit displacements that are patched once their targets are known. */
#ifndef MVM_IST_X64_H
#define MVM_IST_X64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x64_reg {
	X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
	X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
};

/* Condition codes, numbered as in Jcc and SETcc. */
enum x64_cc {
	X64_O, X64_NO, X64_B, X64_AE, X64_E, X64_NE, X64_BE, X64_A,
	X64_S, X64_NS, X64_P, X64_NP, X64_L, X64_GE, X64_LE, X64_G,
};

/* Code goes to [start, end); once it would not fit, full is set and
 * the rest is written over the start (the caller throws the code away). */
struct x64_asm {
	uint8_t *start, *p, *end;
	bool full;
};

/* The r/m operand of an instruction: register reg, or the memory at
 * [base + index * 2^scale + disp] (index < 0: none). */
struct x64_rm {
	int8_t reg;
	int8_t base, index;
	uint8_t scale;
	int32_t disp;
};

static inline struct x64_rm x64_r(enum x64_reg reg)
{
	return (struct x64_rm){ .reg = (int8_t)reg, .base = -1, .index = -1 };
}

static inline struct x64_rm x64_m(enum x64_reg base, int32_t disp)
{
	return (struct x64_rm){ .reg = -1, .base = (int8_t)base, .index = -1, .disp = disp };
}

static inline struct x64_rm x64_mi(enum x64_reg base, enum x64_reg index, unsigned scale,
				   int32_t disp)
{
	return (struct x64_rm){ .reg = -1, .base = (int8_t)base, .index = (int8_t)index,
				.scale = (uint8_t)scale, .disp = disp };
}

/* Operand flags for x64_op: the operand size (one of 8, 16, 32, 64 in
 * the low byte) and which operands are byte registers. */
#define X64_W8 8u
#define X64_W16 16u
#define X64_W32 32u
#define X64_W64 64u
#define X64_BYTE_REG 0x100u /* ModR/M.reg names a byte register */
#define X64_BYTE_RM 0x200u  /* the r/m register is a byte register */

/* Where the next byte goes, as an offset from start. */
static inline size_t x64_here(const struct x64_asm *a)
{
	return (size_t)(a->p - a->start);
}

/* Immediates after an instruction (room for them is made with it). */
void x64_u8(struct x64_asm *a, uint8_t v);
void x64_u16(struct x64_asm *a, uint16_t v);
void x64_u32(struct x64_asm *a, uint32_t v);
void x64_u64(struct x64_asm *a, uint64_t v);

/* An instruction of one opcode byte (RET). */
void x64_op1(struct x64_asm *a, uint8_t opcode);

/* PUSH and POP of a 64-bit register. */
void x64_push(struct x64_asm *a, enum x64_reg reg);
void x64_pop(struct x64_asm *a, enum x64_reg reg);

/* One instruction with a ModR/M byte: prefixes for size (66h, REX.W) and
 * registers (REX), the opcode (one to three bytes, the first in the low
 * byte: 0xB60F is 0Fh B6h), ModR/M with reg (a register or an opcode
 * extension), SIB and displacement. The caller appends any immediate. */
void x64_op(struct x64_asm *a, unsigned size, uint32_t opcode, unsigned oplen, unsigned reg,
	    struct x64_rm rm);

/* MOV reg, imm: 32 bits zero-extended, or all 64. */
void x64_mov_imm32(struct x64_asm *a, enum x64_reg reg, uint32_t v);
void x64_mov_imm64(struct x64_asm *a, enum x64_reg reg, uint64_t v);

/* MOV r/m, imm of width bits (8, 16, 32; 64 sign-extends 32). */
void x64_mov_rm_imm(struct x64_asm *a, unsigned bits, struct x64_rm rm, uint32_t v);

/* reg = r/m zero- or sign-extended from bits (8, 16) to 32, or loaded
 * (32). */
void x64_load_zx(struct x64_asm *a, unsigned bits, enum x64_reg reg, struct x64_rm rm);
void x64_load_sx(struct x64_asm *a, unsigned bits, enum x64_reg reg, struct x64_rm rm);

/* r/m = the low bits of reg. */
void x64_store(struct x64_asm *a, unsigned bits, struct x64_rm rm, enum x64_reg reg);

/* ALU operation op (0 ADD, 1 OR, 2 ADC, 3 SBB, 4 AND, 5 SUB, 6 XOR, 7 CMP)
 * of width bits: r/m op= reg, reg op= r/m, and r/m op= imm. */
void x64_alu(struct x64_asm *a, unsigned op, unsigned bits, struct x64_rm rm, enum x64_reg reg);
void x64_alu_load(struct x64_asm *a, unsigned op, unsigned bits, enum x64_reg reg,
		  struct x64_rm rm);
void x64_alu_imm(struct x64_asm *a, unsigned op, unsigned bits, struct x64_rm rm, int32_t v);

/* NOPs up to the next multiple of boundary (a power of 2) in the host's
 * address space. */
void x64_align(struct x64_asm *a, unsigned boundary);

/* Jumps and calls. The forward forms return where their displacement is,
 * for x64_patch. */
size_t x64_jcc(struct x64_asm *a, enum x64_cc cc);
size_t x64_jmp(struct x64_asm *a);
void x64_jcc_to(struct x64_asm *a, enum x64_cc cc, size_t target);
void x64_jmp_to(struct x64_asm *a, size_t target);
void x64_patch(struct x64_asm *a, size_t at, size_t target);
/* CALL or JMP through a register or memory (FFh /2, /4). */
void x64_call_rm(struct x64_asm *a, struct x64_rm rm);
void x64_jmp_rm(struct x64_asm *a, struct x64_rm rm);

#endif
