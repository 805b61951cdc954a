/* fuzz_ist.c: libFuzzer target: the IST decoding and executing arbitrary bytes from an arbitrary
 * machine state (real mode, or protected mode with a descriptor table the input also makes).
 * Whatever the guest does must not crash the host, hang it, or touch host memory outside the
 * guest's: AddressSanitizer watches the last, a bounded instruction budget the second. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu.h"
#include "ist/ist.h"
#include "memmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_RAM (2u << 20)          /* 2 MiB: the rest of the 4 GiB is unmapped */
#define FUZZ_CODE 0x10000u           /* where the input's code goes */
#define FUZZ_GDT 0x20000u            /* its descriptor table */
#define FUZZ_DATA 0x30000u           /* and a data window */
#define FUZZ_ROM 0xF0000u            /* a page of ROM, to write to */
#define FUZZ_RUNS 16                 /* run() calls per input */
#define FUZZ_BUDGET_NS 4000u         /* virtual time per run(): 4000 instructions */

/* The layout of an input: a fixed-size state header, then code bytes. */
struct fuzz_state {
	uint32_t gpr[8];
	uint32_t eip_off;   /* offset into the code */
	uint32_t eflags;
	uint16_t sel[6];    /* ES CS SS DS FS GS */
	uint8_t mode;       /* bit 0: protected mode; bit 1: 32-bit code; bit 2: A20 off */
	uint8_t io_value;   /* what every port reads */
	uint8_t gdt[64];    /* 8 descriptors, as given */
	uint8_t data[64];   /* the start of the data window */
};

static struct memmap map;
static struct cpu *cpu;
static uint8_t *ram, *rom;
static uint8_t io_value;
static uint64_t clock_ns;

static void bus_io(void *opaque, uint16_t port, unsigned size, bool is_write, uint8_t *io_data,
		   uint32_t count)
{
	if (!is_write)
		memset(io_data, io_value, (size_t)size * count);
}

static void bus_mmio(void *opaque, uint64_t gpa, uint8_t *io_data, unsigned len, bool is_write)
{
	/* Every device access must name a guest-physical address it can have. */
	if (gpa >= (1ull << 32) || len == 0 || len > 8)
		abort();
	if (!is_write)
		memset(io_data, 0xFF, len);
}

static uint64_t bus_now(void *opaque)
{
	return clock_ns;
}

static const struct cpu_bus bus = { bus_io, bus_mmio, bus_now, NULL };

static int setup(void)
{
	struct mem_mapping ram_map = { .base = 0, .size = FUZZ_RAM, .kind = MEM_RAM };
	struct mem_mapping rom_map = { .base = FUZZ_ROM, .size = 4096, .kind = MEM_ROM };
	char err[256];

	ram = mmap(NULL, FUZZ_RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rom = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED || rom == MAP_FAILED)
		return -1;
	ram_map.host = ram;
	rom_map.host = rom;
	memmap_init(&map);
	if (memmap_add(&map, &ram_map, NULL) < 0 || memmap_add(&map, &rom_map, NULL) < 0)
		return -1;
	if (ist_cpu_create(&map, &bus, IST_TRANSLATE, &cpu, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_ist: %s\n", err);
		return -1;
	}
	return 0;
}

/* A segment cache from a descriptor of the input's table (or real mode). */
static void load_segment(struct cpu_segment *s, uint16_t sel, const struct fuzz_state *st,
			 bool pm, bool code)
{
	const uint8_t *d = st->gdt + (sel >> 3 & 7) * 8;
	if (!pm) {
		cpu_segment_real(s, sel, code);
		return;
	}
	*s = (struct cpu_segment){
		.selector = sel,
		.base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[7] << 24,
		.limit = d[0] | d[1] << 8 | (d[6] & 0xFu) << 16,
		.type = d[5] & 0xF,
		.s = (d[5] >> 4) & 1,
		.dpl = (d[5] >> 5) & 3,
		.present = d[5] >> 7,
		.avl = (d[6] >> 4) & 1,
		.db = (d[6] >> 6) & 1,
		.g = d[6] >> 7,
	};
	if (s->g)
		s->limit = s->limit << 12 | 0xFFF;
	s->unusable = !s->present;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_state st;
	struct cpu_regs regs;
	struct cpu_sregs sregs;
	struct cpu_exit exit;
	size_t code_size;
	bool pm;

	if (!cpu && setup() < 0)
		abort();
	if (size < sizeof(st))
		return 0;
	memcpy(&st, data, sizeof(st));
	code_size = size - sizeof(st);
	if (code_size > 0x8000)
		code_size = 0x8000;
	memset(ram, 0, FUZZ_RAM);
	memset(rom, 0xF4, 4096);
	memcpy(ram + FUZZ_CODE, data + sizeof(st), code_size);
	memcpy(ram + FUZZ_GDT, st.gdt, sizeof(st.gdt));
	memcpy(ram + FUZZ_DATA, st.data, sizeof(st.data));
	/* Real-mode exceptions end at a HLT in the ROM rather than wander
	 * through zeroed memory. */
	for (unsigned v = 0; v < 256; v++)
		memcpy(ram + v * 4, (const uint8_t[]){ 0, 0, FUZZ_ROM >> 4 & 0xFF, FUZZ_ROM >> 12 }, 4);
	io_value = st.io_value;
	pm = st.mode & 1;

	/* A new input: forget what was decoded from the last one. */
	cpu->ops->memory_changed(cpu, &map);
	cpu->ops->set_a20(cpu, !(st.mode & 4));
	cpu->ops->get_sregs(cpu, &sregs);
	load_segment(&sregs.es, st.sel[0], &st, pm, false);
	load_segment(&sregs.cs, st.sel[1], &st, pm, true);
	load_segment(&sregs.ss, st.sel[2], &st, pm, false);
	load_segment(&sregs.ds, st.sel[3], &st, pm, false);
	load_segment(&sregs.fs, st.sel[4], &st, pm, false);
	load_segment(&sregs.gs, st.sel[5], &st, pm, false);
	if (pm) {
		/* CS: the code lies at FUZZ_CODE whatever its descriptor says. */
		sregs.cs.base = FUZZ_CODE;
		sregs.cs.db = (st.mode >> 1) & 1;
		sregs.cs.present = 1;
		sregs.cs.unusable = false;
		sregs.cs.s = 1;
		sregs.cs.type |= 0x8;
	} else {
		cpu_segment_real(&sregs.cs, FUZZ_CODE >> 4, true);
	}
	sregs.gdt = (struct cpu_dtable){ FUZZ_GDT, sizeof(st.gdt) - 1 };
	sregs.idt = (struct cpu_dtable){ 0, pm ? 0x7FF : 0x3FF };
	sregs.cr0 = pm ? CPU_CR0_PE : 0;
	cpu->ops->set_sregs(cpu, &sregs);
	regs = (struct cpu_regs){
		.rax = st.gpr[0], .rcx = st.gpr[1], .rdx = st.gpr[2], .rbx = st.gpr[3],
		.rsp = st.gpr[4], .rbp = st.gpr[5], .rsi = st.gpr[6], .rdi = st.gpr[7],
		.rip = st.eip_off % 0x8000,
		/* No single-step: it would only slow the fuzzer down. */
		.rflags = (st.eflags & ~0x100u) | CPU_FLAG_RESERVED,
	};
	cpu->ops->set_regs(cpu, &regs);

	for (unsigned run = 0; run < FUZZ_RUNS; run++) {
		if (cpu->ops->run(cpu, &exit, FUZZ_BUDGET_NS) < 0)
			abort();
		clock_ns += exit.guest_ns;
		if (exit.reason == CPU_EXIT_HLT || exit.reason == CPU_EXIT_SHUTDOWN ||
		    exit.reason == CPU_EXIT_FAILED || exit.reason == CPU_EXIT_IRQ_WINDOW)
			break;
	}
	return 0;
}
