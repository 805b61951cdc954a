; exec.asm: running a child, 4B00h, and its return code, 4Dh.
; with: CHILD.COM
;
; CHILD.COM (child.asm) prints what it was given and returns 2Ah. The parent shrinks its
; memory, then runs it: with a tail of three arguments and FCBs it parsed itself (29h),
; with an empty tail, and with an environment of its own (FOO and BAR: the child sees
; those, not the parent's, and the program name DOS appends). 4Dh after each: AX=002Ah
; (AH=00h, a normal end). The parent's stack survives the child. (A second 4Dh gives 0
; on MS-DOS, which clears the code once read, and the code again on DOSBox 0.74: that is
; in execfmt.asm.)
	org 100h
%include "dos.inc"

start:
	mov sp, stack_top
	mov ah, 4Ah
	mov bx, (end_of_program - $$ + 100h + 15) / 16
	int 21h
	RESULT '4A shrink'

	mov si, tail1 + 1
	mov di, fcb1
	mov ax, 2901h
	int 21h
	mov di, fcb2
	mov ax, 2901h
	int 21h
	mov word [pb_tail], tail1
	mov word [pb_fcb1], fcb1
	mov word [pb_fcb2], fcb2
	call run
	mov word [pb_tail], tail_empty
	mov word [pb_fcb1], fcb_blank
	mov word [pb_fcb2], fcb_blank
	call run
	mov word [pb_tail], tail_env
	mov ax, cs
	add ax, myenv_para
	mov [pb_env], ax
	call run
	PRINT 'parent still here, SP ok: '
	cmp sp, stack_top
	jne .bad
	PRINTLN 'yes'
	EXIT 0
.bad:	PRINTLN 'no'
	EXIT 1

run:	mov [pb_fcb1 + 2], cs
	mov [pb_fcb2 + 2], cs
	mov [pb_tail + 2], cs
	mov ax, 4B00h
	mov dx, s_child
	push cs
	pop es
	mov bx, pb
	int 21h
	push cs			; (MS-DOS 2 lost every register but CS:IP; keep to that)
	pop ds
	RESULT '4B00 CHILD.COM'
	mov ah, 4Dh
	int 21h
	PRINT '4D: '
	HEX16 ax
	NEWLINE
	ret

s_child: db 'CHILD.COM', 0
tail1:	db 15, ' one two  three', 13
tail_empty: db 0, 13
tail_env: db 4, ' env', 13
fcb_blank: db 0, '           '
	times 25 db 0
fcb1:	times 37 db 0
fcb2:	times 37 db 0
pb:
pb_env:	dw 0
pb_tail: dw 0, 0
pb_fcb1: dw 0, 0
pb_fcb2: dw 0, 0

	align 16
myenv:	db 'FOO=1', 0, 'BAR=two', 0, 0
myenv_para equ (myenv - $$ + 100h) / 16
	align 16
	times 512 db 0
stack_top:
end_of_program:
