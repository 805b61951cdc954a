; conecho.asm: 01h echoes, 06h input, 0Ch, and 0Bh at the end of a redirected stdin.
; dosbox: no (it hangs in 06h DL=FFh and in 0Ch on a redirected stdin)
;
; Compared with expected/conecho.txt, what MS-DOS 5 writes for `CONECHO < IN`:
; - 01h reads stdin and echoes the byte to stdout whatever stdin is (MS-DOS's
;   $STD_CON_INPUT calls OUTT after reading); DOSBox 0.74 echoes only when stdin is CON.
; - 06h with DL=FFh returns the next byte with ZF clear, and at the end of the input
;   AL=00 with ZF set; DOSBox 0.74 never returns on a redirected stdin.
; - 0Ch flushes only a device's type-ahead (a redirected stdin keeps its bytes), then runs
;   the function in AL; DOSBox 0.74 never returns.
; - 0Bh at the end of a redirected stdin says 00 (MS-DOS asks the file's status: at
;   end of file, nothing waits); DOSBox 0.74 says FFh.
; stdin (stdin/conecho.txt): "ab" and "xyz" on two lines; a line end reads as CR.
	org 100h
%include "dos.inc"

start:
	PRINT '01:'		; 'a', echoed
	mov ah, 01h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE
	PRINT '01:'		; 'b', echoed
	mov ah, 01h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE
	PRINT '01 enter:'	; CR, echoed
	mov ah, 01h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE

	PRINT '06 FF:'		; 'x', no echo, ZF clear
	mov ah, 06h
	mov dl, 0FFh
	int 21h
	call print_al_zf

	PRINT '0C 01:'		; 'y', echoed
	mov ax, 0C01h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE
	PRINT '0C 06:'		; 'z'
	mov ax, 0C06h
	mov dl, 0FFh
	int 21h
	call print_al_zf
	PRINT '0C 08:'		; CR
	mov ax, 0C08h
	int 21h
	PRINT ' got '
	HEX8 al
	NEWLINE

	PRINT '0B at end: '
	mov ah, 0Bh
	int 21h
	HEX8 al
	NEWLINE
	PRINT '06 FF at end:'
	mov ah, 06h
	mov dl, 0FFh
	int 21h
	call print_al_zf
	EXIT 0

print_al_zf:			; " got XX NZ|ZR"
	PRINT ' got '
	HEX8 al
	jz .zr
	PRINTLN ' NZ'
	ret
.zr:	PRINTLN ' ZR'
	ret
