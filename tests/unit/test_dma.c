/* test_dma.c: the 8237A DMA pair as a BIOS programs it and a device transfers through it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vdh_mock.h"

extern const struct vdd_module vdd_module;

/* DMA1 (channels 0-3) */
#define DMA1_ADDR(ch) (0x00 + 2 * (ch))
#define DMA1_COUNT(ch) (0x01 + 2 * (ch))
#define DMA1_STATUS 0x08
#define DMA1_COMMAND 0x08
#define DMA1_REQUEST 0x09
#define DMA1_SINGLE_MASK 0x0A
#define DMA1_MODE 0x0B
#define DMA1_CLEAR_FF 0x0C
#define DMA1_MASTER_CLEAR 0x0D
#define DMA1_CLEAR_MASK 0x0E
#define DMA1_ALL_MASK 0x0F
/* DMA2 (channels 4-7), registers on even ports */
#define DMA2_ADDR(ch) (0xC0 + 4 * ((ch) - 4))
#define DMA2_COUNT(ch) (0xC2 + 4 * ((ch) - 4))
#define DMA2_SINGLE_MASK 0xD4
#define DMA2_MODE 0xD6
#define DMA2_CLEAR_FF 0xD8
#define DMA2_MASTER_CLEAR 0xDA
#define DMA2_ALL_MASK 0xDE

/* Mode bytes: single mode (0x40), type write (0x04: to memory) or read (0x08), channel */
#define MODE_SINGLE 0x40
#define MODE_CASCADE 0xC0
#define MODE_WRITE 0x04
#define MODE_READ 0x08
#define MODE_VERIFY 0x00
#define MODE_AUTOINIT 0x10
#define MODE_DECREMENT 0x20

/*
 * A stand-in device: its create() keeps the helper table and its handle, so a
 * test can call vdh->dma_transfer as the floppy controller would.
 */
static const struct vdh *dev_vdh;
static struct vdh_dev *dev_handle;

static int device_init(const struct vdh *vdh)
{
	dev_vdh = vdh;
	return 0;
}

static int device_create(struct vdh_dev *dev, const struct vdh_props *props, void **instance)
{
	dev_handle = dev;
	*instance = NULL;
	return 0;
}

static const struct vdd_module device_module = {
	.api_version = VDH_API_VERSION,
	.name = "device",
	.init = device_init,
	.create = device_create,
};

static size_t transfer(unsigned channel, void *buf, size_t len, bool to_memory, bool *tc)
{
	return dev_vdh->dma_transfer(dev_handle, channel, buf, len, to_memory, tc);
}

static int setup(void **state)
{
	struct mock_vm *vm = mock_vm_create();

	assert_non_null(vm);
	assert_int_equal(mock_vm_attach(vm, &vdd_module, NULL), 0);
	assert_int_equal(mock_vm_attach(vm, &device_module, NULL), 0);
	*state = vm;
	return 0;
}

static int teardown(void **state)
{
	mock_vm_destroy(*state);
	return 0;
}

/* What a BIOS does at POST: master clear both chips, DMA2 channel 4 in cascade
 * mode and unmasked so DMA1 reaches the bus. */
static void bios_dma_setup(struct mock_vm *vm)
{
	mock_outb(vm, DMA1_MASTER_CLEAR, 0);
	mock_outb(vm, DMA2_MASTER_CLEAR, 0);
	mock_outb(vm, DMA2_MODE, MODE_CASCADE);
	mock_outb(vm, DMA2_SINGLE_MASK, 0x00);
}

/* A BIOS setting up channel 0-3 for a transfer of count bytes at addr: mask,
 * address and count after clearing the flip-flop, mode, page, unmask. */
