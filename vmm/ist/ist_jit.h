/* ist_jit.h: the IST's translator: blocks of decoded instructions to x86-64 host code.
 *
 * The interpreter stays the definition of every instruction. The translator
 * turns the common integer instructions of a block (MOV, LEA, the ALU
 * operations, INC/DEC, Jcc, JMP) into host code that keeps guest state where
 * the interpreter keeps it (registers in ist_cpu.r, lazy flags in ist_cpu.lf)
 * and does only the plain case: anything else, an instruction it does not
 * translate or an access that is not plain RAM inside the segment, goes to
 * the instruction's own handler, which runs the rest of the block. Host code
 * enters through the instructions' handler pointers, so block chaining, dead
 * blocks and faults work as before.
 */
#ifndef MVM_IST_JIT_H
#define MVM_IST_JIT_H

#include <stdbool.h>
#include <stdint.h>

struct ist_jit;
struct ist_block;

/* Sets the translator up; *out is NULL (and the IST interprets only) when
 * this host cannot run translated code. Returns a negative errno only when
 * memory is short. */
int ist_jit_create(struct ist_jit **out);
void ist_jit_destroy(struct ist_jit *jit);

/* Forgets all translated code (the code cache was reset). */
void ist_jit_reset(struct ist_jit *jit);

/* Translates what it can of block b, whose instructions have opcodes
 * codes[k] (0-1FFh, see ist_ops.h), and points their handlers at the host
 * code. The code assumes the A20 gate's a20_mask: a change of the gate must
 * drop it. Returns false when the code buffer is full: b is left as it was
 * and the caller should reset the cache. */
bool ist_jit_translate(struct ist_jit *jit, struct ist_block *b, const uint16_t *codes,
		       uint32_t a20_mask);

#endif
