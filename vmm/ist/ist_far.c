/* ist_far.c: far control transfers (JMP, CALL, RETF, IRET) in real and protected mode: code
 * segments, call gates and privilege changes. */
#include "ist_far.h"

#include "ist_flags.h"
#include "ist_interrupt.h"
#include "ist_mem.h"
#include "ist_seg.h"

#define GATE_PARAM_COUNT 0x1Fu

static bool op32(const struct ist_insn *i)
{
	return i->flags & IST_I_OP32;
}

/* The stack slot k operand-sized slots above SP, read without popping. */
static uint32_t stack_peek(struct ist_cpu *cpu, const struct ist_insn *i, unsigned k, bool wide)
{
	uint32_t off = ist_sp_add(cpu, (int32_t)(k * (wide ? 4 : 2)));
	return wide ? ist_rd32(cpu, i, IST_SS, off) : ist_rd16(cpu, i, IST_SS, off);
}

/* Faults now if count pushes would not fit, so none is half done. */
static void check_pushes(struct ist_cpu *cpu, const struct ist_insn *i, unsigned count, bool wide)
{
	unsigned size = wide ? 4 : 2;
	for (unsigned k = 1; k <= count; k++)
		ist_check(cpu, i, IST_SS, ist_sp_add(cpu, -(int32_t)(k * size)), size, true);
}

/* A code descriptor's limit in bytes. */
static uint32_t desc_limit(const struct ist_desc *d)
{
	struct ist_seg probe;
	ist_seg_from_desc(&probe, 0, d);
	return probe.limit;
}

static void push_v(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t v, bool wide)
{
	if (wide)
		ist_push32(cpu, i, v);
	else
		ist_push16(cpu, i, (uint16_t)v);
}

/* Checks a code segment descriptor the way a transfer into it must:
 * present, and at the right privilege for a direct JMP/CALL. */
static void check_direct_code(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel,
			      const struct ist_desc *d)
{
	uint16_t error = sel & 0xFFFC;
	unsigned dpl = ist_desc_dpl(d), rpl = sel & IST_SEL_RPL;
	if ((d->hi >> 8) & IST_TYPE_CONFORMING) {
		if (dpl > cpu->cpl)
			ist_raise(cpu, i, IST_EXC_GP, error);
	} else if (rpl > cpu->cpl || dpl != cpu->cpl) {
		ist_raise(cpu, i, IST_EXC_GP, error);
	}
	if (!ist_desc_present(d))
		ist_raise(cpu, i, IST_EXC_NP, error);
}

static void enter_code(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel,
		       const struct ist_desc *d, unsigned cpl, uint32_t offset)
{
	if (offset > desc_limit(d))
		ist_raise(cpu, i, IST_EXC_GP, 0);
	ist_load_cs(cpu, sel, d, cpl);
	cpu->eip = offset;
}

/* A call gate's target, checked; returns the offset. */
static uint32_t gate_target(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel,
			    const struct ist_desc *gate, uint16_t *target_sel,
			    struct ist_desc *target)
{
	uint16_t error = sel & 0xFFFC, tsel = (uint16_t)(gate->lo >> 16);
	unsigned rpl = sel & IST_SEL_RPL;
	bool wide = ist_desc_sys_type(gate) == IST_SYS_CALL32;

	if (ist_desc_dpl(gate) < cpu->cpl || ist_desc_dpl(gate) < rpl)
		ist_raise(cpu, i, IST_EXC_GP, error);
	if (!ist_desc_present(gate))
		ist_raise(cpu, i, IST_EXC_NP, error);
	if ((tsel & 0xFFFC) == 0)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (!ist_desc_read(cpu, tsel, target) || !ist_desc_is_code(target) ||
	    ist_desc_dpl(target) > cpu->cpl)
		ist_raise(cpu, i, IST_EXC_GP, tsel & 0xFFFC);
	if (!ist_desc_present(target))
		ist_raise(cpu, i, IST_EXC_NP, tsel & 0xFFFC);
	*target_sel = tsel;
	return (gate->lo & 0xFFFF) | (wide ? gate->hi & 0xFFFF0000u : 0);
}

