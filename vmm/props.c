/* props.c: a VDD's typed properties, checked against the table it declares. */
#include "props.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include "log.h"

union prop_value {
	bool b;
	int64_t i;
	char *s;
};

struct vdh_props {
	const struct vdh_prop_spec *spec;
	size_t count;
	union prop_value *values;
};

const char *props_type_name(enum vdh_prop_type type)
{
	switch (type) {
	case VDH_PROP_BOOL:
		return "bool";
	case VDH_PROP_INT:
		return "int";
	case VDH_PROP_STRING:
		return "string";
	}
	return "?";
}

static size_t spec_count(const struct vdh_prop_spec *spec)
{
	size_t n = 0;
	while (spec && spec[n].name)
		n++;
	return n;
}

static int parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Decimal, or hexadecimal with 0x, either with a minus sign; no octal, so
 * "010" is ten as users mean it, and no blanks or plus signs. */
static int parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
	bool negative = text[0] == '-';
	const char *digits = text + negative;
	bool hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
	unsigned long long magnitude;
	int64_t v;
	char *end;

	digits += hex ? 2 : 0;
	if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
		return -EINVAL;
	errno = 0;
	magnitude = strtoull(digits, &end, hex ? 16 : 10);
	if (errno || *end || magnitude > (unsigned long long)INT64_MAX + negative)
		return -EINVAL;
	v = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
	if (v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Parses text for spec into *value; on error describes what is accepted. */
static int parse_value(const struct vdh_prop_spec *spec, const char *text,
		       union prop_value *value, char *what, size_t what_size)
{
	switch (spec->type) {
	case VDH_PROP_BOOL:
		snprintf(what, what_size, "on/off, yes/no, true/false or 1/0");
		return parse_bool(text, &value->b);
	case VDH_PROP_INT:
		snprintf(what, what_size, "an integer from %lld to %lld", (long long)spec->min,
			 (long long)spec->max);
		return parse_int(text, spec->min, spec->max, &value->i);
	case VDH_PROP_STRING:
		value->s = strdup(text);
		return value->s ? 0 : -ENOMEM;
	}
	snprintf(what, what_size, "of a known type (the VDD declared type %d)", (int)spec->type);
	return -EINVAL;
}

int props_check_spec(const struct vdh_prop_spec *spec, char *err, size_t err_size)
{
	size_t n = spec_count(spec);
	for (size_t i = 0; i < n; i++) {
		union prop_value value = { 0 };
		char what[96];
		if (!spec[i].name[0] || strchr(spec[i].name, '=') || strchr(spec[i].name, ',')) {
			snprintf(err, err_size, "property %zu has an unusable name '%s'", i,
				 spec[i].name);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(spec[i].name, spec[j].name) == 0) {
				snprintf(err, err_size, "property '%s' is declared twice",
					 spec[i].name);
				return -EINVAL;
			}
		}
		if (parse_value(&spec[i], spec[i].default_value ? spec[i].default_value : "",
				&value, what, sizeof(what)) < 0) {
			snprintf(err, err_size, "property '%s' has a default '%s' that is not %s",
				 spec[i].name, spec[i].default_value ? spec[i].default_value : "",
				 what);
			return -EINVAL;
		}
		if (spec[i].type == VDH_PROP_STRING)
			free(value.s);
	}
	return 0;
}

static int find_index(const struct vdh_prop_spec *spec, size_t n, const char *name,
		      size_t name_len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(spec[i].name) == name_len && strncmp(spec[i].name, name, name_len) == 0)
			return (int)i;
	return -1;
}

static void list_names(const struct vdh_prop_spec *spec, size_t n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 spec[i].name);
	if (n == 0)
		snprintf(buf, size, "none");
}

static void free_values(const struct vdh_prop_spec *spec, size_t n, union prop_value *values)
{
	for (size_t i = 0; values && i < n; i++)
		if (spec[i].type == VDH_PROP_STRING)
			free(values[i].s);
	free(values);
}

int props_create(const struct vdh_prop_spec *spec, const char *vdd_name,
		 const char *const *assignments, size_t count, struct vdh_props **out, char *err,
		 size_t err_size)
{
	size_t n = spec_count(spec);
	struct vdh_props *props = calloc(1, sizeof(*props));
	union prop_value *values = calloc(n ? n : 1, sizeof(*values));
	char what[96];

	if (!props || !values) {
		free(props);
		free(values);
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (parse_value(&spec[i], spec[i].default_value ? spec[i].default_value : "",
				&values[i], what, sizeof(what)) < 0) {
			snprintf(err, err_size, "%s: property '%s' has a bad default", vdd_name,
				 spec[i].name);
			free_values(spec, n, values);
			free(props);
			return -EINVAL;
		}
	}
	for (size_t a = 0; a < count; a++) {
		const char *eq = strchr(assignments[a], '=');
		union prop_value value = { 0 };
		int index;
		if (!eq || eq == assignments[a]) {
			snprintf(err, err_size, "%s: '%s' is not key=value", vdd_name, assignments[a]);
			goto fail;
		}
		index = find_index(spec, n, assignments[a], (size_t)(eq - assignments[a]));
		if (index < 0) {
			char names[256];
			list_names(spec, n, names, sizeof(names));
			snprintf(err, err_size, "%s has no property '%.*s' (it has: %s)", vdd_name,
				 (int)(eq - assignments[a]), assignments[a], names);
			goto fail;
		}
		if (parse_value(&spec[index], eq + 1, &value, what, sizeof(what)) < 0) {
			snprintf(err, err_size, "%s: property '%s' wants %s, not '%s'", vdd_name,
				 spec[index].name, what, eq + 1);
			goto fail;
		}
		if (spec[index].type == VDH_PROP_STRING)
			free(values[index].s);
		values[index] = value;
	}
	props->spec = spec;
	props->count = n;
	props->values = values;
	*out = props;
	return 0;
fail:
	free_values(spec, n, values);
	free(props);
	return -EINVAL;
}

void props_destroy(struct vdh_props *props)
{
	if (!props)
		return;
	free_values(props->spec, props->count, props->values);
	free(props);
}

/* A VDD asking for a property it did not declare (or with the wrong type)
 * is a bug in the VDD: say so, and answer as if unset. */
static const union prop_value *lookup(const struct vdh_props *props, const char *name,
				      enum vdh_prop_type type)
{
	static const union prop_value empty = { 0 };
	int i = find_index(props->spec, props->count, name, strlen(name));
	if (i < 0 || props->spec[i].type != type) {
		log_error("VDD bug: asked for %s property '%s', which it did not declare",
			  props_type_name(type), name);
		return &empty;
	}
	return &props->values[i];
}

bool props_get_bool(const struct vdh_props *props, const char *name)
{
	return lookup(props, name, VDH_PROP_BOOL)->b;
}

int64_t props_get_int(const struct vdh_props *props, const char *name)
{
	return lookup(props, name, VDH_PROP_INT)->i;
}

const char *props_get_string(const struct vdh_props *props, const char *name)
{
	const char *s = lookup(props, name, VDH_PROP_STRING)->s;
	return s ? s : "";
}

const char *props_next_assignment(const char *s)
{
	for (const char *c = strchr(s, ','); c; c = strchr(c + 1, ',')) {
		const char *k = c + 1;
		while ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		       (*k >= '0' && *k <= '9') || *k == '_' || *k == '-')
			k++;
		if (k > c + 1 && *k == '=')
			return c;
	}
	return NULL;
}
