/* args: command-line arguments through argc/argv and the PSP command tail.
 * args: one Two 3 "quoted text" a\b/c -x=5 last
 * bcc's startup splits the tail at blanks and does not treat quotes
 * specially, so "quoted and text" arrive as two arguments with their quote
 * marks. The program prints argc, each argv[i] with its length, then the
 * raw tail at PSP:80h (length byte, text, the CR after it) and its FCBs at
 * 5Ch/6Ch as int 21h 29h-style parsing left them (drive byte and name).
 */
#include <stdio.h>
#include <string.h>

#include "dos21.h"
extern unsigned int __psp;

int main(argc, argv)
int argc; char **argv;
{
    int i, len;
    printf("argc = %d\n", argc);
    for (i = 1; i < argc; i++)
        printf("argv[%d] = [%s] (%d chars)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
    len = peekfar(__psp, 0x80);
    printf("tail length %d: [", len);
    for (i = 0; i < len; i++) putchar(peekfar(__psp, 0x81 + i));
    printf("] then %02x\n", peekfar(__psp, 0x81 + len));
    printf("FCB1 drive %d name [", peekfar(__psp, 0x5C));
    for (i = 1; i < 12; i++) putchar(peekfar(__psp, 0x5C + i));
    printf("]\nFCB2 drive %d name [", peekfar(__psp, 0x6C));
    for (i = 1; i < 12; i++) putchar(peekfar(__psp, 0x6C + i));
    printf("]\n");
    return argc;
}
