; tsrkid.asm: the child of tsr.asm: ends by its tail's choice. Prints nothing.
;
; " k": 31h, keep 10h paragraphs resident, code 07h; " c": 4Ch with code 03h;
; " i": INT 20h; " 0": 00h (terminate, CS = the PSP).
	org 100h
	mov al, [82h]
	cmp al, 'k'
	je .keep
	cmp al, 'c'
	je .code
	cmp al, 'i'
	je .int20
	mov ah, 00h
	int 21h
.int20:	int 20h
.code:	mov ax, 4C03h
	int 21h
.keep:	mov ax, 3107h
	mov dx, 10h
	int 21h
