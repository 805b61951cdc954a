/* difftest.c: differential tests of the IST against KVM: generated instruction sequences run
 * from the same state on both backends; registers, defined flags and memory compared, and a
 * failing sequence shrunk to the units that still disagree. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#include <sanitizer/common_interface_defs.h>
#define HAVE_DEATH_CALLBACK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define HAVE_DEATH_CALLBACK 1
#endif
#endif

#include "cpu.h"
#include "difftest.h"
#include "ist/ist.h"
#include "kvm/kvm.h"
#include "memmap.h"

#define MESON_SKIP 77
#define MAX_RUNS 64         /* run() calls before a case counts as running away */
#define RUN_BUDGET_NS 1000000u /* virtual time per run(): the IST's 1 ns per instruction */
#define MAX_RUN_S 0.3       /* host time before a case counts as running away */
#define PROBE_SAMPLES 12    /* single-unit runs per template when probing KVM */
#define SEL(index) ((index) * 8)
#define GDT_ENTRIES 8
#define TSS_SEL SEL(7)
#define IDT_GATES 256

static const char *const mode_names[] = { "real", "pm16", "pm32" };
static const char *const sreg_names[] = { "es", "cs", "ss", "ds", "fs", "gs" };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What to say if a backend crashes the whole program: the case that did it. */
static char crash_note[256];

/* ---- Backends ---- */

struct shared_outcome;

struct backend {
	const char *name;
	bool is_kvm;
	struct memmap map;
	uint8_t *ram;
	struct cpu *cpu;
	unsigned devices;    /* port or MMIO accesses during the current run */
	char device_what[96];
	bool isolate;        /* run in a child process: a crash becomes an outcome */
	bool quiet;          /* the child's stderr goes nowhere (while shrinking) */
	struct shared_outcome *shared;
};

