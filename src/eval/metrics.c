/*
 * metrics.c - trec_eval's ranking order and its ndcg_cut, recall and
 * recip_rank measures over one ranked list.
 *
 * Every function takes the hits already in trec_eval's order (score
 * descending, equal scores by docid descending), because trec_eval
 * re-sorts a run that way whatever its rank column says: two engines that
 * tie two documents therefore get the same measure whichever they listed
 * first.  Grades are looked up by binary search in the topic's judgments,
 * which il_eval_set_load keeps sorted by docid.
 *
 * Depends on: base.
 */
#include <innolink/eval.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_hit(const void *a, const void *b)
{
	const struct il_eval_hit *x = a, *y = b;
	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	/* trec_eval's tie-break: the larger docid (strcmp) ranks first */
	return strcmp(y->docid, x->docid);
}

void il_eval_sort(struct il_eval_hit *hits, size_t n)
{
	if (n > 1)
		qsort(hits, n, sizeof(*hits), cmp_hit);
}

int il_eval_grade(const struct il_eval_topic *t, const char *docid)
{
	size_t lo = 0, hi = t->njudged;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->judged[mid].docid, docid);
		if (c == 0)
			return t->judged[mid].rel;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static size_t cut(size_t n, size_t k)
{
	return k && k < n ? k : n;
}

/*
 * ndcg_cut.k:  DCG@k = sum_{r=1..k} g(r) / log2(r + 1), g = the grade when
 * it is > 0 (trec_eval skips grades <= 0, so a negative grade costs
 * nothing).  The ideal DCG ranks every judged document of grade > 0 by
 * grade, highest first, and is cut at the same k.  A topic without a
 * relevant document has ideal DCG 0 and scores 0 (such topics are not
 * evaluated anyway).
 */
double il_eval_ndcg(const struct il_eval_topic *t, const struct il_eval_hit *hits, size_t n,
		    size_t k)
{
	double dcg = 0, ideal = 0;
	size_t m = cut(n, k);
	for (size_t i = 0; i < m; i++) {
		int g = il_eval_grade(t, hits[i].docid);
		if (g > 0)
			dcg += g / log2((double)(i + 2));
	}
	if (dcg == 0)
		return 0;
	/* the ideal list, grade level by grade level from the highest down:
	 * no allocation, and a topic has few judgments and fewer levels */
	int level = 0;
	for (size_t i = 0; i < t->njudged; i++)
		if (t->judged[i].rel > level)
			level = t->judged[i].rel;
	size_t r = 0, limit = cut(t->nrel, k);
	while (level > 0 && r < limit) {
		int next = 0;
		for (size_t i = 0; i < t->njudged && r < limit; i++) {
			int g = t->judged[i].rel;
			if (g == level)
				ideal += g / log2((double)(++r + 1));
			else if (g < level && g > next)
				next = g;
		}
		level = next;
	}
	return ideal > 0 ? dcg / ideal : 0;
}

/* recall.k: relevant documents among the first k over all relevant ones. */
double il_eval_recall(const struct il_eval_topic *t, const struct il_eval_hit *hits, size_t n,
		      size_t k)
{
	size_t found = 0, m = cut(n, k);
	if (t->nrel == 0)
		return 0;
	for (size_t i = 0; i < m; i++)
		if (il_eval_grade(t, hits[i].docid) > 0)
			found++;
	return (double)found / (double)t->nrel;
}

/* recip_rank on the list cut at k: 1 / rank of the first relevant hit. */
double il_eval_rr(const struct il_eval_topic *t, const struct il_eval_hit *hits, size_t n, size_t k)
{
	size_t m = cut(n, k);
	for (size_t i = 0; i < m; i++)
		if (il_eval_grade(t, hits[i].docid) > 0)
			return 1.0 / (double)(i + 1);
	return 0;
}

static int cmp_docid_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int il_eval_measure(const struct il_eval_topic *t, struct il_eval_hit *hits, size_t n,
		    struct il_eval_measures *out)
{
	memset(out, 0, sizeof(*out));
	if (n > 1) {
		/* trec_eval refuses a list naming a document twice; so do we,
		 * since the measures would count it twice */
		const char **ids = il_malloc(n * sizeof(*ids));
		if (!ids)
			return IL_ENOMEM;
		for (size_t i = 0; i < n; i++)
			ids[i] = hits[i].docid;
		qsort(ids, n, sizeof(*ids), cmp_docid_ptr);
		for (size_t i = 1; i < n; i++)
			if (strcmp(ids[i - 1], ids[i]) == 0) {
				int rc = il_error_set(IL_EINVAL,
						      "query '%s': document '%s' is listed twice",
						      t->id, ids[i]);
				free(ids);
				return rc;
			}
		free(ids);
	}
	il_eval_sort(hits, n);
	out->ndcg10 = il_eval_ndcg(t, hits, n, 10);
	out->recall100 = il_eval_recall(t, hits, n, 100);
	out->mrr10 = il_eval_rr(t, hits, n, 10);
	return IL_OK;
}
