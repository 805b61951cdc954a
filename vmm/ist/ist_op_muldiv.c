/* ist_op_muldiv.c: (being written) */
#include "ist_opcommon.h"

const struct ist_opcode ist_ops_muldiv[] = {
	IST_OP_TABLE_END,
};
