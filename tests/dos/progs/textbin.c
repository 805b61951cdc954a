/* textbin: text versus binary bytes through the C library and DOS.
 * args:
 * bcc's DOS libc does no newline translation on files: fopen "w" and "wb"
 * both write LF as is, and reading back returns every byte, CR, LF, 1Ah
 * (^Z) included. The program writes TEXT.TXT ("w") and BIN.DAT ("wb") with
 * the same bytes (LF, CRLF, ^Z in the middle, all 256 byte values), reads
 * both back byte by byte with fgetc and with read(), and prints counts and
 * checksums. Then it writes CRLF lines to stdout by hand and through "\n"
 * (flushing stdout first: it is a file on DOSBox, fully buffered, and the
 * console on mvm, line-buffered).
 */
#include <stdio.h>
#include <fcntl.h>

#include "dos21.h"
int open();
int close();
int read();

void writeall(name, mode)
char *name; char *mode;
{
    FILE *f = fopen(name, mode);
    int i;
    fputs("one\ntwo\r\nthree\r\n", f);
    fputc(0x1a, f);
    fputs("after ctrl-z\n", f);
    for (i = 0; i < 256; i++) fputc(i, f);
    fclose(f);
}

void check(name, mode)
char *name; char *mode;
{
    FILE *f = fopen(name, mode);
    int c, fd, n;
    long count = 0, sum = 0, crs = 0, lfs = 0, ctlz = -1;
    unsigned char buf[100];
    while ((c = fgetc(f)) != EOF) {
        if (c == '\r') crs++;
        if (c == '\n') lfs++;
        if (c == 0x1a && ctlz < 0) ctlz = count;
        sum = (sum * 31 + c) & 0xFFFFFL;
        count++;
    }
    fclose(f);
    printf("%s via fgetc(\"%s\"): %ld bytes, %ld CR, %ld LF, ^Z at %ld, sum %05lx\n",
           name, mode, count, crs, lfs, ctlz, sum);
    fd = open(name, O_RDONLY);
    count = 0; sum = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (c = 0; c < n; c++) sum = (sum * 31 + buf[c]) & 0xFFFFFL;
        count += n;
    }
    close(fd);
    printf("%s via read(): %ld bytes, sum %05lx\n", name, count, sum);
}

int main()
{
    struct dregs r;
    writeall("TEXT.TXT", "w");
    writeall("BIN.DAT", "wb");
    check("TEXT.TXT", "r");
    check("TEXT.TXT", "rb");
    check("BIN.DAT", "rb");
    /* stdout: "\n" from printf, then raw bytes through int 21h 40h */
    printf("printf newline\n");
    fflush(stdout);
    r.ax = 0x4000; r.bx = 1; r.dx = (unsigned)"raw CRLF\r\n";
    r.cx = 10;
    dos21(&r);
    printf("40h wrote %u\n", r.ax);
    fflush(stdout);
    r.ax = 0x4000; r.bx = 1; r.cx = 7; r.dx = (unsigned)"raw LF\n";
    dos21(&r);
    printf("40h wrote %u\n", r.ax);
    fflush(stdout);
    return 0;
}
