/* gen.c: the differential test's generator: instruction templates with valid encodings and
 * random operands, kept inside the data windows and away from undefined behaviour. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "difftest.h"

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, NOREG = -1 };
#define R(r) (1u << (r))

/* Room kept between an [ESP+x] operand and its window's ends: (E)SP moves
 * when the shrinker drops pushes or a jump skips them. */
#define ESP_DRIFT 0x3000u

struct dt_gen {
	const struct dt_env *env;
	struct dt_rng *rng;
	unsigned undef; /* flags undefined before the unit being built */
	uint32_t sp;    /* estimated (E)SP before the unit being built */
};

uint64_t dt_rand(struct dt_rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint32_t dt_below(struct dt_rng *r, uint32_t n)
{
	return (uint32_t)(((dt_rand(r) >> 32) * n) >> 32);
}

static uint32_t rnd(struct dt_gen *g, uint32_t n)
{
	return dt_below(g->rng, n);
}

static bool chance(struct dt_gen *g, unsigned percent)
{
	return rnd(g, 100) < percent;
}

static uint32_t mask_of(unsigned size)
{
	return size == 8 ? 0xFFu : size == 16 ? 0xFFFFu : 0xFFFFFFFFu;
}

/* A value of size bits, often one at an edge. */
static uint32_t rand_val(struct dt_gen *g, unsigned size)
{
	static const uint32_t edges[] = {
		0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000u,
		0xFFFFFFFFu, 0xFFFFFFFEu, 0x99, 0x09, 0x0F, 0xF0,
	};
	uint32_t v;
	switch (rnd(g, 4)) {
	case 0:
		v = edges[rnd(g, sizeof(edges) / sizeof(edges[0]))];
		break;
	case 1:
		v = rnd(g, 16);
		break;
	default:
		v = (uint32_t)dt_rand(g->rng);
		break;
	}
	return v & mask_of(size);
}

static const char *const reg8[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *const reg16[] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
static const char *const reg32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const char *const sreg_name[] = { "es", "cs", "ss", "ds", "fs", "gs" };
static const uint8_t sreg_prefix[] = { 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 };
static const char *const cc_name[] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
				       "s", "ns", "p", "np", "l", "ge", "le", "g" };
static const uint16_t cc_flags[] = {
	F_OF, F_OF, F_CF, F_CF, F_ZF, F_ZF, F_CF | F_ZF, F_CF | F_ZF,
	F_SF, F_SF, F_PF, F_PF, F_SF | F_OF, F_SF | F_OF, F_ZF | F_SF | F_OF, F_ZF | F_SF | F_OF,
};

static const char *reg_name(unsigned r, unsigned size)
{
	return size == 8 ? reg8[r] : size == 16 ? reg16[r] : reg32[r];
}

static const char *size_kw(unsigned size)
{
	return size == 8 ? "byte" : size == 16 ? "word" : "dword";
}

/* The 32-bit register an operand of this size and number lives in. */
static unsigned reg_home(unsigned r, unsigned size)
{
	return size == 8 ? r & 3 : r;
}

/* An instruction being assembled. */
struct ins {
	uint8_t pfx[8];
	unsigned npfx;
	uint8_t op[3];
	unsigned nop;
	int modrm, sib;
	uint8_t disp[4];
	unsigned ndisp;
	uint8_t imm[8];
	unsigned nimm;
	char text[72];
};

/* A memory operand: its prefixes and ModR/M bits, set up already. */
struct memop {
	uint8_t pfx[2];
	unsigned npfx;
	uint8_t mod, rm;
	int sib;
	uint8_t disp[4];
	unsigned ndisp;
	char text[56];
};

/* An r/m operand: a register or a memory operand. */
struct rmop {
	bool mem;
	unsigned reg;
	struct memop m;
	char text[64];
};

static void ins_init(struct ins *in)
{
	memset(in, 0, sizeof(*in));
	in->modrm = in->sib = -1;
}

static void ins_pfx(struct ins *in, uint8_t p)
{
	assert(in->npfx < sizeof(in->pfx));
	in->pfx[in->npfx++] = p;
}

/* Operand size 16 or 32 in this code segment: 66h when it is not the default. */
static void ins_osize(struct dt_gen *g, struct ins *in, unsigned size)
{
	if ((size == 32) != g->env->code32 && size != 8)
		ins_pfx(in, 0x66);
}

static void ins_op(struct ins *in, uint16_t op)
{
	if (op > 0xFF) {
		in->op[in->nop++] = (uint8_t)(op >> 8);
		in->op[in->nop++] = (uint8_t)op;
	} else {
		in->op[in->nop++] = (uint8_t)op;
	}
}

static void ins_imm(struct ins *in, uint32_t v, unsigned bytes)
{
	for (unsigned k = 0; k < bytes; k++)
		in->imm[in->nimm++] = (uint8_t)(v >> (8 * k));
}

static void ins_text(struct ins *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ins_text(struct ins *in, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(in->text, sizeof(in->text), fmt, ap);
	va_end(ap);
}

static void ins_mem(struct ins *in, const struct memop *m, unsigned regfield)
{
	for (unsigned k = 0; k < m->npfx; k++)
		ins_pfx(in, m->pfx[k]);
	in->modrm = m->mod << 6 | (regfield & 7) << 3 | m->rm;
	in->sib = m->sib;
	memcpy(in->disp, m->disp, m->ndisp);
	in->ndisp = m->ndisp;
}

static void ins_rm(struct ins *in, const struct rmop *o, unsigned regfield)
{
	if (o->mem)
		ins_mem(in, &o->m, regfield);
	else
		in->modrm = 0xC0 | (regfield & 7) << 3 | o->reg;
}

/* Appends in to the unit, its prefixes in random order. Returns the offset
 * of its immediate within the unit. */
static unsigned put_ins(struct dt_gen *g, struct dt_unit *u, struct ins *in)
{
	unsigned start = u->len, imm_at;
	struct dt_part *p;

	for (unsigned k = in->npfx; k > 1; k--) {
		unsigned j = rnd(g, k);
		uint8_t t = in->pfx[k - 1];
		in->pfx[k - 1] = in->pfx[j];
		in->pfx[j] = t;
	}
	assert(u->len + in->npfx + in->nop + 2 + in->ndisp + in->nimm <= DT_UNIT_BYTES);
	assert(u->nparts < DT_UNIT_PARTS);
	memcpy(u->bytes + u->len, in->pfx, in->npfx);
	u->len += in->npfx;
	memcpy(u->bytes + u->len, in->op, in->nop);
	u->len += in->nop;
	if (in->modrm >= 0)
		u->bytes[u->len++] = (uint8_t)in->modrm;
	if (in->sib >= 0)
		u->bytes[u->len++] = (uint8_t)in->sib;
	memcpy(u->bytes + u->len, in->disp, in->ndisp);
	u->len += in->ndisp;
	imm_at = u->len;
	memcpy(u->bytes + u->len, in->imm, in->nimm);
	u->len += in->nimm;
	p = &u->parts[u->nparts++];
	p->off = (uint8_t)start;
	p->len = (uint8_t)(u->len - start);
	snprintf(p->text, sizeof(p->text), "%s", in->text);
	return imm_at;
}

/* Accounts for one instruction's flags in the unit's summary. */
static void unit_flags(struct dt_unit *u, unsigned rd, unsigned wr, unsigned undef)
{
	u->fr |= rd & ~(u->fw | u->fu);
	u->fw = (u->fw | wr) & ~undef;
	u->fu = (u->fu & ~wr) | undef;
}

/* A deliberate fault ends the unit: the handler is entered with FLAGS as
 * they were (pushed, compared as memory). */
static void fault_flags(struct dt_gen *g, struct dt_unit *u)
{
	u->terminal = true;
	unit_flags(u, F_ARITH, 0, g->env->fault_ac_undefined ? F_AC : 0);
}

/* mov reg, imm: sets an operand up. */
static void put_mov_imm(struct dt_gen *g, struct dt_unit *u, unsigned reg, unsigned size,
			uint32_t v)
{
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, (size == 8 ? 0xB0 : 0xB8) + reg);
	ins_imm(&in, v, size / 8);
	ins_text(&in, "mov %s, 0x%x", reg_name(reg, size), v & mask_of(size));
	put_ins(g, u, &in);
}

/* The flags in mask are about to be read: if some are undefined now, a
 * CMP defines all six first. */
static void need_flags(struct dt_gen *g, struct dt_unit *u, unsigned mask)
{
	struct ins in;
	unsigned size = chance(g, 50) ? 16 : 32, reg = rnd(g, 8);
	int8_t imm = (int8_t)rand_val(g, 8);

	if (!(mask & ((g->undef & ~u->fw) | u->fu)))
		return;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x83);
	in.modrm = 0xC0 | 7 << 3 | reg;
	ins_imm(&in, (uint8_t)imm, 1);
	ins_text(&in, "cmp %s, %d", reg_name(reg, size), imm);
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ARITH, 0);
}

/* Can an operand in segment s with this address size reach its window,
 * and write it if asked? */
static bool seg_ok(const struct dt_env *env, unsigned s, bool addr32, bool write)
{
	if (write && !env->writable[s])
		return false;
	return addr32 || env->ea_hi[s] <= 0x10000u;
}

struct memspec {
	unsigned size;      /* bytes accessed at the address */
	bool write;
	uint32_t avoid;     /* registers the unit sets for other purposes */
	uint32_t below;     /* extra bytes the instruction may touch below and above */
	uint32_t above;
	uint32_t esp_adjust; /* POP r/m: ESP moves before the address is formed */
};

/* Chooses the segment: the default, or an override that keeps the operand
 * in compared memory. */
static unsigned pick_seg(struct dt_gen *g, struct memop *m, unsigned def, bool addr32, bool write)
{
	const struct dt_env *env = g->env;
	unsigned s = def;
	bool override = chance(g, 25);

	if (!seg_ok(env, def, addr32, write))
		override = true;
	if (override) {
		do
			s = rnd(g, DT_SREGS);
		while (!seg_ok(env, s, addr32, write));
		m->pfx[m->npfx++] = sreg_prefix[s];
	}
	return s;
}

static uint32_t pick_target(struct dt_gen *g, unsigned s, const struct memspec *ms, uint32_t room)
{
	uint32_t lo = g->env->ea_lo[s] + ms->below + room + 16;
	uint32_t hi = g->env->ea_hi[s] - ms->size - ms->above - room - 16;
	uint32_t t = lo + rnd(g, hi - lo);
	/* Often across a 4 KiB page boundary (windows start on one): a
	 * software CPU's fast path ends there. */
	if (ms->size > 1 && chance(g, 20)) {
		uint32_t across = ((t & ~0xFFFu) | 0x1000u) - 1 - rnd(g, ms->size - 1);
		if (across >= lo && across < hi)
			t = across;
	}
	return t;
}

static void put_disp(struct memop *m, uint32_t v, unsigned bytes)
{
	for (unsigned k = 0; k < bytes; k++)
		m->disp[m->ndisp++] = (uint8_t)(v >> (8 * k));
}

static int fmt_disp(char *buf, size_t n, int64_t disp)
{
	if (disp == 0)
		return snprintf(buf, n, "%s", "");
	return snprintf(buf, n, "%s0x%llx", disp < 0 ? "-" : "+",
			(unsigned long long)(disp < 0 ? -disp : disp));
}

/* 16-bit addressing forms: ModR/M.rm, its registers, its default segment. */
static const struct {
	int8_t r1, r2;
	uint8_t seg;
} ea16[8] = {
	{ EBX, ESI, DT_DS }, { EBX, EDI, DT_DS }, { EBP, ESI, DT_SS }, { EBP, EDI, DT_SS },
	{ ESI, NOREG, DT_DS }, { EDI, NOREG, DT_DS }, { EBP, NOREG, DT_SS }, { EBX, NOREG, DT_DS },
};

static void gen_mem16(struct dt_gen *g, struct dt_unit *u, struct memop *m,
		      const struct memspec *ms)
{
	unsigned rm, mod, s;
	int32_t disp = 0;
	uint32_t target;
	char d[24];

	for (;;) {
		rm = rnd(g, 9);
		if (rm == 8) { /* [disp16] */
			rm = 6;
			mod = 0;
			break;
		}
		mod = rm == 6 ? 1 + rnd(g, 2) : rnd(g, 3);
		if ((ms->avoid & R(ea16[rm].r1)) ||
		    (ea16[rm].r2 != NOREG && (ms->avoid & R(ea16[rm].r2))))
			continue;
		break;
	}
	s = pick_seg(g, m, mod == 0 && rm == 6 ? DT_DS : ea16[rm].seg, false, ms->write);
	target = pick_target(g, s, ms, 0);
	m->mod = (uint8_t)mod;
	m->rm = (uint8_t)rm;
	m->sib = -1;
	if (mod == 0 && rm == 6) {
		put_disp(m, target, 2);
		snprintf(m->text, sizeof(m->text), "[%s:0x%x]", sreg_name[s], target);
		return;
	}
	if (mod == 1) {
		disp = (int8_t)rnd(g, 256);
		put_disp(m, (uint32_t)disp, 1);
	} else if (mod == 2) {
		disp = (int16_t)rnd(g, 0x10000);
		put_disp(m, (uint32_t)disp, 2);
	}
	fmt_disp(d, sizeof(d), disp);
	if (ea16[rm].r2 != NOREG) {
		uint32_t v1 = rnd(g, 0x10000);
		uint32_t v2 = (target - v1 - (uint32_t)disp) & 0xFFFF;
		put_mov_imm(g, u, (unsigned)ea16[rm].r1, 16, v1);
		put_mov_imm(g, u, (unsigned)ea16[rm].r2, 16, v2);
		snprintf(m->text, sizeof(m->text), "[%s:%s+%s%s]", sreg_name[s],
			 reg16[ea16[rm].r1], reg16[ea16[rm].r2], d);
	} else {
		put_mov_imm(g, u, (unsigned)ea16[rm].r1, 16, (target - (uint32_t)disp) & 0xFFFF);
		snprintf(m->text, sizeof(m->text), "[%s:%s%s]", sreg_name[s], reg16[ea16[rm].r1],
			 d);
	}
}