static void program8(struct mock_vm *vm, unsigned ch, uint8_t mode, uint32_t addr, uint16_t count)
{
	static const uint16_t page_port[4] = { 0x87, 0x83, 0x81, 0x82 };
	uint16_t end = (uint16_t)(count - 1);

	mock_outb(vm, DMA1_SINGLE_MASK, (uint8_t)(0x04 | ch));
	mock_outb(vm, DMA1_CLEAR_FF, 0);
	mock_outb(vm, DMA1_ADDR(ch), (uint8_t)addr);
	mock_outb(vm, DMA1_ADDR(ch), (uint8_t)(addr >> 8));
	mock_outb(vm, DMA1_CLEAR_FF, 0);
	mock_outb(vm, DMA1_COUNT(ch), (uint8_t)end);
	mock_outb(vm, DMA1_COUNT(ch), (uint8_t)(end >> 8));
	mock_outb(vm, DMA1_MODE, (uint8_t)(mode | ch));
	mock_outb(vm, page_port[ch], (uint8_t)(addr >> 16));
	mock_outb(vm, DMA1_SINGLE_MASK, (uint8_t)ch);
}

/* The same for channels 5-7: word address and word count. */
static void program16(struct mock_vm *vm, unsigned ch, uint8_t mode, uint8_t page,
		      uint16_t word_addr, uint16_t words)
{
	static const uint16_t page_port[4] = { 0x8F, 0x8B, 0x89, 0x8A };
	uint16_t end = (uint16_t)(words - 1);

	mock_outb(vm, DMA2_SINGLE_MASK, (uint8_t)(0x04 | (ch - 4)));
	mock_outb(vm, DMA2_CLEAR_FF, 0);
	mock_outb(vm, DMA2_ADDR(ch), (uint8_t)word_addr);
	mock_outb(vm, DMA2_ADDR(ch), (uint8_t)(word_addr >> 8));
	mock_outb(vm, DMA2_COUNT(ch), (uint8_t)end);
	mock_outb(vm, DMA2_COUNT(ch), (uint8_t)(end >> 8));
	mock_outb(vm, DMA2_MODE, (uint8_t)(mode | (ch - 4)));
	mock_outb(vm, page_port[ch - 4], page);
	mock_outb(vm, DMA2_SINGLE_MASK, (uint8_t)(ch - 4));
}

/* A 16-bit register read low byte first after clearing the flip-flop. */
static uint16_t read16(struct mock_vm *vm, uint16_t clear_ff, uint16_t port)
{
	uint16_t lo;

	mock_outb(vm, clear_ff, 0);
	lo = mock_inb(vm, port);
	return (uint16_t)(lo | mock_inb(vm, port) << 8);
}

static void fill_pattern(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

static void test_claims_both_controllers_and_page_registers(void **state)
{
	struct mock_vm *vm = *state;

	for (uint16_t port = 0x00; port <= 0x0F; port++)
		assert_true(mock_port_claimed(vm, port));
	for (uint16_t port = 0xC0; port <= 0xDF; port++)
		assert_true(mock_port_claimed(vm, port));
	for (uint16_t port = 0x81; port <= 0x8F; port++)
		assert_true(mock_port_claimed(vm, port));
	/* 0x80 is the POST diagnostic port */
	assert_false(mock_port_claimed(vm, 0x80));
	assert_false(mock_port_claimed(vm, 0x10));
	assert_false(mock_port_claimed(vm, 0x90));
	assert_false(mock_port_claimed(vm, 0xBF));
	assert_false(mock_port_claimed(vm, 0xE0));
}

static void test_power_on_every_channel_masked_moves_nothing(void **state)
{
	uint8_t buf[16] = { 0 };
	bool tc = true;

	for (unsigned ch = 0; ch < 8; ch++) {
		assert_int_equal(transfer(ch, buf, sizeof(buf), true, &tc), 0);
		assert_false(tc);
	}
	assert_int_equal(transfer(8, buf, sizeof(buf), true, &tc), 0);
}

/* The floppy boot sector read: 512 bytes to 0000:7C00 on channel 2, mode 46h. */
static void test_bios_floppy_read_of_512_bytes_to_7c00(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t sector[512];
	bool tc = false;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x7C00, 512);
	assert_int_equal(mock_inb(vm, DMA1_ALL_MASK) & 0x0F, 0x0B);
	fill_pattern(sector, sizeof(sector), 0x31);
	assert_int_equal(transfer(2, sector, sizeof(sector), true, &tc), 512);
	assert_true(tc);
	assert_memory_equal(mock_ram(vm) + 0x7C00, sector, sizeof(sector));
	assert_int_equal(mock_ram(vm)[0x7BFF], 0);
	assert_int_equal(mock_ram(vm)[0x7E00], 0);
	/* the current address went past the buffer, the count rolled over to FFFFh */
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(2)), 0x7E00);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_COUNT(2)), 0xFFFF);
	/* TC sets the status bit and, without autoinit, the mask bit */
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0x04);
	assert_int_equal(mock_inb(vm, DMA1_ALL_MASK) & 0x0F, 0x0F);
	assert_int_equal(transfer(2, sector, sizeof(sector), true, &tc), 0);
}

