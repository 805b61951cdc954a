/* mallocs: malloc/free stress with a checksum.
 * args:
 * A fixed pseudo-random sequence allocates blocks of 1..600 bytes into 64
 * slots, fills each with a pattern derived from its slot and size, frees
 * and reallocates at random, checks every live block's pattern before
 * freeing it, and tries realloc and calloc. Prints only counts and
 * checksums of the data, never addresses or free-memory figures. bcc's
 * malloc grows the heap with brk inside the 64 KiB segment; DOS memory
 * (48h/49h) is then exercised directly: allocate, resize (4Ah), free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dos21.h"

unsigned long seed = 12345L;
unsigned rnd()
{
    seed = seed * 1103515245L + 12345L;
    return (unsigned)(seed >> 16) & 0x7FFF;
}

char *slot[64];
unsigned size[64];

void fill(i)
int i;
{
    unsigned j;
    for (j = 0; j < size[i]; j++) slot[i][j] = (char)(i * 7 + j * 3 + size[i]);
}

int check(i)
int i;
{
    unsigned j;
    for (j = 0; j < size[i]; j++)
        if (slot[i][j] != (char)(i * 7 + j * 3 + size[i])) return 0;
    return 1;
}

int main()
{
    int step, i, bad = 0, allocs = 0, frees = 0, fails = 0;
    unsigned long sum = 0;
    unsigned j;
    char *p;
    struct dregs r;
    unsigned seg;

    for (step = 0; step < 5000; step++) {
        i = rnd() % 64;
        if (slot[i]) {
            if (!check(i)) bad++;
            for (j = 0; j < size[i]; j++) sum = (sum * 33 + (unsigned char)slot[i][j]) & 0xFFFFFFL;
            free(slot[i]);
            slot[i] = 0;
            frees++;
        } else {
            size[i] = 1 + rnd() % 600;
            slot[i] = malloc(size[i]);
            if (!slot[i]) { fails++; continue; }
            fill(i);
            allocs++;
        }
    }
    for (i = 0; i < 64; i++)
        if (slot[i]) {
            if (!check(i)) bad++;
            free(slot[i]);
            slot[i] = 0;
            frees++;
        }
    printf("allocs %d frees %d failures %d bad %d checksum %06lx\n", allocs, frees, fails, bad, sum);

    p = malloc(100);
    for (i = 0; i < 100; i++) p[i] = i;
    p = realloc(p, 3000);
    for (i = 0, j = 0; i < 100; i++) j += (p[i] == i);
    printf("realloc kept %u of 100 bytes\n", j);
    free(p);
    p = calloc(50, 20);
    for (i = 0, j = 0; i < 1000; i++) j += (p[i] == 0);
    printf("calloc zeroed %u of 1000 bytes\n", j);
    free(p);
    p = malloc(40000U);
    printf("malloc(40000): %s\n", p ? "ok" : "NULL");
    if (p) free(p);
    p = malloc(65000U);
    printf("malloc(65000): %s\n", p ? "ok" : "NULL");

    /* DOS memory: a .COM owns all memory; shrink to 64 KiB first */
    r.ax = 0x4A00; r.bx = 0x1000;
    { extern unsigned int __psp; }
    dos21(&r);   /* ES = DS = the PSP's segment in a .COM */
    printf("4Ah shrink to 64K: %s\n", r.cf ? "error" : "ok");
    r.ax = 0x4800; r.bx = 0x100;
    dos21(&r);
    printf("48h 4 KiB: %s\n", r.cf ? "error" : "ok");
    seg = r.ax;
    r.ax = 0x4800; r.bx = 0xFFFF;
    dos21(&r);
    printf("48h FFFFh paragraphs: error %u, largest %s\n", r.ax, r.bx > 0x100 ? "over 4 KiB" : "small");
    return 0;
}
