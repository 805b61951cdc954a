/* ghi.c: vman_ghi, the one entry point for VVMI commands: decodes a body, checks all of it, then changes state or draws. */
#include <string.h>

#include "heap.h"
#include "raster.h"
#include "vman_internal.h"

/*
 * Every handler checks the whole command before it changes anything, so a
 * bad one returns an enum vvmi_error_code and leaves no trace. The body was
 * copied out of the ring but may be unaligned: handlers memcpy it into the
 * struct. Rectangles are clipped to the surface, never an error. A
 * command's surface is checked first (VVMI_ERROR_SURFACE), by vman_ghi.
 */

/* target is the surface the body's first field names, looked up by
 * vman_ghi for the commands whose table row asks for one (else NULL). */
typedef int ghi_handler(struct vman_client *client, struct vman_surface *target,
			const void *body, size_t len, const struct vman_heap *heap);

static struct vman_surface *surface_get(const struct vman_client *client, unsigned id)
{
	return vman_surfaces_get(&client->surfaces, id);
}

static bool size_valid(unsigned width, unsigned height)
{
	return width >= 1 && width <= VVMI_SURFACE_WIDTH_MAX && height >= 1 &&
	       height <= VVMI_SURFACE_HEIGHT_MAX;
}

/* Flags are 0 or 1; other values are kept for later versions. */
static bool flag_valid(uint8_t flag)
{
	return flag <= 1;
}

static struct vman_pattern pattern_from(uint32_t fg, uint32_t bg, const uint8_t rows[8])
{
	struct vman_pattern pattern = {.fg = fg, .bg = bg};

	memcpy(pattern.rows, rows, sizeof(pattern.rows));
	return pattern;
}

static int ghi_pad(struct vman_client *client, struct vman_surface *target,
		   const void *body, size_t len, const struct vman_heap *heap)
{
	return 0;
}

static int ghi_surface_create(struct vman_client *client, struct vman_surface *target,
			      const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_surface_create cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (cmd.surface == VVMI_SURFACE_SCREEN || cmd.surface >= VVMI_SURFACES_MAX ||
	    surface_get(client, cmd.surface))
		return VVMI_ERROR_SURFACE;
	if ((cmd.kind != VVMI_SURFACE_BITMAP && cmd.kind != VVMI_SURFACE_WINDOW) ||
	    !vman_format_valid(cmd.format) || !size_valid(cmd.width, cmd.height))
		return VVMI_ERROR_VALUE;
	if (vman_surfaces_create(&client->surfaces, cmd.surface,
				 cmd.kind == VVMI_SURFACE_WINDOW ? VMAN_SURFACE_WINDOW
								 : VMAN_SURFACE_BITMAP,
				 cmd.format, cmd.width, cmd.height, cmd.x, cmd.y) < 0)
		return VVMI_ERROR_MEMORY;
	return 0;
}

static int ghi_surface_destroy(struct vman_client *client, struct vman_surface *target,
			       const void *body, size_t len, const struct vman_heap *heap)
{
	if (target->role == VMAN_SURFACE_SCREEN)
		return VVMI_ERROR_SURFACE;
	vman_surfaces_destroy(&client->surfaces, target);
	return 0;
}

static int ghi_set_mode(struct vman_client *client, struct vman_surface *target,
			const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_set_mode cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (!vman_format_valid(cmd.format) || !size_valid(cmd.width, cmd.height))
		return VVMI_ERROR_VALUE;
	if (vman_surface_set_mode(&client->surfaces, surface_get(client, VVMI_SURFACE_SCREEN),
				  cmd.format, cmd.width, cmd.height) < 0)
		return VVMI_ERROR_MEMORY;
	client->driver_owns_screen = true;
	return 0;
}

