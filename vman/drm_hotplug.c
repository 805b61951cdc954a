/* drm_hotplug.c: the kernel's uevents about a DRM card, read from a netlink socket (no udev needed): they say when its connectors may have changed. */
#include <errno.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "drm_hotplug.h"

/*
 * The kernel multicasts each uevent on group 1 of NETLINK_KOBJECT_UEVENT as
 * "ACTION@DEVPATH" and then "KEY=VALUE" strings, each NUL-terminated. A
 * card's hotplug is ACTION=change, SUBSYSTEM=drm, HOTPLUG=1 with the card's
 * MAJOR and MINOR. Any change of the card counts, HOTPLUG=1 or not: the
 * cost of a needless look at the connectors is small, and a change written
 * to the card's sysfs uevent file (which carries no HOTPLUG) then works as
 * a hotplug too.
 */

#define UEVENT_GROUP_KERNEL 1u
#define UEVENT_SIZE_MAX 8192

int vman_drm_hotplug_open(void)
{
	struct sockaddr_nl address = {.nl_family = AF_NETLINK, .nl_groups = UEVENT_GROUP_KERNEL};
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  NETLINK_KOBJECT_UEVENT);

	if (sock < 0)
		return -errno;
	if (bind(sock, (struct sockaddr *)&address, sizeof(address)) < 0) {
		int rc = -errno;

		close(sock);
		return rc;
	}
	return sock;
}

/* The value of KEY in the message's KEY=VALUE strings, or NULL. */
static const char *uevent_value(const char *message, size_t length, const char *key)
{
	size_t key_length = strlen(key);

	for (size_t at = strnlen(message, length) + 1; at < length;
	     at += strnlen(message + at, length - at) + 1) {
		const char *field = message + at;

		if (strncmp(field, key, key_length) == 0 && field[key_length] == '=')
			return field + key_length + 1;
	}
	return NULL;
}

/* A decimal device number field equal to want. */
static bool uevent_number_is(const char *value, unsigned want)
{
	char *end;
	unsigned long number;

	if (!value || *value < '0' || *value > '9')
		return false;
	number = strtoul(value, &end, 10);
	return *end == '\0' && number == want;
}

static bool uevent_is_card_change(const char *message, size_t length, dev_t card)
{
	const char *action = uevent_value(message, length, "ACTION");
	const char *subsystem = uevent_value(message, length, "SUBSYSTEM");

	return action && strcmp(action, "change") == 0 && subsystem &&
	       strcmp(subsystem, "drm") == 0 &&
	       uevent_number_is(uevent_value(message, length, "MAJOR"), major(card)) &&
	       uevent_number_is(uevent_value(message, length, "MINOR"), minor(card));
}

int vman_drm_hotplug_read(int sock, dev_t card)
{
	char message[UEVENT_SIZE_MAX + 1];
	int found = 0;

	for (;;) {
		struct sockaddr_nl sender;
		struct iovec iov = {.iov_base = message, .iov_len = UEVENT_SIZE_MAX};
		struct msghdr header = {
			.msg_name = &sender, .msg_namelen = sizeof(sender),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t length = recvmsg(sock, &header, MSG_DONTWAIT);

		if (length < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return found;
			/* Uevents were lost: one of them may have been the card's. */
			if (errno == ENOBUFS)
				found = 1;
			else if (errno != EINTR)
				return -errno;
			continue;
		}
		/* Only the kernel (port 0) speaks for the card. */
		if (header.msg_namelen != sizeof(sender) || sender.nl_pid != 0 ||
		    (header.msg_flags & MSG_TRUNC))
			continue;
		message[length] = '\0';
		if (uevent_is_card_change(message, (size_t)length, card))
			found = 1;
	}
}
