; inherit.asm: a child inherits its parent's handles and shares their file position.
; with: WRITER.COM
;
; The parent creates SHARED.TXT, writes "parent 1", and runs WRITER.COM (writer.asm)
; with the handle's number: the child's write lands after the parent's, and the
; parent's next write after the child's (one file position, in the system file table).
; A handle opened with the no-inherit bit (80h in AL of 3Dh) is closed in the child
; (6). The parent reads the file back at the end. Left on the drive: SHARED.TXT.
	org 100h
%include "dos.inc"

start:
	mov sp, stack_top
	mov ah, 4Ah
	mov bx, (end_of_program - $$ + 100h + 15) / 16
	int 21h
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_file
	int 21h
	RESULT_AX '3C SHARED.TXT'
	mov [h], ax
	mov ah, 40h
	mov bx, [h]
	mov cx, 10
	mov dx, line1
	int 21h
	mov al, [h]
	call run
	mov ah, 40h
	mov bx, [h]
	mov cx, 10
	mov dx, line2
	int 21h
	mov ax, 3D82h		; read/write, not inherited
	mov dx, s_file
	int 21h
	RESULT_AX '3D SHARED.TXT no-inherit'
	mov [h2], ax
	call run
	mov ah, 3Eh
	mov bx, [h2]
	int 21h

	mov ax, 4200h
	mov bx, [h]
	xor cx, cx
	xor dx, dx
	int 21h
	mov ah, 3Fh
	mov bx, [h]
	mov cx, 100
	mov dx, buf
	int 21h
	RESULT_AX '3F SHARED.TXT'
	mov cx, ax
	mov ah, 40h
	mov bx, 1
	mov dx, buf
	int 21h
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	EXIT 0

run:				; runs WRITER.COM with the handle in AL
	cmp al, 9
	jbe .d
	add al, 'A' - '0' - 10
.d:	add al, '0'
	mov [tail + 2], al
	mov [pb_tail + 2], cs
	mov [pb_fcb1 + 2], cs
	mov [pb_fcb2 + 2], cs
	mov ax, 4B00h
	mov dx, s_writer
	push cs
	pop es
	mov bx, pb
	int 21h
	RESULT '4B00 WRITER.COM'
	ret

s_file:	db 'SHARED.TXT', 0
s_writer: db 'WRITER.COM', 0
line1:	db 'parent 1', 13, 10
line2:	db 'parent 2', 13, 10
tail:	db 2, ' 0', 13
fcb:	db 0, '           '
	times 25 db 0
pb:	dw 0
pb_tail: dw tail, 0
pb_fcb1: dw fcb, 0
pb_fcb2: dw fcb, 0
h:	dw 0
h2:	dw 0
buf:	times 100 db 0
	align 16
	times 256 db 0
stack_top:
end_of_program:
