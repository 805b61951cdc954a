; test: an SVC nobody registered returns CF=1 AX=1 and warns once per number
; debugcon: svc 99h: AX=0001 CF=1 BX=5555
; debugcon: svc 99h: AX=0001 CF=1 BX=5555
; debugcon: svc 9ah: AX=0001 CF=1 BX=5555
; stderr-count: ^mvm: warning: guest called SVC 0x99 at 0000:7c\w\w, which nothing registered; returning CF=1 AX=1 1
; stderr-count: SVC 0x9a 1
; stderr-count: ^mvm: 2
org 7C00h
%include "lib.inc"
start:
	mov cx, 2
.again:	clc
	mov ax, 7777h
	mov bx, 5555h
	svc 99h
	setc dl
	mov di, ax
	print "svc 99h: "
	call report
	loop .again
	clc
	mov ax, 7777h
	svc 9Ah
	setc dl
	mov di, ax
	print "svc 9ah: "
	call report
	exit 0

; DL = CF, DI = AX, BX as the SVC left them.
report:
	mov ax, di
	call print_ax_cf
	print " BX="
	mov ax, bx
	call print_hex16
	jmp print_nl
