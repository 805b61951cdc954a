/* ist_state.h: the IST's CPU state, its decoded instructions, and the register helpers every
 * part of the IST shares. Private to vmm/ist/. */
#ifndef MVM_IST_STATE_H
#define MVM_IST_STATE_H

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../cpu.h"

/* Hot helpers are inlined into every handler, whatever the optimizer's
 * size heuristics say: the handlers are the interpreter's inner loop. */
#define IST_INLINE static inline __attribute__((always_inline))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* General registers in encoding order. IST_ZERO is always 0: an effective
 * address without base or index reads it, so address arithmetic needs no
 * branch. */
enum { IST_EAX, IST_ECX, IST_EDX, IST_EBX, IST_ESP, IST_EBP, IST_ESI, IST_EDI, IST_ZERO };

enum ist_sreg { IST_ES, IST_CS, IST_SS, IST_DS, IST_FS, IST_GS, IST_SREGS };

/* EFLAGS */
#define IST_CF 0x00000001u
#define IST_FLAG1 0x00000002u /* always 1 */
#define IST_PF 0x00000004u
#define IST_AF 0x00000010u
#define IST_ZF 0x00000040u
#define IST_SF 0x00000080u
#define IST_TF 0x00000100u
#define IST_IF 0x00000200u
#define IST_DF 0x00000400u
#define IST_OF 0x00000800u
#define IST_IOPL 0x00003000u
#define IST_NT 0x00004000u
#define IST_RF 0x00010000u
#define IST_VM 0x00020000u
#define IST_AC 0x00040000u
#define IST_ID 0x00200000u
#define IST_ARITH (IST_CF | IST_PF | IST_AF | IST_ZF | IST_SF | IST_OF)
#define IST_IOPL_SHIFT 12

/* CR0 */
#define IST_CR0_PE 0x00000001u
#define IST_CR0_MP 0x00000002u
#define IST_CR0_EM 0x00000004u
#define IST_CR0_TS 0x00000008u
#define IST_CR0_ET 0x00000010u
#define IST_CR0_NE 0x00000020u
#define IST_CR0_WP 0x00010000u
#define IST_CR0_AM 0x00040000u
#define IST_CR0_NW 0x20000000u
#define IST_CR0_CD 0x40000000u
#define IST_CR0_PG 0x80000000u

/* Exception vectors */
#define IST_EXC_DE 0
#define IST_EXC_DB 1
#define IST_EXC_NMI 2
#define IST_EXC_BP 3
#define IST_EXC_OF 4
#define IST_EXC_BR 5
#define IST_EXC_UD 6
#define IST_EXC_NM 7
#define IST_EXC_DF 8
#define IST_EXC_TS 10
#define IST_EXC_NP 11
#define IST_EXC_SS 12
#define IST_EXC_GP 13
#define IST_EXC_PF 14
#define IST_NO_ERROR (-1)

/*
 * Segment descriptor attributes as ist_seg.attr holds them: bits 40-47 and
 * 52-55 of the descriptor, packed as VMX access rights are.
 */
#define IST_ATTR_TYPE 0x000Fu
#define IST_ATTR_S 0x0010u   /* code or data (else system) */
#define IST_ATTR_DPL 0x0060u
#define IST_ATTR_DPL_SHIFT 5
#define IST_ATTR_P 0x0080u
#define IST_ATTR_AVL 0x1000u
#define IST_ATTR_DB 0x4000u  /* 32-bit code, big stack or data */
#define IST_ATTR_G 0x8000u   /* limit in 4 KiB units */
/* Type bits of code and data segments */
#define IST_TYPE_ACCESSED 0x1u
#define IST_TYPE_WRITABLE 0x2u  /* data */
#define IST_TYPE_READABLE 0x2u  /* code */
#define IST_TYPE_DOWN 0x4u      /* data: expand-down */
#define IST_TYPE_CONFORMING 0x4u /* code */
#define IST_TYPE_CODE 0x8u

/* A segment register and its descriptor cache. */
struct ist_seg {
	uint32_t base;
	uint32_t limit; /* in bytes, granularity applied */
	uint16_t sel;
	uint16_t attr;
	/* Offsets [lo, lo + span] may be read (rspan) or written (wspan); a span
	 * of -1 refuses all: an unusable segment, or writes to code. */
	uint32_t lo;
	int64_t rspan, wspan;
	/* The same for translated code, which checks only the last offset:
	 * the span where lo is 0, else -1 (expand-down is the interpreter's). */
	int64_t rmax, wmax;
};

