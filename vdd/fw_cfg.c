/* fw_cfg.c: QEMU's firmware configuration device, through which SeaBIOS learns the machine. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vdh.h"

/*
 * The interfaces of QEMU's fw_cfg (docs/specs/fw_cfg.rst in QEMU):
 *   - I/O ports: a 16-bit write to the selector port picks an item and
 *     rewinds it; each byte read from the data port returns the item's next
 *     byte, 00h past its end or when no item has that key. Writes to the
 *     data port are ignored (as in QEMU since 2.4).
 *   - DMA (FW_CFG_ID bit 1): the guest writes the guest-physical address of
 *     a FWCfgDmaAccess (be32 control, be32 length, be64 address) to the
 *     64-bit big-endian register at 514h, high half first; the write of the
 *     low half at 518h runs it. Control may select an item (bits 31-16) and
 *     then read, skip or write length bytes; the device clears control when
 *     done, or leaves the error bit. Reads past an item's end give zeros.
 *     SeaBIOS copies the VGA BIOS this way: one transfer instead of a port
 *     read per byte, each a trap worth a microsecond of virtual time.
 *
 * Items are fixed numbers (signature, ID, RAM size, CPU counts...) and named
 * files listed in the file directory, which SeaBIOS reads as its "romfiles":
 * etc/e820 (the RAM map), etc/show-boot-menu (0: no "Press ESC" pause) and
 * the VGA BIOS as vgaroms/NAME, which SeaBIOS copies to C0000h and runs.
 */

/* 0x510-0x511: selector (16-bit, also written as two bytes), data (8-bit);
 * 0x514-0x51B: the DMA address, big-endian, written as two dwords */
#define FW_CFG_PORT_SELECTOR 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_PORTS 2
#define FW_CFG_PORT_DMA_HIGH 0x514
#define FW_CFG_PORT_DMA_LOW 0x518
#define FW_CFG_DMA_PORTS 8
#define FW_CFG_DMA_SIGNATURE "QEMU CFG" /* what reads of the DMA ports give */

/* FWCfgDmaAccess.control */
#define FW_CFG_DMA_ERROR 0x01u
#define FW_CFG_DMA_READ 0x02u
#define FW_CFG_DMA_SKIP 0x04u
#define FW_CFG_DMA_SELECT 0x08u
#define FW_CFG_DMA_WRITE 0x10u
#define FW_CFG_DMA_ACCESS_SIZE 16

/* Item keys */
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NOGRAPHIC 0x04
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_NUMA 0x0d
#define FW_CFG_BOOT_MENU 0x0e
#define FW_CFG_MAX_CPUS 0x0f
#define FW_CFG_FILE_DIR 0x19
#define FW_CFG_FILE_FIRST 0x20

#define FW_CFG_ID_TRADITIONAL 0x01u      /* the I/O port interface */
#define FW_CFG_ID_DMA 0x02u              /* the DMA interface */
#define FW_CFG_FILE_NAME_SIZE 56          /* a directory entry's name, NUL-padded */
#define FW_CFG_FILE_ENTRY_SIZE (4 + 2 + 2 + FW_CFG_FILE_NAME_SIZE)

/* etc/e820 entries: u64 address, u64 length, u32 type, little-endian, packed */
#define E820_ENTRY_SIZE 20
#define E820_RAM 1

/* A VGA BIOS is an option ROM: 55h AAh, then its size in 512-byte blocks. */
#define OPTION_ROM_MAX (128u << 10)

#define FW_CFG_MAX_ITEMS 16

struct fw_cfg_item {
	uint16_t key;
	const char *file;  /* the name in the file directory, or NULL */
	uint8_t *data;
	uint32_t size;
};

struct fw_cfg {
	struct fw_cfg_item items[FW_CFG_MAX_ITEMS];
	unsigned count;
	uint16_t next_file_key;
	const struct fw_cfg_item *selected;  /* NULL: no such item */
	uint32_t offset;
	uint8_t selector_low;                /* the low byte of a selector written bytewise */
	uint32_t dma_high;                   /* the DMA address's high half, written first */
	struct vdh_dev *dev;
	char vga_name[FW_CFG_FILE_NAME_SIZE]; /* the VGA BIOS's file name */
	char rom_name[FW_CFG_FILE_NAME_SIZE]; /* the other option ROM's */
};

