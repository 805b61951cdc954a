/* display_remote.c: the VM's display in the vman service: each display call is a request over its socket. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <unistd.h>

#include "display.h"
#include "log.h"
#include "vman.h"
#include "wire.h"

/*
 * Requests are synchronous, from the vCPU's thread. Events read while a
 * request waits for its reply are held and delivered when it returns (an
 * event handler may then make requests of its own); between requests,
 * display_poll reads them. The screen's pixels go through a memfd the
 * service maps, grown when a larger screen comes.
 *
 * When the service goes away (or stops answering), the display is broken:
 * one error line, and every call fails with -EPIPE from then on; the VM
 * keeps running.
 */

/* A service that takes longer than this to answer is taken for dead. */
#define REMOTE_TIMEOUT_MS 10000
/* Events held while a request waits; past this, the oldest are dropped. */
#define REMOTE_HELD_EVENTS 1024u

struct held_event {
	uint32_t type;
	uint32_t length;
	unsigned char body[VMAN_WIRE_EVENT_MAX];
};

struct display_remote {
	struct display base;
	int sock;
	bool broken;
	bool open;   /* HELLO was answered: failures from now on are logged */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int screen_fd;
	void *screen;
	size_t screen_size;
	struct held_event *held;
	size_t held_count, held_dropped;
	bool delivering;
	struct vman_wire_msg msg;
};

static struct display_remote *remote_of(struct display *display)
{
	return (struct display_remote *)display;
}

static int remote_break(struct display_remote *d, int rc, const char *what)
{
	if (!d->broken && d->open)
		log_error("the vman service at %s %s (%s): the VM's display shows nothing more",
			  d->path, what, strerror(-rc));
	d->broken = true;
	return -EPIPE;
}

static void remote_hold_event(struct display_remote *d, const struct vman_wire_msg *m)
{
	struct vman_wire_event event;
	struct held_event *h;

	if (m->length < sizeof(event) || m->length - sizeof(event) > VMAN_WIRE_EVENT_MAX)
		return;
	if (!d->held)
		d->held = calloc(REMOTE_HELD_EVENTS, sizeof(*d->held));
	if (!d->held || d->held_count == REMOTE_HELD_EVENTS) {
		d->held_dropped++;
		return;
	}
	memcpy(&event, m->payload, sizeof(event));
	h = &d->held[d->held_count++];
	h->type = event.type;
	h->length = m->length - (uint32_t)sizeof(event);
	memcpy(h->body, m->payload + sizeof(event), h->length);
}

/* Delivers the held events, in order; not again from inside a handler. */
static void remote_deliver(struct display_remote *d)
{
	if (d->delivering)
		return;
	d->delivering = true;
	for (size_t i = 0; i < d->held_count; i++) {
		struct held_event h = d->held[i];

		display_emit(&d->base, h.type, h.body, h.length);
	}
	d->held_count = 0;
	d->delivering = false;
	if (d->held_dropped) {
		log_debug("%zu display events were dropped (too many at once)", d->held_dropped);
		d->held_dropped = 0;
	}
}

/* Reads one message: an event is held, a reply returned. 1 when it was a
 * reply (in *reply), 0 for an event, -EAGAIN, or -errno. */
static int remote_read(struct display_remote *d, struct vman_wire_reply *reply)
{
	struct vman_wire_msg *m = &d->msg;
	int rc = vman_wire_recv(d->sock, m);

	if (rc < 0)
		return rc;
	if (m->fd >= 0) {
		close(m->fd);
		return -EPROTO;
	}
	if (m->type == VMAN_WIRE_EVENT) {
		remote_hold_event(d, m);
		return 0;
	}
	return vman_wire_reply_of(m, reply) < 0 ? -EPROTO : 1;
}

/* One request and its reply: the service's status (0, a positive VVMI
 * error, -errno) or -EPIPE when the service is gone. */
static int remote_call(struct display_remote *d, uint32_t type, const void *part1,
		       size_t length1, const void *part2, size_t length2, int fd)
{
	struct vman_wire_reply reply;
	int rc;

	if (d->broken)
		return -EPIPE;
	do
		rc = vman_wire_send2(d->sock, type, part1, length1, part2, length2, fd);
	while (rc == -EAGAIN && (rc = vman_wire_wait(d->sock, POLLOUT, REMOTE_TIMEOUT_MS)) == 0);
	if (rc < 0)
		return remote_break(d, rc, "cannot be written to");
	for (;;) {
		rc = remote_read(d, &reply);
		if (rc == -EAGAIN)
			rc = vman_wire_wait(d->sock, POLLIN, REMOTE_TIMEOUT_MS);
		else if (rc == 1)
			break;
		if (rc < 0)
			return remote_break(d, rc, rc == -ETIMEDOUT ? "does not answer" : "is gone");
	}
	if (reply.request != type)
		return remote_break(d, -EPROTO, "answered another request");
	remote_deliver(d);
	return reply.status;
}

static int remote_poll(struct display *display)
{
	struct display_remote *d = remote_of(display);
	struct vman_wire_reply reply;
	int rc;

	if (d->broken)
		return -EPIPE;
	while ((rc = remote_read(d, &reply)) == 0)
		;
	if (rc == 1)
		rc = -EPROTO; /* a reply to nothing */
	if (rc != -EAGAIN)
		return remote_break(d, rc, "is gone");
	remote_deliver(d);
	return 0;
}

