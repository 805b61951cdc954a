; conio.asm: the character functions 02h, 06h, 07h, 08h, 09h, 0Ah and 0Bh.
;
; stdin (stdin/conio.txt) holds "Bc", "hello world" and "yz" on three lines; each line end
; reads as CR, the Enter key. Each byte read is printed in hex. Output: 02h, 06h and 09h,
; a TAB written raw (a redirected stdout gets it unchanged). 0Ah echoes the line and the
; CR, no LF. 0Bh says FF while input waits. The functions that echo
; (01h, 0Ch with 01h), 06h input, 0Ch and 0Bh at the end of the input are in
; conecho.asm: DOSBox differs there.
	org 100h
%include "dos.inc"

start:
	PRINT '02:'
	mov ah, 02h
	mov dl, 'X'
	int 21h
	mov dl, 9		; TAB
	int 21h
	mov dl, 'Y'
	int 21h
	NEWLINE
	PRINT '06:'
	mov ah, 06h
	mov dl, 'Z'
	int 21h
	NEWLINE
	PRINT '09:'
	mov ah, 09h
	mov dx, msg
	int 21h
	NEWLINE

	PRINT '0B before input: '
	mov ah, 0Bh
	int 21h
	HEX8 al
	NEWLINE

	PRINT '08:'		; 'B'
	mov ah, 08h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE
	PRINT '07:'		; 'c'
	mov ah, 07h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE
	PRINT '08 enter:'	; the line end: CR
	mov ah, 08h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE

	PRINT '0A:'		; "hello world" and CR into a buffer of 20
	mov ah, 0Ah
	mov dx, buffer
	int 21h
	PRINT ' max '
	HEX8 [buffer]
	PRINT ' count '
	HEX8 [buffer + 1]
	PRINT ' text '
	mov bl, [buffer + 1]
	xor bh, bh
	HEX8 [buffer + 2 + bx]	; the CR after the text
	mov byte [buffer + 2 + bx], '$'
	mov dx, buffer + 2
	mov ah, 09h
	int 21h
	NEWLINE

	PRINT '08 08:'		; 'y', 'z'
	mov ah, 08h
	int 21h
	HEX8 al
	mov ah, 08h
	int 21h
	HEX8 al
	NEWLINE
	PRINT '08 enter:'
	mov ah, 08h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE
	EXIT 0

msg:	db 'dollar-ended', '$'
buffer:	db 20, 0
	times 22 db 0
