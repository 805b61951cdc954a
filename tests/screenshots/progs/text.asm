; text.asm: the 80x25 text screenshot: every attribute, box characters, the whole font.
;
; Mode 3 with blinking turned off (int 10h AX=1003h), so attribute bit 7 selects the
; bright backgrounds and nothing on the screen depends on time but the cursor, which
; sits at row 24, column 46 (the case masks that cell). On the screen:
;   row 0          a title bar, white on blue
;   rows 2-17      16x16 attributes: row = background, column = foreground, each cell
;                  showing its attribute in hex; the background's digit on the left
;   rows 2-9       right: a double-line box around a single-line grid (every junction)
;   rows 11-14     right: the shade characters B0h, B1h, B2h, DBh and half blocks
;   rows 19-22     the 256 characters of the font, 64 a row
;   row 24         a label and the cursor
	org 100h
%include "shots.inc"

COLS equ 80
ROW_BYTES equ COLS * 2
%define AT(row, col) ((row) * ROW_BYTES + (col) * 2)

start:
	SET_MODE 0003h
	mov ax, 1003h           ; attribute bit 7: bright background, not blink
	xor bx, bx
	int 10h
	mov ax, 0B800h
	mov es, ax
	cld

	; title bar
	mov di, AT(0, 0)
	mov ax, 1F20h
	mov cx, COLS
	rep stosw
	mov si, title
	mov di, AT(0, 2)
	mov ah, 1Fh
	call put_string

	; the attribute grid
	xor bx, bx              ; BL = attribute
.grid_row:
	mov al, bl
	shr al, 4
	movzx di, al
	imul di, di, ROW_BYTES
	add di, AT(2, 1)
	call hex_digit
	mov ah, 07h
	stosw
	add di, 4               ; the grid starts at column 4
.grid_cell:
	mov ah, bl
	mov al, bl
	shr al, 4
	call hex_digit
	stosw
	mov al, bl
	and al, 0Fh
	call hex_digit
	stosw
	mov al, ' '
	stosw
	inc bl
	test bl, 0Fh
	jnz .grid_cell
	or bl, bl
	jnz .grid_row

	; the boxes: a double frame around a single-line grid of two by two cells
	mov si, box_lines
	mov di, AT(2, 56)
	mov ah, 1Eh             ; yellow on blue
.box_line:
	push di
	call put_string
	pop di
	add di, ROW_BYTES
	cmp byte [si], 0
	jne .box_line

	; shades and blocks
	mov si, shades
	mov di, AT(11, 56)
	mov cx, 4
.shade_row:
	push cx
	push di
	lodsw                   ; AL = character, AH = attribute
	mov cx, 22
	rep stosw
	pop di
	pop cx
	add di, ROW_BYTES
	loop .shade_row

	; the font: characters 0-255, 64 a row
	mov di, AT(19, 8)
	xor ax, ax
	mov ah, 07h
.font:
	stosw
	inc al
	test al, 3Fh
	jnz .font_next
	add di, ROW_BYTES - 64 * 2
.font_next:
	or al, al
	jnz .font

	; the label and the cursor
	mov si, cursor_label
	mov di, AT(24, 26)
	mov ah, 07h
	call put_string
	mov ah, 02h
	xor bh, bh
	mov dx, (24 << 8) | 46
	int 10h
	EXIT 0

; Writes the zero-terminated string at SI with attribute AH to ES:DI; SI ends past the 0.
put_string:
	lodsb
	or al, al
	jz .done
	stosw
	jmp put_string
.done:
	ret

; AL (0-15) to its hex digit in AL.
hex_digit:
	add al, '0'
	cmp al, '9'
	jbe .done
	add al, 'A' - '9' - 1
.done:
	ret

title: db 'MVM screenshot test: 80x25 text, every attribute, boxes, the font', 0
box_lines:
	db 0C9h, 7 dup (0CDh), ' Box ', 7 dup (0CDh), 0BBh, 0
	db 0BAh, ' ', 0DAh, 7 dup (0C4h), 0C2h, 7 dup (0C4h), 0BFh, ' ', 0BAh, 0
	db 0BAh, ' ', 0B3h, ' north ', 0B3h, ' east  ', 0B3h, ' ', 0BAh, 0
	db 0BAh, ' ', 0C3h, 7 dup (0C4h), 0C5h, 7 dup (0C4h), 0B4h, ' ', 0BAh, 0
	db 0BAh, ' ', 0B3h, ' west  ', 0B3h, ' south ', 0B3h, ' ', 0BAh, 0
	db 0BAh, ' ', 0C0h, 7 dup (0C4h), 0C1h, 7 dup (0C4h), 0D9h, ' ', 0BAh, 0
	db 0C8h, 19 dup (0CDh), 0BCh, 0
	db 0
shades:
	db 0B0h, 0Ch, 0B1h, 0Ah, 0B2h, 09h, 0DCh, 4Eh
cursor_label: db 'the cursor is here: ', 0
