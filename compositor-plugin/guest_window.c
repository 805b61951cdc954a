/* guest_window.c: the "guest window" role: a vman surface shown at the guest's desktop
 * position, stacked among its client's windows, or fullscreen on an output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm-seamless-v1-server-protocol.h"
#include "seamless.h"

#define GUEST_WINDOW_ROLE "mvm_guest_window"

struct guest_window {
	struct seamless *seamless;      /* NULL once the module is gone */
	struct seamless_client *owner;  /* NULL once the client is going */
	struct wl_resource *resource;
	struct weston_surface *surface; /* NULL: inert (over the cap, or the surface went) */
	struct weston_view *view;
	struct wl_listener surface_destroy;
	struct wl_listener surface_commit;
	struct wl_list link;            /* owner->windows */
	char *guest, *title;
	int32_t x, y;
	/* Double-buffered: applied at the surface's next commit. */
	struct {
		bool move;
		int32_t x, y;
		bool restack;
		struct guest_window *sibling; /* NULL: below the client's other windows */
	} pending;
	struct weston_output *fullscreen; /* NULL: in the guest-window layer */
	struct wl_listener output_destroy;
	/* The user drags the window (window_actions.c): it is shown at drag_x, drag_y, which
	 * become its position at the end, over any the client committed meanwhile (the
	 * XML's moved event). */
	bool dragged;
	int32_t drag_x, drag_y;
};

static void guest_window_committed(struct weston_surface *surface, int32_t sx, int32_t sy);

struct guest_window *guest_window_from_surface(struct weston_surface *surface)
{
	if (!surface || surface->committed != guest_window_committed)
		return NULL;
	return surface->committed_private;
}

void guest_window_send_focus(struct guest_window *window, bool focused)
{
	mvm_guest_window_v1_send_focus(window->resource, focused ? 1 : 0);
}

void guest_window_send_close(struct guest_window *window)
{
	mvm_guest_window_v1_send_close(window->resource);
}

static int guest_window_label(struct weston_surface *surface, char *buf, size_t len)
{
	const struct guest_window *window = guest_window_from_surface(surface);

	return snprintf(buf, len, "mvm guest window '%s' of %s",
			window && window->title ? window->title : "",
			window && window->guest ? window->guest : "?");
}

/* --- the client's bookkeeping: the cap counts its live windows --- */

static void client_free(struct seamless_client *sc)
{
	struct guest_window *window, *next;

	wl_list_for_each_safe(window, next, &sc->windows, link) {
		window->owner = NULL;
		wl_list_remove(&window->link);
		wl_list_init(&window->link);
	}
	wl_list_remove(&sc->destroy.link);
	wl_list_remove(&sc->link);
	free(sc);
}

/* libwayland tells a client's destroy listeners before it destroys the client's
 * resources: the windows outlive their bookkeeping by a moment, and their own
 * destructors take them off the desktop. */
static void client_destroyed(struct wl_listener *listener, void *data)
{
	struct seamless_client *sc = wl_container_of(listener, sc, destroy);

	client_free(sc);
}

static struct seamless_client *client_get(struct seamless *seamless, struct wl_client *client)
{
	struct wl_listener *listener = wl_client_get_destroy_listener(client, client_destroyed);
	struct seamless_client *sc;

	if (listener)
		return wl_container_of(listener, sc, destroy);
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return NULL;
	sc->seamless = seamless;
	sc->client = client;
	wl_list_init(&sc->windows);
	sc->destroy.notify = client_destroyed;
	wl_client_add_destroy_listener(client, &sc->destroy);
	wl_list_insert(&seamless->clients, &sc->link);
	return sc;
}

/* --- showing, stacking, fullscreen --- */

static struct weston_layer *window_layer(const struct guest_window *window)
{
	return window->fullscreen ? &window->seamless->fullscreen_layer : &window->seamless->layer;
}

static void window_place_view(struct guest_window *window)
{
	if (window->fullscreen)
		weston_view_set_position(window->view, window->fullscreen->x,
					 window->fullscreen->y);
	else if (window->dragged)
		weston_view_set_position(window->view, window->drag_x, window->drag_y);
	else
		weston_view_set_position(window->view, window->x, window->y);
}

/* --- the user's drag (window_actions.c runs the pointer grab) --- */

int guest_window_drag_begin(struct guest_window *window, int32_t *x, int32_t *y)
{
	if (!window->surface || window->fullscreen || !weston_view_is_mapped(window->view))
		return -EINVAL;
	window->dragged = true;
	window->drag_x = *x = window->x;
	window->drag_y = *y = window->y;
	return 0;
}

void guest_window_drag_to(struct guest_window *window, int32_t x, int32_t y)
{
	if (!window->dragged)
		return;
	window->drag_x = x;
	window->drag_y = y;
	weston_view_damage_below(window->view);
	window_place_view(window);
	weston_view_update_transform(window->view);
	weston_surface_damage(window->surface);
}

void guest_window_drag_end(struct guest_window *window)
{
	if (!window->dragged)
		return;
	window->dragged = false;
	window->x = window->drag_x;
	window->y = window->drag_y;
	mvm_guest_window_v1_send_moved(window->resource, window->x, window->y);
}

/* The client hides, fullscreens or destroys the window while the user drags it: the drag
 * ends without a trace, the window keeps the client's position. */
static void window_drag_abort(struct guest_window *window)
{
	if (!window->dragged)
		return;
	window->dragged = false;
	if (window->seamless)
		seamless_actions_forget(window->seamless, window);
}

/* Puts a shown view on top of its layer (fullscreen or not) at its place. */
static void window_raise_to_layer(struct guest_window *window)
{
	if (!weston_view_is_mapped(window->view))
		return;
	weston_view_damage_below(window->view);
	weston_layer_entry_remove(&window->view->layer_link);
	weston_layer_entry_insert(&window_layer(window)->view_list, &window->view->layer_link);
	window_place_view(window);
	weston_view_update_transform(window->view);
	weston_surface_damage(window->surface);
}

/* The lowest shown view of the same client in the guest-window layer, other than view. */
static struct weston_view *lowest_sibling_view(struct guest_window *window)
{
	struct weston_view *view;

	wl_list_for_each_reverse(view, &window->seamless->layer.view_list.link, layer_link.link) {
		struct guest_window *other = guest_window_from_surface(view->surface);

		if (view != window->view && other && other->owner == window->owner)
			return view;
	}
	return NULL;
}

static void window_restack(struct guest_window *window, struct guest_window *sibling)
{
	struct weston_layer_entry *below;
	struct weston_view *lowest;

	if (window->fullscreen)
		return;
	if (sibling) {
		if (sibling == window || !sibling->view || !weston_view_is_mapped(sibling->view) ||
		    sibling->fullscreen)
			return;
		weston_layer_entry_remove(&window->view->layer_link);
		/* The layer's list runs top to bottom: the entry before the sibling (another
		 * view's, or the list head) is where "just above it" starts. */
		below = wl_container_of(sibling->view->layer_link.link.prev, below, link);
		weston_layer_entry_insert(below, &window->view->layer_link);
		return;
	}
	lowest = lowest_sibling_view(window);
	if (!lowest)
		return;
	weston_layer_entry_remove(&window->view->layer_link);
	weston_layer_entry_insert(&lowest->layer_link, &window->view->layer_link);
}

/* The role's mark, by which a surface is known as a guest window. Weston 10 calls it
 * only for commits that attach a buffer; every commit applies our double-buffered state,
 * so the work is done on the surface's commit signal (surface_committed). */
static void guest_window_committed(struct weston_surface *surface, int32_t sx, int32_t sy)
{
}

/* A guest in a full-screen mode owns the output, and the keyboard with it, as on its
 * own machine (the user's Alt+Home back to the desktop needs it too). */
static void window_take_keyboard(struct guest_window *window)
{
	struct weston_seat *seat;

	if (!window->seamless)
		return;
	wl_list_for_each(seat, &window->seamless->compositor->seat_list, link) {
		if (weston_seat_get_keyboard(seat))
			weston_seat_set_keyboard_focus(seat, window->surface);
	}
}

