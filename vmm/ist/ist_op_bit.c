/* ist_op_bit.c: (being written) */
#include "ist_opcommon.h"

const struct ist_opcode ist_ops_bit[] = {
	IST_OP_TABLE_END,
};
