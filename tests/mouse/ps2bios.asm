; ps2bios.asm: the PS/2 mouse end to end through SeaBIOS's int 15h C2h services (the 8042's
; aux port, IRQ 12, the vmouse VDD's PS/2 device): reset, the ID, a packet handler, enable;
; prints the packets the `moves` script makes (mouse_dos.py gives it):
;   {at:100,100} {at:110,90} {click:left} {by:590,0} (X overflows)
; Exits 0, or 1 on a BIOS error or when fewer packets came than expected (timeout).
	org 100h
	cpu 386
%include "dos.inc"

TICKS equ 46Ch
TIMEOUT equ 91			; 5 s
WANT equ 4			; packets: the move, down, up, the big move

start:
	mov ax, 0C205h			; initialize, 3-byte packets
	mov bh, 3
	int 15h
	RESULT 'init'
	jc .fail
	mov ax, 0C201h			; reset: BH = the ID
	int 15h
	RESULT 'reset'
	jc .fail
	PRINT 'id '
	HEX8 bh
	NEWLINE
	mov ax, 0C207h
	push cs
	pop es
	mov bx, handler
	int 15h
	RESULT 'handler'
	jc .fail
	mov ax, 0C200h			; enable
	mov bh, 1
	int 15h
	RESULT 'enable'
	jc .fail

	xor ax, ax
	mov es, ax
	mov dx, [es:TICKS]
.wait:
	sti
	cmp word [count], WANT
	jae .done
	mov ax, [es:TICKS]
	sub ax, dx
	cmp ax, TIMEOUT
	jb .wait
	PRINTLN 'timeout'
	call show
	EXIT 1
.done:
	mov ax, 0C200h			; disable
	mov bh, 0
	int 15h
	RESULT 'disable'
	call show
	EXIT 0
.fail:
	EXIT 1

show:
	mov si, packets
	mov cx, [count]
	jcxz .none
.one:
	PRINT 'packet '
	HEX8 [si]
	PRINT ' '
	HEX8 [si + 1]
	PRINT ' '
	HEX8 [si + 2]
	NEWLINE
	add si, 3
	loop .one
.none:
	ret

; The BIOS far-calls this with status, X, Y and 0 pushed, in that order.
handler:
	push bp
	mov bp, sp
	push ds
	push ax
	push bx
	push cs
	pop ds
	mov bx, [count]
	cmp bx, WANT
	jae .full
	imul bx, bx, 3
	mov al, [bp + 12]		; status
	mov [packets + bx], al
	mov al, [bp + 10]		; X
	mov [packets + bx + 1], al
	mov al, [bp + 8]		; Y
	mov [packets + bx + 2], al
	inc word [count]
.full:
	pop bx
	pop ax
	pop ds
	pop bp
	retf

count: dw 0
packets: times WANT * 3 db 0
