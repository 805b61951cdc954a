/* hotkey.h: vman's own keys among the host's: Alt+Home toggles windowed and fullscreen, as in OS/2. Private to vman/. */
#ifndef MVM_VMAN_HOTKEY_H
#define MVM_VMAN_HOTKEY_H

#include <stdbool.h>
#include <stdint.h>

/* Which Alts are down, from evdev key codes (wl_keyboard and evdev both
 * send them), so that no keymap is needed. */
struct vman_hotkey {
	bool left_alt, right_alt;
};

/* One key event; true when it is Home pressed with an Alt held: the
 * fullscreen toggle. Auto-repeat is not sent by wl_keyboard, so one press
 * toggles once. */
bool vman_hotkey_key(struct vman_hotkey *hotkey, uint32_t key, bool pressed);

/* The keyboard left: no key is held any more. */
void vman_hotkey_reset(struct vman_hotkey *hotkey);

#endif
