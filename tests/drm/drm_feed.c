/* drm_feed.c: a stand-in VM for tests/drm: sends recorded guest frames (PPM files) to the vman service, one per command line it reads. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wire.h"

/*
 * Runs inside the test's VM, where there is no mvm: it connects to the
 * service as a VM would (HELLO "drmtest"), then reads commands, one per
 * line, from stdin (the VM's second serial port, which the host drives):
 *   frame PATH   shows the binary PPM (P6, maxval 255) at PATH as the
 *                guest's screen: a SCREEN with a new memfd, then a FRAME
 *   quit         ends
 * and answers each with one line: "ok" or "error TEXT". The service's
 * events are read and dropped.
 */

#define FEED_LINE_MAX 512
#define FEED_SIDE_MAX 2048u

static int feed_request(int sock, uint32_t type, const void *payload, size_t length, int fd)
{
	static struct vman_wire_msg msg;
	struct vman_wire_reply reply;
	int rc = vman_wire_send(sock, type, payload, length, fd);

	if (rc < 0)
		return rc;
	for (;;) {
		rc = vman_wire_wait(sock, POLLIN, 10000);
		if (rc == 0)
			rc = vman_wire_recv(sock, &msg);
		if (rc == -EAGAIN)
			continue;
		if (rc < 0)
			return rc;
		if (msg.fd >= 0)
			close(msg.fd);
		if (msg.type != VMAN_WIRE_REPLY)
			continue;
		if (vman_wire_reply_of(&msg, &reply) < 0 || reply.request != type)
			return -EPROTO;
		return reply.status;
	}
}

/* Reads one unsigned decimal of a PPM header, skipping white space and comments. */
static int ppm_number(FILE *file, unsigned *out)
{
	int c = fgetc(file);
	unsigned value = 0;
	int digits = 0;

	while (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#') {
		if (c == '#')
			while (c != '\n' && c != EOF)
				c = fgetc(file);
		c = fgetc(file);
	}
	while (c >= '0' && c <= '9' && digits < 6) {
		value = value * 10 + (unsigned)(c - '0');
		digits++;
		c = fgetc(file);
	}
	*out = value;
	/* One white-space character ends a number. */
	return digits > 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? 0 : -EINVAL;
}

/* The PPM's pixels as XRGB8888 in a new sealed memfd: its descriptor, or -errno. */
static int ppm_memfd(const char *path, unsigned *width, unsigned *height)
{
	FILE *file = fopen(path, "rb");
	unsigned maxval = 0;
	uint32_t *pixels;
	size_t bytes;
	int fd, rc = 0;

	if (!file)
		return -errno;
	if (fgetc(file) != 'P' || fgetc(file) != '6' || ppm_number(file, width) < 0 ||
	    ppm_number(file, height) < 0 || ppm_number(file, &maxval) < 0 || maxval != 255 ||
	    *width == 0 || *height == 0 || *width > FEED_SIDE_MAX || *height > FEED_SIDE_MAX) {
		fclose(file);
		return -EINVAL;
	}
	bytes = (size_t)*width * *height * 4;
	fd = vman_wire_memfd("drm_feed screen", bytes);
	if (fd < 0) {
		fclose(file);
		return fd;
	}
	pixels = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pixels == MAP_FAILED) {
		rc = -errno;
	} else {
		for (size_t i = 0; i < bytes / 4 && rc == 0; i++) {
			unsigned char rgb[3];

			if (fread(rgb, 1, 3, file) != 3)
				rc = -EINVAL;
			pixels[i] = 0xFF000000u | (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
		}
		munmap(pixels, bytes);
	}
	fclose(file);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

static int feed_frame(int sock, const char *path)
{
	struct vman_wire_screen screen;
	int fd = ppm_memfd(path, &screen.width, &screen.height);
	int rc;

	if (fd < 0)
		return fd;
	screen.stride = screen.width * 4;
	rc = feed_request(sock, VMAN_WIRE_SCREEN, &screen, sizeof(screen), fd);
	close(fd);
	if (rc == 0)
		rc = feed_request(sock, VMAN_WIRE_FRAME, NULL, 0, -1);
	return rc;
}

int main(int argc, char **argv)
{
	struct vman_wire_hello hello = {.version = VMAN_WIRE_VERSION, .name = "drmtest"};
	char line[FEED_LINE_MAX];
	int sock, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: drm_feed SOCKET\n");
		return 2;
	}
	sock = vman_wire_connect(argv[1]);
	rc = sock < 0 ? sock : feed_request(sock, VMAN_WIRE_HELLO, &hello, sizeof(hello), -1);
	if (rc < 0) {
		fprintf(stderr, "drm_feed: %s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			break;
		if (strncmp(line, "frame ", 6) == 0)
			rc = feed_frame(sock, line + 6);
		else if (line[0] == '\0')
			continue;
		else
			rc = -ENOSYS;
		if (rc < 0)
			printf("error %s\n", strerror(-rc));
		else if (rc > 0)
			printf("error status %d\n", rc);
		else
			printf("ok\n");
	}
	close(sock);
	return 0;
}
