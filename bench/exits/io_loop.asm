; io_loop.asm: ITERATIONS port-I/O round trips (reads of the master 8259's IMR),
; then SVC 2 (exit) with status 0. bench_exits patches ITERATIONS before loading.
	org 0x7C00
	bits 16

	jmp short start
	align 4
iterations:
	dd 0

start:
	mov ecx, [iterations]
.trip:
	in al, 0x21		; 8259A master, OCW1 (IMR): always a trap to the VMM
	dec ecx			; not LOOP: in 16-bit code it counts CX, not ECX
	jnz .trip
	xor al, al
	hlt			; SVC 2: exit with status AL
	db 2, ~2 & 0xFF
