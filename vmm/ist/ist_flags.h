/* ist_flags.h: lazy arithmetic flags: an operation records its operands and result, and
 * CF PF AF ZF SF OF are computed only when something reads them. */
#ifndef MVM_IST_FLAGS_H
#define MVM_IST_FLAGS_H

#include "ist_state.h"

IST_INLINE uint32_t ist_width_mask(unsigned bits)
{
	return bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
}

/* v's low `bits` bits, sign-extended to 32. */
IST_INLINE uint32_t ist_sign_extend(uint32_t v, unsigned bits)
{
	unsigned shift = 32 - bits;
	return (uint32_t)((int32_t)(v << shift) >> shift);
}

IST_INLINE void ist_lazy(struct ist_cpu *cpu, enum ist_lazy_op op, unsigned bits, uint32_t dst,
			    uint32_t src, uint32_t res, unsigned carry)
{
	cpu->lf.res = ist_sign_extend(res, bits);
	cpu->lf.dst = ist_sign_extend(dst, bits);
	cpu->lf.src = ist_sign_extend(src, bits);
	cpu->lf.op = (uint8_t)op;
	cpu->lf.bits = (uint8_t)bits;
	cpu->lf.carry = (uint8_t)carry;
}

/* INC and DEC leave CF alone (see struct ist_lazy). */
IST_INLINE void ist_lazy_incdec(struct ist_cpu *cpu, bool dec, unsigned bits, uint32_t dst,
				   uint32_t res)
{
	if (cpu->lf.op != IST_LF_INC && cpu->lf.op != IST_LF_DEC)
		cpu->lf.cf_op = cpu->lf.op;
	cpu->lf.op = dec ? IST_LF_DEC : IST_LF_INC;
	cpu->lf.res = ist_sign_extend(res, bits);
	cpu->lf.id_dst = ist_sign_extend(dst, bits);
}

/* CF as operation op (not INC or DEC) with the recorded operands sets it. */
IST_INLINE bool ist_cf_of(const struct ist_cpu *cpu, unsigned op)
{
	const struct ist_lazy *lf = &cpu->lf;
	uint32_t mask;
	switch (op) {
	case IST_LF_ADD:
		mask = ist_width_mask(lf->bits);
		return ((uint64_t)(lf->dst & mask) + (lf->src & mask) + lf->carry) > mask;
	case IST_LF_SUB:
		mask = ist_width_mask(lf->bits);
		return (uint64_t)(lf->dst & mask) < (uint64_t)(lf->src & mask) + lf->carry;
	case IST_LF_LOGIC:
		return false;
	default:
		return cpu->flags & IST_CF;
	}
}

IST_INLINE bool ist_cf(const struct ist_cpu *cpu)
{
	if (cpu->lf.op == IST_LF_INC || cpu->lf.op == IST_LF_DEC)
		return ist_cf_of(cpu, cpu->lf.cf_op);
	return ist_cf_of(cpu, cpu->lf.op);
}

IST_INLINE bool ist_zf(const struct ist_cpu *cpu)
{
	return cpu->lf.op == IST_LF_NONE ? cpu->flags & IST_ZF : cpu->lf.res == 0;
}

IST_INLINE bool ist_sf(const struct ist_cpu *cpu)
{
	return cpu->lf.op == IST_LF_NONE ? cpu->flags & IST_SF : (int32_t)cpu->lf.res < 0;
}

IST_INLINE bool ist_parity_even(uint8_t v)
{
	return !__builtin_parity(v);
}

IST_INLINE bool ist_pf(const struct ist_cpu *cpu)
{
	return cpu->lf.op == IST_LF_NONE ? cpu->flags & IST_PF
					 : ist_parity_even((uint8_t)cpu->lf.res);
}

IST_INLINE bool ist_of(const struct ist_cpu *cpu)
{
	const struct ist_lazy *lf = &cpu->lf;
	switch (lf->op) {
	case IST_LF_ADD:
		return (int32_t)((lf->dst ^ lf->res) & (lf->src ^ lf->res)) < 0;
	case IST_LF_SUB:
		return (int32_t)((lf->dst ^ lf->src) & (lf->dst ^ lf->res)) < 0;
	case IST_LF_INC:
		return (int32_t)((lf->id_dst ^ lf->res) & (1 ^ lf->res)) < 0;
	case IST_LF_DEC:
		return (int32_t)((lf->id_dst ^ 1) & (lf->id_dst ^ lf->res)) < 0;
	case IST_LF_LOGIC:
		return false;
	default:
		return cpu->flags & IST_OF;
	}
}

IST_INLINE bool ist_af(const struct ist_cpu *cpu)
{
	const struct ist_lazy *lf = &cpu->lf;
	switch (lf->op) {
	case IST_LF_NONE:
		return cpu->flags & IST_AF;
	case IST_LF_LOGIC:
		return false;
	case IST_LF_INC:
	case IST_LF_DEC:
		return (lf->id_dst ^ 1 ^ lf->res) & 0x10;
	default:
		return (lf->dst ^ lf->src ^ lf->res) & 0x10;
	}
}

/* Condition code cc (the low nibble of Jcc, SETcc). After CMP or SUB (the
 * usual case) the signed and unsigned comparisons are read straight from
 * the operands. */
IST_INLINE bool ist_cond(const struct ist_cpu *cpu, unsigned cc)
{
	const struct ist_lazy *lf = &cpu->lf;
	bool r;
	if (lf->op == IST_LF_SUB && !lf->carry) {
		uint32_t mask = ist_width_mask(lf->bits);
		switch (cc >> 1) {
		case 1: /* B */
			return ((lf->dst & mask) < (lf->src & mask)) ^ (cc & 1);
		case 2: /* Z */
			return (lf->res == 0) ^ (cc & 1);
		case 3: /* BE */
			return ((lf->dst & mask) <= (lf->src & mask)) ^ (cc & 1);
		case 6: /* L */
			return ((int32_t)lf->dst < (int32_t)lf->src) ^ (cc & 1);
		case 7: /* LE */
			return ((int32_t)lf->dst <= (int32_t)lf->src) ^ (cc & 1);
		default:
			break;
		}
	}
	switch (cc >> 1) {
	case 0:
		r = ist_of(cpu);
		break;
	case 1:
		r = ist_cf(cpu);
		break;
	case 2:
		r = ist_zf(cpu);
		break;
	case 3:
		r = ist_cf(cpu) || ist_zf(cpu);
		break;
	case 4:
		r = ist_sf(cpu);
		break;
	case 5:
		r = ist_pf(cpu);
		break;
	case 6:
		r = ist_sf(cpu) != ist_of(cpu);
		break;
	default:
		r = ist_zf(cpu) || ist_sf(cpu) != ist_of(cpu);
		break;
	}
	return r ^ (cc & 1);
}

/* EFLAGS as the guest sees it. */
uint32_t ist_flags_get(const struct ist_cpu *cpu);

/* Writes the bits of value selected by mask into EFLAGS. */
void ist_flags_set(struct ist_cpu *cpu, uint32_t value, uint32_t mask);

/* Makes the arithmetic flags concrete in cpu->flags (before an
 * instruction changes only some of them). */
void ist_flags_materialize(struct ist_cpu *cpu);

#endif
