/* display.c: choosing a VM's display, and what every display does alike. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "vman.h"

int display_socket_default(char *out, size_t out_size)
{
	const char *given = getenv("MVM_VMAN_SOCKET");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	int n;

	if (given && *given)
		n = snprintf(out, out_size, "%s", given);
	else if (runtime && *runtime)
		n = snprintf(out, out_size, "%s/mvm-vman.sock", runtime);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= out_size ? -ENAMETOOLONG : 0;
}

int display_open(const struct display_options *options, struct display **out, char *err,
		 size_t err_size)
{
	return display_local_open(options, out, err, err_size);
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
