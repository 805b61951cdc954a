/* bad_nocreate.c: a VDD whose descriptor lacks the create() entry point; mvm must refuse it. */
#include "vdh.h"

static void bad_terminate(void *instance)
{
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "bad_nocreate",
	.description = "has no create() entry point",
	.terminate = bad_terminate,
};
