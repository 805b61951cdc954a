/* irq.h: virtual IRQ lines between device VDDs and the interrupt controller VDD. */
#ifndef MVM_IRQ_H
#define MVM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "vdh.h"

struct irq_router;

struct vdh_irq {
	struct irq_router *router;
	unsigned line;
	vdh_eoi_fn *eoi;
	void *opaque;
	const void *owner;
	const char *owner_name;
	bool open;
	bool level;
};

struct irq_router {
	struct vdh_irq line[VDH_IRQ_LINES];
	const struct vdh_intc_ops *intc;
	void *intc_opaque;
	const void *intc_owner;
	const char *intc_owner_name;
};

void irq_router_init(struct irq_router *router);

/* -EBUSY with *taken_by naming the holder when the line is open already. */
int irq_open(struct irq_router *router, unsigned line, vdh_eoi_fn *eoi, void *opaque,
	     const void *owner, const char *owner_name, struct vdh_irq **out,
	     const char **taken_by) __attribute__((warn_unused_result));
void irq_set(struct vdh_irq *irq, bool level);

/* The controller learns the current level of every open line at once. */
int irq_register_intc(struct irq_router *router, const struct vdh_intc_ops *ops, void *opaque,
		      const void *owner, const char *owner_name, const char **taken_by)
	__attribute__((warn_unused_result));
void irq_eoi(struct irq_router *router, unsigned line);

bool irq_has_interrupt(const struct irq_router *router);
uint8_t irq_acknowledge(struct irq_router *router);

/* Closes owner's lines (driving them low) and drops it as controller. */
void irq_release_owner(struct irq_router *router, const void *owner);

#endif
