; truename.asm: canonical names, 60h.
;
; A name relative to the current directory, with . and .., in lower case, with a drive,
; with forward slashes, and with a directory that does not exist (60h does not look at
; the disk: the name is made all the same), from C:\ and from C:\SUB. The root itself.
; fixtures/truename: SUB\ (empty but for KEEP.TXT).
	org 100h
%include "dos.inc"

%macro TRUE 1
	mov si, %%name
	call truename
	jmp %%over
%%name:	db %1, 0
%%over:
%endmacro

start:
	TRUE 'a.txt'
	TRUE 'SUB\..\B.TXT'
	TRUE '.\SUB\.\C.TXT'
	TRUE 'C:\X\Y\..\Z'
	TRUE 'C:/FWD/SLASH.TXT'
	TRUE 'NODIR\FILE.TXT'
	TRUE '\'
	TRUE 'C:'
	mov ah, 3Bh
	mov dx, s_sub
	int 21h
	PRINTLN 'in SUB:'
	TRUE 'D.TXT'
	TRUE '..\E.TXT'
	TRUE 'C:F.TXT'
	EXIT 0

truename:			; DS:SI
	PRINT '60 '
	call print_asciz
	PRINT ': '
	push cs
	pop es
	mov di, buf
	mov ah, 60h
	int 21h
	jc .err
	push si
	mov si, buf
	call print_asciz
	pop si
	NEWLINE
	ret
.err:	call print_result
	ret

s_sub:	db 'SUB', 0
buf:	times 128 db 0
