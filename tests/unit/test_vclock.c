/* test_vclock.c: virtual time, the timer heap and pacing against the host clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vclock.h"

#define MS 1000000ull
#define SECOND 1000000000ull
#define NTIMERS 40 /* more than the heap's first allocation of 16 */

/* The order callbacks ran in, shared by every timer of a test. */
struct fixture;

struct tick {
	struct fixture *f;
	struct vclock_timer timer;
	unsigned id;
	unsigned runs;
	uint64_t rearm_at; /* when non-zero, the callback re-arms itself here */
	bool saw_armed;    /* the timer's armed flag inside its callback */
};

struct fixture {
	struct vclock clock;
	struct tick ticks[NTIMERS];
	unsigned order[4 * NTIMERS];
	uint64_t order_now[4 * NTIMERS];
	unsigned nrun;
};

static void tick_fn(void *opaque, uint64_t now_ns)
{
	struct tick *t = opaque;
	struct fixture *f = t->f;

	assert_true(f->nrun < sizeof(f->order) / sizeof(f->order[0]));
	f->order[f->nrun] = t->id;
	f->order_now[f->nrun] = now_ns;
	f->nrun++;
	t->runs++;
	t->saw_armed = t->timer.armed;
	if (t->rearm_at)
		vclock_arm(&f->clock, &t->timer, t->rearm_at);
}

static struct fixture *create(bool paced, unsigned ntimers)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	vclock_init(&f->clock, paced);
	for (unsigned i = 0; i < ntimers; i++) {
		f->ticks[i].f = f;
		f->ticks[i].id = i;
		assert_int_equal(vclock_timer_add(&f->clock, &f->ticks[i].timer, tick_fn,
						  &f->ticks[i], f), 0);
	}
	return f;
}

static int setup(void **state)
{
	*state = create(false, 3);
	return 0;
}

static int setup_one(void **state)
{
	*state = create(false, 1);
	return 0;
}

static int setup_many(void **state)
{
	*state = create(false, NTIMERS);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vclock_finish(&f->clock);
	free(f);
	return 0;
}

static void arm(struct fixture *f, unsigned id, uint64_t deadline)
{
	vclock_arm(&f->clock, &f->ticks[id].timer, deadline);
}

/* A fixed shuffle of 0..n-1 with distinct deadlines, so heap order is not insertion order. */
static uint64_t shuffled_deadline(unsigned i)
{
	return 1000 + (uint64_t)((i * 17u + 5u) % NTIMERS) * 10;
}

/* ---- virtual time ---- */

static void test_clock_starts_at_zero_with_nothing_armed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(vclock_now(&f->clock), 0);
	assert_int_equal(vclock_next_deadline(&f->clock), UINT64_MAX);
}

static void test_charge_advances_virtual_time(void **state)
{
	struct fixture *f = *state;

	vclock_charge(&f->clock, VCLOCK_TRAP_NS);
	vclock_charge(&f->clock, 250);
	assert_int_equal(vclock_now(&f->clock), VCLOCK_TRAP_NS + 250);
}

static void test_idle_until_jumps_to_later_deadline(void **state)
{
	struct fixture *f = *state;

	vclock_charge(&f->clock, 100);
	vclock_idle_until(&f->clock, 5000);
	assert_int_equal(vclock_now(&f->clock), 5000);
}

static void test_idle_until_never_goes_backwards(void **state)
{
	struct fixture *f = *state;

	vclock_charge(&f->clock, 5000);
	vclock_idle_until(&f->clock, 4999);
	assert_int_equal(vclock_now(&f->clock), 5000);
	vclock_idle_until(&f->clock, 5000);
	assert_int_equal(vclock_now(&f->clock), 5000);
}

static void test_idle_until_does_not_run_timers(void **state)
{
	struct fixture *f = *state;

	/* Jumping time and running what fell due are separate steps of the run loop. */
	arm(f, 0, 100);
	vclock_idle_until(&f->clock, 100);
	assert_int_equal(f->nrun, 0);
	assert_int_equal(vclock_next_deadline(&f->clock), 100);
}

