; dta.asm: the disk transfer address, 1Ah (set) and 2Fh (get).
;
; A program starts with its DTA at PSP:0080h. After 1Ah, 2Fh returns the new address, and
; a find (4Eh) fills the DTA set then, not the old one.
; fixtures/dta: HELLO.TXT (12 bytes).
	org 100h
%include "dos.inc"

start:
	PRINT '2F at start: ES=PSP '
	mov ah, 2Fh
	int 21h
	mov ax, es
	mov dx, cs
	cmp ax, dx
	je .y1
	PRINT 'no'
	jmp .o1
.y1:	PRINT 'yes'
.o1:	PRINT ' BX='
	HEX16 bx
	NEWLINE

	mov ah, 1Ah
	mov dx, mydta
	int 21h
	mov ah, 2Fh
	int 21h
	PRINT '2F after 1A: '
	mov ax, es
	mov dx, cs
	cmp ax, dx
	jne .no2
	cmp bx, mydta
	jne .no2
	PRINTLN 'the new DTA'
	jmp .find
.no2:	PRINTLN 'not the new DTA'

.find:	mov ah, 4Eh
	mov cx, 0
	mov dx, pattern
	int 21h
	RESULT '4E HELLO.TXT'
	PRINT 'name in new DTA: '
	mov si, mydta + 1Eh
	call print_asciz
	NEWLINE
	PRINT 'size in new DTA: '
	HEX16 [mydta + 1Ch]
	HEX16 [mydta + 1Ah]
	NEWLINE
	PRINT 'attribute: '
	HEX8 [mydta + 15h]
	NEWLINE
	PRINT 'PSP:0080 untouched: '
	cmp byte [80h + 1Eh], 'H'
	jne .y3
	PRINTLN 'no'
	jmp .out
.y3:	PRINTLN 'yes'
.out:	EXIT 0

pattern: db 'HELLO.TXT', 0
mydta:	times 128 db 0
