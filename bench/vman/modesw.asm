; modesw.asm: switches VGA modes text -> 13h -> 12h -> text, CYCLES times, through
; the BIOS (int 10h), waiting a timer tick (55 ms) after each so that every mode is
; shown; mvm -v reports the latency of each switch to the frame presented.
	cpu 8086
	org 100h

CYCLES equ 6

start:
	mov cx, CYCLES
.cycle:
	push cx
	mov ax, 0013h
	call set_mode_and_wait
	mov ax, 0012h
	call set_mode_and_wait
	mov ax, 0003h
	call set_mode_and_wait
	pop cx
	loop .cycle
	mov ax, 4C00h
	int 21h

; AX: the int 10h mode call. Draws a mark so the frame is not blank, then waits
; for the BIOS tick count (0040:006C) to change twice: a whole tick passes.
set_mode_and_wait:
	int 10h
	push ds
	mov ax, 40h
	mov ds, ax
	mov bx, [6Ch]
.first:
	cmp bx, [6Ch]
	je .first
	mov bx, [6Ch]
.second:
	cmp bx, [6Ch]
	je .second
	pop ds
	ret
