; fcbio.asm: file control blocks: 0Fh-17h, 21h-24h, 27h, 28h.
;
; FCBTEST.DAT is created (16h), written record by record (15h; 128-byte records), closed
; (10h), opened (0Fh: drive byte, record size, file size filled in), read sequentially
; (14h, AL=01h at the end), read and written at random (21h, 22h), measured (23h: the
; size in records), its random record set from the sequential position (24h), read and
; written in blocks (27h, 28h; 28h with CX=0 sets the file's size), found (11h, 12h),
; renamed (17h) and two scratch files deleted by a wildcard (13h). Missing files: FFh.
; RENAMED.DAT is read back (384 bytes: a record each of 'A', 'B' and 'C') and deleted.
;
; Compared with expected/fcbio.txt, MS-DOS 5's answers: DOSBox 0.74's 23h gives 2
; records for a 512-byte file, and its 28h with CX=0 does not set the file's size.
	org 100h
%include "dos.inc"

FCB_DRIVE equ 0
FCB_BLOCK equ 0Ch
FCB_RECSIZE equ 0Eh
FCB_SIZE equ 10h
FCB_CURREC equ 20h
FCB_RANDOM equ 21h

%macro FCBCALL 3		; AH, FCB, label: prints AL
	mov ah, %1
	mov dx, %2
	int 21h
	PRINT %3, ': '
	HEX8 al
	NEWLINE
%endmacro

start:
	mov ah, 1Ah
	mov dx, dta
	int 21h
	mov si, s_test
	mov di, fcb
	mov ax, 2900h
	int 21h

	FCBCALL 16h, fcb, '16 create'
	call show
	mov byte [fcb + FCB_CURREC], 0
	mov al, 'A'
	call fill
	FCBCALL 15h, fcb, '15 write A'
	mov al, 'B'
	call fill
	FCBCALL 15h, fcb, '15 write B'
	call show
	FCBCALL 10h, fcb, '10 close'

	call clear_fcb
	FCBCALL 0Fh, fcb, '0F open'
	call show
	mov byte [fcb + FCB_CURREC], 0
	FCBCALL 14h, fcb, '14 read'
	call first
	FCBCALL 14h, fcb, '14 read'
	call first
	FCBCALL 14h, fcb, '14 read at the end'

	mov word [fcb + FCB_RANDOM], 1
	mov word [fcb + FCB_RANDOM + 2], 0
	FCBCALL 21h, fcb, '21 read record 1'
	call first
	mov word [fcb + FCB_RANDOM], 3
	mov al, 'D'
	call fill
	FCBCALL 22h, fcb, '22 write record 3'
	call show
	FCBCALL 23h, fcb, '23 size'
	PRINT 'random record: '
	HEX16 [fcb + FCB_RANDOM]
	NEWLINE
	mov word [fcb + FCB_BLOCK], 0
	mov byte [fcb + FCB_CURREC], 5
	FCBCALL 24h, fcb, '24 set random record'
	PRINT 'random record: '
	HEX16 [fcb + FCB_RANDOM]
	NEWLINE

	mov word [fcb + FCB_RANDOM], 0
	mov ah, 27h
	mov cx, 4
	mov dx, fcb
	int 21h
	PRINT '27 read 4 records: AL='
	HEX8 al
	PRINT ' CX='
	HEX16 cx
	PRINT ' first bytes '
	HEX8 [dta]
	HEX8 [dta + 128]
	HEX8 [dta + 256]
	HEX8 [dta + 384]
	PRINT ' random record '
	HEX16 [fcb + FCB_RANDOM]
	NEWLINE
	mov word [fcb + FCB_RANDOM], 2
	mov ah, 28h
	xor cx, cx
	mov dx, fcb
	int 21h
	PRINT '28 CX=0 at record 2: AL='
	HEX8 al
	NEWLINE
	call show
	mov al, 'C'
	call fill
	mov ah, 28h
	mov cx, 1
	mov dx, fcb
	int 21h
	PRINT '28 write record 2: AL='
	HEX8 al
	PRINT ' CX='
	HEX16 cx
	NEWLINE
	call show
	FCBCALL 10h, fcb, '10 close'

	mov si, s_pattern
	mov di, fcb2
	mov ax, 2900h
	int 21h
	FCBCALL 11h, fcb2, '11 FCB?????.DAT'
	PRINT 'found: '
	mov si, dta + 1
	call print11
	NEWLINE
	FCBCALL 12h, fcb2, '12 next'

	mov si, s_rename	; a rename FCB: old name at 1, new name at 11h
	mov di, fcb3
	mov ax, 2900h
	int 21h
	mov si, s_renamed
	mov di, fcb3 + 10h
	mov ax, 2900h
	int 21h
	FCBCALL 17h, fcb3, '17 rename to RENAMED.DAT'
	call clear_fcb
	FCBCALL 0Fh, fcb, '0F FCBTEST.DAT'

	mov si, s_tmp1
	mov di, fcb2
	mov ax, 2900h
	int 21h
	FCBCALL 16h, fcb2, '16 ONE.TMP'
	FCBCALL 10h, fcb2, '10 close'
	mov si, s_tmp2
	mov di, fcb2
	mov ax, 2900h
	int 21h
	FCBCALL 16h, fcb2, '16 TWO.TMP'
	FCBCALL 10h, fcb2, '10 close'
	mov si, s_alltmp
	mov di, fcb2
	mov ax, 2900h
	int 21h
	FCBCALL 13h, fcb2, '13 *.TMP'
	FCBCALL 11h, fcb2, '11 *.TMP'
	FCBCALL 13h, fcb2, '13 *.TMP again'

	mov ax, 3D00h		; what RENAMED.DAT holds, then delete it
	mov dx, s_renamed
	int 21h
	mov bx, ax
	mov ah, 3Fh
	mov cx, 512
	mov dx, dta
	int 21h
	PRINT 'RENAMED.DAT: '
	call print_result_ax
	PRINT 'records start with '
	HEX8 [dta]
	HEX8 [dta + 128]
	HEX8 [dta + 256]
	NEWLINE
	mov ah, 3Eh
	int 21h
	mov ah, 41h
	mov dx, s_renamed
	int 21h
	RESULT '41 RENAMED.DAT'
	EXIT 0

show:				; the FCB's drive, record size, file size, block, record
	PRINT '  drive '
	HEX8 [fcb + FCB_DRIVE]
	PRINT ' record size '
	HEX16 [fcb + FCB_RECSIZE]
	PRINT ' file size '
	HEX16 [fcb + FCB_SIZE + 2]
	HEX16 [fcb + FCB_SIZE]
	PRINT ' block '
	HEX16 [fcb + FCB_BLOCK]
	PRINT ' record '
	HEX8 [fcb + FCB_CURREC]
	NEWLINE
	ret

fill:				; 128 bytes of AL at the DTA
	mov di, dta
	mov cx, 128
	push cs
	pop es
	rep stosb
	ret

first:	PRINT '  data '
	HEX8 [dta]
	HEX8 [dta + 127]
	NEWLINE
	mov byte [dta], 0
	mov byte [dta + 127], 0
	ret

clear_fcb:			; the FCB as 29h leaves it: drive 0, the name, zeros
	mov di, fcb + 0Ch
	mov cx, 37 - 0Ch
	xor al, al
	push cs
	pop es
	rep stosb
	mov byte [fcb], 0
	ret

print11:
	mov cx, 11
.c:	mov dl, [si]
	call print_char
	inc si
	loop .c
	ret

s_test:	db 'FCBTEST.DAT', 0
s_pattern: db 'FCB?????.DAT', 0
s_rename: db 'FCBTEST.DAT', 0
s_renamed: db 'RENAMED.DAT', 0
s_tmp1:	db 'ONE.TMP', 0
s_tmp2:	db 'TWO.TMP', 0
s_alltmp: db '*.TMP', 0
fcb:	times 40 db 0
fcb2:	times 40 db 0
fcb3:	times 40 db 0
dta:	times 512 db 0
