/* test_seabios_start.c: SeaBIOS from Debian's seabios package starts on each CPU backend: from
 * the reset vector through its switch to 32-bit flat protected mode, printing its banner on
 * the debug port, to where it needs the PC platform (not there yet: it stops there). The IST
 * must get exactly as far as KVM, with the same output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm/kvm.h"
#include "machine.h"

#define MESON_SKIP 77
#define BIOS_PATH "/usr/share/seabios/bios.bin"
#define BIOS_MAX (256u << 10)
#define BANNER "SeaBIOS (version "
/* SeaBIOS reports what hypervisor it finds; that line differs by design. */
#define HYPERVISOR_LINE "Running on "

static const char *const vdd_dirs[] = { BUILD_VDD_DIR, NULL };
static const struct vdd_search_path vdd_path = { vdd_dirs };

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* Runs SeaBIOS on cpu; its debug output goes to out_path. */
static int run_bios(const char *cpu, const uint8_t *bios, size_t size, const char *out_path,
		    struct machine_result *result)
{
	char output[512], err[512];
	const char *debugcon_props[] = { "port=0x402", output };
	struct machine_vdd vdds[] = {
		{ .name = "vpic" },
		{ .name = "vpit" },
		{ .name = "debugcon", .props = debugcon_props, .prop_count = 2 },
	};
	struct machine_config config = {
		.memory_mib = 16,
		.cpu = cpu,
		.unpaced = true,
		.timeout_ns = 10000000000ull,
		.vdds = vdds,
		.vdd_count = 3,
		.vdd_path = &vdd_path,
	};
	struct machine *m;

	snprintf(output, sizeof(output), "output=%s", out_path);
	if (machine_create(&config, &m, err, sizeof(err)) < 0) {
		printf("FAIL: %s: %s\n", cpu, err);
		return -1;
	}
	/* Where a PC has its BIOS: the top of 4 GiB, and the last 128 KiB
	 * below 1 MiB. */
	if (machine_map_firmware(m, (1ull << 32) - size, bios, size, false) < 0 ||
	    machine_map_firmware(m, 0x100000 - 0x20000, bios + size - 0x20000, 0x20000, false) < 0) {
		printf("FAIL: %s: cannot map the BIOS\n", cpu);
		machine_destroy(m);
		return -1;
	}
	machine_run(m, result);
	machine_destroy(m);
	return 0;
}

/* The debug output without the hypervisor line. */
static void read_output(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t used = 0;
	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, HYPERVISOR_LINE, strlen(HYPERVISOR_LINE)) == 0)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s", line);
		if (used >= size)
			break;
	}
	if (f)
		fclose(f);
}

/* "ist": SeaBIOS starts on the IST. "compare": and gets as far on KVM. */
int main(int argc, char **argv)
{
	bool compare = argc > 1 && strcmp(argv[1], "compare") == 0;
	static uint8_t bios[BIOS_MAX];
	char ist_path[] = "/tmp/mvm-seabios-ist-XXXXXX", kvm_path[] = "/tmp/mvm-seabios-kvm-XXXXXX";
	static char ist_out[16384], kvm_out[16384];
	struct machine_result ist_result, kvm_result;
	char reason[256];
	size_t size;
	FILE *f = fopen(BIOS_PATH, "rb");
	int fd;

	if (!f) {
		printf("SKIP seabios: %s: %s\n", BIOS_PATH, strerror(errno));
		return MESON_SKIP;
	}
	if (compare && !kvm_usable(reason, sizeof(reason))) {
		fclose(f);
		printf("SKIP kvm: %s\n", reason);
		return MESON_SKIP;
	}
	size = fread(bios, 1, sizeof(bios), f);
	fclose(f);
	if (size < 0x20000 || size % 0x10000) {
		printf("FAIL: %s is %zu bytes, not a BIOS image\n", BIOS_PATH, size);
		return 1;
	}
	if ((fd = mkstemp(ist_path)) < 0 || close(fd) < 0)
		return 1;
	if (run_bios("ist", bios, size, ist_path, &ist_result) < 0)
		return 1;
	read_output(ist_path, ist_out, sizeof(ist_out));
	unlink(ist_path);
	printf("IST: %s\n--- debug port ---\n%s---\n", ist_result.message, ist_out);
	check(strncmp(ist_out, BANNER, strlen(BANNER)) == 0, "IST: SeaBIOS prints its banner");
	check(strstr(ist_out, "RamSize:") != NULL,
	      "IST: SeaBIOS runs its 32-bit code up to sizing RAM");

	if (!compare)
		return failures ? 1 : 0;
	if ((fd = mkstemp(kvm_path)) < 0 || close(fd) < 0)
		return 1;
	if (run_bios("kvm", bios, size, kvm_path, &kvm_result) < 0)
		return 1;
	read_output(kvm_path, kvm_out, sizeof(kvm_out));
	unlink(kvm_path);
	printf("KVM: %s\n", kvm_result.message);
	check(strcmp(ist_out, kvm_out) == 0, "IST and KVM print the same");
	check(ist_result.how == kvm_result.how &&
		      strcmp(ist_result.message, kvm_result.message) == 0,
	      "IST and KVM stop in the same way at the same CS:EIP");
	return failures ? 1 : 0;
}
