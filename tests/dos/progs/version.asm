; version.asm: the DOS version, 30h and 3306h, and the boot drive, 3305h.
;
; MS-DOS 5.00: 30h gives AL=05h AH=00h, 3306h the true version BL=05h BH=00h. The OEM
; number (BH of 30h) and the revision and flags of 3306h differ between DOS builds and
; are not printed. 3305h: the boot drive, DL=3 for C:.
	org 100h
%include "dos.inc"

start:
	mov ax, 3000h
	int 21h
	PRINT '30: '
	HEX8 al
	PRINT '.'
	HEX8 ah
	NEWLINE
	mov ax, 3306h
	mov bx, 0
	int 21h
	PRINT '3306: '
	HEX8 bl
	PRINT '.'
	HEX8 bh
	NEWLINE
	mov ax, 3305h
	int 21h
	PRINT '3305 boot drive: '
	HEX8 dl
	NEWLINE
	EXIT 0
