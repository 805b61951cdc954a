; hcount.asm: the handle count, 67h, and committing a file, 68h.
;
; A program has 20 handles (5 of them taken by the standard devices): 15 opens of one
; file work and the 16th gives 4 (too many open files). 67h with BX=30 makes room: 10
; more open, the 26th open gives 4 again. Asking for fewer handles than are open gives
; 4 (MS-DOS 4's $ExtHandle checks that the handles dropped are closed). 68h commits an
; open file; on a bad handle, 6.
;
; Compared with expected/hcount.txt, MS-DOS 5's answers: DOSBox 0.74 makes a larger
; table than asked for (12 more opens, not 10), shrinks it over open handles, and then
; refuses 68h on the last one.
; fixtures/hcount: DATA.TXT.
	org 100h
%include "dos.inc"

start:
	mov ah, 4Ah		; room for the new handle table
	mov bx, 1000h
	int 21h
	call open_all
	PRINT 'opened before 67h: '
	HEX16 [count]
	PRINT ', then error '
	HEX16 [err]
	NEWLINE
	mov ah, 67h
	mov bx, 30
	int 21h
	RESULT '67 BX=30'
	call open_all
	PRINT 'opened after 67h: '
	HEX16 [count]
	PRINT ', then error '
	HEX16 [err]
	NEWLINE
	PRINT 'last handle: '
	HEX16 [last]
	NEWLINE
	mov ah, 67h
	mov bx, 20
	int 21h
	RESULT '67 BX=20 (25 open)'
	mov ah, 68h
	mov bx, [last]
	int 21h
	RESULT '68 the last handle'
	mov ah, 68h
	mov bx, 99
	int 21h
	RESULT '68 handle 99'
	mov ah, 68h
	mov bx, 40
	int 21h
	RESULT '68 handle 40'
	EXIT 0

open_all:			; opens DATA.TXT until an error
	mov word [count], 0
.next:	mov ax, 3D00h
	mov dx, s_data
	int 21h
	jc .stop
	mov [last], ax
	inc word [count]
	cmp word [count], 100
	jb .next
.stop:	mov [err], ax
	ret

s_data:	db 'DATA.TXT', 0
count:	dw 0
err:	dw 0
last:	dw 0
