/* cli.h: what mvm's commands (boot, run) share. */
#ifndef MVM_CLI_H
#define MVM_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "display.h"
#include "machine.h"

#define EXIT_MVM_ERROR 1
#define EXIT_USAGE 2
#define EXIT_SIGNAL_BASE 128

/* Prints "mvm: MESSAGE" and where help is; returns EXIT_USAGE. */
int usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The VDDs of one VM, defaults first, with the user's properties. */
struct vdd_list {
	struct machine_vdd *items;
	size_t count;
};

/* The VDD named name, added when it is not in the list yet; NULL: no memory. */
struct machine_vdd *vdd_list_get(struct vdd_list *list, const char *name, size_t name_len);
int vdd_list_add_prop(struct machine_vdd *vdd, const char *assignment, size_t len);
/* "NAME[:key=value,...]" */
int vdd_list_parse(struct vdd_list *list, const char *spec);
/* Sets KEY=VALUE on VDD name, adding the VDD to the list. */
int vdd_list_set(struct vdd_list *list, const char *name, const char *key, const char *value);
void vdd_list_free(struct vdd_list *list);

int parse_memory(const char *text, uint32_t *mib);
int parse_seconds(const char *text, uint64_t *ns);
int add_verbosity(int *verbosity);

/* The PC's firmware and devices as a command line configures them. */
struct pc_options {
	const char *bios;
	bool readonly;
	const char *floppy, *floppy_drive; /* the image, and the drive type for it */
	const char *hda;
	const char *vgabios, *genrom;
	const char *screenshot, *keys, *serial, *debugcon;
};

/* Adds the PC's VDDs with these properties (the user's --vdd settings come
 * after, and so win). */
int add_pc_vdds(struct vdd_list *vdds, const struct pc_options *o);

/* Builds a machine with the BIOS at bios_path and runs it to its end,
 * stoppable by SIGINT and SIGTERM; returns mvm's exit status. */
int run_firmware(const struct machine_config *config, const char *bios_path);
/* Runs a machine set up to start, and destroys it. */
int run_machine(struct machine *m);

/* The options boot and run share, as getopt_long codes; a command's own
 * codes start at CLI_OPT_COMMAND. */
enum cli_option {
	CLI_OPT_CPU = 256,
	CLI_OPT_MEMORY,
	CLI_OPT_VDD,
	CLI_OPT_TIMEOUT,
	CLI_OPT_NO_PACING,
	CLI_OPT_SCREENSHOT,
	CLI_OPT_KEYS,
	CLI_OPT_BIOS,
	CLI_OPT_VGABIOS,
	CLI_OPT_DISPLAY,
	CLI_OPT_RENDERER,
	CLI_OPT_FULLSCREEN,
	CLI_OPT_COMMAND,
};

/* Their entries for a command's struct option table. */
#define CLI_MACHINE_OPTIONS                                                                   \
	{ "cpu", required_argument, NULL, CLI_OPT_CPU },                                     \
	{ "memory", required_argument, NULL, CLI_OPT_MEMORY },                               \
	{ "vdd", required_argument, NULL, CLI_OPT_VDD },                                     \
	{ "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },                             \
	{ "no-pacing", no_argument, NULL, CLI_OPT_NO_PACING },                               \
	{ "screenshot", required_argument, NULL, CLI_OPT_SCREENSHOT },                       \
	{ "keys", required_argument, NULL, CLI_OPT_KEYS },                                   \
	{ "bios", required_argument, NULL, CLI_OPT_BIOS },                                   \
	{ "vgabios", required_argument, NULL, CLI_OPT_VGABIOS },                             \
	{ "display", required_argument, NULL, CLI_OPT_DISPLAY },                             \
	{ "renderer", required_argument, NULL, CLI_OPT_RENDERER },                           \
	{ "fullscreen", no_argument, NULL, CLI_OPT_FULLSCREEN },                             \
	{ "verbose", no_argument, NULL, 'v' }

/* What the shared options set. */
struct cli_machine {
	struct machine_config config;
	struct pc_options pc;
	const char **user_vdds; /* --vdd, applied after the command's own VDDs */
	size_t user_vdd_count;
	struct vdd_list vdds;   /* vpic and vpit, which every PC has, then the command's */
	struct display_options display;
};

/* The defaults, for a command line of argc words; -ENOMEM. */
int cli_machine_init(struct cli_machine *m, int argc);
void cli_machine_finish(struct cli_machine *m);
/* One getopt_long result that is not the command's own: a shared option,
 * -v, a missing value (':') or an unknown option. Returns 0, or EXIT_USAGE
 * after saying what is wrong. */
int cli_machine_option(struct cli_machine *m, const char *command, int opt, char **argv,
		       int *verbosity);
/* Adds the --vdd settings to m->vdds: 0, or EXIT_USAGE after saying why. */
int cli_machine_add_user_vdds(struct cli_machine *m, const char *command);

/* Opens the display --display asks for into m->config.display, the VM
 * named name: 0, or EXIT_MVM_ERROR after saying why. */
int cli_machine_open_display(struct cli_machine *m, const char *name);
/* After the run: writes --screenshot from the display and closes it.
 * Returns status, or EXIT_MVM_ERROR when status was 0 and the screenshot
 * could not be written. */
int cli_machine_close_display(struct cli_machine *m, int status);

/* The help text of the display options, which boot and run share. */
#define CLI_DISPLAY_HELP                                                                      \
	"      --display auto|headless|wayland|drm|vman\n"                                    \
	"                            where the screen goes: auto (the default) is the vman\n"  \
	"                            service when one runs, else headless (off-screen)\n"      \
	"      --renderer pixman|gles  how an in-process VMAN composes (default pixman)\n"     \
	"      --fullscreen          start fullscreen (wayland, drm); Alt+Home toggles\n"

/* mvm run (cmd_run.c). */
int cmd_run(int argc, char **argv, int verbosity);

#endif
