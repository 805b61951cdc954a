/* ist_flags.h: lazy arithmetic flags: an operation records its operands and result, and
 * CF PF AF ZF SF OF are computed only when something reads them. */
#ifndef MVM_IST_FLAGS_H
#define MVM_IST_FLAGS_H

#include "ist_state.h"

static inline uint32_t ist_width_mask(unsigned bits)
{
	return bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
}

/* v's low `bits` bits, sign-extended to 32. */
static inline uint32_t ist_sign_extend(uint32_t v, unsigned bits)
{
	unsigned shift = 32 - bits;
	return (uint32_t)((int32_t)(v << shift) >> shift);
}

static inline void ist_lazy(struct ist_cpu *cpu, enum ist_lazy_op op, unsigned bits, uint32_t dst,
			    uint32_t src, uint32_t res, unsigned carry)
{
	cpu->lf.res = ist_sign_extend(res, bits);
	cpu->lf.dst = dst;
	cpu->lf.src = src;
	cpu->lf.op = (uint8_t)op;
	cpu->lf.bits = (uint8_t)bits;
	cpu->lf.carry = (uint8_t)carry;
}

static inline bool ist_cf(const struct ist_cpu *cpu)
{
	const struct ist_lazy *lf = &cpu->lf;
	switch (lf->op) {
	case IST_LF_ADD:
		return (((uint64_t)lf->dst + lf->src + lf->carry) >> lf->bits) & 1;
	case IST_LF_SUB:
		return (uint64_t)lf->dst < (uint64_t)lf->src + lf->carry;
	case IST_LF_LOGIC:
		return false;
	case IST_LF_INC:
	case IST_LF_DEC:
		return lf->carry;
	default:
		return cpu->flags & IST_CF;
	}
}

static inline bool ist_zf(const struct ist_cpu *cpu)
{
	return cpu->lf.op == IST_LF_NONE ? cpu->flags & IST_ZF : cpu->lf.res == 0;
}

static inline bool ist_sf(const struct ist_cpu *cpu)
{
	return cpu->lf.op == IST_LF_NONE ? cpu->flags & IST_SF : (int32_t)cpu->lf.res < 0;
}

static inline bool ist_parity_even(uint8_t v)
{
	return !__builtin_parity(v);
}

static inline bool ist_pf(const struct ist_cpu *cpu)
{
	return cpu->lf.op == IST_LF_NONE ? cpu->flags & IST_PF
					 : ist_parity_even((uint8_t)cpu->lf.res);
}

static inline bool ist_of(const struct ist_cpu *cpu)
{
	const struct ist_lazy *lf = &cpu->lf;
	switch (lf->op) {
	case IST_LF_ADD:
	case IST_LF_INC:
		return (((lf->dst ^ lf->res) & (lf->src ^ lf->res)) >> (lf->bits - 1)) & 1;
	case IST_LF_SUB:
	case IST_LF_DEC:
		return (((lf->dst ^ lf->src) & (lf->dst ^ lf->res)) >> (lf->bits - 1)) & 1;
	case IST_LF_LOGIC:
		return false;
	default:
		return cpu->flags & IST_OF;
	}
}

static inline bool ist_af(const struct ist_cpu *cpu)
{
	const struct ist_lazy *lf = &cpu->lf;
	switch (lf->op) {
	case IST_LF_NONE:
		return cpu->flags & IST_AF;
	case IST_LF_LOGIC:
		return false;
	default:
		return (lf->dst ^ lf->src ^ lf->res) & 0x10;
	}
}

/* Condition code cc (the low nibble of Jcc, SETcc, CMOVcc). */
static inline bool ist_cond(const struct ist_cpu *cpu, unsigned cc)
{
	bool r;
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
