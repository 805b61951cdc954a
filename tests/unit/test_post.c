/* test_post.c: the POST diagnostic port 80h, through vdh_mock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

#define POST_PORT 0x80

static void test_post_port_80h_keeps_the_last_code_written(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), 0);
	assert_true(mock_port_claimed(vm, POST_PORT));
	assert_false(mock_port_claimed(vm, 0x7F));
	assert_false(mock_port_claimed(vm, 0x81));
	/* nothing written yet: the latch is clear */
	assert_int_equal(mock_inb(vm, POST_PORT), 0x00);
	mock_outb(vm, POST_PORT, 0x01);
	mock_outb(vm, POST_PORT, 0xA5);
	assert_int_equal(mock_inb(vm, POST_PORT), 0xA5);
	/* reading does not clear it */
	assert_int_equal(mock_inb(vm, POST_PORT), 0xA5);
	mock_vm_destroy(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_port_80h_keeps_the_last_code_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
