/* main.c: the mvm command line. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "firmware.h"
#include "log.h"
#include "machine.h"
#include "props.h"
#include "vdd_plugin.h"

/* Where --no-bios puts the image, as a BIOS puts a boot sector. */
#define FLAT_LOAD_SEGMENT 0x0000u
#define FLAT_LOAD_OFFSET 0x7C00u
#define FLAT_BOOT_DRIVE 0x80u
#define FLAT_MAX_SIZE (MACHINE_CONVENTIONAL_END - FLAT_LOAD_OFFSET)

static const char main_usage[] =
	"Usage: mvm [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Runs DOS and Windows 3.x guests in a virtual PC.\n"
	"\n"
	"Commands:\n"
	"  boot    start a virtual PC from an image\n"
	"  run     run a DOS program (.COM or .EXE) on host directories\n"
	"  vdds    list the virtual device drivers (VDDs) mvm can load\n"
	"\n"
	"Options:\n"
	"  -v, --verbose   say more (twice: debug messages)\n"
	"  -h, --help      show this help\n"
	"      --version   show mvm's version\n"
	"\n"
	"'mvm COMMAND --help' describes a command.\n";

static const char boot_usage[] =
	"Usage: mvm boot [OPTIONS] [--floppy IMAGE | --hda IMAGE | IMAGE]\n"
	"       mvm boot --no-bios [OPTIONS] FILE\n"
	"\n"
	"Starts a virtual PC. It runs SeaBIOS with its VGA BIOS (Debian's seabios\n"
	"package), which boots the floppy image (160K to 2.88M, the drive type from\n"
	"the size) or the hard disk image (MBR; CHS and LBA). A bare IMAGE is a floppy\n"
	"when its size is a floppy size, else a hard disk. The PC has an 8259 pair,\n"
	"an 8254, CMOS/RTC, an 8042 keyboard controller, 8237 DMA, a floppy\n"
	"controller, an ATA disk, a VGA, COM1 and QEMU's fw_cfg for the firmware.\n"
	"\n"
	"With --no-bios, FILE is a flat binary loaded at 0000:7C00 and started there in\n"
	"real mode (DL=80h, SS:SP=0000:7C00, interrupts off) with no firmware and only\n"
	"the PIC and PIT (unprogrammed: every IRQ masked). The guest talks to mvm\n"
	"through devices and SVCs (hlt; db n; db ~n): SVC 2 ends the VM with AL as the\n"
	"exit status.\n"
	"\n"
	"The VM runs until the guest is dead (HLT with interrupts off), ends itself with\n"
	"SVC 2, or --timeout passes. Virtual time follows what the guest does, not the\n"
	"host's clock, so the same image and options give the same screens every run\n"
	"(see README: what is deterministic).\n"
	"\n"
	"Options:\n"
	"      --floppy IMAGE        boot the floppy image IMAGE (drive A:)\n"
	"      --hda IMAGE           boot the hard disk image IMAGE (primary master)\n"
	"      --readonly            never write to the images (the guest sees them\n"
	"                            write-protected)\n"
	"      --screenshot PATH     when the VM stops, write the last frame as PNG\n"
	CLI_DISPLAY_HELP
	"      --keys TEXT           type TEXT once the guest has enabled the keyboard:\n"
	"                            {enter} {esc} {f1} {alt+home} {ctrl+alt+del}\n"
	"                            {wait:MS} (virtual milliseconds); {{ is '{'\n"
	"      --serial stdio|PATH   COM1's output goes to stdout or PATH\n"
	"      --debugcon stdio|PATH the firmware's debug port (402h; E9h with\n"
	"                            --no-bios) goes to stdout or PATH\n"
	"      --bios PATH           the BIOS (default " FIRMWARE_BIOS_DEFAULT ")\n"
	"      --vgabios PATH        the VGA BIOS (default\n"
	"                            " FIRMWARE_VGABIOS_DEFAULT ")\n"
	"      --no-bios             run FILE without firmware, as above\n"
	"      --cpu kvm|ist|auto    CPU backend: KVM (hardware), IST (software x86), or\n"
	"                            auto (default): KVM where the host CPU has VT-x or\n"
	"                            AMD-V, else IST; -v says which and why\n"
	"      --ist-interpret       the IST interprets every instruction instead of\n"
	"                            translating hot code to host code (slower; for\n"
	"                            comparison and debugging)\n"
	"      --memory MIB          guest memory, 1-3072 MiB (default 16)\n"
	"      --vdd NAME[:KEY=VALUE,...]\n"
	"                            load a VDD, or set properties of one; repeatable.\n"
	"                            NAME may be a path to NAME.so ('mvm vdds' lists them)\n"
	"      --timeout SECONDS     stop after SECONDS of virtual time\n"
	"      --no-pacing           do not hold virtual time to the host clock: idle\n"
	"                            waits take no host time\n"
	"  -v, --verbose             say more (twice: debug messages)\n"
	"  -h, --help                show this help\n"
	"\n"
	"Exit status:\n"
	"  the guest's status (0-255) when it ends with SVC 2;\n"
	"  3 when the guest dies (HLT with interrupts off, triple fault): stderr says where;\n"
	"  124 after --timeout; 130 on Ctrl-C; 1 when mvm cannot run the guest;\n"
	"  2 for a bad command line.\n"
	"\n"
	"Environment:\n"
	"  MVM_VDD_PATH   colon-separated directories searched first for NAME.so\n";



