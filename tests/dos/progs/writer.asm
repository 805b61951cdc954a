; writer.asm: the child of inherit.asm: writes a line to the handle its tail names.
;
; The tail is " N" with N one hex digit, a handle the parent opened. Prints what the
; write (40h) returned, writes "child" to it and leaves it open; returns 0.
	org 100h
%include "dos.inc"

start:
	mov al, [82h]
	sub al, '0'
	cmp al, 9
	jbe .num
	sub al, 'A' - '0' - 10
.num:	xor ah, ah
	mov bx, ax
	mov ah, 40h
	mov cx, line_len
	mov dx, line
	int 21h
	PRINT 'child: 40 to handle '
	HEX8 bl
	PRINT ': '
	call print_result_ax
	EXIT 0

line:	db 'child', 13, 10
line_len equ $ - line
