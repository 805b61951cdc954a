/* kvm.h: the CPU backend on Linux KVM. */
#ifndef MVM_KVM_H
#define MVM_KVM_H

#include <stdbool.h>
#include <stddef.h>

struct cpu;
struct memmap;

/* Opens /dev/kvm, creates a VM with one vCPU (no in-kernel irqchip, so HLT
 * and interrupts stay with the VMM) and mirrors map into memory slots.
 * On failure returns a negative errno and a sentence in err. */
int kvm_cpu_create(const struct memmap *map, struct cpu **out, char *err, size_t err_size);

/* Whether /dev/kvm opens and speaks our API; why not in reason. */
bool kvm_usable(char *reason, size_t reason_size);

#endif
