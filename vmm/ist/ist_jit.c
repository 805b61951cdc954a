/* ist_jit.c: the IST's translator: blocks of decoded instructions to x86-64 host code (see
 * ist_jit.h for what it translates and how it falls back to the interpreter).
 *
 * An entry is a C function of the shape of ist_op, so the run loop and the
 * interpreter's handlers enter translated code alike; inside, translated
 * blocks chain into each other in one frame (see emit_enter_frame). RAX RCX
 * RDX RSI RDI are scratch. */
#include "ist_jit.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "ist_cache.h"
#include "ist_decode.h"
#include "ist_flags.h"
#include "ist_mem.h"
#include "ist_ops.h"
#include "ist_x64.h"

/* Host code for a code cache's worth of blocks; MAP_NORESERVE makes it
 * cost only what is used. */
#define IST_JIT_SIZE (64u << 20)
/* Jumps to an instruction's slow path, at most per instruction. */
#define JIT_SLOW_PER_INSN 4

struct ist_jit {
	uint8_t *code;
	size_t used;
};

int ist_jit_create(struct ist_jit **out)
{
	struct ist_jit *jit;
	*out = NULL;
#if !defined(__x86_64__)
	return 0; /* the code it writes is x86-64 */
#endif
	jit = calloc(1, sizeof(*jit));
	if (!jit)
		return -ENOMEM;
	jit->code = mmap(NULL, IST_JIT_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (jit->code == MAP_FAILED) {
		/* No memory both writable and executable (a hardened kernel):
		 * the interpreter does it all. */
		free(jit);
		return 0;
	}
	*out = jit;
	return 0;
}

void ist_jit_destroy(struct ist_jit *jit)
{
	if (!jit)
		return;
	munmap(jit->code, IST_JIT_SIZE);
	free(jit);
}

void ist_jit_reset(struct ist_jit *jit)
{
	jit->used = 0;
}

/* What an instruction is, for the translator. */
enum jit_kind {
	JK_NONE, JK_ALU, JK_INCDEC, JK_MOV, JK_MOVX, JK_LEA, JK_JCC, JK_LOOP, JK_JMP, JK_PUSH, JK_POP,
	JK_CALL, JK_RET,
};
enum jit_at { AT_REG, AT_MEM, AT_IMM };

/* ALU operations in encoding order (00h-3Fh, groups 80h-83h), then TEST. */
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };

struct jit_operand {
	enum jit_at at;
	unsigned off; /* AT_REG: byte offset in ist_cpu.r */
};

struct jit_insn {
	enum jit_kind kind;
	/* ALU: ALU_*; INCDEC: 0 INC, 1 DEC; MOVX: 0 MOVZX, 1 MOVSX; JCC: the
	 * condition; LOOP: 0 LOOP, 1 JCXZ */
	unsigned op;
	unsigned bits; /* operand size; LOOP: address size (CX or ECX) */
	unsigned src_bits; /* MOVX: the source's */
	struct jit_operand dst, src;
};

static void set_form(struct jit_insn *j, enum jit_kind kind, unsigned op, unsigned bits,
		     struct jit_operand dst, struct jit_operand src)
{
	*j = (struct jit_insn){ .kind = kind, .op = op, .bits = bits, .dst = dst, .src = src };
}

/* Which translated form instruction i (opcode code) has; false: none. */
static bool classify(const struct ist_insn *i, unsigned code, struct jit_insn *j)
{
	unsigned w = i->flags & IST_I_OP32 ? 32 : 16, group = (i->modrm >> 3) & 7;
	struct jit_operand rm = { (i->modrm >> 6) == 3 ? AT_REG : AT_MEM, i->rm };
	struct jit_operand reg = { AT_REG, i->reg }, imm = { AT_IMM, 0 }, acc = { AT_REG, 0 };
	struct jit_operand mem = { AT_MEM, 0 };

	j->kind = JK_NONE;
	if (i->fn == ist_op_raise)
		return false;
	if (code < 0x40 && (code & 7) < 6) {
		unsigned bits = code & 1 ? w : 8;
		if ((code & 7) < 2)
			set_form(j, JK_ALU, code >> 3, bits, rm, reg);
		else if ((code & 7) < 4)
			set_form(j, JK_ALU, code >> 3, bits, reg, rm);
		else
			set_form(j, JK_ALU, code >> 3, bits, acc, imm);
		return true;
	}
	if (code >= 0x40 && code <= 0x4F) {
		set_form(j, JK_INCDEC, (code >> 3) & 1, w, (struct jit_operand){ AT_REG, (code & 7) * 4 },
			 imm);
		return true;
	}
	if (code >= 0xB0 && code <= 0xBF) {
		struct jit_operand r = { AT_REG, ist_reg_offset(code & 7, code < 0xB8) };
		set_form(j, JK_MOV, 0, code < 0xB8 ? 8 : w, r, imm);
		return true;
	}
	if (code >= 0x50 && code <= 0x5F) {
		struct jit_operand r = { AT_REG, (code & 7) * 4 };
		if (code < 0x58)
			set_form(j, JK_PUSH, 0, w, imm, r);
		else
			set_form(j, JK_POP, 0, w, r, imm);
		return true;
	}
	if ((code >= 0x70 && code <= 0x7F) || (code >= (IST_0F | 0x80) && code <= (IST_0F | 0x8F))) {
		set_form(j, JK_JCC, code & 0xF, w, imm, imm);
		return true;
	}
	switch (code) {
	case 0x80: case 0x82:
		set_form(j, JK_ALU, group, 8, rm, imm);
		return true;
	case 0x81: case 0x83:
		set_form(j, JK_ALU, group, w, rm, imm);
		return true;
	case 0x84: case 0x85:
		set_form(j, JK_ALU, ALU_TEST, code == 0x84 ? 8 : w, rm, reg);
		return true;
	case 0xA8: case 0xA9:
		set_form(j, JK_ALU, ALU_TEST, code == 0xA8 ? 8 : w, acc, imm);
		return true;
	case 0xF6: case 0xF7:
		if (group > 1)
			return false;
		set_form(j, JK_ALU, ALU_TEST, code == 0xF6 ? 8 : w, rm, imm);
		return true;
	case 0xFE: case 0xFF:
		if (group > 1)
			return false;
		set_form(j, JK_INCDEC, group, code == 0xFE ? 8 : w, rm, imm);
		return true;
	case 0x88: case 0x89:
		set_form(j, JK_MOV, 0, code == 0x88 ? 8 : w, rm, reg);
		return true;
	case 0x8A: case 0x8B:
		set_form(j, JK_MOV, 0, code == 0x8A ? 8 : w, reg, rm);
		return true;
	case 0xC6: case 0xC7:
		if (group != 0)
			return false;
		set_form(j, JK_MOV, 0, code == 0xC6 ? 8 : w, rm, imm);
		return true;
	case 0xA0: case 0xA1:
		set_form(j, JK_MOV, 0, code == 0xA0 ? 8 : w, acc, mem);
		return true;
	case 0xA2: case 0xA3:
		set_form(j, JK_MOV, 0, code == 0xA2 ? 8 : w, mem, acc);
		return true;
	case 0x8D:
		if (rm.at != AT_MEM)
			return false;
		set_form(j, JK_LEA, 0, w, reg, rm);
		return true;
	case 0xEB: case 0xE9:
		set_form(j, JK_JMP, 0, w, imm, imm);
		return true;
	case 0x68: case 0x6A:
		set_form(j, JK_PUSH, 0, w, imm, imm);
		return true;
	case 0xE8:
		set_form(j, JK_CALL, 0, w, imm, imm);
		return true;
	case 0xC2: case 0xC3:
		set_form(j, JK_RET, 0, w, imm, imm);
		return true;
	case 0xE2: case 0xE3:
		set_form(j, JK_LOOP, code & 1, i->flags & IST_I_ADDR32 ? 32 : 16,
			 (struct jit_operand){ AT_REG, IST_ECX * 4 }, imm);
		return true;
	case IST_0F | 0xB6: case IST_0F | 0xB7: case IST_0F | 0xBE: case IST_0F | 0xBF:
		set_form(j, JK_MOVX, (code >> 3) & 1, w, reg, rm);
		j->src_bits = code & 1 ? 16 : 8;
		return true;
	default:
		return false;
	}
}

