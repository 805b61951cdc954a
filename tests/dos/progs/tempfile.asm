; tempfile.asm: unique files, 5Ah, and new files, 5Bh.
;
; 5Ah appends a name to the path it is given (C:\ and TMP\): the names DOS makes are its
; own, so only their length (8), that the file exists, is empty and is open for writing,
; and that two names differ are printed; the files are deleted. 5Bh creates a file that
; does not exist and fails with 80 (file exists) on one that does; in a directory that
; does not exist: 3.
; Left on the drive: NEW.TXT, TMP\.
	org 100h
%include "dos.inc"

start:
	mov ah, 5Ah
	xor cx, cx
	mov dx, path1
	int 21h
	RESULT '5A C:\'
	mov [h], ax
	mov dx, path1
	mov si, path1 + 3
	call report
	mov ah, 39h
	mov dx, s_tmp
	int 21h
	mov ah, 5Ah
	xor cx, cx
	mov dx, path2
	int 21h
	RESULT '5A TMP\'
	mov [h], ax
	mov dx, path2
	mov si, path2 + 4
	call report
	PRINT 'names differ: '
	mov si, path1 + 3
	mov di, path2 + 4
	mov cx, 9
	repe cmpsb
	je .same
	PRINTLN 'yes'
	jmp .del
.same:	PRINTLN 'no'
.del:	mov ah, 41h
	mov dx, path1
	int 21h
	RESULT '41 the first'
	mov ah, 41h
	mov dx, path2
	int 21h
	RESULT '41 the second'

	mov ah, 5Bh
	xor cx, cx
	mov dx, s_new
	int 21h
	RESULT '5B NEW.TXT'
	mov bx, ax
	mov ah, 3Eh
	int 21h
	mov ah, 5Bh
	xor cx, cx
	mov dx, s_new
	int 21h
	RESULT '5B NEW.TXT again'
	mov ah, 5Bh
	xor cx, cx
	mov dx, s_nodir
	int 21h
	RESULT '5B NODIR\NEW.TXT'
	EXIT 0

report:				; DS:DX the path 5Ah filled, DS:SI the name in it, [h] its handle
	xor bx, bx
.len:	cmp byte [si + bx], 0
	je .got
	inc bx
	jmp .len
.got:	PRINT 'name length: '
	HEX8 bl
	NEWLINE
	push dx
	mov ah, 40h
	mov bx, [h]
	mov cx, 3
	mov dx, s_new
	int 21h
	RESULT_AX '40 to it'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	pop dx
	mov ax, 4300h
	int 21h
	RESULT 'it exists'
	ret

s_tmp:	db 'TMP', 0
path1:	db 'C:\', 0
	times 20 db 0
path2:	db 'TMP\', 0
	times 20 db 0
s_new:	db 'NEW.TXT', 0
s_nodir: db 'NODIR\NEW.TXT', 0
h:	dw 0
