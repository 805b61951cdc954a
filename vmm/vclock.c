/* vclock.c: the VM's virtual clock and the timers that run on it. */
#include "vclock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t vclock_host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void vclock_init(struct vclock *clock, bool paced)
{
	memset(clock, 0, sizeof(*clock));
	clock->paced = paced;
	clock->host_origin = vclock_host_ns();
}

void vclock_finish(struct vclock *clock)
{
	free(clock->heap);
	memset(clock, 0, sizeof(*clock));
}

static void heap_place(struct vclock *clock, size_t i, struct vclock_timer *t)
{
	clock->heap[i] = t;
	t->heap_index = i;
}

static void heap_sift_up(struct vclock *clock, size_t i)
{
	struct vclock_timer *t = clock->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (clock->heap[parent]->deadline <= t->deadline)
			break;
		heap_place(clock, i, clock->heap[parent]);
		i = parent;
	}
	heap_place(clock, i, t);
}

static void heap_sift_down(struct vclock *clock, size_t i)
{
	struct vclock_timer *t = clock->heap[i];
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= clock->heap_count)
			break;
		if (child + 1 < clock->heap_count &&
		    clock->heap[child + 1]->deadline < clock->heap[child]->deadline)
			child++;
		if (t->deadline <= clock->heap[child]->deadline)
			break;
		heap_place(clock, i, clock->heap[child]);
		i = child;
	}
	heap_place(clock, i, t);
}

int vclock_timer_add(struct vclock *clock, struct vclock_timer *timer, vclock_timer_fn *fn,
		     void *opaque, const void *owner)
{
	if (clock->timer_count == clock->heap_capacity) {
		size_t capacity = clock->heap_capacity ? clock->heap_capacity * 2 : 16;
		struct vclock_timer **heap = realloc(clock->heap, capacity * sizeof(*heap));
		if (!heap)
			return -ENOMEM;
		clock->heap = heap;
		clock->heap_capacity = capacity;
	}
	clock->timer_count++;
	*timer = (struct vclock_timer){ .fn = fn, .opaque = opaque, .owner = owner };
	return 0;
}

void vclock_timer_remove(struct vclock *clock, struct vclock_timer *timer)
{
	vclock_disarm(clock, timer);
	for (struct vclock_timer **link = &clock->due; *link; link = &(*link)->next_due) {
		if (*link == timer) {
			*link = timer->next_due;
			break;
		}
	}
	clock->timer_count--;
}

void vclock_arm(struct vclock *clock, struct vclock_timer *timer, uint64_t deadline)
{
	timer->firing = false;
	if (timer->armed) {
		uint64_t old = timer->deadline;
		timer->deadline = deadline;
		if (deadline < old)
			heap_sift_up(clock, timer->heap_index);
		else
			heap_sift_down(clock, timer->heap_index);
		return;
	}
	timer->deadline = deadline;
	timer->armed = true;
	heap_place(clock, clock->heap_count++, timer);
	heap_sift_up(clock, timer->heap_index);
}

void vclock_disarm(struct vclock *clock, struct vclock_timer *timer)
{
	size_t i = timer->heap_index;
	struct vclock_timer *last;

	timer->firing = false;
	if (!timer->armed)
		return;
	timer->armed = false;
	last = clock->heap[--clock->heap_count];
	if (last == timer)
		return;
	heap_place(clock, i, last);
	heap_sift_down(clock, i);
	heap_sift_up(clock, last->heap_index);
}

void vclock_run_due(struct vclock *clock)
{
	struct vclock_timer **tail = &clock->due;
	uint64_t now = clock->now;

	/* Take every due timer off the heap first, so callbacks arming timers
	 * cannot make this pass run anything twice. */
	while (clock->heap_count && clock->heap[0]->deadline <= now) {
		struct vclock_timer *t = clock->heap[0];
		vclock_disarm(clock, t);
		t->firing = true;
		t->next_due = NULL;
		*tail = t;
		tail = &t->next_due;
	}
	while (clock->due) {
		struct vclock_timer *t = clock->due;
		clock->due = t->next_due;
		if (!t->firing)
			continue;
		t->firing = false;
		t->fn(t->opaque, now);
	}
}

void vclock_idle_until(struct vclock *clock, uint64_t deadline)
{
	if (deadline > clock->now)
		clock->now = deadline;
}

uint64_t vclock_pace_ns(struct vclock *clock, uint64_t slack_ns)
{
	uint64_t host;

	if (!clock->paced)
		return 0;
	host = vclock_host_ns() - clock->host_origin;
	if (host > clock->now + VCLOCK_LAG_FORGIVE_NS)
		clock->host_origin = vclock_host_ns() - clock->now;
	if (clock->now <= host + slack_ns)
		return 0;
	return clock->now - host;
}
