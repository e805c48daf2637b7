/*
 * match_internal.h - what the files of src/match share: the matcher's
 * caches (cache.c), the score components as pure functions (features.c,
 * unit-tested one by one), the feedback summary (feedback.c) and the
 * explanations (explain.c).
 *
 * Depends on: base, model, text, store, index (public headers).
 */
#ifndef IL_MATCH_INTERNAL_H
#define IL_MATCH_INTERNAL_H

#include <innolink/match.h>

#include <stdint.h>

/* The largest magnitude of a weight in the configuration file: what learn
 * writes must parse back. */
#define IL__MATCH_WEIGHT_MAX 100.0

/* A region as the region component sees it. */
struct il__region {
	const char *id, *name, *parent_id;
	int level; /* 0 province, 1 city, 2 below, 3 unknown */
	int64_t parent, city, province; /* indexes into the region table, -1 if none */
};

struct il__link {
	const char *id, *name, *chain;
};

/* An entry of a linked list of links (per industry code, per record). */
struct il__link_entry {
	uint32_t link;
	int64_t next;
};

struct il__org {
	const char *id, *kind, *region;
};

struct il__person {
	const char *id, *affiliation, *region, *name_zh, *name_en;
	int64_t next_same[2]; /* next person of the same Chinese / English name */
};

/* Feedback on one target from every source. */
struct il__prior {
	double sum;
	size_t n;
};

struct il_match {
	struct il_store *store;
	const struct il_index *ix;
	const struct il_text *text;
	struct il_match_config cfg;
	struct il_arena mem; /* the caches' strings */
	struct il__region *regions;
	size_t nregions, capregions;
	struct il_strmap region_ix;
	struct il__link *links;
	size_t nlinks, caplinks;
	struct il_strmap link_ix;
	struct il_strmap code_links; /* industry code -> head entry in code_entries */
	struct il__link_entry *code_entries;
	size_t ncode, capcode;
	struct il__org *orgs;
	size_t norgs, caporgs;
	struct il_strmap org_ix;
	struct il__person *persons;
	size_t npersons, cappersons;
	struct il_strmap person_ix, person_names, person_names_en;
	struct il__link_entry *places; /* placements by assignment */
	size_t nplaces, capplaces;
	struct il_strmap place_ix; /* "kind:id" -> head entry in places */
	struct il__prior *priors;
	size_t npriors, cappriors;
	struct il_strmap prior_ix; /* "kind:id" -> index into priors */
};

/* A field's value by its exact name (as in the field table), NULL when
 * empty or unknown: il_record_get without its header matching. */
const char *il__match_get(const struct il_record *r, const char *name);
/* Grows a malloc'd array to hold n + 1 elements.  IL_ENOMEM. */
int il__match_grow(void **arr, size_t *cap, size_t n, size_t size);
/* A copy in the matcher's arena; NULL for NULL (or on exhaustion). */
const char *il__match_strdup(struct il_match *m, const char *s);
/* "kind:id" into buf, truncated to size; returns its length. */
size_t il__match_key(char *buf, size_t size, enum il_kind kind, const char *id);

const struct il__region *il__match_region(const struct il_match *m, const char *id);
/* Region relation of two region ids (or NULL): 2 same city, 1 same
 * province, 0 elsewhere, -1 unknown (missing or not in the tree). */
int il__match_region_relation(const struct il_match *m, const char *a, const char *b);
/* Whether region `id` is `area` or lies inside it. */
bool il__match_region_within(const struct il_match *m, const char *id, const char *area);
const struct il__org *il__match_org(const struct il_match *m, const char *id);
const struct il__person *il__match_person(const struct il_match *m, const char *id);
const struct il__person *il__match_person_named(const struct il_match *m, const char *name,
						size_t len, const char *owner);
/* Calls fn for each chain link a record lies on: placed (via NULL) or
 * sharing an industry code (via the code).  Stops on non-zero. */
int il__match_links_each(const struct il_match *m, enum il_kind kind, const char *id,
			 const char *codes, int (*fn)(uint32_t link, const char *via, void *ctx),
			 void *ctx);

/* The value of a region relation under the configuration (unknown: 0). */
double il__match_region_value(const struct il_match_config *c, int relation);
/* Maturity fit of a TRL against the need: 1 when trl >= need, falling
 * linearly to 0 at need - slack; 0.5 when either is unknown (< 1). */
double il__match_maturity(double trl, double need, double slack);
/* Budget fit: 1 when the price is within the budget, budget / price when
 * over; 0.5 when either is unknown (NaN or negative) or the price is 0. */
double il__match_budget(double price, double budget);
/* Freshness of a date (days since 1970) at `today`: 0.5^(age / half_life),
 * 1 for a date not in the past, 0.5 when unknown (INT32_MIN). */
double il__match_freshness(int32_t day, int32_t today, double half_life);
/* Shared chain links and codes: shared / min(na, nb), 0 if either is empty. */
double il__match_chain_overlap(size_t shared, size_t na, size_t nb);
/* "YYYY-MM-DD..." as days since 1970-01-01, INT32_MIN when not a date. */
int32_t il__match_day(const char *s);

/* il_match_feedback_list, or every source's feedback with from_id NULL. */
int il__match_feedback_each(struct il_store *s, enum il_kind from_kind, const char *from_id,
			    bool confidential, int (*fn)(const struct il_feedback *f, void *ctx),
			    void *ctx);
/* The component values of (from, target) pairs as a match from `from`
 * scores them, without each pair's own feedback: values[i] for target i,
 * all NaN when the source is not matched to that target's kind.
 * IL_ENOTFOUND (no source), IL_ESTORE, IL_ENOMEM (match.c). */
int il__match_pair_values(struct il_match *m, enum il_kind from_kind, const char *from_id,
			  const enum il_kind *kinds, const char *const *ids, size_t n,
			  double (*values)[IL_MC__COUNT]);

/* Loads the feedback summary of il_match_open (feedback.c). */
int il__match_load_priors(struct il_match *m);
/* Mean value of the latest feedback each public source gave a target: *sum
 * over *n sources; 0 when there is none. */
double il__match_prior(const struct il_match *m, enum il_kind kind, const char *id, double *sum,
		       size_t *n);

#endif