/* The inverse of an odd number modulo 2^32 (Newton's iteration). */
static uint32_t inverse_odd(uint32_t a)
{
	uint32_t x = a;
	for (int k = 0; k < 5; k++)
		x *= 2 - a * x;
	return x;
}

static void gen_mem32(struct dt_gen *g, struct dt_unit *u, struct memop *m,
		      const struct memspec *ms)
{
	int base, index = NOREG;
	unsigned mod, rm, scale = 0, s;
	uint32_t target, disp = 0, ival = 0, sp;
	bool sib;
	char d[24], text[48];

	for (;;) {
		mod = rnd(g, 3);
		rm = rnd(g, 8);
		sib = rm == 4;
		base = (int)rm;
		index = NOREG;
		scale = 0;
		if (sib) {
			unsigned idx = rnd(g, 8);
			base = (int)rnd(g, 8);
			scale = rnd(g, 4);
			index = idx == 4 ? NOREG : (int)idx;
			if (index == NOREG && chance(g, 70))
				scale = 0;
			if (base == EBP && mod == 0)
				base = NOREG;
		} else if (rm == 5 && mod == 0) {
			base = NOREG;
		}
		if (base == ESP && !g->env->esp_high_zero)
			continue;
		if ((base != NOREG && base != ESP && (ms->avoid & R(base))) ||
		    (index != NOREG && (ms->avoid & R(index))))
			continue;
		break;
	}
	s = pick_seg(g, m, base == EBP || base == ESP ? DT_SS : DT_DS, true, ms->write);
	m->rm = (uint8_t)rm;
	m->sib = sib ? (int)(scale << 6 | (index == NOREG ? 4u : (unsigned)index) << 3 |
			     (base == NOREG ? 5u : (unsigned)base))
		     : -1;

	if (index != NOREG) {
		switch (rnd(g, 3)) {
		case 0:
			ival = rnd(g, 0x100);
			break;
		case 1:
			ival = (uint32_t)-(int32_t)rnd(g, 0x100);
			break;
		default:
			ival = (uint32_t)dt_rand(g->rng);
			break;
		}
	}
	if (base == ESP) {
		/* ESP is what it is: the displacement reaches the target. */
		sp = g->sp + ms->esp_adjust;
		if (index != NOREG && index != ESP)
			ival &= 0xFF;
		target = pick_target(g, s, ms, ESP_DRIFT);
		disp = target - sp - (ival << scale);
		if (mod == 0 && disp != 0)
			mod = (int32_t)disp == (int8_t)disp ? 1 : 2;
		if (mod == 1 && (int32_t)disp != (int8_t)disp)
			mod = 2;
	} else {
		target = pick_target(g, s, ms, 0);
		if (mod == 1)
			disp = (uint32_t)(int8_t)rnd(g, 256);
		else if (mod == 2)
			disp = chance(g, 50) ? (uint32_t)dt_rand(g->rng)
					     : (uint32_t)(int16_t)rnd(g, 0x10000);
		if (base == NOREG)
			disp = target - (ival << scale);
	}
	m->mod = (uint8_t)mod;
	put_disp(m, disp, base == NOREG ? 4 : mod == 1 ? 1 : mod == 2 ? 4 : 0);

	if (base != NOREG && base != ESP) {
		uint32_t want = target - disp;
		if (base == index) {
			/* [r+r*2^s]: r * (1 + 2^s) = want */
			uint32_t v;
			if (scale == 0) {
				if (want & 1) {
					target++; /* stays inside: pick_target left room */
					want++;
				}
				v = want >> 1;
			} else {
				v = want * inverse_odd(1u + (1u << scale));
			}
			put_mov_imm(g, u, (unsigned)base, 32, v);
		} else {
			if (index != NOREG)
				put_mov_imm(g, u, (unsigned)index, 32, ival);
			put_mov_imm(g, u, (unsigned)base, 32, want - (ival << scale));
		}
	} else if (index != NOREG) {
		put_mov_imm(g, u, (unsigned)index, 32, ival);
	}

	fmt_disp(d, sizeof(d), (int32_t)disp);
	text[0] = 0;
	if (base != NOREG)
		snprintf(text, sizeof(text), "%s", reg32[base]);
	if (index != NOREG)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s*%u",
			 base != NOREG ? "+" : "", reg32[index], 1u << scale);
	else if (sib && scale)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s(none*%u)",
			 base != NOREG ? "+" : "", 1u << scale);
	if (base == NOREG && index == NOREG)
		snprintf(d, sizeof(d), "0x%x", disp);
	snprintf(m->text, sizeof(m->text), "[%s:%s%s]", sreg_name[s], text, d);
}

/* A memory operand inside the compared windows, its base and index
 * registers set up by MOVs put into u now. */
static void gen_mem(struct dt_gen *g, struct dt_unit *u, struct memop *m, const struct memspec *ms)
{
	bool addr32 = g->env->code32 != chance(g, 30);
	memset(m, 0, sizeof(*m));
	if (addr32 != g->env->code32)
		m->pfx[m->npfx++] = 0x67;
	if (addr32)
		gen_mem32(g, u, m, ms);
	else
		gen_mem16(g, u, m, ms);
}

/* A register operand: any for reads, not (E)SP for 16/32-bit writes. */
static unsigned pick_reg(struct dt_gen *g, unsigned size, bool write, uint32_t avoid)
{
	for (;;) {
		unsigned r = rnd(g, 8);
		if (write && size != 8 && r == ESP)
			continue;
		if (avoid & R(reg_home(r, size)))
			continue;
		return r;
	}
}

/* An r/m operand: a register or (mem_pct percent) memory. */
static void pick_rm(struct dt_gen *g, struct dt_unit *u, struct rmop *o, unsigned size, bool write,
		    uint32_t avoid, unsigned mem_pct)
{
	memset(o, 0, sizeof(*o));
	if (chance(g, mem_pct)) {
		struct memspec ms = { .size = size / 8, .write = write, .avoid = avoid };
		o->mem = true;
		gen_mem(g, u, &o->m, &ms);
		snprintf(o->text, sizeof(o->text), "%s %s", size_kw(size), o->m.text);
	} else {
		o->reg = pick_reg(g, size, write, avoid);
		snprintf(o->text, sizeof(o->text), "%s", reg_name(o->reg, size));
	}
}

static unsigned pick_vsize(struct dt_gen *g)
{
	return chance(g, 50) ? 16 : 32;
}

static unsigned op_size(struct dt_gen *g, uint16_t op)
{
	return (op & 1) ? pick_vsize(g) : 8;
}

static void put_imm_sized(struct ins *in, uint32_t v, unsigned size)
{
	ins_imm(in, v, size / 8);
}

/* ---- ALU ---- */

static const char *const alu_name[] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };

static void alu_flags(struct dt_unit *u, unsigned ext)
{
	if (ext == 2 || ext == 3)
		unit_flags(u, F_CF, F_ARITH, 0);
	else if (ext == 1 || ext == 4 || ext == 6)
		unit_flags(u, 0, F_ARITH & ~F_AF, F_AF);
	else
		unit_flags(u, 0, F_ARITH, 0);
}

static void maybe_lock(struct dt_gen *g, struct ins *in, const struct rmop *o, bool lockable)
{
	if (lockable && o->mem && chance(g, 15))
		ins_pfx(in, 0xF0);
}

/* 00-3F: the eight ALU operations in six forms each. */
static void e_alu(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned ext = (unsigned)t->ext, form = t->op & 7, size = (form & 1) ? pick_vsize(g) : 8;
	bool write = ext != 7;
	struct ins in;
	struct rmop o;
	unsigned r;

	need_flags(g, u, t->fr);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	if (form >= 4) {
		uint32_t v = rand_val(g, size);
		put_imm_sized(&in, v, size);
		ins_text(&in, "%s %s, 0x%x", alu_name[ext], reg_name(EAX, size), v);
	} else if (form < 2) {
		pick_rm(g, u, &o, size, write, 0, 50);
		r = pick_reg(g, size, false, 0);
		ins_rm(&in, &o, r);
		maybe_lock(g, &in, &o, write);
		ins_text(&in, "%s%s %s, %s", in.npfx && in.pfx[in.npfx - 1] == 0xF0 ? "lock " : "",
			 alu_name[ext], o.text, reg_name(r, size));
	} else {
		pick_rm(g, u, &o, size, false, 0, 50);
		r = pick_reg(g, size, write, 0);
		ins_rm(&in, &o, r);
		ins_text(&in, "%s %s, %s", alu_name[ext], reg_name(r, size), o.text);
	}
	put_ins(g, u, &in);
	alu_flags(u, ext);
}

/* 80, 81, 82, 83 /0-7: ALU with an immediate. */
static void e_grp1(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned ext = (unsigned)t->ext, size = t->op == 0x81 || t->op == 0x83 ? pick_vsize(g) : 8;
	bool write = ext != 7;
	struct ins in;
	struct rmop o;
	uint32_t v;

	need_flags(g, u, t->fr);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, write, 0, 50);
	ins_rm(&in, &o, ext);
	maybe_lock(g, &in, &o, write);
	if (t->op == 0x81) {
		v = rand_val(g, size);
		put_imm_sized(&in, v, size);
	} else {
		v = rand_val(g, 8);
		ins_imm(&in, v, 1);
		if (t->op == 0x83)
			v = (uint32_t)(int8_t)v & mask_of(size);
	}
	ins_text(&in, "%s%s %s, 0x%x", in.npfx && memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "",
		 alu_name[ext], o.text, v);
	put_ins(g, u, &in);
	alu_flags(u, ext);
}

/* 84, 85 (r/m, r), A8, A9 (acc, imm), F6/F7 /0 (r/m, imm). */
static void e_test(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op);
	struct ins in;
	struct rmop o;
	uint32_t v = rand_val(g, size);

	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	if (t->op == 0xA8 || t->op == 0xA9) {
		put_imm_sized(&in, v, size);
		ins_text(&in, "test %s, 0x%x", reg_name(EAX, size), v);
	} else if (t->op == 0x84 || t->op == 0x85) {
		unsigned r = pick_reg(g, size, false, 0);
		pick_rm(g, u, &o, size, false, 0, 50);
		ins_rm(&in, &o, r);
		ins_text(&in, "test %s, %s", o.text, reg_name(r, size));
	} else {
		pick_rm(g, u, &o, size, false, 0, 50);
		ins_rm(&in, &o, 0);
		put_imm_sized(&in, v, size);
		ins_text(&in, "test %s, 0x%x", o.text, v);
	}
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ARITH & ~F_AF, F_AF);
}

/* 40-4F inc/dec r16/r32; FE/FF /0 /1 inc/dec r/m. */
static void e_incdec(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	const char *name = t->ext == 1 || t->op == 0x48 ? "dec" : "inc";
	struct ins in;
	ins_init(&in);
	if (t->op == 0x40 || t->op == 0x48) {
		unsigned size = pick_vsize(g), r = pick_reg(g, size, true, 0);
		ins_osize(g, &in, size);
		ins_op(&in, t->op + r);
		ins_text(&in, "%s %s", name, reg_name(r, size));
	} else {
		unsigned size = t->op == 0xFE ? 8 : pick_vsize(g);
		struct rmop o;
		ins_osize(g, &in, size);
		ins_op(&in, t->op);
		pick_rm(g, u, &o, size, true, 0, 50);
		ins_rm(&in, &o, (unsigned)t->ext);
		maybe_lock(g, &in, &o, true);
		ins_text(&in, "%s%s %s", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", name, o.text);
	}
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ARITH & ~F_CF, 0);
}

/* F6/F7 /2 not, /3 neg. */
static void e_notneg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, true, 0, 50);
	ins_rm(&in, &o, (unsigned)t->ext);
	maybe_lock(g, &in, &o, true);
	ins_text(&in, "%s%s %s", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", t->mnem, o.text);
	put_ins(g, u, &in);
	if (t->ext == 3)
		unit_flags(u, 0, F_ARITH, 0);
}

/* ---- MOV ---- */

/* 88-8B: mov r/m, r and mov r, r/m. */
static void e_mov(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op), r;
	bool to_rm = !(t->op & 2);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, to_rm, 0, 60);
	r = pick_reg(g, size, !to_rm, 0);
	ins_rm(&in, &o, r);
	if (to_rm)
		ins_text(&in, "mov %s, %s", o.text, reg_name(r, size));
	else
		ins_text(&in, "mov %s, %s", reg_name(r, size), o.text);
	put_ins(g, u, &in);
}

/* B0-BF: mov r, imm. */
static void e_mov_imm(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = t->op == 0xB0 ? 8 : pick_vsize(g);
	put_mov_imm(g, u, pick_reg(g, size, true, 0), size, rand_val(g, size));
}

/* C6/C7 /0: mov r/m, imm. */
static void e_mov_rm_imm(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op);
	uint32_t v = rand_val(g, size);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, true, 0, 70);
	ins_rm(&in, &o, 0);
	put_imm_sized(&in, v, size);
	ins_text(&in, "mov %s, 0x%x", o.text, v);
	put_ins(g, u, &in);
}

/* A0-A3: mov between the accumulator and a direct address (moffs). */
static void e_moffs(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op), s;
	bool write = t->op >= 0xA2, addr32 = g->env->code32 != chance(g, 30);
	struct ins in;
	struct memspec ms = { .size = size / 8, .write = write };
	struct memop m;
	uint32_t target;

	memset(&m, 0, sizeof(m));
	ins_init(&in);
	ins_osize(g, &in, size);
	if (addr32 != g->env->code32)
		ins_pfx(&in, 0x67);
	s = pick_seg(g, &m, DT_DS, addr32, write);
	for (unsigned k = 0; k < m.npfx; k++)
		ins_pfx(&in, m.pfx[k]);
	target = pick_target(g, s, &ms, 0);
	ins_op(&in, t->op);
	ins_imm(&in, target, addr32 ? 4 : 2);
	if (write)
		ins_text(&in, "mov %s [%s:0x%x], %s", size_kw(size), sreg_name[s], target,
			 reg_name(EAX, size));
	else
		ins_text(&in, "mov %s, %s [%s:0x%x]", reg_name(EAX, size), size_kw(size),
			 sreg_name[s], target);
	put_ins(g, u, &in);
}

/* 8C: mov r/m16, sreg (a register destination gets 16 bits: with 32-bit
 * operands the upper half is undefined on a 386/486, so never asked). */
static void e_mov_from_sreg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned s = rnd(g, DT_SREGS);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	pick_rm(g, u, &o, 16, true, 0, 50);
	ins_osize(g, &in, o.mem ? pick_vsize(g) : 16);
	ins_op(&in, 0x8C);
	ins_rm(&in, &o, s);
	ins_text(&in, "mov %s, %s", o.text, sreg_name[s]);
	put_ins(g, u, &in);
}

/* 8C then 8E: a segment register reloaded with its own selector (in
 * protected mode through its descriptor). */
static void e_mov_sreg_roundtrip(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	static const unsigned loadable[] = { DT_ES, DT_SS, DT_DS, DT_FS, DT_GS };
	unsigned s = loadable[rnd(g, 5)], r = pick_reg(g, 16, true, 0);
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, 16);
	ins_op(&in, 0x8C);
	in.modrm = 0xC0 | s << 3 | r;
	ins_text(&in, "mov %s, %s", reg16[r], sreg_name[s]);
	put_ins(g, u, &in);
	ins_init(&in);
	if (chance(g, 50))
		ins_osize(g, &in, pick_vsize(g));
	ins_op(&in, 0x8E);
	in.modrm = 0xC0 | s << 3 | r;
	ins_text(&in, "mov %s, %s", sreg_name[s], reg16[r]);
	put_ins(g, u, &in);
}

/* 0F B6/B7/BE/BF: movzx, movsx. */
static void e_movx(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned src = (t->op & 1) ? 16 : 8, size = pick_vsize(g), r = pick_reg(g, size, true, 0);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, src, false, 0, 50);
	ins_rm(&in, &o, r);
	ins_text(&in, "%s %s, %s", t->mnem, reg_name(r, size), o.text);
	put_ins(g, u, &in);
}

/* 8D: lea with any addressing form and whatever the registers hold. */
static void e_lea(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), r = pick_reg(g, size, true, 0);
	bool addr32 = g->env->code32 != chance(g, 40);
	struct ins in;
	char ea[48] = "", d[24];
	int32_t disp = 0;
	unsigned mod = rnd(g, 3), rm = rnd(g, 8);

	ins_init(&in);
	ins_osize(g, &in, size);
	if (addr32 != g->env->code32)
		ins_pfx(&in, 0x67);
	if (chance(g, 15))
		ins_pfx(&in, sreg_prefix[rnd(g, DT_SREGS)]); /* ignored by lea */
	ins_op(&in, 0x8D);
	in.modrm = (int)(mod << 6 | r << 3 | rm);
	if (!addr32) {
		if (mod == 0 && rm == 6) {
			disp = (int16_t)rnd(g, 0x10000);
			ins_imm(&in, (uint32_t)disp, 2); /* a displacement, placed like one */
			snprintf(ea, sizeof(ea), "0x%x", (uint16_t)disp);
		} else {
			if (mod == 1)
				disp = (int8_t)rnd(g, 256);
			else if (mod == 2)
				disp = (int16_t)rnd(g, 0x10000);
			ins_imm(&in, (uint32_t)disp, mod == 1 ? 1 : mod == 2 ? 2 : 0);
			fmt_disp(d, sizeof(d), disp);
			snprintf(ea, sizeof(ea), "%s%s%s%s", reg16[ea16[rm].r1],
				 ea16[rm].r2 != NOREG ? "+" : "",
				 ea16[rm].r2 != NOREG ? reg16[ea16[rm].r2] : "", d);
		}
	} else {
		int base = (int)rm, index = NOREG;
		unsigned scale = 0;
		if (rm == 4) {
			unsigned idx = rnd(g, 8);
			base = (int)rnd(g, 8);
			scale = rnd(g, 4);
			index = idx == 4 ? NOREG : (int)idx;
			in.sib = (int)(scale << 6 | idx << 3 | (unsigned)base);
			if (base == EBP && mod == 0)
				base = NOREG;
		} else if (rm == 5 && mod == 0) {
			base = NOREG;
		}
		if (base == NOREG)
			disp = (int32_t)dt_rand(g->rng);
		else if (mod == 1)
			disp = (int8_t)rnd(g, 256);
		else if (mod == 2)
			disp = (int32_t)dt_rand(g->rng);
		ins_imm(&in, (uint32_t)disp, base == NOREG ? 4 : mod == 1 ? 1 : mod == 2 ? 4 : 0);
		fmt_disp(d, sizeof(d), disp);
		snprintf(ea, sizeof(ea), "%s%s%s%s%s", base != NOREG ? reg32[base] : "",
			 index != NOREG && base != NOREG ? "+" : "",
			 index != NOREG ? reg32[index] : "",
			 index != NOREG ? (scale == 0 ? "" : scale == 1 ? "*2" : scale == 2 ? "*4" : "*8")
					: "",
			 d);
	}
	ins_text(&in, "lea %s, [%s]%s", reg_name(r, size), ea, addr32 ? " (a32)" : " (a16)");
	put_ins(g, u, &in);
}

/* 86/87: xchg r/m, r; 90+r: xchg eax, r. */
static void e_xchg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	struct ins in;
	ins_init(&in);
	if (t->op == 0x90) {
		unsigned size = pick_vsize(g), r = pick_reg(g, size, true, 0);
		ins_osize(g, &in, size);
		ins_op(&in, 0x90 + r);
		ins_text(&in, "xchg %s, %s", reg_name(EAX, size), reg_name(r, size));
	} else {
		unsigned size = op_size(g, t->op), r = pick_reg(g, size, true, 0);
		struct rmop o;
		ins_osize(g, &in, size);
		ins_op(&in, t->op);
		pick_rm(g, u, &o, size, true, 0, 50);
		ins_rm(&in, &o, r);
		maybe_lock(g, &in, &o, true);
		ins_text(&in, "%sxchg %s, %s", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", o.text,
			 reg_name(r, size));
	}
	put_ins(g, u, &in);
}

/* 98 cbw/cwde, 99 cwd/cdq. */
static void e_conv(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	if (t->op == 0x98)
		ins_text(&in, "%s", size == 16 ? "cbw" : "cwde");
	else
		ins_text(&in, "%s", size == 16 ? "cwd" : "cdq");
	put_ins(g, u, &in);
}

/* ---- Shifts and rotates ---- */

static const char *const shift_name[] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };

/* Flags of a shift or rotate by count, as the SDM defines them (see README). */
static void shift_flags(struct dt_unit *u, unsigned ext, unsigned size, unsigned count)
{
	unsigned masked = count & 31;
	if (masked == 0)
		return; /* no flags change */
	if (ext == 0 || ext == 1) {
		unit_flags(u, 0, F_CF | (masked == 1 ? F_OF : 0), masked == 1 ? 0 : F_OF);
	} else if (ext == 2 || ext == 3) {
		unsigned tmp = size == 8 ? masked % 9 : size == 16 ? masked % 17 : masked;
		unit_flags(u, tmp ? F_CF : 0, (tmp ? F_CF : 0) | (masked == 1 ? F_OF : 0),
			   masked == 1 ? 0 : F_OF);
	} else {
		bool cf_undef = ext != 7 && masked >= size;
		unit_flags(u, 0, F_SF | F_ZF | F_PF | (cf_undef ? 0 : F_CF) | (masked == 1 ? F_OF : 0),
			   F_AF | (cf_undef ? F_CF : 0) | (masked == 1 ? 0 : F_OF));
	}
}

static unsigned shift_count(struct dt_gen *g)
{
	return chance(g, 90) ? rnd(g, 34) : rand_val(g, 8);
}

/* C0/C1 (imm8), D0/D1 (1), D2/D3 (CL) with /0-/5 and /7. */
static void e_shift(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned ext = (unsigned)t->ext, size = op_size(g, t->op), count;
	bool by_cl = t->op == 0xD2 || t->op == 0xD3, by_one = t->op == 0xD0 || t->op == 0xD1;
	struct ins in;
	struct rmop o;
	char ctext[16];

	count = by_one ? 1 : shift_count(g);
	if (by_cl)
		put_mov_imm(g, u, ECX, 8, count);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, true, by_cl ? R(ECX) : 0, 40);
	ins_rm(&in, &o, ext);
	if (!by_cl && !by_one)
		ins_imm(&in, count, 1);
	if (by_cl)
		snprintf(ctext, sizeof(ctext), "cl");
	else
		snprintf(ctext, sizeof(ctext), "%u", count);
	ins_text(&in, "%s %s, %s", shift_name[ext], o.text, ctext);
	/* RCL/RCR read CF; a count that changes no flags reads none. */
	{
		struct dt_unit probe = { 0 };
		shift_flags(&probe, ext, size, count);
		need_flags(g, u, probe.fr);
	}
	put_ins(g, u, &in);
	shift_flags(u, ext, size, count);
}

/* 0F A4/A5 shld, 0F AC/AD shrd (imm8 or CL). */
static void e_shld(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), count, r, masked;
	bool by_cl = t->op & 1;
	struct ins in;
	struct rmop o;

	do
		count = shift_count(g);
	while (size == 16 && (count & 31) > 16); /* the result would be undefined */
	masked = count & 31;
	if (by_cl)
		put_mov_imm(g, u, ECX, 8, count);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, true, by_cl ? R(ECX) : 0, 40);
	r = pick_reg(g, size, false, 0);
	ins_rm(&in, &o, r);
	if (!by_cl) {
		ins_imm(&in, count, 1);
		ins_text(&in, "%s %s, %s, %u", t->mnem, o.text, reg_name(r, size), count);
	} else {
		ins_text(&in, "%s %s, %s, cl", t->mnem, o.text, reg_name(r, size));
	}
	put_ins(g, u, &in);
	if (masked)
		unit_flags(u, 0, F_CF | F_SF | F_ZF | F_PF | (masked == 1 ? F_OF : 0),
			   F_AF | (masked == 1 ? 0 : F_OF));
}

/* ---- Multiply and divide ---- */

/* F6/F7 /4 mul, /5 imul: one operand. */
static void e_mul1(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, false, 0, 40);
	ins_rm(&in, &o, (unsigned)t->ext);
	ins_text(&in, "%s %s", t->mnem, o.text);
	put_ins(g, u, &in);
	unit_flags(u, 0, F_CF | F_OF, F_SF | F_ZF | F_AF | F_PF);
}

/* 0F AF imul r, r/m; 69 imul r, r/m, imm; 6B imul r, r/m, imm8. */
static void e_imul(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), r = pick_reg(g, size, true, 0);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, false, 0, 40);
	ins_rm(&in, &o, r);
	if (t->op == 0x69) {
		uint32_t v = rand_val(g, size);
		put_imm_sized(&in, v, size);
		ins_text(&in, "imul %s, %s, 0x%x", reg_name(r, size), o.text, v);
	} else if (t->op == 0x6B) {
		int8_t v = (int8_t)rand_val(g, 8);
		ins_imm(&in, (uint8_t)v, 1);
		ins_text(&in, "imul %s, %s, %d", reg_name(r, size), o.text, v);
	} else {
		ins_text(&in, "imul %s, %s", reg_name(r, size), o.text);
	}
	put_ins(g, u, &in);
	unit_flags(u, 0, F_CF | F_OF, F_SF | F_ZF | F_AF | F_PF);
}

static int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* Puts a divisor, multiplier or source in place: a register set by MOV, or
 * memory stored by MOV through the same operand. */
static void put_rm_value(struct dt_gen *g, struct dt_unit *u, const struct rmop *o, unsigned size,
			 uint32_t v)
{
	struct ins in;
	if (!o->mem) {
		put_mov_imm(g, u, o->reg, size, v);
		return;
	}
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, size == 8 ? 0xC6 : 0xC7);
	ins_mem(&in, &o->m, 0);
	put_imm_sized(&in, v, size);
	ins_text(&in, "mov %s, 0x%x", o->text, v);
	put_ins(g, u, &in);
}

/* F6/F7 /6 div, /7 idiv: dividend and divisor chosen so the quotient fits
 * (arg 0), or so #DE follows (arg 1: division by zero or a quotient too
 * large; the run ends in the handler). */
