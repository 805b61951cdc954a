/* ist_op_io.c: IN and OUT, through the VMM's device dispatch, with the protected-mode I/O
 * permission checks (IOPL, then the TSS bitmap). */
#include "ist_opcommon.h"

/* Offset of the I/O map base in a 32-bit TSS. */
#define TSS32_IOMAP_BASE 0x66

void ist_io_check(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t port, unsigned size)
{
	unsigned type = cpu->tr.attr & IST_ATTR_TYPE;
	uint32_t base, byte;
	uint16_t bits;

	if (!ist_pe(cpu) || (!(cpu->flags & IST_VM) && cpu->cpl <= ist_iopl(cpu)))
		return;
	/* Only a 386 TSS has a permission bitmap; every port of the access must
	 * be allowed (its bit 0). */
	if (type != 9 && type != 11)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (cpu->tr.limit < TSS32_IOMAP_BASE + 1)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	base = ist_lin_rd16(cpu, cpu->tr.base + TSS32_IOMAP_BASE);
	byte = base + port / 8;
	if (byte + 1 > cpu->tr.limit)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	bits = ist_lin_rd16(cpu, cpu->tr.base + byte);
	if ((bits >> (port & 7)) & ((1u << size) - 1))
		ist_raise(cpu, i, IST_EXC_GP, 0);
}

/* One port access: the device may raise an interrupt, so the run returns
 * to the VMM after this block. */
static uint32_t port_in(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t port,
			unsigned size)
{
	uint8_t data[4] = { 0 };
	uint32_t v = 0;
	ist_io_check(cpu, i, port, size);
	cpu->bus.io(cpu->bus.opaque, port, size, false, data, 1);
	ist_yield(cpu);
	memcpy(&v, data, size);
	return v;
}

static void port_out(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t port, unsigned size,
		     uint32_t v)
{
	uint8_t data[4];
	ist_io_check(cpu, i, port, size);
	memcpy(data, &v, 4);
	cpu->bus.io(cpu->bus.opaque, port, size, true, data, 1);
	ist_yield(cpu);
}

#define IO_WIDTH(bits) \
	static void in_imm##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, 0, bits, port_in(cpu, i, (uint8_t)i->imm, bits / 8)); \
		cpu->eip = ist_next_eip(i); \
	} \
	static void in_dx##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, 0, bits, port_in(cpu, i, ist_get16(cpu, IST_EDX * 4), bits / 8)); \
		cpu->eip = ist_next_eip(i); \
	} \
	static void out_imm##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		port_out(cpu, i, (uint8_t)i->imm, bits / 8, ist_reg_get(cpu, 0, bits)); \
		cpu->eip = ist_next_eip(i); \
	} \
	static void out_dx##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		port_out(cpu, i, ist_get16(cpu, IST_EDX * 4), bits / 8, ist_reg_get(cpu, 0, bits)); \
		cpu->eip = ist_next_eip(i); \
	}

IO_WIDTH(8)
IO_WIDTH(16)
IO_WIDTH(32)

#define END IST_OPF_END

const struct ist_opcode ist_ops_io[] = {
	IST_OP(0xE4, END, IST_IMM_B, in_imm8, in_imm8),
	IST_OP(0xE5, END, IST_IMM_B, in_imm16, in_imm32),
	IST_OP(0xE6, END, IST_IMM_B, out_imm8, out_imm8),
	IST_OP(0xE7, END, IST_IMM_B, out_imm16, out_imm32),
	IST_OP(0xEC, END, IST_IMM_NONE, in_dx8, in_dx8),
	IST_OP(0xED, END, IST_IMM_NONE, in_dx16, in_dx32),
	IST_OP(0xEE, END, IST_IMM_NONE, out_dx8, out_dx8),
	IST_OP(0xEF, END, IST_IMM_NONE, out_dx16, out_dx32),
	IST_OP_TABLE_END,
};
