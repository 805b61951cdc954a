/* ist_op_string.c: the string instructions MOVS CMPS STOS LODS SCAS INS OUTS, alone or with
 * REP, REPE and REPNE; REP MOVS and REP STOS copy a page at a time where they can. */
#include "ist_opcommon.h"
#include "ist_time.h"

enum str_op { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS };

/* SI, DI and the count register are 16- or 32-bit by address size. */
static inline uint32_t str_reg(const struct ist_cpu *cpu, const struct ist_insn *i, unsigned n)
{
	return i->flags & IST_I_ADDR32 ? cpu->r[n] : cpu->r[n] & 0xFFFF;
}

static inline void str_reg_set(struct ist_cpu *cpu, const struct ist_insn *i, unsigned n,
			       uint32_t v)
{
	if (i->flags & IST_I_ADDR32)
		cpu->r[n] = v;
	else
		ist_set16(cpu, n * 4, (uint16_t)v);
}

static inline void str_step(struct ist_cpu *cpu, const struct ist_insn *i, unsigned n,
			    unsigned size)
{
	str_reg_set(cpu, i, n, str_reg(cpu, i, n) + (cpu->flags & IST_DF ? 0u - size : size));
}

static uint32_t port_read(struct ist_cpu *cpu, uint16_t port, unsigned size)
{
	uint8_t data[4] = { 0 };
	uint32_t v = 0;
	cpu->bus.io(cpu->bus.opaque, port, size, false, data, 1);
	ist_yield(cpu);
	memcpy(&v, data, size);
	return v;
}

static void port_write(struct ist_cpu *cpu, uint16_t port, unsigned size, uint32_t v)
{
	uint8_t data[4];
	memcpy(data, &v, 4);
	cpu->bus.io(cpu->bus.opaque, port, size, true, data, 1);
	ist_yield(cpu);
}

/* One element. A fault leaves SI, DI and the count as they were before it,
 * so the instruction restarts there. */
static inline void str_element(struct ist_cpu *cpu, const struct ist_insn *i, enum str_op op,
			       unsigned bits)
{
	unsigned size = bits / 8;
	uint32_t a, b;

	switch (op) {
	case STR_MOVS:
		a = ist_mem_get(cpu, i, i->seg, str_reg(cpu, i, IST_ESI), bits);
		ist_mem_set(cpu, i, IST_ES, str_reg(cpu, i, IST_EDI), bits, a);
		str_step(cpu, i, IST_ESI, size);
		str_step(cpu, i, IST_EDI, size);
		break;
	case STR_CMPS:
		a = ist_mem_get(cpu, i, i->seg, str_reg(cpu, i, IST_ESI), bits);
		b = ist_mem_get(cpu, i, IST_ES, str_reg(cpu, i, IST_EDI), bits);
		ist_lazy(cpu, IST_LF_SUB, bits, a, b, (a - b) & ist_width_mask(bits), 0);
		str_step(cpu, i, IST_ESI, size);
		str_step(cpu, i, IST_EDI, size);
		break;
	case STR_STOS:
		ist_mem_set(cpu, i, IST_ES, str_reg(cpu, i, IST_EDI), bits, ist_reg_get(cpu, 0, bits));
		str_step(cpu, i, IST_EDI, size);
		break;
	case STR_LODS:
		ist_reg_set(cpu, 0, bits,
			    ist_mem_get(cpu, i, i->seg, str_reg(cpu, i, IST_ESI), bits));
		str_step(cpu, i, IST_ESI, size);
		break;
	case STR_SCAS:
		a = ist_reg_get(cpu, 0, bits);
		b = ist_mem_get(cpu, i, IST_ES, str_reg(cpu, i, IST_EDI), bits);
		ist_lazy(cpu, IST_LF_SUB, bits, a, b, (a - b) & ist_width_mask(bits), 0);
		str_step(cpu, i, IST_EDI, size);
		break;
	case STR_INS:
		/* The destination is checked before the port is read: a device
		 * read has effects and must not be repeated. */
		ist_check(cpu, i, IST_ES, str_reg(cpu, i, IST_EDI), size, true);
		a = port_read(cpu, ist_get16(cpu, IST_EDX * 4), size);
		ist_mem_set(cpu, i, IST_ES, str_reg(cpu, i, IST_EDI), bits, a);
		str_step(cpu, i, IST_EDI, size);
		break;
	case STR_OUTS:
		a = ist_mem_get(cpu, i, i->seg, str_reg(cpu, i, IST_ESI), bits);
		port_write(cpu, ist_get16(cpu, IST_EDX * 4), size, a);
		str_step(cpu, i, IST_ESI, size);
		break;
	}
}

/* Host memory for n bytes at seg:off, all inside one page of fast memory
 * and inside the segment; NULL to take the element-by-element path. */
static uint8_t *str_host(struct ist_cpu *cpu, unsigned seg, uint32_t off, uint32_t n, bool write)
{
	const struct ist_seg *sg = &cpu->seg[seg];
	int64_t span = write ? sg->wspan : sg->rspan;
	uint32_t phys = ist_phys(cpu, sg->base + off);
	uint8_t *page = write ? cpu->wr_page[phys >> IST_PAGE_SHIFT]
			      : cpu->rd_page[phys >> IST_PAGE_SHIFT];
	if (!page || (phys & IST_PAGE_MASK) + n > IST_PAGE_SIZE ||
	    (int64_t)(uint32_t)(off - sg->lo) + n - 1 > span)
		return NULL;
	return page + (phys & IST_PAGE_MASK);
}

/* How many elements from off upwards stay in the page and in 16-bit offsets. */
static uint32_t str_room(const struct ist_cpu *cpu, const struct ist_insn *i, unsigned seg,
			 uint32_t off, unsigned size)
{
	uint32_t phys = ist_phys(cpu, cpu->seg[seg].base + off);
	uint32_t room = (IST_PAGE_SIZE - (phys & IST_PAGE_MASK)) / size;
	if (!(i->flags & IST_I_ADDR32) && (0x10000 - off) / size < room)
		room = (0x10000 - off) / size;
	return room;
}

/* REP MOVS and REP STOS, upwards, a page at a time: returns the elements
 * done (0 when this stretch needs the careful path). */
static uint32_t str_block(struct ist_cpu *cpu, const struct ist_insn *i, enum str_op op,
			  unsigned size, uint32_t count)
{
	uint32_t di = str_reg(cpu, i, IST_EDI), n = count, si = 0;
	uint8_t *dst, *src = NULL;

	if (cpu->flags & IST_DF)
		return 0;
	if (str_room(cpu, i, IST_ES, di, size) < n)
		n = str_room(cpu, i, IST_ES, di, size);
	if (op == STR_MOVS) {
		si = str_reg(cpu, i, IST_ESI);
		if (str_room(cpu, i, i->seg, si, size) < n)
			n = str_room(cpu, i, i->seg, si, size);
	}
	if (n == 0 || !(dst = str_host(cpu, IST_ES, di, n * size, true)))
		return 0;
	if (op == STR_MOVS) {
		if (!(src = str_host(cpu, i->seg, si, n * size, false)))
			return 0;
		if (dst > src && dst < src + n * size) {
			/* Overlap ahead of the source: element by element, each read
			 * after the last one's write, as the CPU copies (it
			 * replicates a pattern). */
			for (uint32_t k = 0; k < n * size; k += size) {
				uint32_t v;
				memcpy(&v, src + k, size);
				memcpy(dst + k, &v, size);
			}
		} else {
			memmove(dst, src, n * size);
		}
		str_reg_set(cpu, i, IST_ESI, si + n * size);
	} else {
		uint32_t v = cpu->r[IST_EAX];
		if (size == 1)
			memset(dst, (uint8_t)v, n);
		else
			for (uint32_t k = 0; k < n * size; k += size)
				memcpy(dst + k, &v, size);
	}
	str_reg_set(cpu, i, IST_EDI, di + n * size);
	return n;
}

