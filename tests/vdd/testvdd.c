/* testvdd.c: a VDD for tests: ports of every width, an IRQ with EOI counting, SVCs, an
 * interrupt hook, a request entry that also calls other VDDs' and a display event log,
 * each observable from a guest or a host test. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vdh.h"

/* The build also makes peers of this VDD under other names (testvdd_peerN),
 * as a machine takes each VDD once: tests of several VDDs use them. */
#ifndef TESTVDD_NAME
#define TESTVDD_NAME "testvdd"
#endif

/* Port map, relative to the "port" property (default 0x300):
 * +0..+3   four byte registers, byte handlers only (wider accesses split)
 * +4..+5   a word register with word handlers only
 * +8..+B   a dword register with dword handlers only
 * +C       IRQ control: write 1 raise, 0 lower, 2 pulse; read: EOIs seen
 * +D       timer: write N to raise the IRQ after N * 100 us of virtual time
 * +E       read: width of the last word/dword handler call (2 or 4), 0 if none
 * +F       write: 0 turns the A20 gate off, anything else on
 *
 * Memory, at the "memory" property (default 0xD0000):
 * +0x0000  one page of MMIO: 16 dword registers, mirrored; offset 0xFFC reads
 *          how many accesses the handler saw
 * +0x1000  one page of VDD RAM holding "VDD RAM"
 * +0x2000  one page of VDD ROM holding "VDD ROM" */
#define TEST_BYTE_REGS 0
#define TEST_WORD_REG 4
#define TEST_DWORD_REG 8
#define TEST_IRQ_CONTROL 0xC
#define TEST_TIMER 0xD
#define TEST_LAST_WIDTH 0xE
#define TEST_A20 0xF
#define TEST_PORTS 0x10

#define TEST_TIMER_UNIT_NS 100000u

#define TEST_PAGE 0x1000u
#define TEST_MMIO_REGS 16
#define TEST_MMIO_COUNTER 0xFFCu

/* SVCs */
#define TEST_SVC_ADD 0x40   /* AX = BX + CX, CF=0 */
#define TEST_SVC_HOOK 0x41  /* hook interrupt AL now (handles AH=1, chains the rest) */
#define TEST_SVC_FAIL 0x42  /* CF=1, AX=5 (access denied, as DOS says it) */
#define TEST_SVC_UNMAP 0x43 /* unmaps the VDD RAM page: the machine's memory shows again */

/* Hooked at create: int 60h, AH=1 -> AX=BEEFh CF=0; else chained. */
#define TEST_HOOK_VECTOR 0x60

struct testvdd {
	struct vdh_dev *dev;
	uint16_t base;
	uint8_t bytes[4];
	uint16_t word;
	uint32_t dword;
	uint8_t last_width;
	struct vdh_irq *irq;
	unsigned eoi_count;
	struct vdh_timer *timer;
	uint32_t mmio_regs[TEST_MMIO_REGS];
	uint32_t mmio_accesses;
	uint8_t *ram_page, *rom_page;
	struct vdh_mapping *ram_mapping;
	char marker[256];
	char name[64];          /* of the request entry */
	char watch[64];         /* the VDD whose event count each event reads, or "" */
	uint32_t events;        /* display events seen */
	uint32_t last_event;    /* the last one's type */
	uint32_t watched_events; /* the watched VDD's count when it came */
};

static const struct vdh *vdh;

static uint8_t test_inb(void *opaque, uint16_t port)
{
	struct testvdd *t = opaque;
	unsigned reg = (unsigned)(port - t->base);
	if (reg < 4)
		return t->bytes[reg];
	if (reg == TEST_IRQ_CONTROL)
		return (uint8_t)t->eoi_count;
	if (reg == TEST_LAST_WIDTH)
		return t->last_width;
	return 0xFF;
}

static void test_outb(void *opaque, uint16_t port, uint8_t value)
{
	struct testvdd *t = opaque;
	unsigned reg = (unsigned)(port - t->base);
	if (reg < 4) {
		t->bytes[reg] = value;
	} else if (reg == TEST_IRQ_CONTROL) {
		vdh->set_irq(t->irq, value != 0);
		if (value == 2)
			vdh->set_irq(t->irq, false);
	} else if (reg == TEST_TIMER) {
		vdh->arm_timer(t->timer, vdh->now_ns(t->dev) + (uint64_t)value * TEST_TIMER_UNIT_NS);
	} else if (reg == TEST_A20) {
		vdh->set_a20(t->dev, value != 0);
	}
}

