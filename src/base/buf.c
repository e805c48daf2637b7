/*
 * buf.c - growable, capped byte buffers.
 *
 * Invariant: ptr is NULL or points to cap bytes with ptr[len] == '\0' and
 * len < cap.  Growth doubles, so appending n bytes costs O(n) amortised.
 */
#include <innolink/base.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_DEFAULT_MAX (SIZE_MAX / 2)

void il_buf_init(struct il_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
}

void il_buf_release(struct il_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int il_buf_grow(struct il_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
	size_t need, cap;
	if (!il_size_add(b->len, extra, &need) || need > max)
		return il_error_set(IL_ETOOBIG, "buffer would exceed its limit of %zu bytes", max);
	need++; /* terminator */
	if (need <= b->cap)
		return IL_OK;
	/* the first allocation fits the first append, so a value copied into
	 * a fresh buffer costs one malloc, not a chain of reallocs */
	cap = b->cap ? b->cap : (need > 64 ? need : 64);
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = il_realloc(b->ptr, cap);
	if (!p)
		return IL_ENOMEM;
	b->ptr = p;
	b->cap = cap;
	return IL_OK;
}

int il_buf_add(struct il_buf *b, const void *data, size_t len)
{
	int rc = il_buf_grow(b, len);
	if (rc)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return IL_OK;
}

int il_buf_adds(struct il_buf *b, const char *s)
{
	return il_buf_add(b, s, strlen(s));
}

int il_buf_addc(struct il_buf *b, char c)
{
	return il_buf_add(b, &c, 1);
}

int il_buf_vaddf(struct il_buf *b, const char *fmt, va_list ap)
{
	/* format straight into the spare room; only a result that does not fit
	 * pays for a second pass */
	va_list cp;
	size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
	int rc = il_buf_grow(b, max - b->len < 64 ? max - b->len : 64);
	if (rc)
		return rc;
	va_copy(cp, ap);
	int n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return il_error_set(IL_EINVAL, "bad format string");
	if ((size_t)n >= b->cap - b->len) {
		if ((rc = il_buf_grow(b, (size_t)n)) != 0) {
			b->ptr[b->len] = '\0';
			return rc;
		}
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
	return IL_OK;
}

int il_buf_addf(struct il_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = il_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void il_buf_reset(struct il_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

const char *il_buf_cstr(const struct il_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *il_buf_detach(struct il_buf *b)
{
	char *p = b->ptr ? b->ptr : il_strdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}
