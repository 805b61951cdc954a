/* dos_attr.c: DOS attributes of host files; hidden, system and archive in an extended attribute. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/xattr.h>

#include "dos_attr.h"
#include "dos_errors.h"
#include "dos_names.h"

#define KEPT_BITS (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_ARCHIVE)

/* "0x22" and a little room: anything longer was not written by us. */
#define XATTR_TEXT_MAX 16

/* The bits in the text an extended attribute held (n bytes read, or <= 0
 * when there was none), or default_bits when they are not ours to read. */
static uint8_t parse_bits(char text[XATTR_TEXT_MAX + 1], ssize_t n, uint8_t default_bits)
{
	char *end;
	unsigned long value;

	if (n <= 0)
		return default_bits;
	text[n] = '\0';
	value = strtoul(text, &end, 16);
	if (end == text || value > 0xFF)
		return default_bits;
	return (uint8_t)(value & KEPT_BITS);
}

static uint8_t stored_bits(const char *host_path, uint8_t default_bits)
{
	char text[XATTR_TEXT_MAX + 1];

	return parse_bits(text, getxattr(host_path, DOS_ATTR_XATTR_NAME, text, XATTR_TEXT_MAX),
			  default_bits);
}

static int store_bits(const char *host_path, int fd, uint8_t bits)
{
	char text[XATTR_TEXT_MAX];
	int len = snprintf(text, sizeof(text), "0x%02x", bits);

	return host_path ? setxattr(host_path, DOS_ATTR_XATTR_NAME, text, (size_t)len, 0)
			 : fsetxattr(fd, DOS_ATTR_XATTR_NAME, text, (size_t)len, 0);
}

uint8_t dos_attr_of(const char *host_path, const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return DOS_ATTR_DIRECTORY | stored_bits(host_path, 0);
	uint8_t attr = stored_bits(host_path, DOS_ATTR_ARCHIVE);
	if (!(st->st_mode & S_IWUSR))
		attr |= DOS_ATTR_READONLY;
	return attr;
}

int dos_attr_keep(const char *host_path, uint8_t attr, bool is_directory)
{
	uint8_t bits = attr & KEPT_BITS;
	uint8_t plain = is_directory ? 0 : DOS_ATTR_ARCHIVE;

	if (bits == plain) {
		if (removexattr(host_path, DOS_ATTR_XATTR_NAME) == 0 || errno == ENODATA ||
		    errno == ENOTSUP)
			return 0;
		return DOS_EACCES;
	}
	if (store_bits(host_path, -1, bits) == 0)
		return 0;
	if (errno == ENOTSUP && !(bits & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM)))
		return 0;
	return DOS_EACCES;
}

void dos_attr_set_archive(int fd)
{
	char text[XATTR_TEXT_MAX + 1];
	uint8_t bits = parse_bits(text, fgetxattr(fd, DOS_ATTR_XATTR_NAME, text, XATTR_TEXT_MAX),
				  DOS_ATTR_ARCHIVE);

	if (!(bits & DOS_ATTR_ARCHIVE))
		(void)store_bits(NULL, fd, bits | DOS_ATTR_ARCHIVE);
}
