; execfmt.asm: programs MS-DOS would load blindly that mvm refuses, an oversized .COM,
; and 4Dh read twice.
;
; Compared with expected/execfmt.txt, which is not DOSBox's output:
; - RELOC.EXE has a relocation entry pointing past the end of its image. MS-DOS (and
;   DOSBox) add the load segment to whatever word is there, in memory the program does
;   not own, and run it. mvm refuses such a program with 11 (invalid format): that is
;   mvm's documented behaviour (doskrnl/dos_exe.h), asserted here, not MS-DOS's.
; - BIGTAB.EXE's relocation table lies past the end of the file: MS-DOS reads nothing
;   and relocates with whatever its buffer holds; mvm says 11 (documented, as above).
; - BIG.COM is 70000 bytes: MS-DOS 5 reads a .COM into 64 KiB less the PSP and, when
;   the file fills that, says 8 (insufficient memory; MS-DOS 4's EXEC.ASM: "exactly the
;   wrong number... no memory"). DOSBox 0.74 loads the first 65280 bytes and runs them.
; - 4Dh gives the last child's code once, then 0: MS-DOS's $WAIT clears it (XCHG AX,
;   exit_code); DOSBox 0.74 gives the code again.
	org 100h
%include "dos.inc"
	jmp start
%include "mkexe.inc"

start:
	mov sp, stack_top
	mov ah, 4Ah
	mov bx, (end_of_program - $$ + 100h + 15) / 16
	push cs
	pop es
	int 21h
	RESULT '4A shrink'
	call mz_fresh
	mov dx, s_good
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_good
	call run		; 4D 0005
	mov ah, 4Dh
	int 21h
	PRINT '4D again: '
	HEX16 ax
	NEWLINE

	call mz_fresh		; one relocation, at 8000h, far past the 5-byte image
	mov word [mz_buf + MZ_RELOCS], 1
	mov word [mz_buf + 1Ch], 8000h
	mov word [mz_buf + 1Eh], 0
	mov dx, s_reloc
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_reloc
	call run

	call mz_fresh		; 4 relocations, their table at 1000h
	mov word [mz_buf + MZ_RELOCS], 4
	mov word [mz_buf + MZ_RELOC_TABLE], 1000h
	mov dx, s_bigtab
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_bigtab
	call run

	mov ah, 3Ch		; BIG.COM: 70000 bytes, a program that returns 9 first
	xor cx, cx
	mov dx, s_big
	int 21h
	mov bx, ax
	mov ah, 40h
	mov cx, big_code_len
	mov dx, big_code
	int 21h
	mov cx, 7
.fill:	push cx
	mov ah, 40h
	mov cx, 10000
	mov dx, zeros
	int 21h
	pop cx
	loop .fill
	mov ax, 4200h		; trim to 70000
	xor cx, cx
	mov cx, 1
	mov dx, 70000 - 65536
	int 21h
	mov ah, 40h
	xor cx, cx
	int 21h
	mov ax, 4202h
	xor cx, cx
	xor dx, dx
	int 21h
	PRINT 'BIG.COM size: '
	HEX16 dx
	HEX16 ax
	NEWLINE
	mov ah, 3Eh
	int 21h
	mov dx, s_big
	call run
	EXIT 0

big_code:
	mov ax, 4C09h
	int 21h
big_code_len equ $ - big_code

s_good:	db 'GOOD.EXE', 0
s_reloc: db 'RELOC.EXE', 0
s_bigtab: db 'BIGTAB.EXE', 0
s_big:	db 'BIG.COM', 0
mz_buf:	times MZ_FILE_SIZE db 0
zeros:	times 10000 db 0
	align 16
	times 256 db 0
stack_top:
end_of_program:
