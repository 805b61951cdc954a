/* fuzz_input.h: a fuzz target's input read as a stream of little-endian numbers and byte runs. */
#ifndef MVM_TESTS_FUZZ_INPUT_H
#define MVM_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct input {
	const uint8_t *data;
	size_t size;
};

/* Up to 4 bytes, little-endian; 0 once the input runs out. */
static inline uint32_t take(struct input *in, unsigned bytes)
{
	uint32_t value = 0;

	for (unsigned i = 0; i < bytes && in->size; i++, in->data++, in->size--)
		value |= (uint32_t)in->data[0] << (8 * i);
	return value;
}

/* Up to want bytes of the input itself. */
static inline const uint8_t *take_bytes(struct input *in, size_t want, size_t *got)
{
	const uint8_t *bytes = in->data;

	*got = want < in->size ? want : in->size;
	in->data += *got;
	in->size -= *got;
	return bytes;
}

#endif
