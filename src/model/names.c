/*
 * names.c - field lookup by header, enum labels, and the name key used to
 * find duplicate organizations.
 */
#include "model_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Header equality ignoring ASCII case, blanks, '_' and width: "Name ZH",
 * "name_zh" and "ＮＡＭＥ＿ＺＨ" all name the same column. */
static bool header_eq(const char *a, const char *b)
{
	utf8proc_uint8_t *na = NULL, *nb = NULL;
	bool eq = false;
	utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
				UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
	if (utf8proc_map((const utf8proc_uint8_t *)a, 0, &na, opt) < 0 ||
	    utf8proc_map((const utf8proc_uint8_t *)b, 0, &nb, opt) < 0)
		goto out;
	const char *p = (const char *)na, *q = (const char *)nb;
	for (;;) {
		while (*p == ' ' || *p == '_' || *p == '-')
			p++;
		while (*q == ' ' || *q == '_' || *q == '-')
			q++;
		if (*p != *q)
			break;
		if (!*p) {
			eq = true;
			break;
		}
		p++;
		q++;
	}
out:
	free(na);
	free(nb);
	return eq;
}

static bool in_alias_list(const char *aliases, const char *header)
{
	char one[128];
	const char *p = aliases;
	while (p && *p) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			if (header_eq(one, header))
				return true;
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

int il_field_find(const struct il_kind_info *k, const char *header)
{
	/* exact names first, so an alias of one field never hides another's name */
	for (size_t i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, header) == 0)
			return (int)i;
	for (size_t i = 0; i < k->nfields; i++) {
		const struct il_field *f = &k->fields[i];
		if (header_eq(f->name, header) || header_eq(f->zh, header))
			return (int)i;
	}
	for (size_t i = 0; i < k->nfields; i++)
		if (in_alias_list(k->fields[i].aliases, header))
			return (int)i;
	return -1;
}

const char *il_enum_label(const struct il_field *f, const char *code, const char *lang)
{
	for (const struct il_enum_value *e = f->values; e && e->code; e++)
		if (strcmp(e->code, code) == 0)
			return lang && strcmp(lang, "zh") == 0 ? e->zh : e->en;
	return code;
}

int il_name_key(const char *name, char **out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
				UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;
	*out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &mapped, opt);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM
			       ? IL_ENOMEM
			       : il_error_set(IL_EENCODING, "name is not valid UTF-8");
	struct il_buf key = IL_BUF_INIT;
	int rc = IL_OK;
	const utf8proc_uint8_t *p = mapped;
	while (*p && !rc) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
		if (len <= 0)
			break;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cp == '&')
			rc = il_buf_adds(&key, "and");
		else if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
			 cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LO ||
			 cat == UTF8PROC_CATEGORY_ND)
			rc = il_buf_add(&key, p, (size_t)len);
		p += len;
	}
	free(mapped);
	if (rc) {
		il_buf_release(&key);
		return rc;
	}
	*out = il_buf_detach(&key);
	return *out ? IL_OK : IL_ENOMEM;
}
