/* test_dos_exe.c: MZ headers checked against their files, and load modules relocated into guest memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dos_errors.h"
#include "dos_test_mem.h"
#include "dos_exe.h"

#define GUEST_FILL 0xCC

#define HEADER_PARAS 4u
#define HEADER_BYTES (HEADER_PARAS * 16u)
#define RELOC_OFFSET 0x1Cu
#define IMAGE_BYTES 1000u
#define FILE_BYTES (HEADER_BYTES + IMAGE_BYTES) /* 1064: two pages and 40 bytes */
#define LOAD_SEGMENT 0x2000u
#define LOAD_LINEAR (LOAD_SEGMENT * 16u)

static uint8_t file[FILE_BYTES];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint8_t image_byte(uint32_t i)
{
	return (uint8_t)(i * 7u + 3u);
}

static void put_reloc(uint16_t index, uint16_t segment, uint16_t offset)
{
	put16(file + RELOC_OFFSET + index * 4u, offset);
	put16(file + RELOC_OFFSET + index * 4u + 2u, segment);
	put16(file + 0x06, (uint16_t)(index + 1u));
}

/* A 1064-byte EXE: a 4-paragraph header, CS:IP 0010:0020, SS:SP 0030:0200,
 * 10h to FFFFh extra paragraphs, no relocations yet. */
static int setup(void **state)
{
	(void)state;
	memset(guest, GUEST_FILL, sizeof(guest));
	memset(file, 0, sizeof(file));
	file[0] = 'M';
	file[1] = 'Z';
	put16(file + 0x02, FILE_BYTES % 512u);
	put16(file + 0x04, FILE_BYTES / 512u + 1u);
	put16(file + 0x08, HEADER_PARAS);
	put16(file + 0x0A, 0x10);
	put16(file + 0x0C, 0xFFFF);
	put16(file + 0x0E, 0x0030);
	put16(file + 0x10, 0x0200);
	put16(file + 0x14, 0x0020);
	put16(file + 0x16, 0x0010);
	put16(file + 0x18, RELOC_OFFSET);
	for (uint32_t i = 0; i < IMAGE_BYTES; i++)
		file[HEADER_BYTES + i] = image_byte(i);
	return 0;
}

static int parse(size_t file_size, struct dos_exe_info *info)
{
	return dos_exe_parse(file, file_size, info);
}

static void test_is_mz_takes_either_byte_order(void **state)
{
	(void)state;
	assert_true(dos_exe_is_mz((const uint8_t *)"MZ", 2));
	assert_true(dos_exe_is_mz((const uint8_t *)"ZM\x90", 3));
	assert_false(dos_exe_is_mz((const uint8_t *)"MX", 2));
	assert_false(dos_exe_is_mz((const uint8_t *)"\xE9MZ", 3)); /* a .COM's jmp */
	assert_false(dos_exe_is_mz((const uint8_t *)"M", 1));
	assert_false(dos_exe_is_mz((const uint8_t *)"", 0));
}

static void test_parse_reads_every_field(void **state)
{
	(void)state;
	struct dos_exe_info info;
	put_reloc(0, 0x0000, 0x0010);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.header_bytes, HEADER_BYTES);
	assert_int_equal(info.image_bytes, IMAGE_BYTES);
	assert_int_equal(info.min_paras, 0x10);
	assert_int_equal(info.max_paras, 0xFFFF);
	assert_int_equal(info.ss, 0x0030);
	assert_int_equal(info.sp, 0x0200);
	assert_int_equal(info.cs, 0x0010);
	assert_int_equal(info.ip, 0x0020);
	assert_int_equal(info.reloc_count, 1);
	assert_int_equal(info.reloc_offset, RELOC_OFFSET);
}

static void test_zm_signature_is_an_exe_too(void **state)
{
	(void)state;
	struct dos_exe_info info;
	file[0] = 'Z';
	file[1] = 'M';
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.image_bytes, IMAGE_BYTES);
	file[1] = 'Z';
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
}

static void test_a_file_shorter_than_a_header_is_bad_format(void **state)
{
	(void)state;
	struct dos_exe_info info;
	assert_int_equal(parse(27, &info), DOS_EBADFORMAT);
}

static void test_last_page_zero_means_a_full_page(void **state)
{
	(void)state;
	struct dos_exe_info info;
	/* 1024 bytes: two full pages. */
	put16(file + 0x02, 0);
	put16(file + 0x04, 2);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.image_bytes, 1024u - HEADER_BYTES);
	/* 512 says the same. */
	put16(file + 0x02, 512);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.image_bytes, 1024u - HEADER_BYTES);
	/* A partial last page: 100 bytes of the second. */
	put16(file + 0x02, 100);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.image_bytes, 612u - HEADER_BYTES);
}

