; child.asm: a program that shows what DOS gave it; run by exec.asm, and alone.
; args: alpha beta
;
; Prints its command tail (length and text, and that a CR ends it), the names in FCB 1
; and 2 (filled from the first two arguments), whether its parent field names a PSP
; (one starting with INT 20h), whether COMSPEC and PATH are in its environment, the
; program name after the environment, and with a tail starting " env" every variable's
; name. Returns 2Ah.
	org 100h
%include "dos.inc"

start:
	PRINT 'child tail length: '
	HEX8 [80h]
	PRINT ' text: ['
	mov bl, [80h]
	xor bh, bh
	mov al, [81h + bx]
	mov byte [81h + bx], 0
	mov si, 81h
	call print_asciz
	PRINT '] then '
	HEX8 al
	NEWLINE
	PRINT 'FCB 1: ['
	mov si, 5Dh
	call print11
	PRINT '] FCB 2: ['
	mov si, 6Dh
	call print11
	PRINTLN ']'
	PRINT 'parent is a PSP: '
	mov es, [16h]
	cmp word [es:0], 20CDh
	je .psp
	PRINTLN 'no'
	jmp .env
.psp:	PRINTLN 'yes'

.env:	mov es, [2Ch]
	mov di, s_comspec
	call find_var
	PRINT 'COMSPEC: '
	call yes_no
	mov di, s_path
	call find_var
	PRINT 'PATH: '
	call yes_no
	cmp word [82h], 'en'
	jne .name
	cmp byte [84h], 'v'
	jne .name
	PRINT 'names:'
	xor si, si
.var:	cmp byte [es:si], 0
	je .name
	mov dl, ' '
	call print_char
.chr:	mov dl, [es:si]
	inc si
	cmp dl, '='
	je .skip
	call print_char
	jmp .chr
.skip:	cmp byte [es:si], 0
	je .next
	inc si
	jmp .skip
.next:	inc si
	jmp .var

.name:	NEWLINE
	xor si, si		; past the variables: NUL NUL, a word, the name
.end:	cmp word [es:si], 0
	je .found
	inc si
	jmp .end
.found:	PRINT 'strings after the environment: '
	HEX16 [es:si + 2]
	PRINT ' program: '
	add si, 4
.pn:	mov dl, [es:si]
	test dl, dl
	jz .done
	call print_char
	inc si
	jmp .pn
.done:	NEWLINE
	EXIT 2Ah

print11:			; 11 characters at DS:SI
	mov cx, 11
.c:	mov dl, [si]
	call print_char
	inc si
	loop .c
	ret

; ZF set when the environment at ES:0 has the variable named at DS:DI ("NAME=")
find_var:
	xor si, si
.var:	cmp byte [es:si], 0
	je .none
	push si
	push di
.cmp:	mov al, [di]
	test al, al
	jz .match
	cmp al, [es:si]
	jne .differ
	inc si
	inc di
	jmp .cmp
.match:	pop di
	pop si
	cmp al, al		; ZF set
	ret
.differ: pop di
	pop si
.skip:	cmp byte [es:si], 0
	je .next
	inc si
	jmp .skip
.next:	inc si
	jmp .var
.none:	or al, 1		; ZF clear
	ret

yes_no:	je .y
	PRINTLN 'no'
	ret
.y:	PRINTLN 'yes'
	ret

s_comspec: db 'COMSPEC=', 0
s_path:	db 'PATH=', 0
