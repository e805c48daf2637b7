/*
 * time.c - wall-clock time and logging.
 *
 * INNOLINK_NOW pins the clock so that tests of provenance, history and
 * (later) escalation deadlines are repeatable.
 */
#include <innolink/base.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool parse_now(const char *s, struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm->tm_year, &tm->tm_mon, &tm->tm_mday,
			 &tm->tm_hour, &tm->tm_min, &tm->tm_sec) != 6)
		return false;
	tm->tm_year -= 1900;
	tm->tm_mon -= 1;
	return true;
}

int64_t il_time_now_unix(void)
{
	struct tm tm;
	if (parse_now(getenv("INNOLINK_NOW"), &tm))
		return (int64_t)timegm(&tm);
	return (int64_t)time(NULL);
}

void il_time_now(char out[21])
{
	/* every record written carries the time: format each second once */
	static _Thread_local time_t cached = (time_t)-1;
	static _Thread_local char text[21];
	time_t t = (time_t)il_time_now_unix();
	if (t != cached) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
		cached = t;
	}
	memcpy(out, text, sizeof(text));
}

static enum il_log_level log_level = IL_LOG_INFO;

void il_log_set_level(enum il_log_level level)
{
	log_level = level;
}

void il_log(enum il_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	char ts[21];
	va_list ap;
	if (level > log_level)
		return;
	il_time_now(ts);
	va_start(ap, fmt);
	flockfile(stderr);
	fprintf(stderr, "%s %s: ", ts, names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}
