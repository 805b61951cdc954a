; sieve_com.asm: the sieve as a DOS .COM program, for DOSBox. bench_cpu
; patches ITERATIONS in the file. DOSBox hides the exit code from the host,
; so the program leaves its answer in SIEVE.OK in the current directory:
; the count of primes of the last iteration in decimal ("1899"). It exits
; with status 0 when that is 1899, else 1.
	org 0x100
	bits 16

	jmp short start
	align 4
iterations:
	dw 1				; patched: 1-65535, at file offset 4 as in the boot sector

start:
	mov bp, [iterations]

%include "sieve.inc"

sieve_done:				; DX = the count of the last iteration
	mov [count], dx
	; The decimal digits of DX, last digit first, backwards into digits.
	mov ax, dx
	mov di, digits_end
	mov cx, 10
.digit:
	xor dx, dx
	div cx
	add dl, '0'
	dec di
	mov [di], dl
	test ax, ax
	jnz .digit

	mov ah, 0x3C			; DOS: create file DS:DX, attributes CX
	xor cx, cx
	mov dx, result_name
	int 0x21
	jc .failed
	mov bx, ax
	mov ah, 0x40			; DOS: write CX bytes from DS:DX to handle BX
	mov cx, digits_end
	sub cx, di
	mov dx, di
	int 0x21
	jc .failed
	mov ah, 0x3E			; DOS: close handle BX
	int 0x21
	jc .failed

	mov al, 0
	cmp word [count], SIEVE_PRIMES
	je .exit
.failed:
	mov al, 1
.exit:
	mov ah, 0x4C			; DOS: exit with status AL
	int 0x21

result_name:
	db 'SIEVE.OK', 0
count:
	dw 0
digits:
	times 5 db 0
digits_end:

	align 16
SIEVE_FLAGS:				; SIEVE_SIZE + 1 bytes past the end of the file
