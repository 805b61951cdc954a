/* fuzz_props.c: libFuzzer target: the user's --vdd NAME:key=value text against a typed
 * property table. Any text gives properties or an error message, never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct vdh_prop_spec spec[] = {
	{ "port", VDH_PROP_INT, "0x3f8", 0, 0xFFFF, "first port" },
	{ "skew", VDH_PROP_INT, "-5", INT64_MIN, INT64_MAX, "anything" },
	{ "fifo", VDH_PROP_BOOL, "on", 0, 0, "16550 FIFO" },
	{ "output", VDH_PROP_STRING, "stdio", 0, 0, "where" },
	{ 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The input is NUL-separated assignments, as the command line splits them. */
	char *text = malloc(size + 1);
	const char *assignments[16];
	size_t count = 0;
	struct vdh_props *props = NULL;
	char err[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	for (char *p = text; p <= text + size && count < 16; p += strlen(p) + 1)
		assignments[count++] = p;
	if (props_create(spec, "fuzz", assignments, count, &props, err, sizeof(err)) == 0) {
		int64_t port = props_get_int(props, "port");
		if (port < 0 || port > 0xFFFF)
			abort();
		(void)props_get_bool(props, "fifo");
		(void)strlen(props_get_string(props, "output"));
		props_destroy(props);
	} else if (!memchr(err, 0, sizeof(err)) || !err[0]) {
		abort();
	}
	free(text);
	return 0;
}
