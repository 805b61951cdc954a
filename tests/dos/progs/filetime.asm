; filetime.asm: a file's date and time, 5700h (get) and 5701h (set).
;
; A date and time set (1999-12-31 23:58:58, DOS's two-second resolution) read back the
; same through the handle, and again after the file is closed and opened (the host file
; keeps it), and through 4Eh's DTA. A second set (1980-01-01 00:00:00, the earliest DOS
; date) likewise. Handle 99: 6.
; dosbox: no (DOSBox 0.74 ignores 5701h: 5700h then gives the host's time of the file)
;
; Compared with expected/filetime.txt, MS-DOS 5's answers. Left on the drive: STAMP.TXT.
	org 100h
%include "dos.inc"

TIME1 equ (23 << 11) | (58 << 5) | (58 / 2)
DATE1 equ ((1999 - 1980) << 9) | (12 << 5) | 31
TIME2 equ 0
DATE2 equ (0 << 9) | (1 << 5) | 1

start:
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_file
	int 21h
	mov [h], ax
	mov ah, 40h
	mov bx, [h]
	mov cx, 5
	mov dx, s_file
	int 21h
	mov ax, 5701h
	mov bx, [h]
	mov cx, TIME1
	mov dx, DATE1
	int 21h
	RESULT '5701 1999-12-31 23:58:58'
	call show
	call reopen
	call show
	call dta
	mov ax, 5701h
	mov bx, [h]
	mov cx, TIME2
	mov dx, DATE2
	int 21h
	RESULT '5701 1980-01-01 00:00:00'
	call show
	call reopen
	call show
	call dta
	mov ax, 5700h
	mov bx, 99
	int 21h
	RESULT '5700 handle 99'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	EXIT 0

show:	mov ax, 5700h
	mov bx, [h]
	int 21h
	PRINT '5700: time '
	HEX16 cx
	PRINT ' date '
	HEX16 dx
	NEWLINE
	ret

reopen:	mov ah, 3Eh
	mov bx, [h]
	int 21h
	mov ax, 3D02h
	mov dx, s_file
	int 21h
	mov [h], ax
	PRINTLN 'closed and opened'
	ret

dta:	mov ah, 1Ah
	mov dx, dtabuf
	int 21h
	mov ah, 4Eh
	xor cx, cx
	mov dx, s_file
	int 21h
	PRINT '4E: time '
	HEX16 [dtabuf + 16h]
	PRINT ' date '
	HEX16 [dtabuf + 18h]
	NEWLINE
	ret

s_file:	db 'STAMP.TXT', 0
h:	dw 0
dtabuf:	times 43 db 0
