/* seamdemo.c: the seamless demo guest (bcc): two guest windows that answer the host's input, for tests/seamless and for trying vman's seamless mode by hand. */
#include <stdio.h>
#include <string.h>

#include "vvmi.h"
#include "seamdemo_vga.h"

/*
 * Opens two XRGB8888 windows, "Guest A" (red, 256x160 at 64,96) and "Guest B"
 * (green with a checker, 192x128 at 300,440), presents, and then answers
 * events until Esc:
 *   a left-button press on a window  a 6x6 yellow square centred where it was
 *                                    pressed (the click reached the guest), and
 *                                    a 4x4 cyan one at the text cell where the
 *                                    mouse driver (int 33h) puts the pointer,
 *                                    in 80x25 text (9x16 pixel cells);
 *   key M                            Guest A moves by (+96, +32);
 *   key C                            Guest B closes;
 *   key G                            both windows close and the screen enters
 *                                    mode 13h through the BIOS, with 16
 *                                    vertical colour bars and a white frame;
 *   the host moved a window          the guest moves it there (it agrees);
 *   the host asked to close one      the guest closes it;
 *   Esc                              exit 0.
 * Every change is presented. Exit 1 without VVMI, 2 on an error event (its
 * opcode and code are printed).
 */
#define HEAP_TITLES VVMI_HEAP_OFFSET

#define WINDOW_A 1
#define WINDOW_B 2

#define SCAN_ESC 0x01
#define SCAN_G 0x22
#define SCAN_C 0x2E
#define SCAN_M 0x32

static char titles[] = "Guest AGuest B";
static unsigned char checker[8] = { 0xF0, 0xF0, 0xF0, 0xF0, 0x0F, 0x0F, 0x0F, 0x0F };
static unsigned char event[VVMI_EVENT_MAX];
static int open_a, open_b;
static int a_x = 64, a_y = 96;
static unsigned sequence;
static unsigned buttons;

static unsigned word_at(unsigned at)
{
	return event[at] | (event[at + 1] << 8);
}

static void present(void)
{
	vvmi_present(++sequence);
	vvmi_doorbell();
}

static void windows_open(void)
{
	vvmi_window_create(WINDOW_A, VVMI_FORMAT_XRGB8888, a_x, a_y, 256, 160);
	vvmi_fill(WINDOW_A, 0, 0, 256, 160, 0xC04040L, VVMI_ROP2_COPYPEN);
	vvmi_fill(WINDOW_A, 0, 0, 256, 12, 0x202080L, VVMI_ROP2_COPYPEN);
	vvmi_window_title(WINDOW_A, HEAP_TITLES, 7);
	vvmi_window_create(WINDOW_B, VVMI_FORMAT_XRGB8888, 300, 440, 192, 128);
	vvmi_pattern_fill(WINDOW_B, 0, 0, 192, 128, 0x40A040L, 0x206020L, checker,
			  VVMI_ROP3_PATCOPY);
	vvmi_window_title(WINDOW_B, HEAP_TITLES + 7, 7);
	open_a = open_b = 1;
	present();
}

static void window_close(unsigned surface)
{
	if (surface == WINDOW_A && open_a) {
		vvmi_surface_destroy(WINDOW_A);
		open_a = 0;
	} else if (surface == WINDOW_B && open_b) {
		vvmi_surface_destroy(WINDOW_B);
		open_b = 0;
	}
	present();
}

static int window_open(unsigned surface)
{
	return (surface == WINDOW_A && open_a) || (surface == WINDOW_B && open_b);
}

/* Where the guest's own mouse driver sees the pointer: its text cell's corner,
 * in the window's pixels. */
static void mouse_mark(unsigned surface)
{
	int mx, my, left, top;

	if (mouse_position(&mx, &my) < 0)
		return;
	left = surface == WINDOW_A ? a_x : 300;
	top = surface == WINDOW_A ? a_y : 440;
	vvmi_fill(surface, mx / 8 * 9 - left, my / 8 * 16 - top, 4, 4, 0x00FFFFL,
		  VVMI_ROP2_COPYPEN);
}

static void pointer(void)
{
	unsigned surface = word_at(VVMI_EVENT_POINTER_SURFACE_AT);
	unsigned now = word_at(VVMI_EVENT_POINTER_BUTTONS_AT);
	int x = (int)word_at(VVMI_EVENT_POINTER_X_AT);
	int y = (int)word_at(VVMI_EVENT_POINTER_Y_AT);
	int pressed = (now & 1) && !(buttons & 1);

	buttons = now;
	if (!pressed || !window_open(surface))
		return;
	vvmi_fill(surface, x - 3, y - 3, 6, 6, 0xFFFF00L, VVMI_ROP2_COPYPEN);
	mouse_mark(surface);
	present();
}

/* 0: go on; 1: Esc. */
static int key(void)
{
	unsigned scancode = word_at(VVMI_EVENT_KEY_SCANCODE_AT);

	if (!event[VVMI_EVENT_KEY_PRESSED_AT])
		return 0;
	if (scancode == SCAN_ESC)
		return 1;
	if (scancode == SCAN_M && open_a) {
		a_x += 96;
		a_y += 32;
		vvmi_window_move(WINDOW_A, a_x, a_y);
		present();
	} else if (scancode == SCAN_C) {
		window_close(WINDOW_B);
	} else if (scancode == SCAN_G) {
		window_close(WINDOW_A);
		window_close(WINDOW_B);
		vga_mode13_bars();
	}
	return 0;
}

static void moved(void)
{
	unsigned surface = word_at(VVMI_EVENT_GEOMETRY_SURFACE_AT);
	int x = (int)word_at(VVMI_EVENT_GEOMETRY_RECT_AT + VVMI_RECT_X_AT);
	int y = (int)word_at(VVMI_EVENT_GEOMETRY_RECT_AT + VVMI_RECT_Y_AT);

	if (!window_open(surface))
		return;
	if (surface == WINDOW_A) {
		a_x = x;
		a_y = y;
	}
	vvmi_window_move(surface, x, y);
	present();
}

int main(void)
{
	int type;

	if (vvmi_open() < 0) {
		printf("VVMI is not there (no vvmi VDD)\n");
		return 1;
	}
	vvmi_heap_write(HEAP_TITLES, titles, strlen(titles));
	windows_open();
	for (;;) {
		type = vvmi_get_event(event);
		if (type == -1)
			cpu_idle();
		else if (type == VVMI_EVENT_POINTER)
			pointer();
		else if (type == VVMI_EVENT_KEY && key())
			return 0;
		else if (type == VVMI_EVENT_MOVED)
			moved();
		else if (type == VVMI_EVENT_CLOSED)
			window_close(word_at(VVMI_EVENT_SURFACE_SURFACE_AT));
		else if (type == VVMI_EVENT_ERROR) {
			printf("VVMI error event (opcode, code): %04X %04X\n",
			       word_at(VVMI_EVENT_ERROR_OPCODE_AT), word_at(VVMI_EVENT_ERROR_CODE_AT));
			return 2;
		}
	}
}
