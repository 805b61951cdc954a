; test: stores that reach into translated code by one byte only: a dword whose last byte is a
; block's first, and a word whose first byte is a block's last; each store straddles a 64-byte
; boundary (two words of the IST's code map). The code runs hot first, so the IST has translated it.
; debugcon: before: a 0011, b 0022
; debugcon: after: a 1100, b 0023
; stderr-empty
org 7C00h
%include "lib.inc"

start:
	mov cx, 20
.warm:
	call run_both
	loop .warm
	print "before: "
	call run_both
	call print_result

	; bytes 0-2 are data; byte 3 turns MOV AL, imm8 (B0) into MOV AH, imm8 (B4)
	mov dword [data_a], 0B4000000h
	; byte 0 turns RET into INC AX, byte 1 (data until now) becomes the RET
	mov word [sub_b_end], 0C340h
	print "after: "
	call run_both
	call print_result
	exit 0

run_both:
	xor ax, ax
	call sub_a
	mov [result_a], ax
	xor ax, ax
	call sub_b
	mov [result_b], ax
	ret

print_result:
	print "a "
	mov ax, [result_a]
	call print_hex16
	print ", b "
	mov ax, [result_b]
	call print_hex16
	jmp print_nl

result_a: dw 0
result_b: dw 0

	align 64, db 0
	times 61 db 0
data_a:	db 0, 0, 0
sub_a:	mov al, 11h
	ret

	align 64, db 0
	times 61 db 0
sub_b:	mov al, 22h
sub_b_end:
	ret
	db 0
