; test: SVC 1 identifies mvm, SVC 2 ends the VM with AL as mvm's exit status
; exit: 42
; debugcon: identify: CF=0 AX=4d56 BX=0004
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	stc
	mov ax, 0
	mov bx, 0
	svc 1
	print "identify: CF="
	setc al
	add al, '0'
	out DEBUGCON, al
	print " AX="
	mov ax, 4d56h
	svc 1
	call print_hex16
	print " BX="
	mov ax, bx
	call print_hex16
	call print_nl
	mov ah, 99		; only AL is the status
	exit 42
