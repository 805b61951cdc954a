/* irq.c: virtual IRQ lines between device VDDs and the interrupt controller VDD. */
#include "irq.h"

#include <errno.h>
#include <string.h>

void irq_router_init(struct irq_router *router)
{
	memset(router, 0, sizeof(*router));
	for (unsigned i = 0; i < VDH_IRQ_LINES; i++) {
		router->line[i].router = router;
		router->line[i].line = i;
	}
}

int irq_open(struct irq_router *router, unsigned line, vdh_eoi_fn *eoi, void *opaque,
	     const void *owner, const char *owner_name, struct vdh_irq **out,
	     const char **taken_by)
{
	struct vdh_irq *irq;
	if (line >= VDH_IRQ_LINES)
		return -EINVAL;
	irq = &router->line[line];
	if (irq->open) {
		*taken_by = irq->owner_name;
		return -EBUSY;
	}
	irq->eoi = eoi;
	irq->opaque = opaque;
	irq->owner = owner;
	irq->owner_name = owner_name;
	irq->open = true;
	irq->level = false;
	*out = irq;
	return 0;
}

void irq_set(struct vdh_irq *irq, bool level)
{
	struct irq_router *router = irq->router;
	if (!irq->open)
		return;
	irq->level = level;
	if (router->intc)
		router->intc->set_irq(router->intc_opaque, irq->line, level);
}

int irq_register_intc(struct irq_router *router, const struct vdh_intc_ops *ops, void *opaque,
		      const void *owner, const char *owner_name, const char **taken_by)
{
	if (router->intc) {
		*taken_by = router->intc_owner_name;
		return -EBUSY;
	}
	router->intc = ops;
	router->intc_opaque = opaque;
	router->intc_owner = owner;
	router->intc_owner_name = owner_name;
	for (unsigned i = 0; i < VDH_IRQ_LINES; i++)
		if (router->line[i].open && router->line[i].level)
			ops->set_irq(opaque, i, true);
	return 0;
}

void irq_eoi(struct irq_router *router, unsigned line)
{
	struct vdh_irq *irq;
	if (line >= VDH_IRQ_LINES)
		return;
	irq = &router->line[line];
	if (irq->open && irq->eoi)
		irq->eoi(irq->opaque, line);
}

bool irq_has_interrupt(const struct irq_router *router)
{
	return router->intc && router->intc->has_interrupt(router->intc_opaque);
}

uint8_t irq_acknowledge(struct irq_router *router)
{
	return router->intc->acknowledge(router->intc_opaque);
}

void irq_release_owner(struct irq_router *router, const void *owner)
{
	for (unsigned i = 0; i < VDH_IRQ_LINES; i++) {
		struct vdh_irq *irq = &router->line[i];
		if (!irq->open || irq->owner != owner)
			continue;
		irq_set(irq, false);
		irq->open = false;
		irq->eoi = NULL;
	}
	if (router->intc && router->intc_owner == owner)
		router->intc = NULL;
}
