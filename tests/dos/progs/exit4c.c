/* exit4c: return code set by int 21h AH=4Ch directly, bypassing the C
 * library's exit (so its stdout buffer is flushed by hand first).
 * args:
 * Exits with AL=0xC8 (200): exit statuses above 127 must survive.
 */
#include <stdio.h>

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

int main()
{
    struct dregs r;
    printf("terminating with 4Ch, AL=200\n");
    fflush(stdout);
    r.ax = 0x4CC8;
    dos21(&r);
    printf("not reached\n");
    return 1;
}