static const struct vdh *vdh;

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_be(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

/* Takes ownership of data (malloc'd). */
static int fw_cfg_add(struct fw_cfg *cfg, uint16_t key, const char *file, uint8_t *data,
		      uint32_t size)
{
	if (!data || cfg->count == FW_CFG_MAX_ITEMS) {
		free(data);
		return -ENOMEM;
	}
	cfg->items[cfg->count++] = (struct fw_cfg_item){ key, file, data, size };
	return 0;
}

static int fw_cfg_add_int(struct fw_cfg *cfg, uint16_t key, uint64_t value, unsigned bytes)
{
	uint8_t *data = malloc(bytes);
	if (data)
		put_le(data, value, bytes);
	return fw_cfg_add(cfg, key, NULL, data, bytes);
}

static int fw_cfg_add_file(struct fw_cfg *cfg, const char *name, uint8_t *data, uint32_t size)
{
	return fw_cfg_add(cfg, cfg->next_file_key++, name, data, size);
}

/* The directory of the files added so far: u32 count, then per file u32
 * size, u16 key, u16 reserved, name; big-endian, as the spec has it. */
static int fw_cfg_add_directory(struct fw_cfg *cfg)
{
	unsigned files = 0;
	uint8_t *dir, *p;

	for (unsigned i = 0; i < cfg->count; i++)
		files += cfg->items[i].file != NULL;
	dir = calloc(1, 4 + (size_t)files * FW_CFG_FILE_ENTRY_SIZE);
	if (!dir)
		return -ENOMEM;
	put_be(dir, files, 4);
	p = dir + 4;
	for (unsigned i = 0; i < cfg->count; i++) {
		const struct fw_cfg_item *item = &cfg->items[i];
		if (!item->file)
			continue;
		put_be(p, item->size, 4);
		put_be(p + 4, item->key, 2);
		snprintf((char *)p + 8, FW_CFG_FILE_NAME_SIZE, "%s", item->file);
		p += FW_CFG_FILE_ENTRY_SIZE;
	}
	return fw_cfg_add(cfg, FW_CFG_FILE_DIR, NULL, dir, 4 + files * FW_CFG_FILE_ENTRY_SIZE);
}

/* Reads an option ROM image whole; refuses what cannot be one. */
static int read_option_rom(struct vdh_dev *dev, const char *what, const char *path,
			   uint8_t **data, uint32_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	int rc = 0;

	if (!f) {
		rc = -errno;
		vdh->log(dev, VDH_LOG_ERROR, "cannot open the %s '%s': %s", what, path,
			 strerror(errno));
		return rc;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 3 ||
	    st.st_size > OPTION_ROM_MAX) {
		vdh->log(dev, VDH_LOG_ERROR,
			 "the %s '%s' is not a regular file of 3 bytes to %u KiB", what, path,
			 OPTION_ROM_MAX >> 10);
		fclose(f);
		return -EINVAL;
	}
	*size = (uint32_t)st.st_size;
	*data = malloc(*size);
	if (!*data || fread(*data, 1, *size, f) != *size) {
		rc = *data ? -EIO : -ENOMEM;
		vdh->log(dev, VDH_LOG_ERROR, "cannot read the %s '%s'", what, path);
	} else if ((*data)[0] != 0x55 || (*data)[1] != 0xAA) {
		rc = -EINVAL;
		vdh->log(dev, VDH_LOG_ERROR, "'%s' is not an option ROM (no 55h AAh signature)",
			 path);
	}
	fclose(f);
	if (rc < 0) {
		free(*data);
		*data = NULL;
	}
	return rc;
}

static const struct fw_cfg_item *fw_cfg_find(const struct fw_cfg *cfg, uint16_t key)
{
	for (unsigned i = 0; i < cfg->count; i++)
		if (cfg->items[i].key == key)
			return &cfg->items[i];
	return NULL;
}

static void fw_cfg_select(struct fw_cfg *cfg, uint16_t key)
{
	cfg->selected = fw_cfg_find(cfg, key);
	cfg->offset = 0;
}

/* The bytes of the selected item left from the current offset. */
static uint32_t fw_cfg_left(const struct fw_cfg *cfg)
{
	const struct fw_cfg_item *item = cfg->selected;
	return item && cfg->offset < item->size ? item->size - cfg->offset : 0;
}

static uint8_t fw_cfg_inb(void *opaque, uint16_t port)
{
	struct fw_cfg *cfg = opaque;

	if (port != FW_CFG_PORT_DATA || !fw_cfg_left(cfg))
		return 0;
	return cfg->selected->data[cfg->offset++];
}

/* The selector is a 16-bit port; a byte write to its low half is kept
 * until the high half arrives, as a bus splitting a word write would. */
static void fw_cfg_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct fw_cfg *cfg = opaque;

	if (port == FW_CFG_PORT_SELECTOR)
		cfg->selector_low = value;
	else if (port == FW_CFG_PORT_SELECTOR + 1)
		fw_cfg_select(cfg, (uint16_t)(value << 8 | cfg->selector_low));
}

