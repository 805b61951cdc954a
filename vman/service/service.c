/* service.c: the vman service's connections: each VM's requests run against libvman, its events queue for it. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "service.h"
#include "vman.h"
#include "wire.h"

/*
 * A connection is untrusted: whatever it sends is checked, a protocol
 * violation closes it, and nothing it does (or fails to do) blocks the
 * others. Its sockets are non-blocking; what it has not read yet waits in
 * its queue, which is bounded: a VM that stops reading is closed.
 */

/* Messages served from one connection before the others get a turn. */
#define SERVICE_BATCH 64u
/* What may wait for a connection that does not read. */
#define SERVICE_QUEUE_BYTES (1u << 20)
/* A heap is a VVMI region (64 KiB); leave room, but bound the mapping. */
#define SERVICE_HEAP_MAX (16u << 20)
#define SERVICE_SCREEN_BYTES_MAX \
	((size_t)VVMI_SURFACE_WIDTH_MAX * VVMI_SURFACE_HEIGHT_MAX * 4u)

struct packet {
	struct packet *next;
	size_t length;
	unsigned char data[];
};

struct connection {
	struct connection *next;
	struct service *service;
	int sock;
	unsigned id;                /* for log lines */
	struct vman_client *client; /* after HELLO */
	char name[VMAN_WIRE_NAME_MAX];
	const void *heap_map;       /* the VM's heap memfd, read-only */
	size_t heap_map_size;
	struct vman_heap heap;
	const void *screen_map;     /* the VM's screen pixels memfd, read-only */
	size_t screen_map_size;
	struct packet *queue, **queue_tail;
	size_t queued_bytes;        /* the queue's packets, their headers counted */
	bool foreground;            /* as libvman last told it */
	unsigned background_screens; /* SCREENs it sent in the background (its VDDs
					should send none: a log line says) */
	const char *drop;           /* why it is to be closed; NULL while it is fine */
	int drop_errno;
};

struct service {
	struct vman *vman;
	struct connection *connections;
	unsigned next_id;
	struct vman_wire_msg msg; /* the message being served (64 KiB: not on the stack) */
};

void service_log(const char *fmt, ...)
{
	va_list ap;

	fputs("vman: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct service *service_create(struct vman *vman)
{
	struct service *service = calloc(1, sizeof(*service));

	if (service)
		service->vman = vman;
	return service;
}

size_t service_connections(const struct service *service)
{
	size_t n = 0;

	for (const struct connection *c = service->connections; c; c = c->next)
		n++;
	return n;
}

/* Marks a connection to be closed once the current work is done (an event
 * callback may not destroy a libvman client). The first reason stays. */
static void connection_drop(struct connection *c, const char *why, int err)
{
	if (!c->drop) {
		c->drop = why;
		c->drop_errno = err;
	}
}

static void connection_queue(struct connection *c, uint32_t type, const void *part1,
			     size_t length1, const void *part2, size_t length2)
{
	struct vman_wire_header header = { type, (uint32_t)(length1 + length2) };
	size_t length = sizeof(header) + length1 + length2;
	struct packet *p;

	if (c->drop)
		return;
	if (c->queued_bytes + sizeof(*p) + length > SERVICE_QUEUE_BYTES) {
		connection_drop(c, "it does not read what the service sends", 0);
		return;
	}
	p = malloc(sizeof(*p) + length);
	if (!p) {
		connection_drop(c, "out of memory", ENOMEM);
		return;
	}
	p->next = NULL;
	p->length = length;
	memcpy(p->data, &header, sizeof(header));
	if (length1)
		memcpy(p->data + sizeof(header), part1, length1);
	if (length2)
		memcpy(p->data + sizeof(header) + length1, part2, length2);
	*c->queue_tail = p;
	c->queue_tail = &p->next;
	c->queued_bytes += sizeof(*p) + length;
}

/* Sends what is queued until the socket is full. */
static void connection_flush(struct connection *c)
{
	while (c->queue && !c->drop) {
		struct packet *p = c->queue;
		ssize_t n = send(c->sock, p->data, p->length, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				connection_drop(c, "cannot send to it", errno);
			return;
		}
		c->queue = p->next;
		if (!c->queue)
			c->queue_tail = &c->queue;
		c->queued_bytes -= sizeof(*p) + p->length;
		free(p);
	}
}

static void connection_reply(struct connection *c, uint32_t request, int status)
{
	struct vman_wire_reply reply = { .request = request, .status = status };

	connection_queue(c, VMAN_WIRE_REPLY, &reply, sizeof(reply), NULL, 0);
}

/* libvman's events for this connection's VM. */
static void connection_event(void *opaque, enum vvmi_event_type type, const void *body,
			     size_t len)
{
	struct connection *c = opaque;
	struct vman_wire_event event = { .type = (uint32_t)type };

	if (len > VMAN_WIRE_EVENT_MAX)
		return;
	if (type == (enum vvmi_event_type)VMAN_EVENT_FOREGROUND &&
	    len == sizeof(struct vman_event_foreground))
		c->foreground = ((const struct vman_event_foreground *)body)->value != 0;
	connection_queue(c, VMAN_WIRE_EVENT, &event, sizeof(event), body, len);
}

void service_accept(struct service *service, int sock)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct connection *c;

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		service_log("refused a connection: cannot learn its user: %s", strerror(errno));
		close(sock);
		return;
	}
	if (cred.uid != getuid()) {
		service_log("refused a connection from uid %u (pid %d): only uid %u may connect",
			    (unsigned)cred.uid, (int)cred.pid, (unsigned)getuid());
		close(sock);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		service_log("refused a connection: out of memory");
		close(sock);
		return;
	}
	c->service = service;
	c->sock = sock;
	c->id = ++service->next_id;
	c->queue_tail = &c->queue;
	c->next = service->connections;
	service->connections = c;
}

static void connection_unmap_heap(struct connection *c)
{
	if (c->heap_map)
		munmap((void *)c->heap_map, c->heap_map_size);
	c->heap_map = NULL;
	c->heap_map_size = 0;
}

static void connection_destroy(struct connection *c)
{
	bool closed = c->drop_errno == EPIPE; /* it hung up, as a VM does at its end */

	if (c->client && closed)
		service_log("%s (connection %u) left", c->name, c->id);
	else if (c->client)
		service_log("%s (connection %u) was closed: %s%s%s", c->name, c->id, c->drop,
			    c->drop_errno ? ": " : "", c->drop_errno ? strerror(c->drop_errno) : "");
	else if (c->drop && !closed)
		service_log("connection %u closed: %s%s%s", c->id, c->drop,
			    c->drop_errno ? ": " : "", c->drop_errno ? strerror(c->drop_errno) : "");
	vman_client_destroy(c->client);
	connection_unmap_heap(c);
	if (c->screen_map)
		munmap((void *)c->screen_map, c->screen_map_size);
	while (c->queue) {
		struct packet *p = c->queue;

		c->queue = p->next;
		free(p);
	}
	close(c->sock);
	free(c);
}

void service_destroy(struct service *service)
{
	if (!service)
		return;
	while (service->connections) {
		struct connection *c = service->connections;

		service->connections = c->next;
		connection_drop(c, "the service stops", 0);
		connection_destroy(c);
	}
	free(service);
}

/* The connection's VM, found by name. */
static struct connection *service_find(struct service *service, const char *name)
{
	for (struct connection *c = service->connections; c; c = c->next)
		if (c->client && !c->drop && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void serve_hello(struct connection *c, const struct vman_wire_msg *m)
{
	struct vman_wire_hello hello;

	if (c->client || m->length != sizeof(hello)) {
		connection_drop(c, c->client ? "a second HELLO" : "a HELLO of the wrong size", 0);
		return;
	}
	memcpy(&hello, m->payload, sizeof(hello));
	if (hello.version != VMAN_WIRE_VERSION) {
		connection_reply(c, VMAN_WIRE_HELLO, -EPROTONOSUPPORT);
		return;
	}
	hello.name[sizeof(hello.name) - 1] = '\0';
	/* The name goes into log lines and titles: printable ASCII only. */
	for (char *p = hello.name; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	memcpy(c->name, hello.name, sizeof(c->name));
	c->client = vman_client_create(c->service->vman, c->name, connection_event, c);
	if (!c->client) {
		connection_reply(c, VMAN_WIRE_HELLO, -ENOMEM);
		return;
	}
	service_log("%s (connection %u) joined", c->name, c->id);
	connection_reply(c, VMAN_WIRE_HELLO, 0);
}

static void serve_share_heap(struct connection *c, const struct vman_wire_msg *m)
{
	struct vman_wire_share_heap share;
	int rc;

	if (m->length != sizeof(share)) {
		connection_drop(c, "a SHARE_HEAP of the wrong size", 0);
		return;
	}
	memcpy(&share, m->payload, sizeof(share));
	connection_unmap_heap(c);
	if (share.size == 0) {
		if (m->fd >= 0)
			connection_drop(c, "a descriptor with an empty SHARE_HEAP", 0);
		connection_reply(c, VMAN_WIRE_SHARE_HEAP, 0);
		return;
	}
	if (m->fd < 0 || share.size > SERVICE_HEAP_MAX || share.heap_start > share.size) {
		connection_drop(c, "a SHARE_HEAP without its memfd, too large, or with its heap "
				   "past its end", 0);
		return;
	}
	rc = vman_wire_map(m->fd, share.size, share.size, &c->heap_map, &c->heap_map_size);
	if (rc < 0) {
		connection_drop(c, "its heap's memfd cannot be mapped", -rc);
		return;
	}
	c->heap = (struct vman_heap){ .base = c->heap_map, .heap_start = share.heap_start,
				      .size = share.size };
	connection_reply(c, VMAN_WIRE_SHARE_HEAP, 0);
}

static void serve_screen(struct connection *c, const struct vman_wire_msg *m)
{
	struct vman_wire_screen screen;
	int rc;

	if (m->length != sizeof(screen)) {
		connection_drop(c, "a SCREEN of the wrong size", 0);
		return;
	}
	memcpy(&screen, m->payload, sizeof(screen));
	if (m->fd >= 0) {
		const void *map;
		size_t size;

		rc = vman_wire_map(m->fd, 1, SERVICE_SCREEN_BYTES_MAX, &map, &size);
		if (rc < 0) {
			connection_drop(c, "its screen's memfd cannot be mapped", -rc);
			return;
		}
		if (c->screen_map)
			munmap((void *)c->screen_map, c->screen_map_size);
		c->screen_map = map;
		c->screen_map_size = size;
	}
	if (screen.width == 0 || screen.height == 0 || screen.width > VVMI_SURFACE_WIDTH_MAX ||
	    screen.height > VVMI_SURFACE_HEIGHT_MAX || screen.stride % 4 ||
	    screen.stride < screen.width * 4u || !c->screen_map ||
	    (size_t)(screen.height - 1) * screen.stride + screen.width * 4u > c->screen_map_size) {
		connection_drop(c, "a SCREEN whose pixels are not all in its memfd", 0);
		return;
	}
	if (!c->foreground)
		c->background_screens++;
	rc = vman_screen_update(c->client, c->screen_map, screen.width, screen.height,
				screen.stride);
	connection_reply(c, VMAN_WIRE_SCREEN, rc);
}

static void serve_ghi(struct connection *c, const struct vman_wire_msg *m)
{
	struct vman_wire_ghi ghi;
	int rc;

	if (m->length < sizeof(ghi)) {
		connection_drop(c, "a GHI shorter than its header", 0);
		return;
	}
	memcpy(&ghi, m->payload, sizeof(ghi));
	rc = vman_ghi(c->client, ghi.opcode, m->payload + sizeof(ghi), m->length - sizeof(ghi),
		      c->heap_map ? &c->heap : NULL);
	connection_reply(c, VMAN_WIRE_GHI, rc);
}

/* A path or a name: the payload as a C string of 1..max - 1 bytes without NUL. */
static bool payload_string(const struct vman_wire_msg *m, size_t max, char *out)
{
	if (m->length == 0 || m->length >= max || memchr(m->payload, '\0', m->length))
		return false;
	memcpy(out, m->payload, m->length);
	out[m->length] = '\0';
	return true;
}

static void serve_screenshot(struct connection *c, const struct vman_wire_msg *m)
{
	char path[VMAN_WIRE_PATH_MAX + 1];

	if (!payload_string(m, sizeof(path), path) || path[0] != '/') {
		connection_drop(c, "a SCREENSHOT whose path is not absolute", 0);
		return;
	}
	connection_reply(c, VMAN_WIRE_SCREENSHOT, vman_screenshot_png(c->service->vman, path));
}

static void serve_foreground(struct connection *c, const struct vman_wire_msg *m)
{
	char name[VMAN_WIRE_NAME_MAX];
	struct connection *target;

	if (!payload_string(m, sizeof(name), name)) {
		connection_drop(c, "a FOREGROUND without a name", 0);
		return;
	}
	target = service_find(c->service, name);
	if (!target) {
		connection_reply(c, VMAN_WIRE_FOREGROUND, -ENOENT);
		return;
	}
	vman_client_set_foreground(target->client);
	service_log("%s (connection %u) is in the foreground (it sent %u screens in the "
		    "background)", target->name, target->id, target->background_screens);
	/* The output shows it at once, whatever its VM sends next. */
	connection_reply(c, VMAN_WIRE_FOREGROUND, vman_frame(c->service->vman));
}

static void connection_serve(struct connection *c, const struct vman_wire_msg *m)
{
	bool takes_fd = m->type == VMAN_WIRE_SHARE_HEAP || m->type == VMAN_WIRE_SCREEN;
	bool needs_vm = m->type != VMAN_WIRE_HELLO && m->type != VMAN_WIRE_SCREENSHOT &&
			m->type != VMAN_WIRE_FOREGROUND;

	if (m->fd >= 0 && !takes_fd) {
		connection_drop(c, "a descriptor where none belongs", 0);
		return;
	}
	if (needs_vm && !c->client) {
		connection_drop(c, "a request before its HELLO", 0);
		return;
	}
	switch (m->type) {
	case VMAN_WIRE_HELLO:
		serve_hello(c, m);
		return;
	case VMAN_WIRE_SHARE_HEAP:
		serve_share_heap(c, m);
		return;
	case VMAN_WIRE_SCREEN:
		serve_screen(c, m);
		return;
	case VMAN_WIRE_GHI:
		serve_ghi(c, m);
		return;
	case VMAN_WIRE_FRAME:
		if (m->length)
			connection_drop(c, "a FRAME with a payload", 0);
		else
			connection_reply(c, VMAN_WIRE_FRAME, vman_frame(c->service->vman));
		return;
	case VMAN_WIRE_SCREENSHOT:
		serve_screenshot(c, m);
		return;
	case VMAN_WIRE_FOREGROUND:
		serve_foreground(c, m);
		return;
	}
	connection_drop(c, "an unknown request", 0);
}

/* Serves up to SERVICE_BATCH waiting messages. */
static void connection_read(struct connection *c)
{
	struct vman_wire_msg *m = &c->service->msg;

	for (unsigned i = 0; i < SERVICE_BATCH && !c->drop; i++) {
		int rc = vman_wire_recv(c->sock, m);

		if (rc == -EAGAIN)
			return;
		if (rc < 0) {
			connection_drop(c, rc == -EPROTO ? "a malformed message" : "closed", -rc);
			return;
		}
		connection_serve(c, m);
		if (m->fd >= 0)
			close(m->fd);
	}
}

size_t service_poll_fds(struct service *service, struct pollfd *fds, size_t max)
{
	size_t n = 0;

	for (struct connection *c = service->connections; c && n < max; c = c->next)
		fds[n++] = (struct pollfd){ .fd = c->sock,
					    .events = POLLIN | (c->queue ? POLLOUT : 0) };
	return n;
}

void service_dispatch(struct service *service, const struct pollfd *fds, size_t count)
{
	struct connection **link;
	bool left = false;

	for (size_t i = 0; i < count; i++) {
		struct connection *c = service->connections;

		while (c && c->sock != fds[i].fd)
			c = c->next;
		if (!c || c->drop)
			continue;
		if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
			connection_read(c);
	}
	/* Closing one VM can bring another forward (an event for it): close
	 * first, then send. */
	link = &service->connections;
	while (*link) {
		struct connection *c = *link;

		if (c->drop) {
			*link = c->next;
			left |= c->client != NULL;
			connection_destroy(c);
		} else {
			link = &c->next;
		}
	}
	/* A VM that left may have been in the foreground: the output shows the
	 * next one at once, whatever it sends next. */
	if (left)
		vman_frame(service->vman);
	for (struct connection *c = service->connections; c; c = c->next)
		connection_flush(c);
}
