/* heap.h: bounded reads of the guest's heap, each byte read once. Private to vman/. */
#ifndef MVM_VMAN_HEAP_H
#define MVM_VMAN_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "vman.h"

/* 0 when bytes [offset, offset + bytes) lie in [heap_start, size) (an empty
 * range always does), else VVMI_ERROR_HEAP. 64-bit, so nothing wraps. */
int vman_heap_check(const struct vman_heap *heap, uint64_t offset, uint64_t bytes);

/* Copies a range vman_heap_check accepted. */
void vman_heap_copy(const struct vman_heap *heap, uint32_t offset, void *dst, size_t bytes);
uint8_t vman_heap_byte(const struct vman_heap *heap, uint32_t offset);

#endif
