/*
 * test_trade.c - the trade module on real SQLite files: both state
 * machines exhaustively (every state x every transition), two writers of
 * one deal (one wins, the other gets a conflict), the escalation clock
 * under a pinned time, freshness, ratings, the registration export against
 * the columns docs/trade.md documents, the closed-loop figures on a fixture
 * whose answers are worked out by hand below, and the audit chain with
 * tampering.
 */
#include <innolink/io.h>
#include <innolink/store.h>
#include <innolink/match.h>
#include <innolink/trade.h>

#include "store/store_internal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "test.h"

#define DAY 86400

static char db_path[512];

static struct il_store *fresh_store(const char *name)
{
	struct il_store *s = NULL;
	char wal[600];
	snprintf(db_path, sizeof(db_path), "%s/trade-%s-%d.db", IL_TEST_TMPDIR, name,
		 (int)getpid());
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	unlink(db_path);
	unlink(wal);
	int rc = il_store_open(db_path, IL_STORE_CREATE, &s);
	IL_CHECK_INT(rc, IL_OK);
	return s;
}

/* Pins the clock at 2025-01-01 plus `days` (and `secs`). */
static void at_day(int days, int secs)
{
	char buf[32];
	time_t t = (time_t)(1735689600 + (int64_t)days * DAY + secs);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	setenv("INNOLINK_NOW", buf, 1);
}

static int put(struct il_store *s, enum il_kind kind, const char *id, const char *const *kv)
{
	struct il_record r;
	enum il_put_result res;
	il_record_init(&r, kind);
	il_record_set_id(&r, id, strlen(id));
	for (size_t i = 0; kv[i]; i += 2) {
		int rc = il_record_set_by_name(&r, kv[i], kv[i + 1], strlen(kv[i + 1]));
		if (rc)
			printf("# setting %s: %s\n", kv[i], il_error_detail(rc));
	}
	int rc = il_store_put(s, &r, 0, "test", &res);
	if (rc)
		printf("# put %s: %s\n", id, il_error_detail(rc));
	il_record_release(&r);
	return rc;
}

static const char *get_field(struct il_store *s, enum il_kind kind, const char *id,
			     const char *field, char *buf, size_t size)
{
	struct il_record r;
	if (il_store_get(s, kind, id, &r))
		return NULL;
	const char *v = il_record_get(&r, field);
	snprintf(buf, size, "%s", v ? v : "");
	il_record_release(&r);
	return buf;
}

