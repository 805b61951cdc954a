/* evdev_set1.h: Linux evdev key codes (what wl_keyboard sends) as PC scancode set 1, the guest's keyboard language. Private to vman/. */
#ifndef MVM_VMAN_EVDEV_SET1_H
#define MVM_VMAN_EVDEV_SET1_H

#include <stdint.h>

/* The key's set 1 make code, 0xE0 prefix in the high byte (as struct
 * vvmi_event_key carries it); 0 for a key a 102-key PC keyboard does not
 * have or that has no single make code (Pause). */
uint16_t vman_evdev_to_set1(uint32_t key);

#endif
