/* stdinlns: read stdin lines until end of file.
 * args:
 * Reads standard input with fgets until EOF and prints each line numbered
 * with its length, then the totals and the longest line. Lines may end in
 * CR LF, LF or CR (the harness gives DOSBox a copy of stdin whose lines end
 * in CR, and mvm types them on the keyboard), so the program strips CR and
 * LF and treats a lone CR as an end of line too. It reads handle 0 with
 * read() (int 21h 3Fh) in 64-byte pieces, not with getchar: bcc's stdio
 * drops every CR it reads, which would glue DOSBox's CR-only lines together.
 */
#include <stdio.h>
#include <string.h>

#include "dos21.h"

int read();
unsigned char inbuf[64];
int inlen, inpos;

int getbyte()
{
    if (inpos == inlen) {
        inlen = read(0, inbuf, 64);
        inpos = 0;
        if (inlen <= 0) { inlen = 0; return EOF; }
    }
    return inbuf[inpos++];
}

int main()
{
    char line[200], longest[200];
    int c, n = 0, len = 0, nlines = 0, maxlen = -1, prev = 0;
    long chars = 0, words = 0;
    int inword = 0;

    longest[0] = 0;
    for (;;) {
        c = getbyte();
        if (c == EOF || c == 0x1A || c == '\r' || (c == '\n' && prev != '\r')) {
            if (c == EOF || c == 0x1A) {
                if (len == 0) break;
            }
            line[len] = 0;
            nlines++;
            printf("%3d (%2d): %s\n", nlines, len, line);
            if (len > maxlen) { maxlen = len; strcpy(longest, line); }
            chars += len;
            len = 0;
            inword = 0;
            if (c == EOF || c == 0x1A) break;
        } else if (c != '\n') {
            if (len < 199) line[len++] = c;
            if (c == ' ' || c == '\t') inword = 0;
            else if (!inword) { inword = 1; words++; }
        }
        prev = c;
    }
    printf("%d lines, %ld words, %ld characters\n", nlines, words, chars);
    printf("longest (%d): %s\n", maxlen, longest);
    return nlines;
}
