/* exitcode: return codes via exit(n), atexit and int 21h 4Ch.
 * args: 37
 * Registers two atexit handlers that print, flushes a partly written line,
 * then calls exit(atoi(argv[1])) from inside a nested function, so the
 * return code (37) is the exit status and the handlers' lines appear, last
 * registered first. Writes EXITED.TXT before exiting.
 */
#include <stdio.h>
#include <stdlib.h>

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

void first() { printf("atexit handler registered first\n"); }
void second() { printf("atexit handler registered second\n"); }

void deep(n, code)
int n; int code;
{
    if (n == 0) {
        printf("exiting with %d from depth 3\n", code);
        exit(code);
    }
    deep(n - 1, code);
    printf("not reached\n");
}

int main(argc, argv)
int argc; char **argv;
{
    FILE *f;
    int code = argc > 1 ? atoi(argv[1]) : 5;
    atexit(first);
    atexit(second);
    f = fopen("EXITED.TXT", "w");
    fprintf(f, "code %d\n", code);
    fclose(f);
    printf("partial line without newline... ");
    deep(3, code);
    return 99;
}
