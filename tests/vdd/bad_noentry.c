/* bad_noentry.c: a shared object without the vdd_module entry symbol; mvm must refuse it. */
#include "vdh.h"

__attribute__((visibility("default"))) int not_a_vdd_module = 1;
