/* drm_latency.c: bench/drm, run on a KMS card (tests/drm's VM): from a guest frame arriving at vman to the page flip that shows it, vman's DRM presenter beside a bare KMS client. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_stats.h"
#include "native_kms.h"
#include "presenter_drm.h"
#include "vman.h"
#include "vman_internal.h"

/*
 * Both take the card in turns (one DRM master at a time), a block of
 * samples each, so that they share the VM's conditions:
 *   vman    t0, then what the service does on a SCREEN and a FRAME:
 *           vman_screen_update with the guest's 640x400 frame, vman_frame
 *           (compose, draw into a dumb buffer, queue the flip); then
 *           vman_get_fd polled and vman_dispatch until the flip's event.
 *   native  t0, the frame copied centred into its back buffer, PageFlip
 *           with an event, poll and drmHandleEvent until it comes.
 * A sample is the kernel's time of the flip's completion (CLOCK_MONOTONIC)
 * less t0. The two frames shown in turn differ in every pixel, so every
 * sample is a real change. After each switch of master the client sets
 * its mode again (no event) and SWITCH_WARMUP flips are left out.
 */
#define FRAME_W 640
#define FRAME_H 400
#define FLIP_TIMEOUT_MS 5000
#define SWITCH_WARMUP 2

struct latencies {
	double *shown_ms;  /* flip completion - t0 */
	double *queued_ms; /* flip queued - t0: the client's own work */
	double *update_ms; /* vman: vman_screen_update's return - t0 */
	size_t count;
};

struct bench {
	struct vman *vman;
	struct vman_client *client;
	bool vman_flipped;
	struct timespec vman_shown;
	uint64_t vman_updated; /* when vman_screen_update returned */
	struct native_kms *native;
	uint32_t *frames[2];
	unsigned vman_shows, native_shows; /* which frame is next: the other one */
	struct latencies vman_lat, native_lat;
};

static uint64_t timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return timespec_ns(&ts);
}

/* A mode 13h-like picture (320x200 of 256 colours, doubled as the VGA's
 * frames come) and its inverse. */
static int frames_make(struct bench *b)
{
	for (unsigned f = 0; f < 2; f++) {
		b->frames[f] = malloc((size_t)FRAME_W * FRAME_H * 4);
		if (!b->frames[f])
			return -ENOMEM;
	}
	for (unsigned y = 0; y < FRAME_H; y++) {
		for (unsigned x = 0; x < FRAME_W; x++) {
			uint32_t index = ((x / 2) ^ (y / 2)) & 0xFFu;
			uint32_t rgb = (index & 0xE0u) << 16 | ((index << 3) & 0xE0u) << 8 |
				       ((index << 6) & 0xC0u);

			b->frames[0][y * FRAME_W + x] = rgb;
			b->frames[1][y * FRAME_W + x] = ~rgb & 0xFFFFFFu;
		}
	}
	return 0;
}

static void record(struct latencies *lat, uint64_t t0, uint64_t updated, uint64_t queued,
		   uint64_t shown)
{
	lat->shown_ms[lat->count] = (double)(int64_t)(shown - t0) / 1e6;
	lat->update_ms[lat->count] = (double)(updated - t0) / 1e6;
	lat->queued_ms[lat->count] = (double)(queued - t0) / 1e6;
	lat->count++;
}

static void vman_flipped(void *opaque, const struct timespec *shown)
{
	struct bench *b = opaque;

	b->vman_flipped = true;
	b->vman_shown = *shown;
}

/* The frame arrives at vman as a SCREEN and a FRAME do at the service. */
static int vman_show(struct bench *b)
{
	const uint32_t *frame = b->frames[b->vman_shows++ % 2];
	int rc = vman_screen_update(b->client, frame, FRAME_W, FRAME_H, FRAME_W * 4);

	b->vman_updated = monotonic_ns();
	return rc < 0 ? rc : vman_frame(b->vman);
}

static int vman_sample(struct bench *b, bool keep)
{
	struct pollfd display = {.fd = vman_get_fd(b->vman), .events = POLLIN};
	uint64_t t0 = monotonic_ns(), queued, deadline;
	int rc;

	b->vman_flipped = false;
	rc = vman_show(b);
	queued = monotonic_ns();
	deadline = queued + FLIP_TIMEOUT_MS * 1000000ull;
	while (rc == 0 && !b->vman_flipped) {
		uint64_t now = monotonic_ns();

		if (now >= deadline || display.fd < 0)
			return -ETIMEDOUT;
		poll(&display, 1, (int)((deadline - now) / 1000000u) + 1);
		rc = vman_dispatch(b->vman);
	}
	if (rc == 0 && keep)
		record(&b->vman_lat, t0, b->vman_updated, queued, timespec_ns(&b->vman_shown));
	return rc;
}

