/*
 * trade_internal.h - what the files of src/trade share: time arithmetic on
 * the store's timestamps, state-name tables, notifications and the
 * transaction wrapper.
 */
#ifndef IL_TRADE_INTERNAL_H
#define IL_TRADE_INTERNAL_H

#include <innolink/trade.h>

#define IL__DAY 86400

/* Seconds since the epoch of "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ".
 * IL_EINVAL for anything else. */
int il__trade_time(const char *text, int64_t *out);
/* Today (UTC, INNOLINK_NOW honoured) as YYYY-MM-DD. */
void il__trade_today(char out[11]);
/* The day `days` after today as YYYY-MM-DD. */
void il__trade_day_after(int days, char out[11]);

/* Parses a code or label of one of the enum fields `field` of `kind` among
 * `codes` (count n); *out is its index.  IL_EINVAL naming what is valid. */
int il__trade_state_parse(enum il_kind kind, const char *field, const char *const *codes, size_t n,
			  const char *text, size_t *out);
/* Appends "a, b or c" of the codes whose bit is set in `mask`, or "none". */
int il__trade_join_codes(struct il_buf *b, const char *const *codes, size_t n, unsigned mask);
/* IL_ECONFLICT for a move from state `from` to `to` that the machine lacks,
 * naming r, its state and the states it can move to (`next`, a mask). */
int il__trade_refuse(const struct il_record *r, const char *const *codes, size_t n, unsigned next,
		     unsigned from, unsigned to);
/* Appends a JSON array of the codes whose bit is set. */
int il__trade_json_codes(struct il_buf *b, const char *const *codes, size_t n, unsigned mask);

/* The city `region` lies in (itself when it is one): its id and Chinese
 * name, or empty strings when there is none.  IL_ESTORE, IL_ENOMEM. */
int il__trade_city(struct il_store *s, const char *region, char *id, size_t id_size, char *name,
		   size_t name_size);

/* Sets a field by name on a record (canonical form checked). */
int il__trade_set(struct il_record *r, const char *name, const char *value);

/* Adds a notification in the open transaction.  IL_ESTORE. */
int il__trade_notify(struct il_store *s, const char *recipient, const char *topic,
		     const char *subject, const char *zh, const char *en);

/* Stores a record loaded in this transaction, only over the version it was
 * loaded at: another writer's version in between (another process, on
 * PostgreSQL) is IL_EPRECOND, as il__trade_check_version reports one. */
int il__trade_put(struct il_store *s, struct il_record *r, const char *actor);
/* Runs fn(s, ctx) inside one transaction, rolled back when it fails. */
int il__trade_tx(struct il_store *s, int (*fn)(struct il_store *s, void *ctx), void *ctx);

/* Loads a record with a message that names the kind and id when missing. */
int il__trade_load(struct il_store *s, enum il_kind kind, const char *id, struct il_record *out);

/* IL_EPRECOND naming both versions unless expected is 0 or r's version. */
int il__trade_check_version(const struct il_record *r, int64_t expected);

/* Appends the result rows of `sql` as a JSON array of objects with keys
 * names[0..ncols); a column whose name starts with '#' is a number. */
int il__trade_json_rows(struct il_store *s, struct il_buf *out, const char *sql,
			const char *const *params, size_t nparams, const char *const *names,
			size_t ncols);

#endif
