; renfile.asm: renaming, 56h, within a directory, across directories, and directories.
;
; A file renamed is found under its new name only; a rename into another directory of
; the same drive moves it. Errors: the old name does not exist (2), the new name exists
; (5). A directory can be renamed in place. (A new name in a directory that does not
; exist: 3 on MS-DOS, 2 on DOSBox 0.74; that is in dosdiff.asm.)
; Left on the drive: DEST\MOVED.TXT, NEWDIR\ (renamed from OLDDIR, with its file),
; KEEP.TXT.
	org 100h
%include "dos.inc"

%macro REN 3			; old, new, label
	mov ah, 56h
	mov dx, %1
	push cs
	pop es
	mov di, %2
	int 21h
	RESULT %3
%endmacro

%macro EXISTS 2			; path, label
	mov ax, 4300h
	mov dx, %1
	int 21h
	RESULT %2
%endmacro

start:
	mov dx, s_a
	call create
	mov dx, s_keep
	call create
	REN s_a, s_b, '56 A.TXT B.TXT'
	EXISTS s_a, 'A.TXT there'
	EXISTS s_b, 'B.TXT there'
	REN s_a, s_c, '56 A.TXT (gone) C.TXT'
	REN s_b, s_keep, '56 B.TXT KEEP.TXT (exists)'
	mov ah, 39h
	mov dx, s_dest
	int 21h
	REN s_b, s_moved, '56 B.TXT DEST\MOVED.TXT'
	EXISTS s_b, 'B.TXT there'
	EXISTS s_moved, 'DEST\MOVED.TXT there'
	mov ah, 39h
	mov dx, s_olddir
	int 21h
	mov dx, s_inold
	call create
	REN s_olddir, s_newdir, '56 OLDDIR NEWDIR'
	EXISTS s_innew, 'NEWDIR\IN.TXT there'
	EXIT 0

create:				; DS:DX, with "name" in it
	mov ah, 3Ch
	xor cx, cx
	int 21h
	jc .err
	mov bx, ax
	mov si, dx
	xor cx, cx
.len:	cmp byte [si], 0
	je .w
	inc si
	inc cx
	jmp .len
.w:	mov ah, 40h
	int 21h
	mov ah, 3Eh
	int 21h
.err:	ret

s_a:	db 'A.TXT', 0
s_b:	db 'B.TXT', 0
s_c:	db 'C.TXT', 0
s_keep:	db 'KEEP.TXT', 0
s_dest:	db 'DEST', 0
s_moved: db 'DEST\MOVED.TXT', 0
s_olddir: db 'OLDDIR', 0
s_newdir: db 'NEWDIR', 0
s_inold: db 'OLDDIR\IN.TXT', 0
s_innew: db 'NEWDIR\IN.TXT', 0
