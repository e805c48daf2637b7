/*
 * record.c - records and the parsing of field values into canonical form.
 *
 * Canonical forms: INT "-12", REAL "%.15g", BOOL "1"/"0", DATE "YYYY-MM-DD",
 * ENUM the code, LIST items joined by ";" with duplicates dropped, TEXT
 * trimmed of blanks (ASCII, U+00A0, U+3000).  Because values are canonical,
 * equality of two records is plain string equality, which is what makes a
 * re-import that changes nothing detectable (and free of new versions).
 */
#include "model_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID 128

bool il__ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

int il_record_init(struct il_record *r, enum il_kind kind)
{
	const struct il_kind_info *k = il_kind_info(kind);
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->values = il_calloc(k->nfields, sizeof(char *));
	return r->values ? IL_OK : IL_ENOMEM;
}

void il_record_release(struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	if (r->values && k)
		for (size_t i = 0; i < k->nfields; i++)
			free(r->values[i]);
	free(r->values);
	free(r->id);
	free(r->created_at);
	free(r->updated_at);
	free(r->source);
	memset(r, 0, sizeof(*r));
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return IL_OK;
	*dst = il_strdup(src);
	return *dst ? IL_OK : IL_ENOMEM;
}

int il_record_copy(struct il_record *dst, const struct il_record *src)
{
	const struct il_kind_info *k = il_kind_info(src->kind);
	int rc = il_record_init(dst, src->kind);
	if (rc)
		return rc;
	dst->rowid = src->rowid;
	dst->version = src->version;
	dst->demo = src->demo;
	if (dup_opt(&dst->id, src->id) || dup_opt(&dst->created_at, src->created_at) ||
	    dup_opt(&dst->updated_at, src->updated_at) || dup_opt(&dst->source, src->source))
		goto nomem;
	for (size_t i = 0; i < k->nfields; i++)
		if (dup_opt(&dst->values[i], src->values[i]))
			goto nomem;
	return IL_OK;
nomem:
	il_record_release(dst);
	return IL_ENOMEM;
}

/* Blank: ASCII space/tab/CR/LF, U+00A0 (C2 A0), U+3000 (E3 80 80). */
static size_t blank_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len >= 1 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n'))
		return 1;
	if (len >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (len >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

static size_t blank_before(const char *s, size_t len)
{
	if (len >= 3 && blank_at(s + len - 3, 3) == 3)
		return 3;
	if (len >= 2 && blank_at(s + len - 2, 2) == 2)
		return 2;
	if (len >= 1 && blank_at(s + len - 1, 1) == 1)
		return 1;
	return 0;
}

static void trim(const char **s, size_t *len)
{
	size_t n;
	while (*len && (n = blank_at(*s, *len)) != 0) {
		*s += n;
		*len -= n;
	}
	while (*len && (n = blank_before(*s, *len)) != 0)
		*len -= n;
}

/* Quoted, shortened copy of a value for error messages. */
static const char *shown(const char *s, size_t len, char out[96])
{
	size_t n = len < 80 ? len : 80;
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--; /* do not cut a UTF-8 sequence */
	snprintf(out, 96, "'%.*s%s'", (int)n, s, n < len ? "..." : "");
	return out;
}

static int bad_value(const struct il_field *f, const char *s, size_t len, const char *why)
{
	char tmp[96];
	return il_error_set(IL_EINVAL, "field '%s': value %s %s", f->name, shown(s, len, tmp), why);
}

/* Decimal digits of v, in place of printf("%lld"), which cost an import
 * more than the rest of a row's checks. */
static int add_int(struct il_buf *out, long long v)
{
	char tmp[24];
	size_t n = sizeof(tmp);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--n] = '-';
	return il_buf_add(out, tmp + n, sizeof(tmp) - n);
}

static int parse_int(const struct il_field *f, const char *s, size_t len, struct il_buf *out)
{
	char digits[32];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == ' ' || c == '_')
			continue;
		if (n + 1 >= sizeof(digits))
			return bad_value(f, s, len, "is too long for a whole number");
		digits[n++] = c;
	}
	digits[n] = '\0';
	/* "3.0" from a spreadsheet is a whole number */
	if (n > 2 && strcmp(digits + n - 2, ".0") == 0)
		digits[n - 2] = '\0';
	char *end;
	errno = 0;
	long long v = strtoll(digits, &end, 10);
	if (!n || *end || errno == ERANGE || end == digits)
		return bad_value(f, s, len, "is not a whole number");
	if (f->min < f->max && (v < f->min || v > f->max)) {
		char tmp[96];
		return il_error_set(IL_EINVAL, "field '%s': value %s is outside %lld..%lld",
				    f->name, shown(s, len, tmp), (long long)f->min,
				    (long long)f->max);
	}
	return add_int(out, v);
}

static int parse_real(const struct il_field *f, const char *s, size_t len, struct il_buf *out)
{
	char num[64];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ',' || s[i] == ' ' || s[i] == '_')
			continue;
		if (n + 1 >= sizeof(num))
			return bad_value(f, s, len, "is too long for a number");
		num[n++] = s[i];
	}
	num[n] = '\0';
	char *end;
	errno = 0;
	double v = strtod(num, &end);
	if (!n || *end || errno == ERANGE || !isfinite(v) || isalpha((unsigned char)num[0]) ||
	    isalpha((unsigned char)num[n - 1]))
		return bad_value(f, s, len, "is not a number");
	if (v == 0)
		v = 0; /* no "-0" */
	/* a whole number below 10^15 is what "%.15g" makes of it: its digits */
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
		return add_int(out, (long long)v);
	return il_buf_addf(out, "%.15g", v);
}

static int parse_bool(const struct il_field *f, const char *s, size_t len, struct il_buf *out)
{
	static const char *const yes[] = {"1", "y", "yes", "true", "t", "是", "有", "√", "✓", NULL};
	static const char *const no[] = {"0", "n", "no", "false", "f", "否", "无", "×", "✗", NULL};
	char v[16];
	if (len >= sizeof(v))
		return bad_value(f, s, len, "is not yes/no (是/否)");
	memcpy(v, s, len);
	v[len] = '\0';
	for (size_t i = 0; yes[i]; i++)
		if (il__ascii_caseeq(v, yes[i]))
			return il_buf_adds(out, "1");
	for (size_t i = 0; no[i]; i++)
		if (il__ascii_caseeq(v, no[i]))
			return il_buf_adds(out, "0");
	return bad_value(f, s, len, "is not yes/no (是/否)");
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int parse_date(const struct il_field *f, const char *s, size_t len, struct il_buf *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int part[3] = {0, 1, 1};
	int np = 0;
	size_t i = 0;
	while (i < len && np < 3) {
		if (!isdigit((unsigned char)s[i]))
			return bad_value(f, s, len, "is not a date (YYYY-MM-DD)");
		int v = 0, nd = 0;
		while (i < len && isdigit((unsigned char)s[i]) && nd < 5) {
			v = v * 10 + (s[i++] - '0');
			nd++;
		}
		if ((np == 0 && nd != 4) || (np > 0 && nd > 2))
			return bad_value(f, s, len, "is not a date (YYYY-MM-DD)");
		part[np++] = v;
		/* separators: - / . or 年 月 日 (3 bytes each in UTF-8) */
		if (i < len && (s[i] == '-' || s[i] == '/' || s[i] == '.'))
			i++;
		else if (i + 3 <= len && (!memcmp(s + i, "年", 3) || !memcmp(s + i, "月", 3) ||
					  !memcmp(s + i, "日", 3)))
			i += 3;
		else if (i < len && (s[i] == 'T' || s[i] == ' ') && np == 3)
			break; /* a time part follows: dates keep the day only */
		else if (i < len)
			return bad_value(f, s, len, "is not a date (YYYY-MM-DD)");
	}
	if (np == 0)
		return bad_value(f, s, len, "is not a date (YYYY-MM-DD)");
	int y = part[0], m = part[1], d = part[2];
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)))
		return bad_value(f, s, len, "is not a valid calendar date");
	/* "%04d-%02d-%02d" by hand: y is 1000..9999, m and d two digits */
	char iso[10] = {(char)('0' + y / 1000),
			(char)('0' + y / 100 % 10),
			(char)('0' + y / 10 % 10),
			(char)('0' + y % 10),
			'-',
			(char)('0' + m / 10),
			(char)('0' + m % 10),
			'-',
			(char)('0' + d / 10),
			(char)('0' + d % 10)};
	return il_buf_add(out, iso, sizeof(iso));
}

static const struct il_enum_value *find_enum(const struct il_field *f, const char *s, size_t len)
{
	char v[128];
	if (len >= sizeof(v))
		return NULL;
	memcpy(v, s, len);
	v[len] = '\0';
	for (const struct il_enum_value *e = f->values; e && e->code; e++)
		if (il__ascii_caseeq(v, e->code) || il__ascii_caseeq(v, e->en) ||
		    strcmp(v, e->zh) == 0)
			return e;
	return NULL;
}

static int bad_enum(const struct il_field *f, const char *s, size_t len)
{
	struct il_buf allowed = IL_BUF_INIT;
	char tmp[96];
	for (const struct il_enum_value *e = f->values; e && e->code; e++)
		il_buf_addf(&allowed, "%s%s (%s)", allowed.len ? ", " : "", e->code, e->zh);
	int rc = il_error_set(IL_EINVAL, "field '%s': value %s is not one of %s", f->name,
			      shown(s, len, tmp), il_buf_cstr(&allowed));
	il_buf_release(&allowed);
	return rc;
}

/* A list separator at s (within len bytes): its length, or 0. */
static size_t list_sep(const char *s, size_t len)
{
	static const char *const seps[] = {"；", "、", "，", "｜", NULL};
	if (*s == ';' || *s == '|' || *s == '\n' || *s == '\r')
		return 1;
	if (!((unsigned char)*s & 0x80))
		return 0; /* the rest start with a lead byte: most bytes stop here */
	for (size_t i = 0; seps[i]; i++) {
		size_t n = strlen(seps[i]);
		if (len >= n && memcmp(s, seps[i], n) == 0)
			return n;
	}
	return 0;
}

static bool list_has(const struct il_buf *out, const char *item, size_t len)
{
	const char *p = il_buf_cstr(out);
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == len && memcmp(p, item, len) == 0)
			return true;
		p += n + (e != NULL);
	}
	return false;
}

static int parse_list(const struct il_field *f, const char *s, size_t len, struct il_buf *out)
{
	size_t i = 0;
	while (i <= len) {
		size_t start = i, n = 0;
		while (i < len && (n = list_sep(s + i, len - i)) == 0)
			i++;
		const char *item = s + start;
		size_t ilen = i - start;
		trim(&item, &ilen);
		if (ilen) {
			if (f->values) {
				const struct il_enum_value *e = find_enum(f, item, ilen);
				if (!e)
					return bad_enum(f, item, ilen);
				item = e->code;
				ilen = strlen(e->code);
			}
			if (!list_has(out, item, ilen)) {
				int rc = (out->len ? il_buf_addc(out, ';') : IL_OK);
				if (!rc)
					rc = il_buf_add(out, item, ilen);
				if (rc)
					return rc;
			}
		}
		i += n ? n : 1;
	}
	return IL_OK;
}

static int check_text(const struct il_field *f, const char *s, size_t len)
{
	size_t ok = il_utf8_prefix(s, len, NULL);
	if (ok != len)
		return il_error_set(IL_EENCODING, "field '%s': invalid UTF-8 at byte %zu", f->name,
				    ok);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
			return il_error_set(IL_EINVAL,
					    "field '%s': control character 0x%02x at byte %zu",
					    f->name, c, i);
	}
	return IL_OK;
}

static int canonical(const struct il_field *f, const char *s, size_t len, struct il_buf *out)
{
	int rc = check_text(f, s, len);
	if (rc)
		return rc;
	switch (f->type) {
	case IL_FT_INT:
		return parse_int(f, s, len, out);
	case IL_FT_REAL:
		return parse_real(f, s, len, out);
	case IL_FT_BOOL:
		return parse_bool(f, s, len, out);
	case IL_FT_DATE:
		return parse_date(f, s, len, out);
	case IL_FT_ENUM: {
		const struct il_enum_value *e = find_enum(f, s, len);
		return e ? il_buf_adds(out, e->code) : bad_enum(f, s, len);
	}
	case IL_FT_LIST:
		return parse_list(f, s, len, out);
	case IL_FT_REF:
		if (len > MAX_ID)
			return bad_value(f, s, len, "is too long for an id");
		return il_buf_add(out, s, len);
	case IL_FT_TEXT:
		break;
	}
	return il_buf_add(out, s, len);
}

int il_record_set(struct il_record *r, size_t field, const char *value, size_t len)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	struct il_buf out;
	if (field >= k->nfields)
		return il_error_set(IL_EINVAL, "no field %zu in %s", field, k->name);
	trim(&value, &len);
	il_buf_init(&out, 0);
	int rc = len ? canonical(&k->fields[field], value, len, &out) : IL_OK;
	if (rc) {
		il_buf_release(&out);
		return rc;
	}
	free(r->values[field]);
	r->values[field] = NULL;
	if (out.len && !(r->values[field] = il_buf_detach(&out)))
		return IL_ENOMEM;
	il_buf_release(&out);
	return IL_OK;
}

