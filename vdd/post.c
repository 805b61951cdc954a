/* post.c: the POST diagnostic port 80h, where a BIOS writes its progress codes. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "vdh.h"

/* A POST card latches the last byte written to port 80h on its display.
 * Reading the port returns that byte, as on chipsets that decode it for reads. */
#define POST_PORT 0x80

struct post {
	struct vdh_dev *dev;
	uint8_t code; /* the last byte written */
};

static const struct vdh *vdh;

static uint8_t post_inb(void *opaque, uint16_t port)
{
	struct post *p = opaque;

	return p->code;
}

static void post_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct post *p = opaque;

	p->code = value;
	vdh->log(p->dev, VDH_LOG_DEBUG, "POST code %02Xh", value);
}

static const struct vdh_io_ops post_ops = {
	.inb = post_inb,
	.outb = post_outb,
};

static int post_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int post_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct post *p = calloc(1, sizeof(*p));
	int rc;

	if (!p)
		return -ENOMEM;
	p->dev = dev;
	/* 0x80: the POST diagnostic port */
	rc = vdh->install_io_hook(dev, POST_PORT, 1, &post_ops, p);
	if (rc < 0) {
		free(p);
		return rc;
	}
	*instance = p;
	return 0;
}

static void post_terminate(void *instance)
{
	free(instance);
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "post",
	.description = "POST diagnostic port 80h: keeps and logs the last code the BIOS wrote",
	.init = post_init,
	.create = post_create,
	.terminate = post_terminate,
};
