/*
 * innolink/match.h - supply-demand matching: a demand to the achievements,
 * experts, institutions and service agencies that can solve it; an
 * achievement to the enterprises likely to adopt it and the open demands it
 * answers; an expert to enterprises and demands.  Every result carries its
 * reasons and its score broken down by component.
 *
 * A match turns its source (a demand, an achievement, a person's profile,
 * or free text) into one query, retrieves candidates of each wanted kind
 * from the index (BM25F, with glossary expansion, so a Chinese demand
 * reaches English achievements and the reverse), builds the profiles of
 * experts, institutions and enterprises from the records that name them
 * (achievements they own or invented, demands they posted), and ranks by
 *
 *   score = sum over components c of  weight[c] * value[c]
 *
 * where value[text] is the text relevance scaled to 0..1 and the others
 * (shared chain links, region, maturity fit, budget fit, freshness,
 * feedback) are each in 0..1 (feedback in -1..1).  The weights come from a
 * configuration file (data/match/weights.conf) that `innolink learn` refits
 * from recorded feedback.  docs/internals/match.md gives every formula.
 *
 * Confidential demands never appear in results, never serve as evidence
 * for another party's profile, and their feedback never counts for anyone
 * else; a confidential demand is a match source only for its owner or an
 * operator.
 *
 * A matcher reads the store and the index it is given and caches the
 * region tree, the chain links and the feedback summary at open: reopen it
 * to see new regions, links or feedback.  One thread at a time per matcher
 * (the store handle is single-threaded).
 *
 * Depends on: base, model, text, store, index.
 */
#ifndef INNOLINK_MATCH_H
#define INNOLINK_MATCH_H

#include "base.h"
#include "index.h"
#include "model.h"
#include "store.h"
#include "text.h"

/* What a result is: the lists a match gives. */
enum il_match_kind {
	IL_MATCH_ACHIEVEMENT,
	IL_MATCH_EXPERT, /* persons: experts and talents */
	IL_MATCH_INSTITUTION, /* universities, institutes, laboratories, new R&D institutions */
	IL_MATCH_AGENCY, /* service agencies */
	IL_MATCH_ENTERPRISE,
	IL_MATCH_DEMAND, /* open, public demands */
	IL_MATCH__COUNT
};

/* "achievement", "expert", ...; NULL out of range. */
const char *il_match_kind_name(enum il_match_kind k);
/* By name (also "institutions", "experts", Chinese names 成果 专家 机构
 * 服务机构 企业 需求); IL_ENOTFOUND. */
int il_match_kind_parse(const char *name, enum il_match_kind *out);

/* The components of a score. */
enum il_match_comp {
	IL_MC_TEXT,
	IL_MC_CHAIN, /* shared chain links */
	IL_MC_REGION,
	IL_MC_MATURITY, /* the achievement's TRL against the demand's need */
	IL_MC_BUDGET, /* asking price against budget */
	IL_MC_FRESHNESS,
	IL_MC_FEEDBACK,
	IL_MC__COUNT
};

/* "text", "chain_link", "region", "maturity", "budget", "freshness",
 * "feedback"; NULL out of range. */
const char *il_match_comp_name(enum il_match_comp c);

/* A deployment's scoring settings (data/match/weights.conf). */
struct il_match_config {
	double weight[IL_MC__COUNT];
	double same_city, same_province, elsewhere; /* region values */
	double half_life_days; /* freshness halves every so many days */
	double trl_slack; /* TRL levels short of the need at which maturity reaches 0 */
	size_t min_pairs; /* learn: fewest accepted/rejected pairs to fit */
	double holdout; /* learn: share of sources held out to measure accuracy */
	/* The most telling concepts of a long source kept in its query (term
	 * frequency in the source times idf, glossary translations of those
	 * kept with them); 0 keeps every one. */
	size_t query_terms;
	/* A concept of a long source whose word, sub-word or translation is in
	 * more than this many documents is left out of its query (as
	 * MoreLikeThis's maxDocFreq): it tells little and costs the most, and
	 * a count, not a share, bounds what a query walks however large the
	 * store grows; kept only when nothing else in the source tells
	 * anything.  0 keeps them all. */
	size_t query_max_df;
};

/* The built-in defaults (the same as the bundled weights.conf). */
void il_match_config_init(struct il_match_config *c);

/*
 * Reads "key = value" lines ('#' starts a comment) over *c: weight.text,
 * weight.chain_link, weight.region, weight.maturity, weight.budget,
 * weight.freshness, weight.feedback, region.same_city,
 * region.same_province, region.elsewhere, freshness.half_life_days,
 * maturity.trl_slack, learn.min_pairs, learn.holdout, query.terms, query.max_df.  `name` names the
 * text in errors.  IL_EFORMAT with "NAME:LINE: key 'K': value 'V' ..." for
 * an unknown key, a value that is not a finite number or is out of range,
 * or a line without '='.  On error *c is unchanged.
 */
