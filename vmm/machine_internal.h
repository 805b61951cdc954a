/* machine_internal.h: the machine's state, shared by machine.c and vdh.c only. */
#ifndef MVM_MACHINE_INTERNAL_H
#define MVM_MACHINE_INTERNAL_H

#include <stdatomic.h>

#include "cpu.h"
#include "display.h"
#include "inthook.h"
#include "io.h"
#include "irq.h"
#include "machine.h"
#include "memmap.h"
#include "svc.h"
#include "vclock.h"
#include "vdh.h"

struct vdh_timer {
	struct vclock_timer clock_timer;
	struct vdh_dev *dev;
	vdh_timer_fn *fn;
	void *opaque;
	struct vdh_timer *next; /* in dev->timers */
};

struct vdh_mapping {
	struct mem_mapping *mapping;
	struct vdh_dev *dev;
	struct vdh_mapping *next; /* in dev->mappings */
};

struct vdh_pages {
	void *pages;
	size_t size;
	int fd;                 /* the memfd behind them, which a vman service can map */
	struct vdh_pages *next; /* in dev->pages */
};

/* One VDD attached to one machine: the handle its helpers take. */
struct vdh_dev {
	struct machine *machine;
	struct vdd_plugin *plugin;
	struct vdh_props *props;
	void *instance;
	bool created;
	char error[384]; /* the first refusal of a helper while creating */
	struct vdh_timer *timers;
	struct vdh_mapping *mappings;
	struct vdh_pages *pages;
};

struct vdd_request_entry {
	char *name;
	vdh_request_fn *fn;
	void *opaque;
	struct vdh_dev *owner;
};

/* A VDD's display event handler. */
struct display_handler {
	struct vdh_dev *owner;
	vdh_display_event_fn *fn;
	void *opaque;
};

struct machine_rom {
	void *pages;
	size_t size;
	struct machine_rom *next;
};

struct machine {
	struct memmap mem;
	uint8_t *ram;
	size_t ram_size;
	uint8_t *rom;
	struct machine_rom *roms; /* firmware images mapped by machine_map_firmware */
	struct io_space io;
	struct svc_table svc;
	struct irq_router irq;
	struct int_hooks hooks;
	struct vclock clock;
	struct vclock_timer timeout_timer;
	bool timeout_timer_added;
	uint64_t timeout_ns;

	struct vdh_dev **devs;
	size_t dev_count;
	struct vdd_request_entry *requests;
	size_t request_count;

	/* The DMA controller a VDD registered, or none. */
	const struct vdh_dma_ops *dma_ops;
	void *dma_opaque;
	struct vdh_dev *dma_owner;

	/* The display (NULL: none), the VDDs' handlers its events go to (in
	 * the order they were set), the VDD whose pages it reads as the heap,
	 * and whether the VM is in the foreground as the VDDs were last told. */
	struct display *display;
	struct display_handler display_handlers[VDH_DISPLAY_HANDLERS];
	size_t display_handler_count;
	struct vdh_dev *display_heap_owner;
	bool foreground_told;
	/* Reads the display's events while the VDDs send it nothing (a
	 * display with a poll op: the vman service's). */
	struct vclock_timer display_poll_timer;
	bool display_poll_timer_added;

	struct cpu *cpu;
	struct cpu_bus bus;  /* how the software CPU reaches the devices */
	bool a20_enabled;
	int wake_fd;
	atomic_bool stop_requested;
	bool idle;  /* the guest executed HLT with interrupts on */
	bool ended;
	bool reset_pending; /* a device pulled the CPU's reset line */
	bool warned_idle_forever;
	struct machine_result result;
	struct machine_stats stats;
};

extern const struct vdh machine_vdh;

/* Ends the run (the first reason wins) with a one-line message. */
void machine_end(struct machine *m, enum machine_end how, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes guest memory from the host (and tells the CPU backend, which may
 * hold code decoded from there). */
int machine_write_guest(struct machine *m, uint64_t gpa, const void *data, size_t len);

/* The A20 gate, as the keyboard controller or port 92h drive it. */
void machine_set_a20(struct machine *m, bool enabled);

/* The CPU's reset line: the CPU restarts at the reset vector after the
 * current exit. */
void machine_request_reset(struct machine *m);

/* Calls every VDD's foreground or background hook. */
void machine_tell_foreground(struct machine *m, bool foreground);

/* Passes a display event to every VDD's handler, in the order they were set. */
void vdh_display_dispatch(struct machine *m, unsigned type, const void *body, size_t len);

/* Undoes everything dev registered: hooks, lines, timers, mappings. */
void vdh_dev_release(struct vdh_dev *dev);

/* The user-facing name of the owner of a resource: "vpic (/path/vpic.so)". */
const char *vdh_dev_label(const struct vdh_dev *dev, char *buf, size_t size);

#endif
