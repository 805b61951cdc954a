/* dos_misc.c: int 21h's small functions: vectors, date and time, version, switches, country information. */
#include <string.h>
#include <time.h>

#include "dos.h"

/*
 * What these functions return follows MS-DOS 5 as it runs without
 * COUNTRY.SYS and NLSFUNC: one country (1, USA) in one code page (437).
 * Where a function asks for another country or code page, MS-DOS 5 would
 * pass it to NLSFUNC, and without NLSFUNC it answers "invalid function";
 * so do we.
 *
 * Guest buffers are addressed as the CPU's string instructions address
 * them: the offset wraps within the segment. A byte that is not RAM reads
 * as FFh and drops writes, as on the bus; these functions never fail for
 * want of memory on a real machine, so they do not here either.
 */

#define COUNTRY_USA 1
#define CODE_PAGE_437 437
#define ANY 0xFFFF /* 65h: BX or DX for the active code page or country */

/* Function 38h's block (DOS 3+), by offset. */
#define CI_DATE_FORMAT 0x00   /* word: 0 month-day-year */
#define CI_CURRENCY 0x02      /* 5 bytes, ASCIZ */
#define CI_THOUSANDS 0x07     /* 2 bytes, ASCIZ */
#define CI_DECIMAL 0x09
#define CI_DATE_SEP 0x0B
#define CI_TIME_SEP 0x0D
#define CI_CURRENCY_FORMAT 0x0F /* 0: symbol first, no space */
#define CI_CURRENCY_DIGITS 0x10
#define CI_TIME_FORMAT 0x11   /* bit 0 clear: 12-hour clock */
#define CI_CASE_MAP 0x12      /* far pointer: upper-cases AL from 80h up */
#define CI_LIST_SEP 0x16      /* 2 bytes, ASCIZ */
#define CI_SIZE 0x22          /* then 10 reserved bytes */
/* 38h copies the block without its reserved bytes (OLD_COUNTRY_SIZE in
 * MS-DOS's source); they stay as the program left them. */
#define CI_COPIED 0x18

/* Function 65h 01h's table: info ID, a size word, country, code page,
 * then 38h's block reserved bytes and all. */
#define EXT_INFO_HEADER 3
#define EXT_INFO_SIZE (4 + CI_SIZE)
#define EXT_POINTER_SIZE 5    /* 65h 02h-07h: info ID, far pointer */
#define EXT_MIN_BUFFER 5      /* MS-DOS refuses smaller buffers for any ID */

/* Info IDs of function 65h. */
#define NLS_COUNTRY_INFO 0x01
#define NLS_UPCASE 0x02
#define NLS_FILE_UPCASE 0x04
#define NLS_FILE_CHARS 0x05
#define NLS_DBCS 0x07
#define NLS_CAP_CHAR 0x20
#define NLS_CAP_STRING 0x21
#define NLS_CAP_ASCIZ 0x22
#define NLS_YES_NO 0x23

/*
 * The DBCS lead-byte table (65h 07h points at it, 63h at its pairs): a
 * length word and 16 bytes, all zero in a code page without double-byte
 * characters, as MS-DOS 5 keeps it. It sits just below the upper-case
 * table in DOS's data segment; we write it there at each use, so it is
 * right whatever a program did to it.
 */
#define DBCS_TABLE_SIZE 18
#define DBCS_TABLE DOS_DATA_DBCS

/*
 * The filename character table (65h 05h), MS-DOS 5's: a size word, then
 * 01h, the permissible range 00h-FFh, 00h, the excluded range 00h-20h,
 * 02h, and the count and list of the characters that end a name. Shells
 * such as FreeCOM split command words with it. It follows the upper-case
 * table, and like the DBCS table is written at each use.
 */
static const uint8_t file_chars[] = {
	0x16, 0x00, 0x01, 0x00, 0xFF, 0x00, 0x00, 0x20, 0x02, 14,
	'.', '"', '/', '\\', '[', ']', ':', '|', '<', '>', '+', '=', ';', ',',
};
#define FILE_CHARS_TABLE (DOS_DATA_UPCASE + 2 + 128)

/* The DOS clock. */
#define NS_PER_S 1000000000LL
#define NS_PER_CS 10000000LL
#define S_PER_DAY 86400LL
#define DOS_YEAR_MIN 1980 /* 2Bh's range, and the earliest day DOS can count */
#define DOS_YEAR_MAX 2099
#define WEEKDAY_1970 4    /* 1970-01-01 was a Thursday; 0 is Sunday */

