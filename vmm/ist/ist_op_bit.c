/* ist_op_bit.c: BT BTS BTR BTC (0Fh A3h ABh B3h BBh, group 0Fh BAh /4-/7), BSF BSR. */
#include "ist_opcommon.h"

/* In the order of group 0Fh BAh /4-/7. */
enum bt_op { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

IST_INLINE uint32_t bt_apply(enum bt_op op, uint32_t v, unsigned n)
{
	switch (op) {
	case BT_SET:
		return v | 1u << n;
	case BT_RESET:
		return v & ~(1u << n);
	case BT_COMPLEMENT:
		return v ^ 1u << n;
	default:
		return v;
	}
}

/* CF = bit n of v, and only CF: OF SF AF PF are undefined and keep their values, as on later
 * Intel CPUs; ZF is unchanged. Called after the store, so a faulting store leaves CF. */
IST_INLINE void bt_flags(struct ist_cpu *cpu, uint32_t v, unsigned n)
{
	ist_flags_set(cpu, (v >> n) & 1 ? IST_CF : 0, IST_CF);
}

/* A register operand: the bit offset is taken modulo the width. */
IST_INLINE void bt_reg(struct ist_cpu *cpu, const struct ist_insn *i, enum bt_op op,
		       unsigned bits, uint32_t offset)
{
	unsigned n = offset & (bits - 1);
	uint32_t v = ist_reg_get(cpu, i->rm, bits);
	if (op != BT_TEST)
		ist_reg_set(cpu, i->rm, bits, bt_apply(op, v, n));
	bt_flags(cpu, v, n);
}

/* Bit n of the operand at seg:ea. */
IST_INLINE void bt_mem(struct ist_cpu *cpu, const struct ist_insn *i, enum bt_op op,
		       unsigned bits, uint32_t ea, unsigned n)
{
	uint32_t v = ist_mem_get(cpu, i, i->seg, ea, bits);
	if (op != BT_TEST)
		ist_mem_set(cpu, i, i->seg, ea, bits, bt_apply(op, v, n));
	bt_flags(cpu, v, n);
}

/* Bit n of the operand at p, from ist_fast. */
IST_INLINE void bt_host(struct ist_cpu *cpu, enum bt_op op, unsigned bits, uint8_t *p,
			unsigned n)
{
	uint32_t v = ist_host_get(p, bits);
	if (op != BT_TEST)
		ist_host_set(p, bits, bt_apply(op, v, n));
	bt_flags(cpu, v, n);
}

/* A memory operand with a register bit offset: the offset is signed and reaches outside the
 * operand, to the operand-sized word offset / bits (rounded down) words away, its address
 * wrapping to the address size. Returns that address; *n is the bit in it. */
IST_INLINE uint32_t bt_offset_ea(const struct ist_cpu *cpu, const struct ist_insn *i,
				 unsigned bits, unsigned *n)
{
	int32_t offset = (int32_t)ist_sign_extend(ist_reg_get(cpu, i->reg, bits), bits);
	uint32_t ea = ist_ea(cpu, i) + (uint32_t)(offset >> (bits == 16 ? 4 : 5)) * (bits / 8);
	*n = (unsigned)offset & (bits - 1);
	return i->flags & IST_I_ADDR32 ? ea : ea & 0xFFFF;
}

/* Handlers of one operation and width: by a register offset (0Fh A3h ...), or by an imm8
 * (0Fh BAh), which is taken modulo the width even with a memory operand. */
#define BT_WIDTH(name, op, bits) \
	static void name##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		bt_reg(cpu, i, op, bits, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##bits##_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		unsigned n; \
		uint32_t ea = bt_offset_ea(cpu, i, bits, &n); \
		bt_mem(cpu, i, op, bits, ea, n); \
		IST_NEXT(cpu, i); \
	} \
	static void name##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		unsigned n; \
		uint8_t *p = ist_fast(cpu, i->seg, bt_offset_ea(cpu, i, bits, &n), bits / 8, \
				      op != BT_TEST); \
		if (unlikely(!p)) \
			return name##bits##_mem_careful(cpu, i); \
		bt_host(cpu, op, bits, p, n); \
		IST_NEXT(cpu, i); \
	} \
	static void name##bits##_imm_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		bt_reg(cpu, i, op, bits, i->imm); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##bits##_imm_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		bt_mem(cpu, i, op, bits, ist_ea(cpu, i), i->imm & (bits - 1)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##bits##_imm_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, op != BT_TEST); \
		if (unlikely(!p)) \
			return name##bits##_imm_mem_careful(cpu, i); \
		bt_host(cpu, op, bits, p, i->imm & (bits - 1)); \
		IST_NEXT(cpu, i); \
	}

