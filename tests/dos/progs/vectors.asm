; vectors.asm: interrupt vectors, 25h (set) and 35h (get).
;
; 35h of 21h gives a nonzero segment. A handler set with 25h for vector 60h is what 35h
; returns and what INT 60h runs; the old vector set back is returned again.
	org 100h
%include "dos.inc"

start:
	mov ax, 3521h
	int 21h
	PRINT '35 21: segment nonzero '
	mov ax, es
	test ax, ax
	jz .zero
	PRINTLN 'yes'
	jmp .v60
.zero:	PRINTLN 'no'

.v60:	mov ax, 3560h
	int 21h
	mov [old], bx
	mov [old + 2], es
	mov ax, 2560h
	mov dx, handler
	int 21h
	mov ax, 3560h
	int 21h
	PRINT '35 60 after 25: '
	mov ax, es
	mov dx, cs
	cmp ax, dx
	jne .no1
	cmp bx, handler
	jne .no1
	PRINTLN 'the handler'
	jmp .call
.no1:	PRINTLN 'something else'
.call:	mov ax, 1234h
	int 60h
	PRINT 'int 60 returned AX='
	HEX16 ax
	NEWLINE
	push ds
	lds dx, [old]
	mov ax, 2560h
	int 21h
	pop ds
	mov ax, 3560h
	int 21h
	PRINT '35 60 restored: '
	cmp bx, [old]
	jne .no2
	mov ax, es
	cmp ax, [old + 2]
	jne .no2
	PRINTLN 'yes'
	jmp .out
.no2:	PRINTLN 'no'
.out:	EXIT 0

handler:
	add ax, 1111h
	iret

old:	dd 0
