/* vdd_plugin.h: finding, loading and checking VDD shared objects. */
#ifndef MVM_VDD_PLUGIN_H
#define MVM_VDD_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "vdh.h"

/* The symbol every VDD exports. */
#define VDD_MODULE_SYMBOL "vdd_module"
#define VDD_FILE_SUFFIX ".so"

/* A loaded VDD; loaded once per process and kept until exit. */
struct vdd_plugin {
	char *path;
	void *handle;
	const struct vdd_module *module;
	bool initialized; /* module->init ran */
	struct vdd_plugin *next;
};

/* Directories searched in order for NAME.so; NULL-terminated. */
struct vdd_search_path {
	const char *const *dirs;
};

/* The search path mvm uses: $MVM_VDD_PATH (colon-separated), then the build
 * tree next to the running executable (vdd/ and doskrnl/), then the install
 * directory. */
int vdd_search_path_default(struct vdd_search_path *path) __attribute__((warn_unused_result));
void vdd_search_path_finish(struct vdd_search_path *path);

/* The first dir/file on the search path that is a regular file, into out:
 * the data files VDDs come with (doskrnl.rom). -ENOENT when none is. */
int vdd_search_path_find(const struct vdd_search_path *path, const char *file, char *out,
			 size_t out_size) __attribute__((warn_unused_result));

/* Loads name (a path when it holds a '/', else NAME.so on the search path),
 * checks it is a VDD for this API and, given vdh, runs its init once (NULL:
 * only look at it). Errors name the file and what is wrong. */
int vdd_plugin_load(const char *name, const struct vdd_search_path *path, const struct vdh *vdh,
		    struct vdd_plugin **out, char *err, size_t err_size)
	__attribute__((warn_unused_result));

/* Calls fn for every NAME.so in every search directory, in search order. */
void vdd_plugin_list(const struct vdd_search_path *path,
		     void (*fn)(void *opaque, const char *file), void *opaque);

#endif
