/* ist_opcommon.h: what instruction handlers share: operands by width, and the shape of the
 * tables that generate handlers for 8-, 16- and 32-bit forms. */
#ifndef MVM_IST_OPCOMMON_H
#define MVM_IST_OPCOMMON_H

#include "ist_flags.h"
#include "ist_interrupt.h"
#include "ist_mem.h"
#include "ist_ops.h"

/* A register operand (byte offset, see struct ist_insn) of a width. */
static inline uint32_t ist_reg_get(const struct ist_cpu *cpu, unsigned off, unsigned bits)
{
	return bits == 8 ? ist_get8(cpu, off) : bits == 16 ? ist_get16(cpu, off) : ist_get32(cpu, off);
}

static inline void ist_reg_set(struct ist_cpu *cpu, unsigned off, unsigned bits, uint32_t v)
{
	if (bits == 8)
		ist_set8(cpu, off, (uint8_t)v);
	else if (bits == 16)
		ist_set16(cpu, off, (uint16_t)v);
	else
		ist_set32(cpu, off, v);
}

/* A memory operand seg:off of a width. */
static inline uint32_t ist_mem_get(struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg,
				   uint32_t off, unsigned bits)
{
	return bits == 8 ? ist_rd8(cpu, i, seg, off) : bits == 16 ? ist_rd16(cpu, i, seg, off)
								  : ist_rd32(cpu, i, seg, off);
}

static inline void ist_mem_set(struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg,
			       uint32_t off, unsigned bits, uint32_t v)
{
	if (bits == 8)
		ist_wr8(cpu, i, seg, off, (uint8_t)v);
	else if (bits == 16)
		ist_wr16(cpu, i, seg, off, (uint16_t)v);
	else
		ist_wr32(cpu, i, seg, off, v);
}

/* Register number n's offset for a width (the accumulator is 0). */
static inline unsigned ist_reg_n(unsigned n, unsigned bits)
{
	return ist_reg_offset(n, bits == 8);
}

/* Operand width of an instruction that is not 8-bit. */
static inline unsigned ist_opbits(const struct ist_insn *i)
{
	return i->flags & IST_I_OP32 ? 32 : 16;
}

/* The protected-mode I/O permission check for size bytes at port (IOPL,
 * then the TSS bitmap): #GP(0) when refused. */
void ist_io_check(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t port, unsigned size);

/* Jumps within the code segment: the new EIP must lie inside CS. */
static inline void ist_jump_near(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t eip)
{
	if (unlikely(eip > cpu->seg[IST_CS].limit))
		ist_raise(cpu, i, IST_EXC_GP, 0);
	cpu->eip = eip;
}

/* The r/m operand of i (at ea when it is in memory) of a width. */
#define IST_RM_GET(cpu, i, bits, is_mem, ea) \
	((is_mem) ? ist_mem_get((cpu), (i), (i)->seg, (ea), (bits)) \
		  : ist_reg_get((cpu), (i)->rm, (bits)))
#define IST_RM_SET(cpu, i, bits, is_mem, ea, v) \
	do { \
		if (is_mem) \
			ist_mem_set((cpu), (i), (i)->seg, (ea), (bits), (v)); \
		else \
			ist_reg_set((cpu), (i)->rm, (bits), (v)); \
	} while (0)

#endif
