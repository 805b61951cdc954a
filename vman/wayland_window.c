/* wayland_window.c: a picture as an xdg_toplevel: the configure handshake, double-buffered wl_shm commits that never wait, fullscreen letterboxing drawn with pixman. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wayland_buffer.h"
#include "wayland_window.h"

#define WINDOW_BUFFERS 2

/* What an xdg_toplevel.configure says; it takes effect at the
 * xdg_surface.configure that closes the sequence. */
struct window_state {
	bool fullscreen;
	int32_t width, height; /* 0: the client decides */
};

struct vman_wayland_window {
	const struct vman_wayland_globals *globals;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct vman_wayland_buffer *buffers[WINDOW_BUFFERS];
	pixman_image_t *picture;      /* the latest, x8r8g8b8; NULL before the first */
	bool dirty;                   /* the latest picture is not committed yet */
	bool configured;              /* a configure was acked: buffers may be attached */
	bool fullscreen;              /* asked for */
	struct window_state pending, current;
	char *title;
	vman_wayland_window_close_fn *close;
	void *opaque;
};

void vman_wayland_fit(unsigned width, unsigned height, unsigned output_width,
		      unsigned output_height, unsigned *shown_width, unsigned *shown_height)
{
	unsigned scale_x = output_width / width, scale_y = output_height / height;
	unsigned scale = scale_x < scale_y ? scale_x : scale_y;

	if (scale >= 1) {
		*shown_width = width * scale;
		*shown_height = height * scale;
		return;
	}
	/* Relatively taller than the output: its height decides. */
	if ((uint64_t)output_width * height >= (uint64_t)output_height * width) {
		*shown_height = output_height;
		*shown_width = (unsigned)((uint64_t)width * output_height / height);
	} else {
		*shown_width = output_width;
		*shown_height = (unsigned)((uint64_t)height * output_width / width);
	}
	if (*shown_width == 0)
		*shown_width = 1;
	if (*shown_height == 0)
		*shown_height = 1;
}

/* Where the picture goes in the buffer. */
struct window_layout {
	unsigned width, height;            /* of the buffer */
	unsigned x, y, shown_width, shown_height;
};

/* Windowed, the picture as it is; fullscreen, a buffer the output's size
 * with the picture fitted at its centre. */
static struct window_layout window_layout(const struct vman_wayland_window *window)
{
	unsigned width = (unsigned)pixman_image_get_width(window->picture);
	unsigned height = (unsigned)pixman_image_get_height(window->picture);
	struct window_layout layout = {width, height, 0, 0, width, height};

	if (!window->current.fullscreen || window->current.width <= 0 ||
	    window->current.height <= 0)
		return layout;
	layout.width = (unsigned)window->current.width;
	layout.height = (unsigned)window->current.height;
	vman_wayland_fit(width, height, layout.width, layout.height, &layout.shown_width,
			 &layout.shown_height);
	layout.x = (layout.width - layout.shown_width) / 2;
	layout.y = (layout.height - layout.shown_height) / 2;
	return layout;
}

static void window_buffer_released(void *opaque);

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

/* The picture into the buffer as laid out: scaled by whole multiples
 * pixel for pixel, by other factors filtered, black around it. */
static void window_draw(struct vman_wayland_window *window, struct vman_wayland_buffer *buffer,
			const struct window_layout *layout)
{
	unsigned width = (unsigned)pixman_image_get_width(window->picture);
	unsigned height = (unsigned)pixman_image_get_height(window->picture);
	pixman_transform_t scale;

	if (layout->shown_width != layout->width || layout->shown_height != layout->height) {
		pixman_color_t black = {0, 0, 0, 0xFFFF};
		pixman_box32_t all = {0, 0, (int32_t)layout->width, (int32_t)layout->height};

		pixman_image_fill_boxes(PIXMAN_OP_SRC, buffer->image, &black, 1, &all);
	}
	if (layout->shown_width != width || layout->shown_height != height) {
		bool whole = layout->shown_width % width == 0 && layout->shown_height % height == 0;

		pixman_transform_init_scale(&scale,
					    pixman_double_to_fixed((double)width / layout->shown_width),
					    pixman_double_to_fixed((double)height / layout->shown_height));
		pixman_image_set_transform(window->picture, &scale);
		pixman_image_set_filter(window->picture,
					whole ? PIXMAN_FILTER_NEAREST : PIXMAN_FILTER_BILINEAR, NULL,
					0);
	}
	pixman_image_composite32(PIXMAN_OP_SRC, window->picture, NULL, buffer->image, 0, 0, 0, 0,
				 (int32_t)layout->x, (int32_t)layout->y, (int32_t)layout->shown_width,
				 (int32_t)layout->shown_height);
	pixman_image_set_transform(window->picture, NULL);
}

/* Shows the latest picture if the compositor allows it and a buffer is
 * free; otherwise it waits for the configure or the release. */
static int window_commit(struct vman_wayland_window *window)
{
	struct vman_wayland_buffer *buffer = NULL;
	struct window_layout layout;
	int rc;

	if (!window->configured || !window->dirty)
		return 0;
	layout = window_layout(window);
	rc = window_free_buffer(window, layout.width, layout.height, &buffer);
	if (rc < 0 || !buffer)
		return rc;
	window_draw(window, buffer, &layout);
	wl_surface_attach(window->surface, buffer->buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, (int32_t)layout.width,
				 (int32_t)layout.height);
	wl_surface_commit(window->surface);
	buffer->busy = true;
	window->dirty = false;
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

	window->close(window->opaque, window);
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

struct vman_wayland_window *vman_wayland_window_create(const struct vman_wayland_globals *globals,
							bool fullscreen,
							vman_wayland_window_close_fn *close,
							void *opaque)
{
	struct vman_wayland_window *window = calloc(1, sizeof(*window));

	if (!window)
		return NULL;
	window->globals = globals;
	window->close = close;
	window->opaque = opaque;
	window->surface = wl_compositor_create_surface(globals->compositor);
	if (!window->surface)
		goto fail;
	window->xdg_surface = xdg_wm_base_get_xdg_surface(globals->wm_base, window->surface);
	if (!window->xdg_surface)
		goto fail;
	xdg_surface_add_listener(window->xdg_surface, &xdg_surface_listener, window);
	window->toplevel = xdg_surface_get_toplevel(window->xdg_surface);
	if (!window->toplevel)
		goto fail;
	xdg_toplevel_add_listener(window->toplevel, &toplevel_listener, window);
	xdg_toplevel_set_app_id(window->toplevel, "mvm");
	vman_wayland_window_set_fullscreen(window, fullscreen);
	/* No buffer yet: this asks for the first configure. */
	wl_surface_commit(window->surface);
	return window;
fail:
	vman_wayland_window_destroy(window);
	errno = ENOMEM;
	return NULL;
}

void vman_wayland_window_destroy(struct vman_wayland_window *window)
{
	if (!window)
		return;
	for (unsigned i = 0; i < WINDOW_BUFFERS; i++)
		vman_wayland_buffer_destroy(window->buffers[i]);
	if (window->toplevel)
		xdg_toplevel_destroy(window->toplevel);
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
	xdg_toplevel_set_title(window->toplevel, title);
}

void vman_wayland_window_set_fullscreen(struct vman_wayland_window *window, bool fullscreen)
{
	if (fullscreen == window->fullscreen)
		return;
	if (fullscreen)
		xdg_toplevel_set_fullscreen(window->toplevel, NULL);
	else
		xdg_toplevel_unset_fullscreen(window->toplevel);
	window->fullscreen = fullscreen;
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

struct xdg_toplevel *vman_wayland_window_toplevel(const struct vman_wayland_window *window)
{
	return window->toplevel;
}
