; copy.asm: copies IN.BIN to OUT.BIN in 32 KiB reads and writes (int 21h 3Fh/40h);
; exits 0, or 1 when a call fails.
	org 0x100
CHUNK equ 0x8000
	mov ax, 0x3D00
	mov dx, in_name
	int 0x21
	jc fail
	mov [in_handle], ax
	mov ah, 0x3C
	xor cx, cx
	mov dx, out_name
	int 0x21
	jc fail
	mov [out_handle], ax
.next:
	mov ah, 0x3F
	mov bx, [in_handle]
	mov cx, CHUNK
	mov dx, buffer
	int 0x21
	jc fail
	test ax, ax
	jz .done
	mov cx, ax
	mov ah, 0x40
	mov bx, [out_handle]
	mov dx, buffer
	int 0x21
	jc fail
	jmp .next
.done:
	mov ah, 0x3E
	mov bx, [out_handle]
	int 0x21
	mov ax, 0x4C00
	int 0x21
fail:
	mov ax, 0x4C01
	int 0x21
in_name:
	db 'IN.BIN', 0
out_name:
	db 'OUT.BIN', 0
in_handle:
	dw 0
out_handle:
	dw 0
	align 16
buffer:
