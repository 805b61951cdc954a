; test: port I/O reaches the VDD that claimed it, 8/16/32-bit, with missing widths split into
; bytes (and dwords into words), string I/O with REP, and unclaimed ports reading all ones
; args: --vdd testvdd
; debugcon: byte regs: 11 22 33 44
; debugcon: word out to byte regs: 78 56 33 44
; debugcon: dword out to byte regs: 01 02 03 04, in dword 04030201
; debugcon: word reg: 2 beef, byte in ff
; debugcon: dword reg: 4 cafef00d, word in ffff
; debugcon: dword in at word reg: ffffbeef
; debugcon: word in across hooks: ff04
; debugcon: rep outsb: 0d, rep insb: 0d 0d 0d
; debugcon: rep outsw: 2 3333
; debugcon: unclaimed: ff ffff ffffffff
; stderr-empty
org 7C00h
%include "lib.inc"

%define BASE 300h

start:
	mov dx, BASE
	mov al, 11h
	out dx, al
	inc dx
	mov al, 22h
	out dx, al
	inc dx
	mov al, 33h
	out dx, al
	inc dx
	mov al, 44h
	out dx, al
	print "byte regs:"
	call show_bytes
	call print_nl

	mov dx, BASE
	mov ax, 5678h		; no word handler: 78h to +0, 56h to +1
	out dx, ax
	print "word out to byte regs:"
	call show_bytes
	call print_nl

	mov eax, 04030201h	; no dword or word handler: four bytes
	out dx, eax
	print "dword out to byte regs:"
	call show_bytes
	print ", in dword "
	in eax, dx
	call print_hex32
	call print_nl

	mov dx, BASE + 4	; word register: word handlers only
	mov ax, 0BEEFh
	out dx, ax
	print "word reg: "
	mov dx, BASE + 0Eh
	in al, dx		; width of the last handler call
	add al, '0'
	out DEBUGCON, al
	print " "
	mov dx, BASE + 4
	in ax, dx
	call print_hex16
	print ", byte in "
	in al, dx		; no byte handler: reads as an absent device
	call print_hex8
	call print_nl

	mov dx, BASE + 8	; dword register: dword handlers only
	mov eax, 0CAFEF00Dh
	out dx, eax
	print "dword reg: "
	mov dx, BASE + 0Eh
	in al, dx
	add al, '0'
	out DEBUGCON, al
	print " "
	mov dx, BASE + 8
	in eax, dx
	call print_hex32
	print ", word in "
	in ax, dx		; no word handler, no byte handler: all ones
	call print_hex16
	call print_nl

	print "dword in at word reg: "
	mov dx, BASE + 4	; word handler for +4, +6 unclaimed
	in eax, dx
	call print_hex32
	call print_nl

	print "word in across hooks: "
	mov dx, BASE + 3	; +3 is a byte register, +4 has no byte handler
	in ax, dx
	call print_hex16
	call print_nl

	print "rep outsb: "
	mov si, fill
	mov cx, 4
	mov dx, BASE
	cld
	rep outsb		; four writes to the same port: the last stays
	in al, dx
	call print_hex8
	print ", rep insb:"
	mov di, buffer
	mov cx, 3
	rep insb
	mov si, buffer
	mov cx, 3
.show:	print " "
	lodsb
	call print_hex8
	loop .show
	call print_nl

	print "rep outsw: "
	mov si, words
	mov cx, 3
	mov dx, BASE + 4
	rep outsw
	mov dx, BASE + 0Eh
	in al, dx
	add al, '0'
	out DEBUGCON, al
	print " "
	mov dx, BASE + 4
	in ax, dx
	call print_hex16
	call print_nl

	print "unclaimed: "
	mov dx, 3F0h
	in al, dx
	call print_hex8
	print " "
	in ax, dx
	call print_hex16
	print " "
	in eax, dx
	call print_hex32
	call print_nl
	exit 0

; Prints the four byte registers.
show_bytes:
	mov dx, BASE
	mov cx, 4
.next:	print " "
	in al, dx
	call print_hex8
	inc dx
	loop .next
	mov dx, BASE
	ret

fill:	db 0Ah, 0Bh, 0Ch, 0Dh
words:	dw 1111h, 2222h, 3333h
buffer:	times 4 db 0
