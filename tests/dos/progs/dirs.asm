; dirs.asm: directories, 39h (make), 3Ah (remove), 3Bh (change), 47h (current).
;
; Errors as MS-DOS 5 gives them: making a directory that exists, removing one that is not
; empty: 5 (access denied); changing to or removing one that does not exist: 3 (path
; not found); removing the current directory: 16, the root too while it is current
; (MS-DOS 4's $RMDIR compares the path with every drive's current directory before it
; looks at the path); 47h of a drive that does not exist: 15. (Removing a file with 3Ah,
; making a directory over a file with 39h: 5 on MS-DOS, 3 on DOSBox 0.74; they are in
; dosdiff.asm.)
; Left on the drive: KEEP\INNER\FILE.TXT (empty) and the empty directory EMPTY.
	org 100h
%include "dos.inc"

%macro DOSCALL 3		; AH, path, label
	mov ah, %1
	mov dx, %2
	int 21h
	RESULT %3
%endmacro

start:
	call cwd
	DOSCALL 39h, s_sub, '39 SUB'
	DOSCALL 39h, s_sub, '39 SUB again'
	DOSCALL 39h, s_deep, '39 SUB\DEEP'
	DOSCALL 39h, s_nopath, '39 NOPE\X'
	DOSCALL 3Bh, s_deep, '3B SUB\DEEP'
	call cwd
	DOSCALL 3Bh, s_dotdot, '3B ..'
	call cwd
	DOSCALL 3Bh, s_nopath, '3B NOPE\X'
	call cwd
	DOSCALL 3Ah, s_rootsub, '3A \SUB (current)'
	DOSCALL 3Bh, s_root, '3B \'
	call cwd
	DOSCALL 3Ah, s_sub, '3A SUB (not empty)'
	DOSCALL 3Ah, s_rootdeep, '3A \SUB\DEEP'
	DOSCALL 3Ah, s_sub, '3A SUB'
	DOSCALL 3Ah, s_sub, '3A SUB again'
	DOSCALL 3Ah, s_root, '3A \ (the root)'

	DOSCALL 39h, s_keep, '39 KEEP'
	DOSCALL 39h, s_inner, '39 KEEP\INNER'
	DOSCALL 3Bh, s_inner, '3B KEEP\INNER'
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_file
	int 21h
	RESULT '3C FILE.TXT'
	mov bx, ax
	mov ah, 3Eh
	int 21h
	DOSCALL 3Ah, s_abs_inner, '3A C:\KEEP\INNER (current)'
	DOSCALL 3Bh, s_cdotdot, '3B C:..'
	call cwd
	DOSCALL 3Ah, s_inner2, '3A INNER (not empty)'
	DOSCALL 3Bh, s_root, '3B \'
	DOSCALL 39h, s_empty, '39 EMPTY'

	PRINT '47 DL=3: '
	mov ah, 47h
	mov dl, 3
	mov si, buf
	int 21h
	call print_result
	PRINT '47 DL=25: '
	mov ah, 47h
	mov dl, 25
	mov si, buf
	int 21h
	call print_result
	EXIT 0

cwd:	PRINT '47: \'
	mov ah, 47h
	mov dl, 0
	mov si, buf
	int 21h
	jc .err
	call print_asciz
	NEWLINE
	ret
.err:	call print_result
	ret

s_sub:		db 'SUB', 0
s_rootsub:	db '\SUB', 0
s_deep:		db 'SUB\DEEP', 0
s_rootdeep:	db '\SUB\DEEP', 0
s_nopath:	db 'NOPE\X', 0
s_dotdot:	db '..', 0
s_root:		db '\', 0
s_keep:		db 'KEEP', 0
s_inner:	db 'KEEP\INNER', 0
s_abs_inner:	db 'C:\KEEP\INNER', 0
s_cdotdot:	db 'C:..', 0
s_inner2:	db 'INNER', 0
s_file:		db 'FILE.TXT', 0
s_empty:	db 'EMPTY', 0
buf:		times 80 db 0