/* The descriptor a protected-mode far JMP or CALL names. */
static void read_transfer_desc(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel,
			       struct ist_desc *d)
{
	if ((sel & 0xFFFC) == 0)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (!ist_desc_read(cpu, sel, d))
		ist_raise(cpu, i, IST_EXC_GP, sel & 0xFFFC);
}

void ist_far_jump(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel, uint32_t offset)
{
	struct ist_desc d, target;
	uint16_t tsel;
	unsigned type;

	if (!op32(i))
		offset &= 0xFFFF;
	if (!ist_pe(cpu) || (cpu->flags & IST_VM)) {
		if (offset > cpu->seg[IST_CS].limit)
			ist_raise(cpu, i, IST_EXC_GP, 0);
		ist_seg_load_real(cpu, IST_CS, sel);
		cpu->eip = offset;
		return;
	}
	read_transfer_desc(cpu, i, sel, &d);
	if (ist_desc_is_code(&d)) {
		check_direct_code(cpu, i, sel, &d);
		enter_code(cpu, i, sel, &d, cpu->cpl, offset);
		return;
	}
	type = ist_desc_sys_type(&d);
	if (type == IST_SYS_CALL16 || type == IST_SYS_CALL32) {
		offset = gate_target(cpu, i, sel, &d, &tsel, &target);
		/* A jump never changes privilege: the target must be at CPL, or
		 * conforming. */
		if (!((target.hi >> 8) & IST_TYPE_CONFORMING) && ist_desc_dpl(&target) != cpu->cpl)
			ist_raise(cpu, i, IST_EXC_GP, tsel & 0xFFFC);
		if (type == IST_SYS_CALL16)
			offset &= 0xFFFF;
		enter_code(cpu, i, tsel, &target, cpu->cpl, offset);
		return;
	}
	if (type == IST_SYS_TASK || type == IST_SYS_TSS16 || type == IST_SYS_TSS32)
		ist_unsupported(cpu, "task switches (JMP to a TSS or task gate)");
	ist_raise(cpu, i, IST_EXC_GP, sel & 0xFFFC);
}

/* A call through a gate to an inner ring: a new stack from the TSS, with
 * the caller's SS:ESP and the gate's parameters copied onto it. */
static void call_inner(struct ist_cpu *cpu, const struct ist_insn *i, const struct ist_desc *gate,
		       uint16_t tsel, const struct ist_desc *target, uint32_t offset,
		       uint32_t return_eip)
{
	unsigned dpl = ist_desc_dpl(target), params = gate->hi & GATE_PARAM_COUNT;
	bool wide = ist_desc_sys_type(gate) == IST_SYS_CALL32;
	unsigned size = wide ? 4 : 2;
	uint32_t tss_off = cpu->tr.attr & 8 ? 4 + dpl * 8 : 2 + dpl * 4;
	uint32_t new_esp, values[32 + 4], sp, mask;
	struct ist_desc ss_desc;
	struct ist_seg stack;
	uint16_t ss_sel;
	unsigned count = 0;

	if (!(cpu->tr.attr & IST_ATTR_P) || tss_off + (wide ? 5 : 3) > cpu->tr.limit)
		ist_raise(cpu, i, IST_EXC_TS, cpu->tr.sel & 0xFFFC);
	if (cpu->tr.attr & 8) {
		new_esp = ist_lin_rd32(cpu, cpu->tr.base + tss_off);
		ss_sel = ist_lin_rd16(cpu, cpu->tr.base + tss_off + 4);
	} else {
		new_esp = ist_lin_rd16(cpu, cpu->tr.base + tss_off);
		ss_sel = ist_lin_rd16(cpu, cpu->tr.base + tss_off + 2);
	}
	if ((ss_sel & 0xFFFC) == 0)
		ist_raise(cpu, i, IST_EXC_TS, 0);
	if ((ss_sel & IST_SEL_RPL) != dpl || !ist_desc_read(cpu, ss_sel, &ss_desc) ||
	    ist_desc_dpl(&ss_desc) != dpl || !ist_desc_is_data(&ss_desc) ||
	    !((ss_desc.hi >> 8) & IST_TYPE_WRITABLE))
		ist_raise(cpu, i, IST_EXC_TS, ss_sel & 0xFFFC);
	if (!ist_desc_present(&ss_desc))
		ist_raise(cpu, i, IST_EXC_SS, ss_sel & 0xFFFC);
	ist_seg_from_desc(&stack, ss_sel, &ss_desc);
	ist_seg_refresh(cpu, &stack, IST_SS);

	values[count++] = cpu->seg[IST_SS].sel;
	values[count++] = cpu->r[IST_ESP];
	for (unsigned k = params; k-- > 0;)
		values[count++] = stack_peek(cpu, i, k, wide);
	values[count++] = cpu->seg[IST_CS].sel;
	values[count++] = return_eip;

	mask = stack.attr & IST_ATTR_DB ? 0xFFFFFFFFu : 0xFFFFu;
	sp = new_esp & mask;
	for (unsigned k = 0; k < count; k++) {
		uint32_t off = (sp - (k + 1) * size) & mask;
		if ((int64_t)(uint32_t)(off - stack.lo) + size - 1 > stack.wspan)
			ist_raise(cpu, i, IST_EXC_SS, ss_sel & 0xFFFC);
	}
	if (offset > desc_limit(target))
		ist_raise(cpu, i, IST_EXC_GP, 0);
	for (unsigned k = 0; k < count; k++) {
		uint32_t off = (sp - (k + 1) * size) & mask;
		if (wide)
			ist_lin_wr32(cpu, stack.base + off, values[k]);
		else
			ist_lin_wr16(cpu, stack.base + off, (uint16_t)values[k]);
	}
	ist_desc_set_accessed(cpu, ss_sel, &ss_desc);
	ist_seg_from_desc(&cpu->seg[IST_SS], ss_sel, &ss_desc);
	ist_seg_refresh(cpu, &cpu->seg[IST_SS], IST_SS);
	sp = (sp - count * size) & mask;
	cpu->r[IST_ESP] = mask == 0xFFFF ? (new_esp & 0xFFFF0000u) | sp : sp;
	enter_code(cpu, i, tsel, target, dpl, offset);
}

void ist_far_call(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel, uint32_t offset)
{
	uint32_t return_eip = ist_next_eip(i);
	struct ist_desc d, target;
	uint16_t tsel;
	unsigned type;
	bool wide = op32(i);

	if (!wide)
		offset &= 0xFFFF;
	if (!ist_pe(cpu) || (cpu->flags & IST_VM)) {
		if (offset > cpu->seg[IST_CS].limit)
			ist_raise(cpu, i, IST_EXC_GP, 0);
		check_pushes(cpu, i, 2, wide);
		push_v(cpu, i, cpu->seg[IST_CS].sel, wide);
		push_v(cpu, i, return_eip, wide);
		ist_seg_load_real(cpu, IST_CS, sel);
		cpu->eip = offset;
		return;
	}
	read_transfer_desc(cpu, i, sel, &d);
	if (ist_desc_is_code(&d)) {
		check_direct_code(cpu, i, sel, &d);
		check_pushes(cpu, i, 2, wide);
		if (offset > desc_limit(&d))
			ist_raise(cpu, i, IST_EXC_GP, 0);
		push_v(cpu, i, cpu->seg[IST_CS].sel, wide);
		push_v(cpu, i, return_eip, wide);
		enter_code(cpu, i, sel, &d, cpu->cpl, offset);
		return;
	}
	type = ist_desc_sys_type(&d);
	if (type == IST_SYS_CALL16 || type == IST_SYS_CALL32) {
		bool gate_wide = type == IST_SYS_CALL32;
		offset = gate_target(cpu, i, sel, &d, &tsel, &target);
		if (!gate_wide)
			offset &= 0xFFFF;
		if (!((target.hi >> 8) & IST_TYPE_CONFORMING) && ist_desc_dpl(&target) < cpu->cpl) {
			call_inner(cpu, i, &d, tsel, &target, offset, return_eip);
			return;
		}
		check_pushes(cpu, i, 2, gate_wide);
		push_v(cpu, i, cpu->seg[IST_CS].sel, gate_wide);
		push_v(cpu, i, return_eip, gate_wide);
		enter_code(cpu, i, tsel, &target, cpu->cpl, offset);
		return;
	}
	if (type == IST_SYS_TASK || type == IST_SYS_TSS16 || type == IST_SYS_TSS32)
		ist_unsupported(cpu, "task switches (CALL to a TSS or task gate)");
	ist_raise(cpu, i, IST_EXC_GP, sel & 0xFFFC);
}

/* Returning to an outer ring: data segment registers the new CPL may not
 * use become null. */
static void drop_inner_segments(struct ist_cpu *cpu)
{
	static const unsigned data_regs[] = { IST_ES, IST_DS, IST_FS, IST_GS };
	for (unsigned k = 0; k < 4; k++) {
		struct ist_seg *s = &cpu->seg[data_regs[k]];
		unsigned dpl = (s->attr & IST_ATTR_DPL) >> IST_ATTR_DPL_SHIFT;
		bool conforming_code = (s->attr & IST_TYPE_CODE) && (s->attr & IST_TYPE_CONFORMING);
		if ((s->attr & IST_ATTR_S) && !conforming_code && dpl < cpu->cpl) {
			*s = (struct ist_seg){ .sel = 0 };
			ist_seg_refresh(cpu, s, data_regs[k]);
		}
	}
}

/* The checks RETF and IRET make on the CS they return to; returns the new
 * CPL (the selector's RPL). */
static unsigned check_return_cs(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel,
				struct ist_desc *d)
{
	uint16_t error = sel & 0xFFFC;
	unsigned rpl = sel & IST_SEL_RPL;
	if ((sel & 0xFFFC) == 0)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (!ist_desc_read(cpu, sel, d) || !ist_desc_is_code(d) || rpl < cpu->cpl)
		ist_raise(cpu, i, IST_EXC_GP, error);
	if ((d->hi >> 8) & IST_TYPE_CONFORMING) {
		if (ist_desc_dpl(d) > rpl)
			ist_raise(cpu, i, IST_EXC_GP, error);
	} else if (ist_desc_dpl(d) != rpl) {
		ist_raise(cpu, i, IST_EXC_GP, error);
	}
	if (!ist_desc_present(d))
		ist_raise(cpu, i, IST_EXC_NP, error);
	return rpl;
}

/* The stack of the outer ring a return goes to, checked. */
static void check_return_ss(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel,
			    unsigned rpl, struct ist_desc *d)
{
	uint16_t error = sel & 0xFFFC;
	if ((sel & 0xFFFC) == 0)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if ((sel & IST_SEL_RPL) != rpl || !ist_desc_read(cpu, sel, d) || !ist_desc_is_data(d) ||
	    !((d->hi >> 8) & IST_TYPE_WRITABLE) || ist_desc_dpl(d) != rpl)
		ist_raise(cpu, i, IST_EXC_GP, error);
	if (!ist_desc_present(d))
		ist_raise(cpu, i, IST_EXC_SS, error);
}

static void load_outer_stack(struct ist_cpu *cpu, uint16_t sel, const struct ist_desc *d,
			     uint32_t esp)
{
	struct ist_desc copy = *d;
	ist_desc_set_accessed(cpu, sel, &copy);
	ist_seg_from_desc(&cpu->seg[IST_SS], sel, &copy);
	ist_seg_refresh(cpu, &cpu->seg[IST_SS], IST_SS);
	ist_set_sp(cpu, esp);
}

void ist_far_return(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t release)
{
	bool wide = op32(i);
	unsigned size = wide ? 4 : 2;
	uint32_t offset = stack_peek(cpu, i, 0, wide);
	uint16_t sel = (uint16_t)stack_peek(cpu, i, 1, wide);
	struct ist_desc d, ss_desc;
	unsigned rpl;

	if (!ist_pe(cpu) || (cpu->flags & IST_VM)) {
		if (offset > cpu->seg[IST_CS].limit)
			ist_raise(cpu, i, IST_EXC_GP, 0);
		ist_seg_load_real(cpu, IST_CS, sel);
		cpu->eip = offset;
		ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)(2 * size + release)));
		return;
	}
	rpl = check_return_cs(cpu, i, sel, &d);
	if (rpl == cpu->cpl) {
		enter_code(cpu, i, sel, &d, rpl, offset);
		ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)(2 * size + release)));
		return;
	}
	{
		/* To an outer ring: its SS:ESP lie above the parameters. */
		unsigned above = (2 * size + release) / size;
		uint32_t esp = stack_peek(cpu, i, above, wide);
		uint16_t ss_sel = (uint16_t)stack_peek(cpu, i, above + 1, wide);
		check_return_ss(cpu, i, ss_sel, rpl, &ss_desc);
		enter_code(cpu, i, sel, &d, rpl, offset);
		load_outer_stack(cpu, ss_sel, &ss_desc, esp + release);
		drop_inner_segments(cpu);
	}
}

/* The EFLAGS bits IRET may change, by mode and privilege. */
static uint32_t iret_flag_mask(const struct ist_cpu *cpu, bool wide)
{
	uint32_t mask = IST_ARITH | IST_TF | IST_IF | IST_DF | IST_IOPL | IST_NT;
	if (wide)
		mask |= IST_RF | IST_AC | IST_ID;
	if (ist_pe(cpu)) {
		if (cpu->cpl > 0)
			mask &= ~IST_IOPL;
		if (cpu->cpl > ist_iopl(cpu))
			mask &= ~IST_IF;
	}
	return mask;
}

void ist_iret(struct ist_cpu *cpu, const struct ist_insn *i)
{
	bool wide = op32(i);
	unsigned size = wide ? 4 : 2;
	uint32_t offset, flags, mask;
	uint16_t sel;
	struct ist_desc d, ss_desc;
	unsigned rpl;

	if (cpu->flags & IST_VM)
		ist_unsupported(cpu, "IRET in virtual-8086 mode");
	if (ist_pe(cpu) && (cpu->flags & IST_NT))
		ist_unsupported(cpu, "task switches (IRET with NT set)");
	offset = stack_peek(cpu, i, 0, wide);
	sel = (uint16_t)stack_peek(cpu, i, 1, wide);
	flags = stack_peek(cpu, i, 2, wide);
	mask = iret_flag_mask(cpu, wide);
	if (!ist_pe(cpu)) {
		if (offset > cpu->seg[IST_CS].limit)
			ist_raise(cpu, i, IST_EXC_GP, 0);
		ist_seg_load_real(cpu, IST_CS, sel);
		cpu->eip = offset;
		ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)(3 * size)));
		ist_flags_set(cpu, flags, mask);
		return;
	}
	if (wide && (flags & IST_VM) && cpu->cpl == 0)
		ist_unsupported(cpu, "returns to virtual-8086 mode");
	rpl = check_return_cs(cpu, i, sel, &d);
	if (rpl == cpu->cpl) {
		enter_code(cpu, i, sel, &d, rpl, offset);
		ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)(3 * size)));
		ist_flags_set(cpu, flags, mask);
		return;
	}
	{
		uint32_t esp = stack_peek(cpu, i, 3, wide);
		uint16_t ss_sel = (uint16_t)stack_peek(cpu, i, 4, wide);
		check_return_ss(cpu, i, ss_sel, rpl, &ss_desc);
		enter_code(cpu, i, sel, &d, rpl, offset);
		ist_flags_set(cpu, flags, mask);
		load_outer_stack(cpu, ss_sel, &ss_desc, esp);
		drop_inner_segments(cpu);
	}
}
