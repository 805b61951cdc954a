; test: operand-size and address-size prefixes in real mode: 32-bit registers and immediates
; (66h), and CALL, RET, IRET, PUSHA moving dwords; 32-bit addressing (67h) with SIB, scale and
; displacement, EBP or ESP as base meaning SS and EBP as a mere index not; 16-bit addresses
; wrapping at 64 KiB; segment overrides on moves and on the source of LODS, MOVS and CMPS (never
; STOS's ES:DI); string instructions, REP, LOOP and JCXZ counting with CX, SI and DI alone, or
; with ECX, ESI and EDI after 67h; XLATB using BX; the order of 66h and 67h not mattering; PUSH
; at SP=0 wrapping
; (Left out: a one-byte instruction at CS:FFFF, which wraps to CS:0000 on the IST and faults
; (#GP with IP=0000) on KVM.)
; debugcon: ADD EAX, imm32: EAX=02345679 CF=1
; debugcon: IMUL EAX, ECX, imm32: EAX=12344321
; debugcon: PUSH imm32: SP-4, words beef dead
; debugcon: PUSH imm8 (66h): fffffff0
; debugcon: CWDE, CDQ: ffff8000 ffffffff
; debugcon: CALL and RET with 66h: SP-4, high word 0000, SP after RET 0
; debugcon: IRET with 66h: SP+0, PUSHA with 66h: SP-32
; debugcon: XLATB, EBX=ffff0000h+table: c, ES override: E
; debugcon: prefix order, 66 67 and 67 66: 11111111 22222222
; debugcon: [EBX+ESI*4+4]: 33333333
; debugcon: [ESI*8+disp32]: 22222222
; debugcon: [EBP]: S, [EBP+ESI]: S, [ESI+EBP]: D, [EBP*2+disp32]: D, [disp32]: D
; debugcon: [ESP]: S, [BP+SI]: S, [BP+8]: S, [BX+DI]: D
; debugcon: 16-bit wrap: [BX+SI] D, [BX+FFFF] D, LEA AX, [BX+SI] 9000
; debugcon: LEA: EAX=12345689 AX=5689 from [BX+SI] 00000001
; debugcon: overrides: DS D ES E FS F GS G SS S CS C
; debugcon: LODSB: FS F, CS C; MOVSB from GS: G; CMPSB SS with ES: ZF=0, ES with ES: ZF=1
; debugcon: FS STOSB writes ES:DI: E=x F=-
; debugcon: REPE CMPSB, ECX=10000h: ECX=00010000, with 67h: ECX=0000ffff ESI+1
; debugcon: REP STOSB, ECX=ffff0003h: ECX=ffff0000 DI+3
; debugcon: LODSB at ESI=abcdffff: ESI=abcd0000, with 67h at ESI=0000ffff: ESI=00010000
; debugcon: MOVSD with 66h 67h: EDI=00002004 [2000h]=44332211
; debugcon: LOOP, ECX=10002h: 2 times, ECX=00010000; with 67h, ECX=10001h: 65537 times
; debugcon: ECX=10000h: JCXZ taken, JECXZ not taken
; debugcon: PUSH at SP=0: SP=fffe [SS:FFFE]=abcd, POP: SP=0000
; stderr-empty
org 7C00h
%include "lib.inc"

; The segments of the override checks: each sees the offset 2000h somewhere else.
%define OFS 2000h
%define SEG_DS 0100h		; 3000h
%define SEG_ES 0200h		; 4000h
%define SEG_FS 0300h		; 5000h
%define SEG_GS 0400h		; 6000h
%define SEG_SS 0080h		; 2800h (CS=0: 2000h)

; Every segment register to its own segment (SS too: no stack use until
; reset_segments); both use BP only.
%macro set_segments 0
	mov bp, SEG_DS
	mov ds, bp
	mov bp, SEG_ES
	mov es, bp
	mov bp, SEG_FS
	mov fs, bp
	mov bp, SEG_GS
	mov gs, bp
	mov bp, SEG_SS
	mov ss, bp
%endmacro

%macro reset_segments 0
	xor bp, bp
	mov ss, bp
	mov ds, bp
	mov es, bp
	mov fs, bp
	mov gs, bp
%endmacro

%macro show_eax 0
	call print_hex32
%endmacro

start:
	print "ADD EAX, imm32: EAX="
	mov eax, 12345678h
	add eax, 0F0000001h
	setc dl
	show_eax
	print " CF="
	mov al, dl
	add al, '0'
	out DEBUGCON, al
	call print_nl

	print "IMUL EAX, ECX, imm32: EAX="
	mov ecx, 1
	imul eax, ecx, 12344321h
	show_eax
	call print_nl

	print "PUSH imm32: SP-"
	mov bx, sp
	push dword 0DEADBEEFh
	sub bx, sp
	movzx eax, bx
	pop bx
	pop dx
	call print_dec32
	print ", words "
	mov ax, bx
	call print_hex16
	print " "
	mov ax, dx
	call print_hex16
	call print_nl

	print "PUSH imm8 (66h): "
	push dword -16
	pop eax
	show_eax
	call print_nl

	print "CWDE, CDQ: "
	mov eax, 12348000h
	cwde
	show_eax
	print " "
	cdq
	mov eax, edx
	show_eax
	call print_nl

	; 66h makes CALL, RET, IRET and PUSHA move dwords.
	print "CALL and RET with 66h: SP-"
	mov bx, sp
	call dword .sub
	jmp .called
.sub:	mov ax, bx
	sub ax, sp
	movzx eax, ax
	call print_dec32
	print ", high word "
	mov ax, [esp + 2]
	call print_hex16
	o32 ret
.called:
	print ", SP after RET "
	sub bx, sp
	movzx eax, bx
	call print_dec32
	call print_nl

	print "IRET with 66h: SP+"
	mov bx, sp
	pushfd
	push dword 0
	push dword .ireted
	o32 iret
.ireted:
	sub bx, sp
	movsx eax, bx
	neg eax
	call print_dec32
	print ", PUSHA with 66h: SP-"
	mov bx, sp
	pushad
	sub bx, sp
	mov [pushed], bx
	popad
	movzx eax, word [pushed]
	call print_dec32
	call print_nl

	print "XLATB, EBX=ffff0000h+table: "
	mov ebx, 0FFFF0000h + xlat_table
	mov al, 2
	xlatb
	out DEBUGCON, al
	print ", ES override: "
	mov ax, SEG_ES
	mov es, ax
	mov byte [SEG_ES * 16 + xlat_table + 2], 'E'
	mov al, 2
	es xlatb
	xor dx, dx
	mov es, dx
	out DEBUGCON, al
	call print_nl

	print "prefix order, 66 67 and 67 66: "
	mov ebx, table
	mov eax, -1
	db 66h, 67h, 8Bh, 03h	; mov eax, [ebx]
	show_eax
	print " "
	mov eax, -1
	db 67h, 66h, 8Bh, 43h, 04h	; mov eax, [ebx+4]
	show_eax
	call print_nl

	; 32-bit addressing forms.
	print "[EBX+ESI*4+4]: "
	mov ebx, table
	mov esi, 1
	mov eax, [ebx + esi * 4 + 4]
	show_eax
	call print_nl
	print "[ESI*8+disp32]: "
	mov eax, [esi * 8 + table - 4]
	show_eax
	call print_nl

	; 'S' at SS:9000h, 'D' at DS:9000h once DS is 0800h.
	mov byte [9000h], 'S'
	mov ax, 0800h
	mov es, ax
	mov byte [es:9000h], 'D'
	xor ax, ax
	mov es, ax
	mov ebp, 9000h
	xor esi, esi
	mov ax, 0800h
	mov ds, ax
	mov dl, [ebp]
	db 67h, 8Ah, 74h, 35h, 00h	; mov dh, [ebp+esi*1]: base EBP, SS
	db 67h, 8Ah, 5Ch, 2Eh, 00h	; mov bl, [esi+ebp*1]: base ESI, DS
	mov ebp, 4800h
	db 67h, 8Ah, 3Ch, 6Dh	; mov bh, [ebp*2+0]: no base, DS
	dd 0
	db 67h, 8Ah, 0Dh	; mov cl, [9000h]: disp32 alone, DS
	dd 9000h
	xor ax, ax
	mov ds, ax
	print "[EBP]: "
	mov al, dl
	out DEBUGCON, al
	print ", [EBP+ESI]: "
	mov al, dh
	out DEBUGCON, al
	print ", [ESI+EBP]: "
	mov al, bl
	out DEBUGCON, al
	print ", [EBP*2+disp32]: "
	mov al, bh
	out DEBUGCON, al
	print ", [disp32]: "
	mov al, cl
	out DEBUGCON, al
	call print_nl

	push word 'SS'
	mov bp, 9000h - 8
	mov si, 8
	mov bx, 9000h
	xor di, di
	mov ax, 0800h
	mov ds, ax
	mov dl, [esp]
	mov dh, [bp + si]
	mov cl, [bp + 8]
	mov ch, [bx + di]
	xor ax, ax
	mov ds, ax
	pop ax
	print "[ESP]: "
	mov al, dl
	out DEBUGCON, al
	print ", [BP+SI]: "
	mov al, dh
	out DEBUGCON, al
	print ", [BP+8]: "
	mov al, cl
	out DEBUGCON, al
	print ", [BX+DI]: "
	mov al, ch
	out DEBUGCON, al
	call print_nl

	; 16-bit effective addresses wrap at 64 KiB.
	print "16-bit wrap: [BX+SI] "
	mov bx, 0FFFFh
	mov si, 9001h
	mov ax, 0800h
	mov ds, ax
	mov dl, [bx + si]
	mov bx, 9001h
	db 8Ah, 0B7h		; mov dh, [bx + 0FFFFh] (disp16)
	dw 0FFFFh
	xor ax, ax
	mov ds, ax
	mov al, dl
	out DEBUGCON, al
	print ", [BX+FFFF] "
	mov al, dh
	out DEBUGCON, al
	print ", LEA AX, [BX+SI] "
	mov bx, 0FFFFh
	lea ax, [bx + si]
	call print_hex16
	call print_nl

	print "LEA: EAX="
	mov ebx, 1
	mov ecx, 2
	lea eax, [ebx + ecx * 8 + 12345678h]
	show_eax
	print " AX="
	mov eax, -1
	lea ax, [ebx + ecx * 8 + 12345678h]
	call print_hex16
	print " from [BX+SI] "
	mov eax, -1
	mov bx, 0FFFFh
	mov si, 2
	lea eax, [bx + si]
	show_eax
	call print_nl

	; Segment overrides: one letter per segment at offset 2000h of each.
	mov byte [OFS], 'C'
	mov byte [SEG_DS * 16 + OFS - 0], 'D'	; DS=0 here: linear addresses
	mov byte [SEG_ES * 16 + OFS], 'E'
	mov byte [SEG_FS * 16 + OFS], 'F'
	mov byte [SEG_GS * 16 + OFS], 'G'
	mov byte [SEG_SS * 16 + OFS], 'S'
	set_segments
	mov al, [OFS]
	mov ah, [es:OFS]
	mov bl, [fs:OFS]
	mov bh, [gs:OFS]
	mov cl, [ss:OFS]
	mov ch, [cs:OFS]
	reset_segments
	mov [letters], ax
	mov [letters + 2], bx
	mov [letters + 4], cx
	print "overrides: "
	mov si, letters
	mov di, .names
	mov cx, 6
.each:	mov al, [di]
	out DEBUGCON, al
	mov al, [di + 1]
	out DEBUGCON, al
	mov al, ' '
	out DEBUGCON, al
	lodsb
	out DEBUGCON, al
	add di, 2
	cmp cx, 1
	je .last
	mov al, ' '
	out DEBUGCON, al
.last:	loop .each
	call print_nl
	jmp .strings
.names:	db "DSESFSGSSSCS"

.strings:
	print "LODSB: FS "
	set_segments
	mov si, OFS
	fs lodsb
	mov dl, al
	mov si, OFS
	cs lodsb
	mov dh, al
	mov si, OFS
	mov di, OFS + 1
	gs movsb
	mov bl, [es:OFS + 1]
	mov si, OFS
	mov di, OFS
	ss cmpsb
	setz cl
	mov si, OFS
	mov di, OFS
	es cmpsb
	setz ch
	reset_segments
	mov al, dl
	out DEBUGCON, al
	print ", CS "
	mov al, dh
	out DEBUGCON, al
	print "; MOVSB from GS: "
	mov al, bl
	out DEBUGCON, al
	print "; CMPSB SS with ES: ZF="
	mov al, cl
	add al, '0'
	out DEBUGCON, al
	print ", ES with ES: ZF="
	mov al, ch
	add al, '0'
	out DEBUGCON, al
	call print_nl

	print "FS STOSB writes ES:DI: E="
	mov byte [SEG_ES * 16 + OFS + 2], '-'
	mov byte [SEG_FS * 16 + OFS + 2], '-'
	set_segments
	mov di, OFS + 2
	mov al, 'x'
	fs stosb
	mov dl, [es:OFS + 2]
	mov dh, [fs:OFS + 2]
	reset_segments
	mov al, dl
	out DEBUGCON, al
	print " F="
	mov al, dh
	out DEBUGCON, al
	call print_nl

	; REP and the string instructions count and step with CX, SI, DI, or
	; after 67h with ECX, ESI, EDI.
	print "REPE CMPSB, ECX=10000h: ECX="
	mov byte [9000h], 1
	mov byte [9100h], 2
	mov ecx, 10000h
	mov esi, 9000h
	mov edi, 9100h
	repe cmpsb
	mov eax, ecx
	show_eax
	print ", with 67h: ECX="
	a32 repe cmpsb
	mov eax, ecx
	show_eax
	print " ESI+"
	lea eax, [esi - 9000h]
	call print_dec32
	call print_nl

	print "REP STOSB, ECX=ffff0003h: ECX="
	mov ecx, 0FFFF0003h
	mov di, 9000h
	rep stosb
	mov eax, ecx
	show_eax
	print " DI+"
	movzx eax, di
	sub ax, 9000h
	call print_dec32
	call print_nl

	print "LODSB at ESI=abcdffff: ESI="
	mov esi, 0ABCDFFFFh
	lodsb
	mov eax, esi
	show_eax
	print ", with 67h at ESI=0000ffff: ESI="
	mov esi, 0FFFFh
	a32 lodsb
	mov eax, esi
	show_eax
	call print_nl

	print "MOVSD with 66h 67h: EDI="
	mov esi, table2
	mov edi, 2000h
	a32 movsd
	mov eax, edi
	show_eax
	print " [2000h]="
	mov eax, [2000h]
	show_eax
	call print_nl

	print "LOOP, ECX=10002h: "
	mov ecx, 10002h
	xor edx, edx
.loop16: inc edx
	loop .loop16
	mov eax, edx
	call print_dec32
	print " times, ECX="
	mov eax, ecx
	show_eax
	print "; with 67h, ECX=10001h: "
	mov ecx, 10001h
	xor edx, edx
.loop32: inc edx
	a32 loop .loop32
	mov eax, edx
	call print_dec32
	print " times"
	call print_nl

	print "ECX=10000h: JCXZ "
	mov ecx, 10000h
	jcxz .cx_taken
	print "not taken"
	jmp .ecx
.cx_taken:
	print "taken"
.ecx:	print ", JECXZ "
	jecxz .ecx_taken
	print "not taken"
	jmp .jdone
.ecx_taken:
	print "taken"
.jdone:	call print_nl

	; SP wraps: PUSH at SP=0 writes SS:FFFE, POP there returns SP to 0.
	print "PUSH at SP=0: SP="
	mov bx, sp
	xor sp, sp
	push word 0ABCDh
	mov dx, sp
	mov cx, [0FFFEh]
	pop ax
	mov ax, sp
	mov sp, bx
	xchg ax, dx
	call print_hex16
	print " [SS:FFFE]="
	mov ax, cx
	call print_hex16
	print ", POP: SP="
	mov ax, dx
	call print_hex16
	call print_nl
	exit 0

align 4
table:	dd 11111111h, 22222222h, 33333333h, 44444444h
table2:	db 11h, 22h, 33h, 44h
letters: times 6 db 0
xlat_table: db "abcd"
pushed:	dw 0
