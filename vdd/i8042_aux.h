/* i8042_aux.h: the link between the 8042 keyboard controller (kbd) and a device on its auxiliary (PS/2 mouse) port, both ways by request_vdd. */
#ifndef MVM_I8042_AUX_H
#define MVM_I8042_AUX_H

/*
 * The controller registers the request entry I8042_REQUEST; the aux device
 * registers PS2AUX_REQUEST. Both are VDDs of the same VM; either may be
 * absent (request_vdd then says -ENOENT).
 *
 * Guest -> device: for each data byte the guest writes after command D4h,
 * the controller calls PS2AUX_WRITE with that one byte in `in` (out NULL).
 * Without a PS2AUX_REQUEST entry the controller answers as an empty port
 * (FEh with the timeout bit).
 *
 * Device -> guest: the device calls I8042_AUX_SEND with 1 to
 * I8042_AUX_SEND_MAX bytes in `in` (out NULL), at any time, also from inside
 * its PS2AUX_WRITE (the controller expects that). The controller queues
 * them (at least I8042_AUX_QUEUE bytes; -ENOSPC when they do not all fit,
 * and then none is taken) and hands them to the guest one at a time through
 * its output buffer, with the status register's aux bit and IRQ 12 as the
 * guest enabled it; while the guest disabled the aux port (command A7h),
 * the bytes wait. -EINVAL for an empty or longer send.
 */

#define I8042_REQUEST "i8042"
#define I8042_AUX_SEND 1u
#define I8042_AUX_SEND_MAX 16u
#define I8042_AUX_QUEUE 64u

#define PS2AUX_REQUEST "ps2aux"
#define PS2AUX_WRITE 1u

#endif