struct ist_dtr {
	uint32_t base;
	uint16_t limit;
};

/* The arithmetic flags of the last flag-setting operation, computed when
 * read (see ist_flags.h). */
enum ist_lazy_op {
	IST_LF_NONE, /* flags are in ist_cpu.flags already */
	IST_LF_ADD,
	IST_LF_SUB, /* also CMP and NEG (dst 0) */
	IST_LF_LOGIC,
	IST_LF_INC, /* CF comes from ist_cpu.lf_cf, the operation before */
	IST_LF_DEC,
};

/* Operands and result are kept sign-extended from their width, so sign,
 * overflow and signed comparisons read bit 31 whatever the width. INC and
 * DEC leave CF alone: they write only res, their operand in id_dst, and
 * op, keeping in cf_op the operation whose dst, src, carry and bits still
 * say what CF is. */
struct ist_lazy {
	uint32_t res;
	uint32_t dst;
	uint32_t src;
	uint32_t id_dst; /* INC, DEC: the operand */
	uint8_t op;      /* enum ist_lazy_op */
	uint8_t bits;    /* 8, 16 or 32 */
	uint8_t carry;   /* ADD/SUB: carry or borrow in (ADC, SBB) */
	uint8_t cf_op;   /* INC, DEC: the operation CF comes from */
};

struct ist_cpu;
struct ist_insn;
struct ist_block;
struct ist_cache;

/* An instruction handler: executes i, then runs the next instruction of the
 * block (a tail call) unless i ends the block, in which case it leaves EIP
 * in cpu->eip and returns. */
typedef void ist_op(struct ist_cpu *cpu, const struct ist_insn *i);

/* A decoded instruction. Register operands are byte offsets into
 * ist_cpu.r: for 8-bit operands AL CL DL BL AH CH DH BH are 0 4 8 12 1 5 9
 * 13, else the register number times 4. */
struct ist_insn {
	ist_op *fn;
	uint32_t eip;    /* of this instruction */
	uint32_t disp;   /* memory operand displacement */
	uint32_t imm;    /* immediate, sign-extended where the encoding says */
	uint16_t imm2;   /* far selector, ENTER nesting level (IST_I_IMM2); in others,
			  * how many instructions of the block follow this one */
	uint8_t len;
	uint8_t modrm;
	uint8_t reg;     /* modrm.reg operand, as a byte offset */
	uint8_t rm;      /* modrm.rm register operand, as a byte offset */
	uint8_t base;    /* memory operand: register numbers, IST_ZERO if absent */
	uint8_t index;
	uint8_t scale;
	uint8_t seg;     /* memory operand segment (enum ist_sreg) */
	uint8_t opcode;  /* last opcode byte: condition codes, string forms */
	uint8_t flags;   /* IST_I_* */
};

#define IST_I_ADDR32 0x01 /* 32-bit addressing (must stay bit 0: see ist_ea) */
#define IST_I_OP32 0x02   /* 32-bit operand size */
#define IST_I_REP 0x04    /* F3: REP / REPE */
#define IST_I_REPNE 0x08  /* F2: REPNE */
#define IST_I_LOCK 0x10
#define IST_I_SEGOVR 0x20 /* a segment override prefix chose seg */
#define IST_I_CODE32 0x40 /* decoded in a 32-bit code segment */
#define IST_I_IMM2 0x80   /* imm2 holds an immediate (far selector, ENTER level) */

/* One instruction of the IST's code cache: where the decoded form lives. */
#define IST_BLOCK_MAX_INSNS 64

struct ist_cpu {
	struct cpu base;
	uint32_t r[9]; /* EAX ECX EDX EBX ESP EBP ESI EDI, then IST_ZERO */
	uint32_t eip;
	uint32_t flags; /* EFLAGS; the arithmetic bits only while lf.op is IST_LF_NONE */
	struct ist_lazy lf;
	struct ist_seg seg[IST_SREGS];
	struct ist_seg ldtr, tr;
	struct ist_dtr gdtr, idtr;
	uint32_t cr0, cr2, cr3, cr4;
	uint32_t dr[8];
	uint8_t cpl;

	/* Memory: host address of each 4 KiB guest-physical page, NULL where
	 * the slow path must go (MMIO, unmapped; for writes also ROM and pages
	 * holding decoded code). */
	uint8_t **rd_page, **wr_page;
	uint8_t *page_kind;          /* enum ist_page_kind of each page */
	uint32_t *mapped;            /* [first, end) page pairs filled in, to clear them */
	size_t mapped_count;
	uint32_t a20_mask;
	const struct memmap *map;
	struct cpu_bus bus;
	struct ist_cache *cache;

