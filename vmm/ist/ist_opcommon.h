/* ist_opcommon.h: what instruction handlers share: operands by width, and the shape of the
 * tables that generate handlers for 8-, 16- and 32-bit forms. */
#ifndef MVM_IST_OPCOMMON_H
#define MVM_IST_OPCOMMON_H

#include "ist_cache.h"
#include "ist_flags.h"
#include "ist_interrupt.h"
#include "ist_mem.h"
#include "ist_ops.h"

/* A register operand (byte offset, see struct ist_insn) of a width. */
IST_INLINE uint32_t ist_reg_get(const struct ist_cpu *cpu, unsigned off, unsigned bits)
{
	return bits == 8 ? ist_get8(cpu, off) : bits == 16 ? ist_get16(cpu, off) : ist_get32(cpu, off);
}

IST_INLINE void ist_reg_set(struct ist_cpu *cpu, unsigned off, unsigned bits, uint32_t v)
{
	if (bits == 8)
		ist_set8(cpu, off, (uint8_t)v);
	else if (bits == 16)
		ist_set16(cpu, off, (uint16_t)v);
	else
		ist_set32(cpu, off, v);
}

/* A memory operand seg:off of a width. */
IST_INLINE uint32_t ist_mem_get(struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg,
				   uint32_t off, unsigned bits)
{
	return bits == 8 ? ist_rd8(cpu, i, seg, off) : bits == 16 ? ist_rd16(cpu, i, seg, off)
								  : ist_rd32(cpu, i, seg, off);
}

IST_INLINE void ist_mem_set(struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg,
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
IST_INLINE unsigned ist_reg_n(unsigned n, unsigned bits)
{
	return ist_reg_offset(n, bits == 8);
}

/* Operand width of an instruction that is not 8-bit. */
IST_INLINE unsigned ist_opbits(const struct ist_insn *i)
{
	return i->flags & IST_I_OP32 ? 32 : 16;
}

/* The protected-mode I/O permission check for size bytes at port (IOPL,
 * then the TSS bitmap): #GP(0) when refused. */
void ist_io_check(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t port, unsigned size);

/* Relative jumps within the code segment (a fixed target, see
 * ist_chain_fixed): the new EIP must lie inside CS. */
IST_INLINE void ist_jump_near(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t eip)
{
	if (unlikely(eip > cpu->seg[IST_CS].limit))
		ist_raise(cpu, i, IST_EXC_GP, 0);
	ist_chain_fixed(cpu, i, eip);
}

/*
 * Memory handlers come in two halves. The fast one works on a host pointer
 * from ist_fast when the access is plain; on anything else (a limit or
 * rights fault, a page crossing, a device, a page holding decoded code) it
 * hands the instruction to the careful half, which uses the checked
 * accessors. Both end in tail calls, so the fast half needs no stack frame.
 */
#define IST_CAREFUL static __attribute__((noinline, cold)) void

/* Host address of size bytes at seg:off when the access is plain: inside
 * the segment, in one page of RAM (for a write, RAM holding no decoded code);
 * else NULL. */
IST_INLINE uint8_t *ist_fast(struct ist_cpu *cpu, unsigned seg, uint32_t off, unsigned size,
			     bool write)
{
	const struct ist_seg *sg = &cpu->seg[seg];
	uint32_t phys;
	uint8_t *page;
	if ((int64_t)(uint32_t)(off - sg->lo) + (int64_t)(size - 1) > (write ? sg->wspan : sg->rspan))
		return NULL;
	phys = ist_phys(cpu, sg->base + off);
	page = (write ? cpu->wr_page : cpu->rd_page)[phys >> IST_PAGE_SHIFT];
	if (!page || (phys & IST_PAGE_MASK) > IST_PAGE_SIZE - size)
		return NULL;
	return page + (phys & IST_PAGE_MASK);
}

IST_INLINE uint32_t ist_host_get(const uint8_t *p, unsigned bits)
{
	uint16_t w;
	uint32_t d;
	if (bits == 8)
		return *p;
	if (bits == 16) {
		memcpy(&w, p, 2);
		return w;
	}
	memcpy(&d, p, 4);
	return d;
}

IST_INLINE void ist_host_set(uint8_t *p, unsigned bits, uint32_t v)
{
	if (bits == 8)
		*p = (uint8_t)v;
	else
		memcpy(p, &v, bits / 8);
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
