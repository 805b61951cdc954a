; ctrlbrk.asm: Ctrl-Break checking, 33h.
;
; 3300h gets the flag (off at start), 3301h sets it (any nonzero DL sets it on; DOS stores
; 1), 3302h swaps it with DL. (An unknown subfunction, MS-DOS's AL=FFh, stops DOSBox 0.74
; with "Illegal 0x33 Call": that is in badfunc.asm.)
	org 100h
%include "dos.inc"

start:
	call get
	mov ax, 3301h
	mov dl, 1
	int 21h
	PRINTLN '3301 DL=1'
	call get
	mov ax, 3301h
	mov dl, 0
	int 21h
	PRINTLN '3301 DL=0'
	call get
	mov ax, 3302h
	mov dl, 1
	int 21h
	PRINT '3302 DL=1: old '
	HEX8 dl
	NEWLINE
	call get
	mov ax, 3302h
	mov dl, 0
	int 21h
	PRINT '3302 DL=0: old '
	HEX8 dl
	NEWLINE
	call get
	EXIT 0

get:	mov ax, 3300h
	mov dl, 0AAh
	int 21h
	PRINT '3300: '
	HEX8 dl
	NEWLINE
	ret
