/* ist_far.h: far control transfers (JMP, CALL, RETF, IRET) in real and protected mode:
 * code segments, call gates and privilege changes. */
#ifndef MVM_IST_FAR_H
#define MVM_IST_FAR_H

#include "ist_state.h"

/* Each sets CS:EIP (and the stack, for CALL and returns) or raises the
 * fault the transfer causes; i is the instruction doing it. */
void ist_far_jump(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel, uint32_t offset);
void ist_far_call(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t sel, uint32_t offset);
void ist_far_return(struct ist_cpu *cpu, const struct ist_insn *i, uint16_t release);
void ist_iret(struct ist_cpu *cpu, const struct ist_insn *i);

#endif