static int ghi_palette(struct vman_client *client, struct vman_surface *target,
		       const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_palette cmd;
	uint32_t entries[VMAN_PALETTE_SIZE];

	memcpy(&cmd, body, sizeof(cmd));
	if (target->format != VVMI_FORMAT_I8 || cmd.count < 1 ||
	    cmd.first + cmd.count > VMAN_PALETTE_SIZE)
		return VVMI_ERROR_VALUE;
	if (len < sizeof(cmd) + cmd.count * sizeof(entries[0]))
		return VVMI_ERROR_LENGTH;
	memcpy(entries, (const uint8_t *)body + sizeof(cmd), cmd.count * sizeof(entries[0]));
	vman_surface_set_palette(target, cmd.first, cmd.count, entries);
	return 0;
}

static int ghi_fill(struct vman_client *client, struct vman_surface *target,
		    const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_fill cmd;
	struct vman_box box;

	memcpy(&cmd, body, sizeof(cmd));
	if (!vman_rop2_valid(cmd.rop2))
		return VVMI_ERROR_VALUE;
	box = vman_box_from_rect(&cmd.rect);
	vman_box_clip(&box, target->width, target->height);
	if (!vman_box_empty(&box))
		vman_raster_fill(target, &box, cmd.rop2, cmd.color);
	return 0;
}

static int ghi_pattern_fill(struct vman_client *client, struct vman_surface *target,
			    const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_pattern_fill cmd;
	struct vman_pattern pattern;
	struct vman_box box;

	memcpy(&cmd, body, sizeof(cmd));
	if (vman_rop3_uses_source(cmd.rop3))
		return VVMI_ERROR_VALUE;
	pattern = pattern_from(cmd.fg, cmd.bg, cmd.pattern);
	box = vman_box_from_rect(&cmd.rect);
	vman_box_clip(&box, target->width, target->height);
	if (!vman_box_empty(&box))
		vman_raster_pattern_fill(target, &box, cmd.rop3, &pattern);
	return 0;
}

/* Cuts the destination box to what both surfaces hold, moving the source
 * corner with it. */
static void blit_clip(struct vman_box *box, int32_t *src_x, int32_t *src_y,
		      const struct vman_surface *dst, const struct vman_surface *src)
{
	int32_t dx = *src_x - box->x0, dy = *src_y - box->y0;
	struct vman_box in_src = {box->x0 + dx, box->y0 + dy, box->x1 + dx, box->y1 + dy};

	vman_box_clip(&in_src, src->width, src->height);
	*box = (struct vman_box){in_src.x0 - dx, in_src.y0 - dy, in_src.x1 - dx, in_src.y1 - dy};
	vman_box_clip(box, dst->width, dst->height);
	*src_x = box->x0 + dx;
	*src_y = box->y0 + dy;
}

/* A rop3 that does not read the source does not look at src at all. */
static int ghi_bitblt(struct vman_client *client, struct vman_surface *target,
		      const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_bitblt cmd;
	struct vman_surface *dst = target, *src = NULL;
	struct vman_pattern pattern;
	struct vman_box box;
	int32_t src_x, src_y;

	memcpy(&cmd, body, sizeof(cmd));
	if (vman_rop3_uses_source(cmd.rop3)) {
		src = surface_get(client, cmd.src);
		if (!src)
			return VVMI_ERROR_SURFACE;
		if (src->format != dst->format)
			return VVMI_ERROR_VALUE;
	}
	if (!flag_valid(cmd.has_pattern))
		return VVMI_ERROR_VALUE;
	pattern = cmd.has_pattern ? pattern_from(cmd.pattern_fg, cmd.pattern_bg, cmd.pattern)
				  : vman_pattern_solid(cmd.pattern_fg);
	box = vman_box_from_rect(&cmd.rect);
	src_x = cmd.src_x;
	src_y = cmd.src_y;
	if (src)
		blit_clip(&box, &src_x, &src_y, dst, src);
	else
		vman_box_clip(&box, dst->width, dst->height);
	if (!vman_box_empty(&box))
		vman_raster_blit(dst, &box, src, src_x, src_y, cmd.rop3, &pattern);
	return 0;
}

/* The whole image must lie in the heap, also the part clipped away. */
static int ghi_put_image(struct vman_client *client, struct vman_surface *target,
			 const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_put_image cmd;
	struct vman_surface *surface = target;
	struct vman_box box;
	uint64_t row_bytes, image_bytes;
	uint32_t first;
	unsigned bytes;
	int rc;

	memcpy(&cmd, body, sizeof(cmd));
	bytes = vman_format_bytes(surface->format);
	row_bytes = (uint64_t)cmd.rect.w * bytes;
	if (cmd.format != surface->format || cmd.stride < row_bytes)
		return VVMI_ERROR_VALUE;
	image_bytes = cmd.rect.w && cmd.rect.h
			      ? (uint64_t)(cmd.rect.h - 1u) * cmd.stride + row_bytes
			      : 0;
	rc = vman_heap_check(heap, cmd.offset, image_bytes);
	if (rc)
		return rc;
	box = vman_box_from_rect(&cmd.rect);
	vman_box_clip(&box, surface->width, surface->height);
	if (vman_box_empty(&box))
		return 0;
	first = cmd.offset + (uint32_t)(box.y0 - cmd.rect.y) * cmd.stride +
		(uint32_t)(box.x0 - cmd.rect.x) * bytes;
	vman_raster_put_image(surface, &box, heap, first, cmd.stride, cmd.rop3);
	return 0;
}

static int ghi_line(struct vman_client *client, struct vman_surface *target,
		    const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_line cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (!vman_rop2_valid(cmd.rop2))
		return VVMI_ERROR_VALUE;
	vman_raster_line(target, cmd.x0, cmd.y0, cmd.x1, cmd.y1, cmd.rop2, cmd.color);
	return 0;
}

static int ghi_text(struct vman_client *client, struct vman_surface *target,
		    const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_text cmd;
	struct vman_text_run run;
	int rc;

	memcpy(&cmd, body, sizeof(cmd));
	if (!flag_valid(cmd.transparent) || cmd.glyph_width < 1 || cmd.glyph_width > 8 ||
	    cmd.glyph_height < 1 || cmd.count < 1 || cmd.first + cmd.count > 256)
		return VVMI_ERROR_VALUE;
	rc = vman_heap_check(heap, cmd.font, (uint64_t)cmd.count * cmd.glyph_height);
	if (!rc)
		rc = vman_heap_check(heap, cmd.string, cmd.length);
	if (rc)
		return rc;
	run = (struct vman_text_run){
		.x = cmd.x,
		.y = cmd.y,
		.fg = cmd.fg,
		.bg = cmd.bg,
		.transparent = cmd.transparent,
		.font = cmd.font,
		.glyph_width = cmd.glyph_width,
		.glyph_height = cmd.glyph_height,
		.first = cmd.first,
		.count = cmd.count,
		.string = cmd.string,
		.length = cmd.length,
	};
	vman_raster_text(target, &run, heap);
	return 0;
}

static int ghi_pointer_shape(struct vman_client *client, struct vman_surface *target,
			     const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_pointer_shape cmd;
	int rc;

	memcpy(&cmd, body, sizeof(cmd));
	if (cmd.width < 1 || cmd.width > VMAN_POINTER_SIZE_MAX || cmd.height < 1 ||
	    cmd.height > VMAN_POINTER_SIZE_MAX || cmd.hot_x >= cmd.width ||
	    cmd.hot_y >= cmd.height)
		return VVMI_ERROR_VALUE;
	rc = vman_heap_check(heap, cmd.masks,
			     2 * (uint64_t)vman_pointer_mask_bytes(cmd.width, cmd.height));
	if (rc)
		return rc;
	vman_pointer_set_shape(&client->pointer, cmd.width, cmd.height, cmd.hot_x, cmd.hot_y, heap,
			       cmd.masks);
	return 0;
}

