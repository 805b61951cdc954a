/* vdh_mock.c: a stand-in VMM for unit-testing one VDD through the helper API alone. */
#include "vdh_mock.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"

#define MOCK_MAX_PROPS 16
#define MOCK_MAX_TIMERS 16
#define MOCK_MAX_IO 32
#define MOCK_MAX_MODULES 4
#define MOCK_MAX_MAPPINGS 8
#define MOCK_MAX_REQUESTS 16

struct vdh_props {
	const struct vdh_prop_spec *spec;
	char values[MOCK_MAX_PROPS][256];
};

struct vdh_timer {
	struct mock_vm *vm;
	vdh_timer_fn *fn;
	void *opaque;
	bool armed, in_use;
	uint64_t deadline;
};

struct vdh_irq {
	struct mock_vm *vm;
	unsigned line;
	vdh_eoi_fn *eoi;
	void *opaque;
	bool open;
};

struct mock_io {
	uint16_t first;
	uint32_t count;
	const struct vdh_io_ops *ops;
	void *opaque;
};

/* One per attached module, so that requests and display handlers have an
 * owner to go with. */
struct vdh_dev {
	struct mock_vm *vm;
};

struct mock_attached {
	const struct vdd_module *module;
	void *instance;
	struct vdh_props props;
	struct vdh_dev dev;
};

/* A named request entry; owner NULL: one a test added with mock_add_request. */
struct mock_request {
	char name[64];
	vdh_request_fn *fn;
	void *opaque;
	const struct vdh_dev *owner;
};

struct mock_display_handler {
	const struct vdh_dev *owner;
	vdh_display_event_fn *fn;
	void *opaque;
};

struct vdh_mapping {
	uint64_t gpa, size;
	void *host;         /* map_memory */
	vdh_mmio_fn *fn;    /* map_mmio */
	void *opaque;
	bool in_use;
};

struct mock_vm {
	struct mock_attached attached[MOCK_MAX_MODULES];
	unsigned attached_count;
	uint8_t ram[MOCK_RAM_SIZE];
	struct vdh_mapping mappings[MOCK_MAX_MAPPINGS];
	bool a20;
	unsigned resets;
	const struct vdh_dma_ops *dma_ops;
	void *dma_opaque;
	uint64_t now;
	struct vdh_timer timers[MOCK_MAX_TIMERS];
	struct vdh_irq irqs[VDH_IRQ_LINES];
	bool irq_level[VDH_IRQ_LINES];
	unsigned irq_edges[VDH_IRQ_LINES];
	unsigned eoi_count[VDH_IRQ_LINES];
	struct mock_io io[MOCK_MAX_IO];
	unsigned io_count;
	const struct vdh_intc_ops *intc;
	void *intc_opaque;
	struct mock_display display;
	struct mock_request requests[MOCK_MAX_REQUESTS];
	unsigned request_count;
	struct mock_display_handler handlers[VDH_DISPLAY_HANDLERS];
	unsigned handler_count;
};

static int mock_prop_index(const struct vdh_props *props, const char *name)
{
	for (int i = 0; props->spec && props->spec[i].name; i++)
		if (strcmp(props->spec[i].name, name) == 0)
			return i;
	fprintf(stderr, "vdh_mock: undeclared property '%s'\n", name);
	abort();
}

static bool mock_prop_bool(const struct vdh_props *props, const char *name)
{
	const char *v = props->values[mock_prop_index(props, name)];
	return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
	       strcmp(v, "yes") == 0;
}

static int64_t mock_prop_int(const struct vdh_props *props, const char *name)
{
	return strtoll(props->values[mock_prop_index(props, name)], NULL, 0);
}

static const char *mock_prop_string(const struct vdh_props *props, const char *name)
{
	return props->values[mock_prop_index(props, name)];
}

static struct mock_io *mock_io_find(struct mock_vm *vm, uint16_t port)
{
	for (unsigned i = 0; i < vm->io_count; i++)
		if (port >= vm->io[i].first && (uint32_t)(port - vm->io[i].first) < vm->io[i].count)
			return &vm->io[i];
	return NULL;
}

