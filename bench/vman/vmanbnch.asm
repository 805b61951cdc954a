; vmanbnch.asm: bench/vman's guest, a DOS .COM: VVMI commands through the client library, timed by the host at the hoststamp VDD's port.
;
;   VMANBNCH F N R   R rounds of N solid 8x8 FILLs
;   VMANBNCH B N R   R rounds of N 64x64 BITBLTs, an off-screen bitmap to the screen
;   VMANBNCH P R     R presents, each timed from its doorbell to PRESENTED
;
; The screen is 640x480 I8. The commands go through vvmi_put, which rings the doorbell
; when the ring is full (a FILL record is 20 bytes, so about 400 go in a batch; a
; BITBLT's 40). Each `out 5670h, al` is a host stamp with AL as its tag:
;
;   1       1000 in a row first: what one stamp costs (the gap between two)
;   2, 3, 4 each F or B round: 2, an empty PRESENT and its wait, 3, the N commands
;           and a PRESENT and its wait, 4. (4 - 3) - (3 - 2) is the N commands' time.
;   5, 6    each P round: one FILL is run first (so the frame has damage) and a
;           PRESENT put in the ring; 5, then vvmi_wait_presented rings the doorbell and
;           polls the event ring until PRESENTED is read, then 6.
;
; FILL i of a round (from 0) covers the 8x8 cell i of the screen, left to right and
; top to bottom, wrapping, with colour i & 0FFh; BITBLT i puts the bitmap's 64x64 at
; cell i of the 64x64 grid of the screen's top 448 rows (10 a row, 7 rows), wrapping.
; bench/vman's native peer (vman_native.c) runs the same commands.
;
; Exit status: 0; 1 without VVMI; 2 when an error event came back; 3 for bad arguments.
	org 100h
	cpu 386

%include "vvmi.inc"

STAMP_PORT equ 5670h
TAG_CALIBRATE equ 1
TAG_ROUND equ 2
TAG_EMPTY_PRESENTED equ 3
TAG_BATCH_PRESENTED equ 4
TAG_DOORBELL equ 5
TAG_PRESENTED equ 6
CALIBRATION_STAMPS equ 1000

SCREEN_W equ 640
SCREEN_H equ 480
FILL_SIZE equ 8
BLIT_SIZE equ 64
BLIT_ROWS_END equ 448		; 7 rows of 64
BITMAP equ 1

PSP_TAIL equ 81h

; Clobbers AL and DX.
%macro STAMP 1
	mov al, %1
	mov dx, STAMP_PORT
	out dx, al
%endmacro

%include "vvmi_put.inc"

start:
	call parse_arguments
	jnc .arguments
	mov dx, msg_usage
	mov ax, 4C03h
	jmp exit_with_message
.arguments:
	call vvmi_open
	jnc .open
	mov dx, msg_absent
	mov ax, 4C01h
	jmp exit_with_message
.open:
	PUT VVMI_CMD_SET_MODE, set_mode
	PUT VVMI_CMD_SURFACE_CREATE, bitmap
	PUT VVMI_CMD_FILL, bitmap_fill
	call present_and_wait		; the first frame: allocations made before timing

	mov cx, CALIBRATION_STAMPS
.calibrate:
	STAMP TAG_CALIBRATE
	loop .calibrate

.round:
	cmp word [rounds], 0
	je .done
	dec word [rounds]
	cmp byte [kind], 'P'
	je .present_round
	STAMP TAG_ROUND
	call present_and_wait
	STAMP TAG_EMPTY_PRESENTED
	call issue_commands
	call present_and_wait
	STAMP TAG_BATCH_PRESENTED
	jmp .round
.present_round:
	mov word [fill + vvmi_fill.rect + vvmi_rect.x], 0
	mov word [fill + vvmi_fill.rect + vvmi_rect.y], 0
	inc byte [fill + vvmi_fill.color]
	PUT VVMI_CMD_FILL, fill
	call vvmi_doorbell
	inc dword [present]
	PUT VVMI_CMD_PRESENT, present
	STAMP TAG_DOORBELL
	mov di, event
	call vvmi_wait_presented
	mov bx, ax
	STAMP TAG_PRESENTED
	cmp bx, VVMI_EVENT_ERROR
	je error_event
	jmp .round
.done:
	mov ax, 4C00h
	int 21h

; PRESENT (the next sequence number), ring, and wait for PRESENTED.
present_and_wait:
	inc dword [present]
	PUT VVMI_CMD_PRESENT, present
	mov di, event
	call vvmi_wait_presented
	cmp ax, VVMI_EVENT_ERROR
	je error_event
	ret

error_event:
	mov dx, msg_error
	mov ax, 4C02h
exit_with_message:
	push ax
	mov ah, 09h
	int 21h
	pop ax
	int 21h

; The round's [count] FILLs or BITBLTs, from cell 0.
issue_commands:
	mov eax, [count]
	mov [left], eax
	test eax, eax
	jz .done
	cmp byte [kind], 'B'
	je .blits
	mov word [fill + vvmi_fill.rect + vvmi_rect.x], 0
	mov word [fill + vvmi_fill.rect + vvmi_rect.y], 0
	mov byte [fill + vvmi_fill.color], 0
.fill:
	PUT VVMI_CMD_FILL, fill
	inc byte [fill + vvmi_fill.color]
	add word [fill + vvmi_fill.rect + vvmi_rect.x], FILL_SIZE
	cmp word [fill + vvmi_fill.rect + vvmi_rect.x], SCREEN_W
	jb .fill_next
	mov word [fill + vvmi_fill.rect + vvmi_rect.x], 0
	add word [fill + vvmi_fill.rect + vvmi_rect.y], FILL_SIZE
	cmp word [fill + vvmi_fill.rect + vvmi_rect.y], SCREEN_H
	jb .fill_next
	mov word [fill + vvmi_fill.rect + vvmi_rect.y], 0
.fill_next:
	dec dword [left]
	jnz .fill
.done:
	ret
.blits:
	mov word [blit + vvmi_bitblt.rect + vvmi_rect.x], 0
	mov word [blit + vvmi_bitblt.rect + vvmi_rect.y], 0
.blit:
	PUT VVMI_CMD_BITBLT, blit
	add word [blit + vvmi_bitblt.rect + vvmi_rect.x], BLIT_SIZE
	cmp word [blit + vvmi_bitblt.rect + vvmi_rect.x], SCREEN_W
	jb .blit_next
	mov word [blit + vvmi_bitblt.rect + vvmi_rect.x], 0
	add word [blit + vvmi_bitblt.rect + vvmi_rect.y], BLIT_SIZE
	cmp word [blit + vvmi_bitblt.rect + vvmi_rect.y], BLIT_ROWS_END
	jb .blit_next
	mov word [blit + vvmi_bitblt.rect + vvmi_rect.y], 0
.blit_next:
	dec dword [left]
	jnz .blit
	ret

; The command tail: F N R, B N R or P R into kind, count, rounds. CF set when bad.
parse_arguments:
	mov si, PSP_TAIL
	call skip_spaces
	lodsb
	and al, 0DFh			; upper case
	mov [kind], al
	cmp al, 'P'
	je .rounds
	cmp al, 'F'
	je .count
	cmp al, 'B'
	jne .bad
.count:
	call parse_number
	jc .bad
	mov [count], eax
.rounds:
	call parse_number
	jc .bad
	cmp eax, 0FFFFh
	ja .bad
	mov [rounds], ax
	call skip_spaces
	cmp byte [si], 0Dh		; the tail's end
	jne .bad
	clc
	ret
.bad:
	stc
	ret

skip_spaces:
	cmp byte [si], ' '
	jne .out
	inc si
	jmp skip_spaces
.out:
	ret

; A decimal number at DS:SI (after spaces) into EAX; CF set when there is no digit.
parse_number:
	call skip_spaces
	xor eax, eax
	xor cx, cx
.digit:
	movzx edx, byte [si]
	sub dl, '0'
	cmp dl, 9
	ja .end
	imul eax, eax, 10
	add eax, edx
	inc si
	inc cx
	jmp .digit
.end:
	cmp cx, 1			; CF when no digit
	ret

msg_usage: db 'usage: VMANBNCH F|B COUNT ROUNDS, or VMANBNCH P ROUNDS', 13, 10, '$'
msg_absent: db 'VVMI is not there (no vvmi VDD)', 13, 10, '$'
msg_error: db 'VVMI error event', 13, 10, '$'

%include "vvmi_client.asm"

; What the loops write lives a page away from the code: the IST takes a slow path
; for every write to a page that holds code it translated (it must look for code to
; drop), which a program that kept its variables beside its code would pay on each
; command. DOS loads a program at a paragraph, not a page, hence a whole page's gap.
	times 4096 db 0
count: dd 0
left: dd 0
rounds: dw 0
kind: db 0, 0
set_mode: dw SCREEN_W, SCREEN_H
	db VVMI_FORMAT_I8, 0, 0, 0
set_mode_end:
bitmap: dw BITMAP
	db VVMI_SURFACE_BITMAP, VVMI_FORMAT_I8
	dw BLIT_SIZE, BLIT_SIZE, 0, 0
bitmap_end:
bitmap_fill: dw BITMAP
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, BLIT_SIZE, BLIT_SIZE
	dd 9
bitmap_fill_end:
fill: dw VVMI_SURFACE_SCREEN
	db VVMI_ROP2_COPYPEN, 0
	dw 0, 0, FILL_SIZE, FILL_SIZE
	dd 0
fill_end:
blit: dw VVMI_SURFACE_SCREEN, BITMAP
	dw 0, 0, BLIT_SIZE, BLIT_SIZE
	dw 0, 0
	db VVMI_ROP3_SRCCOPY, 0, 0, 0
	dd 0, 0
	dq 0
blit_end:
present: dd 0
present_end:

section .bss
event: resb VVMI_EVENT_MAX
