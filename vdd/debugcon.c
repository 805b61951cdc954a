/* debugcon.c: the Bochs/QEMU debug console port: bytes the guest writes go to a host file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdh.h"

/* Port 0xE9 by convention (Bochs "port E9 hack", QEMU -debugcon). Reading
 * it returns 0xE9, which guests use to detect the console. */
#define DEBUGCON_DEFAULT_PORT "0xe9"
#define DEBUGCON_PRESENT 0xE9

struct debugcon {
	FILE *out;
	bool owns_out; /* a file we opened, not stdout */
};

static const struct vdh *vdh;

static uint8_t debugcon_inb(void *opaque, uint16_t port)
{
	return DEBUGCON_PRESENT;
}

static void debugcon_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct debugcon *con = opaque;
	fputc(value, con->out);
	/* Whole lines reach the file at once; a log cut short by a crash
	 * still has every complete line. */
	if (value == '\n')
		fflush(con->out);
}

static const struct vdh_io_ops debugcon_io = {
	.inb = debugcon_inb,
	.outb = debugcon_outb,
};

static int debugcon_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void debugcon_terminate(void *instance)
{
	struct debugcon *con = instance;
	if (!con)
		return;
	if (con->owns_out)
		fclose(con->out);
	else
		fflush(con->out);
	free(con);
}

static int debugcon_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	const char *output = vdh->prop_string(props, "output");
	uint16_t port = (uint16_t)vdh->prop_int(props, "port");
	struct debugcon *con = calloc(1, sizeof(*con));
	int rc;

	if (!con)
		return -ENOMEM;
	if (strcmp(output, "stdio") == 0) {
		con->out = stdout;
	} else {
		con->out = fopen(output, "w");
		if (!con->out) {
			rc = -errno;
			vdh->log(dev, VDH_LOG_ERROR, "cannot open '%s': %s", output, strerror(errno));
			free(con);
			return rc;
		}
		con->owns_out = true;
	}
	/* One port, default 0xE9: the debug console. */
	rc = vdh->install_io_hook(dev, port, 1, &debugcon_io, con);
	if (rc < 0) {
		debugcon_terminate(con);
		return rc;
	}
	*instance = con;
	return 0;
}

static const struct vdh_prop_spec debugcon_props[] = {
	{ "output", VDH_PROP_STRING, "stdio", 0, 0, "'stdio' for mvm's stdout, or a file path" },
	{ "port", VDH_PROP_INT, DEBUGCON_DEFAULT_PORT, 0, 0xFFFF, "the I/O port" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "debugcon",
	.description = "debug console: bytes written to port E9h go to a host file or stdout",
	.props = debugcon_props,
	.init = debugcon_init,
	.create = debugcon_create,
	.terminate = debugcon_terminate,
};
