/* surface.c: a client's surfaces: pixel buffers wrapped for pixman, palettes, damage and the windows' stacking order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "surface.h"

/* The default palette: the VGA's 16 colours (as its BIOS loads the DAC for
 * the 16-colour modes), then black. */
static const uint32_t vga_colours[16] = {
	0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
	0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF,
};

/* pixman reads a palette entry as a8r8g8b8: opaque. */
#define PALETTE_ALPHA 0xFF000000u

bool vman_format_valid(unsigned format)
{
	return format == VVMI_FORMAT_I8 || format == VVMI_FORMAT_RGB565 ||
	       format == VVMI_FORMAT_XRGB8888;
}

unsigned vman_format_bytes(enum vvmi_format format)
{
	switch (format) {
	case VVMI_FORMAT_I8:
		return 1;
	case VVMI_FORMAT_RGB565:
		return 2;
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	return 4;
}

uint32_t vman_format_mask(enum vvmi_format format)
{
	switch (format) {
	case VVMI_FORMAT_I8:
		return 0xFFu;
	case VVMI_FORMAT_RGB565:
		return 0xFFFFu;
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	return 0xFFFFFFu;
}

static pixman_format_code_t pixman_format(enum vvmi_format format)
{
	switch (format) {
	case VVMI_FORMAT_I8:
		return PIXMAN_c8;
	case VVMI_FORMAT_RGB565:
		return PIXMAN_r5g6b5;
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	return PIXMAN_x8r8g8b8;
}

/* What a size and format need: swapped in whole, so that a failed
 * allocation leaves the surface as it was. */
struct surface_storage {
	uint8_t *pixels;
	size_t stride;
	pixman_image_t *image;
	pixman_indexed_t *indexed;
};

static size_t storage_stride(enum vvmi_format format, unsigned width)
{
	return ((size_t)width * vman_format_bytes(format) + 3u) & ~(size_t)3u;
}

static void storage_free(struct surface_storage *storage)
{
	if (storage->image)
		pixman_image_unref(storage->image);
	free(storage->indexed);
	free(storage->pixels);
}

static void palette_reset(pixman_indexed_t *indexed)
{
	memset(indexed, 0, sizeof(*indexed));
	for (unsigned i = 0; i < VMAN_PALETTE_SIZE; i++)
		indexed->rgba[i] = PALETTE_ALPHA | (i < 16 ? vga_colours[i] : 0);
}

/* Zeroed pixels; an I8 surface gets the default palette. */
static int storage_alloc(struct surface_storage *storage, enum vvmi_format format,
			 unsigned width, unsigned height)
{
	*storage = (struct surface_storage){.stride = storage_stride(format, width)};
	storage->pixels = calloc(height, storage->stride);
	if (!storage->pixels)
		goto fail;
	if (format == VVMI_FORMAT_I8) {
		storage->indexed = malloc(sizeof(*storage->indexed));
		if (!storage->indexed)
			goto fail;
		palette_reset(storage->indexed);
	}
	storage->image = pixman_image_create_bits(pixman_format(format), (int)width, (int)height,
						  (uint32_t *)storage->pixels, (int)storage->stride);
	if (!storage->image)
		goto fail;
	if (storage->indexed)
		pixman_image_set_indexed(storage->image, storage->indexed);
	return 0;
fail:
	storage_free(storage);
	return -ENOMEM;
}

/* Swaps storage in and gives the old one back in its place. */
static void surface_swap_storage(struct vman_surface *surface, struct surface_storage *storage,
				 enum vvmi_format format, unsigned width, unsigned height)
{
	struct surface_storage old = {surface->pixels, surface->stride, surface->image,
				      surface->indexed};

	surface->pixels = storage->pixels;
	surface->stride = storage->stride;
	surface->image = storage->image;
	surface->indexed = storage->indexed;
	surface->format = format;
	surface->width = width;
	surface->height = height;
	*storage = old;
	pixman_region32_clear(&surface->damage);
	vman_surface_damage(surface, 0, 0, width, height);
}

static size_t surface_bytes(const struct vman_surface *surface)
{
	return surface->stride * surface->height;
}

/* Whether replacing old_bytes of the client's pixels by new_bytes stays in budget. */
static bool budget_allows(const struct vman_surfaces *surfaces, size_t old_bytes,
			  size_t new_bytes)
{
	return surfaces->pixel_bytes - old_bytes + new_bytes <= VMAN_CLIENT_PIXEL_BYTES_MAX;
}

int vman_surfaces_init(struct vman_surfaces *surfaces)
{
	*surfaces = (struct vman_surfaces){0};
	return vman_surfaces_create(surfaces, VVMI_SURFACE_SCREEN, VMAN_SURFACE_SCREEN,
				    VVMI_FORMAT_XRGB8888, VMAN_SCREEN_WIDTH_DEFAULT,
				    VMAN_SCREEN_HEIGHT_DEFAULT, 0, 0);
}

void vman_surfaces_finish(struct vman_surfaces *surfaces)
{
	for (unsigned id = 0; id < VVMI_SURFACES_MAX; id++) {
		if (surfaces->by_id[id])
			vman_surfaces_destroy(surfaces, surfaces->by_id[id]);
	}
}

struct vman_surface *vman_surfaces_get(const struct vman_surfaces *surfaces, unsigned id)
{
	return id < VVMI_SURFACES_MAX ? surfaces->by_id[id] : NULL;
}

int vman_surfaces_create(struct vman_surfaces *surfaces, uint16_t id, enum vman_surface_role role,
			 enum vvmi_format format, unsigned width, unsigned height, int32_t x,
			 int32_t y)
{
	struct surface_storage storage;
	struct vman_surface *surface;

	if (!budget_allows(surfaces, 0, storage_stride(format, width) * height))
		return -ENOMEM;
	surface = calloc(1, sizeof(*surface));
	if (!surface)
		return -ENOMEM;
	if (storage_alloc(&storage, format, width, height) < 0) {
		free(surface);
		return -ENOMEM;
	}
	pixman_region32_init(&surface->damage);
	surface_swap_storage(surface, &storage, format, width, height);
	surface->id = id;
	surface->role = role;
	surface->x = x;
	surface->y = y;
	surfaces->by_id[id] = surface;
	surfaces->pixel_bytes += surface_bytes(surface);
	if (role == VMAN_SURFACE_WINDOW) {
		surface->visible = true;
		surfaces->windows[surfaces->window_count++] = (uint8_t)id;
	}
	return 0;
}

/* Takes a window out of the stacking order. */
static void windows_remove(struct vman_surfaces *surfaces, uint16_t id)
{
	unsigned i = 0;

	while (i < surfaces->window_count && surfaces->windows[i] != id)
		i++;
	if (i == surfaces->window_count)
		return;
	memmove(&surfaces->windows[i], &surfaces->windows[i + 1], surfaces->window_count - i - 1);
	surfaces->window_count--;
}

void vman_surfaces_destroy(struct vman_surfaces *surfaces, struct vman_surface *surface)
{
	struct surface_storage storage = {surface->pixels, surface->stride, surface->image,
					  surface->indexed};

	if (surface->role == VMAN_SURFACE_WINDOW)
		windows_remove(surfaces, surface->id);
	surfaces->by_id[surface->id] = NULL;
	surfaces->pixel_bytes -= surface_bytes(surface);
	storage_free(&storage);
	pixman_region32_fini(&surface->damage);
	free(surface);
}

void vman_surfaces_raise(struct vman_surfaces *surfaces, struct vman_surface *window)
{
	windows_remove(surfaces, window->id);
	surfaces->windows[surfaces->window_count++] = (uint8_t)window->id;
}

int vman_surface_set_mode(struct vman_surfaces *surfaces, struct vman_surface *surface,
			  enum vvmi_format format, unsigned width, unsigned height)
{
	struct surface_storage storage;
	size_t old_bytes = surface_bytes(surface);

	if (!budget_allows(surfaces, old_bytes, storage_stride(format, width) * height))
		return -ENOMEM;
	if (storage_alloc(&storage, format, width, height) < 0)
		return -ENOMEM;
	surface_swap_storage(surface, &storage, format, width, height);
	storage_free(&storage);
	surfaces->pixel_bytes = surfaces->pixel_bytes - old_bytes + surface_bytes(surface);
	return 0;
}

int vman_surface_resize(struct vman_surfaces *surfaces, struct vman_surface *surface,
			unsigned width, unsigned height)
{
	struct surface_storage storage;
	size_t old_bytes = surface_bytes(surface);
	unsigned kept_rows = height < surface->height ? height : surface->height;
	size_t kept_bytes = (size_t)(width < surface->width ? width : surface->width) *
			    vman_format_bytes(surface->format);

	if (!budget_allows(surfaces, old_bytes, storage_stride(surface->format, width) * height))
		return -ENOMEM;
	if (storage_alloc(&storage, surface->format, width, height) < 0)
		return -ENOMEM;
	for (unsigned y = 0; y < kept_rows; y++)
		memcpy(storage.pixels + y * storage.stride, vman_surface_row(surface, y), kept_bytes);
	if (storage.indexed)
		memcpy(storage.indexed, surface->indexed, sizeof(*storage.indexed));
	surface_swap_storage(surface, &storage, surface->format, width, height);
	storage_free(&storage);
	surfaces->pixel_bytes = surfaces->pixel_bytes - old_bytes + surface_bytes(surface);
	return 0;
}

void vman_surface_set_palette(struct vman_surface *surface, unsigned first, unsigned count,
			      const uint32_t *xrgb)
{
	for (unsigned i = 0; i < count; i++)
		surface->indexed->rgba[first + i] = PALETTE_ALPHA | (xrgb[i] & 0xFFFFFFu);
	vman_surface_damage(surface, 0, 0, surface->width, surface->height);
}

uint32_t vman_surface_palette_entry(const struct vman_surface *surface, unsigned index)
{
	return surface->indexed->rgba[index] & 0xFFFFFFu;
}

uint8_t *vman_surface_row(const struct vman_surface *surface, unsigned y)
{
	return surface->pixels + (size_t)y * surface->stride;
}

uint32_t vman_surface_read(const struct vman_surface *surface, unsigned x, unsigned y)
{
	const uint8_t *row = vman_surface_row(surface, y);

	switch (surface->format) {
	case VVMI_FORMAT_I8:
		return row[x];
	case VVMI_FORMAT_RGB565:
		return ((const uint16_t *)row)[x];
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	return ((const uint32_t *)row)[x] & 0xFFFFFFu;
}

void vman_surface_write(struct vman_surface *surface, unsigned x, unsigned y, uint32_t value)
{
	uint8_t *row = vman_surface_row(surface, y);

	switch (surface->format) {
	case VVMI_FORMAT_I8:
		row[x] = (uint8_t)value;
		return;
	case VVMI_FORMAT_RGB565:
		((uint16_t *)row)[x] = (uint16_t)value;
		return;
	case VVMI_FORMAT_XRGB8888:
		break;
	}
	((uint32_t *)row)[x] = value & 0xFFFFFFu;
}

void vman_surface_damage(struct vman_surface *surface, int32_t x, int32_t y, uint32_t width,
			 uint32_t height)
{
	pixman_region32_union_rect(&surface->damage, &surface->damage, x, y, width, height);
}

void vman_surface_damage_clear(struct vman_surface *surface)
{
	pixman_region32_clear(&surface->damage);
}
