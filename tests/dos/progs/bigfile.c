/* bigfile: a 100 KiB binary file written in 1 KiB chunks and verified.
 * args:
 * Writes BIG.BIN (102400 bytes) with write() in 100 chunks of 1024, each
 * chunk's bytes a function of chunk number and offset, checks the size by
 * lseek to the end (42h AL=2), reads it back in 1 KiB chunks and compares,
 * reads odd-sized pieces across chunk boundaries at offsets past 64 KiB
 * (32-bit seek positions in CX:DX), overwrites one chunk in place, extends
 * the file by seeking past its end and writing, and truncates a copy to
 * 5000 bytes by a zero-length write (40h CX=0). Also copies BIG.BIN to
 * COPY.BIN with fread/fwrite in 700-byte pieces.
 * Leaves BIG.BIN, COPY.BIN, SHORT.BIN.
 */
#include <stdio.h>
#include <fcntl.h>

#include "dos21.h"
int open();
int close();
int read();
int write();
long lseek();
int creat();

unsigned char buf[1024], back[1024];

unsigned char val(pos)
long pos;
{
    return (unsigned char)((pos >> 10) * 13 + (pos & 1023) * 7 + (pos >> 8));
}

int main()
{
    int fd, i, j, n, bad = 0;
    long pos, sum = 0;
    FILE *in, *out;
    struct dregs r;

    fd = creat("BIG.BIN", 0666);
    for (i = 0; i < 100; i++) {
        for (j = 0; j < 1024; j++) buf[j] = val((long)i * 1024 + j);
        n = write(fd, buf, 1024);
        if (n != 1024) { printf("write %d gave %d\n", i, n); return 1; }
    }
    printf("size by lseek: %ld\n", lseek(fd, 0L, 2));
    close(fd);

    fd = open("BIG.BIN", O_RDONLY);
    for (i = 0; i < 100; i++) {
        n = read(fd, back, 1024);
        if (n != 1024) { printf("read %d gave %d\n", i, n); bad++; break; }
        for (j = 0; j < 1024; j++) {
            if (back[j] != val((long)i * 1024 + j)) bad++;
            sum = (sum * 3 + back[j]) & 0xFFFFFFL;
        }
    }
    printf("read back 100 chunks: %d bad bytes, checksum %06lx\n", bad, sum);
    printf("read at end: %d\n", read(fd, back, 1024));
    for (pos = 1000; pos < 102400L; pos += 20000) {
        lseek(fd, pos + 500, 0);
        n = read(fd, back, 777);
        for (j = 0, bad = 0; j < n; j++) if (back[j] != val(pos + 500 + j)) bad++;
        printf("at %6ld: read %d, %d bad\n", pos + 500, n, bad);
    }
    lseek(fd, 102000L, 0);
    printf("read across the end: %d\n", read(fd, back, 1024));
    close(fd);

    fd = open("BIG.BIN", O_RDWR);
    lseek(fd, 70L * 1024, 0);
    for (j = 0; j < 1024; j++) buf[j] = 0xAA;
    write(fd, buf, 1024);
    pos = lseek(fd, 102400L + 100, 0);
    n = write(fd, "TAIL", 4);
    printf("wrote %d at %ld, size now %ld\n", n, pos, lseek(fd, 0L, 2));
    close(fd);

    in = fopen("BIG.BIN", "rb");
    out = fopen("COPY.BIN", "wb");
    pos = 0;
    while ((n = fread(buf, 1, 700, in)) > 0) { fwrite(buf, 1, n, out); pos += n; }
    fclose(in);
    fclose(out);
    printf("copied %ld bytes with fread/fwrite\n", pos);

    fd = creat("SHORT.BIN", 0666);
    for (i = 0; i < 10; i++) { for (j = 0; j < 1024; j++) buf[j] = i; write(fd, buf, 1024); }
    lseek(fd, 5000L, 0);
    r.ax = 0x4000; r.bx = fd; r.cx = 0; r.dx = (unsigned)buf;
    dos21(&r);
    printf("zero-length write: %s, wrote %u\n", r.cf ? "error" : "ok", r.ax);
    printf("SHORT.BIN size: %ld\n", lseek(fd, 0L, 2));
    close(fd);
    return 0;
}
