; test: the A20 gate: on, FFFF:0010 is the HMA (1 MiB); off, it wraps to 0000:0000 as on an
; 8086, reads and writes alike
; args: --vdd testvdd
; debugcon: A20 on: HMA 5a, low 11
; debugcon: A20 off: wrap 11, write through the wrap: low 77
; debugcon: A20 on again: HMA 5a
; stderr-empty
org 7C00h
%include "lib.inc"

%define TEST_A20 30Fh

start:
	mov byte [0], 11h
	mov ax, 0FFFFh
	mov es, ax
	mov byte [es:10h], 5Ah
	print "A20 on: HMA "
	mov al, [es:10h]
	call print_hex8
	print ", low "
	mov al, [0]
	call print_hex8
	call print_nl

	mov dx, TEST_A20
	mov al, 0
	out dx, al
	print "A20 off: wrap "
	mov al, [es:10h]
	call print_hex8
	mov byte [es:10h], 77h
	print ", write through the wrap: low "
	mov al, [0]
	call print_hex8
	call print_nl

	mov dx, TEST_A20
	mov al, 1
	out dx, al
	print "A20 on again: HMA "
	mov al, [es:10h]
	call print_hex8
	call print_nl
	exit 0
