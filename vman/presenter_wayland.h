/* presenter_wayland.h: the Wayland presenter: vman as a client of the compositor $WAYLAND_DISPLAY names. Private to vman/. */
#ifndef MVM_VMAN_PRESENTER_WAYLAND_H
#define MVM_VMAN_PRESENTER_WAYLAND_H

#include <stdbool.h>
#include <stdint.h>

#include "presenter.h"

/*
 * Windowed, the foreground guest's screen is one xdg_toplevel titled with
 * the client's name (its screen surface alone, without the guest's pointer:
 * the host's pointer is over it), and each of its visible windows is one
 * more, titled with the guest's title and showing the whole window (the
 * guest's own overlapping does not apply to separate toplevels). The host
 * places them; a size the compositor suggests is ignored (the guest decides
 * its sizes), so no VVMI_EVENT_RESIZED is sent. Closing a toplevel sends
 * the client VVMI_EVENT_CLOSED for its surface (0 for the screen: the
 * guest, or the VMM, decides what that means).
 *
 * Fullscreen (--fullscreen, or Alt+Home on any of the toplevels, which also
 * switches back), the windows' toplevels go and the screen's toplevel
 * shows the composed frame (windows and pointer included) at the output's
 * size, placed by vman_place (placement.h): an integer scale drawn by us
 * (sharp pixels), or, for a frame larger than the output, scaled down by
 * the compositor through wp_viewporter; centred on a black backdrop (one
 * pixel that wp_viewporter stretches to the output). A mode switch in the
 * guest resizes the picture and the scale follows. The switch between the
 * two shows at the next frame.
 *
 * The globals bound: wl_compositor (version 4, for damage_buffer),
 * wl_subcompositor, wp_viewporter, wl_shm, xdg_wm_base, and wl_seat (for
 * the hotkey; optional).
 */

struct vman;
struct xdg_toplevel;

/* Connects to $WAYLAND_DISPLAY (wayland-0 when unset). NULL with errno:
 * ENODEV (no compositor there, a message on stderr names the display, or
 * it lacks a global named above), ENOMEM. */
struct vman_presenter *vman_presenter_wayland_create(struct vman *vman, bool fullscreen);

/* For tests: every toplevel shows its latest picture, in the state asked
 * for, as configured by the compositor. */
bool vman_presenter_wayland_idle(struct vman_presenter *presenter);

/* For tests: the xdg_toplevel showing a guest surface (0: the screen), or
 * NULL when none does. */
struct xdg_toplevel *vman_presenter_wayland_toplevel(struct vman_presenter *presenter,
						     uint16_t surface);

#endif