static void fw_cfg_outw(void *opaque, uint16_t port, uint16_t value)
{
	if (port == FW_CFG_PORT_SELECTOR)
		fw_cfg_select(opaque, value);
}

static uint16_t fw_cfg_inw(void *opaque, uint16_t port)
{
	uint8_t low = fw_cfg_inb(opaque, port);
	return (uint16_t)(low | fw_cfg_inb(opaque, port) << 8);
}

static const struct vdh_io_ops fw_cfg_io = {
	.inb = fw_cfg_inb,
	.inw = fw_cfg_inw,
	.outb = fw_cfg_outb,
	.outw = fw_cfg_outw,
};

/* Skips length bytes of the selected item (past its end, nothing moves). */
static void fw_cfg_dma_skip(struct fw_cfg *cfg, uint32_t length)
{
	uint32_t left = fw_cfg_left(cfg);
	cfg->offset += length < left ? length : left;
}

/* Reads length bytes of the selected item (zeros past its end) into guest
 * memory at gpa. Returns false when guest memory refused. */
static bool fw_cfg_dma_read(struct fw_cfg *cfg, uint64_t gpa, uint32_t length)
{
	static const uint8_t zeros[4096];

	while (length) {
		uint32_t left = fw_cfg_left(cfg);
		uint32_t n = left ? (length < left ? length : left)
				  : (length < sizeof(zeros) ? length : (uint32_t)sizeof(zeros));
		if (vdh->write_guest(cfg->dev, gpa, left ? cfg->selected->data + cfg->offset : zeros,
				     n) < 0)
			return false;
		if (left)
			cfg->offset += n;
		gpa += n;
		length -= n;
	}
	return true;
}

/* Runs the FWCfgDmaAccess at gpa and writes its control word back. */
static void fw_cfg_dma_run(struct fw_cfg *cfg, uint64_t gpa)
{
	uint8_t access[FW_CFG_DMA_ACCESS_SIZE], done[4];
	uint32_t control, length, status = 0;
	uint64_t address;

	/* An access outside RAM has nowhere to report to: ignored, as by QEMU. */
	if (vdh->read_guest(cfg->dev, gpa, access, sizeof(access)) < 0)
		return;
	control = (uint32_t)get_be(access, 4);
	length = (uint32_t)get_be(access + 4, 4);
	address = get_be(access + 8, 8);
	if (control & FW_CFG_DMA_SELECT)
		fw_cfg_select(cfg, (uint16_t)(control >> 16));
	if (control & FW_CFG_DMA_READ) {
		if (!fw_cfg_dma_read(cfg, address, length))
			status = FW_CFG_DMA_ERROR;
	} else if (control & FW_CFG_DMA_WRITE) {
		status = FW_CFG_DMA_ERROR; /* no item is writable */
	} else if (control & FW_CFG_DMA_SKIP) {
		fw_cfg_dma_skip(cfg, length);
	}
	put_be(done, status, 4);
	if (vdh->write_guest(cfg->dev, gpa, done, sizeof(done)) < 0)
		vdh->log(cfg->dev, VDH_LOG_DEBUG, "a DMA access's control word at %#llx is ROM",
			 (unsigned long long)gpa);
}

/* 32-bit writes only, as QEMU takes them; the value is the register's
 * big-endian bytes in port order. */
static void fw_cfg_dma_outd(void *opaque, uint16_t port, uint32_t value)
{
	struct fw_cfg *cfg = opaque;
	uint8_t bytes[4];

	put_le(bytes, value, 4);
	if (port == FW_CFG_PORT_DMA_HIGH)
		cfg->dma_high = (uint32_t)get_be(bytes, 4);
	else if (port == FW_CFG_PORT_DMA_LOW)
		fw_cfg_dma_run(cfg, (uint64_t)cfg->dma_high << 32 | get_be(bytes, 4));
}

static uint8_t fw_cfg_dma_inb(void *opaque, uint16_t port)
{
	return (uint8_t)FW_CFG_DMA_SIGNATURE[port - FW_CFG_PORT_DMA_HIGH];
}

static uint32_t fw_cfg_dma_ind(void *opaque, uint16_t port)
{
	uint32_t value = 0;
	for (unsigned i = 0; i < 4 && port + i < FW_CFG_PORT_DMA_HIGH + FW_CFG_DMA_PORTS; i++)
		value |= (uint32_t)fw_cfg_dma_inb(opaque, (uint16_t)(port + i)) << (8 * i);
	return value;
}

static const struct vdh_io_ops fw_cfg_dma_io = {
	.inb = fw_cfg_dma_inb,
	.ind = fw_cfg_dma_ind,
	.outd = fw_cfg_dma_outd,
};

