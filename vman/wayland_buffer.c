/* wayland_buffer.c: wl_shm buffers in memfd memory, one pool each, reused only once the compositor releases them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wayland_buffer.h"

static void buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	struct vman_wayland_buffer *buffer = data;

	buffer->busy = false;
	if (buffer->released)
		buffer->released(buffer->opaque);
}

static const struct wl_buffer_listener buffer_listener = {
	.release = buffer_release,
};

/* The shared memory as a pool of one buffer; the pool and the descriptor
 * can go at once: the buffer keeps the memory. */
static int buffer_share(struct vman_wayland_buffer *buffer, struct wl_shm *shm, int fd)
{
	struct wl_shm_pool *pool = wl_shm_create_pool(shm, fd, (int32_t)buffer->size);

	if (!pool)
		return -ENOMEM;
	buffer->buffer = wl_shm_pool_create_buffer(pool, 0, (int32_t)buffer->width,
						   (int32_t)buffer->height,
						   (int32_t)buffer->width * 4, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	if (!buffer->buffer)
		return -ENOMEM;
	wl_buffer_add_listener(buffer->buffer, &buffer_listener, buffer);
	return 0;
}

struct vman_wayland_buffer *vman_wayland_buffer_create(struct wl_shm *shm, unsigned width,
							unsigned height,
							vman_wayland_buffer_released_fn *released,
							void *opaque)
{
	struct vman_wayland_buffer *buffer;
	int fd, rc;

	/* wl_shm sizes are int32_t: the guest's maxima stay far below. */
	if (width == 0 || height == 0 || (uint64_t)width * height * 4 > INT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	buffer = calloc(1, sizeof(*buffer));
	if (!buffer)
		return NULL;
	buffer->width = width;
	buffer->height = height;
	buffer->size = (size_t)width * height * 4;
	buffer->released = released;
	buffer->opaque = opaque;
	fd = memfd_create("vman-wayland", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)buffer->size) < 0)
		goto fail;
	buffer->pixels = mmap(NULL, buffer->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (buffer->pixels == MAP_FAILED) {
		buffer->pixels = NULL;
		goto fail;
	}
	rc = buffer_share(buffer, shm, fd);
	if (rc < 0) {
		errno = -rc;
		goto fail;
	}
	close(fd);
	return buffer;
fail:
	rc = errno;
	if (fd >= 0)
		close(fd);
	vman_wayland_buffer_destroy(buffer);
	errno = rc;
	return NULL;
}

void vman_wayland_buffer_destroy(struct vman_wayland_buffer *buffer)
{
	if (!buffer)
		return;
	if (buffer->buffer)
		wl_buffer_destroy(buffer->buffer);
	if (buffer->pixels)
		munmap(buffer->pixels, buffer->size);
	free(buffer);
}
