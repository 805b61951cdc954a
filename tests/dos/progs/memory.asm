; memory.asm: memory blocks, 48h (allocate), 49h (free), 4Ah (resize), 58h (strategy).
;
; Only relative facts are printed, never segments or sizes of free memory. A .COM owns
; all memory; it shrinks its block to 1000h paragraphs first. Two blocks of 100h are
; adjacent (the second 101h above the first: a block and its MCB). A freed block is
; found again by first fit. A block grows into the free space above it, and cannot
; grow past the free memory (8, BX = the most it can have, at least its size). With
; last fit (5801h BX=2) a block comes from the top of memory, above the others. Freeing
; what is not a block gives 9. Asking for FFFFh paragraphs gives 8 and the largest
; free block, the same before and after the test.
	org 100h
%include "dos.inc"

start:
	mov ah, 4Ah
	mov bx, 1000h
	push cs
	pop es
	int 21h
	RESULT '4A own block to 1000h'
	mov ah, 48h
	mov bx, 0FFFFh
	int 21h
	RESULT '48 FFFFh'
	mov [largest], bx
	PRINT 'largest > 1000h: '
	cmp bx, 1000h
	call yes_no_a
	mov ah, 48h
	mov bx, 100h
	int 21h
	RESULT '48 100h (A)'
	mov [a], ax
	mov ah, 48h
	mov bx, 100h
	int 21h
	RESULT '48 100h (B)'
	mov [b], ax
	PRINT 'B - A: '
	sub ax, [a]
	HEX16 ax
	NEWLINE
	PRINT 'A above the program: '
	mov ax, [a]
	mov dx, cs
	cmp ax, dx
	call yes_no_a

	mov ah, 49h
	mov es, [a]
	int 21h
	RESULT '49 A'
	mov ah, 48h
	mov bx, 80h
	int 21h
	RESULT '48 80h'
	PRINT 'where A was: '
	cmp ax, [a]
	call yes_no_e
	mov [a], ax

	mov ah, 4Ah
	mov es, [b]
	mov bx, 200h
	int 21h
	RESULT '4A B to 200h'
	mov ah, 4Ah
	mov es, [b]
	mov bx, 0FFFFh
	int 21h
	RESULT '4A B to FFFFh'
	PRINT 'most B can have >= 200h: '
	cmp bx, 200h
	call yes_no_ae
	mov ah, 4Ah
	mov es, [b]
	mov bx, 10h
	int 21h
	RESULT '4A B to 10h'

	mov ax, 5800h
	int 21h
	PRINT '5800: '
	HEX16 ax
	NEWLINE
	mov ax, 5801h
	mov bx, 2
	int 21h
	RESULT '5801 last fit'
	mov ax, 5800h
	int 21h
	PRINT '5800: '
	HEX16 ax
	NEWLINE
	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 10h (C)'
	mov [c], ax
	PRINT 'C above B: '
	cmp ax, [b]
	call yes_no_a
	mov ax, 5801h
	mov bx, 0
	int 21h
	RESULT '5801 first fit'
	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 10h (D)'
	mov [d], ax
	PRINT 'D below B: '
	cmp ax, [b]
	call yes_no_b

	mov ah, 49h
	mov ax, cs
	add ax, 800h		; inside the program's block, no MCB there
	mov es, ax
	mov ah, 49h
	int 21h
	RESULT '49 not a block'
	mov ah, 49h
	mov es, [c]
	int 21h
	RESULT '49 C'
	mov ah, 49h
	mov es, [d]
	int 21h
	RESULT '49 D'
	mov ah, 49h
	mov es, [b]
	int 21h
	RESULT '49 B'
	mov ah, 49h
	mov es, [a]
	int 21h
	RESULT '49 A'
	mov ah, 48h
	mov bx, 0FFFFh
	int 21h
	RESULT '48 FFFFh'
	PRINT 'largest as at the start: '
	cmp bx, [largest]
	call yes_no_e
	EXIT 0

yes_no_a:
	ja yes
	jmp no
yes_no_ae:
	jae yes
	jmp no
yes_no_b:
	jb yes
	jmp no
yes_no_e:
	je yes
no:	PRINTLN 'no'
	ret
yes:	PRINTLN 'yes'
	ret

largest: dw 0
a:	dw 0
b:	dw 0
c:	dw 0
d:	dw 0
