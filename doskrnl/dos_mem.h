/* dos_mem.h: guest memory as the DOS kernel reads and writes it (real-mode linear addresses). */
#ifndef MVM_DOS_MEM_H
#define MVM_DOS_MEM_H

#include <stddef.h>
#include <stdint.h>

/* The first megabyte plus the HMA: all a real-mode program can address. */
#define DOS_MEM_LIMIT 0x10FFF0u

/* Reads and writes fail (return nonzero) when the range is not all RAM or
 * passes DOS_MEM_LIMIT; the VDD backs them with read_guest/write_guest, the
 * unit tests with an array. */
struct dos_mem {
	int (*read)(void *opaque, uint32_t linear, void *buf, size_t len);
	int (*write)(void *opaque, uint32_t linear, const void *buf, size_t len);
	void *opaque;
};

static inline uint32_t dos_linear(uint16_t segment, uint16_t offset)
{
	return ((uint32_t)segment << 4) + offset;
}

static inline int dos_mem_read(const struct dos_mem *m, uint32_t linear, void *buf, size_t len)
{
	if (linear > DOS_MEM_LIMIT || len > DOS_MEM_LIMIT - linear)
		return -1;
	return m->read(m->opaque, linear, buf, len);
}

static inline int dos_mem_write(const struct dos_mem *m, uint32_t linear, const void *buf,
				size_t len)
{
	if (linear > DOS_MEM_LIMIT || len > DOS_MEM_LIMIT - linear)
		return -1;
	return m->write(m->opaque, linear, buf, len);
}

/* Little-endian words and dwords in a host copy of guest data. */
static inline uint16_t dos_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t dos_get32(const uint8_t *p)
{
	return (uint32_t)dos_get16(p) | (uint32_t)dos_get16(p + 2) << 16;
}

static inline void dos_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void dos_put32(uint8_t *p, uint32_t v)
{
	dos_put16(p, (uint16_t)v);
	dos_put16(p + 2, (uint16_t)(v >> 16));
}

/* Little-endian words in guest memory: 0 on success. */
static inline int dos_mem_read16(const struct dos_mem *m, uint32_t linear, uint16_t *v)
{
	uint8_t b[2];
	if (dos_mem_read(m, linear, b, 2))
		return -1;
	*v = dos_get16(b);
	return 0;
}

static inline int dos_mem_write16(const struct dos_mem *m, uint32_t linear, uint16_t v)
{
	uint8_t b[2];
	dos_put16(b, v);
	return dos_mem_write(m, linear, b, 2);
}

static inline int dos_mem_write8(const struct dos_mem *m, uint32_t linear, uint8_t v)
{
	return dos_mem_write(m, linear, &v, 1);
}

static inline int dos_mem_read8(const struct dos_mem *m, uint32_t linear, uint8_t *v)
{
	return dos_mem_read(m, linear, v, 1);
}

#endif
