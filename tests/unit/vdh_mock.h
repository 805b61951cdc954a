/* vdh_mock.h: a stand-in VMM for unit-testing one VDD through the helper API alone. */
#ifndef MVM_TESTS_VDH_MOCK_H
#define MVM_TESTS_VDH_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdh.h"

struct mock_vm;

/* Guest RAM the mock gives read_guest/write_guest: the first 2 MiB. */
#define MOCK_RAM_SIZE (2u << 20)

/* A VM with a virtual clock at 0 and no VDD yet. */
struct mock_vm *mock_vm_create(void);
void mock_vm_destroy(struct mock_vm *vm);

/* Loads module into vm (init + create) with properties "key=value,..."
 * (NULL for defaults); returns create()'s result. Up to four modules (a
 * device and the DMA controller it uses, say) share one VM; they are
 * terminated in reverse order. */
int mock_vm_attach(struct mock_vm *vm, const struct vdd_module *module, const char *props);

/* The instance module's create() made in vm (for a test to look inside the
 * VDD's state), or NULL when module is not attached or create() failed. */
void *mock_instance(struct mock_vm *vm, const struct vdd_module *module);

/* Port I/O as the guest would do it, through the claimed handlers; unclaimed
 * ports read as all ones. */
uint8_t mock_inb(struct mock_vm *vm, uint16_t port);
void mock_outb(struct mock_vm *vm, uint16_t port, uint8_t value);
uint16_t mock_inw(struct mock_vm *vm, uint16_t port);
void mock_outw(struct mock_vm *vm, uint16_t port, uint16_t value);
uint32_t mock_ind(struct mock_vm *vm, uint16_t port);
void mock_outd(struct mock_vm *vm, uint16_t port, uint32_t value);
bool mock_port_claimed(struct mock_vm *vm, uint16_t port);

/* Guest memory: RAM (MOCK_RAM_SIZE bytes at 0), what a VDD mapped with
 * map_memory (NULL where nothing is), and its MMIO handlers (false where
 * none claims gpa). */
uint8_t *mock_ram(struct mock_vm *vm);
void *mock_mapped_memory(struct mock_vm *vm, uint64_t gpa);
bool mock_mmio(struct mock_vm *vm, uint64_t gpa, void *data, unsigned len, bool is_write);

/* The A20 gate as a VDD last set it, and how often one reset the CPU. */
bool mock_a20(struct mock_vm *vm);
unsigned mock_resets(struct mock_vm *vm);

/* The display: what VDDs sent it. */
struct mock_display {
	unsigned screens, frames;  /* display_screen and display_frame calls */
	unsigned width, height;    /* of the last screen */
	uint32_t *pixels;          /* a copy of it, stride width * 4 */
};
const struct mock_display *mock_display(struct mock_vm *vm);
/* Calls every attached VDD's foreground or background hook. */
void mock_set_foreground(struct mock_vm *vm, bool foreground);

/* Delivers a display event to the handlers VDDs set, in the order they set
 * them (type: an enum vvmi_event_type or VMAN_EVENT_*). */
void mock_display_event(struct mock_vm *vm, unsigned type, const void *body, size_t len);

/* Named request entries, as register_request made them: a host program's
 * call (DosRequestVDD; -ENOENT when none has the name), and an entry a test
 * adds itself, standing in for another VDD (0, -EBUSY when taken). */
int mock_request_vdd(struct mock_vm *vm, const char *name, uint32_t command, const void *in,
		     size_t in_len, void *out, size_t *out_len);
int mock_add_request(struct mock_vm *vm, const char *name, vdh_request_fn *fn, void *opaque);

/* The virtual clock: advance runs every timer due on the way, in order. */
uint64_t mock_now(struct mock_vm *vm);
void mock_advance(struct mock_vm *vm, uint64_t ns);
/* The earliest armed deadline, or UINT64_MAX. */
uint64_t mock_next_deadline(struct mock_vm *vm);

/* IRQ lines as the devices drive them. */
bool mock_irq_level(struct mock_vm *vm, unsigned line);
unsigned mock_irq_rising_edges(struct mock_vm *vm, unsigned line);
bool mock_irq_opened(struct mock_vm *vm, unsigned line);

/* The interrupt controller a VDD registered: drive its inputs and the CPU side. */
bool mock_intc_registered(struct mock_vm *vm);
void mock_intc_set_irq(struct mock_vm *vm, unsigned line, bool level);
bool mock_intc_has_interrupt(struct mock_vm *vm);
uint8_t mock_intc_acknowledge(struct mock_vm *vm);
/* EOIs the controller reported for a line. */
unsigned mock_eoi_count(struct mock_vm *vm, unsigned line);

#endif
