; screen test: mode 13h (320x200, 256 colours) with a programmed DAC: colour i is
; (i & 63, (i >> 2) & 63, 63 - (i & 63)); pixel (x, y) has colour (x ^ y) & FFh.
%include "boot.inc"
	mov ax, 0013h
	int 10h
	mov dx, 3C8h            ; DAC write index 0, then R, G, B for each colour
	xor al, al
	out dx, al
	inc dx
	xor cx, cx
.dac:
	mov al, cl
	and al, 63
	out dx, al
	mov al, cl
	shr al, 2
	and al, 63
	out dx, al
	mov al, cl
	and al, 63
	neg al
	add al, 63
	out dx, al
	inc cx
	cmp cx, 256
	jb .dac
	mov ax, 0A000h
	mov es, ax
	xor di, di
	xor dx, dx              ; y
.row:
	xor cx, cx              ; x
.pixel:
	mov al, cl
	xor al, dl
	stosb
	inc cx
	cmp cx, 320
	jb .pixel
	inc dx
	cmp dx, 200
	jb .row
	jmp done