static uint16_t test_inw(void *opaque, uint16_t port)
{
	struct testvdd *t = opaque;
	t->last_width = 2;
	return t->word;
}

static void test_outw(void *opaque, uint16_t port, uint16_t value)
{
	struct testvdd *t = opaque;
	t->last_width = 2;
	t->word = value;
}

static uint32_t test_ind(void *opaque, uint16_t port)
{
	struct testvdd *t = opaque;
	t->last_width = 4;
	return t->dword;
}

static void test_outd(void *opaque, uint16_t port, uint32_t value)
{
	struct testvdd *t = opaque;
	t->last_width = 4;
	t->dword = value;
}

static const struct vdh_io_ops test_byte_ops = { .inb = test_inb, .outb = test_outb };
static const struct vdh_io_ops test_word_ops = { .inw = test_inw, .outw = test_outw };
static const struct vdh_io_ops test_dword_ops = { .ind = test_ind, .outd = test_outd };

static void test_eoi(void *opaque, unsigned line)
{
	struct testvdd *t = opaque;
	t->eoi_count++;
	vdh->set_irq(t->irq, false);
}

static void test_timer_fired(void *opaque, uint64_t now_ns)
{
	struct testvdd *t = opaque;
	vdh->set_irq(t->irq, true);
}

static void test_svc_add(void *opaque, struct vdh_regs *regs)
{
	regs->eax = (regs->eax & 0xFFFF0000u) | (uint16_t)(regs->ebx + regs->ecx);
	regs->eflags &= ~VDH_FLAG_CF;
}

static void test_svc_fail(void *opaque, struct vdh_regs *regs)
{
	regs->eax = (regs->eax & 0xFFFF0000u) | 5;
	regs->eflags |= VDH_FLAG_CF;
}

static enum vdh_int_action test_int(void *opaque, uint8_t vector, struct vdh_regs *regs)
{
	uint16_t answer = vector == TEST_HOOK_VECTOR ? 0xBEEF : 0x1234;
	if (((regs->eax >> 8) & 0xFF) != 1)
		return VDH_INT_CHAIN;
	regs->eax = (regs->eax & 0xFFFF0000u) | answer;
	regs->eflags &= ~VDH_FLAG_CF;
	return VDH_INT_RETURN;
}

static void test_svc_unmap(void *opaque, struct vdh_regs *regs)
{
	struct testvdd *t = opaque;
	vdh->unmap(t->ram_mapping);
	t->ram_mapping = NULL;
	regs->eflags &= ~VDH_FLAG_CF;
}

/* The MMIO page: little-endian registers, any width, one count per access. */
static void test_mmio(void *opaque, uint64_t gpa, void *data, unsigned len, bool is_write)
{
	struct testvdd *t = opaque;
	uint8_t *bytes = data;
	unsigned offset = (unsigned)(gpa % TEST_PAGE);

	t->mmio_accesses++;
	for (unsigned i = 0; i < len; i++, offset++) {
		unsigned reg = (offset / 4) % TEST_MMIO_REGS, shift = (offset % 4) * 8;
		if (!is_write && offset >= TEST_MMIO_COUNTER && offset < TEST_PAGE) {
			bytes[i] = (uint8_t)(t->mmio_accesses >> (offset - TEST_MMIO_COUNTER) * 8);
		} else if (!is_write) {
			bytes[i] = (uint8_t)(t->mmio_regs[reg] >> shift);
		} else {
			t->mmio_regs[reg] &= ~(0xFFu << shift);
			t->mmio_regs[reg] |= (uint32_t)bytes[i] << shift;
		}
	}
}

