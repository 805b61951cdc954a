/* exitcode: return codes via exit(n), atexit and int 21h 4Ch.
 * args: 37
 * Registers two atexit handlers that print, flushes a partly written line,
 * then calls exit(atoi(argv[1])) from inside a nested function, so the
 * return code (37) is the exit status and the handlers' lines appear, last
 * registered first. Writes EXITED.TXT before exiting.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dos21.h"

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
