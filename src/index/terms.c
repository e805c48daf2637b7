/*
 * terms.c - read-only statistics of indexed terms, for callers that weigh
 * query terms before they search (the matcher keeps only the most telling
 * terms of a long source, as Lucene's MoreLikeThis does).
 *
 * The figures are the ones scoring uses: df counts live documents (hidden
 * ones included, as in scoring), and the idf is il__idf over the live
 * count, so a caller ranks terms exactly as the index weighs them.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/index_internal.h"

size_t il_index_term_df(const struct il_index *ix, const char *term, size_t len)
{
	uint32_t t;
	if (!ix || !term || !len || len > IL__MAX_TERM)
		return 0;
	t = il__dict_find(&ix->terms, term, len);
	if (t == IL__NONE)
		return 0;
	return IL__AT(ix->tinfo, const struct il__term)[t].df;
}

double il_index_idf(const struct il_index *ix, size_t df)
{
	uint32_t n = ix ? ix->m.nlive : 0;
	return il__idf(n, df > n ? n : (uint32_t)df);
}
