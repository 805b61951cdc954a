/* fuzz_vdd_ports.c: libFuzzer target: a VDD (linked in: vpic or vpit) under any sequence of
 * guest port accesses, IRQ line changes, interrupt acknowledges and passing virtual time,
 * through the mock VMM. Guest data is untrusted: no input may crash or hang the VDD. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The ports of the PC's PIC pair, PIT and port B: each target answers some. */
static const uint16_t ports[] = { 0x20, 0x21, 0xA0, 0xA1, 0x40, 0x41, 0x42, 0x43, 0x61 };
#define PORT_COUNT (sizeof(ports) / sizeof(ports[0]))

enum fuzz_op { OP_OUT, OP_IN, OP_ADVANCE, OP_IRQ, OP_ACK, OP_COUNT };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mock_vm *vm = mock_vm_create();

	if (!vm || mock_vm_attach(vm, &vdd_module, NULL) < 0)
		abort();
	/* Three bytes an operation: what, where, which value. */
	for (size_t i = 0; i + 3 <= size; i += 3) {
		uint16_t port = ports[data[i + 1] % PORT_COUNT];
		uint8_t value = data[i + 2];
		switch (data[i] % OP_COUNT) {
		case OP_OUT:
			mock_outb(vm, port, value);
			break;
		case OP_IN:
			(void)mock_inb(vm, port);
			break;
		case OP_ADVANCE:
			/* Up to about 55 ms: a little past one 65536-clock period. */
			mock_advance(vm, (uint64_t)value * value * 850u + data[i + 1]);
			break;
		case OP_IRQ:
			if (mock_intc_registered(vm))
				mock_intc_set_irq(vm, value % VDH_IRQ_LINES, value & 0x80);
			break;
		case OP_ACK:
			if (mock_intc_registered(vm) && mock_intc_has_interrupt(vm))
				(void)mock_intc_acknowledge(vm);
			break;
		}
		/* A timer the VDD armed never lies in the past once time has been run. */
		if (mock_next_deadline(vm) < mock_now(vm))
			abort();
	}
	mock_vm_destroy(vm);
	return 0;
}
