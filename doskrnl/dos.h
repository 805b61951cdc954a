/* dos.h: the state of one VM's DOS kernel, and what its parts share. */
#ifndef MVM_DOS_H
#define MVM_DOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "abi.h"
#include "dos_errors.h"
#include "dos_find.h"
#include "dos_mcb.h"
#include "dos_mem.h"
#include "dos_path.h"
#include "vdh.h"

#define DOS_SFT_SIZE 100     /* open files of all processes together (FILES=100) */
#define DOS_JFT_DEFAULT 20   /* handles in a PSP's own table */
#define DOS_JFT_MAX 255      /* function 67h's limit */
#define DOS_JFT_FREE 0xFF
#define DOS_EXEC_DEPTH 16    /* programs running EXEC'd programs, nested */
#define DOS_KEY_BUFFER 64
#define DOS_LINE_MAX 256     /* function 0Ah's buffer */
#define DOS_PROGRAM_MAX (1u << 20) /* no program can be larger than 1 MiB of memory */

/* The PSP (program segment prefix), by offset. */
#define PSP_INT20 0x00
#define PSP_MEMORY_TOP 0x02
#define PSP_CPM_CALL 0x05
#define PSP_INT22 0x0A
#define PSP_INT23 0x0E
#define PSP_INT24 0x12
#define PSP_PARENT 0x16
#define PSP_JFT 0x18
#define PSP_ENVIRONMENT 0x2C
#define PSP_STACK 0x2E
#define PSP_JFT_SIZE 0x32
#define PSP_JFT_POINTER 0x34
#define PSP_PREVIOUS 0x38
#define PSP_VERSION 0x40
#define PSP_DISPATCHER 0x50
#define PSP_FCB1 0x5C
#define PSP_FCB2 0x6C
#define PSP_TAIL 0x80
#define PSP_SIZE 0x100
#define PSP_PARAS 0x10

/* An open file of the system file table. */
struct dos_file {
	unsigned refs;           /* handles in every JFT, and FCBs, using it; 0: free */
	enum dos_device device;  /* DOS_DEV_NONE: a disk file */
	int fd;                  /* the host file (disk files) */
	uint8_t mode;            /* the open mode: access (bits 0-2), sharing, no-inherit (7) */
	uint8_t attr;
	bool binary;             /* devices: raw mode (IOCTL 4401h bit 5) */
	bool fcb;                /* opened by an FCB function */
	bool time_set;           /* 5701h set a time, applied when it closes */
	bool written;            /* IOCTL 4400h: bit 6 clear once written */
	uint16_t time, date;
	uint32_t position;       /* DOS file pointers are 32-bit */
	dev_t host_dev;          /* the host file's identity, for sharing checks */
	ino_t host_ino;
	int drive;
	char name[DOS_NAME_MAX];
	uint16_t owner;          /* the PSP that opened it */
};

/* A program waiting for the one it EXEC'd. */
struct dos_exec_frame {
	struct vdh_regs parent;  /* its int 21h call, to return to */
	uint16_t parent_psp;
	uint32_t parent_dta;     /* segment << 16 | offset */
};

/* What the host asked the guest to do for the call in progress. */
enum dos_action {
	DOS_ACTION_NONE,
	DOS_ACTION_CON_OUT,   /* the screen queue through int 29h */
	DOS_ACTION_KBD_WAIT,  /* int 16h AH=00h */
	DOS_ACTION_KBD_POLL,  /* int 16h AH=01h, then 00h when a key waits */
};

/* How a function handler ends. */
enum dos_status {
	DOS_DONE,      /* regs hold the result; CF and ZF go back to the caller */
	DOS_NEED_KEY,  /* run again once a key is in the buffer */
	DOS_NEED_POLL, /* run again once the keyboard has been polled */
	DOS_SWITCHED,  /* regs hold another context (a program started or ended) */
};

struct dos_config {
	const char *program;     /* a host path, or a DOS path */
	const char *tail;        /* the command tail, without the count and CR */
	bool console_screen, console_stdio;
	bool stdin_host;         /* input comes from the host's stdin */
	uint8_t version_major, version_minor;
};

struct dos {
	struct vdh_dev *dev;
	const struct vdh *vdh;
	struct dos_mem mem;
	struct dos_config config;

	/* The resident part at DK_RESIDENT_SEGMENT, its routines by offset. */
	uint16_t int21_ret, act_con_out, act_kbd_wait, act_kbd_poll, act_exit;
	uint16_t buffer, stack_top, device_retf, int22_default;
	uint16_t data_segment;   /* DOS's tables: list of lists, devices, CDS */
	uint16_t first_mcb;
	uint16_t memory_top;     /* the end of conventional memory (int 12h) */
	enum dos_fit fit;

	struct dos_drive drives[DOS_DRIVES];
	int current_drive;
	struct dos_find_table finds;

	struct dos_file files[DOS_SFT_SIZE];
	uint16_t psp;            /* the current process */
	uint32_t dta;            /* segment << 16 | offset */
	struct dos_exec_frame exec[DOS_EXEC_DEPTH];
	unsigned exec_depth;
	uint16_t return_code;    /* function 4Dh: AH how it ended, AL its code */
	bool started;            /* the first program is running */

	/* Console. */
	uint8_t keys[DOS_KEY_BUFFER];
	unsigned key_count;
	bool polled;             /* this call already polled the keyboard */
	bool flushed;            /* this call already flushed it (0Ch) */
	bool stdin_eof;
	bool stdin_cr;           /* the host's last input byte was CR (CR LF is one Enter) */
	uint8_t *screen;         /* output waiting for the guest's int 29h */
	size_t screen_len, screen_sent, screen_cap;
	uint8_t con_pending[DOS_LINE_MAX + 2]; /* a cooked CON read's line, not yet read */
	unsigned con_pending_len, con_pending_pos;
	unsigned column;         /* the cursor column, for tabs */
	struct {                 /* function 0Ah's line while it is being typed */
		bool active;
		uint8_t text[DOS_LINE_MAX];
		unsigned len;
	} line;

	/* The int 21h call in progress. */
	struct vdh_regs call;    /* its registers as the program made it */
	struct vdh_regs result;  /* its result, while the screen queue drains */
	enum dos_action action;
	enum dos_status pending_wait; /* what follows the screen queue's draining */

	/* Function 59h's report of the last error. */
	uint16_t error;
	uint8_t error_class, error_action, error_locus;
	bool ctrl_break, verify;
	uint8_t switch_char;

	/* dos_misc.c */
	int64_t clock_base_ns;   /* the DOS clock at virtual time 0: local time, ns since 1970 */
	bool clock_valid;        /* clock_base_ns is set (from the host at the first use) */
};

/* The registers' 8- and 16-bit parts. */
static inline uint8_t reg_hi(uint32_t r) { return (uint8_t)(r >> 8); }
static inline uint8_t reg_lo(uint32_t r) { return (uint8_t)r; }
static inline uint16_t reg16(uint32_t r) { return (uint16_t)r; }
static inline void set_reg16(uint32_t *r, uint16_t v) { *r = (*r & 0xFFFF0000u) | v; }
static inline void set_reg_lo(uint32_t *r, uint8_t v) { *r = (*r & 0xFFFFFF00u) | v; }
static inline void set_reg_hi(uint32_t *r, uint8_t v) { *r = (*r & 0xFFFF00FFu) | (uint32_t)v << 8; }

/* Results: CF clear, or CF set with the error in AX (and for 59h). */
void dos_ok(struct vdh_regs *r);
enum dos_status dos_fail(struct dos *d, struct vdh_regs *r, int error);
void dos_set_error(struct dos *d, int error);
static inline void dos_set_zf(struct vdh_regs *r, bool set)
{
	r->eflags = set ? r->eflags | VDH_FLAG_ZF : r->eflags & ~VDH_FLAG_ZF;
}

/* Guest strings: an ASCIZ string of at most size - 1 bytes at seg:off;
 * false when it has no NUL within size or is not in memory. */
bool dos_read_asciz(struct dos *d, uint16_t seg, uint16_t off, char *buf, size_t size);
/* A path a program passes (ASCIZ, at most DOS_PATH_MAX bytes with the NUL),
 * logged with -vv. */
bool dos_read_path(struct dos *d, uint16_t seg, uint16_t off, char path[DOS_PATH_MAX]);

/* int 21h: the function table (dos_int21.c). */
enum dos_status dos_int21_dispatch(struct dos *d, struct vdh_regs *r);

/* Console and character devices (dos_con.c). */
void dos_con_write(struct dos *d, const uint8_t *bytes, size_t len, bool cooked, bool to_stderr);
enum dos_status dos_con_key_waiting(struct dos *d, bool *waiting);
enum dos_status dos_fn_char_io(struct dos *d, struct vdh_regs *r); /* 01h-0Ch */
/* Reads from CON for handle reads (3Fh): a line in cooked mode. */
enum dos_status dos_con_read(struct dos *d, bool cooked, uint8_t *buf, uint16_t len,
			     uint16_t *done);
void dos_key_push(struct dos *d, uint16_t bios_key);

/* Files and handles (dos_file.c). */
int dos_file_alloc(struct dos *d);                /* a free SFT index or -DOS_EMFILE */
void dos_file_release(struct dos *d, unsigned sft);
int dos_handle_sft(struct dos *d, uint16_t handle, unsigned *sft); /* DOS_EBADF */
int dos_handle_new(struct dos *d, unsigned sft, uint16_t *handle);  /* DOS_EMFILE */
/* Reads and writes at the file's position: between host bytes, or guest
 * memory at linear. */