static void note_device(struct backend *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_device(struct backend *b, const char *fmt, ...)
{
	va_list ap;
	if (b->devices++)
		return;
	va_start(ap, fmt);
	vsnprintf(b->device_what, sizeof(b->device_what), fmt, ap);
	va_end(ap);
}

static void bus_io(void *opaque, uint16_t port, unsigned size, bool is_write, uint8_t *data,
		   uint32_t count)
{
	if (!is_write)
		memset(data, 0xFF, (size_t)size * count);
	note_device(opaque, "port 0x%x %s", port, is_write ? "write" : "read");
}

static void bus_mmio(void *opaque, uint64_t gpa, uint8_t *data, unsigned len, bool is_write)
{
	if (!is_write)
		memset(data, 0xFF, len);
	note_device(opaque, "unmapped address 0x%" PRIx64 " %s", gpa, is_write ? "write" : "read");
}

static uint64_t bus_now(void *opaque)
{
	return 0;
}

static int backend_create(struct backend *b, const char *kind, char *err, size_t err_size)
{
	struct cpu_bus bus = { bus_io, bus_mmio, bus_now, b };
	struct mem_mapping ram = { .base = 0, .size = DT_RAM, .kind = MEM_RAM, .name = "RAM" };
	int rc;

	memset(b, 0, sizeof(*b));
	b->name = kind;
	b->is_kvm = strcmp(kind, "kvm") == 0;
	b->ram = mmap(NULL, DT_RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->ram == MAP_FAILED) {
		b->ram = NULL;
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	ram.host = b->ram;
	memmap_init(&b->map);
	rc = memmap_add(&b->map, &ram, NULL);
	if (rc < 0) {
		snprintf(err, err_size, "memmap_add: %s", strerror(-rc));
		return rc;
	}
	if (b->is_kvm)
		return kvm_cpu_create(&b->map, &b->cpu, err, err_size);
	return ist_cpu_create(&b->map, &bus,
			      strcmp(kind, "interp") == 0 ? IST_INTERPRET : IST_TRANSLATE_ALL, &b->cpu,
			      err, err_size);
}


/* ---- Cases ---- */

/* The state a case starts from, the same for both backends. */
struct initial {
	enum dt_mode mode;
	struct cpu_regs regs;
	struct cpu_sregs sregs;
	uint32_t org;             /* where the code goes (per run): DT_CODE or near a page end */
	uint8_t mem[DT_COMPARED];
};

enum end { END_HLT, END_SHUTDOWN, END_FAILED, END_RUNAWAY };

struct outcome {
	enum end end;
	char why[192];
	struct cpu_regs regs;
	struct cpu_sregs sregs;
	unsigned devices;
	char device_what[96];
	const uint8_t *mem; /* the backend's RAM: valid until its next run */
};

static void put_descriptor(uint8_t *d, uint32_t base, uint32_t limit, uint8_t access,
			   uint8_t flags)
{
	d[0] = (uint8_t)limit;
	d[1] = (uint8_t)(limit >> 8);
	d[2] = (uint8_t)base;
	d[3] = (uint8_t)(base >> 8);
	d[4] = (uint8_t)(base >> 16);
	d[5] = access;
	d[6] = (uint8_t)((flags << 4) | ((limit >> 16) & 0xF));
	d[7] = (uint8_t)(base >> 24);
}

/* A protected-mode segment as the GDT holds it and as the cache gets it. */
static void pm_segment(struct initial *in, struct cpu_segment *seg, unsigned index, uint32_t base,
		       bool big, bool code)
{
	uint8_t type = code ? 0xB : 0x3; /* accessed already: loads write nothing */
	uint32_t limit = big ? 0xFFFFFu : 0xFFFFu;
	put_descriptor(in->mem + DT_GDT + index * 8, base, limit, (uint8_t)(0x90 | type),
		       big ? 0xC : 0x0);
	*seg = (struct cpu_segment){
		.base = base, .limit = big ? 0xFFFFFFFFu : 0xFFFFu, .selector = (uint16_t)SEL(index),
		.type = type, .present = 1, .dpl = 0, .db = big, .s = 1, .g = big,
	};
}

/* The handler of vector v: a HLT (it stops there) or an IRET. */
static uint32_t stub_of(unsigned v)
{
	return v < DT_RETURNING_VECTOR ? DT_STUBS + v : DT_IRET_STUBS + v - DT_RETURNING_VECTOR;
}

static void fill_random(uint8_t *p, size_t n, struct dt_rng *rng)
{
	for (size_t k = 0; k + 8 <= n; k += 8) {
		uint64_t v = dt_rand(rng);
		memcpy(p + k, &v, 8);
	}
}

/* Builds the machine a case starts in: tables, handler stubs, windows of
 * random data, random registers; and what the generator may assume. */
/* variant: 0 or 1 picks pm32's stack (1: flat SS), -1 a random one. */
static void make_initial(struct initial *in, struct dt_env *env, enum dt_mode mode,
			 struct dt_rng *rng, int variant)
{
	struct cpu_sregs *s = &in->sregs;
	bool pm = mode != DT_REAL, big = mode == DT_PM32;
	bool flat_ss = big && (variant < 0 ? (dt_rand(rng) & 1) : variant == 1);
	uint64_t r;

	/* Half the sequences start just before a page boundary and run across it. */
	in->org = DT_CODE;
	if (variant < 0 && (dt_rand(rng) & 1))
		in->org = DT_CODE + 0xF00 + dt_below(rng, 0xF0);

	memset(in->mem, 0, DT_CODE_END);
	fill_random(in->mem + DT_WINDOW(0), DT_COMPARED - DT_WINDOW(0), rng);
	memset(in->mem + DT_STUBS, 0xF4, DT_RETURNING_VECTOR);            /* hlt */
	memset(in->mem + DT_IRET_STUBS, 0xCF, 256 - DT_RETURNING_VECTOR); /* iret(d) */
	for (unsigned v = 0; v < 256; v++) {
		uint16_t off = (uint16_t)stub_of(v);
		memcpy(in->mem + DT_IVT + v * 4, &off, 2); /* segment 0 */
	}
	memset(s, 0, sizeof(*s));
	in->mode = mode;
	if (pm) {
		pm_segment(in, &s->cs, 1, 0, big, true);
		pm_segment(in, &s->ds, 2, big ? 0 : DT_WINDOW(0), big, false);
		pm_segment(in, &s->es, 3, DT_WINDOW(1), big, false);
		pm_segment(in, &s->ss, 4, flat_ss ? 0 : DT_WINDOW(2), big, false);
		pm_segment(in, &s->fs, 5, DT_WINDOW(3), big, false);
		pm_segment(in, &s->gs, 6, DT_WINDOW(4), big, false);
		for (unsigned v = 0; v < IDT_GATES; v++) {
			uint8_t *gate = in->mem + DT_IDT + v * 8;
			uint16_t off = (uint16_t)stub_of(v), sel = SEL(1);
			memcpy(gate, &off, 2);
			memcpy(gate + 2, &sel, 2);
			gate[4] = 0;
			gate[5] = big ? 0x8E : 0x86; /* present, DPL 0, 32/16-bit interrupt gate */
		}
		s->idt = (struct cpu_dtable){ DT_IDT, IDT_GATES * 8 - 1 };
		s->cr0 = CPU_CR0_PE | 0x10; /* PE, ET */
	} else {
		cpu_segment_real(&s->cs, 0, true);
		cpu_segment_real(&s->ds, DT_WINDOW(0) >> 4, false);
		cpu_segment_real(&s->es, DT_WINDOW(1) >> 4, false);
		cpu_segment_real(&s->ss, DT_WINDOW(2) >> 4, false);
		cpu_segment_real(&s->fs, DT_WINDOW(3) >> 4, false);
		cpu_segment_real(&s->gs, DT_WINDOW(4) >> 4, false);
		s->idt = (struct cpu_dtable){ 0, 0x3FF };
		s->cr0 = 0x10;
	}
	put_descriptor(in->mem + DT_GDT + 7 * 8, DT_TSS, 0x67, 0x8B, 0); /* busy 386 TSS */
	s->tr = (struct cpu_segment){ .base = DT_TSS, .limit = 0x67, .selector = TSS_SEL,
				      .type = 0xB, .present = 1 };
	s->ldt = (struct cpu_segment){ .type = 0x2, .unusable = true };
	s->gdt = (struct cpu_dtable){ DT_GDT, GDT_ENTRIES * 8 - 1 };

	memset(env, 0, sizeof(*env));
	env->mode = mode;
	env->code32 = big;
	env->stack32 = big;
	env->esp_high_zero = big || (dt_rand(rng) & 1);
	for (unsigned k = 0; k < DT_SREGS; k++) {
		env->ea_lo[k] = 0;
		env->ea_hi[k] = 0x10000;
		env->writable[k] = k != DT_CS;
	}
	if (big) { /* DS is flat: its window is at its linear address */
		env->ea_lo[DT_DS] = DT_WINDOW(0);
		env->ea_hi[DT_DS] = DT_WINDOW(0) + 0x10000;
	}
	env->flat_stack = flat_ss;
	env->sp0 = DT_STACK_TOP;
	if (flat_ss) {
		env->ea_lo[DT_SS] = DT_WINDOW(2);
		env->ea_hi[DT_SS] = DT_WINDOW(2) + 0x10000;
		env->sp0 = DT_WINDOW(2) + DT_STACK_TOP;
	}

	r = dt_rand(rng);
	in->regs = (struct cpu_regs){
		.rax = (uint32_t)dt_rand(rng), .rbx = (uint32_t)dt_rand(rng),
		.rcx = (uint32_t)dt_rand(rng), .rdx = (uint32_t)dt_rand(rng),
		.rsi = (uint32_t)dt_rand(rng), .rdi = (uint32_t)dt_rand(rng),
		.rbp = (uint32_t)dt_rand(rng),
		.rsp = (env->esp_high_zero ? 0 : (uint32_t)(r >> 32) & 0xFFFF0000u) | env->sp0,
		.rip = in->org,
		/* random status flags and DF, IF clear */
		.rflags = CPU_FLAG_RESERVED | ((uint32_t)r & (F_ARITH | 0x400u)),
	};
}

static void backend_run_here(struct backend *b, const struct initial *in, const uint8_t *code,
			     size_t code_len, struct outcome *out)
{
	const struct cpu_ops *ops = b->cpu->ops;
	struct cpu_exit exit;
	unsigned runs;
	double start;
	int rc;

	memset(out, 0, sizeof(*out));
	b->devices = 0;
	b->device_what[0] = 0;
	memcpy(b->ram, in->mem, DT_COMPARED);
	memcpy(b->ram + in->org, code, code_len);
	/* The IST keeps decoded code: the host just rewrote the code page. */
	rc = ops->memory_changed(b->cpu, &b->map);
	if (rc == 0)
		rc = ops->set_sregs(b->cpu, &in->sregs);
	if (rc == 0)
		rc = ops->set_regs(b->cpu, &in->regs);
	if (rc < 0) {
		out->end = END_FAILED;
		snprintf(out->why, sizeof(out->why), "setting the state failed: %s", strerror(-rc));
		return;
	}
	out->end = END_RUNAWAY;
	snprintf(out->why, sizeof(out->why), "no HLT after %u run() calls", MAX_RUNS);
	start = now_s();
	for (runs = 0; runs < MAX_RUNS; runs++) {
		if (runs > 2 && now_s() - start > MAX_RUN_S) {
			snprintf(out->why, sizeof(out->why), "no HLT after %.1f s", now_s() - start);
			break;
		}
		rc = ops->run(b->cpu, &exit, RUN_BUDGET_NS);
		if (rc < 0) {
			out->end = END_FAILED;
			snprintf(out->why, sizeof(out->why), "run() failed: %s",
				 exit.reason == CPU_EXIT_FAILED ? exit.failure : strerror(-rc));
			break;
		}
		if (exit.reason == CPU_EXIT_HLT) {
			out->end = END_HLT;
			out->why[0] = 0;
			break;
		}
		if (exit.reason == CPU_EXIT_SHUTDOWN) {
			out->end = END_SHUTDOWN;
			snprintf(out->why, sizeof(out->why), "triple fault");
			break;
		}
		if (exit.reason == CPU_EXIT_FAILED) {
			out->end = END_FAILED;
			snprintf(out->why, sizeof(out->why), "%s", exit.failure);
			break;
		}
		if (exit.reason == CPU_EXIT_IO)
			bus_io(b, exit.io.port, exit.io.size, exit.io.is_write, exit.io.data,
			       exit.io.count);
		else if (exit.reason == CPU_EXIT_MMIO)
			bus_mmio(b, exit.mmio.gpa, exit.mmio.data, exit.mmio.len, exit.mmio.is_write);
	}
	ops->get_regs(b->cpu, &out->regs);
	ops->get_sregs(b->cpu, &out->sregs);
	out->devices = b->devices;
	snprintf(out->device_what, sizeof(out->device_what), "%s", b->device_what);
	out->mem = b->ram;
}

/* What a child process hands back. */
struct shared_outcome {
	struct outcome out;
	uint8_t mem[DT_COMPARED];
};

static void backend_run(struct backend *b, const struct initial *in, const uint8_t *code,
			size_t code_len, struct outcome *out)
{
	struct shared_outcome *sh = b->shared;
	int status;
	pid_t pid;

	if (!b->isolate || b->is_kvm) { /* a KVM vCPU cannot leave its process */
		backend_run_here(b, in, code, code_len, out);
		return;
	}
	if (!sh) {
		sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			  0);
		if (sh == MAP_FAILED) {
			b->isolate = false;
			backend_run_here(b, in, code, code_len, out);
			return;
		}
		b->shared = sh;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		crash_note[0] = 0; /* the parent reports it */
		if (b->quiet && !freopen("/dev/null", "w", stderr))
			_exit(3);
		backend_run_here(b, in, code, code_len, &sh->out);
		memcpy(sh->mem, b->ram, DT_COMPARED);
		_exit(0);
	}
	memset(out, 0, sizeof(*out));
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		out->end = END_FAILED;
		snprintf(out->why, sizeof(out->why), "cannot run a child process: %s",
			 strerror(errno));
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		*out = sh->out;
		out->mem = sh->mem;
		return;
	}
	out->end = END_FAILED;
	if (WIFSIGNALED(status))
		snprintf(out->why, sizeof(out->why), "%s crashed: signal %d", b->name,
			 WTERMSIG(status));
	else
		snprintf(out->why, sizeof(out->why), "%s crashed: exit status %d (a sanitizer?)",
			 b->name, WEXITSTATUS(status));
}

static void backend_destroy(struct backend *b)
{
	if (b->cpu)
		b->cpu->ops->destroy(b->cpu);
	memmap_finish(&b->map);
	if (b->ram)
		munmap(b->ram, DT_RAM);
	if (b->shared)
		munmap(b->shared, sizeof(*b->shared));
}

/* ---- Comparing ---- */

static void format_flags(char *buf, size_t n, uint32_t f)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ 0x1, "CF" }, { 0x4, "PF" }, { 0x10, "AF" }, { 0x40, "ZF" }, { 0x80, "SF" },
		{ 0x100, "TF" }, { 0x200, "IF" }, { 0x400, "DF" }, { 0x800, "OF" },
		{ 0x4000, "NT" }, { 0x10000, "RF" }, { 0x20000, "VM" }, { 0x40000, "AC" },
		{ 0x80000, "VIF" }, { 0x100000, "VIP" }, { 0x200000, "ID" },
	};
	size_t used = 0;
	buf[0] = 0;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && used < n; k++)
		if (f & names[k].bit)
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? " " : "",
						 names[k].name);
	if ((f & 0x3000) && used < n)
		snprintf(buf + used, n - used, "%sIOPL=%u", used ? " " : "", (f >> 12) & 3);
}

static const char *const gpr_names[] = { "EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI" };

static uint32_t gpr(const struct cpu_regs *r, unsigned k)
{
	const uint64_t v[8] = { r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi };
	return (uint32_t)v[k];
}

static const struct cpu_segment *sreg_of(const struct cpu_sregs *s, unsigned k)
{
	const struct cpu_segment *segs[DT_SREGS] = { &s->es, &s->cs, &s->ss, &s->ds, &s->fs, &s->gs };
	return segs[k];
}

static const char *where_eip(char *buf, size_t n, uint32_t eip)
{
	if (eip > DT_STUBS && eip <= DT_STUBS + DT_RETURNING_VECTOR)
		snprintf(buf, n, " (in the handler of exception %u)", eip - DT_STUBS - 1);
	else
		buf[0] = 0;
	return buf;
}

static void print_state(const char *name, const struct outcome *o)
{
	char flags[96], where[64];
	const struct cpu_regs *r = &o->regs;
	format_flags(flags, sizeof(flags), (uint32_t)r->rflags);
	printf("    %-4s EAX=%08x EBX=%08x ECX=%08x EDX=%08x ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n",
	       name, (uint32_t)r->rax, (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
	       (uint32_t)r->rsi, (uint32_t)r->rdi, (uint32_t)r->rbp, (uint32_t)r->rsp);
	printf("         EIP=%08x EFLAGS=%08x [%s]%s\n", (uint32_t)r->rip, (uint32_t)r->rflags, flags,
	       where_eip(where, sizeof(where), (uint32_t)r->rip));
	printf("         CS=%04x DS=%04x ES=%04x SS=%04x FS=%04x GS=%04x", o->sregs.cs.selector,
	       o->sregs.ds.selector, o->sregs.es.selector, o->sregs.ss.selector,
	       o->sregs.fs.selector, o->sregs.gs.selector);
	if (o->end != END_HLT)
		printf("  ENDED: %s", o->why);
	if (o->devices)
		printf("  DEVICE ACCESS: %s", o->device_what);
	printf("\n");
}

static const char *region_name(uint32_t a)
{
	static const char *const windows[] = { "DS", "ES", "SS", "FS", "GS" };
	if (a < DT_GDT)
		return "IVT";
	if (a < DT_STUBS)
		return "tables";
	if (a < DT_CODE)
		return "stubs";
	if (a < DT_CODE_END)
		return "code";
	if (a < DT_WINDOW(0))
		return "low";
	return windows[(a - DT_WINDOW(0)) >> 16];
}

/* Compares two outcomes; prints the differences when asked. Returns how
 * many things differ. */
static unsigned compare(const struct outcome *a, const struct outcome *b, const char *an,
			const char *bn, uint32_t undef, const uint8_t *init, bool print)
{
	unsigned diffs = 0;
	uint32_t fa, fb;

	if (a->end != b->end || (a->end == END_FAILED && strcmp(a->why, b->why) != 0)) {
		diffs++;
		if (print)
			printf("    ending: %s=%s, %s=%s\n", an, a->end == END_HLT ? "HLT" : a->why, bn,
			       b->end == END_HLT ? "HLT" : b->why);
	}
	if ((a->devices != 0) != (b->devices != 0)) {
		diffs++;
		if (print)
			printf("    device access: %s=%s, %s=%s\n", an,
			       a->devices ? a->device_what : "none", bn,
			       b->devices ? b->device_what : "none");
	}
	for (unsigned k = 0; k < 8; k++) {
		if (gpr(&a->regs, k) != gpr(&b->regs, k)) {
			diffs++;
			if (print)
				printf("    %s: %s=%08x %s=%08x\n", gpr_names[k], an, gpr(&a->regs, k),
				       bn, gpr(&b->regs, k));
		}
	}
	if ((uint32_t)a->regs.rip != (uint32_t)b->regs.rip) {
		diffs++;
		if (print)
			printf("    EIP: %s=%08x %s=%08x\n", an, (uint32_t)a->regs.rip, bn,
			       (uint32_t)b->regs.rip);
	}
	fa = (uint32_t)a->regs.rflags & ~undef;
	fb = (uint32_t)b->regs.rflags & ~undef;
	if (fa != fb) {
		char x[96];
		diffs++;
		format_flags(x, sizeof(x), fa ^ fb);
		if (print)
			printf("    EFLAGS: %s=%08x %s=%08x (differ: %s; not compared: %05x)\n", an,
			       (uint32_t)a->regs.rflags, bn, (uint32_t)b->regs.rflags, x, undef);
	}
	for (unsigned k = 0; k < DT_SREGS; k++) {
		const struct cpu_segment *sa = sreg_of(&a->sregs, k), *sb = sreg_of(&b->sregs, k);
		if (sa->selector != sb->selector || sa->base != sb->base) {
			diffs++;
			if (print)
				printf("    %s: %s=%04x (base %08" PRIx64 ") %s=%04x (base %08" PRIx64
				       ")\n",
				       sreg_names[k], an, sa->selector, sa->base, bn, sb->selector,
				       sb->base);
		}
	}
	if (a->mem && b->mem && memcmp(a->mem, b->mem, DT_COMPARED) != 0) {
		unsigned shown = 0;
		for (uint32_t p = 0; p < DT_COMPARED;) {
			uint32_t q;
			if (a->mem[p] == b->mem[p]) {
				p++;
				continue;
			}
			q = p;
			while (q < DT_COMPARED && q - p < 16 && a->mem[q] != b->mem[q])
				q++;
			diffs++;
			if (print && shown++ < 8) {
				printf("    memory %05x (%s+%04x):", p, region_name(p), p & 0xFFFF);
				printf(" %s=", an);
				for (uint32_t k = p; k < q; k++)
					printf("%02x", a->mem[k]);
				printf(" %s=", bn);
				for (uint32_t k = p; k < q; k++)
					printf("%02x", b->mem[k]);
				printf(" (before: ");
				for (uint32_t k = p; k < q; k++)
					printf("%02x", init[k]);
				printf(")\n");
			}
			p = q;
		}
		if (print && shown > 8)
			printf("    ... %u more memory ranges differ\n", shown - 8);
	}
	return diffs;
}

/* ---- Listing ---- */

static void print_listing(const struct dt_seq *seq, uint32_t org)
{
	static uint8_t code[DT_CODE_END - DT_CODE];
	uint32_t starts[DT_MAX_UNITS + 1];
	size_t len = dt_layout(seq, org, code, DT_CODE_END - org, starts);

	for (unsigned i = 0; i < seq->n; i++) {
		const struct dt_unit *u = &seq->u[i];
		printf("    unit %u: %s%s\n", i, u->t->name, u->terminal ? " (ends the run)" : "");
		for (unsigned p = 0; p < u->nparts; p++) {
			const struct dt_part *part = &u->parts[p];
			char hex[3 * 16 + 1] = "";
			uint32_t at = starts[i] + part->off;
			for (unsigned k = 0; k < part->len && k < 15; k++)
				snprintf(hex + 3 * k, sizeof(hex) - 3 * k, "%02x ", code[at + k]);
			printf("      %04x: %-36s %s", org + at, hex, part->text);
			if (p + 1 == u->nparts && u->fix[0].kind == DT_FIX_SKIP) {
				unsigned target = dt_jump_target(seq, i);
				printf("  ; to %04x (%s %u)", org + starts[target],
				       target == seq->n ? "the hlt after unit" : "unit",
				       target == seq->n ? seq->n - 1 : target);
			}
			printf("\n");
		}
	}
	if (len)
		printf("      %04x: %-36s hlt\n", org + starts[seq->n], "f4");
}

static void print_initial(const struct initial *in)
{
	struct outcome o = { .regs = in->regs, .sregs = in->sregs };
	print_state("init", &o);
}

/* ---- Running a case on both backends ---- */

struct harness {
	struct backend a, b; /* a is the reference (KVM unless --pair says otherwise) */
	bool verbose, shrink;
	bool one_case; /* --case or --code: listed and printed as it ran */
	unsigned length;
	unsigned max_shrinks, shrinks; /* shrinking stops after this many failures */
	unsigned max_reports, reports;
	unsigned failures, ref_failures;
	unsigned fail_by_template[512];
	unsigned likely_by_template[512]; /* not shrunk: a known culprit's unit disagrees alone */
	unsigned unfiled;                 /* not shrunk, no known culprit in it */
	unsigned reffail_by_template[512];
	struct initial in;
	struct outcome oa, ob;
	uint8_t code[DT_CODE_END - DT_CODE];
};

enum verdict { SAME, DIFFER, REF_FAILED };

static enum verdict run_case(struct harness *h, const struct dt_seq *seq, bool print)
{
	uint32_t starts[DT_MAX_UNITS + 1];
	size_t len = dt_layout(seq, h->in.org, h->code, DT_CODE_END - h->in.org, starts);
	int undef = dt_undefined_flags(seq);

	if (!len || undef < 0)
		return SAME; /* not a valid case: never produced by the generator */
	backend_run(&h->a, &h->in, h->code, len, &h->oa);
	backend_run(&h->b, &h->in, h->code, len, &h->ob);
	if (print) {
		print_initial(&h->in);
		print_state(h->a.name, &h->oa);
		print_state(h->b.name, &h->ob);
	}
	if (compare(&h->oa, &h->ob, h->a.name, h->b.name, (uint32_t)undef, h->in.mem, print) == 0)
		return SAME;
	/* A reference that could not run the case (KVM's emulator lacks an
	 * instruction) says nothing about the other backend. */
	if (h->oa.end == END_FAILED && h->a.is_kvm && !h->b.is_kvm)
		return REF_FAILED;
	return DIFFER;
}

/* Drops units one at a time while the verdict stays the same. */
static void shrink(struct harness *h, struct dt_seq *seq, enum verdict want)
{
	static struct dt_seq cand;
	bool changed = true;
	unsigned tries = 0;

	while (changed && tries < 4000) {
		changed = false;
		for (unsigned i = seq->n; i-- > 0 && seq->n > 1;) {
			cand.n = 0;
			for (unsigned k = 0; k < seq->n; k++)
				if (k != i)
					cand.u[cand.n++] = seq->u[k];
			if (dt_undefined_flags(&cand) < 0)
				continue;
			tries++;
			if (run_case(h, &cand, false) == want) {
				*seq = cand;
				changed = true;
			}
		}
	}
}

static unsigned count_insns(const struct dt_seq *seq)
{
	unsigned n = 1; /* the HLT */
	for (unsigned i = 0; i < seq->n; i++)
		n += seq->u[i].nparts;
	return n;
}

static void tally(unsigned *by_template, const struct dt_seq *seq)
{
	/* The last unit of a shrunk sequence is the one that shows it. */
	const struct dt_template *t = seq->n ? seq->u[seq->n - 1].t : NULL;
	if (t >= dt_templates && t < dt_templates + dt_template_count)
		by_template[t - dt_templates]++;
}

/* A unit's bytes as --code takes them (fixups are absolute only: jumps
 * inside one unit are relative to it). */
static const char *hex_of(const struct dt_unit *u, uint32_t org)
{
	static char buf[3 * DT_UNIT_BYTES + 1];
	static uint8_t code[DT_UNIT_BYTES + 1];
	static struct dt_seq one;
	uint32_t starts[2];
	size_t len, used = 0;
	one.u[0] = *u;
	one.n = 1;
	len = dt_layout(&one, org, code, sizeof(code), starts);
	buf[0] = 0;
	for (size_t k = 0; k + 1 < len && used < sizeof(buf); k++) /* without the HLT */
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%02x", k ? " " : "",
					 code[k]);
	return buf;
}

/* A unit of a template already shown to disagree that disagrees alone
 * from this initial state, or NULL. */
static const struct dt_template *known_culprit(struct harness *h, const struct dt_seq *seq,
					       enum verdict v)
{
	static struct dt_seq one;
	const unsigned *known = v == DIFFER ? h->fail_by_template : h->reffail_by_template;
	for (unsigned i = 0; i < seq->n; i++) {
		size_t t = (size_t)(seq->u[i].t - dt_templates);
		if (t >= dt_template_count || !known[t])
			continue;
		one.u[0] = seq->u[i];
		one.n = 1;
		if (dt_undefined_flags(&one) >= 0 && run_case(h, &one, false) == v)
			return seq->u[i].t;
	}
	return NULL;
}

static void report(struct harness *h, struct dt_seq *seq, enum verdict v, uint64_t seed,
		   enum dt_mode mode, unsigned k)
{
	bool full = h->reports < h->max_reports, shrunk;
	static struct dt_seq small;
	const struct dt_template *known = full ? NULL : known_culprit(h, seq, v);

	if (known) { /* nothing new: one line */
		printf("%s %s case %u: like before, unit '%s' alone disagrees (difftest --seed %" PRIu64
		       " --length %u --mode %s --case %u)\n",
		       v == DIFFER ? "FAIL" : "KVM-CANNOT", mode_names[mode], k, known->name, seed,
		       h->length, mode_names[mode], k);
		h->likely_by_template[known - dt_templates]++;
		return;
	}
	h->reports++;
	printf("%s %s case %u: reproduce with: difftest --seed %" PRIu64 " --length %u --mode %s "
	       "--case %u\n",
	       v == DIFFER ? "FAIL" : "KVM-CANNOT", mode_names[mode], k, seed, h->length,
	       mode_names[mode], k);
	if (full && !h->one_case) { /* a single case was listed and run verbosely already */
		printf("  sequence (%u units):\n", seq->n);
		print_listing(seq, h->in.org);
		printf("  states and differences:\n");
		run_case(h, seq, true);
	}
	small = *seq;
	if (h->shrink && h->shrinks++ == h->max_shrinks)
		printf("note: %u failures shrunk; the rest are not (--max-shrinks)\n",
		       h->max_shrinks);
	shrunk = h->shrink && h->shrinks <= h->max_shrinks;
	if (shrunk) {
		h->a.quiet = h->b.quiet = true;
		shrink(h, &small, v);
		h->a.quiet = h->b.quiet = false;
		printf("  minimal sequence (%u of %u units):\n", small.n, seq->n);
		print_listing(&small, h->in.org);
		if (small.n == 1 && small.u[0].t - dt_templates >= 0 &&
		    (size_t)(small.u[0].t - dt_templates) < dt_template_count)
			printf("  (reproduce the minimal case with: difftest --mode %s --case %u "
			       "--seed %" PRIu64 " --length %u --code \"%s\" --undef 0x%x)\n",
			       mode_names[mode], k, seed, h->length, hex_of(&small.u[0], h->in.org),
			       (unsigned)dt_undefined_flags(&small));
		if ((full || small.n <= 4) && small.n < seq->n) {
			printf("  states and differences of the minimal sequence:\n");
			run_case(h, &small, true);
		}
	}
	if (shrunk || !h->shrink)
		tally(v == DIFFER ? h->fail_by_template : h->reffail_by_template, &small);
	else
		h->unfiled++; /* not shrunk (--max-shrinks) */
}

/* ---- Probing KVM's emulator ---- */

/* Templates whose single units the reference cannot run (here: KVM's
 * instruction emulator lacks the instruction) are left out, with a note. */
static void probe_reference(struct harness *h, bool enabled[][512], uint64_t seed)
{
	static struct dt_seq seq;
	struct dt_env env;
	unsigned left_out = 0;

	for (size_t t = 0; t < dt_template_count; t++) {
		char why[192] = "", modes[32] = "";
		unsigned failed = 0;
		for (unsigned m = 0; m < DT_MODES; m++) {
			bool bad = false;
			if (!enabled[m][t])
				continue;
			for (unsigned k = 0; k < PROBE_SAMPLES / DT_MODES; k++) {
				struct dt_rng rng = { seed ^ (0xA5A5A5A5ull * (t + 1)) ^
						      ((uint64_t)(k * DT_MODES + m) << 48) };
				uint32_t starts[2];
				size_t len;
				make_initial(&h->in, &env, (enum dt_mode)m, &rng, -1);
				dt_generate_one(&seq, &dt_templates[t], &env, &rng);
				len = dt_layout(&seq, h->in.org, h->code, DT_CODE_END - h->in.org,
						starts);
				backend_run(&h->a, &h->in, h->code, len, &h->oa);
				if (h->oa.end == END_FAILED) {
					bad = true;
					failed++;
					snprintf(why, sizeof(why), "%s", h->oa.why);
				}
			}
			if (bad) {
				enabled[m][t] = false;
				snprintf(modes + strlen(modes), sizeof(modes) - strlen(modes), "%s%s",
					 modes[0] ? " " : "", mode_names[m]);
			}
		}
		if (failed) {
			left_out++;
			printf("note: left out '%s' in %s: %s could not run %u samples (%s)\n",
			       dt_templates[t].name, modes, h->a.name, failed, why);
		}
	}
	if (left_out)
		printf("note: %u templates left out in some mode because %s cannot run them\n",
		       left_out, h->a.name);
}

/* ---- Given code (--code) ---- */

static const struct dt_template custom_template = { .name = "given code", .group = "custom" };

/* A one-unit sequence of the bytes in hex (spaces allowed). */
static bool parse_code(struct dt_seq *seq, const char *hex, unsigned undef)
{
	struct dt_unit *u = &seq->u[0];
	memset(u, 0, sizeof(*u));
	u->t = &custom_template;
	u->skip = -1;
	u->fu = (uint16_t)undef;
	for (const char *p = hex; *p;) {
		unsigned v;
		int used;
		if (*p == ' ' || *p == ',') {
			p++;
			continue;
		}
		if (sscanf(p, "%2x%n", &v, &used) != 1 || u->len >= DT_UNIT_BYTES)
			return false;
		u->bytes[u->len++] = (uint8_t)v;
		p += used;
	}
	u->nparts = 1;
	u->parts[0] = (struct dt_part){ 0, (uint8_t)u->len, "(given bytes)" };
	seq->n = u->len ? 1 : 0;
	return seq->n == 1;
}

/* ---- Crashes ---- */

static void say_crash_note(void)
{
	size_t n = strlen(crash_note);
	if (n && write(STDOUT_FILENO, crash_note, n) < 0) {
		/* nothing left to do */
	}
}

static void crash_signal(int sig)
{
	say_crash_note();
	signal(sig, SIG_DFL);
	raise(sig);
}

#ifdef HAVE_DEATH_CALLBACK
/* UBSan's runtime may be a separate copy that ignores the death callback:
 * make it abort, which the signal handler sees. */
const char *__ubsan_default_options(void);
__attribute__((visibility("default"))) const char *__ubsan_default_options(void)
{
	return "abort_on_error=1:print_stacktrace=1";
}
#endif

static void install_crash_note(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		signal(sigs[k], crash_signal);
#ifdef HAVE_DEATH_CALLBACK
	__sanitizer_set_death_callback(say_crash_note);
#endif
}

