; vvmidraw.asm: the VVMI drawing demo, a DOS .COM program that uses every GHI command.
;
; It sets a 320x200 mode with a 16-colour palette and draws: solid fills through ROP2s,
; 8x8 pattern fills, lines in every octant, text in the VGA BIOS's 8x8 font, an image
; put into an off-screen bitmap and blitted to the screen with SRCCOPY and SRCINVERT, a
; pointer, and two windows: A, which it titles, moves, resizes, clips to a region and
; raises, and B, which it hides, shows and destroys. It presents and waits
; for the host's PRESENTED event, and exits 0; 1 without VVMI, 2 when an error event
; came back (its opcode and code are printed).
	org 100h

%include "vvmi.inc"

%include "vvmi_put.inc"

HEAP_FONT equ VVMI_HEAP_OFFSET            ; 128 glyphs of 8 bytes
HEAP_TEXT equ HEAP_FONT + VVMI_BIOS_FONT_BYTES
HEAP_IMAGE equ HEAP_TEXT + 64             ; 16x16 bytes
HEAP_POINTER equ HEAP_IMAGE + 256         ; AND then XOR, 16 rows of 2 bytes each
HEAP_TITLE equ HEAP_POINTER + 64

start:
	call vvmi_open
	jnc .open
	mov dx, msg_absent
	mov ah, 09h
	int 21h
	mov ax, 4C01h
	int 21h
.open:
	mov di, HEAP_FONT
	call vvmi_heap_write_bios_font
	mov si, text
	mov cx, text_end - text
	mov di, HEAP_TEXT
	call vvmi_heap_write
	call make_image
	mov si, pointer_masks
	mov cx, pointer_masks_end - pointer_masks
	mov di, HEAP_POINTER
	call vvmi_heap_write
	mov si, title
	mov cx, title_end - title
	mov di, HEAP_TITLE
	call vvmi_heap_write

	PUT VVMI_CMD_SET_MODE, set_mode
	PUT VVMI_CMD_PALETTE, palette
	PUT VVMI_CMD_FILL, fill_background
	PUT VVMI_CMD_FILL, fill_red
	PUT VVMI_CMD_FILL, fill_xor
	PUT VVMI_CMD_PATTERN_FILL, pattern_checker
	PUT VVMI_CMD_PATTERN_FILL, pattern_invert
	PUT VVMI_CMD_LINE, line_1
	PUT VVMI_CMD_LINE, line_2
	PUT VVMI_CMD_LINE, line_3
	PUT VVMI_CMD_LINE, line_4
	PUT VVMI_CMD_TEXT, text_opaque
	PUT VVMI_CMD_TEXT, text_clear
	PUT VVMI_CMD_SURFACE_CREATE, bitmap
	PUT VVMI_CMD_PUT_IMAGE, put_image
	PUT VVMI_CMD_BITBLT, blit_copy
	PUT VVMI_CMD_BITBLT, blit_invert
	PUT VVMI_CMD_BITBLT, blit_pattern
	PUT VVMI_CMD_SURFACE_DESTROY, bitmap_ref
	PUT VVMI_CMD_POINTER_SHAPE, pointer_shape
	PUT VVMI_CMD_POINTER_POS, pointer_pos
	PUT VVMI_CMD_SURFACE_CREATE, window_a
	PUT VVMI_CMD_FILL, window_a_fill
	PUT VVMI_CMD_WINDOW_TITLE, window_a_title
	PUT VVMI_CMD_WINDOW_MOVE, window_a_move
	PUT VVMI_CMD_WINDOW_RESIZE, window_a_resize
	PUT VVMI_CMD_FILL, window_a_fill
	PUT VVMI_CMD_WINDOW_REGION, window_a_region
	PUT VVMI_CMD_SURFACE_CREATE, window_b
	PUT VVMI_CMD_FILL, window_b_fill
	PUT VVMI_CMD_WINDOW_RAISE, window_a_ref
	PUT VVMI_CMD_WINDOW_VISIBLE, window_b_hide
	PUT VVMI_CMD_WINDOW_VISIBLE, window_b_show
	PUT VVMI_CMD_SURFACE_DESTROY, window_b_ref
	PUT VVMI_CMD_PRESENT, present
	jmp vvmi_exit_when_presented

; A 16x16 image of colour bands (pixel = (x + y) / 2 & 15) to the heap.
make_image:
	mov di, image
	xor bx, bx
.row:
	xor dx, dx
.pixel:
	mov ax, bx
	add ax, dx
	shr ax, 1
	and al, 0Fh
	mov [di], al
	inc di
	inc dx
	cmp dx, 16
	jb .pixel
	inc bx
	cmp bx, 16
	jb .row
	mov si, image
	mov cx, 256
	mov di, HEAP_IMAGE
	jmp vvmi_heap_write

msg_absent: db 'VVMI is not there (no vvmi VDD)', 13, 10, '$'
text: db 'VVMI draws'
text_end:
title: db 'Window A'
title_end:

pointer_masks:				; an arrow: AND rows, then XOR rows, bit 7 leftmost
%assign row 0
%rep 16
%if row < 12
%assign shape (0FFFFh << (15 - row)) & 0FFFFh
%else
%assign shape 0
%endif
	db (~shape >> 8) & 0FFh, ~shape & 0FFh
