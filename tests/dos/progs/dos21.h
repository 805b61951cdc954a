/* dos21.h: what the bcc test programs need beyond bcc's C library: int 21h
 * with ES = DS and every register in and out (bcc's int86 leaves ES at 0),
 * and a far byte read. Included by each program of this folder; bcc finds
 * it beside the including file. */
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
