/* test_machine.c: a whole machine with the test VDD: named request entries (the
 * DosRequestVDD model, and VDD to VDD), display events to several VDDs and
 * all-or-nothing VDD attachment. Needs KVM. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <time.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "display.h"
#include "kvm/kvm.h"
#include "machine.h"
#include "protocol.h"
#include "vman.h"

#define MESON_SKIP 77

static const char *const vdd_dirs[] = { TEST_VDD_DIR, BUILD_VDD_DIR, NULL };
static const struct vdd_search_path vdd_path = { vdd_dirs };

static struct machine *create_machine_on(struct display *display,
					 const struct machine_vdd *vdds, size_t count, char *err,
					 size_t err_size, int *rc)
{
	struct machine_config config = {
		.display = display,
		.memory_mib = 16,
		.cpu = "kvm",
		.unpaced = true,
		.vdds = vdds,
		.vdd_count = count,
		.vdd_path = &vdd_path,
	};
	struct machine *m = NULL;
	*rc = machine_create(&config, &m, err, err_size);
	return m;
}

static struct machine *create_machine(const struct machine_vdd *vdds, size_t count, char *err,
				      size_t err_size, int *rc)
{
	return create_machine_on(NULL, vdds, count, err, err_size, rc);
}

static struct machine *create_with_testvdd(void)
{
	static const struct machine_vdd vdds[] = {
		{ .name = "vpic" }, { .name = "vpit" }, { .name = "testvdd" },
	};
	char err[512] = "";
	int rc;
	struct machine *m = create_machine(vdds, 3, err, sizeof(err), &rc);
	if (rc < 0)
		fail_msg("machine_create: %s", err);
	return m;
}

static void test_request_reaches_named_entry(void **state)
{
	struct machine *m = create_with_testvdd();
	char out[8];
	size_t out_len = sizeof(out);

	assert_int_equal(machine_request_vdd(m, "testvdd", 1, "abc", 3, out, &out_len), 0);
	assert_int_equal(out_len, 3);
	assert_memory_equal(out, "cba", 3);
	machine_destroy(m);
}

static void test_request_to_unknown_name_fails(void **state)
{
	struct machine *m = create_with_testvdd();
	char out[8];
	size_t out_len = sizeof(out);

	assert_int_equal(machine_request_vdd(m, "nosuch", 1, "abc", 3, out, &out_len), -ENOENT);
	machine_destroy(m);
}

static void test_request_errors_come_back(void **state)
{
	struct machine *m = create_with_testvdd();
	char out[2];
	size_t out_len = sizeof(out);

	assert_int_equal(machine_request_vdd(m, "testvdd", 1, "abc", 3, out, &out_len), -ENOSPC);
	out_len = sizeof(out);
	assert_int_equal(machine_request_vdd(m, "testvdd", 99, "", 0, out, &out_len), -EINVAL);
	machine_destroy(m);
}

/* The guest writes the test device's registers; a host request reads them. */
static void test_request_sees_guest_state(void **state)
{
	static const uint8_t guest[] = {
		0xBA, 0x00, 0x03,             /* mov dx, 300h */
		0x66, 0xB8, 'M', 'V', 'M', '!', /* mov eax, '!MVM' */
		0x66, 0xEF,                   /* out dx, eax (split into four bytes) */
		0xB0, 0x00,                   /* mov al, 0 */
		0xF4, 0x02, 0xFD,             /* SVC 2: exit */
	};
	struct machine *m = create_with_testvdd();
	struct machine_result result;
	char out[4];
	size_t out_len = sizeof(out);

	assert_int_equal(machine_load(m, 0x7C00, guest, sizeof(guest)), 0);
	assert_int_equal(machine_reset_real_mode(m, 0, 0x7C00, 0, 0x7C00, 0x80), 0);
	machine_run(m, &result);
	assert_int_equal(result.how, MACHINE_END_EXIT);
	assert_int_equal(result.status, 0);
	assert_int_equal(machine_request_vdd(m, "testvdd", 2, NULL, 0, out, &out_len), 0);
	assert_int_equal(out_len, 4);
	assert_memory_equal(out, "MVM!", 4);
	machine_destroy(m);
}

static void *stop_after_a_while(void *opaque)
{
	struct timespec delay = { 0, 200 * 1000 * 1000 };
	nanosleep(&delay, NULL);
	machine_request_stop(opaque);
	return NULL;
}

/* A display that draws nothing: the test emits its events. */
static int null_screen(struct display *display, const uint32_t *pixels, unsigned width,
		       unsigned height, size_t stride)
{
	return 0;
}

