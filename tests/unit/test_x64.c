/* test_x64.c: the IST translator's x86-64 assembler against the bytes GNU as writes for the
 * same instructions (checked with objdump): every addressing form it is asked for, byte
 * registers that need REX, immediates, jumps, and what happens when the buffer runs out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ist/ist_x64.h"

struct asm_buf {
	uint8_t code[256];
	struct x64_asm a;
};

static void buf_init(struct asm_buf *b)
{
	memset(b->code, 0xCC, sizeof(b->code));
	b->a = (struct x64_asm){ b->code, b->code, b->code + sizeof(b->code), false };
}

static void expect_bytes(struct asm_buf *b, const uint8_t *want, size_t len)
{
	assert_false(b->a.full);
	assert_int_equal(x64_here(&b->a), len);
	assert_memory_equal(b->code, want, len);
}

#define EXPECT(b, ...) \
	do { \
		static const uint8_t want_[] = { __VA_ARGS__ }; \
		expect_bytes((b), want_, sizeof(want_)); \
	} while (0)

static void test_loads_and_stores(void **state)
{
	struct asm_buf b;
	(void)state;

	buf_init(&b);
	x64_load_zx(&b.a, 16, X64_RAX, x64_m(X64_RBX, 0x20));
	EXPECT(&b, 0x0F, 0xB7, 0x43, 0x20);

	buf_init(&b);
	x64_load_zx(&b.a, 8, X64_RDX, x64_r(X64_RSI)); /* movzx edx, sil: REX */
	EXPECT(&b, 0x40, 0x0F, 0xB6, 0xD6);

	buf_init(&b);
	x64_load_sx(&b.a, 16, X64_RDI, x64_r(X64_RDI));
	EXPECT(&b, 0x0F, 0xBF, 0xFF);

	buf_init(&b);
	x64_store(&b.a, 8, x64_m(X64_RBX, 0x47), X64_RSI); /* mov [rbx+47h], sil */
	EXPECT(&b, 0x40, 0x88, 0x73, 0x47);

	buf_init(&b);
	x64_store(&b.a, 32, x64_m(X64_RBX, 0), X64_R8);
	EXPECT(&b, 0x44, 0x89, 0x03);

	buf_init(&b);
	x64_mov_rm_imm(&b.a, 16, x64_m(X64_RBX, 0x20), 0x1234);
	EXPECT(&b, 0x66, 0xC7, 0x43, 0x20, 0x34, 0x12);

	buf_init(&b);
	x64_mov_imm64(&b.a, X64_RSI, 0x1122334455667788ull);
	EXPECT(&b, 0x48, 0xBE, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11);
}

static void test_addressing_forms(void **state)
{
	struct asm_buf b;
	(void)state;

	buf_init(&b); /* SIB with index and scale */
	x64_op(&b.a, X64_W64, 0x8B, 1, X64_RCX, x64_mi(X64_RCX, X64_RDX, 3, 0));
	EXPECT(&b, 0x48, 0x8B, 0x0C, 0xD1);

	buf_init(&b); /* disp32 with index */
	x64_op(&b.a, X64_W32, 0x8D, 1, X64_RAX, x64_mi(X64_RAX, X64_RDX, 1, 0x1000));
	EXPECT(&b, 0x8D, 0x84, 0x50, 0x00, 0x10, 0x00, 0x00);

	buf_init(&b); /* [r13] has no form without a displacement */
	x64_op(&b.a, X64_W32, 0x8B, 1, X64_RAX, x64_m(X64_R13, 0));
	EXPECT(&b, 0x41, 0x8B, 0x45, 0x00);

	buf_init(&b); /* [r12 + 8] needs a SIB byte */
	x64_op(&b.a, X64_W32, 0x8B, 1, X64_RAX, x64_m(X64_R12, 8));
	EXPECT(&b, 0x41, 0x8B, 0x44, 0x24, 0x08);

	buf_init(&b);
	x64_op(&b.a, X64_W32, 0x8B, 1, X64_RAX, x64_m(X64_RSP, 0));
	EXPECT(&b, 0x8B, 0x04, 0x24);
}

