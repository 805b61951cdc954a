/* ist_op_bcd.c: decimal adjustment (DAA DAS AAA AAS AAM AAD) and the undocumented SALC. */
#include "ist_opcommon.h"

/*
 * The flags of every adjustment. The defined ones follow the Intel SDM's pseudocode; for the
 * undefined ones (OF after DAA DAS; OF SF ZF PF after AAA AAS; OF AF CF after AAM AAD) we
 * choose, as Bochs does: SF ZF PF always come from the final AL, OF is 0, and AAM and AAD pass
 * cf and af false.
 */
static inline void bcd_flags(struct ist_cpu *cpu, uint8_t al, bool cf, bool af)
{
	uint32_t f = (cf ? IST_CF : 0) | (af ? IST_AF : 0) | (al == 0 ? IST_ZF : 0) |
		     (al & 0x80 ? IST_SF : 0) | (ist_parity_even(al) ? IST_PF : 0);
	ist_flags_set(cpu, f, IST_ARITH);
}

/* 27h DAA. The SDM also sets CF on a carry out of AL + 6, but that needs AL > F9h, where the
 * second step sets CF anyway. */
static void daa(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint8_t al = ist_get8(cpu, 0), old_al = al;
	bool old_cf = ist_cf(cpu), af = (al & 0x0F) > 9 || ist_af(cpu);
	if (af)
		al += 6;
	if (old_al > 0x99 || old_cf)
		al += 0x60;
	ist_set8(cpu, 0, al);
	bcd_flags(cpu, al, old_al > 0x99 || old_cf, af);
	IST_NEXT(cpu, i);
}

/* 2Fh DAS. Unlike DAA, the borrow out of AL - 6 stands: AL 00h-05h with AF set, CF clear and
 * AL not above 99h leaves CF set. */
static void das(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint8_t al = ist_get8(cpu, 0), old_al = al;
	bool old_cf = ist_cf(cpu), cf = false, af = (al & 0x0F) > 9 || ist_af(cpu);
	if (af) {
		cf = old_cf || al < 6;
		al -= 6;
	}
	if (old_al > 0x99 || old_cf) {
		al -= 0x60;
		cf = true;
	}
	ist_set8(cpu, 0, al);
	bcd_flags(cpu, al, cf, af);
	IST_NEXT(cpu, i);
}

/*
 * 37h AAA and 3Fh AAS adjust AX by 106h, as the 386 does, and the 286 (its recorded test vectors
 * show it): the carry or borrow of AL +/- 6 reaches AH on top of its +/- 1. The 8086 adjusted AL
 * alone, which differs only for AL above F9h (AAA) or below 06h (AAS), outside unpacked BCD.
 */
static inline void aaa_aas(struct ist_cpu *cpu, bool sub)
{
	uint16_t ax = ist_get16(cpu, 0);
	bool adjust = (ax & 0x0F) > 9 || ist_af(cpu);
	if (adjust)
		ax = (uint16_t)(sub ? ax - 0x106 : ax + 0x106);
	ax &= 0xFF0F;
	ist_set16(cpu, 0, ax);
	bcd_flags(cpu, (uint8_t)ax, adjust, adjust);
}

static void aaa(struct ist_cpu *cpu, const struct ist_insn *i)
{
	aaa_aas(cpu, false);
	IST_NEXT(cpu, i);
}

static void aas(struct ist_cpu *cpu, const struct ist_insn *i)
{
	aaa_aas(cpu, true);
	IST_NEXT(cpu, i);
}

/* D4h ib AAM: AH = AL / imm8, AL = AL % imm8; imm8 0 is #DE (a fault, as for DIV). */
static void aam(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint8_t al = ist_get8(cpu, 0), base = (uint8_t)i->imm;
	if (base == 0)
		ist_raise(cpu, i, IST_EXC_DE, IST_NO_ERROR);
	ist_set16(cpu, 0, (uint16_t)((al / base) << 8 | al % base));
	bcd_flags(cpu, al % base, false, false);
	IST_NEXT(cpu, i);
}

/* D5h ib AAD: AL = AL + AH * imm8 (low byte), AH = 0. */
static void aad(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint8_t al = (uint8_t)(ist_get8(cpu, 0) + ist_get8(cpu, 1) * i->imm);
	ist_set16(cpu, 0, al);
	bcd_flags(cpu, al, false, false);
	IST_NEXT(cpu, i);
}

/* D6h SALC (undocumented, on every IA-32 CPU): AL = CF ? FFh : 00h, flags unchanged. */
static void salc(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set8(cpu, 0, ist_cf(cpu) ? 0xFF : 0x00);
	IST_NEXT(cpu, i);
}

#define OP(code, fn, imm) IST_OP((code), 0, (imm), fn, fn)

const struct ist_opcode ist_ops_bcd[] = {
	OP(0x27, daa, IST_IMM_NONE),
	OP(0x2F, das, IST_IMM_NONE),
	OP(0x37, aaa, IST_IMM_NONE),
	OP(0x3F, aas, IST_IMM_NONE),
	OP(0xD4, aam, IST_IMM_B),
	OP(0xD5, aad, IST_IMM_B),
	OP(0xD6, salc, IST_IMM_NONE),
	IST_OP_TABLE_END,
};
