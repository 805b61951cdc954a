/* ist_op_shift.c: ROL ROR RCL RCR SHL/SAL SHR SAR (groups C0h C1h D0h-D3h), SHLD SHRD. */
#include "ist_opcommon.h"

/* ModR/M.reg of the groups; /6 (SAL) is SHL. */
enum shift_op { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAR = 7 };

/* Where the count comes from: D0h D1h, D2h D3h (and SHLD/SHRD A5h ADh), or an imm8. */
enum shift_count { COUNT_ONE, COUNT_CL, COUNT_IMM };

/* The 386 masks every count to 5 bits, whatever the operand size. */
IST_INLINE unsigned shift_count(const struct ist_cpu *cpu, const struct ist_insn *i,
				enum shift_count c)
{
	switch (c) {
	case COUNT_ONE:
		return 1;
	case COUNT_CL:
		return cpu->r[IST_ECX] & 31;
	default:
		return i->imm & 31;
	}
}

IST_INLINE uint32_t msb(uint32_t v, unsigned bits)
{
	return (v >> (bits - 1)) & 1;
}

IST_INLINE uint32_t szp_flags(uint32_t res, unsigned bits)
{
	return (res == 0 ? IST_ZF : 0) | (msb(res, bits) ? IST_SF : 0) |
	       (ist_parity_even((uint8_t)res) ? IST_PF : 0);
}

/*
 * OF is defined for a count of 1 only. For larger counts the IST sets it as the last one-bit
 * step of the operation would (as Bochs does), which is the count-1 formula applied to the
 * final result: after a step to the left, MSB(result) XOR CF; after a step to the right,
 * MSB(result) XOR the bit below it. For a count of 1 the latter is the SDM's MSB(original) XOR
 * CF for RCR and MSB(original) for SHR; for SHR by more than 1 it is 0.
 */
IST_INLINE uint32_t of_left(uint32_t res, unsigned bits, uint32_t cf)
{
	return msb(res, bits) ^ cf ? IST_OF : 0;
}

IST_INLINE uint32_t of_right(uint32_t res, unsigned bits)
{
	return msb(res ^ (res << 1), bits) ? IST_OF : 0;
}

/* Shifts define all six arithmetic flags (AF, undefined, as 0), so the lazy state they
 * replace is dead: it is dropped rather than materialized. */
IST_INLINE void set_arith_flags(struct ist_cpu *cpu, uint32_t flags)
{
	cpu->flags = (cpu->flags & ~IST_ARITH) | flags;
	cpu->lf.op = IST_LF_NONE;
}

IST_INLINE bool is_rotate(enum shift_op op)
{
	return op <= SH_RCR;
}

/* RCL and RCR rotate the bits + 1 bit value CF:dst, by a count modulo bits + 1 (32-bit counts
 * are below 33 already): a count of 9 or 17 leaves it as it was. */
IST_INLINE uint64_t rotate_through_carry(bool left, unsigned bits, uint32_t dst, uint32_t cf,
					 unsigned count)
{
	uint64_t v = (uint64_t)cf << bits | dst, mask = ((uint64_t)2 << bits) - 1;
	unsigned n = bits == 32 ? count : count % (bits + 1);
	return (left ? v << n | v >> (bits + 1 - n) : v >> n | v << (bits + 1 - n)) & mask;
}

/* dst (bits wide) shifted or rotated by count (1-31); *flags gets CF and OF and, for the
 * shifts, SF ZF PF. cf_in is CF before, which RCL and RCR rotate through. */
