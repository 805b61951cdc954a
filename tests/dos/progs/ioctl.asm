; ioctl.asm: IOCTL, 44h: device information (00h, 01h), input and output status (06h,
; 07h), removable media (08h), the logical drive map (0Eh).
;
; Handle 0 is the console (stdin is not redirected in this test); CON, NUL and a file
; opened by name. The device information word (DX of 4400h): CON 80D3h (device, stdin,
; stdout, special, not at end of input, IOCTL), NUL 8084h, a written file its drive
; number (2 for C:). 4401h sets raw mode (20h) on CON; setting DH nonzero gives 0Dh
; (invalid data). (Reading the raw bit back, and the 40h of a file not yet written, are
; in dosdiff.asm: DOSBox 0.74 keeps neither.) 4406h on a file: FFh before its end, 00h
; at the end; 4407h on a file: FFh. 4408h: C: is fixed (1); 440Eh: C: has one letter
; (AL=0). Handle 99 and drive 25: errors 6 and 15.
; fixtures/ioctl: DATA.TXT (4 bytes).
	org 100h
%include "dos.inc"

%macro INFO 2			; handle register/constant, label
	mov ax, 4400h
	mov bx, %1
	int 21h
	PRINT %2, ': '
	jc %%err
	HEX16 dx
	NEWLINE
	jmp %%done
%%err:	call print_result
%%done:
%endmacro

%macro STATUS 3			; AL, handle, label
	mov ax, 4400h | %1
	mov bx, %2
	int 21h
	PRINT %3, ': '
	jc %%err
	HEX8 al
	NEWLINE
	jmp %%done
%%err:	call print_result
%%done:
%endmacro

start:
	INFO 0, '4400 handle 0'
	mov ax, 3D02h
	mov dx, s_con
	int 21h
	RESULT '3D CON'
	mov [hcon], ax
	INFO [hcon], '4400 CON'
	mov ax, 4401h
	mov bx, [hcon]
	mov dx, 00F3h
	int 21h
	RESULT '4401 CON raw'
	mov ax, 4401h
	mov bx, [hcon]
	mov dx, 00D3h
	int 21h
	RESULT '4401 CON cooked'
	mov ax, 4401h
	mov bx, [hcon]
	mov dx, 01D3h
	int 21h
	RESULT '4401 CON DH=1'
	STATUS 7, [hcon], '4407 CON'

	mov ax, 3D02h
	mov dx, s_nul
	int 21h
	RESULT '3D NUL'
	mov [hnul], ax
	INFO [hnul], '4400 NUL'
	STATUS 7, [hnul], '4407 NUL'

	mov ax, 3D02h
	mov dx, s_data
	int 21h
	RESULT '3D DATA.TXT'
	mov [hfile], ax
	STATUS 6, [hfile], '4406 DATA.TXT at 0'
	STATUS 7, [hfile], '4407 DATA.TXT'
	mov ax, 4202h
	mov bx, [hfile]
	xor cx, cx
	xor dx, dx
	int 21h
	STATUS 6, [hfile], '4406 DATA.TXT at the end'
	mov ah, 40h
	mov bx, [hfile]
	mov cx, 2
	mov dx, s_crlf
	int 21h
	INFO [hfile], '4400 DATA.TXT written'

	mov ax, 4408h
	mov bl, 3
	int 21h
	RESULT_AX '4408 C:'
	mov ax, 4408h
	mov bl, 0
	int 21h
	RESULT_AX '4408 default'
	mov ax, 4408h
	mov bl, 25
	int 21h
	RESULT '4408 Y:'
	mov ax, 440Eh
	mov bl, 3
	int 21h
	PRINT '440E C: '
	jc .err
	HEX8 al
	NEWLINE
	jmp .h99
.err:	call print_result
.h99:	INFO 99, '4400 handle 99'
	EXIT 0

s_con:	db 'CON', 0
s_nul:	db 'NUL', 0
s_data:	db 'DATA.TXT', 0
s_crlf:	db 13, 10
hcon:	dw 0
hnul:	dw 0
hfile:	dw 0
