/* test_vvmi_events.c: the host's event producer against the guest's consumer, and a guest that scribbles on the ring. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ring.h"
#include "ring_guest.h"
#include "vvmi_test_region.h"

#define EVENT_DATA (EVENT_RING + RING_DATA)

static struct vvmi_ring_host host;
static volatile uint8_t *region;

static int setup(void **state)
{
	(void)state;
	region = region_create();
	if (!region)
		return -1;
	vvmi_region_init(&host, region);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	region_destroy(region);
	return 0;
}

static uint32_t event_head(void)
{
	return peek32(region, EVENT_RING + RING_HEAD);
}

static uint32_t dropped(void)
{
	return peek32(region, EVENT_RING + RING_DROPPED);
}

static void push_presented(uint32_t sequence)
{
	struct vvmi_event_presented presented = { .sequence = sequence };
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &presented,
					 sizeof(presented)),
			 0);
}

static void expect_presented(uint32_t sequence)
{
	struct vvmi_event_presented presented = { 0 };
	uint16_t type = 0;
	assert_int_equal(vvmi_guest_get_event(region, &type, &presented, sizeof(presented)), 4);
	assert_int_equal(type, VVMI_EVENT_PRESENTED);
	assert_int_equal(presented.sequence, sequence);
}

static void expect_no_event(void)
{
	uint16_t type;
	uint8_t body[8];
	assert_int_equal(vvmi_guest_get_event(region, &type, body, sizeof(body)), -EAGAIN);
}

static void test_an_event_arrives_padded(void **state)
{
	(void)state;
	expect_no_event();
	const struct vvmi_event_key key = { .scancode = 0xE048, .pressed = 1 };
	const uint8_t extra[6] = { 1, 2, 3, 4, 5, 6 };
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_KEY, &key, sizeof(key)), 0);
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_POINTER, extra, sizeof(extra)), 0);
	assert_int_equal(peek32(region, EVENT_DATA), 8u | VVMI_EVENT_KEY << 16);
	assert_int_equal(peek32(region, EVENT_DATA + 8), 12u | VVMI_EVENT_POINTER << 16);
	assert_int_equal(event_head(), 20);

	struct vvmi_event_key got = { 0 };
	uint16_t type = 0;
	assert_int_equal(vvmi_guest_get_event(region, &type, &got, sizeof(got)), 4);
	assert_int_equal(type, VVMI_EVENT_KEY);
	assert_int_equal(got.scancode, 0xE048);
	assert_int_equal(got.pressed, 1);

	uint8_t body[8];
	memset(body, 0xCC, sizeof(body));
	assert_int_equal(vvmi_guest_get_event(region, &type, body, sizeof(body)), 8);
	assert_int_equal(type, VVMI_EVENT_POINTER);
	const uint8_t padded[8] = { 1, 2, 3, 4, 5, 6, 0, 0 };
	assert_memory_equal(body, padded, 8);
	assert_int_equal(peek32(region, EVENT_RING + RING_TAIL), 20);
	expect_no_event();
}

static void test_many_events_round_trip_across_laps(void **state)
{
	(void)state;
	uint32_t pushed = 0, received = 0, refused = 0;
	for (unsigned rounds = 0; pushed < 4000; rounds++) {
		assert_true(rounds < 100000);
		uint8_t body[40];
		const size_t len = 4 + (pushed * 5) % 36;
		memset(body, (int)(pushed & 0xFF), len);
		memcpy(body, &pushed, 4);
		if (vvmi_event_push(&host, VVMI_EVENT_POINTER, body, len) == 0) {
			pushed++;
			if (pushed % 150 != 0)
				continue;
		} else {
			refused++;
		}
		/* Drain all but a few, so the ring wraps with events in it. */
		while (pushed - received > 3) {
			uint8_t got[40];
			uint16_t type = 0;
			const size_t want = 4 + (received * 5) % 36;
			assert_int_equal(vvmi_guest_get_event(region, &type, got, sizeof(got)),
					 (want + 3) & ~3u);
			assert_int_equal(type, VVMI_EVENT_POINTER);
			uint32_t sequence;
			memcpy(&sequence, got, 4);
			assert_int_equal(sequence, received);
			for (size_t i = 4; i < want; i++)
				assert_int_equal(got[i], received & 0xFF);
			received++;
		}
	}
	assert_true(refused > 0);
	assert_int_equal(dropped(), refused);
}

static void test_a_full_ring_drops_and_counts_and_keeps_unread_events(void **state)
{
	(void)state;
	/* 8-byte records: 475 fit; a 476th would make head meet tail at 0. */
	for (uint32_t i = 0; i < 475; i++)
		push_presented(i);
	assert_int_equal(event_head(), 475 * 8);

	const struct vvmi_event_presented presented = { .sequence = 0xDEAD };
	for (uint32_t i = 1; i <= 3; i++) {
		assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &presented,
						 sizeof(presented)),
				 -ENOSPC);
		assert_int_equal(dropped(), i);
	}
	assert_int_equal(event_head(), 475 * 8);
	for (uint32_t i = 0; i < 475; i++)
		expect_presented(i);
	expect_no_event();

	/* Room again: the next ends the lap; dropped stays. */
	push_presented(1000);
	assert_int_equal(event_head(), 0);
	expect_presented(1000);
	assert_int_equal(dropped(), 3);
}

