/* fuzz_vman_service.c: libFuzzer target: a VM connected to the vman service that sends any
 * packets, with or without a memfd, with or without a HELLO first. The service answers or
 * drops the connection, never crashes, and keeps no connection once the peer has gone. */
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "service.h"
#include "vman.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MEMFD_MAX (4u << 20) /* above any screen or heap the service takes */
#define FUZZ_PACKETS_MAX 64

static struct vman *vman;
static struct service *service;

/* One vman for the whole run, as the service has: each input is a new
 * connection to it, so state one VM left behind meets the next. */
static void service_start(void)
{
	struct vman_options options = {.renderer = VMAN_RENDERER_PIXMAN,
				       .presenter = VMAN_PRESENTER_HEADLESS};

	vman = vman_create(&options);
	service = vman ? service_create(vman) : NULL;
	if (!service)
		abort();
}

/* What the service has to say, read and dropped so that its queue moves. */
static void peer_drain(int sock)
{
	static unsigned char scratch[sizeof(struct vman_wire_header) + VMAN_WIRE_PAYLOAD_MAX];

	while (recv(sock, scratch, sizeof(scratch), MSG_DONTWAIT) > 0)
		;
}

static void service_turn(int peer)
{
	struct pollfd fds[4];
	size_t count = service_poll_fds(service, fds, 4);

	if (poll(fds, count, 0) < 0)
		abort();
	service_dispatch(service, fds, count);
	peer_drain(peer);
}

/* A memfd of the size the input asks (capped), its first bytes from the input. */
static int memfd_from(struct input *in)
{
	uint32_t size = take(in, 3) % (FUZZ_MEMFD_MAX + 1);
	size_t fill = in->size < size ? in->size : size;
	int fd = vman_wire_memfd("fuzz", size);
	void *map;

	if (fd < 0 || fill == 0)
		return fd;
	map = mmap(NULL, fill, PROT_WRITE, MAP_SHARED, fd, 0);
	if (map != MAP_FAILED) {
		memcpy(map, in->data, fill);
		munmap(map, fill);
	}
	in->data += fill;
	in->size -= fill;
	return fd;
}

/* One packet as the kernel delivers it to the service: a header the input
 * shapes or raw bytes, and at most one descriptor. A SCREENSHOT would
 * write a file wherever the input says: it becomes a FRAME. */
static void packet_send(int sock, struct input *in)
{
	static unsigned char packet[sizeof(struct vman_wire_header) + VMAN_WIRE_PAYLOAD_MAX + 16];
	uint8_t kind = (uint8_t)take(in, 1);
	size_t length = take(in, 3) % (sizeof(packet) - sizeof(struct vman_wire_header) + 1);
	size_t at = 0, body;
	struct iovec iov;
	int fd = -1;
	uint32_t type;

	if (!(kind & 0x08)) {
		struct vman_wire_header header = {.type = 1u + kind % 7u, .length = (uint32_t)length};

		memcpy(packet, &header, sizeof(header));
		at = sizeof(header);
	}
	body = in->size < length ? in->size : length;
	memcpy(packet + at, in->data, body);
	in->data += body;
	in->size -= body;
	at += body;
	if (at >= sizeof(type)) {
		memcpy(&type, packet, sizeof(type));
		if (type == VMAN_WIRE_SCREENSHOT) {
			type = VMAN_WIRE_FRAME;
			memcpy(packet, &type, sizeof(type));
		}
	}
	if (kind & 0x10)
		fd = memfd_from(in);
	iov = (struct iovec){packet, at};
	/* A full socket drops the packet: the service reads between sends. */
	(void)vman_wire_send_packet(sock, &iov, 1, fd);
	if (fd >= 0)
		close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	int pair[2];

	if (!service)
		service_start();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) < 0)
		abort();
	service_accept(service, pair[0]);
	/* Most requests need a HELLO first; the input decides whether it comes. */
	if (take(&in, 1) & 1) {
		struct vman_wire_hello hello = {.version = VMAN_WIRE_VERSION, .name = "FUZZ.COM"};

		if (vman_wire_send(pair[1], VMAN_WIRE_HELLO, &hello, sizeof(hello), -1) < 0)
			abort();
	}
	for (unsigned i = 0; i < FUZZ_PACKETS_MAX && in.size; i++) {
		packet_send(pair[1], &in);
		service_turn(pair[1]);
	}
	close(pair[1]);
	/* The service sees the close at its next read at the latest. */
	for (unsigned i = 0; i < 4 && service_connections(service); i++)
		service_turn(-1);
	if (service_connections(service) != 0)
		abort();
	return 0;
}
