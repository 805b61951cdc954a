; mzhigh.asm: mzreloc.asm with minimum and maximum allocation 0: DOS loads it high.
; format: exe
;
; With both allocations 0, DOS puts the image at the top of the largest free block, far
; above the PSP (how far depends on the free memory: only "above 1000h" is printed),
; and relocates it there. The rest is mzreloc.asm's.
%define LOAD_HIGH
%include "mzreloc.asm"
