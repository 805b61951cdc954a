/* control.c: one request to a running vman service from the command line, and its answer. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "wire.h"

/* How long the service may take to answer. */
#define CONTROL_TIMEOUT_MS 10000

/* Waits for the reply to request: 0 with the service's *status, or -errno. */
static int control_reply(int sock, uint32_t request, struct vman_wire_msg *m, int *status)
{
	struct vman_wire_reply reply;
	int rc;

	do {
		rc = vman_wire_wait(sock, POLLIN, CONTROL_TIMEOUT_MS);
		if (rc == 0)
			rc = vman_wire_recv(sock, m);
	} while (rc == -EAGAIN);
	if (rc < 0)
		return rc;
	if (m->fd >= 0)
		close(m->fd);
	/* This connection has no VM, so nothing but the reply comes. */
	if (vman_wire_reply_of(m, &reply) < 0 || reply.request != request)
		return -EPROTO;
	*status = reply.status;
	return 0;
}

int control_run(const char *socket_path, uint32_t request, const char *arg)
{
	char path[PATH_MAX + VMAN_WIRE_PATH_MAX];
	struct vman_wire_msg *m = malloc(sizeof(*m));
	int sock, rc, status = 0;

	if (!m) {
		fprintf(stderr, "vman: out of memory\n");
		return 1;
	}
	if (request == VMAN_WIRE_SCREENSHOT && arg[0] != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd))) {
			fprintf(stderr, "vman: cannot resolve %s: %s\n", arg, strerror(errno));
			free(m);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/%s", cwd, arg);
		arg = path;
	}
	if (strlen(arg) >= (request == VMAN_WIRE_SCREENSHOT ? VMAN_WIRE_PATH_MAX
							     : VMAN_WIRE_NAME_MAX)) {
		fprintf(stderr, "vman: %s is too long\n", arg);
		free(m);
		return 1;
	}
	sock = vman_wire_connect(socket_path);
	if (sock < 0) {
		fprintf(stderr, "vman: no vman service at %s: %s\n", socket_path, strerror(-sock));
		free(m);
		return 1;
	}
	rc = vman_wire_send(sock, request, arg, strlen(arg), -1);
	if (rc == 0)
		rc = control_reply(sock, request, m, &status);
	free(m);
	close(sock);
	if (rc < 0) {
		fprintf(stderr, "vman: the service at %s did not answer: %s\n", socket_path,
			strerror(-rc));
		return 1;
	}
	if (status != 0) {
		fprintf(stderr, "vman: the service refused: %s\n",
			status == -ENOENT && request == VMAN_WIRE_FOREGROUND ? "no VM of that name"
									     : strerror(-status));
		return 1;
	}
	return 0;
}
