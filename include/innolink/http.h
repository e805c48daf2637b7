/*
 * innolink/http.h - the HTTP/JSON server.
 *
 * Serves the JSON API under /api/v1 (see docs/api.md), search included, a
 * health check at /healthz and, when a web root is given, the browser UI's
 * static files.  Errors are RFC 9457 problem documents whose type and
 * status come from the error table of base.h.  Requests are answered by a
 * pool of worker threads; each worker opens its own store handle on first
 * use, since a handle serves one thread at a time.  The search index is
 * one for the server, shared by the workers and kept current from the
 * store's change log.  Callers log in (a session cookie with a CSRF
 * token) or send an API token; writes need one and are checked against
 * the rules of innolink/auth.h, and confidential demands are shown only to
 * those who may see them.
 * docs/internals/http.md describes the design.
 *
 * Depends on: base, model, store, text, index, auth.
 */
#ifndef INNOLINK_HTTP_H
#define INNOLINK_HTTP_H

#include <stddef.h>

#include "base.h"

/* Defaults used when the matching member of struct il_http_config is 0/NULL. */
#define IL_HTTP_DEFAULT_LISTEN "127.0.0.1:8080"
#define IL_HTTP_DEFAULT_MAX_BODY ((size_t)1 << 20)
#define IL_HTTP_DEFAULT_TIMEOUT 30u
#define IL_HTTP_DEFAULT_RATE_READ 20000u /* requests a second per address */
#define IL_HTTP_DEFAULT_RATE_WRITE 20u /* writes a second per address and account */

struct il_http_config {
	/* Store URI, opened once per worker thread with no flags (the store
	 * handle is not thread-safe).  Borrowed for the duration of the call. */
	const char *db;
	/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080"; ":8080" or "8080"
	 * mean 127.0.0.1.  Port 0 takes any free port (the log names it).
	 * NULL means IL_HTTP_DEFAULT_LISTEN.  Borrowed. */
	const char *listen;
	/* Directory served at /; NULL or missing: / answers a small JSON index.
	 * Borrowed. */
	const char *web_root;
	/* Data directory of the text analyzer (dictionaries, glossary), as
	 * il_text_open() takes it; NULL means il_text_open()'s default.
	 * Borrowed. */
	const char *data_dir;
	unsigned threads; /* worker threads (MHD thread pool); 0 = number of CPUs */
	size_t max_body; /* request body limit in bytes; 0 = IL_HTTP_DEFAULT_MAX_BODY */
	unsigned timeout_s; /* idle connection timeout; 0 = IL_HTTP_DEFAULT_TIMEOUT */
	/* Rate limits in requests a second, with bursts of twice that: every
	 * request per client address, and writes (log-ins included) per address
	 * and per account.  0 = the defaults above. */
	unsigned rate_read, rate_write;
	/* Days a listing published through the API (an achievement or demand)
	 * stays in search and matching unless its owner renews it; 0 =
	 * IL_TRADE_LISTING_DAYS. */
	unsigned listing_days;
	/* Address of the reverse proxy in front ("127.0.0.1"), whose
	 * X-Forwarded-For (its last address) names the client for rate limits
	 * and the log, and whose X-Forwarded-Proto "https" gives the session
	 * cookie the Secure flag.  NULL: no proxy, the headers are ignored (a
	 * client could forge them).  Borrowed. */
	const char *trusted_proxy;
};

/*
 * Opens the text analyzer and the search index before listening: the
 * snapshot DB.index when it loads and belongs to this database (see
 * il_index_catch_up), else an index built from the store; either is then
 * caught up with the store's change log, and again before each search
 * that finds the log ahead of it.
 *
 * Serves HTTP until SIGINT or SIGTERM arrives or il_http_stop() is called,
 * then stops accepting connections, lets the requests in flight finish (for
 * at most timeout_s seconds; a second signal cuts that short), closes every
 * store handle, the index and the analyzer, and returns IL_OK.
 *
 * SIGINT and SIGTERM are blocked in the calling thread for the duration of
 * the call and restored on return; call it from the main thread before any
 * other thread is started, or block both signals in those threads, so that
 * the signals reach the server.  One server per process.
 *
 * Returns IL_OK; IL_EINVAL (no db, or a malformed listen address: the
 * detail names it); IL_EIO when the address cannot be bound (the detail
 * names the address and the reason); IL_EBUSY when a server is already
 * running in this process; the error of il_store_open() when the store
 * cannot be opened (checked once before listening); the error of
 * il_text_open() when the analyzer cannot be (IL_EIO, IL_EFORMAT); the
 * error of il_index_build() when the index cannot be built; IL_ENOMEM.
 */
int il_http_serve(const struct il_http_config *cfg);

/*
 * Asks the running il_http_serve() to stop as SIGTERM would.  Safe to call
 * from any thread and from a signal handler; does nothing when no server is
 * running.
 */
void il_http_stop(void);

#endif
