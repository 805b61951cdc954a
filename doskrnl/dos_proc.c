/* dos_proc.c: programs: boot, EXEC, the PSP, termination, and the memory functions. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dos.h"
#include "dos_exe.h"

#define BDA_MEMORY_KIB 0x413
#define ENVIRONMENT_MAX 0x8000 /* DOS's limit for an environment block */
#define TAIL_SIZE 128
#define FCB_SIZE 16
#define EXEC_RETURN_TYPE_TSR 3

/* The environment of the first program; COMMAND.COM would give these.
 * The literal's own NUL is the empty string that ends the block. */
static const char root_environment[] = "COMSPEC=C:\\COMMAND.COM\0PATH=C:\\\0";

/* A program loaded by EXEC, ready to start. */
struct loaded {
	uint16_t psp;
	uint16_t cs, ip, ss, sp;
};

/* What EXEC is asked to run. */
struct exec_request {
	const char *path;
	const uint8_t *environment; /* strings, each NUL-ended, then a NUL */
	size_t environment_len;     /* with that final NUL */
	uint8_t tail[TAIL_SIZE];
	uint8_t fcb1[FCB_SIZE], fcb2[FCB_SIZE];
	uint32_t terminate_address; /* segment << 16 | offset: int 22h of the child */
};

static const char *error_text(int error)
{
	switch (error) {
	case DOS_ENOENT:
		return "file not found";
	case DOS_ENOPATH:
		return "path not found";
	case DOS_EACCES:
		return "access denied";
	case DOS_ENOMEM:
		return "insufficient memory";
	case DOS_EMCB:
		return "memory control blocks destroyed";
	case DOS_EBADFORMAT:
		return "invalid format (a corrupt EXE header)";
	case DOS_EBADENV:
		return "invalid environment";
	default:
		return "error";
	}
}

/* Reads the whole program file (at most DOS_PROGRAM_MAX bytes). */
static int read_program(const struct dos_resolved *res, uint8_t **data, size_t *size)
{
	struct stat st;
	int fd;
	ssize_t n;

	if (res->device)
		return DOS_EACCES;
	if (res->attr & DOS_ATTR_DIRECTORY)
		return DOS_EACCES;
	fd = open(res->host, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? DOS_ENOENT : DOS_EACCES;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return DOS_EACCES;
	}
	if (st.st_size > DOS_PROGRAM_MAX) {
		close(fd);
		return DOS_ENOMEM;
	}
	*data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!*data) {
		close(fd);
		return DOS_ENOMEM;
	}
	n = pread(fd, *data, (size_t)st.st_size, 0);
	close(fd);
	if (n != st.st_size) {
		free(*data);
		return DOS_EACCES;
	}
	*size = (size_t)n;
	return 0;
}

/* The largest free block, allocated whole: where a .COM goes. */
static int alloc_largest(struct dos *d, uint16_t at_least, uint16_t *segment, uint16_t *paras)
{
	uint16_t largest = 0;
	int rc = dos_mcb_alloc(&d->mem, d->first_mcb, 0xFFFF, DOS_MCB_OWNER_DOS, d->fit, segment,
			       &largest);

	if (rc == 0) {
		*paras = 0xFFFF;
		return 0;
	}
	if (rc != DOS_ENOMEM)
		return rc;
	if (largest < at_least)
		return DOS_ENOMEM;
	*paras = largest;
	return dos_mcb_alloc(&d->mem, d->first_mcb, largest, DOS_MCB_OWNER_DOS, d->fit, segment,
			     &largest);
}

/* The name an MCB shows: the file's base name without its extension. */
static void program_name(const char *path, char name[9])
{
	const char *base = path;
	size_t n = 0;
	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/' || *p == ':')
			base = p + 1;
	while (base[n] && base[n] != '.' && n < 8)
		n++;
	memcpy(name, base, n);
	name[n] = 0;
}

static int write_psp(struct dos *d, uint16_t psp, uint16_t paras, uint16_t env,
		     const struct exec_request *req)
{
	uint8_t p[PSP_SIZE] = { 0 };
	uint32_t parent_jft;
	uint16_t parent_jft_size = 0;
	uint8_t vectors[12];

	p[PSP_INT20] = 0xCD;
	p[PSP_INT20 + 1] = 0x20;
	dos_put16(p + PSP_MEMORY_TOP, (uint16_t)(psp + paras));
	/* The CP/M entry, a far call whose offset word doubles as the
	 * segment's size in CP/M terms: the classic values. */
	memcpy(p + PSP_CPM_CALL, "\x9A\xF0\xFE\x1D\xF0", 5);
	dos_put32(p + PSP_INT22, req->terminate_address);
	if (dos_mem_read(&d->mem, 0x23 * 4, vectors, 8) == 0)
		memcpy(p + PSP_INT23, vectors, 8);
	dos_put16(p + PSP_PARENT, d->started ? d->psp : psp);
	memset(p + PSP_JFT, DOS_JFT_FREE, DOS_JFT_DEFAULT);
	dos_put16(p + PSP_ENVIRONMENT, env);
	dos_put16(p + PSP_JFT_SIZE, DOS_JFT_DEFAULT);
	dos_put16(p + PSP_JFT_POINTER, PSP_JFT);
	dos_put16(p + PSP_JFT_POINTER + 2, psp);
	memset(p + PSP_PREVIOUS, 0xFF, 4);
	p[PSP_VERSION] = d->config.version_major;
	p[PSP_VERSION + 1] = d->config.version_minor;
	memcpy(p + PSP_DISPATCHER, "\xCD\x21\xCB", 3);
	memcpy(p + PSP_FCB1, req->fcb1, FCB_SIZE);
	memcpy(p + PSP_FCB2, req->fcb2, FCB_SIZE);
	memcpy(p + PSP_TAIL, req->tail, TAIL_SIZE);

	if (!d->started) {
		/* The first program: stdin, stdout, stderr on CON, then AUX, PRN. */
		static const uint8_t standard[] = { 0, 0, 0, 1, 2 };
		memcpy(p + PSP_JFT, standard, sizeof(standard));
	} else {
		/* A child inherits every handle not opened with no-inherit. */
		uint16_t off = 0, seg = 0;
		uint32_t base = dos_linear(d->psp, 0);
		if (dos_mem_read16(&d->mem, base + PSP_JFT_SIZE, &parent_jft_size) ||
		    dos_mem_read16(&d->mem, base + PSP_JFT_POINTER, &off) ||
		    dos_mem_read16(&d->mem, base + PSP_JFT_POINTER + 2, &seg))
			parent_jft_size = 0;
		parent_jft = dos_linear(seg, off);
		for (uint16_t h = 0; h < parent_jft_size && h < DOS_JFT_DEFAULT; h++) {
			uint8_t index;
			if (dos_mem_read8(&d->mem, parent_jft + h, &index) || index >= DOS_SFT_SIZE ||
			    !d->files[index].refs || (d->files[index].mode & 0x80))
				continue;
			p[PSP_JFT + h] = index;
			d->files[index].refs++;
		}
	}
	return dos_mem_write(&d->mem, dos_linear(psp, 0), p, sizeof(p)) ? DOS_EMCB : 0;
}