/* Whether j writes all the arithmetic flags without reading any, and
 * without touching memory (so it cannot stop before writing them). */
static bool overwrites_flags(const struct jit_insn *j)
{
	return j->kind == JK_ALU && j->op != ALU_ADC && j->op != ALU_SBB && j->dst.at != AT_MEM &&
	       j->src.at != AT_MEM;
}

/* Whether the flags as they are before instruction start may be read: not
 * when, before anything can read them or stop the block, a register-only
 * instruction overwrites them all. */
static bool flags_live_from(const struct jit_insn *ji, unsigned start, unsigned n)
{
	for (unsigned j = start; j < n; j++) {
		const struct jit_insn *x = &ji[j];
		if (x->kind == JK_LEA ||
		    (x->kind == JK_MOV && x->dst.at != AT_MEM && x->src.at != AT_MEM))
			continue;
		return !overwrites_flags(x);
	}
	return true;
}

/* Where translated code keeps the guest's registers: the same host register
 * in every block, so blocks chain without moving them. ESP stays in
 * ist_cpu.r (the seven other host registers free are taken). R8-R11 do not
 * survive calls; RBP, R14 and R15 do. */
static const int8_t host_of[8] = {
	[IST_EAX] = X64_R8,  [IST_ECX] = X64_R9,  [IST_EDX] = X64_R10, [IST_EBX] = X64_R11,
	[IST_ESP] = -1,      [IST_EBP] = X64_RBP, [IST_ESI] = X64_R14, [IST_EDI] = X64_R15,
};
/* The live budget and chain_left while translated code runs. */
#define JIT_BUDGET X64_R12
#define JIT_CHAIN X64_R13

/* How the flags an instruction sets are recorded. */
enum jit_flags {
	FLAGS_DEAD,  /* not at all: nothing reads them */
	FLAGS_STORE, /* in ist_cpu.lf at once */
	FLAGS_DEFER, /* by the Jcc after it, on the paths that need them */
};

struct jit_slow {
	size_t at; /* a jump's displacement */
	unsigned k;
	bool pending; /* the deferred flags are to be recorded first */
};

struct jit_ctx {
	struct x64_asm a;
	struct ist_block *b;
	ist_op *handler[IST_BLOCK_MAX_INSNS]; /* the interpreter's */
	struct jit_slow slow[IST_BLOCK_MAX_INSNS * JIT_SLOW_PER_INSN];
	unsigned slow_count;
	/* Guest registers kept in ist_cpu.r for the instruction being
	 * translated: it names their high byte, which no host register has. */
	uint8_t in_memory;
	size_t body0;       /* where instruction 0's code starts, or SIZE_MAX */
	const struct jit_insn *ji;
	uint32_t a20_mask;
	int known_op;       /* the lf.op the flags are at, or -1 */
	/* The instruction whose flags a Jcc records (FLAGS_DEFER), or NULL. */
	const struct ist_insn *pending_i;
	const struct jit_insn *pending_j;
	bool host_flags;    /* the host's flags are the guest's (but CF after INC/DEC) */
	bool host_flags_cf; /* ... and CF too */
};

static struct x64_rm cpu_at(size_t off)
{
	return x64_m(X64_RBX, (int32_t)off);
}

#define CPU(field) cpu_at(offsetof(struct ist_cpu, field))
#define LF(field) cpu_at(offsetof(struct ist_cpu, lf) + offsetof(struct ist_lazy, field))

/* Guest register g (0-7) in ist_cpu.r. */
static struct x64_rm guest_slot(unsigned g)
{
	return cpu_at(offsetof(struct ist_cpu, r) + g * 4u);
}

/* The register operand at byte offset off (see struct ist_insn): the host
 * register holding it, or its place in ist_cpu.r. */
static struct x64_rm guest_reg(const struct jit_ctx *c, unsigned off)
{
	unsigned g = off >> 2;
	if ((off & 3) == 0 && off < 32 && host_of[g] >= 0 && !(c->in_memory & (1u << g)))
		return x64_r((enum x64_reg)host_of[g]);
	return cpu_at(offsetof(struct ist_cpu, r) + off);
}

static struct x64_rm seg_at(unsigned s, size_t field)
{
	return cpu_at(offsetof(struct ist_cpu, seg) + s * sizeof(struct ist_seg) + field);
}

static uint64_t address_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t address_of_fn(ist_op *fn)
{
	return (uint64_t)(uintptr_t)fn;
}

/* What translated code calls: the interpreter's reading of the flags. */
static uint32_t jit_cf(struct ist_cpu *cpu)
{
	return ist_cf(cpu);
}

static uint32_t jit_cond(struct ist_cpu *cpu, uint32_t cc)
{
	return ist_cond(cpu, cc);
}

static bool caller_saved(int host)
{
	return host >= X64_R8 && host <= X64_R11;
}

/* Guest registers held in host registers, from and to ist_cpu.r; only
 * R8-R11 around a call, which the others survive. */
static void emit_load_cached(struct jit_ctx *c, bool caller_saved_only)
{
	for (unsigned g = 0; g < 8; g++)
		if (host_of[g] >= 0 && (!caller_saved_only || caller_saved(host_of[g])))
			x64_load_zx(&c->a, 32, (enum x64_reg)host_of[g], guest_slot(g));
}

static void emit_store_cached(struct jit_ctx *c, bool caller_saved_only)
{
	for (unsigned g = 0; g < 8; g++)
		if (host_of[g] >= 0 && (!caller_saved_only || caller_saved(host_of[g])))
			x64_store(&c->a, 32, guest_slot(g), (enum x64_reg)host_of[g]);
}