static int fw_cfg_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void fw_cfg_terminate(void *instance)
{
	struct fw_cfg *cfg = instance;
	if (!cfg)
		return;
	for (unsigned i = 0; i < cfg->count; i++)
		free(cfg->items[i].data);
	free(cfg);
}

/* An option ROM goes in as DIR/ and the base name of its file: vgaroms/ for
 * the VGA BIOS, genroms/ for the others (SeaBIOS runs them after it). */
static int fw_cfg_add_rom(struct vdh_dev *dev, struct fw_cfg *cfg, const char *what,
			  const char *dir, const char *path, char name[FW_CFG_FILE_NAME_SIZE])
{
	const char *base = strrchr(path, '/');
	uint8_t *rom = NULL;
	uint32_t size = 0;
	int rc = read_option_rom(dev, what, path, &rom, &size);

	if (rc < 0)
		return rc;
	snprintf(name, FW_CFG_FILE_NAME_SIZE, "%s/%s", dir, base ? base + 1 : path);
	return fw_cfg_add_file(cfg, name, rom, size);
}

static int fw_cfg_add_items(struct vdh_dev *dev, struct fw_cfg *cfg, const char *vgabios,
			    const char *genrom)
{
	uint64_t ram = vdh->ram_size(dev);
	uint8_t *signature = malloc(4), *e820 = calloc(1, E820_ENTRY_SIZE);
	int rc;

	if (signature)
		memcpy(signature, "QEMU", 4);
	rc = fw_cfg_add(cfg, FW_CFG_SIGNATURE, NULL, signature, 4);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_ID, FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA, 4);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_RAM_SIZE, ram, 8);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_NOGRAPHIC, 0, 2);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_NB_CPUS, 1, 2);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_MAX_CPUS, 1, 2);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_NUMA, 0, 8);
	if (rc == 0)
		rc = fw_cfg_add_int(cfg, FW_CFG_BOOT_MENU, 0, 2);
	/* All RAM from 0: the firmware reserves the holes it knows of (the
	 * video window, its own ROM area) itself. */
	if (e820) {
		put_le(e820, 0, 8);
		put_le(e820 + 8, ram, 8);
		put_le(e820 + 16, E820_RAM, 4);
	}
	if (rc == 0)
		rc = fw_cfg_add_file(cfg, "etc/e820", e820, E820_ENTRY_SIZE);
	else
		free(e820);
	if (rc == 0) {
		uint8_t *menu = calloc(1, 2);
		rc = fw_cfg_add_file(cfg, "etc/show-boot-menu", menu, 2);
	}
	if (rc == 0 && *vgabios)
		rc = fw_cfg_add_rom(dev, cfg, "VGA BIOS", "vgaroms", vgabios, cfg->vga_name);
	if (rc == 0 && *genrom)
		rc = fw_cfg_add_rom(dev, cfg, "option ROM", "genroms", genrom, cfg->rom_name);
	if (rc == 0)
		rc = fw_cfg_add_directory(cfg);
	return rc;
}

static int fw_cfg_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct fw_cfg *cfg = calloc(1, sizeof(*cfg));
	int rc;

	if (!cfg)
		return -ENOMEM;
	cfg->next_file_key = FW_CFG_FILE_FIRST;
	cfg->dev = dev;
	rc = fw_cfg_add_items(dev, cfg, vdh->prop_string(props, "vgabios"),
			      vdh->prop_string(props, "genrom"));
	if (rc == 0)
		rc = vdh->install_io_hook(dev, FW_CFG_PORT_SELECTOR, FW_CFG_PORTS, &fw_cfg_io, cfg);
	if (rc == 0)
		rc = vdh->install_io_hook(dev, FW_CFG_PORT_DMA_HIGH, FW_CFG_DMA_PORTS, &fw_cfg_dma_io,
					  cfg);
	if (rc < 0) {
		fw_cfg_terminate(cfg);
		return rc;
	}
	*instance = cfg;
	return 0;
}

static const struct vdh_prop_spec fw_cfg_props[] = {
	{ "vgabios", VDH_PROP_STRING, "", 0, 0,
	  "the VGA BIOS (an option ROM) the firmware runs, as vgaroms/NAME; empty: none" },
	{ "genrom", VDH_PROP_STRING, "", 0, 0,
	  "another option ROM the firmware runs after the VGA BIOS, as genroms/NAME (mvm run "
	  "gives doskrnl.rom); empty: none" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "fw_cfg",
	.description = "QEMU firmware configuration device (ports 510h-511h, DMA at 514h) for SeaBIOS",
	.props = fw_cfg_props,
	.init = fw_cfg_init,
	.create = fw_cfg_create,
	.terminate = fw_cfg_terminate,
};
