/* dos_tables.c: the tables DOS keeps in guest memory for programs that look: list of lists, devices, CDS. */
#include <string.h>

#include "dos.h"

/* Offsets in the data segment. */
#define DATA_RETF 0x0000          /* device strategy and interrupt entries */
#define DATA_CRITICAL_ERROR (DOS_DATA_INDOS - 1)
#define DEVICE_HEADER_SIZE 18
#define DEVICE_CON (DOS_DATA_DEVICES + 0 * DEVICE_HEADER_SIZE)
#define DEVICE_AUX (DOS_DATA_DEVICES + 1 * DEVICE_HEADER_SIZE)
#define DEVICE_PRN (DOS_DATA_DEVICES + 2 * DEVICE_HEADER_SIZE)
#define DEVICE_CLOCK (DOS_DATA_DEVICES + 3 * DEVICE_HEADER_SIZE)

/* The list of lists (52h), by offset. */
#define LOL_DPB 0x00
#define LOL_SFT 0x04
#define LOL_CLOCK 0x08
#define LOL_CON 0x0C
#define LOL_SECTOR_SIZE 0x10
#define LOL_BUFFERS 0x12
#define LOL_CDS 0x16
#define LOL_FCBS 0x1A
#define LOL_BLOCK_DEVICES 0x20
#define LOL_LASTDRIVE 0x21
#define LOL_NUL 0x22

/* Device attributes */
#define DEV_CHAR 0x8000
#define DEV_STDIN 0x0001
#define DEV_STDOUT 0x0002
#define DEV_NUL 0x0004
#define DEV_CLOCK 0x0008
#define DEV_INT29 0x0010

/* CDS flags: a redirected (network) drive's path, like dosemu2's. */
#define CDS_FLAGS 0x43
#define CDS_NETWORK 0x8000
#define CDS_PHYSICAL 0x4000
#define CDS_BACKSLASH_OFFSET 0x4F

static void put_far(uint8_t *p, uint16_t seg, uint16_t off)
{
	dos_put16(p, off);
	dos_put16(p + 2, seg);
}

static void device_header(uint8_t *h, uint16_t next_seg, uint16_t next_off, uint16_t attr,
			  const char *name)
{
	put_far(h, next_seg, next_off);
	dos_put16(h + 4, attr);
	dos_put16(h + 6, DATA_RETF);
	dos_put16(h + 8, DATA_RETF);
	memset(h + 10, ' ', 8);
	memcpy(h + 10, name, strlen(name));
}

void dos_tables_update_cds(struct dos *d, int drive)
{
	uint8_t cds[DOS_CDS_SIZE] = { 0 };
	const struct dos_drive *dr = &d->drives[drive];

	if (dr->root) {
		size_t n = strlen(dr->cwd);
		cds[0] = (uint8_t)('A' + drive);
		cds[1] = ':';
		cds[2] = '\\';
		if (n > 63)
			n = 63;
		memcpy(cds + 3, dr->cwd, n);
		dos_put16(cds + CDS_FLAGS, CDS_NETWORK | CDS_PHYSICAL);
	}
	dos_put16(cds + CDS_BACKSLASH_OFFSET, 2);
	(void)dos_mem_write(&d->mem, dos_linear(d->data_segment, (uint16_t)(DOS_DATA_CDS +
						drive * DOS_CDS_SIZE)), cds, sizeof(cds));
}

int dos_tables_build(struct dos *d)
{
	uint8_t data[DOS_DATA_CDS] = { 0 };
	uint8_t *lol = data + DOS_DATA_LOL;
	uint16_t seg = d->data_segment;

	data[DATA_RETF] = 0xCB;
	data[DATA_CRITICAL_ERROR] = 0;
	data[DOS_DATA_INDOS] = 0;
	dos_put16(lol - 2, d->first_mcb);
	put_far(lol + LOL_DPB, 0xFFFF, 0xFFFF);
	put_far(lol + LOL_SFT, seg, DOS_DATA_SFT);
	put_far(lol + LOL_CLOCK, seg, DEVICE_CLOCK);
	put_far(lol + LOL_CON, seg, DEVICE_CON);
	dos_put16(lol + LOL_SECTOR_SIZE, 512);
	put_far(lol + LOL_BUFFERS, 0xFFFF, 0xFFFF);
	put_far(lol + LOL_CDS, seg, DOS_DATA_CDS);
	put_far(lol + LOL_FCBS, 0xFFFF, 0xFFFF);
	lol[LOL_BLOCK_DEVICES] = 0;
	lol[LOL_LASTDRIVE] = DOS_DRIVES;
	device_header(lol + LOL_NUL, seg, DEVICE_CON, DEV_CHAR | DEV_NUL, "NUL");
	device_header(data + DEVICE_CON, seg, DEVICE_AUX,
		      DEV_CHAR | DEV_STDIN | DEV_STDOUT | DEV_INT29, "CON");
	device_header(data + DEVICE_AUX, seg, DEVICE_PRN, DEV_CHAR, "AUX");
	device_header(data + DEVICE_PRN, seg, DEVICE_CLOCK, DEV_CHAR, "PRN");
	device_header(data + DEVICE_CLOCK, 0xFFFF, 0xFFFF, DEV_CHAR | DEV_CLOCK, "CLOCK$");
	/* An SFT block with no entries: the files live in the host. */
	put_far(data + DOS_DATA_SFT, 0xFFFF, 0xFFFF);
	dos_put16(data + DOS_DATA_SFT + 4, 0);
	/* 65h 02h: the size, then the upper-case forms of 80h-FFh. */
	dos_put16(data + DOS_DATA_UPCASE, 128);
	for (unsigned c = 0; c < 128; c++)
		data[DOS_DATA_UPCASE + 2 + c] = dos_upcase_char((uint8_t)(0x80 + c));
	if (dos_mem_write(&d->mem, dos_linear(seg, 0), data, sizeof(data)))
		return -1;
	for (int i = 0; i < DOS_DRIVES; i++)
		dos_tables_update_cds(d, i);
	return 0;
}