static void seed(struct il_store *s)
{
	IL_CHECK_INT(put(s, IL_KIND_REGION, "42",
			 (const char *[]){"name_zh", "湖北省", "level", "province", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "4210",
			 (const char *[]){"name_zh", "荆州市", "level", "city", "parent", "42",
					  NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "421002",
			 (const char *[]){"name_zh", "沙市区", "level", "district", "parent",
					  "4210", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "4201",
			 (const char *[]){"name_zh", "武汉市", "level", "city", "parent", "42",
					  NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "E1",
			 (const char *[]){"name_zh", "荆州石油机械有限公司", "kind", "enterprise",
					  "region", "4210", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "E2",
			 (const char *[]){"name_zh", "武汉光电器件有限公司", "kind", "enterprise",
					  "region", "4201", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "AG",
			 (const char *[]){"name_zh", "荆州技术转移中心", "kind", "agency", "region",
					  "4210", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "U1",
			 (const char *[]){"name_zh", "华中科技大学", "kind", "university", "region",
					  "4201", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ACHIEVEMENT, "ACH-1",
			 (const char *[]){"title", "耐磨涂层", "owner", "U1", "patent_no",
					  "ZL202110000001.X", NULL}),
		     IL_OK);
}

/* ---- the state machines, every state x every transition ---- */

/* What the issue specifies, written out independently of src/trade. */
static const char *const deal_states[] = {"intent",      "negotiation", "signed",    "registered",
					  "performance", "completed",   "terminated"};
static const char *const deal_allowed[] = {
	"negotiation terminated",
	"signed terminated",
	"registered terminated",
	"performance terminated",
	"completed terminated",
	"",
	"",
};

static bool listed(const char *list, const char *word)
{
	char buf[128];
	snprintf(buf, sizeof(buf), " %s ", list);
	char w[64];
	snprintf(w, sizeof(w), " %s ", word);
	return strstr(buf, w) != NULL;
}

static void check_refusal(int rc, const char *what, const char *from, const char *allowed)
{
	const char *detail = il_error_detail(rc);
	char cur[64];
	IL_CHECK_INT(rc, IL_ECONFLICT);
	snprintf(cur, sizeof(cur), "is '%s'", from);
	IL_CHECK_CONTAINS(detail, cur);
	IL_CHECK_CONTAINS(detail, what);
	if (!*allowed)
		IL_CHECK_CONTAINS(detail, "a final state");
	char copy[128];
	snprintf(copy, sizeof(copy), "%s", allowed);
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		IL_CHECK_CONTAINS(detail, w);
}

static void test_deal_machine_exhaustive(void)
{
	struct il_store *s = fresh_store("deal-machine");
	size_t n = sizeof(deal_states) / sizeof(deal_states[0]);
	IL_CHECK_INT(n, IL_DEAL__COUNT);
	for (size_t from = 0; from < n; from++)
		for (size_t to = 0; to < n; to++) {
			char id[32];
			struct il_record r;
			bool ok = listed(deal_allowed[from], deal_states[to]);
			snprintf(id, sizeof(id), "D-%zu-%zu", from, to);
			IL_CHECK_INT(put(s, IL_KIND_DEAL, id,
					 (const char *[]){"title", "t", "type", "service", "state",
							  deal_states[from], NULL}),
				     IL_OK);
			IL_CHECK_INT(il_trade_deal_can_move((enum il_deal_state)from,
							    (enum il_deal_state)to),
				     ok);
			int rc = il_trade_deal_move(s, id, (enum il_deal_state)to, 1, "test", &r);
			if (ok) {
				IL_CHECK_INT(rc, IL_OK);
				IL_CHECK_STR(il_record_get(&r, "state"), deal_states[to]);
				IL_CHECK_INT(r.version, 2);
				il_record_release(&r);
			} else {
				check_refusal(rc, id, deal_states[from], deal_allowed[from]);
			}
		}
	il_store_close(s);
}

static const char *const dock_states[] = {"new",    "assigned", "docking",
					  "agreed", "success",  "abandoned"};
static const char *const dock_allowed[] = {
	"assigned abandoned", "docking abandoned", "agreed abandoned", "success abandoned", "", "",
};

static void test_docking_machine_exhaustive(void)
{
	struct il_store *s = fresh_store("dock-machine");
	size_t n = sizeof(dock_states) / sizeof(dock_states[0]);
	char buf[64];
	IL_CHECK_INT(n, IL_DOCK__COUNT);
	at_day(0, 0);
	for (size_t from = 0; from < n; from++)
		for (size_t to = 0; to < n; to++) {
			char id[32];
			bool ok = listed(dock_allowed[from], dock_states[to]);
			snprintf(id, sizeof(id), "DM-%zu-%zu", from, to);
			IL_CHECK_INT(put(s, IL_KIND_DEMAND, id,
					 (const char *[]){"title", "t", "status", dock_states[from],
							  NULL}),
				     IL_OK);
			IL_CHECK_INT(il_trade_docking_can_move((enum il_docking_state)from,
							       (enum il_docking_state)to),
				     ok);
			int rc = il_trade_docking_move(s, id, (enum il_docking_state)to, "AG", NULL,
						       1, "test");
			if (ok) {
				IL_CHECK_INT(rc, IL_OK);
				IL_CHECK_STR(get_field(s, IL_KIND_DEMAND, id, "status", buf,
						       sizeof(buf)),
					     dock_states[to]);
			} else {
				check_refusal(rc, id, dock_states[from], dock_allowed[from]);
				IL_CHECK_STR(get_field(s, IL_KIND_DEMAND, id, "status", buf,
						       sizeof(buf)),
					     dock_states[from]);
			}
		}
	/* assigning needs a broker */
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "NB", (const char *[]){"title", "t", NULL}), IL_OK);
	IL_CHECK_INT(il_trade_docking_move(s, "NB", IL_DOCK_ASSIGNED, NULL, NULL, 0, "t"),
		     IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "broker");
	IL_CHECK_INT(il_trade_docking_move(s, "nope", IL_DOCK_ASSIGNED, "AG", NULL, 0, "t"),
		     IL_ENOTFOUND);
	il_store_close(s);
}

/* ---- two writers of one deal ---- */

static void test_deal_conflict_two_handles(void)
{
	struct il_store *a = fresh_store("conflict"), *b = NULL;
	struct il_record ra, rb;
	IL_CHECK_INT(put(a, IL_KIND_DEAL, "DC",
			 (const char *[]){"title", "t", "type", "joint", NULL}),
		     IL_OK);
	IL_CHECK_INT(il_store_open(db_path, 0, &b), IL_OK);
	/* both read version 1 */
	IL_CHECK_INT(il_store_get(a, IL_KIND_DEAL, "DC", &ra), IL_OK);
	IL_CHECK_INT(il_store_get(b, IL_KIND_DEAL, "DC", &rb), IL_OK);
	IL_CHECK_INT(ra.version, 1);
	IL_CHECK_INT(rb.version, 1);
	IL_CHECK_INT(il_trade_deal_move(a, "DC", IL_DEAL_NEGOTIATION, ra.version, "alice", NULL),
		     IL_OK);
	int rc = il_trade_deal_move(b, "DC", IL_DEAL_TERMINATED, rb.version, "bob", NULL);
	IL_CHECK_INT(rc, IL_EPRECOND);
	IL_CHECK_CONTAINS(il_error_detail(rc), "version 1");
	IL_CHECK_CONTAINS(il_error_detail(rc), "now version 2");
	il_record_release(&ra);
	il_record_release(&rb);
	char buf[32];
	IL_CHECK_STR(get_field(b, IL_KIND_DEAL, "DC", "state", buf, sizeof(buf)), "negotiation");
	il_store_close(b);
	il_store_close(a);
}

struct racer {
	pthread_barrier_t *start;
	enum il_deal_state to;
	int rc;
};

static void *race(void *vctx)
{
	struct racer *r = vctx;
	struct il_store *s = NULL;
	r->rc = il_store_open(db_path, 0, &s);
	pthread_barrier_wait(r->start);
	if (!r->rc)
		r->rc = il_trade_deal_move(s, "DR", r->to, 1, "racer", NULL);
	il_store_close(s);
	return NULL;
}

static void test_deal_conflict_threads(void)
{
	for (int round = 0; round < 5; round++) {
		struct il_store *s = fresh_store("race");
		pthread_barrier_t start;
		pthread_t t[2];
		struct racer r[2] = {{&start, IL_DEAL_NEGOTIATION, -1},
				     {&start, IL_DEAL_TERMINATED, -1}};
		IL_CHECK_INT(put(s, IL_KIND_DEAL, "DR",
				 (const char *[]){"title", "t", "type", "service", NULL}),
			     IL_OK);
		pthread_barrier_init(&start, NULL, 2);
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, race, &r[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&start);
		/* exactly one wins; the other is told of the conflict */
		IL_CHECK((r[0].rc == IL_OK) != (r[1].rc == IL_OK));
		IL_CHECK(r[0].rc == IL_EPRECOND || r[1].rc == IL_EPRECOND);
		char buf[32];
		const char *st = get_field(s, IL_KIND_DEAL, "DR", "state", buf, sizeof(buf));
		IL_CHECK_STR(st, r[0].rc == IL_OK ? "negotiation" : "terminated");
		il_store_close(s);
	}
}

/* ---- the escalation clock ---- */

static size_t count_rows(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t n = 0;
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return (size_t)-1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void tick(struct il_store *s, const struct il_trade_clock *c, size_t esc, size_t ab)
{
	struct il_trade_tick t;
	IL_CHECK_INT(il_trade_docking_tick(s, c, &t), IL_OK);
	IL_CHECK_INT(t.escalated, esc);
	IL_CHECK_INT(t.abandoned, ab);
}

static void test_escalation_clock(void)
{
	struct il_store *s = fresh_store("clock");
	struct il_trade_clock c;
	char buf[32];
	at_day(0, 0);
	seed(s);
	il_trade_clock_init(&c);
	IL_CHECK_INT(c.respond_days, 10);
	IL_CHECK_INT(c.abandon_days, 30);
	/* quiet: no response ever; answered: docked on day 5; renewed: renewed on day 25 */
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "QUIET",
			 (const char *[]){"title", "无人响应的需求", "region", "421002", "owner",
					  "E1", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "ANSWERED",
			 (const char *[]){"title", "t", "region", "4201", "owner", "E2", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "RENEWED",
			 (const char *[]){"title", "t", "region", "4201", "status", "new", NULL}),
		     IL_OK);
	at_day(1, 0);
	IL_CHECK_INT(il_trade_docking_move(s, "ANSWERED", IL_DOCK_ASSIGNED, "AG", NULL, 0, "op"),
		     IL_OK);
	at_day(5, 0);
	IL_CHECK_INT(il_trade_docking_move(s, "ANSWERED", IL_DOCK_DOCKING, NULL, NULL, 0, "AG"),
		     IL_OK);
	at_day(9, 86399);
	tick(s, &c, 0, 0); /* one second before day 10 */
	at_day(10, 0);
	tick(s, &c, 2, 0); /* QUIET and RENEWED had no response: escalated */
	IL_CHECK_INT(count_rows("SELECT count(*) FROM notification WHERE recipient = 'city:4210' "
				"AND topic = 'escalated' AND subject = 'QUIET'"),
		     1);
	IL_CHECK_INT(count_rows("SELECT count(*) FROM notification WHERE recipient = 'city:4201' "
				"AND subject = 'RENEWED'"),
		     1);
	at_day(11, 0);
	tick(s, &c, 0, 0); /* escalated once only */
	at_day(25, 0);
	IL_CHECK_INT(il_trade_docking_renew(s, "RENEWED", "owner"), IL_OK);
	at_day(29, 86399);
	tick(s, &c, 0, 0);
	at_day(30, 0);
	tick(s, &c, 0, 1); /* QUIET: 30 days without progress */
	IL_CHECK_STR(get_field(s, IL_KIND_DEMAND, "QUIET", "status", buf, sizeof(buf)),
		     "abandoned");
	IL_CHECK_STR(get_field(s, IL_KIND_DEMAND, "RENEWED", "status", buf, sizeof(buf)), "new");
	at_day(35, 0);
	tick(s, &c, 0, 1); /* ANSWERED: last progress day 5 */
	at_day(55, 0);
	tick(s, &c, 0, 1); /* RENEWED: renewed day 25 */
	IL_CHECK_INT(count_rows("SELECT count(*) FROM notification WHERE recipient = 'E1' AND "
				"topic = 'abandoned'"),
		     1);
	IL_CHECK_INT(il_trade_docking_renew(s, "QUIET", "owner"), IL_EINVAL);
	/* the periods are configurable */
	c.respond_days = 2;
	c.abandon_days = 4;
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "FAST", (const char *[]){"title", "t", NULL}), IL_OK);
	at_day(56, 0);
	tick(s, &c, 0, 0);
	at_day(57, 0);
	tick(s, &c, 1, 0);
	IL_CHECK_INT(count_rows("SELECT count(*) FROM notification WHERE recipient = 'province' "
				"AND subject = 'FAST'"),
		     1);
	at_day(59, 0);
	tick(s, &c, 0, 1);
	c.abandon_days = 0;
	struct il_trade_tick t;
	IL_CHECK_INT(il_trade_docking_tick(s, &c, &t), IL_EINVAL);
	il_store_close(s);
}

/* ---- freshness and ratings ---- */

static void test_freshness(void)
{
	struct il_store *s = fresh_store("fresh");
	struct il_record r;
	at_day(0, 0);
	seed(s);
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "F1",
			 (const char *[]){"title", "t", "expires", "2025-01-31", NULL}),
		     IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_DEMAND, "F1", &r), IL_OK);
	IL_CHECK(il_trade_is_live(&r, "2025-01-31", 0));
	IL_CHECK(!il_trade_is_live(&r, "2025-02-01", 0));
	il_record_release(&r);
	at_day(40, 0); /* expired on 2025-02-01; renewed on 2025-02-10 for 30 days */
	IL_CHECK_INT(il_trade_renew(s, IL_KIND_DEMAND, "F1", 30, "owner"), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_DEMAND, "F1", &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "expires"), "2025-03-12");
	IL_CHECK(il_trade_is_live(&r, "2025-02-10", 0));
	IL_CHECK_INT(r.version, 2);
	il_record_release(&r);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ACHIEVEMENT, "ACH-1", &r), IL_OK);
	IL_CHECK(il_trade_is_live(&r, "2999-01-01", 0)); /* no expiry date, no period: live */
	/* stored on 2025-01-01 without a published date: live for the period */
	IL_CHECK(il_trade_is_live(&r, "2025-12-31", 364));
	IL_CHECK(!il_trade_is_live(&r, "2026-01-01", 364));
	IL_CHECK(il_trade_is_live(&r, "2026-01-01", IL_TRADE_LISTING_DAYS));
	il_record_release(&r);
	/* published on a date: the period runs from it; an expiry date wins */
	IL_CHECK_INT(put(s, IL_KIND_ACHIEVEMENT, "OLD",
			 (const char *[]){"title", "t", "published", "2023-06-30", NULL}),
		     IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ACHIEVEMENT, "OLD", &r), IL_OK);
	IL_CHECK(il_trade_is_live(&r, "2023-07-10", 10));
	IL_CHECK(!il_trade_is_live(&r, "2023-07-11", 10));
	il_record_release(&r);
	IL_CHECK_INT(il_trade_renew(s, IL_KIND_ACHIEVEMENT, "OLD", 5, "owner"), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ACHIEVEMENT, "OLD", &r), IL_OK);
	IL_CHECK(il_trade_is_live(&r, "2025-02-15", 10)); /* renewed on 2025-02-10 */
	IL_CHECK(!il_trade_is_live(&r, "2025-02-16", 10));
	il_record_release(&r);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "E1", &r), IL_OK);
	IL_CHECK(il_trade_is_live(&r, "2999-01-01", 1));
	il_record_release(&r);
	/* a listing published through the API gets its expiry date */
	struct il_record nl;
	il_record_init(&nl, IL_KIND_DEMAND);
	IL_CHECK_INT(il_trade_set_expiry(&nl, 0), IL_EINVAL);
	IL_CHECK_INT(il_trade_set_expiry(&nl, 30), IL_OK);
	IL_CHECK_STR(il_record_get(&nl, "expires"), "2025-03-12"); /* today is 2025-02-10 */
	IL_CHECK_INT(il_trade_set_expiry(&nl, 5), IL_OK); /* a date it has stays */
	IL_CHECK_STR(il_record_get(&nl, "expires"), "2025-03-12");
	il_record_release(&nl);
	il_record_init(&nl, IL_KIND_ORGANIZATION);
	IL_CHECK_INT(il_trade_set_expiry(&nl, 30), IL_OK);
	IL_CHECK(il_record_get(&nl, "expires") == NULL);
	il_record_release(&nl);
	IL_CHECK_INT(il_trade_renew(s, IL_KIND_ORGANIZATION, "E1", 30, "o"), IL_EINVAL);
	IL_CHECK_INT(il_trade_renew(s, IL_KIND_DEMAND, "F1", 0, "o"), IL_EINVAL);
	IL_CHECK_INT(il_trade_renew(s, IL_KIND_DEMAND, "none", 10, "o"), IL_ENOTFOUND);
	il_store_close(s);
}

struct feedback_seen {
	size_t n;
	char last[128];
};

static int see_feedback(const struct il_feedback *f, void *ctx)
{
	struct feedback_seen *fb = ctx;
	fb->n++;
	snprintf(fb->last, sizeof(fb->last), "%s %s %s", il_feedback_name(f->action), f->to_id,
		 f->who);
	return IL_OK;
}

static void test_ratings(void)
{
	struct il_store *s = fresh_store("rate");
	at_day(0, 0);
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "R1", (const char *[]){"title", "t", NULL}), IL_OK);
	int rc = il_trade_rate(s, "R1", "demand", 4, "good", "owner");
	IL_CHECK_INT(rc, IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(rc), "still 'new'");
	IL_CHECK_INT(il_trade_docking_move(s, "R1", IL_DOCK_ABANDONED, NULL, NULL, 0, "o"), IL_OK);
	IL_CHECK_INT(il_trade_rate(s, "R1", "demand", 6, NULL, "o"), IL_EINVAL);
	IL_CHECK_INT(il_trade_rate(s, "R1", "buyer", 3, NULL, "o"), IL_EINVAL);
	/* the demand side's rating is feedback on its deal's achievement */
	IL_CHECK_INT(put(s, IL_KIND_ACHIEVEMENT, "A1", (const char *[]){"title", "涂层", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_DEAL, "DR1",
			 (const char *[]){"title", "t", "type", "licence", "demand", "R1",
					  "achievement", "A1", NULL}),
		     IL_OK);
	IL_CHECK_INT(il_trade_rate(s, "R1", "demand", 2, "slow", "o"), IL_OK);
	IL_CHECK_INT(il_trade_rate(s, "R1", "supply", 5, NULL, "u"), IL_OK); /* no feedback */
	IL_CHECK_INT(il_trade_rate(s, "R1", "demand", 3, "better", "o"), IL_OK); /* replaced */
	struct feedback_seen fb = {0};
	IL_CHECK_INT(il_match_feedback_list(s, IL_KIND_DEMAND, "R1", true, see_feedback, &fb),
		     IL_OK);
	IL_CHECK_INT((int)fb.n, 1); /* a 3 says nothing */
	IL_CHECK_STR(fb.last, "not_useful A1 o");
	IL_CHECK_INT(il_trade_rate(s, "R1", "demand", 5, NULL, "o"), IL_OK);
	IL_CHECK_INT(il_match_feedback_list(s, IL_KIND_DEMAND, "R1", true, see_feedback, &fb),
		     IL_OK);
	IL_CHECK_STR(fb.last, "useful A1 o");
	IL_CHECK_INT(il_trade_rate(s, "R1", "demand", 3, "better", "o"), IL_OK);
	struct il_buf b = IL_BUF_INIT;
	IL_CHECK_INT(il_trade_docking_json(s, "R1", &b), IL_OK);
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "\"ratings\":[{\"side\":\"demand\",\"score\":3,"
					   "\"comment\":\"better\"");
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "\"state\":\"abandoned\"");
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "\"allowed\":[]");
	il_buf_release(&b);
	il_store_close(s);
}

