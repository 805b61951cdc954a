; vvmi_cdecl.asm: the VVMI client library's routines under C's names and calling convention, for DOS programs in bcc C.
;
; Assembled with `nasm -f as86` into an object that ld86 links with bcc's (-Md, a .COM
; with separate code and data). It includes vvmi_client.asm itself, so C and NASM
; programs run the same ring code; guestdrv/dos/vvmi.h declares these for C.
;
; bcc's convention: arguments pushed right to left, a word each, the caller pops them;
; the result in AX; a routine keeps BP, SI and DI (and this library every segment
; register). DS = SS is the program's data segment, so C's pointers are DS offsets, as
; the library's routines take them.
	bits 16
	section .text

%include "vvmi.inc"
%include "vvmi_client.asm"

ARG1 equ 4				; [bp + ARG1] after push bp / mov bp, sp
ARG2 equ 6
ARG3 equ 8

; int vvmi_open(void): 0, or -1 without VVMI.
	global _vvmi_open
_vvmi_open:
	call vvmi_open
	sbb ax, ax
	ret

; void vvmi_put(unsigned opcode, void *body, unsigned len)
	global _vvmi_put
_vvmi_put:
	push bp
	mov bp, sp
	push si
	mov ax, [bp + ARG1]
	mov si, [bp + ARG2]
	mov cx, [bp + ARG3]
	call vvmi_put
	pop si
	pop bp
	ret

; void vvmi_doorbell(void)
	global _vvmi_doorbell
_vvmi_doorbell:
	jmp vvmi_doorbell

; void vvmi_heap_write(unsigned offset, void *bytes, unsigned count)
	global _vvmi_heap_write
_vvmi_heap_write:
	push bp
	mov bp, sp
	push si
	push di
	mov di, [bp + ARG1]
	mov si, [bp + ARG2]
	mov cx, [bp + ARG3]
	call vvmi_heap_write
	pop di
	pop si
	pop bp
	ret

; void vvmi_heap_write_bios_font(unsigned offset)
	global _vvmi_heap_write_bios_font
_vvmi_heap_write_bios_font:
	push bp
	mov bp, sp
	push di
	mov di, [bp + ARG1]
	call vvmi_heap_write_bios_font
	pop di
	pop bp
	ret

; int vvmi_get_event(void *body): the event's type, or -1 when none waits.
	global _vvmi_get_event
_vvmi_get_event:
	push bp
	mov bp, sp
	push di
	mov di, [bp + ARG1]
	call vvmi_get_event
	jnc .got
	mov ax, -1
.got:
	pop di
	pop bp
	ret

; int vvmi_wait_presented(void *body): VVMI_EVENT_PRESENTED or VVMI_EVENT_ERROR.
	global _vvmi_wait_presented
_vvmi_wait_presented:
	push bp
	mov bp, sp
	push di
	mov di, [bp + ARG1]
	call vvmi_wait_presented
	pop di
	pop bp
	ret
