/* machine.h: one virtual PC: memory, CPU, VDDs, and the loop that runs it. */
#ifndef MVM_MACHINE_H
#define MVM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdd_plugin.h"

/* Guest-physical layout. */
#define MACHINE_CONVENTIONAL_END 0xA0000u /* 640 KiB of conventional memory */
#define MACHINE_UPPER_BASE 0xC0000u       /* upper memory: ROMs and UMBs */
#define MACHINE_EXTENDED_BASE 0x100000u   /* extended memory; its first 64 KiB is the HMA */
/* The VMM's own ROM block (interrupt hook stubs) at F000:0000. */
#define MACHINE_ROM_BASE 0xF0000u
#define MACHINE_ROM_SIZE 0x1000u

#define MACHINE_MEMORY_DEFAULT_MIB 16u
#define MACHINE_MEMORY_MIN_MIB 1u
/* Below the 32-bit PCI hole and the firmware at the top of 4 GiB. */
#define MACHINE_MEMORY_MAX_MIB 3072u

/* One VDD to attach, with the user's "key=value" properties. */
struct machine_vdd {
	const char *name; /* NAME or a path to NAME.so */
	const char **props;
	size_t prop_count;
};

struct machine_config {
	uint32_t memory_mib;
	const char *cpu;            /* "kvm", "ist" or "auto" */
	bool ist_interpret;         /* the IST interprets only, never translates */
	bool unpaced;               /* virtual time never waits for the host */
	uint64_t timeout_ns;        /* stop after this much virtual time; 0: never */
	const struct machine_vdd *vdds;
	size_t vdd_count;
	const struct vdd_search_path *vdd_path;
	struct display *display;    /* the VM's display (display.h), owned by the caller; may be NULL */
};

enum machine_end {
	MACHINE_END_EXIT,    /* the guest asked to end (SVC 2) */
	MACHINE_END_DEAD,    /* HLT with interrupts off, triple fault, CPU failure */
	MACHINE_END_TIMEOUT, /* the virtual-time limit passed */
	MACHINE_END_STOPPED, /* machine_request_stop() */
	MACHINE_END_ERROR,   /* a host-side failure */
};

struct machine_result {
	enum machine_end how;
	int status;        /* MACHINE_END_EXIT: the guest's exit status */
	char message[256]; /* one line: what happened, where (CS:IP) */
};

struct machine_stats {
	uint64_t exits_io, exits_mmio, exits_hlt, exits_svc, exits_window, exits_interrupted;
	uint64_t interrupts;
	uint64_t virtual_ns, host_ns;
};

struct machine;

/* Builds the machine: memory layout, every VDD (all or none: a refused VDD
 * leaves nothing half set up) and the CPU backend. */
int machine_create(const struct machine_config *config, struct machine **out, char *err,
		   size_t err_size) __attribute__((warn_unused_result));
void machine_destroy(struct machine *m);

/* Copies data into guest RAM. */
int machine_load(struct machine *m, uint64_t gpa, const void *data, size_t size)
	__attribute__((warn_unused_result));

/* Maps a copy of data at gpa (page-aligned; the size is rounded up to whole
 * pages, the rest reading as zeros): firmware, as ROM, or as RAM the guest
 * may write (a BIOS's shadow copy below 1 MiB). */
int machine_map_firmware(struct machine *m, uint64_t gpa, const void *data, size_t size,
			 bool writable) __attribute__((warn_unused_result));

/* Real-mode start: CS:IP, SS:SP, DL; all other registers 0, interrupts off. */
int machine_reset_real_mode(struct machine *m, uint16_t cs, uint16_t ip, uint16_t ss,
			    uint16_t sp, uint8_t dl) __attribute__((warn_unused_result));

void machine_run(struct machine *m, struct machine_result *result);

/* Ends machine_run soon with MACHINE_END_STOPPED; async-signal-safe. */
void machine_request_stop(struct machine *m);

/* A host program's request to a VDD's named entry (DosRequestVDD). */
int machine_request_vdd(struct machine *m, const char *name, uint32_t command, const void *in,
			size_t in_len, void *out, size_t *out_len);

const char *machine_cpu_name(const struct machine *m);
void machine_get_stats(const struct machine *m, struct machine_stats *stats);

#endif
