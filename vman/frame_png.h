/* frame_png.h: XRGB8888 pixels to an 8-bit RGB PNG file. Private to vman/. */
#ifndef MVM_VMAN_FRAME_PNG_H
#define MVM_VMAN_FRAME_PNG_H

#include <stdint.h>

/* Rows top to bottom, stride width * 4. 0 or -errno; a failed write leaves no file. */
int vman_frame_png_write(const uint32_t *pixels, unsigned width, unsigned height, const char *path);

#endif
