/* vman_test.h: a guest of libvman for the tests: one client, its shared region's heap, the events it was sent, and helpers that read its screen's stored values back from the output. */
#ifndef MVM_TESTS_VMAN_TEST_H
#define MVM_TESTS_VMAN_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "vman.h"

#define TEST_EVENTS_MAX 512u

struct test_vm {
	struct vman *vman;
	struct vman_client *client;
	uint8_t region[VVMI_REGION_SIZE]; /* the heap is its tail, from VVMI_HEAP_OFFSET */
	struct vman_heap heap;
	enum vvmi_format format;          /* the screen's, as the last test_set_mode made it */
	unsigned width, height;
	unsigned presented_count;
	uint32_t presented[TEST_EVENTS_MAX]; /* PRESENTED sequences, in order */
	int foreground;                      /* the last VMAN_EVENT_FOREGROUND value */
	unsigned foreground_events;
};

/* A vman of that renderer with one client; NULL when the renderer cannot
 * start (errno says why). */
struct test_vm *test_vm_create(enum vman_renderer_kind renderer);
void test_vm_destroy(struct test_vm *vm);

/* vman_ghi with the VM's heap. */
int test_ghi(struct test_vm *vm, uint16_t opcode, const void *body, size_t len);
#define TEST_GHI(vm, opcode, body) test_ghi((vm), (opcode), &(body), sizeof(body))

/* SET_MODE that must succeed; an I8 screen gets the identity palette (entry
 * i is XRGB i), so that the output shows the stored index. */
void test_set_mode(struct test_vm *vm, enum vvmi_format format, unsigned width, unsigned height);
void test_identity_palette(struct test_vm *vm, uint16_t surface);

/* Bytes into the heap at offset (from the region's start). */
void test_heap_put(struct test_vm *vm, uint32_t offset, const void *bytes, size_t len);

/* Stores values (width x height, in the surface's format, rows packed) at
 * x, y of a surface with PUT_IMAGE SRCCOPY through the heap. */
void test_put_values(struct test_vm *vm, uint16_t surface, enum vvmi_format format, int16_t x,
		     int16_t y, unsigned width, unsigned height, const uint32_t *values);

/* A frame: the output's pixels (colour bits only) into out, which holds
 * width x height of the screen. */
void test_frame(struct test_vm *vm, uint32_t *out);

/* A frame, read back as the screen's stored values (the screen is the
 * whole output when no window is shown). */
void test_screen_values(struct test_vm *vm, uint32_t *values);

/* The bits a value of the format has. */
unsigned test_format_bits(enum vvmi_format format);

#endif