static void test_a_full_ring_in_the_next_lap_keeps_unread_events(void **state)
{
	(void)state;
	const struct vvmi_event_pointer pointer = { .x = 1 };
	uint8_t body[8];
	uint16_t type;
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_POINTER, &pointer, sizeof(pointer)), 0);
	for (uint32_t i = 0; i < 4; i++)
		push_presented(i);
	assert_int_equal(vvmi_guest_get_event(region, &type, body, sizeof(body)), 8);
	expect_presented(0); /* tail at 20, head at 44 */
	uint32_t pushed = 4;
	while (pushed < 1000 && vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &pushed, 4) == 0)
		pushed++;
	/* 4 bytes were left at the end: a PAD, then 0..16, a slot short of tail. */
	assert_int_equal(peek32(region, EVENT_DATA + EVENT_SIZE - 4), 4u | VVMI_EVENT_PAD << 16);
	assert_int_equal(event_head(), 16);
	assert_int_equal(dropped(), 1);
	assert_int_equal(pushed, 4 + 470 + 2);
	for (uint32_t i = 1; i < pushed; i++)
		expect_presented(i);
	expect_no_event();
}

static void check_bad_tail_is_full(uint32_t tail)
{
	push_presented(1);
	uint8_t before[EVENT_SIZE], after[EVENT_SIZE];
	for (uint32_t i = 0; i < EVENT_SIZE; i++)
		before[i] = region[EVENT_DATA + i];
	poke32(region, EVENT_RING + RING_TAIL, tail);
	const uint32_t sequence = 2;
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &sequence, 4), -ENOSPC);
	assert_int_equal(dropped(), 1);
	assert_int_equal(event_head(), 8);
	for (uint32_t i = 0; i < EVENT_SIZE; i++)
		after[i] = region[EVENT_DATA + i];
	assert_memory_equal(before, after, EVENT_SIZE);
}

static void test_a_tail_past_size_counts_as_full(void **state)
{
	(void)state;
	check_bad_tail_is_full(EVENT_SIZE);
}

static void test_an_unaligned_tail_counts_as_full(void **state)
{
	(void)state;
	check_bad_tail_is_full(6);
}

static void test_a_scribbled_head_is_rewritten_not_followed(void **state)
{
	(void)state;
	push_presented(1);
	push_presented(2);
	/* Far past the region: the host would write there if it trusted head. */
	poke32(region, EVENT_RING + RING_HEAD, 0x7FFFFFF0);
	push_presented(3);
	assert_int_equal(event_head(), 24);
	assert_int_equal(peek32(region, EVENT_DATA + 16), 8u | VVMI_EVENT_PRESENTED << 16);
	assert_int_equal(peek32(region, EVENT_DATA + 20), 3);
	expect_presented(1);
	expect_presented(2);
	expect_presented(3);

	/* Near the end of the ring, and unaligned: still the host's head. */
	poke32(region, EVENT_RING + RING_HEAD, EVENT_SIZE - 2);
	push_presented(4);
	assert_int_equal(event_head(), 32);
	expect_presented(4);

	/* A drop rewrites it too. */
	poke32(region, EVENT_RING + RING_TAIL, 36);
	poke32(region, EVENT_RING + RING_HEAD, 0xFFFFFFFC);
	const uint32_t sequence = 5;
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &sequence, 4), -ENOSPC);
	assert_int_equal(event_head(), 32);
}

static void test_a_scribbled_dropped_count_is_rewritten(void **state)
{
	(void)state;
	poke32(region, EVENT_RING + RING_TAIL, 4);
	const uint32_t sequence = 5;
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &sequence, 4), -ENOSPC);
	poke32(region, EVENT_RING + RING_DROPPED, 1000);
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_PRESENTED, &sequence, 4), -ENOSPC);
	assert_int_equal(dropped(), 2);
}

static void test_an_event_no_ring_can_hold_is_refused_and_not_counted(void **state)
{
	(void)state;
	static const uint8_t big[EVENT_SIZE];
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_POINTER, big, EVENT_SIZE - 7),
			 -EMSGSIZE);
	assert_int_equal(dropped(), 0);
	assert_int_equal(event_head(), 0);
	assert_int_equal(vvmi_event_push(&host, VVMI_EVENT_POINTER, big, EVENT_SIZE - 8), 0);
	assert_int_equal(event_head(), EVENT_SIZE - 4);
}

#define EVENT_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		EVENT_TEST(test_an_event_arrives_padded),
		EVENT_TEST(test_many_events_round_trip_across_laps),
		EVENT_TEST(test_a_full_ring_drops_and_counts_and_keeps_unread_events),
		EVENT_TEST(test_a_full_ring_in_the_next_lap_keeps_unread_events),
		EVENT_TEST(test_a_tail_past_size_counts_as_full),
		EVENT_TEST(test_an_unaligned_tail_counts_as_full),
		EVENT_TEST(test_a_scribbled_head_is_rewritten_not_followed),
		EVENT_TEST(test_a_scribbled_dropped_count_is_rewritten),
		EVENT_TEST(test_an_event_no_ring_can_hold_is_refused_and_not_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
