/*
 * hmm.c - jieba's character HMM for words the dictionary does not know.
 *
 * Each character of a run of unknown single characters is labelled B
 * (begins a word), M (inside), E (ends) or S (a word alone) by Viterbi
 * decoding (Rabiner 1989) with jieba's finalseg parameters, compiled into
 * main.dict:
 *
 *   V[0][y] = start[y] + emit[y][c0]
 *   V[t][y] = max over x in prev(y) of V[t-1][x] + trans[x][y] + emit[y][ct]
 *
 * where prev(B) = {E, S}, prev(M) = {M, B}, prev(E) = {B, M}, prev(S) =
 * {S, E}: a word can only begin after one ended.  The last label is E or S
 * (no word is left open).  Unseen events carry jieba's MIN_FLOAT
 * (-3.14e100) rather than -inf, and ties go to the larger state letter, as
 * Python's max() over (prob, state) tuples does; both matter for matching
 * jieba's output exactly on characters the model never saw.
 *
 * Invariants: no allocation; O(n) time; `back` is 4 * n bytes of scratch.
 * Depends on: segment_internal.h (the mapped tables).
 */
#include "segment_internal.h"

static const uint8_t prev_state[4][2] = {
	[IL__HMM_B] = {IL__HMM_E, IL__HMM_S},
	[IL__HMM_M] = {IL__HMM_M, IL__HMM_B},
	[IL__HMM_E] = {IL__HMM_B, IL__HMM_M},
	[IL__HMM_S] = {IL__HMM_S, IL__HMM_E},
};

/* The letters jieba names the states with, for its tie-break. */
static const char state_letter[4] = {'B', 'M', 'E', 'S'};

void il__hmm_viterbi(const struct il__dict *d, const uint16_t *codes, size_t n, uint8_t *back,
		     uint8_t *states)
{
	const double *start = d->hmm_start, *trans = d->hmm_trans, *emit = d->hmm_emit;
	size_t nc = d->ncodes;
	double v[4], nv[4];
	if (n == 0)
		return;
	for (int y = 0; y < 4; y++)
		v[y] = start[y] + emit[(size_t)y * nc + codes[0]];
	for (size_t t = 1; t < n; t++) {
		for (int y = 0; y < 4; y++) {
			double em = emit[(size_t)y * nc + codes[t]];
			uint8_t a = prev_state[y][0], b = prev_state[y][1];
			/* left to right, as Python adds them */
			double pa = v[a] + trans[a * 4 + y] + em;
			double pb = v[b] + trans[b * 4 + y] + em;
			bool take_b = pb > pa || (pb == pa && state_letter[b] > state_letter[a]);
			nv[y] = take_b ? pb : pa;
			back[t * 4 + (size_t)y] = take_b ? b : a;
		}
		for (int y = 0; y < 4; y++)
			v[y] = nv[y];
	}
	uint8_t s = v[IL__HMM_S] >= v[IL__HMM_E] ? IL__HMM_S : IL__HMM_E;
	for (size_t t = n; t-- > 0;) {
		states[t] = s;
		if (t > 0)
			s = back[t * 4 + s];
	}
}
