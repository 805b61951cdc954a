/* bench_exits.c: port-I/O and SVC round trips through mvm beside a bare KVM loop. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_stats.h"
#include "machine.h"
#include "svc.h"

/* Exit status of a benchmark that cannot run here (meson's "skipped"). */
#define EXIT_SKIP 77
#define EXIT_USAGE 2

#define DEFAULT_ITERATIONS 100000u
#define DEFAULT_REPEAT 5u
#define MAX_REPEAT 1000u
#define GOAL_RATIO 1.20

/* Both loops are boot-sector style images: loaded at 0000:7C00, entered
 * with SS:SP = 0000:7C00. After `jmp short start` (two bytes) comes the
 * iteration count, aligned to 4. */
#define LOOP_LOAD_ADDR 0x7C00u
#define LOOP_STACK_TOP 0x7C00u
#define LOOP_BOOT_DRIVE 0x80u
#define LOOP_JMP_SHORT 0xEBu
#define LOOP_ITERATIONS_OFFSET 4u
#define LOOP_MAX_SIZE 512u

/* 0x21: 8259A master, OCW1 (the IMR); all masked is its power-on value. */
#define PIC_MASTER_IMR_PORT 0x21u
#define PIC_IMR_ALL_MASKED 0xFFu

#define MVM_MEMORY_MIB 16u

/* The bare VM: 1 MiB of RAM in one slot, and the TSS Intel's real-mode
 * emulation needs where mvm puts it, just below the BIOS at 4 GiB. */
#define BARE_MEMORY_SIZE (1u << 20)
#define BARE_TSS_ADDR 0xFFFBD000u
#define BARE_CPUID_ENTRIES 256u
#define BARE_FLAGS_RESERVED 0x0002u /* FLAGS bit 1 is always 1 */
#define BARE_FLAGS_CF 0x0001u
#define BARE_SYNC_REGS (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)

enum loop_kind { LOOP_IO, LOOP_SVC };

struct guest_loop {
	const char *name;
	enum loop_kind kind;
	const char *path;
	uint8_t image[LOOP_MAX_SIZE];
	size_t size;
};

struct bare_vm {
	int kvm_fd, vm_fd, vcpu_fd;
	uint8_t *mem;
	struct kvm_run *run;
	size_t run_size;
	bool sync_regs; /* registers travel in the run page, as mvm does when it can */
};

static const char usage[] =
	"Usage: bench_exits [--iterations N] [--repeat R]\n"
	"\n"
	"Times guest exits that trap to the VMM and come back: a port read (in al, 21h,\n"
	"answered by mvm's vpic VDD) and an SVC (SVC 1, identify). Each loop runs through\n"
	"mvm and through a bare KVM loop in this process, alternately; the bare loop is\n"
	"the floor this host allows. Prints the median per round trip and mvm/bare.\n"
	"\n"
	"Options:\n"
	"  --iterations N   round trips per run (default 100000)\n"
	"  --repeat R       runs of each, mvm and bare alternating (default 5)\n"
	"  --help           show this help\n"
	"\n"
	"Exit status: 0 when it ran, 77 when KVM is not usable here, 1 on failure,\n"
	"2 for a bad command line.\n";

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int loop_read(struct guest_loop *loop)
{
	int fd = open(loop->path, O_RDONLY | O_CLOEXEC);
	const char *problem = NULL;
	struct stat st;
	ssize_t got;

	if (fd < 0) {
		fprintf(stderr, "bench_exits: cannot open %s: %s\n", loop->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0)
		problem = strerror(errno);
	else if (st.st_size > (off_t)sizeof(loop->image))
		problem = "larger than a boot sector";
	else if ((got = read(fd, loop->image, (size_t)st.st_size)) < 0)
		problem = strerror(errno);
	else if (got != st.st_size)
		problem = "short read";
	else
		loop->size = (size_t)got;
	close(fd);
	if (!problem && (loop->size < LOOP_ITERATIONS_OFFSET + sizeof(uint32_t) ||
			 loop->image[0] != LOOP_JMP_SHORT))
		problem = "it does not start with `jmp short start` and the iteration count";
	if (problem) {
		fprintf(stderr, "bench_exits: cannot use %s: %s\n", loop->path, problem);
		return -1;
	}
	return 0;
}

/* Little-endian, as the guest's `mov ecx, [iterations]` reads it. */
static void loop_set_iterations(struct guest_loop *loop, uint32_t iterations)
{
	for (unsigned i = 0; i < sizeof(iterations); i++)
		loop->image[LOOP_ITERATIONS_OFFSET + i] = (uint8_t)(iterations >> (8 * i));
}

/* Through mvm: the machine `mvm boot --no-bios --no-pacing --cpu kvm` builds
 * (vpic and vpit are its default VDDs); only machine_run is timed. */
static int mvm_run_loop(const struct guest_loop *loop, uint64_t *trips, uint64_t *elapsed_ns)
{
	static const char *const vdd_dirs[] = { BENCH_VDD_DIR, NULL };
	static const struct vdd_search_path vdd_path = { vdd_dirs };
	static const struct machine_vdd vdds[] = { { .name = "vpic" }, { .name = "vpit" } };
	const struct machine_config config = {
		.memory_mib = MVM_MEMORY_MIB,
		.cpu = "kvm",
		.unpaced = true,
		.vdds = vdds,
		.vdd_count = sizeof(vdds) / sizeof(vdds[0]),
		.vdd_path = &vdd_path,
	};
	struct machine_result result;
	struct machine_stats stats;
	struct machine *m;
	char err[256];
	uint64_t start;
	int rc;

	rc = machine_create(&config, &m, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "bench_exits: mvm: %s\n", err);
		return rc;
	}
	rc = machine_load(m, LOOP_LOAD_ADDR, loop->image, loop->size);
	if (rc == 0)
		rc = machine_reset_real_mode(m, 0, LOOP_LOAD_ADDR, 0, LOOP_STACK_TOP,
					     LOOP_BOOT_DRIVE);
	if (rc < 0) {
		fprintf(stderr, "bench_exits: mvm: cannot start the %s loop: %s\n", loop->name,
			strerror(-rc));
		goto out;
	}
	start = now_ns();
	machine_run(m, &result);
	*elapsed_ns = now_ns() - start;
	if (result.how != MACHINE_END_EXIT || result.status != 0) {
		fprintf(stderr, "bench_exits: mvm: the %s loop did not exit with status 0: %s\n",
			loop->name, result.message);
		rc = -EPROTO;
		goto out;
	}
	machine_get_stats(m, &stats);
	/* The SVC count includes the closing SVC 2. */
	*trips = loop->kind == LOOP_IO ? stats.exits_io : stats.exits_svc - 1;
out:
	machine_destroy(m);
	return rc;
}

static void bare_vm_finish(struct bare_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->mem)
		munmap(vm->mem, BARE_MEMORY_SIZE);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
}

static int bare_vm_set_cpuid(struct bare_vm *vm)
{
	struct kvm_cpuid2 *cpuid =
		calloc(1, sizeof(*cpuid) + BARE_CPUID_ENTRIES * sizeof(struct kvm_cpuid_entry2));
	int rc = 0;

	if (!cpuid)
		return -ENOMEM;
	cpuid->nent = BARE_CPUID_ENTRIES;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0 ||
	    ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid) < 0)
		rc = -errno;
	free(cpuid);
	return rc;
}

/* Real mode at 0000:7C00 with SS:SP = 0000:7C00, interrupts off; the other
 * segments keep their reset values (selector 0, base 0). */
