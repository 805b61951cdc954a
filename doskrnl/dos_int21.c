/* dos_int21.c: int 21h's function table: which part of the kernel serves each AH. */
#include "dos.h"

typedef enum dos_status dos_fn(struct dos *d, struct vdh_regs *r);

/* Functions DOS 5 has that need no work here: disk reset (0Dh; every
 * write already reached the host) and record locks (5Ch; one VM, one user). */
static enum dos_status fn_nothing(struct dos *d, struct vdh_regs *r)
{
	dos_ok(r);
	return DOS_DONE;
}

/* Functions that report failure in AL only (CP/M style): FFh. */
static enum dos_status fn_unsupported_al(struct dos *d, struct vdh_regs *r)
{
	dos_set_error(d, DOS_EINVAL_FUNCTION);
	set_reg_lo(&r->eax, 0xFF);
	return DOS_DONE;
}

static dos_fn *const functions[0x100] = {
	[0x00] = dos_fn_process,
	[0x01 ... 0x0C] = dos_fn_char_io,
	[0x0D] = fn_nothing,
	[0x0E] = dos_fn_dirs,
	[0x0F ... 0x17] = dos_fn_fcb,
	[0x18] = fn_unsupported_al,
	[0x19] = dos_fn_dirs,
	[0x1A] = dos_fn_process,
	[0x1B ... 0x1C] = fn_unsupported_al,
	[0x1D ... 0x1E] = fn_unsupported_al,
	[0x1F] = fn_unsupported_al,
	[0x20] = fn_unsupported_al,
	[0x21 ... 0x24] = dos_fn_fcb,
	[0x25] = dos_fn_misc,
	[0x26] = dos_fn_process,
	[0x27 ... 0x29] = dos_fn_fcb,
	[0x2A ... 0x2E] = dos_fn_misc,
	[0x2F] = dos_fn_process,
	[0x30] = dos_fn_misc,
	[0x31] = dos_fn_process,
	[0x32] = fn_unsupported_al,
	[0x33 ... 0x35] = dos_fn_misc,
	[0x36] = dos_fn_dirs,
	[0x37 ... 0x38] = dos_fn_misc,
	[0x39 ... 0x3B] = dos_fn_dirs,
	[0x3C ... 0x46] = dos_fn_handles,
	[0x47] = dos_fn_dirs,
	[0x48 ... 0x4D] = dos_fn_process,
	[0x4E ... 0x4F] = dos_fn_dirs,
	[0x50 ... 0x52] = dos_fn_process,
	[0x54] = dos_fn_misc,
	[0x56] = dos_fn_dirs,
	[0x57] = dos_fn_handles,
	[0x58] = dos_fn_process,
	[0x59] = dos_fn_misc,
	[0x5A ... 0x5B] = dos_fn_handles,
	[0x5C] = fn_nothing,
	[0x60] = dos_fn_dirs,
	[0x62] = dos_fn_process,
	[0x63] = dos_fn_misc,
	[0x65 ... 0x66] = dos_fn_misc,
	[0x67 ... 0x68] = dos_fn_handles,
	[0x6A] = dos_fn_handles,
	[0x6C] = dos_fn_handles,
};

enum dos_status dos_int21_dispatch(struct dos *d, struct vdh_regs *r)
{
	dos_fn *fn = functions[reg_hi(r->eax)];

	d->vdh->log(d->dev, VDH_LOG_DEBUG, "int 21h AX=%04X BX=%04X CX=%04X DX=%04X DS=%04X ES=%04X "
		    "PSP=%04X SP=%04X", reg16(r->eax), reg16(r->ebx), reg16(r->ecx), reg16(r->edx),
		    r->ds, r->es, d->psp, reg16(r->esp));
	if (!fn) {
		/* What DOS 5 does for a function it does not have. */
		set_reg_lo(&r->eax, 0);
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	return fn(d, r);
}
