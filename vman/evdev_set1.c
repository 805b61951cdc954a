/* evdev_set1.c: evdev key codes to PC scancode set 1. */
#include <linux/input-event-codes.h>

#include "evdev_set1.h"

/* evdev numbered the keys of the original PC keyboard by their set 1 codes,
 * so KEY_ESC (1) to KEY_F10 (68), the keypad (71-83), KEY_102ND (86) and
 * F11/F12 (87, 88) are their own make codes. The keys the 101-key keyboard
 * added got other numbers; their set 1 codes carry the E0 prefix. */
uint16_t vman_evdev_to_set1(uint32_t key)
{
	static const struct {
		uint16_t evdev, set1;
	} extended[] = {
		{KEY_KPENTER, 0xE01C},   {KEY_RIGHTCTRL, 0xE01D}, {KEY_KPSLASH, 0xE035},
		{KEY_SYSRQ, 0xE037},     {KEY_RIGHTALT, 0xE038},  {KEY_HOME, 0xE047},
		{KEY_UP, 0xE048},        {KEY_PAGEUP, 0xE049},    {KEY_LEFT, 0xE04B},
		{KEY_RIGHT, 0xE04D},     {KEY_END, 0xE04F},       {KEY_DOWN, 0xE050},
		{KEY_PAGEDOWN, 0xE051},  {KEY_INSERT, 0xE052},    {KEY_DELETE, 0xE053},
		{KEY_LEFTMETA, 0xE05B},  {KEY_RIGHTMETA, 0xE05C}, {KEY_COMPOSE, 0xE05D},
	};

	if ((key >= KEY_ESC && key <= KEY_KPDOT) || (key >= KEY_102ND && key <= KEY_F12))
		return (uint16_t)key;
	for (unsigned i = 0; i < sizeof(extended) / sizeof(extended[0]); i++) {
		if (extended[i].evdev == key)
			return extended[i].set1;
	}
	return 0;
}
