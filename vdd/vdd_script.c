/* vdd_script.c: VDD properties' text scripts: errors with a column, a growing event array. */
#include "vdd_script.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The longest name an error message quotes in full. */
#define QUOTE_MAX 32

/* The capacity of a script's first array of events. */
#define FIRST_CAPACITY 16

void vdd_script_error(const struct vdd_script *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->err_size, fmt, ap);
	va_end(ap);
}

size_t vdd_script_column(const struct vdd_script *s, const char *at)
{
	return (size_t)(at - s->text) + 1;
}

int vdd_script_quote_len(size_t len)
{
	return len > QUOTE_MAX ? QUOTE_MAX : (int)len;
}

int vdd_script_grow(void **items, size_t *capacity, size_t count, size_t item_size)
{
	size_t grown_capacity;
	void *grown;

	if (count < *capacity)
		return 0;
	grown_capacity = *capacity ? *capacity * 2 : FIRST_CAPACITY;
	if (grown_capacity > SIZE_MAX / item_size)
		return -ENOMEM;
	grown = realloc(*items, grown_capacity * item_size);
	if (!grown)
		return -ENOMEM;
	*items = grown;
	*capacity = grown_capacity;
	return 0;
}