static int null_ghi(struct display *display, uint16_t opcode, const void *body, size_t len)
{
	return 0;
}

static int null_share_heap(struct display *display, void *pages, size_t size,
			   uint32_t heap_start, int fd)
{
	return 0;
}

static int null_frame(struct display *display)
{
	return 0;
}

static int null_screenshot(struct display *display, const char *path)
{
	return -ENOTSUP;
}

static void null_destroy(struct display *display)
{
}

static const struct display_ops null_display_ops = {
	.screen = null_screen,
	.ghi = null_ghi,
	.share_heap = null_share_heap,
	.frame = null_frame,
	.screenshot = null_screenshot,
	.destroy = null_destroy,
};

/* Two test VDDs, entries "first" and "second" (each on its own ports, IRQ
 * and memory); events: both log the display's events, each noting how many
 * the other had seen by then. */
static struct machine *create_with_two(struct display *display, bool events)
{
	const char *first[] = { "name=first", events ? "events=1" : "events=0", "watch=second" };
	const char *second[] = { "name=second", events ? "events=1" : "events=0", "port=0x310",
				 "irq=6", "memory=0xd4000", "hooks=0", "watch=first" };
	const struct machine_vdd vdds[] = {
		{ .name = "vpic" },
		{ .name = "vpit" },
		{ .name = "testvdd", .props = first, .prop_count = 3 },
		{ .name = "testvdd_peer1", .props = second, .prop_count = 7 },
	};
	char err[512] = "";
	int rc;
	struct machine *m = create_machine_on(display, vdds, 4, err, sizeof(err), &rc);
	if (rc < 0)
		fail_msg("machine_create: %s", err);
	return m;
}

/* VDHRequestVDD: first asks second, which calls back first before it
 * returns; first's answer (second's name reversed) comes all the way out. */
static void test_request_vdd_nests(void **state)
{
	struct machine *m = create_with_two(NULL, false);
	char out[16];
	size_t out_len = sizeof(out);

	assert_int_equal(machine_request_vdd(m, "first", 3, "second", 6, out, &out_len), 0);
	assert_int_equal(out_len, 6);
	assert_memory_equal(out, "dnoces", 6);
	out_len = sizeof(out);
	assert_int_equal(machine_request_vdd(m, "first", 3, "nosuch", 6, out, &out_len), -ENOENT);
	machine_destroy(m);
}

struct event_log {
	uint32_t count, type, other_count;
};

static struct event_log event_log_of(struct machine *m, const char *name)
{
	struct event_log log;
	size_t len = sizeof(log);

	assert_int_equal(machine_request_vdd(m, name, 5, NULL, 0, &log, &len), 0);
	assert_int_equal(len, sizeof(log));
	return log;
}

/* Every handler gets every event, VVMI's and VMAN's own, in the order the
 * VDDs set them (first's ran before second's: second saw first's count
 * already up, first saw second's not yet); one removed gets no more. */
static void test_display_events_reach_every_handler(void **state)
{
	struct display display = { .ops = &null_display_ops, .foreground = true };
	const struct vvmi_event_key key = { .scancode = 0x1E, .pressed = 1 };
	const struct vman_event_pointer_screen pointer = { .x = 10, .y = 20 };
	struct machine *m = create_with_two(&display, true);
	struct event_log first, second;

	display_emit(&display, VVMI_EVENT_KEY, &key, sizeof(key));
	first = event_log_of(m, "first");
	second = event_log_of(m, "second");
	assert_int_equal(first.count, 1);
	assert_int_equal(first.type, VVMI_EVENT_KEY);
	assert_int_equal(second.count, 1);
	assert_int_equal(second.type, VVMI_EVENT_KEY);
	assert_int_equal(second.other_count, 1);
	assert_int_equal(first.other_count, 0);

	display_emit(&display, VMAN_EVENT_POINTER_SCREEN, &pointer, sizeof(pointer));
	assert_int_equal(event_log_of(m, "first").type, VMAN_EVENT_POINTER_SCREEN);
	assert_int_equal(event_log_of(m, "second").type, VMAN_EVENT_POINTER_SCREEN);

	assert_int_equal(machine_request_vdd(m, "first", 6, NULL, 0, NULL, NULL), 0);
	display_emit(&display, VVMI_EVENT_KEY, &key, sizeof(key));
	assert_int_equal(event_log_of(m, "first").count, 2);
	assert_int_equal(event_log_of(m, "second").count, 3);
	machine_destroy(m);
}