static int ghi_pointer_pos(struct vman_client *client, struct vman_surface *target,
			   const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_pointer_pos cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (!flag_valid(cmd.visible))
		return VVMI_ERROR_VALUE;
	client->pointer.x = cmd.x;
	client->pointer.y = cmd.y;
	client->pointer.visible = cmd.visible;
	return 0;
}

static int ghi_window_move(struct vman_client *client, struct vman_surface *target,
			   const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_window_move cmd;

	memcpy(&cmd, body, sizeof(cmd));
	target->x = cmd.x;
	target->y = cmd.y;
	return 0;
}

static int ghi_window_resize(struct vman_client *client, struct vman_surface *target,
			     const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_window_resize cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (!size_valid(cmd.width, cmd.height))
		return VVMI_ERROR_VALUE;
	if (vman_surface_resize(&client->surfaces, target, cmd.width, cmd.height) < 0)
		return VVMI_ERROR_MEMORY;
	return 0;
}

static int ghi_window_raise(struct vman_client *client, struct vman_surface *target,
			    const void *body, size_t len, const struct vman_heap *heap)
{
	vman_surfaces_raise(&client->surfaces, target);
	return 0;
}

static int ghi_window_title(struct vman_client *client, struct vman_surface *target,
			    const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_window_title cmd;
	int rc;

	memcpy(&cmd, body, sizeof(cmd));
	if (cmd.length > VMAN_WINDOW_TITLE_MAX)
		return VVMI_ERROR_VALUE;
	rc = vman_heap_check(heap, cmd.text, cmd.length);
	if (rc)
		return rc;
	vman_heap_copy(heap, cmd.text, target->title, cmd.length);
	target->title[cmd.length] = '\0';
	target->title_length = cmd.length;
	return 0;
}

static int ghi_window_region(struct vman_client *client, struct vman_surface *target,
			     const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_window_region cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (cmd.count > VMAN_WINDOW_REGION_MAX)
		return VVMI_ERROR_VALUE;
	if (len < sizeof(cmd) + cmd.count * sizeof(struct vvmi_rect))
		return VVMI_ERROR_LENGTH;
	memcpy(target->region, (const uint8_t *)body + sizeof(cmd),
	       cmd.count * sizeof(struct vvmi_rect));
	target->region_count = cmd.count;
	return 0;
}

static int ghi_window_visible(struct vman_client *client, struct vman_surface *target,
			      const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_window_visible cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (!flag_valid(cmd.visible))
		return VVMI_ERROR_VALUE;
	target->visible = cmd.visible;
	return 0;
}

static int ghi_present(struct vman_client *client, struct vman_surface *target,
		       const void *body, size_t len, const struct vman_heap *heap)
{
	struct vvmi_present cmd;

	memcpy(&cmd, body, sizeof(cmd));
	if (client->present_count == VMAN_PRESENTS_MAX)
		return VVMI_ERROR_MEMORY;
	client->presents[client->present_count++] = cmd.sequence;
	return 0;
}

/* What the body's first field (a uint16_t surface id) must name. */
enum ghi_target {
	GHI_TARGET_NONE,    /* nothing: the handler reads the body itself */
	GHI_TARGET_SURFACE, /* any surface of the client */
	GHI_TARGET_WINDOW,  /* a window */
};

static const struct ghi_command {
	size_t body_size; /* the least len */
	enum ghi_target target;
	ghi_handler *run;
} ghi_commands[VVMI_CMD_COUNT] = {
	/* nothing: the ring's filler */
	[VVMI_CMD_PAD] = {0, GHI_TARGET_NONE, ghi_pad},
	/* a window or bitmap, id 1..255 */
	[VVMI_CMD_SURFACE_CREATE] = {sizeof(struct vvmi_surface_create),
		GHI_TARGET_NONE, ghi_surface_create},
	[VVMI_CMD_SURFACE_DESTROY] = {sizeof(struct vvmi_surface_ref),
		GHI_TARGET_SURFACE, ghi_surface_destroy},
	/* the screen's size and format, cleared */
	[VVMI_CMD_SET_MODE] = {sizeof(struct vvmi_set_mode), GHI_TARGET_NONE, ghi_set_mode},
	/* then count XRGB entries */
	[VVMI_CMD_PALETTE] = {sizeof(struct vvmi_palette), GHI_TARGET_SURFACE, ghi_palette},
	[VVMI_CMD_FILL] = {sizeof(struct vvmi_fill), GHI_TARGET_SURFACE, ghi_fill},
	[VVMI_CMD_PATTERN_FILL] = {sizeof(struct vvmi_pattern_fill),
		GHI_TARGET_SURFACE, ghi_pattern_fill},
	[VVMI_CMD_BITBLT] = {sizeof(struct vvmi_bitblt), GHI_TARGET_SURFACE, ghi_bitblt},
	/* pixels from the heap */
	[VVMI_CMD_PUT_IMAGE] = {sizeof(struct vvmi_put_image), GHI_TARGET_SURFACE, ghi_put_image},
	[VVMI_CMD_LINE] = {sizeof(struct vvmi_line), GHI_TARGET_SURFACE, ghi_line},
	/* font and string in the heap */
	[VVMI_CMD_TEXT] = {sizeof(struct vvmi_text), GHI_TARGET_SURFACE, ghi_text},
	/* masks in the heap */
	[VVMI_CMD_POINTER_SHAPE] = {sizeof(struct vvmi_pointer_shape),
		GHI_TARGET_NONE, ghi_pointer_shape},
	[VVMI_CMD_POINTER_POS] = {sizeof(struct vvmi_pointer_pos),
		GHI_TARGET_NONE, ghi_pointer_pos},
	[VVMI_CMD_WINDOW_MOVE] = {sizeof(struct vvmi_window_move),
		GHI_TARGET_WINDOW, ghi_window_move},
	/* keeps the pixels that still fit */
	[VVMI_CMD_WINDOW_RESIZE] = {sizeof(struct vvmi_window_resize),
		GHI_TARGET_WINDOW, ghi_window_resize},
	[VVMI_CMD_WINDOW_RAISE] = {sizeof(struct vvmi_surface_ref),
		GHI_TARGET_WINDOW, ghi_window_raise},
	/* text in the heap */
	[VVMI_CMD_WINDOW_TITLE] = {sizeof(struct vvmi_window_title),
		GHI_TARGET_WINDOW, ghi_window_title},
	/* then count rectangles */
	[VVMI_CMD_WINDOW_REGION] = {sizeof(struct vvmi_window_region),
		GHI_TARGET_WINDOW, ghi_window_region},
	[VVMI_CMD_WINDOW_VISIBLE] = {sizeof(struct vvmi_window_visible),
		GHI_TARGET_WINDOW, ghi_window_visible},
	/* answered by PRESENTED after the next frame */
	[VVMI_CMD_PRESENT] = {sizeof(struct vvmi_present), GHI_TARGET_NONE, ghi_present},
};

int vman_ghi(struct vman_client *client, uint16_t opcode, const void *body, size_t len,
	     const struct vman_heap *heap)
{
	const struct ghi_command *command;
	struct vman_surface *target = NULL;

	if (opcode >= VVMI_CMD_COUNT)
		return VVMI_ERROR_OPCODE;
	command = &ghi_commands[opcode];
	if (len < command->body_size)
		return VVMI_ERROR_LENGTH;
	if (command->target != GHI_TARGET_NONE) {
		uint16_t id;

		memcpy(&id, body, sizeof(id));
		target = surface_get(client, id);
		if (!target || (command->target == GHI_TARGET_WINDOW &&
				target->role != VMAN_SURFACE_WINDOW))
			return VVMI_ERROR_SURFACE;
	}
	return command->run(client, target, body, len, heap);
}
