/* test_vvmi_commands.c: the host's command consumer, driven by the guest's producer and by a guest that breaks the ring. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ring.h"
#include "ring_guest.h"
#include "vvmi_test_region.h"

#define CMD_DATA (CMD_RING + RING_DATA)
#define ALL UINT_MAX

static struct vvmi_ring_host host;
static volatile uint8_t *region;
static const uint8_t zeros[CMD_SIZE];

/* What the callback saw. */
struct executed {
	uint16_t opcode;
	uint32_t offset;
	size_t len;
	uint8_t body[64];
};

static struct {
	struct executed commands[4096];
	size_t count;
	uint16_t fail_opcode; /* returns fail_code for this one */
	int fail_code;
} run;

static int record_command(void *opaque, uint16_t opcode, const void *body, size_t len,
			  uint32_t offset)
{
	(void)opaque;
	assert_true(run.count < 4096);
	struct executed *e = &run.commands[run.count++];
	e->opcode = opcode;
	e->offset = offset;
	e->len = len;
	memcpy(e->body, body, len < sizeof(e->body) ? len : sizeof(e->body));
	return opcode == run.fail_opcode ? run.fail_code : 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&run, 0, sizeof(run));
	run.fail_opcode = 0xFFFF;
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

static void put_ok(uint16_t opcode, const void *body, size_t len)
{
	assert_int_equal(vvmi_guest_put(region, opcode, body, len), 0);
}

static void put_empty(uint16_t opcode)
{
	put_ok(opcode, NULL, 0);
}

static uint32_t cmd_head(void)
{
	return peek32(region, CMD_RING + RING_HEAD);
}

static uint32_t cmd_tail(void)
{
	return peek32(region, CMD_RING + RING_TAIL);
}

/* The guest's own view of what it wrote: a raw record header at offset. */
static void put_raw(uint32_t offset, uint16_t length, uint16_t opcode, uint32_t head)
{
	poke32(region, CMD_DATA + offset, (uint32_t)length | (uint32_t)opcode << 16);
	poke32(region, CMD_RING + RING_HEAD, head);
}

/* Moves an empty, fresh ring's head and tail to offset with one record. */
static void move_ring_to(uint32_t offset)
{
	put_ok(VVMI_CMD_PRESENT, zeros, offset - 4);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(cmd_tail(), offset);
	memset(&run, 0, sizeof(run));
	run.fail_opcode = 0xFFFF;
}

static void expect_error_event(uint16_t opcode, uint16_t code, uint32_t offset)
{
	struct vvmi_event_error error;
	uint16_t type = 0;
	assert_int_equal(vvmi_guest_get_event(region, &type, &error, sizeof(error)), 8);
	assert_int_equal(type, VVMI_EVENT_ERROR);
	assert_int_equal(error.opcode, opcode);
	assert_int_equal(error.code, code);
	assert_int_equal(error.offset, offset);
}

static void expect_no_event(void)
{
	uint16_t type;
	uint8_t body[8];
	assert_int_equal(vvmi_guest_get_event(region, &type, body, sizeof(body)), -EAGAIN);
}

static void test_a_command_arrives_copied_and_padded(void **state)
{
	(void)state;
	const uint8_t body[6] = { 1, 2, 3, 4, 5, 6 };
	put_ok(VVMI_CMD_FILL, body, sizeof(body));
	/* 4 + 6 rounded up to 12, the padding zeroed. */
	assert_int_equal(cmd_head(), 12);
	assert_int_equal(peek32(region, CMD_DATA), 12u | VVMI_CMD_FILL << 16);

	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 1);
	assert_int_equal(run.commands[0].opcode, VVMI_CMD_FILL);
	assert_int_equal(run.commands[0].offset, 0);
	assert_int_equal(run.commands[0].len, 8);
	const uint8_t padded[8] = { 1, 2, 3, 4, 5, 6, 0, 0 };
	assert_memory_equal(run.commands[0].body, padded, 8);
	assert_int_equal(cmd_tail(), 12);
	assert_int_equal(host.cmd_tail, 12);
	expect_no_event();
}

