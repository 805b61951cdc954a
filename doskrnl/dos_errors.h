/* dos_errors.h: the error codes DOS returns in AX with CF set (MS-DOS 5). */
#ifndef MVM_DOS_ERRORS_H
#define MVM_DOS_ERRORS_H

enum dos_error {
	DOS_OK = 0,
	DOS_EINVAL_FUNCTION = 1,   /* invalid function number */
	DOS_ENOENT = 2,            /* file not found */
	DOS_ENOPATH = 3,           /* path not found */
	DOS_EMFILE = 4,            /* too many open files */
	DOS_EACCES = 5,            /* access denied */
	DOS_EBADF = 6,             /* invalid handle */
	DOS_EMCB = 7,              /* memory control blocks destroyed */
	DOS_ENOMEM = 8,            /* insufficient memory */
	DOS_EBADBLOCK = 9,         /* invalid memory block address */
	DOS_EBADENV = 10,          /* invalid environment */
	DOS_EBADFORMAT = 11,       /* invalid format */
	DOS_EBADACCESS = 12,       /* invalid access code */
	DOS_EBADDATA = 13,         /* invalid data */
	DOS_EBADDRIVE = 15,        /* invalid drive */
	DOS_ERMCURDIR = 16,        /* attempt to remove the current directory */
	DOS_EXDEV = 17,            /* not the same device */
	DOS_ENOMOREFILES = 18,     /* no more files */
	DOS_EWRITEPROTECT = 19,    /* disk write-protected */
	DOS_ENOTREADY = 21,        /* drive not ready */
	DOS_ESHARE = 32,           /* sharing violation */
	DOS_ELOCK = 33,            /* lock violation */
	DOS_EEXIST = 80,           /* file exists */
	DOS_EMAKEDIR = 82,         /* cannot make directory entry */
	DOS_EINVAL_PARAM = 87,     /* invalid parameter */
};

#endif
