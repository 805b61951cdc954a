; aliases.asm: host file names that are not DOS names, as a DOS program sees them.
;
; fixtures/aliases holds lower.txt, Mixed.Txt, longfilename.txt and UPPER.TXT. A host
; name that is a DOS name in another case is that DOS name (LOWER.TXT, MIXED.TXT); a
; long one gets an alias, whose spelling is the implementation's (DOSBox and mvm make
; different ones) and is not printed: the program finds every file (4Eh/4Fh, *.TXT),
; checks that each name is a DOS 8.3 name in upper case, opens it by that name and
; prints what it holds, sorted. It opens lower.txt as LOWER.TXT and as lower.txt, and
; creates NewFile.Txt, which DOS makes NEWFILE.TXT (the drives are compared without
; regard to case).
	org 100h
%include "dos.inc"

start:
	mov ah, 1Ah
	mov dx, dta
	int 21h
	mov word [count], 0
	mov ah, 4Eh
	xor cx, cx
	mov dx, s_all
	int 21h
	jc .done
.found:	call check_name
	call read_it
	mov ah, 4Fh
	int 21h
	jnc .found
.done:	PRINT 'files: '
	HEX16 [count]
	NEWLINE
	call sort
	mov cx, [count]
	mov si, texts
.show:	PRINT 'holds: '
	call print_asciz
	NEWLINE
	add si, 16
	loop .show
	mov ax, 3D00h
	mov dx, s_upper_lower
	int 21h
	RESULT '3D LOWER.TXT'
	mov ax, 3D00h
	mov dx, s_lower
	int 21h
	RESULT '3D lower.txt'
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_new
	int 21h
	RESULT '3C NewFile.Txt'
	mov bx, ax
	mov ah, 3Eh
	int 21h
	mov ah, 4Eh
	xor cx, cx
	mov dx, s_newup
	int 21h
	PRINT '4E NEWFILE.TXT: '
	jc .nf
	mov si, dta + 1Eh
	call print_asciz
	NEWLINE
	jmp .out
.nf:	call print_result
.out:	EXIT 0

check_name:			; the name in the DTA: 1-8 characters, a dot, 1-3, upper case
	mov si, dta + 1Eh
	xor cx, cx
.base:	lodsb
	cmp al, '.'
	je .ext
	test al, al
	jz .short
	call bad_char
	jc .bad
	inc cx
	jmp .base
.ext:	cmp cx, 1
	jb .bad
	cmp cx, 8
	ja .bad
	xor cx, cx
.e:	lodsb
	test al, al
	jz .end
	call bad_char
	jc .bad
	inc cx
	jmp .e
.end:	cmp cx, 3
	ja .bad
.short:	ret
.bad:	PRINT 'not a DOS name: '
	mov si, dta + 1Eh
	call print_asciz
	NEWLINE
	ret

bad_char:			; CF set for a lower-case letter, a space or a dot
	cmp al, 'a'
	jb .other
	cmp al, 'z'
	jbe .bad
.other:	cmp al, ' '
	je .bad
	clc
	ret
.bad:	stc
	ret

read_it:			; the first line of the file named in the DTA into texts[count]
	mov ax, 3D00h
	mov dx, dta + 1Eh
	int 21h
	jc .err
	mov bx, ax
	mov ax, [count]
	mov cl, 4
	shl ax, cl
	add ax, texts
	mov dx, ax
	mov di, ax
	mov ah, 3Fh
	mov cx, 15
	int 21h
	mov ah, 3Eh
	int 21h
.cut:	cmp byte [di], 13	; to the CR
	je .z
	cmp byte [di], 0
	je .z
	inc di
	jmp .cut
.z:	mov byte [di], 0
	inc word [count]
	ret
.err:	PRINT 'cannot open '
	mov si, dta + 1Eh
	call print_asciz
	NEWLINE
	ret

sort:				; bubble sort of count texts of 16 bytes
	mov cx, [count]
	dec cx
	jle .done
.pass:	mov si, texts
	mov bx, cx
	xor dx, dx
.inner:	mov di, si
	add di, 16
	push si
	push di
	push cx
	mov cx, 16
	repe cmpsb
	pop cx
	pop di
	pop si
	jbe .next
	push cx
	mov cx, 16
.swap:	mov al, [si]
	xchg al, [di]
	mov [si], al
	inc si
	inc di
	loop .swap
	sub si, 16
	pop cx
	inc dx
.next:	add si, 16
	dec bx
	jnz .inner
	test dx, dx
	jnz .pass
.done:	ret

s_all:	db '*.TXT', 0
s_upper_lower: db 'LOWER.TXT', 0
s_lower: db 'lower.txt', 0
s_new:	db 'NewFile.Txt', 0
s_newup: db 'NEWFILE.TXT', 0
count:	dw 0
dta:	times 128 db 0
texts:	times 16 * 16 db 0
