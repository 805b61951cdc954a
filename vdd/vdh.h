/* vdh.h: the Virtual Device Helper API, the only interface between a VDD and the VMM. */
#ifndef MVM_VDH_H
#define MVM_VDH_H

/*
 * A VDD (virtual device driver) is a shared object that exports one symbol,
 * `vdd_module` (a struct vdd_module, see VDD_MODULE below). The VMM checks its
 * api_version, validates the user's properties against its property table,
 * calls init() once per process and create() once per VM. Everything a VDD
 * does to its VM goes through the helper table `struct vdh` it receives in
 * init(), always with the `struct vdh_dev` handle create() received: hooks
 * are owned by that handle, and the VMM removes them when the VM ends.
 *
 * Modelled on OS/2's Virtual Device Helpers (VDHInstallIOHook,
 * VDHInstallIntHook, VDHOpenVIRQ, VDHArmTimerHook, VDHMapPages,
 * VDHRegisterVDD), reshaped for C11 and a Linux host.
 *
 * Threading: every hook runs on the VM's vCPU thread, one at a time; helpers
 * may only be called from hooks and from create()/terminate().
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped on any incompatible change of this header; a VDD built for another
 * version is refused at load time. */
#define VDH_API_VERSION 4

#define VDH_MUST_CHECK __attribute__((warn_unused_result))

struct vdh_dev;     /* one VDD instance attached to one VM */
struct vdh_props;   /* the validated properties given to create() */
struct vdh_irq;     /* an opened virtual IRQ line */
struct vdh_timer;   /* a timer on the VM's virtual clock */
struct vdh_mapping; /* a guest-physical range mapped by a VDD */

/* Guest registers as SVC and software-interrupt handlers see and change them.
 * In an interrupt hook, eflags is the caller's FLAGS image (the one IRET
 * restores), so setting VDH_FLAG_CF reports an error to the caller. */
struct vdh_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
	uint32_t eip, eflags;
	uint16_t cs, ds, es, fs, gs, ss;
};

#define VDH_FLAG_CF 0x0001u
#define VDH_FLAG_PF 0x0004u
#define VDH_FLAG_AF 0x0010u
#define VDH_FLAG_ZF 0x0040u
#define VDH_FLAG_SF 0x0080u
#define VDH_FLAG_TF 0x0100u
#define VDH_FLAG_IF 0x0200u
#define VDH_FLAG_DF 0x0400u
#define VDH_FLAG_OF 0x0800u

/* Real-mode segment:offset to a linear (= physical, paging off) address. */
static inline uint32_t vdh_real_linear(uint16_t segment, uint16_t offset)
{
	return ((uint32_t)segment << 4) + offset;
}

/* Port I/O handlers for one claimed range. A NULL word or dword handler
 * means the access is split into narrower ones (dword into words when inw or
 * outw is set, else into bytes); a NULL inb reads 0xFF, a NULL outb drops the
 * write, as an absent ISA device would. */
struct vdh_io_ops {
	uint8_t (*inb)(void *opaque, uint16_t port);
	uint16_t (*inw)(void *opaque, uint16_t port);
	uint32_t (*ind)(void *opaque, uint16_t port);
	void (*outb)(void *opaque, uint16_t port, uint8_t value);
	void (*outw)(void *opaque, uint16_t port, uint16_t value);
	void (*outd)(void *opaque, uint16_t port, uint32_t value);
};

/* An MMIO access of len (1, 2, 4 or 8) bytes at guest-physical gpa; data is
 * little-endian, filled by the handler on reads. */
typedef void vdh_mmio_fn(void *opaque, uint64_t gpa, void *data, unsigned len, bool is_write);

/* An SVC (`hlt; db n; db ~n`) handler: reads and changes the guest registers;
 * the VMM has already moved IP past the SVC. Errors go to the guest, by DOS
 * convention CF=1 and an error code in AX. */
typedef void vdh_svc_fn(void *opaque, struct vdh_regs *regs);

enum vdh_int_action {
	VDH_INT_RETURN, /* handled: return to the caller (IRET with regs->eflags) */
	VDH_INT_CHAIN,  /* pass on to the vector that was installed before the hook */
};

/* A software-interrupt hook (real mode). */
typedef enum vdh_int_action vdh_int_fn(void *opaque, uint8_t vector, struct vdh_regs *regs);

/* The interrupt controller signalled end of interrupt for a line. */
typedef void vdh_eoi_fn(void *opaque, unsigned line);

/* A timer fired; now_ns is the virtual clock at the time it runs. */
typedef void vdh_timer_fn(void *opaque, uint64_t now_ns);

/* A request from a host program (the DosRequestVDD model) or from another
 * VDD (request_vdd). Returns 0 or a negative errno; *out_len holds the
 * capacity of out on entry and the number of bytes written on return (out
 * and out_len may both be NULL: the caller wants no answer). */
typedef int vdh_request_fn(void *opaque, uint32_t command, const void *in, size_t in_len,
			   void *out, size_t *out_len);

/* Something the display (VMAN) tells the VM: type is an enum
 * vvmi_event_type (vvmi/protocol.h) with its struct vvmi_event_* as body, or
 * one of VMAN's own (vman/vman.h: VMAN_EVENT_FOREGROUND, 0x100, and
 * VMAN_EVENT_POINTER_SCREEN, 0x101); later versions may add types, which a
 * handler ignores when it does not know them. */
typedef void vdh_display_event_fn(void *opaque, unsigned type, const void *body, size_t len);

/* What the VMM asks of the (single) interrupt controller VDD. */
struct vdh_intc_ops {
	void (*set_irq)(void *opaque, unsigned line, bool level); /* input pin changed */
	bool (*has_interrupt)(void *opaque);                      /* INTR pin asserted */
	uint8_t (*acknowledge)(void *opaque);                     /* INTA: the vector */
};

/* What devices ask of the (single) DMA controller VDD (an 8237 pair). */
struct vdh_dma_ops {
	/* Moves up to len bytes between the device's buf and guest memory on
	 * channel (0-7), at the address and as far as the count the guest
	 * programmed; to_memory: the device writes memory (an 8237 "write"
	 * transfer), else it reads it. Returns the bytes moved: 0 when the
	 * channel is masked or programmed for the other direction. Sets
	 * *terminal_count when the count ran out (TC, which ends a floppy
	 * transfer). */
	size_t (*transfer)(void *opaque, unsigned channel, void *buf, size_t len, bool to_memory,
			   bool *terminal_count);
};

/* How many VDDs of one VM may each set a display event handler. */
#define VDH_DISPLAY_HANDLERS 8

/* Lines the VMM and VDDs agree on: ISA IRQ 0-15. */
#define VDH_IRQ_LINES 16

enum vdh_log_level { VDH_LOG_ERROR, VDH_LOG_WARN, VDH_LOG_INFO, VDH_LOG_DEBUG };

enum vdh_prop_type { VDH_PROP_BOOL, VDH_PROP_INT, VDH_PROP_STRING };

/* One typed property a VDD accepts (`--vdd NAME:key=value`). The table ends
 * with an entry whose name is NULL. */
struct vdh_prop_spec {
	const char *name;
	enum vdh_prop_type type;
	const char *default_value; /* in the text form the user would type */
	int64_t min, max;          /* VDH_PROP_INT: accepted range */
	const char *help;
};

/* Flags for map_memory. */
#define VDH_MAP_READONLY 0x1u /* guest writes are dropped, as on a ROM */

/* The helper table. All registration helpers return 0 or a negative errno
 * (-EBUSY when another VDD owns the resource; the VMM then also refuses the
 * VDD with a message naming the conflict). */
struct vdh {
	uint32_t api_version;

	/* Properties, by the names the VDD declared. */
	bool (*prop_bool)(const struct vdh_props *props, const char *name);
	int64_t (*prop_int)(const struct vdh_props *props, const char *name);
	const char *(*prop_string)(const struct vdh_props *props, const char *name);

	/* Port I/O: claim [first, first + count). */
	int (*install_io_hook)(struct vdh_dev *dev, uint16_t first, uint32_t count,
			       const struct vdh_io_ops *ops, void *opaque) VDH_MUST_CHECK;

	/* SVC number n (`hlt; db n; db ~n`). Numbers 0x00-0x0F belong to the VMM. */
	int (*register_svc)(struct vdh_dev *dev, uint8_t n, vdh_svc_fn *fn,
			    void *opaque) VDH_MUST_CHECK;

