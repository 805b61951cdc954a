; handles.asm: files by handle, 3Ch-42h: create, open, close, read, write, seek, delete.
;
; The first handle a program gets is 5 (0-4 are the standard devices). Access modes:
; a file opened for reading cannot be written and one opened for writing cannot be read
; (5). Seeks: from the start, from the current position, from the end (negative offsets
; included), past the end (a write there extends the file). A write of 0 bytes truncates
; the file at the position. Closing a closed handle: 6. Missing file: 2, missing
; directory: 3. Left on the drive: DATA.BIN (21 bytes, a hole of zeros in the middle).
; Where DOSBox 0.74 differs from MS-DOS (access mode 3, seek method 3, a seek before the
; start of the file) is in dosdiff.asm; read-only files are in readonly.asm.
	org 100h
%include "dos.inc"

%macro SEEK 3			; method, CX:DX offset (32-bit constant), label
	mov ax, 4200h | %1
	mov bx, [h]
	mov cx, ((%2) >> 16) & 0FFFFh
	mov dx, (%2) & 0FFFFh
	int 21h
	PRINT %3, ': '
	jc %%err
	HEX16 dx
	HEX16 ax
	NEWLINE
	jmp %%done
%%err:	call print_result
%%done:
%endmacro

start:
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_data
	int 21h
	RESULT_AX '3C DATA.BIN'
	mov [h], ax
	mov ah, 40h
	mov bx, [h]
	mov cx, 10
	mov dx, digits
	int 21h
	RESULT_AX '40 10 bytes'
	SEEK 2, 0, '42 end+0'
	SEEK 0, 3, '42 start+3'
	call read4
	SEEK 1, -2, '42 current-2'
	call read4
	SEEK 0, 20, '42 start+20 (past the end)'
	mov ah, 40h
	mov bx, [h]
	mov cx, 1
	mov dx, s_x
	int 21h
	RESULT_AX '40 1 byte there'
	SEEK 2, 0, '42 end+0'
	SEEK 2, -3, '42 end-3'
	call read4
	SEEK 0, 30, '42 start+30'
	call read4
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	RESULT '3E'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	RESULT '3E again'

	mov ax, 3D00h
	mov dx, s_data
	int 21h
	RESULT_AX '3D read-only access'
	mov [h], ax
	mov ah, 40h
	mov bx, [h]
	mov cx, 1
	mov dx, s_x
	int 21h
	RESULT '40 on it'
	call read4
	call close
	mov ax, 3D01h
	mov dx, s_data
	int 21h
	RESULT_AX '3D write-only access'
	mov [h], ax
	call read4
	call close
	mov ax, 3D02h
	mov dx, s_data
	int 21h
	RESULT_AX '3D read-write'
	mov [h], ax
	call read4
	SEEK 2, 0, '42 end+0'
	call read4

	mov ah, 3Ch
	xor cx, cx
	mov dx, s_trunc
	int 21h
	RESULT_AX '3C TRUNC.BIN'
	mov [h2], ax
	mov ah, 40h
	mov bx, [h2]
	mov cx, 10
	mov dx, digits
	int 21h
	mov ax, 4200h
	mov bx, [h2]
	xor cx, cx
	mov dx, 4
	int 21h
	mov ah, 40h
	mov bx, [h2]
	xor cx, cx
	int 21h
	RESULT_AX '40 0 bytes at 4'
	mov ax, 4202h
	mov bx, [h2]
	xor cx, cx
	xor dx, dx
	int 21h
	PRINT 'size now: '
	HEX16 ax
	NEWLINE
	mov ah, 3Eh
	mov bx, [h2]
	int 21h
	mov ah, 41h
	mov dx, s_trunc
	int 21h
	RESULT '41 TRUNC.BIN'
	mov ah, 41h
	mov dx, s_trunc
	int 21h
	RESULT '41 TRUNC.BIN again'
	mov ax, 3D00h
	mov dx, s_trunc
	int 21h
	RESULT '3D TRUNC.BIN'
	mov ax, 3D00h
	mov dx, s_nodir
	int 21h
	RESULT '3D NODIR\A.TXT'
	mov ah, 3Ch
	xor cx, cx
	mov dx, s_nodir
	int 21h
	RESULT '3C NODIR\A.TXT'
	mov ah, 3Eh
	mov bx, [h]
	int 21h
	RESULT '3E DATA.BIN'
	EXIT 0

read4:				; reads up to 4 bytes at the position and prints them
	mov ah, 3Fh
	mov bx, [h]
	mov cx, 4
	mov dx, buf
	mov word [buf], 2E2Eh
	mov word [buf + 2], 2E2Eh
	int 21h
	PRINT '3F 4 bytes: '
	jc .err
	HEX16 ax
	PRINT ' '
	mov cx, 4
	mov si, buf
.next:	lodsb
	call print_hex8
	loop .next
	NEWLINE
	ret
.err:	call print_result
	ret

close:	mov ah, 3Eh
	mov bx, [h]
	int 21h
	RESULT '3E'
	ret

s_data:		db 'DATA.BIN', 0
s_trunc:	db 'TRUNC.BIN', 0
s_nodir:	db 'NODIR\A.TXT', 0
s_x:		db 'X'
digits:		db '0123456789'
h:		dw 0
h2:		dw 0
buf:		times 8 db 0
