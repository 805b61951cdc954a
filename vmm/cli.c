/* cli.c: what mvm's commands share: VDD lists, option values, running a machine to its end. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware.h"
#include "log.h"
#include "props.h"

static struct machine *running_machine;
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int signo)
{
	stop_signal = signo;
	if (running_machine)
		machine_request_stop(running_machine);
}

int usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	char text[512];
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, "mvm: %s\nTry 'mvm %s%s--help'.\n", text, command ? command : "",
		command ? " " : "");
	return EXIT_USAGE;
}

struct machine_vdd *vdd_list_get(struct vdd_list *list, const char *name, size_t name_len)
{
	struct machine_vdd *grown;
	char *copy;
	for (size_t i = 0; i < list->count; i++)
		if (strlen(list->items[i].name) == name_len &&
		    strncmp(list->items[i].name, name, name_len) == 0)
			return &list->items[i];
	grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
	copy = strndup(name, name_len);
	if (!grown || !copy) {
		free(copy);
		if (grown)
			list->items = grown;
		return NULL;
	}
	list->items = grown;
	list->items[list->count] = (struct machine_vdd){ .name = copy };
	return &list->items[list->count++];
}

int vdd_list_add_prop(struct machine_vdd *vdd, const char *assignment, size_t len)
{
	const char **grown = realloc(vdd->props, (vdd->prop_count + 1) * sizeof(*grown));
	char *copy = strndup(assignment, len);
	if (!grown || !copy) {
		free(copy);
		if (grown)
			vdd->props = grown;
		return -ENOMEM;
	}
	vdd->props = grown;
	vdd->props[vdd->prop_count++] = copy;
	return 0;
}

/* "NAME[:key=value,...]" */
int vdd_list_parse(struct vdd_list *list, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t name_len = colon ? (size_t)(colon - spec) : strlen(spec);
	struct machine_vdd *vdd;

	if (name_len == 0)
		return -EINVAL;
	vdd = vdd_list_get(list, spec, name_len);
	if (!vdd)
		return -ENOMEM;
	for (const char *a = colon ? colon + 1 : NULL; a && *a;) {
		const char *end = props_next_assignment(a);
		size_t len = end ? (size_t)(end - a) : strlen(a);
		if (vdd_list_add_prop(vdd, a, len) < 0)
			return -ENOMEM;
		a = end ? end + 1 : NULL;
	}
	return 0;
}

void vdd_list_free(struct vdd_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		for (size_t j = 0; j < list->items[i].prop_count; j++)
			free((char *)list->items[i].props[j]);
		free(list->items[i].props);
		free((char *)list->items[i].name);
	}
	free(list->items);
}

int parse_memory(const char *text, uint32_t *mib)
{
	char *end;
	unsigned long v;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || v < MACHINE_MEMORY_MIN_MIB ||
	    v > MACHINE_MEMORY_MAX_MIB)
		return -EINVAL;
	*mib = (uint32_t)v;
	return 0;
}

int parse_seconds(const char *text, uint64_t *ns)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !(v > 0) || v > 1e9)
		return -EINVAL;
	*ns = (uint64_t)(v * 1e9);
	return 0;
}

static int report_end(const struct machine_result *result)
{
	switch (result->how) {
	case MACHINE_END_EXIT:
		log_info("%s", result->message);
		return result->status;
	case MACHINE_END_DEAD:
		log_error("%s", result->message);
		return 3;
	case MACHINE_END_TIMEOUT:
		log_error("%s", result->message);
		return 124;
	case MACHINE_END_STOPPED:
		log_error("%s (%s)", result->message,
			  stop_signal ? strsignal(stop_signal) : "stop requested");
		return stop_signal ? EXIT_SIGNAL_BASE + stop_signal : EXIT_MVM_ERROR;
	case MACHINE_END_ERROR:
		break;
	}
	log_error("%s", result->message);
	return EXIT_MVM_ERROR;
}

static void report_stats(struct machine *m)
{
	struct machine_stats s;
	if (!log_enabled(LOG_INFO))
		return;
	machine_get_stats(m, &s);
	log_info("ran %.6f s of virtual time in %.6f s on %s; exits: %llu I/O, %llu MMIO, "
		 "%llu HLT (%llu SVC), %llu interrupt window, %llu interrupted; "
		 "%llu interrupts injected",
		 (double)s.virtual_ns / 1e9, (double)s.host_ns / 1e9, machine_cpu_name(m),
		 (unsigned long long)s.exits_io, (unsigned long long)s.exits_mmio,
		 (unsigned long long)s.exits_hlt, (unsigned long long)s.exits_svc,
		 (unsigned long long)s.exits_window, (unsigned long long)s.exits_interrupted,
		 (unsigned long long)s.interrupts);
}

