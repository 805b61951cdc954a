; screen test of the hard disk, booted from its MBR (the harness makes a 16 MiB image with
; marked sectors): reads sector 100 with LBA (int 13h AH=42h) and sector 2000 with CHS computed
; from the geometry the BIOS reports (AH=08h, then AH=02h), writes sector 3000 with LBA
; (AH=43h) and sector 4000 with CHS (AH=03h). The screen says what happened; port 402h gets
; DISK-OK when everything did, and the harness then finds the written sectors in the image.
%include "boot.inc"
	mov [drive], dl
	mov si, msg_title
	call print

	mov si, msg_lba_read
	call print
	mov word [packet_lba], 100
	mov ah, 42h
	call lba_transfer
	mov di, mark_100
	call check

	mov si, msg_chs_read
	call print
	mov ax, 2000
	call chs_of
	jc .fail
	mov ax, 0201h
	mov bx, buffer
	int 13h
	mov di, mark_2000
	call check

	mov si, msg_lba_write
	call print
	mov si, mark_w3000
	call fill_buffer
	mov word [packet_lba], 3000
	mov ax, 4300h
	call lba_transfer
	call report

	mov si, msg_chs_write
	call print
	mov si, mark_w4000
	call fill_buffer
	mov ax, 4000
	call chs_of
	jc .fail
	mov ax, 0301h
	mov bx, buffer
	int 13h
	call report

	cmp byte [failures], 0
	jne .fail
	mov si, msg_ok
	jmp done_with
.fail:
	jmp done

; AH (and AL) as int 13h takes them, with the packet for one sector at packet_lba.
lba_transfer:
	mov si, packet
	mov dl, [drive]
	int 13h
	ret

; CX and DH for LBA AX from the geometry the BIOS reports; CF on failure.
chs_of:
	push ax
	mov ah, 08h
	mov dl, [drive]
	push es
	int 13h
	pop es
	pop ax
	jc .ret
	mov bl, cl
	and bx, 3Fh             ; sectors per track
	movzx si, dh
	inc si                  ; heads
	xor dx, dx
	div bx                  ; AX = LBA / spt, DX = LBA % spt
	inc dx
	mov cx, dx              ; CL = sector
	xor dx, dx
	div si                  ; AX = cylinder, DX = head
	mov ch, al
	shl ah, 6
	or cl, ah
	mov dh, dl
	mov dl, [drive]
	clc
.ret:
	ret

; After a read: CF and AH from int 13h, then whether the buffer starts with the mark at DI.
check:
	jc report
	mov si, buffer
	mov cx, MARK_SIZE
	repe cmpsb
	jne .bad
	jmp report
.bad:
	inc byte [failures]
	mov si, msg_bad_data
	jmp print

; Prints "ok" or the int 13h error in AH (CF set).
report:
	jc .error
	mov si, msg_good
	jmp print
.error:
	inc byte [failures]
	mov si, msg_error
	call print
	mov al, ah
	call print_hex8
	mov si, msg_nl
	jmp print

; The 512-byte buffer: the mark at SI, then the sector's bytes 0..
fill_buffer:
	mov di, buffer
	mov cx, MARK_SIZE
	rep movsb
	mov cx, 512 - MARK_SIZE
.byte:
	mov al, cl
	stosb
	loop .byte
	ret

%include "print.inc"

MARK_SIZE equ 16
mark_100: db "MVM-SECTOR-00100"
mark_2000: db "MVM-SECTOR-02000"
mark_w3000: db "MVM-WROTE-LBA-30"
mark_w4000: db "MVM-WROTE-CHS-40"

msg_title: db "hard disk: int 13h reads and writes, LBA and CHS", 13, 10, 0
msg_lba_read: db "LBA read of sector 100: ", 0
msg_chs_read: db "CHS read of sector 2000: ", 0
msg_lba_write: db "LBA write of sector 3000: ", 0
msg_chs_write: db "CHS write of sector 4000: ", 0
msg_good: db "ok", 13, 10, 0
msg_bad_data: db "wrong data", 13, 10, 0
msg_error: db "error ", 0
msg_nl: db 13, 10, 0
msg_ok: db "DISK-OK", 10, 0

drive: db 0
failures: db 0
packet: db 10h, 0
	dw 1, buffer, 0
packet_lba: dq 0
	align 16
buffer:
