/* ist_op_flags.c: CLC STC CMC, CLD STD, CLI STI. */
#include "ist_opcommon.h"

static void clc(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_flags_set(cpu, 0, IST_CF);
	IST_NEXT(cpu, i);
}

static void stc(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_flags_set(cpu, IST_CF, IST_CF);
	IST_NEXT(cpu, i);
}

static void cmc(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_flags_set(cpu, ist_cf(cpu) ? 0 : IST_CF, IST_CF);
	IST_NEXT(cpu, i);
}

static void cld(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->flags &= ~IST_DF;
	IST_NEXT(cpu, i);
}

static void std_(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->flags |= IST_DF;
	IST_NEXT(cpu, i);
}

/* CLI and STI need CPL <= IOPL in protected mode. */
static void check_iopl(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if ((ist_pe(cpu) && cpu->cpl > ist_iopl(cpu)) ||
	    ((cpu->flags & IST_VM) && ist_iopl(cpu) < 3))
		ist_raise(cpu, i, IST_EXC_GP, 0);
}

static void cli(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_iopl(cpu, i);
	cpu->flags &= ~IST_IF;
	IST_NEXT(cpu, i);
}

/* STI lets interrupts in only after the next instruction (so STI; HLT
 * cannot miss one), and ends the block so they are looked at. */
static void sti(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_iopl(cpu, i);
	if (!(cpu->flags & IST_IF))
		cpu->inhibit = true;
	cpu->flags |= IST_IF;
	cpu->eip = ist_next_eip(i);
}

const struct ist_opcode ist_ops_flags[] = {
	IST_OP(0xF5, 0, IST_IMM_NONE, cmc, cmc),
	IST_OP(0xF8, 0, IST_IMM_NONE, clc, clc),
	IST_OP(0xF9, 0, IST_IMM_NONE, stc, stc),
	IST_OP(0xFA, 0, IST_IMM_NONE, cli, cli),
	IST_OP(0xFB, IST_OPF_END, IST_IMM_NONE, sti, sti),
	IST_OP(0xFC, 0, IST_IMM_NONE, cld, cld),
	IST_OP(0xFD, 0, IST_IMM_NONE, std_, std_),
	IST_OP_TABLE_END,
};
