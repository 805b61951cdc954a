; test: memory a VDD maps: an MMIO page whose every access reaches the VDD's handler (8, 16
; and 32 bits, mirrored registers), a RAM page and a ROM page of VDD memory over upper memory,
; ROM writes dropped, and unmapping showing the machine's memory below again
; args: --vdd testvdd
; (accesses: three writes, four reads, and the read of the counter itself)
; debugcon: mmio: 11 2233 44556677, mirror 44556677, accesses 00000008
; debugcon: ram: VDD RAM, written: 5a
; debugcon: rom: VDD ROM, after a write: V
; debugcon: after unmap: 00
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	mov ax, 0D000h
	mov es, ax
	mov byte [es:0], 11h		; MMIO register 0, byte
	mov word [es:4], 2233h		; register 1, word
	mov dword [es:8], 44556677h	; register 2, dword
	print "mmio: "
	mov al, [es:0]
	call print_hex8
	print " "
	mov ax, [es:4]
	call print_hex16
	print " "
	mov eax, [es:8]
	call print_hex32
	print ", mirror "
	mov eax, [es:48h]		; 16 registers, mirrored: 48h is register 2 again
	call print_hex32
	print ", accesses "
	mov eax, [es:0FFCh]
	call print_hex32
	call print_nl

	mov ax, 0D100h
	mov es, ax
	print "ram: "
	call print_es_text
	mov byte [es:100h], 5Ah
	print ", written: "
	mov al, [es:100h]
	call print_hex8
	call print_nl

	mov ax, 0D200h
	mov es, ax
	mov byte [es:0], 0
	print "rom: "
	call print_es_text
	print ", after a write: "
	mov al, [es:0]
	out DEBUGCON, al
	call print_nl

	svc 43h				; the VDD unmaps its RAM page
	mov ax, 0D100h
	mov es, ax
	print "after unmap: "
	mov al, [es:0]
	call print_hex8
	call print_nl
	exit 0

; Prints the zero-terminated text at ES:0.
print_es_text:
	push si
	xor si, si
.next:	mov al, [es:si]
	test al, al
	jz .done
	out DEBUGCON, al
	inc si
	jmp .next
.done:	pop si
	ret
