/* vdh.c: the helper table VDDs call, on top of the machine's pieces. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "machine_internal.h"
#include "props.h"
#include "wire.h"

const char *vdh_dev_label(const struct vdh_dev *dev, char *buf, size_t size)
{
	if (!dev)
		snprintf(buf, size, "mvm itself");
	else
		snprintf(buf, size, "%s (%s)", dev->plugin->module->name, dev->plugin->path);
	return buf;
}

/* Records why a helper refused dev (the first reason is kept) so the
 * machine can name the conflict even if the VDD ignores the error. */
static int vdh_refuse(struct vdh_dev *dev, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int vdh_refuse(struct vdh_dev *dev, int rc, const char *fmt, ...)
{
	va_list ap;
	char text[sizeof(dev->error)];
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!dev->error[0])
		snprintf(dev->error, sizeof(dev->error), "%s", text);
	if (dev->created)
		log_error("%s: %s", dev->plugin->module->name, text);
	return rc;
}

static int vdh_install_io_hook(struct vdh_dev *dev, uint16_t first, uint32_t count,
			       const struct vdh_io_ops *ops, void *opaque)
{
	const struct io_hook *conflict = NULL;
	char owner[320];
	int rc;

	if (!ops)
		return vdh_refuse(dev, -EINVAL, "port hook 0x%04x without handlers", first);
	rc = io_claim(&dev->machine->io, first, count, ops, opaque, dev,
		      dev->plugin->module->name, &conflict);
	if (rc == -EBUSY)
		return vdh_refuse(dev, rc, "ports 0x%04x-0x%04x: port 0x%04x already taken by %s",
				  first, (unsigned)(first + count - 1),
				  (unsigned)(conflict->first > first ? conflict->first : first),
				  vdh_dev_label(conflict->owner, owner, sizeof(owner)));
	if (rc < 0)
		return vdh_refuse(dev, rc, "ports 0x%04x+%u: %s", first, count, strerror(-rc));
	return 0;
}

static int vdh_register_svc(struct vdh_dev *dev, uint8_t n, vdh_svc_fn *fn, void *opaque)
{
	struct svc_entry *e = &dev->machine->svc.entry[n];
	char owner[320];

	if (!fn)
		return vdh_refuse(dev, -EINVAL, "SVC 0x%02x without a handler", n);
	if (n <= SVC_VMM_LAST)
		return vdh_refuse(dev, -EBUSY, "SVC 0x%02x: numbers 0x00-0x%02x belong to mvm", n,
				  SVC_VMM_LAST);
	if (e->fn)
		return vdh_refuse(dev, -EBUSY, "SVC 0x%02x already taken by %s", n,
				  vdh_dev_label(e->owner, owner, sizeof(owner)));
	*e = (struct svc_entry){ fn, opaque, dev, dev->plugin->module->name };
	return 0;
}

static int vdh_install_int_hook(struct vdh_dev *dev, uint8_t vector, vdh_int_fn *fn,
				void *opaque)
{
	struct machine *m = dev->machine;
	int rc;
	if (!fn)
		return vdh_refuse(dev, -EINVAL, "interrupt 0x%02x hook without a handler", vector);
	rc = inthook_install(&m->hooks, &m->mem, vector, fn, opaque, dev);
	if (rc < 0)
		return vdh_refuse(dev, rc, "interrupt 0x%02x hook: %s", vector,
				  rc == -ENOSPC ? "no stub left in the ROM block" : strerror(-rc));
	/* The vector and the stub changed under the CPU's feet. */
	if (m->cpu && m->cpu->ops->memory_written) {
		m->cpu->ops->memory_written(m->cpu, (uint64_t)vector * 4, 4);
		m->cpu->ops->memory_written(m->cpu, m->hooks.rom_base, m->hooks.rom_size);
	}
	return 0;
}

static int vdh_open_irq(struct vdh_dev *dev, unsigned line, vdh_eoi_fn *eoi, void *opaque,
			struct vdh_irq **out)
{
	const char *taken_by = NULL;
	int rc = irq_open(&dev->machine->irq, line, eoi, opaque, dev, dev->plugin->module->name,
			  out, &taken_by);
	if (rc == -EBUSY)
		return vdh_refuse(dev, rc, "IRQ %u already taken by %s", line, taken_by);
	if (rc < 0)
		return vdh_refuse(dev, rc, "IRQ %u: no such line (0-%u)", line, VDH_IRQ_LINES - 1);
	return 0;
}

