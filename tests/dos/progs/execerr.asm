; execerr.asm: 4B00h refusing to run a program, and running odd ones.
;
; The parent writes its test programs at run time (mkexe.inc): TINY.COM (returns 7),
; GOOD.EXE (a 32-byte MZ header and MOV AX,4C05h / INT 21h), and broken variants.
; Errors: 8 while the parent still owns all memory (a .COM does until it shrinks with
; 4Ah); 2 for a missing file, 3 for a missing directory; 1 for subfunction 02h; 8 for a
; minimum allocation of FFFFh paragraphs; 11 (invalid format) for a header of 100h
; paragraphs in a 37-byte file (its pages say 10: MS-DOS seeks past the end, reads
; nothing, and "the header lied"), and for an image 512 bytes or more shorter than
; the pages say. Runs: an image less than 512 bytes short (MS-DOS 4's EXEC.ASM
; tolerates that: SHORT1.EXE, whose last page is counted whole); "ZM" is a signature
; too; the format comes from the contents, not the name (an MZ file called .COM runs as
; an EXE, a plain one called .EXE as a .COM).
;
; Compared with expected/execerr.txt, MS-DOS 5's answers as MS-DOS 4's EXEC.ASM gives
; them: DOSBox 0.74 answers 2 for the missing directory, 11 for subfunction 02h, 8 for
; the header past the end, and runs the short image.
	org 100h
%include "dos.inc"
	jmp start
%include "mkexe.inc"

start:
	mov dx, s_tiny
	mov si, tiny
	mov cx, tiny_len
	call write_file
	mov dx, s_tiny
	call run		; before 4Ah: 8
	mov sp, stack_top
	mov ah, 4Ah
	mov bx, (end_of_program - $$ + 100h + 15) / 16
	push cs
	pop es
	int 21h
	RESULT '4A shrink'
	mov dx, s_tiny
	call run
	mov dx, s_nope
	call run
	mov dx, s_nodir
	call run
	mov ax, 4B02h
	mov dx, s_tiny
	mov bx, run_pb
	int 21h
	RESULT '4B02'

	call mz_fresh
	mov dx, s_good
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_good
	call run
	call mz_fresh
	mov byte [mz_buf + 1], 'M'	; "ZM"
	mov byte [mz_buf], 'Z'
	mov dx, s_zm
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_zm
	call run
	call mz_fresh
	mov dx, s_mzcom
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_mzcom
	call run
	mov dx, s_comexe
	mov si, tiny
	mov cx, tiny_len
	call write_file
	mov dx, s_comexe
	call run

	call mz_fresh
	mov word [mz_buf + MZ_PAGES], 10
	mov word [mz_buf + MZ_HEADER_PARAS], 100h
	mov dx, s_badhdr
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_badhdr
	call run
	call mz_fresh
	mov word [mz_buf + MZ_MIN], 0FFFFh
	mov dx, s_hugemin
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_hugemin
	call run
	call mz_fresh
	mov word [mz_buf + MZ_PAGES], 4
	mov dx, s_short
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_short
	call run
	call mz_fresh
	mov word [mz_buf + MZ_LASTPAGE], 0	; a whole last page: 512 bytes
	mov dx, s_short1
	mov si, mz_buf
	mov cx, MZ_FILE_SIZE
	call write_file
	mov dx, s_short1
	call run
	EXIT 0

tiny:	mov ax, 4C07h
	int 21h
tiny_len equ $ - tiny

s_tiny:	db 'TINY.COM', 0
s_nope:	db 'NOPE.COM', 0
s_nodir: db 'NODIR\X.COM', 0
s_good:	db 'GOOD.EXE', 0
s_zm:	db 'ZM.EXE', 0
s_mzcom: db 'MZ.COM', 0
s_comexe: db 'PLAIN.EXE', 0
s_badhdr: db 'BADHDR.EXE', 0
s_hugemin: db 'HUGEMIN.EXE', 0
s_short: db 'SHORT.EXE', 0
s_short1: db 'SHORT1.EXE', 0
mz_buf:	times MZ_FILE_SIZE db 0
	align 16
	times 256 db 0
stack_top:
end_of_program:
