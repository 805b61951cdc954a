; mcbbad.asm: the memory calls on a trashed arena.
;
; The program allocates blocks A, B and C, then overwrites the type byte of B's MCB
; (the paragraph before B) with 'X', and calls DOS, as MS-DOS 4's ALLOC.ASM answers:
; 48h walks the chain from its head and stops at B's MCB: 7 (memory control blocks
; destroyed), for any size; 49h of B finds no MCB before it: 9 (invalid block); 4Ah of
; B: 7; 4Ah of A, even to shrink it, first merges A with a free successor and so reads
; B's MCB: 7; 49h of A looks at A's MCB alone: it works. With B's MCB mended, 48h works
; again and every block frees.
;
; Compared with expected/mcbbad.txt, MS-DOS 5's answers: DOSBox 0.74 checks the chain
; its own way (see the difference this case prints on DOSBox).
	org 100h
%include "dos.inc"

start:
	mov ah, 4Ah
	mov bx, 1000h
	int 21h
	RESULT '4A own block to 1000h'
	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 A'
	mov [a], ax
	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 B'
	mov [b], ax
	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 C'
	mov [c], ax

	mov ax, [b]
	dec ax
	mov es, ax
	PRINT 'type of B', 27h, 's MCB: '
	mov dl, [es:0]
	mov [saved], dl
	call print_char
	NEWLINE
	mov byte [es:0], 'X'
	PRINTLN 'B', 27h, 's MCB type set to X'

	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 10h'
	mov ah, 48h
	mov bx, 0FFFFh
	int 21h
	RESULT '48 FFFFh'
	mov ah, 49h
	mov es, [b]
	int 21h
	RESULT '49 B'
	mov ah, 4Ah
	mov es, [b]
	mov bx, 8
	int 21h
	RESULT '4A B to 8'
	mov ah, 4Ah
	mov es, [a]
	mov bx, 8
	int 21h
	RESULT '4A A to 8'
	mov ah, 49h
	mov es, [a]
	int 21h
	RESULT '49 A'

	mov ax, [b]
	dec ax
	mov es, ax
	mov dl, [saved]
	mov [es:0], dl
	PRINTLN 'B', 27h, 's MCB mended'
	mov ah, 48h
	mov bx, 10h
	int 21h
	RESULT '48 10h'
	mov es, ax
	mov ah, 49h
	int 21h
	RESULT '49 it'
	mov ah, 49h
	mov es, [b]
	int 21h
	RESULT '49 B'
	mov ah, 49h
	mov es, [c]
	int 21h
	RESULT '49 C'
	EXIT 0

a:	dw 0
b:	dw 0
c:	dw 0
saved:	db 0
