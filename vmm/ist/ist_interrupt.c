/* ist_interrupt.c: exceptions and interrupts: raising, double faults, and delivery through the
 * real-mode vector table or protected-mode gates. */
#include "ist_interrupt.h"

#include <stdio.h>

#include "ist_cache.h"
#include "ist_flags.h"
#include "ist_mem.h"
#include "ist_seg.h"

void ist_raise(struct ist_cpu *cpu, const struct ist_insn *i, unsigned vector, int32_t error)
{
	const struct ist_block *b = cpu->block;
	if (i) {
		/* A fault leaves the instruction undone: it and the rest of the
		 * block, charged when the block began, do not retire. */
		cpu->eip = i->eip;
		if (b && i >= b->insns && i <= b->insns + b->n)
			cpu->budget += (int64_t)b->n - (i - b->insns);
	}
	cpu->fault_vector = (uint8_t)vector;
	cpu->fault_error = error;
	longjmp(cpu->fault_jump, IST_JUMP_FAULT);
}

void ist_segment_fault(struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg)
{
	ist_raise(cpu, i, seg == IST_SS ? IST_EXC_SS : IST_EXC_GP, 0);
}

void ist_unsupported(struct ist_cpu *cpu, const char *what)
{
	cpu->exit->reason = CPU_EXIT_FAILED;
	snprintf(cpu->exit->failure, sizeof(cpu->exit->failure), "the IST does not do %s yet",
		 what);
	cpu->exit_set = true;
	longjmp(cpu->fault_jump, IST_JUMP_STOP);
}

static bool has_error_code(unsigned vector)
{
	return vector == IST_EXC_DF || (vector >= IST_EXC_TS && vector <= IST_EXC_PF) || vector == 17;
}

/* Faults (not traps) push EFLAGS with RF set, so that the instruction can
 * restart without hitting its own instruction breakpoint again. */
static bool is_fault(unsigned vector)
{
	return vector == IST_EXC_DE || vector == IST_EXC_BR || vector == IST_EXC_UD ||
	       vector == IST_EXC_NM || (vector >= IST_EXC_TS && vector <= IST_EXC_PF) ||
	       vector == 16 || vector == 17;
}

static bool contributory(unsigned vector)
{
	return vector == IST_EXC_DE || (vector >= IST_EXC_TS && vector <= IST_EXC_GP);
}

/* Clears what entering a handler clears. */
static void enter_handler_flags(struct ist_cpu *cpu, uint32_t clear)
{
	ist_flags_set(cpu, 0, clear);
}

static void deliver_real(struct ist_cpu *cpu, unsigned vector, uint32_t return_eip)
{
	uint32_t entry = vector * 4;
	uint16_t ip, cs;

	if (entry + 3 > cpu->idtr.limit)
		ist_raise(cpu, NULL, IST_EXC_GP, 0);
	ip = ist_lin_rd16(cpu, cpu->idtr.base + entry);
	cs = ist_lin_rd16(cpu, cpu->idtr.base + entry + 2);
	ist_push16(cpu, NULL, (uint16_t)ist_flags_get(cpu));
	ist_push16(cpu, NULL, cpu->seg[IST_CS].sel);
	ist_push16(cpu, NULL, (uint16_t)return_eip);
	enter_handler_flags(cpu, IST_IF | IST_TF | IST_AC | IST_RF);
	ist_seg_load_real(cpu, IST_CS, cs);
	cpu->eip = ip;
}

/* Where the TSS keeps the stack for privilege level dpl. */
static void tss_stack(struct ist_cpu *cpu, unsigned dpl, unsigned ext, uint16_t *ss,
		      uint32_t *esp)
{
	unsigned type = cpu->tr.attr & IST_ATTR_TYPE;
	uint16_t tss_error = (uint16_t)((cpu->tr.sel & 0xFFFC) | ext);
	if (!(cpu->tr.attr & IST_ATTR_P))
		ist_raise(cpu, NULL, IST_EXC_TS, tss_error);
	if (type == IST_SYS_TSS32 || type == IST_SYS_TSS32_BUSY) {
		uint32_t off = 4 + dpl * 8;
		if (off + 5 > cpu->tr.limit)
			ist_raise(cpu, NULL, IST_EXC_TS, tss_error);
		*esp = ist_lin_rd32(cpu, cpu->tr.base + off);
		*ss = ist_lin_rd16(cpu, cpu->tr.base + off + 4);
	} else {
		uint32_t off = 2 + dpl * 4;
		if (off + 3 > cpu->tr.limit)
			ist_raise(cpu, NULL, IST_EXC_TS, tss_error);
		*esp = ist_lin_rd16(cpu, cpu->tr.base + off);
		*ss = ist_lin_rd16(cpu, cpu->tr.base + off + 2);
	}
}

/* Writes a frame (values in push order) below sp in stack segment ss,
 * checking every slot first; returns the new stack pointer. */
static uint32_t push_frame(struct ist_cpu *cpu, const struct ist_seg *ss, uint32_t sp,
			   const uint32_t *values, unsigned count, bool wide, uint16_t ss_error)
{
	unsigned size = wide ? 4 : 2;
	uint32_t mask = ss->attr & IST_ATTR_DB ? 0xFFFFFFFFu : 0xFFFFu;

	for (unsigned k = 0; k < count; k++) {
		uint32_t off = (sp - (k + 1) * size) & mask;
		if ((int64_t)(uint32_t)(off - ss->lo) + size - 1 > ss->wspan)
			ist_raise(cpu, NULL, IST_EXC_SS, ss_error);
	}
	for (unsigned k = 0; k < count; k++) {
		uint32_t off = (sp - (k + 1) * size) & mask;
		if (wide)
			ist_lin_wr32(cpu, ss->base + off, values[k]);
		else
			ist_lin_wr16(cpu, ss->base + off, (uint16_t)values[k]);
	}
	return (sp - count * size) & mask;
}

static void deliver_protected(struct ist_cpu *cpu, unsigned vector, int32_t error,
			      uint32_t return_eip, enum ist_event kind)
{
	unsigned ext = kind != IST_EVENT_SOFTWARE;
	uint16_t idt_error = (uint16_t)(vector * 8 + 2 + ext);
	struct ist_desc gate, code;
	struct ist_seg stack;
	uint32_t frame[6], offset, sp, old_flags;
	unsigned count = 0, type, dpl, new_cpl;
	uint16_t sel, code_error;
	bool wide, conforming;

	if (cpu->flags & IST_VM)
		ist_unsupported(cpu, "interrupts in virtual-8086 mode");
	if (vector * 8 + 7 > cpu->idtr.limit)
		ist_raise(cpu, NULL, IST_EXC_GP, idt_error);
	gate.lo = ist_lin_rd32(cpu, cpu->idtr.base + vector * 8);
	gate.hi = ist_lin_rd32(cpu, cpu->idtr.base + vector * 8 + 4);
	type = ist_desc_sys_type(&gate);
	if (type == IST_SYS_TASK)
		ist_unsupported(cpu, "task gates");
	if (type != IST_SYS_INT16 && type != IST_SYS_TRAP16 && type != IST_SYS_INT32 &&
	    type != IST_SYS_TRAP32)
		ist_raise(cpu, NULL, IST_EXC_GP, idt_error);
	if (kind == IST_EVENT_SOFTWARE && ist_desc_dpl(&gate) < cpu->cpl)
		ist_raise(cpu, NULL, IST_EXC_GP, idt_error);
	if (!ist_desc_present(&gate))
		ist_raise(cpu, NULL, IST_EXC_NP, idt_error);
	wide = type & 8;
	sel = (uint16_t)(gate.lo >> 16);
	offset = (gate.lo & 0xFFFF) | (wide ? gate.hi & 0xFFFF0000u : 0);
	code_error = (uint16_t)((sel & 0xFFFC) | ext);
	if ((sel & 0xFFFC) == 0)
		ist_raise(cpu, NULL, IST_EXC_GP, (int32_t)ext);
	if (!ist_desc_read(cpu, sel, &code) || !ist_desc_is_code(&code) ||
	    ist_desc_dpl(&code) > cpu->cpl)
		ist_raise(cpu, NULL, IST_EXC_GP, code_error);
	if (!ist_desc_present(&code))
		ist_raise(cpu, NULL, IST_EXC_NP, code_error);
	dpl = ist_desc_dpl(&code);
	conforming = (code.hi >> 8) & IST_TYPE_CONFORMING;
	old_flags = ist_flags_get(cpu);
	if (kind == IST_EVENT_EXCEPTION && is_fault(vector))
		old_flags |= IST_RF;
	new_cpl = conforming ? cpu->cpl : dpl;

	if (new_cpl < cpu->cpl) {
		/* To an inner ring: the handler gets its stack from the TSS, and
		 * the old SS:ESP goes on it first. */
		struct ist_desc ss_desc;
		uint16_t ss_sel, ss_error;
		uint32_t esp;
		tss_stack(cpu, new_cpl, ext, &ss_sel, &esp);
		ss_error = (uint16_t)((ss_sel & 0xFFFC) | ext);
		if ((ss_sel & 0xFFFC) == 0)
			ist_raise(cpu, NULL, IST_EXC_TS, (int32_t)ext);
		if ((ss_sel & IST_SEL_RPL) != new_cpl || !ist_desc_read(cpu, ss_sel, &ss_desc) ||
		    ist_desc_dpl(&ss_desc) != new_cpl || !ist_desc_is_data(&ss_desc) ||
		    !((ss_desc.hi >> 8) & IST_TYPE_WRITABLE))
			ist_raise(cpu, NULL, IST_EXC_TS, ss_error);
		if (!ist_desc_present(&ss_desc))
			ist_raise(cpu, NULL, IST_EXC_SS, ss_error);
		ist_seg_from_desc(&stack, ss_sel, &ss_desc);
		ist_seg_refresh(cpu, &stack, IST_SS);
		frame[count++] = cpu->seg[IST_SS].sel;
		frame[count++] = cpu->r[IST_ESP];
		sp = stack.attr & IST_ATTR_DB ? esp : esp & 0xFFFF;
		frame[count++] = old_flags;
		frame[count++] = cpu->seg[IST_CS].sel;
		frame[count++] = return_eip;
		if (kind == IST_EVENT_EXCEPTION && has_error_code(vector) && error >= 0)
			frame[count++] = (uint32_t)error;
		sp = push_frame(cpu, &stack, sp, frame, count, wide, ss_error);
		ist_desc_set_accessed(cpu, ss_sel, &ss_desc);
		ist_seg_from_desc(&cpu->seg[IST_SS], ss_sel, &ss_desc);
		ist_seg_refresh(cpu, &cpu->seg[IST_SS], IST_SS);
		if (stack.attr & IST_ATTR_DB)
			cpu->r[IST_ESP] = sp;
		else
			cpu->r[IST_ESP] = (esp & 0xFFFF0000u) | sp;
	} else {
		frame[count++] = old_flags;
		frame[count++] = cpu->seg[IST_CS].sel;
		frame[count++] = return_eip;
		if (kind == IST_EVENT_EXCEPTION && has_error_code(vector) && error >= 0)
			frame[count++] = (uint32_t)error;
		sp = push_frame(cpu, &cpu->seg[IST_SS], ist_sp(cpu), frame, count, wide, 0);
		ist_set_sp(cpu, sp);
	}
	ist_load_cs(cpu, sel, &code, new_cpl);
	if (!wide)
		offset &= 0xFFFF;
	if (offset > cpu->seg[IST_CS].limit)
		ist_raise(cpu, NULL, IST_EXC_GP, 0);
	cpu->eip = offset;
	enter_handler_flags(cpu, IST_TF | IST_NT | IST_RF | IST_VM |
					 (type == IST_SYS_INT16 || type == IST_SYS_INT32 ? IST_IF : 0));
}

void ist_deliver(struct ist_cpu *cpu, unsigned vector, int32_t error, uint32_t return_eip,
		 enum ist_event kind)
{
	if (ist_pe(cpu))
		deliver_protected(cpu, vector, error, return_eip, kind);
	else
		deliver_real(cpu, vector, return_eip);
}

void ist_handle_exception(struct ist_cpu *cpu)
{
	unsigned vector = cpu->fault_vector;
	int32_t error = cpu->fault_error;

	if (cpu->delivering >= 0) {
		unsigned first = (unsigned)cpu->delivering;
		if (first == IST_EXC_DF) {
			cpu->delivering = -1;
			cpu->exit->reason = CPU_EXIT_SHUTDOWN;
			cpu->exit_set = true;
			return;
		}
		if ((contributory(first) && contributory(vector)) ||
		    (first == IST_EXC_PF && (contributory(vector) || vector == IST_EXC_PF))) {
			vector = IST_EXC_DF;
			error = 0;
		}
	}
	cpu->delivering = (int)vector;
	ist_deliver(cpu, vector, error, cpu->eip, IST_EVENT_EXCEPTION);
	cpu->delivering = -1;
}
