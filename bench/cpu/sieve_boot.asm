; sieve_boot.asm: the sieve as a boot sector, for mvm (--no-bios) and for QEMU
; (a floppy booted by SeaBIOS). bench_cpu patches ITERATIONS in the image.
; It ends with status 0 when the last iteration counted 1899 primes, else 1:
; first through QEMU's isa-debug-exit device (port F4h, QEMU exits with
; status * 2 + 1; mvm leaves the port unclaimed), then through SVC 2 (mvm).
	org 0x7C00
	bits 16

SIEVE_FLAGS	equ 0x8000		; 8191 bytes, up to 9FFEh
DEBUG_EXIT_PORT	equ 0xF4		; QEMU isa-debug-exit, iobase=0xf4

	jmp short start
	align 4
iterations:
	dw 1				; patched: 1-65535

start:
	; A BIOS may enter with CS:IP = 07C0:0000 and any DS/ES/SS: set them.
	; IF stays as it came: off under mvm --no-bios, on under SeaBIOS.
	jmp 0:.flat
.flat:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax			; no interrupt comes between these two
	mov sp, 0x7C00
	mov bp, [iterations]

%include "sieve.inc"

sieve_done:				; DX = the count of the last iteration
	cmp dx, SIEVE_PRIMES
	mov al, 0
	je .report
	mov al, 1
.report:
	out DEBUG_EXIT_PORT, al		; QEMU ends here
	hlt				; SVC 2: exit with status AL (mvm ends here)
	db 2, ~2 & 0xFF
.dead:
	cli				; anything else stops for good
	hlt
	jmp .dead

	times 510 - ($ - $$) db 0
	dw 0xAA55			; boot signature
