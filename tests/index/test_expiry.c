/*
 * test_expiry.c - expired documents leave search: a document whose last
 * live day lies before the query's day is not returned (pruned or not, and
 * not counted), one re-put with a later day is, the query's day moves the
 * line, include_expired keeps them, a snapshot keeps each document's day,
 * and an index caught up with a renewal answers as one rebuilt from the
 * store.
 */
#include "index_test.h"

#include <innolink/store.h>

#include <stdio.h>
#include <stdlib.h>

static int32_t day(const char *date)
{
	return il_date_days(date);
}

static int put_expiring(struct il_index *ix, const char *id, const char *title, int32_t expires)
{
	struct il_index_doc d;
	tt_doc_init(&d, IL_KIND_ACHIEVEMENT, id, title, NULL, NULL, NULL);
	d.expires = expires;
	return il_index_put(ix, &d);
}

/* The ids of "pump" judged by `date`, both pruned and exhaustive (which
 * must agree), with the total in *total. */
static const char *pump_on(const struct il_index *ix, const char *date, bool include_expired,
			   size_t *total)
{
	static char buf[256];
	char full[256];
	size_t t2 = 0;
	struct il_index_query q;
	il_index_query_init(&q, "pump", 4);
	q.today = day(date);
	q.include_expired = include_expired;
	IL_CHECK_INT(tt_hits(ix, &q, false, true, buf, sizeof(buf), total), IL_OK);
	IL_CHECK_INT(tt_hits(ix, &q, false, false, full, sizeof(full), &t2), IL_OK);
	IL_CHECK_STR(buf, full);
	IL_CHECK_INT(*total, t2);
	return buf;
}

static void test_expired_left_out(void)
{
	struct il_index *ix = tt_open();
	size_t total = 0;
	if (!ix)
		return;
	IL_CHECK_INT(put_expiring(ix, "OLD", "pump pump plunger", day("2025-01-10")), IL_OK);
	IL_CHECK_INT(put_expiring(ix, "NEVER", "pump coating", 0), IL_OK);
	IL_CHECK_INT(put_expiring(ix, "MAX", "pump drill", INT32_MAX), IL_OK);

	/* the last live day is inclusive */
	IL_CHECK_STR(pump_on(ix, "2025-01-10", false, &total), "OLD NEVER MAX");
	IL_CHECK_INT(total, 3);
	IL_CHECK_STR(pump_on(ix, "2025-01-11", false, &total), "NEVER MAX");
	IL_CHECK_INT(total, 2);
	IL_CHECK_STR(pump_on(ix, "2030-06-01", false, &total), "NEVER MAX");
	/* the owner's view keeps it */
	IL_CHECK_STR(pump_on(ix, "2025-01-11", true, &total), "OLD NEVER MAX");
	IL_CHECK_INT(total, 3);

	/* renewed: re-put with a later day, back in the results */
	IL_CHECK_INT(put_expiring(ix, "OLD", "pump pump plunger", day("2025-07-10")), IL_OK);
	IL_CHECK_STR(pump_on(ix, "2025-01-11", false, &total), "OLD NEVER MAX");
	IL_CHECK_STR(pump_on(ix, "2025-07-11", false, &total), "NEVER MAX");

	/* a snapshot keeps each document's day */
	char path[512];
	struct il_index *back = NULL;
	snprintf(path, sizeof(path), "%s/expiry-test.idx", IL_TEST_TMPDIR);
	IL_CHECK_INT(il_index_save(ix, path, 1), IL_OK);
	IL_CHECK_INT(il_index_load(NULL, path, &back, NULL), IL_OK);
	if (back) {
		il__index_set_tokenizer(back, tt_doc, tt_query, NULL);
		IL_CHECK_STR(pump_on(back, "2025-07-10", false, &total), "OLD NEVER MAX");
		IL_CHECK_STR(pump_on(back, "2025-07-11", false, &total), "NEVER MAX");
		IL_CHECK_STR(pump_on(back, "2025-07-11", true, &total), "OLD NEVER MAX");
		/* and compaction, which renumbers documents, keeps them too */
		IL_CHECK_INT(il_index_compact(back), IL_OK);
		IL_CHECK_STR(pump_on(back, "2025-07-11", false, &total), "NEVER MAX");
		il_index_close(back);
	}
	remove(path);
	il_index_close(ix);
}

static void test_query_day_defaults_to_now(void)
{
	struct il_index_query q;
	setenv("INNOLINK_NOW", "2025-03-01T23:59:59Z", 1);
	il_index_query_init(&q, "x", 1);
	IL_CHECK_INT(q.today, day("2025-03-01"));
	IL_CHECK(!q.include_expired);
	setenv("INNOLINK_NOW", "1969-12-31T12:00:00Z", 1);
	il_index_query_init(&q, "x", 1);
	IL_CHECK_INT(q.today, -1);
	unsetenv("INNOLINK_NOW");
}

static void test_doc_from_record_expiry(void)
{
	struct il_record r;
	struct il_index_doc d;
	IL_CHECK_INT(il_record_init(&r, IL_KIND_ACHIEVEMENT), IL_OK);
	il_record_set_id(&r, "ACH-1", 5);
	il_record_set_by_name(&r, "title", "pump", 4);
	il_record_set_by_name(&r, "published", "2021-03-07", 10);
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_OK);
	/* no expires: the index applies no listing period, it stays */
	IL_CHECK_INT(d.expires, INT32_MAX);
	il_record_set_by_name(&r, "expires", "2025-02-01", 10);
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_OK);
	IL_CHECK_INT(d.expires, day("2025-02-01"));
	/* the shared rule: a period counts from the day it was published */
	il_record_set_by_name(&r, "expires", "", 0);
	IL_CHECK_INT(il_record_live_until(&r, 10), day("2021-03-17"));
	il_record_release(&r);

	IL_CHECK_INT(il_record_init(&r, IL_KIND_ORGANIZATION), IL_OK);
	il_record_set_id(&r, "ORG-1", 5);
	il_record_set_by_name(&r, "name_zh", "长江大学", strlen("长江大学"));
	IL_CHECK_INT(il_index_doc_from_record(&r, &d), IL_OK);
	IL_CHECK_INT(d.expires, 0);
	IL_CHECK_INT(il_record_live_until(&r, 10), INT32_MAX);
	il_record_release(&r);
}

static int put_record(struct il_store *s, const char *id, const char *title, const char *expires)
{
	struct il_record r;
	enum il_put_result res;
	int rc = il_record_init(&r, IL_KIND_ACHIEVEMENT);
	if (rc)
		return rc;
	if ((rc = il_record_set_id(&r, id, strlen(id))) == IL_OK &&
	    (rc = il_record_set_by_name(&r, "title", title, strlen(title))) == IL_OK &&
	    (rc = il_record_set_by_name(&r, "expires", expires, strlen(expires))) == IL_OK)
		rc = il_store_put(s, &r, 0, "test", &res);
	il_record_release(&r);
	return rc;
}

/* The two indexes answer alike on each day, with and without the expired. */
static void check_same(const struct il_index *a, const struct il_index *b)
{
	static const char *const days[] = {"2025-01-01", "2025-01-06", "2025-06-01", "2026-01-02"};
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		for (int all = 0; all < 2; all++) {
			char first[256];
			size_t t1 = 0, t2 = 0;
			snprintf(first, sizeof(first), "%s", pump_on(a, days[i], all, &t1));
			IL_CHECK_STR(first, pump_on(b, days[i], all, &t2));
			IL_CHECK_INT(t1, t2);
		}
}

static void test_renewal_caught_up(void)
{
	struct il_store *s = NULL;
	struct il_index *inc = tt_open(), *re = tt_open();
	int64_t seq = 0;
	size_t total = 0;
	char db[512];
	snprintf(db, sizeof(db), "%s/expiry-test.db", IL_TEST_TMPDIR);
	remove(db);
	IL_CHECK_INT(il_store_open(db, IL_STORE_CREATE, &s), IL_OK);
	if (!s || !inc || !re)
		return;
	IL_CHECK_INT(put_record(s, "ACH-E", "pump pump seal", "2025-01-05"), IL_OK);
	IL_CHECK_INT(put_record(s, "ACH-L", "pump valve", "2025-12-31"), IL_OK);
	IL_CHECK_INT(il_index_build(inc, s, &seq), IL_OK);
	IL_CHECK_STR(pump_on(inc, "2025-01-06", false, &total), "ACH-L");
	IL_CHECK_STR(pump_on(inc, "2025-01-05", false, &total), "ACH-E ACH-L");

	/* the owner re-confirms: a new expires, applied by the catch-up */
	IL_CHECK_INT(put_record(s, "ACH-E", "pump pump seal", "2025-12-31"), IL_OK);
	IL_CHECK_INT(il_index_catch_up(inc, s, &seq), IL_OK);
	IL_CHECK_STR(pump_on(inc, "2025-01-06", false, &total), "ACH-E ACH-L");
	IL_CHECK_STR(pump_on(inc, "2026-01-01", false, &total), "");
	IL_CHECK_INT(total, 0);

	IL_CHECK_INT(il_index_build(re, s, NULL), IL_OK);
	check_same(inc, re);
	il_index_close(inc);
	il_index_close(re);
	il_store_close(s);
	remove(db);
}

int main(void)
{
	IL_RUN(test_expired_left_out);
	IL_RUN(test_query_day_defaults_to_now);
	IL_RUN(test_doc_from_record_expiry);
	IL_RUN(test_renewal_caught_up);
	IL_DONE();
}
