/*
 * innolink/chain.h - industrial chains link by link, innovation resources
 * placed on their links, gap analytics, indicators and targets.
 *
 * A chain is a tree: chain -> segments (upstream, midstream, downstream) ->
 * links -> sub-links.  It is stored as records (a chain record and one link
 * record per link, versioned like every record) and written by people as a
 * definition file (data/chains/NAME.json, the format docs/chains.md gives):
 * il_chain_import reads one into the store, il_chain_export writes one back.
 *
 * Placement: every organization, person, achievement and demand is placed
 * on links by rule (its industry or IPC codes equal a link's), by the text
 * classifier (its text ranked against the links' profiles through the
 * index, with a calibrated confidence) and by hand.  Placements are
 * assignment records carrying their method and confidence; a record placed
 * by hand keeps exactly its manual placements, whatever a re-run finds.
 *
 * Gaps: for a region and a chain, each link's industrial strength
 * (enterprises, high-tech enterprises) and innovation strength
 * (laboratories, R&D institutions, experts, achievements, deals), each as
 * a ratio to the average of the region's peers (the regions with the same
 * parent), and the link's class.  docs/internals/chain.md gives the
 * weights and the thresholds.
 *
 * Every report is also written as JSON into an il_buf, in the shapes the
 * CLI's --json prints and the API serves.  Confidential demands are never
 * counted, listed or placed in what these functions report.
 *
 * Depends on: base, model, text, store, io, index.
 */
#ifndef INNOLINK_CHAIN_H
#define INNOLINK_CHAIN_H

#include "base.h"
#include "index.h"
#include "io.h"
#include "model.h"
#include "store.h"
#include "text.h"

/*
 * Reads a chain definition file and upserts its chain and link records,
 * in one transaction: a link's chain, segment, parent and position come
 * from where it stands in the tree.  `demo` marks the records as demo
 * data; `source` is their provenance (NULL: "chain:<file name>").
 * *st (may be NULL) counts rows, inserted, updated and unchanged.
 * IL_EIO, IL_EFORMAT (not JSON, or a member of the wrong type: the detail
 * names the file, line and member), IL_EINVAL (a bad value: the detail
 * names the link and field), IL_ENOTFOUND (an unknown region or
 * upstream_of link), IL_ESTORE, IL_ENOMEM.
 */
int il_chain_import(struct il_store *s, const char *path, bool demo, const char *source,
		    struct il_import_stats *st);

/* Appends chain `id` as a definition file (the format il_chain_import
 * reads) to `out`.  IL_ENOTFOUND, IL_ESTORE, IL_ENOMEM. */
int il_chain_export(struct il_store *s, const char *id, struct il_buf *out);

/*
 * Appends a JSON array of chains (only chain `id` when not NULL; only the
 * chains led by `region` or a region inside it when not NULL), each an
 * object with "id", "name_zh", "name_en", "region", "description" and
 * "links": every link in tree order with "id", "name_zh", "name_en",
 * "segment", "parent" (null for a top link), "position", "keywords",
 * "industry_codes", "sw_codes", "ipc", "products", "upstream_of" and, with
 * `counts`, "placed": how many records are placed on it (confidential
 * demands left out).  IL_ENOTFOUND (no such chain or region), IL_ESTORE,
 * IL_ENOMEM.
 */
int il_chain_list_json(struct il_store *s, const char *id, const char *region, bool counts,
		       struct il_buf *out);

/* One link a record could be placed on. */
struct il_chain_guess {
	const char *link; /* borrowed from the classifier */
	float score; /* the engine's BM25F score */
	double confidence; /* calibrated: the chance the link is right, 0..1 */
};

struct il_chain_classifier;

/*
 * A classifier over the links of the store's chains: one index document per
 * link (names; keywords and products; the chain's and the parent link's
 * names), searched with a record's text.  `text` is borrowed for the
 * classifier's life.  IL_ESTORE, IL_ENOMEM.
 */
int il_chain_classifier_open(const struct il_text *text, struct il_store *s,
			     struct il_chain_classifier **out);
/* A classifier with no links, for links added by il_chain_classifier_add
 * (benchmarks use it on other label sets).  IL_ENOMEM. */
int il_chain_classifier_new(const struct il_text *text, struct il_chain_classifier **out);
/* Adds a link record (copied) as a document.  IL_EINVAL, IL_ENOMEM. */
int il_chain_classifier_add(struct il_chain_classifier *c, const struct il_record *link,
			    const char *chain_name);
void il_chain_classifier_close(struct il_chain_classifier *c);

/*
 * Ranks the links for a record (any kind with searchable fields): up to k
 * guesses, best first, into `out` (room for k); *n gets how many.  The
 * confidence is a logistic function of the score and of its ratio to the
 * best score, fitted on held-out labelled data (bench/chain); see
 * docs/internals/chain.md.  Guesses borrow from the classifier until its
 * next change.  IL_ENOMEM.
 */
int il_chain_classify(struct il_chain_classifier *c, const struct il_record *r, size_t k,
		      struct il_chain_guess *out, size_t *n);
/* The same for free text (len bytes of UTF-8).  IL_EINVAL, IL_ENOMEM. */
int il_chain_classify_text(struct il_chain_classifier *c, const char *text, size_t len, size_t k,
			   struct il_chain_guess *out, size_t *n);

/* The calibrated confidence of a guess scoring `score` when the best one
 * scores `best`. */
double il_chain_confidence(double score, double best);

enum il_chain_change_what { IL_CHAIN_ADDED, IL_CHAIN_REMOVED, IL_CHAIN_UPDATED };

/* One placement that a run adds, removes or changes. */
struct il_chain_change {
	enum il_chain_change_what what;
	enum il_kind kind;
	const char *entity, *link; /* borrowed for the callback */
	const char *method; /* "rule", "classifier" (the new one for an update) */
	double confidence;
	double old_confidence; /* IL_CHAIN_UPDATED only */
};

struct il_chain_assign_opts {
	unsigned kinds; /* bit (1u << kind); 0: organization, person, achievement, demand */
	const char *id; /* only this record (with one kind in `kinds`), or NULL */
	int64_t since; /* only records changed after this change-log sequence; 0: all */
	double min_confidence; /* classifier guesses below are not placed; 0: 0.5 */
	size_t max_guesses; /* classifier placements per record; 0: 2 */
	bool dry_run; /* report what would change, write nothing */
	const char *source; /* provenance of the writes; NULL: "chain:assign" */
	/* Called for each change (may be NULL). */
	void (*change)(const struct il_chain_change *c, void *ctx);
	void (*progress)(double fraction, size_t rows, void *ctx);
	void *ctx;
};

struct il_chain_assign_stats {
	size_t records; /* records looked at */
	size_t manual; /* of them, placed by hand: left as they are */
	size_t added, removed, updated, unchanged; /* automatic placements */
};

/*
 * Places records on links: rule placements (confidence 1) for every link
 * whose GB/T or Shenwan industry codes include one of the record's
 * industry codes, or whose IPC subclasses start one of an achievement's
 * IPC classes; then the classifier's best guesses (at most max_guesses,
 * each at least min_confidence) on links no rule chose.  The automatic
 * placements a record had are replaced by what this run finds, and each
 * difference is reported; a record with a manual placement keeps its
 * placements untouched.  Confidential demands are placed too (their
 * placements stay hidden with them).  One transaction.  IL_ESTORE,
 * IL_ENOMEM, and the classifier's errors.
 */
int il_chain_assign(struct il_store *s, const struct il_text *text,
		    const struct il_chain_assign_opts *o, struct il_chain_assign_stats *st);

/*
 * Places a record on a link by hand (method "manual", confidence 1), which
 * from then on wins over rule and classifier: the record's automatic
 * placements are removed.  `remove` takes the manual placement away again
 * (IL_ENOTFOUND if there is none); the next il_chain_assign then places the
 * record automatically.  IL_ENOTFOUND (no such record or link), IL_EINVAL,
 * IL_ESTORE, IL_ENOMEM.
 */
int il_chain_place(struct il_store *s, enum il_kind kind, const char *id, const char *link,
		   bool remove, const char *source);

