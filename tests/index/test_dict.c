/*
 * test_dict.c - the string dictionaries of the index (arrays.c): every key
 * found again at its index, every absent key absent, through growth and
 * through a slot table made again from the keys (as loading does).  Keys
 * reach the cases the slots treat apart: every length from 0 to 40 (up to
 * 8 bytes a key is told apart by its slot alone), NUL and 0xff bytes,
 * keys that differ in one byte anywhere, keys that are prefixes of each
 * other or differ only by trailing NUL bytes.
 */
#include "index_test.h"

#include <stdlib.h>

#define NKEYS 60000

/* Key i: its length and bytes from a fixed generator. */
static size_t make_key(uint32_t i, unsigned char *k)
{
	uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);
	size_t len = i % 41;
	for (size_t j = 0; j < len; j++) {
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		k[j] = (unsigned char)(x >> 56);
		if (x % 7 == 0)
			k[j] = (x % 2) ? 0x00 : 0xff;
	}
	return len;
}

static void check_all(const struct il__dict *d, const uint32_t *idx)
{
	unsigned char k[64];
	size_t bad = 0;
	for (uint32_t i = 0; i < NKEYS; i++) {
		size_t len = make_key(i, k);
		if (idx[i] != IL__NONE && il__dict_find(d, k, len) != idx[i])
			bad++;
	}
	IL_CHECK_INT(bad, 0);
}

static void test_many_keys(void)
{
	struct il__dict d;
	unsigned char k[64];
	uint32_t *idx = malloc(NKEYS * sizeof(*idx));
	size_t distinct = 0;
	memset(&d, 0, sizeof(d));
	IL_CHECK(idx != NULL);
	if (!idx)
		return;
	for (uint32_t i = 0; i < NKEYS; i++) {
		size_t len = make_key(i, k);
		bool added;
		IL_CHECK_INT(il__dict_add(&d, k, len, &idx[i], &added), IL_OK);
		distinct += added;
		/* what was just added is there, with its bytes */
		size_t klen;
		const char *key = il__dict_key(&d, idx[i], &klen);
		IL_CHECK(klen == len && memcmp(key, k, len) == 0);
	}
	IL_CHECK_INT(il__dict_size(&d), distinct);
	check_all(&d, idx);
	IL_CHECK_INT(il__dict_rehash(&d), IL_OK);
	check_all(&d, idx);
	il__dict_release(&d);
	free(idx);
}

static void test_near_keys(void)
{
	struct il__dict d;
	unsigned char base[24], k[25];
	uint32_t got, want[24][2];
	bool added;
	memset(&d, 0, sizeof(d));
	memset(base, 'a', sizeof(base));
	/* base prefixes of every length, and each with one byte changed */
	for (size_t len = 0; len < sizeof(base); len++) {
		IL_CHECK_INT(il__dict_add(&d, base, len, &want[len][0], &added), IL_OK);
		IL_CHECK(added);
		memcpy(k, base, len);
		if (len) {
			k[len / 2] = 'b';
			IL_CHECK_INT(il__dict_add(&d, k, len, &want[len][1], &added), IL_OK);
			IL_CHECK(added);
		}
	}
	for (size_t len = 0; len < sizeof(base); len++) {
		IL_CHECK_INT(il__dict_find(&d, base, len), want[len][0]);
		memcpy(k, base, len);
		k[len] = '\0'; /* one trailing NUL more: another key, absent */
		IL_CHECK_INT(il__dict_find(&d, k, len + 1), IL__NONE);
		for (size_t at = 0; len && at < len; at++) {
			memcpy(k, base, len);
			k[at] = 'c';
			IL_CHECK_INT(il__dict_find(&d, k, len), IL__NONE);
		}
	}
	/* "x" and "x\0": two keys */
	IL_CHECK_INT(il__dict_add(&d, "x", 1, &got, &added), IL_OK);
	IL_CHECK_INT(il__dict_add(&d, "x\0", 2, &want[0][1], &added), IL_OK);
	IL_CHECK(added && got != want[0][1]);
	IL_CHECK_INT(il__dict_find(&d, "x\0\0", 3), IL__NONE);
	il__dict_release(&d);
}

int main(void)
{
	IL_RUN(test_many_keys);
	IL_RUN(test_near_keys);
	IL_DONE();
}
