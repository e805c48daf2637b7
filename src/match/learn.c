/*
 * learn.c - `innolink learn`: the weights fitted to recorded feedback.
 *
 * Every source's latest action per target makes positives (accepted,
 * useful, contacted) and negatives (rejected, not useful); each
 * (positive, negative) pair of one source is an example that the score
 * should order, and with d = x_pos - x_neg (the component values as the
 * current configuration computes them, without the pair's own feedback)
 * pairwise logistic regression (RankNet with a linear scorer) minimises
 *
 *   L(w) = 1/N sum log(1 + exp(-w . d)) + lambda/2 |w - w0|^2
 *
 * by full-batch gradient descent from the current weights w0; the ridge
 * towards w0 keeps components that feedback says nothing about where the
 * deployment put them.  The fitted vector is rescaled so the text weight
 * stays what it was (a ranking only depends on w's direction).
 *
 * Sources, not pairs, are split between fitting and measuring (by a hash
 * of their id), so the held-out accuracy says how the weights do on
 * demands they never saw.
 *
 * Depends on: match_internal.h.
 */
#include "match/match_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAMBDA 0.01
#define STEP 0.5
#define ITERATIONS 2000

struct target {
	enum il_kind kind;
	const char *id;
	int label; /* 1 positive, -1 negative, 0 neither */
};

struct source {
	enum il_kind kind;
	const char *id;
	struct target *t;
	size_t n, cap;
	bool test;
};

struct data {
	struct il_arena mem;
	struct source *src;
	size_t n, cap;
	int rc;
};

static int label(enum il_feedback_action a)
{
	switch (a) {
	case IL_FEEDBACK_ACCEPTED:
	case IL_FEEDBACK_USEFUL:
	case IL_FEEDBACK_CONTACTED:
		return 1;
	case IL_FEEDBACK_REJECTED:
	case IL_FEEDBACK_NOT_USEFUL:
		return -1;
	default:
		return 0;
	}
}

static int take(const struct il_feedback *f, void *ctx)
{
	struct data *d = ctx;
	struct source *s = NULL;
	int rc;
	for (size_t i = d->n; i-- > 0 && !s;)
		if (d->src[i].kind == f->from_kind && strcmp(d->src[i].id, f->from_id) == 0)
			s = &d->src[i];
	if (!s) {
		if ((rc = il__match_grow((void **)&d->src, &d->cap, d->n, sizeof(*d->src))) != 0)
			return rc;
		s = &d->src[d->n++];
		memset(s, 0, sizeof(*s));
		s->kind = f->from_kind;
		if (!(s->id = il_arena_strdup(&d->mem, f->from_id)))
			return il_error_set(IL_ENOMEM, "learn: out of memory");
	}
	/* oldest first: the latest action on a target is the one that counts */
	for (size_t i = 0; i < s->n; i++)
		if (s->t[i].kind == f->to_kind && strcmp(s->t[i].id, f->to_id) == 0) {
			s->t[i].label = label(f->action);
			return IL_OK;
		}
	if ((rc = il__match_grow((void **)&s->t, &s->cap, s->n, sizeof(*s->t))) != 0)
		return rc;
	s->t[s->n].kind = f->to_kind;
	s->t[s->n].label = label(f->action);
	if (!(s->t[s->n].id = il_arena_strdup(&d->mem, f->to_id)))
		return il_error_set(IL_ENOMEM, "learn: out of memory");
	s->n++;
	return IL_OK;
}

/* FNV-1a of the source id: which side of the split it falls on. */
static bool held_out(const char *id, double share)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return (double)(h % 10000) < share * 10000;
}

struct pairs {
	double (*d)[IL_MC__COUNT];
	bool *test;
	size_t n, cap;
};

static int add_pairs(struct pairs *p, const struct source *s, double (*x)[IL_MC__COUNT])
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->n; j++) {
			if (s->t[i].label != 1 || s->t[j].label != -1 || isnan(x[i][0]) ||
			    isnan(x[j][0]))
				continue;
			if (p->n == p->cap) {
				size_t ncap = p->cap ? p->cap * 2 : 64;
				void *a = il_realloc(p->d, ncap * sizeof(*p->d));
				if (!a)
					return il_error_set(IL_ENOMEM, "learn: out of memory");
				p->d = a;
				if (!(a = il_realloc(p->test, ncap * sizeof(*p->test))))
					return il_error_set(IL_ENOMEM, "learn: out of memory");
				p->test = a;
				p->cap = ncap;
			}
			for (unsigned k = 0; k < IL_MC__COUNT; k++)
				p->d[p->n][k] = x[i][k] - x[j][k];
			p->test[p->n++] = s->test;
		}
	return IL_OK;
}

static double dot(const double *w, const double *d)
{
	double s = 0;
	for (unsigned k = 0; k < IL_MC__COUNT; k++)
		s += w[k] * d[k];
	return s;
}

/* Share of the pairs of one side (test or not) that w orders right; a tie
 * counts half. */
static double accuracy(const struct pairs *p, const double *w, bool test)
{
	double right = 0;
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->test[i] != test)
			continue;
		double s = dot(w, p->d[i]);
		right += s > 1e-12 ? 1 : s < -1e-12 ? 0 : 0.5;
		n++;
	}
	return n ? right / (double)n : 0;
}

static void fit(const struct pairs *p, const double *w0, double *w)
{
	size_t n = 0;
	memcpy(w, w0, IL_MC__COUNT * sizeof(double));
	for (size_t i = 0; i < p->n; i++)
		n += !p->test[i];
	if (!n)
		return;
	for (int it = 0; it < ITERATIONS; it++) {
		double g[IL_MC__COUNT];
		for (unsigned k = 0; k < IL_MC__COUNT; k++)
			g[k] = LAMBDA * (w[k] - w0[k]);
		for (size_t i = 0; i < p->n; i++) {
			if (p->test[i])
				continue;
			/* d/dw log(1 + e^-z) = -d * sigma(-z) */
			double z = dot(w, p->d[i]), sig = 1 / (1 + exp(z));
			for (unsigned k = 0; k < IL_MC__COUNT; k++)
				g[k] -= p->d[i][k] * sig / (double)n;
		}
		for (unsigned k = 0; k < IL_MC__COUNT; k++)
			w[k] -= STEP * g[k];
	}
	if (w[IL_MC_TEXT] > 0 && w0[IL_MC_TEXT] > 0) {
		/* the text weight back where it was, unless that pushes another
		 * past what the configuration file holds: then the largest to the
		 * bound (the direction of w, all a ranking depends on, is kept) */
		double scale = w0[IL_MC_TEXT] / w[IL_MC_TEXT], top = 0;
		for (unsigned k = 0; k < IL_MC__COUNT; k++)
			top = fabs(w[k]) > top ? fabs(w[k]) : top;
		if (top * scale > IL__MATCH_WEIGHT_MAX)
			scale = IL__MATCH_WEIGHT_MAX / top;
		for (unsigned k = 0; k < IL_MC__COUNT; k++)
			w[k] *= scale;
	}
}

/* Held-out sources by hash; when the hash puts all on one side, every
 * third source is held out instead, so both sides have some. */
static void split(struct data *d, double share)
{
	size_t ntest = 0;
	for (size_t i = 0; i < d->n; i++)
		ntest += d->src[i].test = held_out(d->src[i].id, share);
	if (d->n >= 2 && (ntest == 0 || ntest == d->n))
		for (size_t i = 0; i < d->n; i++)
			d->src[i].test = i % 3 == 2 || (d->n == 2 && i == 1);
}

/* The pairs of every source; *sources counts those that gave some. */
static int collect_pairs(struct il_match *m, struct data *d, struct pairs *p, size_t *sources,
			 void (*progress)(double, size_t, void *), void *ctx)
{
	int rc = IL_OK;
	*sources = 0;
	for (size_t i = 0; i < d->n && !rc; i++) {
		struct source *s = &d->src[i];
		double(*x)[IL_MC__COUNT] = il_calloc(s->n ? s->n : 1, sizeof(*x));
		enum il_kind *kinds = il_calloc(s->n ? s->n : 1, sizeof(*kinds));
		const char **ids = il_calloc(s->n ? s->n : 1, sizeof(*ids));
		if (!x || !kinds || !ids) {
			rc = il_error_set(IL_ENOMEM, "learn: out of memory");
		} else {
			for (size_t j = 0; j < s->n; j++) {
				kinds[j] = s->t[j].kind;
				ids[j] = s->t[j].id;
			}
			rc = il__match_pair_values(m, s->kind, s->id, kinds, ids, s->n, x);
			/* a source deleted since its feedback teaches nothing */
			if (rc == IL_ENOTFOUND) {
				il_error_clear();
				rc = IL_OK;
			} else if (!rc) {
				size_t before = p->n;
				rc = add_pairs(p, s, x);
				*sources += p->n > before;
			}
		}
		free(x);
		free(kinds);
		free(ids);
		if (progress)
			progress((double)(i + 1) / (double)d->n, p->n, ctx);
	}
	return rc;
}

int il_match_learn(struct il_match *m, void (*progress)(double fraction, size_t n, void *ctx),
		   void *ctx, struct il_learn_report *out)
{
	struct data d;
	struct pairs p = {NULL, NULL, 0, 0};
	double w[IL_MC__COUNT];
	int rc;
	if (!m || !out)
		return il_error_set(IL_EINVAL, "il_match_learn: missing argument");
	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	il_arena_init(&d.mem, 0, 0);
	rc = il__match_feedback_each(m->store, IL_KIND__COUNT, NULL, true, take, &d);
	if (!rc) {
		split(&d, m->cfg.holdout);
		rc = collect_pairs(m, &d, &p, &out->sources, progress, ctx);
	}
	if (!rc && p.n < m->cfg.min_pairs)
		rc = il_error_set(IL_EPRECOND,
				  "learn: %zu accepted/rejected feedback pairs, %zu needed "
				  "(learn.min_pairs)",
				  p.n, m->cfg.min_pairs);
	if (!rc) {
		bool seen[2] = {false, false};
		for (size_t i = 0; i < p.n; i++) {
			out->test_pairs += p.test[i];
			seen[p.test[i]] = true;
		}
		out->pairs = p.n;
		out->train_pairs = p.n - out->test_pairs;
		fit(&p, m->cfg.weight, w);
		out->learned = m->cfg;
		memcpy(out->learned.weight, w, sizeof(w));
		out->before = accuracy(&p, m->cfg.weight, seen[1]);
		out->after = accuracy(&p, w, seen[1]);
		out->train_before = accuracy(&p, m->cfg.weight, false);
		out->train_after = accuracy(&p, w, false);
	}
	for (size_t i = 0; i < d.n; i++)
		free(d.src[i].t);
	free(d.src);
	free(p.d);
	free(p.test);
	il_arena_release(&d.mem);
	return rc;
}
