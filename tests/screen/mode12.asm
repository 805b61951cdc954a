; screen test: mode 12h (640x480, 16 colours, planar) drawn with each write mode: mode 0 with
; set/reset and the bit mask, mode 0 with the data rotated and a logical operation, mode 1
; (latch copy), mode 2 (colour from the data) and mode 3 (set/reset colour through the rotated
; data ANDed with the bit mask); read mode 1 (colour compare) decides a last band.
%include "boot.inc"
GC equ 3CEh
SEQ equ 3C4h
%macro gc 2
	mov dx, GC
	mov ax, (%2 << 8) | %1
	out dx, ax
%endmacro
	mov ax, 0012h
	int 10h
	mov ax, 0A000h
	mov es, ax
	; band 0 (rows 0-59): write mode 0, set/reset colour 9 on all planes, bit mask 0F0h
	gc 0, 9                 ; set/reset
	gc 1, 0Fh               ; enable set/reset
	gc 8, 0F0h              ; bit mask
	xor di, di
	mov cx, 60 * 80
.b0:	mov al, [es:di]         ; load the latches
	mov byte [es:di], 0FFh
	inc di
	loop .b0
	; band 1 (rows 60-119): write mode 0, no set/reset, data 0A5h rotated right by 3, XOR
	gc 1, 0
	gc 8, 0FFh
	gc 3, (3 << 3) | 3      ; function XOR, rotate 3
	mov dx, SEQ
	mov ax, 0B02h           ; map mask: planes 0, 1, 3
	out dx, ax
	mov cx, 60 * 80
.b1:	mov al, [es:di]
	mov byte [es:di], 0A5h
	inc di
	loop .b1
	gc 3, 0
	mov dx, SEQ
	mov ax, 0F02h
	out dx, ax
	; band 2 (rows 120-179): write mode 1, a copy of band 0 through the latches
	gc 5, 1
	push ds
	push es
	pop ds
	xor si, si
	mov cx, 60 * 80
.b2:	mov al, [si]
	mov [di], al
	inc si
	inc di
	loop .b2
	pop ds
	; band 3 (rows 180-239): write mode 2, colour = column & 15, bit mask 3Ch
	gc 5, 2
	gc 8, 3Ch
	mov bx, 0
	mov cx, 60 * 80
.b3:	mov al, [es:di]
	mov al, bl
	and al, 15
	mov [es:di], al
	inc bx
	inc di
	loop .b3
	; band 4 (rows 240-299): write mode 3, set/reset colour 14, data 0C3h rotated by 1, mask 0FFh
	gc 5, 3
	gc 8, 0FFh
	gc 0, 14
	gc 3, 1
	mov cx, 60 * 80
.b4:	mov al, [es:di]
	mov byte [es:di], 0C3h
	inc di
	loop .b4
	; band 5 (rows 300-359): read mode 1 compares band 2 with colour 9 (don't care: all planes);
	; the result byte is written in write mode 0 with set/reset colour 12 as the bit mask
	gc 3, 0
	gc 5, 8                 ; read mode 1, write mode 0
	gc 2, 9                 ; colour compare
	gc 7, 0Fh               ; colour don't care: all planes count
	mov si, 120 * 80
	mov cx, 60 * 80
.b5:	mov dx, GC
	mov al, 8
	out dx, al
	mov al, [es:si]         ; the comparison: bits where the pixel is colour 9
	inc dx
	out dx, al              ; as the bit mask
	gc 0, 12
	gc 1, 0Fh
	mov al, [es:di]
	mov byte [es:di], 0FFh
	inc si
	inc di
	loop .b5
	gc 1, 0
	gc 8, 0FFh
	gc 5, 0
	jmp done
