/* text.c: strings in a guest's mono font (one byte per glyph row, bit 7 leftmost), opaque or transparent, clipped. */
#include "raster.h"

/* One character cell at (x, y), the parts outside the surface skipped. */
static void draw_cell(struct vman_surface *surface, const struct vman_text_run *run,
		      const struct vman_heap *heap, int32_t x, uint8_t character)
{
	bool in_font = character >= run->first && character - run->first < run->count;
	uint32_t glyph = in_font ? run->font + (character - run->first) * run->glyph_height : 0;

	for (unsigned row = 0; row < run->glyph_height; row++) {
		int32_t y = run->y + (int32_t)row;
		uint8_t bits;

		if (y < 0 || y >= (int32_t)surface->height)
			continue;
		bits = in_font ? vman_heap_byte(heap, glyph + row) : 0;
		for (unsigned column = 0; column < run->glyph_width; column++) {
			int32_t px = x + (int32_t)column;
			bool set = bits >> (7 - column) & 1u;

			if (px < 0 || px >= (int32_t)surface->width || (!set && run->transparent))
				continue;
			vman_surface_write(surface, (unsigned)px, (unsigned)y, set ? run->fg : run->bg);
		}
	}
}

void vman_raster_text(struct vman_surface *surface, const struct vman_text_run *run,
		      const struct vman_heap *heap)
{
	int32_t width = (int32_t)run->glyph_width;
	struct vman_box box = {run->x, run->y, run->x + (int32_t)run->length * width,
			       run->y + (int32_t)run->glyph_height};

	vman_box_clip(&box, surface->width, surface->height);
	if (vman_box_empty(&box))
		return;
	for (unsigned i = 0; i < run->length; i++) {
		int32_t x = run->x + (int32_t)i * width;

		/* Only the characters whose cells reach into the surface are read. */
		if (x + width <= 0 || x >= (int32_t)surface->width)
			continue;
		draw_cell(surface, run, heap, x, vman_heap_byte(heap, run->string + i));
	}
	vman_surface_damage(surface, box.x0, box.y0, (uint32_t)(box.x1 - box.x0),
			    (uint32_t)(box.y1 - box.y0));
}
