/* vt.h: the Linux virtual terminal under a DRM display: graphics mode while vman shows the guest there, and switches to other VTs that hand the display over (VT_PROCESS). */
#ifndef MVM_VMAN_SERVICE_VT_H
#define MVM_VMAN_SERVICE_VT_H

#include <linux/vt.h>

struct service_vt {
	int fd;              /* the VT, or -1 */
	int number;          /* 1 for /dev/tty1 */
	int saved_kd_mode;   /* KD_TEXT as a rule */
	struct vt_mode saved_mode;
};

/* Takes the VT on fd (the service's stdin, say) when it is one: graphics
 * mode (the console stops drawing), and a switch away or back sends
 * release_signal or acquire_signal, which the caller answers with
 * service_vt_release or service_vt_acquire. 0, or -ENOTTY when fd is no VT
 * (nothing was changed), or -errno. */
int service_vt_open(struct service_vt *vt, int fd, int release_signal, int acquire_signal);

/* The display was let go: the kernel may switch away now. */
void service_vt_release(struct service_vt *vt);

/* The switch back is acknowledged. */
void service_vt_acquire(struct service_vt *vt);

/* Puts back the VT's text mode and its automatic switching. */
void service_vt_close(struct service_vt *vt);

#endif
