/* ist_ops.h: how instruction families describe their opcodes to the decoder. Each family
 * file (ist_op_*.c) defines its handlers and one table of struct ist_opcode; the decoder
 * merges the tables and refuses overlaps. */
#ifndef MVM_IST_OPS_H
#define MVM_IST_OPS_H

#include "ist_state.h"

#define IST_0F 0x100u       /* second opcode byte after 0Fh */
#define IST_OPCODES 0x200u
#define IST_OPCODE_END 0xFFFFu /* ends a family table */

/* Operand layout */
#define IST_OPF_MODRM 0x01 /* a ModR/M byte follows */
#define IST_OPF_BYTE 0x02  /* 8-bit operands: reg and rm name AL..BH */
#define IST_OPF_RM8 0x04   /* only the r/m operand is 8-bit (MOVZX, MOVSX) */
#define IST_OPF_END 0x08   /* ends a block: transfers control, changes mode, touches devices */
#define IST_OPF_LOCK 0x10  /* LOCK allowed (with a memory destination) */
#define IST_OPF_PM 0x20    /* #UD outside protected mode */
#define IST_OPF_REGONLY 0x40 /* ModR/M is always a register form (MOV CRn, MOV DRn) */
#define IST_OPF_REPEND 0x80  /* ends a block when repeated (REP string instructions) */

/* Immediates */
enum ist_imm {
	IST_IMM_NONE,
	IST_IMM_B,  /* imm8, zero-extended */
	IST_IMM_BS, /* imm8, sign-extended */
	IST_IMM_W,  /* imm16 */
	IST_IMM_V,  /* imm16 or imm32 by operand size */
	IST_IMM_A,  /* moffs by address size: becomes the memory operand's disp */
	IST_IMM_P,  /* far pointer: offset (operand size) in imm, selector in imm2 */
	IST_IMM_WB, /* ENTER: imm16 in imm, imm8 in imm2 */
	/* Relative branches: imm holds the target EIP (IP wrapped at 64 KiB with
	 * a 16-bit operand); disp, once the target block is known, where it
	 * lies in the code cache (see ist_chain_fixed). */
	IST_IMM_JB, /* rel8 */
	IST_IMM_JV, /* rel16 or rel32 by operand size */
};

/* One opcode, or one ModR/M.reg value of a group opcode. */
struct ist_opcode {
	uint16_t code;   /* 0x00-0xFF, or IST_0F | second byte */
	int8_t group;    /* ModR/M.reg this entry is for; -1: the whole opcode */
	uint8_t flags;   /* IST_OPF_* */
	uint8_t imm;     /* enum ist_imm */
	/* Handlers by operand size and kind of r/m operand; 8-bit and fixed-size
	 * instructions fill the 16-bit slots (and the 32-bit ones alike);
	 * instructions without ModR/M use the reg slots. NULL: #UD. */
	ist_op *reg16, *mem16, *reg32, *mem32;
};

/* Shorthand for table entries. */
#define IST_OP_RM(code, group, flags, imm, r16, m16, r32, m32) \
	{ (code), (group), (flags) | IST_OPF_MODRM, (imm), (r16), (m16), (r32), (m32) }
#define IST_OP(code, flags, imm, h16, h32) \
	{ (code), -1, (flags), (imm), (h16), NULL, (h32), NULL }
#define IST_OP_TABLE_END { IST_OPCODE_END, -1, 0, 0, NULL, NULL, NULL, NULL }

/* The families. */
extern const struct ist_opcode ist_ops_alu[];
extern const struct ist_opcode ist_ops_mov[];
extern const struct ist_opcode ist_ops_stack[];
extern const struct ist_opcode ist_ops_control[];
extern const struct ist_opcode ist_ops_string[];
extern const struct ist_opcode ist_ops_shift[];
extern const struct ist_opcode ist_ops_muldiv[];
extern const struct ist_opcode ist_ops_bcd[];
extern const struct ist_opcode ist_ops_bit[];
extern const struct ist_opcode ist_ops_flags[];
extern const struct ist_opcode ist_ops_io[];
extern const struct ist_opcode ist_ops_system[];

#endif
