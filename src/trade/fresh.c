/*
 * fresh.c - freshness of listings: an achievement or demand is live until
 * its "expires" date; its owner re-confirms it with il_trade_renew().
 * A record without one is live for a period after it was published.
 * Dates are canonical YYYY-MM-DD (model.h), so comparing them as strings
 * compares the days.
 */
#include "trade_internal.h"

#include <stdio.h>
#include <string.h>

bool il_trade_is_live(const struct il_record *r, const char *today, int period_days)
{
	int64_t base, now;
	if ((r->kind != IL_KIND_ACHIEVEMENT && r->kind != IL_KIND_DEMAND) || !today)
		return true;
	const char *expires = il_record_get(r, "expires");
	if (expires)
		return strcmp(expires, today) >= 0;
	const char *published = il_record_get(r, "published");
	char day[11];
	/* the day it was published, or the day part of when it was stored */
	snprintf(day, sizeof(day), "%s", published ? published : r->created_at ? r->created_at : "");
	if (period_days <= 0 || il__trade_time(day, &base) || il__trade_time(today, &now)) {
		il_error_clear();
		return true;
	}
	return now <= base + (int64_t)period_days * IL__DAY;
}

int il_trade_renew(struct il_store *s, enum il_kind kind, const char *id, int days,
		   const char *actor)
{
	struct il_record r;
	enum il_put_result res;
	char until[11];
	if (kind != IL_KIND_ACHIEVEMENT && kind != IL_KIND_DEMAND)
		return il_error_set(IL_EINVAL, "only achievements and demands expire, not a %s",
				    il_kind_info(kind)->name);
	if (days < 1)
		return il_error_set(IL_EINVAL, "renew days: value '%d' is not a number of days", days);
	int rc = il__trade_load(s, kind, id, &r);
	if (rc)
		return rc;
	il__trade_day_after(days, until);
	rc = il__trade_set(&r, "expires", until);
	if (!rc)
		rc = il_store_put(s, &r, 0, actor, &res);
	il_record_release(&r);
	return rc;
}
