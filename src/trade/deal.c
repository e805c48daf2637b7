/*
 * deal.c - technology contracts: the deal state machine, new deals, moves
 * guarded by the version the caller saw, payment milestones, and a deal as
 * JSON with its allowed moves and its audit trail.
 *
 * The machine is one table of bit masks (next[from] has bit `to` set when
 * from -> to is allowed), so the checks, the error messages and the
 * "allowed" list of the JSON all read the same table.
 */
#include "trade_internal.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(s) (1u << (s))

static const char *const deal_codes[IL_DEAL__COUNT] = {
	"intent", "negotiation", "signed", "registered", "performance", "completed", "terminated",
};

static const unsigned deal_next[IL_DEAL__COUNT] = {
	[IL_DEAL_INTENT] = BIT(IL_DEAL_NEGOTIATION) | BIT(IL_DEAL_TERMINATED),
	[IL_DEAL_NEGOTIATION] = BIT(IL_DEAL_SIGNED) | BIT(IL_DEAL_TERMINATED),
	[IL_DEAL_SIGNED] = BIT(IL_DEAL_REGISTERED) | BIT(IL_DEAL_TERMINATED),
	[IL_DEAL_REGISTERED] = BIT(IL_DEAL_PERFORMANCE) | BIT(IL_DEAL_TERMINATED),
	[IL_DEAL_PERFORMANCE] = BIT(IL_DEAL_COMPLETED) | BIT(IL_DEAL_TERMINATED),
	[IL_DEAL_COMPLETED] = 0,
	[IL_DEAL_TERMINATED] = 0,
};

const char *il_trade_deal_state_code(enum il_deal_state st)
{
	return (unsigned)st < IL_DEAL__COUNT ? deal_codes[st] : "?";
}

int il_trade_deal_state_parse(const char *text, enum il_deal_state *out)
{
	size_t i;
	int rc = il__trade_state_parse(IL_KIND_DEAL, "state", deal_codes, IL_DEAL__COUNT, text, &i);
	if (!rc)
		*out = (enum il_deal_state)i;
	return rc;
}

bool il_trade_deal_can_move(enum il_deal_state from, enum il_deal_state to)
{
	if ((unsigned)from >= IL_DEAL__COUNT || (unsigned)to >= IL_DEAL__COUNT)
		return false;
	return (deal_next[from] & BIT(to)) != 0;
}

/* A deal stored without a state (imported) is at its start. */
static int deal_state(const struct il_record *r, enum il_deal_state *out)
{
	const char *st = il_record_get(r, "state");
	if (!st) {
		*out = IL_DEAL_INTENT;
		return IL_OK;
	}
	return il_trade_deal_state_parse(st, out);
}

int il_trade_deal_new(struct il_store *s, struct il_record *deal, const char *actor)
{
	enum il_put_result res;
	const char *type = il_record_get(deal, "type");
	int rc;
	if (deal->kind != IL_KIND_DEAL)
		return il_error_set(IL_EINVAL, "not a deal");
	if (type && strcmp(type, "equity") == 0)
		return il_error_set(IL_EINVAL,
				    "deal type: value 'equity' is not a technology "
				    "contract (transfer, licence, joint, service or consulting)");
	if (il_record_get(deal, "licence") && (!type || strcmp(type, "licence") != 0))
		return il_error_set(IL_EINVAL, "deal licence: value '%s' is only for a licence",
				    il_record_get(deal, "licence"));
	if ((rc = il__trade_set(deal, "state", "intent")) != 0)
		return rc;
	if (!deal->id) {
		char *id;
		if ((rc = il_store_new_id(s, IL_KIND_DEAL, &id)) != 0)
			return rc;
		rc = il_record_set_id(deal, id, strlen(id));
		free(id);
		if (rc)
			return rc;
	}
	return il_store_put(s, deal, IL_PUT_NEW_ONLY, actor, &res);
}

/* A move made against another version than the stored one. */
int il__trade_check_version(const struct il_record *r, int64_t expected)
{
	if (!expected || expected == r->version)
		return IL_OK;
	return il_error_set(
		IL_EPRECOND,
		"%s '%s' was changed meanwhile: you saw version %lld, it is now version "
		"%lld; reload it and try again",
		il_kind_info(r->kind)->name, r->id, (long long)expected, (long long)r->version);
}

struct move {
	const char *id;
	enum il_deal_state to;
	int64_t expected;
	const char *actor;
	struct il_record r;
	bool loaded;
};

static int fill_date(struct il_record *r, const char *field)
{
	char today[11];
	if (il_record_get(r, field))
		return IL_OK;
	il__trade_today(today);
	return il__trade_set(r, field, today);
}

static int move_tx(struct il_store *s, void *vctx)
{
	struct move *m = vctx;
	enum il_deal_state from;
	int rc = il__trade_load(s, IL_KIND_DEAL, m->id, &m->r);
	if (rc)
		return rc;
	m->loaded = true;
	if ((rc = il__trade_check_version(&m->r, m->expected)) || (rc = deal_state(&m->r, &from)))
		return rc;
	if (!il_trade_deal_can_move(from, m->to))
		return il__trade_refuse(&m->r, deal_codes, IL_DEAL__COUNT, deal_next[from], from,
					m->to);
	if ((rc = il__trade_set(&m->r, "state", deal_codes[m->to])) != 0)
		return rc;
	if (m->to == IL_DEAL_SIGNED)
		rc = fill_date(&m->r, "signed");
	else if (m->to == IL_DEAL_REGISTERED)
		rc = fill_date(&m->r, "registered");
	return rc ? rc : il__trade_put(s, &m->r, m->actor);
}

int il_trade_deal_move(struct il_store *s, const char *id, enum il_deal_state to,
		       int64_t expected_version, const char *actor, struct il_record *out)
{
	struct move m = {id, to, expected_version, actor, {0}, false};
	if ((unsigned)to >= IL_DEAL__COUNT)
		return il_error_set(IL_EINVAL, "no deal state %d", (int)to);
	int rc = il__trade_tx(s, move_tx, &m);
	if (!rc && out) {
		*out = m.r;
		return IL_OK;
	}
	if (m.loaded)
		il_record_release(&m.r);
	return rc;
}

/* The deal's milestones as a JSON array (a new one when it has none). */
static int milestones_load(const struct il_record *r, json_t **out)
{
	const char *text = il_record_get(r, "milestones");
	json_error_t err;
	*out = text ? json_loads(text, 0, &err) : json_array();
	if (*out && json_is_array(*out))
		return IL_OK;
	json_decref(*out);
	*out = NULL;
	return il_error_set(IL_EINVAL, "deal '%s' milestones: value '%.60s' is not a JSON array",
			    r->id, text ? text : "");
}

int il_trade_milestones_each(const struct il_record *deal,
			     int (*fn)(const struct il_trade_milestone *m, void *ctx), void *ctx)
{
	json_t *list, *item;
	size_t i;
	int rc = milestones_load(deal, &list);
	json_array_foreach(list, i, item)
	{
		json_t *amount = json_object_get(item, "amount");
		struct il_trade_milestone m = {i + 1,
					       json_string_value(json_object_get(item, "title")),
					       json_string_value(json_object_get(item, "due")),
					       json_string_value(json_object_get(item, "paid")),
					       json_number_value(amount),
					       json_is_number(amount)};
		if (!rc && (rc = fn(&m, ctx)) != 0)
			break;
	}
	json_decref(list);
	return rc;
}

static int milestones_store(struct il_record *r, json_t *list)
{
	char *text = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		return IL_ENOMEM;
	int rc = il__trade_set(r, "milestones", text);
	free(text);
	return rc;
}

struct milestone {
	const char *deal, *title, *due, *amount, *actor;
	size_t paid; /* 1-based index to mark paid; 0 to add one */
	int64_t expected;
};

static int milestone_change(struct milestone *m, json_t *list)
{
	char today[11];
	if (!m->paid) {
		json_t *item = json_object();
		if (!item || json_object_set_new(item, "title", json_string(m->title)) ||
		    (m->due && json_object_set_new(item, "due", json_string(m->due))) ||
		    (m->amount &&
		     json_object_set_new(item, "amount", json_real(strtod(m->amount, NULL)))) ||
		    json_array_append_new(list, item))
			return IL_ENOMEM;
		return IL_OK;
	}
	json_t *item = json_array_get(list, m->paid - 1);
	if (!item)
		return il_error_set(IL_EINVAL, "deal '%s' has %zu milestones, not a number %zu",
				    m->deal, json_array_size(list), m->paid);
	if (!m->due)
		il__trade_today(today);
	return json_object_set_new(item, "paid", json_string(m->due ? m->due : today)) ? IL_ENOMEM
										       : IL_OK;
}

