/* ist_seg.c: segmentation: descriptors, the segment registers' caches, and the checks a
 * segment load makes in real and protected mode. */
#include "ist_seg.h"

#include "ist_mem.h"

#define IST_DESC_ACCESSED 0x100u
#define IST_DESC_G 0x00800000u

bool ist_desc_read(struct ist_cpu *cpu, uint16_t sel, struct ist_desc *d)
{
	uint32_t base, limit, offset = sel & ~7u;

	if (sel & IST_SEL_TI) {
		if (!(cpu->ldtr.attr & IST_ATTR_P))
			return false;
		base = cpu->ldtr.base;
		limit = cpu->ldtr.limit;
	} else {
		base = cpu->gdtr.base;
		limit = cpu->gdtr.limit;
	}
	if (offset + 7 > limit)
		return false;
	d->lo = ist_lin_rd32(cpu, base + offset);
	d->hi = ist_lin_rd32(cpu, base + offset + 4);
	return true;
}

void ist_desc_set_accessed(struct ist_cpu *cpu, uint16_t sel, struct ist_desc *d)
{
	uint32_t base = sel & IST_SEL_TI ? cpu->ldtr.base : cpu->gdtr.base;
	if (d->hi & IST_DESC_ACCESSED)
		return;
	d->hi |= IST_DESC_ACCESSED;
	ist_lin_wr8(cpu, base + (sel & ~7u) + 5, (uint8_t)(d->hi >> 8));
}

void ist_seg_from_desc(struct ist_seg *s, uint16_t sel, const struct ist_desc *d)
{
	uint32_t limit = (d->lo & 0xFFFF) | (d->hi & 0x000F0000);
	s->sel = sel;
	s->base = (d->lo >> 16) | ((d->hi & 0xFF) << 16) | (d->hi & 0xFF000000);
	s->limit = d->hi & IST_DESC_G ? limit << 12 | 0xFFF : limit;
	s->attr = (uint16_t)ist_desc_attr(d);
}

/* lo, rspan and wspan of s as its descriptor cache and the mode say. */
static void seg_spans(const struct ist_cpu *cpu, struct ist_seg *s)
{
	int64_t span;
	uint32_t top;

	/* Real mode and V86 check limits, not rights. */
	if (!ist_pe(cpu) || (cpu->flags & IST_VM)) {
		s->lo = 0;
		s->rspan = s->wspan = s->limit;
		return;
	}
	s->lo = 0;
	if (!(s->attr & IST_ATTR_P) || !(s->attr & IST_ATTR_S)) {
		s->rspan = s->wspan = -1; /* a null selector: every access faults */
		return;
	}
	if (s->attr & IST_TYPE_CODE) {
		s->rspan = s->attr & IST_TYPE_READABLE ? (int64_t)s->limit : -1;
		s->wspan = -1;
		return;
	}
	if (s->attr & IST_TYPE_DOWN) {
		/* Expand-down: valid offsets lie above the limit. */
		top = s->attr & IST_ATTR_DB ? 0xFFFFFFFFu : 0xFFFFu;
		s->lo = s->limit + 1;
		span = s->limit >= top ? -1 : (int64_t)top - s->lo;
	} else {
		span = s->limit;
	}
	s->rspan = span;
	s->wspan = s->attr & IST_TYPE_WRITABLE ? span : -1;
}

void ist_seg_refresh(const struct ist_cpu *cpu, struct ist_seg *s, unsigned sreg)
{
	seg_spans(cpu, s);
	s->rmax = s->lo == 0 ? s->rspan : -1;
	s->wmax = s->lo == 0 ? s->wspan : -1;
}

void ist_seg_refresh_all(struct ist_cpu *cpu)
{
	for (unsigned s = 0; s < IST_SREGS; s++)
		ist_seg_refresh(cpu, &cpu->seg[s], s);
}

void ist_seg_load_real(struct ist_cpu *cpu, unsigned sreg, uint16_t sel)
{
	struct ist_seg *s = &cpu->seg[sreg];
	s->sel = sel;
	s->base = (uint32_t)sel << 4;
	ist_seg_refresh(cpu, s, sreg);
}

void ist_load_sreg(struct ist_cpu *cpu, const struct ist_insn *i, unsigned sreg, uint16_t sel)
{
	struct ist_seg *s = &cpu->seg[sreg];
	uint16_t error = sel & 0xFFFC;
	unsigned rpl = sel & IST_SEL_RPL, dpl;
	struct ist_desc d;

	if (!ist_pe(cpu) || (cpu->flags & IST_VM)) {
		ist_seg_load_real(cpu, sreg, sel);
		return;
	}
	if ((sel & 0xFFFC) == 0) {
		if (sreg == IST_SS)
			ist_raise(cpu, i, IST_EXC_GP, 0);
		/* A null selector loads fine; using it faults. */
		*s = (struct ist_seg){ .sel = sel };
		ist_seg_refresh(cpu, s, sreg);
		return;
	}
	if (!ist_desc_read(cpu, sel, &d))
		ist_raise(cpu, i, IST_EXC_GP, error);
	dpl = ist_desc_dpl(&d);
	if (sreg == IST_SS) {
		if (rpl != cpu->cpl || !ist_desc_is_data(&d) ||
		    !((d.hi >> 8) & IST_TYPE_WRITABLE) || dpl != cpu->cpl)
			ist_raise(cpu, i, IST_EXC_GP, error);
		if (!ist_desc_present(&d))
			ist_raise(cpu, i, IST_EXC_SS, error);
	} else {
		bool code = ist_desc_is_code(&d);
		bool conforming = code && ((d.hi >> 8) & IST_TYPE_CONFORMING);
		if (!(ist_desc_is_data(&d) || (code && ((d.hi >> 8) & IST_TYPE_READABLE))))
			ist_raise(cpu, i, IST_EXC_GP, error);
		if (!conforming && (dpl < cpu->cpl || dpl < rpl))
			ist_raise(cpu, i, IST_EXC_GP, error);
		if (!ist_desc_present(&d))
			ist_raise(cpu, i, IST_EXC_NP, error);
	}
	ist_desc_set_accessed(cpu, sel, &d);
	ist_seg_from_desc(s, sel, &d);
	ist_seg_refresh(cpu, s, sreg);
}

void ist_load_cs(struct ist_cpu *cpu, uint16_t sel, const struct ist_desc *d, unsigned cpl)
{
	struct ist_desc copy = *d;
	ist_desc_set_accessed(cpu, sel, &copy);
	ist_seg_from_desc(&cpu->seg[IST_CS], (uint16_t)((sel & 0xFFFC) | cpl), &copy);
	ist_seg_refresh(cpu, &cpu->seg[IST_CS], IST_CS);
	cpu->cpl = (uint8_t)cpl;
}