static int bare_vm_reset(struct bare_vm *vm)
{
	struct kvm_regs regs = {
		.rip = LOOP_LOAD_ADDR,
		.rsp = LOOP_STACK_TOP,
		.rdx = LOOP_BOOT_DRIVE,
		.rflags = BARE_FLAGS_RESERVED,
	};
	struct kvm_sregs sregs;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	sregs.ss.selector = 0;
	sregs.ss.base = 0;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0 ||
	    ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	return 0;
}

static int bare_vm_init(struct bare_vm *vm, const struct guest_loop *loop)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = BARE_MEMORY_SIZE,
	};
	const char *step;
	int rc, mmap_size, sync;

	*vm = (struct bare_vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
	step = "opening /dev/kvm";
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		goto fail_errno;
	step = "KVM_CREATE_VM";
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		goto fail_errno;
	step = "KVM_SET_TSS_ADDR";
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, BARE_TSS_ADDR) < 0)
		goto fail_errno;
	step = "allocating guest memory";
	vm->mem = mmap(NULL, BARE_MEMORY_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		goto fail_errno;
	}
	memcpy(vm->mem + LOOP_LOAD_ADDR, loop->image, loop->size);
	region.userspace_addr = (uintptr_t)vm->mem;
	step = "KVM_SET_USER_MEMORY_REGION";
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		goto fail_errno;
	step = "KVM_CREATE_VCPU";
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		goto fail_errno;
	step = "KVM_GET_VCPU_MMAP_SIZE";
	mmap_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < 0)
		goto fail_errno;
	if (mmap_size < (int)sizeof(struct kvm_run)) {
		errno = EINVAL;
		goto fail_errno;
	}
	step = "mapping the vCPU run page";
	vm->run_size = (size_t)mmap_size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		goto fail_errno;
	}
	step = "KVM_SET_CPUID2";
	rc = bare_vm_set_cpuid(vm);
	if (rc < 0) {
		errno = -rc;
		goto fail_errno;
	}
	/* The same test and the same register set as mvm's KVM backend. */
	sync = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
	if (sync > 0 && (sync & BARE_SYNC_REGS) == BARE_SYNC_REGS) {
		vm->sync_regs = true;
		vm->run->kvm_valid_regs = BARE_SYNC_REGS;
	}
	step = "setting real-mode registers";
	rc = bare_vm_reset(vm);
	if (rc < 0) {
		errno = -rc;
		goto fail_errno;
	}
	return 0;

fail_errno:
	rc = -errno;
	fprintf(stderr, "bench_exits: bare KVM: %s: %s\n", step, strerror(errno));
	bare_vm_finish(vm);
	return rc;
}

/* A HLT followed by n, ~n is SVC n. Only SVC 1 (identify) and SVC 2 (exit)
 * are answered, with the least work each needs. Returns 1 when the guest
 * exited, 0 to go on. */
static int bare_vm_svc(struct bare_vm *vm, uint64_t *trips)
{
	struct kvm_regs regs_copy;
	struct kvm_sregs sregs_copy;
	struct kvm_regs *regs = &regs_copy;
	const struct kvm_sregs *sregs = &sregs_copy;
	uint64_t at;

	if (vm->sync_regs) {
		regs = &vm->run->s.regs.regs;
		sregs = &vm->run->s.regs.sregs;
	} else if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs_copy) < 0 ||
		   ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs_copy) < 0) {
		int e = errno;
		fprintf(stderr, "bench_exits: bare KVM: reading registers: %s\n", strerror(e));
		return -e;
	}
	at = sregs->cs.base + (regs->rip & 0xFFFF);
	if (at > BARE_MEMORY_SIZE - 2 || (uint8_t)(vm->mem[at] ^ vm->mem[at + 1]) != 0xFF) {
		fprintf(stderr, "bench_exits: bare KVM: HLT at %04x:%04llx is not an SVC\n",
			sregs->cs.selector, (unsigned long long)(regs->rip - 1) & 0xFFFF);
		return -EPROTO;
	}
	switch (vm->mem[at]) {
	case SVC_IDENTIFY:
		regs->rax = (regs->rax & ~0xFFFFull) | SVC_IDENTIFY_MAGIC;
		regs->rbx = (regs->rbx & ~0xFFFFull) | VDH_API_VERSION;
		regs->rflags &= ~(uint64_t)BARE_FLAGS_CF;
		regs->rip = (regs->rip + 2) & 0xFFFF;
		if (vm->sync_regs) {
			vm->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
		} else if (ioctl(vm->vcpu_fd, KVM_SET_REGS, regs) < 0) {
			int e = errno;
			fprintf(stderr, "bench_exits: bare KVM: writing registers: %s\n",
				strerror(e));
			return -e;
		}
		(*trips)++;
		return 0;
	case SVC_EXIT:
		if ((regs->rax & 0xFF) != 0) {
			fprintf(stderr, "bench_exits: bare KVM: the guest exited with status %u\n",
				(unsigned)(regs->rax & 0xFF));
			return -EPROTO;
		}
		return 1;
	default:
		fprintf(stderr, "bench_exits: bare KVM: the guest called SVC %u\n", vm->mem[at]);
		return -EPROTO;
	}
}

/* The floor: KVM_RUN, the port read answered in place, SVCs decoded. */
static int bare_vm_run(struct bare_vm *vm, uint64_t *trips)
{
	struct kvm_run *run = vm->run;
	int rc = 0;

	while (rc == 0) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			fprintf(stderr, "bench_exits: bare KVM: KVM_RUN: %s\n", strerror(e));
			return -e;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction != KVM_EXIT_IO_IN ||
			    run->io.port != PIC_MASTER_IMR_PORT || run->io.size != 1 ||
			    run->io.count != 1) {
				fprintf(stderr,
					"bench_exits: bare KVM: unexpected access to port 0x%04x\n",
					run->io.port);
				return -EPROTO;
			}
			*((uint8_t *)run + run->io.data_offset) = PIC_IMR_ALL_MASKED;
			(*trips)++;
			break;
		case KVM_EXIT_HLT:
			rc = bare_vm_svc(vm, trips);
			break;
		default:
			fprintf(stderr, "bench_exits: bare KVM: unexpected exit reason %u\n",
				run->exit_reason);
			return -EPROTO;
		}
	}
	return rc < 0 ? rc : 0;
}

static int bare_run_loop(const struct guest_loop *loop, uint64_t *trips, uint64_t *elapsed_ns)
{
	struct bare_vm vm;
	uint64_t start;
	int rc = bare_vm_init(&vm, loop);

	if (rc < 0)
		return rc;
	start = now_ns();
	rc = bare_vm_run(&vm, trips);
	*elapsed_ns = now_ns() - start;
	bare_vm_finish(&vm);
	return rc;
}

typedef int loop_runner(const struct guest_loop *loop, uint64_t *trips, uint64_t *elapsed_ns);

/* One timed run; microseconds per round trip in *us. */
static int time_loop(loop_runner *runner, const char *who, const struct guest_loop *loop,
		     uint32_t iterations, double *us)
{
	uint64_t trips = 0, elapsed_ns = 0;
	int rc = runner(loop, &trips, &elapsed_ns);

	if (rc < 0)
		return rc;
	/* A trip handled without reaching the VMM would make the figure a lie. */
	if (trips != iterations) {
		fprintf(stderr, "bench_exits: %s: the %s loop made %llu round trips, not %u\n", who,
			loop->name, (unsigned long long)trips, iterations);
		return -EPROTO;
	}
	*us = (double)elapsed_ns / 1e3 / iterations;
	return 0;
}

