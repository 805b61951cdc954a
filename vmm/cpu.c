/* cpu.c: helpers on CPU state shared by every backend and the VMM. */
#include "cpu.h"

void cpu_segment_real(struct cpu_segment *seg, uint16_t selector, bool code)
{
	*seg = (struct cpu_segment){
		.base = (uint64_t)selector << 4,
		.limit = 0xFFFF,
		.selector = selector,
		.type = code ? 0xB : 0x3, /* execute/read accessed; read/write accessed */
		.present = 1,
		.s = 1,
	};
}

uint64_t cpu_code_linear(const struct cpu_sregs *sregs, uint64_t ip)
{
	/* A 16-bit code segment wraps its offsets at 64 KiB. */
	if (!sregs->cs.db)
		ip &= 0xFFFF;
	else
		ip &= 0xFFFFFFFF;
	return sregs->cs.base + ip;
}
