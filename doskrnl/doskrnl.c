/* doskrnl.c: the DOS kernel's host part as a VDD: its SVCs, and the guest actions a call may need. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dos.h"

/*
 * Every int 21h arrives as SVC DK_SVC_INT21 with the caller's registers and
 * its IRET frame on the caller's stack. Most functions finish in the host:
 * the registers go back, CF and ZF into the frame's FLAGS. A function that
 * needs the guest's BIOS asks for an action instead: the host keeps the call,
 * points the guest at a routine of the resident part (screen output through
 * int 29h, a key through int 16h), and that routine ends with SVC
 * DK_SVC_RESUME. Output is queued and drained after the function; a function
 * that needs a key runs again from the start once the key is buffered, so
 * handlers never hold half-done guest state across an action.
 */

static const struct vdh *vdh;

static int dos_guest_read(void *opaque, uint32_t linear, void *buf, size_t len)
{
	struct dos *d = opaque;
	return vdh->read_guest(d->dev, linear, buf, len);
}

static int dos_guest_write(void *opaque, uint32_t linear, const void *buf, size_t len)
{
	struct dos *d = opaque;
	return vdh->write_guest(d->dev, linear, buf, len);
}

void dos_set_error(struct dos *d, int error)
{
	d->error = (uint16_t)error;
	/* Class, action and locus as MS-DOS reports the common cases. */
	switch (error) {
	case DOS_ENOENT:
	case DOS_ENOPATH:
		d->error_class = 8; /* not found */
		d->error_action = 3; /* user */
		d->error_locus = 2; /* block device */
		break;
	case DOS_EACCES:
	case DOS_ESHARE:
	case DOS_EWRITEPROTECT:
		d->error_class = 3; /* authorization */
		d->error_action = 3;
		d->error_locus = 2;
		break;
	case DOS_EMCB:
	case DOS_ENOMEM:
	case DOS_EBADBLOCK:
		d->error_class = error == DOS_EMCB ? 4 : 1; /* internal : out of resource */
		d->error_action = error == DOS_EMCB ? 5 : 4; /* immediate abort : abort */
		d->error_locus = 5; /* memory */
		break;
	case DOS_EMFILE:
		d->error_class = 1;
		d->error_action = 4;
		d->error_locus = 1; /* unknown */
		break;
	case DOS_EEXIST:
		d->error_class = 12; /* already exists */
		d->error_action = 3;
		d->error_locus = 2;
		break;
	default:
		d->error_class = 7; /* application error */
		d->error_action = 4;
		d->error_locus = 1;
		break;
	}
}

void dos_ok(struct vdh_regs *r)
{
	r->eflags &= ~VDH_FLAG_CF;
}

enum dos_status dos_fail(struct dos *d, struct vdh_regs *r, int error)
{
	dos_set_error(d, error);
	set_reg16(&r->eax, (uint16_t)error);
	r->eflags |= VDH_FLAG_CF;
	return DOS_DONE;
}

bool dos_read_asciz(struct dos *d, uint16_t seg, uint16_t off, char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		uint8_t c;
		/* Offsets wrap within the segment, as the CPU's would. */
		if (dos_mem_read8(&d->mem, dos_linear(seg, (uint16_t)(off + i)), &c))
			return false;
		buf[i] = (char)c;
		if (!c)
			return true;
	}
	return false;
}

bool dos_read_path(struct dos *d, uint16_t seg, uint16_t off, char path[DOS_PATH_MAX])
{
	if (!dos_read_asciz(d, seg, off, path, DOS_PATH_MAX))
		return false;
	vdh->log(d->dev, VDH_LOG_DEBUG, "  path '%s'", path);
	return true;
}

/* The caller's FLAGS in its int 21h frame take CF and ZF of the result. */
static void dos_return_flags(struct dos *d, const struct vdh_regs *r)
{
	uint32_t frame = dos_linear(r->ss, (uint16_t)(r->esp + 4));
	uint16_t flags;
	const uint16_t mask = VDH_FLAG_CF | VDH_FLAG_ZF;

	if (dos_mem_read16(&d->mem, frame, &flags) == 0)
		(void)dos_mem_write16(&d->mem, frame, (uint16_t)((flags & ~mask) |
								 (r->eflags & mask)));
}

/* Points the guest at a routine of the resident part, on its own stack. */
static void dos_start_action(struct dos *d, struct vdh_regs *r, enum dos_action action,
			     uint16_t ip)
{
	d->action = action;
	r->cs = r->ss = r->ds = r->es = DK_RESIDENT_SEGMENT;
	r->eip = ip;
	r->esp = d->stack_top;
	r->eflags = (r->eflags | VDH_FLAG_IF) & ~(VDH_FLAG_DF | VDH_FLAG_TF);
}

/* What comes after a function: the screen queue, then the wait it asked
 * for, or the result. */
static void dos_continue(struct dos *d, struct vdh_regs *r, enum dos_status wait)
{
	if (d->screen_sent < d->screen_len) {
		size_t n = d->screen_len - d->screen_sent;
		if (n > DK_BUFFER_SIZE)
			n = DK_BUFFER_SIZE;
		if (dos_mem_write(&d->mem, dos_linear(DK_RESIDENT_SEGMENT, d->buffer),
				  d->screen + d->screen_sent, n) == 0) {
			*r = d->result;
			dos_start_action(d, r, DOS_ACTION_CON_OUT, d->act_con_out);
			r->esi = d->buffer;
			r->ecx = (uint32_t)n;
			d->screen_sent += n;
			d->pending_wait = wait;
			return;
		}
	}
	d->screen_len = d->screen_sent = 0;
	if (wait == DOS_NEED_KEY || wait == DOS_NEED_POLL) {
		*r = d->call;
		dos_start_action(d, r, wait == DOS_NEED_KEY ? DOS_ACTION_KBD_WAIT : DOS_ACTION_KBD_POLL,
				 wait == DOS_NEED_KEY ? d->act_kbd_wait : d->act_kbd_poll);
		return;
	}
	d->action = DOS_ACTION_NONE;
	*r = d->result;
}

/* A function ended with status; r receives what the guest runs next. */
static void dos_finish(struct dos *d, struct vdh_regs *r, enum dos_status status)
{
	if (status == DOS_DONE)
		dos_return_flags(d, r);
	if (status == DOS_DONE || status == DOS_SWITCHED) {
		d->result = *r;
		d->polled = false;
	}
	dos_continue(d, r, status);
}

/* Runs the call in d->call. */
static void dos_run_call(struct dos *d, struct vdh_regs *r)
{
	*r = d->call;
	dos_finish(d, r, dos_int21_dispatch(d, r));
}

static void svc_int21(void *opaque, struct vdh_regs *r)
{
	struct dos *d = opaque;

	if (d->action != DOS_ACTION_NONE) {
		/* A handler of int 10h, 16h or 29h called DOS while DOS was
		 * waiting on it: DOS is not reentrant either. */
		vdh->log(d->dev, VDH_LOG_WARN, "int 21h AH=%02Xh called from inside DOS; failed",
			 reg_hi(r->eax));
		dos_fail(d, r, DOS_EINVAL_FUNCTION);
		dos_return_flags(d, r);
		return;
	}
	d->call = *r;
	d->polled = false;
	d->flushed = false;
	dos_run_call(d, r);
}

static void svc_resume(void *opaque, struct vdh_regs *r)
{
	struct dos *d = opaque;

	switch (d->action) {
	case DOS_ACTION_CON_OUT:
		dos_continue(d, r, d->pending_wait);
		return;
	case DOS_ACTION_KBD_WAIT:
		dos_key_push(d, reg16(r->eax));
		break;
	case DOS_ACTION_KBD_POLL:
		if (reg16(r->ebx) == 1)
			dos_key_push(d, reg16(r->eax));
		d->polled = true;
		break;
	case DOS_ACTION_NONE:
		vdh->log(d->dev, VDH_LOG_WARN, "resume SVC with no action in progress; ignored");
		return;
	}
	d->action = DOS_ACTION_NONE;
	dos_run_call(d, r);
}

void dos_end_vm(struct dos *d, struct vdh_regs *r, uint8_t status)
{
	r->cs = r->ss = r->ds = DK_RESIDENT_SEGMENT;
	r->eip = d->act_exit;
	r->esp = d->stack_top;
	set_reg_lo(&r->eax, status);
}

/* int 20h: terminate, as 4C00h. */
static void svc_int20(void *opaque, struct vdh_regs *r)
{
	struct dos *d = opaque;
	d->call = *r;
	dos_finish(d, r, dos_terminate(d, r, 0, 0, 0));
}

/* int 27h: terminate and stay resident, DX bytes from the PSP. */
static void svc_int27(void *opaque, struct vdh_regs *r)
{
	struct dos *d = opaque;
	uint16_t paras = (uint16_t)((reg16(r->edx) + 15u) >> 4);
	d->call = *r;
	dos_finish(d, r, dos_terminate(d, r, 0, 3, paras < PSP_PARAS ? PSP_PARAS : paras));
}

/* int 25h/26h: the drives are host directories, there are no sectors to
 * give: "drive not ready", as a network drive answers. */
static void svc_disk(void *opaque, struct vdh_regs *r)
{
	set_reg16(&r->eax, 0x8002);
	r->eflags |= VDH_FLAG_CF;
}

static void svc_boot(void *opaque, struct vdh_regs *r)
{
	struct dos *d = opaque;
	uint16_t hdr[12];

	if (dos_mem_read(&d->mem, dos_linear(DK_RESIDENT_SEGMENT, 0), hdr, sizeof(hdr)) ||
	    hdr[0] != DK_MAGIC || hdr[1] != DK_ABI_VERSION) {
		vdh->log(d->dev, VDH_LOG_ERROR, "the resident part at %04X:0000 is not doskrnl's "
			 "(ABI version %u expected)", DK_RESIDENT_SEGMENT, DK_ABI_VERSION);
		return;
	}
	d->int21_ret = hdr[DK_HDR_INT21_RET / 2];
	d->act_con_out = hdr[DK_HDR_CON_OUT / 2];
	d->act_kbd_wait = hdr[DK_HDR_KBD_WAIT / 2];
	d->act_kbd_poll = hdr[DK_HDR_KBD_POLL / 2];
	d->act_exit = hdr[DK_HDR_EXIT / 2];
	d->buffer = hdr[DK_HDR_BUFFER / 2];
	d->stack_top = hdr[DK_HDR_STACK_TOP / 2];
	d->device_retf = hdr[DK_HDR_DEVICE_RETF / 2];
	d->int22_default = hdr[DK_HDR_INT22 / 2];
	d->data_segment = (uint16_t)(DK_RESIDENT_SEGMENT + ((hdr[DK_HDR_SIZE / 2] + 15u) >> 4));
	d->call = *r;
	if (dos_boot(d, r) < 0)
		dos_end_vm(d, r, 1);
	dos_finish(d, r, DOS_SWITCHED);
}

static int doskrnl_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void doskrnl_terminate(void *instance)
{
	struct dos *d = instance;
	/* However the VM ended, what programs wrote reaches the host files. */
	dos_files_close_all(d);
	for (int i = 0; i < DOS_DRIVES; i++)
		dos_drive_unmap(&d->drives[i]);
	dos_find_table_free(&d->finds);
	free((char *)d->config.program);
	free((char *)d->config.tail);
	free(d->screen);
	free(d);
}

static int parse_version(const char *text, uint8_t *major, uint8_t *minor)
{
	unsigned a, b;
	char end;
	if (sscanf(text, "%u.%u%c", &a, &b, &end) != 2 || a < 2 || a > 9 || b > 99)
		return -EINVAL;
	*major = (uint8_t)a;
	*minor = (uint8_t)b;
	return 0;
}

/* "DIR" or "DIR:ro" */
static int map_drive_prop(struct dos *d, int drive, const char *value)
{
	size_t len = strlen(value);
	bool readonly = len > 3 && strcmp(value + len - 3, ":ro") == 0;
	char *dir = strndup(value, readonly ? len - 3 : len);
	int rc;

	if (!dir)
		return -ENOMEM;
	rc = dos_drive_map(&d->drives[drive], dir, readonly);
	if (rc < 0)
		vdh->log(d->dev, VDH_LOG_ERROR, "drive %c: '%s' is not a directory mvm can use: %s",
			 'A' + drive, dir, strerror(-rc));
	free(dir);
	return rc;
}

static int doskrnl_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	static const uint8_t svcs[] = { DK_SVC_BOOT, DK_SVC_INT21, DK_SVC_INT20, DK_SVC_INT27,
					DK_SVC_DISK, DK_SVC_RESUME };
	static vdh_svc_fn *const handlers[] = { svc_boot, svc_int21, svc_int20, svc_int27,
						svc_disk, svc_resume };
	struct dos *d = calloc(1, sizeof(*d));
	const char *console = vdh->prop_string(props, "console");
	int rc = 0;

	if (!d)
		return -ENOMEM;
	d->dev = dev;
	d->vdh = vdh;
	d->mem = (struct dos_mem){ dos_guest_read, dos_guest_write, d };
	for (unsigned i = 0; i < DOS_SFT_SIZE; i++)
		d->files[i].fd = -1;
	d->config.program = strdup(vdh->prop_string(props, "program"));
	d->config.tail = strdup(vdh->prop_string(props, "args"));
	d->config.console_screen = strcmp(console, "stdio") != 0;
	d->config.console_stdio = strcmp(console, "screen") != 0;
	d->config.stdin_host = vdh->prop_bool(props, "stdin");
	d->switch_char = '/';
	d->ctrl_break = false;
	d->current_drive = 2;
	if (!d->config.program || !d->config.tail)
		rc = -ENOMEM;
	if (rc == 0 && strcmp(console, "screen") && strcmp(console, "stdio") &&
	    strcmp(console, "both")) {
		vdh->log(dev, VDH_LOG_ERROR, "console '%s' is not screen, stdio or both", console);
		rc = -EINVAL;
	}
	if (rc == 0 && parse_version(vdh->prop_string(props, "version"), &d->config.version_major,
				     &d->config.version_minor) < 0) {
		vdh->log(dev, VDH_LOG_ERROR, "version '%s' is not MAJOR.MINOR (2.0 to 9.99)",
			 vdh->prop_string(props, "version"));
		rc = -EINVAL;
	}
	for (int i = 0; i < DOS_DRIVES && rc == 0; i++) {
		char name[2] = { (char)('a' + i), 0 };
		const char *value = vdh->prop_string(props, name);
		if (*value)
			rc = map_drive_prop(d, i, value);
	}
	if (rc == 0 && !d->drives[2].root) {
		vdh->log(dev, VDH_LOG_ERROR, "no drive C: (give c=DIRECTORY)");
		rc = -EINVAL;
	}
	for (size_t i = 0; i < sizeof(svcs) && rc == 0; i++)
		rc = vdh->register_svc(dev, svcs[i], handlers[i], d);
	if (rc < 0) {
		doskrnl_terminate(d);
		return rc;
	}
	*instance = d;
	return 0;
}

#define DRIVE_PROP(letter)                                                                   \
	{ #letter, VDH_PROP_STRING, "", 0, 0,                                                \
	  "drive " #letter ": over a host directory (DIR, or DIR:ro for read-only)" }

static const struct vdh_prop_spec doskrnl_props[] = {
	{ "program", VDH_PROP_STRING, "", 0, 0,
	  "the program to run: a host path inside a drive, or a DOS path" },
	{ "args", VDH_PROP_STRING, "", 0, 0, "its command tail" },
	{ "console", VDH_PROP_STRING, "screen", 0, 0,
	  "where DOS output goes: screen (int 29h), stdio (the host's stdout/stderr), both" },
	{ "stdin", VDH_PROP_BOOL, "false", 0, 0,
	  "keyboard input comes from the host's stdin instead of the keyboard" },
	{ "version", VDH_PROP_STRING, "5.0", 0, 0, "the DOS version function 30h reports" },
	DRIVE_PROP(a), DRIVE_PROP(b), DRIVE_PROP(c), DRIVE_PROP(d), DRIVE_PROP(e),
	DRIVE_PROP(f), DRIVE_PROP(g), DRIVE_PROP(h), DRIVE_PROP(i), DRIVE_PROP(j),
	DRIVE_PROP(k), DRIVE_PROP(l), DRIVE_PROP(m), DRIVE_PROP(n), DRIVE_PROP(o),
	DRIVE_PROP(p), DRIVE_PROP(q), DRIVE_PROP(r), DRIVE_PROP(s), DRIVE_PROP(t),
	DRIVE_PROP(u), DRIVE_PROP(v), DRIVE_PROP(w), DRIVE_PROP(x), DRIVE_PROP(y),
	DRIVE_PROP(z),
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "doskrnl",
	.description = "the DOS kernel: int 20h-2Fh served from the host, drives over host directories",
	.props = doskrnl_props,
	.init = doskrnl_init,
	.create = doskrnl_create,
	.terminate = doskrnl_terminate,
};
