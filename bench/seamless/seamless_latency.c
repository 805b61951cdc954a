/* seamless_latency.c: bench/seamless: from the guest's doorbell to the compositor's frame that shows the change (wp_presentation), through libvman's Wayland presenter, beside a plain Wayland client. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_stats.h"
#include "guest_vvmi.h"
#include "native_window.h"
#include "presenter_wayland.h"
#include "vman.h"
#include "vman_internal.h"

/*
 * Each sample runs both, vman and the native peer, first in turn:
 *   vman    the guest fills its window (one colour, all of it) and puts a
 *           PRESENT in the ring; t0, then the doorbell: the VDD's ring
 *           code, vman_ghi, vman_frame, the presenter's commit; t1 is the
 *           presentation time the compositor's feedback gives for that
 *           commit.
 *   native  t0, the same colour written into a wl_shm buffer of the same
 *           size, attach, damage, commit with feedback; t1 likewise.
 * Each waits for its feedback, so every sample starts from a compositor
 * with nothing to draw. t0 is read on the compositor's presentation clock
 * (wp_presentation.clock_id; Weston's software clock is CLOCK_MONOTONIC_RAW
 * where there is one), and also on CLOCK_MONOTONIC, the clock of the
 * presenter's commit times.
 */
#define WINDOW 1
#define WINDOW_W 320
#define WINDOW_H 200
#define WINDOW_X 40
#define WINDOW_Y 40
#define FEEDBACK_TIMEOUT_MS 2000
#define GOAL_MS (1000.0 / 60.0)

struct latencies {
	double *presented_ms; /* t1 - t0 of the samples presented */
	double *commit_ms;    /* from t0 to the commit */
	size_t count;
	unsigned discarded;
};

/* What the vman presenter's feedback said about the commit awaited. */
struct vman_feedback {
	uint64_t since_mono_ns; /* commits before this are earlier samples' */
	bool done;
	uint64_t committed_ns, presented_ns;
};