int il_record_set_id(struct il_record *r, const char *id, size_t len)
{
	trim(&id, &len);
	if (len == 0)
		return il_error_set(IL_EINVAL, "field 'id': empty");
	if (len > MAX_ID)
		return il_error_set(IL_EINVAL, "field 'id': longer than %d bytes", MAX_ID);
	if (!il_utf8_valid(id, len))
		return il_error_set(IL_EENCODING, "field 'id': invalid UTF-8");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)id[i] < 0x20 || id[i] == '/' || id[i] == 0x7F)
			return il_error_set(
				IL_EINVAL,
				"field 'id': value '%.*s' has a control character or '/'", (int)len,
				id);
	char *d = il_strndup(id, len);
	if (!d)
		return IL_ENOMEM;
	free(r->id);
	r->id = d;
	return IL_OK;
}

int il_record_set_by_name(struct il_record *r, const char *header, const char *value, size_t len)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	if (il__ascii_caseeq(header, "id") || strcmp(header, "编号") == 0 ||
	    strcmp(header, "外部编号") == 0)
		return il_record_set_id(r, value, len);
	if (il__ascii_caseeq(header, "demo") || strcmp(header, "演示数据") == 0) {
		static const struct il_field demo_field = {"demo",     "演示数据", NULL,
							   IL_FT_BOOL, 0,          IL_KIND_REGION,
							   NULL,       0,          0,
							   NULL};
		struct il_buf out = IL_BUF_INIT;
		trim(&value, &len);
		if (!len) {
			r->demo = false;
			return IL_OK;
		}
		int rc = parse_bool(&demo_field, value, len, &out);
		if (!rc)
			r->demo = il_buf_cstr(&out)[0] == '1';
		il_buf_release(&out);
		return rc;
	}
	int i = il_field_find(k, header);
	if (i < 0)
		return il_error_set(IL_ENOTFOUND, "%s has no field '%s'", k->name, header);
	return il_record_set(r, (size_t)i, value, len);
}

const char *il_record_get(const struct il_record *r, const char *name)
{
	int i = il_field_find(il_kind_info(r->kind), name);
	return i < 0 ? NULL : r->values[i];
}

int il_record_validate(const struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	if (!r->id)
		return il_error_set(IL_EINVAL, "field 'id': missing");
	for (size_t i = 0; i < k->nfields; i++)
		if ((k->fields[i].flags & IL_FF_REQUIRED) && !r->values[i])
			return il_error_set(IL_EINVAL, "field '%s' (%s): required but empty",
					    k->fields[i].name, k->fields[i].zh);
	return IL_OK;
}

static bool streq_opt(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool il_record_same_values(const struct il_record *a, const struct il_record *b)
{
	const struct il_kind_info *k = il_kind_info(a->kind);
	if (a->kind != b->kind || a->demo != b->demo)
		return false;
	for (size_t i = 0; i < k->nfields; i++)
		if (!streq_opt(a->values[i], b->values[i]))
			return false;
	return true;
}

int il_record_merge(struct il_record *dst, const struct il_record *src, bool *changed)
{
	const struct il_kind_info *k = il_kind_info(dst->kind);
	*changed = false;
	for (size_t i = 0; i < k->nfields; i++) {
		const char *sv = src->values[i];
		if (!sv)
			continue;
		if (!dst->values[i]) {
			if (!(dst->values[i] = il_strdup(sv)))
				return IL_ENOMEM;
			*changed = true;
		} else if (k->fields[i].type == IL_FT_LIST) {
			struct il_buf b = IL_BUF_INIT;
			int rc = il_buf_adds(&b, dst->values[i]);
			if (!rc)
				rc = parse_list(&k->fields[i], sv, strlen(sv), &b);
			if (rc) {
				il_buf_release(&b);
				return rc;
			}
			if (b.len != strlen(dst->values[i])) {
				free(dst->values[i]);
				dst->values[i] = il_buf_detach(&b);
				*changed = true;
			}
			il_buf_release(&b);
		}
	}
	return IL_OK;
}

int il_list_each(const char *list, int (*fn)(const char *item, size_t len, void *ctx), void *ctx)
{
	const char *p = list;
	if (!p)
		return 0;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int rc = fn(p, n, ctx);
		if (rc)
			return rc;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}
