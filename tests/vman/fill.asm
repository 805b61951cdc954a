; fill.asm: FILL.COM, the vman service tests' guest: sets VGA mode 13h and
; fills the screen with the colour its command tail names (one hex digit of
; the VGA's 16 default colours: 4 red, 1 blue), then waits with interrupts
; on until the VM is stopped. With '*' it fills with the next colour at
; every timer tick instead, so that the screen keeps changing.
	cpu 8086
	org 100h

	mov si, 81h          ; the command tail
.skip:	lodsb
	cmp al, ' '
	je .skip
	mov byte [cycle], 0
	cmp al, '*'
	jne .digit
	mov byte [cycle], 1
	xor al, al
	jmp .mode
.digit:	cmp al, 'A'
	jb .decimal
	and al, 0DFh         ; upper case
	sub al, 'A' - 10
	jmp .mode
.decimal:
	sub al, '0'
.mode:	and al, 0Fh
	mov [colour], al
	mov ax, 0013h        ; 320x200, 256 colours
	int 10h
	mov ax, 0A000h
	mov es, ax
	sti
.fill:	xor di, di
	mov al, [colour]
	mov ah, al
	mov cx, 320 * 200 / 2
	rep stosw
.wait:	hlt                  ; until the next interrupt (the timer's, at the latest)
	cmp byte [cycle], 0
	je .wait
	inc byte [colour]
	and byte [colour], 0Fh
	jmp .fill

colour:	db 0
cycle:	db 0