/* ---- milestones: part of the deal, so versioned and audited ---- */

static int collect_milestone(const struct il_trade_milestone *m, void *ctx)
{
	struct il_buf *b = ctx;
	return il_buf_addf(b, "%zu:%s:%s:%g:%s;", m->n, m->title, m->due ? m->due : "-",
			   m->has_amount ? m->amount : -1.0, m->paid ? m->paid : "-");
}

static void test_milestones(void)
{
	struct il_store *s = fresh_store("milestones");
	struct il_record r;
	struct il_buf b = IL_BUF_INIT;
	at_day(0, 0);
	IL_CHECK_INT(put(s, IL_KIND_DEAL, "M1",
			 (const char *[]){"title", "t", "type", "joint", NULL}),
		     IL_OK);
	IL_CHECK_INT(il_trade_milestone_add(s, "M1", "首付款", "2025-03-01", "40", 1, "op"), IL_OK);
	IL_CHECK_INT(il_trade_milestone_add(s, "M1", "尾款", NULL, NULL, 2, "op"), IL_OK);
	int rc = il_trade_milestone_add(s, "M1", "x", NULL, NULL, 2, "op");
	IL_CHECK_INT(rc, IL_EPRECOND); /* someone added one since version 2 */
	IL_CHECK_INT(il_trade_milestone_add(s, "M1", "", NULL, NULL, 0, "op"), IL_EINVAL);
	IL_CHECK_INT(il_trade_milestone_add(s, "M1", "x", "2025-02-29", NULL, 0, "op"), IL_EINVAL);
	IL_CHECK_INT(il_trade_milestone_add(s, "M1", "x", NULL, "-3", 0, "op"), IL_EINVAL);
	IL_CHECK_INT(il_trade_milestone_add(s, "nope", "x", NULL, NULL, 0, "op"), IL_ENOTFOUND);
	at_day(70, 0);
	IL_CHECK_INT(il_trade_milestone_paid(s, "M1", 1, NULL, 0, "finance"), IL_OK);
	rc = il_trade_milestone_paid(s, "M1", 3, NULL, 0, "finance");
	IL_CHECK_INT(rc, IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(rc), "has 2 milestones");
	IL_CHECK_INT(il_store_get(s, IL_KIND_DEAL, "M1", &r), IL_OK);
	IL_CHECK_INT(r.version, 4);
	IL_CHECK_INT(il_trade_milestones_each(&r, collect_milestone, &b), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&b), "1:首付款:2025-03-01:40:2025-03-12;2:尾款:-:-1:-;");
	il_record_release(&r);
	IL_CHECK_INT(count_rows("SELECT count(*) FROM audit_log WHERE kind = 'deal' AND id = 'M1'"),
		     4);
	/* a milestones value that is no JSON array (an import) is refused, not lost */
	IL_CHECK_INT(put(s, IL_KIND_DEAL, "M2",
			 (const char *[]){"title", "t", "type", "joint", "milestones", "首付款",
					  NULL}),
		     IL_OK);
	rc = il_trade_milestone_add(s, "M2", "x", NULL, NULL, 0, "op");
	IL_CHECK_INT(rc, IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(rc), "not a JSON array");
	il_buf_release(&b);
	il_store_close(s);
}

