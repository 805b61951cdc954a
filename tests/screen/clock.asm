; screen test of determinism, not against QEMU (whose clock is the host's): waits with HLT for
; the BIOS tick count (IRQ0 from the PIT) to advance, and prints the count, the RTC's time and
; the PIT's counter each time; a blinking character and the cursor stay on the screen, so the
; frame also shows the blink phase at the end. Two runs with the same RTC start must give the
; same picture.
%include "boot.inc"
TICKS_PER_LINE equ 9            ; about half a second
LINES equ 5
	mov ax, 0003h
	int 10h
	mov si, msg_title
	call print
	mov cx, LINES
.line:
	mov bx, [046Ch]
	add bx, TICKS_PER_LINE
.wait:
	sti
	hlt
	cmp [046Ch], bx
	jb .wait
	mov al, 0               ; latch counter 0 right after the wake-up: the time since
	out 43h, al             ; the tick, counted in device accesses (the same on both CPUs)
	in al, 40h
	mov ah, al
	in al, 40h
	xchg al, ah
	mov di, ax
	push cx
	mov si, msg_ticks
	call print
	mov ax, [046Ch]
	call print_hex16
	mov si, msg_rtc
	call print
	mov ah, 02h             ; RTC time: CH hours, CL minutes, DH seconds (BCD)
	int 1Ah
	mov al, ch
	call print_hex8
	mov al, ':'
	call print_char
	mov al, cl
	call print_hex8
	mov al, ':'
	call print_char
	mov al, dh
	call print_hex8
	mov si, msg_pit
	call print
	mov ax, di
	call print_hex16
	mov si, msg_nl
	call print
	pop cx
	loop .line
	mov ax, 092Ah           ; '*' in blinking white, under the cursor
	mov bx, 0087h
	mov cx, 1
	int 10h
	jmp done

%include "print.inc"

msg_title: db " determinism: ticks, RTC and PIT after HLT waits", 13, 10, 0
msg_ticks: db "ticks ", 0
msg_rtc: db "  rtc ", 0
msg_pit: db "  pit ", 0
msg_nl: db 13, 10, 0
