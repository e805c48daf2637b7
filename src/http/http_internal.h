/*
 * http_internal.h - what the files of src/http share.
 *
 * A request goes through four stages, one file each:
 *   server.c   MHD callbacks: the request object, body limits, the access
 *              log, worker store handles, start and shutdown;
 *   url.c      the request target split into decoded path segments and
 *              query parameters, strictly (bad input is a 400, never a
 *              guess);
 *   router.c   the guard and route tables that pick a handler, 404/405;
 *              before them, session.c finds who is asking and limit.c
 *              how often they have asked;
 *   api.c, write.c, session.c, static.c   the handlers; response.c
 *              builds every response, problem documents included.
 *
 * Everything a request allocates lives in its arena or in a capped il_buf,
 * and is freed when MHD reports the request complete.
 *
 * Depends on: the public headers, libmicrohttpd.
 */
#ifndef IL_HTTP_INTERNAL_H
#define IL_HTTP_INTERNAL_H

#include <innolink/auth.h>
#include <innolink/http.h>
#include <innolink/index.h>
#include <innolink/io.h>
#include <innolink/model.h>
#include <innolink/store.h>
#include <innolink/text.h>

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct json_t; /* jansson's */

#define IL__HTTP_MAX_URI 8192 /* longer request targets: 414 */
#define IL__HTTP_MAX_PARAMS 64 /* more query parameters: 400 */
#define IL__HTTP_MAX_SEGMENTS 32 /* more path segments: 400 */
#define IL__HTTP_MAX_ARGS 4 /* pattern captures per route */

enum il__http_method {
	IL__HTTP_GET = 1u << 0,
	IL__HTTP_HEAD = 1u << 1,
	IL__HTTP_POST = 1u << 2,
	IL__HTTP_PUT = 1u << 3,
	IL__HTTP_PATCH = 1u << 4,
	IL__HTTP_DELETE = 1u << 5,
	IL__HTTP_OPTIONS = 1u << 6,
	IL__HTTP_OTHER = 1u << 7, /* any other token: matched by no route */
};

#define IL__HTTP_READ (IL__HTTP_GET | IL__HTTP_HEAD)
#define IL__HTTP_WRITE (IL__HTTP_POST | IL__HTTP_PUT | IL__HTTP_PATCH | IL__HTTP_DELETE)

/* A token bucket per client address or account (limit.c). */
struct il__http_bucket {
	uint64_t key; /* hash of "a:ADDRESS" or "u:ACCOUNT"; 0 for a free slot */
	double tokens;
	int64_t at_ns; /* when tokens was last brought up to date */
};

#define IL__HTTP_BUCKETS 4096 /* per limiter; the oldest bucket of a set goes first */

struct il__http_limiter {
	pthread_mutex_t lock;
	double rate; /* tokens per second; 0: no limit */
	double burst; /* the bucket's size */
	struct il__http_bucket b[IL__HTTP_BUCKETS];
};

/* What one worker thread keeps between requests: its store handle (the
 * store is not thread-safe) and its matcher (match.c), both made on first
 * use. */
struct il__http_worker {
	struct il_store *store;
	struct il__http_matcher *matcher;
};

struct il__http_server {
	struct il_http_config cfg; /* defaults applied; strings borrowed */
	char *web_root; /* resolved absolute directory, or NULL */
	unsigned generation; /* tells this server's worker stores from older ones */
	atomic_uint inflight; /* requests begun and not yet complete */
	atomic_bool draining; /* shutting down: answers carry Connection: close */
	pthread_mutex_t lock; /* guards workers */
	/* what each worker thread keeps between requests, closed at shutdown */
	struct il__http_worker **workers;
	size_t nworkers, capworkers;
	struct il_text *text; /* the analyzer, read-only once open */
	struct il_index *index; /* searches hold index_lock to read, catch-up to write */
	pthread_rwlock_t index_lock;
	/* the store change the index reflects: written under the write lock,
	 * read without it for the cheap "is the log ahead?" check */
	_Atomic int64_t index_seq;
	/* the store change DB.index reflects; `saving` lets one worker at a
	 * time write it */
	_Atomic int64_t snap_seq;
	atomic_bool saving;
	bool snapshots; /* the store is a file, so DB.index can sit beside it */
	struct il__http_titles *titles; /* search hits' titles (titles.c) */
	struct il__http_limiter *reads; /* every request, per client address */
	struct il__http_limiter *writes; /* writes and log-ins, per address and account */
	/* the change watcher (watch.c): running, and listening with the index
	 * caught up since it began to (searches then need not ask the store) */
	pthread_t watcher;
	bool watching;
	atomic_bool watch_live, watch_stop;
};

struct il__http_param {
	const char *name; /* decoded, valid UTF-8, no control characters */
	const char *value; /* "" when the parameter has no '=' */
};

struct il__http_route;

struct il__http_request {
	struct il__http_server *srv;
	struct MHD_Connection *conn;
	struct il_arena arena; /* everything below that is not borrowed */
	int64_t t0_ns; /* monotonic start, for the access log */

	const char *method; /* borrowed from MHD, valid for the request */
	enum il__http_method m;
	char *raw; /* the request target as sent, NULL when over the cap */
	size_t raw_len;
	char *instance; /* printable path for problem documents and the log */

	bool parsed; /* the target has been split and decoded */
	const char *seg[IL__HTTP_MAX_SEGMENTS]; /* decoded path segments */
	size_t nseg;
	const char *raw_path; /* path as sent, no query (valid after parsing) */
	struct il__http_param params[IL__HTTP_MAX_PARAMS];
	size_t nparams;

	const struct il__http_route *route;
	const char *args[IL__HTTP_MAX_ARGS]; /* the route's {captures} */
	size_t rest; /* index of the first segment a trailing '*' matched */

	bool started; /* the access handler has seen the headers */
	bool responded; /* a response is queued */
	bool body_over; /* the body passed max_body: 413 once it ends */
	uint64_t body_bytes; /* received so far */
	unsigned status; /* of the queued response, for the log */
	const char *lang; /* "en" or "zh" */

	struct il_buf body; /* a write's body, capped at max_body */
	char addr[48]; /* the client's address, for rate limits */
	bool https; /* the trusted proxy says the client came over TLS */
	struct il_account account; /* who asks; account.name NULL for the public */
	char *session; /* the session token of the cookie, when that is how */
	char *csrf; /* and that session's CSRF token; freed with the request */
};

/* The caller's account, or NULL for the public. */
static inline const struct il_account *il__http_account(const struct il__http_request *req)
{
	return req->account.name ? &req->account : NULL;
}

/* server.c */

/* This worker thread's store handle, opened on first use.  Borrowed, valid
 * until the server stops.  The error of il_store_open(), IL_ENOMEM. */
int il__http_store(struct il__http_request *req, struct il_store **out);
/* This worker thread's slot (struct il__http_worker), registered with the
 * server on first use so that shutdown closes what it holds.  IL_ENOMEM. */
int il__http_worker(struct il__http_server *srv, struct il__http_worker **out);
/*
 * The server's search index, current with the store: when the log of `s`
 * (this worker's handle) is ahead of the index, catches up first under the
 * write lock (checked again once it is held, so one worker applies what
 * many saw); while the change watcher is live, it keeps the index current
 * and this asks the store nothing.  Then takes the read lock; *out is borrowed until
 * il__http_index_release(), which the caller must call on every path
 * after a success.  A failed catch-up is logged and the index answers as it
 * stands, a moment behind, rather than not at all; so the only error is
 * il_store_last_change()'s.
 */
int il__http_index_acquire(struct il__http_request *req, struct il_store *s,
			   const struct il_index **out);
void il__http_index_release(struct il__http_request *req);
/* Applies the store's changes up to `last` (read from `s`) to the index
 * under the write lock, unless another thread already has. */
void il__http_index_catch_up(struct il__http_server *srv, struct il_store *s, int64_t last);

/* The change watcher (watch.c): a thread with a store handle of its own
 * that listens for other processes' commits and catches the index up.
 * Start does nothing on a back end without notification (SQLite: searches
 * then ask the store); it fails only when the thread cannot be made.
 * Stop joins the thread; safe when none was started. */
int il__http_watch_start(struct il__http_server *srv);
void il__http_watch_stop(struct il__http_server *srv);

/* url.c */

/*
 * Splits req->raw into decoded path segments and query parameters.
 * IL_EINVAL with a detail for bad percent-encoding, invalid UTF-8, NUL or
 * control characters, too many segments or parameters; IL_ENOMEM.
 */
int il__http_parse_target(struct il__http_request *req);
/* Appends `s` percent-encoded for a query component (RFC 3986 unreserved
 * characters stay as they are). */
int il__http_url_encode(struct il_buf *out, const char *s);
/*
 * A copy of client-supplied text that is safe to put in a problem detail
 * or the log: invalid UTF-8 and control characters become '?', and text
 * longer than `max` bytes is cut at a character boundary with "...".
 * Allocated in the request's arena; never NULL ("" when out of memory).
 */
const char *il__http_clean(struct il__http_request *req, const char *s, size_t max);
/* The value of query parameter `name`, NULL if absent. */
const char *il__http_param(const struct il__http_request *req, const char *name);

/* router.c */

typedef int (*il__http_handler)(struct il__http_request *req);

struct il__http_route {
	unsigned methods; /* enum il__http_method */
	const char *pattern; /* "/api/v1/{kind}/{id}"; a final "*" takes the rest */
	il__http_handler handler;
};

enum il__http_method il__http_method_parse(const char *method);
/*
 * Picks the handler for a parsed request and runs it; a handler that
 * returns an error code instead of answering gets a problem document for
 * it.  Returns IL_OK once a response is queued, or the code of a failure
 * to queue one (the connection is then closed).
 */
int il__http_dispatch(struct il__http_request *req);

/* response.c */

/*
 * Queues `body` (taken: the buffer is reset) with `status` and the headers
 * every answer carries (X-Content-Type-Options, Cache-Control; Connection:
 * close while draining) plus `content_type`.  `extra` is NULL or a
 * NULL-terminated list of header name/value pairs.  IL_ENOMEM, IL_EIO (MHD
 * refused the response).
 */
int il__http_send(struct il__http_request *req, unsigned status, const char *content_type,
		  struct il_buf *body, const char *const *extra);
/* il__http_send() with application/json; charset=utf-8. */
int il__http_send_json(struct il__http_request *req, unsigned status, struct il_buf *body);
/* Queues an open file (taken: MHD closes it) of `size` bytes; `extra` as
 * for il__http_send(). */
int il__http_send_fd(struct il__http_request *req, int fd, uint64_t size, const char *content_type,
		     const char *const *extra);
/*
 * Queues an RFC 9457 problem document for error `code`: type from
 * il_errname(), title from il_strerror(), status from il_error_http_status()
 * unless `status` is non-zero (405 and 414 have no code of their own), and
 * the formatted detail.  For statuses of 500 and above the detail is logged
 * and the document carries only the title, so internal details never reach
 * the client.
 */
int il__http_problem(struct il__http_request *req, int code, unsigned status,
		     const char *const *extra, const char *fmt, ...) IL_PRINTF(5, 6);
/* The problem document for `code` with this thread's error detail. */
int il__http_problem_code(struct il__http_request *req, int code);

/* api.c */

int il__http_api_health(struct il__http_request *req);
int il__http_api_index(struct il__http_request *req);
int il__http_api_list(struct il__http_request *req);
int il__http_api_get(struct il__http_request *req);
int il__http_api_history(struct il__http_request *req);
/* GET /api/v1/search: ranked hits from the index (docs/api.md). */
int il__http_api_search(struct il__http_request *req);
/* GET /api/v1/openapi.json: the API's description, from the web root. */
int il__http_api_openapi(struct il__http_request *req);
/* GET /api/v1/export/{kind}: a file of the records the caller may see. */
int il__http_api_export(struct il__http_request *req);
/* Whether the caller may see record `r` (confidential demands); references
 * to demands it may not see are blanked in place. */
int il__http_view(struct il__http_request *req, struct il_store *s, struct il_record *r,
		  bool *show);
/* The one error for a record that is missing or not to be seen: returns
 * IL_ENOTFOUND with its detail; il__http_not_found() answers it. */
int il__http_missing(struct il__http_request *req, const struct il_kind_info *k, const char *id);
int il__http_not_found(struct il__http_request *req, const struct il_kind_info *k, const char *id);
/* The kind named by req->args[0]; IL_ENOTFOUND. */
int il__http_parse_kind(struct il__http_request *req, const struct il_kind_info **out);
/* A record as JSON with its metadata and an ETag header. */
int il__http_send_record(struct il__http_request *req, unsigned status, const struct il_record *r,
			 const char *location);

/* write.c: sets the fields a JSON body names on `r` (null clears one;
 * "id" and the members a GET adds are skipped).  IL_EINVAL naming the
 * field and the value, IL_ENOMEM. */
int il__http_apply_body(struct il__http_request *req, struct json_t *j, struct il_record *r);
/* POST /api/v1/{kind}, PUT/PATCH/DELETE /api/v1/{kind}/{id}, and
 * POST /api/v1/import/{kind} (operators). */
int il__http_api_create(struct il__http_request *req);
int il__http_api_update(struct il__http_request *req);
int il__http_api_delete(struct il__http_request *req);
int il__http_api_import(struct il__http_request *req);

/* session.c */

/* Finds the caller from the Authorization header or the session cookie.
 * A bad bearer token answers 401 (and returns IL_EAUTH); a session cookie
 * that names no session is the public, as if it were not sent. */
int il__http_authenticate(struct il__http_request *req);
/* Guard: writes need an account (401) and, with a session cookie, the
 * session's CSRF token in X-CSRF-Token (403).  Log-in needs neither. */
int il__http_guard_write(struct il__http_request *req);
int il__http_session_get(struct il__http_request *req);
int il__http_session_login(struct il__http_request *req);
int il__http_session_logout(struct il__http_request *req);
int il__http_tokens_list(struct il__http_request *req);
int il__http_tokens_create(struct il__http_request *req);
int il__http_tokens_revoke(struct il__http_request *req);
int il__http_accounts_list(struct il__http_request *req);
int il__http_accounts_create(struct il__http_request *req);
int il__http_accounts_update(struct il__http_request *req);
/* The request's body parsed as one JSON object (caller json_decref()s);
 * IL_EINVAL naming line and column, or saying what was wanted. */
int il__http_body_json(struct il__http_request *req, struct json_t **out);
void il__http_request_release(struct il__http_request *req);

/* limit.c */

int il__http_limiter_open(double rate, struct il__http_limiter **out);
void il__http_limiter_close(struct il__http_limiter *l);
/* Takes one token from the bucket of `key`; false when it is empty, with
 * *retry_s the whole seconds until one is there again. */
bool il__http_limiter_take(struct il__http_limiter *l, const char *key, unsigned *retry_s);
/* Answers 429 with Retry-After when the reads limit of the address (every
 * request) or, for a write, the writes limit of the address or account is
 * spent; returns IL_OK (and answers nothing) otherwise. */
int il__http_rate_limit(struct il__http_request *req);
/* The 429 answer, with Retry-After; `who` says whose limit ("address"). */
int il__http_too_many(struct il__http_request *req, unsigned retry, const char *who);

/* titles.c: search hits' titles, valid for one store change sequence. */
/* match.c: closes a worker's matcher (NULL: none) and frees it. */
struct il__http_matcher;
void il__http_matcher_close(struct il__http_matcher *m);

struct il__http_titles;
int il__http_titles_open(struct il__http_titles **out);
void il__http_titles_close(struct il__http_titles *t);
/* The cached title in `lang` (copied into `arena`) and whether the record
 * is a confidential demand; false when not cached at `seq`. */
bool il__http_titles_get(struct il__http_titles *t, int64_t seq, enum il_kind kind, const char *id,
			 const char *lang, struct il_arena *arena, const char **title,
			 bool *confidential);
/* Remembers a record's titles as read at `seq` (a newer seq empties the
 * cache first; an older one is ignored).  Failing to remember is silent. */
void il__http_titles_put(struct il__http_titles *t, int64_t seq, enum il_kind kind, const char *id,
			 const char *zh, const char *en, bool confidential);

/* params.c: what the matching, chain and trade routes share. */

/* Checks the query against the `n` parameter names a route takes (unknown
 * or repeated: IL_EINVAL) and sets values[i] to the value of names[i] or
 * NULL; "lang" also sets req->lang. */
int il__http_params_check(struct il__http_request *req, const char *const *names, size_t n,
			  const char **values);
/* Parameter `name` as a whole number in [min, max]; IL_EINVAL. */
int il__http_param_count(struct il__http_request *req, const char *name, const char *v, size_t min,
			 size_t max, size_t *out);
/* If-Match of a write or a workflow move: *out is the version it names (-1:
 * none, or a weak or malformed tag); answers 428 itself when it is missing. */
int il__http_if_match(struct il__http_request *req, int64_t *out);
/* Record (kind, id) as the caller may see it (il__http_view); the 404 of a
 * missing one when hidden.  On success the caller releases *out. */
int il__http_get_visible(struct il__http_request *req, struct il_store *s, enum il_kind kind,
			 const char *id, struct il_record *out);
/* Answers the JSON in `b` with 200 when `rc` is IL_OK (a 500 for an answer
 * over its cap), or returns `rc`. */
int il__http_send_buf(struct il__http_request *req, int rc, struct il_buf *b);

/* match.c: GET {kind}/{id}/matches, GET match?q=, feedback on a demand. */
int il__http_match_record(struct il__http_request *req);
int il__http_match_text(struct il__http_request *req);
int il__http_feedback_list(struct il__http_request *req);
int il__http_feedback_add(struct il__http_request *req);

/* chain.c: chain maps, gaps, what fills a link, indicators and targets. */
int il__http_chain_maps(struct il__http_request *req);
int il__http_chain_map(struct il__http_request *req);
int il__http_chain_gaps(struct il__http_request *req);
int il__http_chain_fill(struct il__http_request *req);
int il__http_region_indicators(struct il__http_request *req);
int il__http_region_targets(struct il__http_request *req);

/* trade.c: deal workflow and milestones, docking, notifications, figures. */
int il__http_deal_get(struct il__http_request *req);
int il__http_deal_move(struct il__http_request *req);
int il__http_deal_milestone(struct il__http_request *req);
int il__http_docking_get(struct il__http_request *req);
int il__http_docking_move(struct il__http_request *req);
int il__http_docking_rate(struct il__http_request *req);
int il__http_notifications(struct il__http_request *req);
int il__http_notifications_read(struct il__http_request *req);
int il__http_figures(struct il__http_request *req);

/* router.c: the route table, for the test that holds it against the
 * OpenAPI document. */
const struct il__http_route *il__http_routes(size_t *n);

/* static.c */

/* GET / : index.html of the web root, or a JSON index without one. */
int il__http_static_root(struct il__http_request *req);
/* Any other path outside /api: a file under the web root. */
int il__http_static_file(struct il__http_request *req);

#endif
