/*
 * pg.c - the PostgreSQL driver, over libpq: the back end for several
 * servers on one database.
 *
 * The store's SQL is SQLite's dialect restricted to what both engines
 * share; this driver rewrites the few remaining differences token by token
 * (docs/internals/store.md lists them): '?' becomes $n, INTEGER PRIMARY KEY
 * an identity column, INTEGER BIGINT, REAL DOUBLE PRECISION, BLOB BYTEA,
 * LIKE ILIKE (SQLite's LIKE ignores case), instr() strpos(), BEGIN
 * IMMEDIATE plain BEGIN, and every REFERENCES clause becomes DEFERRABLE
 * (still checked per statement, but a copy can defer the checks to commit).
 * String literals, quoted identifiers, comments and dollar-quoted bodies
 * are copied as they are.
 *
 * Statements: a statement runs unnamed (PQexecParams, one round trip) the
 * first time; a statement object run a second time is prepared on its
 * connection under a name, and every later handle on that connection that
 * prepares the same text finds it there, so cached statements cost one
 * parse per connection, not per handle.  Parameter types come from the
 * binding calls (text, int8, float8), so PostgreSQL never has to guess.
 * Results are read whole: the store runs queries while walking the rows of
 * another (migration 2, merges), which one libpq connection cannot do with
 * a result still streaming.
 *
 * Connections: a process keeps a pool of idle connections per connection
 * string (the server opens one store per worker thread, the CLI one per
 * command), so closing a store returns its connection, prepared statements
 * and all.  A connection found broken (the server restarted, a network cut)
 * is reset before the next statement; a statement that fails because the
 * connection broke is run again once on the new connection unless a
 * transaction was open, in which case the transaction is lost and the
 * caller gets IL_EIO.
 *
 * Errors: SQLSTATE class 23 (unique, foreign key, check) is IL_ECONFLICT;
 * serialization failures, deadlocks and lock timeouts are IL_EBUSY; a lost
 * connection is IL_EIO; the rest IL_ESTORE with the server's message.
 *
 * Depends on: base, libpq.
 */
#include "store_internal.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* type oids of pg_type.h, which libpq-dev does not install */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

#define POOL_IDLE_MAX 32 /* idle connections kept per process */
#define PREPARED_MAX 512 /* statements prepared per connection */
#define NOTIFY_CHANNEL "innolink_changes"

struct pg_conn {
	PGconn *h;
	char *conninfo;
	struct il_strmap prepared; /* rewritten SQL -> number of its prepared name */
	int64_t nprepared;
	bool readonly; /* default_transaction_read_only is on */
	struct pg_conn *next; /* in the idle pool */
};

struct il__db {
	struct pg_conn *c;
	bool listening;
	bool constraint; /* the last error was a constraint violation */
	int64_t changes;
};

struct il__stmt {
	struct il__db *db;
	char *sql; /* rewritten */
	int nparams;
	char **values; /* NULL: SQL NULL */
	bool *owned; /* values[i] is ours to free */
	Oid *types;
	PGresult *res;
	int row, nrows;
	int runs;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pg_conn *pool;
static size_t pool_len;

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

/* The next word after p (skipping blanks), its length in *n. */
static const char *next_word(const char *p, size_t *n)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	*n = 0;
	while (is_word_char(p[*n]))
		(*n)++;
	return p;
}

/* Length of the quoted or commented run at p ('...', "...", -- ..., $tag$...$tag$),
 * or 0 when p does not start one. */
static size_t verbatim_len(const char *p)
{
	if (*p == '\'' || *p == '"') {
		const char *e = p + 1;
		for (; *e; e++)
			if (*e == *p) {
				if (e[1] != *p)
					return (size_t)(e - p) + 1;
				e++; /* a doubled quote stands for itself */
			}
		return strlen(p);
	}
	if (p[0] == '-' && p[1] == '-')
		return strcspn(p, "\n");
	if (p[0] == '$' && (p[1] == '$' || (is_word_char(p[1]) && !(p[1] >= '0' && p[1] <= '9')))) {
		size_t tag = 1;
		while (is_word_char(p[tag]))
			tag++;
		if (p[tag] != '$')
			return 0;
		tag++;
		for (const char *e = p + tag; *e; e++)
			if (strncmp(e, p, tag) == 0)
				return (size_t)(e - p) + tag;
		return strlen(p);
	}
	return 0;
}

