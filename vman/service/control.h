/* control.h: `vman --foreground NAME` and `vman --snapshot PATH`: one request to a running service. */
#ifndef MVM_VMAN_CONTROL_H
#define MVM_VMAN_CONTROL_H

#include <stdint.h>

/* Connects to the service at socket_path, sends request (VMAN_WIRE_FOREGROUND
 * with a VM's name, or VMAN_WIRE_SCREENSHOT with a path, made absolute
 * here) and waits for its reply. Returns the exit status: 0, or 1 with the
 * reason on stderr. */
int control_run(const char *socket_path, uint32_t request, const char *arg);

#endif
