; dosdemo.asm: the DOS program scripts/demo runs with `mvm run`: it says which DOS
; it runs on, lists the files of its drive, writes one and exits with code 0.
	org 0x100
	mov ah, 0x09
	mov dx, banner
	int 0x21
	mov ah, 0x30
	int 0x21
	push ax
	add al, '0'
	mov [version], al
	pop ax
	mov al, ah
	aam
	add ax, '00'
	xchg al, ah
	mov [version + 2], ax
	mov ah, 0x09
	mov dx, version_text
	int 0x21
	; The files of C:\, as DIR /B would list them.
	mov ah, 0x4E
	xor cx, cx
	mov dx, pattern
	int 0x21
.next:
	jc .listed
	mov si, 0x80 + 0x1E
.name:
	lodsb
	test al, al
	jz .end_name
	mov dl, al
	mov ah, 0x02
	int 0x21
	jmp .name
.end_name:
	mov ah, 0x09
	mov dx, newline
	int 0x21
	mov ah, 0x4F
	int 0x21
	jmp .next
.listed:
	mov ah, 0x3C
	xor cx, cx
	mov dx, file_name
	int 0x21
	jc .fail
	mov bx, ax
	mov ah, 0x40
	mov cx, file_text_end - file_text
	mov dx, file_text
	int 0x21
	mov ah, 0x3E
	int 0x21
	mov ah, 0x09
	mov dx, wrote
	int 0x21
	mov ax, 0x4C00
	int 0x21
.fail:
	mov ax, 0x4C01
	int 0x21

banner:
	db 'Hello from a DOS program under mvm.', 13, 10, '$'
version_text:
	db 'DOS version '
version:
	db '0.00', 13, 10, 'Files on C:', 92, 13, 10, '$'
newline:
	db 13, 10, '$'
pattern:
	db '*.*', 0
file_name:
	db 'DEMO.TXT', 0
file_text:
	db 'Written by DOSDEMO.COM through int 21h.', 13, 10
file_text_end:
wrote:
	db 'Wrote C:', 92, 'DEMO.TXT.', 13, 10, '$'
