; nls.asm: extended country information, 65h: 01h (general information), 20h-22h
; (capitalizing a character, a counted string, an ASCIIZ string).
;
; 6501h for the current country and code page: information ID 1, the size of what
; follows, country 1, code page 437 (1B5h), and the date format of 38h. 6520h: 'a' is
; 'A', 'z' 'Z', '1' stays; above 7Fh the code page's table: 84h (a umlaut) is 8Eh.
; (6523h, yes or no, stops DOSBox 0.74: it is in dosdiff.asm.)
;
; Compared with expected/nls.txt, MS-DOS 5's answers: DOSBox 0.74 capitalizes nothing
; above 7Fh.
	org 100h
%include "dos.inc"

%macro UPPER 1
	mov ax, 6520h
	mov dl, %1
	int 21h
	PRINT '6520 '
	HEX8 %1
	PRINT ': '
	HEX8 dl
	NEWLINE
%endmacro

start:
	mov ax, 6501h
	mov bx, 0FFFFh
	mov dx, 0FFFFh
	mov cx, 41
	push cs
	pop es
	mov di, info
	int 21h
	RESULT '6501'
	PRINT 'ID '
	HEX8 [info]
	PRINT ' size '
	HEX16 [info + 1]
	PRINT ' country '
	HEX16 [info + 3]
	PRINT ' code page '
	HEX16 [info + 5]
	PRINT ' date format '
	HEX16 [info + 7]
	NEWLINE
	UPPER 'a'
	UPPER 'z'
	UPPER '1'
	UPPER 84h
	UPPER 81h
	mov ax, 6521h
	mov dx, str1
	mov cx, 5
	int 21h
	RESULT '6521'
	mov si, str1
	call print_asciz
	NEWLINE
	mov ax, 6522h
	mov dx, str2
	int 21h
	RESULT '6522'
	mov si, str2
	call print_asciz
	NEWLINE
	EXIT 0

str1:	db 'abc12xyz', 0
str2:	db 'hello, World 42', 0
info:	times 64 db 0
