/*
 * test_base.c - error table, buffers with caps, arenas, string maps, clock
 * override, and allocation failures in each.
 */
#include <innolink/base.h>

#include "test.h"

static void test_errors(void)
{
	IL_CHECK_STR(il_strerror(IL_OK), "success");
	IL_CHECK_STR(il_errname(IL_ENOTFOUND), "ENOTFOUND");
	IL_CHECK_INT(il_error_http_status(IL_ENOTFOUND), 404);
	IL_CHECK_INT(il_error_http_status(IL_EAUTH), 401);
	IL_CHECK_INT(il_error_http_status(IL_EPRECOND), 412);
	IL_CHECK_STR(il_errname(9999), "EUNKNOWN");
	IL_CHECK_INT(il_error_set(IL_EINVAL, "field '%s': bad", "x"), IL_EINVAL);
	il_error_prefix("orgs.csv:%d", 12);
	IL_CHECK_STR(il_error_detail(IL_EINVAL), "orgs.csv:12: field 'x': bad");
	/* the detail belongs to the code it was set with */
	IL_CHECK_STR(il_error_detail(IL_EIO), "input/output error");
	il_error_clear();
	IL_CHECK_STR(il_error_detail(IL_EINVAL), "invalid input");
	/* a long prefix cuts the old detail, never overflows */
	char big[600];
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	il_error_set(IL_EINVAL, "%s", big);
	il_error_prefix("%s", big);
	IL_CHECK_INT(strlen(il_error_detail(IL_EINVAL)), 1023);
}

static void test_buf(void)
{
	struct il_buf b;
	il_buf_init(&b, 16);
	IL_CHECK_STR(il_buf_cstr(&b), "");
	IL_CHECK_INT(il_buf_addf(&b, "%d-%s", 42, "abc"), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&b), "42-abc");
	/* the cap is 16 bytes of content: 6 + 11 is one too many */
	IL_CHECK_INT(il_buf_adds(&b, "0123456789a"), IL_ETOOBIG);
	IL_CHECK_STR(il_buf_cstr(&b), "42-abc");
	IL_CHECK_INT(il_buf_adds(&b, "0123456789"), IL_OK);
	IL_CHECK_INT(b.len, 16);
	IL_CHECK_INT(il_buf_addc(&b, 'x'), IL_ETOOBIG);
	char *p = il_buf_detach(&b);
	IL_CHECK_STR(p, "42-abc0123456789");
	IL_CHECK(b.ptr == NULL && b.len == 0);
	free(p);
	il_buf_release(&b);
}

static void test_arena(void)
{
	struct il_arena a;
	il_arena_init(&a, 1024, 4096);
	char *s = il_arena_strdup(&a, "湖北");
	IL_CHECK_STR(s, "湖北");
	void *big = il_arena_alloc(&a, 2000); /* bigger than a quarter block */
	IL_CHECK(big != NULL);
	IL_CHECK(((uintptr_t)big & 15) == 0);
	char *after = il_arena_strdup(&a, "after");
	IL_CHECK_STR(after, "after");
	IL_CHECK_STR(s, "湖北");
	IL_CHECK(il_arena_alloc(&a, 4096) == NULL); /* over the limit */
	IL_CHECK(il_arena_alloc(&a, SIZE_MAX) == NULL);
	il_arena_release(&a);
	IL_CHECK_INT(a.used, 0);
}

static void test_strmap(void)
{
	struct il_strmap m;
	int64_t old;
	char key[32];
	il_strmap_init(&m);
	IL_CHECK_INT(il_strmap_get(&m, "x", 1), -1);
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "ORG-%d", i);
		IL_CHECK_INT(il_strmap_put(&m, key, strlen(key), i, &old), IL_OK);
		if (old != -1)
			IL_CHECK_INT(old, -1);
	}
	IL_CHECK_INT(m.len, 10000);
	IL_CHECK_INT(il_strmap_get(&m, "ORG-9999", 8), 9999);
	IL_CHECK_INT(il_strmap_get(&m, "ORG-10000", 9), -1);
	IL_CHECK_INT(il_strmap_put(&m, "ORG-7", 5, 70, &old), IL_OK);
	IL_CHECK_INT(old, 7);
	IL_CHECK_INT(il_strmap_get(&m, "ORG-7", 5), 70);
	IL_CHECK_INT(m.len, 10000);
	il_strmap_release(&m);
}

static void test_strmap_allocation_failures(void)
{
	for (unsigned long n = 1; n < 200; n++) {
		struct il_strmap m;
		int rc = IL_OK;
		char key[16];
		il_strmap_init(&m);
		il_alloc_fail_after(n);
		for (int i = 0; i < 100 && !rc; i++) {
			snprintf(key, sizeof(key), "k%d", i);
			rc = il_strmap_put(&m, key, strlen(key), i, NULL);
		}
		il_alloc_fail_after(0);
		il_strmap_release(&m);
		if (!rc)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
	}
}

static void test_clock_override(void)
{
	char now[21];
	setenv("INNOLINK_NOW", "2025-03-01T08:30:00Z", 1);
	il_time_now(now);
	IL_CHECK_STR(now, "2025-03-01T08:30:00Z");
	IL_CHECK_INT(il_time_now_unix(), 1740817800);
	unsetenv("INNOLINK_NOW");
	IL_CHECK(il_time_now_unix() > 1740817800);
}

int main(void)
{
	IL_RUN(test_errors);
	IL_RUN(test_buf);
	IL_RUN(test_arena);
	IL_RUN(test_strmap);
	IL_RUN(test_strmap_allocation_failures);
	IL_RUN(test_clock_override);
	IL_DONE();
}