static void test_many_records_round_trip_across_laps(void **state)
{
	(void)state;
	size_t sent = 0, checked = 0, wraps = 0;
	uint32_t expected_offset = 0;

	for (unsigned rounds = 0; sent < 5000; rounds++) {
		assert_true(rounds < 100000);
		uint8_t body[60];
		const size_t len = (sent * 7) % sizeof(body);
		for (size_t i = 0; i < len; i++)
			body[i] = (uint8_t)(sent + i);
		const int put = vvmi_guest_put(region, (uint16_t)(1 + sent % 19), body, len);
		if (put == 0) {
			sent++;
			if (sent % 300 != 0)
				continue;
		} else {
			assert_int_equal(put, -ENOSPC);
		}
		/* Sometimes all of it, sometimes less. */
		run.count = 0;
		assert_true(vvmi_ring_consume(&host, record_command, NULL, 250) >= 0);
		for (size_t i = 0; i < run.count; i++, checked++) {
			const struct executed *e = &run.commands[i];
			const size_t want_len = (checked * 7) % sizeof(body);
			assert_int_equal(e->opcode, 1 + checked % 19);
			assert_int_equal(e->len, (want_len + 3) & ~3u);
			for (size_t b = 0; b < want_len; b++)
				assert_int_equal(e->body[b], (uint8_t)(checked + b));
			/* Either right after the last, or at 0 behind a PAD. */
			if (e->offset != expected_offset) {
				assert_int_equal(e->offset, 0);
				wraps++;
			}
			expected_offset = e->offset + 4 + (uint32_t)e->len;
			if (expected_offset == CMD_SIZE)
				expected_offset = 0;
		}
	}
	run.count = 0;
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	checked += run.count;
	assert_int_equal(checked, sent);
	assert_true(wraps >= 10);
	assert_int_equal(cmd_tail(), cmd_head());
	expect_no_event();
}

static void test_a_record_that_does_not_fit_before_the_end_goes_behind_a_pad(void **state)
{
	(void)state;
	move_ring_to(CMD_SIZE - 16);
	const uint8_t body[16] = { 0xAB };
	put_ok(VVMI_CMD_LINE, body, sizeof(body));
	assert_int_equal(peek32(region, CMD_DATA + CMD_SIZE - 16), 16u | VVMI_CMD_PAD << 16);
	assert_int_equal(peek32(region, CMD_DATA), 20u | VVMI_CMD_LINE << 16);
	assert_int_equal(cmd_head(), 20);

	/* Two records, the PAD not executed. */
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 1), VVMI_RING_MORE);
	assert_int_equal(run.count, 0);
	assert_int_equal(cmd_tail(), 0);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 1), 0);
	assert_int_equal(run.count, 1);
	assert_int_equal(run.commands[0].offset, 0);
	assert_int_equal(run.commands[0].body[0], 0xAB);
}

static void test_a_record_may_end_exactly_at_the_end(void **state)
{
	(void)state;
	move_ring_to(CMD_SIZE - 16);
	put_ok(VVMI_CMD_LINE, zeros, 12);
	assert_int_equal(cmd_head(), 0);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 1);
	assert_int_equal(run.commands[0].offset, CMD_SIZE - 16);
	assert_int_equal(cmd_tail(), 0);
}

static void test_a_full_ring_keeps_one_slot_free(void **state)
{
	(void)state;
	unsigned fitted = 0;
	/* Bounded, so that a ring that never fills fails rather than hangs. */
	while (fitted <= CMD_SIZE / 4 && vvmi_guest_put(region, VVMI_CMD_PRESENT, NULL, 0) == 0)
		fitted++;
	assert_int_equal(fitted, CMD_SIZE / 4 - 1);
	assert_int_equal(cmd_head(), CMD_SIZE - 4);
	assert_int_equal(vvmi_guest_put(region, VVMI_CMD_PRESENT, NULL, 0), -ENOSPC);

	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, fitted);
	assert_int_equal(cmd_tail(), CMD_SIZE - 4);
	/* The ring is empty, not full: head may now wrap to 0. */
	put_empty(VVMI_CMD_PRESENT);
	assert_int_equal(cmd_head(), 0);
}

static void test_a_full_ring_in_the_next_lap_keeps_one_slot_free(void **state)
{
	(void)state;
	move_ring_to(16);
	/* From 16 to the end, then 0..8: the slot at 12 stays free. */
	unsigned fitted = 0;
	while (fitted <= CMD_SIZE / 4 && vvmi_guest_put(region, VVMI_CMD_PRESENT, NULL, 0) == 0)
		fitted++;
	assert_int_equal(fitted, CMD_SIZE / 4 - 1);
	assert_int_equal(cmd_head(), 12);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, CMD_SIZE / 4 - 1);
	assert_int_equal(cmd_tail(), 12);
}

static void test_a_wrapping_record_stops_a_slot_short_of_tail(void **state)
{
	(void)state;
	move_ring_to(16);
	put_ok(VVMI_CMD_PUT_IMAGE, zeros, CMD_SIZE - 16 - 8 - 4);
	assert_int_equal(cmd_head(), CMD_SIZE - 8);
	/* 8 bytes left at the end, 16 free at the start: head may not reach tail. */
	assert_int_equal(vvmi_guest_put(region, VVMI_CMD_FILL, zeros, 12), -ENOSPC);
	assert_int_equal(cmd_head(), CMD_SIZE - 8);
	put_ok(VVMI_CMD_FILL, zeros, 8);
	assert_int_equal(cmd_head(), 12);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 2);
	assert_int_equal(run.commands[1].offset, 0);
}

static void test_a_record_no_ring_can_hold_is_refused(void **state)
{
	(void)state;
	assert_int_equal(vvmi_guest_put(region, VVMI_CMD_PALETTE, zeros, CMD_SIZE - 7), -EMSGSIZE);
	assert_int_equal(cmd_head(), 0);
	/* The largest: the whole ring less the free slot. */
	put_ok(VVMI_CMD_PALETTE, zeros, CMD_SIZE - 8);
	assert_int_equal(cmd_head(), CMD_SIZE - 4);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.commands[0].len, CMD_SIZE - 8);
}

/* Two good records, the bad one at 8, and head further on. */
static void check_bad_length(uint16_t length)
{
	put_empty(VVMI_CMD_POINTER_POS);
	put_empty(VVMI_CMD_POINTER_POS);
	put_raw(8, length, VVMI_CMD_TEXT, 24);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), -EPROTO);
	assert_int_equal(run.count, 2);
	expect_error_event(VVMI_CMD_TEXT, VVMI_ERROR_LENGTH, 8);
	expect_no_event();
	/* What follows is dropped: the ring is empty at the guest's head. */
	assert_int_equal(cmd_tail(), 24);
	assert_int_equal(host.cmd_tail, 24);
	put_empty(VVMI_CMD_PRESENT);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 3);
	assert_int_equal(run.commands[2].offset, 24);
}

static void test_length_0_is_an_error(void **state)
{
	(void)state;
	check_bad_length(0);
}

static void test_length_2_is_an_error(void **state)
{
	(void)state;
	check_bad_length(2);
}

static void test_length_6_is_an_error(void **state)
{
	(void)state;
	check_bad_length(6);
}

static void test_length_past_head_is_an_error(void **state)
{
	(void)state;
	check_bad_length(20);
}

static void test_length_past_the_end_is_an_error(void **state)
{
	(void)state;
	move_ring_to(CMD_SIZE - 8);
	/* The guest wrapped: head at 8 is behind tail, so only 8 bytes are left
	 * before the end. */
	put_raw(CMD_SIZE - 8, 16, VVMI_CMD_BITBLT, 8);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), -EPROTO);
	assert_int_equal(run.count, 0);
	expect_error_event(VVMI_CMD_BITBLT, VVMI_ERROR_LENGTH, CMD_SIZE - 8);
	assert_int_equal(cmd_tail(), 8);
}

static void test_the_largest_length_is_an_error_anywhere(void **state)
{
	(void)state;
	put_raw(0, 0xFFFC, VVMI_CMD_FILL, 12);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), -EPROTO);
	assert_int_equal(run.count, 0);
	expect_error_event(VVMI_CMD_FILL, VVMI_ERROR_LENGTH, 0);
}

/* A corrupt header: VVMI_ERROR_RING at the host's tail, nothing executed,
 * the header rewritten and the ring empty at new_head. */
