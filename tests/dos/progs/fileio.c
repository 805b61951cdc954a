/* fileio: file I/O through bcc's C library and DOS handles.
 * args:
 * Creates DATA.TXT (fopen "w" = int 21h 3Ch), reads it back with fgets,
 * seeks with fseek/ftell and lseek (42h, all three origins), overwrites in
 * place through open(O_RDWR) (3Dh) and write (40h), appends by lseek to the
 * end (bcc's fopen "a" truncates: it creates with 3Ch, so it is not used),
 * renames DATA.TXT to RENAMED.TXT (56h, DS:DX -> ES:DI), creates and removes
 * TEMP.TXT (unlink = 41h), and checks the removed and renamed names.
 * Leaves RENAMED.TXT and LOG.TXT.
 */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <errno.h>

#include "dos21.h"
int unlink();
int open();
int close();
int read();
int write();
long lseek();

int dos_rename(from, to)
char *from; char *to;
{
    struct dregs r;
    r.ax = 0x5600;
    r.dx = (unsigned)from;
    r.di = (unsigned)to;
    dos21(&r);
    return r.cf ? -(int)r.ax : 0;
}

int dos_unlink(name)
char *name;
{
    struct dregs r;
    r.ax = 0x4100;
    r.dx = (unsigned)name;
    dos21(&r);
    return r.cf ? -(int)r.ax : 0;
}

int exists(name)
char *name;
{
    FILE *f = fopen(name, "r");
    if (!f) return 0;
    fclose(f);
    return 1;
}

int main()
{
    FILE *f;
    char buf[128];
    int fd, n, i;
    long pos;

    f = fopen("DATA.TXT", "w");
    if (!f) { printf("create failed\n"); return 1; }
    for (i = 1; i <= 5; i++)
        fprintf(f, "line %d of the data file\n", i);
    fclose(f);
    printf("wrote 5 lines\n");

    f = fopen("DATA.TXT", "r");
    if (!f) { printf("reopen failed\n"); return 1; }
    n = 0;
    while (fgets(buf, sizeof buf, f)) {
        n++;
        buf[strlen(buf) - 1] = 0;
        printf("read %d: [%s]\n", n, buf);
    }
    fseek(f, 0L, 2);
    printf("ftell at end: %ld\n", ftell(f));
    fseek(f, 24L, 0);
    fgets(buf, sizeof buf, f);
    printf("at 24: %s", buf);
    fseek(f, -24L, 2);
    fgets(buf, sizeof buf, f);
    printf("at end-24: %s", buf);
    fclose(f);

    fd = open("DATA.TXT", O_RDWR);
    printf("open O_RDWR: %s\n", fd >= 0 ? "ok" : "failed");
    pos = lseek(fd, 0L, 2);
    printf("lseek end: %ld\n", pos);
    pos = lseek(fd, -10L, 2);
    printf("lseek end-10: %ld\n", pos);
    n = read(fd, buf, 20);
    printf("read %d bytes after it\n", n);
    printf("read at eof: %d\n", read(fd, buf, 20));
    pos = lseek(fd, 5L, 0);
    write(fd, "LINE", 4);
    pos = lseek(fd, 0L, 1);
    printf("lseek cur after write: %ld\n", pos);
    pos = lseek(fd, 3L, 1);
    printf("lseek cur+3: %ld\n", pos);
    pos = lseek(fd, 0L, 2);
    n = write(fd, "appended line\n", 14);
    printf("appended %d bytes at %ld\n", n, pos);
    printf("size now: %ld\n", lseek(fd, 0L, 2));
    close(fd);

    f = fopen("DATA.TXT", "r");
    n = 0;
    while (fgets(buf, sizeof buf, f)) n++;
    printf("lines after append: %d, last: %s", n, buf);
    fseek(f, 0L, 0);
    fgets(buf, sizeof buf, f);
    printf("first line now: %s", buf);
    fclose(f);

    printf("rename: %d\n", dos_rename("DATA.TXT", "RENAMED.TXT"));
    printf("DATA.TXT: %s\n", exists("DATA.TXT") ? "found" : "gone");
    printf("RENAMED.TXT: %s\n", exists("RENAMED.TXT") ? "found" : "gone");

    f = fopen("TEMP.TXT", "w");
    fputs("temporary\n", f);
    fclose(f);
    printf("TEMP.TXT: %s\n", exists("TEMP.TXT") ? "found" : "gone");
    printf("unlink TEMP.TXT: %d\n", unlink("TEMP.TXT"));
    printf("TEMP.TXT: %s\n", exists("TEMP.TXT") ? "found" : "gone");
    printf("delete again (41h): %d\n", dos_unlink("TEMP.TXT"));

    f = fopen("LOG.TXT", "w");
    fputs("fileio done\n", f);
    fclose(f);
    printf("done\n");
    return 0;
}