static int native_sample(struct bench *b, bool keep)
{
	const uint32_t *frame = b->frames[b->native_shows++ % 2];
	struct timespec shown;
	uint64_t t0 = monotonic_ns(), queued;
	int rc = native_kms_show(b->native, frame, FRAME_W * 4, FLIP_TIMEOUT_MS, &queued, &shown);

	if (rc == 0 && keep)
		record(&b->native_lat, t0, t0, queued, timespec_ns(&shown));
	return rc;
}

typedef int sample_fn(struct bench *b, bool keep);

static int samples_run(struct bench *b, sample_fn *sample, unsigned warmup, size_t count)
{
	int rc = 0;

	for (unsigned i = 0; rc == 0 && i < warmup; i++)
		rc = sample(b, false);
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = sample(b, true);
	return rc;
}

static size_t block_of(const struct latencies *lat, size_t block, size_t samples)
{
	return samples - lat->count < block ? samples - lat->count : block;
}

/* vman's turn: it takes the card (its first frame, or back from the
 * native's turn: a modeset with its last frame), samples, lets go. */
static int vman_turn(struct bench *b, bool first, unsigned warmup, size_t count)
{
	int rc = first ? vman_show(b) : vman_set_active(b->vman, true);

	if (rc == 0)
		rc = samples_run(b, vman_sample, warmup, count);
	if (rc == 0)
		rc = vman_set_active(b->vman, false);
	return rc;
}

static int native_turn(struct bench *b, unsigned warmup, size_t count)
{
	int rc = native_kms_take(b->native);

	if (rc == 0)
		rc = samples_run(b, native_sample, warmup, count);
	if (rc == 0)
		rc = native_kms_release(b->native);
	return rc;
}

static int run(struct bench *b, size_t samples, unsigned warmup, size_t block)
{
	int rc = 0;

	for (unsigned turn = 0; rc == 0 && (b->vman_lat.count < samples ||
					    b->native_lat.count < samples); turn++) {
		unsigned left_out = turn == 0 ? warmup : SWITCH_WARMUP;

		rc = vman_turn(b, turn == 0, left_out, block_of(&b->vman_lat, block, samples));
		if (rc < 0) {
			fprintf(stderr, "drm_latency: vman: %s\n", strerror(-rc));
			break;
		}
		rc = native_turn(b, left_out, block_of(&b->native_lat, block, samples));
		if (rc < 0)
			fprintf(stderr, "drm_latency: native: %s\n", strerror(-rc));
	}
	/* vman ends on screen, so that destroying it puts the console back. */
	if (rc == 0)
		rc = vman_set_active(b->vman, true);
	return rc;
}

struct summary {
	double median, p99, min, max, queued_median, update_median;
};

/* Sorts the values. */
static struct summary summarize(struct latencies *lat)
{
	size_t n = lat->count;
	double median = n ? bench_median(lat->shown_ms, n) : 0;

	return n ? (struct summary){.median = median,
				    .p99 = bench_percentile_sorted(lat->shown_ms, n, 99),
				    .min = lat->shown_ms[0],
				    .max = lat->shown_ms[n - 1],
				    .queued_median = bench_median(lat->queued_ms, n),
				    .update_median = bench_median(lat->update_ms, n)}
		 : (struct summary){0};
}

static void print_row(const char *name, const struct summary *s)
{
	printf("  %-8s %9.3f %9.3f %9.3f %9.3f %9.3f\n", name, s->median, s->p99, s->min, s->max,
	       s->queued_median);
}

static void report(struct bench *b, size_t samples, unsigned warmup, size_t block)
{
	const drmModeModeInfo *mode = native_kms_mode(b->native);
	struct summary v = summarize(&b->vman_lat), n = summarize(&b->native_lat);

	printf("frame arrival to page flip completion (the kernel's flip time), %ux%u XRGB8888 "
	       "frames centred in %ux%u@%u (the peer's mode; vman logs its own above)\n",
	       FRAME_W, FRAME_H, mode->hdisplay, mode->vdisplay, mode->vrefresh);
	printf("%zu samples each (%u warm-up left out, %u after each switch), in turns of %zu\n",
	       samples, warmup, SWITCH_WARMUP, block);
	printf("  %-8s %9s %9s %9s %9s %9s\n", "", "median", "p99", "min", "max", "queued");
	print_row("vman", &v);
	print_row("native", &n);
	printf("  (ms; queued: the median time from t0 to the flip queued, the client's own work)\n");
	printf("  vman: t0 to vman_screen_update's return (the frame copied into the screen "
	       "surface): median %.3f ms\n", v.update_median);
	if (n.median > 0 && n.p99 > 0)
		printf("  vman/native: median %.2f, p99 %.2f\n", v.median / n.median, v.p99 / n.p99);
}

