/* wayland_input.h: the seat's pointer and keyboard, reduced to what a guest hears: where the pointer is on which surface with which buttons, keys, and keyboard focus. Private to vman/. */
#ifndef MVM_VMAN_WAYLAND_INPUT_H
#define MVM_VMAN_WAYLAND_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <wayland-client.h>

/* Buttons as struct vvmi_event_pointer has them. */
#define VMAN_BUTTON_LEFT 0x1u
#define VMAN_BUTTON_RIGHT 0x2u
#define VMAN_BUTTON_MIDDLE 0x4u

struct vman_wayland_input_listener {
	/* The pointer moved or a button changed on surface, at (sx, sy) in its
	 * coordinates. */
	void (*pointer)(void *opaque, struct wl_surface *surface, double sx, double sy,
			unsigned buttons);
	/* An evdev key went down or up while one of our surfaces has focus. */
	void (*key)(void *opaque, uint32_t key, bool pressed);
	/* The keyboard focus came to surface (keys: the evdev codes held then)
	 * or left it (keys NULL, count 0). */
	void (*focus)(void *opaque, struct wl_surface *surface, bool focused, const uint32_t *keys,
		      size_t count);
};

struct vman_wayland_input;

/* Follows the seat's capabilities (a pointer and keyboard come and go).
 * NULL with errno set. */
struct vman_wayland_input *vman_wayland_input_create(struct wl_seat *seat,
						      const struct vman_wayland_input_listener *listener,
						      void *opaque);
/* Releases the seat too. NULL does nothing. */
void vman_wayland_input_destroy(struct vman_wayland_input *input);

/* A surface is going: the pointer and keyboard forget it (the compositor's
 * leave for it may come after the proxy is destroyed). */
void vman_wayland_input_forget(struct vman_wayland_input *input, const struct wl_surface *surface);

#endif
