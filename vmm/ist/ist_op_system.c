/* ist_op_system.c: system instructions: HLT; descriptor tables and task register (LGDT LIDT
 * SGDT SIDT LLDT SLDT LTR STR); LMSW SMSW CLTS; MOV to and from control and debug registers;
 * LAR LSL VERR VERW ARPL; CPUID and RDTSC of a 486 without FPU; the FPU escapes and WAIT. */
#include "ist_cache.h"
#include "ist_opcommon.h"
#include "ist_seg.h"
#include "ist_time.h"

/* CPUID: a GenuineIntel 486 (family 4, model 8), no FPU, with a TSC. */
#define CPUID_MAX_LEAF 1
#define CPUID_SIGNATURE 0x00000480u
#define CPUID_FEATURE_TSC 0x00000010u
#define CR4_TSD 0x4u

/* Privileged instructions need CPL 0 in protected mode (and fault in
 * virtual-8086 mode). */
static void check_cpl0(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if ((ist_pe(cpu) && cpu->cpl != 0) || (cpu->flags & IST_VM))
		ist_raise(cpu, i, IST_EXC_GP, 0);
}

/* HLT (F4h): the VMM idles the VM, or finds it dead with IF clear. */
static void hlt(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_cpl0(cpu, i);
	cpu->eip = ist_next_eip(i);
	cpu->exit->reason = CPU_EXIT_HLT;
	cpu->exit_set = true;
}

static void cpuid(struct ist_cpu *cpu, const struct ist_insn *i)
{
	/* Intel answers a leaf past the last with the last basic leaf. */
	uint32_t leaf = cpu->r[IST_EAX] > CPUID_MAX_LEAF ? CPUID_MAX_LEAF : cpu->r[IST_EAX];
	if (leaf == 0) {
		cpu->r[IST_EAX] = CPUID_MAX_LEAF;
		cpu->r[IST_EBX] = 0x756E6547u; /* "Genu" */
		cpu->r[IST_EDX] = 0x49656E69u; /* "ineI" */
		cpu->r[IST_ECX] = 0x6C65746Eu; /* "ntel" */
	} else {
		cpu->r[IST_EAX] = CPUID_SIGNATURE;
		cpu->r[IST_EBX] = 0;
		cpu->r[IST_ECX] = 0;
		cpu->r[IST_EDX] = CPUID_FEATURE_TSC;
	}
	IST_NEXT(cpu, i);
}

/* RDTSC: the virtual clock in nanoseconds, a 1 GHz time-stamp counter. */
static void rdtsc(struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint64_t tsc;
	if ((cpu->cr4 & CR4_TSD) && ist_pe(cpu) && cpu->cpl != 0)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	tsc = ist_virtual_ns(cpu);
	cpu->r[IST_EAX] = (uint32_t)tsc;
	cpu->r[IST_EDX] = (uint32_t)(tsc >> 32);
	IST_NEXT(cpu, i);
}

/* LGDT, LIDT (0Fh 01h /2 /3): limit, then base (24 bits with a 16-bit
 * operand). SGDT, SIDT (/0 /1) store them. */
static void load_dtr(struct ist_cpu *cpu, const struct ist_insn *i, struct ist_dtr *dtr)
{
	uint32_t ea = ist_ea(cpu, i), base;
	uint16_t limit;
	check_cpl0(cpu, i);
	limit = ist_rd16(cpu, i, i->seg, ea);
	base = ist_rd32(cpu, i, i->seg, ea + 2);
	if (!(i->flags & IST_I_OP32))
		base &= 0x00FFFFFFu;
	dtr->limit = limit;
	dtr->base = base;
}

static void store_dtr(struct ist_cpu *cpu, const struct ist_insn *i, const struct ist_dtr *dtr)
{
	uint32_t ea = ist_ea(cpu, i);
	ist_check(cpu, i, i->seg, ea, 6, true);
	ist_wr16(cpu, i, i->seg, ea, dtr->limit);
	ist_wr32(cpu, i, i->seg, ea + 2, i->flags & IST_I_OP32 ? dtr->base : dtr->base & 0x00FFFFFFu);
}

