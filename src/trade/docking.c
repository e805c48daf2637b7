/*
 * docking.c - the docking pipeline of demands: moves with their history,
 * the escalation clock, renewal, ratings at close and notifications.
 *
 * A demand's state is its "status" field, so every move is a versioned,
 * audited write of the demand; the pipeline's own facts live beside it:
 * docking(demand, broker, since, first_response, last_progress,
 * escalated_at) and one docking_step row per move.  `since` is when the
 * demand was stored; `last_progress` is the last move or renewal, which
 * is what the abandon period counts from.
 */
#include "trade_internal.h"

#include <innolink/match.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(s) (1u << (s))
#define OPEN_STATES                                                                                \
	(BIT(IL_DOCK_NEW) | BIT(IL_DOCK_ASSIGNED) | BIT(IL_DOCK_DOCKING) | BIT(IL_DOCK_AGREED))

static const char *const dock_codes[IL_DOCK__COUNT] = {
	"new", "assigned", "docking", "agreed", "success", "abandoned",
};

static const unsigned dock_next[IL_DOCK__COUNT] = {
	[IL_DOCK_NEW] = BIT(IL_DOCK_ASSIGNED) | BIT(IL_DOCK_ABANDONED),
	[IL_DOCK_ASSIGNED] = BIT(IL_DOCK_DOCKING) | BIT(IL_DOCK_ABANDONED),
	[IL_DOCK_DOCKING] = BIT(IL_DOCK_AGREED) | BIT(IL_DOCK_ABANDONED),
	[IL_DOCK_AGREED] = BIT(IL_DOCK_SUCCESS) | BIT(IL_DOCK_ABANDONED),
	[IL_DOCK_SUCCESS] = 0,
	[IL_DOCK_ABANDONED] = 0,
};

const char *il_trade_docking_state_code(enum il_docking_state st)
{
	return (unsigned)st < IL_DOCK__COUNT ? dock_codes[st] : "?";
}

int il_trade_docking_state_parse(const char *text, enum il_docking_state *out)
{
	size_t i;
	int rc = il__trade_state_parse(IL_KIND_DEMAND, "status", dock_codes, IL_DOCK__COUNT, text,
				       &i);
	if (!rc)
		*out = (enum il_docking_state)i;
	return rc;
}

bool il_trade_docking_can_move(enum il_docking_state from, enum il_docking_state to)
{
	if ((unsigned)from >= IL_DOCK__COUNT || (unsigned)to >= IL_DOCK__COUNT)
		return false;
	return (dock_next[from] & BIT(to)) != 0;
}

static int demand_state(const struct il_record *r, enum il_docking_state *out)
{
	const char *st = il_record_get(r, "status");
	if (!st) {
		*out = IL_DOCK_NEW;
		return IL_OK;
	}
	return il_trade_docking_state_parse(st, out);
}

/* Makes the demand's docking row if it has none: since = when it was stored. */
static int ensure_docking(struct il_store *s, const struct il_record *r)
{
	static const char sql[] =
		"INSERT INTO docking(demand, since, last_progress) VALUES (?, ?, ?) "
		"ON CONFLICT(demand) DO NOTHING";
	const char *params[] = {r->id, r->created_at, r->created_at};
	return il_store_sql(s, sql, params, 3, 0, NULL, NULL);
}

static int add_step(struct il_store *s, const char *demand, const char *from, const char *to,
		    const char *actor, const char *note)
{
	static const char sql[] =
		"INSERT INTO docking_step(demand, at, from_state, to_state, actor, "
		"note) VALUES (?, ?, ?, ?, ?, ?)";
	char now[21];
	il_time_now(now);
	const char *params[] = {demand, now, from, to, actor, note};
	return il_store_sql(s, sql, params, 6, 0, NULL, NULL);
}

/* The pipeline row after a move: progress now, the broker, the first response. */
static int record_progress(struct il_store *s, const char *demand, enum il_docking_state to,
			   const char *broker)
{
	static const char sql[] =
		"UPDATE docking SET last_progress = ?, broker = coalesce(?, broker), "
		"first_response = CASE WHEN ? AND first_response IS NULL THEN ? "
		"ELSE first_response END WHERE demand = ?";
	char now[21];
	il_time_now(now);
	const char *params[] = {now, broker, to == IL_DOCK_DOCKING ? "1" : "0", now, demand};
	return il_store_sql(s, sql, params, 5, 0, NULL, NULL);
}

