/* ist_seg.h: segmentation: descriptors, the segment registers' caches, and the checks a
 * segment load makes in real and protected mode. */
#ifndef MVM_IST_SEG_H
#define MVM_IST_SEG_H

#include "ist_state.h"

/* A descriptor as it lies in the GDT, LDT or IDT. */
struct ist_desc {
	uint32_t lo, hi;
};

#define IST_SEL_RPL 0x3u
#define IST_SEL_TI 0x4u /* LDT, else GDT */

/* System descriptor and gate types (S = 0) */
#define IST_SYS_TSS16 0x1
#define IST_SYS_LDT 0x2
#define IST_SYS_TSS16_BUSY 0x3
#define IST_SYS_CALL16 0x4
#define IST_SYS_TASK 0x5
#define IST_SYS_INT16 0x6
#define IST_SYS_TRAP16 0x7
#define IST_SYS_TSS32 0x9
#define IST_SYS_TSS32_BUSY 0xB
#define IST_SYS_CALL32 0xC
#define IST_SYS_INT32 0xE
#define IST_SYS_TRAP32 0xF

static inline unsigned ist_desc_attr(const struct ist_desc *d)
{
	return ((d->hi >> 8) & 0x00FF) | ((d->hi >> 8) & 0xF000);
}

static inline unsigned ist_desc_dpl(const struct ist_desc *d)
{
	return (d->hi >> 13) & 3;
}

static inline bool ist_desc_present(const struct ist_desc *d)
{
	return d->hi & 0x8000;
}

static inline bool ist_desc_is_code(const struct ist_desc *d)
{
	return (d->hi & 0x1800) == 0x1800; /* S and the code bit */
}

static inline bool ist_desc_is_data(const struct ist_desc *d)
{
	return (d->hi & 0x1800) == 0x1000;
}

static inline unsigned ist_desc_sys_type(const struct ist_desc *d)
{
	return (d->hi >> 8) & 0x1F; /* S and type: system types have S = 0 */
}

/* Reads the descriptor sel names; false when sel lies past its table's
 * limit (or names the LDT while none is loaded). */
bool ist_desc_read(struct ist_cpu *cpu, uint16_t sel, struct ist_desc *d);

/* Sets the accessed bit of sel's descriptor in memory, as loading does. */
void ist_desc_set_accessed(struct ist_cpu *cpu, uint16_t sel, struct ist_desc *d);

/* Fills a segment cache from a descriptor. */
void ist_seg_from_desc(struct ist_seg *s, uint16_t sel, const struct ist_desc *d);

/* Real mode (and V86): base = sel * 16; limit and attributes stay as they
 * are (which is how "unreal mode" keeps 4 GiB limits). */
void ist_seg_load_real(struct ist_cpu *cpu, unsigned sreg, uint16_t sel);

/* Recomputes the fast-check fields (lo, rspan, wspan, rmax, wmax) after base, limit,
 * attr or the mode changed. */
void ist_seg_refresh(const struct ist_cpu *cpu, struct ist_seg *s, unsigned sreg);
void ist_seg_refresh_all(struct ist_cpu *cpu);

/* MOV, POP, LDS/LES/LFS/LGS/LSS of a data or stack segment register (not
 * CS), with every protected-mode check; faults through ist_raise. */
void ist_load_sreg(struct ist_cpu *cpu, const struct ist_insn *i, unsigned sreg, uint16_t sel);

/* Goes on after a MOV or POP that loaded segment register sreg. A load of SS
 * holds off interrupts and single-step for one instruction, so SS:SP can be
 * set in two moves: the block ends there, for the run loop to see it. */
static inline void ist_next_after_sreg(struct ist_cpu *cpu, const struct ist_insn *i,
				       unsigned sreg)
{
	if (sreg == IST_SS) {
		cpu->inhibit = true;
		cpu->inhibit_debug = true;
		cpu->eip = ist_next_eip(i);
		return;
	}
	IST_NEXT(cpu, i);
}

/* Loads CS for a far transfer to sel:eip once the caller has made the
 * privilege checks; sets CPL to the new privilege level. */
void ist_load_cs(struct ist_cpu *cpu, uint16_t sel, const struct ist_desc *d, unsigned cpl);

#endif