static void check_ring_reset(uint32_t tail_before, uint32_t new_head)
{
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), -EPROTO);
	assert_int_equal(run.count, 0);
	expect_error_event(VVMI_CMD_PAD, VVMI_ERROR_RING, tail_before);
	expect_no_event();
	assert_int_equal(peek32(region, CMD_RING + RING_MAGIC), VVMI_MAGIC);
	assert_int_equal(peek16(region, CMD_RING + RING_VERSION), VVMI_VERSION);
	assert_int_equal(peek32(region, CMD_RING + RING_SIZE), CMD_SIZE);
	assert_int_equal(cmd_head(), new_head);
	assert_int_equal(cmd_tail(), new_head);
	assert_int_equal(host.cmd_tail, new_head);

	/* And it works again. */
	put_empty(VVMI_CMD_PRESENT);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 1);
	assert_int_equal(run.commands[0].offset, new_head);
}

static void test_head_past_size_resets_the_ring(void **state)
{
	(void)state;
	move_ring_to(40);
	poke32(region, CMD_RING + RING_HEAD, CMD_SIZE);
	check_ring_reset(40, 0);
}

static void test_an_unaligned_head_resets_the_ring(void **state)
{
	(void)state;
	move_ring_to(40);
	poke32(region, CMD_RING + RING_HEAD, 42);
	check_ring_reset(40, 0);
}

static void test_a_tail_the_host_did_not_write_resets_the_ring(void **state)
{
	(void)state;
	move_ring_to(40);
	put_empty(VVMI_CMD_PRESENT);
	poke32(region, CMD_RING + RING_TAIL, 0);
	check_ring_reset(40, 44);
}

static void test_a_wrong_magic_resets_the_ring(void **state)
{
	(void)state;
	put_empty(VVMI_CMD_PRESENT);
	put_empty(VVMI_CMD_PRESENT);
	poke32(region, CMD_RING + RING_MAGIC, 0);
	check_ring_reset(0, 8);
}

static void test_a_wrong_version_resets_the_ring(void **state)
{
	(void)state;
	put_empty(VVMI_CMD_PRESENT);
	poke32(region, CMD_RING + RING_VERSION, 2);
	check_ring_reset(0, 4);
}

static void test_a_wrong_size_resets_the_ring_and_the_host_keeps_its_own(void **state)
{
	(void)state;
	move_ring_to(CMD_SIZE - 8);
	/* With this size, the record at the end would run into the event ring. */
	poke32(region, CMD_RING + RING_SIZE, 0xFFFC);
	put_raw(CMD_SIZE - 8, 0x40, VVMI_CMD_FILL, 8);
	check_ring_reset(CMD_SIZE - 8, 8);
}

static void test_failed_commands_become_error_events(void **state)
{
	(void)state;
	const uint32_t sequence = 7;
	put_empty(VVMI_CMD_WINDOW_RAISE);                     /* at 0 */
	put_ok(VVMI_CMD_PRESENT, &sequence, sizeof(sequence)); /* at 4 */
	put_empty(VVMI_CMD_SURFACE_DESTROY);                  /* at 12 */
	put_empty(VVMI_CMD_SURFACE_DESTROY);                  /* at 16 */
	run.fail_opcode = VVMI_CMD_SURFACE_DESTROY;
	run.fail_code = VVMI_ERROR_SURFACE;
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 4);
	expect_error_event(VVMI_CMD_SURFACE_DESTROY, VVMI_ERROR_SURFACE, 12);
	expect_error_event(VVMI_CMD_SURFACE_DESTROY, VVMI_ERROR_SURFACE, 16);
	expect_no_event();

	put_empty(VVMI_CMD_COUNT);
	run.fail_opcode = VVMI_CMD_COUNT;
	run.fail_code = VVMI_ERROR_OPCODE;
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	expect_error_event(VVMI_CMD_COUNT, VVMI_ERROR_OPCODE, 20);
}

static void test_errors_that_find_the_event_ring_full_are_counted(void **state)
{
	(void)state;
	poke32(region, EVENT_RING + RING_TAIL, 4); /* the guest's tail just past head */
	put_empty(VVMI_CMD_FILL);
	put_empty(VVMI_CMD_FILL);
	run.fail_opcode = VVMI_CMD_FILL;
	run.fail_code = VVMI_ERROR_VALUE;
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 2);
	assert_int_equal(peek32(region, EVENT_RING + RING_DROPPED), 2);
	assert_int_equal(peek32(region, EVENT_RING + RING_HEAD), 0);
}

