; screen test: mode X (unchained 256 colours: mode 13h with chain-4 off, the CRTC in byte
; mode): four planes written through the map mask, each plane its own pattern, then the
; default palette shows pixel (x, y) = plane (x & 3) pattern.
%include "boot.inc"
	mov ax, 0013h
	int 10h
	mov dx, 3C4h
	mov ax, 0604h           ; memory mode: chain-4 off, odd/even off
	out dx, ax
	mov dx, 3D4h
	mov ax, 0014h           ; underline location: doubleword mode off
	out dx, ax
	mov ax, 0E317h          ; mode control: byte mode
	out dx, ax
	mov ax, 0A000h
	mov es, ax
	mov bl, 1               ; map mask bit for plane 0
	xor bh, bh              ; plane number
.plane:
	mov dx, 3C4h
	mov al, 02h
	mov ah, bl
	out dx, ax
	xor di, di
	xor cx, cx
.byte:
	mov ax, cx              ; colour: plane * 64 + (offset / 80 + offset) & 63
	xor dx, dx
	push bx
	mov bx, 80
	div bx
	pop bx
	add ax, cx
	and al, 63
	mov ah, bh
	shl ah, 6
	or al, ah
	stosb
	inc cx
	cmp cx, 16000
	jb .byte
	shl bl, 1
	inc bh
	cmp bh, 4
	jb .plane
	jmp done