static int test_map_memory(struct testvdd *t, uint64_t base)
{
	int rc;
	t->ram_page = vdh->alloc_pages(t->dev, TEST_PAGE);
	t->rom_page = vdh->alloc_pages(t->dev, TEST_PAGE);
	if (!t->ram_page || !t->rom_page)
		return -ENOMEM;
	memcpy(t->ram_page, "VDD RAM", 8);
	memcpy(t->rom_page, "VDD ROM", 8);
	rc = vdh->map_mmio(t->dev, base, TEST_PAGE, test_mmio, t, NULL);
	if (rc == 0)
		rc = vdh->map_memory(t->dev, base + TEST_PAGE, TEST_PAGE, t->ram_page, 0,
				     &t->ram_mapping);
	if (rc == 0)
		rc = vdh->map_memory(t->dev, base + 2 * TEST_PAGE, TEST_PAGE, t->rom_page,
				     VDH_MAP_READONLY, NULL);
	return rc;
}

static void test_svc_hook(void *opaque, struct vdh_regs *regs)
{
	struct testvdd *t = opaque;
	if (vdh->install_int_hook(t->dev, (uint8_t)regs->eax, test_int, t) < 0)
		regs->eflags |= VDH_FLAG_CF;
	else
		regs->eflags &= ~VDH_FLAG_CF;
}

/* Logs the event; asking the watched VDD how many it has seen tells a test
 * whether that VDD's handler ran before this one. */
static void test_display_event(void *opaque, unsigned type, const void *body, size_t len)
{
	struct testvdd *t = opaque;
	uint32_t log[3];
	size_t log_len = sizeof(log);

	t->events++;
	t->last_event = type;
	if (t->watch[0] &&
	    vdh->request_vdd(t->dev, t->watch, 5, NULL, 0, log, &log_len) == 0 &&
	    log_len == sizeof(log))
		t->watched_events = log[0];
}

/* Another VDD's entry, named by in (not NUL-terminated). */
static int test_request_other(struct testvdd *t, const void *in, size_t in_len, uint32_t command,
			      const void *arg, size_t arg_len, void *out, size_t *out_len)
{
	char target[sizeof(t->name)];
	if (in_len >= sizeof(target))
		return -EINVAL;
	memcpy(target, in, in_len);
	target[in_len] = '\0';
	return vdh->request_vdd(t->dev, target, command, arg, arg_len, out, out_len);
}

/* Request entry, the VDD's name unless the "name" property says otherwise:
 * 1 echoes the input reversed;
 * 2 returns the four byte registers;
 * 3 asks the VDD named by the input for command 4 with this one's name;
 * 4 calls back the VDD named by the input for its command 1 with this
 *   one's name (so 3 and 4 together nest: A -> B -> A answers B's name
 *   reversed);
 * 5 returns the display event log: count, last type, the watched VDD's
 *   count when the last came;
 * 6 removes this VDD's display event handler. */
static int test_request(void *opaque, uint32_t command, const void *in, size_t in_len, void *out,
			size_t *out_len)
{
	struct testvdd *t = opaque;
	if (command == 3)
		return test_request_other(t, in, in_len, 4, t->name, strlen(t->name), out, out_len);
	if (command == 4)
		return test_request_other(t, in, in_len, 1, t->name, strlen(t->name), out, out_len);
	if (command == 5) {
		const uint32_t log[3] = { t->events, t->last_event, t->watched_events };
		if (*out_len < sizeof(log))
			return -ENOSPC;
		memcpy(out, log, sizeof(log));
		*out_len = sizeof(log);
		return 0;
	}
	if (command == 6)
		return vdh->display_set_event_handler(t->dev, NULL, NULL);
	if (command == 1) {
		if (*out_len < in_len)
			return -ENOSPC;
		for (size_t i = 0; i < in_len; i++)
			((uint8_t *)out)[i] = ((const uint8_t *)in)[in_len - 1 - i];
		*out_len = in_len;
		return 0;
	}
	if (command == 2) {
		if (*out_len < sizeof(t->bytes))
			return -ENOSPC;
		memcpy(out, t->bytes, sizeof(t->bytes));
		*out_len = sizeof(t->bytes);
		return 0;
	}
	return -EINVAL;
}

static int test_init(const struct vdh *helpers)
{
	vdh = helpers;
	return 0;
}

static void test_terminate(void *instance)
{
	struct testvdd *t = instance;
	if (!t)
		return;
	if (t->marker[0])
		unlink(t->marker);
	free(t);
}

/* Writes the marker file a test checks to see create() and terminate() run. */
static int test_write_marker(struct testvdd *t, const char *path)
{
	FILE *f;
	if (!*path)
		return 0;
	snprintf(t->marker, sizeof(t->marker), "%s", path);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs("created\n", f);
	return fclose(f) == 0 ? 0 : -EIO;
}

static int test_install_hooks(struct testvdd *t)
{
	int rc = vdh->register_svc(t->dev, TEST_SVC_ADD, test_svc_add, t);
	if (rc == 0)
		rc = vdh->register_svc(t->dev, TEST_SVC_HOOK, test_svc_hook, t);
	if (rc == 0)
		rc = vdh->register_svc(t->dev, TEST_SVC_FAIL, test_svc_fail, t);
	if (rc == 0)
		rc = vdh->register_svc(t->dev, TEST_SVC_UNMAP, test_svc_unmap, t);
	if (rc == 0)
		rc = vdh->install_int_hook(t->dev, TEST_HOOK_VECTOR, test_int, t);
	return rc;
}

static int test_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	struct testvdd *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	t->dev = dev;
	t->base = (uint16_t)vdh->prop_int(props, "port");
	snprintf(t->name, sizeof(t->name), "%s", vdh->prop_string(props, "name"));
	snprintf(t->watch, sizeof(t->watch), "%s", vdh->prop_string(props, "watch"));
	rc = test_write_marker(t, vdh->prop_string(props, "marker"));
	if (rc == 0)
		rc = vdh->install_io_hook(dev, t->base + TEST_BYTE_REGS, 4, &test_byte_ops, t);
	if (rc == 0)
		rc = vdh->install_io_hook(dev, t->base + TEST_WORD_REG, 2, &test_word_ops, t);
	if (rc == 0)
		rc = vdh->install_io_hook(dev, t->base + TEST_DWORD_REG, 4, &test_dword_ops, t);
	if (rc == 0)
		rc = vdh->install_io_hook(dev, t->base + TEST_IRQ_CONTROL, 4, &test_byte_ops, t);
	if (rc == 0)
		rc = vdh->open_irq(dev, (unsigned)vdh->prop_int(props, "irq"), test_eoi, t, &t->irq);
	if (rc == 0)
		rc = vdh->create_timer(dev, test_timer_fired, t, &t->timer);
	if (rc == 0 && vdh->prop_bool(props, "hooks"))
		rc = test_install_hooks(t);
	if (rc == 0)
		rc = test_map_memory(t, (uint64_t)vdh->prop_int(props, "memory"));
	if (rc == 0)
		rc = vdh->register_request(dev, t->name, test_request, t);
	if (rc == 0 && vdh->prop_bool(props, "events"))
		rc = vdh->display_set_event_handler(dev, test_display_event, t);
	if (rc < 0) {
		test_terminate(t);
		return rc;
	}
	*instance = t;
	return 0;
}

static const struct vdh_prop_spec test_props[] = {
	{ "port", VDH_PROP_INT, "0x300", 0, 0xFFF0, "first of the 16 test ports" },
	{ "irq", VDH_PROP_INT, "5", 0, 15, "the IRQ line the test device drives" },
	{ "marker", VDH_PROP_STRING, "", 0, 0, "file created by create(), removed by terminate()" },
	{ "memory", VDH_PROP_INT, "0xd0000", 0, 0xFFFFD000, "MMIO, RAM and ROM pages here" },
	{ "name", VDH_PROP_STRING, TESTVDD_NAME, 0, 0, "the request entry's name (up to 63 bytes)" },
	{ "events", VDH_PROP_BOOL, "0", 0, 0, "log the display's events (needs a display)" },
	{ "watch", VDH_PROP_STRING, "", 0, 0, "the VDD whose event count each event reads" },
	{ "hooks", VDH_PROP_BOOL, "1", 0, 0, "SVCs 40h-43h and the int 60h hook (one VDD only)" },
	{ 0 },
};

VDD_MODULE = {
	.api_version = VDH_API_VERSION,
	.name = TESTVDD_NAME,
	.description = "test device: ports of each width, an IRQ, SVCs 40h-42h, int 60h hook",
	.props = test_props,
	.init = test_init,
	.create = test_create,
	.terminate = test_terminate,
};
