/* frame_png.c: writes a frame as an 8-bit RGB PNG file with libpng. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <png.h>

#include "frame_png.h"

/* libpng reports errors by longjmp; everything it may skip is released after it. */
static int png_encode(FILE *file, uint8_t *row, const uint32_t *pixels, unsigned width,
		      unsigned height, size_t stride)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = NULL;

	if (!png)
		return -ENOMEM;
	info = png_create_info_struct(png);
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -EIO;
	}
	png_init_io(png, file);
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (unsigned y = 0; y < height; y++) {
		const uint32_t *src = (const uint32_t *)((const uint8_t *)pixels + y * stride);

		for (unsigned x = 0; x < width; x++) {
			row[3 * x] = (uint8_t)(src[x] >> 16);
			row[3 * x + 1] = (uint8_t)(src[x] >> 8);
			row[3 * x + 2] = (uint8_t)src[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int vman_frame_png_write(const uint32_t *pixels, unsigned width, unsigned height, size_t stride,
			 const char *path)
{
	FILE *file;
	uint8_t *row;
	int rc;

	row = malloc((size_t)width * 3);
	if (!row)
		return -ENOMEM;
	file = fopen(path, "wb");
	if (!file) {
		rc = -errno;
		free(row);
		return rc;
	}
	rc = png_encode(file, row, pixels, width, height, stride);
	if (fclose(file) != 0 && rc == 0)
		rc = -errno;
	free(row);
	if (rc < 0)
		remove(path);
	return rc;
}
