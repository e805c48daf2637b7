/*
 * config.c - the scoring configuration: defaults, the "key = value" file a
 * deployment edits (data/match/weights.conf) and `innolink learn` rewrites.
 *
 * One table names every key with where it lives in struct il_match_config
 * and its range, so the parser, the writer and the documentation cannot
 * disagree.  A bad line is an error naming the file, line, key and value;
 * nothing of a file with an error is applied.
 *
 * Depends on: base.
 */
#include "match/match_internal.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX_BYTES (1u << 20)
/* chosen by measurement: docs/internals/match.md */
#define QUERY_TERMS 32
#define QUERY_MAX_DF 2000

enum vtype { V_REAL, V_COUNT };

struct key {
	const char *name;
	size_t off;
	enum vtype type;
	double min, max;
	const char *doc;
};

#define WMAX IL__MATCH_WEIGHT_MAX
#define W(c) (offsetof(struct il_match_config, weight) + (c) * sizeof(double))
#define O(f) offsetof(struct il_match_config, f)

static const struct key keys[] = {
	{"weight.text", W(IL_MC_TEXT), V_REAL, -WMAX, WMAX, "text relevance (BM25F, 0..1)"},
	{"weight.chain_link", W(IL_MC_CHAIN), V_REAL, -WMAX, WMAX, "shared chain links"},
	{"weight.region", W(IL_MC_REGION), V_REAL, -WMAX, WMAX, "region relation"},
	{"weight.maturity", W(IL_MC_MATURITY), V_REAL, -WMAX, WMAX, "TRL against the need"},
	{"weight.budget", W(IL_MC_BUDGET), V_REAL, -WMAX, WMAX, "asking price against budget"},
	{"weight.freshness", W(IL_MC_FRESHNESS), V_REAL, -WMAX, WMAX, "how recent the record is"},
	{"weight.feedback", W(IL_MC_FEEDBACK), V_REAL, -WMAX, WMAX, "recorded feedback, -1..1"},
	{"region.same_city", O(same_city), V_REAL, 0, 1, "region value: same city"},
	{"region.same_province", O(same_province), V_REAL, 0, 1, "region value: same province"},
	{"region.elsewhere", O(elsewhere), V_REAL, 0, 1, "region value: elsewhere"},
	{"freshness.half_life_days", O(half_life_days), V_REAL, 1, 36500,
	 "freshness halves every so many days"},
	{"maturity.trl_slack", O(trl_slack), V_REAL, 1, 8,
	 "TRL levels short of the need at which maturity fit is 0"},
	{"learn.min_pairs", O(min_pairs), V_COUNT, 1, 1e9, "fewest feedback pairs to learn from"},
	{"learn.holdout", O(holdout), V_REAL, 0.05, 0.95, "share of sources held out"},
	{"query.terms", O(query_terms), V_COUNT, 0, IL_INDEX_MAX_QUERY_TERMS,
	 "concepts of a long source kept in its query (0: all)"},
	{"query.max_df", O(query_max_df), V_COUNT, 0, 1e9,
	 "documents above which a concept is left out (0: none)"},
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void il_match_config_init(struct il_match_config *c)
{
	memset(c, 0, sizeof(*c));
	c->weight[IL_MC_TEXT] = 1.0;
	c->weight[IL_MC_CHAIN] = 0.10;
	c->weight[IL_MC_REGION] = 0.10;
	c->weight[IL_MC_MATURITY] = 0.10;
	c->weight[IL_MC_BUDGET] = 0.05;
	c->weight[IL_MC_FRESHNESS] = 0.05;
	c->weight[IL_MC_FEEDBACK] = 0.30;
	c->same_city = 1.0;
	c->same_province = 0.5;
	c->elsewhere = 0.0;
	c->half_life_days = 1095;
	c->trl_slack = 3;
	c->min_pairs = 20;
	c->holdout = 0.3;
	c->query_terms = QUERY_TERMS;
	c->query_max_df = QUERY_MAX_DF;
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*out_end = end;
	return s;
}

static const struct key *find_key(const char *k, size_t len)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(keys[i].name) == len && memcmp(keys[i].name, k, len) == 0)
			return &keys[i];
	return NULL;
}

