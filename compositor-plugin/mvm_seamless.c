/* mvm_seamless.c: the mvm-seamless Weston module: the mvm_seamless_v1 global through
 * which vman shows guest windows as surfaces of their own on the desktop. */
#include <stdlib.h>

#include <weston/weston.h>

#include "mvm-seamless-v1-server-protocol.h"
#include "seamless.h"

/* Guest windows get a layer of their own, which moves as a group: just above the shell's
 * windows (WESTON_LAYER_POSITION_NORMAL) while a guest window has the keyboard focus, just
 * below them (above the background and its bottom panels) while a host window has it or
 * nothing has had it yet. So a click on a guest window brings the guest's windows above
 * the host's, and a click on a host window (which the shell then focuses) puts them
 * behind: host and guest windows overlap as the user last chose, while the guest keeps
 * its own z-order among its windows. Putting guest windows into the shell's layer instead
 * would interleave them one by one, but that layer is desktop-shell's private state: it
 * restacks, hides and moves its views between workspaces assuming each has a shell
 * surface, and other shells (kiosk, ivi) have no such layer at all. Fullscreen guests go
 * above everything but the lock screen. */
#define GUEST_LAYER_ABOVE_HOST (WESTON_LAYER_POSITION_NORMAL + 1)
#define GUEST_LAYER_BELOW_HOST (WESTON_LAYER_POSITION_NORMAL - 1)

void seamless_stack_guest_layer(struct seamless *seamless, bool above_host)
{
	enum weston_layer_position position =
		above_host ? GUEST_LAYER_ABOVE_HOST : GUEST_LAYER_BELOW_HOST;

	if (seamless->layer.position == position)
		return;
	weston_layer_set_position(&seamless->layer, position);
	/* Whatever the two layers overlap changes: rare enough to repaint it all. */
	weston_compositor_damage_all(seamless->compositor);
}

static void seamless_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void seamless_get_guest_window(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id, struct wl_resource *surface_resource,
				      const char *guest)
{
	guest_window_create(wl_resource_get_user_data(resource), client, resource, id,
			    wl_resource_get_user_data(surface_resource), guest);
}

static const struct mvm_seamless_v1_interface seamless_implementation = {
	.destroy = seamless_destroy,
	.get_guest_window = seamless_get_guest_window,
};

static void seamless_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct seamless *seamless = data;
	struct wl_resource *resource;

	/* The global filter already hides the global from strangers; this holds even if
	 * another module replaced that filter. */
	if (!seamless_access_allowed(seamless, client)) {
		wl_client_post_implementation_error(client, "mvm_seamless_v1 is for vman only");
		return;
	}
	resource = wl_resource_create(client, &mvm_seamless_v1_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &seamless_implementation, seamless, NULL);
}

static void seamless_free(struct seamless *seamless)
{
	guest_windows_detach_all(seamless);
	seamless_actions_finish(seamless);
	if (seamless->click)
		seamless_focus_finish(seamless);
	seamless_test_input_finish(seamless);
	if (seamless->global)
		wl_global_destroy(seamless->global);
	seamless_access_finish(seamless);
	weston_layer_fini(&seamless->fullscreen_layer);
	weston_layer_fini(&seamless->layer);
	free(seamless);
}

static void compositor_destroyed(struct wl_listener *listener, void *data)
{
	struct seamless *seamless = wl_container_of(listener, seamless, compositor_destroy);

	wl_list_remove(&seamless->compositor_destroy.link);
	seamless_free(seamless);
}

WL_EXPORT int wet_module_init(struct weston_compositor *compositor, int *argc, char *argv[])
{
	struct seamless *seamless = calloc(1, sizeof(*seamless));

	if (!seamless)
		return -1;
	seamless->compositor = compositor;
	wl_list_init(&seamless->clients);
	weston_layer_init(&seamless->layer, compositor);
	weston_layer_set_position(&seamless->layer, GUEST_LAYER_BELOW_HOST);
	weston_layer_init(&seamless->fullscreen_layer, compositor);
	weston_layer_set_position(&seamless->fullscreen_layer, WESTON_LAYER_POSITION_FULLSCREEN);
	if (seamless_access_init(seamless) < 0 || seamless_focus_init(seamless) < 0 ||
	    seamless_actions_init(seamless) < 0 || seamless_test_input_init(seamless) < 0)
		goto fail;
	seamless->global = wl_global_create(compositor->wl_display, &mvm_seamless_v1_interface,
					    1, seamless, seamless_bind);
	if (!seamless->global)
		goto fail;
	seamless->compositor_destroy.notify = compositor_destroyed;
	wl_signal_add(&compositor->destroy_signal, &seamless->compositor_destroy);
	return 0;

fail:
	weston_log("mvm-seamless: cannot start\n");
	seamless_free(seamless);
	return -1;
}
