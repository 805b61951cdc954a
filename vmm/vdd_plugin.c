/* vdd_plugin.c: finding, loading and checking VDD shared objects. */
#include "vdd_plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "props.h"

static struct vdd_plugin *loaded_plugins;

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *dir_of_executable(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	return strdup(exe);
}

int vdd_search_path_default(struct vdd_search_path *path)
{
	const char *env = getenv("MVM_VDD_PATH");
	char *exe_dir = dir_of_executable();
	char **dirs = calloc(64, sizeof(*dirs));
	size_t n = 0;

	if (!dirs) {
		free(exe_dir);
		return -ENOMEM;
	}
	if (env && *env) {
		char *copy = strdup(env), *save = NULL;
		for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && n < 60;
		     d = strtok_r(NULL, ":", &save))
			dirs[n++] = strdup(d);
		free(copy);
	}
	if (exe_dir) {
		/* The build tree: build/vmm/mvm beside build/vdd/NAME.so,
		 * build/doskrnl/doskrnl.so and build/vvmi/vvmi.so. */
		static const char *const tree_dirs[] = { "vdd", "doskrnl", "vvmi" };
		for (size_t i = 0; i < sizeof(tree_dirs) / sizeof(tree_dirs[0]); i++) {
			char tree[PATH_MAX];
			snprintf(tree, sizeof(tree), "%s/../%s", exe_dir, tree_dirs[i]);
			if (is_dir(tree))
				dirs[n++] = strdup(tree);
		}
		free(exe_dir);
	}
	dirs[n++] = strdup(MVM_VDD_INSTALL_DIR);
	for (size_t i = 0; i < n; i++) {
		if (!dirs[i]) {
			path->dirs = (const char *const *)dirs;
			vdd_search_path_finish(path);
			return -ENOMEM;
		}
	}
	path->dirs = (const char *const *)dirs;
	return 0;
}

void vdd_search_path_finish(struct vdd_search_path *path)
{
	char **dirs = (char **)path->dirs;
	for (size_t i = 0; dirs && dirs[i]; i++)
		free(dirs[i]);
	free(dirs);
	path->dirs = NULL;
}

int vdd_search_path_find(const struct vdd_search_path *path, const char *file, char *out,
			 size_t out_size)
{
	for (size_t i = 0; path->dirs && path->dirs[i]; i++) {
		if ((size_t)snprintf(out, out_size, "%s/%s", path->dirs[i], file) < out_size &&
		    is_file(out))
			return 0;
	}
	return -ENOENT;
}