/* Runs a machine set up to start, stoppable by SIGINT and SIGTERM, and
 * destroys it; returns mvm's exit status. */
int run_machine(struct machine *m)
{
	struct machine_result result;
	struct sigaction sa = { .sa_handler = on_stop_signal };

	running_machine = m;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	machine_run(m, &result);
	report_stats(m);
	running_machine = NULL;
	machine_destroy(m);
	return report_end(&result);
}

int add_verbosity(int *verbosity)
{
	(*verbosity)++;
	log_set_level(*verbosity >= 2 ? LOG_DEBUG : LOG_INFO);
	return 0;
}

/* Sets KEY=VALUE on VDD name, adding the VDD to the list. */
int vdd_list_set(struct vdd_list *list, const char *name, const char *key,
			const char *value)
{
	struct machine_vdd *vdd = vdd_list_get(list, name, strlen(name));
	char *assignment;
	int rc;

	if (!vdd || asprintf(&assignment, "%s=%s", key, value) < 0)
		return -ENOMEM;
	rc = vdd_list_add_prop(vdd, assignment, strlen(assignment));
	free(assignment);
	return rc;
}

/* The PC's devices, configured from the command line: the firmware boot's
 * VDDs with their properties (the user's --vdd settings come after, and so
 * win). */
int add_pc_vdds(struct vdd_list *vdds, const struct pc_options *o)
{
	static const char *const pc[] = { "cmos", "dma", "fdc", "ata", "kbd", "vmouse", "post",
					  "fw_cfg", "vvga", "uart", "debugcon" };
	const char *readonly = o->readonly ? "1" : "0";
	int rc = 0;

	for (size_t i = 0; i < sizeof(pc) / sizeof(pc[0]) && rc == 0; i++)
		rc = vdd_list_get(vdds, pc[i], strlen(pc[i])) ? 0 : -ENOMEM;
	if (rc == 0 && o->floppy)
		rc = vdd_list_set(vdds, "fdc", "image", o->floppy);
	if (rc == 0 && o->floppy)
		rc = vdd_list_set(vdds, "cmos", "floppy0", o->floppy_drive);
	if (rc == 0 && o->hda)
		rc = vdd_list_set(vdds, "ata", "image", o->hda);
	if (rc == 0)
		rc = vdd_list_set(vdds, "cmos", "boot", o->floppy ? "floppy,disk" : "disk,floppy");
	if (rc == 0)
		rc = vdd_list_set(vdds, "fdc", "readonly", readonly);
	if (rc == 0)
		rc = vdd_list_set(vdds, "ata", "readonly", readonly);
	if (rc == 0 && o->keys)
		rc = vdd_list_set(vdds, "kbd", "keys", o->keys);
	if (rc == 0)
		rc = vdd_list_set(vdds, "fw_cfg", "vgabios", o->vgabios);
	if (rc == 0 && o->genrom)
		rc = vdd_list_set(vdds, "fw_cfg", "genrom", o->genrom);
	if (rc == 0 && o->serial)
		rc = vdd_list_set(vdds, "uart", "output", o->serial);
	/* SeaBIOS writes its log to port 402h once a read of it answers E9h. */
	if (rc == 0)
		rc = vdd_list_set(vdds, "debugcon", "port", "0x402");
	if (rc == 0)
		rc = vdd_list_set(vdds, "debugcon", "output", o->debugcon ? o->debugcon : "/dev/null");
	return rc;
}

int run_firmware(const struct machine_config *config, const char *bios_path)
{
	struct machine *m = NULL;
	uint8_t *bios;
	size_t bios_size;
	char err[512];
	int rc;

	if (firmware_read_bios(bios_path, &bios, &bios_size, err, sizeof(err)) < 0) {
		log_error("%s", err);
		return EXIT_MVM_ERROR;
	}
	if (machine_create(config, &m, err, sizeof(err)) < 0) {
		log_error("%s", err);
		free(bios);
		return EXIT_MVM_ERROR;
	}
	rc = firmware_map_bios(m, bios, bios_size);
	free(bios);
	if (rc < 0) {
		log_error("cannot map the BIOS: %s", strerror(-rc));
		machine_destroy(m);
		return EXIT_MVM_ERROR;
	}
	return run_machine(m);
}

int cli_machine_init(struct cli_machine *m, int argc)
{
	*m = (struct cli_machine){
		.config = { .memory_mib = MACHINE_MEMORY_DEFAULT_MIB, .cpu = "auto" },
		.pc = { .bios = FIRMWARE_BIOS_DEFAULT, .vgabios = FIRMWARE_VGABIOS_DEFAULT },
		.user_vdds = calloc((size_t)argc + 1, sizeof(*m->user_vdds)),
	};
	if (!m->user_vdds || !vdd_list_get(&m->vdds, "vpic", 4) ||
	    !vdd_list_get(&m->vdds, "vpit", 4))
		return -ENOMEM;
	return 0;
}

