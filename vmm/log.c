/* log.c: mvm's messages to stderr, by level. */
#include "log.h"

#include <stdio.h>

static enum log_level log_threshold = LOG_WARN;

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

bool log_enabled(enum log_level level)
{
	return level <= log_threshold;
}

void log_vmsg(enum log_level level, const char *prefix, const char *fmt, va_list ap)
{
	static const char *const tags[] = {
		[LOG_ERROR] = "", [LOG_WARN] = "warning: ", [LOG_INFO] = "", [LOG_DEBUG] = "debug: ",
	};
	char text[1024];
	if (!log_enabled(level))
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	/* One write per line, so lines from mvm and its VDDs never interleave. */
	fprintf(stderr, "mvm: %s%s%s%s\n", tags[level], prefix ? prefix : "", prefix ? ": " : "",
		text);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, NULL, fmt, ap);
	va_end(ap);
}
