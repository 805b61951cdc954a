/* wire.h: the vman service's protocol: messages between a VM (mvm) and the service over a UNIX socket. */
#ifndef MVM_VMAN_WIRE_H
#define MVM_VMAN_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/*
 * The socket is SOCK_SEQPACKET: one packet is one message, a struct
 * vman_wire_header and length bytes of payload (host byte order: both ends
 * run on one machine), with at most one file descriptor (SCM_RIGHTS).
 *
 * A VM's requests are synchronous: each gets one VMAN_WIRE_REPLY, in order.
 * Events (VMAN_WIRE_EVENT) come in between, whenever the service has one
 * for that VM: during a request (a FRAME's PRESENTED events come before its
 * reply) or at any other time (FOREGROUND when another VM leaves or is
 * brought forward). Pixels and the guest's heap never travel in packets:
 * they sit in memfds the VM sends, which the service maps read-only. A
 * memfd must be sealed against shrinking (F_SEAL_SHRINK), so that the
 * client cannot pull pages from under the service's mapping.
 *
 * The service trusts nothing it reads: a packet of the wrong size, an
 * unknown type, a descriptor where none belongs or none where one must be,
 * a memfd smaller than it is said to be: the service drops that client.
 */

#define VMAN_WIRE_VERSION 1u

/* A GHI body is at most a VVMI record's (a 16-bit length) less its header. */
#define VMAN_WIRE_PAYLOAD_MAX (4u + 65536u)
#define VMAN_WIRE_NAME_MAX 64u     /* a VM's name, NUL included */
#define VMAN_WIRE_PATH_MAX 4096u   /* a screenshot's path, no NUL */
#define VMAN_WIRE_EVENT_MAX 256u   /* an event's body */

enum vman_wire_type {
	/* Requests (VM to service). */
	VMAN_WIRE_HELLO = 1,       /* struct vman_wire_hello; first, once */
	VMAN_WIRE_SHARE_HEAP = 2,  /* struct vman_wire_share_heap + the heap's memfd (not for size 0) */
	VMAN_WIRE_SCREEN = 3,      /* struct vman_wire_screen [+ a new pixel memfd] */
	VMAN_WIRE_GHI = 4,         /* struct vman_wire_ghi + the command's body */
	VMAN_WIRE_FRAME = 5,       /* nothing: compose and present a frame */
	VMAN_WIRE_SCREENSHOT = 6,  /* an absolute path: the service writes the last frame there */
	VMAN_WIRE_FOREGROUND = 7,  /* a VM's name: bring it forward (any connection may ask) */
	/* Service to VM. */
	VMAN_WIRE_REPLY = 0x100,   /* struct vman_wire_reply */
	VMAN_WIRE_EVENT = 0x101,   /* struct vman_wire_event + its body */
};

struct vman_wire_header {
	uint32_t type;   /* enum vman_wire_type */
	uint32_t length; /* of the payload that follows */
};

struct vman_wire_hello {
	uint32_t version;               /* VMAN_WIRE_VERSION */
	char name[VMAN_WIRE_NAME_MAX];  /* NUL-terminated */
};

/* size 0: the VM no longer shares a heap. */
struct vman_wire_share_heap {
	uint32_t size;        /* bytes of the memfd mapped, from offset 0 */
	uint32_t heap_start;  /* the first byte commands may read */
};

/* The screen's pixels (XRGB8888) at offset 0 of the last pixel memfd the VM
 * sent; a memfd with this message replaces it. */
struct vman_wire_screen {
	uint32_t width, height;
	uint32_t stride; /* bytes, a multiple of 4 */
};

struct vman_wire_ghi {
	uint16_t opcode;
	uint16_t reserved;
};

/* status: 0, a positive enum vvmi_error_code (GHI), or -errno. */
struct vman_wire_reply {
	uint32_t request; /* the type it answers */
	int32_t status;
};

struct vman_wire_event {
	uint32_t type; /* enum vvmi_event_type or VMAN_EVENT_FOREGROUND */
};

/* Sends one message (with fd when fd >= 0) without blocking and without
 * SIGPIPE. 0, -EAGAIN (the socket is full: nothing was sent), or -errno. */
int vman_wire_send(int sock, uint32_t type, const void *payload, size_t length, int fd);

/* The same, gathered from two parts (a fixed struct and its data). */
int vman_wire_send2(int sock, uint32_t type, const void *part1, size_t length1,
		    const void *part2, size_t length2, int fd);

/* One packet gathered from count pieces as they are, no header added (the
 * fuzzer sends malformed ones with it), with fd when fd >= 0; as
 * vman_wire_send otherwise. */
int vman_wire_send_packet(int sock, const struct iovec *iov, size_t count, int fd);

/* One received message: its payload and the descriptor that came with it. */
struct vman_wire_msg {
	uint32_t type;
	uint32_t length;
	int fd; /* -1 when none came */
	unsigned char payload[VMAN_WIRE_PAYLOAD_MAX];
};

/* Receives one message without blocking. 0, -EAGAIN (nothing waiting),
 * -EPIPE (the peer closed), -EPROTO (a packet cut short, too long, with a
 * header that does not match its size, or with more than one descriptor:
 * any descriptors are closed) or -errno. */
int vman_wire_recv(int sock, struct vman_wire_msg *msg);

/* The message as a VMAN_WIRE_REPLY, copied to *reply: 0, or -EPROTO when it
 * is another type or not exactly a reply's size. */
int vman_wire_reply_of(const struct vman_wire_msg *msg, struct vman_wire_reply *reply);

/* A memfd of size bytes sealed against shrinking, or -errno. */
int vman_wire_memfd(const char *name, size_t size);

/* Maps a VM's memfd read-only after checking that it is sealed against
 * shrinking and holds at least min bytes: its first min(its size, max)
 * bytes, that many in *size. 0, -EPERM (not a sealed memfd), -EINVAL (too
 * small) or -errno. */
int vman_wire_map(int fd, size_t min, size_t max, const void **out, size_t *size);

/* Where the service listens unless told: $MVM_VMAN_SOCKET, else
 * $XDG_RUNTIME_DIR/mvm-vman.sock. 0, -ENOENT (neither is set) or
 * -ENAMETOOLONG (more than a socket address holds). */
int vman_wire_socket_path(char *out, size_t out_size);

/* A SOCK_SEQPACKET connection to the service at path, blocking, close-on-
 * exec: its descriptor, or -errno (-ENOENT, -ECONNREFUSED: nobody listens). */
int vman_wire_connect(const char *path);

/* Waits up to timeout_ms for events (POLLIN, POLLOUT) on the socket: 0
 * (they came, or the socket hung up), -ETIMEDOUT or -errno. */
int vman_wire_wait(int sock, short events, int timeout_ms);

#endif