/* One "key = value" line into *c. */
static int parse_line(struct il_match_config *c, const char *s, const char *end, const char *name,
		      size_t line)
{
	const char *eq = memchr(s, '=', (size_t)(end - s)), *kend, *vend;
	char val[64], *stop;
	if (!eq)
		return il_error_set(IL_EFORMAT, "%s:%zu: expected 'key = value', got '%.*s'", name,
				    line, (int)(end - s > 80 ? 80 : end - s), s);
	const char *k = trim(s, eq, &kend), *v = trim(eq + 1, end, &vend);
	const struct key *key = find_key(k, (size_t)(kend - k));
	if (!key)
		return il_error_set(IL_EFORMAT, "%s:%zu: key '%.*s': unknown key", name, line,
				    (int)(kend - k > 80 ? 80 : kend - k), k);
	size_t vlen = (size_t)(vend - v);
	if (vlen == 0 || vlen >= sizeof(val))
		return il_error_set(IL_EFORMAT, "%s:%zu: key '%s': value '%.*s' is not a number",
				    name, line, key->name, (int)(vlen > 60 ? 60 : vlen), v);
	memcpy(val, v, vlen);
	val[vlen] = '\0';
	errno = 0;
	double d = strtod(val, &stop);
	if (*stop || errno || !isfinite(d))
		return il_error_set(IL_EFORMAT, "%s:%zu: key '%s': value '%s' is not a number",
				    name, line, key->name, val);
	if (d < key->min || d > key->max || (key->type == V_COUNT && d != floor(d)))
		return il_error_set(IL_EFORMAT,
				    "%s:%zu: key '%s': value '%s' is out of range (%g to %g%s)",
				    name, line, key->name, val, key->min, key->max,
				    key->type == V_COUNT ? ", whole" : "");
	if (key->type == V_COUNT)
		*(size_t *)(void *)((char *)c + key->off) = (size_t)d;
	else
		*(double *)(void *)((char *)c + key->off) = d;
	return IL_OK;
}

int il_match_config_parse(struct il_match_config *c, const char *text, size_t len, const char *name)
{
	struct il_match_config tmp = *c;
	const char *p = text, *end = text + len;
	size_t line = 0;
	if (!name)
		name = "configuration";
	if (len && !il_utf8_valid(text, len))
		return il_error_set(IL_EFORMAT, "%s: invalid UTF-8 at byte %zu", name,
				    il_utf8_prefix(text, len, NULL));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *lend = nl ? nl : end, *tend;
		const char *hash = memchr(p, '#', (size_t)(lend - p));
		const char *s = trim(p, hash ? hash : lend, &tend);
		line++;
		if (s < tend) {
			int rc = parse_line(&tmp, s, tend, name, line);
			if (rc)
				return rc;
		}
		p = nl ? nl + 1 : end;
	}
	*c = tmp;
	return IL_OK;
}

int il_match_config_load(struct il_match_config *c, const char *path)
{
	struct il_buf b;
	char chunk[8192];
	size_t n;
	int rc = IL_OK;
	FILE *f = fopen(path, "rb");
	if (!f)
		return il_error_set(IL_EIO, "%s: %s", path, strerror(errno));
	il_buf_init(&b, CONFIG_MAX_BYTES);
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = il_buf_add(&b, chunk, n);
	if (!rc && ferror(f))
		rc = il_error_set(IL_EIO, "%s: read error", path);
	fclose(f);
	if (rc == IL_ETOOBIG)
		rc = il_error_set(IL_ETOOBIG, "%s: larger than %u bytes", path, CONFIG_MAX_BYTES);
	if (!rc)
		rc = il_match_config_parse(c, il_buf_cstr(&b), b.len, path);
	il_buf_release(&b);
	return rc;
}

int il_match_config_write(const struct il_match_config *c, const char *comment, struct il_buf *out)
{
	int rc = IL_OK;
	for (const char *p = comment; p && *p && !rc;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		rc = il_buf_addf(out, "# %.*s\n", (int)len, p);
		p += len + (nl ? 1 : 0);
	}
	for (size_t i = 0; i < NKEYS && !rc; i++) {
		const char *at = (const char *)c + keys[i].off;
		if (keys[i].type == V_COUNT)
			rc = il_buf_addf(out, "%-26s = %zu    # %s\n", keys[i].name,
					 *(const size_t *)(const void *)at, keys[i].doc);
		else
			rc = il_buf_addf(out, "%-26s = %.6g    # %s\n", keys[i].name,
					 *(const double *)(const void *)at, keys[i].doc);
	}
	return rc;
}
