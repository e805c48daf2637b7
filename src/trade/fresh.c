/*
 * fresh.c - freshness of listings: an achievement or demand is live until
 * its "expires" date; its owner re-confirms it with il_trade_renew().
 * A record without one is live for a period after it was published.
 * The rule itself is il_record_live_until (model), which the index applies
 * too, so search, matching and this module cannot disagree.
 */
#include "trade_internal.h"

bool il_trade_is_live(const struct il_record *r, const char *today, int period_days)
{
	int32_t now = il_date_days(today);
	return now == INT32_MIN || now <= il_record_live_until(r, period_days);
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
		return il_error_set(IL_EINVAL, "renew days: value '%d' is not a number of days",
				    days);
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

int il_trade_set_expiry(struct il_record *r, int days)
{
	char until[11];
	if (r->kind != IL_KIND_ACHIEVEMENT && r->kind != IL_KIND_DEMAND)
		return IL_OK;
	if (days < 1)
		return il_error_set(IL_EINVAL, "listing days: value '%d' is not a number of days",
				    days);
	if (il_record_get(r, "expires"))
		return IL_OK;
	il__trade_day_after(days, until);
	return il__trade_set(r, "expires", until);
}
