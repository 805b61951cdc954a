; dosdiff.asm: answers where DOSBox 0.74 and MS-DOS 5 differ, for plain calls.
; dosbox: no (3307h stops it with "Illegal 0x33 Call"; the other answers differ)
;
; Compared with expected/dosdiff.txt, what MS-DOS 5 answers (DOSBox 0.74's answer in
; brackets):
; - 33h with an unknown subfunction (07h): AL=FFh [DOSBox exits].
; - 3301h stores DL AND 1: DL=2 sets the flag off (MS-DOS 4's CTRLC.ASM) [DOSBox: on].
; - 39h on the name of an existing file: 5 [3].
; - 3Ah on a file: 5 [3] (MS-DOS 4's DOS_RMDIR: "device or file name": access denied).
; - 41h in a directory that does not exist: 3 [2].
; - 3Dh and 6Ch with access mode 3: 0Ch, invalid access code [5].
; - 56h to a name in a directory that does not exist: 3 [2].
; - 42h with method 3: 1, invalid function [8]; a seek before the start of the file is
;   no error: the position is stored as given (MS-DOS's $LSEEK adds and stores) and the
;   next read gets nothing [DOSBox keeps the old position].
; - 4400h of a file not written since it was opened: drive | 40h [no 40h].
; - 4401h setting raw mode (20h) on CON: 4400h reads it back [DOSBox always says 80D3h].
; - 3Fh from NUL: AX=0, the end of the file at once [the count asked for].
; - PSP:5, the CP/M-style entry to DOS: a far call, 9Ah [a far jump, EAh].
; - 6523h, yes or no: AX=1 (yes) for Y and y, 0 (no) for N and n, 2 for others [DOSBox
;   exits].
	org 100h
%include "dos.inc"

start:
	mov ax, 3307h
	mov dl, 0
	int 21h
	PRINT '3307: AL='
	HEX8 al
	NEWLINE
	mov ax, 3301h
	mov dl, 2
	int 21h
	mov ax, 3300h
	int 21h
	PRINT '3301 DL=2 then 3300: '
	HEX8 dl
	NEWLINE

	mov ah, 3Ch
	xor cx, cx
	mov dx, s_file
	int 21h
	RESULT_AX '3C FILE.TXT'
	mov [h], ax
	mov ah, 40h
	mov bx, [h]
	mov cx, 10
	mov dx, digits
	int 21h
	RESULT_AX '40 10 bytes'
	mov ah, 39h
	mov dx, s_file
	int 21h
	RESULT '39 FILE.TXT (a file)'
	mov ah, 3Ah
	mov dx, s_file
	int 21h
	RESULT '3A FILE.TXT (a file)'
	mov ah, 41h
	mov dx, s_nodir
	int 21h
	RESULT '41 NODIR\A.TXT'
	mov ax, 3D03h
	mov dx, s_file
	int 21h
	RESULT '3D access 3'
	mov ax, 6C00h
	mov bx, 3
	xor cx, cx
	mov dx, 1
	mov si, s_file
	int 21h
	RESULT '6C access 3'
	mov ah, 56h
	mov dx, s_file
	push cs
	pop es
	mov di, s_nodir
	int 21h
	RESULT '56 FILE.TXT NODIR\A.TXT'

	mov ax, 4203h
	mov bx, [h]
	xor cx, cx
	xor dx, dx
	int 21h
	RESULT '42 method 3'
	mov ax, 4201h
	mov bx, [h]
	mov cx, 0FFFFh
	mov dx, -100
	int 21h
	PRINT '42 current-100 (before the start): '
	jc .err
	HEX16 dx
	HEX16 ax
	NEWLINE
	jmp .read
.err:	call print_result
.read:	mov ah, 3Fh
	mov bx, [h]
	mov cx, 4
	mov dx, buf
	int 21h
	RESULT_AX '3F there'
	mov ax, 4200h
	mov bx, [h]
	xor cx, cx
	mov dx, 2
	int 21h
	mov ah, 3Fh
	mov bx, [h]
	mov cx, 4
	mov dx, buf
	int 21h
	RESULT_AX '3F at 2'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	mov ax, 3D00h
	mov dx, s_file
	int 21h
	mov bx, ax
	mov ax, 4400h
	int 21h
	PRINT '4400 of a file not written: '
	HEX16 dx
	NEWLINE
	mov ah, 3Eh
	int 21h
	mov ah, 41h
	mov dx, s_file
	int 21h
	RESULT '41 FILE.TXT'

	mov ax, 4401h
	xor bx, bx
	mov dx, 00F3h
	int 21h
	mov ax, 4400h
	xor bx, bx
	int 21h
	PRINT '4400 of CON in raw mode: '
	HEX16 dx
	NEWLINE
	mov ax, 4401h
	xor bx, bx
	mov dx, 00D3h
	int 21h
	mov ax, 4400h
	xor bx, bx
	int 21h
	PRINT '4400 of CON cooked: '
	HEX16 dx
	NEWLINE
	mov ax, 3D02h
	mov dx, s_nul
	int 21h
	mov bx, ax
	mov ah, 3Fh
	mov cx, 5
	mov dx, buf
	int 21h
	RESULT_AX '3F 5 bytes from NUL'
	mov ah, 3Eh
	int 21h
	PRINT 'PSP:5: '
	HEX8 [5]
	NEWLINE
	mov dl, 'Y'
	call yesno
	mov dl, 'y'
	call yesno
	mov dl, 'N'
	call yesno
	mov dl, 'n'
	call yesno
	mov dl, 'x'
	call yesno
	EXIT 0

yesno:	mov ax, 6523h
	int 21h
	PRINT '6523 '
	call print_char
	PRINT ': '
	jc .err
	HEX16 ax
	NEWLINE
	ret
.err:	call print_result
	ret

s_file:	db 'FILE.TXT', 0
s_nul:	db 'NUL', 0
s_nodir: db 'NODIR\A.TXT', 0
digits:	db '0123456789'
h:	dw 0
buf:	times 8 db 0
