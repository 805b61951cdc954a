/* ist_op_stack.c: the stack: PUSH and POP of registers, memory, immediates and segment
 * registers, PUSHA/POPA, PUSHF/POPF, ENTER and LEAVE. */
#include "ist_opcommon.h"
#include "ist_seg.h"

/* Whether [off, off + size) of segment s may be accessed, without faulting. */
static bool stack_slot_ok(const struct ist_cpu *cpu, unsigned s, uint32_t off, unsigned size,
			  bool write)
{
	const struct ist_seg *sg = &cpu->seg[s];
	int64_t span = write ? sg->wspan : sg->rspan;
	return (int64_t)(uint32_t)(off - sg->lo) + (int64_t)(size - 1) <= span;
}

/* PUSH of a value of the operand size */
static inline void push_v(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t v)
{
	if (i->flags & IST_I_OP32)
		ist_push32(cpu, i, v);
	else
		ist_push16(cpu, i, (uint16_t)v);
}

/* PUSH reg (50h-57h): SP pushes its value from before the push. */
static void push_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	push_v(cpu, i, cpu->r[i->opcode & 7]);
	IST_NEXT(cpu, i);
}

/* POP reg (58h-5Fh) */
static void pop_reg16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint16_t v = ist_pop16(cpu, i);
	ist_set16(cpu, (i->opcode & 7) * 4u, v);
	IST_NEXT(cpu, i);
}

static void pop_reg32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t v = ist_pop32(cpu, i);
	cpu->r[i->opcode & 7] = v;
	IST_NEXT(cpu, i);
}

/* PUSH imm (68h, 6Ah) */
static void push_imm(struct ist_cpu *cpu, const struct ist_insn *i)
{
	push_v(cpu, i, i->imm);
	IST_NEXT(cpu, i);
}

/* PUSH r/m (FFh /6) */
static void push_rm_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	push_v(cpu, i, ist_reg_get(cpu, i->rm, ist_opbits(i)));
	IST_NEXT(cpu, i);
}

static void push_rm_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	push_v(cpu, i, ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), ist_opbits(i)));
	IST_NEXT(cpu, i);
}

/* POP r/m (8Fh /0): an address based on ESP uses ESP after the pop, and a
 * store that faults leaves ESP as it was. */
static void pop_rm_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t v = i->flags & IST_I_OP32 ? ist_pop32(cpu, i) : ist_pop16(cpu, i);
	ist_reg_set(cpu, i->rm, ist_opbits(i), v);
	IST_NEXT(cpu, i);
}

static void pop_rm_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned bits = ist_opbits(i);
	uint32_t old_esp = cpu->r[IST_ESP];
	uint32_t v = ist_mem_get(cpu, i, IST_SS, ist_sp(cpu), bits), ea;

	ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)bits / 8));
	ea = ist_ea(cpu, i);
	if (!stack_slot_ok(cpu, i->seg, ea, bits / 8, true)) {
		cpu->r[IST_ESP] = old_esp;
		ist_segment_fault(cpu, i, i->seg);
	}
	ist_mem_set(cpu, i, i->seg, ea, bits, v);
	IST_NEXT(cpu, i);
}

/* PUSH sreg: the selector, zero-extended with a 32-bit operand. */
static void push_sreg(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s)
{
	push_v(cpu, i, cpu->seg[s].sel);
	IST_NEXT(cpu, i);
}

/* POP sreg: the load may fault, and then SP stays. POP SS holds off
 * interrupts (ist_next_after_sreg). */
static void pop_sreg(struct ist_cpu *cpu, const struct ist_insn *i, unsigned s)
{
	unsigned size = i->flags & IST_I_OP32 ? 4 : 2;
	uint16_t sel = ist_rd16(cpu, i, IST_SS, ist_sp(cpu));
	if (size == 4)
		ist_check(cpu, i, IST_SS, ist_sp(cpu), 4, false);
	ist_load_sreg(cpu, i, s, sel);
	ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)size));
	ist_next_after_sreg(cpu, i, s);
}

#define SREG_PUSH_POP(name, s) \
	static void push_##name(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		push_sreg(cpu, i, s); \
	} \
	static void pop_##name(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		pop_sreg(cpu, i, s); \
	}

SREG_PUSH_POP(es, IST_ES)
SREG_PUSH_POP(ss, IST_SS)
SREG_PUSH_POP(ds, IST_DS)
SREG_PUSH_POP(fs, IST_FS)
SREG_PUSH_POP(gs, IST_GS)

static void push_cs(struct ist_cpu *cpu, const struct ist_insn *i)
{
	push_sreg(cpu, i, IST_CS);
}

/* PUSHA/PUSHAD (60h): AX CX DX BX, SP as it was, BP SI DI; all or nothing. */
static void pusha(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned size = i->flags & IST_I_OP32 ? 4 : 2;
	uint32_t sp = ist_sp(cpu), regs[8];
	memcpy(regs, cpu->r, sizeof(regs));
	for (unsigned k = 1; k <= 8; k++)
		ist_check(cpu, i, IST_SS, ist_sp_add(cpu, -(int32_t)(k * size)), size, true);
	for (unsigned k = 0; k < 8; k++) {
		sp = ist_stack32(cpu) ? sp - size : (sp - size) & 0xFFFF;
		if (size == 4)
			ist_lin_wr32(cpu, cpu->seg[IST_SS].base + sp, regs[k]);
		else
			ist_lin_wr16(cpu, cpu->seg[IST_SS].base + sp, (uint16_t)regs[k]);
	}
	ist_set_sp(cpu, sp);
	IST_NEXT(cpu, i);
}

/* POPA/POPAD (61h): DI SI BP, (SP skipped), BX DX CX AX. */
static void popa(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned size = i->flags & IST_I_OP32 ? 4 : 2, bits = size * 8;
	uint32_t values[8];
	for (unsigned k = 0; k < 8; k++)
		values[7 - k] = ist_mem_get(cpu, i, IST_SS, ist_sp_add(cpu, (int32_t)(k * size)), bits);
	for (unsigned n = 0; n < 8; n++)
		if (n != IST_ESP)
			ist_reg_set(cpu, n * 4, bits, values[n]);
	ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)(8 * size)));
	IST_NEXT(cpu, i);
}

/* PUSHF/PUSHFD (9Ch): the image has VM and RF clear. */
static void pushf(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if ((cpu->flags & IST_VM) && ist_iopl(cpu) < 3)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	push_v(cpu, i, ist_flags_get(cpu) & ~(IST_VM | IST_RF));
	IST_NEXT(cpu, i);
}

/* POPF/POPFD (9Dh): IOPL changes only at CPL 0, IF only when CPL <= IOPL;
 * VM never. It can set TF or IF, so it ends the block. */
static void popf(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t mask = IST_ARITH | IST_TF | IST_IF | IST_DF | IST_IOPL | IST_NT;
	uint32_t v;
	if ((cpu->flags & IST_VM) && ist_iopl(cpu) < 3)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (i->flags & IST_I_OP32) {
		v = ist_pop32(cpu, i);
		mask |= IST_AC | IST_ID;
	} else {
		v = ist_pop16(cpu, i);
	}
	if (ist_pe(cpu) && cpu->cpl > 0)
		mask &= ~IST_IOPL;
	if (ist_pe(cpu) && cpu->cpl > ist_iopl(cpu))
		mask &= ~IST_IF;
	ist_flags_set(cpu, v, mask);
	cpu->eip = ist_next_eip(i);
}

/* ENTER size, level (C8h): the new frame pointer is SP after BP is pushed;
 * level - 1 outer frame pointers are copied, then the frame itself. */
