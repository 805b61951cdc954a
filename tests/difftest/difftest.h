/* difftest.h: the differential test's pieces: generated units of machine code, the guest
 * layout they run in, and the generator's interface. Private to tests/difftest/. */
#ifndef MVM_DIFFTEST_H
#define MVM_DIFFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Guest-physical layout, the same in every mode. */
#define DT_IVT 0x0000u       /* real mode: vector n -> 0000:(its stub) */
#define DT_GDT 0x0500u       /* 8 descriptors */
#define DT_TSS 0x0600u       /* a 386 TSS that TR names (never used) */
#define DT_IDT 0x0800u       /* protected mode: 256 gates */
#define DT_STUBS 0x1000u     /* one HLT per vector 0-7Fh: a handler stops where it starts */
#define DT_IRET_STUBS 0x1100u /* one IRET per vector 80h-FFh: INT n comes back */
#define DT_RETURNING_VECTOR 0x80u /* vectors from here on return */
#define DT_CODE 0x2000u      /* the sequence, then a HLT */
#define DT_CODE_END 0xF000u
#define DT_WINDOW(s) (0x10000u * ((s) + 1)) /* data windows, 64 KiB each, see below */
#define DT_COMPARED 0x60000u /* [0, DT_COMPARED) is compared after a case */
#define DT_RAM 0x100000u     /* RAM each backend gets */
#define DT_STACK_TOP 0x8000u /* initial SP, in the middle of SS's window */

/* Segment registers in encoding order. Each but CS has a 64 KiB window of
 * random data: DS at 0x10000, ES 0x20000, SS 0x30000, FS 0x40000, GS 0x50000. */
enum dt_sreg { DT_ES, DT_CS, DT_SS, DT_DS, DT_FS, DT_GS, DT_SREGS };

enum dt_mode { DT_REAL, DT_PM16, DT_PM32, DT_MODES };

/* EFLAGS bits the generator tracks */
#define F_CF 0x0001u
#define F_PF 0x0004u
#define F_AF 0x0010u
#define F_ZF 0x0040u
#define F_SF 0x0080u
#define F_OF 0x0800u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
#define F_AC 0x40000u

#define DT_UNIT_BYTES 96
#define DT_UNIT_PARTS 12
#define DT_MAX_UNITS 256

/* One machine instruction inside a unit, for the listing. */
struct dt_part {
	uint8_t off, len;
	char text[72];
};

/* A field filled in when a sequence is laid out, because it depends on
 * where the unit lands or on the units after it. */
enum dt_fix_kind {
	DT_FIX_NONE,
	DT_FIX_SKIP, /* relative jump target: the start of unit (this + 1 + skip), or the HLT */
	DT_FIX_ABS,  /* absolute offset: start of this unit + arg */
};

struct dt_fixup {
	uint8_t kind;
	uint8_t at, size; /* field position in the unit and width (1, 2 or 4) */
	uint8_t end;      /* SKIP: offset in the unit where the jump instruction ends */
	int16_t arg;
};

/* A unit: an instruction under test together with the instructions that
 * set up its operands (base registers, counts, divisors). The generator
 * keeps every constraint inside one unit, so the shrinker can drop any
 * unit and the rest stays valid. */
struct dt_unit {
	const struct dt_template *t;
	uint8_t bytes[DT_UNIT_BYTES];
	uint8_t len;
	struct dt_part parts[DT_UNIT_PARTS];
	uint8_t nparts;
	struct dt_fixup fix[2];
	int8_t skip;         /* >= 0: a jump that may skip that many following units */
	bool terminal;       /* faults on purpose: it ends the run */
	uint32_t fr, fw, fu; /* flags read; written defined; left undefined */
};

struct dt_seq {
	struct dt_unit u[DT_MAX_UNITS];
	unsigned n;
};

/* What the generator knows about the machine a case starts in. */
struct dt_env {
	enum dt_mode mode;
	bool code32;           /* CS is a 32-bit segment */
	bool stack32;          /* SS is a 32-bit segment (ESP, not SP) */
	bool flat_stack;       /* pm32: SS has base 0, its window at its linear address */
	uint32_t sp0;          /* (E)SP at the start, as far as addresses use it */
	bool esp_high_zero;    /* ESP < 64 KiB: [ESP+x] with 32-bit addressing is usable */
	bool enter_stack_size; /* ENTER only with the stack's operand size (a KVM quirk) */
	bool faults_ok;        /* a deliberate exception may end the sequence */
	bool aam_flags_undefined; /* SF, ZF after AAM/AAD taken as undefined (a KVM quirk) */
	bool soft_int_ok;      /* INT n to a returning handler may be generated */
	bool fault_ac_undefined; /* AC after a deliberate fault not compared (a KVM quirk) */
	uint32_t ea_lo[DT_SREGS], ea_hi[DT_SREGS]; /* offsets that reach compared memory */
	bool writable[DT_SREGS];
};

struct dt_rng {
	uint64_t s;
};

struct dt_gen;

uint64_t dt_rand(struct dt_rng *r);
/* Uniform in [0, n). */
uint32_t dt_below(struct dt_rng *r, uint32_t n);

struct dt_template {
	const char *name;  /* "alu r/m, r": what a failure is filed under */
	const char *group; /* alu mov lea xchg conv shift shld muldiv bcd bit setcc string
			    * stack flags jump call misc486 */
	unsigned weight;
	void (*emit)(struct dt_gen *g, struct dt_unit *u, const struct dt_template *t);
	uint16_t op;       /* opcode; 0x0Fxx for two-byte opcodes */
	int8_t ext;        /* ModR/M.reg of a group, or -1 */
	uint8_t arg;       /* template specific */
	uint32_t fr, fw, fu;
	const char *mnem;
	bool faults;       /* raises an exception on purpose: only last in a sequence */
	uint8_t modes;     /* bit per enum dt_mode it is generated in; 0: all */
	bool soft_int;     /* INT n: generated where the reference delivers them right */
};

extern const struct dt_template dt_templates[];
extern const size_t dt_template_count;

/* Generates a sequence of n units; enabled[k] says whether template k may
 * be used. */
void dt_generate(struct dt_seq *seq, unsigned n, const struct dt_env *env, struct dt_rng *rng,
		 const bool *enabled);

/* Fills u with the single template t (for probing a backend). */
void dt_generate_one(struct dt_seq *seq, const struct dt_template *t, const struct dt_env *env,
		     struct dt_rng *rng);

/* Lays the sequence out at code offset org (fixups resolved), a HLT last.
 * Returns the length; starts[i] receives each unit's offset. */
size_t dt_layout(const struct dt_seq *seq, uint32_t org, uint8_t *out, size_t size,
		 uint32_t *starts);

/* The unit a jump in unit i lands on (seq->n: the HLT). */
unsigned dt_jump_target(const struct dt_seq *seq, unsigned i);

/* The flags left undefined at the end (bits F_*), or -1 when some unit
 * reads a flag that an earlier one left undefined on some path. */
int dt_undefined_flags(const struct dt_seq *seq);

#endif