/*
 * SQLite's dialect to PostgreSQL's (see the file comment).  *nparams gets
 * the number of '?' placeholders.  A REFERENCES clause ends at the next
 * ',' or ';' at its own parenthesis depth, or the ')' that closes it.
 */
int il__pg_rewrite(const char *sql, struct il_buf *out, int *nparams)
{
	int depth = 0, ref_depth = -1, rc = IL_OK;
	*nparams = 0;
	for (const char *p = sql; *p && !rc;) {
		size_t n = verbatim_len(p);
		if (n) {
			rc = il_buf_add(out, p, n);
			p += n;
			continue;
		}
		if (ref_depth >= 0 && ((depth == ref_depth && (*p == ',' || *p == ';')) ||
				       (*p == ')' && depth == ref_depth))) {
			rc = il_buf_adds(out, " DEFERRABLE");
			ref_depth = -1;
			if (rc)
				break;
		}
		if (*p == '?') {
			rc = il_buf_addf(out, "$%d", ++*nparams);
			p++;
			continue;
		}
		if (*p == '(' || *p == ')') {
			depth += *p == '(' ? 1 : -1;
			rc = il_buf_addc(out, *p++);
			continue;
		}
		if (!is_word_char(*p) || (p > sql && is_word_char(p[-1]))) {
			rc = il_buf_addc(out, *p++);
			continue;
		}
		size_t len = 0, n2;
		while (is_word_char(p[len]))
			len++;
		const char *w2 = next_word(p + len, &n2);
		if (word_is(p, len, "INTEGER") && word_is(w2, n2, "PRIMARY")) {
			size_t n3;
			const char *w3 = next_word(w2 + n2, &n3);
			if (word_is(w3, n3, "KEY")) {
				rc = il_buf_adds(
					out, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
				p = w3 + n3;
				continue;
			}
		}
		if (word_is(p, len, "BEGIN") &&
		    (word_is(w2, n2, "IMMEDIATE") || word_is(w2, n2, "DEFERRED") ||
		     word_is(w2, n2, "EXCLUSIVE"))) {
			rc = il_buf_adds(out, "BEGIN");
			p = w2 + n2;
			continue;
		}
		if (word_is(p, len, "INTEGER"))
			rc = il_buf_adds(out, "BIGINT");
		else if (word_is(p, len, "REAL"))
			rc = il_buf_adds(out, "DOUBLE PRECISION");
		else if (word_is(p, len, "BLOB"))
			rc = il_buf_adds(out, "BYTEA");
		else if (word_is(p, len, "LIKE"))
			rc = il_buf_adds(out, "ILIKE");
		else if (word_is(p, len, "instr") && *w2 == '(')
			rc = il_buf_adds(out, "strpos");
		else if (!word_is(p, len, "AUTOINCREMENT"))
			rc = il_buf_add(out, p, len);
		if (word_is(p, len, "REFERENCES"))
			ref_depth = depth;
		p += len;
	}
	if (!rc && ref_depth >= 0)
		rc = il_buf_adds(out, " DEFERRABLE");
	return rc;
}

/* libpq's messages end with a newline; ours do not. */
static const char *trimmed(const char *msg, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", msg ? msg : "");
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	il_log(IL_LOG_DEBUG, "postgresql: %s", message);
}

static void conn_free(struct pg_conn *c)
{
	if (!c)
		return;
	PQfinish(c->h);
	il_strmap_release(&c->prepared);
	free(c->conninfo);
	free(c);
}

/* A connection for conninfo: an idle one from the pool, else a new one. */
static int conn_get(const char *conninfo, struct pg_conn **out)
{
	struct pg_conn *c, **pp;
	char msg[512];
	pthread_mutex_lock(&pool_lock);
	for (pp = &pool; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->conninfo, conninfo) == 0)
			break;
	c = *pp;
	if (c) {
		*pp = c->next;
		pool_len--;
	}
	pthread_mutex_unlock(&pool_lock);
	if (c) {
		c->next = NULL;
		*out = c;
		return IL_OK;
	}
	if (!(c = il_calloc(1, sizeof(*c))))
		return IL_ENOMEM;
	il_strmap_init(&c->prepared);
	if (!(c->conninfo = il_strdup(conninfo))) {
		conn_free(c);
		return IL_ENOMEM;
	}
	c->h = PQconnectdb(conninfo);
	if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
		int rc = il_error_set(IL_EIO, "cannot connect to PostgreSQL: %s",
				      c->h ? trimmed(PQerrorMessage(c->h), msg, sizeof(msg))
					   : "out of memory");
		conn_free(c);
		return rc;
	}
	PQsetNoticeProcessor(c->h, quiet_notices, NULL);
	*out = c;
	return IL_OK;
}