/* Guest registers whose high byte instruction j names (AH CH DH BH: wider
 * registers lie at multiples of 4). */
static uint8_t high_bytes_named(const struct jit_insn *j)
{
	uint8_t regs = 0;
	if (j->dst.at == AT_REG && (j->dst.off & 3))
		regs |= (uint8_t)(1u << (j->dst.off >> 2));
	if (j->src.at == AT_REG && (j->src.off & 3))
		regs |= (uint8_t)(1u << (j->src.off >> 2));
	return regs;
}

/* Around an instruction that names a high byte: its register goes to
 * ist_cpu.r for it, and back. */
static void emit_to_memory(struct jit_ctx *c, uint8_t regs)
{
	for (unsigned g = 0; g < 8; g++)
		if (regs & (1u << g))
			x64_store(&c->a, 32, guest_slot(g), (enum x64_reg)host_of[g]);
	c->in_memory = regs;
}

static void emit_from_memory(struct jit_ctx *c)
{
	for (unsigned g = 0; g < 8; g++)
		if (c->in_memory & (1u << g))
			x64_load_zx(&c->a, 32, (enum x64_reg)host_of[g], guest_slot(g));
	c->in_memory = 0;
}

/* Calls fn(cpu, ESI): R8-R11 do not survive it. */
static void emit_call(struct jit_ctx *c, uint64_t fn)
{
	emit_store_cached(c, true);
	x64_op(&c->a, X64_W64, 0x8B, 1, X64_RDI, x64_r(X64_RBX));
	x64_mov_imm64(&c->a, X64_RAX, fn);
	x64_call_rm(&c->a, x64_r(X64_RAX));
	emit_load_cached(c, true);
}

/*
 * Translated code runs in one frame, set up where a C caller (the run loop,
 * an interpreter handler, a block not translated) enters: RBX the cpu, R12
 * the budget, R13 chain_left, the block's guest registers in theirs. Blocks
 * chain into each other's translated code without leaving it; leaving puts
 * everything back where C code finds it.
 */
static const enum x64_reg saved_regs[] = {
	X64_RBX, X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15,
};
#define SAVED_REGS (sizeof(saved_regs) / sizeof(saved_regs[0]))

static void emit_enter_frame(struct jit_ctx *c)
{
	struct x64_asm *a = &c->a;
	for (unsigned k = 0; k < SAVED_REGS; k++)
		x64_push(a, saved_regs[k]);
	/* The caller's call left RSP 8 past a multiple of 16, six pushes too:
	 * calls from here need it on one. */
	x64_alu_imm(a, ALU_SUB, 64, x64_r(X64_RSP), 8);
	x64_op(a, X64_W64, 0x8B, 1, X64_RBX, x64_r(X64_RDI));
	x64_op(a, X64_W64, 0x8B, 1, JIT_BUDGET, CPU(budget));
	x64_load_zx(a, 32, JIT_CHAIN, CPU(chain_left));
}

/* Puts the guest registers, the budget and chain_left back and restores
 * the C caller's registers; RDI is the cpu then (RAX and RSI survive). */
static void emit_leave_frame(struct jit_ctx *c)
{
	struct x64_asm *a = &c->a;
	emit_store_cached(c, false);
	x64_store(a, 64, CPU(budget), JIT_BUDGET);
	x64_store(a, 32, CPU(chain_left), JIT_CHAIN);
	x64_op(a, X64_W64, 0x8B, 1, X64_RDI, x64_r(X64_RBX));
	x64_alu_imm(a, ALU_ADD, 64, x64_r(X64_RSP), 8);
	for (unsigned k = SAVED_REGS; k-- > 0;)
		x64_pop(a, saved_regs[k]);
}

/* Leaves for instruction k's interpreter handler, which runs it and what
 * follows. */
static void emit_to_handler(struct jit_ctx *c, unsigned k)
{
	x64_mov_imm64(&c->a, X64_RSI, address_of(&c->b->insns[k]));
	x64_mov_imm64(&c->a, X64_RAX, address_of_fn(c->handler[k]));
	emit_leave_frame(c);
	x64_jmp_rm(&c->a, x64_r(X64_RAX));
}

/* Back to the run loop with EIP = target, after branch `from` (which the
 * run loop may link to the block there). */
static void emit_to_run_loop(struct jit_ctx *c, const struct ist_insn *from, uint32_t target)
{
	x64_mov_rm_imm(&c->a, 32, CPU(eip), target);
	x64_mov_imm64(&c->a, X64_RAX, address_of(from));
	x64_store(&c->a, 64, CPU(chain_from), X64_RAX);
	emit_leave_frame(c);
	x64_op1(&c->a, 0xC3); /* ret */
}

static void jump_slow(struct jit_ctx *c, enum x64_cc cc, unsigned k)
{
	c->slow[c->slow_count].k = k;
	c->slow[c->slow_count].pending = c->pending_j != NULL;
	c->slow[c->slow_count].at = x64_jcc(&c->a, cc);
	c->slow_count++;
}

/* A register of an address: the host register holding it (32-bit values
 * zero-extended, so 64-bit address arithmetic truncated to 32 or 16 bits
 * gives the guest's), else loaded into scratch. */
static enum x64_reg address_reg(struct jit_ctx *c, unsigned g, unsigned bits, enum x64_reg scratch)
{
	struct x64_rm r = guest_reg(c, g * 4u);
	if (r.reg >= 0)
		return (enum x64_reg)r.reg;
	/* As wide as 16-bit code writes them: a load wider than the store
	 * before it waits for the store to retire. */
	x64_load_zx(&c->a, bits, scratch, r);
	return scratch;
}

/* EAX = the offset of i's memory operand, wrapped to the address size. */
static void emit_ea(struct jit_ctx *c, const struct ist_insn *i)
{
	struct x64_asm *a = &c->a;
	unsigned bits = i->flags & IST_I_ADDR32 ? 32 : 16;
	int32_t disp = (int32_t)i->disp;

	if (i->base != IST_ZERO && i->index != IST_ZERO) {
		enum x64_reg base = address_reg(c, i->base, bits, X64_RAX);
		enum x64_reg index = address_reg(c, i->index, bits, X64_RDX);
		x64_op(a, X64_W32, 0x8D, 1, X64_RAX, x64_mi(base, index, i->scale, disp));
	} else if (i->base != IST_ZERO || (i->index != IST_ZERO && !i->scale)) {
		enum x64_reg r = address_reg(c, i->base != IST_ZERO ? i->base : i->index, bits,
					     X64_RAX);
		if (disp || r != X64_RAX)
			x64_op(a, X64_W32, 0x8D, 1, X64_RAX, x64_m(r, disp));
	} else if (i->index != IST_ZERO) {
		enum x64_reg index = address_reg(c, i->index, bits, X64_RDX);
		x64_op(a, X64_W32, 0x8D, 1, X64_RAX, x64_m(index, 0));
		x64_op(a, X64_W32, 0xC1, 1, 4, x64_r(X64_RAX)); /* shl eax, scale */
		x64_u8(a, i->scale);
		if (disp)
			x64_op(a, X64_W32, 0x8D, 1, X64_RAX, x64_m(X64_RAX, disp));
	} else {
		x64_mov_imm32(a, X64_RAX, (uint32_t)disp);
	}
	if (bits == 16)
		x64_load_zx(a, 16, X64_RAX, x64_r(X64_RAX));
}

/* RCX = the host address of size bytes at seg:EAX when the access is plain
 * (as ist_fast decides), else a jump to instruction k's handler. */
static void emit_host_ptr(struct jit_ctx *c, unsigned k, unsigned seg, unsigned size, bool write)
{
	struct x64_asm *a = &c->a;

	enum x64_reg last = X64_RAX;

	if (size > 1) {
		x64_op(a, X64_W64, 0x8D, 1, X64_RDX, x64_m(X64_RAX, (int32_t)size - 1));
		last = X64_RDX;
	}
	x64_alu_load(a, ALU_CMP, 64, last,
		     seg_at(seg, write ? offsetof(struct ist_seg, wmax)
				       : offsetof(struct ist_seg, rmax)));
	jump_slow(c, X64_G, k);
	x64_alu_load(a, ALU_ADD, 32, X64_RAX, seg_at(seg, offsetof(struct ist_seg, base)));
	/* The gate as it was when the block was translated: a change flushes
	 * every block (ist_set_a20). */
	if (c->a20_mask != 0xFFFFFFFFu)
		x64_alu_imm(a, ALU_AND, 32, x64_r(X64_RAX), (int32_t)c->a20_mask);
	x64_op(a, X64_W32, 0x8B, 1, X64_RDX, x64_r(X64_RAX));
	x64_op(a, X64_W32, 0xC1, 1, 5, x64_r(X64_RDX)); /* shr edx, 12 */
	x64_u8(a, IST_PAGE_SHIFT);
	x64_op(a, X64_W64, 0x8B, 1, X64_RCX, write ? CPU(wr_page) : CPU(rd_page));
	x64_op(a, X64_W64, 0x8B, 1, X64_RCX, x64_mi(X64_RCX, X64_RDX, 3, 0));
	x64_op(a, X64_W64, 0x85, 1, X64_RCX, x64_r(X64_RCX));
	jump_slow(c, X64_E, k);
	x64_alu_imm(a, ALU_AND, 32, x64_r(X64_RAX), IST_PAGE_MASK);
	if (size > 1) {
		x64_alu_imm(a, ALU_CMP, 32, x64_r(X64_RAX), (int32_t)(IST_PAGE_SIZE - size));
		jump_slow(c, X64_A, k);
	}
	x64_alu(a, ALU_ADD, 64, x64_r(X64_RCX), X64_RAX);
}

/* The operand as an r/m: a guest register, or the memory at RCX. */
static struct x64_rm operand_rm(const struct jit_ctx *c, const struct jit_operand *o)
{
	return o->at == AT_REG ? guest_reg(c, o->off) : x64_m(X64_RCX, 0);
}

static void load_operand(struct jit_ctx *c, enum x64_reg reg, const struct jit_operand *o,
			 const struct ist_insn *i, unsigned bits)
{
	if (o->at == AT_IMM)
		x64_mov_imm32(&c->a, reg, i->imm & ist_width_mask(bits));
	else
		x64_load_zx(&c->a, bits, reg, operand_rm(c, o));
}

/* Sets up RCX for an instruction with a memory operand. */
static void emit_memory_operand(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
				const struct jit_insn *j, bool write)
{
	unsigned bits = j->kind == JK_MOVX ? j->src_bits : j->bits;
	if (j->dst.at == AT_MEM || j->src.at == AT_MEM) {
		emit_ea(c, i);
		emit_host_ptr(c, k, i->seg, bits / 8, write && j->dst.at == AT_MEM);
	}
}

static void sign_extend_reg(struct jit_ctx *c, unsigned bits, enum x64_reg reg)
{
	if (bits < 32)
		x64_load_sx(&c->a, bits, reg, x64_r(reg));
}

/* The lf.op an ALU operation or INC/DEC leaves. */
static unsigned lazy_op_of(const struct jit_insn *j)
{
	if (j->kind == JK_INCDEC)
		return j->op ? IST_LF_DEC : IST_LF_INC;
	switch (j->op) {
	case ALU_ADD: case ALU_ADC:
		return IST_LF_ADD;
	case ALU_SUB: case ALU_SBB: case ALU_CMP:
		return IST_LF_SUB;
	default:
		return IST_LF_LOGIC;
	}
}

/* The lazy flags of an ALU operation: EAX the destination before, EDX
 * (or the immediate) the source, EDI the result, ESI the carry in. Only
 * moves: the host flags stay the operation's. */
static void emit_alu_flags(struct jit_ctx *c, const struct ist_insn *i, const struct jit_insn *j)
{
	struct x64_asm *a = &c->a;
	unsigned op = lazy_op_of(j);
	bool logic = op == IST_LF_LOGIC;
	bool carry = j->op == ALU_ADC || j->op == ALU_SBB;

	sign_extend_reg(c, j->bits, X64_RDI);
	x64_store(a, 32, LF(res), X64_RDI);
	if (logic) {
		x64_mov_rm_imm(a, 32, LF(dst), 0);
		x64_mov_rm_imm(a, 32, LF(src), 0);
	} else {
		sign_extend_reg(c, j->bits, X64_RAX);
		x64_store(a, 32, LF(dst), X64_RAX);
		if (j->src.at == AT_IMM) {
			x64_mov_rm_imm(a, 32, LF(src),
				       ist_sign_extend(i->imm & ist_width_mask(j->bits), j->bits));
		} else {
			sign_extend_reg(c, j->bits, X64_RDX);
			x64_store(a, 32, LF(src), X64_RDX);
		}
	}
	/* op, bits, carry and cf_op in one store: cf_op means nothing after
	 * an operation that sets CF itself. */
	if (carry) {
		x64_mov_rm_imm(a, 16, LF(op), op | j->bits << 8);
		x64_store(a, 8, LF(carry), X64_RSI);
	} else {
		x64_mov_rm_imm(a, 32, LF(op), op | j->bits << 8);
	}
}

/* The lazy flags of INC or DEC: EAX the operand before, EDI the result. */
static void emit_incdec_flags(struct jit_ctx *c, const struct jit_insn *j)
{
	struct x64_asm *a = &c->a;
	sign_extend_reg(c, j->bits, X64_RDI);
	x64_store(a, 32, LF(res), X64_RDI);
	sign_extend_reg(c, j->bits, X64_RAX);
	x64_store(a, 32, LF(id_dst), X64_RAX);
	x64_mov_rm_imm(a, 8, LF(op), lazy_op_of(j));
}

/* Records the flags a Jcc deferred (its operation's registers intact). */
static void emit_pending_flags(struct jit_ctx *c)
{
	if (c->pending_j->kind == JK_INCDEC)
		emit_incdec_flags(c, c->pending_j);
	else
		emit_alu_flags(c, c->pending_i, c->pending_j);
}

/* After an ALU operation or INC/DEC: its flags as mode says. */
static void record_flags(struct jit_ctx *c, const struct ist_insn *i, const struct jit_insn *j,
			 enum jit_flags mode)
{
	if (mode == FLAGS_DEAD)
		return;
	c->known_op = (int)lazy_op_of(j);
	if (mode == FLAGS_DEFER) {
		c->pending_i = i;
		c->pending_j = j;
	} else if (j->kind == JK_INCDEC) {
		emit_incdec_flags(c, j);
	} else {
		emit_alu_flags(c, i, j);
	}
}

static void emit_alu(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
		     const struct jit_insn *j, enum jit_flags flags)
{
	struct x64_asm *a = &c->a;
	bool stores = j->op != ALU_CMP && j->op != ALU_TEST;
	bool carry = j->op == ALU_ADC || j->op == ALU_SBB;
	/* CMP is SUB and TEST is AND without the store. */
	unsigned host_op = j->op == ALU_TEST ? ALU_AND : j->op == ALU_CMP ? ALU_SUB : j->op;
	struct x64_rm dst = operand_rm(c, &j->dst);

	c->host_flags = c->host_flags_cf = true;
	if (flags == FLAGS_DEAD && !carry && dst.reg >= 0 && j->src.at != AT_MEM) {
		/* Nobody reads the flags: the operation alone, in place. */
		struct x64_rm src = operand_rm(c, &j->src);
		if (!stores) {
			c->host_flags = c->host_flags_cf = false;
			return;
		}
		if (j->src.at == AT_IMM) {
			x64_alu_imm(a, host_op, j->bits, dst, (int32_t)(i->imm & ist_width_mask(j->bits)));
		} else if (src.reg >= 0) {
			x64_alu(a, host_op, j->bits, dst, (enum x64_reg)src.reg);
		} else {
			x64_load_zx(a, j->bits, X64_RDX, src);
			x64_alu(a, host_op, j->bits, dst, X64_RDX);
		}
		return;
	}
	if (carry) {
		emit_call(c, (uint64_t)(uintptr_t)jit_cf);
		x64_op(a, X64_W32, 0x8B, 1, X64_RSI, x64_r(X64_RAX));
	}
	emit_memory_operand(c, k, i, j, stores);
	load_operand(c, X64_RAX, &j->dst, i, j->bits);
	if (j->src.at != AT_IMM)
		load_operand(c, X64_RDX, &j->src, i, j->bits);
	x64_op(a, X64_W32, 0x8B, 1, X64_RDI, x64_r(X64_RAX));
	if (carry) {
		x64_op(a, X64_W32, 0xBA0F, 2, 4, x64_r(X64_RSI)); /* bt esi, 0: CF */
		x64_u8(a, 0);
	}
	if (j->src.at == AT_IMM)
		x64_alu_imm(a, host_op, j->bits, x64_r(X64_RDI),
			    (int32_t)(i->imm & ist_width_mask(j->bits)));
	else
		x64_alu(a, host_op, j->bits, x64_r(X64_RDI), X64_RDX);
	if (stores)
		x64_store(a, j->bits, operand_rm(c, &j->dst), X64_RDI);
	record_flags(c, i, j, flags);
}

/* lf.cf_op before an INC or DEC: the operation CF comes from. */
static void emit_cf_op(struct jit_ctx *c)
{
	struct x64_asm *a = &c->a;
	size_t inc, dec;

	if (c->known_op >= 0) {
		if (c->known_op != IST_LF_INC && c->known_op != IST_LF_DEC)
			x64_mov_rm_imm(a, 8, LF(cf_op), (uint32_t)c->known_op);
		return;
	}
	x64_load_zx(a, 8, X64_RDX, LF(op));
	x64_alu_imm(a, ALU_CMP, 32, x64_r(X64_RDX), IST_LF_INC);
	inc = x64_jcc(a, X64_E);
	x64_alu_imm(a, ALU_CMP, 32, x64_r(X64_RDX), IST_LF_DEC);
	dec = x64_jcc(a, X64_E);
	x64_store(a, 8, LF(cf_op), X64_RDX);
	x64_patch(a, inc, x64_here(a));
	x64_patch(a, dec, x64_here(a));
}

static void emit_incdec(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
			const struct jit_insn *j, enum jit_flags flags)
{
	struct x64_asm *a = &c->a;
	struct x64_rm dst = operand_rm(c, &j->dst);

	c->host_flags = true;
	c->host_flags_cf = false;
	if (flags == FLAGS_DEAD && dst.reg >= 0) {
		x64_op(a, j->bits == 8 ? X64_W8 | X64_BYTE_RM : j->bits, j->bits == 8 ? 0xFE : 0xFF, 1,
		       j->op, dst);
		return;
	}
	emit_memory_operand(c, k, i, j, true);
	load_operand(c, X64_RAX, &j->dst, i, j->bits);
	/* Before the operation: this compares. A path on which the flags
	 * turn out dead does not mind cf_op. */
	if (flags != FLAGS_DEAD)
		emit_cf_op(c);
	x64_op(a, X64_W32, 0x8B, 1, X64_RDI, x64_r(X64_RAX));
	x64_op(a, j->bits == 8 ? X64_W8 | X64_BYTE_RM : j->bits, j->bits == 8 ? 0xFE : 0xFF, 1,
	       j->op, x64_r(X64_RDI));
	x64_store(a, j->bits, operand_rm(c, &j->dst), X64_RDI);
	record_flags(c, i, j, flags);
}

static void emit_mov(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
		     const struct jit_insn *j)
{
	struct x64_rm src;

	emit_memory_operand(c, k, i, j, true);
	if (j->src.at == AT_IMM) {
		x64_mov_rm_imm(&c->a, j->bits, operand_rm(c, &j->dst),
			       i->imm & ist_width_mask(j->bits));
		return;
	}
	src = operand_rm(c, &j->src);
	if (src.reg >= 0) {
		x64_store(&c->a, j->bits, operand_rm(c, &j->dst), (enum x64_reg)src.reg);
	} else {
		load_operand(c, X64_RDX, &j->src, i, j->bits);
		x64_store(&c->a, j->bits, operand_rm(c, &j->dst), X64_RDX);
	}
}

/* MOVZX, MOVSX */
static void emit_movx(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
		      const struct jit_insn *j)
{
	emit_memory_operand(c, k, i, j, false);
	if (j->op)
		x64_load_sx(&c->a, j->src_bits, X64_RDX, operand_rm(c, &j->src));
	else
		x64_load_zx(&c->a, j->src_bits, X64_RDX, operand_rm(c, &j->src));
	x64_store(&c->a, j->bits, guest_reg(c, j->dst.off), X64_RDX);
}

static void emit_lea(struct jit_ctx *c, const struct ist_insn *i, const struct jit_insn *j)
{
	emit_ea(c, i);
	x64_store(&c->a, j->bits, guest_reg(c, j->dst.off), X64_RAX);
}

/* The stack's width is not part of a block's key: code translated for the
 * width its mode usually has (16-bit SP in 16-bit code, ESP in 32-bit code)
 * hands the other to the interpreter. Returns whether SP is 32 bits. */
static bool emit_stack_guard(struct jit_ctx *c, unsigned k)
{
	bool stack32 = c->b->mode & IST_MODE_CODE32;
	/* test byte [SS.attr + 1], DB >> 8 */
	x64_op(&c->a, X64_W8, 0xF6, 1, 0, seg_at(IST_SS, offsetof(struct ist_seg, attr) + 1));
	x64_u8(&c->a, IST_ATTR_DB >> 8);
	jump_slow(c, stack32 ? X64_E : X64_NE, k);
	return stack32;
}

/* ESI = SP moved by delta (wrapped to the stack width), EAX = ESI. */
static void emit_sp_moved(struct jit_ctx *c, bool stack32, int32_t delta)
{
	x64_load_zx(&c->a, stack32 ? 32 : 16, X64_RSI, guest_reg(c, IST_ESP * 4u));
	if (delta)
		x64_op(&c->a, X64_W32, 0x8D, 1, X64_RSI, x64_m(X64_RSI, delta));
	if (!stack32)
		x64_load_zx(&c->a, 16, X64_RSI, x64_r(X64_RSI));
	x64_op(&c->a, X64_W32, 0x8B, 1, X64_RAX, x64_r(X64_RSI));
}

/* SP = the low 16 or all 32 bits of reg. */
static void emit_set_sp(struct jit_ctx *c, bool stack32, enum x64_reg reg)
{
	x64_store(&c->a, stack32 ? 32 : 16, guest_reg(c, IST_ESP * 4u), reg);
}

/* PUSH of register operand src, or of imm when src is NULL. The slot is
 * checked before anything changes. */
static void emit_push(struct jit_ctx *c, unsigned k, unsigned bits, const struct jit_operand *src,
		      uint32_t imm)
{
	bool stack32 = emit_stack_guard(c, k);
	emit_sp_moved(c, stack32, -(int32_t)(bits / 8));
	emit_host_ptr(c, k, IST_SS, bits / 8, true);
	if (src)
		x64_load_zx(&c->a, bits, X64_RDX, guest_reg(c, src->off));
	else
		x64_mov_imm32(&c->a, X64_RDX, imm & ist_width_mask(bits));
	x64_store(&c->a, bits, x64_m(X64_RCX, 0), X64_RDX);
	emit_set_sp(c, stack32, X64_RSI);
}

/* EDX = the value bits wide at SS:SP, ESI = SP past it plus extra
 * (unwrapped: the store of SP wraps it). SP is not changed yet. */
static bool emit_pop_value(struct jit_ctx *c, unsigned k, unsigned bits, uint32_t extra)
{
	bool stack32 = emit_stack_guard(c, k);
	emit_sp_moved(c, stack32, 0);
	emit_host_ptr(c, k, IST_SS, bits / 8, false);
	x64_load_zx(&c->a, bits, X64_RDX, x64_m(X64_RCX, 0));
	x64_op(&c->a, X64_W32, 0x8D, 1, X64_RSI, x64_m(X64_RSI, (int32_t)(bits / 8 + extra)));
	return stack32;
}

static void emit_pop(struct jit_ctx *c, unsigned k, const struct jit_insn *j)
{
	bool stack32 = emit_pop_value(c, k, j->bits, 0);
	/* SP first: POP SP leaves the value popped. */
	emit_set_sp(c, stack32, X64_RSI);
	x64_store(&c->a, j->bits, guest_reg(c, j->dst.off), X64_RDX);
}

/* Jumps to out[0] or out[1] unless the run may go on into another block
 * (ist_chain_allowed): budget left, and chain_left (which ist_yield
 * empties) not run out. flags_set: the budget's flags are set already. */
static void emit_chain_allowed(struct jit_ctx *c, size_t out[2], bool flags_set)
{
	if (!flags_set)
		x64_op(&c->a, X64_W64, 0x85, 1, JIT_BUDGET, x64_r(JIT_BUDGET));
	out[0] = x64_jcc(&c->a, X64_LE);
	x64_op(&c->a, X64_W32, 0xFF, 1, 1, x64_r(JIT_CHAIN)); /* dec */
	out[1] = x64_jcc(&c->a, X64_LE);
}

/* Enters the block at RAX: charged to the budget, then its host code, or
 * its first handler while it is not translated. */
static void emit_enter_block(struct jit_ctx *c)
{
	struct x64_asm *a = &c->a;
	size_t c_entry;

	x64_store(a, 64, CPU(block), X64_RAX);
	x64_load_zx(a, 16, X64_RCX, x64_m(X64_RAX, offsetof(struct ist_block, n)));
	x64_alu(a, ALU_SUB, 64, x64_r(JIT_BUDGET), X64_RCX);
	x64_op(a, X64_W64, 0x8B, 1, X64_RCX, x64_m(X64_RAX, offsetof(struct ist_block, jit_entry)));
	x64_op(a, X64_W64, 0x85, 1, X64_RCX, x64_r(X64_RCX));
	c_entry = x64_jcc(a, X64_E);
	x64_jmp_rm(a, x64_r(X64_RCX));
	x64_patch(a, c_entry, x64_here(a));
	x64_op(a, X64_W64, 0x8D, 1, X64_RSI, x64_m(X64_RAX, offsetof(struct ist_block, insns)));
	emit_leave_frame(c);
	x64_jmp_rm(a, x64_m(X64_RSI, offsetof(struct ist_insn, fn)));
}

/* Where branch instruction `from` goes when it leaves the block for
 * target: as ist_chain_fixed does, on into the block it is linked to, if
 * any and if the run may go on (straight into its translated code when it
 * has some: the guest's registers stay where they are), else back to the
 * run loop. */
static void emit_exit(struct jit_ctx *c, const struct ist_insn *from, uint32_t target)
{
	struct x64_asm *a = &c->a;
	size_t out[4];

	if (from->imm2)
		x64_alu_imm(a, ALU_ADD, 64, x64_r(JIT_BUDGET), from->imm2);
	x64_mov_imm64(a, X64_RAX, address_of(&from->disp));
	x64_load_zx(a, 32, X64_RAX, x64_m(X64_RAX, 0));
	x64_op(a, X64_W32, 0x85, 1, X64_RAX, x64_r(X64_RAX));
	out[0] = x64_jcc(a, X64_E);
	emit_chain_allowed(c, &out[1], false);
	x64_alu_load(a, ALU_ADD, 64, X64_RAX, CPU(code_arena));
	x64_alu_imm(a, ALU_CMP, 8, x64_m(X64_RAX, offsetof(struct ist_block, dead)), 0);
	out[3] = x64_jcc(a, X64_NE);
	emit_enter_block(c);
	for (unsigned k = 0; k < 4; k++)
		x64_patch(a, out[k], x64_here(a));
	emit_to_run_loop(c, from, target);
}

