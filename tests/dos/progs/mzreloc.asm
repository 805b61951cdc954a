; mzreloc.asm: an MZ .EXE written out in NASM, with segments the loader relocates.
; format: exe
;
; Three segments: code, a far procedure's, data (and the stack after it). Relocations
; fix up a MOV AX, seg; the segment word of a far CALL; the segment of a far pointer in
; the data; SS and CS come from the header, relocated by DOS. The program prints where
; it was loaded relative to its PSP (CS = PSP + 10h: loaded low, just after the PSP, as
; its maximum allocation is FFFFh), each relocated segment relative to CS (constants of
; the image), SP, that DS and ES are the PSP at entry, and calls the far procedure
; directly and through the pointer. Returns 3.
	bits 16

; The image's layout, fixed so that segments are constants NASM can compute with.
HEADER_SIZE equ 40h
CODE_SIZE equ 200h
FAR_SIZE equ 10h
DATA_SIZE equ 100h
FAR_SEG equ CODE_SIZE / 16
DATA_SEG equ (CODE_SIZE + FAR_SIZE) / 16
STACK_SEG equ (CODE_SIZE + FAR_SIZE + DATA_SIZE) / 16
FILE_SIZE equ HEADER_SIZE + CODE_SIZE + FAR_SIZE + DATA_SIZE

section header start=0
	db 'MZ'
	dw FILE_SIZE % 512		; bytes in the last page
	dw (FILE_SIZE + 511) / 512	; pages
	dw 3				; relocation count
	dw HEADER_SIZE / 16		; header paragraphs
%ifdef LOAD_HIGH
	dw 0, 0				; minimum and maximum allocation 0: load high
%else
	dw 20h				; minimum allocation: the stack
	dw 0FFFFh			; maximum allocation
%endif
	dw STACK_SEG			; SS
	dw 200h				; SP
	dw 0				; checksum
	dw start			; IP
	dw 0				; CS
	dw relocs			; relocation table
	dw 0				; overlay
relocs:
	dw fix_data + 1, 0		; mov ax, DATA_SEG
	dw fix_far + 3, 0		; call FAR_SEG:far_proc
	dw fptr + 2, DATA_SEG		; the far pointer's segment, in the data segment
	times HEADER_SIZE - ($ - $$) db 0

section code start=HEADER_SIZE vstart=0
start:
	mov bx, es			; the PSP
	mov cx, ds
fix_data:
	mov ax, DATA_SEG
	mov ds, ax
	mov [psp], bx
	mov [ds_entry], cx
	mov [cs_seg], cs
	mov dx, msg_hello
	call print
	mov dx, msg_cs
	call print
	mov ax, cs
	sub ax, [psp]
%ifdef LOAD_HIGH
	cmp ax, 1000h			; where depends on the free memory
	mov dx, msg_high
	ja .high
	mov dx, msg_low
.high:	call print
%else
	call hex16
%endif
	mov dx, msg_ds
	call print
	mov ax, ds
	sub ax, [cs_seg]
	call hex16
	mov dx, msg_ss
	call print
	mov ax, ss
	sub ax, [cs_seg]
	call hex16
	mov dx, msg_sp
	call print
	mov ax, sp
	call hex16
	mov dx, msg_es
	call print
	mov es, bx
	mov dx, msg_no
	cmp word [es:0], 20CDh		; ES is a PSP
	jne .y
	cmp bx, [ds_entry]		; and DS was the same
	jne .y
	mov dx, msg_yes
.y:	call print
fix_far:
	call FAR_SEG:far_proc
	mov dx, msg_far
	call print
	call hex16
	call far [fptr]
	mov dx, msg_ptr
	call print
	call hex16
	mov dx, msg_fseg
	call print
	mov ax, [fptr + 2]
	sub ax, [cs_seg]
	call hex16
	mov dx, msg_crlf
	call print
	mov ax, 4C03h
	int 21h

print:				; DS:DX a '$' string
	push ax
	mov ah, 09h
	int 21h
	pop ax
	ret

hex16:				; AX, then CR LF
	push ax
	push bx
	push cx
	push dx
	mov cx, 4
	mov bx, ax
.d:	rol bx, 1
	rol bx, 1
	rol bx, 1
	rol bx, 1
	mov dl, bl
	and dl, 0Fh
	add dl, '0'
	cmp dl, '9'
	jbe .p
	add dl, 7
.p:	mov ah, 02h
	int 21h
	loop .d
	pop dx
	pop cx
	pop bx
	pop ax
	ret

	times CODE_SIZE - ($ - $$) db 0

section farseg start=(HEADER_SIZE+CODE_SIZE) vstart=0
far_proc:
	mov ax, 1234h
	retf
	times FAR_SIZE - ($ - $$) db 0

section data start=(HEADER_SIZE+CODE_SIZE+FAR_SIZE) vstart=0
psp:	dw 0
ds_entry: dw 0
cs_seg:	dw 0
fptr:	dw far_proc, FAR_SEG
msg_hello: db 'MZ .EXE with relocations', 13, 10, '$'
msg_cs:	db 'CS - PSP: $'
msg_ds:	db 13, 10, 'DS - CS: $'
msg_ss:	db 13, 10, 'SS - CS: $'
msg_sp:	db 13, 10, 'SP: $'
msg_es:	db 13, 10, 'ES = DS = PSP at entry: $'
msg_yes: db 'yes', 13, 10, '$'
msg_high: db 'above 1000h$'
msg_low: db 'below 1000h$'
msg_no:	db 'no', 13, 10, '$'
msg_far: db 'far call: $'
msg_ptr: db 13, 10, 'far call through the pointer: $'
msg_fseg: db 13, 10, 'its segment - CS: $'
msg_crlf: db 13, 10, '$'
	times DATA_SIZE - ($ - $$) db 0
