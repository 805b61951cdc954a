/* cmd_run.c: `mvm run PROG`: a PC with SeaBIOS that boots doskrnl and runs one DOS program. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "firmware.h"
#include "log.h"
#include "vdd_plugin.h"

#define DOSKRNL_ROM "doskrnl.rom"
#define DRIVE_LETTERS 26

static const char run_usage[] =
	"Usage: mvm run [OPTIONS] PROG [ARGS...]\n"
	"\n"
	"Runs the DOS program PROG (.COM or MZ .EXE) in a virtual PC: SeaBIOS and its\n"
	"VGA BIOS start, then doskrnl, mvm's DOS kernel, which serves DOS (int 20h-2Fh,\n"
	"the DOS 5 API) from the host: drives are host directories, memory and programs\n"
	"live in the guest. ARGS become PROG's command tail. mvm exits with PROG's\n"
	"return code.\n"
	"\n"
	"PROG is a host path inside a drive, or a DOS path (C:\\GAMES\\X.EXE). Unless\n"
	"--drive C=... says otherwise, C: is PROG's directory (the current directory\n"
	"for a DOS path), and C:\\ is the current directory. Host names that are not\n"
	"DOS 8.3 names get stable aliases (LONGNA~1.TXT); DOS paths never reach outside\n"
	"a drive's directory. Files are written as the program writes them and closed\n"
	"when the VM ends, however it ends.\n"
	"\n"
	"There is no COMMAND.COM: batch files (.BAT) and shell commands do not run by\n"
	"themselves; run a shell (FreeCOM's COMMAND.COM /C ...) as PROG for them.\n"
	"\n"
	"Options:\n"
	"      --drive L=DIR[:ro]    drive L: over the host directory DIR; :ro refuses\n"
	"                            writes (access denied); repeatable\n"
	"      --console screen|stdio|both\n"
	"                            where DOS output goes: the VGA text screen, the\n"
	"                            host's stdout/stderr, or both (default: both when\n"
	"                            stdout is not a terminal, else screen)\n"
	"      --keys TEXT           type TEXT on the keyboard (see 'mvm boot --help')\n"
	"      --screenshot PATH     when the VM stops, write the screen as PNG\n"
	CLI_DISPLAY_HELP
	"      --dos-version X.Y     the version DOS reports (default 5.0)\n"
	"      --cpu kvm|ist|auto    CPU backend (default auto; see 'mvm boot --help')\n"
	"      --memory MIB          guest memory, 1-3072 MiB (default 16)\n"
	"      --timeout SECONDS     stop after SECONDS of virtual time (exit 124)\n"
	"      --no-pacing           do not hold virtual time to the host clock\n"
	"      --bios PATH           the BIOS (default " FIRMWARE_BIOS_DEFAULT ")\n"
	"      --vgabios PATH        the VGA BIOS (default\n"
	"                            " FIRMWARE_VGABIOS_DEFAULT ")\n"
	"      --vdd NAME[:KEY=VALUE,...]\n"
	"                            load a VDD or set its properties; repeatable\n"
	"  -v, --verbose             say more (twice: debug messages)\n"
	"  -h, --help                show this help\n"
	"\n"
	"Input: when stdin is not a terminal, DOS reads its keyboard input from it\n"
	"(echo y | mvm run ASK.COM); a line's LF (or CR LF) is Enter.\n"
	"\n"
	"Exit status:\n"
	"  the program's return code (int 21h function 4Ch); 1 when mvm or DOS cannot\n"
	"  run it (the reason goes to stderr); 2 for a bad command line; 3 when the\n"
	"  guest dies; 124 after --timeout; 128+N on signal N.\n";

/* "L=DIR[:ro]" to the doskrnl property "l=DIR[:ro]". */
static int parse_drive(const char *spec, char *letter, const char **dir)
{
	char l = spec[0];
	if (l >= 'a' && l <= 'z')
		l = (char)(l - 'a' + 'A');
	if (l < 'A' || l > 'Z' || spec[1] != '=' || !spec[2])
		return -EINVAL;
	*letter = (char)(l - 'A' + 'a');
	*dir = spec + 2;
	return 0;
}

/* DIR of "DIR[:ro]" must be a directory. */
static int check_drive_dir(char letter, const char *value)
{
	size_t len = strlen(value);
	bool readonly = len > 3 && strcmp(value + len - 3, ":ro") == 0;
	char *dir = strndup(value, readonly ? len - 3 : len);
	struct stat st;
	int rc = 0;

	if (!dir)
		return -ENOMEM;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		log_error("--drive %c=%s: '%s' is not a directory", letter - 'a' + 'A', value, dir);
		rc = -ENOTDIR;
	}
	free(dir);
	return rc;
}

/* ARGS joined by spaces, as COMMAND.COM would pass them. */
static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *tail;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	tail = calloc(1, len);
	if (!tail)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(tail, " ");
		strcat(tail, argv[i]);
	}
	return tail;
}

/* What the run command line asks for beyond the PC's options. */
struct run_options {
	const char *drives[DRIVE_LETTERS]; /* "DIR[:ro]" per letter, or NULL */
	const char *console, *version;
};

/* The doskrnl VDD's properties and the PC around it. */
static int add_run_vdds(struct vdd_list *vdds, const struct run_options *o,
			const struct pc_options *pc, const char *prog, const char *tail)
{
	char name[2] = { 0 };
	int rc = add_pc_vdds(vdds, pc);

	if (rc == 0)
		rc = vdd_list_set(vdds, "doskrnl", "program", prog);
	if (rc == 0)
		rc = vdd_list_set(vdds, "doskrnl", "args", tail);
	if (rc == 0)
		rc = vdd_list_set(vdds, "doskrnl", "console", o->console);
	if (rc == 0)
		rc = vdd_list_set(vdds, "doskrnl", "stdin", isatty(STDIN_FILENO) ? "0" : "1");
	if (rc == 0)
		rc = vdd_list_set(vdds, "doskrnl", "version", o->version);
	for (int i = 0; i < DRIVE_LETTERS && rc == 0; i++) {
		if (!o->drives[i])
			continue;
		name[0] = (char)('a' + i);
		rc = vdd_list_set(vdds, "doskrnl", name, o->drives[i]);
	}
	return rc;
}

int cmd_run(int argc, char **argv, int verbosity)
{
	enum { OPT_DRIVE = CLI_OPT_COMMAND, OPT_CONSOLE, OPT_DOS_VERSION };
	static const struct option options[] = {
		CLI_MACHINE_OPTIONS,
		{ "drive", required_argument, NULL, OPT_DRIVE },
		{ "console", required_argument, NULL, OPT_CONSOLE },
		{ "dos-version", required_argument, NULL, OPT_DOS_VERSION },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct run_options o = { .console = isatty(STDOUT_FILENO) ? "screen" : "both",
				 .version = "5.0" };
	struct cli_machine m;
	struct vdd_search_path path = { 0 };
	char rom[PATH_MAX], *prog_dir = NULL, *tail = NULL, err[512], letter;
	const char *dir, *prog;
	int opt, status = EXIT_USAGE;
	struct stat st;

	if (cli_machine_init(&m, argc) < 0) {
		log_error("out of memory");
		status = EXIT_MVM_ERROR;
		goto out;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:vh", options, NULL)) != -1) {
		switch (opt) {
		case OPT_DRIVE:
			if (parse_drive(optarg, &letter, &dir) < 0) {
				usage_error("run", "--drive: '%s' is not LETTER=DIRECTORY[:ro]", optarg);
				goto out;
			}
			if (check_drive_dir(letter, dir) < 0) {
				status = EXIT_MVM_ERROR;
				goto out;
			}
			o.drives[letter - 'a'] = dir;
			break;
		case OPT_CONSOLE:
			if (strcmp(optarg, "screen") && strcmp(optarg, "stdio") && strcmp(optarg, "both")) {
				usage_error("run", "--console: '%s' is not screen, stdio or both", optarg);
				goto out;
			}
			o.console = optarg;
			break;
		case OPT_DOS_VERSION: {
			unsigned major, minor;
			char end;
			if (sscanf(optarg, "%u.%u%c", &major, &minor, &end) != 2 || major < 2 ||
			    major > 9 || minor > 99) {
				usage_error("run", "--dos-version: '%s' is not MAJOR.MINOR (2.0 to 9.99)",
					    optarg);
				goto out;
			}
			o.version = optarg;
			break;
		}
		case 'h':
			fputs(run_usage, stdout);
			status = 0;
			goto out;
		default:
			status = cli_machine_option(&m, "run", opt, argv, &verbosity);
			if (status)
				goto out;
			status = EXIT_USAGE;
			break;
		}
	}
	if (optind >= argc) {
		usage_error("run", "no program given");
		goto out;
	}
	prog = argv[optind];
	tail = join_args(argc - optind - 1, argv + optind + 1);
	status = EXIT_MVM_ERROR;
	if (!tail) {
		log_error("out of memory");
		goto out;
	}
	if (stat(prog, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			log_error("'%s' is not a program file", prog);
			goto out;
		}
		/* C: defaults to the program's directory. */
		if (!o.drives[2]) {
			const char *slash = strrchr(prog, '/');
			prog_dir = slash ? strndup(prog, slash == prog ? 1 : (size_t)(slash - prog)) :
					   strdup(".");
			if (!prog_dir) {
				log_error("out of memory");
				goto out;
			}
			o.drives[2] = prog_dir;
		}
	} else if (!strchr(prog, '\\') && !strchr(prog, ':') && strchr(prog, '/')) {
		log_error("cannot run '%s': %s", prog, strerror(errno));
		goto out;
	} else if (!o.drives[2]) {
		o.drives[2] = ".";
	}
	if (firmware_check_vgabios(m.pc.vgabios, err, sizeof(err)) < 0) {
		log_error("%s", err);
		goto out;
	}
	if (vdd_search_path_default(&path) < 0) {
		log_error("out of memory");
		goto out;
	}
	if (vdd_search_path_find(&path, DOSKRNL_ROM, rom, sizeof(rom)) < 0) {
		log_error("cannot find %s (doskrnl's guest part) beside the VDDs; "
			  "is mvm installed or built completely?", DOSKRNL_ROM);
		goto out;
	}
	m.pc.genrom = rom;
	if (add_run_vdds(&m.vdds, &o, &m.pc, prog, tail) < 0) {
		log_error("out of memory");
		goto out;
	}
	status = cli_machine_add_user_vdds(&m, "run");
	if (status)
		goto out;
	m.config.vdds = m.vdds.items;
	m.config.vdd_count = m.vdds.count;
	m.config.vdd_path = &path;
	status = cli_machine_open_display(&m, prog);
	if (status)
		goto out;
	status = run_firmware(&m.config, m.pc.bios);
	status = cli_machine_close_display(&m, status);
out:
	cli_machine_finish(&m);
	free(prog_dir);
	free(tail);
	vdd_search_path_finish(&path);
	return status;
}
