/* machine.c: one virtual PC: memory, CPU, VDDs, and the loop that runs it. */
#include "machine.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ist/ist.h"
#include "kvm/kvm.h"
#include "log.h"
#include "machine_internal.h"
#include "props.h"
#include "vman.h"

/* FLAGS bits a VDD may change in a guest's register image: the status
 * flags, TF, IF, DF. */
#define VDD_WRITABLE_FLAGS 0x0FD5u

void machine_end(struct machine *m, enum machine_end how, int status, const char *fmt, ...)
{
	va_list ap;
	if (m->ended)
		return;
	m->ended = true;
	m->result.how = how;
	m->result.status = status;
	va_start(ap, fmt);
	vsnprintf(m->result.message, sizeof(m->result.message), fmt, ap);
	va_end(ap);
}

/* "CS:IP" of the guest for messages. */
static const char *machine_where(struct machine *m, uint64_t ip_adjust, char *buf, size_t size)
{
	struct cpu_regs regs;
	struct cpu_sregs sregs;
	if (!m->cpu || m->cpu->ops->get_regs(m->cpu, &regs) < 0 ||
	    m->cpu->ops->get_sregs(m->cpu, &sregs) < 0) {
		snprintf(buf, size, "an unknown address");
		return buf;
	}
	regs.rip -= ip_adjust;
	if (sregs.cs.db)
		snprintf(buf, size, "%04x:%08llx", sregs.cs.selector,
			 (unsigned long long)(regs.rip & 0xFFFFFFFF));
	else
		snprintf(buf, size, "%04x:%04llx", sregs.cs.selector,
			 (unsigned long long)(regs.rip & 0xFFFF));
	return buf;
}

/* The guest's registers as SVC and interrupt hooks see them. */
static void regs_to_vdh(struct vdh_regs *v, const struct cpu_regs *r, const struct cpu_sregs *s)
{
	*v = (struct vdh_regs){
		.eax = (uint32_t)r->rax, .ebx = (uint32_t)r->rbx, .ecx = (uint32_t)r->rcx,
		.edx = (uint32_t)r->rdx, .esi = (uint32_t)r->rsi, .edi = (uint32_t)r->rdi,
		.ebp = (uint32_t)r->rbp, .esp = (uint32_t)r->rsp, .eip = (uint32_t)r->rip,
		.eflags = (uint32_t)r->rflags,
		.cs = s->cs.selector, .ds = s->ds.selector, .es = s->es.selector,
		.fs = s->fs.selector, .gs = s->gs.selector, .ss = s->ss.selector,
	};
}

static bool load_real_segment(struct cpu_segment *seg, uint16_t selector, bool code)
{
	if (seg->selector == selector)
		return false;
	cpu_segment_real(seg, selector, code);
	return true;
}

/* Writes a VDD's changes back to the CPU. Segment registers can change in
 * real mode only: in protected mode a selector load needs descriptors. */
static int machine_apply_vdh_regs(struct machine *m, const struct vdh_regs *v,
				  struct cpu_regs *r, struct cpu_sregs *s)
{
	bool segs_changed = false;

	r->rax = v->eax;
	r->rbx = v->ebx;
	r->rcx = v->ecx;
	r->rdx = v->edx;
	r->rsi = v->esi;
	r->rdi = v->edi;
	r->rbp = v->ebp;
	r->rsp = v->esp;
	r->rip = v->eip;
	r->rflags = (r->rflags & ~(uint64_t)VDD_WRITABLE_FLAGS) | (v->eflags & VDD_WRITABLE_FLAGS);
	if (!(s->cr0 & CPU_CR0_PE)) {
		segs_changed |= load_real_segment(&s->cs, v->cs, true);
		segs_changed |= load_real_segment(&s->ds, v->ds, false);
		segs_changed |= load_real_segment(&s->es, v->es, false);
		segs_changed |= load_real_segment(&s->fs, v->fs, false);
		segs_changed |= load_real_segment(&s->gs, v->gs, false);
		segs_changed |= load_real_segment(&s->ss, v->ss, false);
	} else if (v->cs != s->cs.selector || v->ds != s->ds.selector ||
		   v->es != s->es.selector || v->fs != s->fs.selector ||
		   v->gs != s->gs.selector || v->ss != s->ss.selector) {
		log_warn("a VDD changed a segment register in protected mode; ignored");
	}
	if (segs_changed && m->cpu->ops->set_sregs(m->cpu, s) < 0)
		return -EIO;
	return m->cpu->ops->set_regs(m->cpu, r);
}

static void machine_svc_unregistered(struct machine *m, uint8_t n, struct cpu_regs *regs)
{
	uint8_t bit = (uint8_t)(1u << (n & 7));
	if (!(m->svc.warned[n >> 3] & bit)) {
		char where[32];
		m->svc.warned[n >> 3] |= bit;
		log_warn("guest called SVC 0x%02x at %s, which nothing registered; "
			 "returning CF=1 AX=1 (not reported again)",
			 n, machine_where(m, 3, where, sizeof(where)));
	}
	regs->rflags |= CPU_FLAG_CF;
	regs->rax = (regs->rax & ~0xFFFFull) | 1;
	if (m->cpu->ops->set_regs(m->cpu, regs) < 0)
		machine_end(m, MACHINE_END_ERROR, 1, "cannot write guest registers");
}

/* A software-interrupt hook's stub: the guest arrived by INT (or a far call
 * with FLAGS pushed), so IP, CS and FLAGS of the caller are on the stack. */
static void machine_int_hook(struct machine *m, struct cpu_regs *regs, struct cpu_sregs *sregs)
{
	const struct int_hook *hook = NULL;
	uint64_t frame = sregs->ss.base + (regs->rsp & 0xFFFF);
	uint8_t raw[6];
	uint16_t caller_flags;
	enum vdh_int_action action;
	struct vdh_regs v;

	if (!(sregs->cr0 & CPU_CR0_PE))
		hook = inthook_at(&m->hooks, cpu_code_linear(sregs, regs->rip));
	if (!hook || memmap_read(&m->mem, frame, raw, sizeof(raw)) < 0) {
		machine_svc_unregistered(m, SVC_INT_HOOK, regs);
		return;
	}
	caller_flags = (uint16_t)(raw[4] | raw[5] << 8);
	regs_to_vdh(&v, regs, sregs);
	v.eflags = (v.eflags & 0xFFFF0000u) | caller_flags;
	action = hook->fn ? hook->fn(hook->opaque, hook->vector, &v) : VDH_INT_CHAIN;

	/* The caller's FLAGS image takes the handler's changes; IRET (ours or
	 * the next handler's) restores it. */
	caller_flags = (uint16_t)((caller_flags & ~VDD_WRITABLE_FLAGS) |
				  (v.eflags & VDD_WRITABLE_FLAGS));
	raw[4] = (uint8_t)caller_flags;
	raw[5] = (uint8_t)(caller_flags >> 8);
	if (machine_write_guest(m, frame + 4, raw + 4, 2) < 0)
		log_warn("interrupt 0x%02x hook: the caller's stack is not in RAM", hook->vector);
	v.eflags = (uint32_t)regs->rflags;
	if (action == VDH_INT_CHAIN && (hook->previous_segment || hook->previous_offset)) {
		v.cs = hook->previous_segment;
		v.eip = hook->previous_offset;
	}
	if (machine_apply_vdh_regs(m, &v, regs, sregs) < 0)
		machine_end(m, MACHINE_END_ERROR, 1, "cannot write guest registers");
}

static void machine_svc(struct machine *m, uint8_t n, struct cpu_regs *regs,
			struct cpu_sregs *sregs)
{
	const struct svc_entry *e = &m->svc.entry[n];
	struct vdh_regs v;

	m->stats.exits_svc++;
	vclock_charge(&m->clock, VCLOCK_TRAP_NS);
	if (n == SVC_INT_HOOK) {
		machine_int_hook(m, regs, sregs);
		return;
	}
	if (!e->fn) {
		machine_svc_unregistered(m, n, regs);
		return;
	}
	regs_to_vdh(&v, regs, sregs);
	e->fn(e->opaque, &v);
	if (machine_apply_vdh_regs(m, &v, regs, sregs) < 0)
		machine_end(m, MACHINE_END_ERROR, 1, "cannot write guest registers");
}

/* HLT: an SVC when the next two bytes are n, ~n; else idle, or death when
 * interrupts are off (nothing can ever wake the guest). */
static void machine_handle_hlt(struct machine *m)
{
	struct cpu_regs regs;
	struct cpu_sregs sregs;
	uint8_t n, check;
	char where[32];

	m->stats.exits_hlt++;
	if (m->cpu->ops->get_regs(m->cpu, &regs) < 0 ||
	    m->cpu->ops->get_sregs(m->cpu, &sregs) < 0) {
		machine_end(m, MACHINE_END_ERROR, 1, "cannot read guest registers");
		return;
	}
	if (memmap_read(&m->mem, cpu_code_linear(&sregs, regs.rip), &n, 1) == 0 &&
	    memmap_read(&m->mem, cpu_code_linear(&sregs, regs.rip + 1), &check, 1) == 0 &&
	    (uint8_t)(check ^ n) == 0xFF) {
		regs.rip = sregs.cs.db ? (regs.rip + 2) & 0xFFFFFFFF : (regs.rip + 2) & 0xFFFF;
		machine_svc(m, n, &regs, &sregs);
		return;
	}
	if (regs.rflags & CPU_FLAG_IF) {
		m->idle = true;
		return;
	}
	machine_end(m, MACHINE_END_DEAD, 3, "guest is dead: HLT with interrupts disabled at %s",
		    machine_where(m, 1, where, sizeof(where)));
}

/* Port I/O, from a KVM exit or in place from the software CPU: each access
 * to its VDD and charged as one trap. */
static void machine_bus_io(void *opaque, uint16_t port, unsigned size, bool is_write,
			   uint8_t *data, uint32_t count)
{
	struct machine *m = opaque;
	m->stats.exits_io++;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t *element = data + (size_t)i * size;
		uint32_t value = 0;
		if (is_write) {
			memcpy(&value, element, size);
			io_write(&m->io, port, size, value);
		} else {
			value = io_read(&m->io, port, size);
			memcpy(element, &value, size);
		}
		vclock_charge(&m->clock, VCLOCK_TRAP_NS);
	}
}

static void machine_bus_mmio(void *opaque, uint64_t gpa, uint8_t *data, unsigned len,
			     bool is_write)
{
	struct machine *m = opaque;
	m->stats.exits_mmio++;
	memmap_access(&m->mem, gpa, data, len, is_write);
	vclock_charge(&m->clock, VCLOCK_TRAP_NS);
}

/* Sleeps up to ns (UINT64_MAX: until woken) or until a stop request. */
static void machine_wait(struct machine *m, uint64_t ns)
{
	struct pollfd pfd = { .fd = m->wake_fd, .events = POLLIN };
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
	uint64_t drained;

	if (ppoll(&pfd, 1, ns == UINT64_MAX ? NULL : &ts, NULL) > 0 &&
	    read(m->wake_fd, &drained, sizeof(drained)) < 0 && errno != EAGAIN)
		log_debug("wake-up event: %s", strerror(errno));
}

/* The guest waits for an interrupt: time jumps to the next deadline, and
 * (paced) the host sleeps until it gets there. */
static void machine_idle(struct machine *m)
{
	while (!m->ended && !atomic_load(&m->stop_requested)) {
		uint64_t deadline, sleep_ns;
		vclock_run_due(&m->clock);
		if (m->ended)
			return;
		if (irq_has_interrupt(&m->irq)) {
			m->idle = false;
			return;
		}
		deadline = vclock_next_deadline(&m->clock);
		if (deadline == UINT64_MAX) {
			if (!m->warned_idle_forever) {
				m->warned_idle_forever = true;
				log_warn("the guest waits for an interrupt, but no timer is armed "
					 "and nothing else can raise one; stop it with Ctrl-C or "
					 "--timeout");
			}
			machine_wait(m, UINT64_MAX);
			continue;
		}
		vclock_idle_until(&m->clock, deadline);
		sleep_ns = vclock_pace_ns(&m->clock, 0);
		if (sleep_ns)
			machine_wait(m, sleep_ns);
	}
}

static void machine_deliver_interrupt(struct machine *m)
{
	struct cpu *cpu = m->cpu;
	bool pending = irq_has_interrupt(&m->irq);

	if (pending && cpu->ops->interrupt_ready(cpu)) {
		uint8_t vector = irq_acknowledge(&m->irq);
		int rc = cpu->ops->inject_interrupt(cpu, vector);
		if (rc < 0) {
			machine_end(m, MACHINE_END_ERROR, 1, "cannot inject interrupt 0x%02x: %s",
				    vector, strerror(-rc));
			return;
		}
		m->stats.interrupts++;
		pending = irq_has_interrupt(&m->irq);
	}
	cpu->ops->request_interrupt_window(cpu, pending);
}

static uint64_t machine_bus_now(void *opaque)
{
	struct machine *m = opaque;
	return vclock_now(&m->clock);
}

/* Virtual time the CPU may run before the next timer is due. */
static uint64_t machine_budget(const struct machine *m)
{
	uint64_t deadline = vclock_next_deadline(&m->clock), now = vclock_now(&m->clock);
	return deadline == UINT64_MAX ? UINT64_MAX : deadline > now ? deadline - now : 0;
}

/* The state an x86 comes out of reset in: real mode, CS F000 with base
 * FFFF0000 and IP FFF0, so the first fetch is at the top of 4 GiB where the
 * BIOS is; CR0 with CD, NW and ET set; EDX the CPU signature of a 486 DX
 * (family 4, model 1), as CPUID reports it. */
#define RESET_CS_BASE 0xFFFF0000u
#define RESET_IP 0xFFF0u
#define RESET_CR0 0x60000010u
#define RESET_EDX 0x0410u

static void machine_reset_cpu(struct machine *m)
{
	struct cpu_regs regs = { .rip = RESET_IP, .rdx = RESET_EDX, .rflags = CPU_FLAG_RESERVED };
	struct cpu_sregs sregs;
	int rc;

	m->reset_pending = false;
	m->idle = false;
	rc = m->cpu->ops->get_sregs(m->cpu, &sregs);
	if (rc == 0) {
		cpu_segment_real(&sregs.cs, 0xF000, true);
		sregs.cs.base = RESET_CS_BASE;
		cpu_segment_real(&sregs.ds, 0, false);
		cpu_segment_real(&sregs.es, 0, false);
		cpu_segment_real(&sregs.fs, 0, false);
		cpu_segment_real(&sregs.gs, 0, false);
		cpu_segment_real(&sregs.ss, 0, false);
		sregs.gdt = (struct cpu_dtable){ 0, 0xFFFF };
		sregs.idt = (struct cpu_dtable){ 0, 0xFFFF };
		sregs.cr0 = RESET_CR0;
		sregs.cr2 = sregs.cr3 = sregs.cr4 = 0;
		rc = m->cpu->ops->set_sregs(m->cpu, &sregs);
	}
	if (rc == 0)
		rc = m->cpu->ops->set_regs(m->cpu, &regs);
	if (rc < 0)
		machine_end(m, MACHINE_END_ERROR, 1, "resetting the %s vCPU failed: %s",
			    m->cpu->ops->name, strerror(-rc));
	else
		log_info("CPU reset by a device");
}

void machine_run(struct machine *m, struct machine_result *result)
{
	uint64_t host_start = vclock_host_ns();
	struct cpu_exit exit;
	char where[32];

	m->clock.host_origin = host_start - vclock_now(&m->clock);
	while (!m->ended) {
		int rc;
		if (atomic_load(&m->stop_requested)) {
			machine_end(m, MACHINE_END_STOPPED, 1, "stopped at %s",
				    machine_where(m, 0, where, sizeof(where)));
			break;
		}
		vclock_run_due(&m->clock);
		if (m->ended)
			break;
		if (m->idle) {
			machine_idle(m);
			continue;
		}
		machine_deliver_interrupt(m);
		if (m->ended)
			break;
		rc = m->cpu->ops->run(m->cpu, &exit, machine_budget(m));
		if (rc < 0) {
			machine_end(m, MACHINE_END_ERROR, 1, "running the %s vCPU failed: %s",
				    m->cpu->ops->name,
				    exit.reason == CPU_EXIT_FAILED ? exit.failure : strerror(-rc));
			break;
		}
		vclock_charge(&m->clock, exit.guest_ns);
		switch (exit.reason) {
		case CPU_EXIT_IO:
			machine_bus_io(m, exit.io.port, exit.io.size, exit.io.is_write, exit.io.data,
				       exit.io.count);
			break;
		case CPU_EXIT_MMIO:
			machine_bus_mmio(m, exit.mmio.gpa, exit.mmio.data, exit.mmio.len,
					 exit.mmio.is_write);
			break;
		case CPU_EXIT_HLT:
			machine_handle_hlt(m);
			break;
		case CPU_EXIT_IRQ_WINDOW:
			m->stats.exits_window++;
			break;
		case CPU_EXIT_INTERRUPTED:
			m->stats.exits_interrupted++;
			break;
		case CPU_EXIT_YIELD:
			break;
		case CPU_EXIT_SHUTDOWN:
			machine_end(m, MACHINE_END_DEAD, 3, "guest is dead: triple fault at %s",
				    machine_where(m, 0, where, sizeof(where)));
			break;
		case CPU_EXIT_FAILED:
			machine_end(m, MACHINE_END_DEAD, 3, "guest is dead: %s at %s", exit.failure,
				    machine_where(m, 0, where, sizeof(where)));
			break;
		}
		if (m->reset_pending && !m->ended)
			machine_reset_cpu(m);
		uint64_t ahead = vclock_pace_ns(&m->clock, VCLOCK_AHEAD_SLACK_NS);
		if (ahead)
			machine_wait(m, ahead);
	}
	m->stats.virtual_ns = vclock_now(&m->clock);
	m->stats.host_ns = vclock_host_ns() - host_start;
	*result = m->result;
}

void machine_request_reset(struct machine *m)
{
	m->reset_pending = true;
}

void machine_request_stop(struct machine *m)
{
	static const uint64_t one = 1;
	atomic_store(&m->stop_requested, true);
	if (m->cpu)
		m->cpu->ops->kick(m->cpu);
	if (write(m->wake_fd, &one, sizeof(one)) < 0) {
		/* The eventfd is full only if wake-ups are already pending. */
	}
}

/* SVCs of the VMM itself. */
static void svc_identify(void *opaque, struct vdh_regs *regs)
{
	regs->eflags &= ~VDH_FLAG_CF;
	regs->eax = (regs->eax & 0xFFFF0000u) | SVC_IDENTIFY_MAGIC;
	regs->ebx = (regs->ebx & 0xFFFF0000u) | VDH_API_VERSION;
}

static void svc_exit(void *opaque, struct vdh_regs *regs)
{
	struct machine *m = opaque;
	char where[32];
	machine_end(m, MACHINE_END_EXIT, regs->eax & 0xFF, "guest exited with status %u at %s",
		    regs->eax & 0xFF, machine_where(m, 3, where, sizeof(where)));
}

static void svc_clock(void *opaque, struct vdh_regs *regs)
{
	struct machine *m = opaque;
	uint64_t now = vclock_now(&m->clock);
	regs->eflags &= ~VDH_FLAG_CF;
	regs->eax = (uint32_t)now;
	regs->edx = (uint32_t)(now >> 32);
}

static void machine_register_vmm_svcs(struct machine *m)
{
	m->svc.entry[SVC_IDENTIFY] = (struct svc_entry){ svc_identify, m, NULL, "mvm" };
	m->svc.entry[SVC_EXIT] = (struct svc_entry){ svc_exit, m, NULL, "mvm" };
	m->svc.entry[SVC_CLOCK] = (struct svc_entry){ svc_clock, m, NULL, "mvm" };
}

static void machine_timeout(void *opaque, uint64_t now_ns)
{
	struct machine *m = opaque;
	char where[32];
	machine_end(m, MACHINE_END_TIMEOUT, 124, "timeout: %.3f s of virtual time passed at %s",
		    (double)now_ns / 1e9, machine_where(m, 0, where, sizeof(where)));
}

static int machine_add_memory(struct machine *m, uint64_t base, uint64_t size,
			      enum mem_kind kind, uint8_t *host, const char *name)
{
	struct mem_mapping mapping = {
		.base = base, .size = size, .kind = kind, .host = host, .name = name,
	};
	return memmap_add(&m->mem, &mapping, NULL);
}

/* The PC layout: conventional memory, the video window left to a video VDD,
 * upper memory with the VMM's ROM block, and extended memory (whose first
 * 64 KiB is the HMA) up to the configured size. One host allocation backs
 * all RAM at host offset = guest address, so the window costs 128 KiB of
 * never-touched address space. */