static int notify_move(struct il_store *s, const struct il_record *r, enum il_docking_state to,
		       const char *broker)
{
	char zh[512], en[512];
	const char *owner = il_record_get(r, "owner");
	const char *title = il_record_get(r, "title");
	if (to == IL_DOCK_ASSIGNED) {
		snprintf(zh, sizeof(zh), "需求「%s」已分派给您，请在10日内对接。", title);
		snprintf(en, sizeof(en), "Demand '%s' was assigned to you: please respond.", title);
		return il__trade_notify(s, broker, "assigned", r->id, zh, en);
	}
	if (!owner || (to != IL_DOCK_SUCCESS && to != IL_DOCK_ABANDONED && to != IL_DOCK_DOCKING))
		return IL_OK;
	snprintf(zh, sizeof(zh), "您的需求「%s」状态变为：%s。", title,
		 to == IL_DOCK_SUCCESS   ? "成功"
		 : to == IL_DOCK_DOCKING ? "对接中"
					 : "已放弃");
	snprintf(en, sizeof(en), "Your demand '%s' is now %s.", title, dock_codes[to]);
	return il__trade_notify(s, owner, dock_codes[to], r->id, zh, en);
}

struct dmove {
	const char *id, *broker, *note, *actor;
	enum il_docking_state to;
	int64_t expected;
};

/* The move itself, inside the caller's transaction. */
static int apply_move(struct il_store *s, struct il_record *r, const struct dmove *m)
{
	enum il_docking_state from;
	int rc = demand_state(r, &from);
	if (rc || (rc = il__trade_check_version(r, m->expected)) != 0)
		return rc;
	if (!il_trade_docking_can_move(from, m->to))
		return il__trade_refuse(r, dock_codes, IL_DOCK__COUNT, dock_next[from], from,
					m->to);
	if (m->to == IL_DOCK_ASSIGNED && (!m->broker || !*m->broker))
		return il_error_set(IL_EINVAL,
				    "demand '%s': assigning it needs a broker (a city "
				    "operator or a service agency)",
				    r->id);
	if ((rc = ensure_docking(s, r)) || (rc = il__trade_set(r, "status", dock_codes[m->to])) ||
	    (rc = il__trade_put(s, r, m->actor)))
		return rc;
	if ((rc = add_step(s, r->id, dock_codes[from], dock_codes[m->to], m->actor, m->note)) ||
	    (rc = record_progress(s, r->id, m->to, m->broker)))
		return rc;
	return notify_move(s, r, m->to, m->broker);
}

static int dmove_tx(struct il_store *s, void *vctx)
{
	struct dmove *m = vctx;
	struct il_record r;
	int rc = il__trade_load(s, IL_KIND_DEMAND, m->id, &r);
	if (rc)
		return rc;
	rc = apply_move(s, &r, m);
	il_record_release(&r);
	return rc;
}

int il_trade_docking_move(struct il_store *s, const char *id, enum il_docking_state to,
			  const char *broker, const char *note, int64_t expected_version,
			  const char *actor)
{
	struct dmove m = {id, broker, note, actor, to, expected_version};
	if ((unsigned)to >= IL_DOCK__COUNT)
		return il_error_set(IL_EINVAL, "no docking state %d", (int)to);
	return il__trade_tx(s, dmove_tx, &m);
}

/* ---- the clock ---- */

void il_trade_clock_init(struct il_trade_clock *c)
{
	c->respond_days = 10;
	c->abandon_days = 30;
}

/* An open demand as the clock sees it. */
struct open_demand {
	char *id, *status, *region, *since, *last_progress, *escalated_at, *first_response;
};

struct open_list {
	struct open_demand *v;
	size_t n, cap;
};

static void open_list_release(struct open_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct open_demand *d = &l->v[i];
		free(d->id), free(d->status), free(d->region), free(d->since);
		free(d->last_progress), free(d->escalated_at), free(d->first_response);
	}
	free(l->v);
}

static int dup_or_null(const char *v, char **out)
{
	*out = v ? il_strdup(v) : NULL;
	return v && !*out ? IL_ENOMEM : IL_OK;
}

static int collect_open(const char *const *cols, void *vctx)
{
	struct open_list *l = vctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct open_demand *grown = il_realloc(l->v, cap * sizeof(*grown));
		if (!grown)
			return IL_ENOMEM;
		l->v = grown;
		l->cap = cap;
	}
	struct open_demand *d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	char **fields[] =
		{&d->id,           &d->status,        &d->region, &d->since, &d->last_progress,
		 &d->escalated_at, &d->first_response};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (dup_or_null(cols[i], fields[i]))
			return IL_ENOMEM;
	return IL_OK;
}