static void test_max_records_bounds_the_work_per_call(void **state)
{
	(void)state;
	for (int i = 0; i < 10; i++)
		put_empty((uint16_t)(1 + i));
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 0), VVMI_RING_MORE);
	assert_int_equal(run.count, 0);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 3), VVMI_RING_MORE);
	assert_int_equal(run.count, 3);
	assert_int_equal(cmd_tail(), 12);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 3), VVMI_RING_MORE);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 3), VVMI_RING_MORE);
	assert_int_equal(run.count, 9);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 3), 0);
	assert_int_equal(run.count, 10);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(run.commands[i].opcode, 1 + i);
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, 0), 0);
}

/* The guest keeps writing while the host executes. */
static int put_while_executing(void *opaque, uint16_t opcode, const void *body, size_t len,
			       uint32_t offset)
{
	(void)opaque;
	/* Scribble over the record being executed: the body was copied out. */
	for (uint32_t i = 0; i < 4 + len; i++)
		region[CMD_DATA + offset + i] = 0xEE;
	assert_false((const volatile uint8_t *)body >= region &&
		     (const volatile uint8_t *)body < region + 0x10000);
	assert_int_equal(((const uint8_t *)body)[0], 0x11);
	assert_int_equal(((const uint8_t *)body)[len - 1], 0x44);
	put_empty(VVMI_CMD_PRESENT);
	return record_command(NULL, opcode, body, len, offset);
}

static void test_the_host_runs_what_was_there_when_it_read_head(void **state)
{
	(void)state;
	const uint8_t body[4] = { 0x11, 0x22, 0x33, 0x44 };
	put_ok(VVMI_CMD_TEXT, body, sizeof(body));
	assert_int_equal(vvmi_ring_consume(&host, put_while_executing, NULL, ALL), 0);
	assert_int_equal(run.count, 1);
	assert_int_equal(run.commands[0].opcode, VVMI_CMD_TEXT);
	assert_memory_equal(run.commands[0].body, body, 4);
	expect_no_event();
	/* The command it put comes with the next doorbell. */
	assert_int_equal(vvmi_ring_consume(&host, record_command, NULL, ALL), 0);
	assert_int_equal(run.count, 2);
	assert_int_equal(run.commands[1].opcode, VVMI_CMD_PRESENT);
	assert_int_equal(run.commands[1].offset, 8);
}

#define COMMAND_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		COMMAND_TEST(test_a_command_arrives_copied_and_padded),
		COMMAND_TEST(test_many_records_round_trip_across_laps),
		COMMAND_TEST(test_a_record_that_does_not_fit_before_the_end_goes_behind_a_pad),
		COMMAND_TEST(test_a_record_may_end_exactly_at_the_end),
		COMMAND_TEST(test_a_full_ring_keeps_one_slot_free),
		COMMAND_TEST(test_a_full_ring_in_the_next_lap_keeps_one_slot_free),
		COMMAND_TEST(test_a_wrapping_record_stops_a_slot_short_of_tail),
		COMMAND_TEST(test_a_record_no_ring_can_hold_is_refused),
		COMMAND_TEST(test_length_0_is_an_error),
		COMMAND_TEST(test_length_2_is_an_error),
		COMMAND_TEST(test_length_6_is_an_error),
		COMMAND_TEST(test_length_past_head_is_an_error),
		COMMAND_TEST(test_length_past_the_end_is_an_error),
		COMMAND_TEST(test_the_largest_length_is_an_error_anywhere),
		COMMAND_TEST(test_head_past_size_resets_the_ring),
		COMMAND_TEST(test_an_unaligned_head_resets_the_ring),
		COMMAND_TEST(test_a_tail_the_host_did_not_write_resets_the_ring),
		COMMAND_TEST(test_a_wrong_magic_resets_the_ring),
		COMMAND_TEST(test_a_wrong_version_resets_the_ring),
		COMMAND_TEST(test_a_wrong_size_resets_the_ring_and_the_host_keeps_its_own),
		COMMAND_TEST(test_failed_commands_become_error_events),
		COMMAND_TEST(test_errors_that_find_the_event_ring_full_are_counted),
		COMMAND_TEST(test_max_records_bounds_the_work_per_call),
		COMMAND_TEST(test_the_host_runs_what_was_there_when_it_read_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
