; lol.asm: the list of lists, 52h, and the memory arena it leads to.
;
; Sanity only (the layout of DOS's tables is the implementation's): the word before
; ES:BX is the first MCB, whose type is 'M'; walking the chain (segment + size + 1)
; passes only 'M' blocks and ends with a 'Z'; one of the blocks belongs to this program
; (its owner is the PSP, and it starts right after the MCB, at the PSP). The pointer to
; the system file tables (ES:BX+4) is not FFFF:FFFF. (DOSBox 0.74 has no DPBs: their
; pointer at ES:BX+0 is not checked.)
	org 100h
%include "dos.inc"

start:
	mov ah, 52h
	int 21h
	mov ax, [es:bx - 2]
	mov [first], ax
	PRINT 'SFT pointer set: '
	mov ax, [es:bx + 4]
	and ax, [es:bx + 6]
	cmp ax, 0FFFFh
	call yes_no_ne
	mov es, [first]
	PRINT 'first MCB type: '
	mov dl, [es:0]
	call print_char
	NEWLINE
	xor cx, cx		; blocks
	xor bp, bp		; ours found
.walk:	inc cx
	mov al, [es:0]
	cmp al, 'M'
	je .ok
	cmp al, 'Z'
	je .last
	PRINT 'bad MCB type '
	HEX8 al
	NEWLINE
	jmp .out
.ok:	call ours
	mov ax, es
	add ax, [es:3]
	inc ax
	mov es, ax
	cmp cx, 1000
	jb .walk
	PRINTLN 'chain does not end'
	jmp .out
.last:	call ours
	PRINTLN 'chain ends with Z: yes'
	PRINT 'more than one block: '
	cmp cx, 1
	call yes_no_a
	PRINT 'our block found: '
	cmp bp, 0
	call yes_no_ne
.out:	EXIT 0

ours:				; BP=1 when ES is the MCB of this program's PSP
	mov ax, cs
	cmp [es:1], ax
	jne .no
	mov dx, es
	inc dx
	cmp dx, ax
	jne .no
	mov bp, 1
.no:	ret

yes_no_a:
	ja yes
	jmp no
yes_no_ne:
	jne yes
no:	PRINTLN 'no'
	ret
yes:	PRINTLN 'yes'
	ret

first:	dw 0