static void e_div(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op);
	bool is_signed = t->ext == 7, fault = t->arg == 1;
	uint64_t dividend;
	uint32_t divisor;
	struct ins in;
	struct rmop o;

	if (fault) {
		switch (rnd(g, 3)) {
		case 0:
			divisor = 0;
			dividend = dt_rand(g->rng);
			break;
		case 1: /* unsigned: high half >= divisor; signed: 2^(2n-2) / 1 */
			divisor = 1 + rnd(g, 7);
			dividend = is_signed ? 1ull << (2 * size - 2)
					     : ((uint64_t)divisor << size) | rand_val(g, size);
			break;
		default: /* the most negative dividend by -1; unsigned: by 1 */
			divisor = is_signed ? mask_of(size) : 1;
			dividend = (is_signed ? 1ull : 3ull) << (2 * size - 1);
			break;
		}
	} else if (!is_signed) {
		uint64_t q, r;
		do
			divisor = rand_val(g, size);
		while (divisor == 0);
		q = rand_val(g, size);
		r = dt_rand(g->rng) % divisor;
		dividend = q * divisor + r;
	} else {
		int64_t q, d, r, qmin = -(int64_t)(1ull << (size - 1));
		do
			d = sext(rand_val(g, size), size);
		while (d == 0);
		q = chance(g, 50) ? sext(rand_val(g, size), size) : (int64_t)rnd(g, 64) - 32;
		if (chance(g, 10))
			q = qmin; /* the most negative quotient fits */
		r = (int64_t)(dt_rand(g->rng) % (uint64_t)(d < 0 ? -d : d));
		if (q * d < 0 || (q * d == 0 && chance(g, 50)))
			r = -r; /* the remainder takes the dividend's sign */
		dividend = (uint64_t)(q * d + r);
		divisor = (uint32_t)d & mask_of(size);
	}
	if (size == 8) {
		put_mov_imm(g, u, EAX, 16, (uint32_t)dividend & 0xFFFF);
	} else {
		put_mov_imm(g, u, EAX, size, (uint32_t)dividend & mask_of(size));
		put_mov_imm(g, u, EDX, size, (uint32_t)(dividend >> size) & mask_of(size));
	}
	/* written by the set-up MOV: never (E)SP */
	pick_rm(g, u, &o, size, true, size == 8 ? R(EAX) : R(EAX) | R(EDX), 40);
	put_rm_value(g, u, &o, size, divisor);
	if (fault)
		need_flags(g, u, F_ARITH); /* the exception pushes FLAGS */
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	ins_rm(&in, &o, (unsigned)t->ext);
	ins_text(&in, "%s %s%s", t->mnem, o.text, fault ? "  ; #DE" : "");
	put_ins(g, u, &in);
	if (fault) {
		fault_flags(g, u);
	} else {
		unit_flags(u, 0, 0, F_ARITH);
	}
}

/* ---- BCD ---- */

/* 27 daa, 2F das, 37 aaa, 3F aas, D4 aam imm8, D5 aad imm8. */
static void e_bcd(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	struct ins in;
	if (chance(g, 60)) {
		uint32_t v = (rnd(g, 16) << 12 | rnd(g, 16) << 8 | rnd(g, 16) << 4 | rnd(g, 16));
		if (chance(g, 50))
			v &= 0x0F0F; /* unpacked digits */
		put_mov_imm(g, u, EAX, 16, v);
	}
	need_flags(g, u, t->fr);
	ins_init(&in);
	ins_op(&in, t->op);
	if (t->op == 0xD4 || t->op == 0xD5) {
		uint32_t base = chance(g, 50) ? 10 : rand_val(g, 8);
		if (t->op == 0xD4 && base == 0)
			base = 16;
		ins_imm(&in, base, 1);
		ins_text(&in, "%s %u", t->mnem, base);
	} else {
		ins_text(&in, "%s", t->mnem);
	}
	put_ins(g, u, &in);
	if ((t->op == 0xD4 || t->op == 0xD5) && g->env->aam_flags_undefined)
		unit_flags(u, t->fr, t->fw & ~(F_SF | F_ZF), t->fu | F_SF | F_ZF);
	else
		unit_flags(u, t->fr, t->fw, t->fu);
}

/* ---- Bit operations ---- */

static void bt_flags(struct dt_unit *u)
{
	unit_flags(u, 0, F_CF, F_OF | F_SF | F_AF | F_PF);
}

/* 0F A3 bt, AB bts, B3 btr, BB btc: r/m, r. A memory operand's bit offset
 * is a signed number of bits from it: kept small, the byte it names stays
 * inside the window. */
static void e_bt(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), r;
	bool write = t->op != 0x0FA3;
	struct ins in;
	struct rmop o;

	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	memset(&o, 0, sizeof(o));
	if (chance(g, 50)) {
		struct memspec ms = { .size = size / 8, .write = write, .below = 80, .above = 80 };
		int32_t off = (int32_t)rnd(g, 1024) - 512;
		r = pick_reg(g, size, true, 0); /* not (E)SP: its value is not small */
		put_mov_imm(g, u, r, size, (uint32_t)off & mask_of(size));
		ms.avoid = R(r);
		o.mem = true;
		gen_mem(g, u, &o.m, &ms);
		snprintf(o.text, sizeof(o.text), "%s %s", size_kw(size), o.m.text);
	} else {
		o.reg = pick_reg(g, size, write, 0);
		snprintf(o.text, sizeof(o.text), "%s", reg_name(o.reg, size));
		r = pick_reg(g, size, false, 0);
	}
	ins_rm(&in, &o, r);
	maybe_lock(g, &in, &o, write);
	ins_text(&in, "%s%s %s, %s", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", t->mnem, o.text,
		 reg_name(r, size));
	put_ins(g, u, &in);
	bt_flags(u);
}

/* 0F BA /4 bt, /5 bts, /6 btr, /7 btc: r/m, imm8 (taken modulo the size). */
static void e_bt_imm(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	bool write = t->ext != 4;
	uint32_t bit = chance(g, 80) ? rnd(g, size) : rand_val(g, 8);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x0FBA);
	pick_rm(g, u, &o, size, write, 0, 50);
	ins_rm(&in, &o, (unsigned)t->ext);
	maybe_lock(g, &in, &o, write);
	ins_imm(&in, bit, 1);
	ins_text(&in, "%s%s %s, %u", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", t->mnem, o.text,
		 bit);
	put_ins(g, u, &in);
	bt_flags(u);
}

/* 0F BC bsf, BD bsr: the source is made non-zero (with zero the
 * destination is undefined). */
static void e_bsf(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), r = pick_reg(g, size, true, 0);
	uint32_t v;
	struct ins in;
	struct rmop o;

	do
		v = chance(g, 40) ? 1u << rnd(g, size) : rand_val(g, size);
	while (v == 0);
	pick_rm(g, u, &o, size, true, 0, 40); /* set by a MOV first */
	put_rm_value(g, u, &o, size, v);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	ins_rm(&in, &o, r);
	ins_text(&in, "%s %s, %s", t->mnem, reg_name(r, size), o.text);
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ZF, F_CF | F_OF | F_SF | F_AF | F_PF);
}

/* 0F 90-9F: setcc r/m8. */
static void e_setcc(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned cc = rnd(g, 16);
	struct ins in;
	struct rmop o;
	need_flags(g, u, cc_flags[cc]);
	ins_init(&in);
	ins_op(&in, (uint16_t)(0x0F90 + cc));
	pick_rm(g, u, &o, 8, true, 0, 40);
	ins_rm(&in, &o, 0);
	ins_text(&in, "set%s %s", cc_name[cc], o.text);
	put_ins(g, u, &in);
	unit_flags(u, cc_flags[cc], 0, 0);
}

/* ---- String instructions ---- */

/* A4-AF: movs cmps stos lods scas; arg 0 plain, 1 rep/repe (F3), 2 repne
 * (F2). SI, DI and CX are set in the unit; counts are small and the
 * windows leave room in either direction. */
static void e_string(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	/* by (opcode - A4h) / 2; A8/A9 is test */
	static const char *const names[] = { "movs", "cmps", "", "stos", "lods", "scas" };
	unsigned kind = (t->op - 0xA4) >> 1, size = op_size(g, t->op), count = rnd(g, 9);
	bool addr32 = g->env->code32 != chance(g, 30);
	bool src = kind == 0 || kind == 1 || kind == 4, dst = kind != 4;
	bool compares = kind == 1 || kind == 5;
	unsigned asize = addr32 ? 32 : 16, s = DT_DS;
	struct memspec ms = { .size = size / 8, .below = 64, .above = 64 };
	struct memop m;
	struct ins in;
	char where[48] = "";

	memset(&m, 0, sizeof(m));
	ins_init(&in);
	if (t->arg)
		put_mov_imm(g, u, ECX, asize, count);
	if (src && dst && chance(g, 20)) {
		/* Source and destination overlap (ES:SI near ES:DI): a forward MOVS
		 * copies element by element, replicating a pattern. */
		uint32_t di;
		ms.write = !compares;
		di = pick_target(g, DT_ES, &ms, 0);
		s = DT_ES;
		m.pfx[m.npfx++] = sreg_prefix[DT_ES];
		put_mov_imm(g, u, ESI, asize, di + (uint32_t)((int32_t)rnd(g, 17) - 8));
		put_mov_imm(g, u, EDI, asize, di);
		dst = false; /* done */
	} else if (src) {
		s = pick_seg(g, &m, DT_DS, addr32, false);
		put_mov_imm(g, u, ESI, asize, pick_target(g, s, &ms, 0));
	} else if (chance(g, 10)) {
		m.pfx[m.npfx++] = sreg_prefix[rnd(g, DT_SREGS)]; /* ES:DI takes no override */
	}
	if (dst) {
		ms.write = !compares;
		put_mov_imm(g, u, EDI, asize, pick_target(g, DT_ES, &ms, 0));
	}
	for (unsigned k = 0; k < m.npfx; k++)
		ins_pfx(&in, m.pfx[k]);
	if (addr32 != g->env->code32)
		ins_pfx(&in, 0x67);
	if (t->arg)
		ins_pfx(&in, t->arg == 1 ? 0xF3 : 0xF2);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	snprintf(where, sizeof(where), " (a%u%s%s)", asize, src ? ", src " : "",
		 src ? sreg_name[s] : "");
	ins_text(&in, "%s%s%c%s", t->arg == 1 ? (compares ? "repe " : "rep ")
				  : t->arg == 2 ? "repne "
						: "",
		 names[kind], size == 8 ? 'b' : size == 16 ? 'w' : 'd', where);
	put_ins(g, u, &in);
	if (compares && !(t->arg && count == 0))
		unit_flags(u, 0, F_ARITH, 0);
}

/* ---- Stack ---- */

static unsigned stack_bytes(unsigned size)
{
	return size / 8;
}

/* 50+r: push r16/r32 (ESP too: the value before the push). */
static void e_push_reg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), r = rnd(g, 8);
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x50 + r);
	ins_text(&in, "push %s", reg_name(r, size));
	put_ins(g, u, &in);
	g->sp -= stack_bytes(size);
}

/* 58+r: pop r16/r32 (not ESP). */
static void e_pop_reg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), r = pick_reg(g, size, true, 0);
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x58 + r);
	ins_text(&in, "pop %s", reg_name(r, size));
	put_ins(g, u, &in);
	g->sp += stack_bytes(size);
}

/* 68 push imm16/32, 6A push imm8 (sign-extended). */
static void e_push_imm(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	struct ins in;
	uint32_t v;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	if (t->op == 0x68) {
		v = rand_val(g, size);
		put_imm_sized(&in, v, size);
	} else {
		v = rand_val(g, 8);
		ins_imm(&in, v, 1);
		v = (uint32_t)(int8_t)v & mask_of(size);
	}
	ins_text(&in, "push %s 0x%x", size_kw(size), v);
	put_ins(g, u, &in);
	g->sp -= stack_bytes(size);
}

/* FF /6: push r/m (an [ESP+x] address is formed before the push). */
static void e_push_rm(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0xFF);
	pick_rm(g, u, &o, size, false, 0, 70);
	ins_rm(&in, &o, 6);
	ins_text(&in, "push %s", o.text);
	put_ins(g, u, &in);
	g->sp -= stack_bytes(size);
}

/* 8F /0: pop r/m (an [ESP+x] address is formed after the pop). */
static void e_pop_rm(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x8F);
	memset(&o, 0, sizeof(o));
	if (chance(g, 70)) {
		struct memspec ms = { .size = size / 8, .write = true,
				      .esp_adjust = stack_bytes(size) };
		o.mem = true;
		gen_mem(g, u, &o.m, &ms);
		snprintf(o.text, sizeof(o.text), "%s %s", size_kw(size), o.m.text);
	} else {
		o.reg = pick_reg(g, size, true, 0);
		snprintf(o.text, sizeof(o.text), "%s", reg_name(o.reg, size));
	}
	ins_rm(&in, &o, 0);
	ins_text(&in, "pop %s", o.text);
	put_ins(g, u, &in);
	g->sp += stack_bytes(size);
}

static const uint16_t push_sreg_op[] = { 0x06, 0x0E, 0x16, 0x1E, 0x0FA0, 0x0FA8 };
static const uint16_t pop_sreg_op[] = { 0x07, 0, 0x17, 0x1F, 0x0FA1, 0x0FA9 };

/* A 32-bit push of a segment register writes 16 or 32 bits (the SDM
 * allows both): push dword 0 and pop it into a register first, so the
 * slot's upper half is zero either way. */
