/*
 * test.h - the unit-test harness: checks that report file and line, TAP
 * output, and a non-zero exit status when any check failed.
 *
 * A test file defines test functions and calls them from main() through
 * IL_RUN; each check that fails prints "not ok" with what was expected and
 * what came, and the test continues so one run shows every failure.
 */
#ifndef INNOLINK_TEST_H
#define INNOLINK_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int il_test_failures;
static int il_test_checks;

#define IL_CHECK(cond)                                                                             \
	do {                                                                                       \
		il_test_checks++;                                                                  \
		if (!(cond)) {                                                                     \
			il_test_failures++;                                                        \
			printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
		}                                                                                  \
	} while (0)

#define IL_CHECK_INT(a, b)                                                                         \
	do {                                                                                       \
		long long il__a = (long long)(a), il__b = (long long)(b);                          \
		il_test_checks++;                                                                  \
		if (il__a != il__b) {                                                              \
			il_test_failures++;                                                        \
			printf("# %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__,   \
			       #a, il__a, #b, il__b);                                              \
		}                                                                                  \
	} while (0)

#define IL_CHECK_STR(a, b)                                                                         \
	do {                                                                                       \
		const char *il__a = (a), *il__b = (b);                                             \
		il_test_checks++;                                                                  \
		if (!il__a || !il__b || strcmp(il__a, il__b) != 0) {                               \
			il_test_failures++;                                                        \
			printf("# %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
			       il__a ? il__a : "(null)", il__b ? il__b : "(null)");                \
		}                                                                                  \
	} while (0)

#define IL_CHECK_CONTAINS(hay, needle)                                                             \
	do {                                                                                       \
		const char *il__h = (hay), *il__n = (needle);                                      \
		il_test_checks++;                                                                  \
		if (!il__h || !strstr(il__h, il__n)) {                                             \
			il_test_failures++;                                                        \
			printf("# %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,    \
			       il__h ? il__h : "(null)", il__n);                                   \
		}                                                                                  \
	} while (0)

static int il_test_number;

#define IL_RUN(fn)                                                                                 \
	do {                                                                                       \
		int il__before = il_test_failures;                                                 \
		fn();                                                                              \
		printf("%s %d - %s\n", il_test_failures == il__before ? "ok" : "not ok",           \
		       ++il_test_number, #fn);                                                     \
	} while (0)

#define IL_DONE()                                                                                  \
	do {                                                                                       \
		printf("1..%d\n# %d checks, %d failed\n", il_test_number, il_test_checks,          \
		       il_test_failures);                                                          \
		return il_test_failures ? 1 : 0;                                                   \
	} while (0)

#endif