/* ---- the figures fixture ---- */

static void move(struct il_store *s, int day, const char *id, enum il_docking_state to,
		 const char *broker)
{
	at_day(day, 0);
	int rc = il_trade_docking_move(s, id, to, broker, NULL, 0, "op");
	if (rc)
		printf("# %s: %s\n", id, il_error_detail(rc));
	IL_CHECK_INT(rc, IL_OK);
}

static void deal(struct il_store *s, const char *id, const char *const *kv, int steps)
{
	struct il_record r;
	il_record_init(&r, IL_KIND_DEAL);
	il_record_set_id(&r, id, strlen(id));
	for (size_t i = 0; kv[i]; i += 2)
		IL_CHECK_INT(il_record_set_by_name(&r, kv[i], kv[i + 1], strlen(kv[i + 1])), IL_OK);
	IL_CHECK_INT(il_trade_deal_new(s, &r, "op"), IL_OK);
	il_record_release(&r);
	for (int st = 1; st <= steps; st++)
		IL_CHECK_INT(il_trade_deal_move(s, id, (enum il_deal_state)st, 0, "op", NULL),
			     IL_OK);
}

/*
 * Five demands stored on 2025-01-01 (day 0):
 *   D1 4210 published 2024-03  assigned AG day 1, docking day 3     response 3 d (AG 2 d)
 *   D2 4210 published 2024-06  assigned AG day 2, docking day 7,    response 7 d (AG 5 d)
 *                              agreed day 8, success day 9; rated 4 and 5
 *   D3 4201 published 2024-09  untouched
 *   D4 4210 2025-02, confidential: assigned AG day 1, docking day 2, abandoned day 4;
 *                              response 2 d (AG 1 d), rated 2
 *   D5 4201 published 2025-03  assigned city:4201 day 5, docking day 6: response 6 d (1 d)
 * Deals: A transfer 100 signed 2024-12-01 completed (D2, buyer E1 4210);
 *        B licence 50 signed 2025-04-01 registered (D5, buyer E2 4201);
 *        C service 30 signed 2025-05-01 signed (D4, confidential);
 *        D consulting 999 in negotiation (D3): never counted.
 */
static struct il_store *figures_fixture(void)
{
	struct il_store *s = fresh_store("figures");
	at_day(0, 0);
	seed(s);
	static const char *const demands[5][4] = {
		{"D1", "4210", "2024-03-01", "public"},
		{"D2", "421002", "2024-06-01", "public"},
		{"D3", "4201", "2024-09-01", "public"},
		{"D4", "4210", "2025-02-01", "confidential"},
		{"D5", "4201", "2025-03-01", "public"},
	};
	for (size_t i = 0; i < 5; i++)
		IL_CHECK_INT(put(s, IL_KIND_DEMAND, demands[i][0],
				 (const char *[]){"title", demands[i][0], "region", demands[i][1],
						  "published", demands[i][2], "visibility",
						  demands[i][3], "owner", "E1", NULL}),
			     IL_OK);
	move(s, 1, "D1", IL_DOCK_ASSIGNED, "AG");
	move(s, 1, "D4", IL_DOCK_ASSIGNED, "AG");
	move(s, 2, "D2", IL_DOCK_ASSIGNED, "AG");
	move(s, 2, "D4", IL_DOCK_DOCKING, NULL);
	move(s, 3, "D1", IL_DOCK_DOCKING, NULL);
	move(s, 4, "D4", IL_DOCK_ABANDONED, NULL);
	move(s, 5, "D5", IL_DOCK_ASSIGNED, "city:4201");
	move(s, 6, "D5", IL_DOCK_DOCKING, NULL);
	move(s, 7, "D2", IL_DOCK_DOCKING, NULL);
	move(s, 8, "D2", IL_DOCK_AGREED, NULL);
	move(s, 9, "D2", IL_DOCK_SUCCESS, NULL);
	IL_CHECK_INT(il_trade_rate(s, "D2", "demand", 4, "快", "E1"), IL_OK);
	IL_CHECK_INT(il_trade_rate(s, "D2", "supply", 5, NULL, "U1"), IL_OK);
	IL_CHECK_INT(il_trade_rate(s, "D4", "demand", 2, NULL, "E1"), IL_OK);
	deal(s, "DEA-A",
	     (const char *[]){"title", "耐磨涂层技术转让", "type", "transfer", "buyer", "E1",
			      "seller", "U1", "achievement", "ACH-1", "demand", "D2", "amount",
			      "100", "signed", "2024-12-01", "region", "4210", NULL},
	     5);
	deal(s, "DEA-B", (const char *[]){"title",   "光器件专利许可",
					  "type",    "licence",
					  "licence", "sole",
					  "buyer",   "E2",
					  "seller",  "U1",
					  "demand",  "D5",
					  "amount",  "50",
					  "signed",  "2025-04-01",
					  "region",  "4201",
					  "starts",  "2025-04-15",
					  "ends",    "2027-04-14",
					  NULL},
	     3);
	deal(s, "DEA-C",
	     (const char *[]){"title", "保密服务", "type", "service", "buyer", "E1", "seller", "AG",
			      "demand", "D4", "amount", "30", "signed", "2025-05-01", "region",
			      "4210", NULL},
	     2);
	deal(s, "DEA-D",
	     (const char *[]){"title", "咨询", "type", "consulting", "buyer", "E2", "demand", "D3",
			      "amount", "999", NULL},
	     1);
	return s;
}

static void figures(struct il_store *s, const struct il_trade_scope *sc, struct il_buf *b)
{
	il_buf_reset(b);
	int rc = il_trade_figures_json(s, sc, b);
	IL_CHECK_INT(rc, IL_OK);
}

