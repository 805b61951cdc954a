; test: the 8259A pair: a masked IRQ stays pending in IRR, an IRQ in service (no EOI yet)
; blocks itself, IRQ0 wins over IRQ5, non-specific and specific EOI, EOI callbacks to the
; device's VDD, and a device timer waking HLT
; args: --vdd testvdd --no-pacing
; debugcon: masked: ticks=0000 IRR=01
; debugcon: unmasked, no EOI: ticks=0001 ISR=01
; (after the EOI: the edge latched while IRQ0 was in service, then three more in 3 ms)
; debugcon: after EOI: ticks=0005
; debugcon: priority: 05
; debugcon: EOI callbacks after non-specific EOI: 01
; debugcon: EOI callbacks after specific EOI: 02
; debugcon: device timer woke HLT: IRQ5 after 1000 us
; stderr-empty
org 7C00h
%include "lib.inc"

%define TEST_IRQ 30Ch
%define TEST_TIMER 30Dh

start:
	call pic_init
	set_vector 08h, irq0
	set_vector 0Dh, irq5
	pit0 2, 1193		; 1 kHz
	sti
	wait_ns 3000000		; IRQ0 is masked: no tick reaches the CPU
	print "masked: ticks="
	mov ax, [ticks]
	call print_hex16
	print " IRR="
	mov al, 0Ah		; OCW3: read IRR
	out 20h, al
	in al, 20h
	call print_hex8
	call print_nl

	mov byte [skip_eoi], 1
	mov al, 0FEh		; unmask IRQ0: the latched request is taken at once
	out 21h, al
	wait_ns 3000000		; in service, never ended: IRQ0 blocks itself
	print "unmasked, no EOI: ticks="
	mov ax, [ticks]
	call print_hex16
	print " ISR="
	mov al, 0Bh		; OCW3: read ISR
	out 20h, al
	in al, 20h
	call print_hex8
	call print_nl

	mov byte [skip_eoi], 0
	mov al, 20h		; non-specific EOI ends IRQ0's service
	out 20h, al
	wait_ns 3000000
	print "after EOI: ticks="
	mov ax, [ticks]
	call print_hex16
	call print_nl

	cli
	mov al, 0FFh
	out 21h, al
	mov al, 1		; the device raises IRQ5 (it lowers it on EOI)
	mov dx, TEST_IRQ
	out dx, al
	wait_ns 2000000		; and the PIT latches IRQ0
	mov word [log_len], 0
	mov al, 0DEh		; unmask IRQ0 and IRQ5 together
	out 21h, al
	sti
	wait_ns 100000
	cli
	mov al, 0FFh
	out 21h, al
	print "priority: "
	mov si, log
	mov cx, [log_len]
.show:	lodsb
	out DEBUGCON, al
	loop .show
	call print_nl

	print "EOI callbacks after non-specific EOI: "
	mov dx, TEST_IRQ
	in al, dx
	call print_hex8
	call print_nl

	mov byte [specific_eoi], 1
	mov al, 1
	mov dx, TEST_IRQ
	out dx, al
	mov al, 0DFh		; IRQ5 only
	out 21h, al
	sti
	wait_ns 100000
	print "EOI callbacks after specific EOI: "
	mov dx, TEST_IRQ
	in al, dx
	call print_hex8
	call print_nl

	mov word [irq5_seen], 0
	clock
	mov [t_start], eax
	mov al, 10		; the device's timer: IRQ5 in 10 * 100 us
	mov dx, TEST_TIMER
	out dx, al
.idle:	hlt
	cmp word [irq5_seen], 0
	je .idle
	print "device timer woke HLT: IRQ5 after "
	mov eax, [t_irq5]
	sub eax, [t_start]
	sub eax, 1000		; the SVC that read the clock in the handler
	xor edx, edx		; in whole us: a software CPU also counts instructions
	mov ebx, 1000
	div ebx
	call print_dec32
	print " us", 10
	exit 0

irq0:
	push ax
	inc word [ticks]
	mov al, '0'
	call log_char
	cmp byte [skip_eoi], 0
	jne .done
	mov al, 20h
	out 20h, al
.done:	pop ax
	iret

irq5:
	push eax
	push edx
	clock
	mov [t_irq5], eax
	inc word [irq5_seen]
	mov al, '5'
	call log_char
	mov al, 20h		; non-specific EOI
	cmp byte [specific_eoi], 0
	je .eoi
	mov al, 65h		; OCW2: specific EOI, level 5
.eoi:	out 20h, al
	pop edx
	pop eax
	iret

; Appends AL to the log (at most 16 entries).
log_char:
	push bx
	mov bx, [log_len]
	cmp bx, 16
	jae .full
	mov [log + bx], al
	inc word [log_len]
.full:	pop bx
	ret

ticks:	dw 0
skip_eoi: db 0
specific_eoi: db 0
irq5_seen: dw 0
t_start: dd 0
t_irq5:	dd 0
log_len: dw 0
log:	times 16 db 0
