/* renderer_gles.c: composes with OpenGL ES 2 through EGL (surfaceless Mesa, headless), into a framebuffer object read back into memory. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>

#include "gl_program.h"
#include "renderer.h"

/*
 * Each layer's surface becomes a texture (converted to RGBA on the CPU,
 * the I8 ones through their palette, RGB565 widened by bit replication as
 * pixman does it, so that both renderers give the same pixels), drawn
 * 1:1 at its position once per rectangle of its clip, with the scissor.
 * Output row 0 is the framebuffer's row 0, so that glReadPixels gives the
 * rows top to bottom without a flip.
 */

struct gles_renderer {
	struct vman_renderer base;
	EGLDisplay display;
	EGLContext context;
	GLuint program;
	GLint rect_uniform, output_size_uniform;
	GLuint corners;        /* vertex buffer: the unit square's corners */
	GLuint layer_texture;  /* the layer being drawn */
	GLuint target_texture; /* the framebuffer's colour */
	GLuint framebuffer;
	unsigned target_width, target_height;
	uint8_t *rgba;         /* conversions both ways */
	size_t rgba_size;
};

static const struct vman_renderer_impl gles_impl;

static struct gles_renderer *gles_from_renderer(struct vman_renderer *renderer)
{
	assert(renderer->impl == &gles_impl);
	return (struct gles_renderer *)renderer;
}

static const char vertex_source[] =
	"attribute vec2 corner;\n"
	"uniform vec4 rect; /* x, y, width, height in output pixels */\n"
	"uniform vec2 output_size;\n"
	"varying vec2 texcoord;\n"
	"void main() {\n"
	"	vec2 pixel = rect.xy + corner * rect.zw;\n"
	"	gl_Position = vec4(pixel / output_size * 2.0 - 1.0, 0.0, 1.0);\n"
	"	texcoord = corner;\n"
	"}\n";

static const char fragment_source[] =
	VMAN_GL_FRAGMENT_PRECISION
	"uniform sampler2D surface;\n"
	"varying vec2 texcoord;\n"
	"void main() {\n"
	"	gl_FragColor = vec4(texture2D(surface, texcoord).rgb, 1.0);\n"
	"}\n";

static const GLfloat unit_square[] = {0, 0, 1, 0, 0, 1, 1, 1};

static bool egl_start(struct gles_renderer *gles)
{
	static const EGLint context_attributes[] = {EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE};
	PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display;
	const char *extensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);

	if (!vman_gl_has_extension(extensions, "EGL_MESA_platform_surfaceless"))
		return false;
	get_platform_display =
		(PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
	if (!get_platform_display)
		return false;
	gles->display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY,
					     NULL);
	/* The display is the process's, shared with any other user: it is
	 * initialised here and never terminated. */
	if (gles->display == EGL_NO_DISPLAY || !eglInitialize(gles->display, NULL, NULL))
		return false;
	extensions = eglQueryString(gles->display, EGL_EXTENSIONS);
	if (!vman_gl_has_extension(extensions, "EGL_KHR_surfaceless_context") ||
	    !vman_gl_has_extension(extensions, "EGL_KHR_no_config_context") ||
	    !eglBindAPI(EGL_OPENGL_ES_API))
		return false;
	gles->context = eglCreateContext(gles->display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT,
					 context_attributes);
	return gles->context != EGL_NO_CONTEXT &&
	       eglMakeCurrent(gles->display, EGL_NO_SURFACE, EGL_NO_SURFACE, gles->context);
}

static bool program_build(struct gles_renderer *gles)
{
	gles->program = vman_gl_program_build(vertex_source, fragment_source, "corner");
	if (!gles->program)
		return false;
	gles->rect_uniform = glGetUniformLocation(gles->program, "rect");
	gles->output_size_uniform = glGetUniformLocation(gles->program, "output_size");
	return true;
}

static void texture_parameters(void)
{
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

static bool gl_objects_create(struct gles_renderer *gles)
{
	GLint max_size = 0;

	glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
	if (max_size < (GLint)VVMI_SURFACE_WIDTH_MAX || max_size < (GLint)VVMI_SURFACE_HEIGHT_MAX ||
	    !program_build(gles))
		return false;
	glGenBuffers(1, &gles->corners);
	glBindBuffer(GL_ARRAY_BUFFER, gles->corners);
	glBufferData(GL_ARRAY_BUFFER, sizeof(unit_square), unit_square, GL_STATIC_DRAW);
	glGenTextures(1, &gles->layer_texture);
	glGenTextures(1, &gles->target_texture);
	glGenFramebuffers(1, &gles->framebuffer);
	return glGetError() == GL_NO_ERROR;
}

/* The framebuffer's colour texture at the output's size. */
static bool target_resize(struct gles_renderer *gles, unsigned width, unsigned height)
{
	if (gles->target_width == width && gles->target_height == height)
		return true;
	glBindTexture(GL_TEXTURE_2D, gles->target_texture);
	texture_parameters();
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, (GLsizei)width, (GLsizei)height, 0, GL_RGBA,
		     GL_UNSIGNED_BYTE, NULL);
	glBindFramebuffer(GL_FRAMEBUFFER, gles->framebuffer);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
			       gles->target_texture, 0);
	if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
		return false;
	gles->target_width = width;
	gles->target_height = height;
	return true;
}

static bool rgba_reserve(struct gles_renderer *gles, unsigned width, unsigned height)
{
	size_t size = (size_t)width * height * 4;
	uint8_t *rgba;

	if (size <= gles->rgba_size)
		return true;
	rgba = realloc(gles->rgba, size);
	if (!rgba)
		return false;
	gles->rgba = rgba;
	gles->rgba_size = size;
	return true;
}

/* A stored pixel value as XRGB8888, as pixman converts it. */
static uint32_t pixel_xrgb(const struct vman_surface *surface, uint32_t value)
{
	switch (surface->format) {
	case VVMI_FORMAT_I8:
		return vman_surface_palette_entry(surface, value);
	case VVMI_FORMAT_RGB565: {
		uint32_t r = value >> 11 & 0x1F, g = value >> 5 & 0x3F, b = value & 0x1F;

		return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
	}
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	return value;
}

static bool layer_upload(struct gles_renderer *gles, const struct vman_surface *surface)
{
	uint8_t *out;

	if (!rgba_reserve(gles, surface->width, surface->height))
		return false;
	out = gles->rgba;
	for (unsigned y = 0; y < surface->height; y++) {
		for (unsigned x = 0; x < surface->width; x++) {
			uint32_t xrgb = pixel_xrgb(surface, vman_surface_read(surface, x, y));

			*out++ = (uint8_t)(xrgb >> 16);
			*out++ = (uint8_t)(xrgb >> 8);
			*out++ = (uint8_t)xrgb;
			*out++ = 0xFF;
		}
	}
	glBindTexture(GL_TEXTURE_2D, gles->layer_texture);
	texture_parameters();
	glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, (GLsizei)surface->width, (GLsizei)surface->height, 0,
		     GL_RGBA, GL_UNSIGNED_BYTE, gles->rgba);
	return true;
}

static void layer_draw(struct gles_renderer *gles, const struct vman_layer *layer)
{
	int count;
	const pixman_box32_t *boxes = pixman_region32_rectangles(&layer->clip, &count);

	glUniform4f(gles->rect_uniform, (GLfloat)layer->x, (GLfloat)layer->y,
		    (GLfloat)layer->surface->width, (GLfloat)layer->surface->height);
	for (int i = 0; i < count; i++) {
		glScissor(boxes[i].x1, boxes[i].y1, boxes[i].x2 - boxes[i].x1,
			  boxes[i].y2 - boxes[i].y1);
		glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
	}
}

/* The framebuffer's RGBA bytes, bottom row first, to XRGB rows top first:
 * the same order, as row 0 is the output's top. */
static void target_read(struct gles_renderer *gles, uint32_t *pixels, unsigned width,
			unsigned height)
{
	size_t count = (size_t)width * height;

	glPixelStorei(GL_PACK_ALIGNMENT, 4);
	glReadPixels(0, 0, (GLsizei)width, (GLsizei)height, GL_RGBA, GL_UNSIGNED_BYTE, gles->rgba);
	for (size_t i = 0; i < count; i++) {
		const uint8_t *rgba = &gles->rgba[4 * i];

		pixels[i] = (uint32_t)rgba[0] << 16 | (uint32_t)rgba[1] << 8 | rgba[2];
	}
}

static int gles_compose(struct gles_renderer *gles, const struct vman_scene *scene,
			uint32_t *pixels)
{
	if (!target_resize(gles, scene->width, scene->height))
		return -EIO;
	if (!rgba_reserve(gles, scene->width, scene->height))
		return -ENOMEM;
	glBindFramebuffer(GL_FRAMEBUFFER, gles->framebuffer);
	glViewport(0, 0, (GLsizei)scene->width, (GLsizei)scene->height);
	glDisable(GL_BLEND);
	glDisable(GL_SCISSOR_TEST);
	glClearColor(0, 0, 0, 1);
	glClear(GL_COLOR_BUFFER_BIT);
	glEnable(GL_SCISSOR_TEST);
	glUseProgram(gles->program);
	glUniform2f(gles->output_size_uniform, (GLfloat)scene->width, (GLfloat)scene->height);
	glBindBuffer(GL_ARRAY_BUFFER, gles->corners);
	glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, NULL);
	glEnableVertexAttribArray(0);
	glActiveTexture(GL_TEXTURE0);
	for (unsigned i = 0; i < scene->layer_count; i++) {
		if (!layer_upload(gles, scene->layers[i].surface))
			return -ENOMEM;
		layer_draw(gles, &scene->layers[i]);
	}
	target_read(gles, pixels, scene->width, scene->height);
	return glGetError() == GL_NO_ERROR ? 0 : -EIO;
}

/* The context is current only while it composes, so that frames may come
 * from any thread, one at a time. */
static int gles_render(struct vman_renderer *renderer, const struct vman_scene *scene,
		       uint32_t *pixels)
{
	struct gles_renderer *gles = gles_from_renderer(renderer);
	int rc;

	if (!eglMakeCurrent(gles->display, EGL_NO_SURFACE, EGL_NO_SURFACE, gles->context))
		return -EIO;
	rc = gles_compose(gles, scene, pixels);
	eglMakeCurrent(gles->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	return rc;
}

static void gles_destroy(struct vman_renderer *renderer)
{
	struct gles_renderer *gles = gles_from_renderer(renderer);

	if (gles->context != EGL_NO_CONTEXT &&
	    eglMakeCurrent(gles->display, EGL_NO_SURFACE, EGL_NO_SURFACE, gles->context)) {
		glDeleteFramebuffers(1, &gles->framebuffer);
		glDeleteTextures(1, &gles->target_texture);
		glDeleteTextures(1, &gles->layer_texture);
		glDeleteBuffers(1, &gles->corners);
		glDeleteProgram(gles->program);
		eglMakeCurrent(gles->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	}
	if (gles->context != EGL_NO_CONTEXT)
		eglDestroyContext(gles->display, gles->context);
	free(gles->rgba);
	free(gles);
}

static const struct vman_renderer_impl gles_impl = {
	.destroy = gles_destroy,
	.render = gles_render,
};

struct vman_renderer *vman_renderer_gles_create(void)
{
	struct gles_renderer *gles = calloc(1, sizeof(*gles));

	if (!gles)
		return NULL;
	gles->base.impl = &gles_impl;
	gles->context = EGL_NO_CONTEXT;
	if (!egl_start(gles) || !gl_objects_create(gles)) {
		gles_destroy(&gles->base);
		errno = ENODEV;
		return NULL;
	}
	eglMakeCurrent(gles->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	return &gles->base;
}
