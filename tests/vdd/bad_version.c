/* bad_version.c: a VDD built for another helper API version; mvm must refuse it. */
#include "vdh.h"

static int bad_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	return 0;
}

static void bad_terminate(void *instance)
{
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION + 1,
	.name = "bad_version",
	.description = "claims a future VDH API version",
	.create = bad_create,
	.terminate = bad_terminate,
};
