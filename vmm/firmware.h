/* firmware.h: the PC's firmware (SeaBIOS) and boot images, found, checked and put in place. */
#ifndef MVM_FIRMWARE_H
#define MVM_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* Debian's seabios package. */
#define FIRMWARE_BIOS_DEFAULT "/usr/share/seabios/bios.bin"
#define FIRMWARE_VGABIOS_DEFAULT "/usr/share/seabios/vgabios-isavga.bin"

/* Reads the BIOS image at path (malloc'd into *data), refusing what cannot
 * be one; errors are explained in err. */
int firmware_read_bios(const char *path, uint8_t **data, size_t *size, char *err,
		       size_t err_size) __attribute__((warn_unused_result));

/* Maps a BIOS image where a PC has it: the whole image at the top of 4 GiB
 * as ROM, its last 128 KiB also at E0000h-FFFFFh as RAM (the shadow copy the
 * BIOS runs from and writes its data into). */
int firmware_map_bios(struct machine *m, const uint8_t *bios, size_t size)
	__attribute__((warn_unused_result));

/* Checks that path can be a VGA BIOS (an option ROM file) before the VM is
 * built, so a wrong path fails early with a clear message. */
int firmware_check_vgabios(const char *path, char *err, size_t err_size)
	__attribute__((warn_unused_result));

enum image_kind { IMAGE_FLOPPY, IMAGE_DISK };

/* A floppy format, by image size. */
struct floppy_format {
	uint32_t size;
	const char *media;  /* "1.44M" */
	const char *drive;  /* the drive type a PC would have for it, as the cmos VDD names it */
};

/* The format of a floppy image of size bytes, or NULL. */
const struct floppy_format *firmware_floppy_format(uint64_t size);

/* Checks a boot image: a regular, non-empty file (or block device), of a
 * floppy size when *kind is IMAGE_FLOPPY, of whole 512-byte sectors for a
 * disk (a tail is reported, and ignored by the disk). Sets *kind from the
 * size when guess is true, and *format (when not NULL) to a floppy's
 * format. */
int firmware_check_image(const char *path, bool guess, enum image_kind *kind,
			 const struct floppy_format **format, char *err, size_t err_size)
	__attribute__((warn_unused_result));

#endif
