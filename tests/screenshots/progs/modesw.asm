; modesw.asm: a mode-switch sequence that stops after the stage its command line names.
;
;   MODESW.COM N       N = 1-4; exits 0 after stage N, 2 without a stage
;
; Each stage sets its mode through int 10h AH=00h (which clears the screen) and draws:
;   1  mode 3, 80x25 text: a blue field of B1h shade characters, a white-on-red message
;   2  mode 13h: 50 nested rectangles in the BIOS palette's colours 32-81, a message
;      written by the BIOS's teletype (int 10h AH=0Eh) in white
;   3  mode 12h: write mode 2 colour steps (one colour per 16 rows and 40 pixels,
;      moving one colour a step), a message by the teletype on the black top rows
;   4  mode 3 again: a message by int 10h AH=13h, a row of 16 colour blocks by AH=09h
; So stage 4 shows the text mode after two graphics modes: the font and attributes
; restored, nothing left of the graphics.
	org 100h
%include "shots.inc"

PSP_TAIL_LENGTH equ 80h
PSP_TAIL equ 81h

start:
	cld
	; the stage: the first digit 1-4 in the command tail
	movzx cx, byte [PSP_TAIL_LENGTH]
	mov si, PSP_TAIL
.scan:
	jcxz .no_stage
	lodsb
	dec cx
	cmp al, '1'
	jb .scan
	cmp al, '4'
	ja .scan
	sub al, '0'
	mov [stage], al
	jmp stage1
.no_stage:
	mov ah, 09h
	mov dx, usage
	int 21h
	EXIT 2

stage1:
	SET_MODE 0003h
	HIDE_CURSOR
	mov ax, 0B800h
	mov es, ax
	xor di, di
	mov ax, 13B1h           ; cyan shade on blue
	mov cx, 80 * 25
	rep stosw
	mov di, (11 * 80 + 24) * 2
	mov si, msg_text
	mov ah, 4Fh
.put:
	lodsb
	or al, al
	jz .done
	stosw
	jmp .put
.done:
	cmp byte [stage], 1
	je finish

stage2:
	SET_MODE 0013h
	mov ax, 0A000h
	mov es, ax
	xor bx, bx              ; BX = rectangle: inset 2 * BX, colour 32 + BX
.rect:
	mov ax, bx
	shl ax, 1               ; inset
	imul di, ax, 320 + 1    ; (inset, inset)
	mov cx, 320
	sub cx, ax
	sub cx, ax              ; width
	mov dx, 200
	sub dx, ax
	sub dx, ax              ; height
	mov al, 32
	add al, bl
.rect_row:
	push di
	push cx
	rep stosb
	pop cx
	pop di
	add di, 320
	dec dx
	jnz .rect_row
	inc bx
	cmp bx, 50
	jne .rect
	mov dx, (12 << 8) | 9
	mov si, msg_13h
	call teletype
	cmp byte [stage], 2
	je finish

stage3:
	SET_MODE 0012h
	mov ax, 0A000h
	mov es, ax
	GC GC_MODE, 2
	mov di, 16 * 80
	mov bx, 16              ; BX = row
.step_row:
	mov dx, bx
	shr dx, 4               ; the row's step
	xor cx, cx              ; CX = byte in the row
.step_byte:
	mov ax, cx
	mov bp, 5
	push dx
	xor dx, dx
	div bp                  ; AX = 40-pixel column
	pop dx
	add ax, dx
	stosb                   ; write mode 2: the low nibble colours all 8 pixels
	inc cx
	cmp cx, 80
	jne .step_byte
	inc bx
	cmp bx, 480
	jne .step_row
	GC GC_MODE, 0
	mov dx, (0 << 8) | 2
	mov si, msg_12h
	call teletype
	cmp byte [stage], 3
	je finish

stage4:
	SET_MODE 0003h
	HIDE_CURSOR
	push ds
	pop es
	mov ax, 1301h           ; write string, attribute in BL, cursor moved
	mov bx, 002Eh           ; page 0, yellow on green
	mov cx, msg_back_end - msg_back
	mov dx, (10 << 8) | 20
	mov bp, msg_back
	int 10h
	xor bl, bl              ; BL = colour, the block's attribute
.block:
	mov ah, 02h             ; the cursor to row 14, column 8 + 4 * colour
	xor bh, bh
	mov dh, 14
	mov dl, bl
	shl dl, 2
	add dl, 8
	int 10h
	mov ax, 09DBh           ; full block
	mov cx, 4
	int 10h
	inc bl
	cmp bl, 16
	jne .block

finish:
	EXIT 0

; Writes the zero-terminated string at SI from row DH, column DL by int 10h AH=0Eh in
; colour 15.
teletype:
	mov ah, 02h
	xor bh, bh
	int 10h
.char:
	lodsb
	or al, al
	jz .done
	mov ah, 0Eh
	mov bx, 000Fh
	int 10h
	jmp .char
.done:
	ret

stage: db 0
usage: db 'usage: MODESW N, N = 1-4: stop after stage N', 13, 10, '$'
msg_text: db ' Stage 1 of 4: 80x25 text, mode 3 ', 0
msg_13h: db 'Stage 2 of 4: mode 13h', 0
msg_12h: db 'Stage 3 of 4: mode 12h, 640x480, 16 colours', 0
msg_back: db ' Stage 4 of 4: back to 80x25 text '
msg_back_end:
