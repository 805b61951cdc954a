/* wayland_buffer.h: a wl_shm buffer in its own memfd, its pixels mapped, and whether the compositor still reads it. Private to vman/. */
#ifndef MVM_VMAN_WAYLAND_BUFFER_H
#define MVM_VMAN_WAYLAND_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <wayland-client.h>

/* Called when the compositor is done with a buffer (wl_buffer.release). */
typedef void vman_wayland_buffer_released_fn(void *opaque);

struct vman_wayland_buffer {
	struct wl_buffer *buffer;
	uint32_t *pixels; /* the shared memory, stride width * 4 */
	size_t size;
	unsigned width, height;
	bool busy; /* attached and committed, not released yet */
	vman_wayland_buffer_released_fn *released;
	void *opaque;
};

/* A width x height XRGB8888 buffer, its contents undefined. NULL with errno
 * set on failure. */
struct vman_wayland_buffer *vman_wayland_buffer_create(struct wl_shm *shm, unsigned width,
							unsigned height,
							vman_wayland_buffer_released_fn *released,
							void *opaque);

/* Also when busy: wl_surface.attach allows destroying a buffer before its
 * release as long as its memory is not changed after, and nothing writes
 * to it once it is unmapped; the compositor keeps its own mapping for as
 * long as it shows it. NULL does nothing. */
void vman_wayland_buffer_destroy(struct vman_wayland_buffer *buffer);

#endif
