/* service.h: the vman service's connections: one VM (a libvman client) each, served over wire.h. */
#ifndef MVM_VMAN_SERVICE_H
#define MVM_VMAN_SERVICE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

struct vman;
struct service;

/* The service shares vman (which it keeps owning) among the connections it
 * accepts. NULL on failure (out of memory). */
struct service *service_create(struct vman *vman);
/* Closes every connection (their VMs leave the vman). NULL does nothing. */
void service_destroy(struct service *service);

/* Takes a connection the listening socket accepted: a peer of another user
 * is refused (closed, with a log line). */
void service_accept(struct service *service, int sock);

/* The connections' entries for poll(): how many were written to fds (at
 * most max). */
size_t service_poll_fds(struct service *service, struct pollfd *fds, size_t max);
/* After poll(): serves what the entries service_poll_fds wrote say is
 * ready (count of them), and closes the connections that broke or misbehaved. */
void service_dispatch(struct service *service, const struct pollfd *fds, size_t count);

size_t service_connections(const struct service *service);

/* "vman: message\n" on stderr. */
void service_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
