; m33.asm: the int 33h driver as a DOS program sees it, while the vmouse VDD's `moves` script
; (mouse_dos.py gives it) moves and clicks: reset, version, a user handler and what it is
; called with, the text cursor in video memory, positions, press and release data, mickeys,
; ranges. Prints what it finds; exits 0, or 1 when the pointer never came (timeout).
;
; The script, on the 720x400 screen of mode 3 (80x25 cells of 8x8 virtual pixels):
;   {at:360,200} {down:left} {up:left} {by:90,0} {click:right}
	org 100h
	cpu 386
%include "dos.inc"

TICKS equ 46Ch			; BIOS tick count (18.2/s) in segment 0
TIMEOUT equ 91			; 5 s
LOG_MAX equ 16

start:
	xor ax, ax
	int 33h
	PRINT 'reset '
	HEX16 ax
	PRINT ' '
	HEX16 bx
	NEWLINE

	mov ax, 24h
	int 33h
	PRINT 'version '
	HEX16 bx
	PRINT ' '
	HEX16 cx
	NEWLINE

	mov ax, 0Ch			; every event to handler
	mov cx, 7Fh
	push cs
	pop es
	mov dx, handler
	int 33h

	mov ax, 1			; show the cursor: centre of the screen, cell (40, 12)
	int 33h
	call cell_attr
	PRINT 'shown attr '
	HEX8 al
	NEWLINE

	call start_clock
.wait_down:
	call check_clock
	mov ax, 3
	int 33h
	test bx, 1
	jz .wait_down
	PRINT 'down '
	HEX16 bx
	PRINT ' '
	HEX16 cx
	PRINT ' '
	HEX16 dx
	NEWLINE

.wait_up:
	call check_clock
	mov ax, 3
	int 33h
	test bx, 1
	jnz .wait_up
	PRINTLN 'up'

	mov ax, 5			; left presses
	xor bx, bx
	int 33h
	PRINT 'presses '
	HEX16 bx
	PRINT ' '
	HEX16 cx
	PRINT ' '
	HEX16 dx
	NEWLINE
	mov ax, 6			; left releases
	xor bx, bx
	int 33h
	PRINT 'releases '
	HEX16 bx
	NEWLINE

.wait_right:
	call check_clock
	mov ax, 6			; right releases
	mov bx, 1
	int 33h
	test bx, bx
	jz .wait_right

	mov ax, 3
	int 33h
	PRINT 'at '
	HEX16 cx
	PRINT ' '
	HEX16 dx
	NEWLINE
	call cell_attr			; the cursor moved on: (50, 12)
	PRINT 'moved attr '
	HEX8 al
	NEWLINE
	mov ax, 0B800h
	mov es, ax
	mov al, [es:(12 * 80 + 40) * 2 + 1]
	PRINT 'left behind '
	HEX8 al
	NEWLINE

	mov ax, 0Bh
	int 33h
	PRINT 'mickeys '
	HEX16 cx
	PRINT ' '
	HEX16 dx
	NEWLINE

	mov ax, 2			; hide: the cell as it was
	int 33h
	call cell_attr
	PRINT 'hidden attr '
	HEX8 al
	NEWLINE

	mov si, log
	mov cx, [log_count]
	jcxz .log_done
.log:
	PRINT 'handler '
	HEX16 [si]
	PRINT ' '
	HEX16 [si + 2]
	PRINT ' '
	HEX16 [si + 4]
	PRINT ' '
	HEX16 [si + 6]
	NEWLINE
	add si, 8
	loop .log
.log_done:

	mov ax, 7			; ranges, given the wrong way round
	mov cx, 100
	xor dx, dx
	int 33h
	mov ax, 8
	xor cx, cx
	mov dx, 50
	int 33h
	mov ax, 4
	mov cx, 600
	mov dx, 150
	int 33h
	mov ax, 3
	int 33h
	PRINT 'clamped '
	HEX16 cx
	PRINT ' '
	HEX16 dx
	NEWLINE

	mov ax, 14h			; swap the handler out: the old one comes back
	xor cx, cx
	xor dx, dx
	push dx
	pop es
	int 33h
	PRINT 'swapped '
	HEX16 cx
	mov ax, es
	push cs
	pop bx
	cmp ax, bx
	jne .bad_segment
	cmp dx, handler
	jne .bad_segment
	PRINTLN ' handler'
	EXIT 0
.bad_segment:
	PRINTLN ' elsewhere'
	EXIT 0

; AL = the attribute of the cell under the cursor, read through int 33h function 03h.
cell_attr:
	push bx
	push cx
	push dx
	push es
	mov ax, 3
	int 33h
	shr cx, 3			; column
	shr dx, 3			; row
	mov ax, 80
	mul dx
	add ax, cx
	shl ax, 1
	mov bx, ax
	mov ax, 0B800h
	mov es, ax
	mov al, [es:bx + 1]
	pop es
	pop dx
	pop cx
	pop bx
	ret

start_clock:
	push es
	push ax
	xor ax, ax
	mov es, ax
	mov ax, [es:TICKS]
	mov [clock_start], ax
	pop ax
	pop es
	ret

check_clock:
	push es
	push ax
	xor ax, ax
	mov es, ax
	sti
	mov ax, [es:TICKS]
	sub ax, [clock_start]
	cmp ax, TIMEOUT
	pop ax
	pop es
	jae .timeout
	ret
.timeout:
	PRINTLN 'timeout: the pointer never came'
	EXIT 1

; The user handler: AX condition, BX buttons, CX x, DX y; logged, RETF.
handler:
	push ds
	push di
	push cs
	pop ds
	mov di, [log_count]
	cmp di, LOG_MAX
	jae .full
	shl di, 3
	mov [log + di], ax
	mov [log + di + 2], bx
	mov [log + di + 4], cx
	mov [log + di + 6], dx
	inc word [log_count]
.full:
	pop di
	pop ds
	retf

clock_start: dw 0
log_count: dw 0
log: times LOG_MAX * 4 dw 0