static void vdh_set_irq(struct vdh_irq *irq, bool level)
{
	irq_set(irq, level);
}

static int vdh_register_intc(struct vdh_dev *dev, const struct vdh_intc_ops *ops, void *opaque)
{
	const char *taken_by = NULL;
	int rc;
	if (!ops || !ops->set_irq || !ops->has_interrupt || !ops->acknowledge)
		return vdh_refuse(dev, -EINVAL, "interrupt controller without all three handlers");
	rc = irq_register_intc(&dev->machine->irq, ops, opaque, dev, dev->plugin->module->name,
			       &taken_by);
	if (rc == -EBUSY)
		return vdh_refuse(dev, rc, "the interrupt controller is already %s", taken_by);
	return rc;
}

static void vdh_notify_eoi(struct vdh_dev *dev, unsigned line)
{
	irq_eoi(&dev->machine->irq, line);
}

static uint64_t vdh_now_ns(struct vdh_dev *dev)
{
	return vclock_now(&dev->machine->clock);
}

static void vdh_timer_fire(void *opaque, uint64_t now_ns)
{
	struct vdh_timer *t = opaque;
	t->fn(t->opaque, now_ns);
}

static int vdh_create_timer(struct vdh_dev *dev, vdh_timer_fn *fn, void *opaque,
			    struct vdh_timer **out)
{
	struct vdh_timer *t = calloc(1, sizeof(*t));
	int rc;
	if (!t || !fn) {
		free(t);
		return vdh_refuse(dev, fn ? -ENOMEM : -EINVAL, "cannot create a timer");
	}
	rc = vclock_timer_add(&dev->machine->clock, &t->clock_timer, vdh_timer_fire, t, dev);
	if (rc < 0) {
		free(t);
		return vdh_refuse(dev, rc, "cannot create a timer: %s", strerror(-rc));
	}
	t->dev = dev;
	t->fn = fn;
	t->opaque = opaque;
	t->next = dev->timers;
	dev->timers = t;
	*out = t;
	return 0;
}

static void vdh_arm_timer(struct vdh_timer *timer, uint64_t deadline_ns)
{
	vclock_arm(&timer->dev->machine->clock, &timer->clock_timer, deadline_ns);
}

static void vdh_disarm_timer(struct vdh_timer *timer)
{
	vclock_disarm(&timer->dev->machine->clock, &timer->clock_timer);
}

static void vdh_destroy_timer(struct vdh_timer *timer)
{
	struct vdh_timer **link;
	if (!timer)
		return;
	for (link = &timer->dev->timers; *link; link = &(*link)->next) {
		if (*link == timer) {
			*link = timer->next;
			break;
		}
	}
	vclock_timer_remove(&timer->dev->machine->clock, &timer->clock_timer);
	free(timer);
}

static int vdh_read_guest(struct vdh_dev *dev, uint64_t gpa, void *buf, size_t len)
{
	return memmap_read(&dev->machine->mem, gpa, buf, len);
}

static int vdh_write_guest(struct vdh_dev *dev, uint64_t gpa, const void *buf, size_t len)
{
	return machine_write_guest(dev->machine, gpa, buf, len);
}

static void *vdh_alloc_pages(struct vdh_dev *dev, size_t size)
{
	struct vdh_pages *p = calloc(1, sizeof(*p));
	void *pages;
	int fd;

	if (!p || size == 0) {
		free(p);
		return NULL;
	}
	/* A memfd, so that the vman service can map pages shared as the
	 * display's heap (sealed against shrinking, as it wants). */
	fd = vman_wire_memfd(dev->plugin->module->name, size);
	if (fd < 0) {
		free(p);
		return NULL;
	}
	pages = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pages == MAP_FAILED) {
		close(fd);
		free(p);
		return NULL;
	}
	*p = (struct vdh_pages){ pages, size, fd, dev->pages };
	dev->pages = p;
	return pages;
}

static void vdh_free_pages(struct vdh_dev *dev, void *pages, size_t size)
{
	for (struct vdh_pages **link = &dev->pages; *link; link = &(*link)->next) {
		struct vdh_pages *p = *link;
		if (p->pages == pages) {
			struct machine *m = dev->machine;

			if (m->display_heap_owner == dev && m->display) {
				m->display->ops->share_heap(m->display, NULL, 0, 0, -1);
				m->display_heap_owner = NULL;
			}
			*link = p->next;
			munmap(p->pages, p->size);
			close(p->fd);
			free(p);
			return;
		}
	}
	log_error("%s: freed pages it did not allocate", dev->plugin->module->name);
}

static int vdh_map(struct vdh_dev *dev, const struct mem_mapping *want, struct vdh_mapping **out)
{
	struct machine *m = dev->machine;
	const struct mem_mapping *conflict =
		memmap_find_conflict(&m->mem, want->base, want->size, dev);
	struct vdh_mapping *vm;
	char owner[320];
	int rc;

	if (conflict)
		return vdh_refuse(dev, -EBUSY,
				  "memory 0x%llx-0x%llx overlaps 0x%llx-0x%llx of %s",
				  (unsigned long long)want->base,
				  (unsigned long long)(want->base + want->size - 1),
				  (unsigned long long)conflict->base,
				  (unsigned long long)(conflict->base + conflict->size - 1),
				  vdh_dev_label(conflict->owner, owner, sizeof(owner)));
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return vdh_refuse(dev, -ENOMEM, "out of memory");
	rc = memmap_add(&m->mem, want, &vm->mapping);
	if (rc < 0) {
		free(vm);
		return vdh_refuse(dev, rc, "cannot map 0x%llx+0x%llx: %s",
				  (unsigned long long)want->base, (unsigned long long)want->size,
				  rc == -EINVAL ? "not page-aligned" : strerror(-rc));
	}
	vm->dev = dev;
	vm->next = dev->mappings;
	dev->mappings = vm;
	if (out)
		*out = vm;
	return 0;
}

static int vdh_map_memory(struct vdh_dev *dev, uint64_t gpa, uint64_t size, void *host,
			  unsigned flags, struct vdh_mapping **out)
{
	struct mem_mapping want = {
		.base = gpa,
		.size = size,
		.kind = (flags & VDH_MAP_READONLY) ? MEM_ROM : MEM_RAM,
		.host = host,
		.owner = dev,
		.name = dev->plugin->module->name,
	};
	return vdh_map(dev, &want, out);
}

static int vdh_map_mmio(struct vdh_dev *dev, uint64_t gpa, uint64_t size, vdh_mmio_fn *fn,
			void *opaque, struct vdh_mapping **out)
{
	struct mem_mapping want = {
		.base = gpa,
		.size = size,
		.kind = MEM_MMIO,
		.mmio = fn,
		.opaque = opaque,
		.owner = dev,
		.name = dev->plugin->module->name,
	};
	return vdh_map(dev, &want, out);
}

static void vdh_unmap(struct vdh_mapping *mapping)
{
	struct vdh_dev *dev;
	if (!mapping)
		return;
	dev = mapping->dev;
	for (struct vdh_mapping **link = &dev->mappings; *link; link = &(*link)->next) {
		if (*link == mapping) {
			*link = mapping->next;
			break;
		}
	}
	memmap_remove(&dev->machine->mem, mapping->mapping);
	free(mapping);
}

static void vdh_set_a20(struct vdh_dev *dev, bool enabled)
{
	machine_set_a20(dev->machine, enabled);
}

static uint64_t vdh_ram_size(struct vdh_dev *dev)
{
	return dev->machine->ram_size;
}

static void vdh_reset_system(struct vdh_dev *dev)
{
	machine_request_reset(dev->machine);
}

static int vdh_register_dma(struct vdh_dev *dev, const struct vdh_dma_ops *ops, void *opaque)
{
	struct machine *m = dev->machine;
	char owner[320];

	if (!ops || !ops->transfer)
		return vdh_refuse(dev, -EINVAL, "DMA controller without a transfer handler");
	if (m->dma_owner)
		return vdh_refuse(dev, -EBUSY, "the DMA controller is already %s",
				  vdh_dev_label(m->dma_owner, owner, sizeof(owner)));
	m->dma_ops = ops;
	m->dma_opaque = opaque;
	m->dma_owner = dev;
	return 0;
}

static size_t vdh_dma_transfer(struct vdh_dev *dev, unsigned channel, void *buf, size_t len,
			       bool to_memory, bool *terminal_count)
{
	struct machine *m = dev->machine;

	*terminal_count = false;
	if (!m->dma_ops || channel > 7)
		return 0;
	return m->dma_ops->transfer(m->dma_opaque, channel, buf, len, to_memory, terminal_count);
}

