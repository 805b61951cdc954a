; extopen.asm: extended open and create, 6Ch.
;
; DX's action: low nibble what to do when the file exists (0 fail, 1 open, 2 replace),
; high nibble when it does not (0 fail, 1 create). CX returns the action taken: 1
; opened, 2 created, 3 replaced. Errors: exists with "fail" 80 (file exists), missing
; with "fail" 2, a missing directory 3. An action of 0 (fail either way) is invalid (1).
; (A bad access mode in BL: 12 on MS-DOS, 5 on DOSBox 0.74: in dosdiff.asm.)
; Left on the drive: EXT.TXT (replaced: 3 bytes).
	org 100h
%include "dos.inc"

%macro XOPEN 4			; BX mode, DX action, name, label
	mov ax, 6C00h
	mov bx, %1
	xor cx, cx
	mov dx, %2
	mov si, %3
	int 21h
	PRINT %4, ': '
	jc %%err
	PRINT 'ok action '
	HEX16 cx
	NEWLINE
	mov bx, ax
	mov ah, 40h
	mov cx, 3
	mov dx, %3
	int 21h
	mov ah, 3Eh
	int 21h
	jmp %%done
%%err:	call print_result
%%done:
%endmacro

start:
	XOPEN 2, 01h, s_ext, '6C open, missing'
	XOPEN 2, 10h, s_ext, '6C create, missing'
	XOPEN 2, 10h, s_ext, '6C create, exists'
	XOPEN 2, 11h, s_ext, '6C open or create, exists'
	XOPEN 2, 12h, s_ext, '6C replace or create, exists'
	XOPEN 2, 11h, s_new, '6C open or create, missing'
	XOPEN 2, 02h, s_new, '6C replace, exists'
	XOPEN 2, 00h, s_new, '6C action 0'
	XOPEN 2, 01h, s_nodir, '6C open, no directory'
	mov ah, 41h
	mov dx, s_new
	int 21h
	RESULT '41 NEW.TXT'
	EXIT 0

s_ext:	db 'EXT.TXT', 0
s_new:	db 'NEW.TXT', 0
s_nodir: db 'NODIR\X.TXT', 0