#define BT_OP(name, op) \
	BT_WIDTH(name, op, 16) \
	BT_WIDTH(name, op, 32)

BT_OP(bt, BT_TEST)
BT_OP(bts, BT_SET)
BT_OP(btr, BT_RESET)
BT_OP(btc, BT_COMPLEMENT)

/* BSF, BSR reg, src: the index of the lowest or highest set bit of src. A source of 0 sets ZF
 * and leaves the destination as it was (as Intel's CPUs do; the SDM says undefined); CF OF SF
 * AF PF are undefined and keep their values. */
IST_INLINE void bitscan(struct ist_cpu *cpu, const struct ist_insn *i, bool reverse,
			unsigned bits, uint32_t src)
{
	if (src == 0) {
		ist_flags_set(cpu, IST_ZF, IST_ZF);
		return;
	}
	ist_reg_set(cpu, i->reg, bits,
		    reverse ? 31u - (unsigned)__builtin_clz(src) : (unsigned)__builtin_ctz(src));
	ist_flags_set(cpu, 0, IST_ZF);
}

#define BITSCAN(name, reverse, bits) \
	static void name##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		bitscan(cpu, i, reverse, bits, ist_reg_get(cpu, i->rm, bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##bits##_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		bitscan(cpu, i, reverse, bits, ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		const uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, false); \
		if (unlikely(!p)) \
			return name##bits##_mem_careful(cpu, i); \
		bitscan(cpu, i, reverse, bits, ist_host_get(p, bits)); \
		IST_NEXT(cpu, i); \
	}

BITSCAN(bsf, false, 16)
BITSCAN(bsf, false, 32)
BITSCAN(bsr, true, 16)
BITSCAN(bsr, true, 32)

#define LOCK IST_OPF_LOCK

/* 0Fh code: name r/m, reg; 0Fh BAh /group: name r/m, imm8. */
#define BT_TABLE(code, group, name, lock) \
	IST_OP_RM(IST_0F | (code), -1, (lock), IST_IMM_NONE, name##16_reg, name##16_mem, \
		  name##32_reg, name##32_mem), \
	IST_OP_RM(IST_0F | 0xBA, (group), (lock), IST_IMM_B, name##16_imm_reg, \
		  name##16_imm_mem, name##32_imm_reg, name##32_imm_mem)

const struct ist_opcode ist_ops_bit[] = {
	BT_TABLE(0xA3, 4, bt, 0), /* BT only reads: no LOCK */
	BT_TABLE(0xAB, 5, bts, LOCK),
	BT_TABLE(0xB3, 6, btr, LOCK),
	BT_TABLE(0xBB, 7, btc, LOCK),
	/* 0Fh BCh BSF, 0Fh BDh BSR reg, r/m */
	IST_OP_RM(IST_0F | 0xBC, -1, 0, IST_IMM_NONE, bsf16_reg, bsf16_mem, bsf32_reg, bsf32_mem),
	IST_OP_RM(IST_0F | 0xBD, -1, 0, IST_IMM_NONE, bsr16_reg, bsr16_mem, bsr32_reg, bsr32_mem),
	IST_OP_TABLE_END,
};
