/* ist_x64.c: an x86-64 machine code assembler, just the instructions the IST's translator
 * emits. */
#include "ist_x64.h"

#include <string.h>

/* The longest instruction emitted here, immediate included. */
#define X64_MAX_INSN 32

/* Makes room for one instruction (every instruction goes through here:
 * x64_op, x64_op1, and the few written byte by byte). Out of room, the
 * code is marked full and written over its own start: it will not be used. */
static void x64_room(struct x64_asm *a)
{
	if (a->end - a->p < X64_MAX_INSN) {
		a->full = true;
		a->p = a->start;
	}
}

void x64_u8(struct x64_asm *a, uint8_t v)
{
	*a->p++ = v;
}

void x64_op1(struct x64_asm *a, uint8_t opcode)
{
	x64_room(a);
	x64_u8(a, opcode);
}

static void push_pop(struct x64_asm *a, uint8_t opcode, enum x64_reg reg)
{
	x64_room(a);
	if (reg & 8)
		x64_u8(a, 0x41);
	x64_u8(a, (uint8_t)(opcode + (reg & 7)));
}

void x64_push(struct x64_asm *a, enum x64_reg reg)
{
	push_pop(a, 0x50, reg);
}

void x64_pop(struct x64_asm *a, enum x64_reg reg)
{
	push_pop(a, 0x58, reg);
}

void x64_u16(struct x64_asm *a, uint16_t v)
{
	x64_u8(a, (uint8_t)v);
	x64_u8(a, (uint8_t)(v >> 8));
}

void x64_u32(struct x64_asm *a, uint32_t v)
{
	x64_u16(a, (uint16_t)v);
	x64_u16(a, (uint16_t)(v >> 16));
}

void x64_u64(struct x64_asm *a, uint64_t v)
{
	x64_u32(a, (uint32_t)v);
	x64_u32(a, (uint32_t)(v >> 32));
}

static bool fits_s8(int32_t v)
{
	return v >= -128 && v <= 127;
}

/* SPL BPL SIL DIL exist only with a REX prefix (without one, 4-7 name AH
 * CH DH BH). */
static bool needs_rex_for_byte(int reg)
{
	return reg >= X64_RSP && reg <= X64_RDI;
}

void x64_op(struct x64_asm *a, unsigned size, uint32_t opcode, unsigned oplen, unsigned reg,
	    struct x64_rm rm)
{
	unsigned width = size & 0xFF, rex = 0, r = reg & 7;
	bool rex_needed;

	x64_room(a);
	if (width == 16)
		x64_u8(a, 0x66);
	if (width == 64)
		rex |= 8;
	if (reg & 8)
		rex |= 4;
	if (rm.reg >= 0) {
		if (rm.reg & 8)
			rex |= 1;
	} else {
		if (rm.base & 8)
			rex |= 1;
		if (rm.index >= 0 && (rm.index & 8))
			rex |= 2;
	}
	rex_needed = rex != 0 || ((size & X64_BYTE_REG) && needs_rex_for_byte((int)reg)) ||
		     ((size & X64_BYTE_RM) && rm.reg >= 0 && needs_rex_for_byte(rm.reg));
	if (rex_needed)
		x64_u8(a, (uint8_t)(0x40 | rex));
	for (unsigned k = 0; k < oplen; k++)
		x64_u8(a, (uint8_t)(opcode >> (8 * k)));

	if (rm.reg >= 0) {
		x64_u8(a, (uint8_t)(0xC0 | r << 3 | (rm.reg & 7)));
		return;
	}
	{
		unsigned base = (unsigned)rm.base & 7;
		/* [rbp] and [r13] have no form without a displacement. */
		unsigned mod = rm.disp == 0 && base != 5 ? 0 : fits_s8(rm.disp) ? 1 : 2;
		if (rm.index >= 0 || base == 4) {
			unsigned index = rm.index >= 0 ? (unsigned)rm.index & 7 : 4;
			x64_u8(a, (uint8_t)(mod << 6 | r << 3 | 4));
			x64_u8(a, (uint8_t)((rm.scale & 3) << 6 | index << 3 | base));
		} else {
			x64_u8(a, (uint8_t)(mod << 6 | r << 3 | base));
		}
		if (mod == 1)
			x64_u8(a, (uint8_t)rm.disp);
		else if (mod == 2)
			x64_u32(a, (uint32_t)rm.disp);
	}
}

void x64_mov_imm32(struct x64_asm *a, enum x64_reg reg, uint32_t v)
{
	x64_room(a);
	if (reg & 8)
		x64_u8(a, 0x41);
	x64_u8(a, (uint8_t)(0xB8 + (reg & 7)));
	x64_u32(a, v);
}

void x64_mov_imm64(struct x64_asm *a, enum x64_reg reg, uint64_t v)
{
	x64_room(a);
	x64_u8(a, (uint8_t)(0x48 | ((reg & 8) ? 1 : 0)));
	x64_u8(a, (uint8_t)(0xB8 + (reg & 7)));
	x64_u64(a, v);
}

void x64_mov_rm_imm(struct x64_asm *a, unsigned bits, struct x64_rm rm, uint32_t v)
{
	switch (bits) {
	case 8:
		x64_op(a, X64_W8 | X64_BYTE_RM, 0xC6, 1, 0, rm);
		x64_u8(a, (uint8_t)v);
		break;
	case 16:
		x64_op(a, X64_W16, 0xC7, 1, 0, rm);
		x64_u16(a, (uint16_t)v);
		break;
	default:
		x64_op(a, bits, 0xC7, 1, 0, rm);
		x64_u32(a, v);
		break;
	}
}

