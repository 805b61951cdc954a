/* vvga_png.c: writes the VGA's frame as an 8-bit RGB PNG file with libpng. */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <png.h>

#include "vvga.h"

/* libpng reports errors by longjmp; everything it may skip is released after it. */
static int vvga_png_encode(FILE *file, uint8_t *row, pixman_image_t *image)
{
	int width = pixman_image_get_width(image), height = pixman_image_get_height(image);
	const uint8_t *pixels = (const uint8_t *)pixman_image_get_data(image);
	size_t stride = (size_t)pixman_image_get_stride(image);
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
	png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < height; y++) {
		const uint32_t *src = (const uint32_t *)(pixels + (size_t)y * stride);

		for (int x = 0; x < width; x++) {
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

int vvga_png_write(pixman_image_t *image, const char *path)
{
	FILE *file;
	uint8_t *row;
	int rc;

	if (!image)
		return -EINVAL;
	row = malloc((size_t)pixman_image_get_width(image) * 3);
	if (!row)
		return -ENOMEM;
	file = fopen(path, "wb");
	if (!file) {
		rc = -errno;
		free(row);
		return rc;
	}
	rc = vvga_png_encode(file, row, image);
	if (fclose(file) != 0 && rc == 0)
		rc = -errno;
	free(row);
	if (rc < 0)
		remove(path);
	return rc;
}
