/* ist_decode.c: x86 machine code to struct ist_insn, a block at a time. */
#include "ist_decode.h"

#include <errno.h>
#include <stdio.h>

#include "ist_cache.h"
#include "ist_mem.h"
#include "ist_ops.h"

#define IST_MAX_INSN_LEN 15

static const struct ist_opcode *optable[IST_OPCODES][8];
static bool opcode_has_modrm[IST_OPCODES];
static bool tables_ready;

static const struct ist_opcode *const families[] = {
	ist_ops_alu,   ist_ops_mov, ist_ops_stack, ist_ops_control, ist_ops_string, ist_ops_shift,
	ist_ops_muldiv, ist_ops_bcd, ist_ops_bit,  ist_ops_flags,   ist_ops_io,     ist_ops_system,
};

int ist_decode_init(char *err, size_t err_size)
{
	if (tables_ready)
		return 0;
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		for (const struct ist_opcode *e = families[f]; e->code != IST_OPCODE_END; e++) {
			bool modrm = e->flags & IST_OPF_MODRM;
			if (e->code >= IST_OPCODES || e->group > 7 ||
			    (e->group >= 0 && !modrm)) {
				snprintf(err, err_size, "IST: bad opcode table entry %03x/%d", e->code,
					 e->group);
				return -EINVAL;
			}
			for (unsigned g = 0; g < 8; g++) {
				const struct ist_opcode *other = optable[e->code][g];
				if (e->group >= 0 && g != (unsigned)e->group)
					continue;
				if (other) {
					snprintf(err, err_size,
						 "IST: opcode %03x/%u is in two families' tables",
						 e->code, g);
					return -EINVAL;
				}
				if ((other = optable[e->code][(g + 1) % 8]) &&
				    ((other->flags ^ e->flags) & IST_OPF_MODRM)) {
					snprintf(err, err_size,
						 "IST: opcode %03x: group entries disagree on ModR/M",
						 e->code);
					return -EINVAL;
				}
				optable[e->code][g] = e;
			}
			opcode_has_modrm[e->code] |= modrm;
		}
	}
	tables_ready = true;
	return 0;
}

void ist_op_raise(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_raise(cpu, i, i->imm, (int32_t)i->disp);
}

/* Reading instruction bytes at CS:EIP for the decoder. */
struct fetcher {
	struct ist_cpu *cpu;
	struct ist_decode_info *info;
	uint32_t cs_base, cs_limit;
	bool code32;
	bool first;      /* no byte fetched yet for this block */
	uint32_t start;  /* EIP of the instruction being decoded */
	unsigned len;    /* its bytes so far */
	bool failed;     /* a byte could not be fetched: #GP(0) */
};

static uint8_t fetch8(struct fetcher *f)
{
	struct ist_cpu *cpu = f->cpu;
	uint64_t off = (uint64_t)f->start + f->len;
	uint32_t phys, page;
	uint8_t b = 0xF4; /* what a failed fetch decodes as, never executed */

	/* An instruction does not wrap within itself: its bytes past the CS
	 * limit (at 64 KiB in real mode too) fault, as on a 386. */
	f->len++;
	if (f->failed || off > f->cs_limit || f->len > IST_MAX_INSN_LEN) {
		f->failed = true;
		return b;
	}
	phys = ist_phys(cpu, f->cs_base + (uint32_t)off);
	page = phys >> IST_PAGE_SHIFT;
	if (cpu->rd_page[page]) {
		b = cpu->rd_page[page][phys & IST_PAGE_MASK];
	} else {
		cpu->bus.mmio(cpu->bus.opaque, phys, &b, 1, false);
		f->info->cacheable = false;
	}
	if (f->first) {
		f->info->phys = phys;
		f->info->pages[0] = page;
		f->first = false;
	}
	f->info->pages[1] = page;
	f->info->end_offset = (phys & IST_PAGE_MASK) + 1;
	return b;
}

static uint16_t fetch16(struct fetcher *f)
{
	uint16_t lo = fetch8(f);
	return (uint16_t)(lo | fetch8(f) << 8);
}

static uint32_t fetch32(struct fetcher *f)
{
	uint32_t lo = fetch16(f);
	return lo | (uint32_t)fetch16(f) << 16;
}

/* The memory operand of a ModR/M byte, 16-bit addressing. */
static void decode_ea16(struct fetcher *f, struct ist_insn *insn, unsigned mod, unsigned rm)
{
	static const uint8_t base[8] = { IST_EBX, IST_EBX, IST_EBP, IST_EBP,
					 IST_ZERO, IST_ZERO, IST_EBP, IST_EBX };
	static const uint8_t index[8] = { IST_ESI, IST_EDI, IST_ESI, IST_EDI,
					  IST_ESI, IST_EDI, IST_ZERO, IST_ZERO };
	insn->base = base[rm];
	insn->index = index[rm];
	insn->scale = 0;
	insn->seg = insn->base == IST_EBP ? IST_SS : IST_DS;
	if (mod == 0 && rm == 6) {
		insn->base = IST_ZERO;
		insn->seg = IST_DS;
		insn->disp = fetch16(f);
	} else if (mod == 1) {
		insn->disp = (uint32_t)(int32_t)(int8_t)fetch8(f);
	} else if (mod == 2) {
		insn->disp = fetch16(f);
	} else {
		insn->disp = 0;
	}
}

/* The memory operand of a ModR/M byte, 32-bit addressing (with SIB). */
static void decode_ea32(struct fetcher *f, struct ist_insn *insn, unsigned mod, unsigned rm)
{
	insn->index = IST_ZERO;
	insn->scale = 0;
	insn->base = (uint8_t)rm;
	if (rm == 4) {
		uint8_t sib = fetch8(f);
		unsigned index = (sib >> 3) & 7;
		insn->base = sib & 7;
		insn->scale = sib >> 6;
		insn->index = index == 4 ? IST_ZERO : (uint8_t)index;
		if (insn->base == IST_EBP && mod == 0)
			insn->base = IST_ZERO; /* disp32, no base */
	} else if (rm == 5 && mod == 0) {
		insn->base = IST_ZERO;
	}
	insn->seg = insn->base == IST_EBP || insn->base == IST_ESP ? IST_SS : IST_DS;
	if (mod == 1)
		insn->disp = (uint32_t)(int32_t)(int8_t)fetch8(f);
	else if (mod == 2 || (mod == 0 && insn->base == IST_ZERO))
		insn->disp = fetch32(f);
	else
		insn->disp = 0;
}

static void make_raise(struct ist_insn *insn, unsigned vector, int32_t error)
{
	insn->fn = ist_op_raise;
	insn->imm = vector;
	insn->disp = (uint32_t)error;
}

static uint32_t decode_imm(struct fetcher *f, struct ist_insn *insn, enum ist_imm kind,
			   bool op32, bool addr32)
{
	switch (kind) {
	case IST_IMM_NONE:
		return 0;
	case IST_IMM_B:
		return fetch8(f);
	case IST_IMM_BS:
	case IST_IMM_JB:
		return (uint32_t)(int32_t)(int8_t)fetch8(f);
	case IST_IMM_W:
		return fetch16(f);
	case IST_IMM_V:
		return op32 ? fetch32(f) : fetch16(f);
	case IST_IMM_JV:
		return op32 ? fetch32(f) : (uint32_t)(int32_t)(int16_t)fetch16(f);
	case IST_IMM_A:
		insn->disp = addr32 ? fetch32(f) : fetch16(f);
		return 0;
	case IST_IMM_P: {
		uint32_t offset = op32 ? fetch32(f) : fetch16(f);
		insn->imm2 = fetch16(f);
		insn->flags |= IST_I_IMM2;
		return offset;
	}
	case IST_IMM_WB: {
		uint32_t size = fetch16(f);
		insn->imm2 = fetch8(f);
		insn->flags |= IST_I_IMM2;
		return size;
	}
	}
	return 0;
}

/* Decodes one instruction at f->start, its opcode to *opcode; returns
 * whether it ends the block. */
static bool decode_insn(struct fetcher *f, struct ist_insn *insn, unsigned mode,
			uint16_t *opcode)
{
	bool op32 = f->code32, addr32 = f->code32, lock = false;
	int seg_override = -1;
	uint8_t rep = 0, b;
	unsigned code, mod = 3, reg = 0, rm = 0;
	const struct ist_opcode *e;

	memset(insn, 0, sizeof(*insn));
	insn->eip = f->start;
	insn->base = insn->index = IST_ZERO;
	insn->seg = IST_DS;
	for (;;) {
		b = fetch8(f);
		switch (b) {
		case 0x26: case 0x2E: case 0x36: case 0x3E:
			seg_override = (b >> 3) & 3;
			continue;
		case 0x64: case 0x65:
			seg_override = b - 0x64 + IST_FS;
			continue;
		case 0x66:
			op32 = !f->code32;
			continue;
		case 0x67:
			addr32 = !f->code32;
			continue;
		case 0xF0:
			lock = true;
			continue;
		case 0xF2: case 0xF3:
			rep = b;
			continue;
		}
		break;
	}
	code = b;
	if (b == 0x0F)
		code = IST_0F | fetch8(f);
	insn->opcode = (uint8_t)code;
	*opcode = (uint16_t)code;
	if (opcode_has_modrm[code]) {
		insn->modrm = fetch8(f);
		mod = insn->modrm >> 6;
		reg = (insn->modrm >> 3) & 7;
		rm = insn->modrm & 7;
	}
	e = optable[code][reg];
	insn->flags = (addr32 ? IST_I_ADDR32 : 0) | (op32 ? IST_I_OP32 : 0) |
		      (f->code32 ? IST_I_CODE32 : 0) | (rep == 0xF3 ? IST_I_REP : 0) |
		      (rep == 0xF2 ? IST_I_REPNE : 0) | (lock ? IST_I_LOCK : 0);
	if (e && (e->flags & IST_OPF_MODRM) && mod != 3 && !(e->flags & IST_OPF_REGONLY)) {
		if (addr32)
			decode_ea32(f, insn, mod, rm);
		else
			decode_ea16(f, insn, mod, rm);
	}
	if (e)
		insn->imm = decode_imm(f, insn, (enum ist_imm)e->imm, op32, addr32);
	if (seg_override >= 0) {
		insn->seg = (uint8_t)seg_override;
		insn->flags |= IST_I_SEGOVR;
	}
	insn->len = (uint8_t)f->len;
	if (e && (e->imm == IST_IMM_JB || e->imm == IST_IMM_JV)) {
		/* A relative branch: the target is known now (see ist_ops.h). */
		insn->imm += ist_next_eip(insn);
		if (!op32)
			insn->imm &= 0xFFFF;
	}
	if (f->failed) {
		/* Past the CS limit, or longer than 15 bytes. */
		insn->len = 0;
		make_raise(insn, IST_EXC_GP, 0);
		return true;
	}
	if (e) {
		bool memory = (e->flags & IST_OPF_MODRM) && mod != 3 && !(e->flags & IST_OPF_REGONLY);
		bool byte = e->flags & IST_OPF_BYTE;
		insn->reg = (uint8_t)ist_reg_offset(reg, byte);
		insn->rm = (uint8_t)ist_reg_offset(rm, byte || (e->flags & IST_OPF_RM8));
		insn->fn = op32 ? (memory ? e->mem32 : e->reg32) : (memory ? e->mem16 : e->reg16);
		if (lock && (!(e->flags & IST_OPF_LOCK) || !memory))
			insn->fn = NULL;
		if ((e->flags & IST_OPF_PM) && !(mode & IST_MODE_PE))
			insn->fn = NULL;
	}
	if (!insn->fn) {
		make_raise(insn, IST_EXC_UD, IST_NO_ERROR);
		return true;
	}
	return (e->flags & IST_OPF_END) || (rep && (e->flags & IST_OPF_REPEND));
}

unsigned ist_decode_block(struct ist_cpu *cpu, unsigned mode, struct ist_insn *out, unsigned max,
			  struct ist_decode_info *info)
{
	const struct ist_seg *cs = &cpu->seg[IST_CS];
	struct fetcher f = {
		.cpu = cpu,
		.info = info,
		.cs_base = cs->base,
		.cs_limit = cs->limit,
		.code32 = mode & IST_MODE_CODE32,
		.first = true,
		.start = cpu->eip,
	};
	uint32_t first_page = 0;
	unsigned n = 0;

	info->phys = ist_phys(cpu, cs->base + cpu->eip);
	info->pages[0] = info->pages[1] = info->phys >> IST_PAGE_SHIFT;
	info->end_offset = (info->phys & IST_PAGE_MASK) + 1;
	info->cacheable = true;
	for (;;) {
		bool ends;
		f.len = 0;
		f.failed = false;
		ends = decode_insn(&f, &out[n], mode, &info->code[n]);
		if (n == 0)
			first_page = info->pages[0];
		n++;
		f.start = ist_next_eip(&out[n - 1]);
		if (ends || n == max)
			break;
		/* The next instruction starts on another page: a new block. */
		if (ist_phys(cpu, cs->base + f.start) >> IST_PAGE_SHIFT != first_page)
			break;
	}
	out[n] = (struct ist_insn){ .fn = ist_op_block_end, .eip = f.start };
	/* Near branches give back what comes after them in the block when they
	 * leave it (see ist_chain). */
	for (unsigned k = 0; k < n; k++)
		if (!(out[k].flags & IST_I_IMM2))
			out[k].imm2 = (uint16_t)(n - 1 - k);
	return n;
}