/* Back to the pool when it is healthy and outside any transaction. */
static void conn_put(struct pg_conn *c)
{
	if (PQstatus(c->h) == CONNECTION_OK && PQtransactionStatus(c->h) == PQTRANS_IDLE) {
		pthread_mutex_lock(&pool_lock);
		if (pool_len < POOL_IDLE_MAX) {
			c->next = pool;
			pool = c;
			pool_len++;
			c = NULL;
		}
		pthread_mutex_unlock(&pool_lock);
	}
	conn_free(c);
}

/* Resets a broken connection; its prepared statements are gone with it. */
static int conn_reset(struct il__db *db)
{
	char msg[512];
	PQreset(db->c->h);
	il_strmap_release(&db->c->prepared);
	il_strmap_init(&db->c->prepared);
	db->c->nprepared = 0;
	if (PQstatus(db->c->h) != CONNECTION_OK)
		return il_error_set(IL_EIO,
				    "lost the connection to PostgreSQL and cannot reconnect: %s",
				    trimmed(PQerrorMessage(db->c->h), msg, sizeof(msg)));
	PQsetNoticeProcessor(db->c->h, quiet_notices, NULL);
	/* the new session has the server's defaults: restore what differed */
	if (db->c->readonly)
		PQclear(PQexec(db->c->h, "SET default_transaction_read_only = on"));
	if (db->listening)
		PQclear(PQexec(db->c->h, "LISTEN " NOTIFY_CHANNEL));
	return IL_OK;
}

/* Turns a failed result into an error code with the server's message. */
static int result_error(struct il__db *db, PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->c->h);
	char buf[1024];
	int code = IL_ESTORE;
	trimmed(msg, buf, sizeof(buf));
	db->constraint = state && strncmp(state, "23", 2) == 0;
	if (PQstatus(db->c->h) != CONNECTION_OK)
		code = IL_EIO;
	else if (db->constraint)
		code = IL_ECONFLICT;
	else if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
			   strcmp(state, "55P03") == 0))
		code = IL_EBUSY;
	if (code == IL_EIO)
		return il_error_set(code, "%s: the connection to PostgreSQL was lost: %s", what,
				    buf);
	return il_error_set(code, "%s: %s", what, buf);
}

static bool result_ok(PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/*
 * Runs `fn` and, when it failed because the connection had broken while no
 * transaction was open, resets the connection and runs it once more.
 */
static PGresult *run(struct il__db *db, PGresult *(*fn)(struct il__db *, void *), void *arg,
		     int *rc, const char *what)
{
	bool idle;
	PGresult *res;
	*rc = IL_OK;
	if (PQstatus(db->c->h) != CONNECTION_OK && (*rc = conn_reset(db)) != IL_OK)
		return NULL;
	idle = PQtransactionStatus(db->c->h) == PQTRANS_IDLE;
	res = fn(db, arg);
	if (!result_ok(res) && PQstatus(db->c->h) != CONNECTION_OK && idle) {
		PQclear(res);
		if ((*rc = conn_reset(db)) != IL_OK)
			return NULL;
		res = fn(db, arg);
	}
	if (!result_ok(res)) {
		*rc = result_error(db, res, what);
		PQclear(res);
		return NULL;
	}
	db->constraint = false;
	return res;
}

static PGresult *exec_text(struct il__db *db, void *sql)
{
	return PQexec(db->c->h, sql);
}

static int pg_exec(struct il__db *db, const char *sql)
{
	struct il_buf b = IL_BUF_INIT;
	int n, rc = il__pg_rewrite(sql, &b, &n);
	if (rc) {
		il_buf_release(&b);
		return rc;
	}
	PGresult *res = run(db, exec_text, (void *)il_buf_cstr(&b), &rc, "statement");
	if (res) {
		const char *t = PQcmdTuples(res);
		db->changes = t && *t ? strtoll(t, NULL, 10) : 0;
		/* COMMIT of a transaction that an error had aborted rolls back */
		if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
			rc = il_error_set(IL_ESTORE, "commit: the transaction was rolled back "
						     "after an earlier error in it");
	}
	PQclear(res);
	il_buf_release(&b);
	return rc;
}

static int pg_open(const char *uri, unsigned flags, struct il__db **out)
{
	struct il__db *db = il_calloc(1, sizeof(*db));
	int rc;
	*out = NULL;
	if (!db)
		return IL_ENOMEM;
	if ((rc = conn_get(uri, &db->c)) != IL_OK) {
		free(db);
		return rc;
	}
	/* a read-only store gets a read-only session: the server refuses
	 * writes (a pooled connection may come from either kind) */
	bool readonly = (flags & IL_STORE_READONLY) != 0;
	if (readonly != db->c->readonly)
		rc = pg_exec(db, readonly ? "SET default_transaction_read_only = on"
					  : "SET default_transaction_read_only = off");
	db->c->readonly = readonly;
	if (rc) {
		conn_free(db->c);
		free(db);
		return rc;
	}
	*out = db;
	return IL_OK;
}

static void pg_close(struct il__db *db)
{
	if (!db)
		return;
	if (db->listening) {
		PGresult *r = PQexec(db->c->h, "UNLISTEN *");
		PGnotify *n;
		PQclear(r);
		while ((n = PQnotifies(db->c->h)) != NULL)
			PQfreemem(n);
	}
	conn_put(db->c);
	free(db);
}

static int pg_prepare(struct il__db *db, const char *sql, struct il__stmt **out)
{
	struct il__stmt *st = il_calloc(1, sizeof(*st));
	struct il_buf b = IL_BUF_INIT;
	int rc;
	*out = NULL;
	if (!st)
		return IL_ENOMEM;
	st->db = db;
	if ((rc = il__pg_rewrite(sql, &b, &st->nparams)) != IL_OK)
		goto fail;
	if (!(st->sql = il_buf_detach(&b))) {
		rc = IL_ENOMEM;
		goto fail;
	}
	if (st->nparams) {
		size_t n = (size_t)st->nparams;
		st->values = il_calloc(n, sizeof(*st->values));
		st->owned = il_calloc(n, sizeof(*st->owned));
		st->types = il_calloc(n, sizeof(*st->types));
		if (!st->values || !st->owned || !st->types) {
			rc = IL_ENOMEM;
			goto fail;
		}
	}
	*out = st;
	return IL_OK;
fail:
	il_buf_release(&b);
	free(st->sql);
	free(st->values);
	free(st->owned);
	free(st->types);
	free(st);
	return rc;
}

static void clear_values(struct il__stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		if (st->owned[i])
			free(st->values[i]);
		st->values[i] = NULL;
		st->owned[i] = false;
		st->types[i] = 0;
	}
}

static void pg_reset(struct il__stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	clear_values(st);
}

static void pg_finalize(struct il__stmt *st)
{
	if (!st)
		return;
	pg_reset(st);
	free(st->sql);
	free(st->values);
	free(st->owned);
	free(st->types);
	free(st);
}

static int set_param(struct il__stmt *st, int i, char *v, bool owned, Oid type)
{
	if (i < 1 || i > st->nparams) {
		if (owned)
			free(v);
		return il_error_set(IL_ESTORE, "bind: parameter %d of %d", i, st->nparams);
	}
	if (st->owned[i - 1])
		free(st->values[i - 1]);
	st->values[i - 1] = v;
	st->owned[i - 1] = owned;
	st->types[i - 1] = type;
	return IL_OK;
}

static int pg_bind_text(struct il__stmt *st, int i, const char *s)
{
	char *copy = NULL;
	if (s && !(copy = il_strdup(s)))
		return IL_ENOMEM;
	return set_param(st, i, copy, true, s ? OID_TEXT : 0);
}

/* Type 0: the server takes the parameter's type from where it stands. */
static int pg_bind_untyped(struct il__stmt *st, int i, const char *s)
{
	char *copy = NULL;
	if (s && !(copy = il_strdup(s)))
		return IL_ENOMEM;
	return set_param(st, i, copy, true, 0);
}

static int pg_bind_text_ref(struct il__stmt *st, int i, const char *s)
{
	return set_param(st, i, (char *)s, false, s ? OID_TEXT : 0);
}

static int pg_bind_int(struct il__stmt *st, int i, int64_t v)
{
	char num[24];
	snprintf(num, sizeof(num), "%lld", (long long)v);
	char *copy = il_strdup(num);
	return copy ? set_param(st, i, copy, true, OID_INT8) : IL_ENOMEM;
}

static int pg_bind_real(struct il__stmt *st, int i, double v)
{
	char num[40];
	snprintf(num, sizeof(num), "%.17g", v);
	char *copy = il_strdup(num);
	return copy ? set_param(st, i, copy, true, OID_FLOAT8) : IL_ENOMEM;
}

static int pg_bind_null(struct il__stmt *st, int i)
{
	return set_param(st, i, NULL, false, 0);
}

/* Runs a statement: by its prepared name when this connection has one,
 * preparing it on its second run, else unnamed. */
static PGresult *exec_stmt(struct il__db *db, void *arg)
{
	struct il__stmt *st = arg;
	struct pg_conn *c = db->c;
	const char *const *values = (const char *const *)st->values;
	size_t len = strlen(st->sql);
	int64_t n = il_strmap_get(&c->prepared, st->sql, len);
	char name[32];
	if (n < 0 && st->runs > 0 && c->nprepared < PREPARED_MAX) {
		snprintf(name, sizeof(name), "il_%lld", (long long)c->nprepared);
		PGresult *p = PQprepare(c->h, name, st->sql, st->nparams, st->types);
		bool ok = result_ok(p);
		PQclear(p);
		if (ok && il_strmap_put(&c->prepared, st->sql, len, c->nprepared, NULL) == IL_OK)
			n = c->nprepared++;
	}
	if (n < 0)
		return PQexecParams(c->h, st->sql, st->nparams, st->types, values, NULL, NULL, 0);
	snprintf(name, sizeof(name), "il_%lld", (long long)n);
	return PQexecPrepared(c->h, name, st->nparams, values, NULL, NULL, 0);
}

static int pg_step(struct il__stmt *st, bool *row)
{
	int rc = IL_OK;
	*row = false;
	if (!st->res) {
		st->res = run(st->db, exec_stmt, st, &rc, "query");
		st->runs++;
		if (!st->res)
			return rc;
		const char *t = PQcmdTuples(st->res);
		st->db->changes = t && *t ? strtoll(t, NULL, 10) : 0;
		st->nrows = PQresultStatus(st->res) == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
		st->row = 0;
	} else {
		st->row++;
	}
	*row = st->row < st->nrows;
	return IL_OK;
}

static bool pg_col_null(struct il__stmt *st, int i)
{
	return PQgetisnull(st->res, st->row, i) != 0;
}

static const char *pg_col_text(struct il__stmt *st, int i)
{
	return pg_col_null(st, i) ? NULL : PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int(struct il__stmt *st, int i)
{
	const char *v = pg_col_text(st, i);
	if (!v)
		return 0;
	if (PQftype(st->res, i) == OID_BOOL)
		return *v == 't';
	return strtoll(v, NULL, 10);
}

static double pg_col_real(struct il__stmt *st, int i)
{
	const char *v = pg_col_text(st, i);
	return v ? strtod(v, NULL) : 0.0;
}

static int pg_col_count(struct il__stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_col_name(struct il__stmt *st, int i)
{
	return PQfname(st->res, i);
}

static enum il__col_type pg_col_type(struct il__stmt *st, int i)
{
	if (pg_col_null(st, i))
		return IL__COL_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return IL__COL_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return IL__COL_REAL;
	default:
		return IL__COL_TEXT;
	}
}

static int64_t pg_last_id(struct il__db *db)
{
	PGresult *r = PQexec(db->c->h, "SELECT lastval()");
	int64_t id = 0;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

static int64_t pg_changes(struct il__db *db)
{
	return db->changes;
}

static bool pg_constraint_error(struct il__db *db)
{
	return db->constraint;
}

static int pg_listen(struct il__db *db)
{
	db->listening = true;
	return pg_exec(db, "LISTEN " NOTIFY_CHANNEL);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Takes what the server sent; false when the connection broke. */
static bool drain_notifications(struct il__db *db, bool *changed)
{
	PGnotify *n;
	if (!PQconsumeInput(db->c->h) || PQstatus(db->c->h) != CONNECTION_OK)
		return false;
	while ((n = PQnotifies(db->c->h)) != NULL) {
		*changed = true;
		PQfreemem(n);
	}
	return true;
}

/* Waits for a notification on the connection.  A broken connection is
 * reset (and listens again) and reported as a change, since notifications
 * sent while it was down are lost: the caller catches up from the log.
 * Other input (a notice, the server's last words before it closes) does
 * not end the wait. */
static int pg_wait(struct il__db *db, int timeout_ms, bool *changed)
{
	int64_t deadline = now_ms() + timeout_ms;
	*changed = false;
	for (;;) {
		if (!drain_notifications(db, changed)) {
			int rc = conn_reset(db);
			*changed = rc == IL_OK;
			return rc;
		}
		int64_t left = deadline - now_ms();
		if (*changed || left <= 0)
			return IL_OK;
		struct pollfd p = {PQsocket(db->c->h), POLLIN, 0};
		if (poll(&p, 1, (int)left) == 0)
			return IL_OK;
	}
}

/* Owned sequences (identity columns and change_log_seq) continue after the
 * highest value a copy brought in. */
static const char pg_after_copy[] =
	"DO $$DECLARE r record; BEGIN\n"
	"FOR r IN SELECT s.relname AS seq, t.relname AS tab, a.attname AS col\n"
	"  FROM pg_class s JOIN pg_depend d ON d.objid = s.oid\n"
	"    AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass\n"
	"  JOIN pg_class t ON t.oid = d.refobjid\n"
	"  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid\n"
	"  WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace LOOP\n"
	"  EXECUTE format('SELECT setval(%L, coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',\n"
	"    r.seq, r.col, r.tab);\n"
	"END LOOP; END$$";

const struct il__driver il__postgres_driver = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_text = pg_bind_text,
	.bind_text_ref = pg_bind_text_ref,
	.bind_untyped = pg_bind_untyped,
	.bind_int = pg_bind_int,
	.bind_real = pg_bind_real,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.col_null = pg_col_null,
	.col_text = pg_col_text,
	.col_int = pg_col_int,
	.col_real = pg_col_real,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_type = pg_col_type,
	.last_id = pg_last_id,
	.changes = pg_changes,
	.constraint_error = pg_constraint_error,
	.log_at_commit = true,
	.insert_returning = true,
	.sql_lock_names = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.org_name'))",
	.listen = pg_listen,
	.wait = pg_wait,
	.sql_tables = "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind = 'r' "
		      "AND c.relnamespace = current_schema()::regnamespace ORDER BY c.oid",
	.sql_copy_begin = "SET CONSTRAINTS ALL DEFERRED; SET LOCAL innolink.copying = 'on'",
	.sql_copy_end = pg_after_copy,
};
