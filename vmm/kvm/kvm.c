/* kvm.c: the CPU backend on Linux KVM. */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../cpu.h"
#include "../memmap.h"

#define KVM_DEVICE "/dev/kvm"
#define KVM_EXPECTED_API 12

/* Intel's real-mode emulation needs three pages for a TSS and one for an
 * identity page table somewhere in guest-physical space; put them just
 * below the BIOS at the top of 4 GiB, where no RAM goes. */
#define KVM_TSS_ADDR 0xFFFBD000u
#define KVM_IDENTITY_MAP_ADDR 0xFFFBC000u

/* The kick signal: interrupts KVM_RUN. The watchdog sends it after this
 * much CPU time of the vCPU thread, so a guest computing without traps
 * still gives the VMM (timers, stop requests) a turn. */
#define KVM_KICK_SIGNAL SIGUSR1
#define KVM_WATCHDOG_NS 10000000u

#define KVM_MAX_SLOTS 64

/* KVM has no A20 gate: with it off, mvm maps the HMA onto the first 64 KiB,
 * which is what real-mode code can see of the wrap. */
#define KVM_HMA_BASE 0x100000u
#define KVM_HMA_END 0x110000u

struct kvm_slot {
	uint64_t gpa, size;
	void *host;
	uint32_t flags;
	bool used;
};

struct kvm_cpu {
	struct cpu base;
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	bool readonly_mem;   /* KVM_MEM_READONLY works: ROM is a memory slot */
	bool sync_regs;      /* registers travel in the run page */
	bool ran;            /* the run page holds registers of a real exit */
	bool injected;       /* an interrupt is queued for the next entry */
	bool regs_cached, regs_dirty;
	struct kvm_regs regs;       /* without sync_regs */
	bool sregs_cached, sregs_dirty;
	struct kvm_sregs sregs;     /* without sync_regs */
	struct kvm_slot slots[KVM_MAX_SLOTS];
	const struct memmap *map; /* as last mirrored */
	bool a20_enabled;
	bool watchdog_created;
	timer_t watchdog;
	pthread_t thread;          /* the vCPU thread, once started is set */
	atomic_bool started;
	uint64_t traps_since_interrupt;
};

static const struct cpu_ops kvm_cpu_ops;

static struct kvm_cpu *kvm_from_cpu(struct cpu *cpu)
{
	return cpu->ops == &kvm_cpu_ops ? (struct kvm_cpu *)cpu : NULL;
}

static void kvm_kick_handler(int signo)
{
	/* Nothing to do: the signal's arrival makes KVM_RUN return -EINTR. */
}

static int kvm_install_kick_handler(void)
{
	struct sigaction sa = { .sa_handler = kvm_kick_handler, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	return sigaction(KVM_KICK_SIGNAL, &sa, NULL) < 0 ? -errno : 0;
}

static int kvm_open_device(char *err, size_t err_size)
{
	int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	int api;

	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			snprintf(err, err_size,
				 "KVM is not available: " KVM_DEVICE " does not exist "
				 "(no kvm module loaded, or a container without the device)");
		else if (e == EACCES || e == EPERM)
			snprintf(err, err_size,
				 "KVM is not usable: no permission to open " KVM_DEVICE
				 " (add the user to group 'kvm')");
		else
			snprintf(err, err_size, "KVM is not usable: %s: %s", KVM_DEVICE,
				 strerror(e));
		return -e;
	}
	api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api < 0) {
		int e = errno;
		snprintf(err, err_size, "KVM is not usable: %s does not answer KVM_GET_API_VERSION (%s)",
			 KVM_DEVICE, strerror(e));
		close(fd);
		return -e;
	}
	if (api != KVM_EXPECTED_API) {
		snprintf(err, err_size, "KVM is not usable: API version %d, mvm needs %d", api,
			 KVM_EXPECTED_API);
		close(fd);
		return -ENOTSUP;
	}
	return fd;
}

bool kvm_usable(char *reason, size_t reason_size)
{
	int fd = kvm_open_device(reason, reason_size);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* KVM's segment layout and ours differ only in padding. */
static void kvm_segment_to_cpu(struct cpu_segment *out, const struct kvm_segment *in)
{
	*out = (struct cpu_segment){
		.base = in->base, .limit = in->limit, .selector = in->selector,
		.type = in->type, .present = in->present, .dpl = in->dpl, .db = in->db,
		.s = in->s, .l = in->l, .g = in->g, .avl = in->avl, .unusable = in->unusable,
	};
}

static void kvm_segment_from_cpu(struct kvm_segment *out, const struct cpu_segment *in)
{
	*out = (struct kvm_segment){
		.base = in->base, .limit = in->limit, .selector = in->selector,
		.type = in->type, .present = in->present, .dpl = in->dpl, .db = in->db,
		.s = in->s, .l = in->l, .g = in->g, .avl = in->avl, .unusable = in->unusable,
	};
}

/* Where the current general registers live: the run page after an exit
 * with sync_regs, else our copy (fetched on first use). */
static struct kvm_regs *kvm_regs_ptr(struct kvm_cpu *k)
{
	if (k->sync_regs && k->ran)
		return &k->run->s.regs.regs;
	if (!k->regs_cached) {
		if (ioctl(k->vcpu_fd, KVM_GET_REGS, &k->regs) < 0)
			return NULL;
		k->regs_cached = true;
	}
	return &k->regs;
}

static struct kvm_sregs *kvm_sregs_ptr(struct kvm_cpu *k)
{
	if (k->sync_regs && k->ran)
		return &k->run->s.regs.sregs;
	if (!k->sregs_cached) {
		if (ioctl(k->vcpu_fd, KVM_GET_SREGS, &k->sregs) < 0)
			return NULL;
		k->sregs_cached = true;
	}
	return &k->sregs;
}

static int kvm_get_regs(struct cpu *cpu, struct cpu_regs *regs)
{
	const struct kvm_regs *r = kvm_regs_ptr(kvm_from_cpu(cpu));
	if (!r)
		return -errno;
	*regs = (struct cpu_regs){
		.rax = r->rax, .rbx = r->rbx, .rcx = r->rcx, .rdx = r->rdx,
		.rsi = r->rsi, .rdi = r->rdi, .rsp = r->rsp, .rbp = r->rbp,
		.rip = r->rip, .rflags = r->rflags,
	};
	return 0;
}

static int kvm_set_regs(struct cpu *cpu, const struct cpu_regs *regs)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	struct kvm_regs *r = kvm_regs_ptr(k);
	if (!r)
		return -errno;
	r->rax = regs->rax;
	r->rbx = regs->rbx;
	r->rcx = regs->rcx;
	r->rdx = regs->rdx;
	r->rsi = regs->rsi;
	r->rdi = regs->rdi;
	r->rsp = regs->rsp;
	r->rbp = regs->rbp;
	r->rip = regs->rip;
	r->rflags = regs->rflags | CPU_FLAG_RESERVED;
	if (r == &k->regs)
		k->regs_dirty = true;
	else
		k->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
	return 0;
}

static int kvm_get_sregs(struct cpu *cpu, struct cpu_sregs *sregs)
{
	const struct kvm_sregs *s = kvm_sregs_ptr(kvm_from_cpu(cpu));
	if (!s)
		return -errno;
	kvm_segment_to_cpu(&sregs->cs, &s->cs);
	kvm_segment_to_cpu(&sregs->ds, &s->ds);
	kvm_segment_to_cpu(&sregs->es, &s->es);
	kvm_segment_to_cpu(&sregs->fs, &s->fs);
	kvm_segment_to_cpu(&sregs->gs, &s->gs);
	kvm_segment_to_cpu(&sregs->ss, &s->ss);
	kvm_segment_to_cpu(&sregs->tr, &s->tr);
	kvm_segment_to_cpu(&sregs->ldt, &s->ldt);
	sregs->gdt = (struct cpu_dtable){ s->gdt.base, s->gdt.limit };
	sregs->idt = (struct cpu_dtable){ s->idt.base, s->idt.limit };
	sregs->cr0 = s->cr0;
	sregs->cr2 = s->cr2;
	sregs->cr3 = s->cr3;
	sregs->cr4 = s->cr4;
	sregs->efer = s->efer;
	return 0;
}

static int kvm_set_sregs(struct cpu *cpu, const struct cpu_sregs *sregs)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	struct kvm_sregs *s = kvm_sregs_ptr(k);
	if (!s)
		return -errno;
	kvm_segment_from_cpu(&s->cs, &sregs->cs);
	kvm_segment_from_cpu(&s->ds, &sregs->ds);
	kvm_segment_from_cpu(&s->es, &sregs->es);
	kvm_segment_from_cpu(&s->fs, &sregs->fs);
	kvm_segment_from_cpu(&s->gs, &sregs->gs);
	kvm_segment_from_cpu(&s->ss, &sregs->ss);
	kvm_segment_from_cpu(&s->tr, &sregs->tr);
	kvm_segment_from_cpu(&s->ldt, &sregs->ldt);
	s->gdt.base = sregs->gdt.base;
	s->gdt.limit = sregs->gdt.limit;
	s->idt.base = sregs->idt.base;
	s->idt.limit = sregs->idt.limit;
	s->cr0 = sregs->cr0;
	s->cr2 = sregs->cr2;
	s->cr3 = sregs->cr3;
	s->cr4 = sregs->cr4;
	s->efer = sregs->efer;
	if (s == &k->sregs)
		k->sregs_dirty = true;
	else
		k->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
	return 0;
}

/* Writes back registers changed outside the run page before KVM_RUN. */
static int kvm_flush_regs(struct kvm_cpu *k)
{
	if (k->regs_dirty && ioctl(k->vcpu_fd, KVM_SET_REGS, &k->regs) < 0)
		return -errno;
	if (k->sregs_dirty && ioctl(k->vcpu_fd, KVM_SET_SREGS, &k->sregs) < 0)
		return -errno;
	k->regs_dirty = k->sregs_dirty = false;
	k->regs_cached = k->sregs_cached = false;
	return 0;
}

static bool kvm_interrupt_ready(struct cpu *cpu)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	bool if_flag = k->run->if_flag;

	/* A handler may have changed FLAGS since the exit reported if_flag. */
	if (k->regs_cached || (k->sync_regs && k->ran &&
			       (k->run->kvm_dirty_regs & KVM_SYNC_X86_REGS)))
		if_flag = kvm_regs_ptr(k)->rflags & CPU_FLAG_IF;
	return !k->injected && k->ran && k->run->ready_for_interrupt_injection && if_flag;
}

static int kvm_inject_interrupt(struct cpu *cpu, uint8_t vector)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	struct kvm_interrupt irq = { .irq = vector };
	if (ioctl(k->vcpu_fd, KVM_INTERRUPT, &irq) < 0)
		return -errno;
	k->injected = true;
	return 0;
}

static void kvm_request_interrupt_window(struct cpu *cpu, bool on)
{
	kvm_from_cpu(cpu)->run->request_interrupt_window = on;
}

static void kvm_kick(struct cpu *cpu)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	/* immediate_exit covers a kick that lands just before KVM_RUN; the
	 * signal one that lands inside it. */
	__atomic_store_n(&k->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (atomic_load(&k->started))
		pthread_kill(k->thread, KVM_KICK_SIGNAL);
}

/* A CPU-time timer of the vCPU thread: it ticks only while the guest (or
 * the VMM) uses the CPU, so an idle VM gets no wake-ups from it. */
static int kvm_watchdog_start(struct kvm_cpu *k)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = KVM_KICK_SIGNAL,
	};
	struct itimerspec period = {
		.it_interval = { 0, KVM_WATCHDOG_NS },
		.it_value = { 0, KVM_WATCHDOG_NS },
	};
	sev._sigev_un._tid = gettid(); /* glibc 2.36 lacks the sigev_notify_thread_id name */
	if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &k->watchdog) < 0)
		return -errno;
	k->watchdog_created = true;
	if (timer_settime(k->watchdog, 0, &period, NULL) < 0)
		return -errno;
	return 0;
}

