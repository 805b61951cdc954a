/* bench_render.c: what the vvga renderer spends on one frame, in 80x25 text and in mode 13h,
 * beside the floor no renderer can go under: copying the finished frame once (pixman). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pixman.h>

#include "bench_stats.h"
#include "vdh_mock.h"
#include "vga_modes.h"
#include "vvga.h"

extern const struct vdd_module vdd_module;

struct scenario {
	const char *name;
	void (*fill)(struct mock_vm *vm);
	uint32_t toggle_gpa; /* a byte each frame changes (it holds neither 55h nor AAh) */
	int width, height;   /* the frame the CRTC timing describes */
};

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void mem_write(struct mock_vm *vm, uint32_t gpa, uint8_t value)
{
	mock_mmio(vm, gpa, &value, 1, true);
}

/* A font in plane 2, loaded as a BIOS does (plane 2 alone at A0000), and
 * every character with every attribute on the screen. */
static void fill_text(struct mock_vm *vm)
{
	seq_write(vm, SEQ_MAP_MASK, 0x04);
	seq_write(vm, SEQ_MEMORY_MODE, 0x07);
	gc_write(vm, GC_READ_MAP, 0x02);
	gc_write(vm, GC_MODE, 0x00);
	gc_write(vm, GC_MISC, 0x04);
	for (uint32_t ch = 0; ch < 256; ch++)
		for (uint32_t line = 0; line < 16; line++)
			mem_write(vm, 0xa0000 + ch * 32 + line, (uint8_t)(ch * 7 + line * 13));
	set_mode(vm, &mode_03h);
	for (uint32_t cell = 0; cell < 80 * 25; cell++) {
		mem_write(vm, 0xb8000 + cell * 2, (uint8_t)cell);
		mem_write(vm, 0xb8000 + cell * 2 + 1, (uint8_t)(cell / 7));
	}
}

/* A grey ramp in the DAC and a pattern using every colour. */
static void fill_13h(struct mock_vm *vm)
{
	set_mode(vm, &mode_13h);
	for (unsigned i = 0; i < 256; i++)
		dac_write(vm, (uint8_t)i, (uint8_t)(i >> 2), (uint8_t)(i >> 2), (uint8_t)(i >> 2));
	for (uint32_t y = 0; y < 200; y++)
		for (uint32_t x = 0; x < 320; x++)
			mem_write(vm, 0xa0000 + y * 320 + x, (uint8_t)(x ^ y));
}

static const struct scenario scenarios[] = {
	{ "text 03h", fill_text, 0xb8000, 720, 400 },
	{ "13h", fill_13h, 0xa0000, 640, 400 },
};

struct figures {
	double render_us, copy_us, unchanged_ns;
};

/* One round: iterations changed frames, the same number of copies of the
 * frame, and as many renders with nothing changed. */
static int run_round(struct mock_vm *vm, struct vvga *s, const struct scenario *sc,
		     unsigned iterations, struct figures *out)
{
	pixman_image_t *copy;
	uint64_t start, renders = s->frame.renders;

	start = monotonic_ns();
	for (unsigned i = 0; i < iterations; i++) {
		mem_write(vm, sc->toggle_gpa, i & 1 ? 0x55 : 0xaa);
		if (vvga_render(s, 0) < 0)
			return -ENOMEM;
	}
	out->render_us = (double)(monotonic_ns() - start) / iterations / 1000.0;
	if (s->frame.renders - renders != iterations) {
		fprintf(stderr, "bench_render: %s: %llu frames drawn for %u changes\n", sc->name,
			(unsigned long long)(s->frame.renders - renders), iterations);
		return -EINVAL;
	}

	start = monotonic_ns();
	for (unsigned i = 0; i < iterations; i++)
		vvga_render(s, 0);
	out->unchanged_ns = (double)(monotonic_ns() - start) / iterations;

	copy = pixman_image_create_bits(PIXMAN_x8r8g8b8, sc->width, sc->height, NULL, 0);
	if (!copy)
		return -ENOMEM;
	start = monotonic_ns();
	for (unsigned i = 0; i < iterations; i++)
		pixman_image_composite32(PIXMAN_OP_SRC, s->frame.image, NULL, copy, 0, 0, 0, 0, 0,
					 0, sc->width, sc->height);
	out->copy_us = (double)(monotonic_ns() - start) / iterations / 1000.0;
	pixman_image_unref(copy);
	return 0;
}

static int bench_scenario(const struct scenario *sc, unsigned iterations, unsigned repeat)
{
	double render[64], copy[64], unchanged[64];
	struct mock_vm *vm = mock_vm_create();
	struct vvga *s;
	int rc;

	if (!vm)
		return -ENOMEM;
	rc = mock_vm_attach(vm, &vdd_module, NULL);
	if (rc < 0)
		goto out;
	s = mock_instance(vm, &vdd_module);
	sc->fill(vm);
	rc = vvga_render(s, 0);
	if (rc < 0)
		goto out;
	if (pixman_image_get_width(s->frame.image) != sc->width ||
	    pixman_image_get_height(s->frame.image) != sc->height) {
		fprintf(stderr, "bench_render: %s: a %dx%d frame, not %dx%d\n", sc->name,
			pixman_image_get_width(s->frame.image),
			pixman_image_get_height(s->frame.image), sc->width, sc->height);
		rc = -EINVAL;
		goto out;
	}
	for (unsigned r = 0; r < repeat; r++) {
		struct figures f;
		rc = run_round(vm, s, sc, iterations, &f);
		if (rc < 0)
			goto out;
		render[r] = f.render_us;
		copy[r] = f.copy_us;
		unchanged[r] = f.unchanged_ns;
	}
	double render_us = bench_median(render, repeat), copy_us = bench_median(copy, repeat);
	printf("%-9s %4dx%-4d %10.1f %9.1f %6.2f %13.0f\n", sc->name, sc->width, sc->height,
	       render_us, copy_us, render_us / copy_us, bench_median(unchanged, repeat));
out:
	mock_vm_destroy(vm);
	return rc;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bench_render [--iterations N] [--repeat R]\n"
		"Renders N changed frames (default 2000) in 80x25 text and in mode 13h, R times\n"
		"(default 5), and prints the median microseconds per frame beside the time to copy\n"
		"the finished frame once with pixman (the floor), their ratio, and what a frame\n"
		"with nothing changed costs (nanoseconds).\n");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned long iterations = 2000, repeat = 5;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			iterations = strtoul(optarg, &end, 10);
			if (*end || iterations == 0 || iterations > 1000000) {
				fprintf(stderr, "bench_render: --iterations: 1 to 1000000\n");
				return 2;
			}
			break;
		case 'r':
			repeat = strtoul(optarg, &end, 10);
			if (*end || repeat == 0 || repeat > 64) {
				fprintf(stderr, "bench_render: --repeat: 1 to 64\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	printf("%-9s %9s %10s %9s %6s %13s\n", "mode", "frame", "render us", "copy us", "ratio",
	       "unchanged ns");
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		int rc = bench_scenario(&scenarios[i], (unsigned)iterations, (unsigned)repeat);
		if (rc < 0) {
			fprintf(stderr, "bench_render: %s: %s\n", scenarios[i].name, strerror(-rc));
			return 1;
		}
	}
	printf("(render: a frame drawn after one byte of video memory changed; copy: the finished\n"
	       " frame copied once with pixman, the floor; ratio: render / copy)\n");
	return 0;
}
