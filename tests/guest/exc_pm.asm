; test: protected-mode exceptions and their error codes: segment loads checked against the
; descriptor (past the table, null SS, not present, system, execute-only, privilege), rights
; and limits of loaded segments (read-only, byte and word past the limit, expand-down, SS),
; far JMP to data and to a not-present code segment, CS's limit on a jump and on an instruction
; running past it, LOCK and CR1 as #UD, and a #GP whose gate is not present becoming #DF with
; error 0. 16-bit code, 32-bit gates, CPL 0.
; (Left out, KVM's instruction emulator being this machine's KVM: INT n and INT3 in protected
; mode, which it cannot run (a gate past the IDT limit, #GP(n*8+2); a gate not present,
; #NP(n*8+2)); #UD with its gate not present, #NP(33h) by the SDM (a benign exception then a
; contributory one are taken one after the other; so the IST) but #DF on KVM; and the RF flag
; in the EFLAGS pushed for a fault, known from tests/difftest.)
; debugcon: DS <- 006b (past the GDT limit): vector 0d error 0068 at +0 CS=0008
; debugcon: DS <- 000c (LDT, none loaded): vector 0d error 000c at +0 CS=0008
; debugcon: DS <- 0028 (not present): vector 0b error 0028 at +0 CS=0008
; debugcon: DS <- 0030 (LDT descriptor): vector 0d error 0030 at +0 CS=0008
; debugcon: DS <- 0050 (execute-only code): vector 0d error 0050 at +0 CS=0008
; debugcon: DS <- 0043 (RPL 3 above DPL 0): vector 0d error 0040 at +0 CS=0008
; debugcon: ES <- 0008 (readable code): no exception
; debugcon: write through ES = code: vector 0d error 0000 at +0 CS=0008
; debugcon: ES <- 0000 (null): no exception
; debugcon: read through the null ES: vector 0d error 0000 at +0 CS=0008
; debugcon: SS <- 0000: vector 0d error 0000 at +0 CS=0008
; debugcon: SS <- 0003: vector 0d error 0000 at +0 CS=0008
; debugcon: SS <- 0028 (not present): vector 0c error 0028 at +0 CS=0008
; debugcon: SS <- 0038 (read-only): vector 0d error 0038 at +0 CS=0008
; debugcon: SS <- 0008 (code): vector 0d error 0008 at +0 CS=0008
; debugcon: SS <- 0041 (RPL 1, CPL 0): vector 0d error 0040 at +0 CS=0008
; debugcon: write to read-only data: vector 0d error 0000 at +0 CS=0008
; debugcon: read from read-only data: no exception
; debugcon: byte at limit 0Fh: no exception
; debugcon: byte at 10h: vector 0d error 0000 at +0 CS=0008
; debugcon: word at 0Fh: vector 0d error 0000 at +0 CS=0008
; debugcon: dword at 0Ch: no exception
; debugcon: dword at 0Dh: vector 0d error 0000 at +0 CS=0008
; debugcon: expand-down, byte at limit 0Fh: vector 0d error 0000 at +0 CS=0008
; debugcon: expand-down, byte at 05h: vector 0d error 0000 at +0 CS=0008
; debugcon: expand-down, byte at 10h: no exception
; debugcon: expand-down, word at FFFEh: no exception
; debugcon: expand-down, word at FFFFh: vector 0d error 0000 at +0 CS=0008
; debugcon: SS limit 7FFFh, byte at [BP=7FFF]: no exception
; debugcon: SS limit 7FFFh, word at [BP=7FFF]: vector 0c error 0000 at +0 CS=0008
; debugcon: SS limit 7FFFh, write at SS:8000: vector 0c error 0000 at +0 CS=0008
; debugcon: LOCK NOP: vector 06 at +0 CS=0008
; debugcon: LOCK ADD AX, BX: vector 06 at +0 CS=0008
; debugcon: LOCK ADD [mem], AX: no exception
; debugcon: MOV EAX, CR1: vector 06 at +0 CS=0008
; debugcon: far JMP to 0010 (data): vector 0d error 0010 at +0 CS=0008
; debugcon: far JMP to 0058 (code, not present): vector 0b error 0058 at +0 CS=0008
; debugcon: near JMP past the CS limit: vector 0d error 0000 at +0 CS=0060
; debugcon: instruction past the CS limit: vector 0d error 0000 at +0 CS=0060
; debugcon: #GP, gate not present: vector 08 error 0000
; debugcon: after the double fault: DS <- 006b: vector 0d error 0068 at +0 CS=0008
; stderr-empty
org 7C00h
%include "lib.inc"

%define BUF 0C000h		; what the small data segments cover

; A descriptor: base, limit (20 bits), access byte | flags nibble << 8.
%macro desc 3
	dw (%2) & 0FFFFh
	dw (%1) & 0FFFFh
	db ((%1) >> 16) & 0FFh
	db (%3) & 0FFh
	db (((%2) >> 16) & 0Fh) | (((%3) >> 4) & 0F0h)
	db ((%1) >> 24) & 0FFh
%endmacro

; One trial: %1 the instruction. The handler resumes after it and
; `report` prints what it saw.
%macro trial 1+
	mov dword [resume], %%resume
	mov dword [marker], %%insn
	mov dword [vec], -1
%%insn:	%1
%%resume:
	call report
%endmacro

start:
	cli
	lgdt [gdt_descriptor]
	lidt [idt_descriptor]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 08h:protected

protected:			; 16-bit protected mode, CPL 0
	mov ax, 10h
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ax, 20h		; a 32-bit stack, limit 7FFFh
	mov ss, ax
	movzx esp, sp
	call build_idt

	; Loading a data segment register checks the descriptor.
	print "DS <- 006b (past the GDT limit): "
	mov ax, 6Bh
	trial mov ds, ax
	print "DS <- 000c (LDT, none loaded): "
	mov ax, 0Ch
	trial mov ds, ax
	print "DS <- 0028 (not present): "
	mov ax, 28h
	trial mov ds, ax
	print "DS <- 0030 (LDT descriptor): "
	mov ax, 30h
	trial mov ds, ax
	print "DS <- 0050 (execute-only code): "
	mov ax, 50h
	trial mov ds, ax
	print "DS <- 0043 (RPL 3 above DPL 0): "
	mov ax, 43h
	trial mov ds, ax
	print "ES <- 0008 (readable code): "
	mov ax, 08h
	trial mov es, ax
	print "write through ES = code: "
	trial mov byte [es:scratch], 0
	print "ES <- 0000 (null): "
	xor ax, ax
	trial mov es, ax
	print "read through the null ES: "
	trial mov al, [es:0]

	print "SS <- 0000: "
	xor ax, ax
	trial mov ss, ax
	print "SS <- 0003: "
	mov ax, 3
	trial mov ss, ax
	print "SS <- 0028 (not present): "
	mov ax, 28h
	trial mov ss, ax
	print "SS <- 0038 (read-only): "
	mov ax, 38h
	trial mov ss, ax
	print "SS <- 0008 (code): "
	mov ax, 08h
	trial mov ss, ax
	print "SS <- 0041 (RPL 1, CPL 0): "
	mov ax, 41h
	trial mov ss, ax

	; Rights and limits of a loaded segment, checked on each access.
	mov ax, 38h
	mov es, ax
	print "write to read-only data: "
	trial mov byte [es:0], 1
	print "read from read-only data: "
	trial mov al, [es:0]

	mov ax, 40h		; base BUF, limit 0Fh
	mov es, ax
	print "byte at limit 0Fh: "
	trial mov al, [es:0Fh]
	print "byte at 10h: "
	trial mov al, [es:10h]
	print "word at 0Fh: "
	trial mov ax, [es:0Fh]
	print "dword at 0Ch: "
	trial mov eax, [es:0Ch]
	print "dword at 0Dh: "
	trial mov eax, [es:0Dh]

	mov ax, 48h		; expand-down, limit 0Fh, 16-bit: 10h-FFFFh
	mov es, ax
	print "expand-down, byte at limit 0Fh: "
	trial mov al, [es:0Fh]
	print "expand-down, byte at 05h: "
	trial mov al, [es:05h]
	print "expand-down, byte at 10h: "
	trial mov al, [es:10h]
	print "expand-down, word at FFFEh: "
	trial mov ax, [es:0FFFEh]
	print "expand-down, word at FFFFh: "
	trial mov ax, [es:0FFFFh]
	mov ax, 10h
	mov es, ax

	print "SS limit 7FFFh, byte at [BP=7FFF]: "
	mov bp, 7FFFh
	trial mov al, [bp]
	print "SS limit 7FFFh, word at [BP=7FFF]: "
	trial mov ax, [bp]
	print "SS limit 7FFFh, write at SS:8000: "
	trial mov [ss:8000h], al

	; Instructions that are #UD even at CPL 0.
	print "LOCK NOP: "
	trial db 0F0h, 90h
	print "LOCK ADD AX, BX: "
	trial db 0F0h, 01h, 0D8h
	print "LOCK ADD [mem], AX: "
	trial lock add [scratch], ax
	print "MOV EAX, CR1: "
	trial db 0Fh, 20h, 0C8h

	print "far JMP to 0010 (data): "
	trial jmp 10h:0
	print "far JMP to 0058 (code, not present): "
	trial jmp 58h:0

	; CS's limit: a jump past it faults at the jump, an instruction
	; running past it at that instruction.
	print "near JMP past the CS limit: "
	mov dword [resume], .jumped
	mov dword [marker], .jump
	mov dword [vec], -1
	jmp 60h:.jump
.jump:	jmp near 0B000h
.jumped:
	call report
	print "instruction past the CS limit: "
	mov byte [0AFFFh], 0B0h	; mov al, 5 at AFFFh
	mov byte [0B000h], 5
	mov dword [resume], .ran
	mov dword [marker], 0AFFFh
	mov dword [vec], -1
	jmp 60h:0AFFFh
.ran:	call report

	; A #GP whose gate is not present faults again while it is delivered
	; (#NP): two contributory faults make a #DF, with error 0.
	and byte [idt + 13 * 8 + 5], 7Fh
	print "#GP, gate not present: "
	mov ax, 6Bh
	trial mov ds, ax
	or byte [idt + 13 * 8 + 5], 80h
	print "after the double fault: DS <- 006b: "
	mov ax, 6Bh
	trial mov ds, ax
	exit 0

; Prints what the last trial's handler saw, or "no exception".
report:
	cmp dword [vec], -1
	jne .seen
	print "no exception"
	jmp print_nl
.seen:	print "vector "
	mov al, [vec]
	call print_hex8
	cmp dword [err], -1
	je .no_error
	print " error "
	mov ax, [err]
	call print_hex16
.no_error:
	cmp byte [vec], 8	; #DF's saved CS:EIP is undefined
	je .done
	print " at +"
	mov eax, [frame_eip]
	sub eax, [marker]
	call print_dec32
	print " CS="
	mov ax, [frame_cs]
	call print_hex16
.done:	jmp print_nl

; 32-bit interrupt gates for vectors 0-14 to the handlers below.
build_idt:
	mov si, handlers
	mov di, idt
	mov cx, 15
.gate:	lodsd
	mov [di], ax
	mov word [di + 2], 18h
	mov word [di + 4], 8E00h
	shr eax, 16
	mov [di + 6], ax
	add di, 8
	loop .gate
	ret

bits 32
; Handler for vector %1: a dummy error code where the CPU pushes none.
%macro handler 1
exc%1:
%if %1 != 8 && (%1 < 10 || %1 > 14)
	push dword -1
%endif
	push dword %1
	jmp record
%endmacro

%assign v 0
%rep 15
	handler v
%assign v v + 1
%endrep

; Notes vector, error code and the frame's CS:EIP, drops the frame and
; jumps to 0008:[resume] (KVM's instruction emulator has no protected-mode IRET).
record:
	push eax
	push ds
	mov ax, 10h
	mov ds, ax
	mov eax, [esp + 8]
	mov [vec], eax
	mov eax, [esp + 12]
	mov [err], eax
	mov eax, [esp + 16]
	mov [frame_eip], eax
	mov eax, [esp + 20]
	mov [frame_cs], ax
	pop ds
	pop eax
	add esp, 20
	jmp far [cs:resume]
bits 16

handlers:
%assign v 0
%rep 15
	dd exc %+ v
%assign v v + 1
%endrep

align 8
gdt:	dq 0
	desc 0, 0FFFFh, 09Ah		; 08h: 16-bit code, readable
	desc 0, 0FFFFFh, 0C92h		; 10h: flat data
	desc 0, 0FFFFFh, 0C9Ah		; 18h: flat 32-bit code (the handlers)
	desc 0, 7FFFh, 492h		; 20h: 32-bit stack, limit 7FFFh
	desc 0, 0FFFFFh, 0C12h		; 28h: data, not present
	desc BUF, 0Fh, 082h		; 30h: an LDT
	desc BUF, 0Fh, 090h		; 38h: read-only data
	desc BUF, 0Fh, 092h		; 40h: data, limit 0Fh
	desc BUF, 0Fh, 096h		; 48h: expand-down data, limit 0Fh
	desc 0, 0FFFFh, 098h		; 50h: execute-only code
	desc 0, 0FFFFh, 01Ah		; 58h: code, not present
	desc 0, 0AFFFh, 09Ah		; 60h: 16-bit code, limit AFFFh
gdt_end:
gdt_descriptor:
	dw gdt_end - gdt - 1
	dd gdt

idt_descriptor:
	dw 15 * 8 - 1
	dd idt

vec:	dd 0
err:	dd 0
frame_eip: dd 0
frame_cs: dw 0
resume:	dd 0
	dw 08h
marker:	dd 0
scratch: dw 0

align 8
idt:	times 15 * 8 db 0