/* ---- the timer heap ---- */

static void test_earliest_armed_deadline_is_next(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 300);
	assert_int_equal(vclock_next_deadline(&f->clock), 300);
	arm(f, 1, 100);
	assert_int_equal(vclock_next_deadline(&f->clock), 100);
	arm(f, 2, 200);
	assert_int_equal(vclock_next_deadline(&f->clock), 100);
}

static void test_run_due_runs_timers_at_or_before_now_only(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 99);
	arm(f, 1, 100);
	arm(f, 2, 101);
	vclock_charge(&f->clock, 100);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 2);
	assert_int_equal(f->ticks[0].runs, 1);
	assert_int_equal(f->ticks[1].runs, 1);
	assert_int_equal(f->ticks[2].runs, 0);
	assert_true(f->ticks[2].timer.armed);
	assert_int_equal(vclock_next_deadline(&f->clock), 101);
}

static void test_run_due_passes_current_virtual_time(void **state)
{
	struct fixture *f = *state;

	/* The callback learns how late it runs from now, not from its deadline. */
	arm(f, 0, 40);
	vclock_charge(&f->clock, 75);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 1);
	assert_int_equal(f->order_now[0], 75);
}

static void test_timer_is_disarmed_when_its_callback_runs(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 10);
	vclock_charge(&f->clock, 10);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 1);
	assert_false(f->ticks[0].saw_armed);
	assert_false(f->ticks[0].timer.armed);
	assert_int_equal(vclock_next_deadline(&f->clock), UINT64_MAX);
	/* A one-shot timer does not come back. */
	vclock_charge(&f->clock, 1000);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 1);
}

static void test_run_due_runs_due_timers_earliest_first(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NTIMERS; i++)
		arm(f, i, shuffled_deadline(i));
	vclock_charge(&f->clock, 1000 + NTIMERS * 10);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, NTIMERS);
	for (unsigned k = 1; k < NTIMERS; k++)
		assert_true(shuffled_deadline(f->order[k - 1]) < shuffled_deadline(f->order[k]));
}

static void test_timers_with_equal_deadlines_all_run(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 50);
	arm(f, 1, 50);
	arm(f, 2, 50);
	vclock_charge(&f->clock, 50);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 3);
	assert_int_equal(f->ticks[0].runs + f->ticks[1].runs + f->ticks[2].runs, 3);
	assert_int_equal(f->ticks[0].runs * f->ticks[1].runs * f->ticks[2].runs, 1);
}

static void test_rearming_armed_timer_later_moves_it(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 10);
	arm(f, 1, 20);
	arm(f, 0, 30);
	assert_int_equal(vclock_next_deadline(&f->clock), 20);
	vclock_charge(&f->clock, 25);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 1);
	assert_int_equal(f->order[0], 1);
	assert_int_equal(f->ticks[0].timer.deadline, 30);
}

static void test_rearming_armed_timer_earlier_moves_it(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 10);
	arm(f, 1, 20);
	arm(f, 2, 30);
	arm(f, 2, 5);
	assert_int_equal(vclock_next_deadline(&f->clock), 5);
	vclock_charge(&f->clock, 5);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 1);
	assert_int_equal(f->order[0], 2);
}

static void test_rearming_keeps_heap_ordered(void **state)
{
	struct fixture *f = *state;

	/* Reverse every deadline: each move crosses most of the heap, up or down. */
	for (unsigned i = 0; i < NTIMERS; i++)
		arm(f, i, 1000 + i * 10);
	for (unsigned i = 0; i < NTIMERS; i++)
		arm(f, i, 1000 + (NTIMERS - 1 - i) * 10);
	vclock_charge(&f->clock, 1000 + NTIMERS * 10);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, NTIMERS);
	for (unsigned k = 0; k < NTIMERS; k++)
		assert_int_equal(f->order[k], NTIMERS - 1 - k);
}