static int kvm_run_vcpu(struct cpu *cpu, struct cpu_exit *exit, uint64_t budget_ns)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	struct kvm_run *run = k->run;
	int rc;

	if (!atomic_load(&k->started)) {
		k->thread = pthread_self();
		atomic_store(&k->started, true);
		rc = kvm_watchdog_start(k);
		if (rc < 0) {
			snprintf(exit->failure, sizeof(exit->failure),
				 "cannot start the vCPU watchdog timer: %s", strerror(-rc));
			exit->reason = CPU_EXIT_FAILED;
			return rc;
		}
	}
	rc = kvm_flush_regs(k);
	if (rc < 0)
		return rc;

	rc = ioctl(k->vcpu_fd, KVM_RUN, 0);
	k->ran = true;
	k->injected = false;
	exit->guest_ns = 0;
	if (rc < 0) {
		if (errno != EINTR && errno != EAGAIN)
			return -errno;
		__atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
		/* Two watchdog periods in a row without a trap: the guest is
		 * computing, and that time is charged (see vclock.h). */
		if (k->traps_since_interrupt == 0)
			exit->guest_ns = KVM_WATCHDOG_NS;
		k->traps_since_interrupt = 0;
		exit->reason = CPU_EXIT_INTERRUPTED;
		return 0;
	}
	k->traps_since_interrupt++;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		exit->reason = CPU_EXIT_IO;
		exit->io.port = run->io.port;
		exit->io.size = run->io.size;
		exit->io.is_write = run->io.direction == KVM_EXIT_IO_OUT;
		exit->io.count = run->io.count;
		exit->io.data = (uint8_t *)run + run->io.data_offset;
		return 0;
	case KVM_EXIT_MMIO:
		exit->reason = CPU_EXIT_MMIO;
		exit->mmio.gpa = run->mmio.phys_addr;
		exit->mmio.data = run->mmio.data;
		exit->mmio.len = (uint8_t)run->mmio.len;
		exit->mmio.is_write = run->mmio.is_write;
		return 0;
	case KVM_EXIT_HLT:
		exit->reason = CPU_EXIT_HLT;
		return 0;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		exit->reason = CPU_EXIT_IRQ_WINDOW;
		return 0;
	case KVM_EXIT_INTR:
		exit->reason = CPU_EXIT_INTERRUPTED;
		return 0;
	case KVM_EXIT_SHUTDOWN:
		exit->reason = CPU_EXIT_SHUTDOWN;
		return 0;
	case KVM_EXIT_FAIL_ENTRY:
		exit->reason = CPU_EXIT_FAILED;
		snprintf(exit->failure, sizeof(exit->failure),
			 "KVM could not enter the guest (hardware reason 0x%llx)",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return 0;
	case KVM_EXIT_INTERNAL_ERROR:
		exit->reason = CPU_EXIT_FAILED;
		snprintf(exit->failure, sizeof(exit->failure),
			 run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
				 ? "KVM could not emulate an instruction"
				 : "KVM internal error %u",
			 run->internal.suberror);
		return 0;
	default:
		exit->reason = CPU_EXIT_FAILED;
		snprintf(exit->failure, sizeof(exit->failure), "unexpected KVM exit reason %u",
			 run->exit_reason);
		return 0;
	}
}

/* Memory slots follow the flat view: one slot per RAM or ROM segment. */
static int kvm_set_slot(struct kvm_cpu *k, unsigned id, const struct kvm_slot *slot)
{
	struct kvm_userspace_memory_region region = {
		.slot = id,
		.flags = slot->flags,
		.guest_phys_addr = slot->gpa,
		.memory_size = slot->used ? slot->size : 0,
		.userspace_addr = (uintptr_t)slot->host,
	};
	return ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

static bool kvm_slot_equal(const struct kvm_slot *a, const struct kvm_slot *b)
{
	return a->gpa == b->gpa && a->size == b->size && a->host == b->host &&
	       a->flags == b->flags;
}

/* Adds [gpa, gpa + size) of a slot-backed segment to want, leaving out the
 * HMA while A20 is off (it then aliases the first 64 KiB). */
static int kvm_want_slot(struct kvm_slot *want, unsigned *count, uint64_t gpa, uint64_t size,
			 uint8_t *host, uint32_t flags, bool a20_off)
{
	uint64_t end = gpa + size;
	if (a20_off && gpa < KVM_HMA_END && end > KVM_HMA_BASE) {
		int rc = 0;
		if (gpa < KVM_HMA_BASE)
			rc = kvm_want_slot(want, count, gpa, KVM_HMA_BASE - gpa, host, flags, false);
		if (rc == 0 && end > KVM_HMA_END)
			rc = kvm_want_slot(want, count, KVM_HMA_END, end - KVM_HMA_END,
					   host + (KVM_HMA_END - gpa), flags, false);
		return rc;
	}
	if (*count == KVM_MAX_SLOTS)
		return -ENOSPC;
	want[(*count)++] = (struct kvm_slot){ gpa, size, host, flags, true };
	return 0;
}

static int kvm_memory_changed(struct cpu *cpu, const struct memmap *map)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	struct kvm_slot want[KVM_MAX_SLOTS];
	unsigned count = 0;
	int rc = 0;

	for (size_t i = 0; i < map->flat_count && rc == 0; i++) {
		const struct mem_segment *seg = &map->flat[i];
		enum mem_kind kind = seg->mapping->kind;
		if (kind == MEM_MMIO || (kind == MEM_ROM && !k->readonly_mem))
			continue;
		rc = kvm_want_slot(want, &count, seg->base, seg->size,
				   seg->mapping->host + (seg->base - seg->mapping->base),
				   kind == MEM_ROM ? KVM_MEM_READONLY : 0, !k->a20_enabled);
	}
	if (rc == 0 && !k->a20_enabled) {
		/* A20 off: the HMA shows the first 64 KiB again, as the 8086 wrap. */
		uint8_t *low = memmap_host(map, 0, KVM_HMA_END - KVM_HMA_BASE, true);
		if (low)
			rc = kvm_want_slot(want, &count, KVM_HMA_BASE, KVM_HMA_END - KVM_HMA_BASE, low,
					   0, false);
	}
	if (rc < 0)
		return rc;

	/* Delete slots that no longer match first: slots must never overlap. */
	for (unsigned id = 0; id < KVM_MAX_SLOTS; id++) {
		bool keep = false;
		if (!k->slots[id].used)
			continue;
		for (unsigned w = 0; w < count && !keep; w++)
			keep = kvm_slot_equal(&k->slots[id], &want[w]);
		if (keep)
			continue;
		k->slots[id].used = false;
		rc = kvm_set_slot(k, id, &k->slots[id]);
		if (rc < 0)
			return rc;
	}
	for (unsigned w = 0; w < count; w++) {
		unsigned free_id = KVM_MAX_SLOTS;
		bool present = false;
		for (unsigned id = 0; id < KVM_MAX_SLOTS && !present; id++) {
			present = k->slots[id].used && kvm_slot_equal(&k->slots[id], &want[w]);
			if (!k->slots[id].used && free_id == KVM_MAX_SLOTS)
				free_id = id;
		}
		if (present)
			continue;
		if (free_id == KVM_MAX_SLOTS)
			return -ENOSPC;
		k->slots[free_id] = want[w];
		rc = kvm_set_slot(k, free_id, &k->slots[free_id]);
		if (rc < 0) {
			k->slots[free_id].used = false;
			return rc;
		}
	}
	k->map = map;
	return 0;
}

static void kvm_set_a20(struct cpu *cpu, bool enabled)
{
	struct kvm_cpu *k = kvm_from_cpu(cpu);
	if (k->a20_enabled == enabled)
		return;
	k->a20_enabled = enabled;
	if (k->map && kvm_memory_changed(cpu, k->map) < 0)
		k->a20_enabled = !enabled;
}

static void kvm_destroy(struct cpu *cpu)
{
	struct kvm_cpu *k;
	if (!cpu)
		return;
	k = kvm_from_cpu(cpu);
	if (k->watchdog_created)
		timer_delete(k->watchdog);
	if (k->run)
		munmap(k->run, k->run_size);
	if (k->vcpu_fd >= 0)
		close(k->vcpu_fd);
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->kvm_fd >= 0)
		close(k->kvm_fd);
	free(k);
}

