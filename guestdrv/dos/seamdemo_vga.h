/* seamdemo_vga.h: what SEAMDEMO does outside VVMI, in assembly (seamdemo_vga.asm). */
#ifndef SEAMDEMO_VGA_H
#define SEAMDEMO_VGA_H

/* Waits for the next interrupt (sti; hlt): an idle guest costs its host nothing. */
void cpu_idle(void);
/* Mode 13h through int 10h, then 16 vertical bars of colours 1-16, 20 pixels
 * wide, and a white (15) frame one pixel wide around the screen. */
void vga_mode13_bars(void);

/* int 33h function 03h: the mouse driver's position (text mode: 8 per cell) in
 * *x, *y; returns the buttons, or -1 when no driver is installed. */
int mouse_position(int *x, int *y);

#endif
