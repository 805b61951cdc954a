/* test_machine.c: a whole machine with the test VDD: named request entries (the
 * DosRequestVDD model) and all-or-nothing VDD attachment. Needs KVM. */
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

#include "kvm/kvm.h"
#include "machine.h"

#define MESON_SKIP 77

static const char *const vdd_dirs[] = { TEST_VDD_DIR, BUILD_VDD_DIR, NULL };
static const struct vdd_search_path vdd_path = { vdd_dirs };

static struct machine *create_machine(const struct machine_vdd *vdds, size_t count, char *err,
				      size_t err_size, int *rc)
{
	struct machine_config config = {
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
