; test: real-mode exceptions as a 386 raises them: the vector, and the CS:IP and FLAGS its
; handler finds on the stack (a fault points at the instruction, its prefixes included, a
; trap after it), and the 64 KiB limit of every segment
; (Left out: #BR from BOUND and #UD from ARPL, which KVM's instruction emulator, this
; machine's KVM, cannot run; MOV SS holding the single-step trap back until after the next
; instruction, which neither backend does; an instruction running past CS:FFFF, a #GP that the
; IST does not raise: it fetches the rest from CS:0000.)
; debugcon: DIV by 0: vector 00 at +0 CS=0000 FLAGS=0002
; debugcon: DIV quotient overflow: vector 00 at +0 CS=0000 FLAGS=0002
; debugcon: DIV EBX by 0 (66h prefix): vector 00 at +0 CS=0000 FLAGS=0002
; debugcon: IDIV 8000h / -1: vector 00 at +0 CS=0000 FLAGS=0002
; debugcon: IDIV giving -128: no exception AL=80
; debugcon: 0F 0B: vector 06 at +0 CS=0000 FLAGS=0002
; debugcon: INTO, OF set: vector 04 at +1 CS=0000 FLAGS=0802
; debugcon: INTO, OF clear: no exception
; debugcon: INT3: vector 03 at +1 CS=0000 FLAGS=0002
; debugcon: INT3 from CS=07C0: vector 03 at +1 CS=07c0 FLAGS=0002
; debugcon: INT 3 (CD 03): vector 03 at +2 CS=0000 FLAGS=0002
; debugcon: single step after POPF: vector 01 at +1 CS=0000 FLAGS=0102 handler TF=0
; debugcon: ESC with CR0.EM: vector 07 at +0 CS=0000 FLAGS=0002
; debugcon: word at DS:FFFF: vector 0d at +0 CS=0000 FLAGS=0002
; debugcon: word write at ES:FFFF: vector 0d at +0 CS=0000 FLAGS=0002
; debugcon: byte at DS:FFFF: no exception
; debugcon: dword at DS:FFFD: vector 0d at +0 CS=0000 FLAGS=0002
; debugcon: byte at DS:[EBX=10000h]: vector 0d at +0 CS=0000 FLAGS=0002
; debugcon: word at SS:[BP=FFFF]: vector 0c at +0 CS=0000 FLAGS=0002
; debugcon: word at SS:FFFF (override): vector 0c at +0 CS=0000 FLAGS=0002
; debugcon: word at DS:[BP=FFFF] (override): vector 0d at +0 CS=0000 FLAGS=0002
; debugcon: faults seen: 18
; stderr-empty
org 7C00h
%include "lib.inc"

; One trial: %1 the FLAGS to run it with (POPF right before it), %2 the instruction.
; The handler resumes after it; `report` prints what the handler saw, and
; the line stays open for more.
%macro trial_open 2+
	mov word [resume], %%resume
	mov dword [marker], %%insn
	mov byte [vec], 0FFh
	push word %1
	popf
%%insn:	%2
%%resume:
	mov [after_ax], ax
	call report
%endmacro

%macro trial 2+
	trial_open %1, %2
	call print_nl
%endmacro

; Handler for vector %1: notes the vector, then the common part.
%macro handler 1
exc%1:	mov byte [vec], %1
	jmp record
%endmacro

start:
%assign v 0
%rep 14
	set_vector v, exc %+ v
