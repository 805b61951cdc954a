/* test_vman_gl_placed.c: the GBM scanout's GLES 2 drawing (gl_placed.c) shows what vman_draw_placed shows: the same pixels at integer scales with letterbox, within a few levels when bilinear; off-screen through EGL surfaceless, skipped (exit 77) where EGL cannot start. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>

#include "gl_placed.h"
#include "gl_program.h"
#include "placement.h"

#define MESON_SKIP 77
/* Levels a channel may differ by when bilinear, on noise (neighbours up to
 * 255 apart, the worst case): pixman rounds each axis's weight to 7 bits
 * and its step to 16.16, llvmpipe has its own precision; llvmpipe gives at
 * most 5 and about 1 on average. A half-texel shift would give tens on
 * average. */
#define BILINEAR_TOLERANCE 6
#define BILINEAR_MEAN_TOLERANCE 1.5

static EGLDisplay display = EGL_NO_DISPLAY;
static EGLContext context = EGL_NO_CONTEXT;

/* A surfaceless GLES 2 context, current; NULL or why not. */
static const char *egl_start(void)
{
	static const EGLint attributes[] = {EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE};
	PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
		(PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");

	if (!vman_gl_has_extension(eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS),
				   "EGL_MESA_platform_surfaceless") ||
	    !get_platform_display)
		return "no EGL_MESA_platform_surfaceless";
	display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
	if (display == EGL_NO_DISPLAY || !eglInitialize(display, NULL, NULL))
		return "the surfaceless EGL display does not start";
	if (!vman_gl_has_extension(eglQueryString(display, EGL_EXTENSIONS),
				   "EGL_KHR_surfaceless_context") ||
	    !vman_gl_has_extension(eglQueryString(display, EGL_EXTENSIONS),
				   "EGL_KHR_no_config_context") ||
	    !eglBindAPI(EGL_OPENGL_ES_API))
		return "no surfaceless context without a config";
	context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
	if (context == EGL_NO_CONTEXT ||
	    !eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
		return "no GLES 2 context";
	return NULL;
}

/* The surfaceless display is the process's, as in renderer_gles.c: never
 * terminated (Mesa would unload the driver with a few bytes of its own
 * still held). */
static void egl_stop(void)
{
	if (context != EGL_NO_CONTEXT) {
		eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
		eglDestroyContext(display, context);
	}
}

static uint32_t noise(uint32_t i)
{
	uint32_t x = i * 2654435761u ^ 40503u;

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return x;
}

struct picture {
	uint32_t *pixels; /* XRGB8888, top row first */
	unsigned width, height;
};

/* gl_placed's drawing of the frame into an FBO of the output's size, read
 * back: GL's row 0 is the bottom, the output's last row. */
static void draw_gl(const uint32_t *frame, unsigned frame_width, unsigned frame_height,
		    const struct vman_placement *placement, struct picture *out)
{
	struct vman_gl_placed gl;
	GLuint texture, framebuffer;
	uint8_t *rgba = malloc((size_t)out->width * out->height * 4);

	assert_non_null(rgba);
	assert_int_equal(vman_gl_placed_init(&gl), 0);
	glGenTextures(1, &texture);
	glBindTexture(GL_TEXTURE_2D, texture);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, (GLsizei)out->width, (GLsizei)out->height, 0,
		     GL_RGBA, GL_UNSIGNED_BYTE, NULL);
	glGenFramebuffers(1, &framebuffer);
	glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
	assert_int_equal(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);

	assert_int_equal(vman_gl_placed_draw(&gl, out->width, out->height, frame, frame_width,
					     frame_height, placement),
			 0);
	glPixelStorei(GL_PACK_ALIGNMENT, 4);
	glReadPixels(0, 0, (GLsizei)out->width, (GLsizei)out->height, GL_RGBA, GL_UNSIGNED_BYTE,
		     rgba);
	assert_int_equal(glGetError(), GL_NO_ERROR);
	for (unsigned y = 0; y < out->height; y++) {
		const uint8_t *row = &rgba[(size_t)(out->height - 1 - y) * out->width * 4];

		for (unsigned x = 0; x < out->width; x++) {
			const uint8_t *p = &row[x * 4];

			out->pixels[(size_t)y * out->width + x] =
				(uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		}
	}
	glDeleteFramebuffers(1, &framebuffer);
	glDeleteTextures(1, &texture);
	vman_gl_placed_finish(&gl);
	free(rgba);
}

static unsigned channel_difference(uint32_t a, uint32_t b)
{
	unsigned most = 0;

	for (unsigned shift = 0; shift < 24; shift += 8) {
		int d = (int)(a >> shift & 0xFF) - (int)(b >> shift & 0xFF);
		unsigned magnitude = (unsigned)(d < 0 ? -d : d);

		if (magnitude > most)
			most = magnitude;
	}
	return most;
}

/* A frame of noise (its X byte too, which both must ignore) on an output,
 * placed as the presenters place it; GL must give pixman's pixels, the
 * black borders included. */
static void check(unsigned frame_width, unsigned frame_height, unsigned output_width,
		  unsigned output_height, bool fill, unsigned want_scale)
{
	size_t frame_count = (size_t)frame_width * frame_height;
	size_t count = (size_t)output_width * output_height;
	uint32_t *frame = malloc(frame_count * sizeof(*frame));
	struct picture want = {malloc(count * 4), output_width, output_height};
	struct picture got = {malloc(count * 4), output_width, output_height};
	struct vman_target target = {want.pixels, output_width, output_height, output_width * 4u};
	struct vman_placement placement;
	unsigned worst = 0;
	uint64_t total = 0;

	assert_non_null(frame);
	assert_non_null(want.pixels);
	assert_non_null(got.pixels);
	for (size_t i = 0; i < frame_count; i++)
		frame[i] = noise((uint32_t)i);
	vman_place(output_width, output_height, frame_width, frame_height, fill, &placement);
	assert_int_equal(placement.scale, want_scale);
	assert_int_equal(vman_draw_placed(&target, frame, frame_width, frame_height, &placement),
			 0);
	draw_gl(frame, frame_width, frame_height, &placement, &got);

	for (size_t i = 0; i < count; i++) {
		unsigned difference = channel_difference(want.pixels[i] & 0xFFFFFF, got.pixels[i]);

		if (difference > worst)
			worst = difference;
		total += difference;
		if (placement.scale && difference)
			fail_msg("%ux%u at %ux%u: pixel (%zu, %zu) is %06x, pixman's %06x",
				 frame_width, frame_height, output_width, output_height,
				 i % output_width, i / output_width, got.pixels[i],
				 want.pixels[i] & 0xFFFFFF);
	}
	if (!placement.scale)
		print_message("%ux%u at %ux%u (%ux%u): at most %u levels from pixman's, %.2f on "
			      "average\n",
			      frame_width, frame_height, output_width, output_height,
			      placement.width, placement.height, worst, (double)total / count);
	assert_true(worst <= BILINEAR_TOLERANCE);
	assert_true((double)total / count <= BILINEAR_MEAN_TOLERANCE);
	free(frame);
	free(want.pixels);
	free(got.pixels);
}

/* Scale 1, letterboxed and pillarboxed: a frame in a mode a little larger. */
static void test_scale_1_boxed(void **state)
{
	(void)state;
	check(40, 30, 50, 40, false, 1);
	check(640, 400, 1024, 768, false, 1);
}

/* Scale 2: 720x400 text on a 1920x1080 panel, as drm_modes picks it. */
static void test_scale_2_boxed(void **state)
{
	(void)state;
	check(40, 30, 100, 70, false, 2);
	check(720, 400, 1920, 1080, false, 2);
}

static void test_scale_3_boxed(void **state)
{
	(void)state;
	check(40, 30, 130, 95, false, 3);
	check(640, 350, 1920, 1080, false, 3);
}

/* A frame larger than the mode, scaled down, bilinear. */
static void test_downscale_bilinear(void **state)
{
	(void)state;
	check(40, 30, 30, 30, false, 0);
	check(1024, 768, 800, 600, false, 0);
}

/* Fullscreen scaling by a non-integer factor, bilinear. */
static void test_fill_bilinear(void **state)
{
	(void)state;
	check(40, 30, 100, 100, true, 0);
	check(640, 480, 1920, 1080, true, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_1_boxed),
		cmocka_unit_test(test_scale_2_boxed),
		cmocka_unit_test(test_scale_3_boxed),
		cmocka_unit_test(test_downscale_bilinear),
		cmocka_unit_test(test_fill_bilinear),
	};
	const char *why = egl_start();
	int failed;

	if (why) {
		printf("SKIP gl_placed: %s\n", why);
		egl_stop();
		return MESON_SKIP;
	}
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	egl_stop();
	return failed;
}