static void test_last_page_over_512_is_bad_format(void **state)
{
	(void)state;
	struct dos_exe_info info;
	put16(file + 0x02, 513);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
	/* No pages, yet bytes in the last one. */
	put16(file + 0x02, 10);
	put16(file + 0x04, 0);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
}

/* MS-DOS reads what there is of the last page, but a whole page missing is
 * a header that lies. */
static void test_a_file_less_than_a_page_short_loads_what_is_there(void **state)
{
	(void)state;
	struct dos_exe_info info;
	put16(file + 0x02, 0);
	put16(file + 0x04, 3); /* 1536 bytes: the file's 1064 are 472 short */
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.image_bytes, IMAGE_BYTES);
	assert_int_equal(parse(1025u, &info), 0);
	assert_int_equal(info.image_bytes, 1025u - HEADER_BYTES);
}

static void test_a_file_a_page_or_more_short_is_bad_format(void **state)
{
	(void)state;
	struct dos_exe_info info;
	put16(file + 0x02, 0);
	put16(file + 0x04, 3);
	assert_int_equal(parse(1024u, &info), DOS_EBADFORMAT);
	assert_int_equal(parse(HEADER_BYTES, &info), DOS_EBADFORMAT);
	put16(file + 0x04, 10);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
}

static void test_both_allocations_zero_loads_high(void **state)
{
	(void)state;
	struct dos_exe_info info;
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_false(dos_exe_loads_high(&info));
	assert_int_equal(dos_exe_image_paras(&info), (IMAGE_BYTES + 15u) / 16u);
	put16(file + 0x0C, 0);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_false(dos_exe_loads_high(&info)); /* the minimum is still 10h */
	put16(file + 0x0A, 0);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_true(dos_exe_loads_high(&info));
}

static void test_a_header_past_the_end_is_bad_format(void **state)
{
	(void)state;
	struct dos_exe_info info;
	/* Past the end of the file. */
	put16(file + 0x08, 0x100);
	put16(file + 0x04, 20);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
	/* Inside the file, past the end the pages give. */
	put16(file + 0x08, HEADER_PARAS);
	put16(file + 0x04, 1);
	put16(file + 0x02, HEADER_BYTES - 1u);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
	/* Ending where the pages do: an empty load module. */
	put16(file + 0x02, HEADER_BYTES);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(info.image_bytes, 0);
}

static void test_a_relocation_table_past_the_end_is_bad_format(void **state)
{
	(void)state;
	struct dos_exe_info info;
	put16(file + 0x06, 2);
	put16(file + 0x18, FILE_BYTES - 7u);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
	put16(file + 0x18, FILE_BYTES - 8u);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	/* 4000h entries are 10000h bytes: in 16 bits the table would end
	 * where it starts. */
	put16(file + 0x06, 0x4000);
	put16(file + 0x18, RELOC_OFFSET);
	assert_int_equal(parse(FILE_BYTES, &info), DOS_EBADFORMAT);
	/* An empty table may point anywhere. */
	put16(file + 0x06, 0);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
}

static void test_paragraphs_needed_round_up_and_saturate(void **state)
{
	(void)state;
	struct dos_exe_info info;
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	/* 1000 bytes are 62.5 paragraphs: 63. */
	assert_int_equal(dos_exe_min_paras(&info), 63u + 0x10u);
	assert_int_equal(dos_exe_max_paras(&info), 0xFFFF);
	info.min_paras = 0xFFF0;
	info.max_paras = 0x20;
	assert_int_equal(dos_exe_min_paras(&info), 0xFFFF);
	assert_int_equal(dos_exe_max_paras(&info), 63u + 0x20u);
	info.image_bytes = 960;
	info.min_paras = 0;
	assert_int_equal(dos_exe_min_paras(&info), 60);
	info.image_bytes = 0x100000;
	assert_int_equal(dos_exe_min_paras(&info), 0xFFFF);
}

static void test_load_copies_the_image_and_adds_the_load_segment(void **state)
{
	(void)state;
	struct dos_exe_info info;
	put_reloc(0, 0x0000, 0x0010);
	put_reloc(1, 0x0002, 0x0004); /* 0002:0004, image offset 24h */
	put_reloc(2, 0x003E, 0x0006); /* the last word: 3E6h-3E7h */
	put16(file + HEADER_BYTES + 0x10, 0x0005);
	put16(file + HEADER_BYTES + 0x24, 0xF234);
	put16(file + HEADER_BYTES + 0x3E6, 0x0100);
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(dos_exe_load(&mem, file, FILE_BYTES, &info, LOAD_SEGMENT), 0);

	assert_int_equal(get16(guest + LOAD_LINEAR + 0x10), 0x2005);
	assert_int_equal(get16(guest + LOAD_LINEAR + 0x24), 0x1234); /* wraps, as on a 8086 */
	assert_int_equal(get16(guest + LOAD_LINEAR + 0x3E6), 0x2100);
	for (uint32_t i = 0; i < IMAGE_BYTES; i++) {
		if (i == 0x10 || i == 0x11 || i == 0x24 || i == 0x25 || i >= 0x3E6)
			continue;
		assert_int_equal(guest[LOAD_LINEAR + i], image_byte(i));
	}
	assert_int_equal(guest[LOAD_LINEAR - 1u], GUEST_FILL);
	assert_int_equal(guest[LOAD_LINEAR + IMAGE_BYTES], GUEST_FILL);
}

