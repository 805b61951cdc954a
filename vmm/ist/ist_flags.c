/* ist_flags.c: lazy arithmetic flags made concrete. */
#include "ist_flags.h"

uint32_t ist_flags_get(const struct ist_cpu *cpu)
{
	uint32_t f = cpu->flags;
	if (cpu->lf.op == IST_LF_NONE)
		return f | IST_FLAG1;
	f &= ~IST_ARITH;
	f |= ist_cf(cpu) ? IST_CF : 0;
	f |= ist_pf(cpu) ? IST_PF : 0;
	f |= ist_af(cpu) ? IST_AF : 0;
	f |= ist_zf(cpu) ? IST_ZF : 0;
	f |= ist_sf(cpu) ? IST_SF : 0;
	f |= ist_of(cpu) ? IST_OF : 0;
	return f | IST_FLAG1;
}

void ist_flags_materialize(struct ist_cpu *cpu)
{
	cpu->flags = ist_flags_get(cpu);
	cpu->lf.op = IST_LF_NONE;
}

void ist_flags_set(struct ist_cpu *cpu, uint32_t value, uint32_t mask)
{
	ist_flags_materialize(cpu);
	cpu->flags = ((cpu->flags & ~mask) | (value & mask)) | IST_FLAG1;
}
