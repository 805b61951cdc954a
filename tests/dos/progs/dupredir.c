/* dupredir: duplicating handles (int 21h 45h, 46h) to redirect stdout.
 * args:
 * Duplicates stdout (45h), forces handle 1 onto a new file REDIR.TXT (46h),
 * writes through handle 1 and through printf (flushed), restores handle 1
 * from the duplicate, and reads REDIR.TXT back to stdout. Also checks that
 * a duplicated file handle shares the file position with the original
 * (DUP.TXT), and that 3Eh on a closed handle fails with error 6.
 */
#include <stdio.h>
#include <string.h>

#include "dos21.h"
int read();
int write();
int close();
long lseek();

int main()
{
    struct dregs r;
    int saved, fd, fd2, n;
    char buf[200];

    printf("before redirection\n");
    fflush(stdout);
    r.ax = 0x4500; r.bx = 1; dos21(&r);
    saved = r.ax;
    printf("dup of stdout: %s\n", r.cf ? "error" : "ok");
    fflush(stdout);
    r.ax = 0x3C00; r.cx = 0; r.dx = (unsigned)"REDIR.TXT"; dos21(&r);
    fd = r.ax;
    r.ax = 0x4600; r.bx = fd; r.cx = 1; dos21(&r);
    write(1, "written to handle 1\r\n", 21);
    printf("printf while redirected\n");
    fflush(stdout);
    r.ax = 0x4600; r.bx = saved; r.cx = 1; dos21(&r);
    printf("restored: %s\n", r.cf ? "error" : "ok");
    fflush(stdout);
    close(saved);
    lseek(fd, 0L, 0);
    n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("REDIR.TXT holds %d bytes:\n%s", n, buf);
    close(fd);

    r.ax = 0x3C00; r.cx = 0; r.dx = (unsigned)"DUP.TXT"; dos21(&r);
    fd = r.ax;
    r.ax = 0x4500; r.bx = fd; dos21(&r);
    fd2 = r.ax;
    write(fd, "abcdef", 6);
    printf("position via the duplicate: %ld\n", lseek(fd2, 0L, 1));
    write(fd2, "XYZ", 3);
    close(fd);
    printf("position after closing the original: %ld\n", lseek(fd2, 0L, 1));
    close(fd2);
    r.ax = 0x3E00; r.bx = fd2; dos21(&r);
    printf("close again: %s %u\n", r.cf ? "error" : "ok", r.ax);
    return 0;
}
