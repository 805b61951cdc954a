; country.asm: the country information of 38h for the United States (country 1).
;
; 38h AL=00h fills 34 bytes and answers BX = the country code. For country 1, as MS-DOS 5
; has it: date format 0 (m d y), currency "$" before the amount, thousands ",", decimal
; ".", date "-", time ":", 2 decimals, 12-hour clock, data-list ",". The case-map
; routine's address is the kernel's own and is not printed.
	org 100h
%include "dos.inc"

start:
	mov ax, 3800h
	mov dx, info
	int 21h
	RESULT '38 00'
	PRINT 'country: '
	HEX16 bx
	NEWLINE
	PRINT 'date format: '
	HEX16 [info]
	NEWLINE
	PRINT 'currency: '
	mov si, info + 2
	call print_asciz
	NEWLINE
	PRINT 'thousands: '
	mov si, info + 7
	call print_asciz
	NEWLINE
	PRINT 'decimal: '
	mov si, info + 9
	call print_asciz
	NEWLINE
	PRINT 'date separator: '
	mov si, info + 11
	call print_asciz
	NEWLINE
	PRINT 'time separator: '
	mov si, info + 13
	call print_asciz
	NEWLINE
	PRINT 'currency format: '
	HEX8 [info + 15]
	NEWLINE
	PRINT 'decimals: '
	HEX8 [info + 16]
	NEWLINE
	PRINT 'time format: '
	HEX8 [info + 17]
	NEWLINE
	PRINT 'list separator: '
	mov si, info + 22
	call print_asciz
	NEWLINE
	EXIT 0

info:	times 34 db 0CCh
	times 16 db 0