static int machine_layout_memory(struct machine *m, uint32_t memory_mib)
{
	int rc;

	m->ram_size = (size_t)memory_mib << 20;
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	m->rom = mmap(NULL, MACHINE_ROM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (m->ram == MAP_FAILED || m->rom == MAP_FAILED) {
		m->ram = m->ram == MAP_FAILED ? NULL : m->ram;
		m->rom = m->rom == MAP_FAILED ? NULL : m->rom;
		return -ENOMEM;
	}
	rc = machine_add_memory(m, 0, MACHINE_CONVENTIONAL_END, MEM_RAM, m->ram,
				"conventional memory");
	if (rc == 0)
		rc = machine_add_memory(m, MACHINE_UPPER_BASE,
					MACHINE_EXTENDED_BASE - MACHINE_UPPER_BASE, MEM_RAM,
					m->ram + MACHINE_UPPER_BASE, "upper memory");
	if (rc == 0 && m->ram_size > MACHINE_EXTENDED_BASE)
		rc = machine_add_memory(m, MACHINE_EXTENDED_BASE,
					m->ram_size - MACHINE_EXTENDED_BASE, MEM_RAM,
					m->ram + MACHINE_EXTENDED_BASE, "extended memory");
	if (rc == 0)
		rc = machine_add_memory(m, MACHINE_ROM_BASE, MACHINE_ROM_SIZE, MEM_ROM, m->rom,
					"mvm ROM");
	if (rc == 0)
		inthook_init(&m->hooks, m->rom, MACHINE_ROM_BASE, MACHINE_ROM_SIZE);
	return rc;
}

static void machine_detach_vdds(struct machine *m)
{
	for (size_t i = m->dev_count; i-- > 0;) {
		struct vdh_dev *dev = m->devs[i];
		if (dev->created)
			dev->plugin->module->terminate(dev->instance);
		vdh_dev_release(dev);
		props_destroy(dev->props);
		free(dev);
	}
	free(m->devs);
	m->devs = NULL;
	m->dev_count = 0;
}

/* All or nothing: every VDD is loaded and its properties checked before
 * any is created; a failure anywhere undoes those already created. */
static int machine_attach_vdds(struct machine *m, const struct machine_config *config,
			       char *err, size_t err_size)
{
	struct vdd_plugin **plugins = calloc(config->vdd_count + 1, sizeof(*plugins));
	struct vdh_props **props = calloc(config->vdd_count + 1, sizeof(*props));
	int rc = 0;

	m->devs = calloc(config->vdd_count + 1, sizeof(*m->devs));
	if (!plugins || !props || !m->devs) {
		snprintf(err, err_size, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < config->vdd_count && rc == 0; i++) {
		rc = vdd_plugin_load(config->vdds[i].name, config->vdd_path, &machine_vdh,
				     &plugins[i], err, err_size);
		for (size_t j = 0; j < i && rc == 0; j++) {
			if (plugins[j] == plugins[i] ||
			    strcmp(plugins[j]->module->name, plugins[i]->module->name) == 0) {
				snprintf(err, err_size, "VDD '%s' is given twice (%s and %s)",
					 plugins[i]->module->name, plugins[j]->path,
					 plugins[i]->path);
				rc = -EEXIST;
			}
		}
	}
	for (size_t i = 0; i < config->vdd_count && rc == 0; i++)
		rc = props_create(plugins[i]->module->props, plugins[i]->module->name,
				  config->vdds[i].props, config->vdds[i].prop_count, &props[i], err,
				  err_size);
	for (size_t i = 0; i < config->vdd_count && rc == 0; i++) {
		struct vdh_dev *dev = calloc(1, sizeof(*dev));
		if (!dev) {
			snprintf(err, err_size, "out of memory");
			rc = -ENOMEM;
			break;
		}
		dev->machine = m;
		dev->plugin = plugins[i];
		dev->props = props[i];
		props[i] = NULL;
		m->devs[m->dev_count++] = dev;
		rc = dev->plugin->module->create(dev, dev->props, &dev->instance);
		dev->created = rc == 0;
		if (dev->error[0]) {
			snprintf(err, err_size, "%s: refused: %s", dev->plugin->path, dev->error);
			rc = rc < 0 ? rc : -EBUSY;
		} else if (rc < 0) {
			snprintf(err, err_size, "%s: create() failed: %s", dev->plugin->path,
				 strerror(-rc));
		}
	}
out:
	for (size_t i = 0; props && i < config->vdd_count; i++)
		props_destroy(props[i]);
	free(props);
	free(plugins);
	if (rc < 0)
		machine_detach_vdds(m);
	return rc;
}

static int machine_memory_changed(void *opaque, const struct memmap *map)
{
	struct machine *m = opaque;
	return m->cpu ? m->cpu->ops->memory_changed(m->cpu, map) : 0;
}

/* Does the host CPU run guest code in hardware (VT-x or AMD-V)? Without,
 * /dev/kvm (as on PVM hosts) emulates guest code in software. */
static bool host_has_hardware_virtualization(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool found = false;
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		found = strstr(line, " vmx") || strstr(line, " svm");
		break;
	}
	fclose(f);
	return found;
}

/* The IST, and how it runs guest code. */
static int machine_create_ist(struct machine *m, bool interpret, const char *why, char *err,
			      size_t err_size)
{
	int rc = ist_cpu_create(&m->mem, &m->bus, interpret ? IST_INTERPRET : IST_TRANSLATE,
				&m->cpu, err, err_size);
	if (rc < 0)
		return rc;
	log_info("CPU backend: ist (%s), %s", why,
		 ist_cpu_translates(m->cpu) ? "translating hot code to x86-64"
		 : interpret		    ? "interpreting (--ist-interpret)"
					    : "interpreting (this host cannot run translated code)");
	return 0;
}

static int machine_create_cpu(struct machine *m, const struct machine_config *config, char *err,
			      size_t err_size)
{
	const char *name = config->cpu;
	char reason[256], why[320];
	int rc;

	if (strcmp(name, "kvm") == 0) {
		rc = kvm_cpu_create(&m->mem, &m->cpu, err, err_size);
		log_info("CPU backend: kvm (--cpu kvm)");
	} else if (strcmp(name, "ist") == 0) {
		rc = machine_create_ist(m, config->ist_interpret, "--cpu ist", err, err_size);
	} else if (strcmp(name, "auto") == 0) {
		bool hardware = host_has_hardware_virtualization();
		if (hardware && kvm_usable(reason, sizeof(reason))) {
			rc = kvm_cpu_create(&m->mem, &m->cpu, err, err_size);
			log_info("CPU backend: kvm (auto: the host CPU has VT-x or AMD-V and "
				 "/dev/kvm works)");
		} else {
			snprintf(why, sizeof(why), "auto: %s",
				 hardware ? reason
					  : "the host CPU has no VT-x or AMD-V, so KVM would run "
					    "guest code in software");
			rc = machine_create_ist(m, config->ist_interpret, why, err, err_size);
		}
	} else {
		snprintf(err, err_size, "unknown CPU backend '%s' (kvm, ist, auto)", name);
		return -EINVAL;
	}
	if (rc == 0 && !m->a20_enabled)
		m->cpu->ops->set_a20(m->cpu, false);
	return rc;
}

void machine_set_a20(struct machine *m, bool enabled)
{
	m->a20_enabled = enabled;
	if (m->cpu)
		m->cpu->ops->set_a20(m->cpu, enabled);
}

void machine_tell_foreground(struct machine *m, bool foreground)
{
	m->foreground_told = foreground;
	for (size_t i = 0; i < m->dev_count; i++) {
		struct vdh_dev *dev = m->devs[i];
		const struct vdd_module *module = dev->plugin->module;
		void (*hook)(void *) = foreground ? module->foreground : module->background;

		if (dev->created && hook)
			hook(dev->instance);
	}
}

/* The display's events: foreground changes also go to every VDD's
 * lifecycle hooks; every event goes to the VDDs that set a handler. */
static void machine_display_event(void *opaque, unsigned type, const void *body, size_t len)
{
	struct machine *m = opaque;

	if (type == VMAN_EVENT_FOREGROUND && m->display->foreground != m->foreground_told)
		machine_tell_foreground(m, m->display->foreground);
	vdh_display_dispatch(m, type, body, len);
}

/* How often the display's events are read (virtual time): a background
 * VM learns within this that it came to the foreground. */
#define MACHINE_DISPLAY_POLL_NS 10000000u

static void machine_display_poll(void *opaque, uint64_t now_ns)
{
	struct machine *m = opaque;

	/* A broken display has said so once; the VM keeps running without it. */
	if (m->display->ops->poll(m->display) == 0)
		vclock_arm(&m->clock, &m->display_poll_timer, now_ns + MACHINE_DISPLAY_POLL_NS);
}

int machine_create(const struct machine_config *config, struct machine **out, char *err,
		   size_t err_size)
{
	struct machine *m;
	int rc;

	if (config->memory_mib < MACHINE_MEMORY_MIN_MIB ||
	    config->memory_mib > MACHINE_MEMORY_MAX_MIB) {
		snprintf(err, err_size, "memory size %u MiB is outside %u-%u MiB",
			 config->memory_mib, MACHINE_MEMORY_MIN_MIB, MACHINE_MEMORY_MAX_MIB);
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	memmap_init(&m->mem);
	irq_router_init(&m->irq);
	vclock_init(&m->clock, !config->unpaced);
	atomic_init(&m->stop_requested, false);
	m->a20_enabled = true;
	m->bus = (struct cpu_bus){ machine_bus_io, machine_bus_mmio, machine_bus_now, m };
	m->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	rc = m->wake_fd < 0 ? -errno : io_space_init(&m->io);
	if (rc == 0)
		rc = machine_layout_memory(m, config->memory_mib);
	if (rc < 0) {
		snprintf(err, err_size, "cannot set up %u MiB of guest memory: %s",
			 config->memory_mib, strerror(-rc));
		goto fail;
	}
	machine_register_vmm_svcs(m);
	m->display = config->display;
	rc = machine_attach_vdds(m, config, err, err_size);
	if (rc < 0)
		goto fail;
	if (m->display) {
		display_set_event_handler(m->display, machine_display_event, m);
		machine_tell_foreground(m, m->display->foreground);
	}
	if (m->display && m->display->ops->poll) {
		rc = vclock_timer_add(&m->clock, &m->display_poll_timer, machine_display_poll, m,
				      NULL);
		if (rc < 0) {
			snprintf(err, err_size, "out of memory");
			goto fail;
		}
		m->display_poll_timer_added = true;
		vclock_arm(&m->clock, &m->display_poll_timer, MACHINE_DISPLAY_POLL_NS);
	}
	if (config->timeout_ns) {
		rc = vclock_timer_add(&m->clock, &m->timeout_timer, machine_timeout, m, NULL);
		if (rc < 0) {
			snprintf(err, err_size, "out of memory");
			goto fail;
		}
		m->timeout_timer_added = true;
		vclock_arm(&m->clock, &m->timeout_timer, config->timeout_ns);
	}
	rc = machine_create_cpu(m, config, err, err_size);
	if (rc < 0)
		goto fail;
	m->mem.changed = machine_memory_changed;
	m->mem.changed_opaque = m;
	*out = m;
	return 0;
fail:
	machine_destroy(m);
	return rc;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	m->mem.changed = NULL;
	machine_detach_vdds(m);
	if (m->display)
		display_set_event_handler(m->display, NULL, NULL);
	if (m->timeout_timer_added)
		vclock_timer_remove(&m->clock, &m->timeout_timer);
	if (m->display_poll_timer_added)
		vclock_timer_remove(&m->clock, &m->display_poll_timer);
	if (m->cpu)
		m->cpu->ops->destroy(m->cpu);
	for (size_t i = 0; i < m->request_count; i++)
		free(m->requests[i].name);
	free(m->requests);
	inthook_finish(&m->hooks);
	memmap_finish(&m->mem);
	while (m->roms) {
		struct machine_rom *rom = m->roms;
		m->roms = rom->next;
		munmap(rom->pages, rom->size);
		free(rom);
	}
	io_space_finish(&m->io);
	vclock_finish(&m->clock);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	if (m->rom)
		munmap(m->rom, MACHINE_ROM_SIZE);
	if (m->wake_fd >= 0)
		close(m->wake_fd);
	free(m);
}

int machine_map_firmware(struct machine *m, uint64_t gpa, const void *data, size_t size,
			 bool writable)
{
	size_t pages = (size + MEMMAP_PAGE_SIZE - 1) / MEMMAP_PAGE_SIZE * MEMMAP_PAGE_SIZE;
	struct machine_rom *rom = calloc(1, sizeof(*rom));
	struct mem_mapping mapping = {
		.base = gpa, .size = pages, .kind = writable ? MEM_RAM : MEM_ROM,
		.name = writable ? "firmware (shadow RAM)" : "firmware",
	};
	int rc;

	if (!rom || size == 0) {
		free(rom);
		return size == 0 ? -EINVAL : -ENOMEM;
	}
	rom->pages = mmap(NULL, pages, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rom->pages == MAP_FAILED) {
		free(rom);
		return -ENOMEM;
	}
	rom->size = pages;
	memcpy(rom->pages, data, size);
	mapping.host = rom->pages;
	rc = memmap_add(&m->mem, &mapping, NULL);
	if (rc < 0) {
		munmap(rom->pages, pages);
		free(rom);
		return rc;
	}
	rom->next = m->roms;
	m->roms = rom;
	return 0;
}

int machine_write_guest(struct machine *m, uint64_t gpa, const void *data, size_t len)
{
	int rc = memmap_write(&m->mem, gpa, data, len);
	if (rc == 0 && m->cpu && m->cpu->ops->memory_written)
		m->cpu->ops->memory_written(m->cpu, gpa, len);
	return rc;
}

int machine_load(struct machine *m, uint64_t gpa, const void *data, size_t size)
{
	return machine_write_guest(m, gpa, data, size);
}

int machine_reset_real_mode(struct machine *m, uint16_t cs, uint16_t ip, uint16_t ss,
			    uint16_t sp, uint8_t dl)
{
	struct cpu_sregs sregs;
	struct cpu_regs regs = {
		.rip = ip, .rsp = sp, .rdx = dl, .rflags = CPU_FLAG_RESERVED,
	};
	int rc = m->cpu->ops->get_sregs(m->cpu, &sregs);
	if (rc < 0)
		return rc;
	cpu_segment_real(&sregs.cs, cs, true);
	cpu_segment_real(&sregs.ds, 0, false);
	cpu_segment_real(&sregs.es, 0, false);
	cpu_segment_real(&sregs.fs, 0, false);
	cpu_segment_real(&sregs.gs, 0, false);
	cpu_segment_real(&sregs.ss, ss, false);
	sregs.cr0 &= ~(uint64_t)CPU_CR0_PE;
	rc = m->cpu->ops->set_sregs(m->cpu, &sregs);
	return rc < 0 ? rc : m->cpu->ops->set_regs(m->cpu, &regs);
}

int machine_request_vdd(struct machine *m, const char *name, uint32_t command, const void *in,
			size_t in_len, void *out, size_t *out_len)
{
	for (size_t i = 0; i < m->request_count; i++)
		if (strcmp(m->requests[i].name, name) == 0)
			return m->requests[i].fn(m->requests[i].opaque, command, in, in_len, out,
						 out_len);
	return -ENOENT;
}

const char *machine_cpu_name(const struct machine *m)
{
	return m->cpu->ops->name;
}

void machine_get_stats(const struct machine *m, struct machine_stats *stats)
{
	*stats = m->stats;
}