static int mock_install_io_hook(struct vdh_dev *dev, uint16_t first, uint32_t count,
				const struct vdh_io_ops *ops, void *opaque)
{
	struct mock_vm *vm = dev->vm;
	for (uint32_t p = first; p < (uint32_t)first + count; p++)
		if (p > 0xFFFF || mock_io_find(vm, (uint16_t)p))
			return -EBUSY;
	if (vm->io_count == MOCK_MAX_IO)
		return -ENOSPC;
	vm->io[vm->io_count++] = (struct mock_io){ first, count, ops, opaque };
	return 0;
}

static int mock_register_svc(struct vdh_dev *dev, uint8_t n, vdh_svc_fn *fn, void *opaque)
{
	return 0;
}

static int mock_install_int_hook(struct vdh_dev *dev, uint8_t vector, vdh_int_fn *fn,
				 void *opaque)
{
	return 0;
}

static int mock_open_irq(struct vdh_dev *dev, unsigned line, vdh_eoi_fn *eoi, void *opaque,
			 struct vdh_irq **out)
{
	struct mock_vm *vm = dev->vm;
	if (line >= VDH_IRQ_LINES)
		return -EINVAL;
	if (vm->irqs[line].open)
		return -EBUSY;
	vm->irqs[line] = (struct vdh_irq){ vm, line, eoi, opaque, true };
	*out = &vm->irqs[line];
	return 0;
}

static void mock_set_irq(struct vdh_irq *irq, bool level)
{
	struct mock_vm *vm = irq->vm;
	if (level && !vm->irq_level[irq->line])
		vm->irq_edges[irq->line]++;
	vm->irq_level[irq->line] = level;
	if (vm->intc)
		vm->intc->set_irq(vm->intc_opaque, irq->line, level);
}

static int mock_register_intc(struct vdh_dev *dev, const struct vdh_intc_ops *ops, void *opaque)
{
	if (dev->vm->intc)
		return -EBUSY;
	dev->vm->intc = ops;
	dev->vm->intc_opaque = opaque;
	return 0;
}

static void mock_notify_eoi(struct vdh_dev *dev, unsigned line)
{
	struct mock_vm *vm = dev->vm;
	if (line >= VDH_IRQ_LINES)
		return;
	vm->eoi_count[line]++;
	if (vm->irqs[line].open && vm->irqs[line].eoi)
		vm->irqs[line].eoi(vm->irqs[line].opaque, line);
}

static uint64_t mock_now_ns(struct vdh_dev *dev)
{
	return dev->vm->now;
}

static int mock_create_timer(struct vdh_dev *dev, vdh_timer_fn *fn, void *opaque,
			     struct vdh_timer **out)
{
	for (int i = 0; i < MOCK_MAX_TIMERS; i++) {
		struct vdh_timer *t = &dev->vm->timers[i];
		if (!t->in_use) {
			*t = (struct vdh_timer){ dev->vm, fn, opaque, false, true, 0 };
			*out = t;
			return 0;
		}
	}
	return -ENOSPC;
}

static void mock_arm_timer(struct vdh_timer *timer, uint64_t deadline_ns)
{
	timer->armed = true;
	timer->deadline = deadline_ns;
}

static void mock_disarm_timer(struct vdh_timer *timer)
{
	timer->armed = false;
}

static void mock_destroy_timer(struct vdh_timer *timer)
{
	if (timer)
		timer->in_use = timer->armed = false;
}

static int mock_read_guest(struct vdh_dev *dev, uint64_t gpa, void *buf, size_t len)
{
	if (gpa > MOCK_RAM_SIZE || len > MOCK_RAM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, dev->vm->ram + gpa, len);
	return 0;
}

static int mock_write_guest(struct vdh_dev *dev, uint64_t gpa, const void *buf, size_t len)
{
	if (gpa > MOCK_RAM_SIZE || len > MOCK_RAM_SIZE - gpa)
		return -EFAULT;
	memcpy(dev->vm->ram + gpa, buf, len);
	return 0;
}

static void *mock_alloc_pages(struct vdh_dev *dev, size_t size)
{
	return calloc(1, size);
}

static void mock_free_pages(struct vdh_dev *dev, void *pages, size_t size)
{
	free(pages);
}

static int mock_map(struct mock_vm *vm, struct vdh_mapping want, struct vdh_mapping **out)
{
	for (int i = 0; i < MOCK_MAX_MAPPINGS; i++) {
		if (!vm->mappings[i].in_use) {
			want.in_use = true;
			vm->mappings[i] = want;
			if (out)
				*out = &vm->mappings[i];
			return 0;
		}
	}
	return -ENOSPC;
}

static int mock_map_memory(struct vdh_dev *dev, uint64_t gpa, uint64_t size, void *host,
			   unsigned flags, struct vdh_mapping **out)
{
	return mock_map(dev->vm, (struct vdh_mapping){ .gpa = gpa, .size = size, .host = host },
			out);
}

static int mock_map_mmio(struct vdh_dev *dev, uint64_t gpa, uint64_t size, vdh_mmio_fn *fn,
			 void *opaque, struct vdh_mapping **out)
{
	return mock_map(dev->vm,
			(struct vdh_mapping){ .gpa = gpa, .size = size, .fn = fn, .opaque = opaque },
			out);
}

static void mock_unmap(struct vdh_mapping *mapping)
{
	if (mapping)
		mapping->in_use = false;
}

static void mock_set_a20(struct vdh_dev *dev, bool enabled)
{
	dev->vm->a20 = enabled;
}

static uint64_t mock_ram_size(struct vdh_dev *dev)
{
	return MOCK_RAM_SIZE;
}

static void mock_reset_system(struct vdh_dev *dev)
{
	dev->vm->resets++;
}

static int mock_register_dma(struct vdh_dev *dev, const struct vdh_dma_ops *ops, void *opaque)
{
	struct mock_vm *vm = dev->vm;
	if (vm->dma_ops)
		return -EBUSY;
	vm->dma_ops = ops;
	vm->dma_opaque = opaque;
	return 0;
}

static size_t mock_dma_transfer(struct vdh_dev *dev, unsigned channel, void *buf, size_t len,
				bool to_memory, bool *terminal_count)
{
	struct mock_vm *vm = dev->vm;
	*terminal_count = false;
	if (!vm->dma_ops || channel > 7)
		return 0;
	return vm->dma_ops->transfer(vm->dma_opaque, channel, buf, len, to_memory, terminal_count);
}

static int mock_request_add(struct mock_vm *vm, const struct vdh_dev *owner, const char *name,
			    vdh_request_fn *fn, void *opaque)
{
	if (!name || !*name || strlen(name) >= sizeof(vm->requests[0].name) || !fn)
		return -EINVAL;
	for (unsigned i = 0; i < vm->request_count; i++)
		if (strcmp(vm->requests[i].name, name) == 0)
			return -EBUSY;
	if (vm->request_count == MOCK_MAX_REQUESTS)
		return -ENOSPC;
	struct mock_request *r = &vm->requests[vm->request_count++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->fn = fn;
	r->opaque = opaque;
	r->owner = owner;
	return 0;
}

static int mock_register_request(struct vdh_dev *dev, const char *name, vdh_request_fn *fn,
				 void *opaque)
{
	return mock_request_add(dev->vm, dev, name, fn, opaque);
}

int mock_add_request(struct mock_vm *vm, const char *name, vdh_request_fn *fn, void *opaque)
{
	return mock_request_add(vm, NULL, name, fn, opaque);
}

int mock_request_vdd(struct mock_vm *vm, const char *name, uint32_t command, const void *in,
		     size_t in_len, void *out, size_t *out_len)
{
	for (unsigned i = 0; i < vm->request_count; i++)
		if (strcmp(vm->requests[i].name, name) == 0)
			return vm->requests[i].fn(vm->requests[i].opaque, command, in, in_len, out,
						  out_len);
	return -ENOENT;
}

static int mock_vdh_request_vdd(struct vdh_dev *dev, const char *name, uint32_t command,
				const void *in, size_t in_len, void *out, size_t *out_len)
{
	if (!name || (out && !out_len))
		return -EINVAL;
	return mock_request_vdd(dev->vm, name, command, in, in_len, out, out_len);
}

static void mock_log(struct vdh_dev *dev, enum vdh_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void mock_log(struct vdh_dev *dev, enum vdh_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "vdh_mock: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int mock_display_screen(struct vdh_dev *dev, const uint32_t *pixels, unsigned width,
			       unsigned height, size_t stride)
{
	struct mock_display *d = &dev->vm->display;
	uint32_t *copy = malloc((size_t)width * height * 4);

	if (!copy)
		return -ENOMEM;
	for (unsigned y = 0; y < height; y++)
		memcpy(copy + (size_t)y * width, (const uint8_t *)pixels + y * stride,
		       (size_t)width * 4);
	free(d->pixels);
	d->pixels = copy;
	d->width = width;
	d->height = height;
	d->screens++;
	return 0;
}

static int mock_display_ghi(struct vdh_dev *dev, uint16_t opcode, const void *body, size_t len)
{
	return -ENOTSUP;
}

static int mock_display_share_heap(struct vdh_dev *dev, void *pages, size_t size,
				   uint32_t heap_start)
{
	return -ENOTSUP;
}

static int mock_display_frame(struct vdh_dev *dev)
{
	dev->vm->display.frames++;
	return 0;
}

static struct mock_display_handler *mock_handler_of(struct mock_vm *vm, const struct vdh_dev *dev)
{
	for (unsigned i = 0; i < vm->handler_count; i++)
		if (vm->handlers[i].owner == dev)
			return &vm->handlers[i];
	return NULL;
}

static void mock_handler_remove(struct mock_vm *vm, const struct vdh_dev *dev)
{
	struct mock_display_handler *h = mock_handler_of(vm, dev);
	if (!h)
		return;
	memmove(h, h + 1, (size_t)(vm->handlers + vm->handler_count - h - 1) * sizeof(*h));
	vm->handler_count--;
}

static int mock_display_set_event_handler(struct vdh_dev *dev, vdh_display_event_fn *fn,
					  void *opaque)
{
	struct mock_vm *vm = dev->vm;
	struct mock_display_handler *h;

	if (!fn) {
		mock_handler_remove(vm, dev);
		return 0;
	}
	h = mock_handler_of(vm, dev);
	if (!h) {
		if (vm->handler_count == VDH_DISPLAY_HANDLERS)
			return -ENOSPC;
		h = &vm->handlers[vm->handler_count++];
	}
	*h = (struct mock_display_handler){ dev, fn, opaque };
	return 0;
}

void mock_display_event(struct mock_vm *vm, unsigned type, const void *body, size_t len)
{
	const struct vdh_dev *owners[VDH_DISPLAY_HANDLERS];
	unsigned count = vm->handler_count;

	for (unsigned i = 0; i < count; i++)
		owners[i] = vm->handlers[i].owner;
	for (unsigned i = 0; i < count; i++) {
		const struct mock_display_handler *h = mock_handler_of(vm, owners[i]);
		if (h)
			h->fn(h->opaque, type, body, len);
	}
}

/* What a VDD registered goes with it, as the VMM's vdh_dev_release does. */
static void mock_release(struct mock_vm *vm, const struct vdh_dev *dev)
{
	mock_handler_remove(vm, dev);
	for (unsigned i = vm->request_count; i-- > 0;) {
		if (vm->requests[i].owner != dev)
			continue;
		memmove(&vm->requests[i], &vm->requests[i + 1],
			(vm->request_count - i - 1) * sizeof(vm->requests[0]));
		vm->request_count--;
	}
}

const struct mock_display *mock_display(struct mock_vm *vm)
{
	return &vm->display;
}

void mock_set_foreground(struct mock_vm *vm, bool foreground)
{
	for (unsigned i = 0; i < vm->attached_count; i++) {
		const struct vdd_module *module = vm->attached[i].module;
		void (*hook)(void *) = foreground ? module->foreground : module->background;

		if (vm->attached[i].instance && hook)
			hook(vm->attached[i].instance);
	}
}

static const struct vdh mock_vdh = {
	.api_version = VDH_API_VERSION,
	.prop_bool = mock_prop_bool,
	.prop_int = mock_prop_int,
	.prop_string = mock_prop_string,
	.install_io_hook = mock_install_io_hook,
	.register_svc = mock_register_svc,
	.install_int_hook = mock_install_int_hook,
	.open_irq = mock_open_irq,
	.set_irq = mock_set_irq,
	.register_intc = mock_register_intc,
	.notify_eoi = mock_notify_eoi,
	.now_ns = mock_now_ns,
	.create_timer = mock_create_timer,
	.arm_timer = mock_arm_timer,
	.disarm_timer = mock_disarm_timer,
	.destroy_timer = mock_destroy_timer,
	.read_guest = mock_read_guest,
	.write_guest = mock_write_guest,
	.alloc_pages = mock_alloc_pages,
	.free_pages = mock_free_pages,
	.map_memory = mock_map_memory,
	.map_mmio = mock_map_mmio,
	.unmap = mock_unmap,
	.set_a20 = mock_set_a20,
	.ram_size = mock_ram_size,
	.reset_system = mock_reset_system,
	.register_dma = mock_register_dma,
	.dma_transfer = mock_dma_transfer,
	.register_request = mock_register_request,
	.request_vdd = mock_vdh_request_vdd,
	.display_screen = mock_display_screen,
	.display_ghi = mock_display_ghi,
	.display_share_heap = mock_display_share_heap,
	.display_frame = mock_display_frame,
	.display_set_event_handler = mock_display_set_event_handler,
	.log = mock_log,
};

struct mock_vm *mock_vm_create(void)
{
	struct mock_vm *vm = calloc(1, sizeof(*vm));
	for (unsigned i = 0; vm && i < MOCK_MAX_MODULES; i++)
		vm->attached[i].dev.vm = vm;
	return vm;
}

void mock_vm_destroy(struct mock_vm *vm)
{
	if (!vm)
		return;
	for (unsigned i = vm->attached_count; i-- > 0;) {
		struct mock_attached *a = &vm->attached[i];
		if (a->instance && a->module->terminate)
			a->module->terminate(a->instance);
		mock_release(vm, &a->dev);
	}
	free(vm->display.pixels);
	free(vm);
}

static void mock_props_parse(struct vdh_props *props, const char *text)
{
	for (int i = 0; props->spec && props->spec[i].name; i++)
		snprintf(props->values[i], sizeof(props->values[i]), "%s",
			 props->spec[i].default_value ? props->spec[i].default_value : "");
	while (text && *text) {
		const char *eq = strchr(text, '=');
		const char *end = props_next_assignment(text);
		if (!end)
			end = text + strlen(text);
		if (!eq || eq > end)
			abort();
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - text), text);
		int i = mock_prop_index(props, name);
		snprintf(props->values[i], sizeof(props->values[i]), "%.*s", (int)(end - eq - 1),
			 eq + 1);
		text = *end ? end + 1 : end;
	}
}

int mock_vm_attach(struct mock_vm *vm, const struct vdd_module *module, const char *props)
{
	struct mock_attached *a;
	if (module->api_version != VDH_API_VERSION)
		return -EPROTO;
	if (vm->attached_count == MOCK_MAX_MODULES)
		return -ENOSPC;
	a = &vm->attached[vm->attached_count];
	a->module = module;
	a->props.spec = module->props;
	mock_props_parse(&a->props, props);
	if (module->init) {
		int rc = module->init(&mock_vdh);
		if (rc < 0)
			return rc;
	}
	vm->attached_count++;
	int rc = module->create(&a->dev, &a->props, &a->instance);
	if (rc < 0)
		mock_release(vm, &a->dev);
	return rc;
}

void *mock_instance(struct mock_vm *vm, const struct vdd_module *module)
{
	for (unsigned i = 0; i < vm->attached_count; i++)
		if (vm->attached[i].module == module)
			return vm->attached[i].instance;
	return NULL;
}

uint8_t mock_inb(struct mock_vm *vm, uint16_t port)
{
	struct mock_io *io = mock_io_find(vm, port);
	return io && io->ops->inb ? io->ops->inb(io->opaque, port) : 0xFF;
}

void mock_outb(struct mock_vm *vm, uint16_t port, uint8_t value)
{
	struct mock_io *io = mock_io_find(vm, port);
	if (io && io->ops->outb)
		io->ops->outb(io->opaque, port, value);
}

uint16_t mock_inw(struct mock_vm *vm, uint16_t port)
{
	struct mock_io *io = mock_io_find(vm, port);
	if (io && io->ops->inw)
		return io->ops->inw(io->opaque, port);
	return (uint16_t)(mock_inb(vm, port) | mock_inb(vm, (uint16_t)(port + 1)) << 8);
}

void mock_outw(struct mock_vm *vm, uint16_t port, uint16_t value)
{
	struct mock_io *io = mock_io_find(vm, port);
	if (io && io->ops->outw) {
		io->ops->outw(io->opaque, port, value);
		return;
	}
	mock_outb(vm, port, (uint8_t)value);
	mock_outb(vm, (uint16_t)(port + 1), (uint8_t)(value >> 8));
}

uint32_t mock_ind(struct mock_vm *vm, uint16_t port)
{
	struct mock_io *io = mock_io_find(vm, port);
	if (io && io->ops->ind)
		return io->ops->ind(io->opaque, port);
	return mock_inw(vm, port) | (uint32_t)mock_inw(vm, (uint16_t)(port + 2)) << 16;
}

void mock_outd(struct mock_vm *vm, uint16_t port, uint32_t value)
{
	struct mock_io *io = mock_io_find(vm, port);
	if (io && io->ops->outd) {
		io->ops->outd(io->opaque, port, value);
		return;
	}
	mock_outw(vm, port, (uint16_t)value);
	mock_outw(vm, (uint16_t)(port + 2), (uint16_t)(value >> 16));
}

bool mock_port_claimed(struct mock_vm *vm, uint16_t port)
{
	return mock_io_find(vm, port) != NULL;
}

uint64_t mock_now(struct mock_vm *vm)
{
	return vm->now;
}

uint64_t mock_next_deadline(struct mock_vm *vm)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < MOCK_MAX_TIMERS; i++)
		if (vm->timers[i].in_use && vm->timers[i].armed && vm->timers[i].deadline < next)
			next = vm->timers[i].deadline;
	return next;
}

void mock_advance(struct mock_vm *vm, uint64_t ns)
{
	uint64_t target = vm->now + ns;
	for (;;) {
		struct vdh_timer *due = NULL;
		for (int i = 0; i < MOCK_MAX_TIMERS; i++) {
			struct vdh_timer *t = &vm->timers[i];
			if (t->in_use && t->armed && t->deadline <= target &&
			    (!due || t->deadline < due->deadline))
				due = t;
		}
		if (!due)
			break;
		if (due->deadline > vm->now)
			vm->now = due->deadline;
		due->armed = false;
		due->fn(due->opaque, vm->now);
	}
	vm->now = target;
}

bool mock_irq_level(struct mock_vm *vm, unsigned line)
{
	return vm->irq_level[line];
}

unsigned mock_irq_rising_edges(struct mock_vm *vm, unsigned line)
{
	return vm->irq_edges[line];
}

bool mock_irq_opened(struct mock_vm *vm, unsigned line)
{
	return vm->irqs[line].open;
}

bool mock_intc_registered(struct mock_vm *vm)
{
	return vm->intc != NULL;
}

void mock_intc_set_irq(struct mock_vm *vm, unsigned line, bool level)
{
	vm->intc->set_irq(vm->intc_opaque, line, level);
}

bool mock_intc_has_interrupt(struct mock_vm *vm)
{
	return vm->intc->has_interrupt(vm->intc_opaque);
}

uint8_t mock_intc_acknowledge(struct mock_vm *vm)
{
	return vm->intc->acknowledge(vm->intc_opaque);
}

unsigned mock_eoi_count(struct mock_vm *vm, unsigned line)
{
	return vm->eoi_count[line];
}

uint8_t *mock_ram(struct mock_vm *vm)
{
	return vm->ram;
}

static struct vdh_mapping *mock_mapping_at(struct mock_vm *vm, uint64_t gpa)
{
	for (int i = 0; i < MOCK_MAX_MAPPINGS; i++) {
		struct vdh_mapping *m = &vm->mappings[i];
		if (m->in_use && gpa >= m->gpa && gpa - m->gpa < m->size)
			return m;
	}
	return NULL;
}

void *mock_mapped_memory(struct mock_vm *vm, uint64_t gpa)
{
	struct vdh_mapping *m = mock_mapping_at(vm, gpa);
	return m && m->host ? (uint8_t *)m->host + (gpa - m->gpa) : NULL;
}

bool mock_mmio(struct mock_vm *vm, uint64_t gpa, void *data, unsigned len, bool is_write)
{
	struct vdh_mapping *m = mock_mapping_at(vm, gpa);
	if (!m || !m->fn)
		return false;
	m->fn(m->opaque, gpa, data, len, is_write);
	return true;
}

bool mock_a20(struct mock_vm *vm)
{
	return vm->a20;
}

unsigned mock_resets(struct mock_vm *vm)
{
	return vm->resets;
}
