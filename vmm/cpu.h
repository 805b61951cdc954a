/* cpu.h: the CPU backend interface that KVM and the software CPU implement. */
#ifndef MVM_CPU_H
#define MVM_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct memmap;

struct cpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	uint64_t rip, rflags;
};

#define CPU_FLAG_CF 0x0001u
#define CPU_FLAG_IF 0x0200u
#define CPU_FLAG_RESERVED 0x0002u /* always 1 */

/* A segment register with its descriptor cache. */
struct cpu_segment {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type, present, dpl, db, s, l, g, avl;
	bool unusable;
};

struct cpu_dtable {
	uint64_t base;
	uint16_t limit;
};

#define CPU_CR0_PE 0x1u

struct cpu_sregs {
	struct cpu_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct cpu_dtable gdt, idt;
	uint64_t cr0, cr2, cr3, cr4, efer;
};

enum cpu_exit_reason {
	CPU_EXIT_IO,          /* port access: io */
	CPU_EXIT_MMIO,        /* access to guest-physical memory not backed by RAM: mmio */
	CPU_EXIT_HLT,         /* HLT executed; IP is past it */
	CPU_EXIT_IRQ_WINDOW,  /* the guest can take an interrupt now */
	CPU_EXIT_INTERRUPTED, /* kicked, or the backend's own time slice ended */
	CPU_EXIT_YIELD,       /* the budget ran out, or a device was accessed: look around */
	CPU_EXIT_SHUTDOWN,    /* triple fault */
	CPU_EXIT_FAILED,      /* the backend cannot go on: failure says why */
};

struct cpu_exit {
	enum cpu_exit_reason reason;
	/* Virtual time the guest consumed since the last exit, as the backend
	 * accounts it (see vclock.h). */
	uint64_t guest_ns;
	union {
		struct {
			uint16_t port;
			uint8_t size;   /* 1, 2 or 4 */
			bool is_write;
			uint32_t count; /* > 1 for string I/O with REP */
			uint8_t *data;  /* count * size bytes, in guest order */
		} io;
		struct {
			uint64_t gpa;
			uint8_t *data;
			uint8_t len;
			bool is_write;
		} mmio;
		char failure[160];
	};
};

/* How a backend that executes guest code itself reaches the devices: the
 * same dispatch that serves KVM's I/O and MMIO exits, called in place. */
struct cpu_bus {
	/* count accesses of size bytes each; data holds count * size bytes */
	void (*io)(void *opaque, uint16_t port, unsigned size, bool is_write, uint8_t *data,
		   uint32_t count);
	void (*mmio)(void *opaque, uint64_t gpa, uint8_t *data, unsigned len, bool is_write);
	/* The virtual clock, without what the backend has not reported yet. */
	uint64_t (*now_ns)(void *opaque);
	void *opaque;
};

struct cpu;

/* A backend embeds struct cpu first and points it at its ops. The register
 * accessors are valid between run() calls; changes take effect at the next
 * run(). Every call but kick() is made from the thread that runs the CPU. */
struct cpu_ops {
	const char *name;
	/* Runs the guest until an exit. A backend that counts virtual time
	 * returns CPU_EXIT_YIELD once budget_ns of it have passed (a timer is
	 * due then); KVM cannot count and ignores it. */
	int (*run)(struct cpu *cpu, struct cpu_exit *exit, uint64_t budget_ns);
	int (*get_regs)(struct cpu *cpu, struct cpu_regs *regs);
	int (*set_regs)(struct cpu *cpu, const struct cpu_regs *regs);
	int (*get_sregs)(struct cpu *cpu, struct cpu_sregs *sregs);
	int (*set_sregs)(struct cpu *cpu, const struct cpu_sregs *sregs);
	/* Can an external interrupt be delivered before the next instruction
	 * (IF set, no interrupt shadow, none queued)? */
	bool (*interrupt_ready)(struct cpu *cpu);
	int (*inject_interrupt)(struct cpu *cpu, uint8_t vector);
	/* Exit with CPU_EXIT_IRQ_WINDOW as soon as the guest can take one. */
	void (*request_interrupt_window)(struct cpu *cpu, bool on);
	/* Make run() return CPU_EXIT_INTERRUPTED soon; safe from any thread
	 * and from a signal handler. */
	void (*kick)(struct cpu *cpu);
	/* The memory map changed (the backend reads memmap's flat view). */
	int (*memory_changed)(struct cpu *cpu, const struct memmap *map);
	/* The host wrote guest RAM at [gpa, gpa + len) (a loader, a VDD, DMA):
	 * a backend that caches decoded code drops what it decoded from there.
	 * May be NULL. */
	void (*memory_written)(struct cpu *cpu, uint64_t gpa, uint64_t len);
	/* The A20 gate: off, address line 20 reads as 0 (1 MiB wraps to 0). */
	void (*set_a20)(struct cpu *cpu, bool enabled);
	void (*destroy)(struct cpu *cpu);
};

struct cpu {
	const struct cpu_ops *ops;
};

/* Real mode: the segment a selector loads (base = selector * 16, 64 KiB). */
void cpu_segment_real(struct cpu_segment *seg, uint16_t selector, bool code);

/* Linear address of an instruction offset in cs, 16-bit offsets wrapping. */
uint64_t cpu_code_linear(const struct cpu_sregs *sregs, uint64_t ip);

#endif