/* Where a branch whose target varies (RET) goes, target in EDX: as
 * ist_chain does, on into a block this one was seen to lead to that starts
 * there, if the run may go on, else back to the run loop. */
static void emit_exit_varying(struct jit_ctx *c, const struct ist_insn *from)
{
	struct x64_asm *a = &c->a;
	size_t miss[IST_BLOCK_LINKS], out[2];

	if (from->imm2)
		x64_alu_imm(a, ALU_ADD, 64, x64_r(JIT_BUDGET), from->imm2);
	for (unsigned k = 0; k < IST_BLOCK_LINKS; k++) {
		size_t none;
		x64_mov_imm64(a, X64_RAX, address_of(&c->b->link[k]));
		x64_op(a, X64_W64, 0x8B, 1, X64_RAX, x64_m(X64_RAX, 0));
		x64_op(a, X64_W64, 0x85, 1, X64_RAX, x64_r(X64_RAX));
		none = x64_jcc(a, X64_E);
		x64_alu_load(a, ALU_CMP, 32, X64_RDX, x64_m(X64_RAX, offsetof(struct ist_block, eip)));
		miss[k] = x64_jcc(a, X64_NE);
		/* Found: enter it if the run may go on. */
		emit_chain_allowed(c, out, false);
		emit_enter_block(c);
		for (unsigned o = 0; o < 2; o++)
			x64_patch(a, out[o], x64_here(a));
		/* Found but the run may not go on: no other link is tried. */
		x64_store(a, 32, CPU(eip), X64_RDX);
		emit_leave_frame(c);
		x64_op1(a, 0xC3); /* ret */
		x64_patch(a, none, x64_here(a));
		x64_patch(a, miss[k], x64_here(a));
	}
	x64_store(a, 32, CPU(eip), X64_RDX);
	emit_leave_frame(c);
	x64_op1(a, 0xC3); /* ret */
}

/* CALL rel: #GP past the CS limit before anything; the return address
 * pushed; on to the target. */
static void emit_call_rel(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
			  const struct jit_insn *j)
{
	x64_alu_imm(&c->a, ALU_CMP, 32, seg_at(IST_CS, offsetof(struct ist_seg, limit)),
		    (int32_t)i->imm);
	jump_slow(c, X64_B, k);
	emit_push(c, k, j->bits, NULL, ist_next_eip(i));
	emit_exit(c, i, i->imm);
}

/* RET and RET imm16: the target must lie inside CS before SP moves. */
static void emit_ret(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
		     const struct jit_insn *j)
{
	bool stack32 = emit_pop_value(c, k, j->bits, i->imm & 0xFFFF);
	x64_alu_load(&c->a, ALU_CMP, 32, X64_RDX,
		     seg_at(IST_CS, offsetof(struct ist_seg, limit)));
	jump_slow(c, X64_A, k);
	emit_set_sp(c, stack32, X64_RSI);
	emit_exit_varying(c, i);
}

/* A branch back to the start of its own block: the loop stays in host
 * code, with the block's registers where they are, charged as a chain
 * into the block would be. */
static void emit_loop(struct jit_ctx *c, const struct ist_insn *from, uint32_t target,
		      bool flags_on_exit)
{
	struct x64_asm *a = &c->a;
	size_t out[2];

	if (from->imm2)
		x64_alu_imm(a, ALU_ADD, 64, x64_r(JIT_BUDGET), from->imm2);
	emit_chain_allowed(c, out, from->imm2 != 0);
	x64_alu_imm(a, ALU_SUB, 64, x64_r(JIT_BUDGET), c->b->n);
	x64_jmp_to(a, c->body0);
	for (unsigned k = 0; k < 2; k++)
		x64_patch(a, out[k], x64_here(a));
	if (flags_on_exit)
		emit_pending_flags(c);
	emit_to_run_loop(c, from, target);
}

/* Relative branch k to i->imm past the CS limit: the handler raises #GP. */
static void emit_target_check(struct jit_ctx *c, unsigned k, const struct ist_insn *i)
{
	x64_alu_imm(&c->a, ALU_CMP, 32, seg_at(IST_CS, offsetof(struct ist_seg, limit)),
		    (int32_t)i->imm);
	jump_slow(c, X64_B, k);
}

/* Relative branch k taken, its target checked: out of the block, the
 * deferred flags recorded unless the loop back overwrites them unread. */
static void emit_branch_out(struct jit_ctx *c, const struct ist_insn *i)
{
	bool loop = i->imm == c->b->eip && c->body0 != SIZE_MAX;
	bool dead_in_loop = loop && !flags_live_from(c->ji, 0, c->b->n);

	if (c->pending_j && !dead_in_loop)
		emit_pending_flags(c);
	if (loop)
		emit_loop(c, i, i->imm, c->pending_j && dead_in_loop);
	else
		emit_exit(c, i, i->imm);
}

static void emit_branch(struct jit_ctx *c, unsigned k, const struct ist_insn *i)
{
	emit_target_check(c, k, i);
	emit_branch_out(c, i);
}

/* LOOP and JCXZ. The target is checked first: the handler, when it must
 * raise #GP, counts CX down itself. */
static void emit_count_branch(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
			      const struct jit_insn *j)
{
	struct x64_rm count = guest_reg(c, IST_ECX * 4u);
	size_t skip;

	emit_target_check(c, k, i);
	if (j->op == 0) {
		x64_op(&c->a, j->bits, 0xFF, 1, 1, count); /* dec: ZF */
		skip = x64_jcc(&c->a, X64_E);
	} else {
		x64_alu_imm(&c->a, ALU_CMP, j->bits, count, 0);
		skip = x64_jcc(&c->a, X64_NE);
	}
	emit_branch_out(c, i);
	x64_patch(&c->a, skip, x64_here(&c->a));
}

/* Whether condition cc reads CF. */
static bool cond_reads_cf(unsigned cc)
{
	return (cc >> 1) == 1 || (cc >> 1) == 3;
}

/* Jcc: with the host's flags when the instruction before set them, else
 * through the lazy flags. Returns whether it used the host's. */
