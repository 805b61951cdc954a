/* vman_native.c: bench/vman's native peer: the guest's command stream (vmanbnch.asm) run in this process on libvman, directly or through the VVMI rings, stamped with the host clock. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocol.h"
#include "ring.h"
#include "ring_guest.h"
#include "vman.h"

/*
 * The same rounds as the guest's (see vmanbnch.asm: the tags, the cells,
 * the colours), printed as the same "tag ns" lines the hoststamp VDD writes,
 * so bench_vman reads both alike. Two paths:
 *   direct  each command straight to vman_ghi, PRESENT followed by
 *           vman_frame: the work VMAN itself does, the ceiling;
 *   ring    commands put in a VVMI region in this process with the guest
 *           ring code (ring_guest.c), run by the host's (ring.c, up to
 *           4096 records a "doorbell", a frame after a batch with a
 *           PRESENT, as the VVMI VDD does), PRESENTED read back from the
 *           event ring: the VDD's work without the VMM and the guest CPU.
 */
#define SCREEN_W 640
#define SCREEN_H 480
#define FILL_SIZE 8
#define BLIT_SIZE 64
#define BLIT_ROWS_END 448
#define BITMAP 1
#define BATCH_RECORDS 4096u
#define CALIBRATION_STAMPS 1000

enum tag {
	TAG_CALIBRATE = 1,
	TAG_ROUND = 2,
	TAG_EMPTY_PRESENTED = 3,
	TAG_BATCH_PRESENTED = 4,
	TAG_DOORBELL = 5,
	TAG_PRESENTED = 6,
};

struct stamp {
	enum tag tag;
	uint64_t ns;
};

struct bench {
	struct vman *vman;
	struct vman_client *client;
	bool ring;
	volatile uint8_t *region;
	struct vvmi_ring_host host;
	bool present_pending;  /* ring: a PRESENT ran in this batch */
	uint32_t presented;    /* direct: the last PRESENTED sequence */
	struct stamp *stamps;
	size_t count, capacity;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void stamp(struct bench *b, enum tag tag)
{
	uint64_t ns = now_ns();

	if (b->count < b->capacity)
		b->stamps[b->count++] = (struct stamp){ .tag = tag, .ns = ns };
}

static void direct_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct bench *b = opaque;
	struct vvmi_event_presented presented;

	if (type == VVMI_EVENT_PRESENTED && len >= sizeof(presented)) {
		memcpy(&presented, body, sizeof(presented));
		b->presented = presented.sequence;
	}
}

static void ring_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct bench *b = opaque;

	(void)vvmi_event_push(&b->host, type, body, len);
}

static int ring_execute(void *opaque, uint16_t opcode, const void *body, size_t len,
			uint32_t offset)
{
	struct bench *b = opaque;
	int rc = vman_ghi(b->client, opcode, body, len, NULL);

	if (rc == 0 && opcode == VVMI_CMD_PRESENT)
		b->present_pending = true;
	return rc;
}

/* What the VVMI VDD does when the guest rings. */
static int doorbell(struct bench *b)
{
	int rc = vvmi_ring_consume(&b->host, ring_execute, b, BATCH_RECORDS);

	if (rc < 0)
		return rc;
	if (b->present_pending) {
		b->present_pending = false;
		rc = vman_frame(b->vman);
	}
	return rc < 0 ? rc : 0;
}

