/* pointer.c: the guest's mouse pointer, kept as its masks and drawn over the output as a VGA cursor would be. */
#include <string.h>

#include "pointer.h"

#define COLOUR_BITS 0xFFFFFFu

static unsigned mask_row_bytes(unsigned width)
{
	return (width + 7u) / 8u;
}

uint32_t vman_pointer_mask_bytes(unsigned width, unsigned height)
{
	return mask_row_bytes(width) * height;
}

void vman_pointer_set_shape(struct vman_pointer *pointer, unsigned width, unsigned height,
			    unsigned hot_x, unsigned hot_y, const struct vman_heap *heap,
			    uint32_t masks)
{
	unsigned row_bytes = mask_row_bytes(width);
	uint32_t xor_masks = masks + vman_pointer_mask_bytes(width, height);

	memset(pointer->and_mask, 0, sizeof(pointer->and_mask));
	memset(pointer->xor_mask, 0, sizeof(pointer->xor_mask));
	for (unsigned row = 0; row < height; row++) {
		vman_heap_copy(heap, masks + row * row_bytes, pointer->and_mask[row], row_bytes);
		vman_heap_copy(heap, xor_masks + row * row_bytes, pointer->xor_mask[row], row_bytes);
	}
	pointer->width = width;
	pointer->height = height;
	pointer->hot_x = hot_x;
	pointer->hot_y = hot_y;
}

static bool mask_bit(const uint8_t row[VMAN_POINTER_ROW_BYTES], unsigned column)
{
	return row[column / 8] >> (7 - column % 8) & 1u;
}

void vman_pointer_draw(const struct vman_pointer *pointer, uint32_t *pixels, unsigned width,
		       unsigned height)
{
	int32_t left = pointer->x - (int32_t)pointer->hot_x;
	int32_t top = pointer->y - (int32_t)pointer->hot_y;

	if (!pointer->visible)
		return;
	for (unsigned row = 0; row < pointer->height; row++) {
		int32_t y = top + (int32_t)row;

		if (y < 0 || y >= (int32_t)height)
			continue;
		for (unsigned column = 0; column < pointer->width; column++) {
			int32_t x = left + (int32_t)column;
			uint32_t *pixel;

			if (x < 0 || x >= (int32_t)width)
				continue;
			pixel = &pixels[(size_t)y * width + (size_t)x];
			if (!mask_bit(pointer->and_mask[row], column))
				*pixel &= ~COLOUR_BITS;
			if (mask_bit(pointer->xor_mask[row], column))
				*pixel ^= COLOUR_BITS;
		}
	}
}