static void test_arithmetic(void **state)
{
	struct asm_buf b;
	(void)state;

	buf_init(&b);
	x64_alu_imm(&b.a, 7, 16, x64_r(X64_RDI), 0x1FFE); /* cmp di, 1FFEh */
	EXPECT(&b, 0x66, 0x81, 0xFF, 0xFE, 0x1F);

	buf_init(&b); /* 16-bit 0FFFFh is -1: the sign-extended byte form */
	x64_alu_imm(&b.a, 0, 16, x64_r(X64_RDI), 0xFFFF);
	EXPECT(&b, 0x66, 0x83, 0xC7, 0xFF);

	buf_init(&b);
	x64_alu_imm(&b.a, 0, 64, x64_m(X64_RBX, 0x2E8), 0xB);
	EXPECT(&b, 0x48, 0x83, 0x83, 0xE8, 0x02, 0x00, 0x00, 0x0B);

	buf_init(&b);
	x64_alu_imm(&b.a, 7, 8, x64_m(X64_RBX, 0x2F8), 0);
	EXPECT(&b, 0x80, 0xBB, 0xF8, 0x02, 0x00, 0x00, 0x00);

	buf_init(&b);
	x64_alu(&b.a, 0, 8, x64_r(X64_RDI), X64_RDX); /* add dil, dl */
	EXPECT(&b, 0x40, 0x00, 0xD7);

	buf_init(&b);
	x64_alu_load(&b.a, 5, 32, X64_RDX, x64_m(X64_RBX, 0xB4)); /* sub edx, [rbx+B4h] */
	EXPECT(&b, 0x2B, 0x93, 0xB4, 0x00, 0x00, 0x00);

	buf_init(&b);
	x64_op(&b.a, X64_W8 | X64_BYTE_RM, 0xFE, 1, 1, x64_r(X64_RDI)); /* dec dil */
	EXPECT(&b, 0x40, 0xFE, 0xCF);
}

static void test_jumps(void **state)
{
	struct asm_buf b;
	size_t at;
	(void)state;

	buf_init(&b); /* a jump to itself */
	x64_jcc_to(&b.a, X64_E, 0);
	EXPECT(&b, 0x0F, 0x84, 0xFA, 0xFF, 0xFF, 0xFF);

	buf_init(&b); /* forward, patched once the target is known */
	at = x64_jmp(&b.a);
	x64_op1(&b.a, 0xC3);
	x64_patch(&b.a, at, x64_here(&b.a));
	EXPECT(&b, 0xE9, 0x01, 0x00, 0x00, 0x00, 0xC3);

	buf_init(&b);
	x64_jmp_rm(&b.a, x64_m(X64_RSI, 0));
	x64_call_rm(&b.a, x64_r(X64_RAX));
	EXPECT(&b, 0xFF, 0x26, 0xFF, 0xD0);
}

static void test_align(void **state)
{
	_Alignas(64) uint8_t code[128];
	struct x64_asm a = { code, code + 3, code + sizeof(code), false };
	(void)state;

	memset(code, 0xCC, sizeof(code));
	x64_align(&a, 32); /* 29 bytes of NOPs: 9, 9, 9, 2 */
	assert_ptr_equal(a.p, code + 32);
	assert_int_equal(code[3], 0x66);
	assert_int_equal(code[4], 0x0F);
	assert_int_equal(code[30], 0x66);
	assert_int_equal(code[31], 0x90);
	x64_align(&a, 32); /* aligned already */
	assert_ptr_equal(a.p, code + 32);
}

static void test_full_buffer_stays_inside(void **state)
{
	uint8_t code[48 + 16];
	struct x64_asm a = { code, code, code + 48, false };
	(void)state;

	memset(code, 0xCC, sizeof(code));
	for (int k = 0; k < 20; k++)
		x64_mov_imm64(&a, X64_RAX, 0x1122334455667788ull);
	assert_true(a.full);
	assert_true(a.p <= a.end);
	for (size_t k = 48; k < sizeof(code); k++)
		assert_int_equal(code[k], 0xCC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_and_stores),
		cmocka_unit_test(test_addressing_forms),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_jumps),
		cmocka_unit_test(test_align),
		cmocka_unit_test(test_full_buffer_stays_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
