/* vt.c: the Linux virtual terminal under a DRM display: graphics mode while vman shows the guest there, and switches to other VTs that hand the display over (VT_PROCESS). */
#include <errno.h>
#include <linux/kd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vt.h"

/*
 * A VT in VT_PROCESS mode asks its owner before the kernel switches away:
 * release_signal comes, the owner drops DRM master (so that the console or
 * another compositor can set its own mode) and answers VT_RELDISP 1. On the
 * way back, acquire_signal comes and VT_RELDISP VT_ACKACQ answers it; the
 * owner then takes master again and shows its picture. This is how X and
 * weston-launch share a console without logind.
 */

#define TTY_MAJOR 4

int service_vt_open(struct service_vt *vt, int fd, int release_signal, int acquire_signal)
{
	struct vt_mode mode = {
		.mode = VT_PROCESS,
		.relsig = (short)release_signal,
		.acqsig = (short)acquire_signal,
	};
	struct stat st;

	vt->fd = -1;
	/* VTs are tty1..tty63: major 4, minor 1..63 (64 and up are serial ports). */
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != TTY_MAJOR ||
	    minor(st.st_rdev) < 1 || minor(st.st_rdev) > 63)
		return -ENOTTY;
	if (ioctl(fd, KDGETMODE, &vt->saved_kd_mode) < 0 ||
	    ioctl(fd, VT_GETMODE, &vt->saved_mode) < 0)
		return -errno;
	if (ioctl(fd, VT_SETMODE, &mode) < 0)
		return -errno;
	if (ioctl(fd, KDSETMODE, KD_GRAPHICS) < 0) {
		int rc = -errno;

		ioctl(fd, VT_SETMODE, &vt->saved_mode);
		return rc;
	}
	vt->fd = fd;
	vt->number = (int)minor(st.st_rdev);
	return 0;
}

void service_vt_release(struct service_vt *vt)
{
	if (vt->fd >= 0)
		ioctl(vt->fd, VT_RELDISP, 1);
}

void service_vt_acquire(struct service_vt *vt)
{
	if (vt->fd >= 0)
		ioctl(vt->fd, VT_RELDISP, VT_ACKACQ);
}

void service_vt_close(struct service_vt *vt)
{
	if (vt->fd < 0)
		return;
	ioctl(vt->fd, KDSETMODE, vt->saved_kd_mode);
	ioctl(vt->fd, VT_SETMODE, &vt->saved_mode);
	vt->fd = -1;
}