static void test_load_of_a_clipped_image_stops_at_the_end_of_the_file(void **state)
{
	(void)state;
	struct dos_exe_info info;
	assert_int_equal(parse(FILE_BYTES - 100u, &info), 0);
	assert_int_equal(info.image_bytes, IMAGE_BYTES - 100u);
	assert_int_equal(dos_exe_load(&mem, file, FILE_BYTES - 100u, &info, LOAD_SEGMENT), 0);
	assert_int_equal(guest[LOAD_LINEAR + IMAGE_BYTES - 101u], image_byte(IMAGE_BYTES - 101u));
	assert_int_equal(guest[LOAD_LINEAR + IMAGE_BYTES - 100u], GUEST_FILL);
}

/* Nothing at all is written when one relocation is bad, wherever it is. */
static void assert_load_refused(void)
{
	struct dos_exe_info info;
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	assert_int_equal(dos_exe_load(&mem, file, FILE_BYTES, &info, LOAD_SEGMENT),
			 DOS_EBADFORMAT);
	for (uint32_t i = 0; i < GUEST_BYTES; i++)
		if (guest[i] != GUEST_FILL)
			fail_msg("guest byte %05x written", i);
}

static void test_a_relocation_straddling_the_image_end_is_refused(void **state)
{
	(void)state;
	put_reloc(0, 0x0000, 0x0010);
	put_reloc(1, 0x003E, 0x0007); /* 3E7h-3E8h: one byte past the image */
	assert_load_refused();
}

static void test_a_relocation_far_past_the_image_is_refused(void **state)
{
	(void)state;
	put_reloc(0, 0xFFFF, 0xFFFF);
	assert_load_refused();
}

static void test_a_relocation_in_an_empty_image_is_refused(void **state)
{
	(void)state;
	put16(file + 0x04, 1);
	put16(file + 0x02, HEADER_BYTES);
	put_reloc(0, 0, 0);
	assert_load_refused();
}

static void test_load_refuses_info_that_is_not_this_files(void **state)
{
	(void)state;
	struct dos_exe_info info;
	assert_int_equal(parse(FILE_BYTES, &info), 0);
	info.image_bytes += 1u;
	assert_int_equal(dos_exe_load(&mem, file, FILE_BYTES, &info, LOAD_SEGMENT),
			 DOS_EBADFORMAT);
	info.image_bytes -= 1u;
	info.reloc_count = 0x1000;
	assert_int_equal(dos_exe_load(&mem, file, FILE_BYTES, &info, LOAD_SEGMENT),
			 DOS_EBADFORMAT);
	assert_int_equal(guest[LOAD_LINEAR], GUEST_FILL);
}

#define EXE_TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		EXE_TEST(test_is_mz_takes_either_byte_order),
		EXE_TEST(test_parse_reads_every_field),
		EXE_TEST(test_zm_signature_is_an_exe_too),
		EXE_TEST(test_a_file_shorter_than_a_header_is_bad_format),
		EXE_TEST(test_last_page_zero_means_a_full_page),
		EXE_TEST(test_last_page_over_512_is_bad_format),
		EXE_TEST(test_a_file_less_than_a_page_short_loads_what_is_there),
		EXE_TEST(test_a_file_a_page_or_more_short_is_bad_format),
		EXE_TEST(test_both_allocations_zero_loads_high),
		EXE_TEST(test_a_header_past_the_end_is_bad_format),
		EXE_TEST(test_a_relocation_table_past_the_end_is_bad_format),
		EXE_TEST(test_paragraphs_needed_round_up_and_saturate),
		EXE_TEST(test_load_copies_the_image_and_adds_the_load_segment),
		EXE_TEST(test_load_of_a_clipped_image_stops_at_the_end_of_the_file),
		EXE_TEST(test_a_relocation_straddling_the_image_end_is_refused),
		EXE_TEST(test_a_relocation_far_past_the_image_is_refused),
		EXE_TEST(test_a_relocation_in_an_empty_image_is_refused),
		EXE_TEST(test_load_refuses_info_that_is_not_this_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
