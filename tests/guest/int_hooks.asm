; test: software-interrupt hooks: a VDD answers INT through a HLT stub, reports CF through the
; caller's FLAGS, chains to the vector that was there before (the guest's own handler, or an
; older hook), keeps the caller's IF, and works for a far call with FLAGS pushed
; args: --vdd testvdd
; debugcon: int 60h AH=1: AX=beef CF=0
; debugcon: int 60h AH=2 (nothing before the hook): AX=0200 CF=1
; debugcon: int 61h AH=1: AX=1234 guest handler calls 0
; debugcon: int 61h AH=2: AX=0200 BX=6161 guest handler calls 1
; debugcon: twice hooked, AH=1: AX=1234 guest handler calls 1
; debugcon: twice hooked, AH=2: BX=6161 guest handler calls 2
; debugcon: IF after INT: 1
; debugcon: pushf + far call, AH=1: AX=1234
; stderr-empty
org 7C00h
%include "lib.inc"

; Prints "AX=xxxx CF=c" for the registers and flags an INT left.
%macro show_ax_cf 0
	setc dl
	call print_ax_cf
	call print_nl
%endmacro

%macro show_calls 0
	print " guest handler calls "
	mov al, [guest_calls]
	add al, '0'
	out DEBUGCON, al
	call print_nl
%endmacro

start:
	print "int 60h AH=1: "
	stc
	mov ah, 1
	int 60h
	show_ax_cf

	print "int 60h AH=2 (nothing before the hook): "
	stc
	mov ax, 0200h
	int 60h
	show_ax_cf

	set_vector 61h, guest_int61
	mov al, 61h		; the VDD hooks 61h now, on top of the guest's handler
	svc 41h
	print "int 61h AH=1: AX="
	mov ah, 1
	int 61h
	call print_hex16
	show_calls

	print "int 61h AH=2: AX="
	mov ax, 0200h
	mov bx, 0
	int 61h
	call print_hex16
	print " BX="
	mov ax, bx
	call print_hex16
	show_calls

	mov al, 61h		; a second hook lies on top of the first
	svc 41h
	print "twice hooked, AH=1: AX="
	mov ah, 1
	int 61h
	call print_hex16
	show_calls
	print "twice hooked, AH=2: BX="
	mov ax, 0200h
	mov bx, 0
	int 61h
	mov ax, bx
	call print_hex16
	show_calls

	print "IF after INT: "
	sti
	mov ah, 1
	int 60h
	pushf
	pop ax
	shr ax, 9
	and al, 1
	add al, '0'
	out DEBUGCON, al
	call print_nl
	cli

	print "pushf + far call, AH=1: AX="
	mov ah, 1
	pushf
	call far [61h * 4]
	call print_hex16
	call print_nl
	exit 0

guest_int61:
	inc byte [guest_calls]
	mov bx, 6161h
	iret

guest_calls: db 0
