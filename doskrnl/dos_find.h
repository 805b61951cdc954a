/* dos_find.h: find first / find next (functions 4Eh, 4Fh, 11h, 12h) over host directories. */
#ifndef MVM_DOS_FIND_H
#define MVM_DOS_FIND_H

#include <stdint.h>

#include "dos_names.h"
#include "dos_path.h"

/* The 21 reserved bytes at the start of a find DTA, where DOS keeps the
 * search's state (the program keeps them between calls):
 *   +0 drive (0 = A:), +1 the pattern in FCB form (11), +12 the attribute
 *   mask, +13 the index of the next entry (word), +15 the directory's slot
 *   in the search table (word), +17 that slot's generation (word), +19 0. */
#define DOS_FIND_STATE_SIZE 21

/* Directories being searched, by slot; a slot is reused round-robin, so a
 * program that keeps very many searches open loses the oldest ones (as
 * DOS's own tables do). */
#define DOS_FIND_SLOTS 64

struct dos_find_table {
	struct {
		char *host_dir;
		uint16_t generation;
		bool is_root;
	} slot[DOS_FIND_SLOTS];
	unsigned next;
};

/* A match, as 4Eh writes it after the state: attribute, time, date, size,
 * the DOS name. */
struct dos_found {
	uint8_t attr;
	uint16_t time, date;
	uint32_t size;
	char name[DOS_NAME_MAX];
	char fcb[DOS_FCB_NAME];
};

/* Starts a search for path (may hold wildcards in its last component) with
 * attribute mask attr (CX of 4Eh): normal, read-only and archived files
 * always match; hidden, system and directories when attr has their bit; a
 * mask of exactly DOS_ATTR_VOLUME finds only the volume label. Fills
 * state (DOS_FIND_STATE_SIZE bytes) and the first match. Returns 0,
 * DOS_ENOPATH, or DOS_ENOMOREFILES (18) when nothing matches (MS-DOS
 * reports 2, file not found, for 4Eh when the directory exists: callers
 * translate). */
int dos_find_first(struct dos_find_table *table, const struct dos_drive *drives, int current,
		   const char *path, uint8_t attr, uint8_t state[DOS_FIND_STATE_SIZE],
		   struct dos_found *found);

/* The next match after state (updated): DOS_ENOMOREFILES at the end or
 * when the state is not one this table made. */
int dos_find_next(struct dos_find_table *table, const struct dos_drive *drives,
		  uint8_t state[DOS_FIND_STATE_SIZE], struct dos_found *found);

void dos_find_table_free(struct dos_find_table *table);

#endif