static void test_figures_known_answers(void)
{
	struct il_store *s = figures_fixture();
	struct il_trade_scope sc = {NULL, NULL, IL_BY_YEAR, false};
	struct il_buf b = IL_BUF_INIT;
	figures(s, &sc, &b);
	const char *j = il_buf_cstr(&b);
	IL_CHECK_CONTAINS(j,
			  "{\"period\":\"2024\",\"demands\":3,\"docked\":2,\"docking_rate\":0.6667,"
			  "\"succeeded\":1,\"median_response_days\":5,\"deals\":1,"
			  "\"deals_by_type\":{\"transfer\":1,\"licence\":0,\"joint\":0,"
			  "\"service\":0,\"consulting\":0},\"turnover\":100,\"satisfaction\":4.5,"
			  "\"ratings\":2}");
	IL_CHECK_CONTAINS(j,
			  "{\"period\":\"2025\",\"demands\":1,\"docked\":1,\"docking_rate\":1,"
			  "\"succeeded\":0,\"median_response_days\":6,\"deals\":1,"
			  "\"deals_by_type\":{\"transfer\":0,\"licence\":1,\"joint\":0,"
			  "\"service\":0,\"consulting\":0},\"turnover\":50,\"satisfaction\":null,"
			  "\"ratings\":0}");
	IL_CHECK_CONTAINS(j, "\"total\":{\"period\":\"total\",\"demands\":4,\"docked\":3,"
			     "\"docking_rate\":0.75,\"succeeded\":1,\"median_response_days\":6,"
			     "\"deals\":2,");
	IL_CHECK_CONTAINS(j, "\"turnover\":150,\"satisfaction\":4.5,\"ratings\":2}");
	IL_CHECK_CONTAINS(j, "{\"broker\":\"AG\",\"demands\":2,\"responded\":2,"
			     "\"median_response_days\":3.5}");
	IL_CHECK_CONTAINS(j, "{\"broker\":\"city:4201\",\"demands\":1,\"responded\":1,"
			     "\"median_response_days\":1}");
	IL_CHECK(!strstr(j, "\"service\":1")); /* the confidential demand's deal stays out */

	sc.include_confidential = true;
	figures(s, &sc, &b);
	j = il_buf_cstr(&b);
	IL_CHECK_CONTAINS(j, "{\"period\":\"2025\",\"demands\":2,\"docked\":2,\"docking_rate\":1,"
			     "\"succeeded\":0,\"median_response_days\":4,\"deals\":2,");
	IL_CHECK_CONTAINS(j, "\"total\":{\"period\":\"total\",\"demands\":5,\"docked\":4,"
			     "\"docking_rate\":0.8,\"succeeded\":1,\"median_response_days\":4.5,"
			     "\"deals\":3,");
	IL_CHECK_CONTAINS(j, "\"turnover\":180,\"satisfaction\":3.667,\"ratings\":3}");
	IL_CHECK_CONTAINS(j, "{\"broker\":\"AG\",\"demands\":3,\"responded\":3,"
			     "\"median_response_days\":2}");

	/* Jingzhou with its districts: D1 and D2 (D4 is confidential), deal A */
	sc.include_confidential = false;
	sc.region = "4210";
	figures(s, &sc, &b);
	j = il_buf_cstr(&b);
	IL_CHECK_CONTAINS(j, "\"total\":{\"period\":\"total\",\"demands\":2,\"docked\":2,"
			     "\"docking_rate\":1,\"succeeded\":1,\"median_response_days\":5,"
			     "\"deals\":1,");
	IL_CHECK_CONTAINS(j, "\"turnover\":100,");

	/* by month */
	sc.region = NULL;
	sc.by = IL_BY_MONTH;
	figures(s, &sc, &b);
	j = il_buf_cstr(&b);
	IL_CHECK_CONTAINS(j, "{\"period\":\"2024-03\",\"demands\":1,\"docked\":1,");
	IL_CHECK_CONTAINS(j, "{\"period\":\"2024-12\",\"demands\":0,\"docked\":0,\"docking_rate\":"
			     "null,\"succeeded\":0,\"median_response_days\":null,\"deals\":1,");

	/* by city: Jingzhou's district counts in Jingzhou */
	sc.by = IL_BY_CITY;
	figures(s, &sc, &b);
	j = il_buf_cstr(&b);
	IL_CHECK_CONTAINS(j, "\"by\":\"city\"");
	IL_CHECK_CONTAINS(j, "\"cities\":[{\"region\":\"4201\",\"name\":\"武汉市\",\"demands\":2,"
			     "\"docked\":1,\"docking_rate\":0.5,\"succeeded\":0,"
			     "\"median_response_days\":6,\"deals\":1,");
	IL_CHECK_CONTAINS(j, "{\"region\":\"4210\",\"name\":\"荆州市\",\"demands\":2,\"docked\":2,"
			     "\"docking_rate\":1,\"succeeded\":1,\"median_response_days\":5,"
			     "\"deals\":1,");
	IL_CHECK_CONTAINS(j, "\"turnover\":100,\"satisfaction\":4.5,\"ratings\":2}]");

	/* a chain: only the demands placed on it, and the deals that answer them */
	IL_CHECK_INT(put(s, IL_KIND_CHAIN, "CH1", (const char *[]){"name_zh", "石油装备", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_LINK, "L1",
			 (const char *[]){"chain", "CH1", "segment", "midstream", "name_zh",
					  "钻井泵", NULL}),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ASSIGNMENT, "A1",
			 (const char *[]){"entity_kind", "demand", "entity", "D2", "link", "L1",
					  "method", "manual", NULL}),
		     IL_OK);
	sc.by = IL_BY_YEAR;
	sc.chain = "CH1";
	figures(s, &sc, &b);
	j = il_buf_cstr(&b);
	IL_CHECK_CONTAINS(j, "\"total\":{\"period\":\"total\",\"demands\":1,\"docked\":1,"
			     "\"docking_rate\":1,\"succeeded\":1,\"median_response_days\":7,"
			     "\"deals\":1,");
	il_buf_release(&b);

	/* the XLSX export holds the same table */
	char path[600];
	struct il_reader *rd;
	struct il_row row;
	bool done = false;
	size_t rows = 0;
	snprintf(path, sizeof(path), "%s.figures.xlsx", db_path);
	sc.chain = NULL;
	IL_CHECK_INT(il_trade_figures_export(s, &sc, path, IL_FMT_XLSX), IL_OK);
	IL_CHECK_INT(il_reader_open(path, IL_FMT_XLSX, NULL, NULL, &rd), IL_OK);
	while (rd && il_reader_next(rd, &row, &done) == IL_OK && !done) {
		rows++;
		if (strcmp(row.values[0], "2024") == 0) {
			IL_CHECK_STR(row.keys[3], "对接率 docking rate");
			IL_CHECK_STR(row.values[1], "3");
			IL_CHECK_STR(row.values[12], "100");
		}
		if (strcmp(row.values[0], "total") == 0)
			IL_CHECK_STR(row.values[3], "0.75");
	}
	il_reader_close(rd);
	IL_CHECK_INT(rows, 3);
	unlink(path);

	/* the brokers' response-time scores, with an organization's name */
	snprintf(path, sizeof(path), "%s.agencies.csv", db_path);
	IL_CHECK_INT(il_trade_agencies_export(s, &sc, path, IL_FMT_CSV), IL_OK);
	IL_CHECK_INT(il_reader_open(path, IL_FMT_CSV, NULL, NULL, &rd), IL_OK);
	rows = 0;
	done = false;
	while (rd && il_reader_next(rd, &row, &done) == IL_OK && !done) {
		rows++;
		if (strcmp(row.values[0], "AG") == 0) {
			IL_CHECK_STR(row.values[1], "荆州技术转移中心");
			IL_CHECK_STR(row.values[2], "2");
			IL_CHECK_STR(row.values[4], "3.5");
		}
	}
	il_reader_close(rd);
	IL_CHECK_INT(rows, 2);
	unlink(path);
	il_store_close(s);
}

