; screen test: CGA mode 4 (320x200, 4 colours, even and odd rows in two banks at B800:0000 and
; B800:2000) with palette 1 and a blue background (int 10h AH=0Bh); pixel (x, y) has colour
; (x / 8 + y / 8) & 3.
%include "boot.inc"
	mov ax, 0004h
	int 10h
	mov ah, 0Bh             ; background/border colour 1 (blue)
	mov bx, 0001h
	int 10h
	mov ah, 0Bh             ; palette 1 (cyan, magenta, white)
	mov bx, 0101h
	int 10h
	mov ax, 0B800h
	mov es, ax
	xor dx, dx              ; y
.row:
	mov di, dx
	shr di, 1
	imul di, di, 80
	test dl, 1
	jz .even
	add di, 2000h
.even:
	xor cx, cx              ; x, four pixels a byte
.byte:
	mov ax, cx
	shr ax, 3
	mov bx, dx
	shr bx, 3
	add ax, bx
	and al, 3               ; the same colour for the byte's four pixels
	mov ah, al
	shl ah, 2
	or al, ah
	mov ah, al
	shl ah, 4
	or al, ah
	stosb
	add cx, 4
	cmp cx, 320
	jb .byte
	inc dx
	cmp dx, 200
	jb .row
	jmp done