/* The pixel memfd, large enough for size bytes: a new one (sent with the
 * next SCREEN) when the old one is too small. 1 when it is new, 0, -errno. */
static int remote_screen_buffer(struct display_remote *d, size_t size)
{
	void *map;
	int fd;

	if (size <= d->screen_size)
		return 0;
	fd = vman_wire_memfd("mvm-screen", size);
	if (fd < 0)
		return fd;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		return -ENOMEM;
	}
	if (d->screen) {
		munmap(d->screen, d->screen_size);
		close(d->screen_fd);
	}
	d->screen = map;
	d->screen_size = size;
	d->screen_fd = fd;
	return 1;
}

static int remote_screen(struct display *display, const uint32_t *pixels, unsigned width,
			 unsigned height, size_t stride)
{
	struct display_remote *d = remote_of(display);
	size_t row = (size_t)width * 4u;
	struct vman_wire_screen screen = { width, height, (uint32_t)row };
	int fresh;

	if (d->broken)
		return -EPIPE;
	if (width == 0 || height == 0 || width > VVMI_SURFACE_WIDTH_MAX ||
	    height > VVMI_SURFACE_HEIGHT_MAX || stride < row)
		return -EINVAL;
	fresh = remote_screen_buffer(d, row * height);
	if (fresh < 0)
		return fresh;
	for (unsigned y = 0; y < height; y++)
		memcpy((uint8_t *)d->screen + y * row, (const uint8_t *)pixels + y * stride, row);
	return remote_call(d, VMAN_WIRE_SCREEN, &screen, sizeof(screen), NULL, 0,
			   fresh ? d->screen_fd : -1);
}

static int remote_ghi(struct display *display, uint16_t opcode, const void *body, size_t len)
{
	struct vman_wire_ghi ghi = { .opcode = opcode };

	if (len > VMAN_WIRE_PAYLOAD_MAX - sizeof(ghi))
		return VVMI_ERROR_LENGTH;
	return remote_call(remote_of(display), VMAN_WIRE_GHI, &ghi, sizeof(ghi), body, len, -1);
}

static int remote_share_heap(struct display *display, void *pages, size_t size,
			     uint32_t heap_start, int fd)
{
	struct vman_wire_share_heap share = { 0 };

	if (pages) {
		if (fd < 0 || size > UINT32_MAX || heap_start > size)
			return -EINVAL;
		share = (struct vman_wire_share_heap){ (uint32_t)size, heap_start };
	}
	return remote_call(remote_of(display), VMAN_WIRE_SHARE_HEAP, &share, sizeof(share), NULL,
			   0, pages ? fd : -1);
}

static int remote_frame(struct display *display)
{
	return remote_call(remote_of(display), VMAN_WIRE_FRAME, NULL, 0, NULL, 0, -1);
}

/* The service writes the file: a relative path is made absolute here. */
static int remote_screenshot(struct display *display, const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return remote_call(remote_of(display), VMAN_WIRE_SCREENSHOT, path, strlen(path), NULL,
				   0, -1);
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if (strlen(cwd) + 1 + strlen(path) >= VMAN_WIRE_PATH_MAX)
		return -ENAMETOOLONG;
	strcat(cwd, "/");
	return remote_call(remote_of(display), VMAN_WIRE_SCREENSHOT, cwd, strlen(cwd), path,
			   strlen(path), -1);
}

static void remote_destroy(struct display *display)
{
	struct display_remote *d = remote_of(display);

	close(d->sock);
	if (d->screen) {
		munmap(d->screen, d->screen_size);
		close(d->screen_fd);
	}
	free(d->held);
	free(d);
}

static const struct display_ops remote_ops = {
	.screen = remote_screen,
	.ghi = remote_ghi,
	.share_heap = remote_share_heap,
	.frame = remote_frame,
	.screenshot = remote_screenshot,
	.poll = remote_poll,
	.destroy = remote_destroy,
};

int display_remote_open(const struct display_options *options, const char *socket_path,
			struct display **out, char *err, size_t err_size)
{
	struct display_remote *d;
	struct vman_wire_hello hello = { .version = VMAN_WIRE_VERSION };
	int rc, sock = vman_wire_connect(socket_path);

	if (sock < 0) {
		snprintf(err, err_size, "no vman service at %s: %s", socket_path, strerror(-sock));
		return sock;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(sock);
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	d->base.ops = &remote_ops;
	d->sock = sock;
	d->screen_fd = -1;
	snprintf(d->path, sizeof(d->path), "%s", socket_path);
	snprintf(hello.name, sizeof(hello.name), "%s", options->name ? options->name : "mvm");
	rc = remote_call(d, VMAN_WIRE_HELLO, &hello, sizeof(hello), NULL, 0, -1);
	if (rc != 0) {
		snprintf(err, err_size, "the vman service at %s refused this VM: %s", socket_path,
			 rc == -EPROTONOSUPPORT ? "it speaks another protocol version"
			 : rc == -EPIPE ? "it hung up (it serves only the user who started it)"
					: strerror(rc < 0 ? -rc : EPROTO));
		remote_destroy(&d->base);
		return rc < 0 ? rc : -EPROTO;
	}
	d->open = true;
	*out = &d->base;
	return 0;
}