static void test_disarm_removes_timer_from_any_position(void **state)
{
	struct fixture *f = *state;
	bool disarmed[NTIMERS] = { false };
	unsigned left = NTIMERS;

	for (unsigned i = 0; i < NTIMERS; i++)
		arm(f, i, shuffled_deadline(i));
	/* By heap position: the root, the last slot (nothing to move into the hole), a leaf,
	 * and inner nodes whose hole the last element must fill moving down or up. */
	for (unsigned round = 0; round < 8; round++) {
		size_t pos[] = { 0, f->clock.heap_count - 1, f->clock.heap_count / 2 + 1, 1, 2, 5 };
		struct vclock_timer *t = f->clock.heap[pos[round % 6]];
		struct tick *tick = (struct tick *)((char *)t - offsetof(struct tick, timer));

		vclock_disarm(&f->clock, t);
		assert_false(t->armed);
		assert_false(disarmed[tick->id]);
		disarmed[tick->id] = true;
		left--;
		assert_int_equal(f->clock.heap_count, left);
	}
	vclock_charge(&f->clock, 1000 + NTIMERS * 10);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, left);
	for (unsigned k = 0; k < f->nrun; k++) {
		assert_false(disarmed[f->order[k]]);
		if (k)
			assert_true(shuffled_deadline(f->order[k - 1]) <
				    shuffled_deadline(f->order[k]));
	}
}
static void test_disarm_of_disarmed_timer_does_nothing(void **state)
{
	struct fixture *f = *state;

	arm(f, 1, 10);
	vclock_disarm(&f->clock, &f->ticks[0].timer);
	vclock_disarm(&f->clock, &f->ticks[1].timer);
	vclock_disarm(&f->clock, &f->ticks[1].timer);
	assert_int_equal(f->clock.heap_count, 0);
	assert_int_equal(vclock_next_deadline(&f->clock), UINT64_MAX);
}

static void test_timer_remove_disarms_it(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 10);
	arm(f, 1, 20);
	vclock_timer_remove(&f->clock, &f->ticks[0].timer);
	assert_int_equal(f->clock.timer_count, 2);
	assert_int_equal(vclock_next_deadline(&f->clock), 20);
	vclock_charge(&f->clock, 100);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 1);
	assert_int_equal(f->order[0], 1);
}

static void test_callback_rearming_in_past_runs_on_next_pass(void **state)
{
	struct fixture *f = *state;

	/* A periodic timer whose period is shorter than the time that passed: it must not
	 * spin inside run_due, where the guest cannot run and virtual time cannot move. */
	f->ticks[0].rearm_at = 5;
	arm(f, 0, 10);
	vclock_charge(&f->clock, 10);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 1);
	assert_true(f->ticks[0].timer.armed);
	assert_int_equal(vclock_next_deadline(&f->clock), 5);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 2);
}

static void test_callback_rearming_in_past_runs_once_per_pass_among_idle_timers(void **state)
{
	struct fixture *f = *state;

	/* Same as above, but the clock also holds two timers that are set up and not armed,
	 * as a machine always does: their existence must not buy the re-armer extra runs. */
	f->ticks[0].rearm_at = 5;
	arm(f, 0, 10);
	vclock_charge(&f->clock, 10);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 1);
}

static void test_callback_rearming_in_past_does_not_starve_other_due_timer(void **state)
{
	struct fixture *f = *state;

	/* Both are due; the one that re-arms in the past must not take the other's turn. */
	f->ticks[0].rearm_at = 10;
	arm(f, 0, 10);
	arm(f, 1, 20);
	vclock_charge(&f->clock, 20);
	vclock_run_due(&f->clock);
	assert_int_equal(f->nrun, 2);
	assert_int_equal(f->order[0], 0);
	assert_int_equal(f->order[1], 1);
}

static void test_callback_rearming_in_future_is_left_for_later(void **state)
{
	struct fixture *f = *state;

	f->ticks[0].rearm_at = 110;
	arm(f, 0, 10);
	vclock_charge(&f->clock, 100);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 1);
	assert_int_equal(vclock_next_deadline(&f->clock), 110);
	vclock_run_due(&f->clock);
	assert_int_equal(f->ticks[0].runs, 1);
}

static void test_timers_can_be_added_past_first_heap_allocation(void **state)
{
	struct fixture *f = *state;

	/* Adding reserves heap room, so arming all of them at once must hold. */
	assert_int_equal(f->clock.timer_count, NTIMERS);
	assert_true(f->clock.heap_capacity >= NTIMERS);
	for (unsigned i = 0; i < NTIMERS; i++)
		arm(f, i, 7);
	assert_int_equal(f->clock.heap_count, NTIMERS);
}

/* ---- pacing ---- */

static void test_unpaced_clock_never_sleeps_or_forgives(void **state)
{
	struct fixture *f = *state;
	uint64_t origin = vclock_host_ns() - 10 * VCLOCK_LAG_FORGIVE_NS;

	f->clock.host_origin = origin;
	assert_int_equal(vclock_pace_ns(&f->clock, 0), 0);
	vclock_charge(&f->clock, 1000 * SECOND);
	assert_int_equal(vclock_pace_ns(&f->clock, 0), 0);
	assert_int_equal(f->clock.host_origin, origin);
}

static void test_init_takes_host_origin_from_host_clock(void **state)
{
	struct vclock clock;
	uint64_t before = vclock_host_ns(), after;

	vclock_init(&clock, true);
	after = vclock_host_ns();
	assert_true(clock.paced);
	assert_in_range(clock.host_origin, before, after);
	vclock_finish(&clock);
}

static void test_paced_clock_within_slack_does_not_sleep(void **state)
{
	struct fixture *f = *state;

	f->clock.paced = true;
	f->clock.host_origin = vclock_host_ns();
	vclock_charge(&f->clock, VCLOCK_AHEAD_SLACK_NS);
	assert_int_equal(vclock_pace_ns(&f->clock, VCLOCK_AHEAD_SLACK_NS), 0);
}

static void test_paced_clock_ahead_beyond_slack_sleeps_the_difference(void **state)
{
	struct fixture *f = *state;
	uint64_t before, after, sleep;

	f->clock.paced = true;
	vclock_charge(&f->clock, 5 * SECOND);
	before = vclock_host_ns();
	f->clock.host_origin = before;
	sleep = vclock_pace_ns(&f->clock, VCLOCK_AHEAD_SLACK_NS);
	after = vclock_host_ns();
	/* Host time since origin is somewhere in [0, after - before]. */
	assert_in_range(sleep, 5 * SECOND - (after - before), 5 * SECOND);
	assert_int_equal(f->clock.host_origin, before);
}

static void test_paced_clock_slightly_behind_host_does_not_sleep_or_forgive(void **state)
{
	struct fixture *f = *state;
	uint64_t origin;

	f->clock.paced = true;
	vclock_charge(&f->clock, SECOND);
	origin = vclock_host_ns() - SECOND - VCLOCK_LAG_FORGIVE_NS / 2;
	f->clock.host_origin = origin;
	assert_int_equal(vclock_pace_ns(&f->clock, 0), 0);
	assert_int_equal(f->clock.host_origin, origin);
}

static void test_large_lag_is_forgiven_by_moving_host_origin(void **state)
{
	struct fixture *f = *state;
	uint64_t before, after;

	f->clock.paced = true;
	vclock_charge(&f->clock, SECOND);
	f->clock.host_origin = vclock_host_ns() - SECOND - 3 * VCLOCK_LAG_FORGIVE_NS;
	before = vclock_host_ns();
	assert_int_equal(vclock_pace_ns(&f->clock, 0), 0);
	after = vclock_host_ns();
	/* The host now counts as exactly level with virtual time. */
	assert_in_range(f->clock.host_origin, before - SECOND, after - SECOND);
}

static void test_forgiven_clock_sleeps_again_once_ahead(void **state)
{
	struct fixture *f = *state;
	uint64_t forgiven_from, after, sleep;

	/* Forgiving must leave no debt that lets the guest run ahead unpaced afterwards. */
	f->clock.paced = true;
	f->clock.host_origin = vclock_host_ns() - 3 * VCLOCK_LAG_FORGIVE_NS;
	forgiven_from = vclock_host_ns();
	assert_int_equal(vclock_pace_ns(&f->clock, 0), 0);
	vclock_charge(&f->clock, 2 * SECOND);
	sleep = vclock_pace_ns(&f->clock, VCLOCK_AHEAD_SLACK_NS);
	after = vclock_host_ns();
	/* Had the old origin stayed, the host would count 300 ms ahead and the sleep be short. */
	assert_in_range(sleep, 2 * SECOND - (after - forgiven_from), 2 * SECOND);
}
#define VCLOCK_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define VCLOCK_TEST_MANY(fn) cmocka_unit_test_setup_teardown(fn, setup_many, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		VCLOCK_TEST(test_clock_starts_at_zero_with_nothing_armed),
		VCLOCK_TEST(test_charge_advances_virtual_time),
		VCLOCK_TEST(test_idle_until_jumps_to_later_deadline),
		VCLOCK_TEST(test_idle_until_never_goes_backwards),
		VCLOCK_TEST(test_idle_until_does_not_run_timers),
		VCLOCK_TEST(test_earliest_armed_deadline_is_next),
		VCLOCK_TEST(test_run_due_runs_timers_at_or_before_now_only),
		VCLOCK_TEST(test_run_due_passes_current_virtual_time),
		VCLOCK_TEST(test_timer_is_disarmed_when_its_callback_runs),
		VCLOCK_TEST_MANY(test_run_due_runs_due_timers_earliest_first),
		VCLOCK_TEST(test_timers_with_equal_deadlines_all_run),
		VCLOCK_TEST(test_rearming_armed_timer_later_moves_it),
		VCLOCK_TEST(test_rearming_armed_timer_earlier_moves_it),
		VCLOCK_TEST_MANY(test_rearming_keeps_heap_ordered),
		VCLOCK_TEST_MANY(test_disarm_removes_timer_from_any_position),
		VCLOCK_TEST(test_disarm_of_disarmed_timer_does_nothing),
		VCLOCK_TEST(test_timer_remove_disarms_it),
		cmocka_unit_test_setup_teardown(test_callback_rearming_in_past_runs_on_next_pass,
						setup_one, teardown),
		VCLOCK_TEST(test_callback_rearming_in_past_runs_once_per_pass_among_idle_timers),
		VCLOCK_TEST(test_callback_rearming_in_past_does_not_starve_other_due_timer),
		VCLOCK_TEST(test_callback_rearming_in_future_is_left_for_later),
		VCLOCK_TEST_MANY(test_timers_can_be_added_past_first_heap_allocation),
		VCLOCK_TEST(test_unpaced_clock_never_sleeps_or_forgives),
		cmocka_unit_test(test_init_takes_host_origin_from_host_clock),
		VCLOCK_TEST(test_paced_clock_within_slack_does_not_sleep),
		VCLOCK_TEST(test_paced_clock_ahead_beyond_slack_sleeps_the_difference),
		VCLOCK_TEST(test_paced_clock_slightly_behind_host_does_not_sleep_or_forgive),
		VCLOCK_TEST(test_large_lag_is_forgiven_by_moving_host_origin),
		VCLOCK_TEST(test_forgiven_clock_sleeps_again_once_ahead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
