/* ist.h: the IST (Instruction Set Translator), the software x86 CPU backend. */
#ifndef MVM_IST_H
#define MVM_IST_H

#include <stdbool.h>
#include <stddef.h>

struct cpu;
struct cpu_bus;
struct memmap;

/* How the IST runs guest code. */
enum ist_engine {
	IST_TRANSLATE,     /* blocks run more than once are translated to host code
			    * (where the host allows), the rest interpreted */
	IST_TRANSLATE_ALL, /* every block translated when first decoded: for tests */
	IST_INTERPRET,     /* interpreted only: slower; the reference the
			    * translator is tested against */
};

/* A 386-class CPU (486 CPUID, no FPU) in software: real mode and 16/32-bit
 * protected mode. It reads guest memory through map's flat view and reaches
 * devices through bus. On failure returns a negative errno and says why. */
int ist_cpu_create(const struct memmap *map, const struct cpu_bus *bus, enum ist_engine engine,
		   struct cpu **out, char *err, size_t err_size);

/* Whether cpu (an IST) translates guest code to host code. */
bool ist_cpu_translates(const struct cpu *cpu);

#endif
