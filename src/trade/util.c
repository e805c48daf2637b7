/*
 * util.c - the helpers the files of src/trade share (trade_internal.h).
 */
#include "trade_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Whether text matches pattern, where 'D' stands for any digit. */
static bool shaped(const char *text, const char *pattern)
{
	for (; *pattern; pattern++, text++)
		if (*pattern == 'D' ? !(*text >= '0' && *text <= '9') : *text != *pattern)
			return false;
	return *text == '\0';
}

int il__trade_time(const char *text, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!text || !(shaped(text, "DDDD-DD-DD") || shaped(text, "DDDD-DD-DDTDD:DD:DDZ")))
		return il_error_set(IL_EINVAL, "'%s' is not a date YYYY-MM-DD", text ? text : "");
	sscanf(text, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	if (text[10] == 'T')
		sscanf(text + 11, "%2d:%2d:%2d", &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	int year = tm.tm_year, mon = tm.tm_mon, mday = tm.tm_mday;
	bool clock_ok = tm.tm_hour < 24 && tm.tm_min < 60 && tm.tm_sec < 60;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	/* timegm normalises 2025-02-30 to March 2nd: a date must survive it */
	if (!clock_ok || tm.tm_year + 1900 != year || tm.tm_mon + 1 != mon || tm.tm_mday != mday)
		return il_error_set(IL_EINVAL, "'%s' is not a date YYYY-MM-DD", text);
	*out = (int64_t)t;
	return IL_OK;
}

void il__trade_day_after(int days, char out[11])
{
	time_t t = (time_t)(il_time_now_unix() + (int64_t)days * IL__DAY);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void il__trade_today(char out[11])
{
	il__trade_day_after(0, out);
}

int il__trade_state_parse(enum il_kind kind, const char *field, const char *const *codes, size_t n,
			  const char *text, size_t *out)
{
	const struct il_kind_info *k = il_kind_info(kind);
	const struct il_field *f = &k->fields[il_field_find(k, field)];
	struct il_buf valid = IL_BUF_INIT;
	for (size_t i = 0; text && i < n; i++)
		if (strcmp(text, codes[i]) == 0 ||
		    strcmp(text, il_enum_label(f, codes[i], "en")) == 0 ||
		    strcmp(text, il_enum_label(f, codes[i], "zh")) == 0) {
			*out = i;
			return IL_OK;
		}
	il__trade_join_codes(&valid, codes, n, (1u << n) - 1);
	int rc = il_error_set(IL_EINVAL, "%s %s: value '%s' is not one of %s", k->name, field,
			      text ? text : "", il_buf_cstr(&valid));
	il_buf_release(&valid);
	return rc;
}

int il__trade_join_codes(struct il_buf *b, const char *const *codes, size_t n, unsigned mask)
{
	size_t count = 0, seen = 0;
	int rc = IL_OK;
	for (size_t i = 0; i < n; i++)
		count += (mask >> i) & 1u;
	if (!count)
		return il_buf_adds(b, "none");
	for (size_t i = 0; i < n && !rc; i++) {
		if (!((mask >> i) & 1u))
			continue;
		if (seen)
			rc = il_buf_adds(b, seen + 1 == count ? " or " : ", ");
		if (!rc)
			rc = il_buf_adds(b, codes[i]);
		seen++;
	}
	return rc;
}

int il__trade_refuse(const struct il_record *r, const char *const *codes, size_t n, unsigned next,
		     unsigned from, unsigned to)
{
	const char *what = il_kind_info(r->kind)->name;
	struct il_buf allowed = IL_BUF_INIT;
	int rc;
	if (!next)
		return il_error_set(IL_ECONFLICT,
				    "%s '%s' is '%s', a final state: it cannot move "
				    "to '%s'",
				    what, r->id, codes[from], codes[to]);
	if ((rc = il__trade_join_codes(&allowed, codes, n, next)) == IL_OK)
		rc = il_error_set(IL_ECONFLICT, "%s '%s' is '%s': it can move to %s, not to '%s'",
				  what, r->id, codes[from], il_buf_cstr(&allowed), codes[to]);
	il_buf_release(&allowed);
	return rc;
}

int il_trade_keep_workflow(const struct il_record *old, struct il_record *r)
{
	const char *field, *first, *was, *now;
	if (r->kind == IL_KIND_DEAL) {
		field = "state";
		first = il_trade_deal_state_code(IL_DEAL_INTENT);
	} else if (r->kind == IL_KIND_DEMAND) {
		field = "status";
		first = il_trade_docking_state_code(IL_DOCK_NEW);
	} else {
		return IL_OK;
	}
	was = old ? il_record_get(old, field) : NULL;
	now = il_record_get(r, field);
	if (!now)
		return was ? il__trade_set(r, field, was) : IL_OK;
	if (!old && strcmp(now, first) != 0)
		return il_error_set(IL_EINVAL,
				    "%s %s: value '%s' is not where one starts ('%s'); "
				    "it changes only by moves",
				    il_kind_info(r->kind)->name, field, now, first);
	if (old && strcmp(now, was ? was : first) != 0)
		return il_error_set(IL_ECONFLICT,
				    "%s '%s' %s: it is '%s', not '%s'; it changes "
				    "only by moves",
				    il_kind_info(r->kind)->name, r->id, field, was ? was : first,
				    now);
	return IL_OK;
}

int il__trade_json_codes(struct il_buf *b, const char *const *codes, size_t n, unsigned mask)
{
	bool first = true;
	int rc = il_buf_addc(b, '[');
	for (size_t i = 0; i < n && !rc; i++) {
		if (!((mask >> i) & 1u))
			continue;
		if (!first)
			rc = il_buf_addc(b, ',');
		if (!rc)
			rc = il_json_string(b, codes[i], strlen(codes[i]));
		first = false;
	}
	return rc ? rc : il_buf_addc(b, ']');
}

int il__trade_city(struct il_store *s, const char *region, char *id, size_t id_size, char *name,
		   size_t name_size)
{
	char at[64];
	id[0] = name[0] = '\0';
	snprintf(at, sizeof(at), "%s", region ? region : "");
	/* a region tree is a few levels deep; the bound stops a cycle */
	for (int depth = 0; at[0] && depth < 8; depth++) {
		struct il_record r;
		int rc = il_store_get(s, IL_KIND_REGION, at, &r);
		if (rc == IL_ENOTFOUND) {
			il_error_clear();
			return IL_OK;
		}
		if (rc)
			return rc;
		const char *level = il_record_get(&r, "level"),
			   *parent = il_record_get(&r, "parent");
		bool city = level && strcmp(level, "city") == 0;
		if (city) {
			snprintf(id, id_size, "%s", r.id);
			snprintf(name, name_size, "%s", il_record_get(&r, "name_zh"));
		}
		snprintf(at, sizeof(at), "%s", parent && !city ? parent : "");
		il_record_release(&r);
	}
	return IL_OK;
}

int il__trade_set(struct il_record *r, const char *name, const char *value)
{
	return il_record_set_by_name(r, name, value ? value : "", value ? strlen(value) : 0);
}

int il__trade_notify(struct il_store *s, const char *recipient, const char *topic,
		     const char *subject, const char *zh, const char *en)
{
	static const char sql[] = "INSERT INTO notification(recipient, at, topic, subject, "
				  "message_zh, message_en) VALUES (?, ?, ?, ?, ?, ?)";
	char now[21];
	il_time_now(now);
	const char *params[] = {recipient, now, topic, subject, zh, en};
	return il_store_sql(s, sql, params, 6, 0, NULL, NULL);
}

int il__trade_put(struct il_store *s, struct il_record *r, const char *actor)
{
	enum il_put_result res;
	return il_store_put(s, r, IL_PUT_IF_VERSION, actor, &res);
}

int il__trade_tx(struct il_store *s, int (*fn)(struct il_store *s, void *ctx), void *ctx)
{
	int rc = il_store_begin(s);
	if (rc)
		return rc;
	rc = fn(s, ctx);
	if (rc) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}

int il__trade_load(struct il_store *s, enum il_kind kind, const char *id, struct il_record *out)
{
	int rc = il_store_get(s, kind, id, out);
	if (rc == IL_ENOTFOUND)
		return il_error_set(rc, "no %s '%s'", il_kind_info(kind)->name, id);
	return rc;
}

struct rows_ctx {
	struct il_buf *out;
	const char *const *names;
	size_t ncols;
	bool first;
};

static int add_row(const char *const *cols, void *vctx)
{
	struct rows_ctx *c = vctx;
	int rc = il_buf_adds(c->out, c->first ? "{" : ",{");
	c->first = false;
	for (size_t i = 0; i < c->ncols && !rc; i++) {
		const char *name = c->names[i];
		bool number = name[0] == '#';
		name += number;
		if (i)
			rc = il_buf_addc(c->out, ',');
		if (!rc)
			rc = il_json_string(c->out, name, strlen(name));
		if (!rc)
			rc = il_buf_addc(c->out, ':');
		if (rc)
			break;
		if (!cols[i])
			rc = il_buf_adds(c->out, "null");
		else if (number)
			rc = il_buf_adds(c->out, cols[i]);
		else
			rc = il_json_string(c->out, cols[i], strlen(cols[i]));
	}
	return rc ? rc : il_buf_addc(c->out, '}');
}

int il__trade_json_rows(struct il_store *s, struct il_buf *out, const char *sql,
			const char *const *params, size_t nparams, const char *const *names,
			size_t ncols)
{
	struct rows_ctx c = {out, names, ncols, true};
	int rc = il_buf_addc(out, '[');
	if (!rc)
		rc = il_store_sql(s, sql, params, nparams, ncols, add_row, &c);
	return rc ? rc : il_buf_addc(out, ']');
}
