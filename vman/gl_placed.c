/* gl_placed.c: a guest frame drawn at a placement with GLES 2: one texture, one quad, black around it. */
#include <errno.h>

#include "gl_placed.h"
#include "gl_program.h"

/*
 * The frame is uploaded as it lies in memory, XRGB8888 read as bytes
 * B, G, R, X, into an RGBA texture, and the shader swaps red and blue
 * back: no conversion on the CPU and no extension needed. The quad covers
 * whole pixels, so the rasteriser writes exactly the placement.
 */

static const char vertex_source[] =
	"attribute vec2 corner;\n"
	"uniform vec4 rect; /* x, y, width, height in output pixels, y down */\n"
	"uniform vec2 output_size;\n"
	"varying vec2 texcoord;\n"
	"void main() {\n"
	"	vec2 pixel = rect.xy + corner * rect.zw;\n"
	"	vec2 unit = pixel / output_size;\n"
	"	gl_Position = vec4(unit.x * 2.0 - 1.0, 1.0 - unit.y * 2.0, 0.0, 1.0);\n"
	"	texcoord = corner;\n"
	"}\n";

static const char fragment_source[] =
	VMAN_GL_FRAGMENT_PRECISION
	"uniform sampler2D frame;\n"
	"varying vec2 texcoord;\n"
	"void main() {\n"
	"	gl_FragColor = vec4(texture2D(frame, texcoord).bgr, 1.0);\n"
	"}\n";

static const GLfloat unit_square[] = {0, 0, 1, 0, 0, 1, 1, 1};

int vman_gl_placed_init(struct vman_gl_placed *gl)
{
	*gl = (struct vman_gl_placed){0};
	gl->program = vman_gl_program_build(vertex_source, fragment_source, "corner");
	if (!gl->program)
		return -ENODEV;
	gl->rect_uniform = glGetUniformLocation(gl->program, "rect");
	gl->output_size_uniform = glGetUniformLocation(gl->program, "output_size");
	glGetIntegerv(GL_MAX_TEXTURE_SIZE, &gl->max_texture_size);
	glGenBuffers(1, &gl->corners);
	glBindBuffer(GL_ARRAY_BUFFER, gl->corners);
	glBufferData(GL_ARRAY_BUFFER, sizeof(unit_square), unit_square, GL_STATIC_DRAW);
	glGenTextures(1, &gl->texture);
	if (glGetError() != GL_NO_ERROR) {
		vman_gl_placed_finish(gl);
		return -ENODEV;
	}
	return 0;
}

void vman_gl_placed_finish(struct vman_gl_placed *gl)
{
	glDeleteTextures(1, &gl->texture);
	glDeleteBuffers(1, &gl->corners);
	glDeleteProgram(gl->program);
	*gl = (struct vman_gl_placed){0};
}

static void frame_upload(struct vman_gl_placed *gl, const uint32_t *pixels, unsigned width,
			 unsigned height, unsigned scale)
{
	GLint filter = scale ? GL_NEAREST : GL_LINEAR;

	glActiveTexture(GL_TEXTURE0);
	glBindTexture(GL_TEXTURE_2D, gl->texture);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
	glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, (GLsizei)width, (GLsizei)height, 0, GL_RGBA,
		     GL_UNSIGNED_BYTE, pixels);
}

int vman_gl_placed_draw(struct vman_gl_placed *gl, unsigned output_width, unsigned output_height,
			const uint32_t *pixels, unsigned width, unsigned height,
			const struct vman_placement *placement)
{
	if (width == 0 || height == 0 || width > (unsigned)gl->max_texture_size ||
	    height > (unsigned)gl->max_texture_size)
		return -EINVAL;
	glViewport(0, 0, (GLsizei)output_width, (GLsizei)output_height);
	glDisable(GL_BLEND);
	glDisable(GL_SCISSOR_TEST);
	glClearColor(0, 0, 0, 1);
	glClear(GL_COLOR_BUFFER_BIT);
	frame_upload(gl, pixels, width, height, placement->scale);
	glUseProgram(gl->program);
	glUniform4f(gl->rect_uniform, (GLfloat)placement->x, (GLfloat)placement->y,
		    (GLfloat)placement->width, (GLfloat)placement->height);
	glUniform2f(gl->output_size_uniform, (GLfloat)output_width, (GLfloat)output_height);
	glBindBuffer(GL_ARRAY_BUFFER, gl->corners);
	glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, NULL);
	glEnableVertexAttribArray(0);
	glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
	return glGetError() == GL_NO_ERROR ? 0 : -EIO;
}
