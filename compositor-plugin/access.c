/* access.c: the mvm_seamless_v1 global is vman's alone: a client of the compositor's own
 * uid whose executable is the configured vman binary (or MVM_SEAMLESS_ALLOW_EXE in tests). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <weston/weston.h>

#include "mvm-seamless-v1-server-protocol.h"
#include "seamless.h"

/* /proc/PID/exe shows the canonical path, so the configured one is compared canonical
 * too; a path that does not exist (vman not installed yet) is kept as written. */
static char *canonical_path(char *path)
{
	char *resolved = realpath(path, NULL);

	if (!resolved)
		return path;
	free(path);
	return resolved;
}

static bool client_exe_is(pid_t pid, const char *path)
{
	char link[32], exe[PATH_MAX];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	len = readlink(link, exe, sizeof(exe) - 1);
	if (len < 0)
		return false;
	exe[len] = '\0';
	return strcmp(exe, path) == 0;
}

bool seamless_access_allowed(const struct seamless *seamless, const struct wl_client *client)
{
	pid_t pid;
	uid_t uid;
	gid_t gid;

	/* libwayland's filter hands a const client; reading its credentials changes nothing. */
	wl_client_get_credentials((struct wl_client *)client, &pid, &uid, &gid);
	if (uid != geteuid())
		return false;
	return client_exe_is(pid, seamless->vman_path) ||
	       (seamless->test_exe && client_exe_is(pid, seamless->test_exe));
}

/* Hides only our global; every other global stays as visible as before. No Weston 10
 * binary or module sets a global filter (none imports wl_display_set_global_filter), and
 * libwayland has no getter to chain to one, so ours is the display's only filter. Should
 * a module loaded later replace it, the bind handler still refuses strangers. */
static bool global_visible(const struct wl_client *client, const struct wl_global *global,
			   void *data)
{
	if (wl_global_get_interface(global) != &mvm_seamless_v1_interface)
		return true;
	return seamless_access_allowed(data, client);
}

int seamless_access_init(struct seamless *seamless)
{
	struct weston_config_section *section =
		weston_config_get_section(wet_get_config(seamless->compositor), "mvm-seamless",
					  NULL, NULL);
	const char *test_exe = getenv("MVM_SEAMLESS_ALLOW_EXE");

	if (weston_config_section_get_string(section, "vman", &seamless->vman_path,
					     MVM_SEAMLESS_VMAN_PATH) < 0 &&
	    !seamless->vman_path)
		return -1;
	seamless->vman_path = canonical_path(seamless->vman_path);
	if (test_exe && test_exe[0]) {
		seamless->test_exe = strdup(test_exe);
		if (!seamless->test_exe)
			return -1;
		seamless->test_exe = canonical_path(seamless->test_exe);
		weston_log("mvm-seamless: MVM_SEAMLESS_ALLOW_EXE lets %s bind too (tests only)\n",
			   seamless->test_exe);
	}
	weston_log("mvm-seamless: guest windows for %s\n", seamless->vman_path);
	wl_display_set_global_filter(seamless->compositor->wl_display, global_visible, seamless);
	return 0;
}

void seamless_access_finish(struct seamless *seamless)
{
	wl_display_set_global_filter(seamless->compositor->wl_display, NULL, NULL);
	free(seamless->vman_path);
	free(seamless->test_exe);
	seamless->vman_path = seamless->test_exe = NULL;
}