static void zero_stack_slot(struct dt_gen *g, struct dt_unit *u, unsigned size)
{
	struct ins in;
	unsigned r = pick_reg(g, 32, true, 0);
	if (size != 32)
		return;
	ins_init(&in);
	ins_osize(g, &in, 32);
	ins_op(&in, 0x6A);
	ins_imm(&in, 0, 1);
	ins_text(&in, "push dword 0");
	put_ins(g, u, &in);
	ins_init(&in);
	ins_osize(g, &in, 32);
	ins_op(&in, 0x58 + r);
	ins_text(&in, "pop %s", reg32[r]);
	put_ins(g, u, &in);
}

/* 06 0E 16 1E 0F A0 0F A8: push sreg. */
static void e_push_sreg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), s = rnd(g, DT_SREGS);
	struct ins in;
	zero_stack_slot(g, u, size);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, push_sreg_op[s]);
	ins_text(&in, "push %s (o%u)", sreg_name[s], size);
	put_ins(g, u, &in);
	g->sp -= stack_bytes(size);
}

/* push sreg then pop sreg (07 17 1F 0F A1 0F A9): the same selector back. */
static void e_sreg_roundtrip(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	static const unsigned loadable[] = { DT_ES, DT_SS, DT_DS, DT_FS, DT_GS };
	unsigned size = pick_vsize(g), s = loadable[rnd(g, 5)];
	struct ins in;
	zero_stack_slot(g, u, size);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, push_sreg_op[s]);
	ins_text(&in, "push %s (o%u)", sreg_name[s], size);
	put_ins(g, u, &in);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, pop_sreg_op[s]);
	ins_text(&in, "pop %s (o%u)", sreg_name[s], size);
	put_ins(g, u, &in);
}

/* 60 pusha, 61 popa. */
static void e_pusha(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	ins_text(&in, "%s%s", t->mnem, size == 32 ? "d" : "");
	put_ins(g, u, &in);
	if (t->op == 0x60)
		g->sp -= 8 * stack_bytes(size);
	else
		g->sp += 8 * stack_bytes(size);
}

/* 9C pushf. */
static void e_pushf(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	struct ins in;
	need_flags(g, u, F_ARITH);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x9C);
	ins_text(&in, "pushf%s", size == 32 ? "d" : "");
	put_ins(g, u, &in);
	unit_flags(u, F_ARITH, 0, 0);
	g->sp -= stack_bytes(size);
}

/* push imm then 9D popf: any value with TF and IF clear (reserved bits,
 * RF, VM, VIF, VIP, IOPL, AC, ID random; NT too in real mode). */
static void e_popf(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g);
	/* NT would make a later IRET a task return in protected mode */
	uint32_t v = (uint32_t)dt_rand(g->rng) & mask_of(size) &
		     ~(0x300u | (g->env->mode != DT_REAL ? 0x4000u : 0));
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x68);
	put_imm_sized(&in, v, size);
	ins_text(&in, "push %s 0x%x", size_kw(size), v);
	put_ins(g, u, &in);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0x9D);
	ins_text(&in, "popf%s", size == 32 ? "d" : "");
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ARITH, 0);
}

/* ---- Flags ---- */

/* 9E sahf, 9F lahf, F5 cmc, F8 clc, F9 stc, FC cld, FD std. */
static void e_flagop(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	struct ins in;
	need_flags(g, u, t->fr);
	ins_init(&in);
	ins_op(&in, t->op);
	ins_text(&in, "%s", t->mnem);
	put_ins(g, u, &in);
	unit_flags(u, t->fr, t->fw, t->fu);
}

/* ---- Control transfer: forward only, inside the sequence ---- */

/* A relative jump that ends its unit: it skips up to three units (to the
 * HLT at most). */
static void put_jump(struct dt_gen *g, struct dt_unit *u, struct ins *in, unsigned rel_size)
{
	unsigned at;
	ins_imm(in, 0, rel_size);
	at = put_ins(g, u, in);
	u->skip = (int8_t)rnd(g, 4);
	u->fix[0] = (struct dt_fixup){ DT_FIX_SKIP, (uint8_t)at, (uint8_t)rel_size, u->len, 0 };
}

/* 70-7F jcc rel8, 0F 80-8F jcc rel16/32, EB jmp rel8, E9 jmp rel16/32. */
static void e_jump(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned cc = rnd(g, 16), size = pick_vsize(g);
	bool cond = t->op == 0x70 || t->op == 0x0F80, near = t->op == 0x0F80 || t->op == 0xE9;
	struct ins in;
	if (cond)
		need_flags(g, u, cc_flags[cc]);
	ins_init(&in);
	if (near)
		ins_osize(g, &in, size);
	else if (chance(g, 10))
		ins_osize(g, &in, size); /* rel8 with either operand size */
	if (cond && chance(g, 10))
		ins_pfx(&in, chance(g, 50) ? 0x2E : 0x3E); /* branch hints */
	ins_op(&in, (uint16_t)(cond ? t->op + cc : t->op));
	ins_text(&in, "j%s %s", cond ? cc_name[cc] : "mp", near ? (size == 16 ? "rel16" : "rel32")
								: "rel8");
	put_jump(g, u, &in, near ? size / 8 : 1);
	if (cond)
		unit_flags(u, cc_flags[cc], 0, 0);
}

/* E0 loopne, E1 loope, E2 loop, E3 jcxz/jecxz: (E)CX by address size. */
static void e_loop(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	static const char *const names[] = { "loopne", "loope", "loop", "j%scxz" };
	bool addr32 = g->env->code32 != chance(g, 30);
	struct ins in;
	char name[16];

	if (chance(g, 50))
		put_mov_imm(g, u, ECX, addr32 ? 32 : 16, rnd(g, 3));
	need_flags(g, u, t->fr);
	ins_init(&in);
	if (addr32 != g->env->code32)
		ins_pfx(&in, 0x67);
	if (chance(g, 15))
		ins_osize(g, &in, pick_vsize(g));
	ins_op(&in, t->op);
	if (t->op == 0xE3)
		snprintf(name, sizeof(name), "j%scxz", addr32 ? "e" : "");
	else
		snprintf(name, sizeof(name), "%s", names[t->op - 0xE0]);
	ins_text(&in, "%s rel8 (a%u)", name, addr32 ? 32 : 16);
	put_jump(g, u, &in, 1);
	unit_flags(u, t->fr, 0, 0);
}

/* A loop back, run 1-6 times: mov (e)cx, N; L: (a quarter of the time) a
 * Jcc over a NOT, an ALU operation on registers other than (E)CX (ADC and
 * SBB, and the Jcc, read the flags the pass before left), a store to memory
 * before or after it or none, dec (e)cx; jnz L. The
 * IST's translator keeps a branch back to the start of its own block in host
 * code; this is where that is compared. */
static void put_loop_store(struct dt_gen *g, struct dt_unit *u, unsigned size)
{
	struct ins in;
	struct rmop o;
	unsigned r;

	pick_rm(g, u, &o, size, true, R(ECX), 100);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, size == 8 ? 0x88 : 0x89);
	r = pick_reg(g, size, false, 0);
	ins_rm(&in, &o, r);
	ins_text(&in, "mov %s, %s", o.text, reg_name(r, size));
	put_ins(g, u, &in);
}

static void e_back_loop(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned count_size = pick_vsize(g), size = op_size(g, (uint16_t)rnd(g, 2)), start, at;
	unsigned ext = rnd(g, 8), store = rnd(g, 3), cc = rnd(g, 16);
	bool test_first = chance(g, 25);
	struct ins in;
	struct rmop o;
	unsigned r;
	(void)t;

	put_mov_imm(g, u, ECX, count_size, 1 + rnd(g, 6));
	/* ADC and SBB read CF, a Jcc first its condition: from before the loop,
	 * then as the pass before left them. */
	need_flags(g, u, (ext == 2 || ext == 3 ? F_CF : 0) | (test_first ? cc_flags[cc] : 0));
	start = u->len;
	if (test_first) {
		/* j<cc> over a NOT, which leaves the flags alone */
		r = pick_reg(g, 8, true, R(ECX));
		ins_init(&in);
		ins_op(&in, (uint16_t)(0x70 + cc));
		ins_imm(&in, 2, 1);
		ins_text(&in, "j%s over the not", cc_name[cc]);
		put_ins(g, u, &in);
		ins_init(&in);
		ins_op(&in, 0xF6);
		in.modrm = 0xD0 | (int)r;
		ins_text(&in, "not %s", reg_name(r, 8));
		put_ins(g, u, &in);
	}
	/* A store first leaves the flags of the last pass live into the
	 * next; an ALU operation first overwrites them. */
	if (store == 1)
		put_loop_store(g, u, size);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, (uint16_t)(ext * 8 + (size == 8 ? 0 : 1)));
	pick_rm(g, u, &o, size, ext != 7, R(ECX), 0);
	r = pick_reg(g, size, false, 0);
	ins_rm(&in, &o, r);
	ins_text(&in, "%s %s, %s", alu_name[ext], o.text, reg_name(r, size));
	put_ins(g, u, &in);
	if (store == 2)
		put_loop_store(g, u, size);
	ins_init(&in);
	ins_osize(g, &in, count_size);
	ins_op(&in, 0x49);
	ins_text(&in, "dec %s", reg_name(ECX, count_size));
	put_ins(g, u, &in);
	ins_init(&in);
	ins_op(&in, 0x75);
	ins_imm(&in, 0, 1);
	ins_text(&in, "jnz back to the loop's start");
	at = put_ins(g, u, &in);
	u->bytes[at] = (uint8_t)(int8_t)((int)start - (int)u->len);
	/* DEC leaves CF as the ALU operation set it; it defines the rest. */
	unit_flags(u, 0, F_ARITH, 0);
}

/* FF /4: jmp r/m to the end of the unit, the address put there by a MOV. */
static void e_jmp_ind(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), at;
	struct ins in;
	struct rmop o;

	pick_rm(g, u, &o, size, true, 0, 50);
	ins_init(&in);
	ins_osize(g, &in, size);
	if (o.mem) {
		ins_op(&in, 0xC7);
		ins_mem(&in, &o.m, 0);
	} else {
		ins_op(&in, (uint16_t)(0xB8 + o.reg));
	}
	ins_imm(&in, 0, size / 8);
	ins_text(&in, "mov %s, next", o.text);
	at = put_ins(g, u, &in);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0xFF);
	ins_rm(&in, &o, 4);
	ins_text(&in, "jmp %s", o.text);
	put_ins(g, u, &in);
	u->fix[0] = (struct dt_fixup){ DT_FIX_ABS, (uint8_t)at, (uint8_t)(size / 8), 0,
				       (int16_t)u->len };
}

/* A near call to a RET inside the unit, then a short jump past that RET:
 * arg 0 call rel; 1 push imm, call rel, ret imm16 (pops the push);
 * 2 call r (mov r, target); 3 call [mem]. */
static void e_call(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), ret_len, at = 0, bytes = size / 8;
	bool osize = (size == 32) != g->env->code32;
	struct ins in;
	struct rmop o;

	ret_len = (osize ? 1 : 0) + (t->arg == 1 ? 3 : 1);
	if (t->arg == 1) {
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0x6A);
		ins_imm(&in, rnd(g, 256), 1);
		ins_text(&in, "push %s 0x%x", size_kw(size), in.imm[0]);
		put_ins(g, u, &in);
	}
	if (t->arg >= 2) {
		pick_rm(g, u, &o, size, true, 0, t->arg == 3 ? 100 : 0);
		ins_init(&in);
		ins_osize(g, &in, size);
		if (o.mem) {
			ins_op(&in, 0xC7);
			ins_mem(&in, &o.m, 0);
		} else {
			ins_op(&in, (uint16_t)(0xB8 + o.reg));
		}
		ins_imm(&in, 0, bytes);
		ins_text(&in, "mov %s, target", o.text);
		at = put_ins(g, u, &in);
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0xFF);
		ins_rm(&in, &o, 2);
		ins_text(&in, "call %s", o.text);
		put_ins(g, u, &in);
	} else {
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0xE8);
		ins_imm(&in, 2, bytes); /* over the short jump */
		ins_text(&in, "call $+2 (o%u)", size);
		put_ins(g, u, &in);
	}
	ins_init(&in);
	ins_op(&in, 0xEB);
	ins_imm(&in, ret_len, 1);
	ins_text(&in, "jmp short past the ret");
	put_ins(g, u, &in);
	if (t->arg >= 2)
		u->fix[0] = (struct dt_fixup){ DT_FIX_ABS, (uint8_t)at, (uint8_t)bytes, 0,
					       (int16_t)u->len };
	ins_init(&in);
	ins_osize(g, &in, size);
	if (t->arg == 1) {
		ins_op(&in, 0xC2);
		ins_imm(&in, bytes, 2);
		ins_text(&in, "ret %u", bytes);
	} else {
		ins_op(&in, 0xC3);
		ins_text(&in, "ret (o%u)", size);
	}
	put_ins(g, u, &in);
}

/* C8 enter imm16, imm8 then C9 leave; (E)BP set in SS's window first, so
 * a nesting level's frame pointer copies read compared memory. */
static void e_enter(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = g->env->enter_stack_size ? (g->env->stack32 ? 32 : 16) : pick_vsize(g);
	unsigned level = t->arg ? 1 + rnd(g, 3) : 0;
	uint32_t frame = (rnd(g, 32) * 2);
	struct memspec ms = { .size = 4, .below = 64 };
	struct ins in;

	put_mov_imm(g, u, EBP, g->env->stack32 ? 32 : 16, pick_target(g, DT_SS, &ms, 0));
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0xC8);
	ins_imm(&in, frame, 2);
	ins_imm(&in, level, 1);
	ins_text(&in, "enter %u, %u (o%u)", frame, level, size);
	put_ins(g, u, &in);
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, 0xC9);
	ins_text(&in, "leave (o%u)", size);
	put_ins(g, u, &in);
}

/* ---- 486 additions ---- */

/* 0F C8+r: bswap r32 (with a 16-bit operand the result is undefined). */
static void e_bswap(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned r = pick_reg(g, 32, true, 0);
	struct ins in;
	ins_init(&in);
	ins_osize(g, &in, 32);
	ins_op(&in, (uint16_t)(0x0FC8 + r));
	ins_text(&in, "bswap %s", reg32[r]);
	put_ins(g, u, &in);
}

/* 0F C0/C1: xadd r/m, r. */
static void e_xadd(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op), r = pick_reg(g, size, true, 0);
	struct ins in;
	struct rmop o;
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	pick_rm(g, u, &o, size, true, 0, 50);
	ins_rm(&in, &o, r);
	maybe_lock(g, &in, &o, true);
	ins_text(&in, "%sxadd %s, %s", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", o.text,
		 reg_name(r, size));
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ARITH, 0);
}

/* 0F B0/B1: cmpxchg r/m, r; sometimes the accumulator is made equal to the
 * destination so the exchange happens. */
static void e_cmpxchg(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = op_size(g, t->op), r = pick_reg(g, size, false, 0);
	bool equal = chance(g, 40);
	struct ins in;
	struct rmop o;

	pick_rm(g, u, &o, size, true, equal ? R(EAX) : 0, 50);
	if (equal) {
		uint32_t v = rand_val(g, size);
		put_rm_value(g, u, &o, size, v);
		put_mov_imm(g, u, EAX, size, v);
	}
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->op);
	ins_rm(&in, &o, r);
	maybe_lock(g, &in, &o, true);
	ins_text(&in, "%scmpxchg %s, %s", memchr(in.pfx, 0xF0, in.npfx) ? "lock " : "", o.text,
		 reg_name(r, size));
	put_ins(g, u, &in);
	unit_flags(u, 0, F_ARITH, 0);
}

/* ---- Miscellaneous ---- */

/* D7: xlat, (E)BX set so [BX + AL] stays inside the window. */
static void e_xlat(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	bool addr32 = g->env->code32 != chance(g, 30);
	struct memspec ms = { .size = 1, .above = 256 };
	struct memop m;
	struct ins in;
	unsigned s;

	memset(&m, 0, sizeof(m));
	s = pick_seg(g, &m, DT_DS, addr32, false);
	put_mov_imm(g, u, EBX, addr32 ? 32 : 16, pick_target(g, s, &ms, 0));
	ins_init(&in);
	for (unsigned k = 0; k < m.npfx; k++)
		ins_pfx(&in, m.pfx[k]);
	if (addr32 != g->env->code32)
		ins_pfx(&in, 0x67);
	ins_op(&in, 0xD7);
	ins_text(&in, "xlat [%s:%s+al]", sreg_name[s], addr32 ? "ebx" : "bx");
	put_ins(g, u, &in);
}

/* 90: nop. */
static void e_nop(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	struct ins in;
	ins_init(&in);
	ins_op(&in, 0x90);
	ins_text(&in, "nop");
	put_ins(g, u, &in);
}

/* 0F 0B: ud2, #UD on purpose (the run ends in the handler). */
static void e_ud(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	struct ins in;
	need_flags(g, u, F_ARITH);
	ins_init(&in);
	ins_op(&in, 0x0F0B);
	ins_text(&in, "ud2  ; #UD");
	put_ins(g, u, &in);
	fault_flags(g, u);
}

/* Encodings the CPU refuses with #UD (the run ends in the handler):
 * LOCK on a register destination, LOCK on an instruction that takes none,
 * MOV CS,r16, LEA with a register operand. */
static void e_bad(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned r = rnd(g, 8), r2 = rnd(g, 8), kind = t->arg;
	struct ins in;
	need_flags(g, u, F_ARITH);
	ins_init(&in);
	switch (kind) {
	case 0:
		ins_pfx(&in, 0xF0);
		ins_op(&in, 0x01);
		in.modrm = (int)(0xC0 | r2 << 3 | r);
		ins_text(&in, "lock add %s, %s  ; #UD", reg32[r], reg32[r2]);
		break;
	case 1:
		ins_pfx(&in, 0xF0);
		ins_op(&in, 0x90);
		ins_text(&in, "lock nop  ; #UD");
		break;
	case 2:
		ins_op(&in, 0x8E);
		in.modrm = (int)(0xC0 | 1 << 3 | r);
		ins_text(&in, "mov cs, %s  ; #UD", reg16[r]);
		break;
	default:
		ins_op(&in, 0x8D);
		in.modrm = (int)(0xC0 | r2 << 3 | r);
		ins_text(&in, "lea %s, %s  ; #UD", reg16[r2], reg16[r]);
		break;
	}
	put_ins(g, u, &in);
	fault_flags(g, u);
}

/* ---- Self-modifying code, segment limits, far transfers, interrupts ---- */

/* A store into an instruction the unit runs next, then the JMP the SDM
 * asks for before modified code runs (a 486 may run what it prefetched
 * otherwise). Real mode stores through CS, pm32 through the flat DS.
 * The instruction changed: 0 the imm8 of MOV AL; 1 the opcode of INC r
 * (to DEC r); 2 the imm32 of MOV EAX (a dword store). */
static void e_smc(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	bool pm32 = g->env->mode == DT_PM32;
	unsigned kind = rnd(g, 3), store = kind == 2 ? 32 : 8, at, target, r = EAX;
	uint32_t old_v = rand_val(g, store), new_v = rand_val(g, store);
	struct ins in;

	if (kind == 1) {
		r = pick_reg(g, 32, true, 0);
		old_v = 0x40 + r;
		new_v = 0x48 + r;
	}
	ins_init(&in);
	if (!pm32)
		ins_pfx(&in, 0x2E);
	ins_osize(g, &in, store);
	ins_op(&in, store == 8 ? 0xC6 : 0xC7);
	in.modrm = pm32 ? 0x05 : 0x06; /* [disp32] / [disp16] */
	in.ndisp = pm32 ? 4 : 2;
	put_imm_sized(&in, new_v, store);
	ins_text(&in, "mov %s [%s:the %s below], 0x%x", size_kw(store), pm32 ? "ds" : "cs",
		 kind == 1 ? "opcode" : "immediate", new_v);
	at = put_ins(g, u, &in) - in.ndisp;
	ins_init(&in);
	ins_op(&in, 0xEB);
	ins_imm(&in, 0, 1);
	ins_text(&in, "jmp $+2");
	put_ins(g, u, &in);
	ins_init(&in);
	if (kind == 1) {
		target = u->len;
		ins_op(&in, (uint16_t)old_v);
		ins_text(&in, "inc %s (becomes dec %s)", reg_name(r, g->env->code32 ? 32 : 16),
			 reg_name(r, g->env->code32 ? 32 : 16));
	} else {
		ins_osize(g, &in, store == 8 ? 8 : 32);
		target = u->len + in.npfx + 1;
		ins_op(&in, store == 8 ? 0xB0 : 0xB8);
		put_imm_sized(&in, old_v, store);
		ins_text(&in, "mov %s, 0x%x (becomes 0x%x)", reg_name(EAX, store), old_v, new_v);
	}
	put_ins(g, u, &in);
	u->fix[0] = (struct dt_fixup){ DT_FIX_ABS, (uint8_t)at, (uint8_t)(pm32 ? 4 : 2), 0,
				       (int16_t)target };
	if (kind == 1)
		unit_flags(u, 0, F_ARITH & ~F_CF, 0);
}

/* A word or dword that crosses the 64 KiB limit of a segment: #GP(0),
 * or #SS(0) through SS (real mode and pm16). */
static void e_limit(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), s = rnd(g, DT_SREGS), r = pick_reg(g, size, true, 0);
	bool write = s != DT_CS && chance(g, 50), addr32 = g->env->code32 != chance(g, 30);
	uint32_t ea = 0x10000u - 1 - rnd(g, size / 8 - 1);
	struct ins in;

	need_flags(g, u, F_ARITH); /* the exception pushes FLAGS */
	ins_init(&in);
	ins_osize(g, &in, size);
	if (addr32 != g->env->code32)
		ins_pfx(&in, 0x67);
	ins_pfx(&in, sreg_prefix[s]);
	ins_op(&in, write ? 0x89 : 0x8B);
	in.modrm = (int)(r << 3 | (addr32 ? 5u : 6u));
	for (unsigned k = 0; k < (addr32 ? 4u : 2u); k++)
		in.disp[in.ndisp++] = (uint8_t)(ea >> (8 * k));
	if (write)
		ins_text(&in, "mov %s [%s:0x%x], %s  ; #%s", size_kw(size), sreg_name[s], ea,
			 reg_name(r, size), s == DT_SS ? "SS" : "GP");
	else
		ins_text(&in, "mov %s, %s [%s:0x%x]  ; #%s", reg_name(r, size), size_kw(size),
			 sreg_name[s], ea, s == DT_SS ? "SS" : "GP");
	put_ins(g, u, &in);
	fault_flags(g, u);
}

/* CD ib: INT n to a handler that IRETs (vectors 80h-FFh); arg 1: INT3 or
 * INT n to a handler that stops (the run ends there). */
static void e_int(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	struct ins in;
	unsigned v;
	need_flags(g, u, F_ARITH); /* FLAGS are pushed */
	ins_init(&in);
	if (t->arg == 1 && chance(g, 50)) {
		ins_op(&in, 0xCC);
		ins_text(&in, "int3");
	} else {
		v = t->arg == 1 ? rnd(g, DT_RETURNING_VECTOR)
				: DT_RETURNING_VECTOR + rnd(g, 256 - DT_RETURNING_VECTOR);
		ins_op(&in, 0xCD);
		ins_imm(&in, v, 1);
		ins_text(&in, "int 0x%x%s", v, t->arg == 1 ? "  ; stops in the handler" : "");
	}
	put_ins(g, u, &in);
	if (t->arg == 1)
		fault_flags(g, u);
	else
		unit_flags(u, F_ARITH, 0, 0);
}

/* The selector of the code segment the sequence runs in. */
static uint16_t code_selector(const struct dt_gen *g)
{
	return g->env->mode == DT_REAL ? 0 : 8;
}

/* Far transfers to the same code segment (in protected mode a descriptor
 * load): arg 0 call far ptr to a RETF in the unit; 1 the same with a push
 * and RETF imm16; 2 jmp far ptr to the next unit; 3 IRET to the next unit
 * (pushf, push cs, push offset). */
static void e_far(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t)
{
	unsigned size = pick_vsize(g), bytes = size / 8, at, ret_len;
	uint16_t sel = code_selector(g);
	bool osize = (size == 32) != g->env->code32;
	struct ins in;

	if (t->arg == 3) {
		need_flags(g, u, F_ARITH);
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0x9C);
		ins_text(&in, "pushf (o%u)", size);
		put_ins(g, u, &in);
		zero_stack_slot(g, u, size); /* for the 32-bit push cs */
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0x0E);
		ins_text(&in, "push cs (o%u)", size);
		put_ins(g, u, &in);
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0x68);
		ins_imm(&in, 0, bytes);
		ins_text(&in, "push next (o%u)", size);
		at = put_ins(g, u, &in);
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0xCF);
		ins_text(&in, "iret%s", size == 32 ? "d" : "");
		put_ins(g, u, &in);
		u->fix[0] = (struct dt_fixup){ DT_FIX_ABS, (uint8_t)at, (uint8_t)bytes, 0,
					       (int16_t)u->len };
		unit_flags(u, F_ARITH, 0, 0);
		return;
	}
	if (t->arg == 1) {
		ins_init(&in);
		ins_osize(g, &in, size);
		ins_op(&in, 0x6A);
		ins_imm(&in, rnd(g, 256), 1);
		ins_text(&in, "push %s 0x%x", size_kw(size), in.imm[0]);
		put_ins(g, u, &in);
	}
	ins_init(&in);
	ins_osize(g, &in, size);
	ins_op(&in, t->arg == 2 ? 0xEA : 0x9A);
	ins_imm(&in, 0, bytes);
	ins_imm(&in, sel, 2);
	ins_text(&in, "%s far 0x%x:%s (o%u)", t->arg == 2 ? "jmp" : "call", sel,
		 t->arg == 2 ? "next" : "the retf", size);
	at = put_ins(g, u, &in);
	if (t->arg == 2) {
		u->fix[0] = (struct dt_fixup){ DT_FIX_ABS, (uint8_t)at, (uint8_t)bytes, 0,
					       (int16_t)u->len };
		return;
	}
	ret_len = (osize ? 1 : 0) + (t->arg == 1 ? 3 : 1);
	ins_init(&in);
	ins_op(&in, 0xEB);
	ins_imm(&in, ret_len, 1);
	ins_text(&in, "jmp short past the retf");
	put_ins(g, u, &in);
	u->fix[0] = (struct dt_fixup){ DT_FIX_ABS, (uint8_t)at, (uint8_t)bytes, 0,
				       (int16_t)u->len };
	ins_init(&in);
	ins_osize(g, &in, size);
	if (t->arg == 1) {
		ins_op(&in, 0xCA);
		ins_imm(&in, bytes, 2);
		ins_text(&in, "retf %u", bytes);
	} else {
		ins_op(&in, 0xCB);
		ins_text(&in, "retf (o%u)", size);
	}
	put_ins(g, u, &in);
}

/* ---- The template table ---- */

