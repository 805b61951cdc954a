; datetime.asm: the date and time, 2Ah-2Dh.
;
; Only what does not depend on the host's clock is printed: the date and time read are in
; range and the weekday fits the date; a date set (2Bh, AL=00h) reads back with its
; weekday; an invalid date or time (Feb 29 in 1999, month 13, day 0, years 1979 and 2100,
; 24:00, minute 60, second 60, hundredths 100) gives AL=FFh and changes nothing; a time
; set (2Dh) reads back within a second.
;
; Compared with expected/datetime.txt, MS-DOS 5's answers (its TIME.ASM: years 1980-2099,
; months 1-12, days up to the month's length with February's by the year): DOSBox 0.74
; accepts 1999-02-29, 2100-01-01 and April 31, and ignores 2Dh (2Ch keeps the host's time).
	org 100h
%include "dos.inc"

start:
	mov ah, 2Ah
	int 21h
	PRINT '2A in range: '
	call check_date
	NEWLINE
	mov ah, 2Ch
	int 21h
	PRINT '2C in range: '
	call check_time
	NEWLINE

	mov cx, 2000
	mov dx, 021Dh		; 2000-02-29, a Tuesday
	call set_date
	call show_date
	mov cx, 1999
	mov dx, 021Dh
	call set_date
	mov cx, 2024
	mov dx, 0D01h
	call set_date
	mov cx, 2024
	mov dx, 0100h
	call set_date
	mov cx, 1979
	mov dx, 0C1Fh
	call set_date
	mov cx, 2100
	mov dx, 0101h
	call set_date
	mov cx, 2024
	mov dx, 041Fh		; April 31
	call set_date
	call show_date
	mov cx, 1980
	mov dx, 0101h		; the first day DOS knows, a Tuesday
	call set_date
	call show_date
	mov cx, 2099
	mov dx, 0C1Fh		; the last, a Thursday
	call set_date
	call show_date

	mov cx, 1800h		; 24:00
	mov dx, 0
	call set_time
	mov cx, 0C3Ch		; 12:60
	mov dx, 0
	call set_time
	mov cx, 0C22h
	mov dx, 3C00h		; second 60
	call set_time
	mov cx, 0C22h
	mov dx, 3864h		; hundredths 100
	call set_time
	mov cx, 0C22h		; 12:34:56.00
	mov dx, 3800h
	call set_time
	mov ah, 2Ch
	int 21h
	PRINT '2C after set: '
	HEX8 ch
	PRINT ':'
	HEX8 cl
	PRINT ' second 56 or 57: '
	cmp dh, 56
	je .y
	cmp dh, 57
	je .y
	PRINTLN 'no'
	jmp .out
.y:	PRINTLN 'yes'
.out:	EXIT 0

set_date:			; CX year, DH month, DL day
	PRINT '2B '
	HEX16 cx
	PRINT '-'
	HEX8 dh
	PRINT '-'
	HEX8 dl
	PRINT ': AL='
	mov ah, 2Bh
	int 21h
	HEX8 al
	NEWLINE
	ret

set_time:			; CH:CL:DH.DL
	PRINT '2D '
	HEX8 ch
	PRINT ':'
	HEX8 cl
	PRINT ':'
	HEX8 dh
	PRINT '.'
	HEX8 dl
	PRINT ': AL='
	mov ah, 2Dh
	int 21h
	HEX8 al
	NEWLINE
	ret

show_date:
	mov ah, 2Ah
	int 21h
	PRINT '2A: '
	HEX16 cx
	PRINT '-'
	HEX8 dh
	PRINT '-'
	HEX8 dl
	PRINT ' weekday '
	HEX8 al
	NEWLINE
	ret

; 2Ah's CX, DH, DL, AL: "yes" when in range and AL is the weekday of the date, else "no"
check_date:
	cmp cx, 1980
	jb .no
	cmp cx, 2099
	ja .no
	cmp dh, 1
	jb .no
	cmp dh, 12
	ja .no
	cmp dl, 1
	jb .no
	cmp dl, 31
	ja .no
	mov bl, al
	call weekday
	cmp al, bl
	jne .no
	PRINT 'yes'
	ret
.no:	PRINT 'no'
	ret

; AL = the weekday (0 Sunday) of CX-DH-DL, by Zeller's congruence
weekday:
	push bx
	push cx
	push dx
	mov bl, dh
	xor bh, bh		; month
	cmp bx, 3
	jae .m
	add bx, 12
	dec cx
.m:	xor dh, dh		; DX = day
	mov ax, bx
	inc ax
	mov si, 13
	push dx
	mul si
	mov si, 5
	div si			; 13 (m + 1) / 5
	pop dx
	add dx, ax		; day + 13(m+1)/5
	add dx, cx		; + year
	mov ax, cx
	shr ax, 2
	add dx, ax		; + year/4
	mov ax, cx
	push dx
	xor dx, dx
	mov si, 100
	div si
	pop dx
	sub dx, ax		; - year/100
	mov ax, cx
	push dx
	xor dx, dx
	mov si, 400
	div si
	pop dx
	add dx, ax		; + year/400
	mov ax, dx
	xor dx, dx
	mov si, 7
	div si			; h: 0 Saturday
	mov ax, dx
	add al, 6
	cmp al, 7
	jb .w
	sub al, 7
.w:	pop dx
	pop cx
	pop bx
	ret

check_time:
	cmp ch, 23
	ja .no
	cmp cl, 59
	ja .no
	cmp dh, 59
	ja .no
	cmp dl, 99
	ja .no
	PRINT 'yes'
	ret
.no:	PRINT 'no'
	ret
