/*
 * fresh.c - how long an achievement or demand stays listed: until its
 * "expires" date, or for a period after it was published.  Dates become
 * days since 1970-01-01 so the index can keep them as one int32 per
 * document and compare them with a query's day.
 *
 * Depends on: base.
 */
#include "model_internal.h"

int32_t il_date_days(const char *s)
{
	int y, m, d;
	if (!s)
		return INT32_MIN;
	/* character by character, so a shorter string stops at its NUL */
	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return INT32_MIN;
	if (s[10] != '\0' && s[10] != 'T')
		return INT32_MIN;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return INT32_MIN;
	/* Hinnant's days_from_civil: years start in March, so the leap day is
	 * the last day of the year and a 400-year era has 146097 days */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

int32_t il_record_live_until(const struct il_record *r, int period_days)
{
	if (!r || (r->kind != IL_KIND_ACHIEVEMENT && r->kind != IL_KIND_DEMAND))
		return INT32_MAX;
	const char *expires = il_record_get(r, "expires");
	if (expires) {
		int32_t day = il_date_days(expires);
		return day == INT32_MIN ? INT32_MAX : day;
	}
	const char *published = il_record_get(r, "published");
	int32_t base = il_date_days(published ? published : r->created_at);
	if (period_days <= 0 || base == INT32_MIN || base > INT32_MAX - period_days)
		return INT32_MAX;
	return base + period_days;
}
