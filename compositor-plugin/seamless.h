/* seamless.h: the mvm-seamless module's shared state; private to compositor-plugin/. */
#ifndef MVM_SEAMLESS_H
#define MVM_SEAMLESS_H

#include <stdbool.h>
#include <stdint.h>

#include <libweston/libweston.h>
#include <wayland-server-core.h>

/* Live guest windows a client may have; the XML documents it. */
#define MVM_SEAMLESS_WINDOWS_MAX 256

struct seamless_test_input;
struct seamless_move;

struct seamless {
	struct weston_compositor *compositor;
	/* Guest windows, just above or just below the shell's windows (mvm_seamless.c). */
	struct weston_layer layer;
	/* Guest windows shown fullscreen on an output. */
	struct weston_layer fullscreen_layer;
	struct wl_global *global;
	char *vman_path;     /* the only executable allowed to bind */
	char *test_exe;      /* MVM_SEAMLESS_ALLOW_EXE: a second one, for tests */
	struct wl_list clients;  /* seamless_client.link */
	struct wl_list seats;    /* seamless_seat.link */
	struct weston_binding *click;
	struct weston_binding *move_binding, *close_binding; /* window_actions.c */
	struct seamless_move *move; /* the drag under way, if any */
	struct guest_window *focused; /* the guest window with keyboard focus */
	struct seamless_test_input *test_input; /* NULL unless MVM_SEAMLESS_TEST_INPUT=1 */
	struct wl_listener compositor_destroy;
	struct wl_listener seat_created;
};

/* A client that made guest windows: what the per-client cap counts. */
struct seamless_client {
	struct seamless *seamless;
	struct wl_client *client;
	struct wl_list windows; /* guest_window.link, inert ones too */
	unsigned live;          /* windows with a surface */
	bool cap_logged;
	struct wl_listener destroy;
	struct wl_list link;
};

/* mvm_seamless.c: the guest-window layer goes above the host's windows or below them. */
void seamless_stack_guest_layer(struct seamless *seamless, bool above_host);

/* access.c: who may see and bind the global. */
int seamless_access_init(struct seamless *seamless);
void seamless_access_finish(struct seamless *seamless);
bool seamless_access_allowed(const struct seamless *seamless, const struct wl_client *client);

/* guest_window.c: the "guest window" role. */
void guest_window_create(struct seamless *seamless, struct wl_client *client,
			 struct wl_resource *factory, uint32_t id,
			 struct weston_surface *surface, const char *guest);
struct guest_window *guest_window_from_surface(struct weston_surface *surface);
void guest_window_send_focus(struct guest_window *window, bool focused);
void guest_window_send_close(struct guest_window *window);
/* The user's drag: begin gives the window's position (-EINVAL: not shown in the
 * guest-window layer); the view follows drag_to at once; end makes the position the
 * window's and sends moved. */
int guest_window_drag_begin(struct guest_window *window, int32_t *x, int32_t *y);
void guest_window_drag_to(struct guest_window *window, int32_t x, int32_t y);
void guest_window_drag_end(struct guest_window *window);
/* Makes every window of every client inert: the module is going. */
void guest_windows_detach_all(struct seamless *seamless);

/* focus.c: click to focus, and focus events. */
int seamless_focus_init(struct seamless *seamless);
void seamless_focus_finish(struct seamless *seamless);
void seamless_focus_forget(struct seamless *seamless, struct guest_window *window);

/* window_actions.c: Super + left drag moves a guest window, Super+F4 asks the focused
 * one to close. forget ends a drag of the window (it is going or changing). */
int seamless_actions_init(struct seamless *seamless);
void seamless_actions_finish(struct seamless *seamless);
void seamless_actions_forget(struct seamless *seamless, struct guest_window *window);

/* test_input.c: the "mvm-test" seat and the mvm_seamless_test_v1 global, only with
 * MVM_SEAMLESS_TEST_INPUT=1 in the environment (0 and nothing done otherwise). */
int seamless_test_input_init(struct seamless *seamless);
void seamless_test_input_finish(struct seamless *seamless);

#endif
