; test: the guest-physical map: conventional memory and the HMA (FFFF:0010 = 1 MiB) are RAM,
; the video window at A0000h reads as an absent device (all ones) and drops writes, the VMM's
; ROM block at F0000h drops writes
; debugcon: conventional: 5a, HMA: a5, low memory kept: 00
; debugcon: video window: ff ff
; debugcon: ROM block kept: 00
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	mov byte [500h], 5Ah
	mov ax, 0FFFFh
	mov es, ax
	mov byte [es:10h], 0A5h	; 1 MiB: the HMA, not a wrap to 0 (A20 is on)
	print "conventional: "
	mov al, [500h]
	call print_hex8
	print ", HMA: "
	mov al, [es:10h]
	call print_hex8
	print ", low memory kept: "
	mov al, [0]
	call print_hex8
	call print_nl

	mov ax, 0A000h
	mov es, ax
	mov byte [es:0], 12h
	print "video window: "
	mov al, [es:0]
	call print_hex8
	print " "
	mov al, [es:1]
	call print_hex8
	call print_nl

	mov ax, 0F000h
	mov es, ax
	mov byte [es:0FF0h], 77h
	print "ROM block kept: "
	mov al, [es:0FF0h]
	call print_hex8
	call print_nl
	exit 0