static int put(struct bench *b, uint16_t opcode, const void *body, size_t len)
{
	int rc;

	if (!b->ring) {
		rc = vman_ghi(b->client, opcode, body, len, NULL);
		if (rc)
			return -EPROTO;
		return opcode == VVMI_CMD_PRESENT ? vman_frame(b->vman) : 0;
	}
	while ((rc = vvmi_guest_put(b->region, opcode, body, len)) == -ENOSPC) {
		rc = doorbell(b);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* PRESENT with the next sequence, and wait for PRESENTED (ring: ring the
 * doorbell and read the event ring, as vvmi_wait_presented does). */
static int present_and_wait(struct bench *b, uint32_t *sequence)
{
	struct vvmi_present present = { .sequence = ++*sequence };
	struct vvmi_event_presented event;
	uint16_t type;
	int rc = put(b, VVMI_CMD_PRESENT, &present, sizeof(present));

	if (rc < 0 || !b->ring)
		return rc < 0 ? rc : (b->presented == present.sequence ? 0 : -EPROTO);
	rc = doorbell(b);
	if (rc < 0)
		return rc;
	while ((rc = vvmi_guest_get_event(b->region, &type, &event, sizeof(event))) >= 0) {
		if (type == VVMI_EVENT_PRESENTED)
			return event.sequence == present.sequence ? 0 : -EPROTO;
		if (type == VVMI_EVENT_ERROR)
			return -EPROTO;
	}
	return rc == -EAGAIN ? -EPROTO : rc;
}

static int issue_fills(struct bench *b, uint32_t count)
{
	struct vvmi_fill fill = {
		.surface = VVMI_SURFACE_SCREEN,
		.rop2 = VVMI_ROP2_COPYPEN,
		.rect = { .w = FILL_SIZE, .h = FILL_SIZE },
	};

	for (uint32_t i = 0; i < count; i++) {
		int rc = put(b, VVMI_CMD_FILL, &fill, sizeof(fill));

		if (rc < 0)
			return rc;
		fill.color = (fill.color + 1) & 0xFFu;
		fill.rect.x += FILL_SIZE;
		if (fill.rect.x >= SCREEN_W) {
			fill.rect.x = 0;
			fill.rect.y += FILL_SIZE;
			if (fill.rect.y >= SCREEN_H)
				fill.rect.y = 0;
		}
	}
	return 0;
}

static int issue_blits(struct bench *b, uint32_t count)
{
	struct vvmi_bitblt blit = {
		.dst = VVMI_SURFACE_SCREEN,
		.src = BITMAP,
		.rect = { .w = BLIT_SIZE, .h = BLIT_SIZE },
		.rop3 = VVMI_ROP3_SRCCOPY,
	};

	for (uint32_t i = 0; i < count; i++) {
		int rc = put(b, VVMI_CMD_BITBLT, &blit, sizeof(blit));

		if (rc < 0)
			return rc;
		blit.rect.x += BLIT_SIZE;
		if (blit.rect.x >= SCREEN_W) {
			blit.rect.x = 0;
			blit.rect.y += BLIT_SIZE;
			if (blit.rect.y >= BLIT_ROWS_END)
				blit.rect.y = 0;
		}
	}
	return 0;
}

static int setup(struct bench *b, uint32_t *sequence)
{
	const struct vvmi_set_mode mode = { .width = SCREEN_W, .height = SCREEN_H,
					    .format = VVMI_FORMAT_I8 };
	const struct vvmi_surface_create bitmap = { .surface = BITMAP, .kind = VVMI_SURFACE_BITMAP,
						    .format = VVMI_FORMAT_I8, .width = BLIT_SIZE,
						    .height = BLIT_SIZE };
	const struct vvmi_fill bitmap_fill = { .surface = BITMAP, .rop2 = VVMI_ROP2_COPYPEN,
					       .rect = { .w = BLIT_SIZE, .h = BLIT_SIZE },
					       .color = 9 };
	int rc = put(b, VVMI_CMD_SET_MODE, &mode, sizeof(mode));

	if (rc == 0)
		rc = put(b, VVMI_CMD_SURFACE_CREATE, &bitmap, sizeof(bitmap));
	if (rc == 0)
		rc = put(b, VVMI_CMD_FILL, &bitmap_fill, sizeof(bitmap_fill));
	if (rc == 0)
		rc = present_and_wait(b, sequence);
	return rc;
}

static int run(struct bench *b, char kind, uint32_t count, unsigned rounds)
{
	struct vvmi_fill damage = {
		.surface = VVMI_SURFACE_SCREEN,
		.rop2 = VVMI_ROP2_COPYPEN,
		.rect = { .w = FILL_SIZE, .h = FILL_SIZE },
	};
	uint32_t sequence = 0;
	int rc = setup(b, &sequence);

	for (int i = 0; rc == 0 && i < CALIBRATION_STAMPS; i++)
		stamp(b, TAG_CALIBRATE);
	for (unsigned r = 0; rc == 0 && r < rounds; r++) {
		if (kind == 'P') {
			damage.color = (damage.color + 1) & 0xFFu;
			rc = put(b, VVMI_CMD_FILL, &damage, sizeof(damage));
			if (rc == 0 && b->ring)
				rc = doorbell(b);
			stamp(b, TAG_DOORBELL);
			if (rc == 0)
				rc = present_and_wait(b, &sequence);
			stamp(b, TAG_PRESENTED);
			continue;
		}
		stamp(b, TAG_ROUND);
		rc = present_and_wait(b, &sequence);
		stamp(b, TAG_EMPTY_PRESENTED);
		if (rc == 0)
			rc = kind == 'F' ? issue_fills(b, count) : issue_blits(b, count);
		if (rc == 0)
			rc = present_and_wait(b, &sequence);
		stamp(b, TAG_BATCH_PRESENTED);
	}
	return rc;
}

static const char usage[] =
	"Usage: vman_native direct|ring F|B COUNT ROUNDS\n"
	"       vman_native direct|ring P ROUNDS\n"
	"\n"
	"Runs bench/vman's guest rounds (vmanbnch.asm) in this process on libvman (pixman,\n"
	"headless): each command to vman_ghi directly, or through the VVMI rings as the\n"
	"VVMI VDD runs them. Prints \"tag ns\" stamps, as the hoststamp VDD writes them.\n";

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	unsigned long count = 0, rounds;
	char kind, *end;
	int rc;

	if (argc < 4 || (strcmp(argv[1], "direct") != 0 && strcmp(argv[1], "ring") != 0) ||
	    strlen(argv[2]) != 1 || !strchr("FBP", argv[2][0]) ||
	    argc != (argv[2][0] == 'P' ? 4 : 5)) {
		fputs(usage, stderr);
		return 2;
	}
	b.ring = strcmp(argv[1], "ring") == 0;
	kind = argv[2][0];
	if (kind != 'P') {
		count = strtoul(argv[3], &end, 10);
		if (*end || count > UINT32_MAX) {
			fputs(usage, stderr);
			return 2;
		}
	}
	rounds = strtoul(argv[argc - 1], &end, 10);
	if (*end || rounds > 0xFFFF) {
		fputs(usage, stderr);
		return 2;
	}
	b.capacity = CALIBRATION_STAMPS + 3 * rounds;
	b.stamps = calloc(b.capacity, sizeof(*b.stamps));
	/* The region first: a new client is told at once that it is in the foreground. */
	if (b.ring) {
		b.region = aligned_alloc(4096, VVMI_REGION_SIZE);
		if (b.region)
			vvmi_region_init(&b.host, b.region);
	}
	b.vman = vman_create(NULL);
	if (b.vman && (b.region || !b.ring))
		b.client = vman_client_create(b.vman, "bench", b.ring ? ring_event : direct_event,
					      &b);
	if (!b.stamps || !b.client || (b.ring && !b.region)) {
		fprintf(stderr, "vman_native: cannot set up: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	rc = run(&b, kind, (uint32_t)count, (unsigned)rounds);
	if (rc < 0) {
		fprintf(stderr, "vman_native: a command failed (%s)\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < b.count; i++)
		printf("%d %" PRIu64 "\n", b.stamps[i].tag, b.stamps[i].ns);
out:
	free((void *)b.region);
	vman_client_destroy(b.client);
	vman_destroy(b.vman);
	free(b.stamps);
	return rc;
}