IST_INLINE uint32_t shift_result(enum shift_op op, unsigned bits, uint32_t dst,
				 unsigned count, uint32_t cf_in, uint32_t *flags)
{
	uint32_t mask = ist_width_mask(bits), res, cf;
	unsigned n = count & (bits - 1); /* ROL ROR */
	uint64_t wide;
	int32_t sdst;

	switch (op) {
	case SH_ROL:
		/* A rotation by a multiple of the width still sets CF and OF. */
		res = ((dst << n) | (dst >> ((bits - n) & (bits - 1)))) & mask;
		cf = res & 1;
		*flags = (cf ? IST_CF : 0) | of_left(res, bits, cf);
		break;
	case SH_ROR:
		res = ((dst >> n) | (dst << ((bits - n) & (bits - 1)))) & mask;
		cf = msb(res, bits);
		*flags = (cf ? IST_CF : 0) | of_right(res, bits);
		break;
	case SH_RCL:
		wide = rotate_through_carry(true, bits, dst, cf_in, count);
		res = (uint32_t)wide & mask;
		cf = (uint32_t)(wide >> bits) & 1;
		*flags = (cf ? IST_CF : 0) | of_left(res, bits, cf);
		break;
	case SH_RCR:
		wide = rotate_through_carry(false, bits, dst, cf_in, count);
		res = (uint32_t)wide & mask;
		cf = (uint32_t)(wide >> bits) & 1;
		*flags = (cf ? IST_CF : 0) | of_right(res, bits);
		break;
	/* Counts of the width or more: CF is the last bit out as the SDM's one-bit loop
	 * shifts it (0 past the width, the sign for SAR), where the SDM leaves it
	 * undefined for SHL and SHR. */
	case SH_SHL:
		wide = (uint64_t)dst << count;
		res = (uint32_t)wide & mask;
		cf = (uint32_t)(wide >> bits) & 1;
		*flags = (cf ? IST_CF : 0) | of_left(res, bits, cf) | szp_flags(res, bits);
		break;
	case SH_SHR:
		res = dst >> count;
		cf = (dst >> (count - 1)) & 1;
		*flags = (cf ? IST_CF : 0) | of_right(res, bits) | szp_flags(res, bits);
		break;
	default:
		sdst = (int32_t)ist_sign_extend(dst, bits);
		res = (uint32_t)(sdst >> count) & mask;
		cf = (uint32_t)(sdst >> (count - 1)) & 1;
		*flags = (cf ? IST_CF : 0) | szp_flags(res, bits); /* OF = 0 */
		break;
	}
	return res;
}

/* Flags are recorded after the result is stored: a store that faults leaves them as they
 * were. Rotates keep SF ZF AF PF. */
IST_INLINE void shift_flags(struct ist_cpu *cpu, enum shift_op op, uint32_t flags)
{
	if (is_rotate(op))
		ist_flags_set(cpu, flags, IST_CF | IST_OF);
	else
		set_arith_flags(cpu, flags);
}

IST_INLINE uint32_t shift_cf_in(const struct ist_cpu *cpu, enum shift_op op)
{
	return op == SH_RCL || op == SH_RCR ? ist_cf(cpu) : 0;
}

/* r/m op= count. A count of 0 changes nothing, flags included: the 386 reads a memory operand
 * but does not write it back. */
IST_INLINE void shift_rm(struct ist_cpu *cpu, const struct ist_insn *i, enum shift_op op,
			 unsigned bits, bool mem, enum shift_count c)
{
	unsigned count = shift_count(cpu, i, c);
	uint32_t ea = mem ? ist_ea(cpu, i) : 0;
	uint32_t dst = IST_RM_GET(cpu, i, bits, mem, ea), flags, res;
	if (count == 0)
		return;
	res = shift_result(op, bits, dst, count, shift_cf_in(cpu, op), &flags);
	IST_RM_SET(cpu, i, bits, mem, ea, res);
	shift_flags(cpu, op, flags);
}

/* [p] op= count, p from ist_fast */
IST_INLINE void shift_host(struct ist_cpu *cpu, enum shift_op op, unsigned bits, uint8_t *p,
			   unsigned count)
{
	uint32_t flags, res;
	if (count == 0)
		return;
	res = shift_result(op, bits, ist_host_get(p, bits), count, shift_cf_in(cpu, op), &flags);
	ist_host_set(p, bits, res);
	shift_flags(cpu, op, flags);
}

