/* main.c: the vman service: one libvman output shared by the VMs that connect to its UNIX socket. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "service.h"
#include "vman.h"
#include "vt.h"
#include "wire.h"

/* VMs served at once (each is a poll entry). */
#define MAX_CONNECTIONS 64u
/* Connections taken per wake-up, so that a flood cannot starve the VMs. */
#define ACCEPT_BATCH 16u

static const char usage_text[] =
	"Usage: vman [OPTIONS]\n"
	"       vman [--socket PATH] --foreground NAME | --snapshot PATH\n"
	"\n"
	"The video manager as a service: VMs (mvm run/boot --display vman or auto)\n"
	"connect to its UNIX socket and share one output; the first VM is in the\n"
	"foreground (the output shows it), and when it leaves, the next one is.\n"
	"Only processes of the user who started it may connect.\n"
	"\n"
	"Options:\n"
	"      --socket PATH     where to listen (default $MVM_VMAN_SOCKET, else\n"
	"                        $XDG_RUNTIME_DIR/mvm-vman.sock)\n"
	"      --display headless|wayland|drm\n"
	"                        the output (default headless: off-screen)\n"
	"      --renderer pixman|gles  how it composes (default pixman)\n"
	"      --fullscreen      start fullscreen (wayland); drm: the preferred mode,\n"
	"                        the frame scaled to fill it (aspect kept)\n"
	"      --card PATH       the DRM card (default /dev/dri/card0)\n"
	"      --screenshot PATH when the service stops (SIGINT, SIGTERM), write the\n"
	"                        last frame as PNG\n"
	"\n"
	"With --display drm on a virtual terminal (stdin is /dev/ttyN), vman puts it\n"
	"in graphics mode and hands the display over when another VT is switched to\n"
	"(Ctrl+Alt+Fn, chvt), taking it back on the way back.\n"
	"\n"
	"Requests to a running service:\n"
	"      --foreground NAME bring the VM NAME (its program's name) to the foreground\n"
	"      --snapshot PATH   write the last frame as PNG now\n"
	"  -h, --help            show this help\n";

enum { OPT_SOCKET = 256, OPT_DISPLAY, OPT_RENDERER, OPT_FULLSCREEN, OPT_CARD, OPT_SCREENSHOT,
       OPT_FOREGROUND, OPT_SNAPSHOT };

struct options {
	char socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct vman_options vman;
	const char *screenshot;
	uint32_t request; /* a control request, or 0 */
	const char *request_arg;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vman: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'vman --help'.\n", stderr);
	return 2;
}

/* 0, or the exit status (-1: --help, exit 0). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "display", required_argument, NULL, OPT_DISPLAY },
		{ "renderer", required_argument, NULL, OPT_RENDERER },
		{ "fullscreen", no_argument, NULL, OPT_FULLSCREEN },
		{ "card", required_argument, NULL, OPT_CARD },
		{ "screenshot", required_argument, NULL, OPT_SCREENSHOT },
		{ "foreground", required_argument, NULL, OPT_FOREGROUND },
		{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *socket = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SOCKET:
			socket = optarg;
			break;
		case OPT_DISPLAY:
			if (strcmp(optarg, "headless") == 0)
				o->vman.presenter = VMAN_PRESENTER_HEADLESS;
			else if (strcmp(optarg, "wayland") == 0)
				o->vman.presenter = VMAN_PRESENTER_WAYLAND;
			else if (strcmp(optarg, "drm") == 0)
				o->vman.presenter = VMAN_PRESENTER_DRM;
			else
				return usage_error("--display: '%s' is not headless, wayland or drm",
						   optarg);
			break;
		case OPT_RENDERER:
			if (strcmp(optarg, "pixman") && strcmp(optarg, "gles"))
				return usage_error("--renderer: '%s' is not pixman or gles", optarg);
			o->vman.renderer = strcmp(optarg, "gles") == 0 ? VMAN_RENDERER_GLES
								       : VMAN_RENDERER_PIXMAN;
			break;
		case OPT_FULLSCREEN:
			o->vman.fullscreen = true;
			break;
		case OPT_CARD:
			o->vman.drm_device = optarg;
			break;
		case OPT_SCREENSHOT:
			o->screenshot = optarg;
			break;
		case OPT_FOREGROUND:
		case OPT_SNAPSHOT:
			o->request = opt == OPT_FOREGROUND ? VMAN_WIRE_FOREGROUND : VMAN_WIRE_SCREENSHOT;
			o->request_arg = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			fputs("Try 'vman --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (socket) {
		if (strlen(socket) >= sizeof(o->socket))
			return usage_error("--socket: '%s' is too long for a socket", socket);
		strcpy(o->socket, socket);
		return 0;
	}
	rc = vman_wire_socket_path(o->socket, sizeof(o->socket));
	if (rc < 0)
		return usage_error("%s: give --socket", rc == -ENOENT
					? "neither MVM_VMAN_SOCKET nor XDG_RUNTIME_DIR is set"
					: "the default socket's path is too long");
	return 0;
}

/* The listening socket at path (mode 0600), or -1 with the reason logged.
 * A socket file nobody listens on is a dead service's: it goes. */
static int listen_at(const char *path, struct stat *made)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old_umask;
	int sock, rc = vman_wire_connect(path);

	if (rc >= 0) {
		close(rc);
		service_log("another vman is listening at %s", path);
		return -1;
	}
	if (rc == -ECONNREFUSED) {
		if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
			service_log("%s exists and is not a socket", path);
			return -1;
		}
		unlink(path);
	} else if (rc != -ENOENT) {
		service_log("cannot use %s: %s", path, strerror(-rc));
		return -1;
	}
	strcpy(addr.sun_path, path);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sock < 0) {
		service_log("cannot make a socket: %s", strerror(errno));
		return -1;
	}
	old_umask = umask(0177); /* the socket is born 0600: only this user connects */
	rc = bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_umask);
	if (rc < 0 || listen(sock, 16) < 0 || stat(path, made) < 0) {
		service_log("cannot listen at %s: %s", path, strerror(errno));
		close(sock);
		return -1;
	}
	return sock;
}

/* Removes the socket file if it is still the one this service made. */
static void unlink_socket(const char *path, const struct stat *made)
{
	struct stat st;

	if (stat(path, &st) == 0 && st.st_dev == made->st_dev && st.st_ino == made->st_ino)
		unlink(path);
}

static void accept_connections(struct service *service, int listener)
{
	for (unsigned i = 0; i < ACCEPT_BATCH; i++) {
		int sock = accept4(listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (sock < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				service_log("cannot accept a connection: %s", strerror(errno));
			return;
		}
		if (service_connections(service) >= MAX_CONNECTIONS) {
			service_log("refused a connection: %u VMs are connected already",
				    MAX_CONNECTIONS);
			close(sock);
			continue;
		}
		service_accept(service, sock);
	}
}

/* A switch away from the VT (the display is let go) or back to it. */
static void vt_switch(struct vman *vman, struct service_vt *vt, bool back)
{
	int rc;

	if (!back) {
		rc = vman_set_active(vman, false);
		service_vt_release(vt);
		service_log("VT %d switched away: the display is let go%s%s", vt->number,
			    rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "");
		return;
	}
	service_vt_acquire(vt);
	rc = vman_set_active(vman, true);
	if (rc < 0)
		service_log("back on VT %d, but the display is not: %s; trying again with the "
			    "next frame", vt->number, strerror(-rc));
	else
		service_log("back on VT %d: the display is shown again", vt->number);
}

/* Serves until SIGINT or SIGTERM (0) or until the output fails (1). */
static int serve(struct vman *vman, struct service *service, int listener, int signals,
		 struct service_vt *vt)
{
	struct pollfd fds[3 + MAX_CONNECTIONS];

	for (;;) {
		size_t count;
		int n;

		fds[0] = (struct pollfd){ .fd = signals, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = listener, .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = vman_get_fd(vman), .events = POLLIN };
		count = service_poll_fds(service, fds + 3, MAX_CONNECTIONS);
		n = poll(fds, 3 + count, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			service_log("poll: %s", strerror(errno));
			return 1;
		}
		if (fds[0].revents & POLLIN) {
			struct signalfd_siginfo info;

			if (read(signals, &info, sizeof(info)) != (ssize_t)sizeof(info))
				continue;
			/* Only the VT sends these; without one they mean nothing. */
			if (info.ssi_signo == SIGUSR1 || info.ssi_signo == SIGUSR2) {
				if (vt->fd >= 0)
					vt_switch(vman, vt, info.ssi_signo == SIGUSR2);
				continue;
			}
			service_log("stopping (%s)", strsignal((int)info.ssi_signo));
			return 0;
		}
		if (fds[2].fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = vman_dispatch(vman);
			if (n < 0) {
				service_log("the display is gone: %s", strerror(-n));
				return 1;
			}
		}
		service_dispatch(service, fds + 3, count);
		if (fds[1].revents & POLLIN)
			accept_connections(service, listener);
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct service_vt vt = { .fd = -1 };
	struct vman *vman;
	struct service *service;
	struct stat made;
	sigset_t mask;
	int rc, listener, signals, status;

	rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (o.request)
		return control_run(o.socket, o.request, o.request_arg);

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	/* A VT switch away and back (vt.h). */
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signals = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signals < 0) {
		service_log("signalfd: %s", strerror(errno));
		return 1;
	}
	vman = vman_create(&o.vman);
	if (!vman) {
		service_log("cannot start the output: %s", strerror(errno));
		return 1;
	}
	service = service_create(vman);
	listener = service ? listen_at(o.socket, &made) : -1;
	if (listener < 0) {
		if (!service)
			service_log("out of memory");
		service_destroy(service);
		vman_destroy(vman);
		return 1;
	}
	service_log("listening at %s", o.socket);
	if (o.vman.presenter == VMAN_PRESENTER_DRM) {
		rc = service_vt_open(&vt, STDIN_FILENO, SIGUSR1, SIGUSR2);
		if (rc == 0)
			service_log("on VT %d: switching to another VT hands the display over",
				    vt.number);
		else if (rc != -ENOTTY)
			service_log("cannot take the VT on stdin (%s): switching VTs will not hand "
				    "the display over", strerror(-rc));
	}
	status = serve(vman, service, listener, signals, &vt);
	if (o.screenshot) {
		rc = vman_screenshot_png(vman, o.screenshot);
		if (rc < 0) {
			service_log("cannot write the screenshot %s: %s", o.screenshot,
				    rc == -ENODATA ? "no frame was shown" : strerror(-rc));
			status = 1;
		}
	}
	close(listener);
	unlink_socket(o.socket, &made);
	service_destroy(service);
	vman_destroy(vman);
	service_vt_close(&vt);
	close(signals);
	return status;
}
