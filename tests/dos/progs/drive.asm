; drive.asm: the current drive (19h), selecting one (0Eh), free space (36h).
;
; C: is the current drive. 0Eh answers the number of drive letters (MS-DOS: LASTDRIVE,
; at least 5; the count differs between DOS implementations, so only "at least 3" is
; printed). Selecting a drive that does not exist (Y:) leaves the current drive alone.
; 36h: only sanity (the figures are the host's): sectors per cluster, free clusters at
; most the total, bytes per sector nonzero; AX=FFFFh for a drive that does not exist.
	org 100h
%include "dos.inc"

start:
	PRINT '19 current: '
	mov ah, 19h
	int 21h
	HEX8 al
	NEWLINE
	PRINT '0E C: drives >= 3: '
	mov ah, 0Eh
	mov dl, 2
	int 21h
	cmp al, 3
	call yes_no_ae
	NEWLINE
	PRINT '0E Y: then 19: '
	mov ah, 0Eh
	mov dl, 24
	int 21h
	mov ah, 19h
	int 21h
	HEX8 al
	NEWLINE

	PRINT '36 C: '
	mov ah, 36h
	mov dl, 3
	int 21h
	cmp ax, 0FFFFh
	je .bad
	PRINT 'spc>0 '
	test ax, ax
	call yes_no_nz
	PRINT ' bytes>0 '
	test cx, cx
	call yes_no_nz
	PRINT ' total>0 '
	test dx, dx
	call yes_no_nz
	PRINT ' free<=total '
	cmp bx, dx
	call yes_no_be
	NEWLINE
	jmp .default
.bad:	PRINTLN 'FFFF'
.default:
	PRINT '36 default = C: '
	mov ah, 36h
	mov dl, 3
	int 21h
	push ax
	push cx
	push dx
	mov ah, 36h
	mov dl, 0
	int 21h
	pop si
	pop di
	pop bp
	cmp ax, bp
	jne .differ
	cmp cx, di
	jne .differ
	cmp dx, si
	jne .differ
	PRINTLN 'yes'
	jmp .nodrive
.differ: PRINTLN 'no'
.nodrive:
	PRINT '36 Y: '
	mov ah, 36h
	mov dl, 25
	int 21h
	HEX16 ax
	NEWLINE
	EXIT 0

; "yes" or "no" by the flags of a compare made before the call
yes_no_ae:
	jae yes
	jmp no
yes_no_be:
	jbe yes
	jmp no
yes_no_nz:
	jnz yes
no:	PRINT 'no'
	ret
yes:	PRINT 'yes'
	ret
