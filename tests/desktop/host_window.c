/* host_window.c: a host application for the seamless tests: one xdg_toplevel of 320x240 with a fixed pattern, until it is killed. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>

#include "xdg-shell-client-protocol.h"

/* Four quadrants (white, yellow, magenta, cyan) inside a one-pixel black
 * frame: where the window is and which parts of it show can be read back
 * from a screenshot. */
#define HOST_WIDTH 320
#define HOST_HEIGHT 240

struct host {
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wl_surface *surface;
	struct wl_buffer *buffer;
	bool shown;
};

static uint32_t host_pixel(int x, int y)
{
	static const uint32_t quadrant[4] = {0xFFFFFFFF, 0xFFFFFF00, 0xFFFF00FF, 0xFF00FFFF};

	if (x == 0 || y == 0 || x == HOST_WIDTH - 1 || y == HOST_HEIGHT - 1)
		return 0xFF000000;
	return quadrant[(y >= HOST_HEIGHT / 2) * 2 + (x >= HOST_WIDTH / 2)];
}

static struct wl_buffer *host_buffer(struct wl_shm *shm)
{
	size_t size = HOST_WIDTH * HOST_HEIGHT * 4;
	int fd = memfd_create("host-window", MFD_CLOEXEC);
	struct wl_shm_pool *pool;
	struct wl_buffer *buffer;
	uint32_t *pixels;

	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		return NULL;
	pixels = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pixels == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	for (int y = 0; y < HOST_HEIGHT; y++) {
		for (int x = 0; x < HOST_WIDTH; x++)
			pixels[y * HOST_WIDTH + x] = host_pixel(x, y);
	}
	munmap(pixels, size);
	pool = wl_shm_create_pool(shm, fd, (int32_t)size);
	buffer = wl_shm_pool_create_buffer(pool, 0, HOST_WIDTH, HOST_HEIGHT, HOST_WIDTH * 4,
					   WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return buffer;
}

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {.ping = wm_base_ping};

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct host *host = data;

	xdg_surface_ack_configure(xdg_surface, serial);
	if (host->shown)
		return;
	wl_surface_attach(host->surface, host->buffer, 0, 0);
	wl_surface_damage_buffer(host->surface, 0, 0, HOST_WIDTH, HOST_HEIGHT);
	wl_surface_commit(host->surface);
	host->shown = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct host *host = data;

	if (strcmp(interface, wl_compositor_interface.name) == 0)
		host->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	else if (strcmp(interface, wl_shm_interface.name) == 0)
		host->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	else if (strcmp(interface, xdg_wm_base_interface.name) == 0)
		host->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

int main(void)
{
	struct host host = {0};
	struct wl_display *display = wl_display_connect(NULL);
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;

	if (!display) {
		fprintf(stderr, "host_window: no Wayland compositor\n");
		return 1;
	}
	wl_registry_add_listener(wl_display_get_registry(display), &registry_listener, &host);
	wl_display_roundtrip(display);
	if (!host.compositor || !host.shm || !host.wm_base) {
		fprintf(stderr, "host_window: the compositor lacks a global it needs\n");
		return 1;
	}
	xdg_wm_base_add_listener(host.wm_base, &wm_base_listener, &host);
	host.buffer = host_buffer(host.shm);
	host.surface = wl_compositor_create_surface(host.compositor);
	if (!host.buffer || !host.surface) {
		fprintf(stderr, "host_window: out of memory\n");
		return 1;
	}
	xdg_surface = xdg_wm_base_get_xdg_surface(host.wm_base, host.surface);
	xdg_surface_add_listener(xdg_surface, &xdg_surface_listener, &host);
	toplevel = xdg_surface_get_toplevel(xdg_surface);
	xdg_toplevel_set_title(toplevel, "host window");
	wl_surface_commit(host.surface);
	while (!host.shown && wl_display_dispatch(display) >= 0)
		;
	/* Shown once the compositor has the commit. */
	wl_display_roundtrip(display);
	printf("shown\n");
	fflush(stdout);
	while (wl_display_dispatch(display) >= 0)
		;
	return 0;
}
