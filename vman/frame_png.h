/* frame_png.h: XRGB8888 pixels to an 8-bit RGB PNG file, for VMAN's output and the VGA VDD's screenshots. */
#ifndef MVM_VMAN_FRAME_PNG_H
#define MVM_VMAN_FRAME_PNG_H

#include <stddef.h>
#include <stdint.h>

/* Rows top to bottom, stride bytes apart. 0 or -errno; a failed write
 * leaves no file. */
int vman_frame_png_write(const uint32_t *pixels, unsigned width, unsigned height, size_t stride,
			 const char *path);

#endif
