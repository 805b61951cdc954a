; doskrnl.asm: the guest part of doskrnl, mvm's DOS kernel.
;
; An option ROM SeaBIOS runs from fw_cfg (genroms/doskrnl.rom). Its PnP header
; names a bootstrap entry (BEV): with no disk to boot, SeaBIOS boots it. The
; BEV copies the resident part to 0070:0000, where IO.SYS sits on a real
; machine, and jumps there; the resident part points the DOS vectors at
; itself and hands over to the host (SVC DK_SVC_BOOT), which builds DOS's
; tables and starts the program. From then on each int 21h is an SVC the
; host serves. When the host needs the guest's BIOS (the screen, the
; keyboard), it runs one of the actions below on the resident stack and
; resumes when the action's SVC comes back.
bits 16
cpu 386
%include "abi.inc"

section rom start=0 vstart=0
rom_start:
	db 0x55, 0xAA
	db 0			; size in 512-byte blocks: rom_fixup.py
	jmp short rom_init	; the init vector at offset 3
	times 0x1A-($-$$) db 0
	dw pnp_header

	align 16
pnp_header:
	db '$PnP'
	db 1			; revision
	db 2			; length in 16-byte units
	dw 0			; next header
	db 0
	db 0			; checksum: rom_fixup.py
	dd 0			; device identifier
	dw 0			; manufacturer string
	dw product_name
	db 0, 0, 0		; device type code
	db 0			; device indicators
	dw 0			; boot connection vector
	dw 0			; disconnect vector
	dw rom_boot		; bootstrap entry vector
	dw 0
	dw 0			; static resource information

product_name:
	db 'mvm doskrnl', 0

rom_init:
	xor ax, ax
	retf

rom_boot:
	cli
	cld
	mov ax, cs
	mov ds, ax
	mov si, section.resident.start
	mov ax, DK_RESIDENT_SEGMENT
	mov es, ax
	xor di, di
	mov cx, resident_image_end
	rep movsb
	jmp DK_RESIDENT_SEGMENT:dk_init

section resident follows=rom vstart=0
	dw 0x4B44		; "DK"
	dw DK_ABI_VERSION
	dw resident_end
	dw int21_ret
	dw act_con_out
	dw act_kbd_wait
	dw act_kbd_poll
	dw act_exit
	dw transfer_buffer
	dw stack_top
	dw device_retf
	dw int22_default

; vector, handler
vectors:
	db 0x20
	dw int20
	db 0x21
	dw int21
	db 0x22
	dw int22_default
	db 0x23
	dw int23
	db 0x24
	dw int24
	db 0x25
	dw int25_26
	db 0x26
	dw int25_26
	db 0x27
	dw int27
	db 0x28
	dw int28
	db 0x29
	dw int29
	db 0x2A
	dw int28
	db 0x2F
	dw int2f
vectors_end:

dk_init:
	mov ax, cs
	mov ds, ax
	mov ss, ax
	mov sp, stack_top
	xor ax, ax
	mov es, ax
	mov si, vectors
.vector:
	xor bx, bx
	mov bl, [si]
	shl bx, 2
	mov ax, [si + 1]
	mov [es:bx], ax
	mov [es:bx + 2], cs
	add si, 3
	cmp si, vectors_end
	jb .vector
	sti
	; A clean screen for the program, the cursor at the top left, as DOS
	; leaves it once it has booted.
	mov ax, 0x0600
	mov bh, 0x07
	xor cx, cx
	mov dx, 0x184F
	int 0x10
	mov ah, 0x02
	xor bh, bh
	xor dx, dx
	int 0x10
	svc DK_SVC_BOOT
	; The host starts the program and does not come back unless it failed
	; before it could report (it ends the VM itself otherwise).
.dead:
	cli
	hlt
	jmp .dead

int20:
	svc DK_SVC_INT20
	iret

int21:
	svc DK_SVC_INT21
int21_ret:
	iret

; Absolute disk access: the drives are host directories, so the host fails
; it; int 25h/26h return with the flags still on the stack.
int25_26:
	svc DK_SVC_DISK
	retf

int27:
	svc DK_SVC_INT27
	iret

; Idle (28h) and network (2Ah) calls, nobody to tell; Ctrl-Break (23h):
; carry on; multiplex (2Fh): nothing installed answers.
int28:
int23:
int2f:
	iret

; Critical error: fail the call.
int24:
	mov al, 3
	iret

; Fast console output, as DOS's CON driver does it: BIOS teletype.
int29:
	push ax
	push bx
	mov ah, 0x0E
	mov bx, 0x0007
	int 0x10
	pop bx
	pop ax
	iret

; A terminate address nobody set: end the program.
int22_default:
	mov ax, 0x4C00
	int 0x21

; Actions the host runs in the guest, on the resident stack.
act_con_out:
	lodsb
	int 0x29
	loop act_con_out
	svc DK_SVC_RESUME

act_kbd_wait:
	xor ah, ah
	int 0x16
	svc DK_SVC_RESUME

act_kbd_poll:
	mov ah, 0x01
	int 0x16
	mov bx, 0
	jz .none
	xor ah, ah
	int 0x16
	mov bx, 1
.none:
	svc DK_SVC_RESUME

act_exit:
	svc SVC_EXIT
	cli
	hlt

device_retf:
	retf

transfer_buffer:
	times DK_BUFFER_SIZE db 0
resident_image_end:

; Not copied: the stack the actions (and the BIOS calls they make) run on.
	align 16
	times 2048 db 0
stack_top:
resident_end:
