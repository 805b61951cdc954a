/* vdh_mock.h: a stand-in VMM for unit-testing one VDD through the helper API alone. */
#ifndef MVM_TESTS_VDH_MOCK_H
#define MVM_TESTS_VDH_MOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "vdh.h"

struct mock_vm;

/* A VM with a virtual clock at 0 and no VDD yet. */
struct mock_vm *mock_vm_create(void);
void mock_vm_destroy(struct mock_vm *vm);

/* Loads module into vm (init + create) with properties "key=value,..."
 * (NULL for defaults); returns create()'s result. */
int mock_vm_attach(struct mock_vm *vm, const struct vdd_module *module, const char *props);

/* Port I/O as the guest would do it, through the claimed handlers; unclaimed
 * ports read as all ones. */
uint8_t mock_inb(struct mock_vm *vm, uint16_t port);
void mock_outb(struct mock_vm *vm, uint16_t port, uint8_t value);
uint16_t mock_inw(struct mock_vm *vm, uint16_t port);
void mock_outw(struct mock_vm *vm, uint16_t port, uint16_t value);
bool mock_port_claimed(struct mock_vm *vm, uint16_t port);

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
