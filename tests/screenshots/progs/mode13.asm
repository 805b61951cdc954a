; mode13.asm: the mode 13h screenshot (320x200, 256 colours): palette ramps and shapes.
;
; The DAC is programmed through ports 3C8h/3C9h: 16-63 a grey ramp, 64-127 red,
; 128-191 green, 192-255 blue (0-15 keep the BIOS's EGA colours). On the screen:
;   rows 0-15      colours 0-15, 20 pixels each
;   rows 20-35     the grey ramp, 6 pixels a step
;   rows 40-95     the red, green and blue ramps, 4 pixels a step, 16 rows each
;   rows 110-190   a yellow square with a white frame inside, a light red disc
;                  (radius 40), a light green triangle, a blue and white checkerboard
;                  of 4-pixel squares and a cyan and magenta X below it
	org 100h
%include "shots.inc"

WIDTH equ 320
%define AT(x, y) ((y) * WIDTH + (x))

; RECT x, y, width, height, colour
%macro RECT 5
	mov di, AT(%1, %2)
	mov cx, %3
	mov dx, %4
	mov al, %5
	call fill_rect
%endmacro

start:
	SET_MODE 0013h
	mov ax, 0A000h
	mov es, ax
	cld

	; the DAC: 48 greys from 16, then 64 steps each of red, green and blue
	mov dx, DAC_WRITE_INDEX
	mov al, 16
	out dx, al
	inc dx
	xor bx, bx
.grey:
	mov ax, bx
	shl ax, 2
	mov cl, 3
	div cl                  ; level = step * 4 / 3: 0-62
	out dx, al
	out dx, al
	out dx, al
	inc bx
	cmp bx, 48
	jne .grey
	xor bl, bl              ; BL = level, BH = which primary (0 red, 1 green, 2 blue)
.primary:
	xor al, al
	cmp bh, 0
	jne .r0
	mov al, bl
.r0:	out dx, al
	xor al, al
	cmp bh, 1
	jne .g0
	mov al, bl
.g0:	out dx, al
	xor al, al
	cmp bh, 2
	jne .b0
	mov al, bl
.b0:	out dx, al
	inc bl
	cmp bl, 64
	jne .primary
	xor bl, bl
	inc bh
	cmp bh, 3
	jne .primary

	; the ramps, one row of the table each
	mov si, ramps
.ramp:
	lodsw
	mov di, ax
	lodsw                   ; AL = first colour, AH = width of a step
	movzx cx, ah
	movzx bx, byte [si]     ; colours
	inc si
	call ramp
	cmp si, ramps_end
	jne .ramp

	; a yellow square with a white frame inside
	RECT 10, 110, 60, 60, 14
	RECT 20, 120, 40, 2, 15
	RECT 20, 158, 40, 2, 15
	RECT 20, 122, 2, 36, 15
	RECT 58, 122, 2, 36, 15

	; a disc of radius 40 around (130, 150): row by row, the widest half-width that fits
	mov si, -40             ; SI = dy
.disc_row:
	mov ax, si
	imul ax
	mov bx, 40 * 40
	sub bx, ax              ; BX = r^2 - dy^2
	xor cx, cx              ; CX = half-width
.widen:
	mov ax, cx
	inc ax
	mul ax
	cmp ax, bx
	ja .disc_line
	inc cx
	jmp .widen
.disc_line:
	mov ax, 150
	add ax, si
	imul ax, ax, WIDTH
	add ax, 130
	sub ax, cx
	mov di, ax
	shl cx, 1
	inc cx
	mov al, 12
	rep stosb
	inc si
	cmp si, 40
	jle .disc_row

	; a triangle: row i (0-79) from 220 - i/2 to 220 + i/2
	xor si, si
.triangle_row:
	mov ax, 110
	add ax, si
	imul ax, ax, WIDTH
	add ax, 220
	mov cx, si
	shr cx, 1
	sub ax, cx
	mov di, ax
	shl cx, 1
	inc cx
	mov al, 10
	rep stosb
	inc si
	cmp si, 80
	jne .triangle_row

	; a checkerboard of 4-pixel squares at (270, 110), 40 by 40
	xor dx, dx              ; DX = y
.check_row:
	mov ax, 110
	add ax, dx
	imul di, ax, WIDTH
	add di, 270
	xor bx, bx              ; BX = x
.check_pixel:
	mov ax, bx
	xor ax, dx
	test al, 4
	mov al, 1
	jz .check_put
	mov al, 15
.check_put:
	stosb
	inc bx
	cmp bx, 40
	jne .check_pixel
	inc dx
	cmp dx, 40
	jne .check_row

	; an X below it: (270, 155) to (309, 194) in cyan, the other diagonal in magenta
	mov di, AT(270, 155)
	mov si, AT(309, 155)
	mov cx, 40
.cross:
	mov byte [es:di], 11
	mov byte [es:si], 13
	add di, WIDTH + 1
	add si, WIDTH - 1
	loop .cross
	EXIT 0

; Fills CX by DX pixels from ES:DI with colour AL; keeps DI.
fill_rect:
	push di
.row:
	push di
	push cx
	rep stosb
	pop cx
	pop di
	add di, WIDTH
	dec dx
	jnz .row
	pop di
	ret

; BX colours from AL, CX pixels wide each and 16 rows high, left to right from ES:DI.
ramp:
	push cx
	mov dx, 16
	call fill_rect
	pop cx
	add di, cx
	inc al
	dec bx
	jnz ramp
	ret

; (offset, first colour, step width, colours): the EGA colours, grey, red, green, blue
ramps:
	dw AT(0, 0)
	db 0, 20, 16
	dw AT(16, 20)
	db 16, 6, 48
	dw AT(32, 40)
	db 64, 4, 64
	dw AT(32, 60)
	db 128, 4, 64
	dw AT(32, 80)
	db 192, 4, 64
ramps_end:
