/* ist_op_control.c: control transfers: Jcc, JMP, CALL, RET near and far, LOOP and JCXZ,
 * INT, INT3, INTO, IRET, and BOUND. Every one ends its block. */
#include "ist_far.h"
#include "ist_opcommon.h"

/* Jcc rel8 (70h-7Fh) and rel16/32 (0Fh 80h-8Fh), one handler per
 * condition. A conditional branch does not end its block: not taken, the
 * block goes on; taken, it leaves it. */
#define JCC(cc) \
	static void jcc_##cc(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		if (ist_cond(cpu, cc)) { \
			ist_jump_near(cpu, i, i->imm); \
			return; \
		} \
		IST_NEXT(cpu, i); \
	}

JCC(0)
JCC(1)
JCC(2)
JCC(3)
JCC(4)
JCC(5)
JCC(6)
JCC(7)
JCC(8)
JCC(9)
JCC(10)
JCC(11)
JCC(12)
JCC(13)
JCC(14)
JCC(15)

/* JMP rel8 (EBh), rel16/32 (E9h) */
static void jmp_rel(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_jump_near(cpu, i, i->imm);
}

/* CALL rel16/32 (E8h) */
static void call_rel(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if (i->imm > cpu->seg[IST_CS].limit)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (i->flags & IST_I_OP32)
		ist_push32(cpu, i, ist_next_eip(i));
	else
		ist_push16(cpu, i, (uint16_t)ist_next_eip(i));
	ist_chain_fixed(cpu, i, i->imm);
}

/* JMP r/m (FFh /4), CALL r/m (FFh /2): the target is the operand. */
static uint32_t near_target(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	unsigned bits = ist_opbits(i);
	return mem ? ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits)
		   : ist_reg_get(cpu, i->rm, bits);
}

/* The target varies (and disp is the operand's), so no fixed link. */
static void jmp_near(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	uint32_t target = near_target(cpu, i, mem);
	if (target > cpu->seg[IST_CS].limit)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	ist_chain(cpu, i, target);
}

static void call_near(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	uint32_t target = near_target(cpu, i, mem);
	if (target > cpu->seg[IST_CS].limit)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (i->flags & IST_I_OP32)
		ist_push32(cpu, i, ist_next_eip(i));
	else
		ist_push16(cpu, i, (uint16_t)ist_next_eip(i));
	ist_chain(cpu, i, target);
}

static void jmp_rm_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	jmp_near(cpu, i, false);
}

static void jmp_rm_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	jmp_near(cpu, i, true);
}

static void call_rm_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	call_near(cpu, i, false);
}

static void call_rm_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	call_near(cpu, i, true);
}

/* RET (C3h), RET imm16 (C2h): the pop happens only if the target is good. */
static void ret_near(struct ist_cpu *cpu, const struct ist_insn *i)
{
	bool wide = i->flags & IST_I_OP32;
	uint32_t target = wide ? ist_rd32(cpu, i, IST_SS, ist_sp(cpu))
			       : ist_rd16(cpu, i, IST_SS, ist_sp(cpu));
	if (target > cpu->seg[IST_CS].limit)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	ist_set_sp(cpu, ist_sp_add(cpu, (int32_t)((wide ? 4 : 2) + (i->imm & 0xFFFF))));
	ist_chain(cpu, i, target);
}

/* JMP ptr16:16/32 (EAh), CALL ptr (9Ah) */
static void jmp_far_ptr(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_far_jump(cpu, i, i->imm2, i->imm);
}

static void call_far_ptr(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_far_call(cpu, i, i->imm2, i->imm);
}

/* JMP m16:16/32 (FFh /5), CALL m16:16/32 (FFh /3) */
static void far_pointer(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t *sel,
			uint32_t *offset)
{
	uint32_t ea = ist_ea(cpu, i);
	if (i->flags & IST_I_OP32) {
		*offset = ist_rd32(cpu, i, i->seg, ea);
		*sel = ist_rd16(cpu, i, i->seg, ea + 4);
	} else {
		*offset = ist_rd16(cpu, i, i->seg, ea);
		*sel = ist_rd16(cpu, i, i->seg, ea + 2);
	}
}

static void jmp_far_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint16_t sel;
	uint32_t offset;
	far_pointer(cpu, i, &sel, &offset);
	ist_far_jump(cpu, i, sel, offset);
}

static void call_far_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint16_t sel;
	uint32_t offset;
	far_pointer(cpu, i, &sel, &offset);
	ist_far_call(cpu, i, sel, offset);
}

/* RETF (CBh), RETF imm16 (CAh) */
static void ret_far(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_far_return(cpu, i, (uint16_t)i->imm);
}

/* IRET/IRETD (CFh) */
static void iret(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_iret(cpu, i);
}

/* LOOP (E2h), LOOPE (E1h), LOOPNE (E0h), JCXZ/JECXZ (E3h): the count
 * register is CX or ECX by address size. */
static inline uint32_t count_reg(const struct ist_cpu *cpu, const struct ist_insn *i)
{
	return i->flags & IST_I_ADDR32 ? cpu->r[IST_ECX] : cpu->r[IST_ECX] & 0xFFFF;
}

static inline uint32_t count_dec(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if (i->flags & IST_I_ADDR32)
		return --cpu->r[IST_ECX];
	ist_set16(cpu, IST_ECX * 4, (uint16_t)(ist_get16(cpu, IST_ECX * 4) - 1));
	return ist_get16(cpu, IST_ECX * 4);
}

static void loop_branch(struct ist_cpu *cpu, const struct ist_insn *i, bool taken)
{
	if (taken) {
		ist_jump_near(cpu, i, i->imm);
		return;
	}
	IST_NEXT(cpu, i);
}

static void loopne(struct ist_cpu *cpu, const struct ist_insn *i)
{
	loop_branch(cpu, i, count_dec(cpu, i) != 0 && !ist_zf(cpu));
}

static void loope(struct ist_cpu *cpu, const struct ist_insn *i)
{
	loop_branch(cpu, i, count_dec(cpu, i) != 0 && ist_zf(cpu));
}

static void loop(struct ist_cpu *cpu, const struct ist_insn *i)
{
	loop_branch(cpu, i, count_dec(cpu, i) != 0);
}

static void jcxz(struct ist_cpu *cpu, const struct ist_insn *i)
{
	loop_branch(cpu, i, count_reg(cpu, i) == 0);
}

/* INT n (CDh), INT3 (CCh), INTO (CEh), INT1 (F1h): traps, so the frame
 * holds the next instruction. In virtual-8086 mode INT n needs IOPL 3. */
static void int_n(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if ((cpu->flags & IST_VM) && ist_iopl(cpu) < 3)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	cpu->eip = i->eip;
	ist_deliver(cpu, i->imm & 0xFF, IST_NO_ERROR, ist_next_eip(i), IST_EVENT_SOFTWARE);
}

static void int3(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->eip = i->eip;
	ist_deliver(cpu, IST_EXC_BP, IST_NO_ERROR, ist_next_eip(i), IST_EVENT_SOFTWARE);
}

static void into(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->eip = i->eip;
	if (ist_of(cpu))
		ist_deliver(cpu, IST_EXC_OF, IST_NO_ERROR, ist_next_eip(i), IST_EVENT_SOFTWARE);
	else
		cpu->eip = ist_next_eip(i);
}

static void int1(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->eip = i->eip;
	ist_deliver(cpu, IST_EXC_DB, IST_NO_ERROR, ist_next_eip(i), IST_EVENT_EXCEPTION);
}

/* BOUND reg, m (62h): #BR unless lower <= reg <= upper (signed). */
static void bound16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t ea = ist_ea(cpu, i);
	int16_t lo = (int16_t)ist_rd16(cpu, i, i->seg, ea);
	int16_t hi = (int16_t)ist_rd16(cpu, i, i->seg, ea + 2);
	int16_t v = (int16_t)ist_get16(cpu, i->reg);
	if (v < lo || v > hi)
		ist_raise(cpu, i, IST_EXC_BR, IST_NO_ERROR);
	IST_NEXT(cpu, i);
}

static void bound32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t ea = ist_ea(cpu, i);
	int32_t lo = (int32_t)ist_rd32(cpu, i, i->seg, ea);
	int32_t hi = (int32_t)ist_rd32(cpu, i, i->seg, ea + 4);
	int32_t v = (int32_t)ist_get32(cpu, i->reg);
	if (v < lo || v > hi)
		ist_raise(cpu, i, IST_EXC_BR, IST_NO_ERROR);
	IST_NEXT(cpu, i);
}

#define END IST_OPF_END
#define J8(cc) IST_OP(0x70 + (cc), 0, IST_IMM_JB, jcc_##cc, jcc_##cc)
#define JV(cc) IST_OP(IST_0F | (0x80 + (cc)), 0, IST_IMM_JV, jcc_##cc, jcc_##cc)

const struct ist_opcode ist_ops_control[] = {
	J8(0), J8(1), J8(2), J8(3), J8(4), J8(5), J8(6), J8(7),
	J8(8), J8(9), J8(10), J8(11), J8(12), J8(13), J8(14), J8(15),
	JV(0), JV(1), JV(2), JV(3), JV(4), JV(5), JV(6), JV(7),
	JV(8), JV(9), JV(10), JV(11), JV(12), JV(13), JV(14), JV(15),
	IST_OP(0xEB, END, IST_IMM_JB, jmp_rel, jmp_rel),
	IST_OP(0xE9, END, IST_IMM_JV, jmp_rel, jmp_rel),
	IST_OP(0xE8, END, IST_IMM_JV, call_rel, call_rel),
	IST_OP(0xC3, END, IST_IMM_NONE, ret_near, ret_near),
	IST_OP(0xC2, END, IST_IMM_W, ret_near, ret_near),
	IST_OP(0xEA, END, IST_IMM_P, jmp_far_ptr, jmp_far_ptr),
	IST_OP(0x9A, END, IST_IMM_P, call_far_ptr, call_far_ptr),
	IST_OP(0xCB, END, IST_IMM_NONE, ret_far, ret_far),
	IST_OP(0xCA, END, IST_IMM_W, ret_far, ret_far),
	IST_OP(0xCF, END, IST_IMM_NONE, iret, iret),
	IST_OP_RM(0xFF, 2, END, IST_IMM_NONE, call_rm_reg, call_rm_mem, call_rm_reg, call_rm_mem),
	IST_OP_RM(0xFF, 3, END, IST_IMM_NONE, NULL, call_far_mem, NULL, call_far_mem),
	IST_OP_RM(0xFF, 4, END, IST_IMM_NONE, jmp_rm_reg, jmp_rm_mem, jmp_rm_reg, jmp_rm_mem),
	IST_OP_RM(0xFF, 5, END, IST_IMM_NONE, NULL, jmp_far_mem, NULL, jmp_far_mem),
	IST_OP(0xE0, 0, IST_IMM_JB, loopne, loopne),
	IST_OP(0xE1, 0, IST_IMM_JB, loope, loope),
	IST_OP(0xE2, 0, IST_IMM_JB, loop, loop),
	IST_OP(0xE3, 0, IST_IMM_JB, jcxz, jcxz),
	IST_OP(0xCC, END, IST_IMM_NONE, int3, int3),
	IST_OP(0xCD, END, IST_IMM_B, int_n, int_n),
	IST_OP(0xCE, END, IST_IMM_NONE, into, into),
	IST_OP(0xF1, END, IST_IMM_NONE, int1, int1),
	IST_OP_RM(0x62, -1, 0, IST_IMM_NONE, NULL, bound16, NULL, bound32),
	IST_OP_TABLE_END,
};
