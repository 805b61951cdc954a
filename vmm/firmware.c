/* firmware.c: the PC's firmware (SeaBIOS) and boot images, found, checked and put in place. */
#include "firmware.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

/* A PC BIOS image: whole 64 KiB blocks, at least the 128 KiB that also
 * appear below 1 MiB, at most what fits below the top of 4 GiB sensibly. */
#define BIOS_BLOCK (64u << 10)
#define BIOS_LOW_SIZE (128u << 10)
#define BIOS_MAX_SIZE (16u << 20)
#define BIOS_LOW_BASE (0x100000u - BIOS_LOW_SIZE)
#define TOP_OF_4G (1ull << 32)

#define OPTION_ROM_MAX (128u << 10)
#define SECTOR_SIZE 512u

static const struct floppy_format floppy_formats[] = {
	{ 163840, "160K", "360K" },
	{ 184320, "180K", "360K" },
	{ 327680, "320K", "360K" },
	{ 368640, "360K", "360K" },
	{ 737280, "720K", "720K" },
	{ 1228800, "1.2M", "1.2M" },
	{ 1474560, "1.44M", "1.44M" },
	{ 2949120, "2.88M", "2.88M" },
};

const struct floppy_format *firmware_floppy_format(uint64_t size)
{
	for (size_t i = 0; i < sizeof(floppy_formats) / sizeof(floppy_formats[0]); i++)
		if (floppy_formats[i].size == size)
			return &floppy_formats[i];
	return NULL;
}

/* Opens path for reading as a file of firmware or an image; *size is its
 * length (a block device's too). */
static int open_sized(const char *path, const char *what, int *fd_out, uint64_t *size,
		      char *err, size_t err_size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;
		snprintf(err, err_size, "cannot open the %s '%s': %s", what, path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		snprintf(err, err_size, "the %s '%s' is %s, not a file", what, path,
			 S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	*size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, size) < 0)
		*size = 0;
	*fd_out = fd;
	return 0;
}

int firmware_read_bios(const char *path, uint8_t **data, size_t *size_out, char *err,
		       size_t err_size)
{
	uint64_t size;
	uint8_t *bios;
	ssize_t got;
	int fd = -1, rc = open_sized(path, "BIOS", &fd, &size, err, err_size);

	if (rc < 0)
		return rc;
	if (size < BIOS_LOW_SIZE || size > BIOS_MAX_SIZE || size % BIOS_BLOCK) {
		snprintf(err, err_size,
			 "the BIOS '%s' is %llu bytes: a BIOS image is a multiple of 64 KiB "
			 "from 128 KiB to 16 MiB (Debian's is %s)",
			 path, (unsigned long long)size, FIRMWARE_BIOS_DEFAULT);
		close(fd);
		return -EINVAL;
	}
	bios = malloc(size);
	if (!bios) {
		close(fd);
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	got = pread(fd, bios, size, 0);
	close(fd);
	if (got != (ssize_t)size) {
		snprintf(err, err_size, "cannot read the BIOS '%s': %s", path,
			 got < 0 ? strerror(errno) : "short read");
		free(bios);
		return -EIO;
	}
	*data = bios;
	*size_out = size;
	return 0;
}

int firmware_map_bios(struct machine *m, const uint8_t *bios, size_t size)
{
	int rc = machine_map_firmware(m, TOP_OF_4G - size, bios, size, false);
	if (rc == 0)
		rc = machine_map_firmware(m, BIOS_LOW_BASE, bios + size - BIOS_LOW_SIZE,
					  BIOS_LOW_SIZE, true);
	return rc;
}

int firmware_check_vgabios(const char *path, char *err, size_t err_size)
{
	uint64_t size;
	uint8_t signature[2];
	int fd = -1, rc = open_sized(path, "VGA BIOS", &fd, &size, err, err_size);

	if (rc < 0)
		return rc;
	if (size < 3 || size > OPTION_ROM_MAX || pread(fd, signature, 2, 0) != 2 ||
	    signature[0] != 0x55 || signature[1] != 0xAA) {
		snprintf(err, err_size,
			 "the VGA BIOS '%s' is not an option ROM (55h AAh, at most 128 KiB)", path);
		rc = -EINVAL;
	}
	close(fd);
	return rc;
}

int firmware_check_image(const char *path, bool guess, enum image_kind *kind,
			 const struct floppy_format **format, char *err, size_t err_size)
{
	const struct floppy_format *floppy;
	uint64_t size;
	int fd = -1, rc = open_sized(path, "image", &fd, &size, err, err_size);

	if (rc < 0)
		return rc;
	close(fd);
	if (size == 0) {
		snprintf(err, err_size, "the image '%s' is empty", path);
		return -EINVAL;
	}
	floppy = firmware_floppy_format(size);
	if (guess)
		*kind = floppy ? IMAGE_FLOPPY : IMAGE_DISK;
	if (format)
		*format = floppy;
	if (*kind == IMAGE_FLOPPY && !floppy) {
		snprintf(err, err_size,
			 "the floppy image '%s' is %llu bytes; a floppy image is 160K, 180K, 320K, "
			 "360K, 720K, 1.2M, 1.44M or 2.88M (163840 to 2949120 bytes)",
			 path, (unsigned long long)size);
		return -EINVAL;
	}
	if (*kind == IMAGE_DISK && size < SECTOR_SIZE) {
		snprintf(err, err_size, "the disk image '%s' is %llu bytes, less than one sector",
			 path, (unsigned long long)size);
		return -EINVAL;
	}
	/* A partial last sector is the ata VDD's to report: it opens the file. */
	return 0;
}
