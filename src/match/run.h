/*
 * run.h - one match in progress, shared by match.c (retrieval and
 * ranking), score.c (the components of a candidate), explain.c (reasons
 * and JSON) and learn.c (which scores the pairs feedback names).
 *
 * Depends on: match_internal.h.
 */
#ifndef IL_MATCH_RUN_H
#define IL_MATCH_RUN_H

#include "match/match_internal.h"

#define CAND_EVIDENCE 3 /* evidence records kept per candidate for its reasons */

struct cached {
	struct il_record rec;
	bool have;
};

struct evidence {
	const struct il_index_hit *hit;
	enum il_kind kind;
};

struct cand {
	enum il_match_kind mk;
	enum il_kind entity;
	const char *id; /* in the run's arena */
	const struct il_index_hit *own; /* its own document's hit, or NULL */
	struct evidence ev[CAND_EVIDENCE];
	size_t nev, nevidence;
	double raw, best_single;
	double value[IL_MC__COUNT], score;
	/* the pair's own feedback, when the source has some on it */
	int feedback; /* enum il_feedback_action, or -1 */
	const char *feedback_who, *feedback_at;
	size_t prior_n;
	const char **shared; /* chain links and "code:" entries shared with the source */
	size_t nshared;
};

/* Feedback the source got, latest per target. */
struct pair_feedback {
	enum il_kind kind;
	const char *id, *who, *at;
	enum il_feedback_action action;
};

/* An index query's answer, kept for the next of the same kind. */
struct searched {
	struct il_index_hit *hits;
	size_t n, k;
	bool filtered, have;
};

/* A part of the source's query text: it ends at byte `end` of qtext, and
 * an occurrence in it counts `weight` when terms are selected. */
struct qpart {
	size_t end;
	double weight;
};

struct run {
	struct il_match *m;
	const struct il_match_query *q;
	struct il_arena *arena;
	unsigned kinds;
	int32_t today;
	bool learning; /* leave the pair's own feedback out of its score */
	/* the source */
	const struct il_record *src;
	const char *src_title, *src_owner, *src_region, *src_codes;
	double src_trl, src_money;
	bool src_public; /* not a confidential demand: its feedback is in the priors */
	struct il_buf qtext;
	struct qpart *parts; /* none: free text, every occurrence counts 1 */
	size_t nparts, capparts;
	const char **src_links; /* link ids and "code:" entries, sorted */
	size_t nsrc_links;
	struct pair_feedback *fb;
	size_t nfb;
	struct searched searched[IL_KIND__COUNT];
	/* records read, candidates */
	struct cached *recs;
	size_t nrecs, caprecs;
	struct il_strmap recmap;
	struct cand *cands;
	size_t ncands, capcands;
	struct il_strmap candmap;
	struct cand **pool[IL_MATCH__COUNT];
	size_t npool[IL_MATCH__COUNT];
	double max_raw[IL_MATCH__COUNT], best[IL_MATCH__COUNT], best_all;
	/* query terms and their glossary translations (explain.c) */
	struct il_strmap xlat; /* translated term -> index into xfrom */
	const char **xfrom;
	size_t nxfrom, capxfrom;
};

int il__run_init(struct run *r, struct il_match *m, const struct il_match_query *q,
		 struct il_arena *arena);
/* A record through the run's cache; *out NULL when it does not exist.  The
 * pointer is valid until the next call; its strings until the run ends. */
int il__run_record(struct run *r, enum il_kind kind, const char *id, const struct il_record **out);
/* Cuts the query of a long source to its cfg.query_terms most telling
 * concepts (select.c).  IL_ENOMEM, an analyzer error. */
int il__run_select(struct run *r);
/* The source's chain links and industry codes (score.c). */
int il__run_source_links(struct run *r);
/* The feedback the source got (score.c). */
int il__run_feedback(struct run *r);
/* Scores a candidate: value[] and score (score.c). */
int il__run_score(struct run *r, struct cand *c);
/* The glossary translations of the query's terms (explain.c). */
int il__run_terms(struct run *r);
void il__run_release_terms(struct run *r);
/* A candidate as a result with its reasons (explain.c). */
int il__run_result(struct run *r, const struct cand *c, size_t rank, struct il_match_result *out);

#endif
