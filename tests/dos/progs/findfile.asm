; findfile.asm: finding files, 4Eh (first) and 4Fh (next).
;
; The order in which DOS returns a directory's entries is the implementation's: each
; search collects the names and prints them sorted. fixtures/findfile: FIND holds A.TXT,
; B.TXT, C.DAT, LONGNAME.TXT, README and the directory SUB (holding INNER.TXT).
; Searches: *.* (files only), *.* with the directory attribute (with SUB, and . and ..
; of a subdirectory), *.TXT, ?.TXT, *. (names without extension), a name in lower case,
; one exact name; no match (12h), a directory that does not exist (3); 4Fh after the
; last (12h). The DTA of an exact match: attribute and size.
	org 100h
%include "dos.inc"

%macro FIND 3			; pattern, attributes, label
	mov dx, %1
	mov cx, %2
	PRINT %3, ':'
	call find_all
%endmacro

start:
	mov ah, 1Ah
	mov dx, dta
	int 21h
	FIND p_all, 0, '*.* files'
	FIND p_all, 10h, '*.* with directories'
	FIND p_sub, 10h, 'SUB\*.* with directories'
	FIND p_txt, 0, '*.TXT'
	FIND p_one, 0, '?.TXT'
	FIND p_noext, 0, '*.'
	FIND p_lower, 0, 'lower case a?.txt'
	FIND p_exact, 0, 'LONGNAME.TXT'
	PRINT 'its attribute '
	HEX8 [dta + 15h]
	PRINT ' size '
	HEX16 [dta + 1Ch]
	HEX16 [dta + 1Ah]
	NEWLINE
	FIND p_none, 0, 'NOPE*.*'
	FIND p_nodir, 0, 'NODIR\*.*'
	mov ah, 4Fh
	int 21h
	RESULT '4F after the end'
	EXIT 0

; Finds every match of DS:DX with attributes CX, prints the sorted names, or the error.
find_all:
	mov word [count], 0
	mov ah, 4Eh
	int 21h
	jc .error
.store:	mov ax, [count]
	mov bx, 13
	mul bx
	mov di, names
	add di, ax
	mov si, dta + 1Eh
	mov cx, 13
	rep movsb
	inc word [count]
	mov ah, 4Fh
	int 21h
	jnc .store
	cmp ax, 12h
	jne .error
	call sort
	mov cx, [count]
	mov si, names
.print:	mov dl, ' '
	call print_char
	call print_asciz
	add si, 13
	loop .print
	NEWLINE
	ret
.error:	PRINT ' error '
	HEX16 ax
	NEWLINE
	ret

sort:				; bubble sort of count names of 13 bytes
	mov cx, [count]
	dec cx
	jle .done
.pass:	mov si, names
	mov bx, cx
	xor dx, dx		; swapped?
.inner:	mov di, si
	add di, 13
	push si
	push di
	push cx
	mov cx, 13
	repe cmpsb
	pop cx
	pop di
	pop si
	jbe .next
	push cx
	mov cx, 13
.swap:	mov al, [si]
	xchg al, [di]
	mov [si], al
	inc si
	inc di
	loop .swap
	sub si, 13
	pop cx
	inc dx
.next:	add si, 13
	dec bx
	jnz .inner
	test dx, dx
	jnz .pass
.done:	ret

p_all:	db 'FIND\*.*', 0
p_sub:	db 'FIND\SUB\*.*', 0
p_txt:	db 'FIND\*.TXT', 0
p_one:	db 'FIND\?.TXT', 0
p_noext: db 'FIND\*.', 0
p_lower: db 'find\a?.txt', 0
p_exact: db 'FIND\LONGNAME.TXT', 0
p_none:	db 'FIND\NOPE*.*', 0
p_nodir: db 'NODIR\*.*', 0
count:	dw 0
dta:	times 128 db 0
names:	times 13 * 32 db 0
