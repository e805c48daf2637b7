/*
 * limit.c - rate limits: a token bucket per client address and per account.
 *
 * A bucket holds at most `burst` tokens and gains `rate` a second; a
 * request takes one, and finds 429 with Retry-After when there is none.
 * Buckets live in a fixed table (no allocation per client, so a flood of
 * addresses costs no memory): a key hashes to a set of four slots, and a
 * new key takes a free slot or the one least recently used.  A client
 * evicted that way starts again with a full bucket, which only ever errs
 * towards serving.
 *
 * Reads are limited per address only (an account's reads are cheap and a
 * page makes many); writes and log-ins also per account, so that a token
 * used from many addresses is still held back.
 */
#include "http_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAYS 4

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int il__http_limiter_open(double rate, struct il__http_limiter **out)
{
	struct il__http_limiter *l = il_calloc(1, sizeof(*l));
	*out = NULL;
	if (!l)
		return il_error_set(IL_ENOMEM, "out of memory for the rate limiter");
	pthread_mutex_init(&l->lock, NULL);
	l->rate = rate;
	l->burst = rate * 2 > 1 ? rate * 2 : 1;
	*out = l;
	return IL_OK;
}

void il__http_limiter_close(struct il__http_limiter *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h ? h : 1;
}

/* The bucket of `h`, claimed if it had none. */
static struct il__http_bucket *bucket(struct il__http_limiter *l, uint64_t h, int64_t now)
{
	size_t set = (size_t)(h % (IL__HTTP_BUCKETS / WAYS)) * WAYS;
	struct il__http_bucket *victim = &l->b[set];
	for (size_t i = set; i < set + WAYS; i++) {
		if (l->b[i].key == h)
			return &l->b[i];
		if (l->b[i].key == 0 || l->b[i].at_ns < victim->at_ns)
			victim = &l->b[i];
	}
	victim->key = h;
	victim->tokens = l->burst;
	victim->at_ns = now;
	return victim;
}

bool il__http_limiter_take(struct il__http_limiter *l, const char *key, unsigned *retry_s)
{
	int64_t now = mono_ns();
	struct il__http_bucket *b;
	bool ok;
	*retry_s = 0;
	if (!l || l->rate <= 0)
		return true;
	pthread_mutex_lock(&l->lock);
	b = bucket(l, hash(key), now);
	b->tokens += (double)(now - b->at_ns) / 1e9 * l->rate;
	if (b->tokens > l->burst)
		b->tokens = l->burst;
	b->at_ns = now;
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	else
		*retry_s = (unsigned)ceil((1 - b->tokens) / l->rate);
	pthread_mutex_unlock(&l->lock);
	if (!ok && *retry_s == 0)
		*retry_s = 1;
	return ok;
}

int il__http_too_many(struct il__http_request *req, unsigned retry, const char *who)
{
	char secs[16];
	const char *extra[] = {MHD_HTTP_HEADER_RETRY_AFTER, secs, NULL};
	snprintf(secs, sizeof(secs), "%u", retry);
	return il__http_problem(req, IL_EBUSY, MHD_HTTP_TOO_MANY_REQUESTS, extra,
				"too many requests from this %s; try again in %u s", who, retry);
}

int il__http_rate_limit(struct il__http_request *req)
{
	char key[128];
	unsigned retry;
	snprintf(key, sizeof(key), "a:%s", req->addr);
	if (!il__http_limiter_take(req->srv->reads, key, &retry))
		return il__http_too_many(req, retry, "address");
	if (!(req->m & IL__HTTP_WRITE))
		return IL_OK;
	if (!il__http_limiter_take(req->srv->writes, key, &retry))
		return il__http_too_many(req, retry, "address");
	if (req->account.name) {
		snprintf(key, sizeof(key), "u:%lld", (long long)req->account.id);
		if (!il__http_limiter_take(req->srv->writes, key, &retry))
			return il__http_too_many(req, retry, "account");
	}
	return IL_OK;
}
