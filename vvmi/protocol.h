/* protocol.h: VVMI, the video protocol between a guest video driver (guestdrv), the VVMI VDD and VMAN. */
#ifndef MVM_VVMI_PROTOCOL_H
#define MVM_VVMI_PROTOCOL_H

/*
 * Everything here is little-endian, packed as written (every field is
 * naturally aligned), and the same for a 16-bit DOS client, the VDD and
 * VMAN. The guest is untrusted: the host copies each command out of the
 * ring before it looks at it and checks every index, length, rectangle and
 * handle; a bad command costs the guest an error event, never the host.
 *
 * The shared region. The VDD backs VVMI_REGION_SIZE bytes of guest memory
 * at VVMI_REGION_GPA (the upper memory block at D000:0000, so a real-mode
 * program reaches it with one segment) with host pages it shares with VMAN:
 *
 *   0x0000  struct vvmi_region_header
 *   0x0040  command ring, VVMI_CMD_RING_BYTES in all: struct vvmi_ring_header,
 *           then VVMI_CMD_RING_BYTES - 32 bytes of data
 *   0x2040  event ring, VVMI_EVENT_RING_BYTES in all: struct vvmi_ring_header,
 *           then VVMI_EVENT_RING_BYTES - 32 bytes of data
 *   0x3000  heap: bitmaps, fonts, strings, pointer masks, referenced by
 *           offset from the start of the region, never copied through a ring
 *
 * The doorbell. The guest writes any value to VVMI_PORT_DOORBELL after it
 * advanced the command ring's head; the host then executes every complete
 * command up to head. Reading VVMI_PORT_ID gives VVMI_ID when the VDD is
 * there (an absent port reads 0xFFFF); it is also a driver's open: the host
 * writes the region's headers afresh and empties both rings (the firmware's
 * POST may have written over upper memory since the machine started).
 */

#include <stdint.h>

#define VVMI_REGION_GPA 0xD0000u
#define VVMI_REGION_SIZE 0x10000u
#define VVMI_REGION_SEGMENT 0xD000u

/* 0x5650-0x5651 ("VP"): VVMI's doorbell (write) and identification (read). */
#define VVMI_PORT_DOORBELL 0x5650u
#define VVMI_PORT_ID 0x5650u
#define VVMI_ID 0x5656u

#define VVMI_MAGIC 0x494D5656u /* "VVMI" */
#define VVMI_VERSION 1u

#define VVMI_CMD_RING_OFFSET 0x0040u
#define VVMI_CMD_RING_BYTES 0x2000u
#define VVMI_EVENT_RING_OFFSET 0x2040u
#define VVMI_EVENT_RING_BYTES 0x0F00u
#define VVMI_HEAP_OFFSET 0x3000u
#define VVMI_HEAP_BYTES (VVMI_REGION_SIZE - VVMI_HEAP_OFFSET)

/* Written by the VDD when the machine starts; the guest checks magic and
 * version before it uses anything else. */
struct vvmi_region_header {
	uint32_t magic;          /* VVMI_MAGIC */
	uint16_t version;        /* VVMI_VERSION */
	uint16_t header_bytes;   /* sizeof(struct vvmi_region_header) */
	uint32_t region_bytes;   /* VVMI_REGION_SIZE */
	uint16_t cmd_ring;       /* VVMI_CMD_RING_OFFSET */
	uint16_t event_ring;     /* VVMI_EVENT_RING_OFFSET */
	uint16_t heap;           /* VVMI_HEAP_OFFSET */
	uint16_t heap_bytes_lo;  /* VVMI_HEAP_BYTES (low word; it fits 16 bits) */
	uint32_t reserved[11];
};

/*
 * A ring: one producer, one consumer. head and tail are byte offsets into
 * data, both below size; the producer writes records at head and then
 * advances it, the consumer reads at tail and then advances it. head ==
 * tail is empty; the producer keeps one 4-byte slot free, so a full ring
 * has head just behind tail. Records start on 4-byte boundaries and never
 * wrap: a producer that cannot fit a record before the end writes a
 * VVMI_CMD_PAD record filling the rest (or, with fewer than 4 bytes left,
 * which cannot happen as everything is a multiple of 4, nothing) and starts
 * again at 0.
 *
 * The command ring's producer is the guest, the event ring's the host.
 * Each side keeps its own index and only writes it to the header; the
 * host also keeps the sizes, and treats a command ring header that is not
 * what it wrote (magic, version, size, tail) or a head past size or not a
 * multiple of 4 as corrupt: VVMI_ERROR_RING, and the ring is empty again
 * (tail = head, or both 0 when head is unusable), so the guest then
 * re-reads head and tail. An event ring tail past size or not a multiple
 * of 4 counts as full.
 */
struct vvmi_ring_header {
	uint32_t magic;  /* VVMI_MAGIC */
	uint16_t version;
	uint16_t reserved;
	uint32_t size;   /* bytes of data after this header: the ring's bytes less 32 */
	uint32_t head;   /* producer's offset */
	uint32_t tail;   /* consumer's offset */
	uint32_t dropped; /* events only: how many the host could not fit since the
			     region was set up (the host's count, rewritten) */
	uint32_t reserved2[2];
};

/* Every record starts with this; length counts the header, is a multiple
 * of 4 and at least 4. */
struct vvmi_record {
	uint16_t length;
	uint16_t opcode;
};

/* Pixel formats of a surface. */
enum vvmi_format {
	VVMI_FORMAT_I8 = 1,       /* 8-bit index into the surface's palette */
	VVMI_FORMAT_RGB565 = 2,
	VVMI_FORMAT_XRGB8888 = 3,
};

/* Colours in commands are pixel values in the surface's format (an index
 * for I8, as a Windows or OS/2 driver passes them); palette entries are
 * XRGB8888. */

/* A rectangle: x, y its top-left corner, w and h its size (0 is empty). */
struct vvmi_rect {
	int16_t x, y;
	uint16_t w, h;
};

/* Surfaces are named by the guest: id 0 is the VM's screen (it exists from
 * the start, as the VGA screen); 1..VVMI_SURFACES_MAX-1 are the guest's
 * windows and off-screen bitmaps. */
#define VVMI_SURFACES_MAX 256u
#define VVMI_SURFACE_SCREEN 0u
#define VVMI_SURFACE_WIDTH_MAX 4096u
#define VVMI_SURFACE_HEIGHT_MAX 4096u

enum vvmi_surface_kind {
	VVMI_SURFACE_BITMAP = 0, /* off-screen: a source for blits, never shown */
	VVMI_SURFACE_WINDOW = 1, /* a top-level guest window, shown where the guest puts it */
};

/*
 * Raster operations, as Windows numbers them. rop3 (0x00-0xFF) combines
 * pattern P, source S and destination D bit by bit: the result bit is bit
 * ((P << 2) | (S << 1) | D) of rop3 (SRCCOPY 0xCC, PATCOPY 0xF0). rop2
 * (1-16, R2_BLACK to R2_WHITE) combines the pen or colour P with D: the
 * result bit is bit ((P << 1) | D) of (rop2 - 1) (R2_COPYPEN 13, R2_XORPEN 7).
 */
#define VVMI_ROP3_BLACKNESS 0x00u
#define VVMI_ROP3_NOTSRCERASE 0x11u
#define VVMI_ROP3_NOTSRCCOPY 0x33u
#define VVMI_ROP3_SRCERASE 0x44u
#define VVMI_ROP3_DSTINVERT 0x55u
#define VVMI_ROP3_PATINVERT 0x5Au
#define VVMI_ROP3_SRCINVERT 0x66u
#define VVMI_ROP3_SRCAND 0x88u
#define VVMI_ROP3_MERGEPAINT 0xBBu
#define VVMI_ROP3_MERGECOPY 0xC0u
#define VVMI_ROP3_SRCCOPY 0xCCu
#define VVMI_ROP3_SRCPAINT 0xEEu
#define VVMI_ROP3_PATCOPY 0xF0u
#define VVMI_ROP3_PATPAINT 0xFBu
#define VVMI_ROP3_WHITENESS 0xFFu

#define VVMI_ROP2_BLACK 1u
#define VVMI_ROP2_COPYPEN 13u
#define VVMI_ROP2_XORPEN 7u
#define VVMI_ROP2_WHITE 16u

/* Commands (guest to host). Each is a struct vvmi_record followed by the
 * body named in the comment; length is sizeof(record) + sizeof(body)
 * rounded up to 4, plus what the body says follows it. */
enum vvmi_opcode {
	VVMI_CMD_PAD = 0,             /* nothing: skip length bytes */
	VVMI_CMD_SURFACE_CREATE = 1,  /* vvmi_surface_create */
	VVMI_CMD_SURFACE_DESTROY = 2, /* vvmi_surface_ref */
	VVMI_CMD_SET_MODE = 3,        /* vvmi_set_mode: the screen's size and format */
	VVMI_CMD_PALETTE = 4,         /* vvmi_palette, then count uint32_t XRGB entries */
	VVMI_CMD_FILL = 5,            /* vvmi_fill: solid colour through a rop2 */
	VVMI_CMD_PATTERN_FILL = 6,    /* vvmi_pattern_fill: 8x8 mono pattern through a rop3 */
	VVMI_CMD_BITBLT = 7,          /* vvmi_bitblt: surface to surface, with an optional pattern */
	VVMI_CMD_PUT_IMAGE = 8,       /* vvmi_put_image: from the heap, through a rop3 */
	VVMI_CMD_LINE = 9,            /* vvmi_line: Bresenham, clipped, through a rop2 */
	VVMI_CMD_TEXT = 10,           /* vvmi_text: glyphs of a heap font */
	VVMI_CMD_POINTER_SHAPE = 11,  /* vvmi_pointer_shape: AND and XOR masks in the heap */
	VVMI_CMD_POINTER_POS = 12,    /* vvmi_pointer_pos */
	VVMI_CMD_WINDOW_MOVE = 13,    /* vvmi_window_move */
	VVMI_CMD_WINDOW_RESIZE = 14,  /* vvmi_window_resize */
	VVMI_CMD_WINDOW_RAISE = 15,   /* vvmi_surface_ref: to the top of the guest's windows */
	VVMI_CMD_WINDOW_TITLE = 16,   /* vvmi_window_title: text in the heap */
	VVMI_CMD_WINDOW_REGION = 17,  /* vvmi_window_region, then count vvmi_rect */
	VVMI_CMD_WINDOW_VISIBLE = 18, /* vvmi_window_visible */
	VVMI_CMD_PRESENT = 19,        /* vvmi_present: show what was drawn; answered by PRESENTED */
	VVMI_CMD_COUNT
};

struct vvmi_surface_ref {
	uint16_t surface;
	uint16_t reserved;
};

struct vvmi_surface_create {
	uint16_t surface;  /* 1..VVMI_SURFACES_MAX-1, not in use */
	uint8_t kind;      /* enum vvmi_surface_kind */
	uint8_t format;    /* enum vvmi_format */
	uint16_t width, height;
	int16_t x, y;      /* windows: where on the guest's desktop */
};

struct vvmi_set_mode {
	uint16_t width, height; /* 1..the maxima */
	uint8_t format;
	uint8_t reserved[3];
};

struct vvmi_palette {
	uint16_t surface;
	uint8_t first;      /* first entry */
	uint8_t reserved;
	uint16_t count;     /* 1..256, first + count <= 256 */
	uint16_t reserved2;
};

struct vvmi_fill {
	uint16_t surface;
	uint8_t rop2;
	uint8_t reserved;
	struct vvmi_rect rect;
	uint32_t color;
};

struct vvmi_pattern_fill {
	uint16_t surface;
	uint8_t rop3;       /* over P and D: one that depends on S is VVMI_ERROR_VALUE */
	uint8_t reserved;
	struct vvmi_rect rect;
	uint32_t fg, bg;    /* pattern bit 1 is fg, 0 is bg */
	uint8_t pattern[8]; /* rows top to bottom, bit 7 leftmost; aligned to the surface's (0,0) */
};

struct vvmi_bitblt {
	uint16_t dst, src;
	struct vvmi_rect rect; /* on dst */
	int16_t src_x, src_y;
	uint8_t rop3;
	uint8_t has_pattern;   /* 0: pattern is solid pattern_fg */
	uint8_t reserved[2];
	uint32_t pattern_fg, pattern_bg;
	uint8_t pattern[8];
};

struct vvmi_put_image {
	uint16_t surface;
	uint8_t rop3;        /* S is the image; P is solid 0 */
	uint8_t format;      /* the image's, which must be the surface's */
	struct vvmi_rect rect;
	uint32_t offset;     /* from the region's start; the image lies in the heap */
	uint16_t stride;     /* bytes per row */
	uint16_t reserved;
};

struct vvmi_line {
	uint16_t surface;
	uint8_t rop2;
	uint8_t reserved;
	int16_t x0, y0, x1, y1; /* both ends drawn */
	uint32_t color;
};

/* A font in the heap: count glyphs of width <= 8 and height rows, one byte
 * per row, bit 7 leftmost, glyph c at font + (c - first) * height. */
struct vvmi_text {
	uint16_t surface;
	uint8_t transparent; /* 1: background pixels left alone */
	uint8_t reserved;
	int16_t x, y;        /* top-left of the first glyph */
	uint32_t fg, bg;
	uint32_t font;       /* offset of the glyphs */
	uint8_t glyph_width, glyph_height, first, count;
	uint32_t string;     /* offset of the characters */
	uint16_t length;     /* characters */
	uint16_t reserved2;
};

/* AND and XOR masks, one bit per pixel, rows of ceil(width / 8) bytes, AND
 * rows first: screen = (screen AND and) XOR xor, as a VGA cursor. */
struct vvmi_pointer_shape {
	uint16_t width, height; /* at most 64 x 64 */
	uint16_t hot_x, hot_y;
	uint32_t masks;         /* offset of the AND mask, the XOR mask after it */
};

struct vvmi_pointer_pos {
	int16_t x, y;
	uint8_t visible;
	uint8_t reserved[3];
};

struct vvmi_window_move {
	uint16_t surface;
	uint16_t reserved;
	int16_t x, y;
};

struct vvmi_window_resize {
	uint16_t surface;
	uint16_t width, height;
	uint16_t reserved;
};

struct vvmi_window_title {
	uint16_t surface;
	uint16_t length;   /* bytes, at most 255; Latin-1 (code page 437 is mapped) */
	uint32_t text;     /* offset */
};

/* The part of a window that is not covered by others of the guest's, in
 * window coordinates; count 0 is "all of it". At most 64 rectangles. */
struct vvmi_window_region {
	uint16_t surface;
	uint16_t count;
};

struct vvmi_window_visible {
	uint16_t surface;
	uint8_t visible;
	uint8_t reserved;
};

struct vvmi_present {
	uint32_t sequence; /* echoed in the PRESENTED event */
};

/* Events (host to guest). */
enum vvmi_event_type {
	VVMI_EVENT_PAD = 0,
	VVMI_EVENT_POINTER = 1,   /* vvmi_event_pointer */
	VVMI_EVENT_KEY = 2,       /* vvmi_event_key */
	VVMI_EVENT_FOCUS = 3,     /* vvmi_event_surface (+ value: 1 gained, 0 lost) */
	VVMI_EVENT_MOVED = 4,     /* vvmi_event_geometry: the host moved a window */
	VVMI_EVENT_RESIZED = 5,   /* vvmi_event_geometry */
	VVMI_EVENT_CLOSED = 6,    /* vvmi_event_surface: the user closed a window */
	VVMI_EVENT_PRESENTED = 7, /* vvmi_event_presented: the back-pressure signal */
	VVMI_EVENT_ERROR = 8,     /* vvmi_event_error */
};

struct vvmi_event_pointer {
	uint16_t surface;   /* the window under the pointer, 0 for the screen */
	uint16_t buttons;   /* bit 0 left, 1 right, 2 middle */
	int16_t x, y;       /* in that surface */
};

struct vvmi_event_key {
	uint16_t scancode;  /* PC set 1; 0xE0 prefix in the high byte */
	uint8_t pressed;
	uint8_t reserved;
};

struct vvmi_event_surface {
	uint16_t surface;
	uint16_t value;
};

struct vvmi_event_geometry {
	uint16_t surface;
	uint16_t reserved;
	struct vvmi_rect rect;
};

struct vvmi_event_presented {
	uint32_t sequence;
};

/* Why a command failed. */
enum vvmi_error_code {
	VVMI_ERROR_LENGTH = 1,   /* a record's length is not a multiple of 4, too short for its
				    body, or passes the ring's head or end; the last cannot
				    be stepped over, so the host drops the rest (tail = head) */
	VVMI_ERROR_OPCODE = 2,   /* unknown opcode */
	VVMI_ERROR_SURFACE = 3,  /* no such surface, or it is in use, or the wrong kind */
	VVMI_ERROR_VALUE = 4,    /* a field out of range (format, rop, size, palette range) */
	VVMI_ERROR_HEAP = 5,     /* an offset and length that leave the heap */
	VVMI_ERROR_RING = 6,     /* the command ring's header is corrupt (see struct
				    vvmi_ring_header): the host resets the ring to empty */
	VVMI_ERROR_MEMORY = 7,   /* the host could not allocate the surface */
	VVMI_ERROR_DISPLAY = 8,  /* the host's display failed (the vman service went away) */
};

struct vvmi_event_error {
	uint16_t opcode;    /* of the command that failed; 0 for VVMI_ERROR_RING */
	uint16_t code;      /* enum vvmi_error_code */
	uint32_t offset;    /* the command's offset in the ring's data; for
			       VVMI_ERROR_RING, where the host's tail was */
};

#endif
