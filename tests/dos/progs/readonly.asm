; readonly.asm: read-only files: creating one, opening it, writing, deleting.
; dosbox: no (DOSBox 0.74 keeps no read-only attribute on its host directories)
;
; Compared with expected/readonly.txt, MS-DOS 5's answers: 3Ch with CX=1 creates a
; read-only file but its handle is open for reading and writing; afterwards opening it
; for writing or for both (3Dh), creating over it (3Ch) and deleting it (41h) give 5,
; 5Bh gives 80 (it exists), opening it for reading works. With the attribute cleared
; (4301h CX=0) it opens for writing and deletes. Only the read-only bit of 4300h is
; printed: the archive bit is the implementation's.
	org 100h
%include "dos.inc"

start:
	mov ah, 3Ch
	mov cx, 1
	mov dx, s_ro
	int 21h
	RESULT '3C RO.TXT read-only'
	mov [h], ax
	mov ah, 40h
	mov bx, [h]
	mov cx, 5
	mov dx, s_ro
	int 21h
	RESULT_AX '40 on the new handle'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	RESULT '3E'
	call robit
	mov ax, 3D01h
	call open
	RESULT '3D for writing'
	mov ax, 3D02h
	call open
	RESULT '3D for both'
	mov ax, 3D00h
	call open
	RESULT '3D for reading'
	jc .c1
	mov bx, ax
	mov ah, 3Fh
	mov cx, 8
	mov dx, buf
	int 21h
	RESULT_AX '3F'
	mov ah, 3Eh
	int 21h
.c1:	mov ah, 3Ch
	xor cx, cx
	mov dx, s_ro
	int 21h
	RESULT '3C over it'
	mov ah, 5Bh
	xor cx, cx
	mov dx, s_ro
	int 21h
	RESULT '5B over it'
	mov ah, 41h
	mov dx, s_ro
	int 21h
	RESULT '41'
	mov ax, 4301h
	xor cx, cx
	mov dx, s_ro
	int 21h
	RESULT '4301 CX=0'
	call robit
	mov ax, 3D01h
	call open
	RESULT '3D for writing'
	jc .c2
	mov bx, ax
	mov ah, 3Eh
	int 21h
.c2:	mov ah, 41h
	mov dx, s_ro
	int 21h
	RESULT '41'
	mov ax, 4300h
	mov dx, s_ro
	int 21h
	RESULT '4300 after 41'
	EXIT 0

open:	mov dx, s_ro
	int 21h
	ret

robit:	mov ax, 4300h
	mov dx, s_ro
	int 21h
	PRINT '4300 read-only bit: '
	jc .err
	and cl, 1
	HEX8 cl
	NEWLINE
	ret
.err:	call print_result
	ret

s_ro:	db 'RO.TXT', 0
h:	dw 0
buf:	times 8 db 0