/* 30h: MS-DOS's OEM number; 3306h: DOS neither in ROM nor in the HMA. */
#define OEM_MICROSOFT 0xFF
#define BOOT_DRIVE_C 3

static void set_dx(struct vdh_regs *r, uint8_t hi, uint8_t lo)
{
	set_reg16(&r->edx, (uint16_t)(hi << 8 | lo));
}

static void set_cx(struct vdh_regs *r, uint8_t hi, uint8_t lo)
{
	set_reg16(&r->ecx, (uint16_t)(hi << 8 | lo));
}

/* Guest memory at seg:off, the offset wrapping within the segment. */
static void guest_read(struct dos *d, uint16_t seg, uint16_t off, uint8_t *buf, size_t len)
{
	while (len) {
		size_t n = 0x10000u - off;
		if (n > len)
			n = len;
		if (dos_mem_read(&d->mem, dos_linear(seg, off), buf, n)) {
			for (size_t i = 0; i < n; i++)
				if (dos_mem_read8(&d->mem, dos_linear(seg, (uint16_t)(off + i)), &buf[i]))
					buf[i] = 0xFF;
		}
		buf += n;
		len -= n;
		off = (uint16_t)(off + n);
	}
}

static void guest_write(struct dos *d, uint16_t seg, uint16_t off, const uint8_t *buf,
			size_t len)
{
	while (len) {
		size_t n = 0x10000u - off;
		if (n > len)
			n = len;
		if (dos_mem_write(&d->mem, dos_linear(seg, off), buf, n)) {
			for (size_t i = 0; i < n; i++)
				(void)dos_mem_write8(&d->mem, dos_linear(seg, (uint16_t)(off + i)),
						     buf[i]);
		}
		buf += n;
		len -= n;
		off = (uint16_t)(off + n);
	}
}

/* ---- 25h, 35h: interrupt vectors ---- */

static enum dos_status fn_set_vector(struct dos *d, struct vdh_regs *r)
{
	uint8_t vector[4];

	dos_put16(vector, reg16(r->edx));
	dos_put16(vector + 2, r->ds);
	guest_write(d, 0, (uint16_t)(reg_lo(r->eax) * 4), vector, sizeof(vector));
	return DOS_DONE;
}

static enum dos_status fn_get_vector(struct dos *d, struct vdh_regs *r)
{
	uint8_t vector[4];

	guest_read(d, 0, (uint16_t)(reg_lo(r->eax) * 4), vector, sizeof(vector));
	set_reg16(&r->ebx, dos_get16(vector));
	r->es = dos_get16(vector + 2);
	return DOS_DONE;
}

/* ---- 2Ah-2Dh: the date and the time ---- */

/*
 * The DOS clock runs with the VM's virtual clock from the host's local
 * time when the VM started; 2Bh and 2Dh move it. It is kept as local time
 * in nanoseconds since 1970-01-01 00:00 (a count without time zones or
 * daylight saving, so setting the date keeps the time of day exactly).
 */

/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool leap_year(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

static int64_t dos_first_day_ns(void)
{
	return days_from_civil(DOS_YEAR_MIN, 1, 1) * S_PER_DAY * NS_PER_S;
}

/* The host's local time now, in the clock's count. */
static int64_t host_local_ns(void)
{
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) || !localtime_r(&ts.tv_sec, &tm))
		return dos_first_day_ns();
	return ((days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
				 (unsigned)tm.tm_mday) * S_PER_DAY +
		 tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec) * NS_PER_S) + ts.tv_nsec;
}

static int64_t vm_now_ns(struct dos *d)
{
	/* Virtual time since the VM started: far below 2^63 ns (292 years). */
	return (int64_t)d->vdh->now_ns(d->dev);
}

/* The DOS clock now; never before DOS's first day. */
static int64_t clock_now(struct dos *d)
{
	int64_t vm = vm_now_ns(d), now, first = dos_first_day_ns();

	if (!d->clock_valid) {
		/* The first use: the host's time now, less the time the VM
		 * has run, is the host's time when it started. */
		d->clock_base_ns = host_local_ns() - vm;
		d->clock_valid = true;
	}
	now = d->clock_base_ns + vm;
	return now < first ? first : now;
}

static void clock_set(struct dos *d, int64_t local_ns)
{
	d->clock_base_ns = local_ns - vm_now_ns(d);
	d->clock_valid = true;
}

void dos_clock_read(struct dos *d, struct dos_clock_time *t)
{
	int64_t now = clock_now(d), day_ns = S_PER_DAY * NS_PER_S;
	int64_t days = now / day_ns, in_day = now % day_ns, s = in_day / NS_PER_S, year;
	unsigned month, day;

	civil_from_days(days, &year, &month, &day);
	*t = (struct dos_clock_time){
		.year = (uint16_t)year, .month = (uint8_t)month, .day = (uint8_t)day,
		.weekday = (uint8_t)((days + WEEKDAY_1970) % 7),
		.days_since_1980 = (uint16_t)(days - days_from_civil(DOS_YEAR_MIN, 1, 1)),
		.hour = (uint8_t)(s / 3600), .minute = (uint8_t)(s / 60 % 60),
		.second = (uint8_t)(s % 60), .hundredths = (uint8_t)(in_day % NS_PER_S / NS_PER_CS),
	};
}

static enum dos_status fn_get_date(struct dos *d, struct vdh_regs *r)
{
	struct dos_clock_time t;

	dos_clock_read(d, &t);
	set_reg16(&r->ecx, t.year);
	set_dx(r, t.month, t.day);
	set_reg_lo(&r->eax, t.weekday);
	return DOS_DONE;
}

static enum dos_status fn_set_date(struct dos *d, struct vdh_regs *r)
{
	unsigned year = reg16(r->ecx), month = reg_hi(r->edx), day = reg_lo(r->edx);
	int64_t day_ns = S_PER_DAY * NS_PER_S;

	if (year < DOS_YEAR_MIN || year > DOS_YEAR_MAX || month < 1 || month > 12 || day < 1 ||
	    day > month_days(year, month)) {
		set_reg_lo(&r->eax, 0xFF);
		return DOS_DONE;
	}
	clock_set(d, days_from_civil(year, month, day) * day_ns + clock_now(d) % day_ns);
	set_reg_lo(&r->eax, 0);
	return DOS_DONE;
}

static enum dos_status fn_get_time(struct dos *d, struct vdh_regs *r)
{
	struct dos_clock_time t;

	dos_clock_read(d, &t);
	set_cx(r, t.hour, t.minute);
	set_dx(r, t.second, t.hundredths);
	return DOS_DONE;
}

static enum dos_status fn_set_time(struct dos *d, struct vdh_regs *r)
{
	unsigned hour = reg_hi(r->ecx), minute = reg_lo(r->ecx);
	unsigned second = reg_hi(r->edx), cs = reg_lo(r->edx);
	int64_t day_ns = S_PER_DAY * NS_PER_S, now = clock_now(d);

	if (hour > 23 || minute > 59 || second > 59 || cs > 99) {
		set_reg_lo(&r->eax, 0xFF);
		return DOS_DONE;
	}
	clock_set(d, now - now % day_ns + (hour * 3600LL + minute * 60 + second) * NS_PER_S +
			     cs * NS_PER_CS);
	set_reg_lo(&r->eax, 0);
	return DOS_DONE;
}

/* ---- 2Eh, 54h: verify; 30h, 33h: version and Ctrl-Break; 34h, 37h ---- */

static enum dos_status fn_set_verify(struct dos *d, struct vdh_regs *r)
{
	/* MS-DOS keeps bit 0 only. */
	d->verify = reg_lo(r->eax) & 1;
	return DOS_DONE;
}

static enum dos_status fn_get_verify(struct dos *d, struct vdh_regs *r)
{
	set_reg_lo(&r->eax, d->verify);
	return DOS_DONE;
}

/*
 * MS-DOS 5 reports the version in the current PSP (offset 40h), where EXEC
 * put the one SETVER gives the program; a PSP without one (0) gets the
 * configured version.
 */
static enum dos_status fn_get_version(struct dos *d, struct vdh_regs *r)
{
	uint16_t version = 0;

	if (d->psp)
		(void)dos_mem_read16(&d->mem, dos_linear(d->psp, PSP_VERSION), &version);
	if (!version)
		version = (uint16_t)(d->config.version_minor << 8 | d->config.version_major);
	/* AL=01h (DOS 5): BH holds the version flags, all clear: DOS is
	 * neither in ROM nor in the HMA. BL:CX, the user serial number: 0. */
	set_reg16(&r->ebx, (uint16_t)((reg_lo(r->eax) == 1 ? 0 : OEM_MICROSOFT) << 8));
	set_reg16(&r->ecx, 0);
	set_reg16(&r->eax, version);
	return DOS_DONE;
}

static enum dos_status fn_ctrl_break(struct dos *d, struct vdh_regs *r)
{
	uint8_t major = d->config.version_major;
	bool old = d->ctrl_break;

	switch (reg_lo(r->eax)) {
	case 0x00: /* get: DL */
		set_reg_lo(&r->edx, old);
		break;
	case 0x01: /* set from DL's bit 0 */
		d->ctrl_break = reg_lo(r->edx) & 1;
		break;
	case 0x02: /* set from DL, DL the old state (DOS 3.x+ kept it, undocumented) */
		d->ctrl_break = reg_lo(r->edx) & 1;
		set_reg_lo(&r->edx, old);
		break;
	case 0x05: /* the boot drive, 1 for A: (DOS 4+) */
		if (major < 4)
			set_reg_lo(&r->eax, 0xFF);
		else
			set_reg_lo(&r->edx, BOOT_DRIVE_C);
		break;
	case 0x06: /* the true version (DOS 5+), which SETVER does not change */
		if (major < 5) {
			set_reg_lo(&r->eax, 0xFF);
			break;
		}
		set_reg16(&r->ebx, (uint16_t)(d->config.version_minor << 8 | major));
		set_dx(r, 0, 0); /* DH flags: not in ROM, not in the HMA; DL revision 0 */
		break;
	default: /* 03h, 04h: DOS 4.0's code page switching, gone in 5 */
		set_reg_lo(&r->eax, 0xFF);
		break;
	}
	return DOS_DONE;
}

static enum dos_status fn_indos_address(struct dos *d, struct vdh_regs *r)
{
	r->es = d->data_segment;
	set_reg16(&r->ebx, DOS_DATA_INDOS);
	return DOS_DONE;
}

/*
 * The switch character. MS-DOS 5 took away the setting: 3700h always says
 * '/' and 3701h is ignored (RBIL, and MS-DOS 5's $CHAR_OPER). 3700h
 * reports d->switch_char, '/' from the start, which nothing here changes.
 */
static enum dos_status fn_switch_char(struct dos *d, struct vdh_regs *r)
{
	switch (reg_lo(r->eax)) {
	case 0x00:
		set_reg_lo(&r->edx, d->switch_char);
		set_reg_lo(&r->eax, 0);
		break;
	case 0x01: /* ignored, "successful" */
		set_reg_lo(&r->eax, 0);
		break;
	case 0x02: /* device availability: /DEV not needed, always FFh */
		set_reg_lo(&r->edx, 0xFF);
		set_reg_lo(&r->eax, 0);
		break;
	case 0x03: /* set device availability: no longer supported, a no-op */
		set_reg_lo(&r->eax, 0);
		break;
	default:
		set_reg_lo(&r->eax, 0xFF);
		break;
	}
	return DOS_DONE;
}

/* ---- 59h: extended error ---- */

static enum dos_status fn_extended_error(struct dos *d, struct vdh_regs *r)
{
	/* MS-DOS also returns ES:DI (a pointer for some network errors) and
	 * leaves CL, DX, SI, DI, BP, DS and ES undefined: they keep the
	 * caller's values. */
	set_reg16(&r->eax, d->error);
	set_reg16(&r->ebx, (uint16_t)(d->error_class << 8 | d->error_action));
	set_reg_hi(&r->ecx, d->error_locus);
	dos_ok(r);
	return DOS_DONE;
}

/* ---- Country information: 38h, 63h, 65h, 66h ---- */

/*
 * Code page 437's upper case, as MS-DOS 5's UCASE_TAB has it for 80h-A7h
 * (above, every character is its own upper case): accented letters with a
 * capital in the code page map to it, the others to the plain letter.
 */
static const uint8_t upcase_437[0x28] = {
	0x80, 0x9A, 0x90, 'A', 0x8E, 'A', 0x8F, 0x80,  /* Ç ü é â ä à å ç */
	'E', 'E', 'E', 'I', 'I', 'I', 0x8E, 0x8F,      /* ê ë è ï î ì Ä Å */
	0x90, 0x92, 0x92, 'O', 0x99, 'O', 'U', 'U',    /* É æ Æ ô ö ò û ù */
	'Y', 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, /* ÿ Ö Ü ¢ £ ¥ ₧ ƒ */
	'A', 'I', 'O', 'U', 0xA5, 0xA5, 0xA6, 0xA7,    /* á í ó ú ñ Ñ ª º */
};

uint8_t dos_upcase_char(uint8_t c)
{
	if (c >= 'a' && c <= 'z')
		return (uint8_t)(c - 'a' + 'A');
	if (c >= 0x80 && c < 0x80 + sizeof(upcase_437))
		return upcase_437[c - 0x80];
	return c;
}

/* 38h's block for country 1. */
static void country_info(struct dos *d, uint8_t out[CI_SIZE])
{
	memset(out, 0, CI_SIZE);
	dos_put16(out + CI_DATE_FORMAT, 0);
	out[CI_CURRENCY] = '$';
	out[CI_THOUSANDS] = ',';
	out[CI_DECIMAL] = '.';
	out[CI_DATE_SEP] = '-';
	out[CI_TIME_SEP] = ':';
	out[CI_CURRENCY_FORMAT] = 0;
	out[CI_CURRENCY_DIGITS] = 2;
	out[CI_TIME_FORMAT] = 0;
	/* The case-map routine: a RETF of the resident part, so it maps
	 * nothing (MS-DOS's MAP_CASE maps 80h-FFh through UCASE_TAB). */
	dos_put16(out + CI_CASE_MAP, d->device_retf);
	dos_put16(out + CI_CASE_MAP + 2, DK_RESIDENT_SEGMENT);
	out[CI_LIST_SEP] = ',';
}

static enum dos_status fn_country(struct dos *d, struct vdh_regs *r)
{
	uint8_t al = reg_lo(r->eax);
	uint16_t country = al == 0xFF ? reg16(r->ebx) : al;
	uint8_t info[CI_SIZE];

	if (reg16(r->edx) == 0xFFFF) {
		/* Set: only to the country already current (0 is not one). */
		if (country != COUNTRY_USA)
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	} else {
		if (country != 0 && country != COUNTRY_USA)
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		country_info(d, info);
		guest_write(d, r->ds, reg16(r->edx), info, CI_COPIED);
		set_reg16(&r->ebx, COUNTRY_USA);
	}
	set_reg16(&r->eax, COUNTRY_USA);
	dos_ok(r);
	return DOS_DONE;
}

static void write_dbcs_table(struct dos *d)
{
	static const uint8_t empty[DBCS_TABLE_SIZE];
	guest_write(d, d->data_segment, DBCS_TABLE, empty, sizeof(empty));
}

/* 63h: MS-DOS 5 without double-byte support answers 6300h with the empty
 * lead-byte table and takes the interim-console calls as no-ops. */
static enum dos_status fn_dbcs(struct dos *d, struct vdh_regs *r)
{
	if (reg_lo(r->eax) == 0) {
		write_dbcs_table(d);
		r->ds = d->data_segment;
		set_reg16(&r->esi, DBCS_TABLE + 2);
	}
	dos_ok(r);
	return DOS_DONE;
}

/* 65h 20h-23h: DS:DX's characters in place; the file variants (A0h-A2h)
 * do not exist in MS-DOS 5 (its test for them never matches). */
static enum dos_status fn_capitalize(struct dos *d, struct vdh_regs *r, uint8_t how)
{
	uint8_t buf[256];
	uint16_t off = reg16(r->edx);
	size_t left;

	switch (how) {
	case NLS_CAP_CHAR:
		set_reg_lo(&r->edx, dos_upcase_char(reg_lo(r->edx)));
		break;
	case NLS_YES_NO: {
		uint8_t c = reg_lo(r->edx);
		set_reg16(&r->eax, c == 'N' || c == 'n' ? 0 : c == 'Y' || c == 'y' ? 1 : 2);
		break;
	}
	case NLS_CAP_STRING:
		for (left = reg16(r->ecx); left;) {
			size_t n = left < sizeof(buf) ? left : sizeof(buf);
			guest_read(d, r->ds, off, buf, n);
			for (size_t i = 0; i < n; i++)
				buf[i] = dos_upcase_char(buf[i]);
			guest_write(d, r->ds, off, buf, n);
			off = (uint16_t)(off + n);
			left -= n;
		}
		break;
	case NLS_CAP_ASCIZ:
		/* Up to the NUL; a segment without one ends after 64 KiB,
		 * where MS-DOS would go round for ever. */
		for (left = 0x10000; left;) {
			size_t n = left < sizeof(buf) ? left : sizeof(buf), i;
			guest_read(d, r->ds, off, buf, n);
			for (i = 0; i < n && buf[i]; i++)
				buf[i] = dos_upcase_char(buf[i]);
			guest_write(d, r->ds, off, buf, i);
			if (i < n)
				break;
			off = (uint16_t)(off + n);
			left -= n;
		}
		break;
	default:
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	dos_ok(r);
	return DOS_DONE;
}

static enum dos_status fn_ext_country(struct dos *d, struct vdh_regs *r)
{
	uint8_t id = reg_lo(r->eax), out[EXT_INFO_HEADER + EXT_INFO_SIZE];
	uint16_t size = reg16(r->ecx), table;
	size_t len;

	if (id >= NLS_CAP_CHAR)
		return fn_capitalize(d, r, id);
	if (size < EXT_MIN_BUFFER)
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	if ((reg16(r->edx) != ANY && reg16(r->edx) != COUNTRY_USA) ||
	    (reg16(r->ebx) != ANY && reg16(r->ebx) != CODE_PAGE_437))
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);

	out[0] = id;
	if (id == NLS_COUNTRY_INFO) {
		/* Truncated to the buffer, the size word saying how much. */
		uint16_t info_len = EXT_INFO_SIZE;
		if (info_len > size - EXT_INFO_HEADER)
			info_len = (uint16_t)(size - EXT_INFO_HEADER);
		dos_put16(out + 1, info_len);
		dos_put16(out + 3, COUNTRY_USA);
		dos_put16(out + 5, CODE_PAGE_437);
		country_info(d, out + 7);
		len = EXT_INFO_HEADER + info_len;
	} else {
		if (id == NLS_UPCASE || id == NLS_FILE_UPCASE) {
			/* One table serves both: MS-DOS 5's file table
			 * differs only at 82h (é), which it maps to E. */
			table = DOS_DATA_UPCASE;
		} else if (id == NLS_DBCS) {
			write_dbcs_table(d);
			table = DBCS_TABLE;
		} else if (id == NLS_FILE_CHARS) {
			guest_write(d, d->data_segment, FILE_CHARS_TABLE, file_chars,
				    sizeof(file_chars));
			table = FILE_CHARS_TABLE;
		} else {
			/* Among them NLS_COLLATE: MS-DOS 5 has this table, we
			 * do not build it (yet). */
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		}
		dos_put16(out + 1, table);
		dos_put16(out + 3, d->data_segment);
		len = EXT_POINTER_SIZE;
	}
	guest_write(d, r->es, reg16(r->edi), out, len);
	set_reg16(&r->ecx, (uint16_t)len);
	/* MS-DOS leaves the system code page in AX. */
	set_reg16(&r->eax, CODE_PAGE_437);
	dos_ok(r);
	return DOS_DONE;
}

/* 66h: the global code page. Setting one needs NLSFUNC; setting 437, the
 * one already active, succeeds without it here. */
static enum dos_status fn_code_page(struct dos *d, struct vdh_regs *r)
{
	switch (reg_lo(r->eax)) {
	case 0x01:
		set_reg16(&r->ebx, CODE_PAGE_437);
		set_reg16(&r->edx, CODE_PAGE_437);
		break;
	case 0x02:
		if (reg16(r->ebx) != CODE_PAGE_437)
			return dos_fail(d, r, DOS_EINVAL_FUNCTION);
		break;
	default:
		return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
	dos_ok(r);
	return DOS_DONE;
}

enum dos_status dos_fn_misc(struct dos *d, struct vdh_regs *r)
{
	switch (reg_hi(r->eax)) {
	case 0x25: return fn_set_vector(d, r);
	case 0x2A: return fn_get_date(d, r);
	case 0x2B: return fn_set_date(d, r);
	case 0x2C: return fn_get_time(d, r);
	case 0x2D: return fn_set_time(d, r);
	case 0x2E: return fn_set_verify(d, r);
	case 0x30: return fn_get_version(d, r);
	case 0x33: return fn_ctrl_break(d, r);
	case 0x34: return fn_indos_address(d, r);
	case 0x35: return fn_get_vector(d, r);
	case 0x37: return fn_switch_char(d, r);
	case 0x38: return fn_country(d, r);
	case 0x54: return fn_get_verify(d, r);
	case 0x59: return fn_extended_error(d, r);
	case 0x63: return fn_dbcs(d, r);
	case 0x65: return fn_ext_country(d, r);
	case 0x66: return fn_code_page(d, r);
	default: return dos_fail(d, r, DOS_EINVAL_FUNCTION);
	}
}