/* Reads the whole image, refusing what cannot fit at 0000:7C00. */
static int read_flat_image(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;
	struct stat st;

	if (!f) {
		int e = errno;
		log_error("cannot open '%s': %s", path, strerror(e));
		return -e;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		log_error("'%s' is a directory, not an image", path);
		fclose(f);
		return -EISDIR;
	}
	buf = malloc(FLAT_MAX_SIZE + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, FLAT_MAX_SIZE + 1, f);
	if (ferror(f)) {
		log_error("cannot read '%s': %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	if (n > FLAT_MAX_SIZE) {
		log_error("'%s' is too large: %lld bytes; at most %u bytes fit between "
			  "0000:7C00 and the end of conventional memory (A000:0000)",
			  path, S_ISREG(st.st_mode) ? (long long)st.st_size : (long long)n,
			  FLAT_MAX_SIZE);
		free(buf);
		return -EFBIG;
	}
	if (n == 0) {
		log_error("'%s' is empty", path);
		free(buf);
		return -EINVAL;
	}
	*data = buf;
	*size = n;
	return 0;
}



static int run_flat(const struct machine_config *config, const char *path)
{
	struct machine *m = NULL;
	uint8_t *image = NULL;
	size_t size = 0;
	char err[512];
	int rc;

	rc = read_flat_image(path, &image, &size);
	if (rc < 0)
		return EXIT_MVM_ERROR;
	rc = machine_create(config, &m, err, sizeof(err));
	if (rc < 0) {
		log_error("%s", err);
		free(image);
		return EXIT_MVM_ERROR;
	}
	rc = machine_load(m, vdh_real_linear(FLAT_LOAD_SEGMENT, FLAT_LOAD_OFFSET), image, size);
	free(image);
	if (rc == 0)
		rc = machine_reset_real_mode(m, FLAT_LOAD_SEGMENT, FLAT_LOAD_OFFSET, 0,
					     FLAT_LOAD_OFFSET, FLAT_BOOT_DRIVE);
	if (rc < 0) {
		log_error("cannot set up the guest: %s", strerror(-rc));
		machine_destroy(m);
		return EXIT_MVM_ERROR;
	}
	return run_machine(m);
}


/* What the boot command line asks for beyond the PC's options. */
struct boot_options {
	bool no_bios;
	const char *image;
	const struct floppy_format *floppy_format; /* the floppy's, once checked */
};


/* Checks the files a firmware boot needs before the VM is built. */
static int check_boot_files(struct boot_options *o, struct pc_options *pc)
{
	enum image_kind kind = IMAGE_FLOPPY;
	char err[512];

	if (o->image && (pc->floppy || pc->hda))
		return usage_error("boot", "give IMAGE or --floppy/--hda, not both");
	if (!o->image && !pc->floppy && !pc->hda)
		return usage_error("boot", "no image given (IMAGE, --floppy IMAGE or --hda IMAGE)");
	if (o->image) {
		if (firmware_check_image(o->image, true, &kind, &o->floppy_format, err,
					 sizeof(err)) < 0)
			goto bad;
		if (kind == IMAGE_FLOPPY)
			pc->floppy = o->image;
		else
			pc->hda = o->image;
		log_info("%s boots as a %s", o->image, kind == IMAGE_FLOPPY ? "floppy" : "hard disk");
	} else {
		if (pc->floppy && firmware_check_image(pc->floppy, false, &kind, &o->floppy_format,
						      err, sizeof(err)) < 0)
			goto bad;
		kind = IMAGE_DISK;
		if (pc->hda && firmware_check_image(pc->hda, false, &kind, NULL, err, sizeof(err)) < 0)
			goto bad;
	}
	if (firmware_check_vgabios(pc->vgabios, err, sizeof(err)) < 0)
		goto bad;
	return 0;
bad:
	log_error("%s", err);
	return EXIT_MVM_ERROR;
}


static int cmd_boot(int argc, char **argv, int verbosity)
{
	enum { OPT_NO_BIOS = CLI_OPT_COMMAND, OPT_DEBUGCON, OPT_IST_INTERPRET, OPT_FLOPPY, OPT_HDA,
	       OPT_READONLY, OPT_SERIAL };
	static const struct option options[] = {
		CLI_MACHINE_OPTIONS,
		{ "no-bios", no_argument, NULL, OPT_NO_BIOS },
		{ "debugcon", required_argument, NULL, OPT_DEBUGCON },
		{ "ist-interpret", no_argument, NULL, OPT_IST_INTERPRET },
		{ "floppy", required_argument, NULL, OPT_FLOPPY },
		{ "hda", required_argument, NULL, OPT_HDA },
		{ "readonly", no_argument, NULL, OPT_READONLY },
		{ "serial", required_argument, NULL, OPT_SERIAL },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct boot_options o = { 0 };
	struct cli_machine m;
	struct vdd_search_path path = { 0 };
	int opt, status = EXIT_USAGE;

	if (cli_machine_init(&m, argc) < 0) {
		log_error("out of memory");
		status = EXIT_MVM_ERROR;
		goto out;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:vh", options, NULL)) != -1) {
		switch (opt) {
		case OPT_NO_BIOS:
			o.no_bios = true;
			break;
		case OPT_DEBUGCON:
			m.pc.debugcon = optarg;
			break;
		case OPT_IST_INTERPRET:
			m.config.ist_interpret = true;
			break;
		case OPT_FLOPPY:
			m.pc.floppy = optarg;
			break;
		case OPT_HDA:
			m.pc.hda = optarg;
			break;
		case OPT_READONLY:
			m.pc.readonly = true;
			break;
		case OPT_SERIAL:
			m.pc.serial = optarg;
			break;
		case 'h':
			fputs(boot_usage, stdout);
			status = 0;
			goto out;
		default:
			status = cli_machine_option(&m, "boot", opt, argv, &verbosity);
			if (status)
				goto out;
			status = EXIT_USAGE;
			break;
		}
	}
	if (optind + 1 < argc) {
		usage_error("boot", "one image, not '%s' too", argv[optind + 1]);
		goto out;
	}
	o.image = optind < argc ? argv[optind] : NULL;
	if (o.no_bios) {
		if (!o.image) {
			usage_error("boot", "no FILE given");
			goto out;
		}
		if (m.pc.floppy || m.pc.hda || m.pc.keys || m.pc.screenshot || m.pc.serial ||
		    m.pc.readonly) {
			usage_error("boot", "--no-bios runs a flat FILE without the PC's devices: "
				    "--floppy, --hda, --readonly, --keys, --screenshot and --serial "
				    "need the firmware");
			goto out;
		}
		if (m.pc.debugcon && vdd_list_set(&m.vdds, "debugcon", "output", m.pc.debugcon) < 0) {
			status = EXIT_MVM_ERROR;
			goto out;
		}
	} else {
		status = check_boot_files(&o, &m.pc);
		if (status)
			goto out;
		status = EXIT_MVM_ERROR;
		if (m.pc.floppy)
			m.pc.floppy_drive = o.floppy_format->drive;
		if (add_pc_vdds(&m.vdds, &m.pc) < 0) {
			log_error("out of memory");
			goto out;
		}
	}
	status = cli_machine_add_user_vdds(&m, "boot");
	if (status)
		goto out;
	if (vdd_search_path_default(&path) < 0) {
		log_error("out of memory");
		status = EXIT_MVM_ERROR;
		goto out;
	}
	m.config.vdds = m.vdds.items;
	m.config.vdd_count = m.vdds.count;
	m.config.vdd_path = &path;
	status = cli_machine_open_display(&m, o.image ? o.image : "mvm boot");
	if (status)
		goto out;
	status = o.no_bios ? run_flat(&m.config, o.image) : run_firmware(&m.config, m.pc.bios);
	status = cli_machine_close_display(&m, status);
out:
	cli_machine_finish(&m);
	vdd_search_path_finish(&path);
	return status;
}

struct vdd_listing {
	char **seen;
	size_t count;
};

static void print_vdd(void *opaque, const char *file)
{
	struct vdd_listing *listing = opaque;
	struct vdd_search_path none = { 0 };
	struct vdd_plugin *plugin;
	const struct vdd_module *m;
	char err[512];
	char **grown;

	/* The first of a name on the search path is the one mvm loads. */
	for (size_t i = 0; i < listing->count; i++) {
		const char *base = strrchr(file, '/');
		if (strcmp(listing->seen[i], base ? base + 1 : file) == 0)
			return;
	}
	grown = realloc(listing->seen, (listing->count + 1) * sizeof(*grown));
	if (grown) {
		const char *base = strrchr(file, '/');
		listing->seen = grown;
		listing->seen[listing->count] = strdup(base ? base + 1 : file);
		if (listing->seen[listing->count])
			listing->count++;
	}
	if (vdd_plugin_load(file, &none, NULL, &plugin, err, sizeof(err)) < 0) {
		printf("%s\n    not loadable: %s\n", file, err);
		return;
	}
	m = plugin->module;
	printf("%-10s %s\n    %s\n", m->name, m->description ? m->description : "",
	       plugin->path);
	for (size_t i = 0; m->props && m->props[i].name; i++)
		printf("    %s=<%s> (default '%s')%s%s\n", m->props[i].name,
		       props_type_name(m->props[i].type),
		       m->props[i].default_value ? m->props[i].default_value : "",
		       m->props[i].help ? ": " : "", m->props[i].help ? m->props[i].help : "");
}

static int cmd_vdds(int argc, char **argv)
{
	struct vdd_search_path path;
	struct vdd_listing listing = { 0 };

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("Usage: mvm vdds\n\nLists the VDDs on the search path ($MVM_VDD_PATH, the "
		       "build tree, %s)\nwith their properties (--vdd NAME:KEY=VALUE).\n",
		       MVM_VDD_INSTALL_DIR);
		return 0;
	}
	if (argc > 1)
		return usage_error("vdds", "unexpected argument '%s'", argv[1]);
	if (vdd_search_path_default(&path) < 0)
		return EXIT_MVM_ERROR;
	vdd_plugin_list(&path, print_vdd, &listing);
	for (size_t i = 0; i < listing.count; i++)
		free(listing.seen[i]);
	free(listing.seen);
	vdd_search_path_finish(&path);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int opt, verbosity = 0;

	opterr = 0; /* mvm words its own usage errors */
	while ((opt = getopt_long(argc, argv, "+vh", options, NULL)) != -1) {
		switch (opt) {
		case 'v':
			add_verbosity(&verbosity);
			break;
		case 'h':
			fputs(main_usage, stdout);
			return 0;
		case 'V':
			printf("mvm %s (VDH API %u)\n", MVM_VERSION, VDH_API_VERSION);
			return 0;
		default:
			return usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error(NULL, "no command given");
	if (strcmp(argv[optind], "boot") == 0)
		return cmd_boot(argc - optind, argv + optind, verbosity);
	if (strcmp(argv[optind], "run") == 0)
		return cmd_run(argc - optind, argv + optind, verbosity);
	if (strcmp(argv[optind], "vdds") == 0)
		return cmd_vdds(argc - optind, argv + optind);
	return usage_error(NULL, "unknown command '%s' (boot, run, vdds)", argv[optind]);
}
