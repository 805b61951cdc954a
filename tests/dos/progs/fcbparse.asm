; fcbparse.asm: parsing a file name into an FCB, 29h.
;
; For each input and AL (bit 0: skip leading separators; 1: keep the FCB's drive, 2:
; its name, 3: its extension when the input has none), prints what 29h returned in AL
; (0 no wildcard, 1 wildcards, FFh bad drive), how many characters it consumed, and the
; FCB's drive byte and 11 name bytes (spaces shown as '_'). The FCB starts with drive
; 05h, name "PRESETNM" and extension "OLD" when a keep bit is tested, else zeros.
;
; Compared with expected/fcbparse.txt, MS-DOS 5's answers, as MS-DOS 4's MakeFcb
; (FCB.ASM) gives them: a name longer than 8 is read to its end ("we keep on reading!")
; and its extension parsed; a bad drive still goes into the drive byte (AL=FFh); ''
; ends a name; an empty input consumes nothing; the keep bits keep the drive, name and
; extension. DOSBox 0.74 gets these wrong (it stops after 8 characters, takes '' into
; the name, reads past the NUL of an empty input and blanks a kept name).
	org 100h
%include "dos.inc"

%macro PARSE 2			; AL, input
	mov al, %1
	mov si, %%text
	call parse
	jmp %%over
%%text:	db %2, 0
%%over:
%endmacro

start:
	PARSE 0, 'FOO.TXT'
	PARSE 0, 'c:bar.c'
	PARSE 0, '*.*'
	PARSE 0, 'a?b.*'
	PARSE 0, 'a*'
	PARSE 1, '  lead.x'
	PARSE 0, '  lead.x'
	PARSE 1, ',;sep.x'
	PARSE 0, 'TOOLONGNAME.EXTENSION rest'
	PARSE 0, 'q:nope'
	PARSE 0, ''
	PARSE 0, 'dir\file'
	PARSE 0, 'name.ext/switch'
	PARSE 0, 'one two'
	PARSE 2, 'abc'
	PARSE 4, '.xyz'
	PARSE 8, 'x'
	PARSE 0Eh, ''
	PARSE 0, 'A.B.C'
	PARSE 0, 'a"b'
	EXIT 0

parse:				; AL flags, DS:SI input
	mov bl, al
	PRINT '29 AL='
	HEX8 bl
	PRINT ' ['
	call print_asciz
	PRINT ']: '
	mov di, fcb		; a preset FCB when a keep bit is asked for
	mov cx, 37
	push si
	mov si, blank
	test bl, 0Eh
	jz .copy
	mov si, preset
.copy:	push cs
	pop es
	rep movsb
	pop si
	mov dx, si
	mov di, fcb
	mov al, bl
	mov ah, 29h
	int 21h
	PRINT 'AL='
	HEX8 al
	PRINT ' used '
	sub si, dx
	mov ax, si
	HEX8 al
	PRINT ' fcb '
	HEX8 [fcb]
	PRINT ' '
	mov si, fcb + 1
	mov cx, 11
.name:	mov dl, [si]
	cmp dl, ' '
	jne .c
	mov dl, '_'
.c:	call print_char
	inc si
	loop .name
	NEWLINE
	ret

preset:	db 5, 'PRESETNMOLD'
	times 25 db 0
blank:	times 37 db 0
fcb:	times 37 db 0
