/* ist.h: the IST (Instruction Set Translator), the software x86 CPU backend. */
#ifndef MVM_IST_H
#define MVM_IST_H

#include <stddef.h>

struct cpu;
struct cpu_bus;
struct memmap;

/* A 386-class CPU (486 CPUID, no FPU) in software: real mode and 16/32-bit
 * protected mode. It reads guest memory through map's flat view and reaches
 * devices through bus. On failure returns a negative errno and says why. */
int ist_cpu_create(const struct memmap *map, const struct cpu_bus *bus, struct cpu **out,
		   char *err, size_t err_size);

#endif