	/* Software interrupt: points the real-mode vector at a HLT stub in the
	 * VMM's ROM block; VDH_INT_CHAIN continues at the previous vector. */
	int (*install_int_hook)(struct vdh_dev *dev, uint8_t vector, vdh_int_fn *fn,
				void *opaque) VDH_MUST_CHECK;

	/* Virtual IRQ lines: a device opens a line and drives its level; the
	 * EOI callback (may be NULL) runs when the controller ends that line's
	 * interrupt. */
	int (*open_irq)(struct vdh_dev *dev, unsigned line, vdh_eoi_fn *eoi, void *opaque,
			struct vdh_irq **out) VDH_MUST_CHECK;
	void (*set_irq)(struct vdh_irq *irq, bool level);

	/* The interrupt controller side: one VDD registers as the controller,
	 * receives line changes and is asked for vectors; it reports EOIs. */
	int (*register_intc)(struct vdh_dev *dev, const struct vdh_intc_ops *ops,
			     void *opaque) VDH_MUST_CHECK;
	void (*notify_eoi)(struct vdh_dev *dev, unsigned line);

	/* Timers on the virtual clock (nanoseconds since the VM started). */
	uint64_t (*now_ns)(struct vdh_dev *dev);
	int (*create_timer)(struct vdh_dev *dev, vdh_timer_fn *fn, void *opaque,
			    struct vdh_timer **out) VDH_MUST_CHECK;
	void (*arm_timer)(struct vdh_timer *timer, uint64_t deadline_ns);
	void (*disarm_timer)(struct vdh_timer *timer);
	void (*destroy_timer)(struct vdh_timer *timer);

	/* Guest memory, by guest-physical address. read/write fail with -EFAULT
	 * unless the whole range is RAM or ROM (write also refuses ROM). */
	int (*read_guest)(struct vdh_dev *dev, uint64_t gpa, void *buf, size_t len) VDH_MUST_CHECK;
	int (*write_guest)(struct vdh_dev *dev, uint64_t gpa, const void *buf,
			   size_t len) VDH_MUST_CHECK;

	/* Memory map: back [gpa, gpa + size) with host memory (page-aligned,
	 * from alloc_pages) or with an MMIO handler. Page-granular. Overlays the
	 * machine's own layout; overlapping another VDD's mapping is -EBUSY. */
	void *(*alloc_pages)(struct vdh_dev *dev, size_t size);
	void (*free_pages)(struct vdh_dev *dev, void *pages, size_t size);
	int (*map_memory)(struct vdh_dev *dev, uint64_t gpa, uint64_t size, void *host,
			  unsigned flags, struct vdh_mapping **out) VDH_MUST_CHECK;
	int (*map_mmio)(struct vdh_dev *dev, uint64_t gpa, uint64_t size, vdh_mmio_fn *fn,
			void *opaque, struct vdh_mapping **out) VDH_MUST_CHECK;
	void (*unmap)(struct vdh_mapping *mapping);

	/* The A20 gate (8042 output port bit 1, port 92h bit 1): off, guest
	 * address line 20 reads as 0, so 1 MiB wraps to 0 as on an 8086. */
	void (*set_a20)(struct vdh_dev *dev, bool enabled);

	/* The size of the guest's RAM in bytes (conventional, upper and
	 * extended memory together, as --memory gave it). */
	uint64_t (*ram_size)(struct vdh_dev *dev);

	/* The CPU's reset line (8042 command FEh, port 92h bit 0): the CPU
	 * restarts at the reset vector after the current instruction; memory
	 * and devices keep their state, as on a PC. */
	void (*reset_system)(struct vdh_dev *dev);

	/* DMA: one VDD registers as the controller; devices move data through
	 * it with dma_transfer, which returns 0 bytes when there is none. */
	int (*register_dma)(struct vdh_dev *dev, const struct vdh_dma_ops *ops,
			    void *opaque) VDH_MUST_CHECK;
	size_t (*dma_transfer)(struct vdh_dev *dev, unsigned channel, void *buf, size_t len,
			       bool to_memory, bool *terminal_count);

	/* A named entry host programs (DosOpenVDD/DosRequestVDD) and other VDDs
	 * (request_vdd) reach. */
	int (*register_request)(struct vdh_dev *dev, const char *name, vdh_request_fn *fn,
				void *opaque) VDH_MUST_CHECK;
	/* Calls the entry a VDD of this VM registered as name (OS/2's
	 * VDHRequestVDD): -ENOENT when none did, else the entry's return value.
	 * The call is synchronous and may nest: the callee may call back into
	 * the caller's own entries before this returns (an aux device answering
	 * the keyboard controller from inside its write), so a caller keeps its
	 * state consistent before the call and expects it changed after. out and
	 * out_len may both be NULL. */
	int (*request_vdd)(struct vdh_dev *dev, const char *name, uint32_t command, const void *in,
			   size_t in_len, void *out, size_t *out_len) VDH_MUST_CHECK;

	/* The VM's display: its client at VMAN (in this process, or the vman
	 * service), the screen surface and the guest's windows. A VM has one
	 * display; several VDDs may draw on it.
	 *
	 * display_screen: a whole frame of the screen (XRGB8888, stride in
	 * bytes), which becomes the screen surface (sized to it) with damage
	 * over all of it. display_ghi: one GHI command (a VVMI opcode and body,
	 * copied out of the guest; see vman/vman.h's vman_ghi), returning 0 or an
	 * enum vvmi_error_code (positive), or a negative errno when the display
	 * itself failed. Commands that reference a heap read it in the pages
	 * given to display_share_heap: pages from alloc_pages, of which bytes
	 * [heap_start, size) may be read (NULL pages: none). display_frame
	 * composes and presents the frame now (answering the PRESENTs waiting).
	 * All return 0 or a negative errno.
	 *
	 * display_set_event_handler: the display's events (PRESENTED, input and
	 * window events from the host, foreground changes, the pointer in screen
	 * pixels) go to every handler set, in the order the VDDs first set
	 * them. Each VDD has at most one: setting another replaces it in its
	 * place, NULL removes it, and it goes when the VDD does. Up to
	 * VDH_DISPLAY_HANDLERS VDDs per VM (-ENOSPC beyond); -ENODEV when the
	 * VM has no display. */
	int (*display_screen)(struct vdh_dev *dev, const uint32_t *pixels, unsigned width,
			      unsigned height, size_t stride) VDH_MUST_CHECK;
	int (*display_ghi)(struct vdh_dev *dev, uint16_t opcode, const void *body,
			   size_t len) VDH_MUST_CHECK;
	int (*display_share_heap)(struct vdh_dev *dev, void *pages, size_t size,
				  uint32_t heap_start) VDH_MUST_CHECK;
	int (*display_frame)(struct vdh_dev *dev) VDH_MUST_CHECK;
	int (*display_set_event_handler)(struct vdh_dev *dev, vdh_display_event_fn *fn,
					 void *opaque) VDH_MUST_CHECK;

	/* Messages go to mvm's log, prefixed with the VDD's name. */
	void (*log)(struct vdh_dev *dev, enum vdh_log_level level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
};

/* What a VDD exports, as the symbol `vdd_module`. */
struct vdd_module {
	uint32_t api_version; /* VDH_API_VERSION the VDD was built against */
	const char *name;     /* short name users type: --vdd NAME:key=value */
	const char *description;
	const struct vdh_prop_spec *props; /* may be NULL: no properties */

	/* Once per process, before any create(); may be NULL. */
	int (*init)(const struct vdh *vdh);
	/* Once per VM: claim resources through the helpers and return the
	 * per-VM instance in *instance. Returns 0 or a negative errno. */
	int (*create)(struct vdh_dev *dev, const struct vdh_props *props, void **instance);
	/* The VM ends (also after a failed start): release the instance. The
	 * VMM removes the hooks the instance still holds afterwards. */
	void (*terminate)(void *instance);
	/* The VM went to the foreground (it owns the display's output) or the
	 * background; each may be NULL. One of them is called once the VM is
	 * built, then on every change. */
	void (*foreground)(void *instance);
	void (*background)(void *instance);
};

/* Declares the exported module descriptor of a VDD. */
#define VDD_MODULE __attribute__((visibility("default"))) const struct vdd_module vdd_module

#endif