#define TM(name, group, weight, emit, op, ext, arg, fr, fw, fu, mnem, modes)                    \
	{ name, group, weight, emit, op, ext, arg, fr, fw, fu, mnem,                          \
	  (((emit) == e_div || (emit) == e_ud || (emit) == e_int) && (arg) == 1) ||           \
		  (emit) == e_limit || (emit) == e_bad,                                       \
	  modes, (emit) == e_int }
#define T(name, group, weight, emit, op, ext, arg, fr, fw, fu, mnem) \
	TM(name, group, weight, emit, op, ext, arg, fr, fw, fu, mnem, 0)
#define M_REAL (1u << DT_REAL)
#define M_PM16 (1u << DT_PM16)
#define M_PM32 (1u << DT_PM32)

#define ALU6(n, b, fr)                                                                    \
	T(n " r/m8, r8", "alu", 2, e_alu, (b) + 0, (b) >> 3, 0, fr, 0, 0, n),            \
	T(n " r/m, r", "alu", 2, e_alu, (b) + 1, (b) >> 3, 0, fr, 0, 0, n),              \
	T(n " r8, r/m8", "alu", 2, e_alu, (b) + 2, (b) >> 3, 0, fr, 0, 0, n),            \
	T(n " r, r/m", "alu", 2, e_alu, (b) + 3, (b) >> 3, 0, fr, 0, 0, n),              \
	T(n " al, imm8", "alu", 1, e_alu, (b) + 4, (b) >> 3, 0, fr, 0, 0, n),            \
	T(n " eax, imm", "alu", 1, e_alu, (b) + 5, (b) >> 3, 0, fr, 0, 0, n),            \
	T(n " r/m8, imm8 (80)", "alu", 2, e_grp1, 0x80, (b) >> 3, 0, fr, 0, 0, n),       \
	T(n " r/m, imm (81)", "alu", 2, e_grp1, 0x81, (b) >> 3, 0, fr, 0, 0, n),         \
	T(n " r/m8, imm8 (82)", "alu", 1, e_grp1, 0x82, (b) >> 3, 0, fr, 0, 0, n),       \
	T(n " r/m, imm8 (83)", "alu", 2, e_grp1, 0x83, (b) >> 3, 0, fr, 0, 0, n)

#define SHIFT6(n, ext, group)                                                         \
	T(n " r/m8, imm8", group, 2, e_shift, 0xC0, ext, 0, 0, 0, 0, n),                 \
	T(n " r/m, imm8", group, 2, e_shift, 0xC1, ext, 0, 0, 0, 0, n),                  \
	T(n " r/m8, 1", group, 1, e_shift, 0xD0, ext, 0, 0, 0, 0, n),                    \
	T(n " r/m, 1", group, 1, e_shift, 0xD1, ext, 0, 0, 0, 0, n),                     \
	T(n " r/m8, cl", group, 2, e_shift, 0xD2, ext, 0, 0, 0, 0, n),                   \
	T(n " r/m, cl", group, 2, e_shift, 0xD3, ext, 0, 0, 0, 0, n)

#define STR3(n, op, repname, reparg)                                                   \
	T(n "b", "string", 2, e_string, op, -1, 0, 0, 0, 0, n),                          \
	T(n " (w/d)", "string", 2, e_string, (op) + 1, -1, 0, 0, 0, 0, n),               \
	T(repname " " n, "string", 3, e_string, (op) + 1, -1, reparg, 0, 0, 0, n),       \
	T(repname " " n "b", "string", 2, e_string, op, -1, reparg, 0, 0, 0, n)

#define SZAPC (F_SF | F_ZF | F_AF | F_PF | F_CF)

const struct dt_template dt_templates[] = {
	ALU6("add", 0x00, 0),
	ALU6("or", 0x08, 0),
	ALU6("adc", 0x10, F_CF),
	ALU6("sbb", 0x18, F_CF),
	ALU6("and", 0x20, 0),
	ALU6("sub", 0x28, 0),
	ALU6("xor", 0x30, 0),
	ALU6("cmp", 0x38, 0),
	T("test r/m8, r8", "alu", 2, e_test, 0x84, -1, 0, 0, 0, 0, "test"),
	T("test r/m, r", "alu", 2, e_test, 0x85, -1, 0, 0, 0, 0, "test"),
	T("test al, imm8", "alu", 1, e_test, 0xA8, -1, 0, 0, 0, 0, "test"),
	T("test eax, imm", "alu", 1, e_test, 0xA9, -1, 0, 0, 0, 0, "test"),
	T("test r/m8, imm8", "alu", 2, e_test, 0xF6, 0, 0, 0, 0, 0, "test"),
	T("test r/m, imm", "alu", 2, e_test, 0xF7, 0, 0, 0, 0, 0, "test"),
	T("inc r", "alu", 3, e_incdec, 0x40, -1, 0, 0, 0, 0, "inc"),
	T("dec r", "alu", 3, e_incdec, 0x48, -1, 0, 0, 0, 0, "dec"),
	T("inc r/m8", "alu", 2, e_incdec, 0xFE, 0, 0, 0, 0, 0, "inc"),
	T("dec r/m8", "alu", 2, e_incdec, 0xFE, 1, 0, 0, 0, 0, "dec"),
	T("inc r/m", "alu", 2, e_incdec, 0xFF, 0, 0, 0, 0, 0, "inc"),
	T("dec r/m", "alu", 2, e_incdec, 0xFF, 1, 0, 0, 0, 0, "dec"),
	T("not r/m8", "alu", 1, e_notneg, 0xF6, 2, 0, 0, 0, 0, "not"),
	T("not r/m", "alu", 1, e_notneg, 0xF7, 2, 0, 0, 0, 0, "not"),
	T("neg r/m8", "alu", 2, e_notneg, 0xF6, 3, 0, 0, 0, 0, "neg"),
	T("neg r/m", "alu", 2, e_notneg, 0xF7, 3, 0, 0, 0, 0, "neg"),

	T("mov r/m8, r8", "mov", 3, e_mov, 0x88, -1, 0, 0, 0, 0, "mov"),
	T("mov r/m, r", "mov", 3, e_mov, 0x89, -1, 0, 0, 0, 0, "mov"),
	T("mov r8, r/m8", "mov", 3, e_mov, 0x8A, -1, 0, 0, 0, 0, "mov"),
	T("mov r, r/m", "mov", 3, e_mov, 0x8B, -1, 0, 0, 0, 0, "mov"),
	T("mov r8, imm8", "mov", 2, e_mov_imm, 0xB0, -1, 0, 0, 0, 0, "mov"),
	T("mov r, imm", "mov", 2, e_mov_imm, 0xB8, -1, 0, 0, 0, 0, "mov"),
	T("mov r/m8, imm8", "mov", 2, e_mov_rm_imm, 0xC6, 0, 0, 0, 0, 0, "mov"),
	T("mov r/m, imm", "mov", 2, e_mov_rm_imm, 0xC7, 0, 0, 0, 0, 0, "mov"),
	T("mov al, moffs", "mov", 1, e_moffs, 0xA0, -1, 0, 0, 0, 0, "mov"),
	T("mov eax, moffs", "mov", 1, e_moffs, 0xA1, -1, 0, 0, 0, 0, "mov"),
	T("mov moffs, al", "mov", 1, e_moffs, 0xA2, -1, 0, 0, 0, 0, "mov"),
	T("mov moffs, eax", "mov", 1, e_moffs, 0xA3, -1, 0, 0, 0, 0, "mov"),
	T("mov r/m16, sreg", "mov", 1, e_mov_from_sreg, 0x8C, -1, 0, 0, 0, 0, "mov"),
	T("mov sreg, r16 (same selector)", "mov", 1, e_mov_sreg_roundtrip, 0x8E, -1, 0, 0, 0, 0,
	  "mov"),
	T("movzx r, r/m8", "mov", 2, e_movx, 0x0FB6, -1, 0, 0, 0, 0, "movzx"),
	T("movzx r, r/m16", "mov", 2, e_movx, 0x0FB7, -1, 0, 0, 0, 0, "movzx"),
	T("movsx r, r/m8", "mov", 2, e_movx, 0x0FBE, -1, 0, 0, 0, 0, "movsx"),
	T("movsx r, r/m16", "mov", 2, e_movx, 0x0FBF, -1, 0, 0, 0, 0, "movsx"),
	T("lea", "lea", 6, e_lea, 0x8D, -1, 0, 0, 0, 0, "lea"),
	T("xchg r/m8, r8", "xchg", 2, e_xchg, 0x86, -1, 0, 0, 0, 0, "xchg"),
	T("xchg r/m, r", "xchg", 2, e_xchg, 0x87, -1, 0, 0, 0, 0, "xchg"),
	T("xchg eax, r", "xchg", 1, e_xchg, 0x90, -1, 0, 0, 0, 0, "xchg"),
	T("cbw/cwde", "conv", 1, e_conv, 0x98, -1, 0, 0, 0, 0, "cbw"),
	T("cwd/cdq", "conv", 1, e_conv, 0x99, -1, 0, 0, 0, 0, "cwd"),

	SHIFT6("rol", 0, "shift"),
	SHIFT6("ror", 1, "shift"),
	SHIFT6("rcl", 2, "shift"),
	SHIFT6("rcr", 3, "shift"),
	SHIFT6("shl", 4, "shift"),
	SHIFT6("shr", 5, "shift"),
	SHIFT6("sar", 7, "shift"),
	T("shld r/m, r, imm8", "shift", 2, e_shld, 0x0FA4, -1, 0, 0, 0, 0, "shld"),
	T("shld r/m, r, cl", "shift", 2, e_shld, 0x0FA5, -1, 0, 0, 0, 0, "shld"),
	T("shrd r/m, r, imm8", "shift", 2, e_shld, 0x0FAC, -1, 0, 0, 0, 0, "shrd"),
	T("shrd r/m, r, cl", "shift", 2, e_shld, 0x0FAD, -1, 0, 0, 0, 0, "shrd"),

	T("mul r/m8", "muldiv", 2, e_mul1, 0xF6, 4, 0, 0, 0, 0, "mul"),
	T("mul r/m", "muldiv", 2, e_mul1, 0xF7, 4, 0, 0, 0, 0, "mul"),
	T("imul r/m8", "muldiv", 2, e_mul1, 0xF6, 5, 0, 0, 0, 0, "imul"),
	T("imul r/m", "muldiv", 2, e_mul1, 0xF7, 5, 0, 0, 0, 0, "imul"),
	T("imul r, r/m", "muldiv", 2, e_imul, 0x0FAF, -1, 0, 0, 0, 0, "imul"),
	T("imul r, r/m, imm", "muldiv", 2, e_imul, 0x69, -1, 0, 0, 0, 0, "imul"),
	T("imul r, r/m, imm8", "muldiv", 2, e_imul, 0x6B, -1, 0, 0, 0, 0, "imul"),
	T("div r/m8", "muldiv", 2, e_div, 0xF6, 6, 0, 0, 0, 0, "div"),
	T("div r/m", "muldiv", 2, e_div, 0xF7, 6, 0, 0, 0, 0, "div"),
	T("idiv r/m8", "muldiv", 2, e_div, 0xF6, 7, 0, 0, 0, 0, "idiv"),
	T("idiv r/m", "muldiv", 2, e_div, 0xF7, 7, 0, 0, 0, 0, "idiv"),
	T("div r/m8 #DE", "muldiv", 3, e_div, 0xF6, 6, 1, 0, 0, 0, "div"),
	T("div r/m #DE", "muldiv", 3, e_div, 0xF7, 6, 1, 0, 0, 0, "div"),
	T("idiv r/m8 #DE", "muldiv", 3, e_div, 0xF6, 7, 1, 0, 0, 0, "idiv"),
	T("idiv r/m #DE", "muldiv", 3, e_div, 0xF7, 7, 1, 0, 0, 0, "idiv"),

	T("daa", "bcd", 2, e_bcd, 0x27, -1, 0, F_AF | F_CF, SZAPC, F_OF, "daa"),
	T("das", "bcd", 2, e_bcd, 0x2F, -1, 0, F_AF | F_CF, SZAPC, F_OF, "das"),
	T("aaa", "bcd", 2, e_bcd, 0x37, -1, 0, F_AF, F_AF | F_CF, F_OF | F_SF | F_ZF | F_PF, "aaa"),
	T("aas", "bcd", 2, e_bcd, 0x3F, -1, 0, F_AF, F_AF | F_CF, F_OF | F_SF | F_ZF | F_PF, "aas"),
	T("aam imm8", "bcd", 2, e_bcd, 0xD4, -1, 0, 0, F_SF | F_ZF | F_PF, F_OF | F_AF | F_CF,
	  "aam"),
	T("aad imm8", "bcd", 2, e_bcd, 0xD5, -1, 0, 0, F_SF | F_ZF | F_PF, F_OF | F_AF | F_CF,
	  "aad"),

	T("bt r/m, r", "bit", 2, e_bt, 0x0FA3, -1, 0, 0, 0, 0, "bt"),
	T("bts r/m, r", "bit", 2, e_bt, 0x0FAB, -1, 0, 0, 0, 0, "bts"),
	T("btr r/m, r", "bit", 2, e_bt, 0x0FB3, -1, 0, 0, 0, 0, "btr"),
	T("btc r/m, r", "bit", 2, e_bt, 0x0FBB, -1, 0, 0, 0, 0, "btc"),
	T("bt r/m, imm8", "bit", 2, e_bt_imm, 0x0FBA, 4, 0, 0, 0, 0, "bt"),
	T("bts r/m, imm8", "bit", 2, e_bt_imm, 0x0FBA, 5, 0, 0, 0, 0, "bts"),
	T("btr r/m, imm8", "bit", 2, e_bt_imm, 0x0FBA, 6, 0, 0, 0, 0, "btr"),
	T("btc r/m, imm8", "bit", 2, e_bt_imm, 0x0FBA, 7, 0, 0, 0, 0, "btc"),
	T("bsf r, r/m", "bit", 2, e_bsf, 0x0FBC, -1, 0, 0, 0, 0, "bsf"),
	T("bsr r, r/m", "bit", 2, e_bsf, 0x0FBD, -1, 0, 0, 0, 0, "bsr"),
	T("setcc r/m8", "setcc", 4, e_setcc, 0x0F90, -1, 0, 0, 0, 0, "setcc"),

	STR3("movs", 0xA4, "rep", 1),
	STR3("cmps", 0xA6, "repe", 1),
	T("repne cmps", "string", 2, e_string, 0xA7, -1, 2, 0, 0, 0, "cmps"),
	T("repne cmpsb", "string", 1, e_string, 0xA6, -1, 2, 0, 0, 0, "cmps"),
	STR3("stos", 0xAA, "rep", 1),
	STR3("lods", 0xAC, "rep", 1),
	STR3("scas", 0xAE, "repe", 1),
	T("repne scas", "string", 2, e_string, 0xAF, -1, 2, 0, 0, 0, "scas"),
	T("repne scasb", "string", 1, e_string, 0xAE, -1, 2, 0, 0, 0, "scas"),

	T("push r", "stack", 3, e_push_reg, 0x50, -1, 0, 0, 0, 0, "push"),
	T("pop r", "stack", 3, e_pop_reg, 0x58, -1, 0, 0, 0, 0, "pop"),
	T("push imm", "stack", 1, e_push_imm, 0x68, -1, 0, 0, 0, 0, "push"),
	T("push imm8", "stack", 1, e_push_imm, 0x6A, -1, 0, 0, 0, 0, "push"),
	T("push r/m", "stack", 2, e_push_rm, 0xFF, 6, 0, 0, 0, 0, "push"),
	T("pop r/m", "stack", 2, e_pop_rm, 0x8F, 0, 0, 0, 0, 0, "pop"),
	T("push sreg", "stack", 1, e_push_sreg, 0x06, -1, 0, 0, 0, 0, "push"),
	T("push sreg; pop sreg", "stack", 1, e_sreg_roundtrip, 0x07, -1, 0, 0, 0, 0, "pop"),
	T("pusha", "stack", 1, e_pusha, 0x60, -1, 0, 0, 0, 0, "pusha"),
	T("popa", "stack", 1, e_pusha, 0x61, -1, 0, 0, 0, 0, "popa"),
	T("pushf", "stack", 1, e_pushf, 0x9C, -1, 0, 0, 0, 0, "pushf"),
	T("popf", "stack", 1, e_popf, 0x9D, -1, 0, 0, 0, 0, "popf"),
	T("enter n, 0; leave", "stack", 1, e_enter, 0xC8, -1, 0, 0, 0, 0, "enter"),
	T("enter n, level; leave", "stack", 1, e_enter, 0xC8, -1, 1, 0, 0, 0, "enter"),

	T("lahf", "flags", 1, e_flagop, 0x9F, -1, 0, SZAPC, 0, 0, "lahf"),
	T("sahf", "flags", 1, e_flagop, 0x9E, -1, 0, 0, SZAPC, 0, "sahf"),
	T("clc", "flags", 1, e_flagop, 0xF8, -1, 0, 0, F_CF, 0, "clc"),
	T("stc", "flags", 1, e_flagop, 0xF9, -1, 0, 0, F_CF, 0, "stc"),
	T("cmc", "flags", 1, e_flagop, 0xF5, -1, 0, F_CF, F_CF, 0, "cmc"),
	T("cld", "flags", 1, e_flagop, 0xFC, -1, 0, 0, 0, 0, "cld"),
	T("std", "flags", 1, e_flagop, 0xFD, -1, 0, 0, 0, 0, "std"),

	T("jcc rel8", "jump", 4, e_jump, 0x70, -1, 0, 0, 0, 0, "jcc"),
	T("jcc rel16/32", "jump", 2, e_jump, 0x0F80, -1, 0, 0, 0, 0, "jcc"),
	T("jmp rel8", "jump", 1, e_jump, 0xEB, -1, 0, 0, 0, 0, "jmp"),
	T("jmp rel16/32", "jump", 1, e_jump, 0xE9, -1, 0, 0, 0, 0, "jmp"),
	T("loopne", "jump", 1, e_loop, 0xE0, -1, 0, F_ZF, 0, 0, "loopne"),
	T("loope", "jump", 1, e_loop, 0xE1, -1, 0, F_ZF, 0, 0, "loope"),
	T("loop", "jump", 1, e_loop, 0xE2, -1, 0, 0, 0, 0, "loop"),
	T("jcxz", "jump", 1, e_loop, 0xE3, -1, 0, 0, 0, 0, "jcxz"),
	T("loop back (dec; jnz)", "jump", 2, e_back_loop, 0x75, -1, 0, 0, 0, 0, "jnz"),
	T("jmp r/m", "jump", 1, e_jmp_ind, 0xFF, 4, 0, 0, 0, 0, "jmp"),
	T("call rel; ret", "call", 2, e_call, 0xE8, -1, 0, 0, 0, 0, "call"),
	T("call rel; ret imm16", "call", 1, e_call, 0xE8, -1, 1, 0, 0, 0, "call"),
	T("call r; ret", "call", 1, e_call, 0xFF, 2, 2, 0, 0, 0, "call"),
	T("call m; ret", "call", 1, e_call, 0xFF, 2, 3, 0, 0, 0, "call"),

	T("bswap r32", "misc486", 1, e_bswap, 0x0FC8, -1, 0, 0, 0, 0, "bswap"),
	T("xadd r/m8, r8", "misc486", 1, e_xadd, 0x0FC0, -1, 0, 0, 0, 0, "xadd"),
	T("xadd r/m, r", "misc486", 1, e_xadd, 0x0FC1, -1, 0, 0, 0, 0, "xadd"),
	T("cmpxchg r/m8, r8", "misc486", 1, e_cmpxchg, 0x0FB0, -1, 0, 0, 0, 0, "cmpxchg"),
	T("cmpxchg r/m, r", "misc486", 1, e_cmpxchg, 0x0FB1, -1, 0, 0, 0, 0, "cmpxchg"),
	T("int n; iret", "int", 2, e_int, 0xCD, -1, 0, 0, 0, 0, "int"),
	T("int3 / int n #stop", "int", 2, e_int, 0xCD, -1, 1, 0, 0, 0, "int"),
	T("call far; retf", "far", 2, e_far, 0x9A, -1, 0, 0, 0, 0, "call"),
	T("call far; retf imm16", "far", 1, e_far, 0x9A, -1, 1, 0, 0, 0, "call"),
	T("jmp far", "far", 1, e_far, 0xEA, -1, 2, 0, 0, 0, "jmp"),
	T("iret (same privilege)", "far", 1, e_far, 0xCF, -1, 3, 0, 0, 0, "iret"),
	TM("self-modifying code, then jmp", "smc", 2, e_smc, 0xC6, -1, 0, 0, 0, 0, "mov",
	   M_REAL | M_PM32),
	TM("access across the 64 KiB limit #GP/#SS", "limit", 3, e_limit, 0x8B, -1, 0, 0, 0, 0,
	   "mov", M_REAL | M_PM16),
	T("xlat", "misc", 1, e_xlat, 0xD7, -1, 0, 0, 0, 0, "xlat"),
	T("nop", "misc", 1, e_nop, 0x90, -1, 0, 0, 0, 0, "nop"),
	T("ud2 #UD", "misc", 3, e_ud, 0x0F0B, -1, 1, 0, 0, 0, "ud2"),
	T("lock add r, r #UD", "misc", 1, e_bad, 0xF0, -1, 0, 0, 0, 0, "lock"),
	T("lock nop #UD", "misc", 1, e_bad, 0xF0, -1, 1, 0, 0, 0, "lock"),
	T("mov cs, r #UD", "misc", 1, e_bad, 0x8E, -1, 2, 0, 0, 0, "mov"),
	T("lea r, r #UD", "misc", 1, e_bad, 0x8D, -1, 3, 0, 0, 0, "lea"),
};

const size_t dt_template_count = sizeof(dt_templates) / sizeof(dt_templates[0]);

static bool is_terminal(const struct dt_template *t)
{
	return t->faults;
}

/* May t be generated in a case with this environment? */
static bool usable(const struct dt_template *t, bool enabled, const struct dt_env *env)
{
	if (!enabled || (t->modes && !(t->modes & (1u << env->mode))))
		return false;
	if (is_terminal(t) && !env->faults_ok)
		return false;
	return !t->soft_int || env->soft_int_ok;
}

/* ---- Sequences ---- */

/* The unit a jump in unit i lands on (n: the HLT), the distance kept
 * within a rel8's reach. */
static unsigned jump_target(const struct dt_seq *seq, unsigned i, unsigned n)
{
	const struct dt_unit *u = &seq->u[i];
	unsigned target = i + 1 + (unsigned)u->skip;
	if (target > n)
		target = n;
	if (u->fix[0].size == 1) {
		for (;;) {
			unsigned dist = u->len - u->fix[0].end;
			for (unsigned k = i + 1; k < target; k++)
				dist += seq->u[k].len;
			if (dist <= 127)
				break;
			target--;
		}
	}
	return target;
}

/* Undefined flags before unit upto (units past it ignored), or -1. */
static int flags_before(const struct dt_seq *seq, unsigned upto)
{
	unsigned merge[DT_MAX_UNITS + 1], undef = 0;
	memset(merge, 0, sizeof(merge));
	for (unsigned i = 0; i < upto; i++) {
		const struct dt_unit *u = &seq->u[i];
		undef |= merge[i];
		if (u->fr & undef)
			return -1;
		undef = (undef & ~u->fw) | u->fu;
		if (u->skip >= 0)
			merge[jump_target(seq, i, upto)] |= undef;
	}
	return (int)(undef | merge[upto]);
}

unsigned dt_jump_target(const struct dt_seq *seq, unsigned i)
{
	return jump_target(seq, i, seq->n);
}

int dt_undefined_flags(const struct dt_seq *seq)
{
	return flags_before(seq, seq->n);
}

size_t dt_layout(const struct dt_seq *seq, uint32_t org, uint8_t *out, size_t size,
		 uint32_t *starts)
{
	uint32_t off = 0;
	for (unsigned i = 0; i < seq->n; i++) {
		starts[i] = off;
		off += seq->u[i].len;
	}
	starts[seq->n] = off;
	if (off + 1 > size)
		return 0;
	for (unsigned i = 0; i < seq->n; i++) {
		const struct dt_unit *u = &seq->u[i];
		memcpy(out + starts[i], u->bytes, u->len);
		for (unsigned f = 0; f < 2; f++) {
			const struct dt_fixup *fx = &u->fix[f];
			uint32_t v;
			if (fx->kind == DT_FIX_SKIP)
				v = starts[jump_target(seq, i, seq->n)] - (starts[i] + fx->end);
			else if (fx->kind == DT_FIX_ABS)
				v = org + starts[i] + (uint32_t)fx->arg;
			else
				continue;
			for (unsigned k = 0; k < fx->size; k++)
				out[starts[i] + fx->at + k] = (uint8_t)(v >> (8 * k));
		}
	}
	out[off] = 0xF4; /* hlt */
	return off + 1;
}

static void gen_unit(struct dt_seq *seq, struct dt_gen *g, const struct dt_template *t)
{
	struct dt_unit *u = &seq->u[seq->n];
	int undef = flags_before(seq, seq->n);
	memset(u, 0, sizeof(*u));
	u->t = t;
	u->skip = -1;
	g->undef = undef < 0 ? F_ARITH : (unsigned)undef;
	t->emit(g, u, t);
	seq->n++;
}

void dt_generate(struct dt_seq *seq, unsigned n, const struct dt_env *env, struct dt_rng *rng,
		 const bool *enabled)
{
	struct dt_gen g = { .env = env, .rng = rng, .sp = env->sp0 };
	unsigned total = 0, total_last = 0;

	if (n > DT_MAX_UNITS)
		n = DT_MAX_UNITS;
	for (size_t k = 0; k < dt_template_count; k++) {
		if (!usable(&dt_templates[k], enabled[k], env))
			continue;
		total_last += dt_templates[k].weight;
		if (!is_terminal(&dt_templates[k]))
			total += dt_templates[k].weight;
	}
	seq->n = 0;
	for (unsigned i = 0; i < n; i++) {
		bool last = i + 1 == n;
		uint32_t pick = dt_below(rng, last ? total_last : total);
		const struct dt_template *t = NULL;
		if ((last ? total_last : total) == 0)
			break;
		for (size_t k = 0; k < dt_template_count; k++) {
			const struct dt_template *c = &dt_templates[k];
			if (!usable(c, enabled[k], env) || (is_terminal(c) && !last))
				continue;
			if (pick < c->weight) {
				t = c;
				break;
			}
			pick -= c->weight;
		}
		gen_unit(seq, &g, t);
	}
}

void dt_generate_one(struct dt_seq *seq, const struct dt_template *t, const struct dt_env *env,
		     struct dt_rng *rng)
{
	/* (faults_ok is not asked: the caller chose t) */
	struct dt_gen g = { .env = env, .rng = rng, .sp = env->sp0 };
	seq->n = 0;
	gen_unit(seq, &g, t);
}