static bool valid_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *c = name; *c; c++)
		if (!(*c == '_' || *c == '-' || (*c >= 'a' && *c <= 'z') ||
		      (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return false;
	return true;
}

/* The real path of the VDD named name into out (PATH_MAX bytes). */
static int resolve(const char *name, const struct vdd_search_path *path, char *out, char *err,
		   size_t err_size)
{
	char tried[512] = "";
	size_t used = 0;

	if (strchr(name, '/')) {
		if (!realpath(name, out)) {
			int e = errno;
			snprintf(err, err_size, "%s: %s", name, strerror(e));
			return -e;
		}
		return 0;
	}
	if (!valid_name(name)) {
		snprintf(err, err_size, "'%s' is not a VDD name (letters, digits, '-', '_')", name);
		return -EINVAL;
	}
	for (size_t i = 0; path->dirs && path->dirs[i]; i++) {
		char candidate[PATH_MAX];
		snprintf(candidate, sizeof(candidate), "%s/%s%s", path->dirs[i], name,
			 VDD_FILE_SUFFIX);
		if (is_file(candidate) && realpath(candidate, out))
			return 0;
		if (used < sizeof(tried))
			used += (size_t)snprintf(tried + used, sizeof(tried) - used, "%s%s",
						 i ? ", " : "", path->dirs[i]);
	}
	snprintf(err, err_size, "no VDD named '%s' (looked for %s%s in: %s; set MVM_VDD_PATH)",
		 name, name, VDD_FILE_SUFFIX, tried);
	return -ENOENT;
}

/* Checks what a VDD promises before anything of it runs. */
static int check_module(const char *file, const struct vdd_module *m, char *err, size_t err_size)
{
	char why[256];
	if (m->api_version != VDH_API_VERSION) {
		snprintf(err, err_size,
			 "%s: built for VDH API version %u, this mvm provides version %u "
			 "(rebuild the VDD against this vdh.h)",
			 file, m->api_version, VDH_API_VERSION);
		return -EPROTO;
	}
	if (!m->name || !valid_name(m->name)) {
		snprintf(err, err_size, "%s: the module has no usable name", file);
		return -EINVAL;
	}
	if (!m->create) {
		snprintf(err, err_size, "%s: missing entry point: create() is NULL", file);
		return -EINVAL;
	}
	if (!m->terminate) {
		snprintf(err, err_size, "%s: missing entry point: terminate() is NULL", file);
		return -EINVAL;
	}
	if (props_check_spec(m->props, why, sizeof(why)) < 0) {
		snprintf(err, err_size, "%s: %s", file, why);
		return -EINVAL;
	}
	return 0;
}

/* Runs a plugin's init() once, the first time it is loaded for a VM. */
static int vdd_plugin_init(struct vdd_plugin *p, const struct vdh *vdh, char *err,
			   size_t err_size)
{
	int rc;
	if (p->initialized || !vdh)
		return 0;
	rc = p->module->init ? p->module->init(vdh) : 0;
	if (rc < 0) {
		snprintf(err, err_size, "%s: init() failed: %s", p->path, strerror(-rc));
		return rc;
	}
	p->initialized = true;
	return 0;
}

int vdd_plugin_load(const char *name, const struct vdd_search_path *path, const struct vdh *vdh,
		    struct vdd_plugin **out, char *err, size_t err_size)
{
	char file[PATH_MAX];
	struct vdd_plugin *p;
	void *handle;
	const struct vdd_module *module;
	int rc = resolve(name, path, file, err, err_size);

	if (rc < 0)
		return rc;
	for (p = loaded_plugins; p; p = p->next) {
		if (strcmp(p->path, file) == 0) {
			rc = vdd_plugin_init(p, vdh, err, err_size);
			if (rc == 0)
				*out = p;
			return rc;
		}
	}
	handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(err, err_size, "cannot load VDD %s", dlerror());
		return -ENOEXEC;
	}
	module = dlsym(handle, VDD_MODULE_SYMBOL);
	if (!module) {
		snprintf(err, err_size,
			 "%s: missing entry point: no '" VDD_MODULE_SYMBOL
			 "' symbol (not an MVM VDD?)",
			 file);
		dlclose(handle);
		return -ENOEXEC;
	}
	rc = check_module(file, module, err, err_size);
	if (rc < 0) {
		dlclose(handle);
		return rc;
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->path = strdup(file))) {
		free(p);
		dlclose(handle);
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	p->handle = handle;
	p->module = module;
	p->next = loaded_plugins;
	loaded_plugins = p;
	rc = vdd_plugin_init(p, vdh, err, err_size);
	if (rc == 0)
		*out = p;
	return rc;
}

void vdd_plugin_list(const struct vdd_search_path *path,
		     void (*fn)(void *opaque, const char *file), void *opaque)
{
	for (size_t i = 0; path->dirs && path->dirs[i]; i++) {
		DIR *d = opendir(path->dirs[i]);
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name), suffix = strlen(VDD_FILE_SUFFIX);
			char file[PATH_MAX];
			if (len <= suffix || strcmp(e->d_name + len - suffix, VDD_FILE_SUFFIX))
				continue;
			snprintf(file, sizeof(file), "%s/%s", path->dirs[i], e->d_name);
			fn(opaque, file);
		}
		closedir(d);
	}
}
