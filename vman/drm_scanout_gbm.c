/* drm_scanout_gbm.c: scanout from a GBM surface drawn with GLES 2 through EGL on the card: each swap's buffer becomes a framebuffer, kept locked while it is committed or on screen. */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <drm_fourcc.h>
#include <gbm.h>
#include <xf86drmMode.h>

#include "drm_scanout.h"
#include "gl_placed.h"
#include "gl_program.h"

/*
 * One EGL context draws into a surface of the mode's size; a modeset to
 * another size makes a second surface, and the first goes when the
 * modeset succeeded. A buffer's framebuffer is made the first time GBM
 * hands it out and stays with it (its user data) until GBM destroys it.
 * Two buffers of a surface are locked at most: the one on screen and the
 * one drawn, committed or flipping to. The context is current only while
 * it draws, so that frames may come from any thread, one at a time (as in
 * renderer_gles.c), and a surface is never current when it goes.
 */

struct gbm_output {
	struct gbm_surface *surface; /* NULL: none */
	EGLSurface egl;
	unsigned width, height;
	struct gbm_bo *front; /* on screen, or shown last */
};

struct gbm_scanout {
	struct vman_drm_scanout base;
	int fd;
	struct gbm_device *device;
	EGLDisplay display;
	EGLConfig config;
	EGLContext context;
	PFNEGLCREATEPLATFORMWINDOWSURFACEEXTPROC create_window_surface;
	struct vman_gl_placed gl;
	bool gl_ready;
	struct gbm_output current;
	struct gbm_output fresh; /* prepared for a new size, until shown */
	struct gbm_output *drawn_on;
	struct gbm_bo *drawn;    /* locked, not on screen yet */
};

static const struct vman_drm_scanout_impl gbm_impl;

static struct gbm_scanout *gbm_from_scanout(struct vman_drm_scanout *scanout)
{
	assert(scanout->impl == &gbm_impl);
	return (struct gbm_scanout *)scanout;
}

static void output_destroy(struct gbm_scanout *gbm, struct gbm_output *output)
{
	if (output->egl != EGL_NO_SURFACE)
		eglDestroySurface(gbm->display, output->egl);
	/* Destroys its buffers too, and so (fb_destroy) their framebuffers. */
	if (output->surface)
		gbm_surface_destroy(output->surface);
	*output = (struct gbm_output){.egl = EGL_NO_SURFACE};
}

static int output_create(struct gbm_scanout *gbm, unsigned width, unsigned height,
			 struct gbm_output *output)
{
	*output = (struct gbm_output){.egl = EGL_NO_SURFACE, .width = width, .height = height};
	output->surface = gbm_surface_create(gbm->device, width, height, GBM_FORMAT_XRGB8888,
					     GBM_BO_USE_SCANOUT | GBM_BO_USE_RENDERING);
	if (output->surface)
		output->egl = gbm->create_window_surface(gbm->display, gbm->config, output->surface,
							 NULL);
	if (output->egl == EGL_NO_SURFACE) {
		output_destroy(gbm, output);
		return -ENODEV;
	}
	return 0;
}

static void fb_destroy(struct gbm_bo *bo, void *data)
{
	drmModeRmFB(gbm_device_get_fd(gbm_bo_get_device(bo)), (uint32_t)(uintptr_t)data);
}

/* The buffer's framebuffer: made once, then kept in its user data. */
static int bo_fb(struct gbm_scanout *gbm, struct gbm_bo *bo, uint32_t *fb_id)
{
	uint32_t handles[4] = {gbm_bo_get_handle(bo).u32}, pitches[4] = {gbm_bo_get_stride(bo)};
	uint32_t offsets[4] = {0};
	void *data = gbm_bo_get_user_data(bo);
	int rc;

	if (data) {
		*fb_id = (uint32_t)(uintptr_t)data;
		return 0;
	}
	rc = drmModeAddFB2(gbm->fd, gbm_bo_get_width(bo), gbm_bo_get_height(bo),
			   DRM_FORMAT_XRGB8888, handles, pitches, offsets, fb_id, 0);
	if (rc < 0)
		return rc;
	gbm_bo_set_user_data(bo, (void *)(uintptr_t)*fb_id, fb_destroy);
	return 0;
}

static int gbm_prepare(struct vman_drm_scanout *scanout, unsigned width, unsigned height)
{
	struct gbm_scanout *gbm = gbm_from_scanout(scanout);

	output_destroy(gbm, &gbm->fresh);
	if (gbm->current.surface && gbm->current.width == width && gbm->current.height == height)
		return 0;
	return output_create(gbm, width, height, &gbm->fresh);
}

static int gbm_draw(struct vman_drm_scanout *scanout, const uint32_t *pixels, unsigned width,
		    unsigned height, const struct vman_placement *placement, uint32_t *fb_id)
{
	struct gbm_scanout *gbm = gbm_from_scanout(scanout);
	struct gbm_output *output = gbm->fresh.surface ? &gbm->fresh : &gbm->current;
	struct gbm_bo *bo;
	int rc;

	if (!output->surface || gbm->drawn)
		return -EINVAL;
	if (!eglMakeCurrent(gbm->display, output->egl, output->egl, gbm->context))
		return -EIO;
	rc = vman_gl_placed_draw(&gbm->gl, output->width, output->height, pixels, width, height,
				 placement);
	if (rc == 0 && !eglSwapBuffers(gbm->display, output->egl))
		rc = -EIO;
	eglMakeCurrent(gbm->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	if (rc < 0)
		return rc;
	bo = gbm_surface_lock_front_buffer(output->surface);
	if (!bo)
		return -EIO;
	rc = bo_fb(gbm, bo, fb_id);
	if (rc < 0) {
		gbm_surface_release_buffer(output->surface, bo);
		return rc;
	}
	gbm->drawn = bo;
	gbm->drawn_on = output;
	return 0;
}

static void gbm_shown(struct vman_drm_scanout *scanout)
{
	struct gbm_scanout *gbm = gbm_from_scanout(scanout);

	if (!gbm->drawn)
		return;
	if (gbm->drawn_on == &gbm->fresh) {
		/* The modeset to the new size is done: the old surface is off screen. */
		output_destroy(gbm, &gbm->current);
		gbm->current = gbm->fresh;
		gbm->fresh = (struct gbm_output){.egl = EGL_NO_SURFACE};
	} else if (gbm->current.front) {
		gbm_surface_release_buffer(gbm->current.surface, gbm->current.front);
	}
	gbm->current.front = gbm->drawn;
	gbm->drawn = NULL;
	gbm->drawn_on = NULL;
}

static void gbm_discard(struct vman_drm_scanout *scanout)
{
	struct gbm_scanout *gbm = gbm_from_scanout(scanout);

	if (gbm->drawn)
		gbm_surface_release_buffer(gbm->drawn_on->surface, gbm->drawn);
	gbm->drawn = NULL;
	gbm->drawn_on = NULL;
	output_destroy(gbm, &gbm->fresh);
}

static void gbm_destroy(struct vman_drm_scanout *scanout)
{
	struct gbm_scanout *gbm = gbm_from_scanout(scanout);

	if (gbm->context != EGL_NO_CONTEXT) {
		if (gbm->gl_ready && eglMakeCurrent(gbm->display, gbm->current.egl,
						    gbm->current.egl, gbm->context))
			vman_gl_placed_finish(&gbm->gl);
		eglMakeCurrent(gbm->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
		eglDestroyContext(gbm->display, gbm->context);
	}
	output_destroy(gbm, &gbm->fresh);
	output_destroy(gbm, &gbm->current);
	/* The display is this GBM device's alone. */
	if (gbm->display != EGL_NO_DISPLAY)
		eglTerminate(gbm->display);
	if (gbm->device)
		gbm_device_destroy(gbm->device);
	free(gbm);
}

static const struct vman_drm_scanout_impl gbm_impl = {
	.name = "a GBM surface drawn with GLES 2",
	.destroy = gbm_destroy,
	.prepare = gbm_prepare,
	.draw = gbm_draw,
	.shown = gbm_shown,
	.discard = gbm_discard,
};

/* An EGL display on the GBM device, initialised: only through the
 * platform extensions, since eglGetDisplay may guess another platform. */
static bool display_start(struct gbm_scanout *gbm)
{
	const char *extensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
	PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display;

	if (!vman_gl_has_extension(extensions, "EGL_EXT_platform_base") ||
	    (!vman_gl_has_extension(extensions, "EGL_KHR_platform_gbm") &&
	     !vman_gl_has_extension(extensions, "EGL_MESA_platform_gbm")))
		return false;
	get_platform_display =
		(PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
	gbm->create_window_surface = (PFNEGLCREATEPLATFORMWINDOWSURFACEEXTPROC)eglGetProcAddress(
		"eglCreatePlatformWindowSurfaceEXT");
	if (!get_platform_display || !gbm->create_window_surface)
		return false;
	gbm->display = get_platform_display(EGL_PLATFORM_GBM_KHR, gbm->device, NULL);
	if (gbm->display == EGL_NO_DISPLAY)
		return false;
	if (!eglInitialize(gbm->display, NULL, NULL)) {
		gbm->display = EGL_NO_DISPLAY;
		return false;
	}
	return eglBindAPI(EGL_OPENGL_ES_API);
}

/* A window config for GLES 2 whose native visual is the surfaces' format. */
static bool config_choose(struct gbm_scanout *gbm)
{
	static const EGLint attributes[] = {
		EGL_SURFACE_TYPE, EGL_WINDOW_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_ES2_BIT,
		EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_NONE,
	};
	EGLConfig configs[64];
	EGLint count = 0;

	if (!eglChooseConfig(gbm->display, attributes, configs, 64, &count))
		return false;
	for (EGLint i = 0; i < count; i++) {
		EGLint visual = 0;

		if (eglGetConfigAttrib(gbm->display, configs[i], EGL_NATIVE_VISUAL_ID, &visual) &&
		    (uint32_t)visual == GBM_FORMAT_XRGB8888) {
			gbm->config = configs[i];
			return true;
		}
	}
	return false;
}

/* The GBM device, EGL on it, a surface and the GL objects. */
static bool gbm_start(struct gbm_scanout *gbm, unsigned width, unsigned height)
{
	static const EGLint context_attributes[] = {EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE};
	struct stat status;

	/* Only a DRM device node can be one; anything else is not even tried. */
	if (fstat(gbm->fd, &status) < 0 || !S_ISCHR(status.st_mode))
		return false;
	gbm->device = gbm_create_device(gbm->fd);
	if (!gbm->device || !display_start(gbm) || !config_choose(gbm))
		return false;
	gbm->context = eglCreateContext(gbm->display, gbm->config, EGL_NO_CONTEXT,
					context_attributes);
	if (gbm->context == EGL_NO_CONTEXT || output_create(gbm, width, height, &gbm->current) < 0 ||
	    !eglMakeCurrent(gbm->display, gbm->current.egl, gbm->current.egl, gbm->context))
		return false;
	gbm->gl_ready = vman_gl_placed_init(&gbm->gl) == 0;
	eglMakeCurrent(gbm->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	return gbm->gl_ready;
}

struct vman_drm_scanout *vman_drm_scanout_gbm_create(int fd, unsigned width, unsigned height)
{
	struct gbm_scanout *gbm = calloc(1, sizeof(*gbm));

	if (!gbm) {
		errno = ENOMEM;
		return NULL;
	}
	gbm->base.impl = &gbm_impl;
	gbm->fd = fd;
	gbm->display = EGL_NO_DISPLAY;
	gbm->context = EGL_NO_CONTEXT;
	gbm->current.egl = EGL_NO_SURFACE;
	gbm->fresh.egl = EGL_NO_SURFACE;
	if (!gbm_start(gbm, width, height)) {
		gbm_destroy(&gbm->base);
		errno = ENODEV;
		return NULL;
	}
	return &gbm->base;
}
