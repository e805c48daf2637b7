/*
 * error.c - the error table and this thread's error detail.
 *
 * The detail is thread-local so that concurrent requests of the server do
 * not see each other's messages; it is a fixed buffer so that recording an
 * error can never itself fail.
 */
#include <innolink/base.h>

#include <stdio.h>
#include <string.h>

struct errinfo {
	const char *name;
	const char *msg;
	int status;
};

static const struct errinfo errtab[] = {
#define IL__ERR_ROW(name, msg, status) {#name, msg, status},
	IL_ERROR_MAP(IL__ERR_ROW)
#undef IL__ERR_ROW
};

static _Thread_local char detail[1024];
static _Thread_local int detail_code = -1;

static const struct errinfo *lookup(int code)
{
	static const struct errinfo unknown = {"EUNKNOWN", "unknown error", 500};
	if (code < 0 || code >= IL_ERROR__COUNT)
		return &unknown;
	return &errtab[code];
}

const char *il_strerror(int code)
{
	return lookup(code)->msg;
}

const char *il_errname(int code)
{
	return lookup(code)->name;
}

int il_error_http_status(int code)
{
	return lookup(code)->status;
}

int il_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	detail_code = code;
	return code;
}

void il_error_prefix(const char *fmt, ...)
{
	char prefix[512];
	va_list ap;
	if (detail_code < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	/* shift the old detail right to make room for "prefix: ", cutting its end */
	size_t pl = strlen(prefix), dl = strlen(detail), room = sizeof(detail) - 1;
	if (pl + 2 >= room)
		pl = room - 2;
	if (dl > room - pl - 2)
		dl = room - pl - 2;
	memmove(detail + pl + 2, detail, dl);
	memcpy(detail, prefix, pl);
	detail[pl] = ':';
	detail[pl + 1] = ' ';
	detail[pl + 2 + dl] = '\0';
}

const char *il_error_detail(int code)
{
	if (detail_code == code && detail[0])
		return detail;
	return il_strerror(code);
}

void il_error_clear(void)
{
	detail[0] = '\0';
	detail_code = -1;
}

void il_error_save(struct il_error_saved *e)
{
	e->code = detail_code;
	memcpy(e->detail, detail, sizeof(e->detail));
}

void il_error_restore(const struct il_error_saved *e)
{
	detail_code = e->code;
	memcpy(detail, e->detail, sizeof(detail));
}
