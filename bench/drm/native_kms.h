/* native_kms.h: bench/drm's peer: a bare KMS client that shows a frame centred in the smallest mode holding it, two dumb buffers flipped in turn. */
#ifndef MVM_BENCH_DRM_NATIVE_KMS_H
#define MVM_BENCH_DRM_NATIVE_KMS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <xf86drmMode.h>

/*
 * What any KMS program does, and nothing more: the card's first connected
 * connector, the CRTC driving it (else the first its encoders can drive),
 * the mode with the fewest pixels that holds the frame unscaled (ties: the
 * preferred mode, then the refresh nearest 60 Hz, then the kernel's order:
 * the rule vman's drm_modes.h gives for an unscaled frame), two XRGB8888
 * dumb buffers black around the frame. Legacy calls: SetCrtc for the
 * modeset, PageFlip with an event for each frame.
 */
struct native_kms;

/* Opens the card (path) and makes the buffers for a frame_width x
 * frame_height frame; nothing is shown yet and master is not held. NULL
 * after a message on stderr. */
struct native_kms *native_kms_create(const char *path, unsigned frame_width,
				     unsigned frame_height);
void native_kms_destroy(struct native_kms *kms); /* NULL does nothing */

/* The mode chosen. */
const drmModeModeInfo *native_kms_mode(const struct native_kms *kms);

/* Becomes DRM master and sets the mode with the buffer on screen (its last
 * frame). 0 or -errno. */
int native_kms_take(struct native_kms *kms);
/* Gives DRM master up, for another client to take the card. */
int native_kms_release(struct native_kms *kms);

/* Copies the frame (XRGB8888, stride in bytes) into the buffer not on
 * screen and flips to it; queued_ns is the monotonic time when the flip
 * was queued, shown the kernel's time of its completion (CLOCK_MONOTONIC).
 * Waits up to timeout_ms. 0, -ETIMEDOUT or -errno. */
int native_kms_show(struct native_kms *kms, const uint32_t *pixels, size_t stride,
		    int timeout_ms, uint64_t *queued_ns, struct timespec *shown);

#endif
