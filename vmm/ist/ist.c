/* ist.c: the IST as a CPU backend: its state as the VMM sees it, and the run loop that finds
 * blocks of decoded instructions and runs them until an exit. */
#include "ist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../memmap.h"
#include "ist_cache.h"
#include "ist_decode.h"
#include "ist_flags.h"
#include "ist_interrupt.h"
#include "ist_mem.h"
#include "ist_seg.h"
#include "ist_time.h"

/* Real-mode segment attributes after reset: present, accessed, read/write
 * data or readable code. */
#define IST_RESET_DATA_ATTR 0x0093u
#define IST_RESET_CODE_ATTR 0x009Bu
#define IST_RESET_LDT_ATTR 0x0082u
#define IST_RESET_TR_ATTR 0x008Bu
#define IST_RESET_CR0 (IST_CR0_CD | IST_CR0_NW | IST_CR0_ET)
#define IST_RESET_DR6 0xFFFF0FF0u
#define IST_RESET_DR7 0x00000400u
/* EDX after reset: family 4, model 8, stepping 0 (as CPUID reports) */
#define IST_RESET_EDX 0x00000480u

/* Entries into a block before it is translated: code that runs once
 * (start-up, or rewritten before it runs again) is not worth it. */
#define IST_HOT_AFTER 2

static const struct cpu_ops ist_cpu_ops;

/* Instructions retired (or charged, for the block running) in this run. */
static uint64_t ist_run_insns(const struct ist_cpu *cpu)
{
	return (uint64_t)(cpu->budget_start - cpu->budget);
}

uint64_t ist_virtual_ns(const struct ist_cpu *cpu)
{
	return cpu->bus.now_ns(cpu->bus.opaque) + ist_run_insns(cpu) * IST_NS_PER_INSN;
}

static unsigned ist_mode(const struct ist_cpu *cpu)
{
	unsigned mode = (ist_code32(cpu) ? IST_MODE_CODE32 : 0) | (ist_pe(cpu) ? IST_MODE_PE : 0);
	if ((cpu->flags & IST_TF) || cpu->inhibit)
		mode |= IST_MODE_SINGLE;
	return mode;
}

static void ist_set_exit(struct ist_cpu *cpu, enum cpu_exit_reason reason)
{
	cpu->exit->reason = reason;
	cpu->exit_set = true;
}

/* Remembers that next followed prev, so near branches in prev can go to
 * next directly; only between blocks of one mode and code segment. */
static void ist_link(struct ist_block *prev, struct ist_block *next)
{
	unsigned slot = 0;
	if (prev->mode != next->mode || (prev->mode & IST_MODE_SINGLE) ||
	    prev->cs_base != next->cs_base || prev->dead)
		return;
	for (unsigned k = 0; k < IST_BLOCK_LINKS; k++) {
		if (prev->link[k] == next)
			return;
		if (!prev->link[k] || prev->link[k]->dead)
			slot = k;
	}
	/* Full: the newest replaces the one in the slot it rotates through. */
	if (prev->link[slot] && !prev->link[slot]->dead)
		slot = prev->next_slot++ % IST_BLOCK_LINKS;
	prev->link[slot] = next;
}

/* Remembers in a fixed-target branch the block its target is, so the next
 * time it goes there directly (see ist_chain_fixed). */
static void ist_link_branch(struct ist_cpu *cpu, struct ist_block *prev, struct ist_block *next)
{
	struct ist_insn *from = cpu->chain_from;
	if (prev->mode != next->mode || (prev->mode & IST_MODE_SINGLE) ||
	    prev->cs_base != next->cs_base || prev->dead || from < prev->insns ||
	    from > prev->insns + prev->n)
		return;
	/* The code cache is ours: the instruction may learn where it leads. */
	from->disp = ist_cache_offset(cpu, next);
}

/* Runs blocks until something needs the VMM. */
static void ist_execute(struct ist_cpu *cpu)
{
	struct ist_block *prev = NULL;

	while (!cpu->exit_set) {
		struct ist_block *b;
		bool trap;

		if (unlikely(cpu->yield || cpu->budget <= 0 ||
			     atomic_load_explicit(&cpu->kicked, memory_order_relaxed)))
			return;
		if (cpu->want_window && (cpu->flags & IST_IF) && !cpu->inhibit) {
			ist_set_exit(cpu, CPU_EXIT_IRQ_WINDOW);
			return;
		}
		trap = cpu->flags & IST_TF;
		b = ist_cache_lookup(cpu, ist_mode(cpu));
		if (prev && !ist_cache_flushing(cpu)) {
			if (cpu->chain_from)
				ist_link_branch(cpu, prev, b);
			else
				ist_link(prev, b);
		}
		cpu->block = b;
		cpu->budget -= b->n;
		cpu->inhibit = false;
		cpu->inhibit_debug = false;
		cpu->chain_left = IST_CHAIN_MAX;
		cpu->chain_from = NULL;
		b->insns[0].fn(cpu, b->insns);
		/* Chaining may have gone on into other blocks: the last one ran. */
		prev = cpu->block;
		cpu->block = NULL;
		if (unlikely(trap) && !cpu->exit_set && !cpu->inhibit_debug) {
			/* Single-step: #DB after the instruction, with EIP past it
			 * (after MOV SS, only after the next one). */
			cpu->dr[6] |= 0x4000;
			cpu->fault_vector = IST_EXC_DB;
			cpu->fault_error = IST_NO_ERROR;
			cpu->budget--;
			ist_handle_exception(cpu);
			prev = NULL;
		}
	}
}

static int ist_run(struct cpu *c, struct cpu_exit *exit, uint64_t budget_ns)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	uint64_t now_ns;
	int jumped;

	cpu->exit = exit;
	cpu->exit_set = false;
	cpu->yield = false;
	/* A run ends at the next timer or after a slice, so kicks are seen. */
	cpu->budget = budget_ns / IST_NS_PER_INSN > IST_SLICE_INSNS
			      ? IST_SLICE_INSNS
			      : (int64_t)(budget_ns / IST_NS_PER_INSN);
	cpu->budget_start = cpu->budget;
	now_ns = cpu->bus.now_ns(cpu->bus.opaque);
	cpu->deadline_ns = budget_ns > UINT64_MAX - now_ns ? UINT64_MAX : now_ns + budget_ns;
	cpu->block = NULL;
	jumped = setjmp(cpu->fault_jump);
	if (jumped == IST_JUMP_FAULT) {
		/* Delivering costs an instruction's time: a handler that faults
		 * again at once still lets the run end. */
		cpu->block = NULL;
		cpu->budget--;
		ist_handle_exception(cpu);
	} else if (jumped == IST_JUMP_STOP) {
		cpu->block = NULL;
	} else if (cpu->irq_pending) {
		cpu->irq_pending = false;
		ist_deliver(cpu, cpu->irq_vector, IST_NO_ERROR, cpu->eip, IST_EVENT_EXTERNAL);
	}
	if (jumped != IST_JUMP_STOP)
		ist_execute(cpu);
	if (!cpu->exit_set) {
		if (atomic_exchange(&cpu->kicked, false))
			exit->reason = CPU_EXIT_INTERRUPTED;
		else
			exit->reason = CPU_EXIT_YIELD;
	}
	exit->guest_ns = ist_run_insns(cpu) * IST_NS_PER_INSN;
	cpu->icount += ist_run_insns(cpu);
	return 0;
}

static int ist_get_regs(struct cpu *c, struct cpu_regs *regs)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	*regs = (struct cpu_regs){
		.rax = cpu->r[IST_EAX], .rbx = cpu->r[IST_EBX], .rcx = cpu->r[IST_ECX],
		.rdx = cpu->r[IST_EDX], .rsi = cpu->r[IST_ESI], .rdi = cpu->r[IST_EDI],
		.rsp = cpu->r[IST_ESP], .rbp = cpu->r[IST_EBP], .rip = cpu->eip,
		.rflags = ist_flags_get(cpu),
	};
	return 0;
}

static int ist_set_regs(struct cpu *c, const struct cpu_regs *regs)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	bool vm_changed = (regs->rflags ^ cpu->flags) & IST_VM;
	cpu->r[IST_EAX] = (uint32_t)regs->rax;
	cpu->r[IST_EBX] = (uint32_t)regs->rbx;
	cpu->r[IST_ECX] = (uint32_t)regs->rcx;
	cpu->r[IST_EDX] = (uint32_t)regs->rdx;
	cpu->r[IST_ESI] = (uint32_t)regs->rsi;
	cpu->r[IST_EDI] = (uint32_t)regs->rdi;
	cpu->r[IST_ESP] = (uint32_t)regs->rsp;
	cpu->r[IST_EBP] = (uint32_t)regs->rbp;
	cpu->eip = (uint32_t)regs->rip;
	ist_flags_set(cpu, (uint32_t)regs->rflags, 0xFFFFFFFFu);
	if (vm_changed)
		ist_seg_refresh_all(cpu);
	return 0;
}

static void seg_to_cpu(struct cpu_segment *out, const struct ist_seg *s, bool pe)
{
	*out = (struct cpu_segment){
		.base = s->base,
		.limit = s->limit,
		.selector = s->sel,
		.type = s->attr & IST_ATTR_TYPE,
		.s = (s->attr & IST_ATTR_S) != 0,
		.dpl = (s->attr & IST_ATTR_DPL) >> IST_ATTR_DPL_SHIFT,
		.present = (s->attr & IST_ATTR_P) != 0,
		.avl = (s->attr & IST_ATTR_AVL) != 0,
		.db = (s->attr & IST_ATTR_DB) != 0,
		.g = (s->attr & IST_ATTR_G) != 0,
		.unusable = pe && !(s->attr & IST_ATTR_P),
	};
}

static void seg_from_cpu(struct ist_seg *out, const struct cpu_segment *s)
{
	out->base = (uint32_t)s->base;
	out->limit = s->limit;
	out->sel = s->selector;
	out->attr = s->unusable ? 0
				: (uint16_t)((s->type & 0xF) | (s->s ? IST_ATTR_S : 0) |
					     (s->dpl & 3) << IST_ATTR_DPL_SHIFT |
					     (s->present ? IST_ATTR_P : 0) |
					     (s->avl ? IST_ATTR_AVL : 0) | (s->db ? IST_ATTR_DB : 0) |
					     (s->g ? IST_ATTR_G : 0));
}

static int ist_get_sregs(struct cpu *c, struct cpu_sregs *sregs)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	bool pe = ist_pe(cpu);
	seg_to_cpu(&sregs->es, &cpu->seg[IST_ES], pe);
	seg_to_cpu(&sregs->cs, &cpu->seg[IST_CS], pe);
	seg_to_cpu(&sregs->ss, &cpu->seg[IST_SS], pe);
	seg_to_cpu(&sregs->ds, &cpu->seg[IST_DS], pe);
	seg_to_cpu(&sregs->fs, &cpu->seg[IST_FS], pe);
	seg_to_cpu(&sregs->gs, &cpu->seg[IST_GS], pe);
	seg_to_cpu(&sregs->ldt, &cpu->ldtr, pe);
	seg_to_cpu(&sregs->tr, &cpu->tr, pe);
	sregs->gdt = (struct cpu_dtable){ cpu->gdtr.base, cpu->gdtr.limit };
	sregs->idt = (struct cpu_dtable){ cpu->idtr.base, cpu->idtr.limit };
	sregs->cr0 = cpu->cr0;
	sregs->cr2 = cpu->cr2;
	sregs->cr3 = cpu->cr3;
	sregs->cr4 = cpu->cr4;
	sregs->efer = 0;
	return 0;
}

static int ist_set_sregs(struct cpu *c, const struct cpu_sregs *sregs)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	seg_from_cpu(&cpu->seg[IST_ES], &sregs->es);
	seg_from_cpu(&cpu->seg[IST_CS], &sregs->cs);
	seg_from_cpu(&cpu->seg[IST_SS], &sregs->ss);
	seg_from_cpu(&cpu->seg[IST_DS], &sregs->ds);
	seg_from_cpu(&cpu->seg[IST_FS], &sregs->fs);
	seg_from_cpu(&cpu->seg[IST_GS], &sregs->gs);
	seg_from_cpu(&cpu->ldtr, &sregs->ldt);
	seg_from_cpu(&cpu->tr, &sregs->tr);
	cpu->gdtr = (struct ist_dtr){ (uint32_t)sregs->gdt.base, sregs->gdt.limit };
	cpu->idtr = (struct ist_dtr){ (uint32_t)sregs->idt.base, sregs->idt.limit };
	cpu->cr0 = (uint32_t)sregs->cr0 | IST_CR0_ET;
	cpu->cr2 = (uint32_t)sregs->cr2;
	cpu->cr3 = (uint32_t)sregs->cr3;
	cpu->cr4 = (uint32_t)sregs->cr4;
	cpu->cpl = ist_pe(cpu) ? sregs->cs.selector & IST_SEL_RPL : 0;
	ist_seg_refresh_all(cpu);
	return 0;
}

static bool ist_interrupt_ready(struct cpu *c)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	return (cpu->flags & IST_IF) && !cpu->inhibit && !cpu->irq_pending;
}

static int ist_inject_interrupt(struct cpu *c, uint8_t vector)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	if (cpu->irq_pending)
		return -EBUSY;
	cpu->irq_pending = true;
	cpu->irq_vector = vector;
	return 0;
}

static void ist_request_interrupt_window(struct cpu *c, bool on)
{
	ist_from_cpu(c)->want_window = on;
}

static void ist_kick(struct cpu *c)
{
	atomic_store(&ist_from_cpu(c)->kicked, true);
}

static int ist_memory_changed(struct cpu *c, const struct memmap *map)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	cpu->map = map;
	ist_mem_rebuild(cpu, map);
	return 0;
}

static void ist_memory_written(struct cpu *c, uint64_t gpa, uint64_t len)
{
	ist_cache_host_write(ist_from_cpu(c), gpa, len);
}

static void ist_set_a20(struct cpu *c, bool enabled)
{
	struct ist_cpu *cpu = ist_from_cpu(c);
	uint32_t mask = enabled ? 0xFFFFFFFFu : 0xFFEFFFFFu;
	if (cpu->a20_mask == mask)
		return;
	cpu->a20_mask = mask;
	ist_cache_flush(cpu); /* decoded code came through the old mapping */
}

bool ist_cpu_translates(const struct cpu *c)
{
	return ist_cache_translates((const struct ist_cpu *)c);
}

static void ist_destroy(struct cpu *c)
{
	struct ist_cpu *cpu;
	if (!c)
		return;
	cpu = ist_from_cpu(c);
	ist_cache_destroy(cpu);
	ist_mem_finish(cpu);
	free(cpu);
}

static const struct cpu_ops ist_cpu_ops = {
	.name = "ist",
	.run = ist_run,
	.get_regs = ist_get_regs,
	.set_regs = ist_set_regs,
	.get_sregs = ist_get_sregs,
	.set_sregs = ist_set_sregs,
	.interrupt_ready = ist_interrupt_ready,
	.inject_interrupt = ist_inject_interrupt,
	.request_interrupt_window = ist_request_interrupt_window,
	.kick = ist_kick,
	.memory_changed = ist_memory_changed,
	.memory_written = ist_memory_written,
	.set_a20 = ist_set_a20,
	.destroy = ist_destroy,
};

/* The state after RESET: real mode at F000:FFF0, as on a PC. */
static void ist_reset(struct ist_cpu *cpu)
{
	for (unsigned s = 0; s < IST_SREGS; s++)
		cpu->seg[s] = (struct ist_seg){ .limit = 0xFFFF, .attr = IST_RESET_DATA_ATTR };
	cpu->seg[IST_CS] = (struct ist_seg){
		.sel = 0xF000, .base = 0xFFFF0000u, .limit = 0xFFFF, .attr = IST_RESET_CODE_ATTR,
	};
	cpu->ldtr = (struct ist_seg){ .limit = 0xFFFF, .attr = IST_RESET_LDT_ATTR };
	cpu->tr = (struct ist_seg){ .limit = 0xFFFF, .attr = IST_RESET_TR_ATTR };
	cpu->idtr = (struct ist_dtr){ 0, 0x3FF };
	cpu->gdtr = (struct ist_dtr){ 0, 0xFFFF };
	cpu->eip = 0xFFF0;
	cpu->flags = IST_FLAG1;
	cpu->lf.op = IST_LF_NONE;
	cpu->cr0 = IST_RESET_CR0;
	cpu->dr[6] = IST_RESET_DR6;
	cpu->dr[7] = IST_RESET_DR7;
	cpu->r[IST_EDX] = IST_RESET_EDX;
	cpu->delivering = -1;
	ist_seg_refresh_all(cpu);
}

int ist_cpu_create(const struct memmap *map, const struct cpu_bus *bus, enum ist_engine engine,
		   struct cpu **out, char *err, size_t err_size)
{
	struct ist_cpu *cpu;
	int rc = ist_decode_init(err, err_size);

	if (rc < 0)
		return rc;
	cpu = calloc(1, sizeof(*cpu));
	if (!cpu) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	cpu->base.ops = &ist_cpu_ops;
	cpu->bus = *bus;
	cpu->map = map;
	atomic_init(&cpu->kicked, false);
	rc = ist_mem_init(cpu);
	if (rc == 0)
		rc = ist_cache_create(cpu, engine == IST_INTERPRET	   ? 0
					   : engine == IST_TRANSLATE_ALL ? 1
									 : IST_HOT_AFTER);
	if (rc < 0) {
		snprintf(err, err_size, "IST: out of memory for page tables and code cache");
		ist_destroy(&cpu->base);
		return rc;
	}
	ist_reset(cpu);
	ist_mem_rebuild(cpu, map);
	*out = &cpu->base;
	return 0;
}
