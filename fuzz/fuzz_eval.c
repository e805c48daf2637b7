/*
 * fuzz_eval.c - libFuzzer target for the readers of `innolink eval`: BEIR
 * queries and qrels, TREC run files and BEIR corpora, all files a user
 * hands us.
 *
 * The first byte picks the reader, the rest is the file.  The readers take
 * paths, so the input goes through a temporary file; any outcome but a
 * crash, a sanitizer report or a leak is fine.
 */
#include <innolink/eval.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_doc(const struct il_eval_doc *doc, void *ctx)
{
	if (strlen(doc->id) != doc->id_len)
		__builtin_trap();
	(*(size_t *)ctx)++;
	return 0;
}

static int write_tmp(char *path, const void *data, size_t size)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	ssize_t n = size ? write(fd, data, size) : 0;
	close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char queries[] = "{\"_id\":\"1\",\"text\":\"drill bit wear\"}\n"
				      "{\"_id\":\"q2\",\"text\":\"钻井泵柱塞\"}\n";
	char file[] = "/tmp/fuzz-eval-XXXXXX", qfile[] = "/tmp/fuzz-evalq-XXXXXX";
	if (size < 1 || write_tmp(file, data + 1, size - 1) != 0)
		return 0;
	switch (data[0] % 4) {
	case 0: { /* qrels, against fixed queries */
		struct il_eval_set set;
		if (write_tmp(qfile, queries, sizeof(queries) - 1) == 0) {
			if (il_eval_set_load(&set, qfile, file) == IL_OK)
				il_eval_set_release(&set);
			unlink(qfile);
		}
		break;
	}
	case 1: { /* queries, with no qrels */
		struct il_eval_set set;
		if (write_tmp(qfile, "", 0) == 0) {
			if (il_eval_set_load(&set, file, qfile) == IL_OK)
				il_eval_set_release(&set);
			unlink(qfile);
		}
		break;
	}
	case 2: { /* a run file, read and written back */
		struct il_eval_run *run = NULL;
		if (il_eval_run_read(file, &run) == IL_OK) {
			const struct il_eval_hit *hits;
			size_t n;
			il_eval_run_hits(run, "1", &hits, &n);
			il_eval_run_close(run);
		}
		break;
	}
	default: { /* a corpus */
		size_t n = 0, seen = 0;
		(void)il_eval_corpus_each(file, count_doc, &seen, &n);
		if (n != seen)
			__builtin_trap();
		break;
	}
	}
	unlink(file);
	return 0;
}