/* EXEC's loading half (4B00h, 4B01h): memory, environment, PSP, image. */
static int exec_load(struct dos *d, const struct exec_request *req, struct loaded *out)
{
	struct dos_resolved res;
	struct dos_exe_info info;
	uint8_t *file = NULL;
	size_t size = 0, env_len;
	uint8_t *env = NULL;
	uint16_t env_seg = 0, psp = 0, paras = 0, largest;
	bool exe;
	char name[9];
	int rc = dos_resolve(d, req->path, DOS_LOOKUP_EXISTING, &res);

	if (rc == 0)
		rc = read_program(&res, &file, &size);
	if (rc)
		return rc;
	exe = dos_exe_is_mz(file, size);
	if (exe)
		rc = dos_exe_parse(file, size, &info);
	else if (size > DOS_COM_MAX)
		rc = DOS_ENOMEM;
	if (rc)
		goto out;

	/* The environment: the parent's strings, then 1 and the program's name. */
	env_len = req->environment_len + 2 + strlen(res.dos) + 1;
	env = calloc(1, env_len);
	if (!env) {
		rc = DOS_ENOMEM;
		goto out;
	}
	memcpy(env, req->environment, req->environment_len);
	env[req->environment_len] = 1;
	memcpy(env + req->environment_len + 2, res.dos, strlen(res.dos) + 1);
	/* Owned by DOS until the PSP exists (the first program has no parent
	 * whose PSP could hold it). */
	rc = dos_mcb_alloc(&d->mem, d->first_mcb, (uint16_t)((env_len + 15) >> 4),
			   DOS_MCB_OWNER_DOS, d->fit, &env_seg, &largest);
	if (rc == 0 && dos_mem_write(&d->mem, dos_linear(env_seg, 0), env, env_len))
		rc = DOS_EMCB;
	if (rc)
		goto out;

	if (exe) {
		uint32_t need = PSP_PARAS + dos_exe_min_paras(&info);
		/* Loaded high, the program keeps the whole block. */
		uint32_t want = dos_exe_loads_high(&info) ? 0xFFFF
							  : PSP_PARAS + dos_exe_max_paras(&info);
		if (need > 0xFFFF) {
			rc = DOS_ENOMEM;
		} else {
			rc = alloc_largest(d, (uint16_t)need, &psp, &paras);
			if (rc == 0 && paras > want)
				rc = dos_mcb_resize(&d->mem, d->first_mcb, psp, (uint16_t)want, &largest);
			if (rc == 0 && paras > want)
				paras = (uint16_t)want;
		}
	} else {
		rc = alloc_largest(d, (uint16_t)((PSP_SIZE + size + 2 + 15) >> 4), &psp, &paras);
	}
	if (rc)
		goto out;
	program_name(res.dos, name);
	(void)dos_mcb_set_owner(&d->mem, psp, psp, name);
	(void)dos_mcb_set_owner(&d->mem, env_seg, psp, NULL);

	rc = write_psp(d, psp, paras, env_seg, req);
	if (rc == 0 && exe) {
		uint16_t load = (uint16_t)(psp + PSP_PARAS);
		if (dos_exe_loads_high(&info))
			load = (uint16_t)(psp + paras - dos_exe_image_paras(&info));
		rc = dos_exe_load(&d->mem, file, size, &info, load);
		out->cs = (uint16_t)(info.cs + load);
		out->ip = info.ip;
		out->ss = (uint16_t)(info.ss + load);
		out->sp = info.sp;
	} else if (rc == 0) {
		uint32_t top = (uint32_t)paras * 16;
		if (size && dos_mem_write(&d->mem, dos_linear(psp, PSP_SIZE), file, size))
			rc = DOS_EMCB;
		out->cs = out->ss = psp;
		out->ip = PSP_SIZE;
		out->sp = (uint16_t)((top > 0x10000 ? 0x10000 : top) - 2);
		if (rc == 0 && dos_mem_write16(&d->mem, dos_linear(psp, out->sp), 0))
			rc = DOS_EMCB;
	}
	out->psp = psp;
	if (rc) {
		/* Nothing of the failed program stays. */
		dos_files_close_process(d, psp);
		(void)dos_mcb_free(&d->mem, d->first_mcb, psp);
	}
out:
	if (rc && env_seg)
		(void)dos_mcb_free(&d->mem, d->first_mcb, env_seg);
	free(env);
	free(file);
	return rc;
}

/* The registers a program starts with. */
static void start_regs(struct vdh_regs *r, const struct loaded *p)
{
	r->cs = p->cs;
	r->eip = p->ip;
	r->ss = p->ss;
	r->esp = p->sp;
	r->ds = r->es = p->psp;
	r->eax = r->ebx = r->edx = r->esi = r->edi = r->ebp = 0;
	r->ecx = 0x00FF;
	r->eflags = (r->eflags | VDH_FLAG_IF) & ~(VDH_FLAG_DF | VDH_FLAG_TF | VDH_FLAG_CF);
}

