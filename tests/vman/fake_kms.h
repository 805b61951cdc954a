/* fake_kms.h: a KMS card in memory for the DRM presenter's tests: fake_kms.c defines the libdrm functions the presenter calls, so the test executable drives this fake (one CRTC, two connectors, a primary and a cursor plane) instead of a card. */
#ifndef MVM_TESTS_FAKE_KMS_H
#define MVM_TESTS_FAKE_KMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xf86drmMode.h>

#define FAKE_CONNECTORS 2
#define FAKE_MODES_MAX 24
#define FAKE_BUFFERS_MAX 16
#define FAKE_BLOBS_MAX 8
#define FAKE_CONSOLE_FB 999u /* the console's framebuffer, there before the presenter */

struct fake_mode {
	unsigned width, height, refresh_hz;
	bool preferred;
};

struct fake_buffer {
	bool used;
	uint32_t fb_id; /* 0 until AddFB2 */
	unsigned width, height, pitch;
	uint64_t offset, size;
};

struct fake_kms {
	int memfd;      /* the card's memory, where dumb buffers live */
	char path[64];  /* /proc/self/fd/N: the "card" the presenter opens */
	uint8_t *memory;
	uint64_t memory_used;
	bool atomic;    /* the driver takes DRM_CLIENT_CAP_ATOMIC */
	bool client_atomic;
	bool master;    /* the presenter's file is DRM master */
	bool other_master; /* another process is: SetMaster fails */
	bool reject_disconnected; /* a commit naming a disconnected connector fails */

	struct {
		bool connected;
		size_t mode_count;
		drmModeModeInfo modes[FAKE_MODES_MAX];
	} connectors[FAKE_CONNECTORS];

	/* The CRTC. */
	bool active;
	drmModeModeInfo mode;
	uint32_t fb;             /* scanned out */
	uint32_t connector;      /* driven */
	bool flip_pending;
	uint32_t pending_fb;
	void *pending_data;

	struct fake_buffer buffers[FAKE_BUFFERS_MAX];
	struct {
		uint32_t id;
		drmModeModeInfo mode;
	} blobs[FAKE_BLOBS_MAX];

	/* What happened. */
	unsigned modesets, flips_asked, flips_done, commits;
	unsigned atomic_commits, legacy_commits; /* asked for, either way */
	unsigned shown_fb_removed; /* a framebuffer removed while on screen or queued */
	uint32_t last_flags;      /* of the last atomic commit */
};

extern struct fake_kms fake;

/* A fresh card: nothing connected, the console's framebuffer shown in
 * 1024x768 (not on a connector the tests use). */
void fake_kms_init(bool atomic);
void fake_kms_finish(void);

void fake_kms_connect(unsigned connector, const struct fake_mode *modes, size_t count);
void fake_kms_disconnect(unsigned connector);

/* What the screen shows at (x, y) (colour bits), 0 when the CRTC is off. */
uint32_t fake_kms_pixel(unsigned x, unsigned y);

/* The live buffers and property blobs. */
unsigned fake_kms_buffers(void);
unsigned fake_kms_blobs(void);

#endif
