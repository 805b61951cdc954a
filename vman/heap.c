/* heap.c: the guest's heap, read within bounds and once per byte, as the guest may change it meanwhile. */
#include "heap.h"

int vman_heap_check(const struct vman_heap *heap, uint64_t offset, uint64_t bytes)
{
	if (bytes == 0)
		return 0;
	if (!heap || !heap->base || offset < heap->heap_start || offset > heap->size ||
	    bytes > heap->size - offset)
		return VVMI_ERROR_HEAP;
	return 0;
}

void vman_heap_copy(const struct vman_heap *heap, uint32_t offset, void *dst, size_t bytes)
{
	uint8_t *out = dst;

	for (size_t i = 0; i < bytes; i++)
		out[i] = heap->base[offset + i];
}

uint8_t vman_heap_byte(const struct vman_heap *heap, uint32_t offset)
{
	return heap->base[offset];
}
