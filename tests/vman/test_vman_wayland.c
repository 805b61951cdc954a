/* test_vman_wayland.c: the Wayland presenter against a real compositor (a private headless Weston, started by wayland_weston.sh): what the desktop shows, read back with weston-screenshooter, and what the presenter asked for, read from Weston's protocol log. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <png.h>
#include <wayland-client.h>

#include "presenter_wayland.h"
#include "vman.h"
#include "vman_internal.h"
#include "xdg-shell-client-protocol.h"

/* weston.ini's background: desktop pixels that are none of ours. */
#define BACKGROUND 0x204060u
#define BLACK 0x000000u
#define BLUE 0x0000FFu
#define YELLOW 0xFFFF00u
#define RED 0xFF0000u
#define VGA_GREEN 0x00AA00u /* the default I8 palette's entry 2 */
#define OUTPUT_WIDTH 1024
#define OUTPUT_HEIGHT 768

enum {
	EDITOR = 1, /* XRGB8888 120x80 at (10,10), red */
	CLOCK = 2,  /* I8 64x48 at (100,50), index 2 */
};

struct shot {
	unsigned width, height;
	uint32_t *pixels; /* XRGB */
};

struct fixture {
	struct vman *vman;
	struct vman_client *client;
	uint8_t region[VVMI_REGION_SIZE];
	struct vman_heap heap;
	unsigned closed_count;
	uint16_t closed[8];
	const char *shots; /* where weston-screenshooter writes: VMAN_TEST_SHOT_DIR */
};

static struct fixture *fixture_of(void **state)
{
	return *state;
}

static void record_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct fixture *f = opaque;
	struct vvmi_event_surface closed;

	if (type != VVMI_EVENT_CLOSED)
		return;
	assert_int_equal(len, sizeof(closed));
	memcpy(&closed, body, sizeof(closed));
	assert_true(f->closed_count < 8);
	f->closed[f->closed_count++] = closed.surface;
}

static void ghi_ok(struct fixture *f, uint16_t opcode, const void *body, size_t len)
{
	assert_int_equal(vman_ghi(f->client, opcode, body, len, &f->heap), 0);
}
#define GHI_OK(f, opcode, body) ghi_ok((f), (opcode), &(body), sizeof(body))

/* The screen as the VGA sends it: left half one colour, right half
 * another, so that scaling and centring show in the shot. */
static void screen_halves(struct fixture *f, unsigned width, unsigned height, uint32_t left,
			  uint32_t right)
{
	uint32_t *pixels = malloc((size_t)width * height * 4);

	assert_non_null(pixels);
	for (unsigned y = 0; y < height; y++)
		for (unsigned x = 0; x < width; x++)
			pixels[y * width + x] = x < width / 2 ? left : right;
	assert_int_equal(vman_screen_update(f->client, pixels, width, height, width * 4), 0);
	free(pixels);
}

static void window_create(struct fixture *f, uint16_t id, uint8_t format, uint16_t width,
			  uint16_t height, int16_t x, int16_t y, uint32_t colour, const char *title)
{
	struct vvmi_surface_create create = {.surface = id, .kind = VVMI_SURFACE_WINDOW,
					     .format = format, .width = width, .height = height,
					     .x = x, .y = y};
	struct vvmi_fill fill = {.surface = id, .rop2 = VVMI_ROP2_COPYPEN,
				 .rect = {0, 0, width, height}, .color = colour};
	struct vvmi_window_title set_title = {.surface = id, .length = (uint16_t)strlen(title),
					      .text = VVMI_HEAP_OFFSET};

	GHI_OK(f, VVMI_CMD_SURFACE_CREATE, create);
	GHI_OK(f, VVMI_CMD_FILL, fill);
	memcpy(f->region + VVMI_HEAP_OFFSET, title, strlen(title));
	GHI_OK(f, VVMI_CMD_WINDOW_TITLE, set_title);
}

static void window_visible(struct fixture *f, uint16_t id, bool visible)
{
	struct vvmi_window_visible cmd = {.surface = id, .visible = visible};

	GHI_OK(f, VVMI_CMD_WINDOW_VISIBLE, cmd);
}

/* A frame, then the compositor's answers until every toplevel shows it. */
static void frame_shown(struct fixture *f)
{
	struct pollfd display = {.fd = vman_get_fd(f->vman), .events = POLLIN};

	assert_int_equal(vman_frame(f->vman), 0);
	assert_true(display.fd >= 0);
	for (int i = 0; i < 200 && !vman_presenter_wayland_idle(f->vman->presenter); i++) {
		poll(&display, 1, 25);
		assert_int_equal(vman_dispatch(f->vman), 0);
	}
	assert_true(vman_presenter_wayland_idle(f->vman->presenter));
}