int dos_file_read_bytes(struct dos *d, struct dos_file *f, uint8_t *buf, uint16_t len,
			uint16_t *done);
int dos_file_write_bytes(struct dos *d, struct dos_file *f, const uint8_t *buf, uint16_t len,
			 uint16_t *done);
int dos_file_read(struct dos *d, struct dos_file *f, uint32_t linear, uint16_t len,
		  uint16_t *done);
int dos_file_write(struct dos *d, struct dos_file *f, uint32_t linear, uint16_t len,
		   uint16_t *done);
int dos_file_open(struct dos *d, const char *path, uint8_t mode, bool fcb, unsigned *sft);
int dos_file_create(struct dos *d, const char *path, uint8_t attr, bool must_be_new, bool fcb,
		    unsigned *sft);
void dos_files_close_process(struct dos *d, uint16_t psp);
void dos_files_close_all(struct dos *d);
enum dos_status dos_fn_handles(struct dos *d, struct vdh_regs *r); /* 3Ch-46h, 5Ah, 5Bh, 67h, 68h, 6Ch */
/* Resolves a path for a call: 0 or a dos_error, the way open reports it. */
int dos_resolve(struct dos *d, const char *path, enum dos_lookup lookup, struct dos_resolved *out);

/* Directories, drives and finds (dos_dir.c). */
enum dos_status dos_fn_dirs(struct dos *d, struct vdh_regs *r); /* 0Eh 19h 36h 39h-3Bh 41h 43h 47h 4Eh 4Fh 56h 57h 60h */

/* Processes and memory (dos_proc.c). */
int dos_boot(struct dos *d, struct vdh_regs *r);
enum dos_status dos_fn_process(struct dos *d, struct vdh_regs *r); /* 00h 26h 31h 48h-4Dh 50h 51h 58h 62h */
enum dos_status dos_terminate(struct dos *d, struct vdh_regs *r, uint8_t code, uint8_t how,
			      uint16_t keep_paras);
/* Points r at the guest's end: SVC 2 with status (the caller returns
 * DOS_SWITCHED, so the screen queue drains first). */
void dos_end_vm(struct dos *d, struct vdh_regs *r, uint8_t status);

/* FCB functions (dos_fcb.c): 0Fh-17h, 21h-24h, 27h-29h. */
enum dos_status dos_fn_fcb(struct dos *d, struct vdh_regs *r);
/* 29h's parse with options opts of the string at seg:*next into the FCB at
 * linear; *next moves past what was read, *parsed is AL's result. Returns 0
 * or DOS_EINVAL_PARAM when the FCB is not in memory. */
int dos_fcb_parse(struct dos *d, uint8_t opts, uint16_t seg, uint16_t *next, uint32_t linear,
		  uint8_t *parsed);

/* The DOS clock (2Ah-2Dh), which CLOCK$ and device times read too: the
 * host's local time when the VM started plus the VM's virtual time, moved
 * by 2Bh and 2Dh (dos_misc.c). */
struct dos_clock_time {
	uint16_t year;
	uint8_t month, day, weekday; /* weekday: 0 is Sunday */
	uint8_t hour, minute, second, hundredths;
	uint16_t days_since_1980;
};
void dos_clock_read(struct dos *d, struct dos_clock_time *t);

/* The rest (dos_misc.c): vectors, date and time, version, country, ... */
enum dos_status dos_fn_misc(struct dos *d, struct vdh_regs *r);
/* MS-DOS 5's upper case of a character in code page 437 (function 65h 20h). */
uint8_t dos_upcase_char(uint8_t c);

/* DOS's tables in guest memory (dos_tables.c). */
int dos_tables_build(struct dos *d);
void dos_tables_update_cds(struct dos *d, int drive);
/* Where the tables are, for 52h, 34h and 65h. */
#define DOS_DATA_LOL 0x0026       /* the list of lists; its first MCB word at -2 */
#define DOS_DATA_INDOS 0x0010     /* the InDOS flag, after the critical error flag */
#define DOS_DATA_DBCS 0x01EE      /* 63h, 65h 07h: an empty DBCS table (length word, then zeros) */
#define DOS_DATA_UPCASE 0x0200    /* 65h 02h: the upper-case table (word 128, then 128 bytes) */
#define DOS_DATA_DEVICES 0x0300   /* CON, AUX, PRN, CLOCK$ device headers */
#define DOS_DATA_SFT 0x0380       /* an empty SFT header */
#define DOS_DATA_CDS 0x0400       /* 26 current directory structures of 88 bytes */
#define DOS_CDS_SIZE 88
#define DOS_DATA_SIZE (DOS_DATA_CDS + DOS_DRIVES * DOS_CDS_SIZE)

#endif
