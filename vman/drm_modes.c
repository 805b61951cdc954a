/* drm_modes.c: picks the connector mode for the guest's frame and places the frame in it (rules in drm_modes.h). */
#include <errno.h>
#include <stdint.h>

#include "drm_modes.h"

#define REFRESH_TARGET_MHZ 60000u

static unsigned refresh_distance(const struct vman_drm_mode *mode)
{
	return mode->refresh_mhz > REFRESH_TARGET_MHZ ? mode->refresh_mhz - REFRESH_TARGET_MHZ
						      : REFRESH_TARGET_MHZ - mode->refresh_mhz;
}

/* Whether a beats b when both score the same. */
static bool wins_tie(const struct vman_drm_mode *a, const struct vman_drm_mode *b)
{
	if (a->preferred != b->preferred)
		return a->preferred;
	return refresh_distance(a) < refresh_distance(b);
}

static bool usable(const struct vman_drm_mode *mode)
{
	return mode->width > 0 && mode->height > 0;
}

/* The preferred mode, else the one with the most pixels. */
static long choose_preferred(const struct vman_drm_mode *modes, size_t count)
{
	long best = -1;

	for (size_t i = 0; i < count; i++) {
		const struct vman_drm_mode *mode = &modes[i];
		uint64_t area = (uint64_t)mode->width * mode->height;
		uint64_t best_area;

		if (!usable(mode))
			continue;
		if (mode->preferred)
			return (long)i;
		if (best < 0) {
			best = (long)i;
			continue;
		}
		best_area = (uint64_t)modes[best].width * modes[best].height;
		if (area > best_area || (area == best_area && wins_tie(mode, &modes[best])))
			best = (long)i;
	}
	return best;
}

/* The smallest mode that holds the frame unscaled, or -1. */
static long choose_holding(const struct vman_drm_mode *modes, size_t count, unsigned frame_width,
			   unsigned frame_height)
{
	long best = -1;

	for (size_t i = 0; i < count; i++) {
		const struct vman_drm_mode *mode = &modes[i];
		uint64_t area = (uint64_t)mode->width * mode->height;
		uint64_t best_area;

		if (!usable(mode) || mode->width < frame_width || mode->height < frame_height)
			continue;
		if (best < 0) {
			best = (long)i;
			continue;
		}
		best_area = (uint64_t)modes[best].width * modes[best].height;
		if (area < best_area || (area == best_area && wins_tie(mode, &modes[best])))
			best = (long)i;
	}
	return best;
}

/* The mode that shows the frame largest when scaled down into it, or -1. */
static long choose_largest_picture(const struct vman_drm_mode *modes, size_t count,
				   unsigned frame_width, unsigned frame_height)
{
	long best = -1;
	uint64_t best_shown = 0;

	for (size_t i = 0; i < count; i++) {
		const struct vman_drm_mode *mode = &modes[i];
		struct vman_placement place;
		uint64_t shown;

		if (!usable(mode))
			continue;
		vman_place(mode->width, mode->height, frame_width, frame_height, true, &place);
		shown = (uint64_t)place.width * place.height;
		if (best < 0 || shown > best_shown ||
		    (shown == best_shown && wins_tie(mode, &modes[best]))) {
			best = (long)i;
			best_shown = shown;
		}
	}
	return best;
}

int vman_drm_mode_choose(const struct vman_drm_mode *modes, size_t count, unsigned frame_width,
			 unsigned frame_height, bool fill, struct vman_drm_placement *placement)
{
	long chosen;

	if (frame_width == 0 || frame_height == 0)
		return -EINVAL;
	if (fill) {
		chosen = choose_preferred(modes, count);
	} else {
		chosen = choose_holding(modes, count, frame_width, frame_height);
		if (chosen < 0)
			chosen = choose_largest_picture(modes, count, frame_width, frame_height);
	}
	if (chosen < 0)
		return -ENOENT;
	placement->mode = (size_t)chosen;
	vman_place(modes[chosen].width, modes[chosen].height, frame_width, frame_height, fill,
		   &placement->place);
	return 0;
}
