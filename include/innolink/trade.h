/*
 * innolink/trade.h - from match to deal: the docking pipeline of demands,
 * technology contracts (deals), freshness of listings and the closed-loop
 * figures.
 *
 * Demands move through the docking pipeline (demand.status):
 *
 *   new -> assigned -> docking -> agreed -> success
 *     \________\__________\_________\____-> abandoned
 *
 * "assigned" names a broker (a city operator or a service agency);
 * "docking" means the matched parties were contacted, and the first move
 * into it is the demand's first response.  A clock (il_trade_docking_tick)
 * escalates a demand with no response after `respond_days` to its city
 * operator and abandons one with no progress for `abandon_days` unless it
 * was renewed.  Both sides rate a closed docking from 1 to 5.
 *
 * Deals move through (deal.state):
 *
 *   intent -> negotiation -> signed -> registered -> performance -> completed
 *   any open state -> terminated
 *
 * Every state change goes through the store, so it is versioned and lands in
 * the hash-chained audit log (store.h) in the same transaction; a change
 * made against an older version than the stored one is refused with
 * IL_EPRECOND, so of two people changing one deal at once one wins; a move
 * the state machine lacks is IL_ECONFLICT.
 *
 * Functions that produce JSON append one object to a caller's il_buf, for
 * the CLI and the HTTP API alike.  Times come from il_time_now(), which
 * INNOLINK_NOW pins for tests.
 *
 * Depends on: base, model, store, io.
 */
#ifndef INNOLINK_TRADE_H
#define INNOLINK_TRADE_H

#include "base.h"
#include "io.h"
#include "model.h"
#include "store.h"

/* ---- state machines ---- */

enum il_deal_state {
	IL_DEAL_INTENT,
	IL_DEAL_NEGOTIATION,
	IL_DEAL_SIGNED,
	IL_DEAL_REGISTERED,
	IL_DEAL_PERFORMANCE,
	IL_DEAL_COMPLETED,
	IL_DEAL_TERMINATED,
	IL_DEAL__COUNT
};

enum il_docking_state {
	IL_DOCK_NEW,
	IL_DOCK_ASSIGNED,
	IL_DOCK_DOCKING,
	IL_DOCK_AGREED,
	IL_DOCK_SUCCESS,
	IL_DOCK_ABANDONED,
	IL_DOCK__COUNT
};

/* Codes as stored ("intent", "in docking" is "docking"); static strings. */
const char *il_trade_deal_state_code(enum il_deal_state st);
const char *il_trade_docking_state_code(enum il_docking_state st);
/* Parses a code, or its English or Chinese label.  IL_EINVAL naming the
 * value and the valid codes. */
int il_trade_deal_state_parse(const char *text, enum il_deal_state *out);
int il_trade_docking_state_parse(const char *text, enum il_docking_state *out);

/* Whether the machine has the transition from -> to. */
bool il_trade_deal_can_move(enum il_deal_state from, enum il_deal_state to);
bool il_trade_docking_can_move(enum il_docking_state from, enum il_docking_state to);

/* ---- deals ---- */

/*
 * Stores a new deal in state "intent" (an id is made when deal->id is
 * NULL).  Validates the type and, for a licence, the licence kind.
 * IL_EINVAL, IL_ENOTFOUND (a party or reference names nothing), IL_ECONFLICT
 * (the id exists), IL_ESTORE, IL_ENOMEM.
 */
int il_trade_deal_new(struct il_store *s, struct il_record *deal, const char *actor);

/*
 * Moves deal `id` to state `to` in one transaction.  `expected_version` is
 * the version the caller saw (0: whatever is stored); another version is
 * refused with IL_EPRECOND naming both.  A transition the machine lacks is
 * refused with IL_ECONFLICT naming the current state and the allowed ones.
 * Moving to "signed" or "registered" fills the signed / registered date with
 * today when empty.  *out (may be NULL) receives the stored deal; caller
 * releases it.  IL_ENOTFOUND, IL_EINVAL, IL_ECONFLICT, IL_EPRECOND, IL_ESTORE,
 * IL_ENOMEM.
 */
int il_trade_deal_move(struct il_store *s, const char *id, enum il_deal_state to,
		       int64_t expected_version, const char *actor, struct il_record *out);

/*
 * Payment milestones are part of the deal (its "milestones" field, a JSON
 * array of {"title", "due", "amount", "paid"}), so each change is a new,
 * audited version of the deal.  Adds one (amount in 10,000 units and due
 * YYYY-MM-DD optional); `expected_version` as for moves.  IL_ENOTFOUND,
 * IL_EINVAL (no title, bad date or amount, milestones not a JSON array),
 * IL_EPRECOND, IL_ESTORE, IL_ENOMEM.
 */
