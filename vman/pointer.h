/* pointer.h: a client's mouse pointer: AND and XOR masks as a VGA cursor's, hot spot, position. Private to vman/. */
#ifndef MVM_VMAN_POINTER_H
#define MVM_VMAN_POINTER_H

#include <stdbool.h>
#include <stdint.h>

#include "heap.h"

#define VMAN_POINTER_SIZE_MAX 64u
#define VMAN_POINTER_ROW_BYTES (VMAN_POINTER_SIZE_MAX / 8u)

struct vman_pointer {
	unsigned width, height; /* 0 x 0 until the guest gives a shape */
	unsigned hot_x, hot_y;
	uint8_t and_mask[VMAN_POINTER_SIZE_MAX][VMAN_POINTER_ROW_BYTES];
	uint8_t xor_mask[VMAN_POINTER_SIZE_MAX][VMAN_POINTER_ROW_BYTES];
	int32_t x, y;           /* the hot spot, on the screen */
	bool visible;
};

/* Bytes of one mask of a width x height pointer in the heap. */
uint32_t vman_pointer_mask_bytes(unsigned width, unsigned height);

/* The caller checked the size (1..VMAN_POINTER_SIZE_MAX), the hot spot (in
 * it) and that both masks at masks lie in the heap. */
void vman_pointer_set_shape(struct vman_pointer *pointer, unsigned width, unsigned height,
			    unsigned hot_x, unsigned hot_y, const struct vman_heap *heap,
			    uint32_t masks);

/* Over a frame of XRGB8888 pixels (stride width * 4), if the pointer is
 * visible and has a shape: pixel = (pixel AND and) XOR xor, each mask bit
 * standing for all 24 colour bits. */
void vman_pointer_draw(const struct vman_pointer *pointer, uint32_t *pixels, unsigned width,
		       unsigned height);

#endif