static void test_status_tc_bits_clear_on_read(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t buf[4];
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 1, MODE_SINGLE | MODE_WRITE, 0x1000, 4);
	program8(vm, 3, MODE_SINGLE | MODE_WRITE, 0x2000, 4);
	assert_int_equal(transfer(1, buf, 4, true, &tc), 4);
	assert_int_equal(transfer(3, buf, 4, true, &tc), 4);
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0x0A);
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0x00);
}

static void test_transfer_in_parts_counts_down_and_tc_ends_it(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[512];
	bool tc = true;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x3000, 300);
	fill_pattern(data, sizeof(data), 5);
	assert_int_equal(transfer(2, data, 256, true, &tc), 256);
	assert_false(tc);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_COUNT(2)), 300 - 256 - 1);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(2)), 0x3100);
	assert_int_equal(mock_inb(vm, DMA1_STATUS) & 0x0F, 0);
	/* a device asking for more than is left gets what the count allows */
	assert_int_equal(transfer(2, data + 256, 256, true, &tc), 44);
	assert_true(tc);
	assert_memory_equal(mock_ram(vm) + 0x3000, data, 300);
	assert_int_equal(mock_ram(vm)[0x3000 + 300], 0);
}

static void test_flip_flop_selects_low_then_high_byte(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DMA1_CLEAR_FF, 0);
	mock_outb(vm, DMA1_ADDR(0), 0x34);
	mock_outb(vm, DMA1_ADDR(0), 0x12);
	/* the flip-flop is low again after two writes: the next byte is a low byte */
	mock_outb(vm, DMA1_COUNT(0), 0x78);
	mock_outb(vm, DMA1_COUNT(0), 0x56);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(0)), 0x1234);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_COUNT(0)), 0x5678);
	/* one read toggles it; a following read of another register gets a high byte */
	mock_outb(vm, DMA1_CLEAR_FF, 0);
	assert_int_equal(mock_inb(vm, DMA1_ADDR(0)), 0x34);
	assert_int_equal(mock_inb(vm, DMA1_COUNT(0)), 0x56);
	/* a write after one byte goes to the high half */
	mock_outb(vm, DMA1_CLEAR_FF, 0);
	mock_outb(vm, DMA1_ADDR(0), 0xAA);
	mock_outb(vm, DMA1_CLEAR_FF, 0);
	mock_outb(vm, DMA1_ADDR(0), 0xBB);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(0)), 0x12BB);
	/* master clear clears the flip-flop too */
	mock_inb(vm, DMA1_ADDR(0));
	mock_outb(vm, DMA1_MASTER_CLEAR, 0);
	assert_int_equal(mock_inb(vm, DMA1_ADDR(0)), 0xBB);
}

static void test_master_clear_masks_all_and_clears_requests(void **state)
{
	struct mock_vm *vm = *state;

	mock_outb(vm, DMA1_CLEAR_MASK, 0);
	assert_int_equal(mock_inb(vm, DMA1_ALL_MASK) & 0x0F, 0x00);
	mock_outb(vm, DMA1_ALL_MASK, 0x05);
	assert_int_equal(mock_inb(vm, DMA1_ALL_MASK) & 0x0F, 0x05);
	/* software requests show in status bits 4-7 */
	mock_outb(vm, DMA1_REQUEST, 0x04 | 3);
	mock_outb(vm, DMA1_REQUEST, 0x04 | 1);
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0xA0);
	mock_outb(vm, DMA1_REQUEST, 0x00 | 3);
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0x20);
	mock_outb(vm, DMA1_MASTER_CLEAR, 0);
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0x00);
	assert_int_equal(mock_inb(vm, DMA1_ALL_MASK) & 0x0F, 0x0F);
}

static void test_tc_clears_the_channels_software_request(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t buf[8];
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x4000, 8);
	mock_outb(vm, DMA1_REQUEST, 0x04 | 2);
	assert_int_equal(transfer(2, buf, 8, true, &tc), 8);
	assert_int_equal(mock_inb(vm, DMA1_STATUS), 0x04);
}

static void test_autoinit_reloads_and_stays_unmasked(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t a[16], b[16];
	bool tc = false;

	bios_dma_setup(vm);
	program8(vm, 1, MODE_SINGLE | MODE_WRITE | MODE_AUTOINIT, 0x5000, 16);
	fill_pattern(a, sizeof(a), 1);
	fill_pattern(b, sizeof(b), 100);
	assert_int_equal(transfer(1, a, 16, true, &tc), 16);
	assert_true(tc);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(1)), 0x5000);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_COUNT(1)), 15);
	assert_int_equal(mock_inb(vm, DMA1_ALL_MASK) & 0x02, 0);
	assert_int_equal(mock_inb(vm, DMA1_STATUS) & 0x02, 0x02);
	/* the next buffer lands at the start again, as a sound card's ring does */
	assert_int_equal(transfer(1, b, 16, true, &tc), 16);
	assert_true(tc);
	assert_memory_equal(mock_ram(vm) + 0x5000, b, 16);
	/* a transfer across the reload: only up to TC moves */
	assert_int_equal(transfer(1, a, 10, true, &tc), 10);
	assert_false(tc);
	assert_int_equal(transfer(1, a, 10, true, &tc), 6);
	assert_true(tc);
}

static void test_decrement_mode_walks_down(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[4] = { 0x11, 0x22, 0x33, 0x44 };
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 3, MODE_SINGLE | MODE_WRITE | MODE_DECREMENT, 0x1000, 4);
	assert_int_equal(transfer(3, data, 4, true, &tc), 4);
	assert_true(tc);
	assert_int_equal(mock_ram(vm)[0x1000], 0x11);
	assert_int_equal(mock_ram(vm)[0x0FFF], 0x22);
	assert_int_equal(mock_ram(vm)[0x0FFE], 0x33);
	assert_int_equal(mock_ram(vm)[0x0FFD], 0x44);
	assert_int_equal(mock_ram(vm)[0x1001], 0);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(3)), 0x0FFC);
}

static void test_read_transfer_takes_bytes_from_memory(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t out[64];
	bool tc;

	bios_dma_setup(vm);
	fill_pattern(mock_ram(vm) + 0x12000, 64, 9);
	program8(vm, 2, MODE_SINGLE | MODE_READ, 0x12000, 64);
	/* a device that wants to write memory gets nothing from a read channel */
	assert_int_equal(transfer(2, out, 64, true, &tc), 0);
	assert_false(tc);
	assert_int_equal(transfer(2, out, 64, false, &tc), 64);
	assert_true(tc);
	assert_memory_equal(out, mock_ram(vm) + 0x12000, 64);
}

static void test_write_channel_refuses_a_device_reading_memory(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t out[8] = { 0 };
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x2000, 8);
	assert_int_equal(transfer(2, out, 8, false, &tc), 0);
	/* nothing counted */
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_COUNT(2)), 7);
}