/* The operator an escalation goes to: "city:CODE" of the demand's city,
 * or the province's when its region lies in no city. */
static int operator_of(struct il_store *s, const char *region, char *out, size_t size)
{
	char city[64], name[96];
	int rc = il__trade_city(s, region, city, sizeof(city), name, sizeof(name));
	if (!rc && city[0])
		snprintf(out, size, "city:%s", city);
	else if (!rc)
		snprintf(out, size, "province");
	return rc;
}

static int escalate(struct il_store *s, const struct open_demand *d, const char *title)
{
	static const char sql[] = "UPDATE docking SET escalated_at = ? WHERE demand = ?";
	char now[21], who[80], zh[512], en[512];
	il_time_now(now);
	const char *params[] = {now, d->id};
	int rc = operator_of(s, d->region, who, sizeof(who));
	if (!rc)
		rc = il_store_sql(s, sql, params, 2, 0, NULL, NULL);
	if (!rc)
		rc = add_step(s, d->id, d->status, d->status, "clock", "escalated: no response");
	snprintf(zh, sizeof(zh), "需求「%s」超过期限仍无响应，已升级至您处理。", title);
	snprintf(en, sizeof(en), "Demand '%s' has had no response in time and is escalated to you.",
		 title);
	return rc ? rc : il__trade_notify(s, who, "escalated", d->id, zh, en);
}

struct tick_ctx {
	const struct il_trade_clock *clock;
	struct il_trade_tick *out;
};

static int tick_one(struct il_store *s, const struct open_demand *d, struct tick_ctx *t)
{
	int64_t now = il_time_now_unix(), since, progress;
	struct il_record r;
	int rc = il__trade_time(d->since, &since);
	if (!rc)
		rc = il__trade_time(d->last_progress, &progress);
	if (rc) {
		il_error_prefix("demand '%s'", d->id);
		return rc;
	}
	if (now - progress >= (int64_t)t->clock->abandon_days * IL__DAY) {
		struct dmove m = {d->id, NULL, "abandoned: no progress", "clock", IL_DOCK_ABANDONED,
				  0};
		if ((rc = il__trade_load(s, IL_KIND_DEMAND, d->id, &r)) != 0)
			return rc;
		rc = apply_move(s, &r, &m);
		il_record_release(&r);
		t->out->abandoned += !rc;
		return rc;
	}
	/* a demand past "assigned" was answered, with or without a recorded step */
	bool answered = d->first_response ||
			(strcmp(d->status, "new") != 0 && strcmp(d->status, "assigned") != 0);
	if (d->escalated_at || answered || now - since < (int64_t)t->clock->respond_days * IL__DAY)
		return IL_OK;
	if ((rc = il__trade_load(s, IL_KIND_DEMAND, d->id, &r)) != 0)
		return rc;
	rc = escalate(s, d, il_record_get(&r, "title"));
	il_record_release(&r);
	t->out->escalated += !rc;
	return rc;
}

static int tick_tx(struct il_store *s, void *vctx)
{
	static const char sql_rows[] =
		"INSERT INTO docking(demand, since, last_progress) "
		"SELECT id, created_at, created_at FROM demand WHERE coalesce(status, 'new') IN "
		"('new', 'assigned', 'docking', 'agreed') ON CONFLICT(demand) DO NOTHING";
	static const char sql_open[] =
		"SELECT d.id, coalesce(d.status, 'new'), d.region, k.since, k.last_progress, "
		"k.escalated_at, k.first_response FROM demand d JOIN docking k ON k.demand = d.id "
		"WHERE coalesce(d.status, 'new') IN ('new', 'assigned', 'docking', 'agreed') "
		"ORDER BY d.pk";
	struct tick_ctx *t = vctx;
	struct open_list l = {NULL, 0, 0};
	int rc = il_store_sql(s, sql_rows, NULL, 0, 0, NULL, NULL);
	if (!rc)
		rc = il_store_sql(s, sql_open, NULL, 0, 7, collect_open, &l);
	for (size_t i = 0; i < l.n && !rc; i++)
		rc = tick_one(s, &l.v[i], t);
	open_list_release(&l);
	return rc;
}

int il_trade_docking_tick(struct il_store *s, const struct il_trade_clock *clock,
			  struct il_trade_tick *out)
{
	struct tick_ctx t = {clock, out};
	memset(out, 0, sizeof(*out));
	if (clock->respond_days < 1 || clock->abandon_days < 1)
		return il_error_set(IL_EINVAL,
				    "the clock's periods must be at least one day "
				    "(respond %d, abandon %d)",
				    clock->respond_days, clock->abandon_days);
	int rc = il__trade_tx(s, tick_tx, &t);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

struct renew_ctx {
	const char *id, *actor;
};

static int renew_tx(struct il_store *s, void *vctx)
{
	static const char sql[] = "UPDATE docking SET last_progress = ? WHERE demand = ?";
	struct renew_ctx *c = vctx;
	struct il_record r;
	enum il_docking_state st;
	char now[21];
	int rc = il__trade_load(s, IL_KIND_DEMAND, c->id, &r);
	if (rc)
		return rc;
	if (!(rc = demand_state(&r, &st)) && !(OPEN_STATES & BIT(st)))
		rc = il_error_set(IL_EINVAL,
				  "demand '%s' is closed (%s): only an open one is renewed", r.id,
				  dock_codes[st]);
	il_time_now(now);
	const char *params[] = {now, c->id};
	if (!rc && !(rc = ensure_docking(s, &r)) &&
	    !(rc = il_store_sql(s, sql, params, 2, 0, NULL, NULL)))
		rc = add_step(s, c->id, dock_codes[st], dock_codes[st], c->actor, "renewed");
	il_record_release(&r);
	return rc;
}

int il_trade_docking_renew(struct il_store *s, const char *id, const char *actor)
{
	struct renew_ctx c = {id, actor};
	return il__trade_tx(s, renew_tx, &c);
}

/*
 * The demand side's rating is feedback on the matches its docking came from:
 * the achievement of each of the demand's deals becomes useful to it (4 or
 * 5) or not useful (1 or 2), which matching and `innolink learn` read
 * (docs/match.md).  A 3 says nothing either way.
 */
struct rated {
	struct il_store *s;
	const char *demand, *actor;
	enum il_feedback_action action;
};

static int deal_feedback(const struct il_record *deal, void *vctx)
{
	const struct rated *r = vctx;
	const char *ach = il_record_get(deal, "achievement");
	if (!ach || !*ach)
		return IL_OK;
	return il_match_feedback(r->s, IL_KIND_DEMAND, r->demand, IL_KIND_ACHIEVEMENT, ach,
				 r->action, r->actor, NAN, NULL);
}

static int rating_feedback(struct il_store *s, const char *demand, int score, const char *actor)
{
	struct rated r = {s, demand, actor && *actor ? actor : "rating",
			  score >= 4 ? IL_FEEDBACK_USEFUL : IL_FEEDBACK_NOT_USEFUL};
	struct il_query q;
	if (score == 3)
		return IL_OK;
	il_query_init(&q, IL_KIND_DEAL);
	q.include_confidential = true;
	q.field[0] = "demand";
	q.value[0] = demand;
	q.nfilters = 1;
	return il_store_list(s, &q, deal_feedback, &r, NULL);
}

struct rate_ctx {
	const char *params[6]; /* demand, side, score, comment, by, at */
	int score;
};

static int rate_tx(struct il_store *s, void *vctx)
{
	static const char sql[] =
		"INSERT INTO rating(demand, side, score, comment, by, at) VALUES (?, ?, ?, ?, ?, ?) "
		"ON CONFLICT(demand, side) DO UPDATE SET score = excluded.score, "
		"comment = excluded.comment, by = excluded.by, at = excluded.at";
	const struct rate_ctx *c = vctx;
	int rc = il_store_sql(s, sql, c->params, 6, 0, NULL, NULL);
	if (!rc && strcmp(c->params[1], "demand") == 0)
		rc = rating_feedback(s, c->params[0], c->score, c->params[4]);
	return rc;
}

int il_trade_rate(struct il_store *s, const char *demand, const char *side, int score,
		  const char *comment, const char *actor)
{
	struct il_record r;
	enum il_docking_state st;
	char num[8], now[21];
	if (!side || (strcmp(side, "demand") != 0 && strcmp(side, "supply") != 0))
		return il_error_set(IL_EINVAL,
				    "rating side: value '%s' is not 'demand' or 'supply'",
				    side ? side : "");
	if (score < 1 || score > 5)
		return il_error_set(IL_EINVAL, "rating score: value '%d' is not from 1 to 5",
				    score);
	int rc = il__trade_load(s, IL_KIND_DEMAND, demand, &r);
	if (rc)
		return rc;
	if (!(rc = demand_state(&r, &st)) && (OPEN_STATES & BIT(st)))
		rc = il_error_set(IL_EINVAL,
				  "demand '%s' is still '%s': a docking is rated when it "
				  "closes (success or abandoned)",
				  demand, dock_codes[st]);
	il_record_release(&r);
	snprintf(num, sizeof(num), "%d", score);
	il_time_now(now);
	struct rate_ctx c = {{demand, side, num, comment && *comment ? comment : NULL, actor, now},
			     score};
	return rc ? rc : il__trade_tx(s, rate_tx, &c);
}

static int docking_facts(const char *const *cols, void *vctx)
{
	static const char *const names[] = {"broker", "since", "first_response", "last_progress",
					    "escalated_at"};
	struct il_buf *out = vctx;
	int rc = IL_OK;
	for (size_t i = 0; i < 5 && !rc; i++) {
		if (!(rc = il_buf_addf(out, ",\"%s\":", names[i])))
			rc = cols[i] ? il_json_string(out, cols[i], strlen(cols[i]))
				     : il_buf_adds(out, "null");
	}
	return rc;
}

int il_trade_docking_json(struct il_store *s, const char *id, struct il_buf *out)
{
	static const char sql_facts[] = "SELECT broker, since, first_response, last_progress, "
					"escalated_at FROM docking WHERE demand = ?";
	static const char sql_steps[] = "SELECT at, from_state, to_state, actor, note FROM "
					"docking_step WHERE demand = ? ORDER BY pk";
	static const char *const step_names[] = {"at", "from", "to", "actor", "note"};
	static const char sql_ratings[] = "SELECT side, score, comment, by, at FROM rating "
					  "WHERE demand = ? ORDER BY side";
	static const char *const rating_names[] = {"side", "#score", "comment", "by", "at"};
	struct il_record r;
	enum il_docking_state st;
	const char *params[] = {id};
	int rc = il__trade_load(s, IL_KIND_DEMAND, id, &r);
	if (rc)
		return rc;
	if (!(rc = demand_state(&r, &st)) && !(rc = il_buf_adds(out, "{\"demand\":")) &&
	    !(rc = il_json_string(out, id, strlen(id))) &&
	    !(rc = il_buf_addf(out, ",\"version\":%lld,\"state\":\"%s\"", (long long)r.version,
			       dock_codes[st])) &&
	    !(rc = il_store_sql(s, sql_facts, params, 1, 5, docking_facts, out)) &&
	    !(rc = il_buf_adds(out, ",\"allowed\":")) &&
	    !(rc = il__trade_json_codes(out, dock_codes, IL_DOCK__COUNT, dock_next[st])) &&
	    !(rc = il_buf_adds(out, ",\"steps\":")) &&
	    !(rc = il__trade_json_rows(s, out, sql_steps, params, 1, step_names, 5)) &&
	    !(rc = il_buf_adds(out, ",\"ratings\":")) &&
	    !(rc = il__trade_json_rows(s, out, sql_ratings, params, 1, rating_names, 5)))
		rc = il_buf_addc(out, '}');
	il_record_release(&r);
	return rc;
}

int il_trade_notifications_json(struct il_store *s, const char *recipient, bool unread,
				struct il_buf *out)
{
	static const char sql_all[] =
		"SELECT pk, at, topic, subject, message_zh, message_en, "
		"read_at FROM notification WHERE recipient = ? ORDER BY pk DESC";
	static const char sql_unread[] =
		"SELECT pk, at, topic, subject, message_zh, message_en, read_at FROM notification "
		"WHERE recipient = ? AND read_at IS NULL ORDER BY pk DESC";
	static const char *const names[] = {"#id",        "at",         "topic",  "subject",
					    "message_zh", "message_en", "read_at"};
	const char *params[] = {recipient};
	return il__trade_json_rows(s, out, unread ? sql_unread : sql_all, params, 1, names, 7);
}

int il_trade_notifications_read(struct il_store *s, const char *recipient)
{
	static const char sql[] = "UPDATE notification SET read_at = ? WHERE recipient = ? "
				  "AND read_at IS NULL";
	char now[21];
	il_time_now(now);
	const char *params[] = {now, recipient};
	return il_store_sql(s, sql, params, 2, 0, NULL, NULL);
}
