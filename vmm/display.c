/* display.c: choosing a VM's display, and what every display does alike. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "log.h"
#include "vman.h"
#include "wire.h"

int display_socket_default(char *out, size_t out_size)
{
	return vman_wire_socket_path(out, out_size);
}

/* Why there is no default socket (display_socket_default's rc). */
static const char *display_socket_missing(int rc)
{
	return rc == -ENOENT ? "neither MVM_VMAN_SOCKET nor XDG_RUNTIME_DIR is set"
			     : "its path is too long";
}

/* The service's socket: the options', else the default (into path). */
static int display_socket(const struct display_options *options, char *path, size_t size,
			  const char **socket)
{
	*socket = options->socket ? options->socket : path;
	return options->socket ? 0 : display_socket_default(path, size);
}

/* auto: the service when one listens; else (no socket, or nobody behind
 * it) libvman in this process, headless. */
static int display_open_auto(const struct display_options *options, struct display **out,
			     char *err, size_t err_size)
{
	struct display_options local = *options;
	char path[PATH_MAX];
	const char *socket;
	int rc = display_socket(options, path, sizeof(path), &socket);

	if (rc < 0) {
		log_info("display: headless in this process (no vman socket: %s)",
			 display_socket_missing(rc));
	} else {
		rc = display_remote_open(options, socket, out, err, err_size);
		if (rc == 0) {
			log_info("display: the vman service at %s", socket);
			return 0;
		}
		if (rc != -ENOENT && rc != -ECONNREFUSED)
			return rc;
		log_info("display: headless in this process (no vman service at %s)", socket);
	}
	local.kind = DISPLAY_HEADLESS;
	return display_local_open(&local, out, err, err_size);
}

int display_open(const struct display_options *options, struct display **out, char *err,
		 size_t err_size)
{
	char path[PATH_MAX];
	const char *socket;
	int rc;

	switch (options->kind) {
	case DISPLAY_AUTO:
		return display_open_auto(options, out, err, err_size);
	case DISPLAY_VMAN:
		rc = display_socket(options, path, sizeof(path), &socket);
		if (rc < 0) {
			snprintf(err, err_size, "no vman service: %s", display_socket_missing(rc));
			return rc;
		}
		rc = display_remote_open(options, socket, out, err, err_size);
		if (rc == 0)
			log_info("display: the vman service at %s", socket);
		return rc;
	default:
		return display_local_open(options, out, err, err_size);
	}
}

void display_close(struct display *display)
{
	if (display)
		display->ops->destroy(display);
}

void display_set_event_handler(struct display *display, display_event_fn *fn, void *opaque)
{
	display->event = fn;
	display->event_opaque = opaque;
}

void display_emit(struct display *display, unsigned type, const void *body, size_t len)
{
	if (type == VMAN_EVENT_FOREGROUND && len >= sizeof(struct vman_event_foreground)) {
		struct vman_event_foreground foreground;

		memcpy(&foreground, body, sizeof(foreground));
		display->foreground = foreground.value != 0;
	}
	if (display->event)
		display->event(display->event_opaque, type, body, len);
}

int display_screenshot(struct display *display, const char *path)
{
	int rc = display->ops->frame(display);

	return rc < 0 ? rc : display->ops->screenshot(display, path);
}