int il_match_config_parse(struct il_match_config *c, const char *text, size_t len,
			  const char *name);
/* il_match_config_parse on a file.  IL_EIO (cannot read), IL_EFORMAT,
 * IL_ETOOBIG (over 1 MiB), IL_ENOMEM. */
int il_match_config_load(struct il_match_config *c, const char *path);
/* Appends the configuration in the form parse reads, after `comment`
 * (lines to put first, each prefixed with "# "; may be NULL). */
int il_match_config_write(const struct il_match_config *c, const char *comment, struct il_buf *out);

struct il_match;

/* Opens a matcher over a store and its index (both borrowed for its life;
 * the index must be derived from the store).  `cfg` is copied; NULL for
 * the defaults.  IL_ESTORE, IL_ENOMEM. */
int il_match_open(struct il_store *s, const struct il_index *ix, const struct il_text *text,
		  const struct il_match_config *cfg, struct il_match **out);
void il_match_close(struct il_match *m);

struct il_match_query {
	enum il_kind from_kind; /* demand, achievement or person; IL_KIND__COUNT: free text */
	const char *from_id;
	const char *text; /* free text (from_kind IL_KIND__COUNT) */
	size_t len;
	unsigned kinds; /* bits 1u << enum il_match_kind; 0: every kind the source has */
	size_t top; /* results per kind, 1..1000 (default 10) */
	const char *region; /* only candidates in this region (or inside it); NULL: anywhere */
	const char *viewer; /* organization id of who asks, or NULL */
	bool operator_view; /* an operator: may match from any confidential demand */
};

/* Free text, every kind, top 10, no filter, no viewer. */
void il_match_query_init(struct il_match_query *q);

enum il_reason_type {
	IL_REASON_TERM, /* a matched term, with a snippet */
	IL_REASON_EVIDENCE, /* a record that built the candidate's profile */
	IL_REASON_CHAIN_LINK,
	IL_REASON_REGION,
	IL_REASON_MATURITY,
	IL_REASON_BUDGET,
	IL_REASON_FRESHNESS,
	IL_REASON_FEEDBACK,
};

/* "term", "evidence", "chain_link", "region", "maturity", "budget",
 * "freshness", "feedback". */
const char *il_reason_type_name(enum il_reason_type t);

/*
 * Why a result ranks where it does.  Which members are set depends on the
 * type (the others are NULL or 0):
 *   term        term (as indexed), from (the source's term it translates,
 *               when the glossary bridged languages; else NULL), field,
 *               translated, value (its share of the text score), snippet
 *               (the candidate's own words around it; NULL when an earlier
 *               term's snippet shows it already) with highlights
 *               (byte ranges [start, end) in snippet), ref_id (the evidence
 *               record it was found in, when not the candidate itself)
 *   evidence    ref_kind, ref_id, ref_name (its title), value (its score)
 *   chain_link  ref_id (the link), ref_name (its name), detail (chain id),
 *               relation ("placed" or "industry <code>")
 *   region      relation (same_city, same_province, elsewhere), ref_id
 *               (the candidate's region), ref_name (its name), detail (the
 *               source's region)
 *   maturity    a (TRL), b (needed TRL), value (fit)
 *   budget      a (asking price, 万元), b (budget, 万元), value (fit)
 *   freshness   detail (date), value
 *   feedback    relation (the action: accepted, rejected, ...; "others"
 *               for the summary of other sources' feedback), detail (who),
 *               ref_name (when), value
 * All strings live in the answer's arena.
 */
struct il_match_reason {
	enum il_reason_type type;
	const char *term, *from;
	enum il_ifield field;
	bool translated;
	double value;
	const char *snippet;
	const uint32_t *highlights; /* 2 * nhighlights offsets */
	size_t nhighlights;
	const char *ref_kind, *ref_id, *ref_name;
	const char *relation, *detail;
	double a, b;
};

struct il_match_result {
	enum il_match_kind kind;
	enum il_kind entity; /* the record's kind */
	const char *id;
	const char *title;
	const char *subkind; /* organization kind, person kind, achievement kind */
	const char *owner; /* owning or affiliated organization id, or NULL */
	double score;
	double value[IL_MC__COUNT]; /* component values */
	double part[IL_MC__COUNT]; /* weight * value */
	size_t rank; /* 1-based, within its kind */
	const struct il_match_reason *reasons;
	size_t nreasons;
};

struct il_match_answer {
	enum il_kind from_kind;
	const char *from_id, *from_title;
	const struct il_match_result *results; /* grouped by kind, best first in each */
	size_t nresults;
	size_t count[IL_MATCH__COUNT]; /* results per kind */
	const struct il_match_result *const *best; /* every result, best first across kinds */
	double ms; /* time taken */
};

/*
 * Runs a match.  The answer, its results and reasons are allocated from
 * `arena` (valid until it is released).  IL_ENOTFOUND (no such source, or
 * a confidential demand the viewer may not see: the two are not told
 * apart), IL_EINVAL (a kind the source is not matched to, e.g. an
 * achievement to achievements; a bad top; empty free text; the detail says
 * which), IL_ESTORE, IL_ENOMEM.
 */
int il_match_run(struct il_match *m, const struct il_match_query *q, struct il_arena *arena,
		 struct il_match_answer *out);

enum il_match_json_flag {
	IL_MATCH_JSON_BEST = 1u << 0, /* results in the blended order, not by kind */
};

/*
 * Appends the results as one JSON array: per result "kind", "entity",
 * "id", "title", "subkind", "owner", "score", "rank", "components" (per
 * component its value, weight and part) and "reasons" (objects with
 * "type" and the members docs/match.md lists per type).  IL_ENOMEM,
 * IL_ETOOBIG.
 */
int il_match_to_json(const struct il_match *m, const struct il_match_answer *a, unsigned flags,
		     struct il_buf *out);

enum il_feedback_action {
	IL_FEEDBACK_VIEWED,
	IL_FEEDBACK_CONTACTED,
	IL_FEEDBACK_USEFUL,
	IL_FEEDBACK_NOT_USEFUL,
	IL_FEEDBACK_ACCEPTED,
	IL_FEEDBACK_REJECTED,
	IL_FEEDBACK__COUNT
};

/* "viewed", "contacted", "useful", "not_useful", "accepted", "rejected". */
const char *il_feedback_name(enum il_feedback_action a);
/* By code or Chinese label (已接受 ...); IL_ENOTFOUND. */
int il_feedback_parse(const char *name, enum il_feedback_action *out);
/* What an action says about a pair: accepted 1, useful 0.6, contacted 0.3,
 * viewed 0, not useful -0.6, rejected -1. */
double il_feedback_value(enum il_feedback_action a);

/*
 * Records feedback on a pair: `who` did `action` on the result (to_kind,
 * to_id) of matching (from_kind, from_id), now (il_time_now).  Stored as a
 * match record (its history is the feedback log), with the score the pair
 * had if `score` is finite.  Both records must exist: IL_ENOTFOUND; `who`
 * empty: IL_EINVAL.  *id (out, may be NULL; caller frees) gets the new
 * record's id.  IL_ESTORE, IL_ENOMEM.
 */
int il_match_feedback(struct il_store *s, enum il_kind from_kind, const char *from_id,
		      enum il_kind to_kind, const char *to_id, enum il_feedback_action action,
		      const char *who, double score, char **id);

struct il_feedback {
	enum il_kind from_kind, to_kind;
	const char *from_id, *to_id;
	enum il_feedback_action action;
	const char *who, *at;
	const char *id; /* the match record */
};

/* Calls fn for each feedback given on matches from (from_kind, from_id),
 * oldest first; borrowed for the call.  Feedback naming confidential
 * demands is included only with `confidential`.  IL_ESTORE. */
int il_match_feedback_list(struct il_store *s, enum il_kind from_kind, const char *from_id,
			   bool confidential, int (*fn)(const struct il_feedback *f, void *ctx),
			   void *ctx);

struct il_learn_report {
	size_t sources; /* sources with both a positive and a negative pair */
	size_t pairs, train_pairs, test_pairs;
	double before, after; /* held-out pairwise accuracy, 0..1 */
	double train_before, train_after;
	struct il_match_config learned; /* the configuration with the fitted weights */
};

/*
 * Fits the weights from recorded feedback: for every source, each result
 * accepted, found useful or contacted paired with each rejected or not
 * useful one; the components of both (as the current configuration scores
 * them, without the pair's own feedback) give one example of pairwise
 * logistic regression, minimising
 *   sum log(1 + exp(-w . (x_pos - x_neg))) + lambda/2 |w - w0|^2
 * by gradient descent from the current weights w0.  Sources are split by a
 * hash of their id into a training part and a held-out part (share
 * cfg.holdout); accuracy is the share of held-out pairs ordered right.
 * `progress` (may be NULL) is called with the fraction done.
 * IL_EPRECOND when fewer than cfg.min_pairs pairs exist (the detail says
 * how many), IL_ESTORE, IL_ENOMEM.
 */
int il_match_learn(struct il_match *m, void (*progress)(double fraction, size_t n, void *ctx),
		   void *ctx, struct il_learn_report *out);

#endif
