; screen test: 80x25 text with every character (00h-FFh) in every attribute (00h-FFh), blink
; off so bit 7 is background intensity, cursor hidden; 9-dot characters with the line-graphics
; column for C0h-DFh.
%include "boot.inc"
	mov ax, 0003h           ; 80x25 colour text
	int 10h
	mov ax, 1003h           ; attribute bit 7: intensity, not blink
	xor bx, bx
	int 10h
	mov ah, 01h             ; cursor off
	mov cx, 2000h
	int 10h
	mov ax, 0B800h
	mov es, ax
	xor di, di
	xor bx, bx              ; cell number
.cell:
	mov al, bl              ; character: the cell number
	mov ah, bl              ; attribute: cell * 7, which runs through all 256 values
	imul ax, bx, 7
	mov ah, al
	mov al, bl
	stosw
	inc bx
	cmp bx, 2000
	jb .cell
	jmp done
