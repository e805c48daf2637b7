/*
 * watch.c - keeps the search index current with the writes of other
 * processes, by change notification (LISTEN/NOTIFY on PostgreSQL).
 *
 * Several `innolink serve` processes on one database each keep an index.
 * A thread per server holds a store handle of its own that listens; when a
 * commit is announced (or the connection was lost and made again, so that
 * announcements may have been missed) it reads the log's last sequence and
 * catches the index up under the write lock, as a search would.  While the
 * watcher is live (listening, and caught up once after it began to, so no
 * commit fell between the index's build and the first announcement)
 * searches take the read lock without asking the store anything; while it
 * is not (the database is unreachable), they go back to asking on every
 * search.  The watcher waits in slices of WAIT_MS so that a stop is seen
 * quickly, and retries an unreachable database every RETRY_MS.
 *
 * Invariant: watch_live is true only when every commit announced since the
 * index's sequence will be, or has been, applied by this thread.
 *
 * Depends on: base, store, index (through server.c's catch-up).
 */
#include "http_internal.h"

#include <time.h>

#define WAIT_MS 250
#define RETRY_MS 500

static void pause_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Reads the last change and applies what the index lacks. */
static int catch_up(struct il__http_server *srv, struct il_store *s)
{
	int64_t last;
	int rc = il_store_last_change(s, &last);
	if (rc == IL_OK)
		il__http_index_catch_up(srv, s, last);
	return rc;
}

static void *watch(void *arg)
{
	struct il__http_server *srv = arg;
	struct il_store *s = NULL;
	bool warned = false;
	while (!atomic_load(&srv->watch_stop)) {
		bool changed = false;
		int rc = s ? il_store_wait_change(s, WAIT_MS, &changed)
			   : il_store_open(srv->cfg.db, 0, &s);
		if (rc == IL_OK && !atomic_load(&srv->watch_live)) {
			/* (again) listening: commits before this were not announced */
			if ((rc = il_store_listen(s)) == IL_OK &&
			    (rc = catch_up(srv, s)) == IL_OK) {
				atomic_store(&srv->watch_live, true);
				if (warned)
					il_log(IL_LOG_INFO, "change watcher: listening again");
				warned = false;
			}
		} else if (rc == IL_OK && changed) {
			rc = catch_up(srv, s);
		}
		if (rc != IL_OK) {
			atomic_store(&srv->watch_live, false);
			if (!warned)
				il_log(IL_LOG_WARN,
				       "change watcher: %s; searches ask the database until it is back",
				       il_error_detail(rc));
			warned = true;
			il_error_clear();
			pause_ms(RETRY_MS);
		}
	}
	atomic_store(&srv->watch_live, false);
	il_store_close(s);
	return NULL;
}

int il__http_watch_start(struct il__http_server *srv)
{
	struct il_store *probe = NULL;
	bool changed;
	int rc;
	atomic_store(&srv->watch_live, false);
	atomic_store(&srv->watch_stop, false);
	/* only a back end that announces commits gets a watcher */
	if ((rc = il_store_open(srv->cfg.db, 0, &probe)) != IL_OK)
		return rc;
	rc = il_store_wait_change(probe, 0, &changed);
	il_store_close(probe);
	il_error_clear();
	if (rc == IL_EUNSUPPORTED)
		return IL_OK;
	if (pthread_create(&srv->watcher, NULL, watch, srv) != 0)
		return il_error_set(IL_ENOMEM, "cannot start the change watcher thread");
	srv->watching = true;
	il_log(IL_LOG_INFO, "change watcher: following other servers' writes");
	return IL_OK;
}

void il__http_watch_stop(struct il__http_server *srv)
{
	if (!srv->watching)
		return;
	atomic_store(&srv->watch_stop, true);
	pthread_join(srv->watcher, NULL);
	srv->watching = false;
}
