; mode12.asm: the mode 12h screenshot (640x480, 16 colours in four planes), drawn with
; each of the VGA's four write modes and a logical operation.
;
;   rows 0-119     write mode 2: 16 colour bars, 40 pixels each; over the middle
;                  (rows 40-79, x 240-399) write mode 3 sets every other pixel white
;                  through the latches, the bars showing between
;   rows 120-239   write mode 0 with set/reset: blue, and light yellow diagonals made
;                  by a bit mask that moves one pixel a row
;   rows 240-359   write mode 0 through the map mask, plane by plane: planes 0-2 hold
;                  F0h, CCh, AAh (eight colours in stripes of one pixel), plane 3 turns
;                  on for 16 rows in every 32; the right quarter of rows 280-319 is then
;                  XORed with white (write mode 2, function XOR)
;   rows 360-479   write mode 1: rows 120-239 copied through the latches upside down,
;                  so the diagonals lean the other way
	org 100h
%include "shots.inc"

ROW_BYTES equ 80

start:
	SET_MODE 0012h
	mov ax, 0A000h
	mov es, ax
	cld

	; colour bars in write mode 2: a byte's low nibble is the colour of all 8 pixels
	GC GC_MODE, 2
	xor di, di
	mov bx, 120
.bar_row:
	xor al, al
	mov cx, 16
.bar:
	push cx
	mov cx, 5
	rep stosb
	pop cx
	inc al
	loop .bar
	dec bx
	jnz .bar_row

	; write mode 3: set/reset white through the data 55h ANDed with the bit mask
	GC GC_MODE, 3
	GC GC_SET_RESET, 15
	mov di, 40 * ROW_BYTES + 30
	mov bx, 40
.dots_row:
	mov cx, 20
.dots:
	mov al, [es:di]         ; load the latches: the bars stay where the data is 0
	mov al, 55h
	stosb
	loop .dots
	add di, ROW_BYTES - 20
	dec bx
	jnz .dots_row

	; write mode 0, set/reset on every plane: a blue band, then the diagonals
	GC GC_MODE, 0
	GC GC_ENABLE_SET_RESET, 0Fh
	GC GC_SET_RESET, 1
	mov di, 120 * ROW_BYTES
	mov cx, 120 * ROW_BYTES
	rep stosb
	GC GC_SET_RESET, 14
	mov di, 120 * ROW_BYTES
	xor bx, bx              ; BX = row in the band
.diag_row:
	mov cl, bl
	and cl, 7
	mov ah, 80h
	shr ah, cl              ; bit mask: one pixel, moving right a row
	mov al, GC_BIT_MASK
	mov dx, GC_PORT
	out dx, ax
	mov cx, ROW_BYTES
.diag:
	mov al, [es:di]         ; latches: the other 7 pixels keep their blue
	stosb
	loop .diag
	inc bx
	cmp bx, 120
	jne .diag_row
	GC GC_BIT_MASK, 0FFh
	GC GC_ENABLE_SET_RESET, 0

	; write mode 0 through the map mask: one plane at a time
	mov di, 240 * ROW_BYTES
	xor bx, bx
.plane_row:
	SEQ SEQ_MAP_MASK, 1
	mov al, 0F0h
	call fill_row
	SEQ SEQ_MAP_MASK, 2
	mov al, 0CCh
	call fill_row
	SEQ SEQ_MAP_MASK, 4
	mov al, 0AAh
	call fill_row
	SEQ SEQ_MAP_MASK, 8
	xor al, al
	test bl, 16
	jz .plane3
	mov al, 0FFh
.plane3:
	call fill_row
	add di, ROW_BYTES
	inc bx
	cmp bx, 120
	jne .plane_row
	SEQ SEQ_MAP_MASK, 0Fh

	; XOR with white: write mode 2, function XOR against the latches
	GC GC_MODE, 2
	GC GC_ROTATE_FUNCTION, GC_FUNCTION_XOR
	mov di, 280 * ROW_BYTES + 60
	mov bx, 40
.xor_row:
	mov cx, 20
.xor:
	mov al, [es:di]
	mov al, 15
	stosb
	loop .xor
	add di, ROW_BYTES - 20
	dec bx
	jnz .xor_row
	GC GC_ROTATE_FUNCTION, 0

	; write mode 1: the latches (all four planes) copied, row 239 - i to row 360 + i
	GC GC_MODE, 1
	push ds
	push es
	pop ds
	mov di, 360 * ROW_BYTES
	mov si, 239 * ROW_BYTES
	mov bx, 120
.copy_row:
	mov cx, ROW_BYTES
.copy:
	mov al, [si]
	mov [es:di], al
	inc si
	inc di
	loop .copy
	sub si, 2 * ROW_BYTES
	dec bx
	jnz .copy_row
	pop ds
	GC GC_MODE, 0
	EXIT 0

; Writes AL to the ROW_BYTES bytes of the row at ES:DI; keeps DI.
fill_row:
	push di
	mov cx, ROW_BYTES
	rep stosb
	pop di
	ret
