/* props.h: a VDD's typed properties, checked against the table it declares. */
#ifndef MVM_PROPS_H
#define MVM_PROPS_H

#include <stddef.h>

#include "vdh.h"

/* Checks a VDD's property table itself (names unique and non-empty, known
 * types, defaults that parse): a broken table refuses the VDD. */
int props_check_spec(const struct vdh_prop_spec *spec, char *err, size_t err_size);

/* Builds the properties of one VDD instance from its defaults and the
 * user's "key=value" assignments (later ones win). Errors name the VDD, the
 * key and what it accepts. */
int props_create(const struct vdh_prop_spec *spec, const char *vdd_name,
		 const char *const *assignments, size_t count, struct vdh_props **out, char *err,
		 size_t err_size);
void props_destroy(struct vdh_props *props);

bool props_get_bool(const struct vdh_props *props, const char *name);
int64_t props_get_int(const struct vdh_props *props, const char *name);
const char *props_get_string(const struct vdh_props *props, const char *name);

const char *props_type_name(enum vdh_prop_type type);

/* In "key=value,key=value" text, the comma that ends the first assignment,
 * or NULL: a comma starts a new assignment only when "key=" follows it, so
 * values (paths, typed keys) may hold commas. */
const char *props_next_assignment(const char *s);

#endif
