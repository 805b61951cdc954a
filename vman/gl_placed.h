/* gl_placed.h: draws a guest frame at a placement with GLES 2, black around it: what vman_draw_placed does with pixman, for the DRM presenter's GBM scanout. Private to vman/. */
#ifndef MVM_VMAN_GL_PLACED_H
#define MVM_VMAN_GL_PLACED_H

#include <stdint.h>

#include <GLES2/gl2.h>

#include "placement.h"

/* The GL objects it draws with, in the context current at init. */
struct vman_gl_placed {
	GLuint program;
	GLint rect_uniform, output_size_uniform;
	GLuint corners; /* vertex buffer: the unit square's corners */
	GLuint texture; /* the frame */
	GLint max_texture_size;
};

/* 0, or -ENODEV when the shaders do not build. */
int vman_gl_placed_init(struct vman_gl_placed *gl);
void vman_gl_placed_finish(struct vman_gl_placed *gl);

/* Draws the frame (XRGB8888, width x height, stride width * 4) into the
 * bound framebuffer, output_width x output_height, as a window shows it:
 * the output's top row is GL's top (its last row), so that a surface's
 * buffer scans out upright (an FBO reads back bottom row first). Like
 * vman_draw_placed: nearest neighbour for an integer scale, bilinear with
 * the edge's colour beyond the edge for any other factor, and black around
 * the placement. 0, -EINVAL (a frame larger than a texture may be) or -EIO. */
int vman_gl_placed_draw(struct vman_gl_placed *gl, unsigned output_width, unsigned output_height,
			const uint32_t *pixels, unsigned width, unsigned height,
			const struct vman_placement *placement);

#endif
