/* vvmi_vdd.c: the VVMI VDD: the shared region at D000:0000, the doorbell port, and GHI commands handed to VMAN. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "ring.h"
#include "vdh.h"

/*
 * The guest's commands run when it rings the doorbell, on the vCPU's thread,
 * in batches of VVMI_BATCH_RECORDS: a guest that keeps the ring full gets
 * the host back between batches (it rings again). They go to the VM's
 * display (VMAN, in this process or the vman service), which reads the
 * heap in the shared region itself; a batch that holds a PRESENT ends with
 * a frame, whose PRESENTED events come back through the event handler.
 */
#define VVMI_BATCH_RECORDS 4096u

struct vvmi {
	struct vdh_dev *dev;
	void *pages;
	struct vdh_mapping *mapping;
	struct vvmi_ring_host ring;
	bool present_pending;
	bool display_failed;   /* said once */
	unsigned commands, errors;
};

static const struct vdh *vdh;

/* VMAN's events go to the guest's event ring; a full ring drops them, and
 * the header's dropped count tells the guest. Only VVMI's own types go
 * there: VMAN's (foreground, the pointer in screen pixels) are for other
 * VDDs. */
static void vvmi_event(void *opaque, unsigned type, const void *body, size_t len)
{
	struct vvmi *v = opaque;

	if (type < VVMI_EVENT_POINTER || type > VVMI_EVENT_ERROR)
		return;
	(void)vvmi_event_push(&v->ring, (enum vvmi_event_type)type, body, len);
}

static int vvmi_execute(void *opaque, uint16_t opcode, const void *body, size_t len,
			uint32_t offset)
{
	struct vvmi *v = opaque;
	int rc = vdh->display_ghi(v->dev, opcode, body, len);

	if (rc < 0) {
		if (!v->display_failed)
			vdh->log(v->dev, VDH_LOG_WARN, "the display failed: %s", strerror(-rc));
		v->display_failed = true;
		rc = VVMI_ERROR_DISPLAY;
	}
	v->commands++;
	if (rc) {
		v->errors++;
		vdh->log(v->dev, VDH_LOG_DEBUG, "command %u at %u: error %d", opcode, offset, rc);
	} else if (opcode == VVMI_CMD_PRESENT) {
		v->present_pending = true;
	}
	return rc;
}

static void vvmi_doorbell(struct vvmi *v)
{
	int rc = vvmi_ring_consume(&v->ring, vvmi_execute, v, VVMI_BATCH_RECORDS);

	if (rc < 0)
		vdh->log(v->dev, VDH_LOG_DEBUG, "the guest broke the command ring; it was reset");
	if (v->present_pending) {
		v->present_pending = false;
		rc = vdh->display_frame(v->dev);
		if (rc < 0 && !v->display_failed)
			vdh->log(v->dev, VDH_LOG_WARN, "cannot compose a frame: %s", strerror(-rc));
	}
}

/* A driver opens VVMI by reading its identification: the region starts
 * afresh then, whatever the firmware's POST or an earlier driver left in
 * upper memory. */
static void vvmi_open(struct vvmi *v)
{
	vvmi_region_init(&v->ring, v->pages);
}

/* 0x5650: identification (read) and doorbell (write). */
static uint8_t vvmi_inb(void *opaque, uint16_t port)
{
	if (port != VVMI_PORT_ID)
		return (uint8_t)(VVMI_ID >> 8);
	vvmi_open(opaque);
	return (uint8_t)VVMI_ID;
}

static uint16_t vvmi_inw(void *opaque, uint16_t port)
{
	if (port != VVMI_PORT_ID)
		return 0xFFFF;
	vvmi_open(opaque);
	return VVMI_ID;
}

static void vvmi_outb(void *opaque, uint16_t port, uint8_t value)
{
	if (port == VVMI_PORT_DOORBELL)
		vvmi_doorbell(opaque);
}

static void vvmi_outw(void *opaque, uint16_t port, uint16_t value)
{
	if (port == VVMI_PORT_DOORBELL)
		vvmi_doorbell(opaque);
}

static const struct vdh_io_ops vvmi_io = {
	.inb = vvmi_inb,
	.inw = vvmi_inw,
	.outb = vvmi_outb,
	.outw = vvmi_outw,
};

static int vvmi_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void vvmi_terminate(void *instance)
{
	struct vvmi *v = instance;

	if (!v)
		return;
	vdh->log(v->dev, VDH_LOG_DEBUG, "%u commands, %u refused", v->commands, v->errors);
	if (v->mapping)
		vdh->unmap(v->mapping);
	if (v->pages)
		vdh->free_pages(v->dev, v->pages, VVMI_REGION_SIZE);
	free(v);
}

static int vvmi_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct vvmi *v = calloc(1, sizeof(*v));
	int rc;

	(void)props;
	if (!v)
		return -ENOMEM;
	v->dev = dev;
	v->pages = vdh->alloc_pages(dev, VVMI_REGION_SIZE);
	if (!v->pages) {
		rc = -ENOMEM;
		goto fail;
	}
	vvmi_region_init(&v->ring, v->pages);
	rc = vdh->display_share_heap(dev, v->pages, VVMI_REGION_SIZE, VVMI_HEAP_OFFSET);
	if (rc == 0)
		rc = vdh->display_set_event_handler(dev, vvmi_event, v);
	if (rc < 0) {
		vdh->log(dev, VDH_LOG_ERROR, "the VM's display is not usable: %s", strerror(-rc));
		goto fail;
	}
	rc = vdh->map_memory(dev, VVMI_REGION_GPA, VVMI_REGION_SIZE, v->pages, 0, &v->mapping);
	if (rc < 0) {
		vdh->log(dev, VDH_LOG_ERROR, "cannot map the shared region at %05Xh: %s",
			 VVMI_REGION_GPA, strerror(-rc));
		goto fail;
	}
	/* 0x5650-0x5651: VVMI's doorbell and identification. */
	rc = vdh->install_io_hook(dev, VVMI_PORT_DOORBELL, 2, &vvmi_io, v);
	if (rc < 0)
		goto fail;
	*instance = v;
	return 0;

fail:
	vvmi_terminate(v);
	return rc;
}

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "vvmi",
	.description = "VVMI: guest video drivers draw through shared rings into VMAN surfaces",
	.init = vvmi_init,
	.create = vvmi_create,
	.terminate = vvmi_terminate,
};
