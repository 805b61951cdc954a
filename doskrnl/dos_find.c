/* dos_find.c: find first / find next (functions 4Eh, 4Fh, 11h, 12h) over host directories. */
#include <stdlib.h>
#include <string.h>

#include "dos_errors.h"
#include "dos_find.h"
#include "dos_mem.h"

/*
 * The search's state lives in the program's DTA, so everything read back
 * from it is checked: a slot out of range, a slot not in use or a generation
 * that is not the slot's ends the search. The directory is listed again at
 * each call, so files created or deleted between calls are seen as DOS would
 * see them; the index then counts entries of the new listing.
 */
#define FIND_DRIVE 0
#define FIND_PATTERN 1
#define FIND_ATTR 12
#define FIND_INDEX 13
#define FIND_SLOT 15
#define FIND_GENERATION 17

/* A search that matched a device: there is nothing after it. */
#define FIND_NO_SLOT 0xffff

/* The attribute 4Eh reports for a character device ("IF EXIST DIR\NUL"). */
#define DOS_ATTR_DEVICE 0x40

/* Entries of these kinds match only when the mask asks for them. */
#define FIND_ATTR_ASKED (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_DIRECTORY)

/* The slot searching host_dir: the one already doing so (its searches stay
 * valid), else the oldest. */
static int find_slot(struct dos_find_table *table, const char *host_dir, bool is_root,
		     unsigned *slot)
{
	char *copy;
	unsigned i;

	for (i = 0; i < DOS_FIND_SLOTS; i++) {
		if (table->slot[i].host_dir && strcmp(table->slot[i].host_dir, host_dir) == 0) {
			*slot = i;
			return 0;
		}
	}
	copy = strdup(host_dir);
	if (!copy)
		return DOS_ENOMEM;
	i = table->next % DOS_FIND_SLOTS;
	table->next = (i + 1) % DOS_FIND_SLOTS;
	free(table->slot[i].host_dir);
	table->slot[i].host_dir = copy;
	table->slot[i].generation++;
	table->slot[i].is_root = is_root;
	*slot = i;
	return 0;
}

/* The first match at or after the state's index. */
static int find_from(const struct dos_find_table *table, const struct dos_drive *drives,
		     uint8_t state[DOS_FIND_STATE_SIZE], struct dos_found *found)
{
	unsigned slot = dos_get16(state + FIND_SLOT), drive = state[FIND_DRIVE];
	const char *pattern = (const char *)state + FIND_PATTERN;
	uint8_t attr = state[FIND_ATTR];
	struct dos_dirlist list;
	size_t i;
	int err = DOS_ENOMOREFILES;

	if (slot >= DOS_FIND_SLOTS || !table->slot[slot].host_dir ||
	    table->slot[slot].generation != dos_get16(state + FIND_GENERATION))
		return DOS_ENOMOREFILES;
	/* A drive unmapped since find first has nothing more to find. */
	if (drive >= DOS_DRIVES || !drives[drive].root ||
	    strncmp(table->slot[slot].host_dir, drives[drive].root, strlen(drives[drive].root)))
		return DOS_ENOMOREFILES;
	if (dos_dir_read(table->slot[slot].host_dir, table->slot[slot].is_root, &list) != 0)
		return DOS_ENOMOREFILES;
	for (i = dos_get16(state + FIND_INDEX); i < list.count; i++) {
		const struct dos_dirent *entry = &list.entries[i];

		if ((entry->attr & ~attr & FIND_ATTR_ASKED) || !dos_fcb_match(pattern, entry->fcb))
			continue;
		found->attr = entry->attr;
		found->time = entry->time;
		found->date = entry->date;
		found->size = entry->size;
		memcpy(found->name, entry->name, DOS_NAME_MAX);
		memcpy(found->fcb, entry->fcb, DOS_FCB_NAME);
		i++;
		err = 0;
		break;
	}
	/* dos_dir_read lists at most 65535 entries, so the index fits its word. */
	dos_put16(state + FIND_INDEX, (uint16_t)(err ? list.count : i));
	dos_dir_free(&list);
	return err;
}

/* A device name matches itself alone, whatever the mask (as in MS-DOS, where
 * "IF EXIST C:\DIR\NUL" tells whether DIR exists). */
static void found_device(const struct dos_resolved *resolved, struct dos_found *found)
{
	/* resolved->dos is "C:/CON". */
	const char *name = resolved->dos + 3;

	memset(found, 0, sizeof(*found));
	found->attr = DOS_ATTR_DEVICE;
	strcpy(found->name, name);
	dos_name_to_fcb(name, strlen(name), false, found->fcb);
}

int dos_find_first(struct dos_find_table *table, const struct dos_drive *drives, int current,
		   const char *path, uint8_t attr, uint8_t state[DOS_FIND_STATE_SIZE],
		   struct dos_found *found)
{
	struct dos_resolved resolved;
	unsigned slot;
	int err;

	memset(state, 0, DOS_FIND_STATE_SIZE);
	dos_put16(state + FIND_SLOT, FIND_NO_SLOT);
	/* An unmapped drive, as a missing directory, is path not found. */
	if (dos_path_resolve(drives, current, path, DOS_LOOKUP_PATTERN, &resolved) != 0)
		return DOS_ENOPATH;
	state[FIND_DRIVE] = (uint8_t)resolved.drive;
	state[FIND_ATTR] = attr;
	/* Host directories have no volume label to find. */
	if (attr == DOS_ATTR_VOLUME)
		return DOS_ENOMOREFILES;
	if (resolved.device != DOS_DEV_NONE) {
		found_device(&resolved, found);
		return 0;
	}
	err = find_slot(table, resolved.host_dir,
			strcmp(resolved.host_dir, drives[resolved.drive].root) == 0, &slot);
	if (err)
		return err;
	memcpy(state + FIND_PATTERN, resolved.fcb, DOS_FCB_NAME);
	dos_put16(state + FIND_SLOT, (uint16_t)slot);
	dos_put16(state + FIND_GENERATION, table->slot[slot].generation);
	return find_from(table, drives, state, found);
}

int dos_find_next(struct dos_find_table *table, const struct dos_drive *drives,
		  uint8_t state[DOS_FIND_STATE_SIZE], struct dos_found *found)
{
	return find_from(table, drives, state, found);
}

void dos_find_table_free(struct dos_find_table *table)
{
	for (unsigned i = 0; i < DOS_FIND_SLOTS; i++) {
		free(table->slot[i].host_dir);
		table->slot[i].host_dir = NULL;
	}
	table->next = 0;
}
