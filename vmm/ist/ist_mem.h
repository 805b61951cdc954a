/* ist_mem.h: guest memory as the IST's instructions see it: segment checks, the one linear to
 * physical translation, a page table of host pointers, and a slow path for MMIO, page
 * crossings, ROM and pages holding decoded code. */
#ifndef MVM_IST_MEM_H
#define MVM_IST_MEM_H

#include "ist_state.h"

#define IST_PAGE_SHIFT 12
#define IST_PAGE_SIZE (1u << IST_PAGE_SHIFT)
#define IST_PAGE_MASK (IST_PAGE_SIZE - 1)
#define IST_PAGES (1u << (32 - IST_PAGE_SHIFT))

/* What backs a guest-physical page. */
enum ist_page_kind { IST_PAGE_NONE, IST_PAGE_RAM, IST_PAGE_ROM };

/* Raises an exception: the instruction i (NULL while delivering one) does
 * not complete; execution resumes in the run loop. See ist_fault.c. */
_Noreturn void ist_raise(struct ist_cpu *cpu, const struct ist_insn *i, unsigned vector,
			 int32_t error);

/* A segment limit or access-rights violation: #SS for the stack, #GP(0)
 * for any other segment. */
_Noreturn void ist_segment_fault(struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg);

/* The single translation from linear to physical addresses (paging, when it
 * comes, goes here): A20 gating. */
IST_INLINE uint32_t ist_phys(const struct ist_cpu *cpu, uint32_t lin)
{
	return lin & cpu->a20_mask;
}

uint32_t ist_read_slow(struct ist_cpu *cpu, uint32_t lin, unsigned size);
void ist_write_slow(struct ist_cpu *cpu, uint32_t lin, uint32_t value, unsigned size);

/* Linear-address accesses: descriptor tables, IDT, TSS, and the last step
 * of every segmented access. */
IST_INLINE uint8_t ist_lin_rd8(struct ist_cpu *cpu, uint32_t lin)
{
	uint32_t phys = ist_phys(cpu, lin);
	const uint8_t *page = cpu->rd_page[phys >> IST_PAGE_SHIFT];
	if (likely(page != NULL))
		return page[phys & IST_PAGE_MASK];
	return (uint8_t)ist_read_slow(cpu, lin, 1);
}

IST_INLINE uint16_t ist_lin_rd16(struct ist_cpu *cpu, uint32_t lin)
{
	uint32_t phys = ist_phys(cpu, lin);
	const uint8_t *page = cpu->rd_page[phys >> IST_PAGE_SHIFT];
	if (likely(page != NULL && (phys & IST_PAGE_MASK) <= IST_PAGE_SIZE - 2)) {
		uint16_t v;
		memcpy(&v, page + (phys & IST_PAGE_MASK), 2);
		return v;
	}
	return (uint16_t)ist_read_slow(cpu, lin, 2);
}

IST_INLINE uint32_t ist_lin_rd32(struct ist_cpu *cpu, uint32_t lin)
{
	uint32_t phys = ist_phys(cpu, lin);
	const uint8_t *page = cpu->rd_page[phys >> IST_PAGE_SHIFT];
	if (likely(page != NULL && (phys & IST_PAGE_MASK) <= IST_PAGE_SIZE - 4)) {
		uint32_t v;
		memcpy(&v, page + (phys & IST_PAGE_MASK), 4);
		return v;
	}
	return ist_read_slow(cpu, lin, 4);
}

IST_INLINE void ist_lin_wr8(struct ist_cpu *cpu, uint32_t lin, uint8_t v)
{
	uint32_t phys = ist_phys(cpu, lin);
	uint8_t *page = cpu->wr_page[phys >> IST_PAGE_SHIFT];
	if (likely(page != NULL))
		page[phys & IST_PAGE_MASK] = v;
	else
		ist_write_slow(cpu, lin, v, 1);
}

IST_INLINE void ist_lin_wr16(struct ist_cpu *cpu, uint32_t lin, uint16_t v)
{
	uint32_t phys = ist_phys(cpu, lin);
	uint8_t *page = cpu->wr_page[phys >> IST_PAGE_SHIFT];
	if (likely(page != NULL && (phys & IST_PAGE_MASK) <= IST_PAGE_SIZE - 2))
		memcpy(page + (phys & IST_PAGE_MASK), &v, 2);
	else
		ist_write_slow(cpu, lin, v, 2);
}