#define SHIFT_FORM(name, op, bits, form, c) \
	static void name##bits##_##form##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		shift_rm(cpu, i, op, bits, false, c); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##bits##_##form##_mem_careful(struct ist_cpu *cpu, \
						      const struct ist_insn *i) \
	{ \
		shift_rm(cpu, i, op, bits, true, c); \
		IST_NEXT(cpu, i); \
	} \
	static void name##bits##_##form##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, true); \
		if (unlikely(!p)) \
			return name##bits##_##form##_mem_careful(cpu, i); \
		shift_host(cpu, op, bits, p, shift_count(cpu, i, c)); \
		IST_NEXT(cpu, i); \
	}

#define SHIFT_WIDTH(name, op, bits) \
	SHIFT_FORM(name, op, bits, one, COUNT_ONE) \
	SHIFT_FORM(name, op, bits, cl, COUNT_CL) \
	SHIFT_FORM(name, op, bits, imm, COUNT_IMM)

#define SHIFT_OP(name, op) \
	SHIFT_WIDTH(name, op, 8) \
	SHIFT_WIDTH(name, op, 16) \
	SHIFT_WIDTH(name, op, 32)

SHIFT_OP(rol, SH_ROL)
SHIFT_OP(ror, SH_ROR)
SHIFT_OP(rcl, SH_RCL)
SHIFT_OP(rcr, SH_RCR)
SHIFT_OP(shl, SH_SHL)
SHIFT_OP(shr, SH_SHR)
SHIFT_OP(sar, SH_SAR)

/*
 * SHLD r/m, reg: r/m shifted left, the vacated bits filled from the top of reg; SHRD: to the
 * right, filled from the bottom of reg. count is 1-31. CF is the last bit out of r/m; SF ZF PF
 * from the result; OF as for the shifts (see of_left); AF, undefined, 0.
 *
 * A 16-bit count of 17-31 is undefined: the IST does as P6 and later Intel CPUs (and QEMU and
 * Bochs) do and shifts the 48-bit value r/m:reg:r/m, setting the flags the same way.
 */
IST_INLINE uint32_t shiftd_result(bool left, unsigned bits, uint32_t dst, uint32_t src,
				  unsigned count, uint32_t *flags)
{
	uint32_t mask = ist_width_mask(bits), res, cf, of;
	uint64_t v;

	if (bits == 16)
		v = (uint64_t)dst << 32 | src << 16 | dst;
	else if (left)
		v = (uint64_t)dst << 32 | src;
	else
		v = (uint64_t)src << 32 | dst;
	/* The result is the bits of r/m's width just above bit 32 - count (left), or at
	 * count (right), of v. */
	if (left) {
		res = (uint32_t)(v >> (32 - count)) & mask;
		cf = (uint32_t)(v >> (bits + 32 - count)) & 1;
		of = of_left(res, bits, cf);
	} else {
		res = (uint32_t)(v >> count) & mask;
		cf = (uint32_t)(v >> (count - 1)) & 1;
		of = of_right(res, bits);
	}
	*flags = (cf ? IST_CF : 0) | of | szp_flags(res, bits);
	return res;
}

/* As for the shifts, a count of 0 reads the operand and changes nothing. */
IST_INLINE void shiftd_rm(struct ist_cpu *cpu, const struct ist_insn *i, bool left,
			  unsigned bits, bool mem, enum shift_count c)
{
	unsigned count = shift_count(cpu, i, c);
	uint32_t ea = mem ? ist_ea(cpu, i) : 0;
	uint32_t dst = IST_RM_GET(cpu, i, bits, mem, ea), flags, res;
	if (count == 0)
		return;
	res = shiftd_result(left, bits, dst, ist_reg_get(cpu, i->reg, bits), count, &flags);
	IST_RM_SET(cpu, i, bits, mem, ea, res);
	set_arith_flags(cpu, flags);
}

IST_INLINE void shiftd_host(struct ist_cpu *cpu, const struct ist_insn *i, bool left,
			    unsigned bits, uint8_t *p, enum shift_count c)
{
	unsigned count = shift_count(cpu, i, c);
	uint32_t flags, res;
	if (count == 0)
		return;
	res = shiftd_result(left, bits, ist_host_get(p, bits), ist_reg_get(cpu, i->reg, bits),
			    count, &flags);
	ist_host_set(p, bits, res);
	set_arith_flags(cpu, flags);
}

