; test: HLT with interrupts on idles until the next interrupt, without using the host CPU:
; half a second of 100 Hz timer ticks, paced to the host clock, costs little CPU time
; debugcon: woke 50 times
; max-cpu: 0.3
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	call pic_init
	set_vector 08h, irq0
	mov al, 0FEh
	out 21h, al
	pit0 2, 11932		; 100 Hz
	sti
.idle:	hlt
	cmp word [ticks], 50
	jb .idle
	cli
	print "woke 50 times", 10
	exit 0

irq0:
	push ax
	inc word [ticks]
	mov al, 20h
	out 20h, al
	pop ax
	iret

ticks:	dw 0
