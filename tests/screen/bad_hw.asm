; screen test of a guest that misprograms the hardware, run with --memory 2: a floppy read
; programmed by hand whose DMA target (page FEh: FE0000h) lies past the end of RAM, then CRTC,
; sequencer and misc output registers filled with nonsense. mvm must neither crash nor hang:
; the read completes (the bytes go nowhere), the FDC's result reaches the debug port, and the
; frame is whatever the nonsense describes, clamped to a sane size.
%include "boot.inc"
DMA_PAGE equ 0FEh
	cli
	mov dx, 3F2h            ; motor A on, DMA and interrupts enabled, not in reset
	mov al, 1Ch
	out dx, al
	mov al, 06h             ; mask channel 2
	out 0Ah, al
	out 0Ch, al             ; clear the byte flip-flop
	mov al, 46h             ; single transfer, device to memory, channel 2
	out 0Bh, al
	xor al, al              ; address 0000h in page FEh
	out 04h, al
	out 04h, al
	mov al, DMA_PAGE
	out 81h, al
	mov al, 0FFh            ; 512 bytes: count 511
	out 05h, al
	mov al, 01h
	out 05h, al
	mov al, 02h             ; unmask channel 2
	out 0Ah, al
	mov si, read_command
	mov cx, read_command_end - read_command
.command:
	call fdc_ready
	test al, 40h            ; DIO set: the FDC wants to talk, not listen
	jnz .failed
	mov dx, 3F5h
	lodsb
	out dx, al
	loop .command
	mov cx, 7               ; the result: ST0 ST1 ST2 C H R N
	mov di, result
.result:
	call fdc_ready
	test al, 40h
	jz .result
	mov dx, 3F5h
	in al, dx
	stosb
	loop .result
	sti
	mov si, msg_st
	mov dx, 402h
.msg:
	lodsb
	test al, al
	jz .hex
	out dx, al
	jmp .msg
.hex:
	mov si, result
	mov cx, 3
.byte:
	lodsb
	call debug_hex8
	loop .byte

	mov dx, 3D4h            ; CRTC: unprotect, then every register FFh
	mov ax, 0011h
	out dx, ax
	xor bl, bl
.crtc:
	mov al, bl
	mov ah, 0FFh
	out dx, ax
	inc bl
	cmp bl, 19h
	jb .crtc
	mov dx, 3C4h            ; sequencer clocking mode: 8-dot, halved clock
	mov ax, 0901h
	out dx, ax
	mov dx, 3C2h            ; misc output: the other clock, mono addressing
	mov al, 0Eh
	out dx, al
	jmp done
.failed:
	mov si, msg_failed
	jmp done_with

; Waits for the FDC's main status RQM (bit 7); AL = the status.
fdc_ready:
	mov dx, 3F4h
.poll:
	in al, dx
	test al, 80h
	jz .poll
	ret

; Writes AL in hexadecimal to port DX.
debug_hex8:
	push ax
	shr al, 4
	call hex_digit
	out dx, al
	pop ax
	call hex_digit
	out dx, al
	ret

%include "print.inc"

; READ DATA, MT and MFM and skip: drive 0 head 0, C 0 H 0 R 1 N 2 (512), EOT 1, GPL, DTL.
read_command: db 0E6h, 00h, 0, 0, 1, 2, 1, 1Bh, 0FFh
read_command_end:
result: times 7 db 0
msg_st: db "FDC ST0 ST1 ST2: ", 0
msg_failed: db "the FDC would not take the command", 10, 0
