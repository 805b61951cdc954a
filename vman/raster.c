/* raster.c: raster operations as Windows defines them, on stored pixel values: fills, pattern fills, blits, images. */
#include <string.h>

#include "raster.h"

/* Surfaces hold pixels in host order, heap images are little-endian: on
 * the hosts we run on they are the same bytes. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "a little-endian host");

/* Pixels evaluated at a time by the general raster operation. */
#define SPAN 256u

struct vman_box vman_box_from_rect(const struct vvmi_rect *rect)
{
	return (struct vman_box){rect->x, rect->y, (int32_t)rect->x + rect->w,
				 (int32_t)rect->y + rect->h};
}

void vman_box_clip(struct vman_box *box, unsigned width, unsigned height)
{
	if (box->x0 < 0)
		box->x0 = 0;
	if (box->y0 < 0)
		box->y0 = 0;
	if (box->x1 > (int32_t)width)
		box->x1 = (int32_t)width;
	if (box->y1 > (int32_t)height)
		box->y1 = (int32_t)height;
}

bool vman_box_empty(const struct vman_box *box)
{
	return box->x0 >= box->x1 || box->y0 >= box->y1;
}

bool vman_rop2_valid(unsigned rop2)
{
	return rop2 >= 1 && rop2 <= 16;
}

bool vman_rop3_uses_source(uint8_t rop3)
{
	return ((rop3 >> 2) & 0x33u) != (rop3 & 0x33u);
}

/* Every bit of the result from one bit of the truth table. */
static uint32_t truth_bit(unsigned table, unsigned index)
{
	return (table >> index & 1u) ? ~0u : 0u;
}

/* Bit by bit: one where select is 1, zero where it is 0. */
static uint32_t choose(uint32_t select, uint32_t one, uint32_t zero)
{
	return (select & one) | (~select & zero);
}

/* The truth table indexed by (P << 1) | D is rop2 - 1. */
uint32_t vman_rop2_apply(uint8_t rop2, uint32_t pen, uint32_t dst)
{
	unsigned t = rop2 - 1u;

	return choose(pen, choose(dst, truth_bit(t, 3), truth_bit(t, 2)),
		      choose(dst, truth_bit(t, 1), truth_bit(t, 0)));
}

/* The truth table indexed by (P << 2) | (S << 1) | D is rop3 itself. */
uint32_t vman_rop3_apply(uint8_t rop3, uint32_t pattern, uint32_t src, uint32_t dst)
{
	uint32_t with_p = choose(src, choose(dst, truth_bit(rop3, 7), truth_bit(rop3, 6)),
				 choose(dst, truth_bit(rop3, 5), truth_bit(rop3, 4)));
	uint32_t without_p = choose(src, choose(dst, truth_bit(rop3, 3), truth_bit(rop3, 2)),
				    choose(dst, truth_bit(rop3, 1), truth_bit(rop3, 0)));

	return choose(pattern, with_p, without_p);
}

struct vman_pattern vman_pattern_solid(uint32_t colour)
{
	struct vman_pattern pattern = {.fg = colour, .bg = colour};

	memset(pattern.rows, 0xFF, sizeof(pattern.rows));
	return pattern;
}

/* Whether every pixel of the pattern is one colour, and which. */
static bool pattern_solid_colour(const struct vman_pattern *pattern, uint32_t *colour)
{
	bool all_fg = true, all_bg = true;

	for (unsigned i = 0; i < 8; i++) {
		all_fg = all_fg && pattern->rows[i] == 0xFF;
		all_bg = all_bg && pattern->rows[i] == 0x00;
	}
	if (pattern->fg == pattern->bg || all_fg)
		*colour = pattern->fg;
	else if (all_bg)
		*colour = pattern->bg;
	else
		return false;
	return true;
}