static const struct cpu_ops kvm_cpu_ops = {
	.name = "kvm",
	.run = kvm_run_vcpu,
	.get_regs = kvm_get_regs,
	.set_regs = kvm_set_regs,
	.get_sregs = kvm_get_sregs,
	.set_sregs = kvm_set_sregs,
	.interrupt_ready = kvm_interrupt_ready,
	.inject_interrupt = kvm_inject_interrupt,
	.request_interrupt_window = kvm_request_interrupt_window,
	.kick = kvm_kick,
	.memory_changed = kvm_memory_changed,
	.set_a20 = kvm_set_a20,
	.destroy = kvm_destroy,
};

/* The host's CPUID as KVM can virtualize it. */
static int kvm_setup_cpuid(struct kvm_cpu *k)
{
	const unsigned max_entries = 256;
	struct kvm_cpuid2 *cpuid =
		calloc(1, sizeof(*cpuid) + max_entries * sizeof(struct kvm_cpuid_entry2));
	int rc = 0;
	if (!cpuid)
		return -ENOMEM;
	cpuid->nent = max_entries;
	if (ioctl(k->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0 ||
	    ioctl(k->vcpu_fd, KVM_SET_CPUID2, cpuid) < 0)
		rc = -errno;
	free(cpuid);
	return rc;
}

int kvm_cpu_create(const struct memmap *map, struct cpu **out, char *err, size_t err_size)
{
	struct kvm_cpu *k = calloc(1, sizeof(*k));
	const char *step = NULL;
	int rc, mmap_size, sync;

	if (!k) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	k->base.ops = &kvm_cpu_ops;
	k->vm_fd = k->vcpu_fd = -1;
	k->a20_enabled = true;
	atomic_init(&k->started, false);
	k->kvm_fd = kvm_open_device(err, err_size);
	if (k->kvm_fd < 0) {
		rc = k->kvm_fd;
		free(k);
		return rc;
	}
	if (ioctl(k->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IMMEDIATE_EXIT) <= 0) {
		snprintf(err, err_size, "KVM is not usable: it lacks KVM_CAP_IMMEDIATE_EXIT");
		rc = -ENOTSUP;
		goto fail;
	}
	rc = kvm_install_kick_handler();
	if (rc < 0) {
		step = "installing the vCPU kick signal handler";
		goto fail_errno;
	}
	k->vm_fd = ioctl(k->kvm_fd, KVM_CREATE_VM, 0);
	if (k->vm_fd < 0) {
		rc = -errno;
		step = "KVM_CREATE_VM";
		goto fail_errno;
	}
	k->readonly_mem = ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0;
	if (ioctl(k->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0) {
		rc = -errno;
		step = "KVM_SET_TSS_ADDR";
		goto fail_errno;
	}
	if (ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0) {
		uint64_t addr = KVM_IDENTITY_MAP_ADDR;
		if (ioctl(k->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &addr) < 0) {
			rc = -errno;
			step = "KVM_SET_IDENTITY_MAP_ADDR";
			goto fail_errno;
		}
	}
	k->vcpu_fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, 0);
	if (k->vcpu_fd < 0) {
		rc = -errno;
		step = "KVM_CREATE_VCPU";
		goto fail_errno;
	}
	mmap_size = ioctl(k->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct kvm_run)) {
		rc = mmap_size < 0 ? -errno : -EINVAL;
		step = "KVM_GET_VCPU_MMAP_SIZE";
		goto fail_errno;
	}
	k->run_size = (size_t)mmap_size;
	k->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, k->vcpu_fd, 0);
	if (k->run == MAP_FAILED) {
		k->run = NULL;
		rc = -errno;
		step = "mapping the vCPU run page";
		goto fail_errno;
	}
	rc = kvm_setup_cpuid(k);
	if (rc < 0) {
		step = "KVM_SET_CPUID2";
		goto fail_errno;
	}
	sync = ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
	if (sync > 0 && (sync & (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)) ==
				(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)) {
		k->sync_regs = true;
		k->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
	}
	rc = kvm_memory_changed(&k->base, map);
	if (rc < 0) {
		step = "setting up guest memory slots";
		goto fail_errno;
	}
	*out = &k->base;
	return 0;

fail_errno:
	snprintf(err, err_size, "KVM setup failed: %s: %s", step, strerror(-rc));
fail:
	kvm_destroy(&k->base);
	return rc;
}
