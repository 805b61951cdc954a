; vvmiwin.asm: the VVMI seamless demo, a DOS .COM program with three guest windows.
;
; It opens three XRGB8888 windows with distinct content (a red one with a white
; diagonal, a green one with a checker pattern, a blue one with its name in the VGA
; BIOS's 8x8 font), titles them, moves the green one, closes (destroys) the blue one,
; presents and waits for the host's PRESENTED event. Exits 0; 1 without VVMI, 2 when an
; error event came back (its opcode and code are printed).
	org 100h

%include "vvmi.inc"

%include "vvmi_put.inc"

HEAP_FONT equ VVMI_HEAP_OFFSET
HEAP_NAME equ HEAP_FONT + VVMI_BIOS_FONT_BYTES

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
	mov si, names
	mov cx, names_end - names
	mov di, HEAP_NAME
	call vvmi_heap_write

	PUT VVMI_CMD_SURFACE_CREATE, red
	PUT VVMI_CMD_FILL, red_fill
	PUT VVMI_CMD_LINE, red_line
	PUT VVMI_CMD_WINDOW_TITLE, red_title
	PUT VVMI_CMD_SURFACE_CREATE, green
	PUT VVMI_CMD_PATTERN_FILL, green_fill
	PUT VVMI_CMD_WINDOW_TITLE, green_title
	PUT VVMI_CMD_SURFACE_CREATE, blue
	PUT VVMI_CMD_FILL, blue_fill
	PUT VVMI_CMD_TEXT, blue_text
	PUT VVMI_CMD_WINDOW_TITLE, blue_title
	PUT VVMI_CMD_WINDOW_MOVE, green_move
	PUT VVMI_CMD_SURFACE_DESTROY, blue_ref
	PUT VVMI_CMD_PRESENT, present
	jmp vvmi_exit_when_presented

msg_absent: db 'VVMI is not there (no vvmi VDD)', 13, 10, '$'
names: db 'Blue', 'Red window', 'Green window', 'Blue window'
names_end:
NAME_BLUE equ HEAP_NAME
TITLE_RED equ HEAP_NAME + 4
TITLE_GREEN equ TITLE_RED + 10
TITLE_BLUE equ TITLE_GREEN + 12

	align 4
red: dw 1
	db VVMI_SURFACE_WINDOW, VVMI_FORMAT_XRGB8888
	dw 160, 100, 40, 30
red_end:
red_fill: dw 1
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, 160, 100
	dd 0xC02020
red_fill_end:
red_line: dw 1
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, 159, 99
	dd 0xFFFFFF
red_line_end:
red_title: dw 1, 10
	dd TITLE_RED
red_title_end:
green: dw 2
	db VVMI_SURFACE_WINDOW, VVMI_FORMAT_XRGB8888
	dw 120, 80, 100, 60
green_end:
green_fill: dw 2
	db VVMI_ROP3_PATCOPY, 0
	dw 0, 0, 120, 80
	dd 0x20C020, 0x106010
	db 0F0h, 0F0h, 0F0h, 0F0h, 0Fh, 0Fh, 0Fh, 0Fh
green_fill_end:
green_title: dw 2, 12
	dd TITLE_GREEN
green_title_end:
green_move: dw 2, 0
	dw 360, 220
green_move_end:
blue: dw 3
	db VVMI_SURFACE_WINDOW, VVMI_FORMAT_XRGB8888
	dw 100, 50, 420, 40
blue_end:
blue_ref: dw 3, 0
blue_ref_end:
blue_fill: dw 3
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, 100, 50
	dd 0x2020C0
blue_fill_end:
blue_text: dw 3
	db 1, 0
	dw 34, 21
	dd 0xFFFFFF, 0
	dd HEAP_FONT
	db 8, 8, 0, 128
	dd NAME_BLUE
	dw 4, 0
blue_text_end:
blue_title: dw 3, 11
	dd TITLE_BLUE
blue_title_end:
present: dd 1
present_end:

%include "vvmi_client.asm"

