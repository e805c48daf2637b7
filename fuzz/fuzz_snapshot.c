/*
 * fuzz_snapshot.c - libFuzzer target for index snapshots (il_index_load).
 *
 * Input: the bytes of a snapshot file.  The header's size and checksums are
 * made to agree with the bytes first (il__snapshot_reseal), so mutations
 * reach the decoder behind them instead of stopping at the checksum; the
 * bytes are then written to a temporary file and loaded.
 *
 * IL_EFORMAT is a fine answer; any other error is a bug (allocations are
 * bounded by the file's size, so IL_ENOMEM is one too).  An index that
 * loads must answer a query with identical pruned and exhaustive results,
 * take a put, save, and load again.
 */
#include "index/index_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs of ASCII letters are words, lower-cased; anything else separates. */
static int tokenize(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	uint32_t pos = 0;
	(void)ctx;
	for (size_t i = 0; i < len;) {
		size_t start = i, n;
		char term[64];
		struct il_token tok;
		int rc;
		while (i < len && ((unsigned char)text[i] | 0x20) >= 'a' &&
		       ((unsigned char)text[i] | 0x20) <= 'z')
			i++;
		if (i == start) {
			i++;
			continue;
		}
		n = i - start < sizeof(term) ? i - start : sizeof(term) - 1;
		for (size_t k = 0; k < n; k++)
			term[k] = (char)(text[start + k] | 0x20);
		memset(&tok, 0, sizeof(tok));
		tok.term = term;
		tok.term_len = n;
		tok.start = start;
		tok.end = i;
		tok.pos = pos++;
		tok.kind = IL_TOK_WORD;
		tok.weight = 1.0f;
		if ((rc = fn(&tok, fnctx)) != 0)
			return rc;
	}
	return 0;
}

/* The ids of a search as one string, into buf. */
static void answer(const struct il_index *ix, const char *text, bool prune, char *buf, size_t size)
{
	struct il_index_query q;
	struct il_arena arena;
	struct il_index_hit *hits = NULL;
	size_t n = 0, used = 0;
	il_index_query_init(&q, text, strlen(text));
	q.include_hidden = true;
	q.include_expired = true;
	il_arena_init(&arena, 0, 0);
	buf[0] = '\0';
	if (il__search(ix, &q, prune, &arena, &hits, &n, NULL) != IL_OK)
		__builtin_trap();
	for (size_t i = 0; i < n && used + 1 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s ", hits[i].id);
	il_arena_release(&arena);
}

/* A loaded index must search, take a put, save and load again. */
static void exercise(struct il_index *ix, const char *dir)
{
	static const char *const queries[] = {"pump seal", "\"wear coating\"", "valve -drill"};
	struct il_index *again = NULL;
	struct il_index_doc d;
	char a[4096], b[4096], path[4096];
	il__index_set_tokenizer(ix, tokenize, tokenize, NULL);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		answer(ix, queries[i], true, a, sizeof(a));
		answer(ix, queries[i], false, b, sizeof(b));
		if (strcmp(a, b) != 0)
			__builtin_trap();
	}
	memset(&d, 0, sizeof(d));
	d.kind = IL_KIND_DEMAND;
	d.id = "FUZZ";
	d.text[IL_IF_TITLE] = "pump seal novelty";
	d.len[IL_IF_TITLE] = strlen(d.text[IL_IF_TITLE]);
	d.region = "4210";
	if (il_index_put(ix, &d) != IL_OK)
		return; /* a put can fail on an odd index (ids or pools full) */
	snprintf(path, sizeof(path), "%s/again.idx", dir);
	if (il_index_save(ix, path, 1) != IL_OK)
		__builtin_trap();
	if (il_index_load(NULL, path, &again, NULL) != IL_OK)
		__builtin_trap();
	il_index_close(again);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz-snapshot-XXXXXX", path[64];
	unsigned char *copy = malloc(size ? size : 1);
	struct il_index *ix = NULL;
	FILE *f;
	int rc;
	if (!copy || !mkdtemp(dir))
		__builtin_trap();
	if (size)
		memcpy(copy, data, size);
	il__snapshot_reseal(copy, size);
	snprintf(path, sizeof(path), "%s/in.idx", dir);
	if (!(f = fopen(path, "wb")) || fwrite(copy, 1, size, f) != size || fclose(f) != 0)
		__builtin_trap();
	free(copy);
	rc = il_index_load(NULL, path, &ix, NULL);
	if (rc != IL_OK && rc != IL_EFORMAT)
		__builtin_trap();
	if (rc == IL_OK)
		exercise(ix, dir);
	il_index_close(ix);
	il_error_clear();
	unlink(path);
	rmdir(dir);
	return 0;
}
