/* native_window.h: bench/seamless's peer: a plain Wayland client that shows a colour in an xdg_toplevel and times it with wp_presentation. */
#ifndef MVM_BENCH_SEAMLESS_NATIVE_WINDOW_H
#define MVM_BENCH_SEAMLESS_NATIVE_WINDOW_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * Its own connection to $WAYLAND_DISPLAY: one xdg_toplevel of width x
 * height showing an XRGB8888 wl_shm buffer (two, used in turn, as vman's
 * presenter does), each commit with wp_presentation feedback. It also
 * tells the benchmark the compositor's presentation clock, the clock both
 * sides must be timed with.
 */
struct native_window;

/* The feedback of the last commit. */
struct native_presented {
	bool done;          /* presented or discarded */
	uint64_t ns;        /* on the presentation clock; 0: discarded */
	uint32_t refresh_ns; /* the output's refresh period as the compositor gave it; 0: unknown */
};

/* Connects and shows the window (first picture committed and configured).
 * NULL after a message on stderr. */
struct native_window *native_window_create(unsigned width, unsigned height);
void native_window_destroy(struct native_window *window); /* NULL does nothing */

/* The compositor's presentation clock (wp_presentation.clock_id). */
clockid_t native_window_clock(const struct native_window *window);

/* Fills a free buffer with colour, attaches and commits it with feedback.
 * 0 or -errno (-EBUSY: no buffer was released). */
int native_window_show(struct native_window *window, uint32_t colour);

/* Waits up to timeout_ms for the last commit's feedback. 0, -ETIMEDOUT or
 * -errno (the connection failed). */
int native_window_wait(struct native_window *window, int timeout_ms,
		       struct native_presented *presented);

#endif
