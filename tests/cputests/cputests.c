/* cputests.c: runs the SingleStepTests 80286 real-mode vectors (MOO files) on a CPU backend.
 *
 * Each test: INIT's bytes into a 16 MiB RAM, INIT's registers into the CPU
 * (real mode, segments at selector * 16), run to the HLT every test ends at,
 * then FINA's registers and bytes compared. What metadata.json calls
 * undefined is masked; where a 386-class CPU is documented to differ from
 * the 286 that recorded the tests, a rule in the table below masks or skips,
 * with its reason. README.md says more. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include <zlib.h>

#include "cpu.h"
#include "ist/ist.h"
#include "kvm/kvm.h"
#include "memmap.h"

#define MESON_SKIP 77

/* The tests assume 16 MiB of RAM: the 286 has 24 address lines. */
#define RAM_SIZE (16u << 20)

/* A broken instruction must not hang the run. The IST counts virtual time
 * (one instruction costs a nanosecond or so), KVM cannot: it is bounded by
 * host time. The longest honest test is a REP string instruction (CX is
 * below 64 in this suite; 65535 would still fit), each iteration an
 * instruction. */
#define RUN_BUDGET_NS (1ull << 18)
#define RUN_YIELD_LIMIT 4u /* budgets of virtual time: a million instructions or so */
#define RUN_HOST_LIMIT_NS 500000000ull
#define RUN_EXIT_LIMIT 100000u

/* ---- MOO files (github.com/dbalsom/moo, doc/moo_format_v1.md) ---- */

/* REGS: a bitmask, then a word for each bit set, in this order. */
enum moo_reg {
	R_AX, R_BX, R_CX, R_DX, R_CS, R_SS, R_DS, R_ES, R_SP, R_BP, R_SI, R_DI, R_IP, R_FLAGS,
	MOO_REGS
};
static const char *const moo_reg_name[MOO_REGS] = {
	"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags",
};

/* CYCL: 15 bytes a bus cycle. */
#define CYCLE_SIZE 15
#define CYCLE_PIN0 0       /* bit 1: BHE# (0: the high byte lane is in use) */
#define CYCLE_ADDRESS 1    /* uint32 address latch */
#define CYCLE_IO_STATUS 7  /* bit 2: read */
#define CYCLE_DATA 9       /* uint16 data bus */
#define CYCLE_BUS 11       /* 80286 S0, S1, M/IO, COD/INTA: 9 is an I/O read */
#define CYCLE_T_STATE 12   /* 1: Ts, 2: Tc */
#define PIN0_BHE 0x02u
#define IO_STATUS_READ 0x04u
#define BUS_IOR 9u
#define T_TS 1u
#define T_TC 2u

struct moo_state {
	uint16_t mask; /* which regs are present */
	uint16_t regs[MOO_REGS];
	const uint8_t *ram; /* count entries of uint32 address + uint8 value */
	uint32_t ram_count;
};

struct moo_test {
	uint32_t index;
	const char *name;
	uint32_t name_len;
	const uint8_t *bytes;
	uint32_t byte_count;
	struct moo_state init, fina;
	const uint8_t *cycles;
	uint32_t cycle_count;
	bool has_exception;
	uint8_t exception;
	uint32_t exception_flags_addr; /* where the exception pushed FLAGS */
	const uint8_t *hash;           /* 20 bytes of SHA-1, or NULL */
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* One chunk of [*pos, end): its type and payload. False at the end or on a
 * chunk that runs past end. */
static bool moo_chunk(const uint8_t **pos, const uint8_t *end, char type[5],
		      const uint8_t **data, uint32_t *len)
{
	const uint8_t *p = *pos;
	if ((size_t)(end - p) < 8)
		return false;
	memcpy(type, p, 4);
	type[4] = '\0';
	*len = get32(p + 4);
	if (*len > (size_t)(end - p) - 8)
		return false;
	*data = p + 8;
	*pos = p + 8 + *len;
	return true;
}

static int moo_parse_state(const uint8_t *p, uint32_t len, struct moo_state *s)
{
	const uint8_t *end = p + len, *data;
	char type[5];
	uint32_t n;

	memset(s, 0, sizeof(*s));
	while (moo_chunk(&p, end, type, &data, &n)) {
		if (strcmp(type, "REGS") == 0) {
			const uint8_t *v = data + 2;
			if (n < 2)
				return -1;
			s->mask = get16(data);
			for (unsigned r = 0; r < MOO_REGS; r++) {
				if (!(s->mask & (1u << r)))
					continue;
				if (v + 2 > data + n)
					return -1;
				s->regs[r] = get16(v);
				v += 2;
			}
		} else if (strcmp(type, "RAM ") == 0) {
			if (n < 4 || (n - 4) / 5 < get32(data))
				return -1;
			s->ram_count = get32(data);
			s->ram = data + 4;
		}
		/* QUEU (the prefetch queue) matters only to cycle-exact runs. */
	}
	return p == end ? 0 : -1;
}

static int moo_parse_test(const uint8_t *p, uint32_t len, struct moo_test *t)
{
	const uint8_t *end = p + len, *data;
	char type[5];
	uint32_t n;
	bool have_init = false, have_fina = false;

	memset(t, 0, sizeof(*t));
	if (len < 4)
		return -1;
	t->index = get32(p);
	p += 4;
	while (moo_chunk(&p, end, type, &data, &n)) {
		if (strcmp(type, "NAME") == 0 && n >= 4 && get32(data) <= n - 4) {
			t->name_len = get32(data);
			t->name = (const char *)data + 4;
		} else if (strcmp(type, "BYTS") == 0 && n >= 4 && get32(data) <= n - 4) {
			t->byte_count = get32(data);
			t->bytes = data + 4;
		} else if (strcmp(type, "INIT") == 0) {
			if (moo_parse_state(data, n, &t->init) < 0)
				return -1;
			have_init = true;
		} else if (strcmp(type, "FINA") == 0) {
			if (moo_parse_state(data, n, &t->fina) < 0)
				return -1;
			have_fina = true;
		} else if (strcmp(type, "CYCL") == 0 && n >= 4 && (n - 4) / CYCLE_SIZE >= get32(data)) {
			t->cycle_count = get32(data);
			t->cycles = data + 4;
		} else if (strcmp(type, "EXCP") == 0 && n >= 5) {
			t->has_exception = true;
			t->exception = data[0];
			t->exception_flags_addr = get32(data + 1);
		} else if (strcmp(type, "HASH") == 0 && n >= 20) {
			t->hash = data;
		}
		/* GMET and other chunks: not needed here. */
	}
	if (p != end || !have_init || !have_fina || (t->init.mask & 0x3FFF) != 0x3FFF)
		return -1;
	return 0;
}

/* A whole MOO file, gunzipped. */
struct moo_file {
	uint8_t *data;
	size_t size;
	const uint8_t *next; /* the next TEST chunk */
	uint32_t test_count;
};

static int moo_open(const char *path, struct moo_file *f, char *err, size_t err_size)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1u << 20;
	const uint8_t *p, *data;
	char type[5];
	uint32_t n;

	memset(f, 0, sizeof(*f));
	if (!gz) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno ? errno : ENOMEM));
		return -1;
	}
	f->data = malloc(cap);
	for (;;) {
		int got;
		if (!f->data) {
			snprintf(err, err_size, "%s: out of memory", path);
			gzclose(gz);
			return -1;
		}
		if (f->size == cap) {
			uint8_t *bigger = realloc(f->data, cap * 2);
			if (!bigger)
				free(f->data);
			f->data = bigger;
			cap *= 2;
			continue;
		}
		got = gzread(gz, f->data + f->size, (unsigned)(cap - f->size));
		if (got < 0) {
			int zerr;
			snprintf(err, err_size, "%s: %s", path, gzerror(gz, &zerr));
			gzclose(gz);
			return -1;
		}
		if (got == 0)
			break;
		f->size += (size_t)got;
	}
	gzclose(gz);

	p = f->data;
	if (!moo_chunk(&p, f->data + f->size, type, &data, &n) || strcmp(type, "MOO ") != 0 ||
	    n < 12) {
		snprintf(err, err_size, "%s: not a MOO file", path);
		return -1;
	}
	/* The spec says "286 "; these files say "C286" (CMOS Harris part). */
	if (data[0] != 1 || (memcmp(data + 8, "286 ", 4) != 0 && memcmp(data + 8, "C286", 4) != 0)) {
		snprintf(err, err_size, "%s: MOO version %u for CPU '%.4s'; expected version 1, 286",
			 path, data[0], (const char *)data + 8);
		return -1;
	}
	f->test_count = get32(data + 4);
	f->next = p;
	return 0;
}

/* The next test; 0 done, 1 got one, -1 malformed. */
static int moo_next(struct moo_file *f, struct moo_test *t)
{
	const uint8_t *end = f->data + f->size, *data;
	char type[5];
	uint32_t n;

	while (moo_chunk(&f->next, end, type, &data, &n)) {
		if (strcmp(type, "TEST") == 0)
			return moo_parse_test(data, n, t) < 0 ? -1 : 1;
		/* META and chunks added later: skipped, as the format asks. */
	}
	return f->next == end ? 0 : -1;
}

static void moo_close(struct moo_file *f)
{
	free(f->data);
	memset(f, 0, sizeof(*f));
}

/* ---- metadata.json: per opcode (and per ModRM reg) status and flags-mask ---- */

struct meta_entry {
	char opcode[24]; /* "00", "0F01" */
	int reg;        /* 0-7, or -1 for the whole opcode */
	char status[16];
	uint16_t flags_mask; /* FLAGS bits defined after the instruction */
};

struct meta {
	struct meta_entry *entries;
	size_t count, capacity;
};

/* A small reader for this file's JSON: it walks objects and arrays and
 * hands every scalar, with the keys that lead to it, to meta_field. */
#define JSON_DEPTH 8
struct json {
	const char *p, *end;
	char path[JSON_DEPTH][24];
	int depth;
	struct meta *meta;
	bool failed;
};

static struct meta_entry *meta_entry_for(struct meta *m, const char *opcode, int reg)
{
	struct meta_entry *e;
	for (size_t i = 0; i < m->count; i++)
		if (m->entries[i].reg == reg && strcmp(m->entries[i].opcode, opcode) == 0)
			return &m->entries[i];
	if (m->count == m->capacity) {
		size_t cap = m->capacity ? m->capacity * 2 : 256;
		struct meta_entry *bigger = realloc(m->entries, cap * sizeof(*bigger));
		if (!bigger)
			return NULL;
		m->entries = bigger;
		m->capacity = cap;
	}
	e = &m->entries[m->count++];
	*e = (struct meta_entry){ .reg = reg, .flags_mask = 0xFFFF };
	snprintf(e->opcode, sizeof(e->opcode), "%s", opcode);
	return e;
}

/* opcodes.XX.status / .flags-mask, opcodes.XX.reg.N.status / .flags-mask */
static void meta_field(struct json *j, const char *value, bool is_string)
{
	const char *field;
	struct meta_entry *e;
	int reg = -1;

	if (j->depth < 3 || strcmp(j->path[0], "opcodes") != 0)
		return;
	if (j->depth == 5 && strcmp(j->path[2], "reg") == 0) {
		if (!isdigit((unsigned char)j->path[3][0]))
			return;
		reg = j->path[3][0] - '0';
		field = j->path[4];
	} else if (j->depth == 3) {
		field = j->path[2];
	} else {
		return;
	}
	if (strcmp(field, "status") != 0 && strcmp(field, "flags-mask") != 0)
		return;
	e = meta_entry_for(j->meta, j->path[1], reg);
	if (!e) {
		j->failed = true;
		return;
	}
	if (strcmp(field, "status") == 0 && is_string)
		snprintf(e->status, sizeof(e->status), "%s", value);
	else if (strcmp(field, "flags-mask") == 0 && !is_string)
		e->flags_mask = (uint16_t)strtoul(value, NULL, 10);
}

static void json_space(struct json *j)
{
	while (j->p < j->end && isspace((unsigned char)*j->p))
		j->p++;
}

/* A string into buf (truncated; escapes kept as the character after '\'). */
static bool json_string(struct json *j, char *buf, size_t size)
{
	size_t n = 0;
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c == '\\' && j->p < j->end)
			c = *j->p++;
		if (n + 1 < size)
			buf[n++] = c;
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	buf[n] = '\0';
	return true;
}

static bool json_value(struct json *j);

static bool json_members(struct json *j, bool object)
{
	char close = object ? '}' : ']';
	unsigned index = 0;

	j->p++;
	json_space(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		char key[24];
		json_space(j);
		if (object) {
			if (!json_string(j, key, sizeof(key)))
				return false;
			json_space(j);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
		} else {
			snprintf(key, sizeof(key), "%u", index++);
		}
		if (j->depth >= JSON_DEPTH)
			return false;
		snprintf(j->path[j->depth++], sizeof(j->path[0]), "%s", key);
		if (!json_value(j))
			return false;
		j->depth--;
		json_space(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return true;
		}
		return false;
	}
}

static bool json_value(struct json *j)
{
	char buf[64];
	size_t n = 0;

	json_space(j);
	if (j->p >= j->end)
		return false;
	if (*j->p == '{' || *j->p == '[')
		return json_members(j, *j->p == '{');
	if (*j->p == '"') {
		if (!json_string(j, buf, sizeof(buf)))
			return false;
		meta_field(j, buf, true);
		return true;
	}
	while (j->p < j->end && (isalnum((unsigned char)*j->p) || *j->p == '-' ||
				 *j->p == '+' || *j->p == '.')) {
		if (n + 1 < sizeof(buf))
			buf[n++] = *j->p;
		j->p++;
	}
	buf[n] = '\0';
	if (n == 0)
		return false;
	meta_field(j, buf, false);
	return true;
}

static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
			*size = (size_t)len;
		}
	}
	fclose(f);
	return buf;
}

static int meta_load(struct meta *m, const char *path, char *err, size_t err_size)
{
	size_t size = 0;
	char *text = read_file(path, &size);
	struct json j = { .meta = m };

	memset(m, 0, sizeof(*m));
	if (!text) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	j.p = text;
	j.end = text + size;
	if (!json_value(&j) || j.failed) {
		snprintf(err, err_size, "%s: cannot read it as JSON near byte %zu", path,
			 (size_t)(j.p - text));
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

/* The entry for a file "80.3" (opcode 80, reg 3) or "00": the reg entry
 * when there is one, else the opcode's. */
static const struct meta_entry *meta_find(const struct meta *m, const char *opcode, int reg)
{
	const struct meta_entry *whole = NULL;
	for (size_t i = 0; i < m->count; i++) {
		if (strcmp(m->entries[i].opcode, opcode) != 0)
			continue;
		if (m->entries[i].reg == reg && reg >= 0)
			return &m->entries[i];
		if (m->entries[i].reg < 0)
			whole = &m->entries[i];
	}
	return whole;
}

/* ---- revocation_list.txt: SHA-1 hashes of tests known to be bad ---- */

struct revoked {
	uint8_t (*hash)[20];
	size_t count;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int revoked_load(struct revoked *r, const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "r");
	char line[256];

	memset(r, 0, sizeof(*r));
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = line;
		uint8_t h[20];
		bool ok = true;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '#' || *s == '\0')
			continue;
		for (unsigned i = 0; i < 20 && ok; i++) {
			int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
			ok = hi >= 0 && lo >= 0;
			h[i] = (uint8_t)(hi << 4 | lo);
		}
		if (!ok) {
			fprintf(stderr, "cputests: %s: ignoring '%.60s'\n", path, s);
			continue;
		}
		uint8_t (*bigger)[20] = realloc(r->hash, (r->count + 1) * sizeof(*r->hash));
		if (!bigger) {
			fclose(f);
			snprintf(err, err_size, "out of memory");
			return -1;
		}
		r->hash = bigger;
		memcpy(r->hash[r->count++], h, 20);
	}
	fclose(f);
	return 0;
}

static bool revoked_has(const struct revoked *r, const uint8_t *hash)
{
	if (!hash)
		return false;
	for (size_t i = 0; i < r->count; i++)
		if (memcmp(r->hash[i], hash, 20) == 0)
			return true;
	return false;
}

/* ---- instruction forms, for the per-opcode lines ---- */

static const char *const form_1byte[256] = {
	"add Eb,Gb", "add Ev,Gv", "add Gb,Eb", "add Gv,Ev", "add AL,Ib", "add AX,Iv", "push ES", "pop ES",
	"or Eb,Gb", "or Ev,Gv", "or Gb,Eb", "or Gv,Ev", "or AL,Ib", "or AX,Iv", "push CS", "(0F map)",
	"adc Eb,Gb", "adc Ev,Gv", "adc Gb,Eb", "adc Gv,Ev", "adc AL,Ib", "adc AX,Iv", "push SS", "pop SS",
	"sbb Eb,Gb", "sbb Ev,Gv", "sbb Gb,Eb", "sbb Gv,Ev", "sbb AL,Ib", "sbb AX,Iv", "push DS", "pop DS",
	"and Eb,Gb", "and Ev,Gv", "and Gb,Eb", "and Gv,Ev", "and AL,Ib", "and AX,Iv", "ES:", "daa",
	"sub Eb,Gb", "sub Ev,Gv", "sub Gb,Eb", "sub Gv,Ev", "sub AL,Ib", "sub AX,Iv", "CS:", "das",
	"xor Eb,Gb", "xor Ev,Gv", "xor Gb,Eb", "xor Gv,Ev", "xor AL,Ib", "xor AX,Iv", "SS:", "aaa",
	"cmp Eb,Gb", "cmp Ev,Gv", "cmp Gb,Eb", "cmp Gv,Ev", "cmp AL,Ib", "cmp AX,Iv", "DS:", "aas",
	"inc AX", "inc CX", "inc DX", "inc BX", "inc SP", "inc BP", "inc SI", "inc DI",
	"dec AX", "dec CX", "dec DX", "dec BX", "dec SP", "dec BP", "dec SI", "dec DI",
	"push AX", "push CX", "push DX", "push BX", "push SP", "push BP", "push SI", "push DI",
	"pop AX", "pop CX", "pop DX", "pop BX", "pop SP", "pop BP", "pop SI", "pop DI",
	"pusha", "popa", "bound Gv,Ma", "arpl Ew,Gw", "(64)", "(65)", "(66)", "(67)",
	"push Iv", "imul Gv,Ev,Iv", "push Ib", "imul Gv,Ev,Ib", "insb", "insw", "outsb", "outsw",
	"jo Jb", "jno Jb", "jb Jb", "jae Jb", "je Jb", "jne Jb", "jbe Jb", "ja Jb",
	"js Jb", "jns Jb", "jp Jb", "jnp Jb", "jl Jb", "jge Jb", "jle Jb", "jg Jb",
	"grp1 Eb,Ib", "grp1 Ev,Iv", "grp1 Eb,Ib", "grp1 Ev,Ib", "test Eb,Gb", "test Ev,Gv", "xchg Eb,Gb", "xchg Ev,Gv",
	"mov Eb,Gb", "mov Ev,Gv", "mov Gb,Eb", "mov Gv,Ev", "mov Ew,Sw", "lea Gv,M", "mov Sw,Ew", "pop Ev",
	"nop", "xchg CX,AX", "xchg DX,AX", "xchg BX,AX", "xchg SP,AX", "xchg BP,AX", "xchg SI,AX", "xchg DI,AX",
	"cbw", "cwd", "call Ap", "wait", "pushf", "popf", "sahf", "lahf",
	"mov AL,Ob", "mov AX,Ov", "mov Ob,AL", "mov Ov,AX", "movsb", "movsw", "cmpsb", "cmpsw",
	"test AL,Ib", "test AX,Iv", "stosb", "stosw", "lodsb", "lodsw", "scasb", "scasw",
	"mov AL,Ib", "mov CL,Ib", "mov DL,Ib", "mov BL,Ib", "mov AH,Ib", "mov CH,Ib", "mov DH,Ib", "mov BH,Ib",
	"mov AX,Iv", "mov CX,Iv", "mov DX,Iv", "mov BX,Iv", "mov SP,Iv", "mov BP,Iv", "mov SI,Iv", "mov DI,Iv",
	"grp2 Eb,Ib", "grp2 Ev,Ib", "ret Iw", "ret", "les Gv,Mp", "lds Gv,Mp", "mov Eb,Ib", "mov Ev,Iv",
	"enter Iw,Ib", "leave", "retf Iw", "retf", "int3", "int Ib", "into", "iret",
	"grp2 Eb,1", "grp2 Ev,1", "grp2 Eb,CL", "grp2 Ev,CL", "aam Ib", "aad Ib", "salc", "xlat",
	"esc 0", "esc 1", "esc 2", "esc 3", "esc 4", "esc 5", "esc 6", "esc 7",
	"loopne Jb", "loope Jb", "loop Jb", "jcxz Jb", "in AL,Ib", "in AX,Ib", "out Ib,AL", "out Ib,AX",
	"call Jv", "jmp Jv", "jmp Ap", "jmp Jb", "in AL,DX", "in AX,DX", "out DX,AL", "out DX,AX",
	"lock", "(F1)", "repne", "rep", "hlt", "cmc", "grp3 Eb", "grp3 Ev",
	"clc", "stc", "cli", "sti", "cld", "std", "grp4 Eb", "grp5 Ev",
};

static const char *const group_names[][8] = {
	{ "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" },             /* grp1 */
	{ "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" },             /* grp2 */
	{ "test", "test", "not", "neg", "mul", "imul", "div", "idiv" },        /* grp3 */
	{ "inc", "dec", "(FE.2)", "(FE.3)", "(FE.4)", "(FE.5)", "(FE.6)", "(FE.7)" },
	{ "inc", "dec", "call", "call far", "jmp", "jmp far", "push", "push" }, /* grp5 */
};

/* "add Eb,Gb" for file "00", "rcl Ev,CL" for "D3.2". */
static void form_name(const char *opcode, int reg, char *buf, size_t size)
{
	static const struct {
		const char *opcode, *forms[8];
	} two_byte[] = {
		{ "0F00", { "sldt Ew", "str Ew", "lldt Ew", "ltr Ew", "verr Ew", "verw Ew", "(0F00.6)",
			    "(0F00.7)" } },
		{ "0F01", { "sgdt Ms", "sidt Ms", "lgdt Ms", "lidt Ms", "smsw Ew", "(0F01.5)", "lmsw Ew",
			    "(0F01.7)" } },
		{ "0F02", { "lar Gv,Ew" } }, { "0F03", { "lsl Gv,Ew" } },
		{ "0F05", { "loadall" } },   { "0F06", { "clts" } },
	};
	unsigned op;
	const char *form, *space;

	for (size_t i = 0; i < sizeof(two_byte) / sizeof(two_byte[0]); i++) {
		if (strcmp(opcode, two_byte[i].opcode) == 0) {
			form = two_byte[i].forms[reg > 0 ? reg : 0];
			snprintf(buf, size, "%s", form ? form : "?");
			return;
		}
	}
	if (strlen(opcode) != 2 || sscanf(opcode, "%2x", &op) != 1) {
		snprintf(buf, size, "?");
		return;
	}
	form = form_1byte[op];
	space = strchr(form, ' ');
	if (reg >= 0 && strncmp(form, "grp", 3) == 0) {
		int g = form[3] - '1';
		const char *operands = space ? space + 1 : "";
		if (op == 0xF6 && reg <= 1)
			operands = "Eb,Ib";
		else if (op == 0xF7 && reg <= 1)
			operands = "Ev,Iv";
		else if (op == 0xFF && (reg == 3 || reg == 5))
			operands = "Mp";
		snprintf(buf, size, "%s %s", group_names[g][reg], operands);
		return;
	}
	snprintf(buf, size, "%s", form);
}

/* ---- 80286 against a 386-class CPU: what the comparison allows for ---- */

/* FLAGS bits 12-15 (IOPL, NT and the reserved bit 15) in real mode: the
 * 286 holds them at 0. The INIT images set them at random, yet every FINA
 * FLAGS and every FLAGS image an instruction pushes has them clear (the
 * generator loads state with a method the 286 filters): the chip never held
 * what INIT says. A 386 keeps IOPL and NT in real mode, so the runner loads
 * INIT FLAGS with these bits clear, as the 286 actually ran the test. */
#define FLAGS_286_REAL_ZERO 0xF000u

/* Where a 386 is documented to differ from the 286 recorded here, the
 * comparison allows for it, or skips the test, by a rule below. A test
 * that matches only thanks to a rule counts as masked, not as passed, and
 * --verbose --verbose shows it. A rule names the form it applies to (the
 * file name without .MOO.gz, its opcode for all of a group, or "*"), the
 * backend (NULL: both), and a predicate that picks tests (NULL: all). */
enum rule_kind {
	RULE_SKIP,    /* the test cannot be compared: do not run it */
	RULE_FLAGS,   /* FLAGS bits in .flags may differ (register and pushed image) */
	RULE_VECTOR,  /* the 386 takes vector_386 where the 286 took vector_286 */
	RULE_RESTART, /* a string instruction faults: SI, DI, CX as a 386 leaves them */
	RULE_IP_WRAP, /* the test's HLT at offset FFFF leaves EIP 10000, the 286's IP 0 */
};

struct rule {
	const char *form;
	const char *backend;
	enum rule_kind kind;
	bool (*applies)(const struct moo_test *t);
	uint16_t flags;                 /* RULE_FLAGS */
	uint8_t vector_286, vector_386; /* RULE_VECTOR */
	const char *reason;
};

/* The prefixes and opcode of a test's instruction, as far as rules need. */
struct insn_shape {
	bool lock;
	unsigned length;  /* prefixes included */
	unsigned opcode;  /* 0x00-0xFF, or 0x0F00 | second byte */
	bool rep;         /* F2 or F3 */
	int modrm;        /* -1: none */
	uint32_t modrm_at; /* its index in BYTS */
};

static struct insn_shape insn_shape(const struct moo_test *t)
{
	struct insn_shape s = { .modrm = -1 };
	uint32_t i = 0;

	/* BYTS is the instruction and the HLT after it. */
	s.length = t->byte_count && t->bytes[t->byte_count - 1] == 0xF4 ? t->byte_count - 1
									 : t->byte_count;
	while (i < t->byte_count) {
		uint8_t b = t->bytes[i];
		if (b == 0xF0)
			s.lock = true;
		else if (b == 0xF2 || b == 0xF3)
			s.rep = true;
		else if (b != 0xF2 && b != 0xF3 && b != 0x26 && b != 0x2E && b != 0x36 && b != 0x3E)
			break;
		i++;
	}
	if (i >= t->byte_count)
		return s;
	s.opcode = t->bytes[i++];
	if (s.opcode == 0x0F && i < t->byte_count)
		s.opcode = 0x0F00u | t->bytes[i++];
	if (i < t->byte_count) {
		s.modrm = t->bytes[i];
		s.modrm_at = i;
	}
	return s;
}

static unsigned modrm_reg(const struct insn_shape *s)
{
	return s->modrm < 0 ? 0 : (unsigned)(s->modrm >> 3) & 7;
}

/* The memory operand's offset (16-bit addressing) from INIT registers, or
 * -1 for a register operand. */
static int32_t modrm_offset(const struct moo_test *t)
{
	const uint16_t *r = t->init.regs;
	struct insn_shape s = insn_shape(t);
	const uint8_t *disp;
	unsigned mod, rm;
	uint16_t base[8];
	uint16_t off;

	if (s.modrm < 0 || (s.modrm & 0xC0) == 0xC0)
		return -1;
	mod = (unsigned)s.modrm >> 6;
	rm = (unsigned)s.modrm & 7;
	base[0] = (uint16_t)(r[R_BX] + r[R_SI]);
	base[1] = (uint16_t)(r[R_BX] + r[R_DI]);
	base[2] = (uint16_t)(r[R_BP] + r[R_SI]);
	base[3] = (uint16_t)(r[R_BP] + r[R_DI]);
	base[4] = r[R_SI];
	base[5] = r[R_DI];
	base[6] = r[R_BP];
	base[7] = r[R_BX];
	disp = t->bytes + s.modrm_at + 1;
	if (disp + (mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0) >
	    t->bytes + t->byte_count)
		return -1;
	if (mod == 0 && rm == 6)
		return get16(disp);
	off = mod == 0 ? base[rm] : (uint16_t)(base[rm] + (mod == 1 ? (int8_t)disp[0] : get16(disp)));
	return off;
}

/* LOCK on a 386 is allowed only before ADD OR ADC SBB AND SUB XOR (with
 * Eb,Gb / Ev,Gv or group 1 but CMP), XCHG, NOT, NEG, INC and DEC, with a
 * memory destination; anything else raises #UD. */
static bool lock_faults_on_386(const struct moo_test *t)
{
	struct insn_shape s = insn_shape(t);
	unsigned reg = modrm_reg(&s);

	if (!s.lock)
		return false;
	if (s.modrm < 0 || (s.modrm & 0xC0) == 0xC0)
		return true;
	switch (s.opcode) {
	case 0x00: case 0x01: case 0x08: case 0x09: case 0x10: case 0x11: case 0x18: case 0x19:
	case 0x20: case 0x21: case 0x28: case 0x29: case 0x30: case 0x31: case 0x86: case 0x87:
		return false;
	case 0x80: case 0x81: case 0x82: case 0x83:
		return reg == 7;
	case 0xF6: case 0xF7:
		return reg != 2 && reg != 3;
	case 0xFE: case 0xFF:
		return reg > 1;
	default:
		return true;
	}
}

/* The r/m operand's value at INIT (bits 8 or 16); false when INIT RAM
 * lacks it. */
static bool rm_value(const struct moo_test *t, unsigned bits, uint32_t *value)
{
	static const unsigned word_reg[8] = { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI };
	struct insn_shape s = insn_shape(t);
	int32_t off = modrm_offset(t);
	unsigned rm = (unsigned)s.modrm & 7, seg;
	unsigned found = 0;
	uint32_t at;

	if (s.modrm < 0)
		return false;
	if ((s.modrm & 0xC0) == 0xC0) {
		if (bits == 16)
			*value = t->init.regs[word_reg[rm]];
		else
			*value = (uint32_t)(t->init.regs[word_reg[rm & 3]] >> (rm & 4 ? 8 : 0)) & 0xFF;
		return true;
	}
	if (off < 0)
		return false;
	/* BP-based forms use SS; a segment prefix (the last one) wins. */
	seg = (rm == 2 || rm == 3 || (rm == 6 && (s.modrm & 0xC0))) ? R_SS : R_DS;
	for (uint32_t i = 0; i < s.modrm_at; i++) {
		switch (t->bytes[i]) {
		case 0x26: seg = R_ES; break;
		case 0x2E: seg = R_CS; break;
		case 0x36: seg = R_SS; break;
		case 0x3E: seg = R_DS; break;
		}
	}
	*value = 0;
	for (unsigned k = 0; k < bits / 8; k++) {
		at = ((uint32_t)t->init.regs[seg] << 4) + (uint16_t)(off + k);
		for (uint32_t i = 0; i < t->init.ram_count; i++) {
			if (get32(t->init.ram + 5 * i) == at) {
				*value |= (uint32_t)t->init.ram[5 * i + 4] << (8 * k);
				found++;
				break;
			}
		}
	}
	return found == bits / 8;
}

