/*
 * alloc.c - allocation wrappers with a failure-injection mode.
 *
 * Every allocation of the library goes through il_malloc() and friends so a
 * test can make the Nth one fail and prove that each path returns IL_ENOMEM
 * without leaking (curl's torture tests).  The counter is process-wide and
 * atomic; tests that use it run single-threaded.
 */
#include <innolink/base.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong alloc_count;
static atomic_ulong fail_at; /* 0: never fail */

unsigned long il_alloc_fail_after(unsigned long n)
{
	unsigned long made = atomic_exchange(&alloc_count, 0);
	atomic_store(&fail_at, n);
	return made;
}

static bool should_fail(void)
{
	unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
	unsigned long at = atomic_load(&fail_at);
	return at != 0 && n >= at;
}

void *il_malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *il_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *il_realloc(void *p, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(p, size ? size : 1);
}

char *il_strndup(const char *s, size_t n)
{
	char *d = il_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *il_strdup(const char *s)
{
	return il_strndup(s, strlen(s));
}
