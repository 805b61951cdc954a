/* gl_program.c: extension lists and shader programs for vman's GLES 2 users (the renderer, the DRM presenter's GBM scanout). */
#include <string.h>

#include "gl_program.h"

bool vman_gl_has_extension(const char *list, const char *extension)
{
	size_t length = strlen(extension);

	for (const char *at = list; at && (at = strstr(at, extension)); at += length) {
		if ((at == list || at[-1] == ' ') && (at[length] == ' ' || at[length] == '\0'))
			return true;
	}
	return false;
}

static GLuint shader_compile(GLenum type, const char *source)
{
	GLuint shader = glCreateShader(type);
	GLint compiled = GL_FALSE;

	if (!shader)
		return 0;
	glShaderSource(shader, 1, &source, NULL);
	glCompileShader(shader);
	glGetShaderiv(shader, GL_COMPILE_STATUS, &compiled);
	if (!compiled) {
		glDeleteShader(shader);
		return 0;
	}
	return shader;
}

GLuint vman_gl_program_build(const char *vertex_source, const char *fragment_source,
			     const char *attribute)
{
	GLuint vertex = shader_compile(GL_VERTEX_SHADER, vertex_source);
	GLuint fragment = shader_compile(GL_FRAGMENT_SHADER, fragment_source);
	GLuint program = vertex && fragment ? glCreateProgram() : 0;
	GLint linked = GL_FALSE;

	if (program) {
		glAttachShader(program, vertex);
		glAttachShader(program, fragment);
		glBindAttribLocation(program, 0, attribute);
		glLinkProgram(program);
		glGetProgramiv(program, GL_LINK_STATUS, &linked);
	}
	glDeleteShader(vertex);
	glDeleteShader(fragment);
	if (program && !linked) {
		glDeleteProgram(program);
		program = 0;
	}
	return program;
}