static int vdh_register_request(struct vdh_dev *dev, const char *name, vdh_request_fn *fn,
				void *opaque)
{
	struct machine *m = dev->machine;
	struct vdd_request_entry *grown;
	char owner[320];

	if (!name || !*name || !fn)
		return vdh_refuse(dev, -EINVAL, "request entry without a name or handler");
	for (size_t i = 0; i < m->request_count; i++)
		if (strcmp(m->requests[i].name, name) == 0)
			return vdh_refuse(dev, -EBUSY, "request entry '%s' already taken by %s",
					  name,
					  vdh_dev_label(m->requests[i].owner, owner, sizeof(owner)));
	grown = realloc(m->requests, (m->request_count + 1) * sizeof(*grown));
	if (!grown)
		return vdh_refuse(dev, -ENOMEM, "out of memory");
	m->requests = grown;
	m->requests[m->request_count] = (struct vdd_request_entry){ strdup(name), fn, opaque, dev };
	if (!m->requests[m->request_count].name)
		return vdh_refuse(dev, -ENOMEM, "out of memory");
	m->request_count++;
	return 0;
}

static int vdh_request_vdd(struct vdh_dev *dev, const char *name, uint32_t command,
			   const void *in, size_t in_len, void *out, size_t *out_len)
{
	if (!name || (out && !out_len))
		return -EINVAL;
	return machine_request_vdd(dev->machine, name, command, in, in_len, out, out_len);
}

static int vdh_display_screen(struct vdh_dev *dev, const uint32_t *pixels, unsigned width,
			      unsigned height, size_t stride)
{
	struct display *display = dev->machine->display;

	if (!display)
		return -ENODEV;
	return display->ops->screen(display, pixels, width, height, stride);
}

static int vdh_display_ghi(struct vdh_dev *dev, uint16_t opcode, const void *body, size_t len)
{
	struct display *display = dev->machine->display;

	if (!display)
		return -ENODEV;
	return display->ops->ghi(display, opcode, body, len);
}

static int vdh_display_share_heap(struct vdh_dev *dev, void *pages, size_t size,
				  uint32_t heap_start)
{
	struct machine *m = dev->machine;
	const struct vdh_pages *p = dev->pages;
	int rc;

	if (!m->display)
		return -ENODEV;
	if (m->display_heap_owner && m->display_heap_owner != dev)
		return vdh_refuse(dev, -EBUSY, "the display's heap is another VDD's");
	if (!pages) {
		m->display_heap_owner = NULL;
		return m->display->ops->share_heap(m->display, NULL, 0, 0, -1);
	}
	while (p && p->pages != pages)
		p = p->next;
	if (!p || size > p->size || heap_start > size)
		return -EINVAL;
	rc = m->display->ops->share_heap(m->display, pages, size, heap_start, p->fd);
	if (rc == 0)
		m->display_heap_owner = dev;
	return rc;
}

static int vdh_display_frame(struct vdh_dev *dev)
{
	struct display *display = dev->machine->display;

	if (!display)
		return -ENODEV;
	return display->ops->frame(display);
}

static struct display_handler *vdh_display_handler_of(struct machine *m,
						       const struct vdh_dev *dev)
{
	for (size_t i = 0; i < m->display_handler_count; i++)
		if (m->display_handlers[i].owner == dev)
			return &m->display_handlers[i];
	return NULL;
}

static void vdh_display_handler_remove(struct machine *m, const struct vdh_dev *dev)
{
	struct display_handler *h = vdh_display_handler_of(m, dev);
	struct display_handler *end = m->display_handlers + m->display_handler_count;

	if (!h)
		return;
	memmove(h, h + 1, (size_t)(end - h - 1) * sizeof(*h));
	m->display_handler_count--;
}

static int vdh_display_set_event_handler(struct vdh_dev *dev, vdh_display_event_fn *fn,
					 void *opaque)
{
	struct machine *m = dev->machine;
	struct display_handler *h;

	if (!m->display)
		return -ENODEV;
	if (!fn) {
		vdh_display_handler_remove(m, dev);
		return 0;
	}
	h = vdh_display_handler_of(m, dev);
	if (!h) {
		if (m->display_handler_count == VDH_DISPLAY_HANDLERS)
			return vdh_refuse(dev, -ENOSPC,
					  "the display's events already go to %d VDDs",
					  VDH_DISPLAY_HANDLERS);
		h = &m->display_handlers[m->display_handler_count++];
	}
	*h = (struct display_handler){ dev, fn, opaque };
	return 0;
}

