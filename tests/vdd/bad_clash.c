/* bad_clash.c: a VDD that claims what the PIC or PIT already own; mvm must refuse it and
 * undo every VDD it had created. */
#include <errno.h>
#include <string.h>

#include "vdh.h"

static const struct vdh *vdh;

static const struct vdh_io_ops no_ops = { 0 };

static void fake_set_irq(void *opaque, unsigned line, bool level)
{
}

static bool fake_has_interrupt(void *opaque)
{
	return false;
}

static uint8_t fake_acknowledge(void *opaque)
{
	return 0;
}

static const struct vdh_intc_ops fake_intc = {
	.set_irq = fake_set_irq,
	.has_interrupt = fake_has_interrupt,
	.acknowledge = fake_acknowledge,
};

static int bad_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int bad_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	const char *what = vdh->prop_string(props, "what");
	struct vdh_irq *irq;

	if (strcmp(what, "port") == 0)
		/* 0x20-0x21: the master 8259A's ports, vpic's */
		return vdh->install_io_hook(dev, 0x20, 2, &no_ops, NULL);
	if (strcmp(what, "irq") == 0)
		return vdh->open_irq(dev, 0, NULL, NULL, &irq);
	if (strcmp(what, "intc") == 0)
		return vdh->register_intc(dev, &fake_intc, NULL);
	if (strcmp(what, "ignored") == 0) {
		/* A VDD that drops the error on the floor is refused all the same. */
		if (vdh->install_io_hook(dev, 0x40, 4, &no_ops, NULL) < 0)
			return 0;
	}
	return -EINVAL;
}

static void bad_terminate(void *instance)
{
}

static const struct vdh_prop_spec bad_props[] = {
	{ "what", VDH_PROP_STRING, "port", 0, 0, "port, irq, intc or ignored" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "bad_clash",
	.description = "claims resources of vpic and vpit",
	.props = bad_props,
	.init = bad_init,
	.create = bad_create,
	.terminate = bad_terminate,
};
