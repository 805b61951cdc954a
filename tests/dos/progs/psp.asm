; psp.asm: the program segment prefix, 50h, 51h and 62h, and its fields.
; args: hello world
;
; 62h and 51h give the PSP, which for a .COM is CS. Its fields: INT 20h at 0, the
; segment past the program's memory at 2 (above the PSP), the terminate, Ctrl-C and
; critical-error addresses at 0Ah-15h (those of INT 22h-24h, which DOS sets to them),
; the parent at 16h (a PSP), the handle table at 18h (stdin and stderr share one system
; file table entry, CON's; stdout is redirected on DOSBox, so it is left out; handle 5
; is free, FFh),
; its size at 32h (20) and pointer at 34h (PSP:0018), the environment at 2Ch, INT 21h
; RETF at 50h, the command tail at 80h. (The far call to DOS at 5 is in dosdiff.asm:
; DOSBox 0.74 puts a far jump there.) 50h sets the current PSP and 51h reads it back.
	org 100h
%include "dos.inc"

start:
	mov ah, 62h
	int 21h
	PRINT '62 = CS: '
	mov ax, cs
	cmp bx, ax
	call yes_no_e
	mov ah, 51h
	int 21h
	PRINT '51 = CS: '
	mov ax, cs
	cmp bx, ax
	call yes_no_e
	PRINT '00: '
	HEX16 [0]
	NEWLINE
	PRINT '02 above the PSP: '
	mov ax, [2]
	mov dx, cs
	cmp ax, dx
	call yes_no_a
	xor ax, ax
	mov es, ax
	PRINT '0A = INT 22h: '
	mov ax, [0Ah]
	cmp ax, [es:22h * 4]
	jne .n22
	mov ax, [0Ch]
	cmp ax, [es:22h * 4 + 2]
.n22:	call yes_no_e
	PRINT '0E = INT 23h: '
	mov ax, [0Eh]
	cmp ax, [es:23h * 4]
	jne .n23
	mov ax, [10h]
	cmp ax, [es:23h * 4 + 2]
.n23:	call yes_no_e
	PRINT '12 = INT 24h: '
	mov ax, [12h]
	cmp ax, [es:24h * 4]
	jne .n24
	mov ax, [14h]
	cmp ax, [es:24h * 4 + 2]
.n24:	call yes_no_e
	PRINT '16 is a PSP: '
	mov es, [16h]
	cmp word [es:0], 20CDh
	call yes_no_e
	PRINT '18 handles 0 = 2: '
	mov al, [18h]
	cmp al, [1Ah]
	call yes_no_e
	PRINT '18 handle 5: '
	HEX8 [1Dh]
	NEWLINE
	PRINT '2C nonzero: '
	cmp word [2Ch], 0
	call yes_no_ne
	PRINT '32: '
	HEX16 [32h]
	NEWLINE
	PRINT '34 = PSP:0018: '
	cmp word [34h], 18h
	jne .n34
	mov ax, [36h]
	mov dx, cs
	cmp ax, dx
.n34:	call yes_no_e
	PRINT '50: '
	HEX8 [50h]
	HEX8 [51h]
	HEX8 [52h]
	NEWLINE
	PRINT '80: '
	HEX8 [80h]
	PRINT ' ['
	mov bl, [80h]
	xor bh, bh
	mov byte [81h + bx], 0
	mov si, 81h
	call print_asciz
	PRINTLN ']'

	mov ah, 50h
	mov bx, 1234h
	int 21h
	mov ah, 51h
	int 21h
	mov dx, bx
	mov ah, 50h
	mov bx, cs
	int 21h
	PRINT '50 1234h then 51: '
	HEX16 dx
	NEWLINE
	mov ah, 62h
	int 21h
	PRINT '50 back, 62 = CS: '
	mov ax, cs
	cmp bx, ax
	call yes_no_e
	EXIT 0

yes_no_a:
	ja yes
	jmp no
yes_no_ne:
	jne yes
	jmp no
yes_no_e:
	je yes
no:	PRINTLN 'no'
	ret
yes:	PRINTLN 'yes'
	ret
