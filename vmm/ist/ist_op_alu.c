/* ist_op_alu.c: ADD OR ADC SBB AND SUB XOR CMP, TEST, INC DEC, NEG NOT. */
#include "ist_opcommon.h"

/* The eight operations of opcodes 00h-3Fh and groups 80h-83h, in encoding
 * order, and TEST: AND without storing. */
enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };

IST_INLINE bool alu_stores(enum alu_op op)
{
	return op != ALU_CMP && op != ALU_TEST;
}

IST_INLINE unsigned alu_carry_in(const struct ist_cpu *cpu, enum alu_op op)
{
	return op == ALU_ADC || op == ALU_SBB ? ist_cf(cpu) : 0;
}

IST_INLINE uint32_t alu_result(enum alu_op op, unsigned bits, uint32_t dst, uint32_t src,
				  unsigned carry)
{
	uint32_t r;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		r = dst + src + carry;
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		r = dst - src - carry;
		break;
	case ALU_OR:
		r = dst | src;
		break;
	case ALU_XOR:
		r = dst ^ src;
		break;
	default:
		r = dst & src;
		break;
	}
	return r & ist_width_mask(bits);
}

/* Flags are recorded after the result is stored: a store that faults
 * leaves them as they were. */
IST_INLINE void alu_flags(struct ist_cpu *cpu, enum alu_op op, unsigned bits, uint32_t dst,
			     uint32_t src, uint32_t res, unsigned carry)
{
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		ist_lazy(cpu, IST_LF_ADD, bits, dst, src, res, carry);
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		ist_lazy(cpu, IST_LF_SUB, bits, dst, src, res, carry);
		break;
	default:
		ist_lazy(cpu, IST_LF_LOGIC, bits, 0, 0, res, 0);
		break;
	}
}

/* r/m op= src */
IST_INLINE void alu_rm(struct ist_cpu *cpu, const struct ist_insn *i, enum alu_op op,
			  unsigned bits, bool mem, uint32_t src)
{
	uint32_t ea = mem ? ist_ea(cpu, i) : 0;
	uint32_t dst = IST_RM_GET(cpu, i, bits, mem, ea);
	unsigned carry = alu_carry_in(cpu, op);
	uint32_t res = alu_result(op, bits, dst, src, carry);
	if (alu_stores(op))
		IST_RM_SET(cpu, i, bits, mem, ea, res);
	alu_flags(cpu, op, bits, dst, src, res, carry);
}

/* [p] op= src, p from ist_fast */
IST_INLINE void alu_host(struct ist_cpu *cpu, enum alu_op op, unsigned bits, uint8_t *p,
			 uint32_t src)
{
	uint32_t dst = ist_host_get(p, bits);
	unsigned carry = alu_carry_in(cpu, op);
	uint32_t res = alu_result(op, bits, dst, src, carry);
	if (alu_stores(op))
		ist_host_set(p, bits, res);
	alu_flags(cpu, op, bits, dst, src, res, carry);
}

/* register op= src */
IST_INLINE void alu_reg(struct ist_cpu *cpu, enum alu_op op, unsigned bits, unsigned off,
			   uint32_t src)
{
	uint32_t dst = ist_reg_get(cpu, off, bits);
	unsigned carry = alu_carry_in(cpu, op);
	uint32_t res = alu_result(op, bits, dst, src, carry);
	if (alu_stores(op))
		ist_reg_set(cpu, off, bits, res);
	alu_flags(cpu, op, bits, dst, src, res, carry);
}

/* Handlers of one operation and width:
 *   _rmr: r/m op= reg      (00h 01h ...)   _rrm: reg op= r/m   (02h 03h ...)
 *   _acc: AL/AX/EAX op= imm (04h 05h ...)  _rmi: r/m op= imm   (80h 81h 83h)
 */
#define ALU_WIDTH(name, op, bits) \
	static void name##_rmr_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_rm(cpu, i, op, bits, false, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##_rmr_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_rm(cpu, i, op, bits, true, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_rmr_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, alu_stores(op)); \
		if (unlikely(!p)) \
			return name##_rmr_mem_careful(cpu, i); \
		alu_host(cpu, op, bits, p, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_acc(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_reg(cpu, op, bits, 0, i->imm & ist_width_mask(bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_rmi_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_rm(cpu, i, op, bits, false, i->imm & ist_width_mask(bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##_rmi_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_rm(cpu, i, op, bits, true, i->imm & ist_width_mask(bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_rmi_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, alu_stores(op)); \
		if (unlikely(!p)) \
			return name##_rmi_mem_careful(cpu, i); \
		alu_host(cpu, op, bits, p, i->imm & ist_width_mask(bits)); \
		IST_NEXT(cpu, i); \
	}

#define ALU_WIDTH_RRM(name, op, bits) \
	static void name##_rrm_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_reg(cpu, op, bits, i->reg, ist_reg_get(cpu, i->rm, bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##_rrm_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		alu_reg(cpu, op, bits, i->reg, ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_rrm_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		const uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, false); \
		if (unlikely(!p)) \
			return name##_rrm_mem_careful(cpu, i); \
		alu_reg(cpu, op, bits, i->reg, ist_host_get(p, bits)); \
		IST_NEXT(cpu, i); \
	}

#define ALU_OP(name, op) \
	ALU_WIDTH(name##8, op, 8) \
	ALU_WIDTH(name##16, op, 16) \
	ALU_WIDTH(name##32, op, 32) \
	ALU_WIDTH_RRM(name##8, op, 8) \
	ALU_WIDTH_RRM(name##16, op, 16) \
	ALU_WIDTH_RRM(name##32, op, 32)

ALU_OP(add, ALU_ADD)
ALU_OP(or, ALU_OR)
ALU_OP(adc, ALU_ADC)
ALU_OP(sbb, ALU_SBB)
ALU_OP(and, ALU_AND)
ALU_OP(sub, ALU_SUB)
ALU_OP(xor, ALU_XOR)
ALU_OP(cmp, ALU_CMP)
/* TEST has no reg, r/m form. */
ALU_WIDTH(test8, ALU_TEST, 8)
ALU_WIDTH(test16, ALU_TEST, 16)
ALU_WIDTH(test32, ALU_TEST, 32)

/* INC and DEC keep CF. */
IST_INLINE void incdec(struct ist_cpu *cpu, const struct ist_insn *i, bool dec, unsigned bits,
			  bool mem, unsigned reg_off)
{
	uint32_t ea = mem ? ist_ea(cpu, i) : 0;
	uint32_t dst = mem ? ist_mem_get(cpu, i, i->seg, ea, bits) : ist_reg_get(cpu, reg_off, bits);
	uint32_t res = (dec ? dst - 1 : dst + 1) & ist_width_mask(bits);
	if (mem)
		ist_mem_set(cpu, i, i->seg, ea, bits, res);
	else
		ist_reg_set(cpu, reg_off, bits, res);
	ist_lazy_incdec(cpu, dec, bits, dst, res);
}

#define INCDEC_RM(name, dec, bits) \
	static void name##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		incdec(cpu, i, dec, bits, false, i->rm); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL name##_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		incdec(cpu, i, dec, bits, true, 0); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, true); \
		uint32_t dst, res; \
		if (unlikely(!p)) \
			return name##_mem_careful(cpu, i); \
		dst = ist_host_get(p, bits); \
		res = (dec ? dst - 1 : dst + 1) & ist_width_mask(bits); \
		ist_host_set(p, bits, res); \
		ist_lazy_incdec(cpu, dec, bits, dst, res); \
		IST_NEXT(cpu, i); \
	}

/* 40h-4Fh: the register is in the opcode. */
#define INCDEC_OP(name, dec, bits) \
	static void name##_op(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		incdec(cpu, i, dec, bits, false, (i->opcode & 7) * 4u); \
		IST_NEXT(cpu, i); \
	}

INCDEC_RM(inc8, false, 8)
INCDEC_RM(inc16, false, 16)
INCDEC_RM(inc32, false, 32)
INCDEC_RM(dec8, true, 8)
INCDEC_RM(dec16, true, 16)
INCDEC_RM(dec32, true, 32)
INCDEC_OP(inc16, false, 16)
INCDEC_OP(inc32, false, 32)
INCDEC_OP(dec16, true, 16)
INCDEC_OP(dec32, true, 32)

IST_INLINE void negnot(struct ist_cpu *cpu, const struct ist_insn *i, bool neg, unsigned bits,
			  bool mem)
{
	uint32_t ea = mem ? ist_ea(cpu, i) : 0;
	uint32_t dst = IST_RM_GET(cpu, i, bits, mem, ea);
	uint32_t res = (neg ? 0 - dst : ~dst) & ist_width_mask(bits);
	IST_RM_SET(cpu, i, bits, mem, ea, res);
	if (neg)
		ist_lazy(cpu, IST_LF_SUB, bits, 0, dst, res, 0);
}

#define NEGNOT(name, neg, bits) \
	static void name##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		negnot(cpu, i, neg, bits, false); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		negnot(cpu, i, neg, bits, true); \
		IST_NEXT(cpu, i); \
	}

NEGNOT(neg8, true, 8)
NEGNOT(neg16, true, 16)
NEGNOT(neg32, true, 32)
NEGNOT(not8, false, 8)
NEGNOT(not16, false, 16)
NEGNOT(not32, false, 32)

#define BYTE IST_OPF_BYTE
#define LOCK IST_OPF_LOCK

/* The six forms of operation op (00h-3Fh) and its /op in groups 80h-83h. */
#define ALU_TABLE(op, name, lock) \
	IST_OP_RM((op) * 8 + 0, -1, BYTE | (lock), IST_IMM_NONE, name##8_rmr_reg, name##8_rmr_mem, \
		  name##8_rmr_reg, name##8_rmr_mem), \
	IST_OP_RM((op) * 8 + 1, -1, (lock), IST_IMM_NONE, name##16_rmr_reg, name##16_rmr_mem, \
		  name##32_rmr_reg, name##32_rmr_mem), \
	IST_OP_RM((op) * 8 + 2, -1, BYTE, IST_IMM_NONE, name##8_rrm_reg, name##8_rrm_mem, \
		  name##8_rrm_reg, name##8_rrm_mem), \
	IST_OP_RM((op) * 8 + 3, -1, 0, IST_IMM_NONE, name##16_rrm_reg, name##16_rrm_mem, \
		  name##32_rrm_reg, name##32_rrm_mem), \
	IST_OP((op) * 8 + 4, 0, IST_IMM_B, name##8_acc, name##8_acc), \
	IST_OP((op) * 8 + 5, 0, IST_IMM_V, name##16_acc, name##32_acc), \
	IST_OP_RM(0x80, (op), BYTE | (lock), IST_IMM_B, name##8_rmi_reg, name##8_rmi_mem, \
		  name##8_rmi_reg, name##8_rmi_mem), \
	IST_OP_RM(0x81, (op), (lock), IST_IMM_V, name##16_rmi_reg, name##16_rmi_mem, \
		  name##32_rmi_reg, name##32_rmi_mem), \
	IST_OP_RM(0x82, (op), BYTE | (lock), IST_IMM_B, name##8_rmi_reg, name##8_rmi_mem, \
		  name##8_rmi_reg, name##8_rmi_mem), \
	IST_OP_RM(0x83, (op), (lock), IST_IMM_BS, name##16_rmi_reg, name##16_rmi_mem, \
		  name##32_rmi_reg, name##32_rmi_mem)

#define REG_OP(code, name) IST_OP((code), 0, IST_IMM_NONE, name##16_op, name##32_op)

const struct ist_opcode ist_ops_alu[] = {
	ALU_TABLE(ALU_ADD, add, LOCK),
	ALU_TABLE(ALU_OR, or, LOCK),
	ALU_TABLE(ALU_ADC, adc, LOCK),
	ALU_TABLE(ALU_SBB, sbb, LOCK),
	ALU_TABLE(ALU_AND, and, LOCK),
	ALU_TABLE(ALU_SUB, sub, LOCK),
	ALU_TABLE(ALU_XOR, xor, LOCK),
	ALU_TABLE(ALU_CMP, cmp, 0),
	/* 84h 85h TEST r/m, reg; A8h A9h TEST acc, imm; F6h F7h /0 and /1 TEST r/m, imm */
	IST_OP_RM(0x84, -1, BYTE, IST_IMM_NONE, test8_rmr_reg, test8_rmr_mem, test8_rmr_reg,
		  test8_rmr_mem),
	IST_OP_RM(0x85, -1, 0, IST_IMM_NONE, test16_rmr_reg, test16_rmr_mem, test32_rmr_reg,
		  test32_rmr_mem),
	IST_OP(0xA8, 0, IST_IMM_B, test8_acc, test8_acc),
	IST_OP(0xA9, 0, IST_IMM_V, test16_acc, test32_acc),
	IST_OP_RM(0xF6, 0, BYTE, IST_IMM_B, test8_rmi_reg, test8_rmi_mem, test8_rmi_reg,
		  test8_rmi_mem),
	IST_OP_RM(0xF6, 1, BYTE, IST_IMM_B, test8_rmi_reg, test8_rmi_mem, test8_rmi_reg,
		  test8_rmi_mem),
	IST_OP_RM(0xF7, 0, 0, IST_IMM_V, test16_rmi_reg, test16_rmi_mem, test32_rmi_reg,
		  test32_rmi_mem),
	IST_OP_RM(0xF7, 1, 0, IST_IMM_V, test16_rmi_reg, test16_rmi_mem, test32_rmi_reg,
		  test32_rmi_mem),
	/* F6h F7h /2 NOT, /3 NEG */
	IST_OP_RM(0xF6, 2, BYTE | LOCK, IST_IMM_NONE, not8_reg, not8_mem, not8_reg, not8_mem),
	IST_OP_RM(0xF6, 3, BYTE | LOCK, IST_IMM_NONE, neg8_reg, neg8_mem, neg8_reg, neg8_mem),
	IST_OP_RM(0xF7, 2, LOCK, IST_IMM_NONE, not16_reg, not16_mem, not32_reg, not32_mem),
	IST_OP_RM(0xF7, 3, LOCK, IST_IMM_NONE, neg16_reg, neg16_mem, neg32_reg, neg32_mem),
	/* 40h-47h INC reg, 48h-4Fh DEC reg; FEh /0 /1 and FFh /0 /1 INC, DEC r/m */
	REG_OP(0x40, inc), REG_OP(0x41, inc), REG_OP(0x42, inc), REG_OP(0x43, inc),
	REG_OP(0x44, inc), REG_OP(0x45, inc), REG_OP(0x46, inc), REG_OP(0x47, inc),
	REG_OP(0x48, dec), REG_OP(0x49, dec), REG_OP(0x4A, dec), REG_OP(0x4B, dec),
	REG_OP(0x4C, dec), REG_OP(0x4D, dec), REG_OP(0x4E, dec), REG_OP(0x4F, dec),
	IST_OP_RM(0xFE, 0, BYTE | LOCK, IST_IMM_NONE, inc8_reg, inc8_mem, inc8_reg, inc8_mem),
	IST_OP_RM(0xFE, 1, BYTE | LOCK, IST_IMM_NONE, dec8_reg, dec8_mem, dec8_reg, dec8_mem),
	IST_OP_RM(0xFF, 0, LOCK, IST_IMM_NONE, inc16_reg, inc16_mem, inc32_reg, inc32_mem),
	IST_OP_RM(0xFF, 1, LOCK, IST_IMM_NONE, dec16_reg, dec16_mem, dec32_reg, dec32_mem),
	IST_OP_TABLE_END,
};
