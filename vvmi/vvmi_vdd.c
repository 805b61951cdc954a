/* vvmi_vdd.c: the VVMI VDD: the shared region at D000:0000, the doorbell port, and GHI commands handed to VMAN. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "ring.h"
#include "vdh.h"
#include "vman.h"

/*
 * The guest's commands run when it rings the doorbell, on the vCPU's thread,
 * in batches of VVMI_BATCH_RECORDS: a guest that keeps the ring full gets
 * the host back between batches (it rings again). Until the display
 * service is a process of its own, VMAN runs in-process, headless: every
 * PRESENT is answered at once by composing a frame.
 */
#define VVMI_BATCH_RECORDS 4096u

struct vvmi {
	struct vdh_dev *dev;
	void *pages;
	struct vdh_mapping *mapping;
	struct vvmi_ring_host ring;
	struct vman *vman;
	struct vman_client *client;
	struct vman_heap heap;
	char *screenshot;
	bool present_pending;
	unsigned commands, errors;
};

static const struct vdh *vdh;

/* VMAN's events go to the guest's event ring; a full ring drops them, and
 * the header's dropped count tells the guest. */
static void vvmi_event(void *opaque, enum vvmi_event_type type, const void *body, size_t len)
{
	struct vvmi *v = opaque;

	(void)vvmi_event_push(&v->ring, type, body, len);
}

static int vvmi_execute(void *opaque, uint16_t opcode, const void *body, size_t len,
			uint32_t offset)
{
	struct vvmi *v = opaque;
	int rc = vman_ghi(v->client, opcode, body, len, &v->heap);

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
		if (vman_frame(v->vman) < 0)
			vdh->log(v->dev, VDH_LOG_WARN, "cannot compose a frame");
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
	if (v->screenshot && v->vman) {
		int rc = vman_frame(v->vman);
		if (rc == 0)
			rc = vman_screenshot_png(v->vman, v->screenshot);
		if (rc < 0)
			vdh->log(v->dev, VDH_LOG_ERROR, "cannot write the screenshot %s: %s",
				 v->screenshot, strerror(-rc));
	}
	vdh->log(v->dev, VDH_LOG_DEBUG, "%u commands, %u refused", v->commands, v->errors);
	if (v->mapping)
		vdh->unmap(v->mapping);
	if (v->pages)
		vdh->free_pages(v->dev, v->pages, VVMI_REGION_SIZE);
	vman_client_destroy(v->client);
	vman_destroy(v->vman);
	free(v->screenshot);
	free(v);
}

static int vvmi_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	const char *screenshot = vdh->prop_string(props, "screenshot");
	const char *renderer = vdh->prop_string(props, "renderer");
	struct vman_options options = { .renderer = VMAN_RENDERER_PIXMAN };
	struct vvmi *v = calloc(1, sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	v->dev = dev;
	if (strcmp(renderer, "gles") == 0) {
		options.renderer = VMAN_RENDERER_GLES;
	} else if (strcmp(renderer, "pixman") != 0) {
		vdh->log(dev, VDH_LOG_ERROR, "renderer '%s' is not pixman or gles", renderer);
		free(v);
		return -EINVAL;
	}
	if (*screenshot && !(v->screenshot = strdup(screenshot))) {
		rc = -ENOMEM;
		goto fail;
	}
	v->vman = vman_create(&options);
	if (!v->vman) {
		rc = -errno;
		vdh->log(dev, VDH_LOG_ERROR, "cannot start VMAN (%s renderer): %s", renderer,
			 strerror(errno));
		goto fail;
	}
	v->client = vman_client_create(v->vman, "vm", vvmi_event, v);
	v->pages = vdh->alloc_pages(dev, VVMI_REGION_SIZE);
	if (!v->client || !v->pages) {
		rc = -ENOMEM;
		goto fail;
	}
	vvmi_region_init(&v->ring, v->pages);
	v->heap = (struct vman_heap){ .base = v->pages, .heap_start = VVMI_HEAP_OFFSET,
				      .size = VVMI_REGION_SIZE };
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

static const struct vdh_prop_spec vvmi_props[] = {
	{ "screenshot", VDH_PROP_STRING, "", 0, 0,
	  "when the VM stops, write VMAN's composed output (screen and windows) as PNG" },
	{ "renderer", VDH_PROP_STRING, "pixman", 0, 0, "how VMAN composes: pixman or gles" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = "vvmi",
	.description = "VVMI: guest video drivers draw through shared rings into VMAN surfaces",
	.props = vvmi_props,
	.init = vvmi_init,
	.create = vvmi_create,
	.terminate = vvmi_terminate,
};