static int latencies_alloc(struct latencies *lat, size_t count)
{
	lat->shown_ms = calloc(count, sizeof(double));
	lat->queued_ms = calloc(count, sizeof(double));
	lat->update_ms = calloc(count, sizeof(double));
	return lat->shown_ms && lat->queued_ms && lat->update_ms ? 0 : -ENOMEM;
}

static void latencies_free(struct latencies *lat)
{
	free(lat->shown_ms);
	free(lat->queued_ms);
	free(lat->update_ms);
}

static const char usage[] =
	"Usage: drm_latency [-n SAMPLES] [-w WARMUP] [-b BLOCK] [-d CARD]\n"
	"\n"
	"As root on a KMS card no one else is master of (bench_drm runs it in tests/drm's\n"
	"VM): the time from a 640x400 guest frame arriving at vman (vman_screen_update and\n"
	"vman_frame, as the service on a SCREEN and a FRAME) to the page flip that shows it\n"
	"completing, beside a bare KMS client (dumb buffers, PageFlip) on the same card;\n"
	"the two take the card in turns. Prints median, p99, min and max of each, and\n"
	"vman/native. vman draws into dumb buffers (MVM_DRM_DUMB=1 unless set otherwise).\n"
	"\n"
	"  -n SAMPLES  samples of each (default 200)\n"
	"  -w WARMUP   samples before those, left out (default 20)\n"
	"  -b BLOCK    samples of each per turn (default 50)\n"
	"  -d CARD     the card (default /dev/dri/card0)\n";

static int parse_count(const char *text, unsigned long min, unsigned long max, size_t *value)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (!*text || *end || v < min || v > max)
		return -EINVAL;
	*value = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct vman_options options = {.renderer = VMAN_RENDERER_PIXMAN,
				       .presenter = VMAN_PRESENTER_DRM};
	struct bench b = {0};
	size_t samples = 200, warmup = 20, block = 50;
	int opt, rc = 0;

	options.drm_device = "/dev/dri/card0";
	while (rc == 0 && (opt = getopt(argc, argv, "n:w:b:d:h")) != -1) {
		switch (opt) {
		case 'n':
			rc = parse_count(optarg, 1, 1000000, &samples);
			break;
		case 'w':
			rc = parse_count(optarg, 0, 1000000, &warmup);
			break;
		case 'b':
			rc = parse_count(optarg, 1, 1000000, &block);
			break;
		case 'd':
			options.drm_device = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			rc = -EINVAL;
		}
	}
	if (rc < 0 || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	setenv("MVM_DRM_DUMB", "1", 0);
	rc = latencies_alloc(&b.vman_lat, samples);
	if (rc == 0)
		rc = latencies_alloc(&b.native_lat, samples);
	if (rc == 0)
		rc = frames_make(&b);
	if (rc < 0) {
		fprintf(stderr, "drm_latency: %s\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	b.vman = vman_create(&options);
	if (b.vman)
		b.client = vman_client_create(b.vman, "drm_latency", NULL, NULL);
	if (!b.client) {
		fprintf(stderr, "drm_latency: cannot start vman's DRM presenter on %s: %s\n",
			options.drm_device, strerror(errno));
		rc = 1;
		goto out;
	}
	b.native = native_kms_create(options.drm_device, FRAME_W, FRAME_H);
	if (!b.native) {
		rc = 1;
		goto out;
	}
	vman_presenter_drm_set_flipped(b.vman->presenter, vman_flipped, &b);
	rc = run(&b, samples, (unsigned)warmup, block);
	if (rc == 0)
		report(&b, samples, (unsigned)warmup, block);
	rc = rc < 0;
out:
	vman_client_destroy(b.client);
	vman_destroy(b.vman);
	native_kms_destroy(b.native);
	latencies_free(&b.vman_lat);
	latencies_free(&b.native_lat);
	free(b.frames[0]);
	free(b.frames[1]);
	return rc;
}