static void test_verify_counts_without_moving(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[32];
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_VERIFY, 0x6000, 32);
	fill_pattern(data, sizeof(data), 77);
	assert_int_equal(transfer(2, data, 32, true, &tc), 32);
	assert_true(tc);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(mock_ram(vm)[0x6000 + i], 0);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(2)), 0x6020);
}

/* Channel 5 counts words; page bit 0 is not an address bit on a 16-bit channel. */
static void test_16bit_channel_counts_words_at_page_and_address_times_two(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[10];
	bool tc;

	bios_dma_setup(vm);
	/* word address 0010h in page 3: A17-A23 from page bits 1-7, so byte address 20020h */
	program16(vm, 5, MODE_SINGLE | MODE_WRITE, 0x03, 0x0010, 4);
	fill_pattern(data, sizeof(data), 50);
	assert_int_equal(transfer(5, data, sizeof(data), true, &tc), 8);
	assert_true(tc);
	assert_memory_equal(mock_ram(vm) + 0x20020, data, 8);
	assert_int_equal(mock_ram(vm)[0x20028], 0);
	assert_int_equal(mock_ram(vm)[0x30020], 0);
	assert_int_equal(read16(vm, DMA2_CLEAR_FF, DMA2_ADDR(5)), 0x0014);
	assert_int_equal(read16(vm, DMA2_CLEAR_FF, DMA2_COUNT(5)), 0xFFFF);
	assert_int_equal(mock_inb(vm, 0xD0), 0x02);
}

static void test_16bit_channel_wraps_inside_its_128k_block(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[4] = { 1, 2, 3, 4 };
	bool tc;

	bios_dma_setup(vm);
	program16(vm, 6, MODE_SINGLE | MODE_WRITE, 0x02, 0xFFFF, 2);
	assert_int_equal(transfer(6, data, 4, true, &tc), 4);
	assert_int_equal(mock_ram(vm)[0x3FFFE], 1);
	assert_int_equal(mock_ram(vm)[0x3FFFF], 2);
	assert_int_equal(mock_ram(vm)[0x20000], 3);
	assert_int_equal(mock_ram(vm)[0x20001], 4);
	assert_int_equal(mock_ram(vm)[0x40000], 0);
}

/* The address register wraps from FFFFh to 0 and the page stays: no carry into A16. */
static void test_8bit_channel_wraps_at_64k(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[4] = { 0xA1, 0xA2, 0xA3, 0xA4 };
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x1FFFE, 4);
	assert_int_equal(transfer(2, data, 4, true, &tc), 4);
	assert_int_equal(mock_ram(vm)[0x1FFFE], 0xA1);
	assert_int_equal(mock_ram(vm)[0x1FFFF], 0xA2);
	assert_int_equal(mock_ram(vm)[0x10000], 0xA3);
	assert_int_equal(mock_ram(vm)[0x10001], 0xA4);
	assert_int_equal(mock_ram(vm)[0x20000], 0);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_ADDR(2)), 0x0002);
}

static void test_masked_channel_moves_nothing(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	bool tc = true;

	bios_dma_setup(vm);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x7000, 8);
	mock_outb(vm, DMA1_SINGLE_MASK, 0x04 | 2);
	assert_int_equal(transfer(2, data, 8, true, &tc), 0);
	assert_false(tc);
	assert_int_equal(mock_ram(vm)[0x7000], 0);
	assert_int_equal(read16(vm, DMA1_CLEAR_FF, DMA1_COUNT(2)), 7);
	/* unmasking through the all-mask register lets it go */
	mock_outb(vm, DMA1_ALL_MASK, 0x00);
	assert_int_equal(transfer(2, data, 8, true, &tc), 8);
}

static void test_cascade_mode_and_disabled_controller_move_nothing(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[8] = { 0 };
	bool tc;

	bios_dma_setup(vm);
	program8(vm, 1, MODE_CASCADE, 0x7000, 8);
	assert_int_equal(transfer(1, data, 8, true, &tc), 0);
	program8(vm, 1, MODE_SINGLE | MODE_WRITE, 0x7000, 8);
	mock_outb(vm, DMA1_COMMAND, 0x04);
	assert_int_equal(transfer(1, data, 8, true, &tc), 0);
	mock_outb(vm, DMA1_COMMAND, 0x00);
	assert_int_equal(transfer(1, data, 8, true, &tc), 8);
}