static void lgdt(struct ist_cpu *cpu, const struct ist_insn *i)
{
	load_dtr(cpu, i, &cpu->gdtr);
	IST_NEXT(cpu, i);
}

static void lidt(struct ist_cpu *cpu, const struct ist_insn *i)
{
	load_dtr(cpu, i, &cpu->idtr);
	IST_NEXT(cpu, i);
}

static void sgdt(struct ist_cpu *cpu, const struct ist_insn *i)
{
	store_dtr(cpu, i, &cpu->gdtr);
	IST_NEXT(cpu, i);
}

static void sidt(struct ist_cpu *cpu, const struct ist_insn *i)
{
	store_dtr(cpu, i, &cpu->idtr);
	IST_NEXT(cpu, i);
}

/* CR0 changes: PE switches how segments are checked and decoded, so the
 * block ends; paging is not done yet. */
static void write_cr0(struct ist_cpu *cpu, const struct ist_insn *i, uint32_t v)
{
	if ((v & IST_CR0_PG) && !(v & IST_CR0_PE))
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if (v & IST_CR0_PG)
		ist_unsupported(cpu, "paging (CR0.PG)");
	cpu->cr0 = v | IST_CR0_ET;
	if (!ist_pe(cpu))
		cpu->cpl = 0;
	ist_seg_refresh_all(cpu);
}

/* SMSW (0Fh 01h /4): CR0's low word (all of CR0 into a 32-bit register). */
static void smsw_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_reg_set(cpu, i->rm, ist_opbits(i), i->flags & IST_I_OP32 ? cpu->cr0 : cpu->cr0 & 0xFFFF);
	IST_NEXT(cpu, i);
}

static void smsw_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_wr16(cpu, i, i->seg, ist_ea(cpu, i), (uint16_t)cpu->cr0);
	IST_NEXT(cpu, i);
}

/* LMSW (/6): sets PE MP EM TS; cannot clear PE. */
static void lmsw(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t msw)
{
	check_cpl0(cpu, i);
	write_cr0(cpu, i, (cpu->cr0 & ~0xEu) | (msw & 0xF) | (cpu->cr0 & IST_CR0_PE));
	cpu->eip = ist_next_eip(i);
}

static void lmsw_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lmsw(cpu, i, ist_get16(cpu, i->rm));
}

static void lmsw_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lmsw(cpu, i, ist_rd16(cpu, i, i->seg, ist_ea(cpu, i)));
}

/* INVLPG (/7, 486): no paging, nothing cached to drop. */
static void invlpg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_cpl0(cpu, i);
	IST_NEXT(cpu, i);
}

/* CLTS (0Fh 06h), INVD (08h), WBINVD (09h) */
static void clts(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_cpl0(cpu, i);
	cpu->cr0 &= ~IST_CR0_TS;
	IST_NEXT(cpu, i);
}

static void invd(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_cpl0(cpu, i);
	IST_NEXT(cpu, i);
}

/* MOV r32, CRn (0Fh 20h) and MOV CRn, r32 (22h): CR0 CR2 CR3 CR4 */
static void mov_from_cr(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned n = (i->modrm >> 3) & 7;
	uint32_t v;
	check_cpl0(cpu, i);
	switch (n) {
	case 0:
		v = cpu->cr0;
		break;
	case 2:
		v = cpu->cr2;
		break;
	case 3:
		v = cpu->cr3;
		break;
	case 4:
		v = cpu->cr4;
		break;
	default:
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	}
	ist_set32(cpu, i->rm, v);
	IST_NEXT(cpu, i);
}

static void mov_to_cr(struct ist_cpu *cpu, const struct ist_insn *i)
{
	unsigned n = (i->modrm >> 3) & 7;
	uint32_t v = ist_get32(cpu, i->rm);
	check_cpl0(cpu, i);
	switch (n) {
	case 0:
		write_cr0(cpu, i, v);
		break;
	case 2:
		cpu->cr2 = v;
		break;
	case 3:
		cpu->cr3 = v;
		break;
	case 4:
		cpu->cr4 = v;
		break;
	default:
		ist_raise(cpu, i, IST_EXC_UD, IST_NO_ERROR);
	}
	cpu->eip = ist_next_eip(i);
}

/* MOV r32, DRn (0Fh 21h), MOV DRn, r32 (23h): stored; DR4 and DR5 are
 * DR6 and DR7. Breakpoints are not acted on. */
static unsigned dr_index(const struct ist_insn *i)
{
	unsigned n = (i->modrm >> 3) & 7;
	return n == 4 || n == 5 ? n + 2 : n;
}

static void mov_from_dr(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_cpl0(cpu, i);
	ist_set32(cpu, i->rm, cpu->dr[dr_index(i)]);
	IST_NEXT(cpu, i);
}

static void mov_to_dr(struct ist_cpu *cpu, const struct ist_insn *i)
{
	check_cpl0(cpu, i);
	cpu->dr[dr_index(i)] = ist_get32(cpu, i->rm);
	IST_NEXT(cpu, i);
}

/* SLDT, STR (0Fh 00h /0 /1): the selector (zero-extended into a 32-bit
 * register, 16 bits to memory). */
static void store_sel(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel, bool mem)
{
	if (mem)
		ist_wr16(cpu, i, i->seg, ist_ea(cpu, i), sel);
	else
		ist_reg_set(cpu, i->rm, ist_opbits(i), sel);
}

static void sldt_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	store_sel(cpu, i, cpu->ldtr.sel, false);
	IST_NEXT(cpu, i);
}

static void sldt_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	store_sel(cpu, i, cpu->ldtr.sel, true);
	IST_NEXT(cpu, i);
}

static void str_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	store_sel(cpu, i, cpu->tr.sel, false);
	IST_NEXT(cpu, i);
}

static void str_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	store_sel(cpu, i, cpu->tr.sel, true);
	IST_NEXT(cpu, i);
}

static uint16_t sel_operand(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	return mem ? ist_rd16(cpu, i, i->seg, ist_ea(cpu, i)) : ist_get16(cpu, i->rm);
}

/* LLDT (/2): an LDT descriptor in the GDT, or null (no LDT). */
static void lldt(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	uint16_t sel = sel_operand(cpu, i, mem);
	struct ist_desc d;
	check_cpl0(cpu, i);
	if ((sel & 0xFFFC) == 0) {
		cpu->ldtr = (struct ist_seg){ .sel = sel };
		IST_NEXT(cpu, i);
	}
	if ((sel & IST_SEL_TI) || !ist_desc_read(cpu, sel, &d) ||
	    ist_desc_sys_type(&d) != IST_SYS_LDT)
		ist_raise(cpu, i, IST_EXC_GP, sel & 0xFFFC);
	if (!ist_desc_present(&d))
		ist_raise(cpu, i, IST_EXC_NP, sel & 0xFFFC);
	ist_seg_from_desc(&cpu->ldtr, sel, &d);
	IST_NEXT(cpu, i);
}

static void lldt_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lldt(cpu, i, false);
}

static void lldt_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lldt(cpu, i, true);
}

/* LTR (/3): an available TSS in the GDT, which becomes busy. */
static void ltr(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	uint16_t sel = sel_operand(cpu, i, mem);
	unsigned type;
	struct ist_desc d;
	check_cpl0(cpu, i);
	if ((sel & 0xFFFC) == 0)
		ist_raise(cpu, i, IST_EXC_GP, 0);
	if ((sel & IST_SEL_TI) || !ist_desc_read(cpu, sel, &d))
		ist_raise(cpu, i, IST_EXC_GP, sel & 0xFFFC);
	type = ist_desc_sys_type(&d);
	if (type != IST_SYS_TSS16 && type != IST_SYS_TSS32)
		ist_raise(cpu, i, IST_EXC_GP, sel & 0xFFFC);
	if (!ist_desc_present(&d))
		ist_raise(cpu, i, IST_EXC_NP, sel & 0xFFFC);
	d.hi |= 0x200; /* busy */
	ist_lin_wr32(cpu, cpu->gdtr.base + (sel & ~7u) + 4, d.hi);
	ist_seg_from_desc(&cpu->tr, sel, &d);
	IST_NEXT(cpu, i);
}

static void ltr_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ltr(cpu, i, false);
}

static void ltr_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ltr(cpu, i, true);
}

/* The descriptor a LAR, LSL, VERR or VERW selector names, if the current
 * privilege may see it: false (ZF = 0) otherwise, never a fault. */
static bool visible_desc(struct ist_cpu *cpu, uint16_t sel, struct ist_desc *d)
{
	unsigned dpl;
	if ((sel & 0xFFFC) == 0 || !ist_desc_read(cpu, sel, d))
		return false;
	dpl = ist_desc_dpl(d);
	if (ist_desc_is_code(d) && ((d->hi >> 8) & IST_TYPE_CONFORMING))
		return true;
	return dpl >= cpu->cpl && dpl >= (sel & IST_SEL_RPL);
}

static void set_zf(struct ist_cpu *cpu, bool zf)
{
	ist_flags_set(cpu, zf ? IST_ZF : 0, IST_ZF);
}

/* VERR, VERW (/4 /5) */
static void verify(struct ist_cpu *cpu, const struct ist_insn *i, bool mem, bool write)
{
	uint16_t sel = sel_operand(cpu, i, mem);
	struct ist_desc d;
	bool ok = visible_desc(cpu, sel, &d) && (d.hi & 0x1000);
	if (ok && ist_desc_is_code(&d))
		ok = !write && ((d.hi >> 8) & IST_TYPE_READABLE);
	else if (ok)
		ok = !write || ((d.hi >> 8) & IST_TYPE_WRITABLE);
	set_zf(cpu, ok);
}

static void verr_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	verify(cpu, i, false, false);
	IST_NEXT(cpu, i);
}

static void verr_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	verify(cpu, i, true, false);
	IST_NEXT(cpu, i);
}

static void verw_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	verify(cpu, i, false, true);
	IST_NEXT(cpu, i);
}

static void verw_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	verify(cpu, i, true, true);
	IST_NEXT(cpu, i);
}

/* LAR (0Fh 02h): access rights; LSL (03h): limit. Each type it accepts. */
static bool lar_type_ok(unsigned sys_type)
{
	return sys_type >= 0x10 || (sys_type != 0 && sys_type != 8 && sys_type != 10 &&
				    sys_type != 13 && sys_type != IST_SYS_INT16 &&
				    sys_type != IST_SYS_TRAP16 && sys_type != IST_SYS_INT32 &&
				    sys_type != IST_SYS_TRAP32);
}

static bool lsl_type_ok(unsigned sys_type)
{
	return sys_type >= 0x10 || sys_type == IST_SYS_TSS16 || sys_type == IST_SYS_LDT ||
	       sys_type == IST_SYS_TSS16_BUSY || sys_type == IST_SYS_TSS32 ||
	       sys_type == IST_SYS_TSS32_BUSY;
}

static void lar_lsl(struct ist_cpu *cpu, const struct ist_insn *i, bool mem, bool limit)
{
	uint16_t sel = sel_operand(cpu, i, mem);
	struct ist_desc d;
	bool ok = visible_desc(cpu, sel, &d);
	unsigned type = ok ? ist_desc_sys_type(&d) : 0;
	if (ok && (limit ? lsl_type_ok(type) : lar_type_ok(type))) {
		uint32_t v;
		if (limit) {
			struct ist_seg s;
			ist_seg_from_desc(&s, sel, &d);
			v = s.limit;
		} else {
			v = d.hi & 0x00FFFF00u;
		}
		ist_reg_set(cpu, i->reg, ist_opbits(i), v);
		set_zf(cpu, true);
	} else {
		set_zf(cpu, false);
	}
}

static void lar_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lar_lsl(cpu, i, false, false);
	IST_NEXT(cpu, i);
}

static void lar_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lar_lsl(cpu, i, true, false);
	IST_NEXT(cpu, i);
}

static void lsl_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lar_lsl(cpu, i, false, true);
	IST_NEXT(cpu, i);
}

static void lsl_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	lar_lsl(cpu, i, true, true);
	IST_NEXT(cpu, i);
}

/* ARPL r/m16, r16 (63h): raise the destination's RPL to the source's. */
static void arpl(struct ist_cpu *cpu, const struct ist_insn *i, bool mem)
{
	uint32_t ea = mem ? ist_ea(cpu, i) : 0;
	uint16_t dst = mem ? ist_rd16(cpu, i, i->seg, ea) : ist_get16(cpu, i->rm);
	uint16_t src = ist_get16(cpu, i->reg);
	bool raise = (dst & IST_SEL_RPL) < (src & IST_SEL_RPL);
	if (raise) {
		dst = (uint16_t)((dst & ~IST_SEL_RPL) | (src & IST_SEL_RPL));
		if (mem)
			ist_wr16(cpu, i, i->seg, ea, dst);
		else
			ist_set16(cpu, i->rm, dst);
	}
	set_zf(cpu, raise);
}

static void arpl_reg(struct ist_cpu *cpu, const struct ist_insn *i)
{
	arpl(cpu, i, false);
	IST_NEXT(cpu, i);
}

static void arpl_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	arpl(cpu, i, true);
	IST_NEXT(cpu, i);
}

/* ESC (D8h-DFh): no FPU. With CR0.EM or CR0.TS set the OS emulates one
 * (#NM); else the instruction does nothing, as on a 386 without 387, and
 * software probing for an FPU finds none. */
static void esc(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if (cpu->cr0 & (IST_CR0_EM | IST_CR0_TS))
		ist_raise(cpu, i, IST_EXC_NM, IST_NO_ERROR);
	IST_NEXT(cpu, i);
}

/* A memory operand is still addressed: the CPU moves its first word for the
 * coprocessor, so a word past the segment limit faults (recorded on a 286:
 * #GP at offset FFFFh). */
static void esc_mem(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if (cpu->cr0 & (IST_CR0_EM | IST_CR0_TS))
		ist_raise(cpu, i, IST_EXC_NM, IST_NO_ERROR);
	ist_check(cpu, i, i->seg, ist_ea(cpu, i), 2, false);
	IST_NEXT(cpu, i);
}

/* WAIT (9Bh): #NM when TS and MP are both set. */
static void fwait(struct ist_cpu *cpu, const struct ist_insn *i)
{
	if ((cpu->cr0 & (IST_CR0_TS | IST_CR0_MP)) == (IST_CR0_TS | IST_CR0_MP))
		ist_raise(cpu, i, IST_EXC_NM, IST_NO_ERROR);
	IST_NEXT(cpu, i);
}

#define END IST_OPF_END
#define PM IST_OPF_PM
#define REGONLY IST_OPF_REGONLY
#define ESC(code) IST_OP_RM((code), -1, 0, IST_IMM_NONE, esc, esc_mem, esc, esc_mem)

const struct ist_opcode ist_ops_system[] = {
	IST_OP(0xF4, END, IST_IMM_NONE, hlt, hlt),
	IST_OP(IST_0F | 0xA2, 0, IST_IMM_NONE, cpuid, cpuid),
	IST_OP(IST_0F | 0x31, 0, IST_IMM_NONE, rdtsc, rdtsc),
	IST_OP_RM(IST_0F | 0x01, 0, 0, IST_IMM_NONE, NULL, sgdt, NULL, sgdt),
	IST_OP_RM(IST_0F | 0x01, 1, 0, IST_IMM_NONE, NULL, sidt, NULL, sidt),
	IST_OP_RM(IST_0F | 0x01, 2, 0, IST_IMM_NONE, NULL, lgdt, NULL, lgdt),
	IST_OP_RM(IST_0F | 0x01, 3, 0, IST_IMM_NONE, NULL, lidt, NULL, lidt),
	IST_OP_RM(IST_0F | 0x01, 4, 0, IST_IMM_NONE, smsw_reg, smsw_mem, smsw_reg, smsw_mem),
	IST_OP_RM(IST_0F | 0x01, 6, END, IST_IMM_NONE, lmsw_reg, lmsw_mem, lmsw_reg, lmsw_mem),
	IST_OP_RM(IST_0F | 0x01, 7, 0, IST_IMM_NONE, NULL, invlpg, NULL, invlpg),
	IST_OP_RM(IST_0F | 0x00, 0, PM, IST_IMM_NONE, sldt_reg, sldt_mem, sldt_reg, sldt_mem),
	IST_OP_RM(IST_0F | 0x00, 1, PM, IST_IMM_NONE, str_reg, str_mem, str_reg, str_mem),
	IST_OP_RM(IST_0F | 0x00, 2, PM, IST_IMM_NONE, lldt_reg, lldt_mem, lldt_reg, lldt_mem),
	IST_OP_RM(IST_0F | 0x00, 3, PM, IST_IMM_NONE, ltr_reg, ltr_mem, ltr_reg, ltr_mem),
	IST_OP_RM(IST_0F | 0x00, 4, PM, IST_IMM_NONE, verr_reg, verr_mem, verr_reg, verr_mem),
	IST_OP_RM(IST_0F | 0x00, 5, PM, IST_IMM_NONE, verw_reg, verw_mem, verw_reg, verw_mem),
	IST_OP_RM(IST_0F | 0x02, -1, PM, IST_IMM_NONE, lar_reg, lar_mem, lar_reg, lar_mem),
	IST_OP_RM(IST_0F | 0x03, -1, PM, IST_IMM_NONE, lsl_reg, lsl_mem, lsl_reg, lsl_mem),
	IST_OP_RM(0x63, -1, PM, IST_IMM_NONE, arpl_reg, arpl_mem, arpl_reg, arpl_mem),
	IST_OP(IST_0F | 0x06, 0, IST_IMM_NONE, clts, clts),
	IST_OP(IST_0F | 0x08, 0, IST_IMM_NONE, invd, invd),
	IST_OP(IST_0F | 0x09, 0, IST_IMM_NONE, invd, invd),
	IST_OP_RM(IST_0F | 0x20, -1, REGONLY, IST_IMM_NONE, mov_from_cr, NULL, mov_from_cr, NULL),
	IST_OP_RM(IST_0F | 0x22, -1, REGONLY | END, IST_IMM_NONE, mov_to_cr, NULL, mov_to_cr, NULL),
	IST_OP_RM(IST_0F | 0x21, -1, REGONLY, IST_IMM_NONE, mov_from_dr, NULL, mov_from_dr, NULL),
	IST_OP_RM(IST_0F | 0x23, -1, REGONLY, IST_IMM_NONE, mov_to_dr, NULL, mov_to_dr, NULL),
	ESC(0xD8), ESC(0xD9), ESC(0xDA), ESC(0xDB), ESC(0xDC), ESC(0xDD), ESC(0xDE), ESC(0xDF),
	IST_OP(0x9B, 0, IST_IMM_NONE, fwait, fwait),
	IST_OP_TABLE_END,
};