/* The command tail from "ARGS": a count, the text, CR; at most 126 bytes. */
static void make_tail(const char *args, uint8_t tail[TAIL_SIZE])
{
	size_t n = 0;
	memset(tail, 0, TAIL_SIZE);
	if (*args)
		tail[1 + n++] = ' ';
	for (const char *c = args; *c && n < TAIL_SIZE - 2; c++)
		tail[1 + n++] = (uint8_t)*c;
	tail[0] = (uint8_t)n;
	tail[1 + n] = '\r';
}

/* The first two arguments as FCBs at PSP:5Ch and 6Ch, parsed by 29h from the
 * tail as COMMAND.COM does it (AL=01h: leading separators skipped). */
static void tail_fcbs(struct dos *d, uint16_t psp)
{
	uint16_t si = PSP_TAIL + 1;
	uint8_t parsed;

	if (dos_fcb_parse(d, 0x01, psp, &si, dos_linear(psp, PSP_FCB1), &parsed) == 0)
		(void)dos_fcb_parse(d, 0x01, psp, &si, dos_linear(psp, PSP_FCB2), &parsed);
}

int dos_boot(struct dos *d, struct vdh_regs *r)
{
	struct exec_request req = { .environment = (const uint8_t *)root_environment,
				    .environment_len = sizeof(root_environment) };
	char dos_path[DOS_PATH_MAX];
	struct loaded prog;
	uint16_t kib = 640;
	int rc;

	if (dos_mem_read16(&d->mem, BDA_MEMORY_KIB, &kib) || kib < 64 || kib > 640)
		kib = 640;
	d->memory_top = (uint16_t)(kib * 64);
	d->first_mcb = (uint16_t)(d->data_segment + ((DOS_DATA_SIZE + 15u) >> 4));
	d->fit = DOS_FIT_FIRST;
	rc = dos_tables_build(d);
	if (rc == 0)
		rc = dos_mcb_init(&d->mem, d->first_mcb, d->memory_top);
	if (rc) {
		d->vdh->log(d->dev, VDH_LOG_ERROR, "cannot set up DOS's memory");
		return -1;
	}
	d->files[0] = (struct dos_file){ .refs = 3, .device = DOS_DEV_CON, .fd = -1, .mode = 2,
					 .name = "CON" };
	d->files[1] = (struct dos_file){ .refs = 1, .device = DOS_DEV_AUX, .fd = -1, .mode = 2,
					 .name = "AUX" };
	d->files[2] = (struct dos_file){ .refs = 1, .device = DOS_DEV_PRN, .fd = -1, .mode = 2,
					 .name = "PRN" };

	/* A host file inside a drive runs by its DOS name; anything else is
	 * a DOS path already. */
	if (access(d->config.program, F_OK) == 0) {
		char *real = realpath(d->config.program, NULL);
		rc = real ? dos_path_from_host(d->drives, real, dos_path) : DOS_ENOPATH;
		free(real);
		if (rc) {
			d->vdh->log(d->dev, VDH_LOG_ERROR, "'%s' is not inside a drive of the VM; "
				    "map its directory with --drive", d->config.program);
			return -1;
		}
	} else {
		snprintf(dos_path, sizeof(dos_path), "%s", d->config.program);
	}
	req.path = dos_path;
	req.terminate_address = (uint32_t)DK_RESIDENT_SEGMENT << 16 | d->int22_default;
	make_tail(d->config.tail, req.tail);
	rc = exec_load(d, &req, &prog);
	if (rc) {
		d->vdh->log(d->dev, VDH_LOG_ERROR, "cannot run '%s': %s (DOS error %d)",
			    d->config.program, error_text(rc), rc);
		return -1;
	}
	tail_fcbs(d, prog.psp);
	d->psp = prog.psp;
	d->dta = (uint32_t)prog.psp << 16 | PSP_TAIL;
	d->started = true;
	start_regs(r, &prog);
	return 0;
}

