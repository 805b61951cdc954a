; demo.asm: the demo guest of the README's first command. It runs without firmware (mvm boot
; --no-bios): it finds mvm through SVC 1, programs the 8259A PICs and the 8254 PIT itself,
; sleeps on HLT for a second of 100 Hz timer ticks, and reports on the debug console.
bits 16
cpu 386
org 7C00h

%define DEBUGCON 0E9h
%macro svc 1
	hlt
	db %1, (~%1) & 0FFh
%endmacro

start:
	mov si, banner
	call print_str
	svc 1			; identify: AX = 'MV' under mvm
	cmp ax, 4D56h
	jne .not_mvm
	mov si, found
	call print_str

	mov al, 11h		; ICW1: edge triggered, cascade, ICW4 follows
	out 20h, al
	out 0A0h, al
	mov al, 08h		; ICW2: IRQ0-7 at vectors 08h-0Fh
	out 21h, al
	mov al, 70h		; ICW2: IRQ8-15 at 70h-77h
	out 0A1h, al
	mov al, 04h		; ICW3: slave on IR2
	out 21h, al
	mov al, 02h
	out 0A1h, al
	mov al, 01h		; ICW4: 8086 mode
	out 21h, al
	out 0A1h, al
	mov al, 0FEh		; only IRQ0
	out 21h, al
	mov al, 0FFh
	out 0A1h, al
	mov word [08h * 4], timer
	mov word [08h * 4 + 2], 0

	mov al, 34h		; PIT counter 0: LSB+MSB, mode 2
	out 43h, al
	mov ax, 11932		; 1193182 Hz / 11932 = 100 Hz
	out 40h, al
	mov al, ah
	out 40h, al

	svc 3			; virtual clock, ns
	mov [t_start], eax
	sti
.sleep:	hlt			; idle until the next tick: no host CPU used
	cmp word [ticks], 100
	jb .sleep
	cli
	svc 3
	sub eax, [t_start]
	xor edx, edx
	mov ebx, 1000
	div ebx
	mov si, slept
	call print_str
	call print_dec32
	mov si, slept_end
	call print_str
	mov al, 0
	svc 2			; exit, status AL

.not_mvm:
	mov si, no_mvm
	call print_str
	cli
	hlt

timer:
	inc word [ticks]
	push ax
	mov al, 20h		; EOI
	out 20h, al
	pop ax
	iret

; DS:SI: a zero-terminated string to the debug console; keeps AX.
print_str:
	push ax
.next:	lodsb
	test al, al
	jz .done
	out DEBUGCON, al
	jmp .next
.done:	pop ax
	ret

; EAX in decimal.
print_dec32:
	mov ebx, 10
	xor cx, cx
.div:	xor edx, edx
	div ebx
	push dx
	inc cx
	test eax, eax
	jnz .div
.emit:	pop ax
	add al, '0'
	out DEBUGCON, al
	loop .emit
	ret

banner:	db "MVM demo guest: real mode at 0000:7C00, no BIOS", 10, 0
found:	db "mvm answered SVC 1; programming the PIC and PIT (100 Hz)", 10, 0
slept:	db "slept through 100 timer ticks: ", 0
slept_end: db " us of virtual time", 10, "bye", 10, 0
no_mvm:	db "not running under mvm", 10, 0
ticks:	dw 0
t_start: dd 0