static int bench_loop(struct guest_loop *loop, uint32_t iterations, unsigned repeat)
{
	double *mvm_us = calloc(repeat, sizeof(*mvm_us));
	double *bare_us = calloc(repeat, sizeof(*bare_us));
	double mvm, bare;
	int rc = 0;

	if (!mvm_us || !bare_us) {
		fprintf(stderr, "bench_exits: out of memory\n");
		rc = -ENOMEM;
		goto out;
	}
	loop_set_iterations(loop, iterations);
	/* Alternating, so a host that slows down or speeds up mid-run weighs on
	 * both sides alike. */
	for (unsigned r = 0; r < repeat && rc == 0; r++) {
		rc = time_loop(mvm_run_loop, "mvm", loop, iterations, &mvm_us[r]);
		if (rc == 0)
			rc = time_loop(bare_run_loop, "bare KVM", loop, iterations, &bare_us[r]);
	}
	if (rc < 0)
		goto out;
	mvm = bench_median(mvm_us, repeat);
	bare = bench_median(bare_us, repeat);
	printf("%-4s mvm %5.2f us  bare %5.2f us  ratio %.2f  (goal <= %.2f)\n", loop->name, mvm,
	       bare, mvm / bare, GOAL_RATIO);
	fflush(stdout);
out:
	free(mvm_us);
	free(bare_us);
	return rc;
}

/* /dev/kvm opens, and whether its registers can travel in the run page. */
static bool kvm_probe(bool *sync_regs)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int sync;

	if (fd < 0) {
		printf("SKIP kvm: /dev/kvm: %s\n", strerror(errno));
		return false;
	}
	sync = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
	*sync_regs = sync > 0 && (sync & BARE_SYNC_REGS) == BARE_SYNC_REGS;
	close(fd);
	return true;
}

static bool parse_count(const char *arg, const char *option, unsigned long max,
			unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || errno || *out == 0 || *out > max) {
		fprintf(stderr, "bench_exits: %s wants a whole number from 1 to %lu, not '%s'\n",
			option, max, arg);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	enum { OPT_ITERATIONS = 256, OPT_REPEAT, OPT_HELP };
	static const struct option options[] = {
		{ "iterations", required_argument, NULL, OPT_ITERATIONS },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	static struct guest_loop loops[] = {
		{ .name = "io", .kind = LOOP_IO, .path = BENCH_IO_LOOP },
		{ .name = "svc", .kind = LOOP_SVC, .path = BENCH_SVC_LOOP },
	};
	unsigned long iterations = DEFAULT_ITERATIONS, repeat = DEFAULT_REPEAT;
	bool sync_regs;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_ITERATIONS:
			if (!parse_count(optarg, "--iterations", UINT32_MAX, &iterations))
				return EXIT_USAGE;
			break;
		case OPT_REPEAT:
			if (!parse_count(optarg, "--repeat", MAX_REPEAT, &repeat))
				return EXIT_USAGE;
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			return EXIT_SUCCESS;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench_exits: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!kvm_probe(&sync_regs))
		return EXIT_SKIP;
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		if (loop_read(&loops[i]) < 0)
			return EXIT_FAILURE;

	printf("exits: a guest exit to the VMM and back, microseconds per round trip\n"
	       "  io   in al, 21h (8259 IMR): answered by mvm's vpic VDD / the bare loop\n"
	       "  svc  SVC 1, identify (hlt; db 1; db 0FEh)\n"
	       "  mvm is machine_run in this process; bare is a minimal KVM_RUN loop, the floor\n"
	       "  registers %s in both; median of %lu runs of %lu round trips\n"
	       "  note: /dev/kvm on these hosts is emulated (about 7 us per exit): absolute\n"
	       "  figures are not those of real hardware; compare the ratio\n",
	       sync_regs ? "in the run page (KVM_CAP_SYNC_REGS)" : "by KVM_GET/SET_REGS", repeat,
	       iterations);
	fflush(stdout);
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		if (bench_loop(&loops[i], (uint32_t)iterations, (unsigned)repeat) < 0)
			return EXIT_FAILURE;
	return EXIT_SUCCESS;
}