%assign v v + 1
%endrep

	print "DIV by 0: "
	mov ax, 1234h
	mov bl, 0
	trial 0002h, div bl
	print "DIV quotient overflow: "
	mov ax, 1000h
	mov bl, 2
	trial 0002h, div bl
	print "DIV EBX by 0 (66h prefix): "
	mov eax, 1
	xor ebx, ebx
	trial 0002h, div ebx
	print "IDIV 8000h / -1: "
	mov ax, 8000h
	mov bl, -1
	trial 0002h, idiv bl
	print "IDIV giving -128: "		; an 8086 raised #DE here
	mov ax, -256
	mov bl, 2
	trial_open 0002h, idiv bl
	print " AL="
	mov al, [after_ax]
	call print_hex8
	call print_nl

	print "0F 0B: "
	trial 0002h, db 0Fh, 0Bh

	print "INTO, OF set: "
	trial 0802h, into
	print "INTO, OF clear: "
	trial 0002h, into
	print "INT3: "
	trial 0002h, int3
	print "INT3 from CS=07C0: "
	mov word [resume], .back
	mov dword [marker], .int3
	mov byte [vec], 0FFh
	jmp 07C0h:.far - 7C00h
.far:	push word 0002h
	popf
.int3:	int3
.back:	call report
	call print_nl
	print "INT 3 (CD 03): "
	trial 0002h, db 0CDh, 03h

	; TF set by POPF: the instruction after POPF runs, then the trap.
	print "single step after POPF: "
	trial_open 0102h, xchg ax, ax
	print " handler TF="
	mov ax, [handler_flags]
	shr ax, 8
	and al, 1
	add al, '0'
	out DEBUGCON, al
	call print_nl

	print "ESC with CR0.EM: "
	mov eax, cr0
	or al, 4
	mov cr0, eax
	trial 0002h, fninit
	mov eax, cr0
	and al, ~4
	mov cr0, eax

	; A real-mode segment is 64 KiB and an access must fit inside it.
	print "word at DS:FFFF: "
	trial 0002h, mov ax, [0FFFFh]
	print "word write at ES:FFFF: "
	trial 0002h, mov [es:0FFFFh], ax
	print "byte at DS:FFFF: "
	trial 0002h, mov al, [0FFFFh]
	print "dword at DS:FFFD: "
	trial 0002h, mov eax, [0FFFDh]
	print "byte at DS:[EBX=10000h]: "
	mov ebx, 10000h
	trial 0002h, mov al, [ebx]
	print "word at SS:[BP=FFFF]: "
	mov bp, 0FFFFh
	trial 0002h, mov ax, [bp]
	print "word at SS:FFFF (override): "
	trial 0002h, mov ax, [ss:0FFFFh]
	print "word at DS:[BP=FFFF] (override): "
	trial 0002h, mov ax, [ds:bp]

	print "faults seen: "
	movzx eax, word [seen]
	call print_dec32
	call print_nl
	exit 0

; Prints what the last trial's handler saw, or "no exception".
report:
	cmp byte [vec], 0FFh
	jne .seen
	print "no exception"
	ret
.seen:	inc word [seen]
	print "vector "
	mov al, [vec]
	call print_hex8
	print " at +"
	movzx eax, word [frame_cs]	; the frame's address, less the trial's
	shl eax, 4
	movzx ebx, word [frame_ip]
	add eax, ebx
	mov ebx, [marker]
	sub eax, ebx
	call print_dec32
	print " CS="
	mov ax, [frame_cs]
	call print_hex16
	print " FLAGS="
	mov ax, [frame_flags]
	jmp print_hex16

%assign v 0
%rep 14
	handler v
%assign v v + 1
%endrep

; Notes the frame (IP, CS, FLAGS) and the handler's own FLAGS, and returns to
; 0000:[resume] with TF clear.
record:
	push bp
	pushf
	pop word [handler_flags]
	mov bp, sp
	push ax
	mov ax, [bp + 2]
	mov [frame_ip], ax
	mov ax, [bp + 4]
	mov [frame_cs], ax
	mov ax, [bp + 6]
	mov [frame_flags], ax
	mov ax, [resume]
	mov [bp + 2], ax
	mov word [bp + 4], 0
	and word [bp + 6], ~0100h
	pop ax
	pop bp
	iret

vec:	db 0
resume:	dw 0
marker:	dd 0
frame_ip: dw 0
frame_cs: dw 0
frame_flags: dw 0
handler_flags: dw 0
seen:	dw 0
after_ax: dw 0