static void set_crash_note(uint64_t seed, enum dt_mode mode, unsigned k, unsigned length)
{
	snprintf(crash_note, sizeof(crash_note),
		 "CRASH in %s case %u: reproduce (and shrink) with: difftest --seed %" PRIu64
		 " --length %u --mode %s --case %u --isolate\n",
		 mode_names[mode], k, seed, length, mode_names[mode], k);
}

/* ---- Known-answer checks of the reference ---- */

static uint32_t read32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint16_t read16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* Runs bytes on the reference alone from the initial state of mode, with
 * ESP as given. */
static void run_reference(struct harness *h, enum dt_mode mode, int variant, uint32_t sp,
			  uint32_t esp_high, const char *hex)
{
	static struct dt_seq seq;
	struct dt_rng rng = { 12345 };
	struct dt_env env;
	uint32_t starts[2];
	size_t len;
	make_initial(&h->in, &env, mode, &rng, variant);
	h->in.regs.rsp = esp_high | (env.sp0 - DT_STACK_TOP + sp);
	h->in.regs.rflags = CPU_FLAG_RESERVED;
	parse_code(&seq, hex, 0);
	len = dt_layout(&seq, h->in.org, h->code, DT_CODE_END - h->in.org, starts);
	backend_run(&h->a, &h->in, h->code, len, &h->oa);
}

/* Does the reference deliver an event in mode as the SDM says: through the
 * IVT or a 16/32-bit interrupt gate, the frame at SS:SP below the old stack
 * pointer (ESP's upper half kept on a 16-bit stack)? soft: INT 80h, whose
 * handler IRETs back; else UD2 (#UD), whose handler stops. */
static bool reference_delivers(struct harness *h, enum dt_mode mode, bool soft, int variant,
			       uint32_t esp_high, char *why, size_t why_size)
{
	bool big = mode == DT_PM32;
	uint32_t frame = big ? 12 : 6, sp, frame_esp, esp, expect_eip, expect_esp, ret;
	const struct outcome *o = &h->oa;
	const char *what = soft ? "int 80h" : "#UD";
	const uint8_t *at;

	run_reference(h, mode, variant, DT_STACK_TOP, esp_high, soft ? "cd 80" : "0f 0b");
	esp = (uint32_t)h->in.regs.rsp;
	frame_esp = big ? esp - frame : (esp & 0xFFFF0000u) | ((esp - frame) & 0xFFFF);
	sp = big ? frame_esp : frame_esp & 0xFFFF;
	expect_eip = soft ? DT_CODE + 2 + 1 : DT_STUBS + 6 + 1;
	expect_esp = soft ? esp : frame_esp;
	ret = soft ? DT_CODE + 2 : DT_CODE;
	if (o->end != END_HLT || (uint32_t)o->regs.rip != expect_eip) {
		snprintf(why, why_size, "%s with ESP=%08x stopped at EIP=%08x, not %08x (%.120s)",
			 what, esp, (uint32_t)o->regs.rip, expect_eip,
			 o->end == END_HLT ? "HLT" : o->why);
		return false;
	}
	if ((uint32_t)o->regs.rsp != expect_esp) {
		snprintf(why, why_size, "%s with ESP=%08x left ESP=%08x, not %08x", what, esp,
			 (uint32_t)o->regs.rsp, expect_esp);
		return false;
	}
	at = o->mem + (uint32_t)h->in.sregs.ss.base + sp;
	if ((big ? read32(at) : read16(at)) != ret ||
	    read16(at + frame / 3) != h->in.sregs.cs.selector) {
		snprintf(why, why_size,
			 "%s with ESP=%08x: no return address at SS:%04x (the frame went elsewhere)",
			 what, esp, sp);
		return false;
	}
	return true;
}

/* Where the reference delivers events right: in every case of the mode,
 * only with ESP < 64 KiB, only with a flat SS (pm32), or never. */
enum delivery { DELIVERY_OK, DELIVERY_LOW_ESP, DELIVERY_FLAT_SS, DELIVERY_BROKEN };

static enum delivery check_delivery(struct harness *h, enum dt_mode m, bool soft)
{
	const char *what = soft ? "software interrupts" : "exceptions";
	char why[400], why2[400];
	if (!reference_delivers(h, m, soft, 0, 0, why, sizeof(why))) {
		if (m == DT_PM32 && reference_delivers(h, m, soft, 1, 0, why2, sizeof(why2))) {
			printf("note: pm32: %s delivers %s wrongly unless SS has base 0 (%s); they "
			       "are generated only with a flat SS\n",
			       h->a.name, what, why);
			return DELIVERY_FLAT_SS;
		}
		printf("note: %s: %s delivers %s wrongly (%s); they are left out in this mode\n",
		       mode_names[m], h->a.name, what, why);
		return DELIVERY_BROKEN;
	}
	if (m != DT_PM32 && !reference_delivers(h, m, soft, 0, 0x12340000, why, sizeof(why))) {
		printf("note: %s: %s delivers %s wrongly with ESP >= 64 KiB on a 16-bit stack (%s); "
		       "they are generated only with ESP < 64 KiB\n",
		       mode_names[m], h->a.name, what, why);
		return DELIVERY_LOW_ESP;
	}
	return DELIVERY_OK;
}

static bool delivery_ok(enum delivery d, const struct dt_env *env)
{
	return d == DELIVERY_OK || (d == DELIVERY_LOW_ESP && env->esp_high_zero) ||
	       (d == DELIVERY_FLAT_SS && env->flat_stack);
}

/* Does entering a handler through an interrupt gate keep AC (it clears
 * only IF, TF, NT, VM, RF)? pm32 with a flat SS: push AC, popfd, ud2. */
static bool reference_fault_keeps_ac(struct harness *h, char *why, size_t why_size)
{
	run_reference(h, DT_PM32, 1, DT_STACK_TOP, 0, "68 00 00 04 00 9d 0f 0b");
	if (h->oa.end == END_HLT && (h->oa.regs.rflags & F_AC))
		return true;
	snprintf(why, why_size, "popfd with AC, ud2: EFLAGS=%08x in the handler",
		 (uint32_t)h->oa.regs.rflags);
	return false;
}

/* Does ENTER push (E)BP by the operand size, whatever the stack size? */
static bool reference_enter_by_operand_size(struct harness *h, char *why, size_t why_size)
{
	for (unsigned m = 0; m < DT_MODES; m++) {
		/* A 32-bit stack: ENTER sets all of EBP (upper half 0 from ESP =
		 * 7FFEh), the 16-bit LEAVE restores BP. A 16-bit stack: BP is set,
		 * the 32-bit LEAVE restores EBP. */
		uint32_t ebp;
		run_reference(h, (enum dt_mode)m, 0, 0x8000, 0, "66 c8 08 00 00 66 c9");
		ebp = (uint32_t)h->in.regs.rbp & (m == DT_PM32 ? 0xFFFFu : 0xFFFFFFFFu);
		if (h->oa.end != END_HLT || (uint32_t)h->oa.regs.rsp != 0x8000 ||
		    (uint32_t)h->oa.regs.rbp != ebp) {
			snprintf(why, why_size,
				 "%s: enter 8,0 and leave with the other operand size left "
				 "ESP=%08x EBP=%08x, not 00008000 %08x",
				 mode_names[m], (uint32_t)h->oa.regs.rsp, (uint32_t)h->oa.regs.rbp, ebp);
			return false;
		}
	}
	return true;
}

