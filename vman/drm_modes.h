/* drm_modes.h: which of a connector's modes shows the guest's frame, and where in it. Pure logic, private to vman/. */
#ifndef MVM_VMAN_DRM_MODES_H
#define MVM_VMAN_DRM_MODES_H

#include <stdbool.h>
#include <stddef.h>

#include "placement.h"

/*
 * The DRM presenter fills a list of these from the connector's modes (it
 * leaves out the interlaced and double-scanned ones) and asks which to set
 * for a frame of the guest's size. Pixels stay square: the frame is shown
 * as it is, aspect kept, scaled by the same factor both ways.
 *
 * The closest mode (fill false, the default):
 * 1. Among the modes that hold the frame unscaled (mode width >= frame
 *    width and mode height >= frame height), the one with the fewest
 *    pixels. vman_place then scales the frame by the largest integer that
 *    fits (1 unless the frame is at most half the mode each way) and
 *    centres it, black around it.
 * 2. When no mode holds it, the frame is scaled down (a non-integer
 *    factor, aspect kept) into the mode that shows it largest.
 * Ties (the same number of pixels, or of shown pixels) go to the preferred
 * mode, then to the refresh rate nearest 60 Hz, then to the earlier mode
 * in the list (the kernel lists the best first).
 *
 * Fullscreen scaling (fill true): the preferred mode (the first flagged;
 * with none flagged the one with the most pixels, ties as above), and the
 * frame scaled to the largest size that fits it, aspect kept, by whatever
 * factor that takes; the scale is an integer only where that size happens
 * to be an integer multiple of the frame.
 *
 * The VGA's frames (vdd/vvga_render.c) come as their size says, mode 13h
 * already doubled to 640x400, and take no special case: 720x400 text takes
 * a 720x400 mode where the monitor lists one (EDID's established 720x400 at
 * 70 Hz, as the VGA drove it), else the smallest that holds it (848x480
 * among bochs-drm's modes, scale 2 on a 1920x1080-only panel); 640x400 and
 * 640x350 take a mode of their own where listed, else 720x400 (pillarboxed)
 * or 640x480 (letterboxed), whichever is listed and smaller (on that panel:
 * scale 2 and scale 3); 640x480 takes 640x480. The 4:3 picture
 * a VGA monitor made of 400 and 350 lines (taller pixels) is not imitated.
 */

struct vman_drm_mode {
	unsigned width, height;
	unsigned refresh_mhz; /* millihertz: 59940 for 59.94 Hz */
	bool preferred;
};

struct vman_drm_placement {
	size_t mode;                 /* index in the list */
	struct vman_placement place; /* where the frame goes in that mode */
};

/* Picks the mode for a frame_width x frame_height frame and places the frame
 * in it, as above. Modes of width or height 0 are passed over. 0, -EINVAL
 * for a frame of size 0, -ENOENT when no mode is left. */
int vman_drm_mode_choose(const struct vman_drm_mode *modes, size_t count, unsigned frame_width,
			 unsigned frame_height, bool fill, struct vman_drm_placement *placement);


#endif