#define SHIFTD_FORM(name, left, bits, form, c) \
	static void name##bits##_##form##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		shiftd_rm(cpu, i, left, bits, false, c); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##bits##_##form##_mem_careful(struct ist_cpu *cpu, \
						      const struct ist_insn *i) \
	{ \
		shiftd_rm(cpu, i, left, bits, true, c); \
		IST_NEXT(cpu, i); \
	} \
	static void name##bits##_##form##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, true); \
		if (unlikely(!p)) \
			return name##bits##_##form##_mem_careful(cpu, i); \
		shiftd_host(cpu, i, left, bits, p, c); \
		IST_NEXT(cpu, i); \
	}

#define SHIFTD_OP(name, left) \
	SHIFTD_FORM(name, left, 16, cl, COUNT_CL) \
	SHIFTD_FORM(name, left, 16, imm, COUNT_IMM) \
	SHIFTD_FORM(name, left, 32, cl, COUNT_CL) \
	SHIFTD_FORM(name, left, 32, imm, COUNT_IMM)

SHIFTD_OP(shld, true)
SHIFTD_OP(shrd, false)

#define BYTE IST_OPF_BYTE

/* ModR/M.reg group of C0h (r/m8, imm8), C1h (r/m16/32, imm8), D0h D1h (by 1), D2h D3h
 * (by CL). */
#define SHIFT_TABLE(group, name) \
	IST_OP_RM(0xC0, (group), BYTE, IST_IMM_B, name##8_imm_reg, name##8_imm_mem, \
		  name##8_imm_reg, name##8_imm_mem), \
	IST_OP_RM(0xC1, (group), 0, IST_IMM_B, name##16_imm_reg, name##16_imm_mem, \
		  name##32_imm_reg, name##32_imm_mem), \
	IST_OP_RM(0xD0, (group), BYTE, IST_IMM_NONE, name##8_one_reg, name##8_one_mem, \
		  name##8_one_reg, name##8_one_mem), \
	IST_OP_RM(0xD1, (group), 0, IST_IMM_NONE, name##16_one_reg, name##16_one_mem, \
		  name##32_one_reg, name##32_one_mem), \
	IST_OP_RM(0xD2, (group), BYTE, IST_IMM_NONE, name##8_cl_reg, name##8_cl_mem, \
		  name##8_cl_reg, name##8_cl_mem), \
	IST_OP_RM(0xD3, (group), 0, IST_IMM_NONE, name##16_cl_reg, name##16_cl_mem, \
		  name##32_cl_reg, name##32_cl_mem)

#define SHIFTD_TABLE(code, name, imm, form) \
	IST_OP_RM(IST_0F | (code), -1, 0, (imm), name##16_##form##_reg, name##16_##form##_mem, \
		  name##32_##form##_reg, name##32_##form##_mem)

const struct ist_opcode ist_ops_shift[] = {
	SHIFT_TABLE(SH_ROL, rol),
	SHIFT_TABLE(SH_ROR, ror),
	SHIFT_TABLE(SH_RCL, rcl),
	SHIFT_TABLE(SH_RCR, rcr),
	SHIFT_TABLE(SH_SHL, shl),
	SHIFT_TABLE(SH_SHR, shr),
	SHIFT_TABLE(6, shl), /* SAL */
	SHIFT_TABLE(SH_SAR, sar),
	/* 0Fh A4h A5h SHLD r/m, reg, imm8 or CL; 0Fh ACh ADh SHRD */
	SHIFTD_TABLE(0xA4, shld, IST_IMM_B, imm),
	SHIFTD_TABLE(0xA5, shld, IST_IMM_NONE, cl),
	SHIFTD_TABLE(0xAC, shrd, IST_IMM_B, imm),
	SHIFTD_TABLE(0xAD, shrd, IST_IMM_NONE, cl),
	IST_OP_TABLE_END,
};
