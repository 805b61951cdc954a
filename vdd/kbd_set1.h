/* kbd_set1.h: a key's PC scancode set 1 code (as the host reports keys) to its set 2 code (what the keyboard sends). */
#ifndef MVM_VDD_KBD_SET1_H
#define MVM_VDD_KBD_SET1_H

#include <stdbool.h>
#include <stdint.h>

/*
 * set1: a key of the 101/102-key keyboard in set 1, the E0h prefix in the high byte
 * (0x001E: A, 0xE048: the Up arrow). Gives the set 2 code and its prefix (0 or E0h) and
 * true, or false for a code that is no such key (an unknown code, a break code, E0h's
 * fake Shifts).
 */
bool kbd_set1_to_set2(uint16_t set1, uint8_t *prefix, uint8_t *code);

#endif
