/* ist_time.h: how the IST counts virtual time. */
#ifndef MVM_IST_TIME_H
#define MVM_IST_TIME_H

#include "ist_state.h"

/* Each retired instruction costs this much virtual time: the IST is a
 * 1000-MIPS CPU to the guest, whatever the host manages (see vclock.h).
 * REP string instructions count each iteration. */
#define IST_NS_PER_INSN 1u

/* The longest run() without looking at the VMM (kicks, stop requests):
 * a few milliseconds of host time. */
#define IST_SLICE_INSNS 4000000

/* The virtual clock now, instructions of this run included (RDTSC). */
uint64_t ist_virtual_ns(const struct ist_cpu *cpu);

#endif
