/* seamless_client.c: a stand-in for vman against a headless Weston with mvm-seamless.so
 * (run by seamless_weston.sh): guest windows where it put them, moved, stacked, removed,
 * capped, and the global hidden from other programs. Reads the desktop back with
 * weston-screenshooter and compares it, pixel for pixel, with the scene it expects.
 *
 * seamless_client scene    the placement, move and destroy cases; exits leaving a window
 * seamless_client empty    the desktop shows the background only (after scene exited)
 * seamless_client cap      the 257th window of a client is inert, the connection lives
 * seamless_client focus    clicks of the test seat focus guest windows (focus events, the
 *                          seat's pointer and keyboard events on the clicked surface)
 * seamless_client overlap  a host xdg_toplevel and a guest window overlap; a click on
 *                          either brings it above the other
 * seamless_client move     Super + drag moves a guest window; moved, and the guest's answer
 * seamless_client close    Super+F4 sends close to the focused guest window only
 * seamless_client stranger exit 0 when the registry lacks mvm_seamless_v1, 1 when it has it */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/input-event-codes.h>
#include <png.h>
#include <wayland-client.h>

#include "mvm-seamless-test-v1-client-protocol.h"
#include "mvm-seamless-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define OUTPUT_WIDTH 1024
#define OUTPUT_HEIGHT 768
#define BACKGROUND 0x204060u /* the runner's weston.ini */
#define RED 0xFF0000u
#define GREEN 0x00FF00u
#define BLUE 0x0000FFu
#define CAP 256 /* MVM_SEAMLESS_WINDOWS_MAX, as the protocol documents it */

#define CHECK(cond)                                                                      \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                          \
		}                                                                         \
	} while (0)

/* What the test seat's wl_pointer and wl_keyboard told this client last. */
struct seat_state {
	struct wl_surface *pointer_focus;  /* NULL: the pointer is not over our surfaces */
	struct wl_surface *button_surface; /* where the last button event went */
	uint32_t button, button_state;
	unsigned buttons;                  /* button events so far */
	struct wl_surface *keyboard_focus;
	uint32_t key, key_state;
	unsigned keys;                     /* key events so far */
};

struct client {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct mvm_seamless_v1 *seamless;
	struct mvm_seamless_test_v1 *test;  /* only with MVM_SEAMLESS_TEST_INPUT=1 */
	struct xdg_wm_base *wm_base;        /* for host windows */
	struct wl_seat *seat;
	struct wl_pointer *pointer;
	struct wl_keyboard *keyboard;
	struct seat_state input;
	const char *shots;
};

struct window {
	struct wl_surface *surface;
	struct mvm_guest_window_v1 *guest;
	struct wl_buffer *buffer;
	int configured_width, configured_height; /* the last configure; -1: none */
	int focused;       /* the last focus event; -1: none */
	unsigned focus_events;
	int moved_x, moved_y; /* the last moved event */
	unsigned moved_events, close_events;
};

/* A coloured rectangle of the expected desktop; later ones are on top. */
struct rect {
	int x, y, width, height;
	uint32_t colour;
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct client *c = data;

	if (strcmp(interface, wl_compositor_interface.name) == 0)
		c->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	else if (strcmp(interface, wl_shm_interface.name) == 0)
		c->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	else if (strcmp(interface, mvm_seamless_v1_interface.name) == 0)
		c->seamless = wl_registry_bind(registry, name, &mvm_seamless_v1_interface, 1);
	else if (strcmp(interface, mvm_seamless_test_v1_interface.name) == 0)
		c->test = wl_registry_bind(registry, name, &mvm_seamless_test_v1_interface, 1);
	else if (strcmp(interface, xdg_wm_base_interface.name) == 0)
		c->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
	else if (strcmp(interface, wl_seat_interface.name) == 0 && !c->seat)
		c->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

/* --- the test seat's events --- */

/* Our surfaces show no cursor, so that screenshots taken with the pointer over them show
 * the windows alone. */
static void pointer_enter(void *data, struct wl_pointer *pointer, uint32_t serial,
			  struct wl_surface *surface, wl_fixed_t x, wl_fixed_t y)
{
	struct client *c = data;

	c->input.pointer_focus = surface;
	wl_pointer_set_cursor(pointer, serial, NULL, 0, 0);
}

static void pointer_leave(void *data, struct wl_pointer *pointer, uint32_t serial,
			  struct wl_surface *surface)
{
	struct client *c = data;

	c->input.pointer_focus = NULL;
}

static void pointer_motion(void *data, struct wl_pointer *pointer, uint32_t time, wl_fixed_t x,
			   wl_fixed_t y)
{
}

static void pointer_button(void *data, struct wl_pointer *pointer, uint32_t serial,
			   uint32_t time, uint32_t button, uint32_t state)
{
	struct client *c = data;

	c->input.button_surface = c->input.pointer_focus;
	c->input.button = button;
	c->input.button_state = state;
	c->input.buttons++;
}

static void pointer_axis(void *data, struct wl_pointer *pointer, uint32_t time, uint32_t axis,
			 wl_fixed_t value)
{
}

/* wl_seat version 1 (client_connect): the later events never come. */
static const struct wl_pointer_listener pointer_listener = {
	.enter = pointer_enter,
	.leave = pointer_leave,
	.motion = pointer_motion,
	.button = pointer_button,
	.axis = pointer_axis,
};

static void keyboard_keymap(void *data, struct wl_keyboard *keyboard, uint32_t format,
			    int32_t fd, uint32_t size)
{
	close(fd);
}

static void keyboard_enter(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			   struct wl_surface *surface, struct wl_array *keys)
{
	struct client *c = data;

	c->input.keyboard_focus = surface;
}

static void keyboard_leave(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			   struct wl_surface *surface)
{
	struct client *c = data;

	c->input.keyboard_focus = NULL;
}

static void keyboard_key(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			 uint32_t time, uint32_t key, uint32_t state)
{
	struct client *c = data;

	c->input.key = key;
	c->input.key_state = state;
	c->input.keys++;
}

static void keyboard_modifiers(void *data, struct wl_keyboard *keyboard, uint32_t serial,
			       uint32_t depressed, uint32_t latched, uint32_t locked,
			       uint32_t group)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = keyboard_keymap,
	.enter = keyboard_enter,
	.leave = keyboard_leave,
	.key = keyboard_key,
	.modifiers = keyboard_modifiers,
};

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct client *c = data;

	if ((caps & WL_SEAT_CAPABILITY_POINTER) && !c->pointer) {
		c->pointer = wl_seat_get_pointer(seat);
		wl_pointer_add_listener(c->pointer, &pointer_listener, c);
	}
	if ((caps & WL_SEAT_CAPABILITY_KEYBOARD) && !c->keyboard) {
		c->keyboard = wl_seat_get_keyboard(seat);
		wl_keyboard_add_listener(c->keyboard, &keyboard_listener, c);
	}
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void client_connect(struct client *c)
{
	c->display = wl_display_connect(NULL);
	CHECK(c->display);
	c->registry = wl_display_get_registry(c->display);
	wl_registry_add_listener(c->registry, &registry_listener, c);
	CHECK(wl_display_roundtrip(c->display) >= 0);
	CHECK(c->compositor && c->shm);
	if (c->wm_base)
		xdg_wm_base_add_listener(c->wm_base, &wm_base_listener, c);
	if (c->seat) {
		wl_seat_add_listener(c->seat, &seat_listener, c);
		CHECK(wl_display_roundtrip(c->display) >= 0);
	}
	c->shots = getenv("SEAMLESS_TEST_SHOT_DIR");
}

static void client_disconnect(struct client *c)
{
	if (c->seamless)
		mvm_seamless_v1_destroy(c->seamless);
	if (c->test)
		mvm_seamless_test_v1_destroy(c->test);
	if (c->wm_base)
		xdg_wm_base_destroy(c->wm_base);
	if (c->pointer)
		wl_pointer_destroy(c->pointer);
	if (c->keyboard)
		wl_keyboard_destroy(c->keyboard);
	if (c->seat)
		wl_seat_destroy(c->seat);
	wl_shm_destroy(c->shm);
	wl_compositor_destroy(c->compositor);
	wl_registry_destroy(c->registry);
	wl_display_disconnect(c->display);
}

static void client_sync(struct client *c)
{
	CHECK(wl_display_roundtrip(c->display) >= 0);
}