IST_INLINE void ist_lin_wr32(struct ist_cpu *cpu, uint32_t lin, uint32_t v)
{
	uint32_t phys = ist_phys(cpu, lin);
	uint8_t *page = cpu->wr_page[phys >> IST_PAGE_SHIFT];
	if (likely(page != NULL && (phys & IST_PAGE_MASK) <= IST_PAGE_SIZE - 4))
		memcpy(page + (phys & IST_PAGE_MASK), &v, 4);
	else
		ist_write_slow(cpu, lin, v, 4);
}

/* Checks that [off, off + size) of segment s may be read or written. */
IST_INLINE void ist_check(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
			     uint32_t off, unsigned size, bool write)
{
	const struct ist_seg *sg = &cpu->seg[s];
	int64_t span = write ? sg->wspan : sg->rspan;
	if (unlikely((int64_t)(uint32_t)(off - sg->lo) + (int64_t)(size - 1) > span))
		ist_segment_fault(cpu, i, s);
}

/* Segmented accesses: seg:off, checked, for instruction i. */
IST_INLINE uint8_t ist_rd8(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
			      uint32_t off)
{
	ist_check(cpu, i, s, off, 1, false);
	return ist_lin_rd8(cpu, cpu->seg[s].base + off);
}

IST_INLINE uint16_t ist_rd16(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
				uint32_t off)
{
	ist_check(cpu, i, s, off, 2, false);
	return ist_lin_rd16(cpu, cpu->seg[s].base + off);
}

IST_INLINE uint32_t ist_rd32(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
				uint32_t off)
{
	ist_check(cpu, i, s, off, 4, false);
	return ist_lin_rd32(cpu, cpu->seg[s].base + off);
}

IST_INLINE void ist_wr8(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
			   uint32_t off, uint8_t v)
{
	ist_check(cpu, i, s, off, 1, true);
	ist_lin_wr8(cpu, cpu->seg[s].base + off, v);
}

IST_INLINE void ist_wr16(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
			    uint32_t off, uint16_t v)
{
	ist_check(cpu, i, s, off, 2, true);
	ist_lin_wr16(cpu, cpu->seg[s].base + off, v);
}

IST_INLINE void ist_wr32(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s,
			    uint32_t off, uint32_t v)
{
	ist_check(cpu, i, s, off, 4, true);
	ist_lin_wr32(cpu, cpu->seg[s].base + off, v);
}

/* The stack: SS:SP or SS:ESP by the stack segment's B bit. */
IST_INLINE uint32_t ist_sp(const struct ist_cpu *cpu)
{
	return ist_stack32(cpu) ? cpu->r[IST_ESP] : cpu->r[IST_ESP] & 0xFFFF;
}

IST_INLINE void ist_set_sp(struct ist_cpu *cpu, uint32_t sp)
{
	if (ist_stack32(cpu))
		cpu->r[IST_ESP] = sp;
	else
		cpu->r[IST_ESP] = (cpu->r[IST_ESP] & 0xFFFF0000u) | (sp & 0xFFFF);
}

/* SP moved by delta, wrapped to the stack width. */
IST_INLINE uint32_t ist_sp_add(const struct ist_cpu *cpu, int32_t delta)
{
	uint32_t sp = ist_sp(cpu) + (uint32_t)delta;
	return ist_stack32(cpu) ? sp : sp & 0xFFFF;
}

IST_INLINE void ist_push16(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t v)
{
	uint32_t sp = ist_sp_add(cpu, -2);
	ist_wr16(cpu, i, IST_SS, sp, v);
	ist_set_sp(cpu, sp);
}

IST_INLINE void ist_push32(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t v)
{
	uint32_t sp = ist_sp_add(cpu, -4);
	ist_wr32(cpu, i, IST_SS, sp, v);
	ist_set_sp(cpu, sp);
}

IST_INLINE uint16_t ist_pop16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint16_t v = ist_rd16(cpu, i, IST_SS, ist_sp(cpu));
	ist_set_sp(cpu, ist_sp_add(cpu, 2));
	return v;
}

IST_INLINE uint32_t ist_pop32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t v = ist_rd32(cpu, i, IST_SS, ist_sp(cpu));
	ist_set_sp(cpu, ist_sp_add(cpu, 4));
	return v;
}

/* Page tables from the memory map; called again whenever it changes. */
int ist_mem_init(struct ist_cpu *cpu);
void ist_mem_finish(struct ist_cpu *cpu);
void ist_mem_rebuild(struct ist_cpu *cpu, const struct memmap *map);
enum ist_page_kind ist_page_kind(const struct ist_cpu *cpu, uint32_t page);

#endif
