/*
 * bench_pg.c - write throughput of the store: THREADS writers, each with a
 * store handle of its own, put new demands (one transaction each) for
 * SECONDS and every fourth also updates a demand all of them share, so
 * writers meet on one row as operators editing one record do.  Conflicts
 * (another writer's version came first) are retried and counted.
 *
 * usage: bench_pg DB THREADS SECONDS
 * prints: writes/s, conflicts, and the back end, as one line of JSON.
 */
#include <innolink/store.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *db;
static double seconds;
static atomic_long writes, conflicts, failures;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int put_demand(struct il_store *s, const char *id, const char *title)
{
	struct il_record r;
	enum il_put_result res;
	int rc = il_record_init(&r, IL_KIND_DEMAND);
	if (!rc && !(rc = il_record_set_id(&r, id, strlen(id))) &&
	    !(rc = il_record_set_by_name(&r, "title", title, strlen(title))))
		rc = il_store_put(s, &r, 0, "bench", &res);
	il_record_release(&r);
	return rc;
}

static void *writer(void *arg)
{
	long t = (long)arg;
	struct il_store *s = NULL;
	char id[64], title[96];
	if (il_store_open(db, 0, &s) != IL_OK) {
		fprintf(stderr, "bench_pg: %s\n", il_error_detail(IL_EIO));
		atomic_fetch_add(&failures, 1);
		return NULL;
	}
	double end = now() + seconds;
	for (long i = 0; now() < end; i++) {
		int rc;
		snprintf(id, sizeof(id), "DEM-B%ld-%ld-%d", t, i, (int)getpid());
		snprintf(title, sizeof(title), "基准测试需求 benchmark demand %ld %ld", t, i);
		if (i % 4 == 3) {
			snprintf(title, sizeof(title), "共享需求 shared demand %ld %ld", t, i);
			while ((rc = put_demand(s, "DEM-BSHARED", title)) == IL_ECONFLICT ||
			       rc == IL_EBUSY)
				atomic_fetch_add(&conflicts, 1);
		} else {
			rc = put_demand(s, id, title);
		}
		if (rc) {
			fprintf(stderr, "bench_pg: %s\n", il_error_detail(rc));
			atomic_fetch_add(&failures, 1);
			break;
		}
		atomic_fetch_add(&writes, 1);
	}
	il_store_close(s);
	return NULL;
}

int main(int argc, char **argv)
{
	struct il_store *s = NULL;
	int threads;
	if (argc != 4 || (threads = atoi(argv[2])) < 1 || threads > 64 ||
	    (seconds = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench_pg DB THREADS SECONDS\n");
		return 2;
	}
	db = argv[1];
	if (il_store_open(db, 0, &s) != IL_OK ||
	    put_demand(s, "DEM-BSHARED", "共享需求") != IL_OK) {
		fprintf(stderr, "bench_pg: %s\n", il_error_detail(IL_EIO));
		il_store_close(s);
		return 1;
	}
	const char *backend = il_store_backend(s);
	pthread_t tid[64];
	double t0 = now();
	for (long t = 0; t < threads; t++)
		pthread_create(&tid[t], NULL, writer, (void *)t);
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	double took = now() - t0;
	printf("{\"backend\":\"%s\",\"threads\":%d,\"writes_per_s\":%.0f,\"conflicts\":%ld,"
	       "\"failures\":%ld}\n",
	       backend, threads, (double)atomic_load(&writes) / took, atomic_load(&conflicts),
	       atomic_load(&failures));
	il_store_close(s);
	return atomic_load(&failures) ? 1 : 0;
}
