/* ist_op_muldiv.c: MUL IMUL DIV IDIV: the accumulator forms of groups F6h F7h, and IMUL r, r/m. */
#include "ist_opcommon.h"

/*
 * The 386 leaves SF ZF AF PF undefined after a multiplication. We set SF ZF PF from the low half
 * of the product and clear AF, as QEMU and Bochs do: the lazy LOGIC record of the low half gives
 * exactly those (with CF OF clear), so only a product that needs its upper half pays for
 * writing CF and OF.
 */
static inline void mul_flags(struct ist_cpu *cpu, unsigned bits, uint32_t lo, bool wide)
{
	ist_lazy(cpu, IST_LF_LOGIC, bits, 0, 0, lo, 0);
	if (wide)
		ist_flags_set(cpu, IST_CF | IST_OF, IST_CF | IST_OF);
}

/* The double-width accumulator: AX, DX:AX or EDX:EAX. */
static inline uint64_t acc_get(const struct ist_cpu *cpu, unsigned bits)
{
	if (bits == 8)
		return ist_get16(cpu, 0);
	return (uint64_t)ist_reg_get(cpu, IST_EDX * 4, bits) << bits | ist_reg_get(cpu, 0, bits);
}

/* Stores lo in AL, AX or EAX and hi in AH, DX or EDX. */
static inline void acc_set(struct ist_cpu *cpu, unsigned bits, uint32_t lo, uint32_t hi)
{
	if (bits == 8) {
		ist_set16(cpu, 0, (uint16_t)(hi << 8 | (lo & 0xFF)));
	} else {
		ist_reg_set(cpu, 0, bits, lo);
		ist_reg_set(cpu, IST_EDX * 4, bits, hi);
	}
}

static inline int64_t sext64(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

enum muldiv_op { MD_MUL, MD_IMUL, MD_DIV, MD_IDIV };

/* MUL and IMUL: the accumulator times src into the double-width accumulator. */
static inline void mul_acc(struct ist_cpu *cpu, bool sign, unsigned bits, uint32_t src)
{
	uint64_t a = ist_reg_get(cpu, 0, bits), product;
	uint32_t mask = ist_width_mask(bits), lo, hi;
	bool wide;

	if (sign)
		product = (uint64_t)(sext64(a, bits) * sext64(src, bits));
	else
		product = a * src;
	lo = (uint32_t)product & mask;
	hi = (uint32_t)(product >> bits) & mask;
	/* Significant: MUL's upper half is not zero, IMUL's is not the sign of the lower. */
	wide = sign ? product != (uint64_t)sext64(lo, bits) : hi != 0;
	acc_set(cpu, bits, lo, hi);
	mul_flags(cpu, bits, lo, wide);
}

/*
 * DIV and IDIV: the double-width accumulator by src, quotient to the low half and remainder to
 * the high half. A zero divisor or a quotient that does not fit is #DE, a fault: it leaves
 * everything as it was and reports the DIV's own address (the 8086 reported the next). IDIV
 * truncates toward zero, so the remainder has the sign of the dividend, which is C's rule. The
 * most negative quotient (-80h, -8000h, -80000000h) fits, as on the 386; the 8086 raised #DE
 * for it. All six flags are undefined: we leave them unchanged, as QEMU does.
 */
static inline void div_acc(struct ist_cpu *cpu, const struct ist_insn *i, bool sign,
			   unsigned bits, uint32_t src)
{
	uint64_t n = acc_get(cpu, bits);
	uint32_t mask = ist_width_mask(bits);

	if (src == 0)
		ist_raise(cpu, i, IST_EXC_DE, IST_NO_ERROR);
	if (sign) {
		int64_t dividend = sext64(n, 2 * bits), divisor = sext64(src, bits), q;
		int64_t qmin = -((int64_t)1 << (bits - 1)), qmax = ((int64_t)1 << (bits - 1)) - 1;
		/* INT64_MIN / -1 overflows in C; its quotient would not fit anyway. */
		if (dividend == INT64_MIN && divisor == -1)
			ist_raise(cpu, i, IST_EXC_DE, IST_NO_ERROR);
		q = dividend / divisor;
		if (q < qmin || q > qmax)
			ist_raise(cpu, i, IST_EXC_DE, IST_NO_ERROR);
		acc_set(cpu, bits, (uint32_t)q & mask, (uint32_t)(dividend % divisor) & mask);
	} else {
		uint64_t q = n / src;
		if (q > mask)
			ist_raise(cpu, i, IST_EXC_DE, IST_NO_ERROR);
		acc_set(cpu, bits, (uint32_t)q, (uint32_t)(n % src));
	}
}

static inline void muldiv(struct ist_cpu *cpu, const struct ist_insn *i, enum muldiv_op op,
			  unsigned bits, bool mem)
{
	uint32_t src = IST_RM_GET(cpu, i, bits, mem, mem ? ist_ea(cpu, i) : 0);
	if (op == MD_MUL || op == MD_IMUL)
		mul_acc(cpu, op == MD_IMUL, bits, src);
	else
		div_acc(cpu, i, op == MD_IDIV, bits, src);
}

/* F6h F7h /4-/7: one operation and width. */
#define MULDIV(name, op, bits) \
	static void name##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		muldiv(cpu, i, op, bits, false); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		muldiv(cpu, i, op, bits, true); \
		IST_NEXT(cpu, i); \
	}