/* IDIV whose quotient does not fit, where the 286 raised no #DE. */
static bool idiv_overflow_unnoticed(const struct moo_test *t)
{
	struct insn_shape s = insn_shape(t);
	unsigned bits = s.opcode == 0xF6 ? 8 : 16;
	int32_t dividend, divisor, q;
	uint32_t v;

	if (t->has_exception || modrm_reg(&s) != 7 || !rm_value(t, bits, &v))
		return false;
	divisor = bits == 8 ? (int8_t)v : (int16_t)v;
	dividend = bits == 8 ? (int16_t)t->init.regs[R_AX]
			     : (int32_t)((uint32_t)t->init.regs[R_DX] << 16 | t->init.regs[R_AX]);
	if (divisor == 0 || (divisor == -1 && dividend == INT32_MIN))
		return divisor != 0;
	q = dividend / divisor;
	return q < -(1 << (bits - 1)) || q >= (1 << (bits - 1));
}

static bool too_long_for_286(const struct moo_test *t)
{
	return t->has_exception && t->exception == 13 && insn_shape(t).length > 10;
}

static bool names_fs_or_gs(const struct moo_test *t)
{
	struct insn_shape s = insn_shape(t);
	return modrm_reg(&s) == 4 || modrm_reg(&s) == 5;
}

static bool string_faults_13(const struct moo_test *t)
{
	unsigned op = insn_shape(t).opcode;
	return t->has_exception && t->exception == 13 &&
	       ((op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF) ||
		(op >= 0x6C && op <= 0x6F));
}

static bool pops_flags_12_15(const struct moo_test *t)
{
	/* POPF pops FLAGS at SS:SP, IRET at SS:SP+4 (after IP and CS): do bits
	 * 12-15 of the image (its high byte) have any set? */
	uint32_t ss = t->init.regs[R_SS];
	uint16_t high = (uint16_t)(t->init.regs[R_SP] + (insn_shape(t).opcode == 0xCF ? 4 : 0) + 1);
	uint32_t at = (ss << 4) + high;
	for (uint32_t i = 0; i < t->init.ram_count; i++) {
		const uint8_t *e = t->init.ram + 5 * i;
		if (get32(e) == at)
			return (e[4] & 0xF0) != 0;
	}
	return false;
}

static bool int_vector_80_up(const struct moo_test *t)
{
	struct insn_shape s = insn_shape(t);
	return s.opcode == 0xCD && s.modrm >= 0x80; /* the byte after CD: the vector */
}

#define FLAGS_SF_ZF 0x00C0u
#define FLAGS_SF_ZF_PF 0x00C4u
#define FLAGS_STATUS 0x08D5u /* OF SF ZF AF PF CF */

/* POP Ew whose destination overruns FFFF: the 286 has moved SP past the
 * popped word (INIT SP - 6 + 2) when it raises 13. */
static bool pop_mem_faults_late(const struct moo_test *t)
{
	return t->has_exception && t->exception == 13 && (t->fina.mask & (1u << R_SP)) &&
	       t->fina.regs[R_SP] == (uint16_t)(t->init.regs[R_SP] - 4);
}

static bool divides_by_zero(const struct moo_test *t)
{
	return t->has_exception && t->exception == 0;
}

static bool moves_to_cs_from_ffff(const struct moo_test *t)
{
	struct insn_shape s = insn_shape(t);
	return modrm_reg(&s) == 1 && modrm_offset(t) == 0xFFFF;
}

/* Where a REP INS or OUTS moves its index up past FFFF to 0 (DF clear). */
static bool rep_string_io_wraps(const struct moo_test *t)
{
	struct insn_shape s = insn_shape(t);
	unsigned size = (s.opcode & 1) ? 2 : 1;
	uint32_t index, span;

	if (!s.rep || s.opcode < 0x6C || s.opcode > 0x6F || t->has_exception ||
	    (t->init.regs[R_FLAGS] & 0x0400))
		return false;
	index = s.opcode <= 0x6D ? t->init.regs[R_DI] : t->init.regs[R_SI];
	span = (uint32_t)t->init.regs[R_CX] * size;
	return index + span > 0x10000u;
}

static bool rep_compare_faults(const struct moo_test *t)
{
	return t->has_exception && t->exception == 13 && insn_shape(t).rep;
}

static const struct rule rules[] = {
	/* 80286 against a 386: forms in this suite. */
	{ "*", NULL, RULE_SKIP, lock_faults_on_386, .reason =
	  "LOCK before an instruction a 386 does not lock (a register destination, or not one of "
	  "ADD ADC AND OR SBB SUB XOR XCHG NOT NEG INC DEC on memory): the 286 ignores the "
	  "prefix, a 386 raises #UD" },
	{ "*", NULL, RULE_SKIP, too_long_for_286, .reason =
	  "an instruction over 10 bytes (redundant prefixes): the 286 raises #GP (13), a 386 "
	  "runs instructions up to 15 bytes" },
	{ "8C", NULL, RULE_SKIP, names_fs_or_gs, .reason =
	  "MOV Ew,Sw with reg 4 or 5: #UD on the 286, FS and GS on a 386" },
	{ "8E", NULL, RULE_SKIP, names_fs_or_gs, .reason =
	  "MOV Sw,Ew with reg 4 or 5: #UD on the 286, FS and GS on a 386" },
	{ "*", NULL, RULE_VECTOR, .vector_286 = 13, .vector_386 = 12, .reason =
	  "a word at offset FFFF through SS (BP addressing, SS:, the stack): the 286 raises 13 "
	  "for a segment overrun through any segment, a 386 raises #SS (12). Vector 12 gets an "
	  "IVT entry reaching the test's handler by another CS:IP, so the end shows which one ran" },
	{ "*", NULL, RULE_IP_WRAP, .reason =
	  "the test's closing HLT at offset FFFF (a jump, call or return went there): the 286's "
	  "IP wraps to 0 after it, a 386 leaves EIP at 10000 (it would fault on the next fetch)" },
	{ "9D", NULL, RULE_FLAGS, pops_flags_12_15, .flags = 0xF000, .reason =
	  "POPF in real mode: a 386 loads IOPL and NT from the image, the 286 keeps FLAGS bits "
	  "12-15 at 0" },
	{ "CF", NULL, RULE_FLAGS, pops_flags_12_15, .flags = 0xF000, .reason =
	  "IRET in real mode: a 386 loads IOPL and NT from the image, the 286 keeps FLAGS bits "
	  "12-15 at 0" },
	{ "*", NULL, RULE_RESTART, string_faults_13, .reason =
	  "a string instruction whose word overruns offset FFFF: the 286 has advanced SI/DI "
	  "(and counted CX down, INS twice) for the faulting iteration when it raises 13, a 386 "
	  "faults before it, leaving SI, DI and CX as the completed iterations did; the runner "
	  "computes those" },
	{ "F6.7", NULL, RULE_SKIP, idiv_overflow_unnoticed, .reason =
	  "IDIV whose quotient does not fit (81C1h / 7Ch), where this 286 stored 80h and "
	  "raised no #DE: a 386 raises #DE (0)" },
	{ "F7.7", NULL, RULE_SKIP, idiv_overflow_unnoticed, .reason =
	  "IDIV whose quotient does not fit, where the 286 raised no #DE: a 386 raises #DE" },
	{ "8F", NULL, RULE_SKIP, pop_mem_faults_late, .reason =
	  "POP Ew whose destination overruns offset FFFF: the 286 has added 2 to SP when it "
	  "raises 13, a 386 restores SP, so its exception frame lies 2 bytes lower" },
	{ "D4", NULL, RULE_FLAGS, divides_by_zero, .flags = FLAGS_SF_ZF_PF, .reason =
	  "AAM 0: the 286 sets SF, ZF and PF before it raises #DE (0), a 386 leaves FLAGS as "
	  "they were" },

	/* 80286 against a 386: forms of the full suite that this sample lacks. */
	{ "0F05", NULL, RULE_SKIP, .reason =
	  "LOADALL exists only on the 286; a 386 raises #UD (its own LOADALL is 0F 07)" },
	{ "0F01.4", NULL, RULE_SKIP, .reason =
	  "SMSW: the 286 reads bits 4-15 of the MSW as 1 (FFF0h | MSW), a 386 reads CR0 (ET, "
	  "bits 5-15 clear)" },
	{ "0F01.0", NULL, RULE_SKIP, .reason =
	  "SGDT: the 286 stores FFh as the sixth byte, a 386 with a 16-bit operand stores 00h" },
	{ "0F01.1", NULL, RULE_SKIP, .reason =
	  "SIDT: the 286 stores FFh as the sixth byte, a 386 with a 16-bit operand stores 00h" },
	{ "F1", NULL, RULE_SKIP, .reason =
	  "F1 is a LOCK alias on the 286 and ICEBP (INT 1) on a 386" },
	{ "64", NULL, RULE_SKIP, .reason = "undefined on the 286, FS: prefix on a 386" },
	{ "65", NULL, RULE_SKIP, .reason = "undefined on the 286, GS: prefix on a 386" },
	{ "66", NULL, RULE_SKIP, .reason = "undefined on the 286, operand-size prefix on a 386" },
	{ "67", NULL, RULE_SKIP, .reason = "undefined on the 286, address-size prefix on a 386" },

	/* KVM here runs real-mode code in its instruction emulator (the host
	 * has no VT-x or AMD-V): its defects are not the 286's nor the IST's. */
	{ "CD", "kvm", RULE_SKIP, int_vector_80_up, .reason =
	  "KVM's emulator never delivers INT n with n >= 80h in real mode (it re-enters the INT "
	  "until the run times out)" },
	{ "8E", "kvm", RULE_SKIP, moves_to_cs_from_ffff, .reason =
	  "MOV CS,Ew with the operand at offset FFFF: KVM's emulator raises #GP for the operand "
	  "before the #UD for CS" },
	{ "6D", "kvm", RULE_SKIP, rep_string_io_wraps, .reason =
	  "REP INSW whose DI wraps up past FFFF to 0: KVM's emulator does the string I/O in one "
	  "linear run and faults" },
	{ "A7", "kvm", RULE_FLAGS, rep_compare_faults, .flags = FLAGS_STATUS, .reason =
	  "REPE/REPNE CMPSW faulting after some iterations: KVM's emulator drops the FLAGS the "
	  "completed compares set" },
	{ "AF", "kvm", RULE_FLAGS, rep_compare_faults, .flags = FLAGS_STATUS, .reason =
	  "REPE/REPNE SCASW faulting after some iterations: KVM's emulator drops the FLAGS the "
	  "completed compares set" },
	{ "D4", "kvm", RULE_FLAGS, .flags = FLAGS_SF_ZF, .reason =
	  "KVM's emulator sets AAM's SF and ZF from AX, not AL" },
	{ "D5", "kvm", RULE_FLAGS, .flags = FLAGS_SF_ZF, .reason =
	  "KVM's emulator sets AAD's SF and ZF from AX, not AL" },
};

/* What the rules make of one test. */
struct applied {
	uint16_t flags;             /* FLAGS bits a rule masks */
	bool restart;               /* RULE_RESTART */
	const struct rule *vector;  /* a RULE_VECTOR, or NULL */
	bool ip_wrap;
	uint64_t flags_bits, vector_bit, restart_bit, ip_wrap_bit; /* which rules (1 << index) */
};

#define RULE_COUNT (sizeof(rules) / sizeof(rules[0]))
_Static_assert(RULE_COUNT <= 64, "struct applied keeps rules in 64-bit masks");

/* RULE_RESTART: SI, DI and CX when a 386 raises 13 for a string
 * instruction (word-sized: a byte never overruns FFFF). It faults before the
 * first iteration whose source (DS:SI) or destination (ES:DI) word sits at
 * FFFF; the iterations before it are done. REPE/REPNE could have ended the
 * loop earlier, but the 286 faulted, so they did not. False when no
 * iteration faults. */
static bool string_fault_386(const struct moo_test *t, uint16_t out[MOO_REGS])
{
	struct insn_shape s = insn_shape(t);
	bool rep = s.rep, src, dst;
	int step = (t->init.regs[R_FLAGS] & 0x0400) ? -2 : 2; /* DF */
	uint16_t si = t->init.regs[R_SI], di = t->init.regs[R_DI], cx = t->init.regs[R_CX];

	src = s.opcode == 0xA5 || s.opcode == 0xA7 || s.opcode == 0xAD || s.opcode == 0x6F;
	dst = s.opcode == 0xA5 || s.opcode == 0xA7 || s.opcode == 0xAB || s.opcode == 0xAF ||
	      s.opcode == 0x6D;
	if (!src && !dst)
		return false;
	for (unsigned n = 0; n <= 0x10000u; n++) {
		if (rep && cx == 0)
			return false;
		if ((src && si == 0xFFFF) || (dst && di == 0xFFFF)) {
			out[R_SI] = si;
			out[R_DI] = di;
			out[R_CX] = cx;
			return true;
		}
		if (!rep)
			return false;
		si = (uint16_t)(si + (src ? step : 0));
		di = (uint16_t)(di + (dst ? step : 0));
		cx--;
	}
	return false;
}

/* ---- the run ---- */

struct io_read {
	uint32_t port; /* byte address on the bus */
	uint8_t value;
};

struct tally {
	unsigned tests, passed, failed, masked, skipped, revoked, unsupported;
};

struct runner {
	const char *cpu_name;
	struct memmap map;
	uint8_t *ram;
	struct cpu *cpu;
	struct cpu_bus bus;
	struct cpu_sregs sregs0;
	uint64_t now_ns;
	unsigned verbose; /* 1: failures, 2: masked tests too */
	unsigned sample;
	unsigned long long seen; /* tests looked at, for --sample */
	unsigned rule_hits[RULE_COUNT]; /* tests a rule skipped or masked */

	/* The test running now. */
	uint32_t sentinel;         /* linear address of the HLT block, 0: none */
	uint8_t ivt_filled[256 / 8]; /* vectors pointed at it */
	struct io_read *io_reads;
	size_t io_read_count, io_read_capacity, io_cursor;
	unsigned io_unmatched, mmio_accesses;
	uint64_t first_mmio;
};

/* What the recorded I/O reads returned, byte by byte, from the bus cycles:
 * an IOR cycle's Ts latches the port and BHE#, the Tc with the read strobe
 * carries the data. (Every read in this suite sees an open bus, 0xFF.) */
static int runner_collect_io(struct runner *r, const struct moo_test *t)
{
	bool pending = false, have_data = false;
	uint32_t port = 0;
	bool bhe = false;
	uint16_t data = 0;

	r->io_read_count = 0;
	r->io_cursor = 0;
	for (uint32_t i = 0; i <= t->cycle_count; i++) {
		const uint8_t *c = i < t->cycle_count ? t->cycles + (size_t)i * CYCLE_SIZE : NULL;
		bool ts = c && c[CYCLE_T_STATE] == T_TS;
		if ((ts || !c) && pending && have_data) {
			/* Emit the byte lanes this cycle used. */
			for (unsigned lane = 0; lane < 2; lane++) {
				struct io_read *e;
				if (lane == 0 ? (port & 1) : !bhe)
					continue;
				if (r->io_read_count == r->io_read_capacity) {
					size_t cap = r->io_read_capacity ? r->io_read_capacity * 2 : 64;
					e = realloc(r->io_reads, cap * sizeof(*e));
					if (!e)
						return -ENOMEM;
					r->io_reads = e;
					r->io_read_capacity = cap;
				}
				e = &r->io_reads[r->io_read_count++];
				e->port = lane ? port | 1 : port & ~1u;
				e->value = (uint8_t)(lane ? data >> 8 : data);
			}
		}
		if (!c)
			break;
		if (ts) {
			pending = c[CYCLE_BUS] == BUS_IOR;
			have_data = false;
			port = get32(c + CYCLE_ADDRESS);
			bhe = !(c[CYCLE_PIN0] & PIN0_BHE);
		} else if (pending && c[CYCLE_T_STATE] == T_TC && (c[CYCLE_IO_STATUS] & IO_STATUS_READ)) {
			data = get16(c + CYCLE_DATA);
			have_data = true;
		}
	}
	return 0;
}

/* A port read gets, byte by byte, what the 286 read at that port next; a
 * byte the recording does not have reads as an open bus (0xFF). Writes go
 * nowhere. */
static void bus_io(void *opaque, uint16_t port, unsigned size, bool is_write, uint8_t *data,
		   uint32_t count)
{
	struct runner *r = opaque;
	if (is_write)
		return;
	for (uint32_t i = 0; i < count; i++) {
		for (unsigned k = 0; k < size; k++) {
			uint32_t at = (uint32_t)port + k;
			uint8_t v = 0xFF;
			if (r->io_cursor < r->io_read_count && r->io_reads[r->io_cursor].port == at)
				v = r->io_reads[r->io_cursor++].value;
			else
				r->io_unmatched++;
			data[(size_t)i * size + k] = v;
		}
	}
}

/* Nothing but RAM is mapped, and the 286's 24-bit addresses all lie in it:
 * an access here is a bug of the backend. */
static void bus_mmio(void *opaque, uint64_t gpa, uint8_t *data, unsigned len, bool is_write)
{
	struct runner *r = opaque;
	if (r->mmio_accesses++ == 0)
		r->first_mmio = gpa;
	if (!is_write)
		memset(data, 0xFF, len);
}

static uint64_t bus_now(void *opaque)
{
	return ((struct runner *)opaque)->now_ns;
}

static int runner_init(struct runner *r, const char *cpu_name, char *err, size_t err_size)
{
	struct mem_mapping ram = { .base = 0, .size = RAM_SIZE, .kind = MEM_RAM, .name = "RAM" };
	int rc;

	memmap_init(&r->map);
	r->cpu_name = cpu_name;
	r->bus = (struct cpu_bus){ bus_io, bus_mmio, bus_now, r };
	r->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->ram == MAP_FAILED) {
		r->ram = NULL;
		snprintf(err, err_size, "cannot map %u MiB of guest RAM", RAM_SIZE >> 20);
		return -ENOMEM;
	}
	ram.host = r->ram;
	rc = memmap_add(&r->map, &ram, NULL);
	if (rc < 0) {
		snprintf(err, err_size, "cannot map guest RAM: %s", strerror(-rc));
		return rc;
	}
	if (strcmp(cpu_name, "kvm") == 0)
		rc = kvm_cpu_create(&r->map, &r->cpu, err, err_size);
	else
		rc = ist_cpu_create(&r->map, &r->bus,
				    strcmp(cpu_name, "interp") == 0 ? IST_INTERPRET : IST_TRANSLATE_ALL,
				    &r->cpu, err, err_size);
	if (rc < 0)
		return rc;
	/* The 286 has no A20 gate: its 24 address lines are all live. */
	r->cpu->ops->set_a20(r->cpu, true);
	rc = r->cpu->ops->get_sregs(r->cpu, &r->sregs0);
	if (rc < 0)
		snprintf(err, err_size, "cannot read the segment registers: %s", strerror(-rc));
	return rc;
}

static void runner_finish(struct runner *r)
{
	if (r->cpu)
		r->cpu->ops->destroy(r->cpu);
	memmap_finish(&r->map);
	if (r->ram)
		munmap(r->ram, RAM_SIZE);
	free(r->io_reads);
}

static uint64_t host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Differences of one test, as text. */
struct diffs {
	char text[2048];
	size_t len;
	unsigned unmasked, masked;
	uint64_t blamed; /* rules (1 << index) behind the masked ones */
};