static bool emit_jcc(struct jit_ctx *c, unsigned k, const struct ist_insn *i,
		     const struct jit_insn *j)
{
	struct x64_asm *a = &c->a;
	bool fused = c->host_flags && (c->host_flags_cf || !cond_reads_cf(j->op));
	size_t skip;

	if (fused) {
		skip = x64_jcc(a, (enum x64_cc)(j->op ^ 1));
	} else {
		x64_mov_imm32(a, X64_RSI, j->op);
		emit_call(c, (uint64_t)(uintptr_t)jit_cond);
		x64_op(a, X64_W32, 0x85, 1, X64_RAX, x64_r(X64_RAX));
		skip = x64_jcc(a, X64_E);
	}
	emit_branch(c, k, i);
	x64_patch(a, skip, x64_here(a));
	if (c->pending_j && flags_live_from(c->ji, k + 1, c->b->n))
		emit_pending_flags(c);
	c->pending_j = NULL;
	return fused;
}

/* How ALU or INC/DEC instruction k records its flags: not when nothing
 * reads them; through the Jcc right after it when that Jcc tests the
 * host's flags (see emit_jcc), so each of its paths records them only if
 * it needs them; else at once. */
static enum jit_flags flags_mode(const struct jit_insn *ji, unsigned k, unsigned n)
{
	if (!flags_live_from(ji, k + 1, n))
		return FLAGS_DEAD;
	if (k + 1 < n && ji[k + 1].kind == JK_JCC &&
	    (ji[k].kind == JK_ALU || !cond_reads_cf(ji[k + 1].op)))
		return FLAGS_DEFER;
	return FLAGS_STORE;
}

/* Where C code enters at instruction k: the frame, the block's registers,
 * then its code. */
static void emit_c_entry(struct jit_ctx *c)
{
	emit_enter_frame(c);
	emit_load_cached(c, false);
}

bool ist_jit_translate(struct ist_jit *jit, struct ist_block *b, const uint16_t *codes,
		       uint32_t a20_mask)
{
	struct jit_insn ji[IST_BLOCK_MAX_INSNS];
	size_t entry[IST_BLOCK_MAX_INSNS], body[IST_BLOCK_MAX_INSNS], chained = SIZE_MAX;
	bool run_start[IST_BLOCK_MAX_INSNS], has_entry[IST_BLOCK_MAX_INSNS];
	struct jit_ctx c = {
		.a = { jit->code + jit->used, jit->code + jit->used, jit->code + IST_JIT_SIZE, false },
		.b = b,
		.ji = ji,
		.a20_mask = a20_mask,
		.body0 = SIZE_MAX,
	};
	unsigned n = b->n;
	bool any = false, loops = false;

	for (unsigned k = 0; k < n; k++) {
		any |= classify(&b->insns[k], codes[k], &ji[k]);
		c.handler[k] = b->insns[k].fn;
	}
	if (!any)
		return true;
	for (unsigned k = 0; k < n; k++)
		loops |= (ji[k].kind == JK_JCC || ji[k].kind == JK_JMP || ji[k].kind == JK_LOOP) &&
			 b->insns[k].imm == b->eip;

	for (unsigned k = 0; k < n; k++) {
		const struct ist_insn *i = &b->insns[k];
		const struct jit_insn *j = &ji[k];
		bool host_flags = c.host_flags;

		/* Every translated instruction can be entered from the
		 * interpreter (after a slow path or an instruction not
		 * translated), but a Jcc on the host's flags. */
		has_entry[k] = j->kind != JK_NONE;
		run_start[k] = has_entry[k] && (k == 0 || ji[k - 1].kind == JK_NONE);
		if (j->kind == JK_NONE)
			continue;
		if (run_start[k]) {
			entry[k] = x64_here(&c.a);
			emit_c_entry(&c);
			c.known_op = -1;
			host_flags = false;
		}
		c.host_flags = false;
		if (k == 0 && loops)
			x64_align(&c.a, 32); /* a loop's head: on a fetch boundary */
		body[k] = x64_here(&c.a);
		if (k == 0)
			c.body0 = body[k];
		emit_to_memory(&c, high_bytes_named(j));
		switch (j->kind) {
		case JK_ALU:
			emit_alu(&c, k, i, j, flags_mode(ji, k, n));
			break;
		case JK_INCDEC:
			emit_incdec(&c, k, i, j, flags_mode(ji, k, n));
			break;
		case JK_MOV:
			emit_mov(&c, k, i, j);
			break;
		case JK_MOVX:
			emit_movx(&c, k, i, j);
			break;
		case JK_LEA:
			emit_lea(&c, i, j);
			break;
		case JK_LOOP:
			emit_count_branch(&c, k, i, j);
			break;
		case JK_JCC:
			c.host_flags = host_flags;
			if (emit_jcc(&c, k, i, j))
				has_entry[k] = false;
			c.host_flags = false;
			break;
		case JK_PUSH:
			emit_push(&c, k, j->bits, j->src.at == AT_REG ? &j->src : NULL, i->imm);
			break;
		case JK_POP:
			emit_pop(&c, k, j);
			break;
		case JK_JMP:
			emit_branch(&c, k, i);
			continue; /* the block ends here */
		case JK_CALL:
			emit_call_rel(&c, k, i, j);
			continue;
		case JK_RET:
			emit_ret(&c, k, i, j);
			continue;
		case JK_NONE:
			break;
		}
		emit_from_memory(&c);
		if (k + 1 == n)
			emit_exit(&c, &b->insns[n], b->insns[n].eip);
		else if (ji[k + 1].kind == JK_NONE)
			emit_to_handler(&c, k + 1);
	}

	/* Out of line: the slow paths, the entries in mid-run, and where other
	 * blocks' code chains in. */
	for (unsigned k = 0; k < n; k++) {
		size_t stub = SIZE_MAX;
		for (unsigned s = 0; s < c.slow_count; s++) {
			if (c.slow[s].k != k)
				continue;
			if (c.slow[s].pending) {
				/* A fused Jcc's: its flags first, for the handler. */
				x64_patch(&c.a, c.slow[s].at, x64_here(&c.a));
				c.pending_i = &b->insns[k - 1];
				c.pending_j = &ji[k - 1];
				emit_pending_flags(&c);
				emit_to_handler(&c, k);
				continue;
			}
			if (stub == SIZE_MAX) {
				stub = x64_here(&c.a);
				emit_to_handler(&c, k);
			}
			x64_patch(&c.a, c.slow[s].at, stub);
		}
	}
	for (unsigned k = 0; k < n; k++) {
		if (!has_entry[k] || run_start[k])
			continue;
		entry[k] = x64_here(&c.a);
		emit_c_entry(&c);
		x64_jmp_to(&c.a, body[k]);
	}

	/* Where translated blocks chain in: the guest's registers are already
	 * in their host registers. */
	if (c.body0 != SIZE_MAX)
		chained = c.body0;
	if (c.a.full)
		return false;
	for (unsigned k = 0; k < n; k++)
		if (has_entry[k])
			b->insns[k].fn = (ist_op *)(uintptr_t)(c.a.start + entry[k]);
	if (chained != SIZE_MAX)
		b->jit_entry = c.a.start + chained;
	jit->used = (jit->used + x64_here(&c.a) + 15) & ~(size_t)15;
	return true;
}