MULDIV(mul8, MD_MUL, 8)
MULDIV(mul16, MD_MUL, 16)
MULDIV(mul32, MD_MUL, 32)
MULDIV(imul8, MD_IMUL, 8)
MULDIV(imul16, MD_IMUL, 16)
MULDIV(imul32, MD_IMUL, 32)
MULDIV(div8, MD_DIV, 8)
MULDIV(div16, MD_DIV, 16)
MULDIV(div32, MD_DIV, 32)
MULDIV(idiv8, MD_IDIV, 8)
MULDIV(idiv16, MD_IDIV, 16)
MULDIV(idiv32, MD_IDIV, 32)

/* reg = a * b, truncated to the operand width; flags as the one-operand IMUL. */
static inline void imul_reg(struct ist_cpu *cpu, const struct ist_insn *i, unsigned bits,
			    uint32_t a, uint32_t b)
{
	int64_t product = sext64(a, bits) * sext64(b, bits);
	uint32_t lo = (uint32_t)product & ist_width_mask(bits);
	ist_reg_set(cpu, i->reg, bits, lo);
	mul_flags(cpu, bits, lo, product != sext64(lo, bits));
}

/* 0Fh AFh IMUL reg, r/m: _rrm; 69h 6Bh IMUL reg, r/m, imm: _rmi (6Bh's imm8 arrives
 * sign-extended, 69h's imm16 zero-extended: imul_reg takes the low bits either way). */
#define IMUL_REG(bits) \
	static void imul##bits##_rrm_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		imul_reg(cpu, i, bits, ist_reg_get(cpu, i->reg, bits), \
			 ist_reg_get(cpu, i->rm, bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void imul##bits##_rrm_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		imul_reg(cpu, i, bits, ist_reg_get(cpu, i->reg, bits), \
			 ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void imul##bits##_rmi_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		imul_reg(cpu, i, bits, ist_reg_get(cpu, i->rm, bits), i->imm); \
		IST_NEXT(cpu, i); \
	} \
	static void imul##bits##_rmi_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		imul_reg(cpu, i, bits, ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits), i->imm); \
		IST_NEXT(cpu, i); \
	}

IMUL_REG(16)
IMUL_REG(32)

#define BYTE IST_OPF_BYTE

/* The group F6h (8-bit) and F7h (16/32-bit) entries of operation name, /reg. */
#define GROUP(reg, name) \
	IST_OP_RM(0xF6, (reg), BYTE, IST_IMM_NONE, name##8_reg, name##8_mem, name##8_reg, \
		  name##8_mem), \
	IST_OP_RM(0xF7, (reg), 0, IST_IMM_NONE, name##16_reg, name##16_mem, name##32_reg, \
		  name##32_mem)

const struct ist_opcode ist_ops_muldiv[] = {
	/* F6h F7h /4 MUL, /5 IMUL, /6 DIV, /7 IDIV */
	GROUP(4, mul),
	GROUP(5, imul),
	GROUP(6, div),
	GROUP(7, idiv),
	/* 0Fh AFh IMUL reg, r/m */
	IST_OP_RM(IST_0F | 0xAF, -1, 0, IST_IMM_NONE, imul16_rrm_reg, imul16_rrm_mem,
		  imul32_rrm_reg, imul32_rrm_mem),
	/* 69h IMUL reg, r/m, imm16/32; 6Bh IMUL reg, r/m, imm8 */
	IST_OP_RM(0x69, -1, 0, IST_IMM_V, imul16_rmi_reg, imul16_rmi_mem, imul32_rmi_reg,
		  imul32_rmi_mem),
	IST_OP_RM(0x6B, -1, 0, IST_IMM_BS, imul16_rmi_reg, imul16_rmi_mem, imul32_rmi_reg,
		  imul32_rmi_mem),
	IST_OP_TABLE_END,
};
