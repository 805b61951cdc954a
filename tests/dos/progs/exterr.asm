; exterr.asm: extended error information, 59h, after failed calls.
;
; 59h (BX=0) gives AX the last error, BH its class, BL the suggested action and CH the
; locus. After an open of a missing file: 2, class 8 (not found), action 3 (user),
; locus 2 (block device). A missing directory: 3, 8, 3, 2. A bad handle: 6, class 7
; (application error), action 4 (abort), locus 1 (unknown): MS-DOS 4's ERR_TABLE_21.
;
; Compared with expected/exterr.txt: DOSBox 0.74 answers class 8 or 0, action 1 and
; locus 0 for all three.
	org 100h
%include "dos.inc"

start:
	mov ax, 3D00h
	mov dx, s_missing
	int 21h
	RESULT '3D MISSING.TXT'
	call ext
	mov ax, 3D00h
	mov dx, s_nodir
	int 21h
	RESULT '3D NODIR\A.TXT'
	call ext
	mov ah, 3Eh
	mov bx, 99
	int 21h
	RESULT '3E handle 99'
	call ext
	EXIT 0

ext:	mov ah, 59h
	xor bx, bx
	int 21h
	PRINT '59: error '
	HEX16 ax
	PRINT ' class '
	HEX8 bh
	PRINT ' action '
	HEX8 bl
	PRINT ' locus '
	HEX8 ch
	NEWLINE
	ret

s_missing: db 'MISSING.TXT', 0
s_nodir: db 'NODIR\A.TXT', 0
