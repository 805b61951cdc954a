/* gl_program.h: what vman's GLES 2 users share: an extension list looked up, fragment shaders' precision, a shader program built. Private to vman/. */
#ifndef MVM_VMAN_GL_PROGRAM_H
#define MVM_VMAN_GL_PROGRAM_H

#include <stdbool.h>

#include <GLES2/gl2.h>

/* A fragment shader's first lines: highp where there is one, as mediump
 * cannot address 4096 texels exactly. */
#define VMAN_GL_FRAGMENT_PRECISION \
	"#ifdef GL_FRAGMENT_PRECISION_HIGH\n" \
	"precision highp float;\n" \
	"#else\n" \
	"precision mediump float;\n" \
	"#endif\n"

/* Whether a space-separated extension list (EGL's or GL's) names extension;
 * a NULL list names none. */
bool vman_gl_has_extension(const char *list, const char *extension);

/* The program of the two shaders, linked with attribute 0 named attribute;
 * 0 when one does not compile or they do not link. A context must be
 * current. */
GLuint vman_gl_program_build(const char *vertex_source, const char *fragment_source,
			     const char *attribute);

#endif