int il_trade_milestone_add(struct il_store *s, const char *deal, const char *title, const char *due,
			   const char *amount, int64_t expected_version, const char *actor);
/* Marks milestone n (1-based) paid on `date` (YYYY-MM-DD; NULL: today).
 * IL_EINVAL (no such milestone, bad date) and as above. */
int il_trade_milestone_paid(struct il_store *s, const char *deal, size_t n, const char *date,
			    int64_t expected_version, const char *actor);

/* One payment milestone; strings borrowed for the callback (NULL: empty). */
struct il_trade_milestone {
	size_t n; /* 1-based */
	const char *title, *due, *paid;
	double amount;
	bool has_amount;
};

/* Calls fn for each milestone of a deal record in order; a non-zero return
 * stops the walk and is returned.  IL_EINVAL (not a JSON array), IL_ENOMEM. */
int il_trade_milestones_each(const struct il_record *deal,
			     int (*fn)(const struct il_trade_milestone *m, void *ctx), void *ctx);

/* Appends {"deal": record, "allowed": [next states], "milestones": [...],
 * "audit": [entries]}.  IL_ENOTFOUND, IL_ESTORE, IL_ENOMEM. */
int il_trade_deal_json(struct il_store *s, const char *id, struct il_buf *out);

/*
 * The registration columns (docs/trade.md): what a technology-contract
 * registration office asks for.  `n` receives the count; the array is
 * static.  Each has an English name and a Chinese header.
 */
struct il_trade_column {
	const char *name;
	const char *zh;
};
const struct il_trade_column *il_trade_registration_columns(size_t *n);

/*
 * Writes every deal that was signed (signed, registered, in performance,
 * completed) as one row of the registration columns to `path` in `fmt`
 * (CSV or XLSX; `zh` picks Chinese headers).  *rows (may be NULL) receives
 * the number of deals written.  IL_EIO, IL_EENCODING, IL_ESTORE, IL_ENOMEM.
 */
int il_trade_registration_export(struct il_store *s, const char *path, enum il_format fmt, bool zh,
				 size_t *rows);

/*
 * The rule of a generic write (the API's create, replace and patch) for the
 * fields the state machines own, a deal's "state" and a demand's docking
 * "status": they change only by moves.  `old` is the stored record (NULL
 * for a new one).  A new record may only start in the first state; a
 * change that leaves the field out keeps the stored value; a different
 * value is refused.  Imports are not held to it: a sheet may carry the
 * history of deals made elsewhere.  IL_EINVAL (a new record not in its
 * first state), IL_ECONFLICT (a changed state), IL_ENOMEM.
 */
int il_trade_keep_workflow(const struct il_record *old, struct il_record *r);

/* ---- the docking pipeline ---- */

/*
 * Moves demand `id` to state `to`, recording the step (who, when, note) in
 * its docking history.  Moving to "assigned" needs `broker` (the id of the
 * organization or the operator who brokers it) and notifies the broker; the
 * first move to "docking" is the first response; closing notifies the
 * owner.  `expected_version` as for deals.  IL_ENOTFOUND, IL_ECONFLICT (no
 * such transition: the detail names the current state and the allowed
 * ones), IL_EINVAL ("assigned" without a broker), IL_EPRECOND, IL_ESTORE,
 * IL_ENOMEM.
 */
int il_trade_docking_move(struct il_store *s, const char *id, enum il_docking_state to,
			  const char *broker, const char *note, int64_t expected_version,
			  const char *actor);

/* How long the clock waits, in days: 10 and 30 by default. */
struct il_trade_clock {
	int respond_days; /* no response by then: escalated to the city operator */
	int abandon_days; /* no progress (or renewal) by then: abandoned */
};

void il_trade_clock_init(struct il_trade_clock *c);

struct il_trade_tick {
	size_t escalated, abandoned;
};

/*
 * Runs the clock at the current time (il_time_now_unix, INNOLINK_NOW) over
 * every open demand, in one transaction: escalates each with no response
 * for clock->respond_days (once; a notification to "city:CODE" of its city),
 * and abandons each with no progress for clock->abandon_days.  Idempotent
 * at a given time.  IL_EINVAL (a period below 1), IL_ESTORE, IL_ENOMEM.
 */
int il_trade_docking_tick(struct il_store *s, const struct il_trade_clock *clock,
			  struct il_trade_tick *out);

/* Re-confirms an open demand: its clock of no progress starts again.
 * IL_ENOTFOUND, IL_EINVAL (closed), IL_ESTORE. */