/* ---- the registration export against docs/trade.md ---- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		size_t got = fread(buf, 1, (size_t)n, f);
		buf[got] = '\0';
	}
	fclose(f);
	return buf;
}

static void test_registration_export(void)
{
	struct il_store *s = figures_fixture();
	size_t ncols, rows = 0;
	const struct il_trade_column *cols = il_trade_registration_columns(&ncols);
	char path[600], doc_path[600], cell[160];
	snprintf(doc_path, sizeof(doc_path), "%s/../docs/trade.md", IL_TEST_SRCDIR);
	char *doc = read_file(doc_path);
	IL_CHECK(doc != NULL);
	/* every column is documented, in this order */
	const char *last = doc;
	for (size_t i = 0; doc && i < ncols; i++) {
		snprintf(cell, sizeof(cell), "| `%s` | %s |", cols[i].name, cols[i].zh);
		const char *at = strstr(doc, cell);
		IL_CHECK_CONTAINS(doc, cell);
		IL_CHECK(at == NULL || at > last);
		last = at ? at : last;
	}
	free(doc);
	static const enum il_format fmts[] = {IL_FMT_CSV, IL_FMT_XLSX};
	for (size_t f = 0; f < 2; f++) {
		struct il_reader *rd = NULL;
		struct il_row row;
		bool done = false;
		size_t n = 0;
		snprintf(path, sizeof(path), "%s.reg.%s", db_path, f ? "xlsx" : "csv");
		IL_CHECK_INT(il_trade_registration_export(s, path, fmts[f], f == 1, &rows), IL_OK);
		IL_CHECK_INT(rows, 3); /* A, B and C were signed; D is in negotiation */
		IL_CHECK_INT(il_reader_open(path, fmts[f], NULL, NULL, &rd), IL_OK);
		while (rd && il_reader_next(rd, &row, &done) == IL_OK && !done) {
			IL_CHECK_INT(row.ncells, ncols);
			for (size_t i = 0; i < ncols && i < row.ncells; i++)
				IL_CHECK_STR(row.keys[i], f ? cols[i].zh : cols[i].name);
			n++;
			if (strcmp(row.values[0], "DEA-B") != 0)
				continue;
			IL_CHECK_STR(row.values[3], f ? "许可使用" : "licence");
			IL_CHECK_STR(row.values[4], f ? "排他许可" : "sole licence");
			IL_CHECK_STR(row.values[5], "武汉光电器件有限公司");
			IL_CHECK_STR(row.values[6], "武汉市 (4201)");
			IL_CHECK_STR(row.values[7], "华中科技大学");
			IL_CHECK_STR(row.values[9], "50");
			IL_CHECK_STR(row.values[10], "CNY");
			IL_CHECK_STR(row.values[11], "2025-04-01");
			IL_CHECK_STR(row.values[12], "2025-04-15");
			IL_CHECK_STR(row.values[13], "2027-04-14");
			IL_CHECK_STR(row.values[16], f ? "已登记" : "registered");
			IL_CHECK_STR(row.values[17], "2025-01-10");
		}
		il_reader_close(rd);
		IL_CHECK_INT(n, 3);
		unlink(path);
	}
	/* DEA-A's achievement gives the title and the patent number */
	struct il_buf b = IL_BUF_INIT;
	IL_CHECK_INT(il_trade_deal_json(s, "DEA-A", &b), IL_OK);
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "\"state\":\"completed\"");
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "\"allowed\":[]");
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "\"op\":\"create\",\"version\":1");
	il_buf_release(&b);
	il_store_close(s);
}

/* ---- the audit chain ---- */

static void tamper(const char *sql)
{
	sqlite3 *db;
	IL_CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
	IL_CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void verify(int64_t broken, const char *reason)
{
	struct il_store *s = NULL;
	struct il_audit_report a;
	IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_OK);
	IL_CHECK_INT(il_store_audit_verify(s, &a), IL_OK);
	IL_CHECK_INT(a.broken, broken);
	if (reason)
		IL_CHECK_CONTAINS(a.reason, reason);
	il_store_close(s);
}