/* n pixel values from pixels laid out in format (aligned for it). */
static void span_unpack(enum vvmi_format format, const uint8_t *pixels, unsigned n,
			uint32_t *values)
{
	switch (format) {
	case VVMI_FORMAT_I8:
		for (unsigned i = 0; i < n; i++)
			values[i] = pixels[i];
		return;
	case VVMI_FORMAT_RGB565:
		for (unsigned i = 0; i < n; i++)
			values[i] = ((const uint16_t *)pixels)[i];
		return;
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	for (unsigned i = 0; i < n; i++)
		values[i] = ((const uint32_t *)pixels)[i] & 0xFFFFFFu;
}

/* The inverse, cutting each value to the format. */
static void span_pack(enum vvmi_format format, uint8_t *pixels, unsigned n,
		      const uint32_t *values)
{
	switch (format) {
	case VVMI_FORMAT_I8:
		for (unsigned i = 0; i < n; i++)
			pixels[i] = (uint8_t)values[i];
		return;
	case VVMI_FORMAT_RGB565:
		for (unsigned i = 0; i < n; i++)
			((uint16_t *)pixels)[i] = (uint16_t)values[i];
		return;
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	for (unsigned i = 0; i < n; i++)
		((uint32_t *)pixels)[i] = values[i] & 0xFFFFFFu;
}

/* The pattern's colours for n pixels from (x, y), aligned to the surface's (0,0). */
static void span_pattern(const struct vman_pattern *pattern, int32_t x, int32_t y, unsigned n,
			 uint32_t *values)
{
	uint8_t row = pattern->rows[y & 7];

	for (unsigned i = 0; i < n; i++)
		values[i] = (row >> (7 - ((x + (int32_t)i) & 7)) & 1u) ? pattern->fg : pattern->bg;
}

/* One colour over the box, no raster operation. */
static void fill_solid(struct vman_surface *surface, const struct vman_box *box, uint32_t colour)
{
	uint32_t value = colour & vman_format_mask(surface->format);
	unsigned width = (unsigned)(box->x1 - box->x0);

	for (int32_t y = box->y0; y < box->y1; y++) {
		uint8_t *row = vman_surface_row(surface, (unsigned)y);

		switch (surface->format) {
		case VVMI_FORMAT_I8:
			memset(row + box->x0, (int)value, width);
			break;
		case VVMI_FORMAT_RGB565:
			for (unsigned i = 0; i < width; i++)
				((uint16_t *)row)[box->x0 + (int32_t)i] = (uint16_t)value;
			break;
		case VVMI_FORMAT_XRGB8888:
			for (unsigned i = 0; i < width; i++)
				((uint32_t *)row)[box->x0 + (int32_t)i] = value;
			break;
		}
	}
}

static void damage_box(struct vman_surface *surface, const struct vman_box *box)
{
	vman_surface_damage(surface, box->x0, box->y0, (uint32_t)(box->x1 - box->x0),
			    (uint32_t)(box->y1 - box->y0));
}

/* D = rop3(P, S, D) for width pixels of row y from x; S from src (that
 * many pixels in the surface's format) or 0 when there is none. */
static void rop3_row(struct vman_surface *surface, int32_t x, int32_t y, unsigned width,
		     uint8_t rop3, const struct vman_pattern *pattern, const uint8_t *src)
{
	unsigned bytes = vman_format_bytes(surface->format);
	uint8_t *dst = vman_surface_row(surface, (unsigned)y) + (size_t)x * bytes;
	uint32_t p[SPAN], s[SPAN] = {0}, d[SPAN];

	for (unsigned done = 0, n; done < width; done += n) {
		n = width - done < SPAN ? width - done : SPAN;
		span_pattern(pattern, x + (int32_t)done, y, n, p);
		if (src)
			span_unpack(surface->format, src + (size_t)done * bytes, n, s);
		span_unpack(surface->format, dst + (size_t)done * bytes, n, d);
		for (unsigned i = 0; i < n; i++)
			d[i] = vman_rop3_apply(rop3, p[i], s[i], d[i]);
		span_pack(surface->format, dst + (size_t)done * bytes, n, d);
	}
}

void vman_raster_fill(struct vman_surface *surface, const struct vman_box *box, uint8_t rop2,
		      uint32_t colour)
{
	unsigned width = (unsigned)(box->x1 - box->x0);
	uint32_t d[SPAN];
	unsigned bytes = vman_format_bytes(surface->format);

	if (rop2 == VVMI_ROP2_COPYPEN || rop2 == VVMI_ROP2_BLACK || rop2 == VVMI_ROP2_WHITE) {
		fill_solid(surface, box, vman_rop2_apply(rop2, colour, 0));
		damage_box(surface, box);
		return;
	}
	for (int32_t y = box->y0; y < box->y1; y++) {
		uint8_t *dst = vman_surface_row(surface, (unsigned)y) + (size_t)box->x0 * bytes;

		for (unsigned done = 0, n; done < width; done += n) {
			n = width - done < SPAN ? width - done : SPAN;
			span_unpack(surface->format, dst + (size_t)done * bytes, n, d);
			for (unsigned i = 0; i < n; i++)
				d[i] = vman_rop2_apply(rop2, colour, d[i]);
			span_pack(surface->format, dst + (size_t)done * bytes, n, d);
		}
	}
	damage_box(surface, box);
}

void vman_raster_pattern_fill(struct vman_surface *surface, const struct vman_box *box,
			      uint8_t rop3, const struct vman_pattern *pattern)
{
	uint32_t colour;

	if (rop3 == VVMI_ROP3_BLACKNESS || rop3 == VVMI_ROP3_WHITENESS) {
		fill_solid(surface, box, vman_rop3_apply(rop3, 0, 0, 0));
	} else if (rop3 == VVMI_ROP3_PATCOPY && pattern_solid_colour(pattern, &colour)) {
		fill_solid(surface, box, colour);
	} else {
		for (int32_t y = box->y0; y < box->y1; y++)
			rop3_row(surface, box->x0, y, (unsigned)(box->x1 - box->x0), rop3, pattern,
				 NULL);
	}
	damage_box(surface, box);
}

void vman_raster_blit(struct vman_surface *dst, const struct vman_box *box,
		      const struct vman_surface *src, int32_t src_x, int32_t src_y, uint8_t rop3,
		      const struct vman_pattern *pattern)
{
	unsigned bytes = vman_format_bytes(dst->format);
	size_t row_bytes = (size_t)(box->x1 - box->x0) * bytes;
	unsigned rows = (unsigned)(box->y1 - box->y0);
	/* Within one surface, a source row below the destination's is read
	 * before it is overwritten when the rows go bottom up. */
	bool bottom_up = src == dst && src_y < box->y0;
	uint32_t row_copy[VVMI_SURFACE_WIDTH_MAX];

	if (!vman_rop3_uses_source(rop3)) {
		vman_raster_pattern_fill(dst, box, rop3, pattern);
		return;
	}
	for (unsigned i = 0; i < rows; i++) {
		unsigned r = bottom_up ? rows - 1 - i : i;
		const uint8_t *from =
			vman_surface_row(src, (unsigned)src_y + r) + (size_t)src_x * bytes;
		uint8_t *to = vman_surface_row(dst, (unsigned)box->y0 + r) + (size_t)box->x0 * bytes;

		if (rop3 == VVMI_ROP3_SRCCOPY) {
			memmove(to, from, row_bytes);
			continue;
		}
		/* The source row may be the destination's, shifted. */
		memcpy(row_copy, from, row_bytes);
		rop3_row(dst, box->x0, box->y0 + (int32_t)r, (unsigned)(box->x1 - box->x0), rop3,
			 pattern, (const uint8_t *)row_copy);
	}
	damage_box(dst, box);
}

void vman_raster_put_image(struct vman_surface *surface, const struct vman_box *box,
			   const struct vman_heap *heap, uint32_t offset, uint32_t stride,
			   uint8_t rop3)
{
	unsigned bytes = vman_format_bytes(surface->format);
	unsigned width = (unsigned)(box->x1 - box->x0);
	struct vman_pattern black = vman_pattern_solid(0);
	uint32_t row_copy[VVMI_SURFACE_WIDTH_MAX];

	for (int32_t y = box->y0; y < box->y1; y++) {
		uint32_t from = offset + (uint32_t)(y - box->y0) * stride;

		vman_heap_copy(heap, from, row_copy, (size_t)width * bytes);
		if (rop3 == VVMI_ROP3_SRCCOPY) {
			uint32_t values[SPAN];
			uint8_t *to = vman_surface_row(surface, (unsigned)y) + (size_t)box->x0 * bytes;

			/* Through values, which drops XRGB's X bits as every store does. */
			for (unsigned done = 0, n; done < width; done += n) {
				n = width - done < SPAN ? width - done : SPAN;
				span_unpack(surface->format,
					    (const uint8_t *)row_copy + (size_t)done * bytes, n, values);
				span_pack(surface->format, to + (size_t)done * bytes, n, values);
			}
			continue;
		}
		rop3_row(surface, box->x0, y, width, rop3, &black, (const uint8_t *)row_copy);
	}
	damage_box(surface, box);
}
