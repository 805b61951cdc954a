; tsr.asm: how a child ended, as 4Dh reports it: AH 00h (normal) or 03h (resident).
; with: TSRKID.COM
;
; TSRKID.COM (tsrkid.asm) ends with 4Ch (AX=0003h), INT 20h (0000h), 21h AH=00h (0000h)
; and 31h with code 7 (0307h): control comes back to the parent each time. The resident
; child keeps its memory: the largest free block is smaller after it than before.
	org 100h
%include "dos.inc"

start:
	mov sp, stack_top
	mov ah, 4Ah
	mov bx, (end_of_program - $$ + 100h + 15) / 16
	int 21h
	mov al, 'c'
	call run
	mov al, 'i'
	call run
	mov al, '0'
	call run
	mov ah, 48h
	mov bx, 0FFFFh
	int 21h
	mov [before], bx
	mov al, 'k'
	call run
	mov ah, 48h
	mov bx, 0FFFFh
	int 21h
	PRINT 'largest free block smaller after 31h: '
	cmp bx, [before]
	jb .y
	PRINTLN 'no'
	jmp .out
.y:	PRINTLN 'yes'
.out:	EXIT 0

run:
	mov [tail + 2], al
	mov [pb_tail + 2], cs
	mov [pb_fcb1 + 2], cs
	mov [pb_fcb2 + 2], cs
	PRINT 'ending '
	mov dl, al
	call print_char
	PRINT ': '
	mov ax, 4B00h
	mov dx, s_kid
	push cs
	pop es
	mov bx, pb
	int 21h
	jc .err
	mov ah, 4Dh
	int 21h
	PRINT '4D '
	HEX16 ax
	NEWLINE
	ret
.err:	call print_result
	ret

s_kid:	db 'TSRKID.COM', 0
tail:	db 2, ' x', 13
fcb:	db 0, '           '
	times 25 db 0
pb:	dw 0
pb_tail: dw tail, 0
pb_fcb1: dw fcb, 0
pb_fcb2: dw fcb, 0
before:	dw 0
	align 16
	times 256 db 0
stack_top:
end_of_program:
