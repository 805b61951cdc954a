/* hoststamp.c: a benchmark's VDD: each guest write to its port is stamped with the host's monotonic clock, and the stamps are written to a file when the VM stops. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vdh.h"

/*
 * The guest's own clocks (PIT, RDTSC) count virtual time, which a trap
 * advances by a fixed microsecond whatever the host did meanwhile, so a
 * guest cannot time host work. This VDD is the guest's stopwatch instead:
 * `out HOSTSTAMP_PORT, al` records (AL, host CLOCK_MONOTONIC ns) as the
 * port write reaches the VMM, and the stamps go to the file `out` names,
 * one "tag nanoseconds" line each, when the VM stops. Stamping costs a
 * clock read and a store; the benchmark measures what one stamp costs
 * (two in a row) and takes it off.
 */
#define HOSTSTAMP_PORT 0x5670u
/* Room for a benchmark's stamps from the start: growing the array while the
 * guest is being timed would lengthen one interval. */
#define HOSTSTAMP_INITIAL 65536u
#define HOSTSTAMP_MAX (1u << 24)

struct stamp {
	uint8_t tag;
	uint64_t ns;
};

struct hoststamp {
	struct vdh_dev *dev;
	char *out;
	struct stamp *stamps;
	size_t count, capacity;
	bool overflowed;
};

static const struct vdh *vdh;

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void hoststamp_record(struct hoststamp *h, uint8_t tag)
{
	uint64_t now = host_ns();

	if (h->count == h->capacity) {
		size_t capacity = h->capacity * 2;
		struct stamp *grown = NULL;

		if (capacity <= HOSTSTAMP_MAX)
			grown = realloc(h->stamps, capacity * sizeof(*grown));
		if (!grown) {
			h->overflowed = true;
			return;
		}
		h->stamps = grown;
		h->capacity = capacity;
	}
	h->stamps[h->count++] = (struct stamp){ .tag = tag, .ns = now };
}

static uint8_t hoststamp_inb(void *opaque, uint16_t port)
{
	return 0xFF;
}

static void hoststamp_outb(void *opaque, uint16_t port, uint8_t value)
{
	hoststamp_record(opaque, value);
}

static void hoststamp_outw(void *opaque, uint16_t port, uint16_t value)
{
	hoststamp_record(opaque, (uint8_t)value);
}

static const struct vdh_io_ops hoststamp_io = {
	.inb = hoststamp_inb,
	.outb = hoststamp_outb,
	.outw = hoststamp_outw,
};

static int hoststamp_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static int hoststamp_write(const struct hoststamp *h)
{
	FILE *f = fopen(h->out, "w");
	int rc = 0;

	if (!f)
		return -errno;
	for (size_t i = 0; i < h->count; i++)
		fprintf(f, "%u %" PRIu64 "\n", h->stamps[i].tag, h->stamps[i].ns);
	if (ferror(f))
		rc = -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

static void hoststamp_terminate(void *instance)
{
	struct hoststamp *h = instance;
	int rc;

	if (!h)
		return;
	if (h->overflowed)
		vdh->log(h->dev, VDH_LOG_ERROR, "more than %u stamps: the later ones are lost",
			 HOSTSTAMP_MAX);
	rc = hoststamp_write(h);
	if (rc < 0)
		vdh->log(h->dev, VDH_LOG_ERROR, "cannot write %s: %s", h->out, strerror(-rc));
	free(h->stamps);
	free(h->out);
	free(h);
}

static int hoststamp_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	const char *out = vdh->prop_string(props, "out");
	struct hoststamp *h;
	int rc;

	if (!*out) {
		vdh->log(dev, VDH_LOG_ERROR, "out= names the file the stamps go to");
		return -EINVAL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->dev = dev;
	h->capacity = HOSTSTAMP_INITIAL;
	h->out = strdup(out);
	h->stamps = malloc(h->capacity * sizeof(*h->stamps));
	if (!h->out || !h->stamps) {
		rc = -ENOMEM;
		goto fail;
	}
	/* 0x5670: the benchmark's stopwatch, no hardware's port. */
	rc = vdh->install_io_hook(dev, HOSTSTAMP_PORT, 1, &hoststamp_io, h);
	if (rc < 0)
		goto fail;
	*instance = h;
	return 0;

fail:
	free(h->stamps);
	free(h->out);
	free(h);
	return rc;
}

static const struct vdh_prop_spec hoststamp_props[] = {
	{ "out", VDH_PROP_STRING, "", 0, 0, "the file the stamps go to (\"tag ns\" lines)" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "hoststamp",
	.description = "benchmarks: guest writes to port 5670h stamped with the host's clock",
	.props = hoststamp_props,
	.init = hoststamp_init,
	.create = hoststamp_create,
	.terminate = hoststamp_terminate,
};