/* Reads a far pointer (offset, then segment) at linear. */
static int read_far(struct dos *d, uint32_t linear, uint16_t *seg, uint16_t *off)
{
	return dos_mem_read16(&d->mem, linear, off) || dos_mem_read16(&d->mem, linear + 2, seg);
}

/* The environment block at seg: its strings up to the double NUL. */
static int read_environment(struct dos *d, uint16_t seg, uint8_t **env, size_t *len)
{
	uint8_t *buf = malloc(ENVIRONMENT_MAX);
	if (!buf)
		return DOS_ENOMEM;
	if (dos_mem_read(&d->mem, dos_linear(seg, 0), buf, 1)) {
		free(buf);
		return DOS_EBADENV;
	}
	if (buf[0] == 0) {
		/* No strings at all. */
		*env = buf;
		*len = 1;
		return 0;
	}
	for (size_t i = 1; i < ENVIRONMENT_MAX; i++) {
		if (dos_mem_read8(&d->mem, dos_linear(seg, 0) + i, &buf[i]))
			break;
		if (buf[i] == 0 && buf[i - 1] == 0) {
			*env = buf;
			*len = i + 1;
			return 0;
		}
	}
	free(buf);
	return DOS_EBADENV;
}

/* 4Bh: AL 00h load and run, 01h load only, 03h overlay; DS:DX the
 * program, ES:BX the parameter block. */
static enum dos_status exec(struct dos *d, struct vdh_regs *r)
{
	uint8_t mode = reg_lo(r->eax);
	uint32_t block = dos_linear(r->es, reg16(r->ebx));
	char path[DOS_PATH_MAX];
	struct exec_request req = { 0 };
	struct loaded prog;
	uint16_t env_seg, seg, off;
	uint8_t *env = NULL;
	int rc;

	if (!dos_read_path(d, r->ds, reg16(r->edx), path))
		return dos_fail(d, r, DOS_ENOPATH);
	if (mode == 0x03) {
		/* An overlay: the image at the given segment, relocated by the
		 * given factor; no PSP, no memory. */
		struct dos_resolved res;
		struct dos_exe_info info;
		uint8_t *file = NULL;
		size_t size = 0;
		uint16_t load, factor;
		if (dos_mem_read16(&d->mem, block, &load) || dos_mem_read16(&d->mem, block + 2, &factor))
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		rc = dos_resolve(d, path, DOS_LOOKUP_EXISTING, &res);
		if (rc == 0)
			rc = read_program(&res, &file, &size);
		if (rc)
			return dos_fail(d, r, rc);
		if (dos_exe_is_mz(file, size)) {
			rc = dos_exe_parse(file, size, &info);
			if (rc == 0)
				rc = dos_exe_load(&d->mem, file, size, &info, factor);
			if (rc == 0 && load != factor) {
				/* Loaded relocated for factor, then moved to load. */
				uint8_t *image = malloc(info.image_bytes ? info.image_bytes : 1);
				if (!image || dos_mem_read(&d->mem, dos_linear(factor, 0), image, info.image_bytes) ||
				    dos_mem_write(&d->mem, dos_linear(load, 0), image, info.image_bytes))
					rc = DOS_ENOMEM;
				free(image);
			}
		} else if (size && dos_mem_write(&d->mem, dos_linear(load, 0), file, size)) {
			rc = DOS_ENOMEM;
		}
		free(file);
		if (rc)
			return dos_fail(d, r, rc);
		dos_ok(r);
		return DOS_DONE;
	}
	if (mode != 0x00 && mode != 0x01)
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	if (d->exec_depth >= DOS_EXEC_DEPTH)
		return dos_fail(d, r, DOS_ENOMEM);
	if (dos_mem_read16(&d->mem, block, &env_seg))
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	if (env_seg == 0 &&
	    dos_mem_read16(&d->mem, dos_linear(d->psp, PSP_ENVIRONMENT), &env_seg))
		return dos_fail(d, r, DOS_EBADENV);
	rc = read_environment(d, env_seg, &env, &req.environment_len);
	if (rc)
		return dos_fail(d, r, rc);
	req.environment = env;
	req.path = path;
	if (read_far(d, block + 2, &seg, &off) ||
	    dos_mem_read(&d->mem, dos_linear(seg, off), req.tail, TAIL_SIZE) ||
	    read_far(d, block + 6, &seg, &off) ||
	    dos_mem_read(&d->mem, dos_linear(seg, off), req.fcb1, FCB_SIZE) ||
	    read_far(d, block + 10, &seg, &off) ||
	    dos_mem_read(&d->mem, dos_linear(seg, off), req.fcb2, FCB_SIZE)) {
		free(env);
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	if (req.tail[0] > TAIL_SIZE - 2)
		req.tail[0] = TAIL_SIZE - 2;
	/* The child ends where the parent's int 21h returns. */
	if (read_far(d, dos_linear(r->ss, reg16(r->esp)), &seg, &off)) {
		free(env);
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	req.terminate_address = (uint32_t)seg << 16 | off;
	rc = exec_load(d, &req, &prog);
	free(env);
	if (rc)
		return dos_fail(d, r, rc);

	/* The parent's stack, as DOS keeps it in the parent's PSP. */
	(void)dos_mem_write16(&d->mem, dos_linear(d->psp, PSP_STACK), reg16(r->esp));
	(void)dos_mem_write16(&d->mem, dos_linear(d->psp, PSP_STACK + 2), r->ss);
	if (mode == 0x01) {
		/* Load only: SS:SP (with AX pushed) and CS:IP go back in the
		 * block, and the child becomes the current process. */
		uint16_t sp = (uint16_t)(prog.sp - 2);
		(void)dos_mem_write16(&d->mem, dos_linear(prog.ss, sp), 0);
		(void)dos_mem_write16(&d->mem, block + 0x0E, sp);
		(void)dos_mem_write16(&d->mem, block + 0x10, prog.ss);
		(void)dos_mem_write16(&d->mem, block + 0x12, prog.ip);
		(void)dos_mem_write16(&d->mem, block + 0x14, prog.cs);
		d->psp = prog.psp;
		d->dta = (uint32_t)prog.psp << 16 | PSP_TAIL;
		dos_ok(r);
		return DOS_DONE;
	}
	d->exec[d->exec_depth++] = (struct dos_exec_frame){ .parent = *r, .parent_psp = d->psp,
							     .parent_dta = d->dta };
	d->psp = prog.psp;
	d->dta = (uint32_t)prog.psp << 16 | PSP_TAIL;
	start_regs(r, &prog);
	return DOS_SWITCHED;
}

enum dos_status dos_terminate(struct dos *d, struct vdh_regs *r, uint8_t code, uint8_t how,
			      uint16_t keep_paras)
{
	uint16_t psp = d->psp, largest;
	uint8_t vectors[12];

	d->return_code = (uint16_t)(how << 8 | code);
	if (how == EXEC_RETURN_TYPE_TSR) {
		(void)dos_mcb_resize(&d->mem, d->first_mcb, psp, keep_paras, &largest);
	} else {
		dos_files_close_process(d, psp);
		(void)dos_mcb_free_owner(&d->mem, d->first_mcb, psp);
	}
	/* The vectors the program may have changed come back from its PSP. */
	if (dos_mem_read(&d->mem, dos_linear(psp, PSP_INT22), vectors, sizeof(vectors)) == 0)
		(void)dos_mem_write(&d->mem, 0x22 * 4, vectors, sizeof(vectors));
	if (d->exec_depth == 0) {
		dos_end_vm(d, r, code);
		return DOS_SWITCHED;
	}
	d->exec_depth--;
	d->psp = d->exec[d->exec_depth].parent_psp;
	d->dta = d->exec[d->exec_depth].parent_dta;
	*r = d->exec[d->exec_depth].parent;
	dos_ok(r);
	return DOS_DONE;
}

/* 26h: a copy of the current PSP at segment DX, sized to the memory there. */
static enum dos_status create_psp(struct dos *d, struct vdh_regs *r)
{
	uint8_t p[PSP_SIZE];
	uint16_t seg = reg16(r->edx);
	uint16_t top = d->memory_top;

	if (dos_mem_read(&d->mem, dos_linear(d->psp, 0), p, sizeof(p)))
		return DOS_DONE;
	dos_put16(p + PSP_MEMORY_TOP, top);
	(void)dos_mem_write(&d->mem, dos_linear(seg, 0), p, sizeof(p));
	return DOS_DONE;
}

/* 48h, 49h, 4Ah */
static enum dos_status memory(struct dos *d, struct vdh_regs *r)
{
	uint16_t seg, largest = 0;
	int rc;

	switch (reg_hi(r->eax)) {
	case 0x48:
		rc = dos_mcb_alloc(&d->mem, d->first_mcb, reg16(r->ebx), d->psp, d->fit, &seg,
				   &largest);
		if (rc) {
			if (rc == DOS_ENOMEM)
				set_reg16(&r->ebx, largest);
			return dos_fail(d, r, rc);
		}
		set_reg16(&r->eax, seg);
		break;
	case 0x49:
		rc = dos_mcb_free(&d->mem, d->first_mcb, r->es);
		if (rc)
			return dos_fail(d, r, rc);
		break;
	default:
		rc = dos_mcb_resize(&d->mem, d->first_mcb, r->es, reg16(r->ebx), &largest);
		if (rc) {
			if (rc == DOS_ENOMEM)
				set_reg16(&r->ebx, largest);
			return dos_fail(d, r, rc);
		}
		break;
	}
	dos_ok(r);
	return DOS_DONE;
}

/* 58h: AL 00h/01h the allocation strategy, 02h/03h the UMB link (there
 * are no upper memory blocks: the link stays off). */
static enum dos_status strategy(struct dos *d, struct vdh_regs *r)
{
	uint16_t bx = reg16(r->ebx);

	switch (reg_lo(r->eax)) {
	case 0x00:
		set_reg16(&r->eax, (uint16_t)d->fit);
		break;
	case 0x01:
		if ((bx & 0xFF3F) > DOS_FIT_LAST)
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		d->fit = (enum dos_fit)(bx & 0x03);
		break;
	case 0x02:
		set_reg_lo(&r->eax, 0);
		break;
	case 0x03:
		if (bx != 0)
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		break;
	default:
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	dos_ok(r);
	return DOS_DONE;
}

enum dos_status dos_fn_process(struct dos *d, struct vdh_regs *r)
{
	switch (reg_hi(r->eax)) {
	case 0x00:
		return dos_terminate(d, r, 0, 0, 0);
	case 0x1A:
		d->dta = (uint32_t)r->ds << 16 | reg16(r->edx);
		return DOS_DONE;
	case 0x26:
		return create_psp(d, r);
	case 0x2F:
		r->es = (uint16_t)(d->dta >> 16);
		set_reg16(&r->ebx, (uint16_t)d->dta);
		return DOS_DONE;
	case 0x31:
		return dos_terminate(d, r, reg_lo(r->eax), EXEC_RETURN_TYPE_TSR,
				     reg16(r->edx) < PSP_PARAS ? PSP_PARAS : reg16(r->edx));
	case 0x48:
	case 0x49:
	case 0x4A:
		return memory(d, r);
	case 0x4B:
		return exec(d, r);
	case 0x4C:
		return dos_terminate(d, r, reg_lo(r->eax), 0, 0);
	case 0x4D:
		/* The code is reported once, as MS-DOS does. */
		set_reg16(&r->eax, d->return_code);
		d->return_code = 0;
		dos_ok(r);
		return DOS_DONE;
	case 0x50:
		d->psp = reg16(r->ebx);
		return DOS_DONE;
	case 0x51:
	case 0x62:
		set_reg16(&r->ebx, d->psp);
		return DOS_DONE;
	case 0x52:
		r->es = d->data_segment;
		set_reg16(&r->ebx, DOS_DATA_LOL);
		return DOS_DONE;
	case 0x58:
		return strategy(d, r);
	}
	return dos_fail(d, r, DOS_EINVAL_FUNCTION);
}
