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
 * shows the composed frame (windows and pointer included) as large as the
 * output holds it with its aspect kept (vman_place with fill: a game in
 * mode 13h fills the screen), drawn by us (nearest for an integer scale,
 * bilinear otherwise), or, for a frame larger than the output, scaled down
 * by the compositor through wp_viewporter; centred on a black backdrop (one
 * pixel that wp_viewporter stretches to the output). A mode switch in the
 * guest resizes the picture and the scale follows. The switch between the
 * two shows at the next frame.
 *
 * Seamless: where the compositor offers mvm_seamless_v1 (the mvm-seamless
 * Weston module, compositor-plugin/), each visible guest window is instead
 * a guest window of the module at the guest's own position (guest and
 * desktop coordinates are the same) and in the guest's stacking order,
 * and the screen has no window while the guest has windows: they stand on
 * the desktop by themselves. Fullscreen, the screen is the module's
 * fullscreen surface on the first output. The user moving or closing a
 * guest window through the compositor reaches the guest as
 * VVMI_EVENT_MOVED or VVMI_EVENT_CLOSED; where the guest then puts it is
 * its own decision.
 *
 * Input: the pointer over any window goes to the guest as
 * VVMI_EVENT_POINTER (the window and its coordinates; on the fullscreen
 * picture the topmost guest window under it, else the screen) and
 * VMAN_EVENT_POINTER_SCREEN (the guest screen's coordinates, for its
 * mouse); keys as VVMI_EVENT_KEY (set 1) except vman's Alt+Home; keyboard
 * focus as VVMI_EVENT_FOCUS.
 *
 * A compositor that goes away (stops, restarts) is looked for again every
 * 250 ms; once it is back the windows are made again from the guest's
 * current picture. The guest runs on meanwhile.
 *
 * The globals bound: wl_compositor (version 4, for damage_buffer),
 * wl_subcompositor, wp_viewporter, wl_shm, xdg_wm_base, and where offered
 * wl_seat (input), mvm_seamless_v1 and wp_presentation.
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

/* For bench/seamless: every picture committed for a guest surface (0: the
 * screen) asks for wp_presentation feedback, and fn gets when it was
 * committed (CLOCK_MONOTONIC ns) and when the compositor presented the
 * frame that showed it (ns on the compositor's presentation clock, which
 * wp_presentation.clock_id names: Weston uses CLOCK_MONOTONIC_RAW where
 * there is one; 0 when it was discarded). NULL stops asking. -ENOTSUP when
 * the compositor has no wp_presentation. */
typedef void vman_wayland_presented_fn(void *opaque, uint16_t surface, uint64_t committed_ns,
				       uint64_t presented_ns);
int vman_presenter_wayland_set_presented(struct vman_presenter *presenter,
					 vman_wayland_presented_fn *fn, void *opaque);

#endif
