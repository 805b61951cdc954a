; test: segment descriptor caches: a loaded segment keeps the base, limit, rights and presence
; it was loaded with when its descriptor changes in memory, until it is loaded again; loads
; set the descriptor's accessed bit; and the caches outlive protected mode ("unreal mode": a
; 4 GiB FS limit stays in real mode, a real-mode load changes only the base)
; (Left out: LAR, LSL, VERR and VERW, which KVM's instruction emulator, this machine's KVM,
; cannot run.)
; debugcon: accessed bits: CS 9b, SS and DS 93, ES 93, not loaded 92
; debugcon: base: before 41, rewritten in memory 41, reloaded 45
; debugcon: limit 0Fh lowered to 07h in memory: byte at 0Fh 50, reloaded: #GP error 0000
; debugcon: made read-only in memory: write ok, reloaded: #GP error 0000
; debugcon: made not present in memory: read 41, reloaded: #NP error 0020
; debugcon: restored: read 41
; debugcon: real mode, FS loaded with a 4 GiB limit before: [FS:200000h] = 5a
; debugcon: FS <- 0000 in real mode: [FS:200000h] = 5a
; stderr-empty
org 7C00h
%include "lib.inc"

%define BUF 0C000h		; what the small data segment covers
%define DESC_ES (gdt + 20h)	; its descriptor

; A descriptor: base, limit (20 bits), access byte | flags nibble << 8.
%macro desc 3
	dw (%2) & 0FFFFh
	dw (%1) & 0FFFFh
	db ((%1) >> 16) & 0FFh
	db (%3) & 0FFh
	db (((%2) >> 16) & 0Fh) | (((%3) >> 4) & 0F0h)
	db ((%1) >> 24) & 0FFh
%endmacro

; Runs %1 with the fault handler armed: [fault] holds the vector, or -1.
%macro guarded 1+
	mov dword [resume], %%resume
	mov dword [fault], -1
	%1
%%resume:
%endmacro

start:
	mov cx, 16		; BUF: "ABCDEFGHIJKLMNOP"
	mov al, 'A'
	mov di, BUF
.fill:	mov [di], al
	inc al
	inc di
	loop .fill
	cli
	lgdt [gdt_descriptor]
	lidt [idt_descriptor]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 08h:protected

protected:			; 16-bit protected mode, CPL 0
	mov ax, 10h
	mov ss, ax
	movzx esp, sp
	mov ds, ax
	mov ax, 20h
	mov es, ax
	print "accessed bits: CS "
	mov al, [gdt + 08h + 5]
	call print_hex8
	print ", SS and DS "
	mov al, [gdt + 10h + 5]
	call print_hex8
	print ", ES "
	mov al, [DESC_ES + 5]
	call print_hex8
	print ", not loaded "
	mov al, [gdt + 28h + 5]
	call print_hex8
	call print_nl

	print "base: before "
	mov al, [es:0]
	call print_hex8
	mov byte [DESC_ES + 2], (BUF + 4) & 0FFh
	print ", rewritten in memory "
	mov al, [es:0]
	call print_hex8
	mov ax, 20h
	mov es, ax
	print ", reloaded "
	mov al, [es:0]
	call print_hex8
	call print_nl
	mov byte [DESC_ES + 2], BUF & 0FFh
	mov ax, 20h
	mov es, ax

	print "limit 0Fh lowered to 07h in memory: byte at 0Fh "
	mov byte [DESC_ES], 07h
	mov al, [es:0Fh]
	call print_hex8
	print ", reloaded: "
	mov ax, 20h
	mov es, ax
	guarded mov al, [es:0Fh]
	call show_fault
	call print_nl
	mov byte [DESC_ES], 0Fh
	mov ax, 20h
	mov es, ax

	print "made read-only in memory: write "
	and byte [DESC_ES + 5], ~2
	guarded mov byte [es:0], 'A'
	call show_fault
	print ", reloaded: "
	mov ax, 20h
	mov es, ax
	guarded mov byte [es:0], 'A'
	call show_fault
	call print_nl
	or byte [DESC_ES + 5], 2
	mov ax, 20h
	mov es, ax

	print "made not present in memory: read "
	and byte [DESC_ES + 5], 7Fh
	mov al, [es:0]
	call print_hex8
	print ", reloaded: "
	mov ax, 20h
	guarded mov es, ax
	call show_fault
	call print_nl
	or byte [DESC_ES + 5], 80h
	print "restored: read "
	mov ax, 20h
	mov es, ax
	mov al, [es:0]
	call print_hex8
	call print_nl

	; FS gets 4 GiB, the rest 64 KiB segments fit for real mode.
	mov ax, 28h
	mov fs, ax
	mov ebx, 200000h
	mov byte [fs:ebx], 5Ah
	mov ax, 30h
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov gs, ax
	mov eax, cr0
	and al, ~1
	mov cr0, eax
	jmp 0:real

real:	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	print "real mode, FS loaded with a 4 GiB limit before: [FS:200000h] = "
	mov ebx, 200000h
	mov al, [fs:ebx]
	call print_hex8
	call print_nl
	print "FS <- 0000 in real mode: [FS:200000h] = "
	xor ax, ax
	mov fs, ax
	mov al, [fs:ebx]
	call print_hex8
	call print_nl
	exit 0

; "#XX error EEEE" for the fault the last guarded instruction took, or "ok".
show_fault:
	cmp dword [fault], -1
	jne .fault
	print "ok"
	ret
.fault:	mov al, '#'
	out DEBUGCON, al
	mov si, names
	movzx ax, byte [fault]
	sub ax, 11
	shl ax, 1
	add si, ax
	lodsb
	out DEBUGCON, al
	lodsb
	out DEBUGCON, al
	print " error "
	mov ax, [error]
	call print_hex16
	ret
names:	db "NPSSGP"

bits 32
; #NP, #SS, #GP: note the vector and error code, drop the frame and jump to
; 0008:[resume] (KVM's instruction emulator has no protected-mode IRET).
exc11:	push dword 11
	jmp record
exc12:	push dword 12
	jmp record
exc13:	push dword 13
record:	push eax
	mov eax, [esp + 4]
	mov [fault], eax
	mov eax, [esp + 8]
	mov [error], eax
	pop eax
	add esp, 20
	jmp far [cs:resume]
bits 16

align 8
gdt:	dq 0
	desc 0, 0FFFFh, 09Ah		; 08h: 16-bit code
	desc 0, 0FFFFFh, 0C92h		; 10h: flat data
	desc 0, 0FFFFFh, 0C9Ah		; 18h: flat 32-bit code (the handlers)
	desc BUF, 0Fh, 092h		; 20h: data at BUF, limit 0Fh
	desc 0, 0FFFFFh, 0892h		; 28h: data, 4 GiB
	desc 0, 0FFFFh, 092h		; 30h: data, 64 KiB, as real mode has it
gdt_end:
gdt_descriptor:
	dw gdt_end - gdt - 1
	dd gdt

; Gates for #NP, #SS and #GP; the rest are not present.
align 8
idt:	times 11 dq 0
%assign v 11
%rep 3
	dw exc %+ v - $$ + 7C00h, 18h, 8E00h, 0
%assign v v + 1
%endrep
idt_end:
idt_descriptor:
	dw idt_end - idt - 1
	dd idt

fault:	dd 0
error:	dd 0
resume:	dd 0
	dw 08h
