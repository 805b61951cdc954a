/* args: command-line arguments through argc/argv and the PSP command tail.
 * args: one Two 3 "quoted text" a\b/c -x=5 last
 * bcc's startup splits the tail at blanks and does not treat quotes
 * specially, so "quoted and text" arrive as two arguments with their quote
 * marks. The program prints argc, each argv[i] with its length, then the
 * raw tail at PSP:80h (length byte, text, the CR after it) and its FCBs at
 * 5Ch/6Ch as int 21h 29h-style parsing left them (drive byte and name).
 */
#include <stdio.h>
#include <string.h>

/* ---- DOS helpers (the same block in every program of this folder) ---- */
struct dregs { unsigned ax, bx, cx, dx, si, di, cf; };
int dos21();     /* dos21(struct dregs *): int 21h with ES = DS; cf = carry */
int peekfar();   /* peekfar(seg, off): the byte at seg:off */
#asm
	export	_dos21
_dos21:
	push	bp
	mov	bp,sp
	push	si
	push	di
	push	es
	mov	bx,[bp+4]
	push	bx
	push	ds
	pop	es
	mov	ax,[bx]
	mov	cx,[bx+4]
	mov	dx,[bx+6]
	mov	si,[bx+8]
	mov	di,[bx+10]
	mov	bx,[bx+2]
	clc
	int	$21
	mov	bp,sp
	xchg	bx,[bp]
	mov	[bx],ax
	mov	[bx+4],cx
	mov	[bx+6],dx
	mov	[bx+8],si
	mov	[bx+10],di
	pop	[bx+2]
	mov	ax,#0
	adc	ax,#0
	mov	[bx+12],ax
	pop	es
	pop	di
	pop	si
	pop	bp
	ret

	export	_peekfar
_peekfar:
	push	bp
	mov	bp,sp
	push	es
	mov	es,[bp+4]
	mov	bx,[bp+6]
	seg	es
	mov	al,[bx]
	xor	ah,ah
	pop	es
	pop	bp
	ret
#endasm
/* ---- end of the DOS helpers ---- */
extern unsigned int __psp;

int main(argc, argv)
int argc; char **argv;
{
    int i, len;
    printf("argc = %d\n", argc);
    for (i = 1; i < argc; i++)
        printf("argv[%d] = [%s] (%d chars)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
    len = peekfar(__psp, 0x80);
    printf("tail length %d: [", len);
    for (i = 0; i < len; i++) putchar(peekfar(__psp, 0x81 + i));
    printf("] then %02x\n", peekfar(__psp, 0x81 + len));
    printf("FCB1 drive %d name [", peekfar(__psp, 0x5C));
    for (i = 1; i < 12; i++) putchar(peekfar(__psp, 0x5C + i));
    printf("]\nFCB2 drive %d name [", peekfar(__psp, 0x6C));
    for (i = 1; i < 12; i++) putchar(peekfar(__psp, 0x6C + i));
    printf("]\n");
    return argc;
}
