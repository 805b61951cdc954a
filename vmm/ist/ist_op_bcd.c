/* ist_op_bcd.c: (being written) */
#include "ist_opcommon.h"

const struct ist_opcode ist_ops_bcd[] = {
	IST_OP_TABLE_END,
};
