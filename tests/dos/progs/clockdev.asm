; clockdev.asm: the clock device, CLOCK$, opened by name.
; dosbox: no (DOSBox 0.74 has no CLOCK$: the open fails with 2)
;
; Compared with expected/clockdev.txt, MS-DOS 5's answers: CLOCK$ opens; 4400h says a
; device (80h) that is the clock (08h, from its header's attribute 8008h); a read of 6
; bytes gives 6 (days since 1980 and the time; the values are not printed).
	org 100h
%include "dos.inc"

start:
	mov ax, 3D00h
	mov dx, s_clock
	int 21h
	RESULT '3D CLOCK(dollar)'	; 09h ends its text at a dollar sign
	jc .out
	mov [h], ax
	mov ax, 4400h
	mov bx, [h]
	int 21h
	PRINT '4400 device and clock bits: '
	and dl, 88h
	HEX8 dl
	NEWLINE
	mov ah, 3Fh
	mov bx, [h]
	mov cx, 6
	mov dx, buf
	int 21h
	RESULT_AX '3F 6 bytes'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	RESULT '3E'
.out:	EXIT 0

s_clock: db 'CLOCK$', 0
h:	dw 0
buf:	times 8 db 0
