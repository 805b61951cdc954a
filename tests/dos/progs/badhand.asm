; badhand.asm: calls on handles that are not open: 6 (invalid handle) from each.
;
; Handle 99 (past the table), handle 19 (in the table, never opened) and handle 5 after
; it was closed: read (3Fh), write (40h), seek (42h), close (3Eh), IOCTL (4400h), dup
; (45h), force dup from it (46h), commit (68h). (5700h on a bad handle is in filetime.asm:
; DOSBox 0.74 sets CF but leaves AX.)
; fixtures/badhand: DATA.TXT.
	org 100h
%include "dos.inc"

start:
	mov ax, 3D00h
	mov dx, s_data
	int 21h
	RESULT_AX '3D DATA.TXT'
	mov bx, ax
	mov ah, 3Eh
	int 21h
	RESULT '3E'
	mov bx, 99
	call try_all
	mov bx, 19
	call try_all
	mov bx, 5
	call try_all
	EXIT 0

try_all:			; BX the handle
	PRINT 'handle '
	HEX8 bl
	NEWLINE
	mov [h], bx
	mov ah, 3Fh
	mov cx, 4
	mov dx, buf
	call try
	RESULT '  3F'
	mov ah, 40h
	mov cx, 4
	mov dx, buf
	call try
	RESULT '  40'
	mov ax, 4200h
	xor cx, cx
	xor dx, dx
	call try
	RESULT '  42'
	mov ax, 4400h
	call try
	RESULT '  4400'
	mov ah, 45h
	call try
	RESULT '  45'
	mov ah, 46h
	mov cx, 10
	call try
	RESULT '  46'
	mov ah, 68h
	call try
	RESULT '  68'
	mov ah, 3Eh
	call try
	RESULT '  3E'
	ret

try:	mov bx, [h]
	int 21h
	ret

s_data:	db 'DATA.TXT', 0
h:	dw 0
buf:	times 8 db 0
