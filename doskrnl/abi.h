/* abi.h: what doskrnl's guest part (doskrnl.asm, through abi.inc) and host part agree on. */
#ifndef MVM_DOSKRNL_ABI_H
#define MVM_DOSKRNL_ABI_H

/* SVC numbers (`hlt; db n; db ~n`); 0x00-0x0F belong to the VMM. */
#define DK_SVC_BOOT 0x20   /* the resident part is in place: start DOS and the program */
#define DK_SVC_INT21 0x21  /* int 21h */
#define DK_SVC_INT20 0x22  /* int 20h: terminate */
#define DK_SVC_INT27 0x23  /* int 27h: terminate and stay resident */
#define DK_SVC_DISK 0x24   /* int 25h/26h: absolute disk read/write */
#define DK_SVC_RESUME 0x25 /* an action the host asked of the guest is done */

/* Where the option ROM copies the resident part: 0070:0000, as IO.SYS sits. */
#define DK_RESIDENT_SEGMENT 0x0070

/* The resident part's header at 0070:0000: offsets of its routines. */
#define DK_HDR_MAGIC 0x00      /* "DK" */
#define DK_HDR_VERSION 0x02    /* DK_ABI_VERSION */
#define DK_HDR_SIZE 0x04       /* the resident part's size in bytes (code, buffer, stack) */
#define DK_HDR_INT21_RET 0x06  /* the IRET after int 21h's SVC */
#define DK_HDR_CON_OUT 0x08    /* action: DS:SI, CX bytes through int 29h */
#define DK_HDR_KBD_WAIT 0x0A   /* action: int 16h AH=00h; AX = the key */
#define DK_HDR_KBD_POLL 0x0C   /* action: BX=1 and AX = a key when one waits, else BX=0 */
#define DK_HDR_EXIT 0x0E       /* action: end the VM with AL (SVC 2) */
#define DK_HDR_BUFFER 0x10     /* the transfer buffer's offset */
#define DK_HDR_STACK_TOP 0x12  /* the top of the actions' stack */
#define DK_HDR_DEVICE_RETF 0x14 /* a RETF: device strategy and interrupt entries */
#define DK_HDR_INT22 0x16      /* the default terminate address (int 22h) */

#define DK_ABI_VERSION 1
#define DK_MAGIC 0x4B44 /* "DK" little-endian */
#define DK_BUFFER_SIZE 256

#endif