/* MOVZX or MOVSX (opcodes op8, op16) from bits to 32, or MOV for 32. */
static void load_extended(struct x64_asm *a, unsigned bits, enum x64_reg reg, struct x64_rm rm,
			  uint32_t op8, uint32_t op16)
{
	if (bits == 8)
		x64_op(a, X64_W32 | X64_BYTE_RM, op8, 2, reg, rm);
	else if (bits == 16)
		x64_op(a, X64_W32, op16, 2, reg, rm);
	else
		x64_op(a, X64_W32, 0x8B, 1, reg, rm);
}

void x64_load_zx(struct x64_asm *a, unsigned bits, enum x64_reg reg, struct x64_rm rm)
{
	load_extended(a, bits, reg, rm, 0xB60F, 0xB70F);
}

void x64_load_sx(struct x64_asm *a, unsigned bits, enum x64_reg reg, struct x64_rm rm)
{
	load_extended(a, bits, reg, rm, 0xBE0F, 0xBF0F);
}

void x64_store(struct x64_asm *a, unsigned bits, struct x64_rm rm, enum x64_reg reg)
{
	if (bits == 8)
		x64_op(a, X64_W8 | X64_BYTE_REG | X64_BYTE_RM, 0x88, 1, reg, rm);
	else
		x64_op(a, bits, 0x89, 1, reg, rm);
}

void x64_alu(struct x64_asm *a, unsigned op, unsigned bits, struct x64_rm rm, enum x64_reg reg)
{
	if (bits == 8)
		x64_op(a, X64_W8 | X64_BYTE_REG | X64_BYTE_RM, op * 8, 1, reg, rm);
	else
		x64_op(a, bits, op * 8 + 1, 1, reg, rm);
}

void x64_alu_load(struct x64_asm *a, unsigned op, unsigned bits, enum x64_reg reg,
		  struct x64_rm rm)
{
	if (bits == 8)
		x64_op(a, X64_W8 | X64_BYTE_REG | X64_BYTE_RM, op * 8 + 2, 1, reg, rm);
	else
		x64_op(a, bits, op * 8 + 3, 1, reg, rm);
}

void x64_alu_imm(struct x64_asm *a, unsigned op, unsigned bits, struct x64_rm rm, int32_t v)
{
	if (bits == 16)
		v = (int16_t)v;
	if (bits == 8) {
		x64_op(a, X64_W8 | X64_BYTE_RM, 0x80, 1, op, rm);
		x64_u8(a, (uint8_t)v);
	} else if (fits_s8(v)) {
		x64_op(a, bits, 0x83, 1, op, rm);
		x64_u8(a, (uint8_t)v);
	} else {
		x64_op(a, bits, 0x81, 1, op, rm);
		if (bits == 16)
			x64_u16(a, (uint16_t)v);
		else
			x64_u32(a, (uint32_t)v);
	}
}

size_t x64_jcc(struct x64_asm *a, enum x64_cc cc)
{
	size_t at;

	x64_room(a);
	x64_u8(a, 0x0F);
	x64_u8(a, (uint8_t)(0x80 | cc));
	at = x64_here(a);
	x64_u32(a, 0);
	return at;
}

size_t x64_jmp(struct x64_asm *a)
{
	size_t at;

	x64_room(a);
	x64_u8(a, 0xE9);
	at = x64_here(a);
	x64_u32(a, 0);
	return at;
}

void x64_patch(struct x64_asm *a, size_t at, size_t target)
{
	int32_t rel = (int32_t)((int64_t)target - (int64_t)(at + 4));
	if (a->full || at + 4 > (size_t)(a->end - a->start))
		return;
	memcpy(a->start + at, &rel, 4);
}

void x64_jcc_to(struct x64_asm *a, enum x64_cc cc, size_t target)
{
	x64_patch(a, x64_jcc(a, cc), target);
}

void x64_jmp_to(struct x64_asm *a, size_t target)
{
	x64_patch(a, x64_jmp(a), target);
}

void x64_call_rm(struct x64_asm *a, struct x64_rm rm)
{
	x64_op(a, X64_W32, 0xFF, 1, 2, rm);
}

void x64_jmp_rm(struct x64_asm *a, struct x64_rm rm)
{
	x64_op(a, X64_W32, 0xFF, 1, 4, rm);
}

void x64_align(struct x64_asm *a, unsigned boundary)
{
	static const uint8_t nops[9][9] = {
		{ 0x90 },
		{ 0x66, 0x90 },
		{ 0x0F, 0x1F, 0x00 },
		{ 0x0F, 0x1F, 0x40, 0x00 },
		{ 0x0F, 0x1F, 0x44, 0x00, 0x00 },
		{ 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00 },
		{ 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00 },
		{ 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
		{ 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	};
	unsigned pad = (unsigned)(-(uintptr_t)a->p & (boundary - 1));
	while (pad) {
		unsigned len = pad > 9 ? 9 : pad;
		x64_room(a);
		for (unsigned k = 0; k < len; k++)
			x64_u8(a, nops[len - 1][k]);
		pad -= len;
	}
}