%assign row row + 1
%endrep
%assign row 0
%rep 16
%if row < 12
%assign shape (0FFFFh << (15 - row)) & 07FFEh
%else
%assign shape 0
%endif
	db shape >> 8, shape & 0FFh
%assign row row + 1
%endrep
pointer_masks_end:

	align 4
set_mode: dw 320, 200
	db VVMI_FORMAT_I8, 0, 0, 0
set_mode_end:
palette: dw VVMI_SURFACE_SCREEN
	db 0, 0
	dw 16, 0
	dd 0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA
	dd 0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF
palette_end:
fill_background: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, 320, 200
	dd 1
fill_background_end:
fill_red: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_COPYPEN, 0
	dw 10, 10, 60, 40
	dd 4
fill_red_end:
fill_xor: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_XORPEN, 0
	dw 40, 30, 60, 40
	dd 15
fill_xor_end:
pattern_checker: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP3_PATCOPY, 0
	dw 120, 10, 64, 40
	dd 14, 2
	db 0AAh, 55h, 0AAh, 55h, 0AAh, 55h, 0AAh, 55h
pattern_checker_end:
pattern_invert: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP3_PATINVERT, 0
	dw 150, 30, 64, 40
	dd 15, 0
	db 0FFh, 81h, 81h, 81h, 81h, 81h, 81h, 0FFh
pattern_invert_end:
line_1: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_COPYPEN, 0
	dw 230, 10, 310, 60
	dd 14
line_1_end:
line_2: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_COPYPEN, 0
	dw 310, 10, 230, 60
	dd 10
line_2_end:
line_3: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_COPYPEN, 0
	dw 270, 5, 270, 65
	dd 12
line_3_end:
line_4: dw VVMI_SURFACE_SCREEN		; mostly off the screen: clipped
	db VVMI_ROP2_XORPEN, 0
	dw -100, 190, 400, 150
	dd 15
line_4_end:
text_opaque: dw VVMI_SURFACE_SCREEN
	db 0, 0
	dw 10, 80
	dd 15, 4
	dd HEAP_FONT
	db 8, 8, 0, 128
	dd HEAP_TEXT
	dw text_end - text, 0
text_opaque_end:
text_clear: dw VVMI_SURFACE_SCREEN
	db 1, 0
	dw 10, 92
	dd 14, 0
	dd HEAP_FONT
	db 8, 8, 0, 128
	dd HEAP_TEXT
	dw text_end - text, 0
text_clear_end:
bitmap: dw 1
	db VVMI_SURFACE_BITMAP, VVMI_FORMAT_I8
	dw 16, 16, 0, 0
bitmap_end:
bitmap_ref: dw 1, 0
bitmap_ref_end:
put_image: dw 1
	db VVMI_ROP3_SRCCOPY, VVMI_FORMAT_I8
	dw 0, 0, 16, 16
	dd HEAP_IMAGE
	dw 16, 0
put_image_end:
blit_copy: dw VVMI_SURFACE_SCREEN, 1
	dw 10, 110, 16, 16
	dw 0, 0
	db VVMI_ROP3_SRCCOPY, 0, 0, 0
	dd 0, 0
	dq 0
blit_copy_end:
blit_invert: dw VVMI_SURFACE_SCREEN, 1
	dw 20, 118, 16, 16
	dw 0, 0
	db VVMI_ROP3_SRCINVERT, 0, 0, 0
	dd 0, 0
	dq 0
blit_invert_end:
blit_pattern: dw VVMI_SURFACE_SCREEN, 1
	dw 50, 110, 16, 16
	dw 0, 0
	db VVMI_ROP3_MERGECOPY, 1, 0, 0
	dd 15, 9
	db 0F0h, 0F0h, 0F0h, 0F0h, 0Fh, 0Fh, 0Fh, 0Fh
blit_pattern_end:
pointer_shape: dw 16, 16, 0, 0
	dd HEAP_POINTER
pointer_shape_end:
pointer_pos: dw 160, 100
	db 1, 0, 0, 0
pointer_pos_end:
window_a: dw 2
	db VVMI_SURFACE_WINDOW, VVMI_FORMAT_I8
	dw 80, 50, 100, 120
window_a_end:
window_a_ref: dw 2, 0
window_a_ref_end:
window_a_fill: dw 2
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, 120, 70
	dd 13
window_a_fill_end:
window_a_title: dw 2, title_end - title
	dd HEAP_TITLE
window_a_title_end:
window_a_move: dw 2, 0
	dw 180, 110
window_a_move_end:
window_a_resize: dw 2, 120, 70, 0
window_a_resize_end:
window_a_region: dw 2, 2
	dw 0, 0, 120, 30
	dw 0, 30, 60, 40
window_a_region_end:
window_b: dw 3
	db VVMI_SURFACE_WINDOW, VVMI_FORMAT_I8
	dw 60, 40, 200, 130
window_b_end:
window_b_ref: dw 3, 0
window_b_ref_end:
window_b_fill: dw 3
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, 60, 40
	dd 11
window_b_fill_end:
window_b_hide: dw 3
	db 0, 0
window_b_hide_end:
window_b_show: dw 3
	db 1, 0
window_b_show_end:
present: dd 1
present_end:

%include "vvmi_client.asm"

image: times 256 db 0
