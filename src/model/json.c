/*
 * json.c - records as JSON text.
 *
 * Written by hand rather than through a DOM: the API renders pages of
 * records on every request, and canonical values already say exactly what
 * JSON type they are, so there is nothing to parse or convert.
 */
#include "model_internal.h"

#include <stdio.h>
#include <string.h>

int il_json_string(struct il_buf *out, const char *s, size_t len)
{
	int rc = il_buf_addc(out, '"');
	size_t run = 0;
	for (size_t i = 0; i < len && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char tmp[8];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c < 0x20 || c == 0x7F) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			esc = tmp;
		}
		if (!esc)
			continue;
		rc = il_buf_add(out, s + run, i - run);
		if (!rc)
			rc = il_buf_adds(out, esc);
		run = i + 1;
	}
	if (!rc)
		rc = il_buf_add(out, s + run, len - run);
	return rc ? rc : il_buf_addc(out, '"');
}

static int add_key(struct il_buf *out, const char *key)
{
	int rc = il_buf_addc(out, ',');
	if (!rc)
		rc = il_json_string(out, key, strlen(key));
	return rc ? rc : il_buf_addc(out, ':');
}

static int add_list_item(const char *item, size_t len, void *ctx)
{
	struct il_buf *out = ctx;
	int rc = out->ptr[out->len - 1] == '[' ? IL_OK : il_buf_addc(out, ',');
	return rc ? rc : il_json_string(out, item, len);
}

static int add_value(struct il_buf *out, const struct il_field *f, const char *v)
{
	int rc;
	switch (f->type) {
	case IL_FT_INT:
	case IL_FT_REAL:
		return il_buf_adds(out, v);
	case IL_FT_BOOL:
		return il_buf_adds(out, v[0] == '1' ? "true" : "false");
	case IL_FT_LIST:
		if ((rc = il_buf_addc(out, '[')) != 0)
			return rc;
		if ((rc = il_list_each(v, add_list_item, out)) != 0)
			return rc;
		return il_buf_addc(out, ']');
	default:
		return il_json_string(out, v, strlen(v));
	}
}

int il_record_to_json(const struct il_record *r, unsigned flags, const char *lang,
		      struct il_buf *out)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	int rc = il_buf_adds(out, "{\"id\":");
	if (!rc)
		rc = il_json_string(out, r->id ? r->id : "", r->id ? strlen(r->id) : 0);
	if (!rc)
		rc = il_buf_addf(out, ",\"entity\":\"%s\",\"demo\":%s", k->name,
				 r->demo ? "true" : "false");
	for (size_t i = 0; i < k->nfields && !rc; i++) {
		const struct il_field *f = &k->fields[i];
		const char *v = r->values[i];
		if (!v)
			continue;
		rc = add_key(out, f->name);
		if (!rc)
			rc = add_value(out, f, v);
		if (!rc && (flags & IL_JSON_LABELS) && f->type == IL_FT_ENUM) {
			char key[96];
			snprintf(key, sizeof(key), "%s_label", f->name);
			const char *label = il_enum_label(f, v, lang);
			rc = add_key(out, key);
			if (!rc)
				rc = il_json_string(out, label, strlen(label));
		}
	}
	if (!rc && (flags & IL_JSON_META)) {
		rc = il_buf_addf(out, ",\"version\":%lld", (long long)r->version);
		const char *meta[][2] = {{"created_at", r->created_at},
					 {"updated_at", r->updated_at},
					 {"source", r->source}};
		for (size_t i = 0; i < 3 && !rc; i++) {
			if (!meta[i][1])
				continue;
			rc = add_key(out, meta[i][0]);
			if (!rc)
				rc = il_json_string(out, meta[i][1], strlen(meta[i][1]));
		}
	}
	return rc ? rc : il_buf_addc(out, '}');
}
