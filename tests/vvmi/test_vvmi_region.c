/* test_vvmi_region.c: the shared region as vvmi_region_init leaves it, byte for byte against protocol.h. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ring.h"
#include "ring_guest.h"
#include "vvmi_test_region.h"

static struct vvmi_ring_host host;
static volatile uint8_t *region;

static int setup(void **state)
{
	(void)state;
	region = region_create();
	if (!region)
		return -1;
	for (uint32_t i = 0; i < 0x10000; i++)
		region[i] = 0xCC;
	vvmi_region_init(&host, region);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	region_destroy(region);
	return 0;
}

static void test_region_header_says_where_everything_is(void **state)
{
	(void)state;
	/* "VVMI" as bytes, as a DOS client compares them. */
	assert_int_equal(region[0], 'V');
	assert_int_equal(region[1], 'V');
	assert_int_equal(region[2], 'M');
	assert_int_equal(region[3], 'I');
	assert_int_equal(peek16(region, 0x04), 1);      /* version */
	assert_int_equal(peek16(region, 0x06), 0x40);   /* header_bytes */
	assert_int_equal(peek32(region, 0x08), 0x10000); /* region_bytes */
	assert_int_equal(peek16(region, 0x0C), 0x0040); /* cmd_ring */
	assert_int_equal(peek16(region, 0x0E), 0x2040); /* event_ring */
	assert_int_equal(peek16(region, 0x10), 0x3000); /* heap */
	assert_int_equal(peek16(region, 0x12), 0xD000); /* heap_bytes_lo */
	for (uint32_t i = 0x14; i < 0x40; i++)
		assert_int_equal(region[i], 0);
}

static void assert_empty_ring(uint32_t ring, uint32_t size)
{
	assert_int_equal(peek32(region, ring + RING_MAGIC), 0x494D5656);
	assert_int_equal(peek16(region, ring + RING_VERSION), 1);
	assert_int_equal(peek16(region, ring + RING_VERSION + 2), 0);
	assert_int_equal(peek32(region, ring + RING_SIZE), size);
	assert_int_equal(peek32(region, ring + RING_HEAD), 0);
	assert_int_equal(peek32(region, ring + RING_TAIL), 0);
	assert_int_equal(peek32(region, ring + RING_DROPPED), 0);
	assert_int_equal(peek32(region, ring + 24), 0);
	assert_int_equal(peek32(region, ring + 28), 0);
}

static void test_both_rings_start_empty_and_fill_their_span(void **state)
{
	(void)state;
	assert_empty_ring(CMD_RING, CMD_SIZE);
	assert_empty_ring(EVENT_RING, EVENT_SIZE);
	/* The command ring's data ends where the event ring begins. */
	assert_int_equal(CMD_RING + RING_DATA + CMD_SIZE, EVENT_RING);
	assert_true(EVENT_RING + RING_DATA + EVENT_SIZE <= 0x3000);
	assert_int_equal(VVMI_CMD_RING_DATA_BYTES, CMD_SIZE);
	assert_int_equal(VVMI_EVENT_RING_DATA_BYTES, EVENT_SIZE);
}

static void test_everything_else_is_zero(void **state)
{
	(void)state;
	for (uint32_t i = CMD_RING + RING_DATA; i < EVENT_RING; i++)
		assert_int_equal(region[i], 0);
	for (uint32_t i = EVENT_RING + RING_DATA; i < 0x10000; i++)
		assert_int_equal(region[i], 0);
}

static int execute_nothing(void *opaque, uint16_t opcode, const void *body, size_t len,
			   uint32_t offset)
{
	(void)opaque, (void)opcode, (void)body, (void)len, (void)offset;
	return 0;
}

/* The VDD resets the rings with the machine: the host's own indices too. */
static void test_init_again_forgets_the_rings_state(void **state)
{
	(void)state;
	const uint32_t event = 0x12345678;
	assert_int_equal(vvmi_guest_put(region, VVMI_CMD_PRESENT, &event, sizeof(event)), 0);
	assert_int_equal(vvmi_ring_consume(&host, execute_nothing, NULL, 16), 0);
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &event, sizeof(event)), 0);
	poke32(region, EVENT_RING + RING_TAIL, 0xFFFF);
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &event, sizeof(event)),
			 -ENOSPC);
	assert_int_not_equal(host.cmd_tail, 0);
	assert_int_not_equal(host.event_head, 0);

	vvmi_region_init(&host, region);
	assert_int_equal(host.cmd_tail, 0);
	assert_int_equal(host.event_head, 0);
	assert_int_equal(host.event_dropped, 0);
	assert_empty_ring(CMD_RING, CMD_SIZE);
	assert_empty_ring(EVENT_RING, EVENT_SIZE);
	assert_int_equal(peek32(region, CMD_RING + RING_DATA), 0);
}

#define REGION_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		REGION_TEST(test_region_header_says_where_everything_is),
		REGION_TEST(test_both_rings_start_empty_and_fill_their_span),
		REGION_TEST(test_everything_else_is_zero),
		REGION_TEST(test_init_again_forgets_the_rings_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