static void test_audit_chain(void)
{
	struct il_store *s = figures_fixture();
	struct il_audit_report a;
	IL_CHECK_INT(il_store_audit_verify(s, &a), IL_OK);
	IL_CHECK_INT(a.broken, 0);
	int64_t entries = a.entries;
	IL_CHECK_INT(entries, (int64_t)count_rows("SELECT count(*) FROM audit_log"));
	/* 5 demand creates + 11 moves + 4 deal creates + 11 deal moves */
	IL_CHECK_INT(entries, 5 + 11 + 4 + 11);
	IL_CHECK_INT(il_store_delete(s, IL_KIND_DEAL, "DEA-D", "op"), IL_OK);
	IL_CHECK_INT(count_rows(
			     "SELECT count(*) FROM audit_log WHERE op = 'delete' AND id = 'DEA-D'"),
		     1);
	/* a rolled-back change leaves no entry */
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "GONE", (const char *[]){"title", "t", NULL}), IL_OK);
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	il_store_close(s);
	verify(0, NULL);
	IL_CHECK_INT(count_rows("SELECT count(*) FROM audit_log"), entries + 1);

	char backup[600];
	snprintf(backup, sizeof(backup), "cp '%s' '%s.bak'", db_path, db_path);
	IL_CHECK_INT(system(backup), 0);
	static const struct {
		const char *sql;
		int64_t broken;
		const char *reason;
	} cases[] = {
		{"UPDATE audit_log SET actor = 'mallory' WHERE seq = 7", 7, "entry 7"},
		{"UPDATE audit_log SET digest = 'x' || substr(digest, 2) WHERE seq = 12", 12,
		 "edited"},
		{"DELETE FROM audit_log WHERE seq = 20", 20, "entry 20 is missing"},
		{"DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", 32,
		 "entry 32 is missing"},
		{"UPDATE audit_log SET seq = 100 WHERE seq = 32", 32, "missing"},
		{"UPDATE deal SET amount = 1 WHERE id = 'DEA-B'", 0, "changed outside innolink"},
		{"PRAGMA foreign_keys = OFF; DELETE FROM demand WHERE id = 'D3'", 0,
		 "removed without an entry"},
		{"INSERT INTO deal(id, version, created_at, updated_at, title, type) "
		 "VALUES ('DEA-X', 1, 'x', 'x', 'x', 'joint')",
		 0, "no audit entry"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char restore[1300];
		snprintf(restore, sizeof(restore), "cp '%s.bak' '%s' && rm -f '%s-wal' '%s-shm'",
			 db_path, db_path, db_path, db_path);
		IL_CHECK_INT(system(restore), 0);
		tamper(cases[i].sql);
		struct il_store *t = NULL;
		IL_CHECK_INT(il_store_open(db_path, 0, &t), IL_OK);
		IL_CHECK_INT(il_store_audit_verify(t, &a), IL_OK);
		if (cases[i].broken)
			IL_CHECK_INT(a.broken, cases[i].broken);
		else
			IL_CHECK(a.broken > 0);
		IL_CHECK_CONTAINS(a.reason, cases[i].reason);
		il_store_close(t);
	}
	snprintf(backup, sizeof(backup), "%s.bak", db_path);
	unlink(backup);
}

/* Migration 6 gives the records stored before it their first entries. */
static void test_audit_baseline(void)
{
	struct il_store *s = fresh_store("baseline");
	struct il_audit_report a;
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "B1", (const char *[]){"title", "t", NULL}), IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_DEAL, "B2",
			 (const char *[]){"title", "t", "type", "joint", NULL}),
		     IL_OK);
	IL_CHECK_INT(il_store_sql(s, "DELETE FROM audit_log", NULL, 0, 0, NULL, NULL), IL_OK);
	IL_CHECK_INT(il_store_sql(s, "DELETE FROM schema_meta WHERE key = 'audit_head'", NULL, 0, 0,
				  NULL, NULL),
		     IL_OK);
	IL_CHECK_INT(il_store_audit_verify(s, &a), IL_OK);
	IL_CHECK_INT(a.broken, 1); /* records without entries */
	IL_CHECK_CONTAINS(a.reason, "no audit entry");
	IL_CHECK_INT(il__store_audit_baseline(s), IL_OK);
	IL_CHECK_INT(il_store_audit_verify(s, &a), IL_OK);
	IL_CHECK_INT(a.broken, 0);
	IL_CHECK_INT(a.entries, 2);
	il_store_close(s);
}

/* A generic write keeps the fields the machines own. */
static void test_keep_workflow(void)
{
	struct il_record old, r;
	IL_CHECK_INT(il_record_init(&old, IL_KIND_DEAL), IL_OK);
	IL_CHECK_INT(il_record_set_id(&old, "K1", 2), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&old, "state", "signed", 6), IL_OK);
	/* a new deal starts in "intent" or says nothing */
	IL_CHECK_INT(il_record_copy(&r, &old), IL_OK);
	IL_CHECK_INT(il_trade_keep_workflow(NULL, &r), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "'intent'");
	IL_CHECK_INT(il_record_set_by_name(&r, "state", "", 0), IL_OK);
	IL_CHECK_INT(il_trade_keep_workflow(NULL, &r), IL_OK);
	IL_CHECK(il_record_get(&r, "state") == NULL);
	/* a change that leaves the state out keeps it; another state is refused */
	IL_CHECK_INT(il_trade_keep_workflow(&old, &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "state"), "signed");
	IL_CHECK_INT(il_record_set_by_name(&r, "state", "completed", 9), IL_OK);
	IL_CHECK_INT(il_trade_keep_workflow(&old, &r), IL_ECONFLICT);
	IL_CHECK_CONTAINS(il_error_detail(IL_ECONFLICT), "it is 'signed', not 'completed'");
	il_record_release(&r);
	il_record_release(&old);
	/* a demand's docking status the same way; other kinds are left alone */
	IL_CHECK_INT(il_record_init(&r, IL_KIND_DEMAND), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "status", "success", 7), IL_OK);
	IL_CHECK_INT(il_trade_keep_workflow(NULL, &r), IL_EINVAL);
	il_record_release(&r);
	IL_CHECK_INT(il_record_init(&r, IL_KIND_ORGANIZATION), IL_OK);
	IL_CHECK_INT(il_trade_keep_workflow(NULL, &r), IL_OK);
	il_record_release(&r);
}

int main(void)
{
	IL_RUN(test_deal_machine_exhaustive);
	IL_RUN(test_docking_machine_exhaustive);
	IL_RUN(test_deal_conflict_two_handles);
	IL_RUN(test_deal_conflict_threads);
	IL_RUN(test_escalation_clock);
	IL_RUN(test_freshness);
	IL_RUN(test_ratings);
	IL_RUN(test_milestones);
	IL_RUN(test_figures_known_answers);
	IL_RUN(test_registration_export);
	IL_RUN(test_audit_chain);
	IL_RUN(test_audit_baseline);
	IL_RUN(test_keep_workflow);
	IL_DONE();
}
