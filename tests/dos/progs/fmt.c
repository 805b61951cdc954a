/* fmt: printf and sprintf formatting in bcc's C library.
 * args:
 * Integers, longs, unsigned, hex, octal, characters, strings with width,
 * precision, left adjustment and zero padding, plus atoi/atol/strtol and
 * sscanf of the same numbers. Output goes through stdout (int 21h 40h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dos21.h"

int main()
{
    char buf[100];
    int i, a, b;
    long l;
    static int ints[] = { 0, 1, -1, 42, -42, 32767, -32767, 255, 4096 };
    static long longs[] = { 0L, 1L, -1L, 65536L, -65536L, 2147483647L, 123456789L, -99999L };

    for (i = 0; i < 9; i++)
        printf("[%d] [%5d] [%-5d] [%05d] [%u] [%x] [%X] [%o] [%4x]\n",
               ints[i], ints[i], ints[i], ints[i], ints[i], ints[i], ints[i], ints[i], ints[i]);
    for (i = 0; i < 8; i++)
        printf("[%ld] [%12ld] [%-12ld] [%lx] [%08lx] [%lu]\n",
               longs[i], longs[i], longs[i], longs[i], longs[i], longs[i]);
    printf("[%c%c%c] [%s] [%10s] [%-10s] [%.3s] [%%]\n", 'a', 'B', '!', "str", "right", "left", "truncated");
    sprintf(buf, "%d+%d=%d %s", 2, 3, 2 + 3, "ok");
    printf("sprintf: [%s] length %d\n", buf, strlen(buf));
    printf("atoi(\"1234\")=%d atoi(\"-77x\")=%d atol(\"1000000\")=%ld\n",
           atoi("1234"), atoi("-77x"), atol("1000000"));
    printf("strtol(\"ff\",16)=%ld strtol(\"777\",8)=%ld strtol(\"-101\",2)=%ld\n",
           strtol("ff", (char **)0, 16), strtol("777", (char **)0, 8), strtol("-101", (char **)0, 2));
    a = b = 0; l = 0;
    i = sscanf("17 -4 123456", "%d %d %ld", &a, &b, &l);
    printf("sscanf: %d fields: %d %d %ld\n", i, a, b, l);
    for (i = 1, l = 1; i <= 12; i++) { l *= i; printf("%2d! = %9ld\n", i, l); }
    printf("%d %d %d\n", 7 / 2, -7 / 2, -7 % 2);
    printf("%ld %ld\n", 100000L / 7, 100000L % 7);
    return 0;
}
