/* dos_mcb.h: the DOS memory arena, a chain of memory control blocks in guest memory. */
#ifndef MVM_DOS_MCB_H
#define MVM_DOS_MCB_H

#include <stdint.h>

#include "dos_mem.h"

/*
 * An MCB is the paragraph before the block it describes:
 *   +0 type 'M' (more follow) or 'Z' (last), +1 owner PSP (0: free;
 *   8: DOS itself), +3 size in paragraphs (not counting the MCB), +8 the
 *   owner's name (8 bytes, NUL-padded when shorter; DOS 4+).
 * Functions take the segment of the first MCB and return a dos_error
 * (0, DOS_EMCB when the walk meets a block that is not 'M'/'Z' or runs past
 * the end of conventional memory, DOS_ENOMEM, DOS_EBADBLOCK).
 */

#define DOS_MCB_OWNER_FREE 0x0000u
#define DOS_MCB_OWNER_DOS 0x0008u

enum dos_fit { DOS_FIT_FIRST = 0, DOS_FIT_BEST = 1, DOS_FIT_LAST = 2 };

/* One free block from first_mcb up to (not including) end_segment. */
int dos_mcb_init(const struct dos_mem *m, uint16_t first_mcb, uint16_t end_segment);

/* Allocates paras paragraphs for owner with the strategy fit (low 2 bits of
 * AL of function 58h); *segment is the block (MCB + 1). Adjacent free blocks
 * merge on the way. On DOS_ENOMEM, *largest is the largest free block. Last
 * fit takes the top of the highest block that fits. */
int dos_mcb_alloc(const struct dos_mem *m, uint16_t first_mcb, uint16_t paras, uint16_t owner,
		  enum dos_fit fit, uint16_t *segment, uint16_t *largest);

/* Frees the block at segment (its MCB is segment - 1): DOS_EBADBLOCK when
 * segment - 1 holds no MCB type byte. As in MS-DOS, only that MCB is looked
 * at: damage elsewhere in the chain does not stop it. */
int dos_mcb_free(const struct dos_mem *m, uint16_t first_mcb, uint16_t segment);

/* Resizes the block at segment to paras, growing into a following free
 * block; on DOS_ENOMEM *largest is the most the block can have. DOS_EMCB
 * when the block's own MCB or one it joins is damaged (MS-DOS's 4Ah reads
 * no further than that). */
int dos_mcb_resize(const struct dos_mem *m, uint16_t first_mcb, uint16_t segment, uint16_t paras,
		   uint16_t *largest);

/* Frees every block owner holds (a process ends). */
int dos_mcb_free_owner(const struct dos_mem *m, uint16_t first_mcb, uint16_t owner);

/* Sets the owner and name (up to 8 chars) of the block at segment. */
int dos_mcb_set_owner(const struct dos_mem *m, uint16_t segment, uint16_t owner,
		      const char *name);

/* Walks the chain: 0 when it is intact. */
int dos_mcb_check(const struct dos_mem *m, uint16_t first_mcb);

#endif
