/* envtest: the environment block.
 * args:
 * bcc's DOS libc has no working getenv (environ is left empty), so the
 * program scans the environment segment (PSP:2Ch) itself and offers
 * getenv() on top of it. It prints only whether PATH and COMSPEC are set
 * (their values differ between DOS shells), whether a variable that nobody
 * sets is absent, that every entry has the NAME=value form with an
 * upper-case name, and, after the double NUL, the DOS 3+ word count (1) and
 * the program's own file name (without its directory).
 */
#include <stdio.h>
#include <string.h>

#include "dos21.h"
extern unsigned int __psp;

unsigned envseg()
{
    return peekfar(__psp, 0x2C) | (peekfar(__psp, 0x2D) << 8);
}

char *getenv2(name)
char *name;
{
    static char value[256];
    unsigned seg = envseg(), off = 0;
    int i, n = strlen(name);
    while (peekfar(seg, off)) {
        for (i = 0; i < n && peekfar(seg, off + i) == name[i]; i++)
            ;
        if (i == n && peekfar(seg, off + n) == '=') {
            off += n + 1;
            for (i = 0; i < 255 && peekfar(seg, off + i); i++)
                value[i] = peekfar(seg, off + i);
            value[i] = 0;
            return value;
        }
        while (peekfar(seg, off)) off++;
        off++;
    }
    return 0;
}

int main()
{
    unsigned seg = envseg(), off = 0, start;
    int entries = 0, malformed = 0, c, eq, i;
    char name[128], *p;

    while (peekfar(seg, off)) {
        start = off;
        eq = 0;
        while ((c = peekfar(seg, off)) != 0) {
            if (c == '=' && !eq) eq = off - start;
            if (!eq && c >= 'a' && c <= 'z') malformed++;
            off++;
        }
        if (!eq) malformed++;
        entries++;
        off++;
    }
    off++;
    printf("environment: %s entries, %d malformed\n", entries > 0 ? "some" : "no", malformed);
    p = getenv2("PATH");
    printf("PATH: %s\n", p ? "set" : "not set");
    p = getenv2("COMSPEC");
    printf("COMSPEC: %s\n", p ? "set" : "not set");
    if (p) printf("COMSPEC ends in COMMAND.COM: %s\n",
                  strlen(p) >= 11 && !strcmp(p + strlen(p) - 11, "COMMAND.COM") ? "yes" : "no");
    printf("NOSUCHVAR: %s\n", getenv2("NOSUCHVAR") ? "set" : "not set");
    printf("PATHX (prefix of PATH): %s\n", getenv2("PAT") ? "set" : "not set");
    printf("word after the block: %d\n", peekfar(seg, off) | (peekfar(seg, off + 1) << 8));
    off += 2;
    for (i = 0; i < 127 && (c = peekfar(seg, off + i)) != 0; i++) name[i] = c;
    name[i] = 0;
    p = strrchr(name, '\\');
    printf("program name: %s, starts with a drive: %s\n", p ? p + 1 : name,
           name[1] == ':' ? "yes" : "no");
    return 0;
}
