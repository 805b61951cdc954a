; vvmi_client.asm: the VVMI client library for real-mode DOS programs written in NASM.
;
; %include it (after vvmi.inc, which the build generates from vvmi/protocol.h) in a
; .COM program. Every routine is a near procedure, keeps the registers it does not
; return in, and reaches the shared region at VVMI_REGION_SEGMENT through ES, which it
; saves and restores. The ring discipline is protocol.h's: records at the command ring's
; head, 4-byte aligned, never wrapping (a PAD record fills the end), one slot kept free.
;
;   vvmi_open        CF clear when the VVMI VDD answers and the region's magic and
;                    version are right; CF set otherwise.
;   vvmi_put         AX = opcode, DS:SI = body, CX = body bytes (a multiple of 4, at
;                    most VVMI_PUT_MAX). Waits, ringing the doorbell, while the ring is
;                    full.
;   vvmi_doorbell    tells the host the ring has commands (after one or more puts).
;   vvmi_heap_write  DS:SI = bytes, CX = count, DI = offset in the region (the heap
;                    starts at VVMI_HEAP_OFFSET): copies them there.
;   vvmi_heap_write_bios_font
;                    DI = offset in the region: copies the VGA BIOS's 8x8 font there
;                    (128 glyphs of 8 bytes, characters 0-127; VVMI_BIOS_FONT_BYTES).
;   vvmi_get_event   CF set when no event waits; else AX = type and the body (at most
;                    VVMI_EVENT_MAX bytes) copied to DS:DI, CX = its length.
;   vvmi_wait_presented
;                    rings the doorbell and waits for PRESENTED or ERROR: AX = the
;                    event's type, its body at DS:DI (VVMI_EVENT_MAX bytes); other
;                    events are passed over.
;   vvmi_exit_when_presented
;                    vvmi_wait_presented, then ends the program with 0; an ERROR event
;                    ends it with 2 after printing the failed command's opcode and error
;                    code (the demos' last step).
;
; The library's own data lives in .data and .bss, so it also works where DS is not CS:
; vvmi_cdecl.asm assembles it for bcc's C programs (separate code and data).
VVMI_CMD_HEADER equ VVMI_CMD_RING_OFFSET
VVMI_CMD_DATA equ VVMI_CMD_RING_OFFSET + vvmi_ring_header_size
VVMI_EVENT_HEADER equ VVMI_EVENT_RING_OFFSET
VVMI_EVENT_DATA equ VVMI_EVENT_RING_OFFSET + vvmi_ring_header_size
; Each ring's span holds its header, then its data.
VVMI_CMD_DATA_BYTES equ VVMI_CMD_RING_BYTES - vvmi_ring_header_size
VVMI_EVENT_DATA_BYTES equ VVMI_EVENT_RING_BYTES - vvmi_ring_header_size

vvmi_open:
	push ax
	push dx
	push es
	mov dx, VVMI_PORT_ID
	in ax, dx
	cmp ax, VVMI_ID
	jne .absent
	mov ax, VVMI_REGION_SEGMENT
	mov es, ax
	cmp word [es:vvmi_region_header.magic], VVMI_MAGIC & 0xFFFF
	jne .absent
	cmp word [es:vvmi_region_header.magic + 2], VVMI_MAGIC >> 16
	jne .absent
	cmp word [es:vvmi_region_header.version], VVMI_VERSION
	jne .absent
	clc
	jmp .out
.absent:
	stc
.out:
	pop es
	pop dx
	pop ax
	ret

vvmi_doorbell:
	push ax
	push dx
	mov dx, VVMI_PORT_DOORBELL
	out dx, al
	pop dx
	pop ax
	ret

; Free bytes between head and tail (BX = head, DX = tail), one slot kept free: AX.
vvmi_ring_free:
	mov ax, dx
	sub ax, bx
	jbe .wrapped
	sub ax, 4
	ret
.wrapped:
	add ax, VVMI_CMD_DATA_BYTES - 4
	ret

vvmi_put:
	push ax
	push bx
	push cx
	push dx
	push di
	push si
	push es
	push bp
	mov bp, ax			; the opcode
	mov ax, VVMI_REGION_SEGMENT
	mov es, ax
	add cx, vvmi_record_size	; the record's length
.wait:
	mov bx, [es:VVMI_CMD_HEADER + vvmi_ring_header.head]
	mov dx, [es:VVMI_CMD_HEADER + vvmi_ring_header.tail]
	; Room before the end of the data? If not, a PAD record takes the rest,
	; which needs the tail not to be in it and not at 0 (one slot free).
	mov ax, VVMI_CMD_DATA_BYTES
	sub ax, bx
	cmp ax, cx
	jae .fits_here
	cmp dx, bx
	ja .full			; tail ahead of head: the end is not free
	cmp dx, 0
	je .full			; wrapping to 0 would make head == tail
	mov di, bx
	add di, VVMI_CMD_DATA
	mov [es:di + vvmi_record.length], ax
	mov word [es:di + vvmi_record.opcode], VVMI_CMD_PAD
	xor bx, bx
	mov [es:VVMI_CMD_HEADER + vvmi_ring_header.head], bx
.fits_here:
	call vvmi_ring_free
	cmp ax, cx
	jb .full
	mov di, bx
	add di, VVMI_CMD_DATA
	mov [es:di + vvmi_record.length], cx
	mov [es:di + vvmi_record.opcode], bp
	add di, vvmi_record_size
	push cx
	sub cx, vvmi_record_size
	cld
	rep movsb
	pop cx
	add bx, cx
	cmp bx, VVMI_CMD_DATA_BYTES
	jb .advance
	xor bx, bx
.advance:
	mov [es:VVMI_CMD_HEADER + vvmi_ring_header.head], bx
	pop bp
	pop es
	pop si
	pop di
	pop dx
	pop cx
	pop bx
	pop ax
	ret
.full:
	call vvmi_doorbell		; the host drains the ring, then we look again
	jmp .wait

vvmi_heap_write:
	push cx
	push di
	push si
	push es
	push ax
	mov ax, VVMI_REGION_SEGMENT
	mov es, ax
	pop ax
	cld
	rep movsb
	pop es
	pop si
	pop di
	pop cx
	ret

vvmi_heap_write_bios_font:
	push ax
	push bx
	push cx
	push bp
	push si
	push ds
	push es
	mov ax, 1130h			; the font's address: ES:BP
	mov bh, 03h			; the 8x8 font, characters 0-127
	int 10h
	push es
	pop ds
	mov si, bp
	mov cx, VVMI_BIOS_FONT_BYTES
	call vvmi_heap_write
	pop es
	pop ds
	pop si
	pop bp
	pop cx
	pop bx
	pop ax
	ret

vvmi_get_event:
	push bx
	push dx
	push si
	push di
	push ds
	push es
	mov ax, VVMI_REGION_SEGMENT
	mov es, ax
.again:
	mov bx, [es:VVMI_EVENT_HEADER + vvmi_ring_header.tail]
	cmp bx, [es:VVMI_EVENT_HEADER + vvmi_ring_header.head]
	je .none
	mov si, bx
	add si, VVMI_EVENT_DATA
	mov cx, [es:si + vvmi_record.length]
	mov ax, [es:si + vvmi_record.opcode]
	add bx, cx
	cmp bx, VVMI_EVENT_DATA_BYTES
	jb .keep
	xor bx, bx
.keep:
	cmp ax, VVMI_EVENT_PAD
	jne .event
	mov [es:VVMI_EVENT_HEADER + vvmi_ring_header.tail], bx
	jmp .again
.event:
	sub cx, vvmi_record_size
	cmp cx, VVMI_EVENT_MAX
	jbe .copy
	mov cx, VVMI_EVENT_MAX
.copy:
	add si, vvmi_record_size
	; DS:DI is the caller's buffer: copy from ES:SI by swapping segments.
	push ds
	push es
	pop ds
	pop es
	push cx
	cld
	rep movsb
	pop cx
	push es
	push ds
	pop es
	pop ds
	mov [es:VVMI_EVENT_HEADER + vvmi_ring_header.tail], bx
	clc
	jmp .out
.none:
	stc
.out:
	pop es
	pop ds
	pop di
	pop si
	pop dx
	pop bx
	ret

vvmi_wait_presented:
	call vvmi_doorbell
	call vvmi_get_event
	jc vvmi_wait_presented
	cmp ax, VVMI_EVENT_ERROR
	je .out
	cmp ax, VVMI_EVENT_PRESENTED
	jne vvmi_wait_presented
.out:
	ret

vvmi_exit_when_presented:
	mov di, vvmi_event_body
	call vvmi_wait_presented
	cmp ax, VVMI_EVENT_ERROR
	je .error
	mov ax, 4C00h
	int 21h
.error:
	mov dx, vvmi_error_message
	mov ah, 09h
	int 21h
	mov bx, vvmi_event_body
	mov cx, 2
.word:
	mov ax, [bx]
	push cx
	mov cx, 4
.digit:
	rol ax, 4
	push ax
	and al, 0Fh
	add al, '0'
	cmp al, '9'
	jbe .print
	add al, 'A' - '9' - 1
.print:
	mov dl, al
	mov ah, 02h
	int 21h
	pop ax
	loop .digit
	mov dl, ' '
	mov ah, 02h
	int 21h
	pop cx
	add bx, 2
	loop .word
	mov ax, 4C02h
	int 21h

section .data
vvmi_error_message: db 'VVMI error event (opcode, code): $'
section .bss
vvmi_event_body: resb VVMI_EVENT_MAX
section .text