	/* Running */
	jmp_buf fault_jump;
	struct ist_block *block;       /* the block executing */
	uint8_t *code_arena;           /* where blocks live (offsets in branch links) */
	struct ist_insn *chain_from;   /* the fixed-target branch that ended the last chain */
	struct cpu_exit *exit;         /* the exit this run() reports */
	bool exit_set;
	uint64_t icount;               /* instructions retired before this run() */
	/* Instructions this run() may still retire. A block is charged when it
	 * starts; what does not run after all is given back. */
	int64_t budget;
	int64_t budget_start;
	uint64_t deadline_ns;          /* the virtual time this run() is to end by */
	bool yield;                    /* end the run after this block */
	int chain_left;                /* blocks to chain before the run loop looks around */
	atomic_bool kicked;
	bool want_window;
	bool irq_pending;
	uint8_t irq_vector;
	bool inhibit;                  /* no interrupt before the next instruction (STI, MOV SS) */
	bool inhibit_debug;            /* nor a single-step trap after this one (MOV SS, POP SS) */
	int delivering;                /* exception being delivered, or -1 */
	uint8_t fault_vector;
	int32_t fault_error;
};

static inline struct ist_cpu *ist_from_cpu(struct cpu *c)
{
	return (struct ist_cpu *)c;
}

/* Register access by byte offset (see struct ist_insn). */
static inline uint8_t ist_get8(const struct ist_cpu *cpu, unsigned off)
{
	return ((const uint8_t *)cpu->r)[off];
}

static inline uint16_t ist_get16(const struct ist_cpu *cpu, unsigned off)
{
	uint16_t v;
	memcpy(&v, (const uint8_t *)cpu->r + off, 2);
	return v;
}

static inline uint32_t ist_get32(const struct ist_cpu *cpu, unsigned off)
{
	uint32_t v;
	memcpy(&v, (const uint8_t *)cpu->r + off, 4);
	return v;
}

static inline void ist_set8(struct ist_cpu *cpu, unsigned off, uint8_t v)
{
	((uint8_t *)cpu->r)[off] = v;
}

static inline void ist_set16(struct ist_cpu *cpu, unsigned off, uint16_t v)
{
	memcpy((uint8_t *)cpu->r + off, &v, 2);
}

static inline void ist_set32(struct ist_cpu *cpu, unsigned off, uint32_t v)
{
	memcpy((uint8_t *)cpu->r + off, &v, 4);
}

/* Byte offset of a register operand by number and width. */
static inline unsigned ist_reg_offset(unsigned reg, bool byte)
{
	return byte ? (reg & 3) * 4 + (reg >> 2) : reg * 4;
}

/* The effective address of i's memory operand, wrapped to the address size. */
static inline uint32_t ist_ea(const struct ist_cpu *cpu, const struct ist_insn *i)
{
	uint32_t ea = cpu->r[i->base] + (cpu->r[i->index] << i->scale) + i->disp;
	return ea & (0xFFFFu | (0u - (uint32_t)(i->flags & IST_I_ADDR32)));
}

/* The address of the next instruction: IP wraps at 64 KiB in 16-bit code. */
static inline uint32_t ist_next_eip(const struct ist_insn *i)
{
	uint32_t next = i->eip + i->len;
	return i->flags & IST_I_CODE32 ? next : next & 0xFFFF;
}

static inline bool ist_pe(const struct ist_cpu *cpu)
{
	return cpu->cr0 & IST_CR0_PE;
}

static inline bool ist_code32(const struct ist_cpu *cpu)
{
	return cpu->seg[IST_CS].attr & IST_ATTR_DB;
}

static inline bool ist_stack32(const struct ist_cpu *cpu)
{
	return cpu->seg[IST_SS].attr & IST_ATTR_DB;
}

static inline unsigned ist_iopl(const struct ist_cpu *cpu)
{
	return (cpu->flags & IST_IOPL) >> IST_IOPL_SHIFT;
}

/* Ends the run after this block: no chaining into another. chain_left runs
 * out with it, so translated code, which keeps chain_left, need not look at
 * yield. */
static inline void ist_yield(struct ist_cpu *cpu)
{
	cpu->yield = true;
	cpu->chain_left = 0;
}

/* Runs the next instruction of the block. */
#define IST_NEXT(cpu, i) return (i)[1].fn((cpu), (i) + 1)

#endif