enum il_chain_class {
	IL_CHAIN_STRONG, /* industry and innovation both at least the peers' average */
	IL_CHAIN_INDUSTRY_ONLY, /* industry without innovation support: deploy innovation */
	IL_CHAIN_INNOVATION_ONLY, /* innovation without local industry: attract investment */
	IL_CHAIN_WEAK, /* both below */
};

/* "strong", "industry_only", "innovation_only", "weak". */
const char *il_chain_class_name(enum il_chain_class c);

/* What a region holds on one link (its sub-links included). */
struct il_chain_counts {
	size_t enterprises, high_tech; /* industry */
	size_t labs, institutions, experts, achievements, deals; /* innovation */
	double industry, innovation; /* weighted sums (docs/internals/chain.md) */
};

struct il_chain_gap {
	const struct il_record *link; /* borrowed from the report */
	struct il_chain_counts here;
	double peer_industry, peer_innovation; /* the peers' average weighted sums */
	double industry, innovation; /* here / peer average; 0 when both are 0 */
	enum il_chain_class cls;
};

struct il_chain_gaps {
	char *region; /* the region asked about */
	size_t npeers; /* regions compared (the region itself included) */
	struct il_record *links; /* the chains' links, tree order */
	struct il_chain_gap *gaps; /* one per link */
	size_t n;
};

/*
 * Computes the gaps of `region` (with its sub-regions) on every link of
 * chain `chain` (NULL: every chain).  A top link's counts include those of
 * its sub-links.  Release with il_chain_gaps_release.  IL_ENOTFOUND (no such
 * region or chain), IL_ESTORE, IL_ENOMEM.
 */
int il_chain_gaps(struct il_store *s, const char *region, const char *chain,
		  struct il_chain_gaps *out);
void il_chain_gaps_release(struct il_chain_gaps *g);
/* Appends the gaps as a JSON array, one object per link in tree order:
 * {"link", "chain", "name_zh", "name_en", "segment", "parent", "region",
 * "peers", "industry": {"enterprises", "high_tech_enterprises",
 * "output_value", "score", "peer_average", "strength"}, "innovation":
 * {"laboratories", "rnd_institutions", "experts", "achievements", "deals",
 * "score", "peer_average", "strength"}, "industrial_strength",
 * "innovation_strength" (the two strengths again), "class"}.  IL_ENOMEM. */
int il_chain_gaps_json(const struct il_chain_gaps *g, struct il_buf *out);

/*
 * What would fill link `link` for `region`, as one JSON object: the link's
 * entry as in il_chain_gaps_json, "lacks" (the
 * measures where the region is below its peers' average), and the lists
 * "local_enterprises", "experts", "laboratories", "achievements" (the best
 * anywhere, best first) and "enterprises_to_attract" (outside the region),
 * at most `limit` each (0: 10).  IL_ENOTFOUND, IL_ESTORE, IL_ENOMEM.
 */
int il_chain_link_report_json(struct il_store *s, const char *region, const char *link,
			      size_t limit, struct il_buf *out);

/*
 * Appends a JSON array of a region's indicator series (the region and its
 * sub-regions; every region when NULL), each {"region", "name", "label_zh",
 * "label_en", "unit", "chain", "points": [{"period", "value", "target",
 * "source"}]}, periods in order.  With `computed`, the figures the
 * platform's own records give are added as series whose points have
 * "source": "computed": deals_signed, contract_turnover (10,000 CNY) and
 * docking_rate (% of public demands in docking or beyond), per year.
 * `name` (may be NULL) keeps one indicator.  IL_ENOTFOUND (no such region),
 * IL_ESTORE, IL_ENOMEM.
 */
int il_indicator_series_json(struct il_store *s, const char *region, const char *name,
			     bool computed, struct il_buf *out);

/*
 * Appends a JSON array of the targets set for a region (and its
 * sub-regions; all when NULL): {"region", "name", "label_zh", "label_en",
 * "unit", "target", "target_period", "base", "base_period", "latest",
 * "latest_period", "progress"}: progress is (latest - base) / (target -
 * base) when a base below the target is known, latest / target otherwise,
 * null without a figure.  IL_ENOTFOUND, IL_ESTORE, IL_ENOMEM.
 */
int il_indicator_targets_json(struct il_store *s, const char *region, struct il_buf *out);

#endif
