; seamdemo_vga.asm: SEAMDEMO's routines outside VVMI (the CPU, the VGA BIOS, int 33h), for bcc C (nasm -f as86; the
; convention is vvmi_cdecl.asm's: a routine keeps BP, SI, DI and the segment registers).
	bits 16
	section .text

; void cpu_idle(void)
	global _cpu_idle
_cpu_idle:
	sti
	hlt
	ret

; void vga_mode13_bars(void)
	global _vga_mode13_bars
_vga_mode13_bars:
	push di
	push es
	mov ax, 0013h
	int 10h
	mov ax, 0A000h
	mov es, ax
	xor di, di
	mov dx, 200			; rows
.row:
	xor bx, bx			; x
.pixel:
	mov ax, bx
	mov cl, 20
	div cl				; al = x / 20
	inc al
	cmp dx, 200			; the top row,
	je .white
	cmp dx, 1			; the bottom row,
	je .white
	test bx, bx			; the left
	jz .white
	cmp bx, 319			; and right columns are the frame
	jne .store
.white:
	mov al, 15
.store:
	stosb
	inc bx
	cmp bx, 320
	jb .pixel
	dec dx
	jnz .row
	pop es
	pop di
	ret

; int mouse_position(int *x, int *y): int 33h function 03h; the buttons, or -1 without a
; mouse driver (int 33h's vector 0, or function 00h not answering FFFFh).
	global _mouse_position
_mouse_position:
	push bp
	mov bp, sp
	push si
	push di
	push es
	xor ax, ax
	mov es, ax
	mov ax, [es:33h * 4]
	or ax, [es:33h * 4 + 2]
	mov ax, -1
	jz .done
	mov ax, 0003h
	int 33h
	mov si, [bp + 4]
	mov [si], cx
	mov si, [bp + 6]
	mov [si], dx
	mov ax, bx
.done:
	pop es
	pop di
	pop si
	pop bp
	ret
