/* vdd_script.h: VDD properties' text scripts: errors with a column, a growing event array. */
#ifndef MVM_VDD_SCRIPT_H
#define MVM_VDD_SCRIPT_H

#include <stddef.h>

/* The script being parsed and where its error message goes. */
struct vdd_script {
	const char *text;
	char *err;
	size_t err_size;
};

/* Writes the error message into s->err (truncated to s->err_size). */
void vdd_script_error(const struct vdd_script *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The 1-based column of `at` within s->text. */
size_t vdd_script_column(const struct vdd_script *s, const char *at);

/* How much of a name an error message quotes (a `%.*s` precision). */
int vdd_script_quote_len(size_t len);

/*
 * Makes room for one more item after `count` in *items (*capacity items of item_size bytes),
 * doubling it when full. Returns 0, or -ENOMEM leaving *items and *capacity as they were.
 */
int vdd_script_grow(void **items, size_t *capacity, size_t count, size_t item_size);

#endif