static void diff_add(struct diffs *d, bool masked, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void diff_add(struct diffs *d, bool masked, const char *fmt, ...)
{
	va_list ap;
	if (masked)
		d->masked++;
	else
		d->unmasked++;
	if (d->len + 4 >= sizeof(d->text))
		return;
	d->text[d->len++] = ' ';
	d->text[d->len++] = ' ';
	d->text[d->len++] = ' ';
	d->text[d->len++] = ' ';
	va_start(ap, fmt);
	int n = vsnprintf(d->text + d->len, sizeof(d->text) - d->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->len = d->len + (size_t)n < sizeof(d->text) - 1 ? d->len + (size_t)n
								  : sizeof(d->text) - 2;
	if (masked && d->len + 10 < sizeof(d->text))
		d->len += (size_t)snprintf(d->text + d->len, sizeof(d->text) - d->len, " (masked)");
	d->text[d->len++] = '\n';
	d->text[d->len] = '\0';
}

static void flag_names(uint16_t bits, char *buf, size_t size)
{
	static const char *const names[16] = {
		"CF", "b1", "PF", "b3", "AF", "b5", "ZF", "SF",
		"TF", "IF", "DF", "OF", "IOPL0", "IOPL1", "NT", "b15",
	};
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned b = 0; b < 16; b++)
		if (bits & (1u << b))
			n += (size_t)snprintf(buf + n, size > n ? size - n : 0, "%s%s", n ? " " : "",
					      names[b]);
}

/* FLAGS compared with what is defined (meta_mask) and, apart, what a rule
 * masks: a difference under rule_mask only is masked. */
static void compare_flags(struct diffs *d, const char *what, uint16_t expected, uint16_t got,
			  uint16_t meta_mask, uint16_t rule_mask, uint64_t rule_bits)
{
	uint16_t differ = (uint16_t)((expected ^ got) & meta_mask);
	char names[96];
	if (differ & ~rule_mask) {
		flag_names(differ & ~rule_mask, names, sizeof(names));
		diff_add(d, false, "%s: expected %04x got %04x (%s)", what, expected, got, names);
	} else if (differ) {
		flag_names(differ, names, sizeof(names));
		diff_add(d, true, "%s: expected %04x got %04x (%s)", what, expected, got, names);
		d->blamed |= rule_bits;
	}
}

static const struct cpu_segment *sreg_of(const struct cpu_sregs *s, unsigned r)
{
	switch (r) {
	case R_CS: return &s->cs;
	case R_SS: return &s->ss;
	case R_DS: return &s->ds;
	default: return &s->es;
	}
}

static uint64_t gpr_of(const struct cpu_regs *g, unsigned r)
{
	switch (r) {
	case R_AX: return g->rax;
	case R_BX: return g->rbx;
	case R_CX: return g->rcx;
	case R_DX: return g->rdx;
	case R_SP: return g->rsp;
	case R_BP: return g->rbp;
	case R_SI: return g->rsi;
	case R_DI: return g->rdi;
	case R_IP: return g->rip;
	default: return g->rflags;
	}
}

enum outcome {
	PASSED,
	FAILED,
	MASKED,      /* passed thanks to a rule */
	UNSUPPORTED, /* the backend gave up (KVM's emulator cannot do it) */
};

/* An IVT entry for vector v from INIT RAM, or false when INIT lacks it. */
static bool init_ivt(const struct moo_test *t, unsigned v, uint16_t *ip, uint16_t *cs)
{
	uint8_t b[4];
	unsigned found = 0;
	for (uint32_t i = 0; i < t->init.ram_count; i++) {
		uint32_t at = get32(t->init.ram + 5 * i);
		if (at >= v * 4 && at < v * 4 + 4) {
			b[at - v * 4] = t->init.ram[5 * i + 4];
			found |= 1u << (at - v * 4);
		}
	}
	*ip = (uint16_t)(b[0] | b[1] << 8);
	*cs = (uint16_t)(b[2] | b[3] << 8);
	return found == 0xF;
}

/* The runner writes guest RAM behind the CPU's back: a backend that caches
 * decoded code (the IST) must drop what it decoded from those bytes. */
static void ram_written(struct runner *r, uint32_t at, uint32_t len)
{
	if (r->cpu->ops->memory_written)
		r->cpu->ops->memory_written(r->cpu, at, len);
}

static void ram_poke(struct runner *r, uint32_t at, uint8_t value)
{
	r->ram[at] = value;
	ram_written(r, at, 1);
}

/* A RULE_VECTOR: when the 286 went to vector_286's handler and INIT leaves
 * vector_386 free, point vector_386 at the same handler through another
 * CS:IP (CS one paragraph off), so where the CPU ends tells which vector it
 * took. Returns whether it set the alias up. */
static bool vector_alias(struct runner *r, const struct moo_test *t, const struct rule *rule,
			 uint16_t *alias_cs, uint16_t *alias_ip)
{
	uint16_t ip, cs;
	unsigned v = rule->vector_386;

	if (!t->has_exception || t->exception != rule->vector_286 ||
	    !init_ivt(t, rule->vector_286, &ip, &cs))
		return false;
	for (uint32_t i = 0; i < t->init.ram_count; i++) {
		uint32_t at = get32(t->init.ram + 5 * i);
		if (at >= v * 4 && at < v * 4 + 4)
			return false;
	}
	if (ip <= 0xFFEF && cs >= 1) {
		*alias_cs = (uint16_t)(cs - 1);
		*alias_ip = (uint16_t)(ip + 16);
	} else {
		*alias_cs = (uint16_t)(cs + 1);
		*alias_ip = (uint16_t)(ip - 16);
	}
	r->ram[v * 4] = (uint8_t)*alias_ip;
	r->ram[v * 4 + 1] = (uint8_t)(*alias_ip >> 8);
	r->ram[v * 4 + 2] = (uint8_t)*alias_cs;
	r->ram[v * 4 + 3] = (uint8_t)(*alias_cs >> 8);
	ram_written(r, v * 4, 4);
	return true;
}

/* Exceptions the 286 did not take must not run into whatever lies at
 * 0000:0000: each IVT entry INIT leaves out points into a block of 256 HLTs
 * where no byte of the test lies, vector v at offset v of it, so the end
 * says which exception ran. (INIT holds every byte the 286 read, so the
 * test never reads these.) */
#define SENTINEL_SIZE 256u

static bool test_touches(const struct moo_test *t, uint32_t from, uint32_t to)
{
	for (uint32_t i = 0; i < t->init.ram_count; i++)
		if (get32(t->init.ram + 5 * i) >= from && get32(t->init.ram + 5 * i) < to)
			return true;
	for (uint32_t i = 0; i < t->fina.ram_count; i++)
		if (get32(t->fina.ram + 5 * i) >= from && get32(t->fina.ram + 5 * i) < to)
			return true;
	return false;
}

static void sentinel_fill(struct runner *r, const struct moo_test *t)
{
	bool given[256] = { false };

	r->sentinel = 0;
	memset(r->ivt_filled, 0, sizeof(r->ivt_filled));
	for (uint32_t base = 0x500; base + SENTINEL_SIZE <= 0xA0000; base += SENTINEL_SIZE) {
		if (!test_touches(t, base, base + SENTINEL_SIZE)) {
			r->sentinel = base;
			break;
		}
	}
	if (!r->sentinel)
		return;
	for (uint32_t i = 0; i < t->init.ram_count; i++)
		if (get32(t->init.ram + 5 * i) < 0x400)
			given[get32(t->init.ram + 5 * i) / 4] = true;
	memset(r->ram + r->sentinel, 0xF4, SENTINEL_SIZE);
	ram_written(r, r->sentinel, SENTINEL_SIZE);
	ram_written(r, 0, 0x400);
	for (unsigned v = 0; v < 256; v++) {
		if (given[v])
			continue;
		r->ram[v * 4] = (uint8_t)v;
		r->ram[v * 4 + 1] = 0;
		r->ram[v * 4 + 2] = (uint8_t)(r->sentinel >> 4);
		r->ram[v * 4 + 3] = (uint8_t)(r->sentinel >> 12);
		r->ivt_filled[v / 8] |= (uint8_t)(1u << (v % 8));
	}
}

static void sentinel_clear(struct runner *r)
{
	if (!r->sentinel)
		return;
	memset(r->ram + r->sentinel, 0, SENTINEL_SIZE);
	ram_written(r, r->sentinel, SENTINEL_SIZE);
	for (unsigned v = 0; v < 256; v++)
		if (r->ivt_filled[v / 8] & (1u << (v % 8)))
			memset(r->ram + v * 4, 0, 4);
	ram_written(r, 0, 0x400);
	r->sentinel = 0;
}

static const char *vector_name(unsigned v)
{
	static const char *const names[] = {
		[0] = " (#DE)", [1] = " (#DB)", [3] = " (#BP)", [4] = " (#OF)", [5] = " (#BR)",
		[6] = " (#UD)", [7] = " (#NM)", [8] = " (#DF)", [12] = " (#SS)", [13] = " (#GP)",
	};
	return v < sizeof(names) / sizeof(names[0]) && names[v] ? names[v] : "";
}

/* Sets the CPU up from INIT (RAM is written), runs to the HLT that ends
 * every test, and compares with FINA. */
static enum outcome run_and_compare(struct runner *r, const struct moo_test *t,
				    uint16_t meta_mask, const struct applied *rules_on,
				    bool alias, uint16_t alias_cs, uint16_t alias_ip,
				    struct diffs *d)
{
	uint16_t rule_mask = rules_on->flags, expected_386[MOO_REGS];
	uint32_t pushed_flags[2] = { 0, 0 };
	bool restart = rules_on->restart && string_fault_386(t, expected_386);
	struct cpu *cpu = r->cpu;
	struct cpu_regs regs;
	struct cpu_sregs sregs = r->sregs0;
	struct cpu_exit exit;
	uint64_t start = host_ns();
	unsigned exits = 0, yields = 0;
	bool halted = false;
	int rc;

	cpu_segment_real(&sregs.cs, t->init.regs[R_CS], true);
	cpu_segment_real(&sregs.ss, t->init.regs[R_SS], false);
	cpu_segment_real(&sregs.ds, t->init.regs[R_DS], false);
	cpu_segment_real(&sregs.es, t->init.regs[R_ES], false);
	cpu_segment_real(&sregs.fs, 0, false);
	cpu_segment_real(&sregs.gs, 0, false);
	sregs.cr0 &= ~(uint64_t)CPU_CR0_PE;
	sregs.idt = (struct cpu_dtable){ 0, 0x3FF };
	regs = (struct cpu_regs){
		.rax = t->init.regs[R_AX], .rbx = t->init.regs[R_BX],
		.rcx = t->init.regs[R_CX], .rdx = t->init.regs[R_DX],
		.rsi = t->init.regs[R_SI], .rdi = t->init.regs[R_DI],
		.rsp = t->init.regs[R_SP], .rbp = t->init.regs[R_BP],
		.rip = t->init.regs[R_IP],
		.rflags = (t->init.regs[R_FLAGS] & ~FLAGS_286_REAL_ZERO) | CPU_FLAG_RESERVED,
	};
	rc = cpu->ops->set_sregs(cpu, &sregs);
	if (rc == 0)
		rc = cpu->ops->set_regs(cpu, &regs);
	if (rc < 0) {
		diff_add(d, false, "cannot load the state: %s", strerror(-rc));
		return FAILED;
	}

	while (!halted) {
		rc = cpu->ops->run(cpu, &exit, RUN_BUDGET_NS);
		exits++;
		if (rc < 0) {
			diff_add(d, false, "run failed: %s",
				 exit.reason == CPU_EXIT_FAILED ? exit.failure : strerror(-rc));
			return FAILED;
		}
		r->now_ns += exit.guest_ns;
		switch (exit.reason) {
		case CPU_EXIT_HLT:
			halted = true;
			break;
		case CPU_EXIT_IO:
			bus_io(r, exit.io.port, exit.io.size, exit.io.is_write, exit.io.data,
			       exit.io.count);
			break;
		case CPU_EXIT_MMIO:
			bus_mmio(r, exit.mmio.gpa, exit.mmio.data, exit.mmio.len, exit.mmio.is_write);
			break;
		case CPU_EXIT_SHUTDOWN:
			diff_add(d, false, "shutdown (triple fault)");
			return FAILED;
		case CPU_EXIT_FAILED:
			diff_add(d, false, "the backend failed: %s", exit.failure);
			/* KVM here emulates real mode in software, and its emulator
			 * gives up on some instructions: that says nothing of them. */
			return strcmp(r->cpu_name, "kvm") == 0 ? UNSUPPORTED : FAILED;
		case CPU_EXIT_YIELD: /* a budget of virtual time ran out (the IST) */
			yields++;
			break;
		default: /* IRQ_WINDOW, INTERRUPTED: go on */
			break;
		}
		if (!halted && (yields >= RUN_YIELD_LIMIT || exits > RUN_EXIT_LIMIT ||
				host_ns() - start > RUN_HOST_LIMIT_NS)) {
			diff_add(d, false, "no HLT after %u budgets of %llu ns, %u exits, %.2f s",
				 yields, (unsigned long long)RUN_BUDGET_NS, exits,
				 (double)(host_ns() - start) / 1e9);
			break;
		}
	}

	rc = cpu->ops->get_regs(cpu, &regs);
	if (rc == 0)
		rc = cpu->ops->get_sregs(cpu, &sregs);
	if (rc < 0) {
		diff_add(d, false, "cannot read the state: %s", strerror(-rc));
		return FAILED;
	}
	if (sregs.cr0 & CPU_CR0_PE)
		diff_add(d, false, "left real mode (CR0 %08llx)", (unsigned long long)sregs.cr0);
	if (r->mmio_accesses)
		diff_add(d, false, "%u accesses outside RAM, the first at %llx", r->mmio_accesses,
			 (unsigned long long)r->first_mmio);
	if (r->sentinel && sregs.cs.selector == r->sentinel >> 4 && regs.rip >= 1 &&
	    regs.rip <= SENTINEL_SIZE) {
		unsigned v = (unsigned)regs.rip - 1;
		if (t->has_exception)
			diff_add(d, false, "exception %u%s, where the 286 took %u%s", v, vector_name(v),
				 t->exception, vector_name(t->exception));
		else
			diff_add(d, false, "exception %u%s, which the 286 did not take", v,
				 vector_name(v));
	}
	if (alias && sregs.cs.selector == alias_cs && (uint16_t)regs.rip == (uint16_t)(alias_ip + 1)) {
		uint16_t ip, cs;
		init_ivt(t, rules_on->vector->vector_286, &ip, &cs);
		d->blamed |= rules_on->vector_bit;
		diff_add(d, true, "exception: took vector %u where the 286 took %u",
			 rules_on->vector->vector_386, rules_on->vector->vector_286);
		cpu_segment_real(&sregs.cs, cs, true);
		regs.rip = (uint16_t)(ip + 1);
	}

	for (unsigned reg = 0; reg < MOO_REGS; reg++) {
		uint16_t expected = (t->fina.mask & (1u << reg)) ? t->fina.regs[reg]
								   : t->init.regs[reg];
		if (reg == R_FLAGS) {
			if (!(t->fina.mask & (1u << reg)))
				expected &= (uint16_t)~FLAGS_286_REAL_ZERO;
			compare_flags(d, "flags", expected, (uint16_t)regs.rflags, meta_mask,
				      rule_mask, rules_on->flags_bits);
		} else if (reg >= R_CS && reg <= R_ES) {
			const struct cpu_segment *s = sreg_of(&sregs, reg);
			if (s->selector != expected)
				diff_add(d, false, "%s: expected %04x got %04x", moo_reg_name[reg],
					 expected, s->selector);
			else if (s->base != (uint64_t)s->selector << 4)
				diff_add(d, false, "%s.base: expected %05x got %llx", moo_reg_name[reg],
					 (unsigned)expected << 4, (unsigned long long)s->base);
		} else if (reg == R_IP && rules_on->ip_wrap && expected == 0 && regs.rip == 0x10000) {
			diff_add(d, true, "ip: expected 0000 got eip 10000 (the HLT at offset FFFF)");
			d->blamed |= rules_on->ip_wrap_bit;
		} else if (restart && (reg == R_SI || reg == R_DI || reg == R_CX) &&
			   expected != expected_386[reg]) {
			uint64_t got = gpr_of(&regs, reg);
			if (got != expected_386[reg])
				diff_add(d, false, "%s: expected %04x (the 286 left %04x; a 386 restarts "
					 "the faulting iteration) got %04llx", moo_reg_name[reg],
					 expected_386[reg], expected, (unsigned long long)got);
			else
				d->blamed |= rules_on->restart_bit,
				diff_add(d, true, "%s: the 286 left %04x, a 386 %04x", moo_reg_name[reg],
					 expected, expected_386[reg]);
		} else {
			uint64_t got = gpr_of(&regs, reg);
			if ((uint16_t)got != expected)
				diff_add(d, false, "%s: expected %04x got %04x", moo_reg_name[reg],
					 expected, (unsigned)(uint16_t)got);
			else if (got >> 16)
				diff_add(d, false, "e%s: bits 16-31 changed to %04x (expected 0)",
					 moo_reg_name[reg], (unsigned)(got >> 16 & 0xFFFF));
		}
	}
	if ((regs.rflags >> 16) & 0xFFFF)
		diff_add(d, false, "eflags: bits 16-31 are %04x (expected 0)",
			 (unsigned)(regs.rflags >> 16));

	/* The FLAGS image an exception pushed, below CS and IP on the final
	 * stack. (EXCP's address is one low when SP is odd: computed here.) */
	if (t->has_exception) {
		uint32_t ss = (t->fina.mask & (1u << R_SS)) ? t->fina.regs[R_SS] : t->init.regs[R_SS];
		uint16_t sp = (t->fina.mask & (1u << R_SP)) ? t->fina.regs[R_SP] : t->init.regs[R_SP];
		pushed_flags[0] = (ss << 4) + (uint16_t)(sp + 4);
		pushed_flags[1] = (ss << 4) + (uint16_t)(sp + 5);
	}
	for (uint32_t i = 0; i < t->fina.ram_count; i++) {
		const uint8_t *e = t->fina.ram + 5 * i;
		uint32_t at = get32(e);
		uint8_t got = at < RAM_SIZE ? r->ram[at] : 0xFF;
		if (t->has_exception && (at == pushed_flags[0] || at == pushed_flags[1])) {
			/* Undefined flags there as in FLAGS. */
			unsigned shift = at == pushed_flags[0] ? 0 : 8;
			uint8_t defined = (uint8_t)(meta_mask >> shift);
			uint8_t ruled = (uint8_t)(rule_mask >> shift);
			uint8_t differ = (uint8_t)((got ^ e[4]) & defined);
			if (differ && !(differ & ~ruled))
				d->blamed |= rules_on->flags_bits;
			if (differ)
				diff_add(d, !(differ & ~ruled),
					 "ram[%06x] (pushed flags %s byte): expected %02x got %02x",
					 at, shift ? "high" : "low", e[4], got);
		} else if (got != e[4]) {
			diff_add(d, false, "ram[%06x]: expected %02x got %02x", at, e[4], got);
		}
	}
	/* A string instruction that faults: the 286's port reads include the
	 * faulting iteration's, a 386's need not (RULE_RESTART). */
	if (restart && (r->io_unmatched || r->io_cursor < r->io_read_count))
		d->blamed |= rules_on->restart_bit;
	if (r->io_unmatched)
		diff_add(d, restart, "%u port bytes read that the 286 did not read (given 0xFF)",
			 r->io_unmatched);
	if (r->io_cursor < r->io_read_count)
		diff_add(d, restart, "%zu port bytes the 286 read were not read",
			 r->io_read_count - r->io_cursor);

	if (d->unmasked)
		return FAILED;
	return d->masked ? MASKED : PASSED;
}

/* One test: INIT into RAM, the run and comparison, and RAM cleaned after. */
static enum outcome run_test(struct runner *r, const struct moo_test *t, uint16_t meta_mask,
			     const struct applied *rules_on, struct diffs *d)
{
	uint16_t alias_cs = 0, alias_ip = 0;
	bool alias = false;
	enum outcome outcome;

	memset(d, 0, sizeof(*d));
	r->io_unmatched = r->mmio_accesses = 0;
	if (runner_collect_io(r, t) < 0) {
		diff_add(d, false, "out of memory");
		return FAILED;
	}
	for (uint32_t i = 0; i < t->init.ram_count; i++) {
		const uint8_t *e = t->init.ram + 5 * i;
		if (get32(e) < RAM_SIZE)
			ram_poke(r, get32(e), e[4]);
	}
	sentinel_fill(r, t);
	if (rules_on->vector)
		alias = vector_alias(r, t, rules_on->vector, &alias_cs, &alias_ip);

	outcome = run_and_compare(r, t, meta_mask, rules_on, alias, alias_cs, alias_ip, d);

	/* The next test must not see these bytes. (What a backend wrote
	 * elsewhere stays: the 16 MiB are not scanned after each test.) */
	sentinel_clear(r);
	if (alias) {
		memset(r->ram + rules_on->vector->vector_386 * 4, 0, 4);
		ram_written(r, rules_on->vector->vector_386 * 4, 4);
	}
	for (uint32_t i = 0; i < t->init.ram_count; i++)
		if (get32(t->init.ram + 5 * i) < RAM_SIZE)
			ram_poke(r, get32(t->init.ram + 5 * i), 0);
	for (uint32_t i = 0; i < t->fina.ram_count; i++)
		if (get32(t->fina.ram + 5 * i) < RAM_SIZE)
			ram_poke(r, get32(t->fina.ram + 5 * i), 0);
	return outcome;
}

static void print_state(const struct moo_state *s, const char *label)
{
	printf("    %s:", label);
	for (unsigned reg = 0; reg < MOO_REGS; reg++)
		if (s->mask & (1u << reg))
			printf(" %s=%04x", moo_reg_name[reg], s->regs[reg]);
	printf("\n");
}

static void print_failure(const char *stem, const struct moo_test *t, const struct diffs *d,
			  const char *verdict)
{
	printf("  %s %s #%u \"%.*s\" bytes", verdict, stem, t->index, (int)t->name_len, t->name);
	for (uint32_t i = 0; i < t->byte_count; i++)
		printf(" %02x", t->bytes[i]);
	if (t->has_exception)
		printf(" (exception %u, FLAGS pushed at %06x)", t->exception,
		       t->exception_flags_addr);
	printf("\n");
	print_state(&t->init, "init");
	print_state(&t->fina, "fina");
	fputs(d->text, stdout);
}

/* The form a file holds: "80.3" is opcode 80, reg 3. */
static void split_stem(const char *stem, char *opcode, size_t size, int *reg)
{
	const char *dot = strchr(stem, '.');
	size_t n = dot ? (size_t)(dot - stem) : strlen(stem);
	snprintf(opcode, size, "%.*s", (int)n, stem);
	*reg = dot && isdigit((unsigned char)dot[1]) ? dot[1] - '0' : -1;
}

/* Rules for a form: its own ("80.3") and its opcode's ("80"). */
static bool rule_matches(const struct rule *rule, const char *stem, const char *opcode)
{
	return strcmp(rule->form, "*") == 0 || strcmp(rule->form, stem) == 0 ||
	       strcmp(rule->form, opcode) == 0;
}

static int run_file(struct runner *r, const char *dir, const char *stem, const struct meta *meta,
		    const struct revoked *revoked, struct tally *total)
{
	char path[4096], err[8192], opcode[8], form[32];
	const struct meta_entry *me;
	struct moo_file f;
	struct moo_test t;
	struct tally tally = { 0 };
	uint16_t meta_mask, test_mask;
	int reg, got;

	snprintf(path, sizeof(path), "%s/%s.MOO.gz", dir, stem);
	if (moo_open(path, &f, err, sizeof(err)) < 0) {
		fprintf(stderr, "cputests: %s\n", err);
		return -1;
	}
	split_stem(stem, opcode, sizeof(opcode), &reg);
	me = meta_find(meta, opcode, reg);
	meta_mask = me ? me->flags_mask : 0xFFFF;
	form_name(opcode, reg, form, sizeof(form));

	while ((got = moo_next(&f, &t)) == 1) {
		struct applied on = { 0 };
		const struct rule *skip = NULL;
		struct diffs d;
		enum outcome outcome;

		if (r->sample > 1 && r->seen++ % r->sample != 0)
			continue;
		tally.tests++;
		if (revoked_has(revoked, t.hash)) {
			tally.revoked++;
			continue;
		}
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
			const struct rule *rule = &rules[i];
			uint64_t bit = 1ull << i;
			if (!rule_matches(rule, stem, opcode) ||
			    (rule->backend && strcmp(rule->backend, r->cpu_name) != 0) ||
			    (rule->applies && !rule->applies(&t)))
				continue;
			switch (rule->kind) {
			case RULE_SKIP: skip = rule; break;
			case RULE_FLAGS: on.flags |= rule->flags; on.flags_bits |= bit; break;
			case RULE_VECTOR: on.vector = rule; on.vector_bit = bit; break;
			case RULE_RESTART: on.restart = true; on.restart_bit = bit; break;
			case RULE_IP_WRAP: on.ip_wrap = true; on.ip_wrap_bit = bit; break;
			}
		}
		if (skip) {
			tally.skipped++;
			r->rule_hits[skip - rules]++;
			continue;
		}
		/* A file of a whole group (8F, C6, C7): metadata.json may still
		 * speak of each reg. */
		test_mask = meta_mask;
		if (reg < 0) {
			struct insn_shape shape = insn_shape(&t);
			const struct meta_entry *by_reg =
				meta_find(meta, opcode, shape.modrm < 0 ? -1 : (int)modrm_reg(&shape));
			if (by_reg)
				test_mask = by_reg->flags_mask;
		}
		outcome = run_test(r, &t, test_mask, &on, &d);
		if (outcome == PASSED) {
			tally.passed++;
		} else if (outcome == MASKED) {
			tally.masked++;
			for (size_t i = 0; i < RULE_COUNT; i++)
				if (d.blamed & (1ull << i))
					r->rule_hits[i]++;
			if (r->verbose > 1)
				print_failure(stem, &t, &d, "MASKED");
		} else if (outcome == UNSUPPORTED) {
			tally.unsupported++;
			if (r->verbose > 1)
				print_failure(stem, &t, &d, "UNSUPPORTED");
		} else {
			tally.failed++;
			if (r->verbose)
				print_failure(stem, &t, &d, "FAIL");
		}
	}
	if (got < 0)
		fprintf(stderr, "cputests: %s: malformed TEST chunk after test %u\n", path,
			tally.tests);
	moo_close(&f);

	printf("%-6s %-18s %5u tests %5u passed %5u failed %5u masked-skip", stem, form,
	       tally.tests, tally.passed, tally.failed,
	       tally.masked + tally.skipped + tally.revoked + tally.unsupported);
	/* metadata.json's word on forms that are not plain documented ones */
	if (me && me->status[0] && strcmp(me->status, "normal") != 0)
		printf("   (%s)", me->status);
	printf("\n");
	fflush(stdout);
	total->tests += tally.tests;
	total->passed += tally.passed;
	total->failed += tally.failed;
	total->masked += tally.masked;
	total->skipped += tally.skipped;
	total->revoked += tally.revoked;
	total->unsupported += tally.unsupported;
	return got < 0 ? -1 : 0;
}

static int compare_stems(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The MOO files of dir, by name; --opcode XX picks "XX" and "XX.n". */
static char **list_stems(const char *dir, const char *only, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **stems = NULL;
	size_t n = 0;

	*count = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char *stem, **bigger;
		if (len <= 7 || strcmp(de->d_name + len - 7, ".MOO.gz") != 0)
			continue;
		stem = strndup(de->d_name, len - 7);
		if (!stem)
			break;
		if (only) {
			size_t k = strlen(only);
			if (strcasecmp(stem, only) != 0 &&
			    !(strncasecmp(stem, only, k) == 0 && stem[k] == '.')) {
				free(stem);
				continue;
			}
		}
		bigger = realloc(stems, (n + 1) * sizeof(*stems));
		if (!bigger) {
			free(stem);
			break;
		}
		stems = bigger;
		stems[n++] = stem;
	}
	closedir(d);
	if (n)
		qsort(stems, n, sizeof(*stems), compare_stems);
	*count = n;
	return stems;
}

static void usage(FILE *to)
{
	fprintf(to, "usage: cputests [--cpu ist|interp|kvm] [--sample N] [--opcode XX] [--verbose] DIR\n"
		    "  Runs the MOO CPU test vectors in DIR (the 80286 real-mode suite).\n"
		    "  --cpu B      ist (every block translated, the default), interp (the IST\n"
		    "               interpreting only) or kvm\n"
		    "  --sample N   every Nth test only\n"
		    "  --opcode XX  one form: 00, 80 (all of 80.0-80.7) or 80.3\n"
		    "  --verbose    each failing test with its differences (twice: masked too)\n");
}

int main(int argc, char **argv)
{
	const char *cpu_name = "ist", *only = NULL, *dir = NULL;
	char path[4096], err[8192], reason[256];
	struct runner r = { 0 };
	struct tally total = { 0 };
	struct meta meta = { 0 };
	struct revoked revoked = { 0 };
	struct stat st;
	char **stems = NULL;
	size_t stem_count = 0;
	bool broken = false;
	uint64_t start;
	int status;

	r.sample = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc) {
			cpu_name = argv[++i];
		} else if (strcmp(argv[i], "--sample") == 0 && i + 1 < argc) {
			r.sample = (unsigned)strtoul(argv[++i], NULL, 10);
			if (r.sample == 0)
				r.sample = 1;
		} else if (strcmp(argv[i], "--opcode") == 0 && i + 1 < argc) {
			only = argv[++i];
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			r.verbose++;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || dir) {
			usage(stderr);
			return 2;
		} else {
			dir = argv[i];
		}
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}
	if (strcmp(cpu_name, "ist") != 0 && strcmp(cpu_name, "interp") != 0 &&
	    strcmp(cpu_name, "kvm") != 0) {
		fprintf(stderr, "cputests: unknown CPU backend '%s' (ist, interp, kvm)\n", cpu_name);
		return 2;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP cputests: %s absent\n", dir);
		return MESON_SKIP;
	}
	if (strcmp(cpu_name, "kvm") == 0 && !kvm_usable(reason, sizeof(reason))) {
		printf("SKIP kvm: %s\n", reason);
		return MESON_SKIP;
	}

	snprintf(path, sizeof(path), "%s/metadata.json", dir);
	if (meta_load(&meta, path, err, sizeof(err)) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/revocation_list.txt", dir);
	if (revoked_load(&revoked, path, err, sizeof(err)) < 0)
		goto fail;
	stems = list_stems(dir, only, &stem_count);
	if (!stem_count) {
		snprintf(err, sizeof(err), "no %s*.MOO.gz in %s", only ? only : "", dir);
		goto fail;
	}
	if (runner_init(&r, cpu_name, err, sizeof(err)) < 0)
		goto fail;

	printf("cputests: %s backend, %zu forms in %s\n", cpu_name, stem_count, dir);
	if (r.sample > 1)
		printf("cputests: every %uth test\n", r.sample);
	start = host_ns();
	for (size_t i = 0; i < stem_count; i++)
		if (run_file(&r, dir, stems[i], &meta, &revoked, &total) < 0)
			broken = true;
	printf("total: %u tests, %u passed, %u failed; masked-skip: %u masked by a rule, %u skipped "
	       "by a rule, %u revoked, %u the backend gave up on; %.1f s on %s\n",
	       total.tests, total.passed, total.failed, total.masked, total.skipped, total.revoked,
	       total.unsupported, (double)(host_ns() - start) / 1e9, cpu_name);
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (r.rule_hits[i])
			printf("rule %-4s %-3s %5u tests %-7s %.66s%s\n", rules[i].form,
			       rules[i].backend ? rules[i].backend : "", r.rule_hits[i],
			       rules[i].kind == RULE_SKIP ? "skipped" : "masked", rules[i].reason,
			       strlen(rules[i].reason) > 66 ? "..." : "");
	status = total.failed || broken ? 1 : 0;
	goto out;
fail:
	fprintf(stderr, "cputests: %s\n", err);
	status = 1;
out:
	runner_finish(&r);
	for (size_t i = 0; i < stem_count; i++)
		free(stems[i]);
	free(stems);
	free(meta.entries);
	free(revoked.hash);
	return status;
}