/* Do AAM and AAD set SF and ZF from AL (not AX or EAX)? */
static bool reference_aam_flags_from_al(struct harness *h, char *why, size_t why_size)
{
	static const struct {
		const char *code;
		uint32_t flag;
		bool set;
	} checks[] = {
		{ "b8 64 00 d4 0a", F_ZF, true },  /* AX=0064h, aam 10: AH=10, AL=0 */
		{ "b8 80 00 d5 0a", F_SF, true },  /* AX=0080h, aad 10: AL=80h */
		{ "b8 00 01 d5 00", F_ZF, true },  /* AX=0100h, aad 0: AL=0 */
	};
	for (unsigned m = 0; m < DT_MODES; m++) {
		for (size_t k = 0; k < sizeof(checks) / sizeof(checks[0]); k++) {
			const char *code = checks[k].code;
			char buf[32];
			if (m == DT_PM32) { /* the same with a 66h prefix on the MOV */
				snprintf(buf, sizeof(buf), "66 %s", code);
				code = buf;
			}
			run_reference(h, (enum dt_mode)m, 0, 0x8000, 0, code);
			if (h->oa.end != END_HLT ||
			    !!(h->oa.regs.rflags & checks[k].flag) != checks[k].set) {
				snprintf(why, why_size, "%s: %s left EFLAGS=%08x", mode_names[m],
					 checks[k].code, (uint32_t)h->oa.regs.rflags);
				return false;
			}
		}
	}
	return true;
}

/* What the reference gets wrong, found by known answers; the generator
 * steers clear of it (with a note), so the comparison tests the other
 * backend only where the reference is right. */
struct quirks {
	enum delivery faults[DT_MODES];   /* deliberate exceptions */
	enum delivery soft_int[DT_MODES]; /* INT n */
	bool enter_stack_size;        /* ENTER/LEAVE only with operand size = stack size */
	bool aam_flags;               /* SF, ZF after AAM/AAD not compared */
	bool fault_clears_ac;         /* AC after a deliberate fault not compared */
};
static void check_reference(struct harness *h, struct quirks *q)
{
	char why[400];
	for (unsigned m = 0; m < DT_MODES; m++) {
		q->faults[m] = check_delivery(h, (enum dt_mode)m, false);
		q->soft_int[m] = check_delivery(h, (enum dt_mode)m, true);
	}
	if (!reference_aam_flags_from_al(h, why, sizeof(why))) {
		q->aam_flags = true;
		printf("note: %s sets SF and ZF after AAM/AAD from more than AL (%s); those "
		       "flags are not compared after them\n",
		       h->a.name, why);
	}
	if (q->faults[DT_PM32] != DELIVERY_BROKEN &&
	    !reference_fault_keeps_ac(h, why, sizeof(why))) {
		q->fault_clears_ac = true;
		printf("note: %s clears AC entering a protected-mode exception handler (%s); AC "
		       "is not compared after deliberate faults\n",
		       h->a.name, why);
	}
	if (!reference_enter_by_operand_size(h, why, sizeof(why))) {
		q->enter_stack_size = true;
		printf("note: %s pushes (E)BP in ENTER by the stack size, not the operand size "
		       "(%s); ENTER uses the stack's size\n",
		       h->a.name, why);
	}
}

/* ---- Main ---- */

static uint64_t case_seed(uint64_t seed, enum dt_mode mode, unsigned k)
{
	struct dt_rng r = { seed * 0x100000001B3ull ^ ((uint64_t)mode << 56) ^ k };
	dt_rand(&r);
	return dt_rand(&r);
}


/* The backend a --pair name stands for, or NULL. */
static const char *backend_kind(const char *name)
{
	static const char *const kinds[] = { "kvm", "ist", "interp" };
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(name, kinds[k]) == 0)
			return kinds[k];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: difftest [--seed S] [--count N] [--length L] [--mode real|pm16|pm32|all]\n"
		"                [--case K] [--pair A-B]\n"
		"                [--only GROUPS] [--skip GROUPS] [--max-reports N] [--max-shrinks N]\n"
		"                [--no-shrink]\n"
		"                [--no-probe] [--isolate] [--list] [--verbose]\n"
		"                [--code HEX [--undef FLAGMASK]] [--check]\n"
		"Runs N generated sequences of L units per mode on two CPU backends and compares\n"
		"registers, defined flags and memory. GROUPS: comma-separated template groups or\n"
		"template names (see --list). Exit status 0 all agree, 1 a disagreement, 77 KVM\n"
		"is not usable. --isolate runs the IST in a child process per run, so a crash is\n"
		"a disagreement that can be shrunk. --code runs the given bytes (then a HLT) from\n"
		"the initial state of --case K (default 0) in each mode; --undef masks flags.\n"
		"--check runs only the known-answer checks on the first backend of --pair.\n"
		"--pair A-B: backends kvm, ist (every block translated) and interp (the IST\n"
		"interpreting only); default kvm-ist.\n");
}

/* Is word in the comma-separated list? A comma followed by a space is part
 * of a name ("bt r/m, imm8"). */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		const char *end = p;
		size_t len;
		while ((end = strchr(end, ',')) && end[1] == ' ')
			end++;
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

int main(int argc, char **argv)
{
	static struct harness h;
	static struct dt_seq seq;
	static bool enabled[DT_MODES][512];
	struct quirks quirks = { 0 };
	uint64_t seed = 1;
	unsigned count = 100, length = 24, only_case = 0;
	bool have_case = false, probe = true, list = false, isolate = false, check_only = false;
	bool help = false;
	const char *mode_arg = "all", *pair = "kvm-ist", *only = NULL, *skip = NULL;
	const char *code_hex = NULL;
	unsigned code_undef = 0;
	char err[512], pa[8], pb[8], name_a[16], name_b[16];
	int status = 0;

	setvbuf(stdout, NULL, _IOLBF, 0); /* a sanitizer's abort keeps what was printed */
	h.max_reports = 3;
	h.max_shrinks = 40;
	h.shrink = true;
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
		/* flags without a value */
		bool flag = true;
		if (strcmp(a, "--verbose") == 0)
			h.verbose = true;
		else if (strcmp(a, "--no-shrink") == 0)
			h.shrink = false;
		else if (strcmp(a, "--no-probe") == 0)
			probe = false;
		else if (strcmp(a, "--isolate") == 0)
			isolate = true;
		else if (strcmp(a, "--check") == 0)
			check_only = true;
		else if (strcmp(a, "--list") == 0)
			list = true;
		else if (strcmp(a, "--help") == 0)
			help = true;
		else
			flag = false;
		if (flag)
			continue;
		if (!v) {
			usage(stderr);
			return 2;
		}
		k++;
		/* options with a value */
		if (strcmp(a, "--seed") == 0) {
			seed = strtoull(v, NULL, 0);
		} else if (strcmp(a, "--count") == 0) {
			count = (unsigned)strtoul(v, NULL, 0);
		} else if (strcmp(a, "--length") == 0) {
			length = (unsigned)strtoul(v, NULL, 0);
		} else if (strcmp(a, "--mode") == 0) {
			mode_arg = v;
		} else if (strcmp(a, "--case") == 0) {
			only_case = (unsigned)strtoul(v, NULL, 0);
			have_case = true;
		} else if (strcmp(a, "--pair") == 0) {
			pair = v;
		} else if (strcmp(a, "--only") == 0) {
			only = v;
		} else if (strcmp(a, "--skip") == 0) {
			skip = v;
		} else if (strcmp(a, "--code") == 0) {
			code_hex = v;
		} else if (strcmp(a, "--undef") == 0) {
			code_undef = (unsigned)strtoul(v, NULL, 0);
		} else if (strcmp(a, "--max-reports") == 0) {
			h.max_reports = (unsigned)strtoul(v, NULL, 0);
		} else if (strcmp(a, "--max-shrinks") == 0) {
			h.max_shrinks = (unsigned)strtoul(v, NULL, 0);
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (help) {
		usage(stdout);
		return 0;
	}
	if (strcmp(mode_arg, "all") != 0 && strcmp(mode_arg, "real") != 0 &&
	    strcmp(mode_arg, "pm16") != 0 && strcmp(mode_arg, "pm32") != 0) {
		usage(stderr);
		return 2;
	}
	if (length == 0 || length > DT_MAX_UNITS || count == 0 ||
	    sscanf(pair, "%6[a-z]-%6[a-z]", pa, pb) != 2 || !backend_kind(pa) || !backend_kind(pb)) {
		usage(stderr);
		return 2;
	}
	for (size_t t = 0; t < dt_template_count; t++) {
		const struct dt_template *tp = &dt_templates[t];
		bool on = (!only || in_list(only, tp->group) || in_list(only, tp->name)) &&
			  !(skip && (in_list(skip, tp->group) || in_list(skip, tp->name)));
		for (unsigned m = 0; m < DT_MODES; m++)
			enabled[m][t] = on && (!tp->modes || (tp->modes & (1u << m)));
		if (list)
			printf("%-8s %-40s weight %u%s%s%s%s%s\n", tp->group, tp->name, tp->weight,
			       on ? "" : "  (off)", tp->modes ? "  only:" : "",
			       tp->modes & 1 ? " real" : "", tp->modes & 2 ? " pm16" : "",
			       tp->modes & 4 ? " pm32" : "");
	}
	if (list)
		return 0;

	if (strcmp(pa, "kvm") == 0 || strcmp(pb, "kvm") == 0) {
		char reason[256];
		if (!kvm_usable(reason, sizeof(reason))) {
			printf("SKIP kvm: %s\n", reason);
			return MESON_SKIP;
		}
	}
	if (backend_create(&h.a, backend_kind(pa), err, sizeof(err)) < 0 ||
	    backend_create(&h.b, backend_kind(pb), err, sizeof(err)) < 0) {
		bool kvm = strstr(err, "KVM") != NULL;
		printf("%s%s\n", kvm ? "SKIP kvm: " : "difftest: ", err);
		backend_destroy(&h.a);
		backend_destroy(&h.b);
		return kvm ? MESON_SKIP : 1;
	}
	h.a.isolate = h.b.isolate = isolate;
	install_crash_note();
	if (!strcmp(pa, pb)) { /* the same backend twice: name them apart */
		snprintf(name_a, sizeof(name_a), "%s1", pa);
		snprintf(name_b, sizeof(name_b), "%s2", pb);
		h.a.name = name_a;
		h.b.name = name_b;
	}
	h.length = length;
	if (check_only) { /* the known answers on the first backend of --pair */
		check_reference(&h, &quirks);
		printf("%s: known-answer checks done\n", h.a.name);
		backend_destroy(&h.a);
		backend_destroy(&h.b);
		return 0;
	}
	if (code_hex && !have_case)
		have_case = true; /* case 0's initial state */
	h.one_case = have_case;
	if (probe && h.a.is_kvm && !code_hex) {
		probe_reference(&h, enabled, seed);
		check_reference(&h, &quirks);
	}

	printf("difftest: seed %" PRIu64 ", %u cases of %u units per mode, %s vs %s\n", seed,
	       have_case ? 1 : count, length, h.a.name, h.b.name);
	for (unsigned m = 0; m < DT_MODES; m++) {
		unsigned cases = 0, insns = 0, units = 0, fails = 0, reffails = 0, handlers = 0;
		double t0;
		if (strcmp(mode_arg, "all") != 0 && strcmp(mode_arg, mode_names[m]) != 0)
			continue;
		t0 = now_s();
		for (unsigned k = have_case ? only_case : 0; k < (have_case ? only_case + 1 : count);
		     k++) {
			struct dt_rng rng = { case_seed(seed, (enum dt_mode)m, k) };
			struct dt_env env;
			enum verdict v;
			make_initial(&h.in, &env, (enum dt_mode)m, &rng, -1);
			env.enter_stack_size = quirks.enter_stack_size;
			env.aam_flags_undefined = quirks.aam_flags;
			env.fault_ac_undefined = quirks.fault_clears_ac && m != DT_REAL;
			env.faults_ok = delivery_ok(quirks.faults[m], &env);
			env.soft_int_ok = delivery_ok(quirks.soft_int[m], &env);
			dt_generate(&seq, length, &env, &rng, enabled[m]);
			if (code_hex && !parse_code(&seq, code_hex, code_undef)) {
				fprintf(stderr, "difftest: --code wants hex bytes\n");
				return 2;
			}
			set_crash_note(seed, (enum dt_mode)m, k, length);
			cases++;
			units += seq.n;
			insns += count_insns(&seq);
			if (h.verbose || have_case || code_hex) {
				printf("%s case %u:\n", mode_names[m], k);
				print_listing(&seq, h.in.org);
			}
			v = run_case(&h, &seq, have_case || code_hex);
			if (h.oa.end == END_HLT && (uint32_t)h.oa.regs.rip > DT_STUBS &&
			    (uint32_t)h.oa.regs.rip <= DT_STUBS + DT_RETURNING_VECTOR)
				handlers++;
			if (v == SAME)
				continue;
			if (v == DIFFER)
				fails++;
			else
				reffails++;
			report(&h, &seq, v, seed, (enum dt_mode)m, k);
		}
		h.failures += fails;
		h.ref_failures += reffails;
		printf("%s: %u cases, %u units, %u instructions (%u runs ended in an exception "
		       "handler), %u disagreements, %u cases %s could not run, %.1f s\n",
		       mode_names[m], cases, units, insns, handlers, fails, reffails, h.a.name,
		       now_s() - t0);
	}
	if (h.failures || h.ref_failures) {
		printf("disagreements by template (last unit of the shrunk sequence):\n");
		for (size_t t = 0; t < dt_template_count; t++) {
			if (h.fail_by_template[t] || h.likely_by_template[t])
				printf("  %5u  %s", h.fail_by_template[t], dt_templates[t].name);
			if (h.likely_by_template[t])
				printf(" (and %u more where its unit alone disagrees)",
				       h.likely_by_template[t]);
			if (h.fail_by_template[t] || h.likely_by_template[t])
				printf("\n");
			if (h.reffail_by_template[t])
				printf("  %5u  %s (%s could not run it)\n", h.reffail_by_template[t],
				       dt_templates[t].name, h.a.name);
		}
		if (h.unfiled)
			printf("  %5u  not shrunk (--max-shrinks), no known culprit in them\n",
			       h.unfiled);
		status = h.failures ? 1 : 0;
	}
	printf("%s: %u disagreements\n", status ? "FAILED" : "OK", h.failures);
	backend_destroy(&h.a);
	backend_destroy(&h.b);
	return status;
}
