/*
 * bench_snapshot.c - what an index snapshot costs: its sections on disk,
 * and the time to load it (what `innolink serve` does at start, before it
 * catches up) and to save it again, as the median of --runs, wall clock
 * and CPU time of this process.
 *
 * usage: bench_snapshot FILE [--runs R]
 * FILE is any snapshot, e.g. DB.index written by `innolink index rebuild`.
 * The save goes to FILE.bench-PID, removed afterwards.
 */
#include <innolink/index.h>

#include "index/index_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "bench_snapshot: %s: %s\n", what, il_error_detail(rc));
	return 1;
}

int main(int argc, char **argv)
{
	double lw[64], lc[64], sw[64], sc[64];
	struct il_buf rep = IL_BUF_INIT;
	struct il_index *ix = NULL;
	char tmp[4096];
	int runs = 5, rc;
	if (argc < 2 ||
	    (argc == 4 && strcmp(argv[2], "--runs") == 0 && (runs = atoi(argv[3])) < 1) ||
	    (argc != 2 && argc != 4)) {
		fprintf(stderr, "usage: bench_snapshot FILE [--runs R]\n");
		return 2;
	}
	if (runs > 64)
		runs = 64;
	snprintf(tmp, sizeof(tmp), "%s.bench-%d", argv[1], (int)getpid());
	if ((rc = il__snapshot_report(argv[1], &rep)) != IL_OK)
		return fail(argv[1], rc);
	for (int r = 0; r < runs; r++) {
		double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if ((rc = il_index_load(NULL, argv[1], &ix, NULL)) != IL_OK)
			return fail("load", rc);
		lw[r] = clock_s(CLOCK_MONOTONIC) - w0;
		lc[r] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		w0 = clock_s(CLOCK_MONOTONIC);
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if ((rc = il_index_save(ix, tmp, 0)) != IL_OK) {
			unlink(tmp);
			return fail("save", rc);
		}
		sw[r] = clock_s(CLOCK_MONOTONIC) - w0;
		sc[r] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (r + 1 < runs) {
			il_index_close(ix);
			ix = NULL;
		}
	}
	unlink(tmp);
	printf("%s: %zu documents, %zu bytes in memory once loaded\n%s", argv[1], il_index_size(ix),
	       il_index_memory(ix), il_buf_cstr(&rep));
	printf("  load, median of %d: %.1f ms wall, %.1f ms CPU\n", runs, median(lw, runs) * 1e3,
	       median(lc, runs) * 1e3);
	printf("  save, median of %d: %.1f ms wall, %.1f ms CPU (with fsync)\n", runs,
	       median(sw, runs) * 1e3, median(sc, runs) * 1e3);
	il_index_close(ix);
	il_buf_release(&rep);
	return 0;
}
