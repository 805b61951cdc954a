/* dos_exe.h: loading program images, .COM and MZ .EXE, as DOS 5's EXEC does. */
#ifndef MVM_DOS_EXE_H
#define MVM_DOS_EXE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dos_mem.h"

#define DOS_EXE_SIGNATURE 0x5A4D /* "MZ"; "ZM" is accepted too, as DOS does */
#define DOS_COM_MAX (0x10000u - 0x100u - 2u) /* a .COM, its PSP and the initial 0 word */

/* What the header of an MZ file says, checked against the file's size. */
struct dos_exe_info {
	uint32_t header_bytes; /* e_cparhdr * 16 */
	uint32_t image_bytes;  /* the load module: file pages minus header */
	uint16_t min_paras;    /* e_minalloc */
	uint16_t max_paras;    /* e_maxalloc */
	uint16_t ss, sp, cs, ip;
	uint16_t reloc_count;
	uint16_t reloc_offset;
};

/* True when data starts with "MZ" or "ZM": DOS loads it as an EXE whatever
 * the file's extension. */
bool dos_exe_is_mz(const uint8_t *data, size_t size);

/* Parses and checks an MZ header of a file of file_size bytes (data holds
 * at least the first 28 bytes). DOS_EBADFORMAT when the header lies past the
 * end of the file, a page or more of the load module is missing, or the
 * relocation table does not fit in the file. */
int dos_exe_parse(const uint8_t *data, size_t file_size, struct dos_exe_info *info);

/* Paragraphs of memory the image needs: the load module plus min_paras
 * (the minimum) or plus max_paras (what it asks for), saturating at
 * 0xFFFF. */
uint32_t dos_exe_min_paras(const struct dos_exe_info *info);
uint32_t dos_exe_max_paras(const struct dos_exe_info *info);

/* True when both allocations are 0: EXEC loads the image at the top of
 * the block it gives the program, not after its PSP (a "load high" EXE). */
bool dos_exe_loads_high(const struct dos_exe_info *info);

/* Paragraphs of the load module alone. */
uint32_t dos_exe_image_paras(const struct dos_exe_info *info);

/* Copies the load module of file (file_size bytes, all of it in memory) to
 * load_segment:0 and applies the relocations: each far pointer in the table
 * names a word of the image to which load_segment is added. A relocation
 * whose word is not inside the image gives DOS_EBADFORMAT (nothing
 * outside the image is written). */
int dos_exe_load(const struct dos_mem *m, const uint8_t *file, size_t file_size,
		 const struct dos_exe_info *info, uint16_t load_segment);

#endif
