/* exit4c: return code set by int 21h AH=4Ch directly, bypassing the C
 * library's exit (so its stdout buffer is flushed by hand first).
 * args:
 * Exits with AL=0xC8 (200): exit statuses above 127 must survive.
 */
#include <stdio.h>

#include "dos21.h"

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