/* A width x height XRGB8888 buffer of one colour. */
static struct wl_buffer *solid_buffer(struct client *c, int width, int height, uint32_t colour)
{
	size_t size = (size_t)width * height * 4;
	int fd = memfd_create("seamless-client", MFD_CLOEXEC);
	struct wl_shm_pool *pool;
	struct wl_buffer *buffer;
	uint32_t *pixels;

	CHECK(fd >= 0 && ftruncate(fd, (off_t)size) == 0);
	pixels = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(pixels != MAP_FAILED);
	for (size_t i = 0; i < size / 4; i++)
		pixels[i] = 0xFF000000u | colour;
	munmap(pixels, size);
	pool = wl_shm_create_pool(c->shm, fd, (int32_t)size);
	buffer = wl_shm_pool_create_buffer(pool, 0, width, height, width * 4,
					   WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return buffer;
}

static void window_configure(void *data, struct mvm_guest_window_v1 *guest, int32_t width,
			     int32_t height)
{
	struct window *w = data;

	w->configured_width = width;
	w->configured_height = height;
}

static void window_moved(void *data, struct mvm_guest_window_v1 *guest, int32_t x, int32_t y)
{
	struct window *w = data;

	w->moved_x = x;
	w->moved_y = y;
	w->moved_events++;
}

static void window_close(void *data, struct mvm_guest_window_v1 *guest)
{
	struct window *w = data;

	w->close_events++;
}

static void window_focus(void *data, struct mvm_guest_window_v1 *guest, uint32_t focused)
{
	struct window *w = data;

	w->focused = (int)focused;
	w->focus_events++;
}

static const struct mvm_guest_window_v1_listener window_listener = {
	.configure = window_configure,
	.moved = window_moved,
	.close = window_close,
	.focus = window_focus,
};

static void window_create(struct client *c, struct window *w, const char *title)
{
	w->surface = wl_compositor_create_surface(c->compositor);
	w->guest = mvm_seamless_v1_get_guest_window(c->seamless, w->surface, "test guest");
	w->configured_width = w->configured_height = -1;
	w->focused = -1;
	w->focus_events = 0;
	w->moved_events = w->close_events = 0;
	mvm_guest_window_v1_add_listener(w->guest, &window_listener, w);
	mvm_guest_window_v1_set_title(w->guest, title);
}

/* Shows a window of one colour at (x,y): position and buffer in one commit. */
static void window_show(struct client *c, struct window *w, const struct rect *r)
{
	w->buffer = solid_buffer(c, r->width, r->height, r->colour);
	mvm_guest_window_v1_set_position(w->guest, r->x, r->y);
	wl_surface_attach(w->surface, w->buffer, 0, 0);
	wl_surface_damage(w->surface, 0, 0, r->width, r->height);
	wl_surface_commit(w->surface);
}

static void window_destroy(struct window *w)
{
	mvm_guest_window_v1_destroy(w->guest);
	wl_surface_destroy(w->surface);
	if (w->buffer)
		wl_buffer_destroy(w->buffer);
	*w = (struct window){0};
}

/* A host application's window: an xdg_toplevel of one colour, placed by the shell. */
struct host_window {
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct wl_buffer *buffer;
	bool configured;
};

static void host_surface_configure(void *data, struct xdg_surface *xdg_surface,
				   uint32_t serial)
{
	struct host_window *h = data;

	xdg_surface_ack_configure(xdg_surface, serial);
	h->configured = true;
}

static const struct xdg_surface_listener host_surface_listener = {
	.configure = host_surface_configure,
};

static void host_toplevel_configure(void *data, struct xdg_toplevel *toplevel, int32_t width,
				    int32_t height, struct wl_array *states)
{
}

static void host_toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
}

static const struct xdg_toplevel_listener host_toplevel_listener = {
	.configure = host_toplevel_configure,
	.close = host_toplevel_close,
};

/* Maps the host window at its first configure, at the size it wants (it ignores the
 * configure's size, as xdg_shell allows for 0,0 and a window that is not maximized). */
static void host_window_show(struct client *c, struct host_window *h, int width, int height,
			     uint32_t colour)
{
	CHECK(c->wm_base);
	h->surface = wl_compositor_create_surface(c->compositor);
	h->xdg_surface = xdg_wm_base_get_xdg_surface(c->wm_base, h->surface);
	xdg_surface_add_listener(h->xdg_surface, &host_surface_listener, h);
	h->toplevel = xdg_surface_get_toplevel(h->xdg_surface);
	xdg_toplevel_add_listener(h->toplevel, &host_toplevel_listener, h);
	xdg_toplevel_set_title(h->toplevel, "host window");
	wl_surface_commit(h->surface);
	while (!h->configured)
		CHECK(wl_display_dispatch(c->display) >= 0);
	h->buffer = solid_buffer(c, width, height, colour);
	wl_surface_attach(h->surface, h->buffer, 0, 0);
	wl_surface_damage(h->surface, 0, 0, width, height);
	wl_surface_commit(h->surface);
}

