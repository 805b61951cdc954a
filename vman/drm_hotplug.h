/* drm_hotplug.h: the kernel's uevents about a DRM card, read from a netlink socket (no udev needed): they say when its connectors may have changed. Private to vman/. */
#ifndef MVM_VMAN_DRM_HOTPLUG_H
#define MVM_VMAN_DRM_HOTPLUG_H

#include <sys/types.h>

/* A non-blocking socket that receives the kernel's uevents, or -errno. */
int vman_drm_hotplug_open(void);

/* Reads every uevent waiting on the socket: 1 when one of them is a
 * "change" of the card whose device number is card (the kernel sends one,
 * with HOTPLUG=1, when a connector is plugged or unplugged), 0 when none
 * is, -errno when the socket fails. Messages that are not the kernel's
 * (another process may send on the group) are ignored. */
int vman_drm_hotplug_read(int sock, dev_t card);

#endif
