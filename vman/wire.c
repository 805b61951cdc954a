/* wire.c: framing of the vman service's messages (both ends), and the memfds they share. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "wire.h"

int vman_wire_send_packet(int sock, const struct iovec *iov, size_t count, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = (struct iovec *)iov, .msg_iovlen = count };

	if (fd >= 0) {
		struct cmsghdr *cmsg;

		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	for (;;) {
		ssize_t n = sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n >= 0)
			return 0; /* a SOCK_SEQPACKET packet goes whole or not at all */
		if (errno == EINTR)
			continue;
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
}

int vman_wire_send2(int sock, uint32_t type, const void *part1, size_t length1,
		    const void *part2, size_t length2, int fd)
{
	struct vman_wire_header header = { .type = type, .length = (uint32_t)(length1 + length2) };
	const struct iovec iov[3] = {
		{ .iov_base = &header, .iov_len = sizeof(header) },
		{ .iov_base = (void *)part1, .iov_len = length1 },
		{ .iov_base = (void *)part2, .iov_len = length2 },
	};

	if (length1 + length2 > VMAN_WIRE_PAYLOAD_MAX)
		return -EMSGSIZE;
	return vman_wire_send_packet(sock, iov, 3, fd);
}

int vman_wire_send(int sock, uint32_t type, const void *payload, size_t length, int fd)
{
	return vman_wire_send2(sock, type, payload, length, NULL, 0, fd);
}

/* Closes every descriptor a control message carried; returns how many. */
static int close_received_fds(struct msghdr *msg, int *first)
{
	int count = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (count++ == 0 && first)
				*first = fd;
			else
				close(fd);
		}
	}
	return count;
}

int vman_wire_reply_of(const struct vman_wire_msg *msg, struct vman_wire_reply *reply)
{
	if (msg->type != VMAN_WIRE_REPLY || msg->length != sizeof(*reply))
		return -EPROTO;
	memcpy(reply, msg->payload, sizeof(*reply));
	return 0;
}

int vman_wire_recv(int sock, struct vman_wire_msg *msg)
{
	struct vman_wire_header header;
	struct iovec iov[2] = {
		{ .iov_base = &header, .iov_len = sizeof(header) },
		{ .iov_base = msg->payload, .iov_len = sizeof(msg->payload) },
	};
	/* Room for a few descriptors, so that extra ones are seen and closed. */
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr m = {
		.msg_iov = iov, .msg_iovlen = 2,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	ssize_t n;
	int fd = -1, fds;

	do
		n = recvmsg(sock, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n == 0)
		return -EPIPE;
	fds = close_received_fds(&m, &fd);
	if (fds > 1 || (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (size_t)n < sizeof(header) || header.length != (size_t)n - sizeof(header)) {
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	msg->type = header.type;
	msg->length = header.length;
	msg->fd = fd;
	return 0;
}

int vman_wire_memfd(const char *name, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int rc;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int vman_wire_map(int fd, size_t min, size_t max, const void **out, size_t *size)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);
	size_t length;
	void *p;

	if (seals < 0 || !(seals & F_SEAL_SHRINK))
		return -EPERM; /* not a memfd, or one that could shrink under us */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (min == 0 || st.st_size < 0 || (unsigned long long)st.st_size < min)
		return -EINVAL;
	length = (unsigned long long)st.st_size < max ? (size_t)st.st_size : max;
	p = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*out = p;
	*size = length;
	return 0;
}

int vman_wire_socket_path(char *out, size_t out_size)
{
	const char *given = getenv("MVM_VMAN_SOCKET");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un addr;
	int n;

	if (given && *given)
		n = snprintf(out, out_size, "%s", given);
	else if (runtime && *runtime)
		n = snprintf(out, out_size, "%s/mvm-vman.sock", runtime);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= out_size || (size_t)n >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int vman_wire_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int sock, rc;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		rc = -errno;
		close(sock);
		return rc;
	}
	return sock;
}

int vman_wire_wait(int sock, short events, int timeout_ms)
{
	struct pollfd p = { .fd = sock, .events = events };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}
