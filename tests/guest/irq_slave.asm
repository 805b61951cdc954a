; test: an IRQ on the slave 8259A (IRQ10) arrives through the cascade at vector 72h, ends with
; EOIs to both chips, and reaches the device's EOI callback
; args: --vdd testvdd:irq=10 --no-pacing
; debugcon: IRQ10 at vector 72h, master ISR=04 slave ISR=04
; debugcon: EOI callbacks: 01, ISRs after EOI: 00 00
; stderr-empty
org 7C00h
%include "lib.inc"

%define TEST_IRQ 30Ch

start:
	call pic_init
	set_vector 72h, irq10
	mov al, 0FBh		; master: unmask the cascade (IR2)
	out 21h, al
	mov al, 0FBh		; slave: unmask IR2 = IRQ10
	out 0A1h, al
	mov al, 1
	mov dx, TEST_IRQ
	out dx, al
.idle:	cli			; test, then STI; HLT: the interrupt cannot slip in between
	cmp byte [seen], 0
	jne .done
	sti
	hlt
	jmp .idle
.done:	print "IRQ10 at vector 72h, master ISR="
	mov al, [master_isr]
	call print_hex8
	print " slave ISR="
	mov al, [slave_isr]
	call print_hex8
	call print_nl
	print "EOI callbacks: "
	mov dx, TEST_IRQ
	in al, dx
	call print_hex8
	print ", ISRs after EOI: "
	mov al, 0Bh
	out 20h, al
	in al, 20h
	call print_hex8
	print " "
	mov al, 0Bh
	out 0A0h, al
	in al, 0A0h
	call print_hex8
	call print_nl
	exit 0

irq10:
	push ax
	mov al, 0Bh		; OCW3: read ISR, on both chips
	out 20h, al
	out 0A0h, al
	in al, 20h
	mov [master_isr], al
	in al, 0A0h
	mov [slave_isr], al
	mov al, 20h		; EOI the slave, then the master
	out 0A0h, al
	out 20h, al
	mov byte [seen], 1
	pop ax
	iret

seen:	db 0
master_isr: db 0
slave_isr: db 0