void cli_machine_finish(struct cli_machine *m)
{
	free(m->user_vdds);
	vdd_list_free(&m->vdds);
}

static int cli_display_kind(const char *command, const char *text, enum display_kind *kind)
{
	static const struct {
		const char *name;
		enum display_kind kind;
	} kinds[] = {
		{ "auto", DISPLAY_AUTO }, { "headless", DISPLAY_HEADLESS },
		{ "wayland", DISPLAY_WAYLAND }, { "drm", DISPLAY_DRM }, { "vman", DISPLAY_VMAN },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(text, kinds[i].name) == 0) {
			*kind = kinds[i].kind;
			return 0;
		}
	}
	return usage_error(command, "--display: '%s' is not auto, headless, wayland, drm or vman",
			   text);
}

int cli_machine_open_display(struct cli_machine *m, const char *name)
{
	char err[512];

	m->display.name = name;
	if (display_open(&m->display, &m->config.display, err, sizeof(err)) < 0) {
		log_error("%s", err);
		return EXIT_MVM_ERROR;
	}
	return 0;
}

int cli_machine_close_display(struct cli_machine *m, int status)
{
	int rc;

	if (!m->config.display)
		return status;
	if (m->pc.screenshot) {
		rc = display_screenshot(m->config.display, m->pc.screenshot);
		if (rc < 0) {
			log_error("cannot write the screenshot %s: %s", m->pc.screenshot,
				  strerror(-rc));
			if (status == 0)
				status = EXIT_MVM_ERROR;
		}
	}
	display_close(m->config.display);
	m->config.display = NULL;
	return status;
}

int cli_machine_option(struct cli_machine *m, const char *command, int opt, char **argv,
		       int *verbosity)
{
	switch (opt) {
	case CLI_OPT_CPU:
		if (strcmp(optarg, "kvm") && strcmp(optarg, "ist") && strcmp(optarg, "auto"))
			return usage_error(command, "--cpu: '%s' is not a CPU backend (kvm, ist, auto)",
					   optarg);
		m->config.cpu = optarg;
		return 0;
	case CLI_OPT_MEMORY:
		if (parse_memory(optarg, &m->config.memory_mib) < 0)
			return usage_error(command, "--memory: '%s' is not a size in MiB from %u to %u",
					   optarg, MACHINE_MEMORY_MIN_MIB, MACHINE_MEMORY_MAX_MIB);
		return 0;
	case CLI_OPT_VDD:
		m->user_vdds[m->user_vdd_count++] = optarg;
		return 0;
	case CLI_OPT_TIMEOUT:
		if (parse_seconds(optarg, &m->config.timeout_ns) < 0)
			return usage_error(command,
					   "--timeout: '%s' is not a positive number of seconds", optarg);
		return 0;
	case CLI_OPT_NO_PACING:
		m->config.unpaced = true;
		return 0;
	case CLI_OPT_SCREENSHOT:
		m->pc.screenshot = optarg;
		return 0;
	case CLI_OPT_KEYS:
		m->pc.keys = optarg;
		return 0;
	case CLI_OPT_DISPLAY:
		return cli_display_kind(command, optarg, &m->display.kind);
	case CLI_OPT_RENDERER:
		if (strcmp(optarg, "pixman") && strcmp(optarg, "gles"))
			return usage_error(command, "--renderer: '%s' is not pixman or gles", optarg);
		m->display.gles = strcmp(optarg, "gles") == 0;
		return 0;
	case CLI_OPT_FULLSCREEN:
		m->display.fullscreen = true;
		return 0;
	case CLI_OPT_BIOS:
		m->pc.bios = optarg;
		return 0;
	case CLI_OPT_VGABIOS:
		m->pc.vgabios = optarg;
		return 0;
	case 'v':
		add_verbosity(verbosity);
		return 0;
	case ':':
		return usage_error(command, "option '%s' needs a value", argv[optind - 1]);
	default:
		return usage_error(command, "unknown option '%s'", argv[optind - 1]);
	}
}

int cli_machine_add_user_vdds(struct cli_machine *m, const char *command)
{
	for (size_t i = 0; i < m->user_vdd_count; i++)
		if (vdd_list_parse(&m->vdds, m->user_vdds[i]) < 0)
			return usage_error(command, "--vdd: '%s' is not NAME[:KEY=VALUE,...]",
					   m->user_vdds[i]);
	return 0;
}
