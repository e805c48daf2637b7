/*
 * url.c - the request target, split and decoded strictly.
 *
 * MHD hands the access handler a path it has already unescaped leniently
 * (a stray "%zz" survives as is) and parses the query on its own terms, so
 * the server keeps the raw target from the URI log callback and decodes it
 * here instead: each path segment is decoded on its own, so "%2F" inside an
 * id never becomes a separator; "+" means a space only in the query (HTML
 * form encoding); a '%' not followed by two hex digits, a NUL, a control
 * character or bytes that are not UTF-8 make the request a 400 rather than
 * something the handlers would have to second-guess.
 */
#include "http_internal.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of the valid UTF-8 character at s (at most avail bytes), 0 if none. */
static size_t utf8_char_len(const char *s, size_t avail)
{
	unsigned c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (n > avail || !il_utf8_valid(s, n))
		return 0;
	return n;
}

const char *il__http_clean(struct il__http_request *req, const char *s, size_t max)
{
	struct il_buf b;
	size_t len = strlen(s), i = 0;
	char *out;
	int rc = IL_OK;
	il_buf_init(&b, max + 8);
	while (i < len && !rc) {
		size_t n = utf8_char_len(s + i, len - i);
		unsigned char c = (unsigned char)s[i];
		if (b.len + (n ? n : 1) > max) {
			rc = il_buf_adds(&b, "...");
			break;
		}
		if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F))) {
			rc = il_buf_addc(&b, '?');
			i++;
		} else {
			rc = il_buf_add(&b, s + i, n);
			i += n;
		}
	}
	out = rc ? NULL : il_arena_strdup(&req->arena, il_buf_cstr(&b));
	il_buf_release(&b);
	return out ? out : "";
}

static bool has_controls(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return true;
	}
	return false;
}

/*
 * Decodes s[0..len) into the arena.  Returns IL_EINVAL with *why set
 * for a malformed escape, a decoded NUL or control character, or bytes that
 * are not UTF-8; the caller words the detail since only it knows what the
 * text was.
 */
static int decode(struct il__http_request *req, const char *s, size_t len, bool plus, char **out,
		  const char **why)
{
	char *d = il_arena_alloc(&req->arena, len + 1);
	size_t n = 0;
	*out = NULL;
	if (!d) {
		il_error_set(IL_ENOMEM, "out of memory decoding the request target");
		return IL_ENOMEM;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*why = "malformed percent-encoding";
				return IL_EINVAL;
			}
			d[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			d[n++] = ' ';
		} else {
			d[n++] = c;
		}
	}
	d[n] = '\0';
	if (has_controls(d, n)) { /* includes a decoded NUL */
		*why = "a NUL or control character";
		return IL_EINVAL;
	}
	if (!il_utf8_valid(d, n)) {
		*why = "text that is not UTF-8";
		return IL_EINVAL;
	}
	*out = d;
	return IL_OK;
}

static int split_path(struct il__http_request *req, const char *path, size_t len)
{
	size_t i = 1; /* path[0] == '/' */
	req->nseg = 0;
	if (len == 1)
		return IL_OK;
	while (i <= len) {
		const char *end = memchr(path + i, '/', len - i);
		size_t seglen = end ? (size_t)(end - (path + i)) : len - i;
		const char *why = NULL;
		char *d;
		int rc;
		if (req->nseg == IL__HTTP_MAX_SEGMENTS)
			return il_error_set(IL_EINVAL, "the path has more than %d segments",
					    IL__HTTP_MAX_SEGMENTS);
		rc = decode(req, path + i, seglen, false, &d, &why);
		if (rc == IL_EINVAL)
			return il_error_set(IL_EINVAL, "the path contains %s", why);
		if (rc)
			return rc;
		req->seg[req->nseg++] = d;
		i += seglen + 1;
	}
	return IL_OK;
}

static int split_query(struct il__http_request *req, const char *q, size_t len)
{
	size_t i = 0;
	req->nparams = 0;
	while (i < len) {
		const char *amp = memchr(q + i, '&', len - i);
		size_t plen = amp ? (size_t)(amp - (q + i)) : len - i;
		const char *eq = memchr(q + i, '=', plen);
		size_t nlen = eq ? (size_t)(eq - (q + i)) : plen;
		struct il__http_param *p;
		const char *why = NULL;
		char *name, *value;
		int rc;
		if (plen == 0) { /* "a=1&&b=2": an empty piece is no parameter */
			i++;
			continue;
		}
		if (req->nparams == IL__HTTP_MAX_PARAMS)
			return il_error_set(IL_EINVAL, "more than %d query parameters",
					    IL__HTTP_MAX_PARAMS);
		rc = decode(req, q + i, nlen, true, &name, &why);
		if (rc == IL_EINVAL)
			return il_error_set(IL_EINVAL, "a query parameter name contains %s", why);
		if (rc)
			return rc;
		if (!name[0])
			return il_error_set(IL_EINVAL, "a query parameter has an empty name");
		value = "";
		if (eq) {
			rc = decode(req, eq + 1, plen - nlen - 1, true, &value, &why);
			if (rc == IL_EINVAL)
				return il_error_set(IL_EINVAL, "query parameter '%s' contains %s",
						    il__http_clean(req, name, 64), why);
			if (rc)
				return rc;
		}
		p = &req->params[req->nparams++];
		p->name = name;
		p->value = value;
		i += plen + 1;
	}
	return IL_OK;
}

int il__http_parse_target(struct il__http_request *req)
{
	const char *t = req->raw, *path, *q;
	size_t len = req->raw_len, plen;
	int rc;
	/* absolute-form ("http://host/path"), which HTTP/1.1 servers must accept */
	if (len > 7 && (strncmp(t, "http://", 7) == 0 || strncmp(t, "https://", 8) == 0)) {
		const char *slash = memchr(t + 8, '/', len - 8);
		if (!slash)
			return il_error_set(IL_EINVAL, "the request target has no path");
		len -= (size_t)(slash - t);
		t = slash;
	}
	if (len == 0 || t[0] != '/')
		return il_error_set(IL_EINVAL, "the request target must start with '/'");
	path = t;
	q = memchr(t, '?', len);
	plen = q ? (size_t)(q - t) : len;
	if (!(req->raw_path = il_arena_strndup(&req->arena, path, plen)))
		return il_error_set(IL_ENOMEM, "out of memory copying the path");
	if ((rc = split_path(req, path, plen)) != IL_OK)
		return rc;
	if (q) {
		const char *qs = q + 1;
		size_t qlen = len - plen - 1;
		const char *hash = memchr(qs, '#', qlen);
		if (hash)
			qlen = (size_t)(hash - qs);
		if ((rc = split_query(req, qs, qlen)) != IL_OK)
			return rc;
	}
	req->parsed = true;
	return IL_OK;
}

int il__http_url_encode(struct il_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = IL_OK;
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			rc = il_buf_addc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			rc = il_buf_add(out, e, 3);
		}
	}
	return rc;
}

const char *il__http_param(const struct il__http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}
