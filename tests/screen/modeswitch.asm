; screen test: a mode-switch sequence, text 80x25 -> 13h -> 12h -> text, drawing in each;
; what is left is the last text screen (the earlier modes must leave no trace).
%include "boot.inc"
	mov ax, 0003h
	int 10h
	mov si, msg_text1
	call print
	mov ax, 0013h
	int 10h
	mov ax, 0A000h
	mov es, ax
	xor di, di
	mov al, 4
	mov cx, 64000
	rep stosb
	mov ax, 0012h
	int 10h
	mov ax, 0A000h
	mov es, ax
	xor di, di
	mov al, 0FFh
	mov cx, 38400
	rep stosb
	mov ax, 0003h
	int 10h
	mov ah, 01h             ; cursor off: QEMU blinks it by the host's clock
	mov cx, 2000h
	int 10h
	mov si, msg_text2
	call print
	jmp done

%include "print.inc"

msg_text1: db "first text screen", 0
msg_text2: db "back in text mode after 13h and 12h", 13, 10, "second line", 0