struct bench {
	struct vman *vman;
	struct guest_vvmi guest;
	struct native_window *native;
	clockid_t clock;
	struct vman_feedback feedback;
	uint32_t refresh_ns;
	bool seamless;
	struct latencies vman_lat, native_lat;
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void vman_presented(void *opaque, uint16_t surface, uint64_t committed_ns,
			   uint64_t presented_ns)
{
	struct vman_feedback *feedback = opaque;

	if (surface != WINDOW || committed_ns < feedback->since_mono_ns || feedback->done)
		return;
	feedback->done = true;
	feedback->committed_ns = committed_ns;
	feedback->presented_ns = presented_ns;
}

/* Dispatches vman's connection until the awaited feedback came. */
static int vman_wait(struct bench *b)
{
	struct pollfd display = { .fd = vman_get_fd(b->vman), .events = POLLIN };
	uint64_t deadline = now_ns(CLOCK_MONOTONIC) + FEEDBACK_TIMEOUT_MS * 1000000ull;

	while (!b->feedback.done) {
		uint64_t now = now_ns(CLOCK_MONOTONIC);
		int rc;

		if (now >= deadline || display.fd < 0)
			return -ETIMEDOUT;
		poll(&display, 1, (int)((deadline - now) / 1000000u) + 1);
		rc = vman_dispatch(b->vman);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void record(struct latencies *lat, uint64_t t0, uint64_t presented_ns, double commit_ms)
{
	if (!presented_ns) {
		lat->discarded++;
		return;
	}
	lat->presented_ms[lat->count] = (double)(int64_t)(presented_ns - t0) / 1e6;
	lat->commit_ms[lat->count] = commit_ms;
	lat->count++;
}

static int vman_sample(struct bench *b, uint32_t colour, bool keep)
{
	struct vvmi_fill fill = { .surface = WINDOW, .rop2 = VVMI_ROP2_COPYPEN,
				  .rect = { 0, 0, WINDOW_W, WINDOW_H }, .color = colour };
	uint64_t t0, t0_mono;
	int rc = guest_vvmi_put(&b->guest, VVMI_CMD_FILL, &fill, sizeof(fill));

	if (rc == 0)
		rc = guest_vvmi_present(&b->guest);
	if (rc < 0)
		return rc;
	t0 = now_ns(b->clock);
	t0_mono = now_ns(CLOCK_MONOTONIC);
	b->feedback = (struct vman_feedback){ .since_mono_ns = t0_mono };
	rc = guest_vvmi_doorbell(&b->guest);
	if (rc == 0)
		rc = vman_wait(b);
	if (rc == 0)
		rc = guest_vvmi_drain_events(&b->guest);
	if (rc == 0 && b->guest.refused)
		rc = -EPROTO;
	if (rc == 0 && keep)
		record(&b->vman_lat, t0, b->feedback.presented_ns,
		       (double)(b->feedback.committed_ns - t0_mono) / 1e6);
	return rc;
}

static int native_sample(struct bench *b, uint32_t colour, bool keep)
{
	struct native_presented presented;
	uint64_t t0 = now_ns(b->clock), committed;
	int rc = native_window_show(b->native, colour);

	committed = now_ns(b->clock);
	if (rc == 0)
		rc = native_window_wait(b->native, FEEDBACK_TIMEOUT_MS, &presented);
	if (rc < 0)
		return rc;
	if (presented.refresh_ns)
		b->refresh_ns = presented.refresh_ns;
	if (keep)
		record(&b->native_lat, t0, presented.ns, (double)(committed - t0) / 1e6);
	return 0;
}

/* The guest's window, shown once and configured; then the feedback tells
 * whether it became a seamless guest window or an xdg_toplevel. */
static int guest_window_show(struct bench *b)
{
	const struct vvmi_surface_create create = {
		.surface = WINDOW, .kind = VVMI_SURFACE_WINDOW, .format = VVMI_FORMAT_XRGB8888,
		.width = WINDOW_W, .height = WINDOW_H, .x = WINDOW_X, .y = WINDOW_Y
	};
	struct pollfd display = { .fd = vman_get_fd(b->vman), .events = POLLIN };
	int rc = guest_vvmi_put(&b->guest, VVMI_CMD_SURFACE_CREATE, &create, sizeof(create));

	if (rc == 0)
		rc = vman_sample(b, 0x000000, false);
	for (int i = 0; rc == 0 && i < 200 && !vman_presenter_wayland_idle(b->vman->presenter);
	     i++) {
		poll(&display, 1, 25);
		rc = vman_dispatch(b->vman);
	}
	if (rc == 0 && !vman_presenter_wayland_idle(b->vman->presenter))
		rc = -ETIMEDOUT;
	b->seamless = !vman_presenter_wayland_toplevel(b->vman->presenter, WINDOW);
	return rc;
}

static int latencies_alloc(struct latencies *lat, size_t count)
{
	lat->presented_ms = calloc(count, sizeof(double));
	lat->commit_ms = calloc(count, sizeof(double));
	return lat->presented_ms && lat->commit_ms ? 0 : -ENOMEM;
}

static void latencies_free(struct latencies *lat)
{
	free(lat->presented_ms);
	free(lat->commit_ms);
}

struct summary {
	double median, p99, min, max, commit_median;
};

/* Nearest rank: the smallest value that at least 99% of the samples do
 * not exceed. Sorts values (bench_median did already). */
static struct summary summarize(struct latencies *lat)
{
	struct summary s = { 0 };
	size_t n = lat->count;

	if (!n)
		return s;
	s.median = bench_median(lat->presented_ms, n);
	s.p99 = lat->presented_ms[(99 * n + 99) / 100 - 1];
	s.min = lat->presented_ms[0];
	s.max = lat->presented_ms[n - 1];
	s.commit_median = bench_median(lat->commit_ms, n);
	return s;
}

static void print_row(const char *name, const struct latencies *lat, const struct summary *s)
{
	printf("  %-8s %9.3f %9.3f %9.3f %9.3f %9.3f %10u\n", name, s->median, s->p99, s->min,
	       s->max, s->commit_median, lat->discarded);
}

static void report(struct bench *b, unsigned samples, unsigned warmup)
{
	struct summary v = summarize(&b->vman_lat), n = summarize(&b->native_lat);

	printf("doorbell to the frame that shows it (wp_presentation feedback), %ux%u XRGB8888 "
	       "guest window, %s; %u samples each (%u warm-up left out)\n",
	       WINDOW_W, WINDOW_H,
	       b->seamless ? "seamless (an mvm-seamless guest window)"
			   : "windowed (an xdg_toplevel)",
	       samples, warmup);
	if (b->refresh_ns)
		printf("output refresh (the feedback's): %.3f ms, %.2f Hz\n", b->refresh_ns / 1e6,
		       1e9 / b->refresh_ns);
	else
		printf("output refresh: not given by the compositor\n");
	printf("  %-8s %9s %9s %9s %9s %9s %10s\n", "", "median", "p99", "min", "max",
	       "commit", "discarded");
	print_row("vman", &b->vman_lat, &v);
	print_row("native", &b->native_lat, &n);
	printf("  (ms; commit: the median time from t0 to the commit, the host's own work)\n");
	if (n.median > 0 && n.p99 > 0)
		printf("  vman/native: median %.2f, p99 %.2f\n", v.median / n.median, v.p99 / n.p99);
	if (b->vman_lat.count)
		printf("goal: p99 < %.1f ms: %s (vman p99 %.3f ms)\n", GOAL_MS,
		       v.p99 < GOAL_MS ? "met" : "not met", v.p99);
	else
		printf("goal: p99 < %.1f ms: no frame was presented\n", GOAL_MS);
}

static int run(struct bench *b, unsigned samples, unsigned warmup)
{
	int rc = guest_window_show(b);

	for (unsigned i = 0; rc == 0 && i < warmup + samples; i++) {
		/* A new colour each sample, the same for both. */
		uint32_t colour = (0x10203u * (i + 1)) & 0xFFFFFFu;

		bool keep = i >= warmup;

		/* In turn first, so that neither always follows the other. */
		if (i % 2 == 0) {
			rc = vman_sample(b, colour, keep);
			if (rc == 0)
				rc = native_sample(b, colour, keep);
		} else {
			rc = native_sample(b, colour, keep);
			if (rc == 0)
				rc = vman_sample(b, colour, keep);
		}
	}
	return rc;
}

static const char usage[] =
	"Usage: seamless_latency [--samples N] [--warmup N] [--expect seamless|windowed]\n"
	"\n"
	"Times, in a Wayland session ($WAYLAND_DISPLAY; bench_seamless starts a private\n"
	"headless Weston with mvm-seamless.so), the latency from a guest's doorbell to the\n"
	"compositor's presentation of the frame that shows its change: a guest window of\n"
	"320x200 XRGB8888 filled with a new colour and PRESENTed through the VVMI rings in\n"
	"memory, libvman and its Wayland presenter; beside a plain wl_shm client in the\n"
	"same process. Prints median, p99, min and max of each, and vman/native.\n"
	"\n"
	"  --samples N   samples of each (default 300)\n"
	"  --warmup N    samples before those, left out (default 30)\n"
	"  --expect M    fail unless the guest window is seamless (an mvm-seamless guest\n"
	"                window) or windowed (an xdg_toplevel)\n";

static int parse_count(const char *text, unsigned long max, unsigned *value)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (!*text || *end || v > max)
		return -EINVAL;
	*value = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "samples", required_argument, NULL, 's' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "expect", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct vman_options vman_options = { .renderer = VMAN_RENDERER_PIXMAN,
						   .presenter = VMAN_PRESENTER_WAYLAND };
	struct bench b = { 0 };
	unsigned samples = 300, warmup = 30;
	const char *expect = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			rc = parse_count(optarg, 1000000, &samples);
			break;
		case 'w':
			rc = parse_count(optarg, 1000000, &warmup);
			break;
		case 'e':
			expect = optarg;
			rc = strcmp(expect, "seamless") && strcmp(expect, "windowed") ? -EINVAL : 0;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			rc = -EINVAL;
		}
		if (rc < 0 || (opt == 's' && samples == 0)) {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	rc = latencies_alloc(&b.vman_lat, samples);
	if (rc == 0)
		rc = latencies_alloc(&b.native_lat, samples);
	if (rc < 0) {
		fprintf(stderr, "seamless_latency: %s\n", strerror(-rc));
		return 1;
	}
	/* The peer first: it learns the presentation clock. */
	b.native = native_window_create(WINDOW_W, WINDOW_H);
	if (b.native) {
		b.clock = native_window_clock(b.native);
		b.vman = vman_create(&vman_options);
	}
	if (!b.vman) {
		fprintf(stderr, "seamless_latency: cannot connect vman to the compositor: %s\n",
			b.native ? strerror(errno) : "the peer failed");
		rc = 1;
		goto out;
	}
	rc = vman_presenter_wayland_set_presented(b.vman->presenter, vman_presented, &b.feedback);
	if (rc == 0)
		rc = guest_vvmi_create(&b.guest, b.vman);
	if (rc == 0)
		rc = run(&b, samples, warmup);
	if (rc == 0) {
		report(&b, samples, warmup);
		if (expect && strcmp(expect, b.seamless ? "seamless" : "windowed") != 0) {
			printf("FAIL: the guest window is not %s\n", expect);
			rc = 1;
		}
	} else {
		fprintf(stderr, "seamless_latency: %s%s\n", strerror(-rc),
			b.guest.refused ? " (vman refused a command)" : "");
		rc = 1;
	}
out:
	guest_vvmi_destroy(&b.guest);
	vman_destroy(b.vman);
	native_window_destroy(b.native);
	latencies_free(&b.vman_lat);
	latencies_free(&b.native_lat);
	return rc;
}
