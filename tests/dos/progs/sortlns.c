/* sortlns: sort the lines of a fixture file into SORTED.TXT.
 * args:
 * Reads INPUT.TXT (LF or CRLF lines) with fgets into malloc'd strings,
 * sorts them with an insertion sort (byte order, strcmp), writes
 * SORTED.TXT with CRLF line ends, and prints the count, the first and last
 * lines, the number of duplicates and SORTED.TXT's size. Then sorts again
 * case-insensitively, by length and reversed into BYLEN.TXT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dos21.h"

char *lines[500];
int n;

int lower(c) int c; { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int nocase(a, b)
char *a; char *b;
{
    while (*a && lower(*a) == lower(*b)) { a++; b++; }
    return lower(*(unsigned char *)a) - lower(*(unsigned char *)b);
}

int bylen(a, b)
char *a; char *b;
{
    int d = strlen(b) - strlen(a);
    return d ? d : strcmp(a, b);
}

void sort(cmp)
int (*cmp)();
{
    int i, j;
    char *t;
    for (i = 1; i < n; i++) {
        t = lines[i];
        for (j = i; j > 0 && (*cmp)(lines[j - 1], t) > 0; j--) lines[j] = lines[j - 1];
        lines[j] = t;
    }
}

int main()
{
    FILE *f;
    char buf[256];
    int i, dups = 0, len;
    long size;

    f = fopen("INPUT.TXT", "r");
    if (!f) { printf("no INPUT.TXT\n"); return 1; }
    while (n < 500 && fgets(buf, sizeof buf, f)) {
        len = strlen(buf);
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
        lines[n] = malloc(len + 1);
        strcpy(lines[n++], buf);
    }
    fclose(f);
    printf("%d lines read\n", n);
    sort(strcmp);
    for (i = 1; i < n; i++) if (!strcmp(lines[i], lines[i - 1])) dups++;
    f = fopen("SORTED.TXT", "wb");
    for (i = 0; i < n; i++) fprintf(f, "%s\r\n", lines[i]);
    fclose(f);
    printf("first: [%s]\nlast: [%s]\nduplicates: %d\n", lines[0], lines[n - 1], dups);
    f = fopen("SORTED.TXT", "rb");
    fseek(f, 0L, 2);
    size = ftell(f);
    fclose(f);
    printf("SORTED.TXT: %ld bytes\n", size);
    sort(nocase);
    printf("case-insensitive first 5:\n");
    for (i = 0; i < 5 && i < n; i++) printf("  %s\n", lines[i]);
    sort(bylen);
    f = fopen("BYLEN.TXT", "w");
    for (i = 0; i < n; i++) fprintf(f, "%3d %s\n", strlen(lines[i]), lines[i]);
    fclose(f);
    printf("longest: [%s]\n", lines[0]);
    for (i = 0; i < n; i++) free(lines[i]);
    return 0;
}
