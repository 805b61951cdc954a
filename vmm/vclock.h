/* vclock.h: the VM's virtual clock and the timers that run on it. */
#ifndef MVM_VCLOCK_H
#define MVM_VCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Virtual time is what the guest sees (PIT, RTC, timeouts). It advances by
 * rules that depend only on what the guest does, so a run repeats exactly:
 *   - every trap (port or MMIO access, SVC) costs VCLOCK_TRAP_NS;
 *   - a guest that idles (HLT with interrupts on) jumps to the next deadline;
 *   - guest execution costs what the CPU backend reports (the software CPU
 *     counts instructions; KVM reports time only when the guest ran for a
 *     long stretch without trapping, the one non-repeatable rule).
 * Pacing ties virtual time to the host clock without changing what the guest
 * sees: when virtual time gets ahead of the host's, mvm sleeps; when it falls
 * far behind (a slow host), the lag is forgiven rather than caught up in a
 * burst.
 */

/* What one trap costs the guest: about one ISA bus cycle. */
#define VCLOCK_TRAP_NS 1000u
/* Virtual time may run this far ahead of the host before mvm sleeps. */
#define VCLOCK_AHEAD_SLACK_NS 1000000u
/* A host this far behind virtual time is forgiven. */
#define VCLOCK_LAG_FORGIVE_NS 100000000u

typedef void vclock_timer_fn(void *opaque, uint64_t now_ns);

struct vclock_timer {
	vclock_timer_fn *fn;
	void *opaque;
	const void *owner;
	uint64_t deadline;
	size_t heap_index; /* position in the heap while armed */
	bool armed;
	bool firing;                     /* due in the current pass, not yet run */
	struct vclock_timer *next_due;   /* in vclock.due while firing */
};

struct vclock {
	uint64_t now;                /* virtual nanoseconds since the VM started */
	struct vclock_timer **heap;  /* armed timers, a binary min-heap by deadline */
	size_t heap_count, heap_capacity;
	size_t timer_count;          /* timers added: the heap never needs more */
	struct vclock_timer *due;    /* timers of the running pass, earliest first */
	bool paced;
	uint64_t host_origin;        /* host monotonic ns at virtual time 0 */
};

void vclock_init(struct vclock *clock, bool paced);
void vclock_finish(struct vclock *clock);

static inline uint64_t vclock_now(const struct vclock *clock)
{
	return clock->now;
}

/* Guest work that cost ns of virtual time. */
static inline void vclock_charge(struct vclock *clock, uint64_t ns)
{
	clock->now += ns;
}

/* The earliest armed deadline, or UINT64_MAX. */
static inline uint64_t vclock_next_deadline(const struct vclock *clock)
{
	return clock->heap_count ? clock->heap[0]->deadline : UINT64_MAX;
}

/* Runs every timer whose deadline has passed, earliest first, each at most
 * once: a callback that re-arms a timer in the past leaves it for the next
 * pass; one that re-arms or disarms a timer due in this pass cancels that
 * timer's run. */
void vclock_run_due(struct vclock *clock);

/* The guest idles: virtual time jumps to deadline (if later than now). */
void vclock_idle_until(struct vclock *clock, uint64_t deadline);

/* How long the host should sleep so it does not fall behind virtual time
 * by more than slack_ns: 0 when unpaced or not ahead. Forgives a large lag. */
uint64_t vclock_pace_ns(struct vclock *clock, uint64_t slack_ns);

/* Timers are set up once (which reserves their place, so arming never
 * fails) and armed and disarmed any number of times. */
int vclock_timer_add(struct vclock *clock, struct vclock_timer *timer, vclock_timer_fn *fn,
		     void *opaque, const void *owner) __attribute__((warn_unused_result));
void vclock_timer_remove(struct vclock *clock, struct vclock_timer *timer);
/* Arming an armed timer moves it. */
void vclock_arm(struct vclock *clock, struct vclock_timer *timer, uint64_t deadline);
void vclock_disarm(struct vclock *clock, struct vclock_timer *timer);

uint64_t vclock_host_ns(void);

#endif
