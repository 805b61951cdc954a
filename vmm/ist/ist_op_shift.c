/* ist_op_shift.c: (being written) */
#include "ist_opcommon.h"

const struct ist_opcode ist_ops_shift[] = {
	IST_OP_TABLE_END,
};