void vdh_display_dispatch(struct machine *m, unsigned type, const void *body, size_t len)
{
	/* A handler may remove or replace its own while this runs: each owner
	 * is looked up again before its call. */
	struct vdh_dev *owners[VDH_DISPLAY_HANDLERS];
	size_t count = m->display_handler_count;

	for (size_t i = 0; i < count; i++)
		owners[i] = m->display_handlers[i].owner;
	for (size_t i = 0; i < count; i++) {
		const struct display_handler *h = vdh_display_handler_of(m, owners[i]);

		if (h)
			h->fn(h->opaque, type, body, len);
	}
}

static void vdh_log(struct vdh_dev *dev, enum vdh_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vdh_log(struct vdh_dev *dev, enum vdh_log_level level, const char *fmt, ...)
{
	static const enum log_level levels[] = {
		[VDH_LOG_ERROR] = LOG_ERROR,
		[VDH_LOG_WARN] = LOG_WARN,
		[VDH_LOG_INFO] = LOG_INFO,
		[VDH_LOG_DEBUG] = LOG_DEBUG,
	};
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level <= VDH_LOG_DEBUG ? levels[level] : LOG_DEBUG, dev->plugin->module->name,
		 fmt, ap);
	va_end(ap);
}

void vdh_dev_release(struct vdh_dev *dev)
{
	struct machine *m = dev->machine;

	io_release_owner(&m->io, dev);
	for (unsigned n = 0; n < 256; n++)
		if (m->svc.entry[n].owner == dev)
			m->svc.entry[n] = (struct svc_entry){ 0 };
	inthook_release_owner(&m->hooks, dev);
	irq_release_owner(&m->irq, dev);
	while (dev->timers)
		vdh_destroy_timer(dev->timers);
	while (dev->mappings)
		vdh_unmap(dev->mappings);
	while (dev->pages)
		vdh_free_pages(dev, dev->pages->pages, dev->pages->size);
	vdh_display_handler_remove(m, dev);
	if (m->dma_owner == dev) {
		m->dma_ops = NULL;
		m->dma_opaque = NULL;
		m->dma_owner = NULL;
	}
	for (size_t i = m->request_count; i-- > 0;) {
		if (m->requests[i].owner != dev)
			continue;
		free(m->requests[i].name);
		memmove(&m->requests[i], &m->requests[i + 1],
			(m->request_count - i - 1) * sizeof(*m->requests));
		m->request_count--;
	}
}

const struct vdh machine_vdh = {
	.api_version = VDH_API_VERSION,
	.prop_bool = props_get_bool,
	.prop_int = props_get_int,
	.prop_string = props_get_string,
	.install_io_hook = vdh_install_io_hook,
	.register_svc = vdh_register_svc,
	.install_int_hook = vdh_install_int_hook,
	.open_irq = vdh_open_irq,
	.set_irq = vdh_set_irq,
	.register_intc = vdh_register_intc,
	.notify_eoi = vdh_notify_eoi,
	.now_ns = vdh_now_ns,
	.create_timer = vdh_create_timer,
	.arm_timer = vdh_arm_timer,
	.disarm_timer = vdh_disarm_timer,
	.destroy_timer = vdh_destroy_timer,
	.read_guest = vdh_read_guest,
	.write_guest = vdh_write_guest,
	.alloc_pages = vdh_alloc_pages,
	.free_pages = vdh_free_pages,
	.map_memory = vdh_map_memory,
	.map_mmio = vdh_map_mmio,
	.unmap = vdh_unmap,
	.set_a20 = vdh_set_a20,
	.ram_size = vdh_ram_size,
	.reset_system = vdh_reset_system,
	.register_dma = vdh_register_dma,
	.dma_transfer = vdh_dma_transfer,
	.register_request = vdh_register_request,
	.request_vdd = vdh_request_vdd,
	.display_screen = vdh_display_screen,
	.display_ghi = vdh_display_ghi,
	.display_share_heap = vdh_display_share_heap,
	.display_frame = vdh_display_frame,
	.display_set_event_handler = vdh_display_set_event_handler,
	.log = vdh_log,
};
