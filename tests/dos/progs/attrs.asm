; attrs.asm: file attributes, 43h.
;
; 4300h of a file (20h: archive, as for any file copied in), of a directory (10h), of a
; file that does not exist (2) and of one in a directory that does not exist (3). 4301h
; setting the archive bit works; setting the directory or volume-label bit gives 5
; (access denied: MS-DOS changes only bits 27h).
;
; Compared with expected/attrs.txt, MS-DOS 5's answers: DOSBox 0.74 gives a directory
; 30h, answers 2 for a missing directory, and accepts the bits 10h and 08h.
; fixtures/attrs: FILE.TXT, DIR\INSIDE.TXT.
	org 100h
%include "dos.inc"

%macro GETATTR 2		; path, label
	mov ax, 4300h
	mov dx, %1
	mov cx, 0AAAAh
	int 21h
	PRINT %2, ': '
	jc %%err
	HEX16 cx
	NEWLINE
	jmp %%done
%%err:	call print_result
%%done:
%endmacro

%macro SETATTR 3		; path, attributes, label
	mov ax, 4301h
	mov dx, %1
	mov cx, %2
	int 21h
	RESULT %3
%endmacro

start:
	GETATTR s_file, '4300 FILE.TXT'
	GETATTR s_dir, '4300 DIR'
	GETATTR s_inside, '4300 DIR\INSIDE.TXT'
	GETATTR s_missing, '4300 MISSING.TXT'
	GETATTR s_nodir, '4300 NODIR\A.TXT'
	SETATTR s_file, 20h, '4301 FILE.TXT 20h'
	GETATTR s_file, '4300 FILE.TXT'
	SETATTR s_file, 10h, '4301 FILE.TXT 10h (directory)'
	SETATTR s_file, 08h, '4301 FILE.TXT 08h (volume label)'
	SETATTR s_missing, 20h, '4301 MISSING.TXT'
	EXIT 0

s_file:		db 'FILE.TXT', 0
s_dir:		db 'DIR', 0
s_inside:	db 'DIR\INSIDE.TXT', 0
s_missing:	db 'MISSING.TXT', 0
s_nodir:	db 'NODIR\A.TXT', 0
