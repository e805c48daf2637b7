/*
 * audit.c - the hash-chained audit log of demands, deals and placements.
 *
 * Every insert, update and delete of a demand, a deal or an assignment
 * appends one entry to audit_log in the transaction of the change (the hook
 * is log_change() in store.c, which every write passes through):
 *
 *   digest = BLAKE2b-256(the record's values as JSON, without metadata)
 *            (for a delete: of the deleted version as the history keeps it)
 *   hash   = BLAKE2b-256(prev "\n" seq "\n" at "\n" kind "\n" id "\n" op
 *                        "\n" version "\n" actor "\n" digest)
 *
 * where prev is the hash of entry seq-1 (64 zeros for entry 1).  The hash of
 * the last entry is also kept as schema_meta 'audit_head', so removing
 * entries from the end is seen too.  Editing any field of an entry changes
 * its hash; deleting one leaves a gap in seq and a prev that no longer
 * matches; editing the record itself makes it differ from the digest of its
 * last entry.  il_store_audit_verify() checks all three and names the first
 * entry where the chain breaks.
 *
 * Depends on: the driver interface through il_store_sql (sql.c), libsodium.
 */
#include "store_internal.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BYTES 32
#define HASH_HEX (HASH_BYTES * 2 + 1)
#define STOP (-1) /* a walk callback found the break: not an error */

static const char genesis[HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static bool audited(enum il_kind kind)
{
	return kind == IL_KIND_DEMAND || kind == IL_KIND_DEAL || kind == IL_KIND_ASSIGNMENT;
}

static void hash_hex(const void *data, size_t len, char out[HASH_HEX])
{
	unsigned char h[HASH_BYTES];
	crypto_generichash(h, sizeof(h), data, len, NULL, 0);
	sodium_bin2hex(out, HASH_HEX, h, sizeof(h));
}

/* One entry as it is hashed and stored. */
struct entry {
	int64_t seq;
	const char *at, *kind, *id, *op, *actor, *digest, *prev, *hash;
	int64_t version;
};

static int entry_hash(const struct entry *e, char out[HASH_HEX])
{
	struct il_buf b = IL_BUF_INIT;
	int rc = il_buf_addf(&b, "%s\n%lld\n%s\n%s\n%s\n%s\n%lld\n%s\n%s", e->prev,
			     (long long)e->seq, e->at, e->kind, e->id, e->op, (long long)e->version,
			     e->actor ? e->actor : "", e->digest);
	if (!rc)
		hash_hex(il_buf_cstr(&b), b.len, out);
	il_buf_release(&b);
	return rc;
}

static int record_digest(const struct il_record *r, char out[HASH_HEX])
{
	struct il_buf json = IL_BUF_INIT;
	int rc = il_record_to_json(r, 0, NULL, &json);
	if (!rc)
		hash_hex(il_buf_cstr(&json), json.len, out);
	il_buf_release(&json);
	return rc;
}

/* The last entry: its seq and hash, or 0 and the genesis hash. */
struct last {
	int64_t seq;
	char hash[HASH_HEX];
};

static int read_last(const char *const *cols, void *ctx)
{
	struct last *l = ctx;
	l->seq = strtoll(cols[0], NULL, 10);
	snprintf(l->hash, sizeof(l->hash), "%s", cols[1] ? cols[1] : "");
	return IL_OK;
}

/* What a delete removed: the version and its JSON from the history. */
struct deleted {
	int64_t version;
	char digest[HASH_HEX];
	char *actor;
};

static int read_deleted(const char *const *cols, void *ctx)
{
	struct deleted *d = ctx;
	d->version = strtoll(cols[0], NULL, 10);
	hash_hex(cols[1], strlen(cols[1]), d->digest);
	d->actor = il_strdup(cols[2] ? cols[2] : "");
	return d->actor ? IL_OK : IL_ENOMEM;
}

static int append(struct il_store *s, struct entry *e)
{
	static const char sql_last[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
	static const char sql_insert[] =
		"INSERT INTO audit_log(seq, at, kind, id, op, version, actor, digest, prev, hash) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char sql_head[] =
		"INSERT INTO schema_meta(key, value) VALUES ('audit_head', ?) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	struct last last = {0, ""};
	char now[21], seq[24], version[24], hash[HASH_HEX], head[HASH_HEX + 24];
	memcpy(last.hash, genesis, sizeof(genesis));
	int rc = il__store_sql_static(s, sql_last, NULL, 0, 2, read_last, &last);
	if (rc)
		return rc;
	il_time_now(now);
	e->seq = last.seq + 1;
	e->at = now;
	e->prev = last.hash;
	if ((rc = entry_hash(e, hash)) != 0)
		return rc;
	snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
	snprintf(version, sizeof(version), "%lld", (long long)e->version);
	const char *params[] = {seq, now, e->actor, e->digest, e->prev, hash};
	const char *row[] = {params[0], params[1], e->kind,   e->id,     e->op,
			     version,   params[2], params[3], params[4], params[5]};
	rc = il__store_sql_static(s, sql_insert, row, 10, 0, NULL, NULL);
	snprintf(head, sizeof(head), "%lld %s", (long long)e->seq, hash);
	const char *hp[] = {head};
	if (!rc)
		rc = il__store_sql_static(s, sql_head, hp, 1, 0, NULL, NULL);
	return rc;
}

static int audit_put(struct il_store *s, enum il_kind kind, const char *id)
{
	struct il_record r;
	char digest[HASH_HEX];
	int rc = il_store_get(s, kind, id, &r);
	if (rc)
		return rc;
	rc = record_digest(&r, digest);
	struct entry e = {.kind = il_kind_info(kind)->name,
			  .id = id,
			  .op = r.version == 1 ? "create" : "update",
			  .actor = r.source,
			  .digest = digest,
			  .version = r.version};
	if (!rc)
		rc = append(s, &e);
	il_record_release(&r);
	return rc;
}

static int audit_delete(struct il_store *s, enum il_kind kind, const char *id)
{
	static const char sql[] =
		"SELECT version, data, recorded_by FROM history "
		"WHERE kind = ? AND id = ? AND deleted = 1 ORDER BY pk DESC LIMIT 1";
	const char *name = il_kind_info(kind)->name;
	const char *params[] = {name, id};
	struct deleted d = {0, "", NULL};
	int rc = il_store_sql(s, sql, params, 2, 3, read_deleted, &d);
	if (!rc && !d.actor)
		rc = il_error_set(IL_ESTORE, "%s '%s': deleted without a history row", name, id);
	struct entry e = {.kind = name,
			  .id = id,
			  .op = "delete",
			  .actor = d.actor,
			  .digest = d.digest,
			  .version = d.version};
	if (!rc)
		rc = append(s, &e);
	free(d.actor);
	return rc;
}

int il__store_audit(struct il_store *s, enum il_kind kind, const char *id, bool deleted)
{
	if (!audited(kind))
		return IL_OK;
	return deleted ? audit_delete(s, kind, id) : audit_put(s, kind, id);
}

/* ---- the baseline of migration 6 ---- */

struct ids {
	char **v;
	size_t n, cap;
};

static int collect_id(const char *const *cols, void *ctx)
{
	struct ids *ids = ctx;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 64;
		char **grown = il_realloc(ids->v, cap * sizeof(*grown));
		if (!grown)
			return IL_ENOMEM;
		ids->v = grown;
		ids->cap = cap;
	}
	if (!(ids->v[ids->n] = il_strdup(cols[0])))
		return IL_ENOMEM;
	ids->n++;
	return IL_OK;
}

/* Records stored before the log existed each get an entry, so the log
 * covers every demand, deal and placement from the migration on. */
int il__store_audit_baseline(struct il_store *s)
{
	static const enum il_kind kinds[] = {IL_KIND_DEMAND, IL_KIND_DEAL, IL_KIND_ASSIGNMENT};
	int rc = IL_OK;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && !rc; k++) {
		char sql[96];
		struct ids ids = {NULL, 0, 0};
		snprintf(sql, sizeof(sql), "SELECT id FROM \"%s\" ORDER BY pk",
			 il_kind_info(kinds[k])->name);
		rc = il_store_sql(s, sql, NULL, 0, 1, collect_id, &ids);
		for (size_t i = 0; i < ids.n && !rc; i++)
			rc = audit_put(s, kinds[k], ids.v[i]);
		for (size_t i = 0; i < ids.n; i++)
			free(ids.v[i]);
		free(ids.v);
	}
	return rc;
}

/* ---- verification ---- */

struct verify {
	struct il_store *s;
	struct il_audit_report *out;
	char prev[HASH_HEX];
	int64_t expect;
};

static int broken(struct il_audit_report *out, int64_t seq, const char *fmt, ...) IL_PRINTF(3, 4);

static int broken(struct il_audit_report *out, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	out->broken = seq;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
	return STOP;
}

static int check_entry(const char *const *cols, void *ctx)
{
	struct verify *v = ctx;
	char hash[HASH_HEX];
	struct entry e = {.seq = strtoll(cols[0], NULL, 10),
			  .at = cols[1] ? cols[1] : "",
			  .kind = cols[2] ? cols[2] : "",
			  .id = cols[3] ? cols[3] : "",
			  .op = cols[4] ? cols[4] : "",
			  .version = cols[5] ? strtoll(cols[5], NULL, 10) : 0,
			  .actor = cols[6],
			  .digest = cols[7] ? cols[7] : "",
			  .prev = cols[8] ? cols[8] : "",
			  .hash = cols[9] ? cols[9] : ""};
	v->out->entries++;
	if (e.seq != v->expect)
		return broken(v->out, v->expect,
			      "entry %lld is missing: the log goes from entry %lld to entry %lld",
			      (long long)v->expect, (long long)v->expect - 1, (long long)e.seq);
	if (strcmp(e.prev, v->prev) != 0)
		return broken(v->out, e.seq,
			      "entry %lld does not follow entry %lld: its previous hash differs",
			      (long long)e.seq, (long long)e.seq - 1);
	if (entry_hash(&e, hash))
		return IL_ENOMEM;
	if (strcmp(hash, e.hash) != 0)
		return broken(
			v->out, e.seq,
			"entry %lld (%s %s %s) was edited: its content does not give its hash",
			(long long)e.seq, e.op, e.kind, e.id);
	memcpy(v->prev, hash, sizeof(hash));
	v->expect++;
	return IL_OK;
}

static int read_head(const char *const *cols, void *ctx)
{
	snprintf(ctx, HASH_HEX + 24, "%s", cols[0] ? cols[0] : "");
	return IL_OK;
}

static int check_head(struct verify *v)
{
	char head[HASH_HEX + 24] = "", want[HASH_HEX + 24];
	int rc = il_store_sql(v->s, "SELECT value FROM schema_meta WHERE key = 'audit_head'", NULL,
			      0, 1, read_head, head);
	if (rc)
		return rc;
	int64_t last = v->expect - 1;
	if (last == 0 && !head[0])
		return IL_OK;
	snprintf(want, sizeof(want), "%lld %s", (long long)last, v->prev);
	if (strcmp(head, want) == 0)
		return IL_OK;
	long long head_seq = strtoll(head, NULL, 10);
	if (head_seq > last)
		return broken(v->out, last + 1, "entry %lld is missing: the log ends at entry %lld",
			      (long long)last + 1, (long long)last);
	return broken(v->out, last ? last : 1,
		      "entry %lld is not the recorded head of the log (%s)", (long long)last,
		      head[0] ? head : "none");
}

/* The last entry of each record must describe the record as stored. */
static int check_record(const char *const *cols, void *ctx)
{
	struct verify *v = ctx;
	enum il_kind kind;
	struct il_record r;
	char digest[HASH_HEX];
	long long seq = strtoll(cols[0], NULL, 10);
	const char *op = cols[3] ? cols[3] : "";
	if (il_kind_parse(cols[1] ? cols[1] : "", &kind))
		return broken(v->out, seq, "entry %lld names no kind ('%s')", seq, cols[1]);
	int rc = il_store_get(v->s, kind, cols[2] ? cols[2] : "", &r);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		if (strcmp(op, "delete") == 0)
			return IL_OK;
		return broken(v->out, seq, "%s '%s' was removed without an entry after entry %lld",
			      cols[1], cols[2], seq);
	}
	if (rc)
		return rc;
	rc = record_digest(&r, digest);
	if (!rc && strcmp(op, "delete") == 0)
		rc = broken(v->out, seq, "%s '%s' exists again after its deletion in entry %lld",
			    cols[1], cols[2], seq);
	else if (!rc && (r.version != strtoll(cols[4] ? cols[4] : "0", NULL, 10) ||
			 strcmp(digest, cols[5] ? cols[5] : "") != 0))
		rc = broken(v->out, seq,
			    "%s '%s' (version %lld) differs from what entry %lld recorded "
			    "(version %s): it was changed outside innolink",
			    cols[1], cols[2], (long long)r.version, seq, cols[4] ? cols[4] : "?");
	il_record_release(&r);
	return rc;
}

static int check_unlogged(const char *const *cols, void *ctx)
{
	struct verify *v = ctx;
	return broken(v->out, v->expect,
		      "%s '%s' has no audit entry: it was written outside innolink", cols[0],
		      cols[1]);
}

static int check_records(struct verify *v)
{
	static const char sql_last[] =
		"SELECT a.seq, a.kind, a.id, a.op, a.version, a.digest FROM audit_log a "
		"WHERE a.seq = (SELECT max(b.seq) FROM audit_log b WHERE b.kind = a.kind "
		"AND b.id = a.id) ORDER BY a.seq";
	static const char *const sql_unlogged[] = {
		"SELECT 'demand', id FROM demand WHERE id NOT IN "
		"(SELECT id FROM audit_log WHERE kind = 'demand') ORDER BY pk LIMIT 1",
		"SELECT 'deal', id FROM deal WHERE id NOT IN "
		"(SELECT id FROM audit_log WHERE kind = 'deal') ORDER BY pk LIMIT 1",
		"SELECT 'assignment', id FROM assignment WHERE id NOT IN "
		"(SELECT id FROM audit_log WHERE kind = 'assignment') ORDER BY pk LIMIT 1",
	};
	int rc = il_store_sql(v->s, sql_last, NULL, 0, 6, check_record, v);
	for (size_t i = 0; i < 3 && !rc; i++)
		rc = il_store_sql(v->s, sql_unlogged[i], NULL, 0, 2, check_unlogged, v);
	return rc;
}

int il_store_audit_verify(struct il_store *s, struct il_audit_report *out)
{
	static const char sql[] =
		"SELECT seq, at, kind, id, op, version, actor, digest, prev, hash "
		"FROM audit_log ORDER BY seq";
	struct verify v = {s, out, "", 1};
	memset(out, 0, sizeof(*out));
	memcpy(v.prev, genesis, sizeof(genesis));
	int rc = il_store_sql(s, sql, NULL, 0, 10, check_entry, &v);
	if (!rc)
		rc = check_head(&v);
	if (!rc)
		rc = check_records(&v);
	memcpy(out->head, v.prev, sizeof(out->head));
	return rc == STOP ? IL_OK : rc;
}