static int milestone_tx(struct il_store *s, void *vctx)
{
	struct milestone *m = vctx;
	struct il_record r;
	json_t *list = NULL;
	int rc = il__trade_load(s, IL_KIND_DEAL, m->deal, &r);
	if (rc)
		return rc;
	if (!(rc = il__trade_check_version(&r, m->expected)) &&
	    !(rc = milestones_load(&r, &list)) && !(rc = milestone_change(m, list)) &&
	    !(rc = milestones_store(&r, list)))
		rc = il__trade_put(s, &r, m->actor);
	json_decref(list);
	il_record_release(&r);
	return rc;
}

static int check_date(const char *what, const char *date)
{
	int64_t t;
	if (!date || (strlen(date) == 10 && il__trade_time(date, &t) == IL_OK))
		return IL_OK;
	return il_error_set(IL_EINVAL, "milestone %s: value '%s' is not a date YYYY-MM-DD", what,
			    date);
}

int il_trade_milestone_add(struct il_store *s, const char *deal, const char *title, const char *due,
			   const char *amount, int64_t expected_version, const char *actor)
{
	struct milestone m =
		{deal,  title, due && *due ? due : NULL, amount && *amount ? amount : NULL,
		 actor, 0,     expected_version};
	char *end = NULL;
	int rc;
	if (!title || !*title)
		return il_error_set(IL_EINVAL, "milestone title: a milestone needs a title");
	if ((rc = check_date("due", m.due)) != 0)
		return rc;
	if (m.amount && (strtod(m.amount, &end) < 0 || !end || *end))
		return il_error_set(IL_EINVAL, "milestone amount: value '%s' is not an amount",
				    m.amount);
	return il__trade_tx(s, milestone_tx, &m);
}

int il_trade_milestone_paid(struct il_store *s, const char *deal, size_t n, const char *date,
			    int64_t expected_version, const char *actor)
{
	struct milestone m =
		{deal, NULL, date && *date ? date : NULL, NULL, actor, n, expected_version};
	int rc = check_date("paid", m.due);
	if (!rc && n < 1)
		rc = il_error_set(IL_EINVAL, "milestone: numbers start at 1");
	return rc ? rc : il__trade_tx(s, milestone_tx, &m);
}

int il_trade_deal_json(struct il_store *s, const char *id, struct il_buf *out)
{
	static const char sql_audit[] = "SELECT seq, at, op, version, actor, hash FROM audit_log "
					"WHERE kind = 'deal' AND id = ? ORDER BY seq";
	static const char *const audit_names[] = {"#seq", "at", "op", "#version", "actor", "hash"};
	struct il_record r;
	enum il_deal_state st;
	const char *params[] = {id};
	int rc = il__trade_load(s, IL_KIND_DEAL, id, &r);
	if (rc)
		return rc;
	if (!(rc = deal_state(&r, &st)) && !(rc = il_buf_adds(out, "{\"deal\":")) &&
	    !(rc = il_record_to_json(&r, IL_JSON_META | IL_JSON_LABELS, "zh", out)) &&
	    !(rc = il_buf_adds(out, ",\"allowed\":")) &&
	    !(rc = il__trade_json_codes(out, deal_codes, IL_DEAL__COUNT, deal_next[st])) &&
	    !(rc = il_buf_adds(out, ",\"milestones\":")) &&
	    !(rc = il_buf_adds(out, il_record_get(&r, "milestones")
					    ? il_record_get(&r, "milestones")
					    : "[]")) &&
	    !(rc = il_buf_adds(out, ",\"audit\":")) &&
	    !(rc = il__trade_json_rows(s, out, sql_audit, params, 1, audit_names, 6)))
		rc = il_buf_addc(out, '}');
	il_record_release(&r);
	return rc;
}
