/*
 * json.c - a match answer as JSON for the API and `innolink match --json`:
 * one array of results, each with its score broken down by component and
 * its reasons as objects with a "type".  Written by hand like
 * src/model/json.c: every value's type is known, nothing is parsed.
 *
 * Depends on: base, model (il_json_string), match.h.
 */
#include "match/match_internal.h"

#include <math.h>
#include <string.h>

static const char *field_name(enum il_ifield f)
{
	static const char *const names[IL_IF__COUNT] = {"title", "keywords", "body", "names"};
	return (unsigned)f < IL_IF__COUNT ? names[f] : "?";
}

/* ,"key":"value" (or null) */
static int str(struct il_buf *b, const char *key, const char *v)
{
	int rc = il_buf_addf(b, ",\"%s\":", key);
	if (rc)
		return rc;
	return v ? il_json_string(b, v, strlen(v)) : il_buf_adds(b, "null");
}

static int num(struct il_buf *b, const char *key, double v)
{
	return isfinite(v) ? il_buf_addf(b, ",\"%s\":%.6g", key, v)
			   : il_buf_addf(b, ",\"%s\":null", key);
}

static int reason(struct il_buf *b, const struct il_match_reason *x)
{
	int rc = il_buf_addf(b, "{\"type\":\"%s\"", il_reason_type_name(x->type));
	switch (x->type) {
	case IL_REASON_TERM:
		if (!rc)
			rc = str(b, "term", x->term);
		if (!rc)
			rc = str(b, "field", field_name(x->field));
		if (!rc)
			rc = il_buf_addf(b, ",\"translated\":%s", x->translated ? "true" : "false");
		if (!rc && x->from)
			rc = str(b, "from", x->from);
		if (!rc)
			rc = num(b, "score", x->value);
		if (!rc && x->ref_id)
			rc = str(b, "in", x->ref_id);
		if (!rc && x->snippet) {
			rc = str(b, "snippet", x->snippet);
			if (!rc)
				rc = il_buf_adds(b, ",\"highlights\":[");
			for (size_t i = 0; i < x->nhighlights && !rc; i++)
				rc = il_buf_addf(b, "%s[%u,%u]", i ? "," : "", x->highlights[2 * i],
						 x->highlights[2 * i + 1]);
			if (!rc)
				rc = il_buf_addc(b, ']');
		}
		break;
	case IL_REASON_EVIDENCE:
		if (!rc)
			rc = str(b, "kind", x->ref_kind);
		if (!rc)
			rc = str(b, "id", x->ref_id);
		if (!rc)
			rc = str(b, "title", x->ref_name);
		if (!rc)
			rc = num(b, "score", x->value);
		break;
	case IL_REASON_CHAIN_LINK:
		if (!rc)
			rc = str(b, "via", x->relation);
		if (!rc && x->ref_id)
			rc = str(b, "link", x->ref_id);
		if (!rc && x->ref_id)
			rc = str(b, "name", x->ref_name);
		if (!rc)
			rc = str(b, strcmp(x->relation, "industry") == 0 ? "code" : "chain",
				 x->detail);
		if (!rc)
			rc = num(b, "value", x->value);
		break;
	case IL_REASON_REGION:
		if (!rc)
			rc = str(b, "relation", x->relation);
		if (!rc)
			rc = str(b, "region", x->ref_id);
		if (!rc)
			rc = str(b, "name", x->ref_name);
		if (!rc)
			rc = str(b, "from_region", x->detail);
		if (!rc)
			rc = num(b, "value", x->value);
		break;
	case IL_REASON_MATURITY:
		if (!rc)
			rc = num(b, "trl", x->a);
		if (!rc)
			rc = num(b, "need", x->b);
		if (!rc)
			rc = num(b, "fit", x->value);
		break;
	case IL_REASON_BUDGET:
		/* a negative figure means none was given (negotiable) */
		if (!rc)
			rc = num(b, "price", x->a >= 0 ? x->a : NAN);
		if (!rc)
			rc = num(b, "budget", x->b >= 0 ? x->b : NAN);
		if (!rc)
			rc = num(b, "fit", x->value);
		break;
	case IL_REASON_FRESHNESS:
		if (!rc)
			rc = str(b, "published", x->detail);
		if (!rc)
			rc = num(b, "value", x->value);
		break;
	case IL_REASON_FEEDBACK:
		if (!rc)
			rc = str(b, "action", x->relation);
		if (!rc && x->detail)
			rc = str(b, "by", x->detail);
		if (!rc && x->ref_name)
			rc = str(b, "at", x->ref_name);
		if (!rc)
			rc = num(b, "others", x->a);
		if (!rc)
			rc = num(b, "value", x->value);
		break;
	}
	return rc ? rc : il_buf_addc(b, '}');
}

static int result(const struct il_match *m, struct il_buf *b, const struct il_match_result *x)
{
	int rc = il_buf_addf(b, "{\"kind\":\"%s\",\"entity\":\"%s\"", il_match_kind_name(x->kind),
			     il_kind_info(x->entity)->name);
	if (!rc)
		rc = str(b, "id", x->id);
	if (!rc)
		rc = str(b, "title", x->title);
	if (!rc)
		rc = str(b, "subkind", x->subkind);
	if (!rc)
		rc = str(b, "owner", x->owner);
	if (!rc)
		rc = num(b, "score", x->score);
	if (!rc)
		rc = il_buf_addf(b, ",\"rank\":%zu,\"components\":{", x->rank);
	for (unsigned k = 0; k < IL_MC__COUNT && !rc; k++)
		rc = il_buf_addf(b, "%s\"%s\":{\"value\":%.6g,\"weight\":%.6g,\"part\":%.6g}",
				 k ? "," : "", il_match_comp_name((enum il_match_comp)k),
				 x->value[k], m->cfg.weight[k], x->part[k]);
	if (!rc)
		rc = il_buf_adds(b, "},\"reasons\":[");
	for (size_t i = 0; i < x->nreasons && !rc; i++) {
		if (i)
			rc = il_buf_addc(b, ',');
		if (!rc)
			rc = reason(b, &x->reasons[i]);
	}
	return rc ? rc : il_buf_adds(b, "]}");
}

int il_match_to_json(const struct il_match *m, const struct il_match_answer *a, unsigned flags,
		     struct il_buf *out)
{
	if (!m || !a || !out)
		return il_error_set(IL_EINVAL, "il_match_to_json: missing argument");
	int rc = il_buf_addc(out, '[');
	for (size_t i = 0; i < a->nresults && !rc; i++) {
		const struct il_match_result *x =
			(flags & IL_MATCH_JSON_BEST) ? a->best[i] : &a->results[i];
		if (i)
			rc = il_buf_addc(out, ',');
		if (!rc)
			rc = result(m, out, x);
	}
	return rc ? rc : il_buf_addc(out, ']');
}