static void host_window_destroy(struct host_window *h)
{
	xdg_toplevel_destroy(h->toplevel);
	xdg_surface_destroy(h->xdg_surface);
	wl_surface_destroy(h->surface);
	wl_buffer_destroy(h->buffer);
	*h = (struct host_window){0};
}

/* --- the desktop as Weston shows it --- */

static uint32_t *shot_read(const char *path)
{
	png_image image = {.version = PNG_IMAGE_VERSION};
	uint8_t *rgb;
	uint32_t *pixels;

	CHECK(png_image_begin_read_from_file(&image, path));
	CHECK(image.width == OUTPUT_WIDTH && image.height == OUTPUT_HEIGHT);
	image.format = PNG_FORMAT_RGB;
	rgb = malloc(PNG_IMAGE_SIZE(image));
	pixels = malloc((size_t)OUTPUT_WIDTH * OUTPUT_HEIGHT * 4);
	CHECK(rgb && pixels);
	CHECK(png_image_finish_read(&image, NULL, rgb, 0, NULL));
	for (size_t i = 0; i < (size_t)OUTPUT_WIDTH * OUTPUT_HEIGHT; i++)
		pixels[i] = (uint32_t)rgb[3 * i] << 16 | (uint32_t)rgb[3 * i + 1] << 8 |
			    rgb[3 * i + 2];
	free(rgb);
	return pixels;
}

/* Runs weston-screenshooter in the shots directory; true when it says it succeeded. */
static bool screenshooter_run(const char *shots)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		if (chdir(shots) == 0)
			execlp("weston-screenshooter", "weston-screenshooter", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	fprintf(stderr, "weston-screenshooter failed (wait status %#x)\n", (unsigned)status);
	return false;
}

/* weston-screenshooter (allowed by weston --debug) writes wayland-screenshot-*.png into
 * its current directory; the shot is read and the file removed. It failed once in about
 * seventy cases run (the first shot after weston started, cause unknown), so a failure
 * is logged and tried once more. */
static uint32_t *shot_take(const struct client *c)
{
	char path[1024] = "";
	struct dirent *entry;
	uint32_t *pixels;
	DIR *dir;

	CHECK(c->shots);
	if (!screenshooter_run(c->shots)) {
		usleep(100 * 1000);
		CHECK(screenshooter_run(c->shots));
	}
	dir = opendir(c->shots);
	CHECK(dir);
	while ((entry = readdir(dir)))
		if (strstr(entry->d_name, ".png"))
			snprintf(path, sizeof(path), "%s/%s", c->shots, entry->d_name);
	closedir(dir);
	CHECK(path[0]);
	pixels = shot_read(path);
	CHECK(unlink(path) == 0);
	return pixels;
}

static uint32_t scene_at(const struct rect *scene, size_t count, int x, int y)
{
	uint32_t colour = BACKGROUND;

	for (size_t i = 0; i < count; i++)
		if (x >= scene[i].x && x < scene[i].x + scene[i].width && y >= scene[i].y &&
		    y < scene[i].y + scene[i].height)
			colour = scene[i].colour;
	return colour;
}

/* Pixels that differ from the scene; the first one is reported. */
static unsigned scene_mismatches(const uint32_t *pixels, const struct rect *scene, size_t count,
				 bool report)
{
	unsigned mismatches = 0;

	for (int y = 0; y < OUTPUT_HEIGHT; y++)
		for (int x = 0; x < OUTPUT_WIDTH; x++) {
			uint32_t want = scene_at(scene, count, x, y);
			uint32_t got = pixels[y * OUTPUT_WIDTH + x];

			if (got == want)
				continue;
			if (report && mismatches == 0)
				fprintf(stderr, "first difference at (%d,%d): %06x, expected %06x\n",
					x, y, got, want);
			mismatches++;
		}
	return mismatches;
}

/* The desktop must become exactly the scene: a few shots while weston-desktop-shell
 * draws its background at start-up, then the last one decides. */
static void expect_scene(struct client *c, const char *what, const struct rect *scene,
			 size_t count)
{
	unsigned mismatches = 0;

	client_sync(c);
	for (int i = 0; i < 30; i++) {
		uint32_t *pixels = shot_take(c);

		mismatches = scene_mismatches(pixels, scene, count, i == 29);
		free(pixels);
		if (mismatches == 0)
			break;
		usleep(100 * 1000);
	}
	fprintf(stderr, "%s: %u pixels differ from the expected desktop\n", what, mismatches);
	CHECK(mismatches == 0);
}

/* Where the shell put a window of one colour: the bounding box of that colour's pixels,
 * which must be a whole width x height rectangle (a few shots while it maps). */
static struct rect find_window(struct client *c, int width, int height, uint32_t colour)
{
	struct rect box = {0};
	unsigned count = 0;

	client_sync(c);
	for (int i = 0; i < 30; i++) {
		uint32_t *pixels = shot_take(c);
		int x0 = OUTPUT_WIDTH, y0 = OUTPUT_HEIGHT, x1 = -1, y1 = -1;

		count = 0;
		for (int y = 0; y < OUTPUT_HEIGHT; y++)
			for (int x = 0; x < OUTPUT_WIDTH; x++) {
				if (pixels[y * OUTPUT_WIDTH + x] != colour)
					continue;
				count++;
				x0 = x < x0 ? x : x0;
				y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1;
				y1 = y > y1 ? y : y1;
			}
		free(pixels);
		box = (struct rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1, colour};
		if (count == (unsigned)(width * height) && box.width == width &&
		    box.height == height)
			return box;
		usleep(100 * 1000);
	}
	fprintf(stderr, "no %dx%d window of colour %06x: %u pixels in (%d,%d) %dx%d\n", width,
		height, colour, count, box.x, box.y, box.width, box.height);
	exit(1);
}

/* --- the cases --- */

/* Red 200x100 at (100,50), green 120x80 at (250,100) above it; they swap and swap back;
 * green moves to (500,300), goes fullscreen and comes back; red goes. Green stays when the program exits: the module must remove it. */
static int run_scene(struct client *c)
{
	const struct rect red = {100, 50, 200, 100, RED};
	const struct rect green = {250, 100, 120, 80, GREEN};
	const struct rect green_moved = {500, 300, 120, 80, GREEN};
	struct window r, g;

	CHECK(c->seamless);
	/* Without MVM_SEAMLESS_TEST_INPUT the module adds no seat to the headless backend's
	 * none, and no test global. */
	CHECK(!c->test && !c->seat);
	window_create(c, &r, "red");
	window_create(c, &g, "green");
	window_show(c, &r, &red);
	window_show(c, &g, &green);
	expect_scene(c, "red, green above it", (struct rect[]){red, green}, 2);

	/* Restacking: red above green, then back below all of the client's windows. */
	mvm_guest_window_v1_place_above(r.guest, g.guest);
	wl_surface_commit(r.surface);
	expect_scene(c, "red placed above green", (struct rect[]){green, red}, 2);
	mvm_guest_window_v1_place_above(r.guest, NULL);
	wl_surface_commit(r.surface);
	expect_scene(c, "red placed below all", (struct rect[]){red, green}, 2);

	/* Double-buffered: the position alone changes nothing before the commit. */
	mvm_guest_window_v1_set_position(g.guest, green_moved.x, green_moved.y);
	expect_scene(c, "green's move not committed yet", (struct rect[]){red, green}, 2);
	wl_surface_commit(g.surface);
	expect_scene(c, "green moved", (struct rect[]){red, green_moved}, 2);

	/* Fullscreen: at the output's origin above everything, told the output's size; back
	 * at its place afterwards. */
	mvm_guest_window_v1_set_fullscreen(g.guest, NULL);
	expect_scene(c, "green fullscreen", (struct rect[]){red, {0, 0, 120, 80, GREEN}}, 2);
	CHECK(g.configured_width == OUTPUT_WIDTH && g.configured_height == OUTPUT_HEIGHT);
	mvm_guest_window_v1_unset_fullscreen(g.guest);
	expect_scene(c, "green back from fullscreen", (struct rect[]){red, green_moved}, 2);
	CHECK(g.configured_width == 0 && g.configured_height == 0);

	window_destroy(&r);
	expect_scene(c, "red destroyed", (struct rect[]){green_moved}, 1);
	/* Gone without a goodbye, as a crashed vman: the module must clean up. */
	_exit(0);
}

static int run_empty(struct client *c)
{
	expect_scene(c, "the previous client's windows gone", NULL, 0);
	return 0;
}

/* CAP windows without buffers fill the client's allowance; one more, blue, at (0,0),
 * must never show, and the connection must live on (no protocol error). */
static int run_cap(struct client *c)
{
	static struct window windows[CAP + 1];
	const struct rect blue = {0, 0, 64, 64, BLUE};
	const struct rect green = {300, 300, 32, 32, GREEN};
	struct window first_again;

	CHECK(c->seamless);
	for (int i = 0; i <= CAP; i++)
		window_create(c, &windows[i], "flood");
	window_show(c, &windows[CAP], &blue);
	expect_scene(c, "the window beyond the cap", NULL, 0);

	/* Destroying a window makes room again. */
	window_destroy(&windows[0]);
	window_create(c, &first_again, "room again");
	window_show(c, &first_again, &green);
	expect_scene(c, "a window after one was destroyed", (struct rect[]){green}, 1);
	window_destroy(&first_again);
	for (int i = 1; i <= CAP; i++)
		window_destroy(&windows[i]);
	return 0;
}

/* The test seat's user: a pointer move, a left click at a desktop position. Each
 * request's effects are visible after the roundtrip (the test protocol says so). */
static void user_point(struct client *c, int x, int y)
{
	mvm_seamless_test_v1_pointer_motion(c->test, x, y);
	client_sync(c);
}

static void user_click(struct client *c, int x, int y)
{
	user_point(c, x, y);
	mvm_seamless_test_v1_button(c->test, BTN_LEFT, 1);
	client_sync(c);
	mvm_seamless_test_v1_button(c->test, BTN_LEFT, 0);
	client_sync(c);
}

/* Red 200x100 at (100,50) and green 120x80 at (400,300). A click on red gives it the
 * keyboard (focus 1, wl_keyboard.enter) and its client the button; a key reaches it; a
 * click on the background changes nothing (desktop-shell does not take focus for its
 * background, nor does the module); a click on green moves the focus there. */
static int run_focus(struct client *c)
{
	const struct rect red = {100, 50, 200, 100, RED};
	const struct rect green = {400, 300, 120, 80, GREEN};
	struct window r, g;

	CHECK(c->seamless && c->test && c->pointer && c->keyboard);
	window_create(c, &r, "red");
	window_create(c, &g, "green");
	window_show(c, &r, &red);
	window_show(c, &g, &green);
	/* The pointer finds views as last repainted: the shot waits for that. */
	expect_scene(c, "red and green", (struct rect[]){red, green}, 2);
	CHECK(r.focus_events == 0 && g.focus_events == 0 && !c->input.keyboard_focus);

	user_point(c, 150, 100);
	CHECK(c->input.pointer_focus == r.surface);
	user_click(c, 150, 100);
	CHECK(r.focus_events == 1 && r.focused == 1 && g.focus_events == 0);
	CHECK(c->input.keyboard_focus == r.surface);
	CHECK(c->input.buttons == 2 && c->input.button_surface == r.surface &&
	      c->input.button == BTN_LEFT &&
	      c->input.button_state == WL_POINTER_BUTTON_STATE_RELEASED);

	mvm_seamless_test_v1_key(c->test, KEY_A, 1);
	client_sync(c);
	CHECK(c->input.keys == 1 && c->input.key == KEY_A &&
	      c->input.key_state == WL_KEYBOARD_KEY_STATE_PRESSED);
	mvm_seamless_test_v1_key(c->test, KEY_A, 0);
	client_sync(c);
	CHECK(c->input.keys == 2 && c->input.key_state == WL_KEYBOARD_KEY_STATE_RELEASED);

	user_click(c, 700, 600);
	CHECK(!c->input.pointer_focus && c->input.buttons == 2);
	CHECK(r.focus_events == 1 && r.focused == 1 && c->input.keyboard_focus == r.surface);

	user_click(c, 450, 350);
	CHECK(r.focus_events == 2 && r.focused == 0);
	CHECK(g.focus_events == 1 && g.focused == 1 && c->input.keyboard_focus == g.surface);
	CHECK(c->input.button_surface == g.surface && c->input.buttons == 4);

	/* A hidden window loses the focus it had. */
	window_destroy(&g);
	client_sync(c);
	CHECK(!c->input.keyboard_focus);
	window_destroy(&r);
	return 0;
}

/* A blue 300x200 host window where the shell puts it, and a red guest window of the same
 * size overlapping a quarter of it, shifted towards the output's centre so that both
 * stay on the output. The guest-window layer starts below the host's windows (the host
 * window has the focus); a click on the guest's own part brings it above the host window,
 * a click on the host window's own part puts it back below. */
static int run_overlap(struct client *c)
{
	struct host_window h = {0};
	struct rect blue, red;
	int dx, dy, host_x, host_y, guest_x, guest_y;
	struct window r;

	CHECK(c->seamless && c->test && c->pointer && c->keyboard);
	host_window_show(c, &h, 300, 200, BLUE);
	blue = find_window(c, 300, 200, BLUE);
	dx = blue.x + blue.width / 2 < OUTPUT_WIDTH / 2 ? 150 : -150;
	dy = blue.y + blue.height / 2 < OUTPUT_HEIGHT / 2 ? 100 : -100;
	red = (struct rect){blue.x + dx, blue.y + dy, 300, 200, RED};
	/* A point of each window that the other does not cover. */
	host_x = blue.x + (dx > 0 ? 50 : 250);
	host_y = blue.y + (dy > 0 ? 50 : 150);
	guest_x = red.x + (dx > 0 ? 250 : 50);
	guest_y = red.y + (dy > 0 ? 150 : 50);
	CHECK(c->input.keyboard_focus == h.surface);
	/* The pointer rests on our surfaces, which show no cursor, for every shot. */
	user_point(c, host_x, host_y);

	window_create(c, &r, "red");
	window_show(c, &r, &red);
	expect_scene(c, "the host window above the guest's", (struct rect[]){red, blue}, 2);
	CHECK(r.focus_events == 0);

	user_click(c, guest_x, guest_y);
	CHECK(r.focus_events == 1 && r.focused == 1 && c->input.keyboard_focus == r.surface);
	expect_scene(c, "the guest window above the host's", (struct rect[]){blue, red}, 2);

	user_click(c, host_x, host_y);
	CHECK(r.focus_events == 2 && r.focused == 0 && c->input.keyboard_focus == h.surface);
	expect_scene(c, "the host window above again", (struct rect[]){red, blue}, 2);

	window_destroy(&r);
	host_window_destroy(&h);
	return 0;
}

static void user_key(struct client *c, uint32_t key, bool pressed)
{
	mvm_seamless_test_v1_key(c->test, key, pressed);
	client_sync(c);
}

static void user_button(struct client *c, bool pressed)
{
	mvm_seamless_test_v1_button(c->test, BTN_LEFT, pressed);
	client_sync(c);
}

/* Super + left drag moves red 200x100 from (100,50) by (+200,+200): the view follows the
 * pointer, a position the client commits during the drag is overridden, the client sees
 * no button, and moved(300,250) comes at the release. Red stays there while the client
 * only commits; its set_position (the guest's answer) places it again. A window destroyed
 * during a drag ends it: the next click focuses as usual. */
static int run_move(struct client *c)
{
	const struct rect red = {100, 50, 200, 100, RED};
	const struct rect red_half_way = {200, 150, 200, 100, RED};
	const struct rect red_moved = {300, 250, 200, 100, RED};
	const struct rect red_answered = {320, 260, 200, 100, RED};
	const struct rect green = {400, 300, 120, 80, GREEN};
	struct window r, g;

	CHECK(c->seamless && c->test && c->pointer && c->keyboard);
	window_create(c, &r, "red");
	window_show(c, &r, &red);
	expect_scene(c, "red", (struct rect[]){red}, 1);

	user_point(c, 150, 100);
	user_key(c, KEY_LEFTMETA, true);
	user_button(c, true);
	CHECK(r.focused == 1);
	user_point(c, 250, 200);
	expect_scene(c, "red half way", (struct rect[]){red_half_way}, 1);
	mvm_guest_window_v1_set_position(r.guest, 5, 5);
	wl_surface_commit(r.surface);
	client_sync(c);
	user_point(c, 350, 300);
	CHECK(r.moved_events == 0);
	user_button(c, false);
	user_key(c, KEY_LEFTMETA, false);
	CHECK(r.moved_events == 1 && r.moved_x == red_moved.x && r.moved_y == red_moved.y);
	CHECK(c->input.buttons == 0);
	expect_scene(c, "red where the user left it", (struct rect[]){red_moved}, 1);

	/* A commit without set_position leaves it there; set_position is the answer. */
	wl_surface_damage(r.surface, 0, 0, red.width, red.height);
	wl_surface_commit(r.surface);
	expect_scene(c, "red after a commit", (struct rect[]){red_moved}, 1);
	mvm_guest_window_v1_set_position(r.guest, red_answered.x, red_answered.y);
	wl_surface_commit(r.surface);
	expect_scene(c, "red where the guest put it", (struct rect[]){red_answered}, 1);
	CHECK(r.moved_events == 1);

	user_key(c, KEY_LEFTMETA, true);
	user_button(c, true);
	user_point(c, 450, 350);
	window_destroy(&r);
	user_button(c, false);
	user_key(c, KEY_LEFTMETA, false);
	window_create(c, &g, "green");
	window_show(c, &g, &green);
	expect_scene(c, "green after red went during a drag", (struct rect[]){green}, 1);
	user_click(c, 450, 350);
	CHECK(g.focused == 1 && c->input.button_surface == g.surface);
	window_destroy(&g);
	return 0;
}

/* Red focused by a click, green not: Super+F4 sends close to red alone, and the window
 * stays (the guest decides). */
static int run_close(struct client *c)
{
	const struct rect red = {100, 50, 200, 100, RED};
	const struct rect green = {400, 300, 120, 80, GREEN};
	struct window r, g;

	CHECK(c->seamless && c->test && c->pointer && c->keyboard);
	window_create(c, &r, "red");
	window_create(c, &g, "green");
	window_show(c, &r, &red);
	window_show(c, &g, &green);
	expect_scene(c, "red and green", (struct rect[]){red, green}, 2);
	user_click(c, 150, 100);
	CHECK(r.focused == 1);

	user_key(c, KEY_LEFTMETA, true);
	user_key(c, KEY_F4, true);
	user_key(c, KEY_F4, false);
	user_key(c, KEY_LEFTMETA, false);
	CHECK(r.close_events == 1 && g.close_events == 0);
	expect_scene(c, "red still there", (struct rect[]){red, green}, 2);
	/* F4 alone is an ordinary key. */
	user_key(c, KEY_F4, true);
	user_key(c, KEY_F4, false);
	CHECK(r.close_events == 1 && c->input.key == KEY_F4);
	window_destroy(&g);
	window_destroy(&r);
	return 0;
}

static int run_stranger(struct client *c)
{
	if (c->seamless) {
		fprintf(stderr, "the registry offers mvm_seamless_v1 to this program\n");
		return 1;
	}
	fprintf(stderr, "the registry has no mvm_seamless_v1 for this program\n");
	return 0;
}

int main(int argc, char *argv[])
{
	struct client c = {0};
	const char *mode = argc == 2 ? argv[1] : "";
	int rc;

	if (strcmp(mode, "scene") && strcmp(mode, "empty") && strcmp(mode, "cap") &&
	    strcmp(mode, "stranger") && strcmp(mode, "focus") &&
	    strcmp(mode, "overlap") && strcmp(mode, "move") && strcmp(mode, "close")) {
		fprintf(stderr, "usage: seamless_client "
				"scene|empty|cap|focus|overlap|move|close|stranger\n");
		return 2;
	}
	client_connect(&c);
	if (strcmp(mode, "scene") == 0)
		rc = run_scene(&c);
	else if (strcmp(mode, "empty") == 0)
		rc = run_empty(&c);
	else if (strcmp(mode, "cap") == 0)
		rc = run_cap(&c);
	else if (strcmp(mode, "focus") == 0)
		rc = run_focus(&c);
	else if (strcmp(mode, "overlap") == 0)
		rc = run_overlap(&c);
	else if (strcmp(mode, "move") == 0)
		rc = run_move(&c);
	else if (strcmp(mode, "close") == 0)
		rc = run_close(&c);
	else
		rc = run_stranger(&c);
	client_disconnect(&c);
	return rc;
}
