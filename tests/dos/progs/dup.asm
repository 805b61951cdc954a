; dup.asm: duplicating handles, 45h and 46h.
;
; 45h of stdout gives the lowest free handle (5), which writes to stdout too. 46h makes
; stdout a copy of a file's handle: what 09h prints then goes to the file; a saved copy
; of the old stdout forced back with 46h restores it. The file is read back at the end.
; A handle duplicated shares the file position with its original. Errors: 45h of a
; closed handle, 46h from one: 6.
; Left on the drive: REDIR.TXT.
	org 100h
%include "dos.inc"

start:
	mov ah, 45h
	mov bx, 1
	int 21h
	RESULT_AX '45 stdout'
	mov bx, ax
	mov ah, 40h
	mov cx, msg_dup_len
	mov dx, msg_dup
	int 21h
	mov ah, 3Eh
	int 21h
	RESULT '3E it'

	mov ah, 3Ch
	xor cx, cx
	mov dx, s_file
	int 21h
	RESULT_AX '3C REDIR.TXT'
	mov [hfile], ax
	mov ah, 45h
	mov bx, 1
	int 21h
	RESULT_AX '45 stdout (saved)'
	mov [hsave], ax
	mov ah, 46h
	mov bx, [hfile]
	mov cx, 1
	int 21h
	RESULT '46 file onto stdout'	; goes to the file
	PRINTLN 'this line is in REDIR.TXT'
	mov ah, 46h
	mov bx, [hsave]
	mov cx, 1
	int 21h
	RESULT '46 saved onto stdout'
	mov ah, 3Eh
	mov bx, [hsave]
	int 21h
	RESULT '3E saved'

	; the duplicate shares the position: write through one, seek through the other
	mov ah, 45h
	mov bx, [hfile]
	int 21h
	RESULT_AX '45 file'
	mov [hdup], ax
	mov ah, 40h
	mov bx, [hdup]
	mov cx, msg_more_len
	mov dx, msg_more
	int 21h
	mov ax, 4201h
	mov bx, [hfile]
	xor cx, cx
	xor dx, dx
	int 21h
	PRINT 'position through the original: '
	HEX16 ax
	NEWLINE
	mov ah, 3Eh
	mov bx, [hdup]
	int 21h
	mov ah, 45h
	mov bx, [hdup]
	int 21h
	RESULT '45 closed handle'
	mov ah, 46h
	mov bx, [hdup]
	mov cx, 12
	int 21h
	RESULT '46 from a closed handle'

	mov ax, 4200h
	mov bx, [hfile]
	xor cx, cx
	xor dx, dx
	int 21h
	mov ah, 3Fh
	mov bx, [hfile]
	mov cx, 200
	mov dx, buf
	int 21h
	RESULT_AX '3F REDIR.TXT'
	mov cx, ax
	mov ah, 40h
	mov bx, 1
	mov dx, buf
	int 21h
	mov ah, 3Eh
	mov bx, [hfile]
	int 21h
	RESULT '3E REDIR.TXT'
	EXIT 0

s_file:	db 'REDIR.TXT', 0
msg_dup: db 'written through the duplicate', 13, 10
msg_dup_len equ $ - msg_dup
msg_more: db 'and through a duplicate of the file', 13, 10
msg_more_len equ $ - msg_more
hfile:	dw 0
hsave:	dw 0
hdup:	dw 0
buf:	times 200 db 0