static void shot_read(struct shot *shot, const char *path)
{
	png_image image = {.version = PNG_IMAGE_VERSION};
	uint8_t *rgb;

	assert_true(png_image_begin_read_from_file(&image, path));
	image.format = PNG_FORMAT_RGB;
	rgb = malloc(PNG_IMAGE_SIZE(image));
	assert_non_null(rgb);
	assert_true(png_image_finish_read(&image, NULL, rgb, 0, NULL));
	shot->width = image.width;
	shot->height = image.height;
	shot->pixels = malloc((size_t)shot->width * shot->height * 4);
	assert_non_null(shot->pixels);
	for (size_t i = 0; i < (size_t)shot->width * shot->height; i++)
		shot->pixels[i] = (uint32_t)rgb[3 * i] << 16 | (uint32_t)rgb[3 * i + 1] << 8 |
				  rgb[3 * i + 2];
	free(rgb);
}

/* The output as Weston shows it: weston-screenshooter (allowed by
 * --debug) writes wayland-screenshot-<time>.png into its directory. */
static void shot_take(struct fixture *f, struct shot *shot)
{
	char path[512] = "";
	struct dirent *entry;
	int status;
	pid_t pid = fork();
	DIR *dir;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (chdir(f->shots) == 0)
			execlp("weston-screenshooter", "weston-screenshooter", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	dir = opendir(f->shots);
	assert_non_null(dir);
	while ((entry = readdir(dir)))
		if (strstr(entry->d_name, ".png"))
			snprintf(path, sizeof(path), "%s/%s", f->shots, entry->d_name);
	closedir(dir);
	assert_true(path[0]);
	shot_read(shot, path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(shot->width, OUTPUT_WIDTH);
	assert_int_equal(shot->height, OUTPUT_HEIGHT);
}

static uint32_t shot_at(const struct shot *shot, unsigned x, unsigned y)
{
	assert_true(x < shot->width && y < shot->height);
	return shot->pixels[y * shot->width + x];
}

/* Where a colour is: its pixel count and bounding box. */
struct extent {
	unsigned count, x0, y0, x1, y1; /* x1, y1 exclusive */
};

static struct extent shot_find(const struct shot *shot, uint32_t colour)
{
	struct extent e = {0, shot->width, shot->height, 0, 0};

	for (unsigned y = 0; y < shot->height; y++)
		for (unsigned x = 0; x < shot->width; x++) {
			if (shot->pixels[y * shot->width + x] != colour)
				continue;
			e.count++;
			e.x0 = x < e.x0 ? x : e.x0;
			e.y0 = y < e.y0 ? y : e.y0;
			e.x1 = x + 1 > e.x1 ? x + 1 : e.x1;
			e.y1 = y + 1 > e.y1 ? y + 1 : e.y1;
		}
	print_message("colour %06x: %u pixels in %ux%u at (%u,%u)\n", colour, e.count,
		      e.count ? e.x1 - e.x0 : 0, e.count ? e.y1 - e.y0 : 0, e.x0, e.y0);
	return e;
}

static void assert_box(const struct extent *e, unsigned width, unsigned height)
{
	assert_int_equal(e->x1 - e->x0, width);
	assert_int_equal(e->y1 - e->y0, height);
}

/* How often Weston's protocol log (VMAN_TEST_WESTON_LOG) has a line with
 * both strings: what the presenter asked of the compositor. */
static unsigned log_count_now(const char *what, const char *argument)
{
	const char *path = getenv("VMAN_TEST_WESTON_LOG");
	char line[4096];
	unsigned count = 0;
	FILE *log;

	assert_non_null(path);
	log = fopen(path, "r");
	assert_non_null(log);
	while (fgets(line, sizeof(line), log))
		count += strstr(line, " rq ") && strstr(line, what) && strstr(line, argument);
	fclose(log);
	return count;
}

/* The requests Weston logged, once at least `least` are there or after 2 s:
 * a request the presenter sent without waiting for an answer (a title)
 * reaches the log when Weston gets to it. */
static unsigned log_count(const char *what, const char *argument, unsigned least)
{
	unsigned count = log_count_now(what, argument);

	for (int i = 0; i < 100 && count < least; i++) {
		usleep(20 * 1000);
		count = log_count_now(what, argument);
	}
	return count;
}

static int setup(void **state)
{
	struct vman_options options = {.renderer = VMAN_RENDERER_PIXMAN,
				       .presenter = VMAN_PRESENTER_WAYLAND};
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->vman = vman_create(&options);
	if (!f->vman) {
		print_error("vman_create (wayland): %s\n", strerror(errno));
		free(f);
		return -1;
	}
	f->client = vman_client_create(f->vman, "DOS box", record_event, f);
	f->heap = (struct vman_heap){f->region, VVMI_HEAP_OFFSET, VVMI_REGION_SIZE};
	f->shots = getenv("VMAN_TEST_SHOT_DIR");
	if (!f->client || !f->shots)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = fixture_of(state);

	vman_destroy(f->vman);
	free(f);
	return 0;
}

/* Windowed: the screen alone in a toplevel titled with the client's name,
 * unscaled; then each guest window in its own, titled, at its size, the
 * newest on top (Weston places them where it likes). */
static void test_windowed_screen_and_windows(void **state)
{
	struct fixture *f = fixture_of(state);
	struct shot shot;
	struct extent e;

	screen_halves(f, 320, 200, BLUE, BLUE);
	frame_shown(f);
	/* weston-desktop-shell, a client too, may not have drawn yet. */
	for (int i = 0;; i++) {
		shot_take(f, &shot);
		if (shot_find(&shot, BACKGROUND).count > 0 || i == 50)
			break;
		free(shot.pixels);
		usleep(100 * 1000);
	}
	assert_true(shot_find(&shot, BACKGROUND).count > 0);
	e = shot_find(&shot, BLUE);
	assert_int_equal(e.count, 320 * 200);
	assert_box(&e, 320, 200);
	free(shot.pixels);
	assert_int_equal(log_count("set_title", "\"DOS box\"", 1), 1);

	window_create(f, EDITOR, VVMI_FORMAT_XRGB8888, 120, 80, 10, 10, RED, "Editor \xE9");
	frame_shown(f);
	shot_take(f, &shot);
	e = shot_find(&shot, RED);
	assert_int_equal(e.count, 120 * 80);
	assert_box(&e, 120, 80);
	free(shot.pixels);
	/* Latin-1 é is UTF-8 C3 A9. */
	assert_int_equal(log_count("set_title", "\"Editor \xC3\xA9\"", 1), 1);

	window_create(f, CLOCK, VVMI_FORMAT_I8, 64, 48, 100, 50, 2, "Clock");
	frame_shown(f);
	shot_take(f, &shot);
	e = shot_find(&shot, VGA_GREEN);
	assert_int_equal(e.count, 64 * 48);
	assert_box(&e, 64, 48);
	free(shot.pixels);
	assert_int_equal(log_count("set_title", "\"Clock\"", 1), 1);
	assert_non_null(vman_presenter_wayland_toplevel(f->vman->presenter, EDITOR));
}

/* A hidden window's toplevel goes; shown again, it comes back. */
static void test_hidden_window_leaves_the_desktop(void **state)
{
	struct fixture *f = fixture_of(state);
	struct shot shot;

	window_visible(f, EDITOR, false);
	frame_shown(f);
	assert_null(vman_presenter_wayland_toplevel(f->vman->presenter, EDITOR));
	shot_take(f, &shot);
	assert_int_equal(shot_find(&shot, RED).count, 0);
	assert_int_equal(shot_find(&shot, VGA_GREEN).count, 64 * 48);
	free(shot.pixels);
	window_visible(f, EDITOR, true);
	frame_shown(f);
	shot_take(f, &shot);
	assert_int_equal(shot_find(&shot, RED).count, 120 * 80);
	free(shot.pixels);
}

/* Many frames with no dispatch between them never wait for a buffer, and
 * the last one is what shows once the compositor has released one. */
static void test_frames_never_wait_and_the_latest_shows(void **state)
{
	struct fixture *f = fixture_of(state);
	struct shot shot;
	struct extent e;

	for (uint32_t i = 0; i < 50; i++) {
		struct vvmi_fill fill = {.surface = EDITOR, .rop2 = VVMI_ROP2_COPYPEN,
					 .rect = {0, 0, 120, 80}, .color = 0x800000u + i};

		GHI_OK(f, VVMI_CMD_FILL, fill);
		assert_int_equal(vman_frame(f->vman), 0);
	}
	assert_false(vman_presenter_wayland_idle(f->vman->presenter));
	frame_shown(f);
	shot_take(f, &shot);
	e = shot_find(&shot, 0x800000u + 49);
	assert_int_equal(e.count, 120 * 80);
	assert_int_equal(shot_find(&shot, 0x800000u + 48).count, 0);
	free(shot.pixels);
}

/* xdg_toplevel.close, as the compositor would send it when the user
 * clicks a window's close button (headless Weston has no pointer to click
 * with): the event goes through the listener on the real toplevel and the
 * guest hears VVMI_EVENT_CLOSED for that surface; the window stays until
 * the guest destroys it. */
static void test_close_reaches_the_guest(void **state)
{
	struct fixture *f = fixture_of(state);
	const uint16_t ids[] = {CLOCK, VVMI_SURFACE_SCREEN};

	for (unsigned i = 0; i < 2; i++) {
		struct xdg_toplevel *toplevel =
			vman_presenter_wayland_toplevel(f->vman->presenter, ids[i]);
		const struct xdg_toplevel_listener *listener;

		assert_non_null(toplevel);
		listener = wl_proxy_get_listener((struct wl_proxy *)toplevel);
		assert_non_null(listener);
		listener->close(wl_proxy_get_user_data((struct wl_proxy *)toplevel), toplevel);
		assert_int_equal(f->closed_count, i + 1);
		assert_int_equal(f->closed[i], ids[i]);
	}
	frame_shown(f);
	assert_non_null(vman_presenter_wayland_toplevel(f->vman->presenter, CLOCK));
}

/* A close for the windows of a client that is gone reaches nobody. */
static void test_close_after_the_client_went_is_dropped(void **state)
{
	struct fixture *f = fixture_of(state);
	unsigned closed = f->closed_count;
	struct vman_client *other = vman_client_create(f->vman, "other", record_event, f);
	struct xdg_toplevel *screen;
	const struct xdg_toplevel_listener *listener;

	assert_non_null(other);
	vman_client_set_foreground(other);
	frame_shown(f);
	/* The first client's windows went with it out of the foreground. */
	assert_null(vman_presenter_wayland_toplevel(f->vman->presenter, CLOCK));
	assert_int_equal(log_count("set_title", "\"other\"", 1), 1);
	vman_client_set_foreground(f->client);
	screen = vman_presenter_wayland_toplevel(f->vman->presenter, VVMI_SURFACE_SCREEN);
	vman_client_destroy(other);
	listener = wl_proxy_get_listener((struct wl_proxy *)screen);
	listener->close(wl_proxy_get_user_data((struct wl_proxy *)screen), screen);
	assert_int_equal(f->closed_count, closed);
	frame_shown(f);
	assert_non_null(vman_presenter_wayland_toplevel(f->vman->presenter, CLOCK));
}

/* The screen fills the output: shown w x h at the output's centre, black
 * around, and the colour boundary of the halves where the scale puts it. */
static void assert_fullscreen_shot(struct fixture *f, unsigned width, unsigned height,
				   unsigned shown_width, unsigned shown_height)
{
	unsigned x0 = (OUTPUT_WIDTH - shown_width) / 2, y0 = (OUTPUT_HEIGHT - shown_height) / 2;
	unsigned middle = x0 + shown_width / 2;
	/* Bilinear scales blend the halves over about one source pixel. */
	unsigned blend = shown_width / width + 2;
	struct shot shot;

	print_message("%ux%u fullscreen: %ux%u at (%u,%u)\n", width, height, shown_width,
		      shown_height, x0, y0);
	screen_halves(f, width, height, BLUE, YELLOW);
	frame_shown(f);
	shot_take(f, &shot);
	assert_int_equal(shot_at(&shot, x0, y0), BLUE);
	assert_int_equal(shot_at(&shot, middle - blend, y0 + shown_height - 1), BLUE);
	assert_int_equal(shot_at(&shot, middle + blend, y0), YELLOW);
	assert_int_equal(shot_at(&shot, x0 + shown_width - 1, y0 + shown_height - 1), YELLOW);
	if (x0 > 0) {
		assert_int_equal(shot_at(&shot, x0 - 1, y0), BLACK);
		assert_int_equal(shot_at(&shot, x0 + shown_width, y0 + shown_height - 1), BLACK);
	}
	if (y0 > 0) {
		assert_int_equal(shot_at(&shot, x0, y0 - 1), BLACK);
		assert_int_equal(shot_at(&shot, x0 + shown_width - 1, y0 + shown_height), BLACK);
	}
	assert_int_equal(shot_at(&shot, 0, 0), x0 || y0 ? BLACK : BLUE);
	assert_int_equal(shot_find(&shot, BACKGROUND).count, 0);
	free(shot.pixels);
}

/* Fullscreen: only the screen's toplevel, showing the composed frame
 * (the guest's clock window included) scaled 3.2x from 320x200 to fill
 * 1024x768 with its aspect kept: 1024x640 at (0,64), black above and below.
 * The scale is not an integer, so edges inside the picture are bilinear:
 * the clock window is checked to within the pixel they blend. */
static void test_fullscreen_scales_the_composed_frame(void **state)
{
	struct fixture *f = fixture_of(state);
	struct shot shot;
	struct extent e;

	window_visible(f, EDITOR, false);
	vman_set_fullscreen(f->vman, true);
	assert_true(vman_fullscreen(f->vman));
	screen_halves(f, 320, 200, BLUE, BLUE);
	frame_shown(f);
	assert_null(vman_presenter_wayland_toplevel(f->vman->presenter, CLOCK));
	assert_true(log_count("set_fullscreen", "", 1) >= 1);
	shot_take(f, &shot);
	e = shot_find(&shot, BLUE);
	assert_box(&e, 1024, 640);
	assert_int_equal(e.x0, 0);
	assert_int_equal(e.y0, 64);
	/* The clock window, 64x48 at (100,50) of the guest's screen: 204.8 x
	 * 153.6 at (320,224); its pure green starts and ends within the two
	 * pixels each edge blends over. */
	e = shot_find(&shot, VGA_GREEN);
	assert_in_range(e.x0, 320, 323);
	assert_in_range(e.y0, 64 + 160, 64 + 163);
	assert_in_range(e.x1 - e.x0, 200, 205);
	assert_in_range(e.y1 - e.y0, 149, 154);
	e = shot_find(&shot, BLACK);
	assert_int_equal(e.count, OUTPUT_WIDTH * (OUTPUT_HEIGHT - 640));
	free(shot.pixels);
}

/* DOS mode switches while fullscreen: the scale follows the mode. The
 * guest's windows are hidden so that only the screen shows. */
static void test_fullscreen_follows_mode_switches(void **state)
{
	struct fixture *f = fixture_of(state);

	window_visible(f, CLOCK, false);
	assert_fullscreen_shot(f, 720, 400, 1024, 569);  /* text 80x25, 9x16 cells */
	assert_fullscreen_shot(f, 320, 200, 1024, 640);  /* 13h: 3.2x */
	assert_fullscreen_shot(f, 640, 480, 1024, 768);  /* 12h: 1.6x, no border */
	assert_fullscreen_shot(f, 256, 192, 1024, 768);  /* 4x exactly */
	assert_fullscreen_shot(f, 1280, 1024, 960, 768); /* too big: 0.75, pillarboxed */
	assert_fullscreen_shot(f, 720, 400, 1024, 569);  /* back to text */
}

/* Back to windowed: the screen unscaled in its toplevel, the windows in
 * theirs again. Weston stacks the screen's toplevel back over the clock's
 * when it leaves fullscreen, so the clock is shown anew to come on top. */
static void test_windowed_again(void **state)
{
	struct fixture *f = fixture_of(state);
	struct extent e, left, right;
	struct shot shot;

	window_visible(f, CLOCK, true);
	vman_set_fullscreen(f->vman, false);
	assert_false(vman_fullscreen(f->vman));
	screen_halves(f, 640, 400, BLUE, YELLOW);
	frame_shown(f);
	assert_non_null(vman_presenter_wayland_toplevel(f->vman->presenter, CLOCK));
	assert_true(log_count("unset_fullscreen", "", 1) >= 1);
	window_visible(f, CLOCK, false);
	frame_shown(f);
	window_visible(f, CLOCK, true);
	frame_shown(f);
	shot_take(f, &shot);
	assert_true(shot_find(&shot, BACKGROUND).count > 0);
	/* The clock may cover some of the screen's blue, not all of a row. */
	left = shot_find(&shot, BLUE);
	right = shot_find(&shot, YELLOW);
	assert_box(&right, 320, 400);
	assert_int_equal(right.x1 - left.x0, 640);
	assert_int_equal(left.y0, right.y0);
	e = shot_find(&shot, VGA_GREEN);
	assert_int_equal(e.count, 64 * 48);
	free(shot.pixels);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windowed_screen_and_windows),
		cmocka_unit_test(test_hidden_window_leaves_the_desktop),
		cmocka_unit_test(test_frames_never_wait_and_the_latest_shows),
		cmocka_unit_test(test_close_reaches_the_guest),
		cmocka_unit_test(test_close_after_the_client_went_is_dropped),
		cmocka_unit_test(test_fullscreen_scales_the_composed_frame),
		cmocka_unit_test(test_fullscreen_follows_mode_switches),
		cmocka_unit_test(test_windowed_again),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
