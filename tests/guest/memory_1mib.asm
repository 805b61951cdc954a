; test: --memory 1 leaves no extended memory: the HMA reads as all ones and drops writes
; args: --memory 1
; debugcon: HMA: ff
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	mov ax, 0FFFFh
	mov es, ax
	mov byte [es:10h], 0A5h
	print "HMA: "
	mov al, [es:10h]
	call print_hex8
	call print_nl
	exit 0
