; test: SVCs a VDD registered reach it with the guest's registers and return its results
; args: --vdd testvdd
; debugcon: svc 40h, 0002+0003: AX=0005 CF=0
; debugcon: svc 42h: AX=0005 CF=1
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	stc
	mov bx, 2
	mov cx, 3
	svc 40h
	setc dl
	print "svc 40h, 0002+0003: "
	call print_ax_cf
	call print_nl
	clc
	svc 42h
	setc dl
	print "svc 42h: "
	call print_ax_cf
	call print_nl
	exit 0