/* DMA1 reaches the bus through DMA2 channel 4: masked, DMA1 transfers nothing. */
static void test_dma1_needs_dma2_channel4_cascade(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[8] = { 0 };
	bool tc;

	mock_outb(vm, DMA1_MASTER_CLEAR, 0);
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x7000, 8);
	assert_int_equal(transfer(2, data, 8, true, &tc), 0);
	mock_outb(vm, DMA2_MODE, MODE_CASCADE);
	assert_int_equal(transfer(2, data, 8, true, &tc), 0);
	mock_outb(vm, DMA2_ALL_MASK, 0x0E);
	assert_int_equal(transfer(2, data, 8, true, &tc), 8);
}

static void test_page_registers_read_back(void **state)
{
	struct mock_vm *vm = *state;

	for (uint16_t port = 0x81; port <= 0x8F; port++)
		mock_outb(vm, port, (uint8_t)(port ^ 0x5A));
	for (uint16_t port = 0x81; port <= 0x8F; port++)
		assert_int_equal(mock_inb(vm, port), (uint8_t)(port ^ 0x5A));
}

/* Each channel uses the page register the AT wired to it. */
static void test_each_channel_uses_its_page_register(void **state)
{
	struct mock_vm *vm = *state;
	static const uint16_t page_port[4] = { 0x87, 0x83, 0x81, 0x82 };
	uint8_t b;
	bool tc;

	bios_dma_setup(vm);
	for (unsigned ch = 0; ch < 4; ch++) {
		program8(vm, ch, MODE_SINGLE | MODE_WRITE, 0x0100 + ch, 1);
		mock_outb(vm, page_port[ch], (uint8_t)(0x10 + ch));
		b = (uint8_t)(0xC0 + ch);
		assert_int_equal(transfer(ch, &b, 1, true, &tc), 1);
		assert_int_equal(mock_ram(vm)[(0x10 + ch) << 16 | (0x0100 + ch)], 0xC0 + ch);
	}
}

static void test_outside_ram_drops_writes_and_reads_ff(void **state)
{
	struct mock_vm *vm = *state;
	uint8_t data[16];
	bool tc;

	bios_dma_setup(vm);
	/* page 40h: 4 MiB, past the mock's 2 MiB of RAM */
	program8(vm, 2, MODE_SINGLE | MODE_WRITE, 0x400000, 16);
	fill_pattern(data, sizeof(data), 3);
	assert_int_equal(transfer(2, data, 16, true, &tc), 16);
	assert_true(tc);
	program8(vm, 2, MODE_SINGLE | MODE_READ, 0xFF0000, 16);
	assert_int_equal(transfer(2, data, 16, false, &tc), 16);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(data[i], 0xFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claims_both_controllers_and_page_registers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_on_every_channel_masked_moves_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bios_floppy_read_of_512_bytes_to_7c00, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_status_tc_bits_clear_on_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_in_parts_counts_down_and_tc_ends_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_flip_flop_selects_low_then_high_byte, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_master_clear_masks_all_and_clears_requests,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_clears_the_channels_software_request, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_autoinit_reloads_and_stays_unmasked, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_decrement_mode_walks_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_transfer_takes_bytes_from_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_channel_refuses_a_device_reading_memory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_counts_without_moving, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_16bit_channel_counts_words_at_page_and_address_times_two, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_16bit_channel_wraps_inside_its_128k_block,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_8bit_channel_wraps_at_64k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_masked_channel_moves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_cascade_mode_and_disabled_controller_move_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma1_needs_dma2_channel4_cascade, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_page_registers_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_channel_uses_its_page_register, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_outside_ram_drops_writes_and_reads_ff, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
