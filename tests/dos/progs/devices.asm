; devices.asm: character devices by name: NUL, CON, AUX, PRN.
;
; NUL opens (as NUL, NUL.TXT, C:\NUL and SUB\NUL: a device name is a device in any
; directory, whatever its extension) and takes every byte written (AX = the count);
; creating it (3Ch) opens the device and makes no file. (Reading NUL gives AX=0 on
; MS-DOS, the count asked for on DOSBox 0.74: that is in dosdiff.asm.) CON opens for
; reading and writing; nothing is written to it (on DOSBox it would reach the screen,
; not the redirected stdout). AUX and PRN open; their device bit (80h of 4400h's DX) is
; set; a file's is not. CLOCK$ is in clockdev.asm: DOSBox 0.74 has none.
; fixtures/devices: SUB\ (with KEEP.TXT).
	org 100h
%include "dos.inc"

%macro OPEN 2			; name, label: opens read/write, prints, keeps the handle in BX
	mov ax, 3D02h
	mov dx, %1
	int 21h
	RESULT %2
	mov bx, ax
%endmacro

start:
	OPEN s_nul, '3D NUL'
	call devbit
	mov ah, 40h
	mov cx, 5
	mov dx, s_nul
	int 21h
	RESULT_AX '40 5 bytes to NUL'
	call close
	OPEN s_nultxt, '3D NUL.TXT'
	call devbit
	call close
	OPEN s_cnul, '3D C:\NUL'
	call devbit
	call close
	OPEN s_subnul, '3D SUB\NUL'
	call devbit
	call close
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_nul
	int 21h
	RESULT '3C NUL'
	mov bx, ax
	call devbit
	call close
	OPEN s_con, '3D CON'
	call devbit
	call close
	OPEN s_aux, '3D AUX'
	call devbit
	call close
	OPEN s_prn, '3D PRN'
	call devbit
	call close
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_nulfile
	int 21h
	RESULT '3C NULX.TXT (a file)'
	mov bx, ax
	call devbit
	call close
	mov ah, 41h
	mov dx, s_nulfile
	int 21h
	RESULT '41 NULX.TXT'
	EXIT 0

devbit:				; the device bit of handle BX
	push bx
	mov ax, 4400h
	int 21h
	PRINT '  device: '
	test dl, 80h
	jz .file
	PRINTLN 'yes'
	pop bx
	ret
.file:	PRINTLN 'no'
	pop bx
	ret

close:	mov ah, 3Eh
	int 21h
	RESULT '  3E'
	ret

s_nul:	db 'NUL', 0
s_nultxt: db 'NUL.TXT', 0
s_cnul:	db 'C:\NUL', 0
s_subnul: db 'SUB\NUL', 0
s_con:	db 'CON', 0
s_aux:	db 'AUX', 0
s_prn:	db 'PRN', 0
s_nulfile: db 'NULX.TXT', 0
buf:	times 8 db 0