static void surface_committed(struct wl_listener *listener, void *data)
{
	struct guest_window *window = wl_container_of(listener, window, surface_commit);
	struct weston_surface *surface = window->surface;
	bool restack = window->pending.restack;
	struct guest_window *sibling = window->pending.sibling;

	if (window->pending.move) {
		window->x = window->pending.x;
		window->y = window->pending.y;
	}
	window->pending.move = false;
	window->pending.restack = false;
	window->pending.sibling = NULL;

	if (surface->width <= 0 || surface->height <= 0) {
		/* A null buffer hides the window; unmapping clears the seats' focus on it. */
		window_drag_abort(window);
		if (weston_surface_is_mapped(surface))
			weston_surface_unmap(surface);
		return;
	}
	if (weston_view_is_mapped(window->view)) {
		weston_view_damage_below(window->view);
		if (restack)
			window_restack(window, sibling);
	} else {
		weston_layer_entry_insert(&window_layer(window)->view_list,
					  &window->view->layer_link);
		surface->is_mapped = true;
		window->view->is_mapped = true;
		if (window->fullscreen)
			window_take_keyboard(window);
	}
	window_place_view(window);
	weston_view_update_transform(window->view);
	weston_surface_damage(surface);
}

static void window_leave_fullscreen(struct guest_window *window)
{
	if (!window->fullscreen)
		return;
	wl_list_remove(&window->output_destroy.link);
	window->fullscreen = NULL;
	window_raise_to_layer(window);
	mvm_guest_window_v1_send_configure(window->resource, 0, 0);
}

static void fullscreen_output_destroyed(struct wl_listener *listener, void *data)
{
	struct guest_window *window = wl_container_of(listener, window, output_destroy);

	window_leave_fullscreen(window);
}

/* Takes the window off the desktop for good; the object stays, inert. unmap is false
 * when the surface is being destroyed (libweston clears focus on it by itself) or the
 * module is going. */
static void window_make_inert(struct guest_window *window, bool unmap)
{
	struct guest_window *other;

	if (!window->surface)
		return;
	window_drag_abort(window);
	if (window->seamless)
		seamless_focus_forget(window->seamless, window);
	if (window->fullscreen) {
		wl_list_remove(&window->output_destroy.link);
		window->fullscreen = NULL;
	}
	wl_list_remove(&window->surface_destroy.link);
	wl_list_remove(&window->surface_commit.link);
	window->surface->committed = NULL;
	window->surface->committed_private = NULL;
	window->surface->get_label = NULL;
	if (unmap)
		weston_surface_unmap(window->surface);
	weston_view_destroy(window->view);
	window->view = NULL;
	window->surface = NULL;
	if (window->owner) {
		window->owner->live--;
		wl_list_for_each(other, &window->owner->windows, link)
			if (other->pending.sibling == window) {
				other->pending.sibling = NULL;
				other->pending.restack = false;
			}
	}
}

static void surface_destroyed(struct wl_listener *listener, void *data)
{
	struct guest_window *window = wl_container_of(listener, window, surface_destroy);

	window_make_inert(window, false);
}

void guest_windows_detach_all(struct seamless *seamless)
{
	struct seamless_client *sc, *next_client;
	struct guest_window *window;

	wl_list_for_each_safe(sc, next_client, &seamless->clients, link) {
		wl_list_for_each(window, &sc->windows, link) {
			window_make_inert(window, false);
			window->seamless = NULL;
		}
		client_free(sc);
	}
}

/* --- requests --- */

static void window_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void window_set_position(struct wl_client *client, struct wl_resource *resource,
				int32_t x, int32_t y)
{
	struct guest_window *window = wl_resource_get_user_data(resource);

	window->pending.move = true;
	window->pending.x = x;
	window->pending.y = y;
}

static void window_place_above(struct wl_client *client, struct wl_resource *resource,
			       struct wl_resource *sibling_resource)
{
	struct guest_window *window = wl_resource_get_user_data(resource);
	struct guest_window *sibling =
		sibling_resource ? wl_resource_get_user_data(sibling_resource) : NULL;

	/* Only the client's own windows stack against each other. */
	if (sibling && (sibling->owner != window->owner || !sibling->surface))
		return;
	window->pending.restack = true;
	window->pending.sibling = sibling;
}

static void window_set_title(struct wl_client *client, struct wl_resource *resource,
			     const char *title)
{
	struct guest_window *window = wl_resource_get_user_data(resource);
	char *copy = strdup(title);

	if (!copy) {
		wl_client_post_no_memory(client);
		return;
	}
	free(window->title);
	window->title = copy;
}

static struct weston_output *first_output(struct weston_compositor *compositor)
{
	struct weston_output *output;

	wl_list_for_each(output, &compositor->output_list, link)
		return output;
	return NULL;
}

static void window_set_fullscreen(struct wl_client *client, struct wl_resource *resource,
				  struct wl_resource *output_resource)
{
	struct guest_window *window = wl_resource_get_user_data(resource);
	struct weston_output *output;
	struct weston_head *head;

	if (!window->surface)
		return;
	if (output_resource) {
		head = weston_head_from_resource(output_resource);
		output = head ? weston_head_get_output(head) : NULL;
	} else {
		output = first_output(window->seamless->compositor);
	}
	if (!output)
		return;
	window_drag_abort(window);
	if (window->fullscreen)
		wl_list_remove(&window->output_destroy.link);
	window->fullscreen = output;
	window->output_destroy.notify = fullscreen_output_destroyed;
	wl_signal_add(&output->destroy_signal, &window->output_destroy);
	window_raise_to_layer(window);
	if (weston_surface_is_mapped(window->surface))
		window_take_keyboard(window);
	mvm_guest_window_v1_send_configure(window->resource, output->width, output->height);
}

static void window_unset_fullscreen(struct wl_client *client, struct wl_resource *resource)
{
	window_leave_fullscreen(wl_resource_get_user_data(resource));
}

static const struct mvm_guest_window_v1_interface guest_window_implementation = {
	.destroy = window_destroy,
	.set_position = window_set_position,
	.place_above = window_place_above,
	.set_title = window_set_title,
	.set_fullscreen = window_set_fullscreen,
	.unset_fullscreen = window_unset_fullscreen,
};

static void window_resource_destroyed(struct wl_resource *resource)
{
	struct guest_window *window = wl_resource_get_user_data(resource);

	window_make_inert(window, true);
	wl_list_remove(&window->link);
	free(window->guest);
	free(window->title);
	free(window);
}

void guest_window_create(struct seamless *seamless, struct wl_client *client,
			 struct wl_resource *factory, uint32_t id,
			 struct weston_surface *surface, const char *guest)
{
	struct seamless_client *sc;
	struct guest_window *window;
	bool inert;

	if (guest_window_from_surface(surface)) {
		wl_resource_post_error(factory, MVM_SEAMLESS_V1_ERROR_ROLE,
				       "wl_surface@%u already is a guest window",
				       wl_resource_get_id(surface->resource));
		return;
	}
	sc = client_get(seamless, client);
	window = calloc(1, sizeof(*window));
	if (!sc || !window)
		goto no_memory;
	inert = sc->live >= MVM_SEAMLESS_WINDOWS_MAX;
	if (!inert && weston_surface_set_role(surface, GUEST_WINDOW_ROLE, factory,
					      MVM_SEAMLESS_V1_ERROR_ROLE) < 0) {
		free(window);
		return;
	}
	window->guest = strdup(guest);
	window->resource = wl_resource_create(client, &mvm_guest_window_v1_interface,
					      wl_resource_get_version(factory), id);
	if (!window->guest || !window->resource)
		goto no_memory;
	if (!inert) {
		window->view = weston_view_create(surface);
		if (!window->view)
			goto no_memory;
	}
	wl_resource_set_implementation(window->resource, &guest_window_implementation, window,
				       window_resource_destroyed);
	window->seamless = seamless;
	window->owner = sc;
	wl_list_insert(&sc->windows, &window->link);
	if (inert) {
		if (!sc->cap_logged)
			weston_log("mvm-seamless: guest %s: more than %d guest windows; the extra "
				   "ones stay hidden\n", guest, MVM_SEAMLESS_WINDOWS_MAX);
		sc->cap_logged = true;
		return;
	}
	window->surface = surface;
	window->surface_destroy.notify = surface_destroyed;
	wl_signal_add(&surface->destroy_signal, &window->surface_destroy);
	window->surface_commit.notify = surface_committed;
	wl_signal_add(&surface->commit_signal, &window->surface_commit);
	surface->committed = guest_window_committed;
	surface->committed_private = window;
	surface->get_label = guest_window_label;
	sc->live++;
	return;

no_memory:
	if (window && window->resource)
		wl_resource_destroy(window->resource);
	if (window) {
		free(window->guest);
		free(window);
	}
	wl_client_post_no_memory(client);
}
