/* svc.h: the SVC table: `hlt; db n; db ~n` calls from the guest to the host. */
#ifndef MVM_SVC_H
#define MVM_SVC_H

#include <stdint.h>

#include "vdh.h"

/* SVC numbers the VMM itself answers (0x00-0x0F are reserved for it). */
#define SVC_IDENTIFY 0x01 /* out: CF=0, AX='MV' (0x4D56), BX=VDH API version */
#define SVC_EXIT 0x02     /* in: AL = exit status; the VM ends */
#define SVC_CLOCK 0x03    /* out: CF=0, EDX:EAX = virtual time in ns */
#define SVC_INT_HOOK 0x0F /* the HLT stubs of software-interrupt hooks */
#define SVC_VMM_LAST 0x0F

#define SVC_IDENTIFY_MAGIC 0x4D56

struct svc_entry {
	vdh_svc_fn *fn;
	void *opaque;
	const void *owner;
	const char *owner_name;
};

struct svc_table {
	struct svc_entry entry[256];
	uint8_t warned[256 / 8]; /* unregistered numbers already reported */
};

#endif
