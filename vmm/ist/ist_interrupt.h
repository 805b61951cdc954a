/* ist_interrupt.h: exceptions and interrupts: raising, double faults, and delivery through
 * the real-mode vector table or protected-mode gates. */
#ifndef MVM_IST_INTERRUPT_H
#define MVM_IST_INTERRUPT_H

#include "ist_state.h"

enum ist_event {
	IST_EVENT_EXCEPTION, /* a fault or trap of the CPU: error codes carry EXT */
	IST_EVENT_SOFTWARE,  /* INT n, INT3, INTO: the gate's DPL is checked */
	IST_EVENT_EXTERNAL,  /* an interrupt from the PIC */
};

/* Enters the handler of vector: pushes the frame with return_eip (and the
 * error code where the vector has one, error >= 0), loads CS:EIP. Faults on
 * the way are raised with ist_raise(cpu, NULL, ...). */
void ist_deliver(struct ist_cpu *cpu, unsigned vector, int32_t error, uint32_t return_eip,
		 enum ist_event kind);

/* The run loop's half of ist_raise: delivers the exception raised, turning a
 * fault while delivering one into #DF, and a fault while delivering #DF
 * into shutdown. */
void ist_handle_exception(struct ist_cpu *cpu);

/* Stops the run with CPU_EXIT_FAILED: the guest needs what the IST does not
 * do yet (task switches, virtual-8086 mode). */
_Noreturn void ist_unsupported(struct ist_cpu *cpu, const char *what);

/* Value ist_raise and ist_unsupported hand to longjmp. */
#define IST_JUMP_FAULT 1
#define IST_JUMP_STOP 2

#endif
