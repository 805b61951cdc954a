/* ist_op_mov.c: data movement: MOV (registers, memory, immediates, segment registers), LEA,
 * XCHG, XLAT, CBW/CWD, LAHF/SAHF, LDS/LES/LSS/LFS/LGS, MOVZX/MOVSX, SETcc, and the 486's
 * BSWAP, XADD and CMPXCHG. */
#include "ist_opcommon.h"
#include "ist_seg.h"

/* MOV r/m, reg (88h 89h) and MOV reg, r/m (8Ah 8Bh) */
#define MOV_WIDTH(bits) \
	static void mov_rmr##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, i->rm, bits, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL mov_rmr##bits##_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_mem_set(cpu, i, i->seg, ist_ea(cpu, i), bits, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void mov_rmr##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, true); \
		if (unlikely(!p)) \
			return mov_rmr##bits##_mem_careful(cpu, i); \
		ist_host_set(p, bits, ist_reg_get(cpu, i->reg, bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void mov_rrm##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, i->reg, bits, ist_reg_get(cpu, i->rm, bits)); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL mov_rrm##bits##_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, i->reg, bits, ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void mov_rrm##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		const uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, false); \
		if (unlikely(!p)) \
			return mov_rrm##bits##_mem_careful(cpu, i); \
		ist_reg_set(cpu, i->reg, bits, ist_host_get(p, bits)); \
		IST_NEXT(cpu, i); \
	} \
	/* MOV r/m, imm (C6h C7h /0) */ \
	static void mov_rmi##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, i->rm, bits, i->imm); \
		IST_NEXT(cpu, i); \
	} \
	IST_CAREFUL mov_rmi##bits##_mem_careful(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_mem_set(cpu, i, i->seg, ist_ea(cpu, i), bits, i->imm); \
		IST_NEXT(cpu, i); \
	} \
	static void mov_rmi##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint8_t *p = ist_fast(cpu, i->seg, ist_ea(cpu, i), bits / 8, true); \
		if (unlikely(!p)) \
			return mov_rmi##bits##_mem_careful(cpu, i); \
		ist_host_set(p, bits, i->imm); \
		IST_NEXT(cpu, i); \
	} \
	/* MOV acc, moffs (A0h A1h) and MOV moffs, acc (A2h A3h) */ \
	static void mov_acc_moffs##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, 0, bits, ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), bits)); \
		IST_NEXT(cpu, i); \
	} \
	static void mov_moffs_acc##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_mem_set(cpu, i, i->seg, ist_ea(cpu, i), bits, ist_reg_get(cpu, 0, bits)); \
		IST_NEXT(cpu, i); \
	} \
	/* MOV reg, imm (B0h-BFh): the register is in the opcode */ \
	static void mov_ri##bits(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		ist_reg_set(cpu, ist_reg_n(i->opcode & 7, bits), bits, i->imm); \
		IST_NEXT(cpu, i); \
	} \
	/* XCHG r/m, reg (86h 87h): with memory, locked whether or not LOCK is given */ \
	static void xchg##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t a = ist_reg_get(cpu, i->rm, bits), b = ist_reg_get(cpu, i->reg, bits); \
		ist_reg_set(cpu, i->rm, bits, b); \
		ist_reg_set(cpu, i->reg, bits, a); \
		IST_NEXT(cpu, i); \
	} \
	static void xchg##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t ea = ist_ea(cpu, i); \
		uint32_t a = ist_mem_get(cpu, i, i->seg, ea, bits); \
		ist_mem_set(cpu, i, i->seg, ea, bits, ist_reg_get(cpu, i->reg, bits)); \
		ist_reg_set(cpu, i->reg, bits, a); \
		IST_NEXT(cpu, i); \
	}

MOV_WIDTH(8)
MOV_WIDTH(16)
MOV_WIDTH(32)

/* XCHG eAX, reg (91h-97h) */
static void xchg_acc16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned off = (i->opcode & 7) * 4u;
	uint16_t a = ist_get16(cpu, 0);
	ist_set16(cpu, 0, ist_get16(cpu, off));
	ist_set16(cpu, off, a);
	IST_NEXT(cpu, i);
}

