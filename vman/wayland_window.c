/* wayland_window.c: a picture as an xdg_toplevel or an mvm-seamless guest window: the configure handshake, double-buffered wl_shm commits that never wait, a black backdrop and a picture subsurface scaled through wp_viewporter for fullscreen. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "placement.h"
#include "wayland_buffer.h"
#include "wayland_window.h"

#define WINDOW_BUFFERS 2

/* What an xdg_toplevel.configure says; it takes effect at the
 * xdg_surface.configure that closes the sequence. */
struct window_state {
	bool fullscreen;
	int32_t width, height; /* 0: the client decides */
};

/* The toplevel's own surface shows the backdrop, one black pixel stretched
 * by its viewport over the whole window: the letterbox, the same on every
 * compositor (xdg-shell leaves the fill around a small fullscreen surface
 * undefined). The picture is a subsurface above it. */
struct vman_wayland_window {
	const struct vman_wayland_globals *globals;
	struct wl_surface *surface;
	/* One role: a toplevel (xdg_surface and toplevel) or a guest window. */
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct mvm_guest_window_v1 *guest_window;
	int32_t x, y;                              /* guest window: as last sent */
	const struct vman_wayland_window *below;   /* guest window: as last sent */
	bool placed;                               /* guest window: x, y and below were sent */
	bool place_pending;                        /* guest window: sent, not committed yet */
	struct vman_wayland_buffer *backdrop;
	struct wp_viewport *backdrop_viewport;
	struct wl_surface *picture_surface;
	struct wl_subsurface *subsurface;
	struct wp_viewport *picture_viewport;
	struct vman_wayland_buffer *buffers[WINDOW_BUFFERS];
	pixman_image_t *picture;      /* the latest, x8r8g8b8; NULL before the first */
	bool dirty;                   /* the latest picture is not committed yet */
	bool configured;              /* a configure was acked: buffers may be attached */
	bool fullscreen;              /* asked for */
	struct window_state pending, current;
	char *title;
	const struct vman_wayland_window_listener *listener;
	void *opaque;
	struct wl_list feedbacks; /* window_feedback.link: asked for, not answered */
};

/* How the window shows its picture: the backdrop the window's size, the
 * picture placed in it, drawn by us into a buffer at the placement's size
 * (nearest for integer scales, sharp, which a compositor's filtering is
 * not) or, when it is smaller than the picture, at the picture's own size
 * with wp_viewport scaling it down. */
struct window_layout {
	unsigned width, height;               /* the window */
	struct vman_placement place;          /* the picture in it */
	unsigned buffer_width, buffer_height; /* what is drawn */
};

/* Windowed, the picture as it is; fullscreen, as large as the output
 * the compositor configured holds it with its aspect kept (a game in
 * mode 13h fills the screen). */
static struct window_layout window_layout(const struct vman_wayland_window *window)
{
	unsigned width = (unsigned)pixman_image_get_width(window->picture);
	unsigned height = (unsigned)pixman_image_get_height(window->picture);
	struct window_layout layout = {width, height, {0, 0, width, height, 1}, width, height};

	if (window->current.fullscreen && window->current.width > 0 &&
	    window->current.height > 0) {
		layout.width = (unsigned)window->current.width;
		layout.height = (unsigned)window->current.height;
		vman_place(layout.width, layout.height, width, height, true, &layout.place);
	}
	if (layout.place.width >= width) {
		layout.buffer_width = layout.place.width;
		layout.buffer_height = layout.place.height;
	}
	return layout;
}

static void window_buffer_released(void *opaque);

/* One commit's feedback: when it was made, whose. */
struct window_feedback {
	struct vman_wayland_window *window;
	struct wp_presentation_feedback *proxy;
	uint64_t committed_ns;
	struct wl_list link; /* window->feedbacks */
};

static void feedback_free(struct window_feedback *feedback)
{
	wp_presentation_feedback_destroy(feedback->proxy);
	wl_list_remove(&feedback->link);
	free(feedback);
}

static void feedback_done(struct window_feedback *feedback, uint64_t presented_ns)
{
	struct vman_wayland_window *window = feedback->window;
	uint64_t committed_ns = feedback->committed_ns;

	feedback_free(feedback);
	window->listener->presented(window->opaque, window, committed_ns, presented_ns);
}

static void feedback_sync_output(void *data, struct wp_presentation_feedback *proxy,
				 struct wl_output *output)
{
}

static void feedback_presented(void *data, struct wp_presentation_feedback *proxy,
			       uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec,
			       uint32_t refresh, uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	uint64_t seconds = (uint64_t)tv_sec_hi << 32 | tv_sec_lo;

	feedback_done(data, seconds * 1000000000u + tv_nsec);
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *proxy)
{
	feedback_done(data, 0);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = feedback_sync_output,
	.presented = feedback_presented,
	.discarded = feedback_discarded,
};

/* Asked for on the window's own surface, whose commit shows the picture.
 * An allocation that fails costs one sample, nothing else. */
static void window_request_feedback(struct vman_wayland_window *window)
{
	struct window_feedback *feedback;
	struct timespec now;

	if (!window->globals->presentation)
		return;
	feedback = calloc(1, sizeof(*feedback));
	if (!feedback)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	feedback->window = window;
	feedback->committed_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	feedback->proxy = wp_presentation_feedback(window->globals->presentation, window->surface);
	if (!feedback->proxy) {
		free(feedback);
		return;
	}
	wp_presentation_feedback_add_listener(feedback->proxy, &feedback_listener, feedback);
	wl_list_insert(&window->feedbacks, &feedback->link);
}

/* A buffer the compositor does not read, width x height (one of another
 * size is replaced); *buffer NULL when both are busy. 0 or -errno. */
static int window_free_buffer(struct vman_wayland_window *window, unsigned width,
			      unsigned height, struct vman_wayland_buffer **buffer)
{
	for (unsigned i = 0; i < WINDOW_BUFFERS; i++) {
		struct vman_wayland_buffer **slot = &window->buffers[i];

		if (*slot && (*slot)->busy)
			continue;
		if (*slot && ((*slot)->width != width || (*slot)->height != height)) {
			vman_wayland_buffer_destroy(*slot);
			*slot = NULL;
		}
		if (!*slot) {
			*slot = vman_wayland_buffer_create(window->globals->shm, width, height,
							   window_buffer_released, window);
			if (!*slot)
				return -errno;
		}
		*buffer = *slot;
		return 0;
	}
	*buffer = NULL;
	return 0;
}

/* The picture into the buffer, at the buffer's size. */
static int window_draw(const struct vman_wayland_window *window,
		       const struct vman_wayland_buffer *buffer, const struct window_layout *layout)
{
	struct vman_target target = {buffer->pixels, buffer->width, buffer->height,
				      (size_t)buffer->width * 4};
	bool own_size = buffer->width == (unsigned)pixman_image_get_width(window->picture);
	struct vman_placement whole = {0, 0, buffer->width, buffer->height,
				       own_size ? 1 : layout->place.scale};

	return vman_draw_placed(&target, pixman_image_get_data(window->picture),
				(unsigned)pixman_image_get_width(window->picture),
				(unsigned)pixman_image_get_height(window->picture), &whole);
}

/* Shows the latest picture if the compositor allows it and a buffer is
 * free; otherwise it waits for the configure or the release. The picture's
 * subsurface is synchronized: its commit waits for the window's, so the
 * picture, its place and the backdrop change in one frame. */
static int window_commit(struct vman_wayland_window *window)
{
	struct vman_wayland_buffer *buffer = NULL;
	struct window_layout layout;
	bool scaled;
	int rc;

	if (!window->configured || !window->dirty)
		return 0;
	layout = window_layout(window);
	rc = window_free_buffer(window, layout.buffer_width, layout.buffer_height, &buffer);
	if (rc < 0 || !buffer)
		return rc;
	rc = window_draw(window, buffer, &layout);
	if (rc < 0)
		return rc;
	wl_surface_attach(window->picture_surface, buffer->buffer, 0, 0);
	wl_surface_damage_buffer(window->picture_surface, 0, 0, (int32_t)buffer->width,
				 (int32_t)buffer->height);
	scaled = layout.place.width != buffer->width || layout.place.height != buffer->height;
	wp_viewport_set_destination(window->picture_viewport,
				    scaled ? (int32_t)layout.place.width : -1,
				    scaled ? (int32_t)layout.place.height : -1);
	wl_surface_commit(window->picture_surface);
	wl_subsurface_set_position(window->subsurface, (int32_t)layout.place.x,
				   (int32_t)layout.place.y);
	wp_viewport_set_destination(window->backdrop_viewport, (int32_t)layout.width,
				    (int32_t)layout.height);
	/* Said outright: Weston 10 measures a fullscreen window's extent with
	 * the subsurface's new size at its old position. */
	if (window->xdg_surface)
		xdg_surface_set_window_geometry(window->xdg_surface, 0, 0, (int32_t)layout.width,
						(int32_t)layout.height);
	/* Attached again each time, though it never changes: Weston's shell
	 * centres a fullscreen surface only at a commit that has a buffer. */
	wl_surface_attach(window->surface, window->backdrop->buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, 1, 1);
	window_request_feedback(window);
	wl_surface_commit(window->surface);
	buffer->busy = true;
	window->dirty = false;
	window->place_pending = false;
	return 0;
}

/* A picture that waited for a buffer goes now; an allocation that fails
 * here is tried again by the next picture. */
static void window_buffer_released(void *opaque)
{
	window_commit(opaque);
}

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct vman_wayland_window *window = data;

	xdg_surface_ack_configure(xdg_surface, serial);
	window->current = window->pending;
	window->configured = true;
	/* The ack takes effect with the next commit, maybe at a new scale. */
	window->dirty = window->picture != NULL;
	window_commit(window);
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

/* A size asked for while windowed is ignored: the guest decides its
 * windows' sizes, as xdg-shell lets a floating window do. */
static void toplevel_configure(void *data, struct xdg_toplevel *toplevel, int32_t width,
			       int32_t height, struct wl_array *states)
{
	struct vman_wayland_window *window = data;
	const uint32_t *state;

	window->pending = (struct window_state){.width = width, .height = height};
	wl_array_for_each(state, states) {
		if (*state == XDG_TOPLEVEL_STATE_FULLSCREEN)
			window->pending.fullscreen = true;
	}
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	struct vman_wayland_window *window = data;

	window->listener->close(window->opaque, window);
}

static void toplevel_configure_bounds(void *data, struct xdg_toplevel *toplevel, int32_t width,
				      int32_t height)
{
}

static void toplevel_wm_capabilities(void *data, struct xdg_toplevel *toplevel,
				     struct wl_array *capabilities)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
	.configure_bounds = toplevel_configure_bounds,
	.wm_capabilities = toplevel_wm_capabilities,
};

/* The module's configure applies at once: there is no ack. */
static void guest_window_configure(void *data, struct mvm_guest_window_v1 *guest_window,
				   int32_t width, int32_t height)
{
	struct vman_wayland_window *window = data;

	window->current = (struct window_state){
		.fullscreen = width > 0 && height > 0, .width = width, .height = height};
	window->dirty = window->picture != NULL;
	window_commit(window);
}

static void guest_window_moved(void *data, struct mvm_guest_window_v1 *guest_window, int32_t x,
			       int32_t y)
{
	struct vman_wayland_window *window = data;

	/* The guest hears of it; where it then puts the window is sent only
	 * when that differs from what was sent before. */
	window->listener->moved(window->opaque, window, x, y);
}

static void guest_window_close(void *data, struct mvm_guest_window_v1 *guest_window)
{
	struct vman_wayland_window *window = data;

	window->listener->close(window->opaque, window);
}

/* Keyboard focus reaches vman through wl_keyboard enter and leave. */
static void guest_window_focus(void *data, struct mvm_guest_window_v1 *guest_window,
			       uint32_t focused)
{
}

static const struct mvm_guest_window_v1_listener guest_window_listener = {
	.configure = guest_window_configure,
	.moved = guest_window_moved,
	.close = guest_window_close,
	.focus = guest_window_focus,
};

static int window_make_toplevel(struct vman_wayland_window *window)
{
	window->xdg_surface = xdg_wm_base_get_xdg_surface(window->globals->wm_base,
							  window->surface);
	if (!window->xdg_surface)
		return -ENOMEM;
	xdg_surface_add_listener(window->xdg_surface, &xdg_surface_listener, window);
	window->toplevel = xdg_surface_get_toplevel(window->xdg_surface);
	if (!window->toplevel)
		return -ENOMEM;
	xdg_toplevel_add_listener(window->toplevel, &toplevel_listener, window);
	xdg_toplevel_set_app_id(window->toplevel, "mvm");
	return 0;
}

/* A guest window needs no configure before its first buffer. */
static int window_make_guest_window(struct vman_wayland_window *window, const char *guest)
{
	window->guest_window = mvm_seamless_v1_get_guest_window(window->globals->seamless,
								window->surface, guest);
	if (!window->guest_window)
		return -ENOMEM;
	mvm_guest_window_v1_add_listener(window->guest_window, &guest_window_listener, window);
	window->configured = true;
	return 0;
}

struct vman_wayland_window *vman_wayland_window_create(const struct vman_wayland_globals *globals,
							const char *guest, bool fullscreen,
							const struct vman_wayland_window_listener *listener,
							void *opaque)
{
	struct vman_wayland_window *window = calloc(1, sizeof(*window));

	if (!window)
		return NULL;
	window->globals = globals;
	window->listener = listener;
	window->opaque = opaque;
	wl_list_init(&window->feedbacks);
	window->surface = wl_compositor_create_surface(globals->compositor);
	window->picture_surface = wl_compositor_create_surface(globals->compositor);
	if (!window->surface || !window->picture_surface)
		goto fail;
	window->subsurface = wl_subcompositor_get_subsurface(globals->subcompositor,
							     window->picture_surface,
							     window->surface);
	window->backdrop_viewport = wp_viewporter_get_viewport(globals->viewporter,
							       window->surface);
	window->picture_viewport = wp_viewporter_get_viewport(globals->viewporter,
							      window->picture_surface);
	window->backdrop = vman_wayland_buffer_create(globals->shm, 1, 1, NULL, NULL);
	if (!window->subsurface || !window->backdrop_viewport || !window->picture_viewport ||
	    !window->backdrop)
		goto fail;
	window->backdrop->pixels[0] = 0xFF000000;
	/* Pointer events name a surface: both lead back to the window. */
	wl_surface_set_user_data(window->surface, window);
	wl_surface_set_user_data(window->picture_surface, window);
	if ((guest ? window_make_guest_window(window, guest) : window_make_toplevel(window)) < 0)
		goto fail;
	vman_wayland_window_set_fullscreen(window, fullscreen);
	/* A toplevel without a buffer: this asks for the first configure. */
	if (window->toplevel)
		wl_surface_commit(window->surface);
	return window;
fail:
	vman_wayland_window_destroy(window);
	errno = ENOMEM;
	return NULL;
}

void vman_wayland_window_destroy(struct vman_wayland_window *window)
{
	struct window_feedback *feedback, *next;

	if (!window)
		return;
	wl_list_for_each_safe(feedback, next, &window->feedbacks, link)
		feedback_free(feedback);
	for (unsigned i = 0; i < WINDOW_BUFFERS; i++)
		vman_wayland_buffer_destroy(window->buffers[i]);
	if (window->picture_viewport)
		wp_viewport_destroy(window->picture_viewport);
	if (window->subsurface)
		wl_subsurface_destroy(window->subsurface);
	if (window->picture_surface)
		wl_surface_destroy(window->picture_surface);
	if (window->backdrop_viewport)
		wp_viewport_destroy(window->backdrop_viewport);
	vman_wayland_buffer_destroy(window->backdrop);
	if (window->toplevel)
		xdg_toplevel_destroy(window->toplevel);
	if (window->guest_window)
		mvm_guest_window_v1_destroy(window->guest_window);
	if (window->xdg_surface)
		xdg_surface_destroy(window->xdg_surface);
	if (window->surface)
		wl_surface_destroy(window->surface);
	if (window->picture)
		pixman_image_unref(window->picture);
	free(window->title);
	free(window);
}

void vman_wayland_window_set_title(struct vman_wayland_window *window, const char *title)
{
	char *copy;

	if (window->title && strcmp(window->title, title) == 0)
		return;
	copy = strdup(title);
	if (!copy)
		return;
	free(window->title);
	window->title = copy;
	if (window->toplevel)
		xdg_toplevel_set_title(window->toplevel, title);
	else
		mvm_guest_window_v1_set_title(window->guest_window, title);
}

void vman_wayland_window_set_fullscreen(struct vman_wayland_window *window, bool fullscreen)
{
	if (fullscreen == window->fullscreen)
		return;
	if (window->guest_window && fullscreen)
		mvm_guest_window_v1_set_fullscreen(window->guest_window, NULL);
	else if (window->guest_window)
		mvm_guest_window_v1_unset_fullscreen(window->guest_window);
	else if (fullscreen)
		xdg_toplevel_set_fullscreen(window->toplevel, NULL);
	else
		xdg_toplevel_unset_fullscreen(window->toplevel);
	window->fullscreen = fullscreen;
}

void vman_wayland_window_place(struct vman_wayland_window *window, int32_t x, int32_t y,
			       const struct vman_wayland_window *below)
{
	bool moved = !window->placed || x != window->x || y != window->y;
	bool restacked = !window->placed || below != window->below;

	if (!window->guest_window || (!moved && !restacked))
		return;
	if (moved)
		mvm_guest_window_v1_set_position(window->guest_window, x, y);
	if (restacked)
		mvm_guest_window_v1_place_above(window->guest_window,
						below ? below->guest_window : NULL);
	window->x = x;
	window->y = y;
	window->below = below;
	window->placed = true;
	window->place_pending = true;
}

/* The buffers stay: a commit without one applies the place alone. */
void vman_wayland_window_flush_place(struct vman_wayland_window *window)
{
	if (!window->place_pending)
		return;
	wl_surface_commit(window->surface);
	window->place_pending = false;
}

bool vman_wayland_window_picture_point(const struct vman_wayland_window *window,
				       const struct wl_surface *surface, double sx, double sy,
				       int *x, int *y)
{
	struct window_layout layout;
	double px, py;
	int width, height;

	if (!window->picture || (surface != window->surface && surface != window->picture_surface))
		return false;
	layout = window_layout(window);
	width = pixman_image_get_width(window->picture);
	height = pixman_image_get_height(window->picture);
	/* The backdrop's coordinates are the window's; the picture starts at
	 * its placement. Both are scaled from the picture's pixels. */
	px = surface == window->surface ? sx - layout.place.x : sx;
	py = surface == window->surface ? sy - layout.place.y : sy;
	px = px * width / layout.place.width;
	py = py * height / layout.place.height;
	*x = px < 0 ? 0 : px >= width ? width - 1 : (int)px;
	*y = py < 0 ? 0 : py >= height ? height - 1 : (int)py;
	return true;
}

int vman_wayland_window_show(struct vman_wayland_window *window, pixman_image_t *picture,
			     unsigned width, unsigned height)
{
	if (!window->picture || (unsigned)pixman_image_get_width(window->picture) != width ||
	    (unsigned)pixman_image_get_height(window->picture) != height) {
		pixman_image_t *resized =
			pixman_image_create_bits(PIXMAN_x8r8g8b8, (int)width, (int)height, NULL, 0);

		if (!resized)
			return -ENOMEM;
		if (window->picture)
			pixman_image_unref(window->picture);
		window->picture = resized;
	}
	pixman_image_composite32(PIXMAN_OP_SRC, picture, NULL, window->picture, 0, 0, 0, 0, 0, 0,
				 (int)width, (int)height);
	window->dirty = true;
	return window_commit(window);
}

bool vman_wayland_window_idle(const struct vman_wayland_window *window)
{
	return window->configured && !window->dirty && window->current.fullscreen == window->fullscreen;
}

void vman_wayland_window_surfaces(const struct vman_wayland_window *window,
				  struct wl_surface **root, struct wl_surface **picture)
{
	*root = window->surface;
	*picture = window->picture_surface;
}

struct xdg_toplevel *vman_wayland_window_toplevel(const struct vman_wayland_window *window)
{
	return window->toplevel;
}
