/* manyfile: many files open at once.
 * args:
 * Creates F00.DAT..F11.DAT, all twelve open together (3Ch), writes to them
 * round-robin so each write lands while all are open, closes them, reopens
 * all twelve for reading (3Dh) and checks contents. Then opens handles on
 * F00.DAT until DOS refuses, capped at 40: the PSP's job file table has 20
 * entries and 5 are stdin/out/err/aux/prn, so the 16th open fails with error
 * 4 (too many open files) on MS-DOS 5 (with FILES= large enough; DOSBox's
 * default is large).
 * Leaves the twelve files.
 */
#include <stdio.h>
#include <fcntl.h>

#include "dos21.h"
int close();
int write();
int read();

int main()
{
    int fd[12], more[40], i, j, n, bad;
    char name[16], buf[64], want[64];
    struct dregs r;

    for (i = 0; i < 12; i++) {
        sprintf(name, "F%02d.DAT", i);
        r.ax = 0x3C00; r.cx = 0; r.dx = (unsigned)name;
        dos21(&r);
        if (r.cf) { printf("create %s failed %u\n", name, r.ax); return 1; }
        fd[i] = r.ax;
    }
    printf("12 files created, handles %d..%d\n", fd[0], fd[11]);
    for (j = 0; j < 3; j++)
        for (i = 0; i < 12; i++) {
            sprintf(buf, "file %d pass %d\n", i, j);
            write(fd[i], buf, strlen(buf));
        }
    for (i = 0; i < 12; i++) close(fd[i]);
    bad = 0;
    for (i = 0; i < 12; i++) {
        sprintf(name, "F%02d.DAT", i);
        r.ax = 0x3D00; r.dx = (unsigned)name;
        dos21(&r);
        if (r.cf) { printf("open %s failed %u\n", name, r.ax); return 1; }
        fd[i] = r.ax;
    }
    for (i = 11; i >= 0; i--) {
        want[0] = 0;
        for (j = 0; j < 3; j++) sprintf(want + strlen(want), "file %d pass %d\n", i, j);
        n = read(fd[i], buf, sizeof buf);
        if (n != strlen(want) || memcmp(buf, want, n)) { bad++; printf("F%02d.DAT wrong\n", i); }
    }
    for (i = 0; i < 12; i++) close(fd[i]);
    printf("reopened all 12, %d bad\n", bad);

    for (n = 0; n < 40; n++) {
        r.ax = 0x3D00; r.dx = (unsigned)"F00.DAT";
        dos21(&r);
        if (r.cf) break;
        more[n] = r.ax;
    }
    if (n < 40) printf("opened %d more handles, then error %u\n", n, r.ax);
    else printf("opened 40 handles without error\n");
    for (i = 0; i < n; i++) close(more[i]);
    r.ax = 0x3D00; r.dx = (unsigned)"F00.DAT";
    dos21(&r);
    printf("after closing them, open: %s, handle %u\n", r.cf ? "failed" : "ok", r.ax);
    close(r.ax);
    return 0;
}