static void xchg_acc32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned n = i->opcode & 7;
	uint32_t a = cpu->r[IST_EAX];
	cpu->r[IST_EAX] = cpu->r[n];
	cpu->r[n] = a;
	IST_NEXT(cpu, i);
}

static void nop(struct ist_cpu *cpu, const struct ist_insn *i)
{
	IST_NEXT(cpu, i);
}

/* LEA reg, m: the offset, in the operand size */
static void lea16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set16(cpu, i->reg, (uint16_t)ist_ea(cpu, i));
	IST_NEXT(cpu, i);
}

static void lea32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set32(cpu, i->reg, ist_ea(cpu, i));
	IST_NEXT(cpu, i);
}

/* MOV r/m, sreg (8Ch): a register destination gets the selector
 * zero-extended; memory always gets 16 bits. */
static void mov_rm_sreg_reg16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned s = (i->modrm >> 3) & 7;
	if (s >= IST_SREGS)
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	ist_set16(cpu, i->rm, cpu->seg[s].sel);
	IST_NEXT(cpu, i);
}

static void mov_rm_sreg_reg32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned s = (i->modrm >> 3) & 7;
	if (s >= IST_SREGS)
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	ist_set32(cpu, i->rm, cpu->seg[s].sel);
	IST_NEXT(cpu, i);
}

static void mov_rm_sreg_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned s = (i->modrm >> 3) & 7;
	if (s >= IST_SREGS)
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	ist_wr16(cpu, i, i->seg, ist_ea(cpu, i), cpu->seg[s].sel);
	IST_NEXT(cpu, i);
}

/* MOV sreg, r/m (8Eh); MOV SS holds off interrupts (ist_next_after_sreg). */
static void mov_sreg(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel)
{
	unsigned s = (i->modrm >> 3) & 7;
	if (s >= IST_SREGS || s == IST_CS)
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	ist_load_sreg(cpu, i, s, sel);
	ist_next_after_sreg(cpu, i, s);
}

static void mov_sreg_rm_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	mov_sreg(cpu, i, ist_get16(cpu, i->rm));
}

static void mov_sreg_rm_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned s = (i->modrm >> 3) & 7;
	if (s >= IST_SREGS || s == IST_CS)
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	mov_sreg(cpu, i, ist_rd16(cpu, i, i->seg, ist_ea(cpu, i)));
}

/* CBW/CWDE (98h), CWD/CDQ (99h) */
static void cbw(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set16(cpu, 0, (uint16_t)(int16_t)(int8_t)ist_get8(cpu, 0));
	IST_NEXT(cpu, i);
}

static void cwde(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->r[IST_EAX] = (uint32_t)(int32_t)(int16_t)ist_get16(cpu, 0);
	IST_NEXT(cpu, i);
}

static void cwd(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set16(cpu, IST_EDX * 4, ist_get16(cpu, 0) & 0x8000 ? 0xFFFF : 0);
	IST_NEXT(cpu, i);
}

static void cdq(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->r[IST_EDX] = cpu->r[IST_EAX] & 0x80000000u ? 0xFFFFFFFFu : 0;
	IST_NEXT(cpu, i);
}

/* XLAT (D7h): AL = [seg:(E)BX + AL] */
static void xlat(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t off = cpu->r[IST_EBX] + ist_get8(cpu, 0);
	if (!(i->flags & IST_I_ADDR32))
		off &= 0xFFFF;
	ist_set8(cpu, 0, ist_rd8(cpu, i, i->seg, off));
	IST_NEXT(cpu, i);
}

/* SAHF (9Eh), LAHF (9Fh): SF ZF AF PF CF and AH */
#define SAHF_FLAGS (IST_SF | IST_ZF | IST_AF | IST_PF | IST_CF)

static void sahf(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_flags_set(cpu, ist_get8(cpu, 1), SAHF_FLAGS);
	IST_NEXT(cpu, i);
}

static void lahf(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set8(cpu, 1, (uint8_t)ist_flags_get(cpu));
	IST_NEXT(cpu, i);
}

/* LDS LES LSS LFS LGS: offset, then selector, from memory */
static void load_far_pointer(struct ist_cpu *cpu, const struct ist_insn *i, unsigned sreg)
{
	uint32_t ea = ist_ea(cpu, i), off;
	uint16_t sel;
	if (i->flags & IST_I_OP32) {
		off = ist_rd32(cpu, i, i->seg, ea);
		sel = ist_rd16(cpu, i, i->seg, ea + 4);
	} else {
		off = ist_rd16(cpu, i, i->seg, ea);
		sel = ist_rd16(cpu, i, i->seg, ea + 2);
	}
	ist_load_sreg(cpu, i, sreg, sel);
	ist_reg_set(cpu, i->reg, ist_opbits(i), off);
}

#define LOAD_FAR(name, sreg) \
	static void name(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		load_far_pointer(cpu, i, sreg); \
		IST_NEXT(cpu, i); \
	}

LOAD_FAR(les, IST_ES)
LOAD_FAR(lds, IST_DS)
LOAD_FAR(lss, IST_SS)
LOAD_FAR(lfs, IST_FS)
LOAD_FAR(lgs, IST_GS)

/* MOVZX, MOVSX: a byte or word source widened to the operand size */
#define MOVX(name, src_bits, widen) \
	static void name##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t v = ist_reg_get(cpu, i->rm, src_bits); \
		ist_reg_set(cpu, i->reg, ist_opbits(i), widen); \
		IST_NEXT(cpu, i); \
	} \
	static void name##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t v = ist_mem_get(cpu, i, i->seg, ist_ea(cpu, i), src_bits); \
		ist_reg_set(cpu, i->reg, ist_opbits(i), widen); \
		IST_NEXT(cpu, i); \
	}

MOVX(movzx8, 8, v)
MOVX(movzx16, 16, v)
MOVX(movsx8, 8, (uint32_t)(int32_t)(int8_t)v)
MOVX(movsx16, 16, (uint32_t)(int32_t)(int16_t)v)

/* SETcc r/m8 (0Fh 90h-9Fh) */
static void setcc_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set8(cpu, i->rm, ist_cond(cpu, i->opcode & 15));
	IST_NEXT(cpu, i);
}

static void setcc_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_wr8(cpu, i, i->seg, ist_ea(cpu, i), ist_cond(cpu, i->opcode & 15));
	IST_NEXT(cpu, i);
}

/* BSWAP reg (0Fh C8h-CFh, 486); with a 16-bit operand the register's low
 * word becomes 0, as on Intel's CPUs. */
static void bswap32(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned n = i->opcode & 7;
	cpu->r[n] = __builtin_bswap32(cpu->r[n]);
	IST_NEXT(cpu, i);
}

static void bswap16(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_set16(cpu, (i->opcode & 7) * 4u, 0);
	IST_NEXT(cpu, i);
}

/* XADD r/m, reg (0Fh C0h C1h, 486) */
#define XADD(bits) \
	static void xadd##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t d = ist_reg_get(cpu, i->rm, bits), s = ist_reg_get(cpu, i->reg, bits); \
		uint32_t r = (d + s) & ist_width_mask(bits); \
		ist_reg_set(cpu, i->reg, bits, d); \
		ist_reg_set(cpu, i->rm, bits, r); \
		ist_lazy(cpu, IST_LF_ADD, bits, d, s, r, 0); \
		IST_NEXT(cpu, i); \
	} \
	static void xadd##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t ea = ist_ea(cpu, i); \
		uint32_t d = ist_mem_get(cpu, i, i->seg, ea, bits), s = ist_reg_get(cpu, i->reg, bits); \
		uint32_t r = (d + s) & ist_width_mask(bits); \
		ist_mem_set(cpu, i, i->seg, ea, bits, r); \
		ist_reg_set(cpu, i->reg, bits, d); \
		ist_lazy(cpu, IST_LF_ADD, bits, d, s, r, 0); \
		IST_NEXT(cpu, i); \
	}

XADD(8)
XADD(16)
XADD(32)

/* CMPXCHG r/m, reg (0Fh B0h B1h, 486): compare with the accumulator; equal:
 * r/m = reg, else accumulator = r/m. Memory is written either way, as the
 * locked bus cycle does. */
#define CMPXCHG(bits) \
	static void cmpxchg##bits##_reg(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t acc = ist_reg_get(cpu, 0, bits), d = ist_reg_get(cpu, i->rm, bits); \
		uint32_t r = (acc - d) & ist_width_mask(bits); \
		if (acc == d) \
			ist_reg_set(cpu, i->rm, bits, ist_reg_get(cpu, i->reg, bits)); \
		else \
			ist_reg_set(cpu, 0, bits, d); \
		ist_lazy(cpu, IST_LF_SUB, bits, acc, d, r, 0); \
		IST_NEXT(cpu, i); \
	} \
	static void cmpxchg##bits##_mem(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		uint32_t ea = ist_ea(cpu, i); \
		uint32_t acc = ist_reg_get(cpu, 0, bits), d = ist_mem_get(cpu, i, i->seg, ea, bits); \
		uint32_t r = (acc - d) & ist_width_mask(bits); \
		ist_mem_set(cpu, i, i->seg, ea, bits, acc == d ? ist_reg_get(cpu, i->reg, bits) : d); \
		if (acc != d) \
			ist_reg_set(cpu, 0, bits, d); \
		ist_lazy(cpu, IST_LF_SUB, bits, acc, d, r, 0); \
		IST_NEXT(cpu, i); \
	}

CMPXCHG(8)
CMPXCHG(16)
CMPXCHG(32)

#define BYTE IST_OPF_BYTE
#define LOCK IST_OPF_LOCK
#define RM(code, group, flags, imm, r16, m16, r32, m32) \
	IST_OP_RM(code, group, flags, imm, r16, m16, r32, m32)
#define RI8(code) IST_OP((code), 0, IST_IMM_B, mov_ri8, mov_ri8)
#define RIV(code) IST_OP((code), 0, IST_IMM_V, mov_ri16, mov_ri32)
#define XCHGA(code) IST_OP((code), 0, IST_IMM_NONE, xchg_acc16, xchg_acc32)
#define SETCC(cc) RM(IST_0F | (0x90 + (cc)), -1, BYTE, IST_IMM_NONE, setcc_reg, setcc_mem, \
		     setcc_reg, setcc_mem)
#define BSWAP(n) IST_OP(IST_0F | (0xC8 + (n)), 0, IST_IMM_NONE, bswap16, bswap32)

const struct ist_opcode ist_ops_mov[] = {
	RM(0x88, -1, BYTE, IST_IMM_NONE, mov_rmr8_reg, mov_rmr8_mem, mov_rmr8_reg, mov_rmr8_mem),
	RM(0x89, -1, 0, IST_IMM_NONE, mov_rmr16_reg, mov_rmr16_mem, mov_rmr32_reg, mov_rmr32_mem),
	RM(0x8A, -1, BYTE, IST_IMM_NONE, mov_rrm8_reg, mov_rrm8_mem, mov_rrm8_reg, mov_rrm8_mem),
	RM(0x8B, -1, 0, IST_IMM_NONE, mov_rrm16_reg, mov_rrm16_mem, mov_rrm32_reg, mov_rrm32_mem),
	RM(0x8C, -1, 0, IST_IMM_NONE, mov_rm_sreg_reg16, mov_rm_sreg_mem, mov_rm_sreg_reg32,
	   mov_rm_sreg_mem),
	RM(0x8D, -1, 0, IST_IMM_NONE, NULL, lea16, NULL, lea32),
	RM(0x8E, -1, IST_OPF_END, IST_IMM_NONE, mov_sreg_rm_reg, mov_sreg_rm_mem,
	   mov_sreg_rm_reg, mov_sreg_rm_mem),
	RM(0x86, -1, BYTE | LOCK, IST_IMM_NONE, xchg8_reg, xchg8_mem, xchg8_reg, xchg8_mem),
	RM(0x87, -1, LOCK, IST_IMM_NONE, xchg16_reg, xchg16_mem, xchg32_reg, xchg32_mem),
	IST_OP(0x90, 0, IST_IMM_NONE, nop, nop),
	XCHGA(0x91), XCHGA(0x92), XCHGA(0x93), XCHGA(0x94), XCHGA(0x95), XCHGA(0x96), XCHGA(0x97),
	IST_OP(0x98, 0, IST_IMM_NONE, cbw, cwde),
	IST_OP(0x99, 0, IST_IMM_NONE, cwd, cdq),
	IST_OP(0x9E, 0, IST_IMM_NONE, sahf, sahf),
	IST_OP(0x9F, 0, IST_IMM_NONE, lahf, lahf),
	IST_OP(0xA0, 0, IST_IMM_A, mov_acc_moffs8, mov_acc_moffs8),
	IST_OP(0xA1, 0, IST_IMM_A, mov_acc_moffs16, mov_acc_moffs32),
	IST_OP(0xA2, 0, IST_IMM_A, mov_moffs_acc8, mov_moffs_acc8),
	IST_OP(0xA3, 0, IST_IMM_A, mov_moffs_acc16, mov_moffs_acc32),
	RI8(0xB0), RI8(0xB1), RI8(0xB2), RI8(0xB3), RI8(0xB4), RI8(0xB5), RI8(0xB6), RI8(0xB7),
	RIV(0xB8), RIV(0xB9), RIV(0xBA), RIV(0xBB), RIV(0xBC), RIV(0xBD), RIV(0xBE), RIV(0xBF),
	RM(0xC4, -1, 0, IST_IMM_NONE, NULL, les, NULL, les),
	RM(0xC5, -1, 0, IST_IMM_NONE, NULL, lds, NULL, lds),
	RM(0xC6, 0, BYTE, IST_IMM_B, mov_rmi8_reg, mov_rmi8_mem, mov_rmi8_reg, mov_rmi8_mem),
	RM(0xC7, 0, 0, IST_IMM_V, mov_rmi16_reg, mov_rmi16_mem, mov_rmi32_reg, mov_rmi32_mem),
	IST_OP(0xD7, 0, IST_IMM_NONE, xlat, xlat),
	RM(IST_0F | 0xB2, -1, 0, IST_IMM_NONE, NULL, lss, NULL, lss),
	RM(IST_0F | 0xB4, -1, 0, IST_IMM_NONE, NULL, lfs, NULL, lfs),
	RM(IST_0F | 0xB5, -1, 0, IST_IMM_NONE, NULL, lgs, NULL, lgs),
	RM(IST_0F | 0xB6, -1, IST_OPF_RM8, IST_IMM_NONE, movzx8_reg, movzx8_mem, movzx8_reg,
	   movzx8_mem),
	RM(IST_0F | 0xB7, -1, 0, IST_IMM_NONE, movzx16_reg, movzx16_mem, movzx16_reg,
	   movzx16_mem),
	RM(IST_0F | 0xBE, -1, IST_OPF_RM8, IST_IMM_NONE, movsx8_reg, movsx8_mem, movsx8_reg,
	   movsx8_mem),
	RM(IST_0F | 0xBF, -1, 0, IST_IMM_NONE, movsx16_reg, movsx16_mem, movsx16_reg,
	   movsx16_mem),
	SETCC(0), SETCC(1), SETCC(2), SETCC(3), SETCC(4), SETCC(5), SETCC(6), SETCC(7),
	SETCC(8), SETCC(9), SETCC(10), SETCC(11), SETCC(12), SETCC(13), SETCC(14), SETCC(15),
	BSWAP(0), BSWAP(1), BSWAP(2), BSWAP(3), BSWAP(4), BSWAP(5), BSWAP(6), BSWAP(7),
	RM(IST_0F | 0xC0, -1, BYTE | LOCK, IST_IMM_NONE, xadd8_reg, xadd8_mem, xadd8_reg, xadd8_mem),
	RM(IST_0F | 0xC1, -1, LOCK, IST_IMM_NONE, xadd16_reg, xadd16_mem, xadd32_reg, xadd32_mem),
	RM(IST_0F | 0xB0, -1, BYTE | LOCK, IST_IMM_NONE, cmpxchg8_reg, cmpxchg8_mem, cmpxchg8_reg,
	   cmpxchg8_mem),
	RM(IST_0F | 0xB1, -1, LOCK, IST_IMM_NONE, cmpxchg16_reg, cmpxchg16_mem, cmpxchg32_reg,
	   cmpxchg32_mem),
	IST_OP_TABLE_END,
};
