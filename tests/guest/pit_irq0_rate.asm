; test: the 8254 raises IRQ0 at the rate the guest programmed, on the virtual clock: N periods
; of D clocks at 105/88 MHz take N * D * 88000 / 105 ns (printed to 10 ns: each edge rounds
; up to a whole ns, so the last digit depends on where the count began)
; args: --no-pacing
; debugcon: mode 2, divisor 1193, 100 periods: 99984760 ns
; debugcon: mode 3, divisor 11932, 20 periods: 200003040 ns
; debugcon: mode 3, divisor 65536, 5 periods: 274627040 ns
; (100 * 1193 clocks = 99984761.9 ns, 20 * 11932 = 200003047.6 ns, 5 * 65536 = 274627047.6 ns)
; stderr-empty
org 7C00h
%include "lib.inc"

; Measures %4 periods of counter 0 in mode %1 with divisor %2 (%3 and %5 as printed). The first
; tick may be an edge latched while reprogramming; the clock runs from tick 2 to tick %4+2.
%macro measure 5
	cli
	pit0 %1, %2
	mov word [ticks], 0
	mov word [target], %4 + 2
	sti
%%wait:	hlt
	mov ax, [ticks]
	cmp ax, [target]
	jb %%wait
	cli
	print "mode ", %1 + '0', ", divisor ", %3, ", ", %5, " periods: "
	mov eax, [t_last]
	sub eax, [t_first]
	xor edx, edx
	mov ebx, 10
	div ebx
	call print_dec32
	print "0 ns", 10
%endmacro

start:
	call pic_init
	set_vector 08h, irq0
	in al, 21h
	and al, 0FEh		; unmask IRQ0
	out 21h, al
	measure 2, 1193, "1193", 100, "100"
	measure 3, 11932, "11932", 20, "20"
	measure 3, 0, "65536", 5, "5"
	exit 0

irq0:
	push eax
	push edx
	clock
	inc word [ticks]
	cmp word [ticks], 2
	jne .not_first
	mov [t_first], eax
.not_first:
	mov [t_last], eax
	mov al, 20h		; non-specific EOI
	out 20h, al
	pop edx
	pop eax
	iret

ticks:	dw 0
target:	dw 0
t_first: dd 0
t_last:	dd 0
