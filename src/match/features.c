/*
 * features.c - the score components other than text, each a small pure
 * function of two records' attributes, and the names of kinds, components
 * and reasons.
 *
 * Each component is in 0..1 (feedback in -1..1).  Where a record lacks
 * what a component needs, the component takes a neutral value (0.5 for
 * maturity, budget and freshness; 0 for region, chain links and feedback),
 * so a missing figure neither rewards nor punishes a candidate against
 * others of its kind.
 *
 * Depends on: base, model (public headers).
 */
#include "match/match_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[IL_MATCH__COUNT] = {
	"achievement", "expert", "institution", "agency", "enterprise", "demand",
};
static const char *const kind_plurals[IL_MATCH__COUNT] = {
	"achievements", "experts", "institutions", "agencies", "enterprises", "demands",
};
static const char *const kind_zh[IL_MATCH__COUNT] = {
	"成果", "专家", "机构", "服务机构", "企业", "需求",
};

const char *il_match_kind_name(enum il_match_kind k)
{
	return (unsigned)k < IL_MATCH__COUNT ? kind_names[k] : NULL;
}

int il_match_kind_parse(const char *name, enum il_match_kind *out)
{
	for (unsigned k = 0; name && k < IL_MATCH__COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0 || strcmp(name, kind_plurals[k]) == 0 ||
		    strcmp(name, kind_zh[k]) == 0) {
			*out = (enum il_match_kind)k;
			return IL_OK;
		}
	if (name && (strcmp(name, "person") == 0 || strcmp(name, "talent") == 0)) {
		*out = IL_MATCH_EXPERT;
		return IL_OK;
	}
	return il_error_set(IL_ENOTFOUND, "unknown match kind '%s'", name ? name : "");
}

const char *il_match_comp_name(enum il_match_comp c)
{
	static const char *const names[IL_MC__COUNT] = {
		"text", "chain_link", "region", "maturity", "budget", "freshness", "feedback",
	};
	return (unsigned)c < IL_MC__COUNT ? names[c] : NULL;
}

const char *il_reason_type_name(enum il_reason_type t)
{
	static const char *const names[] = {
		"term",     "evidence", "chain_link", "region",
		"maturity", "budget",   "freshness",  "feedback",
	};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

double il__match_region_value(const struct il_match_config *c, int relation)
{
	switch (relation) {
	case 2:
		return c->same_city;
	case 1:
		return c->same_province;
	case 0:
		return c->elsewhere;
	default:
		return 0;
	}
}

double il__match_maturity(double trl, double need, double slack)
{
	if (!(trl >= 1) || !(need >= 1))
		return 0.5;
	if (trl >= need)
		return 1;
	double v = 1 - (need - trl) / (slack > 0 ? slack : 1);
	return v > 0 ? v : 0;
}

double il__match_budget(double price, double budget)
{
	if (!(price > 0) || !(budget >= 0))
		return 0.5;
	if (price <= budget)
		return 1;
	return budget / price;
}

double il__match_freshness(int32_t day, int32_t today, double half_life)
{
	if (day == INT32_MIN || !(half_life > 0))
		return 0.5;
	if (day >= today)
		return 1;
	return pow(0.5, (double)(today - day) / half_life);
}

double il__match_chain_overlap(size_t shared, size_t na, size_t nb)
{
	size_t lo = na < nb ? na : nb;
	if (!shared || !lo)
		return 0;
	return shared >= lo ? 1 : (double)shared / (double)lo;
}

/* Days from the civil date (Howard Hinnant's days_from_civil). */
int32_t il__match_day(const char *s)
{
	int y, mo, d;
	if (!s || sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31)
		return INT32_MIN;
	y -= mo <= 2;
	int era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	return (int32_t)(era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468);
}

/* il_record_get compares headers case- and width-insensitively, which a
 * run asking hundreds of times cannot afford; the names here are the
 * field tables' own. */
const char *il__match_get(const struct il_record *r, const char *name)
{
	const struct il_kind_info *k = r ? il_kind_info(r->kind) : NULL;
	for (size_t i = 0; k && i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return r->values[i];
	return NULL;
}