static void enter(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned size = i->flags & IST_I_OP32 ? 4 : 2, bits = size * 8, level = i->imm2 & 31;
	uint32_t frame, bp = ist_stack32(cpu) ? cpu->r[IST_EBP] : cpu->r[IST_EBP] & 0xFFFF;
	uint32_t old_esp = cpu->r[IST_ESP], bottom;

	push_v(cpu, i, ist_reg_get(cpu, IST_EBP * 4, bits));
	frame = ist_sp(cpu);
	for (unsigned k = 1; k < level; k++) {
		bp = ist_stack32(cpu) ? bp - size : (bp - size) & 0xFFFF;
		push_v(cpu, i, ist_mem_get(cpu, i, IST_SS, bp, bits));
	}
	if (level > 0)
		push_v(cpu, i, frame);
	bottom = ist_sp_add(cpu, -(int32_t)i->imm);
	if (i->imm && !stack_slot_ok(cpu, IST_SS, bottom, 1, true)) {
		cpu->r[IST_ESP] = old_esp;
		ist_raise(cpu, i, IST_EXC_SS, 0);
	}
	ist_reg_set(cpu, IST_EBP * 4, ist_stack32(cpu) ? 32 : bits, frame);
	ist_set_sp(cpu, bottom);
	IST_NEXT(cpu, i);
}

/* LEAVE (C9h): SP = BP, pop BP */
static void leave(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned bits = ist_opbits(i);
	uint32_t bp = ist_stack32(cpu) ? cpu->r[IST_EBP] : cpu->r[IST_EBP] & 0xFFFF;
	uint32_t v = ist_mem_get(cpu, i, IST_SS, bp, bits);
	ist_set_sp(cpu, bp + bits / 8);
	ist_reg_set(cpu, IST_EBP * 4, bits, v);
	IST_NEXT(cpu, i);
}

#define END IST_OPF_END
#define PUSH(code) IST_OP((code), 0, IST_IMM_NONE, push_reg, push_reg)
#define POP(code) IST_OP((code), 0, IST_IMM_NONE, pop_reg16, pop_reg32)

const struct ist_opcode ist_ops_stack[] = {
	PUSH(0x50), PUSH(0x51), PUSH(0x52), PUSH(0x53),
	PUSH(0x54), PUSH(0x55), PUSH(0x56), PUSH(0x57),
	POP(0x58), POP(0x59), POP(0x5A), POP(0x5B), POP(0x5C), POP(0x5D), POP(0x5E), POP(0x5F),
	IST_OP(0x06, 0, IST_IMM_NONE, push_es, push_es),
	IST_OP(0x07, 0, IST_IMM_NONE, pop_es, pop_es),
	IST_OP(0x0E, 0, IST_IMM_NONE, push_cs, push_cs),
	IST_OP(0x16, 0, IST_IMM_NONE, push_ss, push_ss),
	IST_OP(0x17, END, IST_IMM_NONE, pop_ss, pop_ss),
	IST_OP(0x1E, 0, IST_IMM_NONE, push_ds, push_ds),
	IST_OP(0x1F, 0, IST_IMM_NONE, pop_ds, pop_ds),
	IST_OP(IST_0F | 0xA0, 0, IST_IMM_NONE, push_fs, push_fs),
	IST_OP(IST_0F | 0xA1, 0, IST_IMM_NONE, pop_fs, pop_fs),
	IST_OP(IST_0F | 0xA8, 0, IST_IMM_NONE, push_gs, push_gs),
	IST_OP(IST_0F | 0xA9, 0, IST_IMM_NONE, pop_gs, pop_gs),
	IST_OP(0x60, 0, IST_IMM_NONE, pusha, pusha),
	IST_OP(0x61, 0, IST_IMM_NONE, popa, popa),
	IST_OP(0x68, 0, IST_IMM_V, push_imm, push_imm),
	IST_OP(0x6A, 0, IST_IMM_BS, push_imm, push_imm),
	IST_OP_RM(0x8F, 0, 0, IST_IMM_NONE, pop_rm_reg, pop_rm_mem, pop_rm_reg, pop_rm_mem),
	IST_OP_RM(0xFF, 6, 0, IST_IMM_NONE, push_rm_reg, push_rm_mem, push_rm_reg, push_rm_mem),
	IST_OP(0x9C, 0, IST_IMM_NONE, pushf, pushf),
	IST_OP(0x9D, END, IST_IMM_NONE, popf, popf),
	IST_OP(0xC8, 0, IST_IMM_WB, enter, enter),
	IST_OP(0xC9, 0, IST_IMM_NONE, leave, leave),
	IST_OP_TABLE_END,
};
