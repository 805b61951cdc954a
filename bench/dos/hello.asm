; hello.asm: print a line and exit, the smallest useful DOS program.
	org 0x100
	mov ah, 0x09
	mov dx, message
	int 0x21
	mov ax, 0x4C00
	int 0x21
message:
	db 'Hello, world', 13, 10, '$'