int il_trade_docking_renew(struct il_store *s, const char *id, const char *actor);

/*
 * Records the rating of a closed docking by one side ("demand" or
 * "supply"): score 1-5 and a comment; rating again replaces it.
 * IL_ENOTFOUND, IL_EINVAL (not closed, bad side or score), IL_ESTORE.
 */
int il_trade_rate(struct il_store *s, const char *demand, const char *side, int score,
		  const char *comment, const char *actor);

/* Appends {"demand", "state", "broker", "since", "first_response",
 * "escalated_at", "allowed", "steps": [...], "ratings": [...]}.
 * IL_ENOTFOUND, IL_ESTORE, IL_ENOMEM. */
int il_trade_docking_json(struct il_store *s, const char *id, struct il_buf *out);

/* Appends the notifications of `recipient` ("city:4210", an organization
 * id), newest first, as a JSON array; `unread` keeps only unread ones.
 * IL_ESTORE, IL_ENOMEM. */
int il_trade_notifications_json(struct il_store *s, const char *recipient, bool unread,
				struct il_buf *out);
/* Marks every notification of `recipient` read.  IL_ESTORE. */
int il_trade_notifications_read(struct il_store *s, const char *recipient);

/* ---- freshness ---- */

/* How long a listing stays live without an expiry date of its own. */
#define IL_TRADE_LISTING_DAYS 365

/*
 * Whether an achievement or demand is live on day `today` (YYYY-MM-DD):
 * with an "expires" date, until that day inclusive; without one, for
 * `period_days` after it was published (else stored), or always when
 * period_days is 0.  Records of other kinds are always live.  Search and
 * matching leave records that are not live out of their results; their
 * owners still see them.  Reads only the record: no store access.
 */
bool il_trade_is_live(const struct il_record *r, const char *today, int period_days);
/*
 * A listing published on the platform (an achievement or demand created
 * through the API) without an expiry date gets one: today + `days`.  It
 * then leaves search and matching on that day unless its owner renews it.
 * Other kinds, and a record that has a date, are left alone.  IL_EINVAL (a
 * period below 1), IL_ENOMEM.
 */
int il_trade_set_expiry(struct il_record *r, int days);

/* Re-confirms an achievement or demand: expires becomes today + days.
 * IL_ENOTFOUND, IL_EINVAL (other kinds, days < 1), IL_ESTORE, IL_ENOMEM. */
int il_trade_renew(struct il_store *s, enum il_kind kind, const char *id, int days,
		   const char *actor);

/* ---- closed-loop figures ---- */

/* What a row of the figures is: a year, a month, or a city (all periods). */
enum il_trade_by { IL_BY_YEAR, IL_BY_MONTH, IL_BY_CITY };

struct il_trade_scope {
	const char *region; /* a region and everything inside it; NULL: all */
	const char *chain; /* demands placed on this chain; NULL: all */
	enum il_trade_by by; /* rows per year, month or city */
	bool include_confidential; /* operators' view; counts otherwise leave
				      confidential demands and their deals out */
};

/*
 * Appends {"scope", "periods": [{"period", "demands", "docked",
 * "docking_rate", "succeeded", "median_response_days", "deals",
 * "deals_by_type": {...}, "turnover", "satisfaction", "ratings"}], "total":
 * {...}, "agencies": [{"broker", "demands", "responded",
 * "median_response_days"}]}.  A demand counts in the period of its
 * published date (else when it was stored); it is docked once it reached
 * "docking" or beyond; its response time runs from when it was stored to
 * its first move into "docking".  Deals count in the period they were
 * signed; turnover sums the amounts of signed deals.  With IL_BY_CITY the
 * rows are cities instead ({"region": code, "name", ...}): a demand or deal
 * counts in the city its region lies in ("other" when none).  IL_ESTORE,
 * IL_ENOMEM.
 */
int il_trade_figures_json(struct il_store *s, const struct il_trade_scope *scope,
			  struct il_buf *out);
/* The same periods as a table (one row per period and a total) in CSV or
 * XLSX.  IL_EIO, IL_ESTORE, IL_ENOMEM. */
int il_trade_figures_export(struct il_store *s, const struct il_trade_scope *scope,
			    const char *path, enum il_format fmt);
/* Each broker's response-time score as a table: broker, its name (an
 * organization's), demands assigned, answered, median days from assignment
 * to first response.  Errors as above. */
int il_trade_agencies_export(struct il_store *s, const struct il_trade_scope *scope,
			     const char *path, enum il_format fmt);

#endif
