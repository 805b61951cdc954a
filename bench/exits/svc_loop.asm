; svc_loop.asm: ITERATIONS SVC round trips (SVC 1, identify), then SVC 2 (exit)
; with status 0. bench_exits patches ITERATIONS before loading.
	org 0x7C00
	bits 16

	jmp short start
	align 4
iterations:
	dd 0

start:
	mov ecx, [iterations]
.trip:
	hlt			; SVC 1: identify; changes AX, BX and CF only
	db 1, ~1 & 0xFF
	dec ecx			; not LOOP: in 16-bit code it counts CX, not ECX
	jnz .trip
	xor al, al
	hlt			; SVC 2: exit with status AL
	db 2, ~2 & 0xFF