/* Past VDH_DISPLAY_HANDLERS VDDs with a handler, the next is refused. */
static void test_display_handlers_are_bounded(void **state)
{
	struct display display = { .ops = &null_display_ops };
	enum { COUNT = VDH_DISPLAY_HANDLERS + 1 };
	static const unsigned irqs[COUNT] = { 3, 4, 5, 6, 7, 9, 10, 11, 12 };
	char names[COUNT][32], props[COUNT][6][32];
	const char *prop_list[COUNT][6];
	struct machine_vdd vdds[COUNT + 2] = { { .name = "vpic" }, { .name = "vpit" } };
	char err[512] = "";
	int rc;

	for (unsigned i = 0; i < COUNT; i++) {
		snprintf(props[i][0], sizeof(props[i][0]), "name=vdd%u", i);
		snprintf(props[i][1], sizeof(props[i][1]), "events=1");
		snprintf(props[i][2], sizeof(props[i][2]), "port=0x%x", 0x300 + 0x10 * i);
		snprintf(props[i][3], sizeof(props[i][3]), "irq=%u", irqs[i]);
		snprintf(props[i][4], sizeof(props[i][4]), "memory=0x%x", 0xC8000 + 0x3000 * i);
		snprintf(props[i][5], sizeof(props[i][5]), "hooks=%d", i == 0);
		for (unsigned p = 0; p < 6; p++)
			prop_list[i][p] = props[i][p];
		if (i == 0)
			snprintf(names[i], sizeof(names[i]), "testvdd");
		else
			snprintf(names[i], sizeof(names[i]), "testvdd_peer%u", i);
		vdds[i + 2] = (struct machine_vdd){ .name = names[i], .props = prop_list[i],
						    .prop_count = 6 };
	}
	assert_null(create_machine_on(&display, vdds, COUNT + 2, err, sizeof(err), &rc));
	assert_int_equal(rc, -ENOSPC);
	assert_non_null(strstr(err, "the display's events already go to 8 VDDs"));
}

/* A guest spinning without a single trap (jmp $) is stopped from another
 * thread: the request kicks the vCPU out of KVM_RUN. */
static void test_stop_from_another_thread(void **state)
{
	static const uint8_t spin[] = { 0xEB, 0xFE }; /* jmp $ */
	struct machine *m = create_with_testvdd();
	struct machine_result result;
	pthread_t stopper;

	assert_int_equal(machine_load(m, 0x7C00, spin, sizeof(spin)), 0);
	assert_int_equal(machine_reset_real_mode(m, 0, 0x7C00, 0, 0x7C00, 0x80), 0);
	assert_int_equal(pthread_create(&stopper, NULL, stop_after_a_while, m), 0);
	machine_run(m, &result);
	assert_int_equal(pthread_join(stopper, NULL), 0);
	assert_int_equal(result.how, MACHINE_END_STOPPED);
	assert_non_null(strstr(result.message, "stopped at 0000:7c00"));
	machine_destroy(m);
}

/* A refused VDD undoes the VDDs created before it: testvdd's terminate()
 * removes its marker file. */
static void test_refused_vdd_undoes_earlier_ones(void **state)
{
	char marker[] = "/tmp/mvm-test-marker-XXXXXX";
	char marker_prop[64], err[512] = "";
	const char *testvdd_props[1] = { marker_prop };
	const char *clash_props[1] = { "what=port" };
	struct machine_vdd vdds[] = {
		{ .name = "vpic" },
		{ .name = "vpit" },
		{ .name = "testvdd", .props = testvdd_props, .prop_count = 1 },
		{ .name = "bad_clash", .props = clash_props, .prop_count = 1 },
	};
	int fd = mkstemp(marker), rc;

	assert_true(fd >= 0);
	close(fd);
	unlink(marker);
	snprintf(marker_prop, sizeof(marker_prop), "marker=%s", marker);
	assert_null(create_machine(vdds, 4, err, sizeof(err), &rc));
	assert_int_equal(rc, -EBUSY);
	assert_non_null(strstr(err, "bad_clash.so: refused: ports 0x0020-0x0021"));
	assert_int_equal(access(marker, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_reaches_named_entry),
		cmocka_unit_test(test_request_to_unknown_name_fails),
		cmocka_unit_test(test_request_errors_come_back),
		cmocka_unit_test(test_request_sees_guest_state),
		cmocka_unit_test(test_request_vdd_nests),
		cmocka_unit_test(test_display_events_reach_every_handler),
		cmocka_unit_test(test_display_handlers_are_bounded),
		cmocka_unit_test(test_stop_from_another_thread),
		cmocka_unit_test(test_refused_vdd_undoes_earlier_ones),
	};
	char reason[256];

	if (!kvm_usable(reason, sizeof(reason))) {
		printf("SKIP kvm: %s\n", reason);
		return MESON_SKIP;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
