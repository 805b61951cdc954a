/* dos_exe.c: the MZ header and the load module of a DOS .EXE, checked and loaded as EXEC does. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dos_errors.h"
#include "dos_exe.h"

/* The MZ header: little-endian words. */
#define MZ_SIGNATURE 0x00
#define MZ_LAST_PAGE_BYTES 0x02  /* e_cblp: bytes used in the last page, 0 = all 512 */
#define MZ_PAGES 0x04            /* e_cp: 512-byte pages of the file, header included */
#define MZ_RELOC_COUNT 0x06
#define MZ_HEADER_PARAS 0x08
#define MZ_MIN_ALLOC 0x0A
#define MZ_MAX_ALLOC 0x0C
#define MZ_SS 0x0E
#define MZ_SP 0x10
/* 0x12: checksum, which DOS never checks */
#define MZ_IP 0x14
#define MZ_CS 0x16
#define MZ_RELOC_OFFSET 0x18
#define MZ_HEADER_MIN_BYTES 0x1C

#define MZ_PAGE_BYTES 512u
#define MZ_SIGNATURE_SWAPPED 0x4D5A /* "ZM" */
#define MZ_RELOC_BYTES 4u           /* offset word, then segment word */

#define PARAGRAPH_BYTES 16u
#define PARAS_MAX 0xFFFFu

/* The load module goes to guest memory a page at a time, so no single
 * request to the backend grows with the file (which may be as big as
 * conventional memory). */
#define LOAD_CHUNK_BYTES 4096u

bool dos_exe_is_mz(const uint8_t *data, size_t size)
{
	if (size < 2)
		return false;
	uint16_t signature = dos_get16(data);
	return signature == DOS_EXE_SIGNATURE || signature == MZ_SIGNATURE_SWAPPED;
}

/*
 * Where the header and the file disagree:
 *  - e_cblp above 512 cannot describe a page: DOS_EBADFORMAT.
 *  - a header that passes the end of the file, or the pages' end, leaves no
 *    load module to speak of: DOS_EBADFORMAT.
 *  - a file shorter than its pages say by less than a page is loaded as far
 *    as it goes, as MS-DOS 4's EXEC.ASM reads what is there of the last
 *    page: image_bytes is clipped to the file. A page or more missing is
 *    DOS_EBADFORMAT, as EXEC finds a whole page's read come back short.
 *  - a relocation table that passes the end of the file cannot be read:
 *    DOS_EBADFORMAT. An empty table may point anywhere.
 */
int dos_exe_parse(const uint8_t *data, size_t file_size, struct dos_exe_info *info)
{
	if (file_size < MZ_HEADER_MIN_BYTES || !dos_exe_is_mz(data, file_size))
		return DOS_EBADFORMAT;

	uint32_t last_page_bytes = dos_get16(data + MZ_LAST_PAGE_BYTES);
	uint32_t pages = dos_get16(data + MZ_PAGES);
	if (last_page_bytes > MZ_PAGE_BYTES)
		return DOS_EBADFORMAT;
	uint32_t image_end = pages * MZ_PAGE_BYTES;
	if (last_page_bytes != 0) {
		if (pages == 0)
			return DOS_EBADFORMAT;
		image_end -= MZ_PAGE_BYTES - last_page_bytes;
	}

	uint32_t header_bytes = (uint32_t)dos_get16(data + MZ_HEADER_PARAS) * PARAGRAPH_BYTES;
	if (header_bytes > file_size || header_bytes > image_end)
		return DOS_EBADFORMAT;
	uint32_t image_bytes = image_end - header_bytes;
	if (image_end > file_size) {
		if (image_end - file_size >= MZ_PAGE_BYTES)
			return DOS_EBADFORMAT;
		image_bytes = (uint32_t)(file_size - header_bytes);
	}

	uint16_t reloc_count = dos_get16(data + MZ_RELOC_COUNT);
	uint16_t reloc_offset = dos_get16(data + MZ_RELOC_OFFSET);
	if (reloc_count != 0 &&
	    (size_t)reloc_offset + (size_t)reloc_count * MZ_RELOC_BYTES > file_size)
		return DOS_EBADFORMAT;

	*info = (struct dos_exe_info){
		.header_bytes = header_bytes,
		.image_bytes = image_bytes,
		.min_paras = dos_get16(data + MZ_MIN_ALLOC),
		.max_paras = dos_get16(data + MZ_MAX_ALLOC),
		.ss = dos_get16(data + MZ_SS),
		.sp = dos_get16(data + MZ_SP),
		.cs = dos_get16(data + MZ_CS),
		.ip = dos_get16(data + MZ_IP),
		.reloc_count = reloc_count,
		.reloc_offset = reloc_offset,
	};
	return 0;
}

static uint32_t image_plus(const struct dos_exe_info *info, uint16_t extra_paras)
{
	uint32_t paras = (info->image_bytes + PARAGRAPH_BYTES - 1u) / PARAGRAPH_BYTES + extra_paras;

	return paras > PARAS_MAX ? PARAS_MAX : paras;
}

bool dos_exe_loads_high(const struct dos_exe_info *info)
{
	return info->min_paras == 0 && info->max_paras == 0;
}

uint32_t dos_exe_image_paras(const struct dos_exe_info *info)
{
	return image_plus(info, 0);
}

uint32_t dos_exe_min_paras(const struct dos_exe_info *info)
{
	return image_plus(info, info->min_paras);
}

uint32_t dos_exe_max_paras(const struct dos_exe_info *info)
{
	return image_plus(info, info->max_paras);
}

/* The image offset of relocation i's word. */
static uint32_t reloc_target(const uint8_t *file, const struct dos_exe_info *info, uint32_t i)
{
	const uint8_t *entry = file + info->reloc_offset + i * MZ_RELOC_BYTES;

	return dos_linear(dos_get16(entry + 2), dos_get16(entry));
}

/*
 * Every relocation is checked before anything is written, so a bad one
 * leaves guest memory as it was. A guest write that fails means the block
 * at load_segment is not all RAM: DOS_ENOMEM.
 */
int dos_exe_load(const struct dos_mem *m, const uint8_t *file, size_t file_size,
		 const struct dos_exe_info *info, uint16_t load_segment)
{
	/* info may not come from this file: never read past its end. */
	if (info->header_bytes > file_size || info->image_bytes > file_size - info->header_bytes)
		return DOS_EBADFORMAT;
	if (info->reloc_count != 0 &&
	    (size_t)info->reloc_offset + (size_t)info->reloc_count * MZ_RELOC_BYTES > file_size)
		return DOS_EBADFORMAT;
	for (uint32_t i = 0; i < info->reloc_count; i++) {
		uint32_t target = reloc_target(file, info, i);
		if (info->image_bytes < 2 || target > info->image_bytes - 2)
			return DOS_EBADFORMAT;
	}

	uint32_t base = dos_linear(load_segment, 0);
	const uint8_t *image = file + info->header_bytes;
	for (uint32_t done = 0; done < info->image_bytes;) {
		uint32_t len = info->image_bytes - done;
		if (len > LOAD_CHUNK_BYTES)
			len = LOAD_CHUNK_BYTES;
		if (dos_mem_write(m, base + done, image + done, len))
			return DOS_ENOMEM;
		done += len;
	}

	for (uint32_t i = 0; i < info->reloc_count; i++) {
		uint32_t linear = base + reloc_target(file, info, i);
		uint16_t word;
		if (dos_mem_read16(m, linear, &word) ||
		    dos_mem_write16(m, linear, (uint16_t)(word + load_segment)))
			return DOS_ENOMEM;
	}
	return 0;
}
