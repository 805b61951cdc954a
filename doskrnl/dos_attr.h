/* dos_attr.h: the DOS attribute byte of a host file, and where the bits a
 * host file system has no place for are kept. */
#ifndef MVM_DOS_ATTR_H
#define MVM_DOS_ATTR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * Directory and read-only come from the host's file type and write
 * permission. Hidden, system and archive live in an extended attribute
 * named as Samba names its own (user.DOSATTRIB), holding the bits as text,
 * "0x22"; a file without it is archive only, as a new DOS file is, and a
 * directory nothing. Volume labels do not exist on a host drive.
 */
#define DOS_ATTR_XATTR_NAME "user.DOSATTRIB"

/* The attribute byte DOS reports for host_path, whose stat is st. */
uint8_t dos_attr_of(const char *host_path, const struct stat *st);

/* Keeps the hidden, system and archive bits of attr for host_path (the
 * caller sets read-only through the permissions). With only archive set on
 * a file, or nothing on a directory, the extended attribute is removed, so
 * host files stay clean. Returns 0, or DOS_EACCES when hidden or system were
 * asked for on a file system without user extended attributes (an archive
 * bit it cannot keep is let go: backup programs clear it as they go). */
int dos_attr_keep(const char *host_path, uint8_t attr, bool is_directory);

/* Sets the archive bit of the open file fd, as DOS does when a file that
 * was written closes. Only a file with stored bits needs it: without them
 * archive is already set. */
void dos_attr_set_archive(int fd);

#endif
