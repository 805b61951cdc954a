/* dirlist: directories and find first/next.
 * args:
 * Creates SUBDIR (int 21h 39h) and SUBDIR\INNER, files in them, changes
 * into SUBDIR (3Bh), reads the current directory (47h), lists it with find
 * first/next (4Eh/4Fh into a DTA set by 1Ah) for *.* with and without the
 * directory attribute and for *.TXT and ?.DAT patterns, and prints each
 * match's name, attribute and size (sorted, since directory order is the
 * host's). It checks that removing a non-empty directory (3Ah) fails, then
 * removes a file and an emptied directory, goes back to the root and lists
 * it too (fixture files A.TXT, B.DAT, NOTES.TXT, DEEP\X.TXT).
 * Leaves SUBDIR with two files and INNER\KEEP.TXT.
 * (The match order of qsort below is bcc's; it prints names descending.)
 *
 * msdos-differs: DOSBox's find first/next on the root of a mounted drive
 * returns "." and ".." entries; a FAT root directory has none, so MS-DOS 5
 * finds 6 entries for C:\*.* with attribute 10h, not 8. expected/dirlist.txt
 * holds the MS-DOS output (DOSBox's without those two lines).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "dos21.h"

char dta[128];
char names[64][40];
int nnames;

int call(ah, dx)
int ah; char *dx;
{
    struct dregs r;
    r.ax = ah << 8; r.dx = (unsigned)dx; r.cx = 0;
    dos21(&r);
    return r.cf ? -(int)r.ax : 0;
}

void mkfile(name, text)
char *name; char *text;
{
    FILE *f = fopen(name, "w");
    fputs(text, f);
    fclose(f);
}

int cmp(a, b)
char *a; char *b;
{
    return strcmp(a, b);
}

void list(pattern, attr)
char *pattern; int attr;
{
    struct dregs r;
    int i;
    long size;
    nnames = 0;
    r.ax = 0x1A00; r.dx = (unsigned)dta;
    dos21(&r);
    r.ax = 0x4E00; r.cx = attr; r.dx = (unsigned)pattern;
    dos21(&r);
    if (r.cf) { printf("%s attr %02x: error %u\n", pattern, attr, r.ax); return; }
    while (!r.cf && nnames < 64) {
        size = (unsigned char)dta[0x1A] | ((unsigned char)dta[0x1B] << 8)
             | ((long)(unsigned char)dta[0x1C] << 16) | ((long)(unsigned char)dta[0x1D] << 24);
        sprintf(names[nnames++], "%-12s %02x %ld", dta + 0x1E,
                (unsigned char)dta[0x15], (dta[0x15] & 0x10) ? 0L : size);
        r.ax = 0x4F00;
        dos21(&r);
    }
    printf("%s attr %02x: %d found, then error %u\n", pattern, attr, nnames, r.ax);
    qsort(names, nnames, 40, cmp);
    for (i = 0; i < nnames; i++) printf("  %s\n", names[i]);
}

void pwd()
{
    struct dregs r;
    char buf[80];
    r.ax = 0x4700; r.dx = 0; r.si = (unsigned)buf;
    dos21(&r);
    printf("cwd: \\%s (%s)\n", buf, r.cf ? "error" : "ok");
}

int main()
{
    printf("mkdir SUBDIR: %d\n", call(0x39, "SUBDIR"));
    printf("mkdir SUBDIR again: %d\n", call(0x39, "SUBDIR"));
    printf("mkdir SUBDIR\\INNER: %d\n", call(0x39, "SUBDIR\\INNER"));
    mkfile("SUBDIR\\ONE.TXT", "one\n");
    mkfile("SUBDIR\\TWO.TXT", "two two\n");
    mkfile("SUBDIR\\3.DAT", "three three three\n");
    mkfile("SUBDIR\\GONE.TXT", "to be removed\n");
    mkfile("SUBDIR\\INNER\\KEEP.TXT", "kept\n");
    printf("chdir SUBDIR: %d\n", call(0x3B, "SUBDIR"));
    pwd();
    list("*.*", 0);
    list("*.*", 0x10);
    list("*.TXT", 0);
    list("?.DAT", 0);
    list("NOSUCH.*", 0);
    list("INNER\\*.*", 0x10);
    printf("rmdir INNER (not empty): %d\n", call(0x3A, "INNER"));
    printf("chdir INNER: %d\n", call(0x3B, "INNER"));
    pwd();
    printf("chdir ..: %d\n", call(0x3B, ".."));
    pwd();
    printf("delete GONE.TXT: %d\n", call(0x41, "GONE.TXT"));
    printf("mkdir EMPTY: %d\n", call(0x39, "EMPTY"));
    printf("rmdir EMPTY: %d\n", call(0x3A, "EMPTY"));
    printf("delete 3.DAT: %d\n", call(0x41, "3.DAT"));
    list("*.*", 0x10);
    printf("chdir \\: %d\n", call(0x3B, "\\"));
    pwd();
    list("*.*", 0x10);
    list("DEEP\\*.TXT", 0);
    printf("chdir NOWHERE: %d\n", call(0x3B, "NOWHERE"));
    return 0;
}