/* A repeated string instruction: stops when the count runs out, on the
 * REPE/REPNE condition, or when the time slice ends (EIP stays on the
 * instruction, which resumes with what is left). */
static void str_rep(struct ist_cpu *cpu, const struct ist_insn *i, enum str_op op, unsigned bits)
{
	bool conditional = op == STR_CMPS || op == STR_SCAS;
	bool while_equal = i->flags & IST_I_REP;
	uint32_t count = str_reg(cpu, i, IST_ECX);

	if (op == STR_INS || op == STR_OUTS)
		ist_io_check(cpu, i, ist_get16(cpu, IST_EDX * 4), bits / 8);
	/* Each element counts as an instruction: give back the one the block
	 * charged for this instruction. */
	cpu->budget++;
	while (count) {
		uint32_t done = 0;
		if ((op == STR_MOVS || op == STR_STOS) && !(cpu->flags & IST_TF))
			done = str_block(cpu, i, op, bits / 8, count);
		if (done == 0) {
			str_element(cpu, i, op, bits);
			done = 1;
		}
		count -= done;
		str_reg_set(cpu, i, IST_ECX, count);
		cpu->budget -= (int64_t)done;
		if (conditional && ist_zf(cpu) != while_equal)
			break;
		/* Single-step traps after each element, and the time slice may end
		 * between elements: EIP stays on the instruction. A device access
		 * (which yields) costs the virtual clock a bus cycle the budget does
		 * not count, so then the clock itself says when a timer is due. */
		if (count && (cpu->budget <= 0 || (cpu->flags & IST_TF) ||
			      (cpu->yield && ist_virtual_ns(cpu) >= cpu->deadline_ns))) {
			cpu->eip = i->eip;
			return;
		}
	}
	cpu->eip = ist_next_eip(i);
}

/* Handlers: without REP one element and on; with REP the loop ends the block. */
#define STR_FORM(name, op, bits) \
	static void name(struct ist_cpu *cpu, const struct ist_insn *i) \
	{ \
		if (i->flags & (IST_I_REP | IST_I_REPNE)) { \
			str_rep(cpu, i, op, bits); \
			return; \
		} \
		if (op == STR_INS || op == STR_OUTS) { \
			ist_io_check(cpu, i, ist_get16(cpu, IST_EDX * 4), bits / 8); \
			str_element(cpu, i, op, bits); \
			cpu->eip = ist_next_eip(i); \
			return; \
		} \
		str_element(cpu, i, op, bits); \
		IST_NEXT(cpu, i); \
	}

#define STR_OP(name, op) \
	STR_FORM(name##8, op, 8) \
	STR_FORM(name##16, op, 16) \
	STR_FORM(name##32, op, 32)

STR_OP(movs, STR_MOVS)
STR_OP(cmps, STR_CMPS)
STR_OP(stos, STR_STOS)
STR_OP(lods, STR_LODS)
STR_OP(scas, STR_SCAS)
STR_OP(ins, STR_INS)
STR_OP(outs, STR_OUTS)

#define REPEND IST_OPF_REPEND
#define PAIR(code, name, flags) \
	IST_OP((code), (flags), IST_IMM_NONE, name##8, name##8), \
	IST_OP((code) + 1, (flags), IST_IMM_NONE, name##16, name##32)

const struct ist_opcode ist_ops_string[] = {
	PAIR(0xA4, movs, REPEND),
	PAIR(0xA6, cmps, REPEND),
	PAIR(0xAA, stos, REPEND),
	PAIR(0xAC, lods, REPEND),
	PAIR(0xAE, scas, REPEND),
	PAIR(0x6C, ins, IST_OPF_END),
	PAIR(0x6E, outs, IST_OPF_END),
	IST_OP_TABLE_END,
};
