/* hotkey.c: Alt+Home, the fullscreen toggle, from evdev key codes. */
#include <linux/input-event-codes.h>

#include "hotkey.h"

bool vman_hotkey_key(struct vman_hotkey *hotkey, uint32_t key, bool pressed)
{
	switch (key) {
	case KEY_LEFTALT:
		hotkey->left_alt = pressed;
		return false;
	case KEY_RIGHTALT:
		hotkey->right_alt = pressed;
		return false;
	case KEY_HOME:
		return pressed && (hotkey->left_alt || hotkey->right_alt);
	}
	return false;
}

void vman_hotkey_reset(struct vman_hotkey *hotkey)
{
	*hotkey = (struct vman_hotkey){0};
}
