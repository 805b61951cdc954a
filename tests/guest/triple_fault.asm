; test: a triple fault kills the guest with status 3: in protected mode with an empty IDT, an
; interrupt faults (#GP), the #GP handler cannot be found either (#DF), and neither can #DF's
; exit: 3
; debugcon: faulting
; (KVM implemented in software, as on PVM hosts, gives up on the faulting INT instead: that is
; reported as a dead guest too)
; stderr: ^mvm: guest is dead: (triple fault|KVM could not emulate an instruction) at 0008:00007c[0-9a-f]{2}$
org 7C00h
%include "lib.inc"
start:
	print "faulting", 10
	cli
	lgdt [gdt_descriptor]
	lidt [empty_idt]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 08h:protected

bits 32
protected:
	mov ax, 10h
	mov ds, ax
	int 3
	hlt

align 8
gdt:	dq 0
	dq 00CF9A000000FFFFh	; 08h: flat 32-bit code
	dq 00CF92000000FFFFh	; 10h: flat data
gdt_descriptor:
	dw gdt_descriptor - gdt - 1
	dd gdt
empty_idt:
	dw 0
	dd 0
