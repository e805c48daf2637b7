/*
 * assign.c - placing records on chain links: by rule, by the classifier,
 * by hand.
 *
 * A run works record by record: what the rules and the classifier say now
 * is compared with the automatic placements the record already has, and
 * only the differences are written (put or deleted, so each keeps its
 * history), in one transaction.  Re-running with nothing changed writes
 * nothing.  A record with a manual placement is left exactly as it is:
 * a person decided where it belongs, and a re-run must not undo that.
 *
 * Placement ids are derived from what they place
 * ("ASG-organization:CO-000852@LNK-JZ-PETROMACH-02"), so the same placement
 * always has the same id and its versions form one history.
 */
#include "chain_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rule placements kept per record when a code matches more links. */
#define MAX_RULE 3

struct placement {
	size_t link; /* index into run->links */
	const char *method; /* "rule" or "classifier" */
	double confidence;
};

struct run {
	struct il_store *s;
	const struct il_chain_assign_opts *o;
	struct il_chain_assign_stats *st;
	struct il_chain_classifier *cl;
	struct il__recs chains, links;
	struct il__recs asg; /* every placement, sorted by (kind, entity) */
	struct il_strmap changed; /* "kind:id" of records changed since o->since */
	struct placement *want;
	size_t nwant;
	struct il_chain_guess *guess; /* room for every link */
};

static int asg_id(enum il_kind kind, const char *entity, const char *link, char *out, size_t size)
{
	int n = snprintf(out, size, "ASG-%s:%s@%s", il_kind_info(kind)->name, entity, link);
	if (n > 0 && (size_t)n < size && n <= 128)
		return IL_OK;
	/* ids are at most 128 bytes: a long pair is named by its hash */
	uint64_t h = 1469598103934665603ull;
	for (const char *p = entity; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (const char *p = link; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	snprintf(out, size, "ASG-%s:H%016llx", il_kind_info(kind)->name, (unsigned long long)h);
	return IL_OK;
}

static const char *entity_key(const struct il_record *a, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%s",
		 il_record_get(a, "entity_kind") ? il_record_get(a, "entity_kind") : "",
		 il_record_get(a, "entity") ? il_record_get(a, "entity") : "");
	return buf;
}

static int cmp_asg(const void *x, const void *y)
{
	char ka[300], kb[300];
	return strcmp(entity_key(x, ka, sizeof(ka)), entity_key(y, kb, sizeof(kb)));
}

/* The placements of one record: [*first, *first + *n) of run->asg. */
static void placements_of(const struct run *run, enum il_kind kind, const char *id, size_t *first,
			  size_t *n)
{
	char key[300], probe[300];
	size_t lo = 0, hi = run->asg.n;
	snprintf(key, sizeof(key), "%s:%s", il_kind_info(kind)->name, id);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(entity_key(&run->asg.r[mid], probe, sizeof(probe)), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (*n = 0; lo + *n < run->asg.n &&
		     strcmp(entity_key(&run->asg.r[lo + *n], probe, sizeof(probe)), key) == 0;)
		(*n)++;
}

static int want_add(struct run *run, size_t link, const char *method, double confidence)
{
	for (size_t i = 0; i < run->nwant; i++)
		if (run->want[i].link == link)
			return IL_OK;
	if (run->nwant % 16 == 0) {
		struct placement *grown =
			il_realloc(run->want, (run->nwant + 16) * sizeof(*run->want));
		if (!grown)
			return IL_ENOMEM;
		run->want = grown;
	}
	run->want[run->nwant].link = link;
	run->want[run->nwant].method = method;
	run->want[run->nwant++].confidence = confidence;
	return IL_OK;
}

/* Whether an IPC class ("E21B 43/26") lies in a link's subclass ("E21B"). */
static bool ipc_within(const char *cls, size_t len, const char *link_ipc)
{
	for (const char *p = link_ipc; p && *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n && n <= len && memcmp(cls, p, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

struct rule_ctx {
	struct run *run;
	bool ipc;
};

static int rule_item(const char *item, size_t len, void *vctx)
{
	struct rule_ctx *x = vctx;
	int rc = IL_OK;
	for (size_t i = 0; i < x->run->links.n && !rc; i++) {
		const struct il_record *l = &x->run->links.r[i];
		bool hit = x->ipc ? ipc_within(item, len, il_record_get(l, "ipc"))
				  : il__list_has(il_record_get(l, "industry_codes"), item, len) ||
					    il__list_has(il_record_get(l, "sw_codes"), item, len);
		if (hit)
			rc = want_add(x->run, i, "rule", 1.0);
	}
	return rc;
}

/* Orders rule placements by the classifier's score of their link. */
static int cmp_rule(const void *x, const void *y)
{
	const struct placement *a = x, *b = y;
	return a->confidence != b->confidence ? (a->confidence > b->confidence ? -1 : 1)
					      : (a->link > b->link) - (a->link < b->link);
}

/*
 * What a record should be placed on now, into run->want.  A code shared by
 * many links (a software class, a steel class) would scatter a record over
 * every chain that uses it, so when more than MAX_RULE links match, the
 * ones whose profile the record's text matches best are kept.
 */
static int wanted(struct run *run, const struct il_record *r)
{
	struct rule_ctx x = {run, false};
	size_t n, max = run->o->max_guesses ? run->o->max_guesses : 2, taken = 0;
	double min = run->o->min_confidence > 0 ? run->o->min_confidence : 0.5;
	int rc;
	run->nwant = 0;
	if ((rc = il__each_item(il_record_get(r, "industry_codes"), rule_item, &x)) != IL_OK)
		return rc;
	x.ipc = true;
	if (r->kind == IL_KIND_ACHIEVEMENT &&
	    (rc = il__each_item(il_record_get(r, "ipc"), rule_item, &x)) != IL_OK)
		return rc;
	if ((rc = il_chain_classify(run->cl, r, run->links.n, run->guess, &n)) != IL_OK)
		return rc;
	if (run->nwant > MAX_RULE) {
		for (size_t j = 0; j < run->nwant; j++) {
			run->want[j].confidence = 0; /* the text's score, for ordering */
			for (size_t i = 0; i < n; i++)
				if (strcmp(run->guess[i].link,
					   run->links.r[run->want[j].link].id) == 0)
					run->want[j].confidence = run->guess[i].score;
		}
		qsort(run->want, run->nwant, sizeof(*run->want), cmp_rule);
		run->nwant = MAX_RULE;
		for (size_t j = 0; j < run->nwant; j++)
			run->want[j].confidence = 1.0;
	}
	for (size_t i = 0; i < n && taken < max && run->guess[i].confidence >= min; i++) {
		ptrdiff_t li = il__recs_find(&run->links, run->guess[i].link);
		size_t before = run->nwant;
		if (li >= 0 &&
		    (rc = want_add(run, (size_t)li, "classifier", run->guess[i].confidence)))
			return rc;
		taken += run->nwant > before;
	}
	return IL_OK;
}

static void report(struct run *run, enum il_chain_change_what what, const struct il_record *r,
		   const char *link, const char *method, double conf, double old)
{
	struct il_chain_change c;
	if (!run->o->change)
		return;
	c.what = what;
	c.kind = r->kind;
	c.entity = r->id;
	c.link = link;
	c.method = method;
	c.confidence = conf;
	c.old_confidence = old;
	run->o->change(&c, run->o->ctx);
}

static int put_placement(struct run *run, const struct il_record *r, const char *link,
			 const char *method, double confidence)
{
	struct il_record a;
	enum il_put_result res;
	char id[300], conf[32];
	const char *kind = il_kind_info(r->kind)->name;
	int rc = il_record_init(&a, IL_KIND_ASSIGNMENT);
	if (rc)
		return rc;
	asg_id(r->kind, r->id, link, id, sizeof(id));
	snprintf(conf, sizeof(conf), "%.3f", confidence);
	a.demo = r->demo;
	if (!(rc = il_record_set_id(&a, id, strlen(id))) &&
	    !(rc = il_record_set_by_name(&a, "entity_kind", kind, strlen(kind))) &&
	    !(rc = il_record_set_by_name(&a, "entity", r->id, strlen(r->id))) &&
	    !(rc = il_record_set_by_name(&a, "link", link, strlen(link))) &&
	    !(rc = il_record_set_by_name(&a, "method", method, strlen(method))) &&
	    !(rc = il_record_set_by_name(&a, "confidence", conf, strlen(conf))))
		rc = il_store_put(run->s, &a, 0, run->o->source ? run->o->source : "chain:assign",
				  &res);
	il_record_release(&a);
	return rc;
}

static const char *src_of(const struct run *run)
{
	return run->o->source ? run->o->source : "chain:assign";
}

/* Brings one record's automatic placements to what is wanted now. */
static int place_record(struct run *run, const struct il_record *r)
{
	size_t first, n;
	int rc;
	run->st->records++;
	placements_of(run, r->kind, r->id, &first, &n);
	for (size_t i = first; i < first + n; i++) {
		const char *m = il_record_get(&run->asg.r[i], "method");
		if (m && strcmp(m, "manual") == 0) {
			run->st->manual++;
			return IL_OK;
		}
	}
	if ((rc = wanted(run, r)) != IL_OK)
		return rc;
	for (size_t i = first; i < first + n && !rc; i++) {
		const struct il_record *a = &run->asg.r[i];
		const char *link = il_record_get(a, "link"), *conf = il_record_get(a, "confidence");
		ptrdiff_t li = il__recs_find(&run->links, link);
		size_t w = run->nwant;
		char id[300];
		/* a placement imported under another id is replaced by one under
		 * the derived id, so a link never holds a record twice */
		asg_id(r->kind, r->id, link, id, sizeof(id));
		for (size_t j = 0; li >= 0 && j < run->nwant && strcmp(a->id, id) == 0; j++)
			if (run->want[j].link == (size_t)li && run->want[j].method)
				w = j;
		double old = conf ? atof(conf) : 0;
		if (w == run->nwant) {
			report(run, IL_CHAIN_REMOVED, r, link, il_record_get(a, "method"), old,
			       old);
			run->st->removed++;
			if (!run->o->dry_run)
				rc = il_store_delete(run->s, IL_KIND_ASSIGNMENT, a->id,
						     src_of(run));
			continue;
		}
		struct placement *p = &run->want[w];
		if (strcmp(p->method, il_record_get(a, "method")) != 0 ||
		    fabs(p->confidence - old) >= 0.0005) {
			report(run, IL_CHAIN_UPDATED, r, link, p->method, p->confidence, old);
			run->st->updated++;
			if (!run->o->dry_run)
				rc = put_placement(run, r, link, p->method, p->confidence);
		} else {
			run->st->unchanged++;
		}
		p->method = NULL; /* handled */
	}
	for (size_t j = 0; j < run->nwant && !rc; j++) {
		const struct placement *p = &run->want[j];
		if (!p->method)
			continue;
		report(run, IL_CHAIN_ADDED, r, run->links.r[p->link].id, p->method, p->confidence,
		       0);
		run->st->added++;
		if (!run->o->dry_run)
			rc = put_placement(run, r, run->links.r[p->link].id, p->method,
					   p->confidence);
	}
	return rc;
}

static int note_change(const struct il_change *c, void *ctx)
{
	char key[300];
	snprintf(key, sizeof(key), "%s:%s", il_kind_info(c->kind)->name, c->id);
	return il_strmap_put(ctx, key, strlen(key), 1, NULL);
}

static int place_kind(struct run *run, enum il_kind kind, size_t done, size_t total)
{
	struct il__recs recs = {0};
	struct il_query q;
	char key[300];
	int rc;
	il_query_init(&q, kind);
	q.include_confidential = true;
	if (run->o->id) {
		struct il_record r;
		if ((rc = il_store_get(run->s, kind, run->o->id, &r)) != IL_OK)
			return rc;
		rc = place_record(run, &r);
		il_record_release(&r);
		return rc;
	}
	if ((rc = il__recs_load(run->s, &q, &recs)) != IL_OK)
		return rc;
	for (size_t i = 0; i < recs.n && !rc; i++) {
		snprintf(key, sizeof(key), "%s:%s", il_kind_info(kind)->name, recs.r[i].id);
		if (run->o->since && il_strmap_get(&run->changed, key, strlen(key)) < 0)
			continue;
		rc = place_record(run, &recs.r[i]);
		if (run->o->progress && i % 64 == 0)
			run->o->progress(((double)done + (double)i / (double)recs.n) /
						 (double)total,
					 run->st->records, run->o->ctx);
	}
	il__recs_release(&recs);
	return rc;
}

static int load_placements(struct il_store *s, struct il__recs *out)
{
	struct il_query q;
	int rc;
	il_query_init(&q, IL_KIND_ASSIGNMENT);
	q.include_confidential = true;
	if ((rc = il__recs_load(s, &q, out)) == IL_OK && out->n > 1)
		qsort(out->r, out->n, sizeof(*out->r), cmp_asg);
	return rc;
}

int il_chain_assign(struct il_store *s, const struct il_text *text,
		    const struct il_chain_assign_opts *o, struct il_chain_assign_stats *st)
{
	unsigned kinds = o->kinds ? o->kinds & IL__PLACED_KINDS : IL__PLACED_KINDS;
	size_t nkinds = 0, done = 0;
	struct run run;
	int rc;
	memset(st, 0, sizeof(*st));
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.o = o;
	run.st = st;
	il_strmap_init(&run.changed);
	for (int k = 0; k < IL_KIND__COUNT; k++)
		nkinds += (kinds >> k) & 1u;
	if ((rc = il__links_in_order(s, NULL, &run.chains, &run.links)) != IL_OK)
		goto out;
	/* links by id, for il__recs_find */
	if (run.links.n > 1)
		qsort(run.links.r, run.links.n, sizeof(*run.links.r), il__cmp_record_id);
	if (!(run.guess = il_calloc(run.links.n + 1, sizeof(*run.guess)))) {
		rc = IL_ENOMEM;
		goto out;
	}
	if ((rc = il_chain_classifier_open(text, s, &run.cl)) != IL_OK ||
	    (rc = load_placements(s, &run.asg)) != IL_OK ||
	    (o->since && (rc = il_store_changes(s, o->since, note_change, &run.changed)) != IL_OK))
		goto out;
	if (!o->dry_run && (rc = il_store_begin(s)) != IL_OK)
		goto out;
	for (int k = 0; k < IL_KIND__COUNT && !rc; k++)
		if (kinds & (1u << k))
			rc = place_kind(&run, (enum il_kind)k, done++, nkinds ? nkinds : 1);
	if (!o->dry_run)
		rc = rc ? (il_store_rollback(s), rc) : il_store_commit(s);
	if (!rc && o->progress)
		o->progress(1.0, st->records, o->ctx);
out:
	il_chain_classifier_close(run.cl);
	il__recs_release(&run.chains);
	il__recs_release(&run.links);
	il__recs_release(&run.asg);
	il_strmap_release(&run.changed);
	free(run.want);
	free(run.guess);
	return rc;
}

int il_chain_place(struct il_store *s, enum il_kind kind, const char *id, const char *link,
		   bool remove, const char *source)
{
	struct il__recs mine = {0};
	struct il_record r, l;
	struct il_query q;
	char aid[300];
	int rc;
	if (!((1u << kind) & IL__PLACED_KINDS))
		return il_error_set(IL_EINVAL, "%s records are not placed on chain links",
				    il_kind_info(kind)->name);
	if ((rc = il_store_get(s, IL_KIND_LINK, link, &l)) != IL_OK)
		return il_error_set(rc, "no chain link '%s'", link);
	il_record_release(&l);
	if ((rc = il_store_get(s, kind, id, &r)) != IL_OK)
		return rc;
	asg_id(kind, id, link, aid, sizeof(aid));
	il_query_init(&q, IL_KIND_ASSIGNMENT);
	q.include_confidential = true;
	q.field[0] = "entity_kind";
	q.value[0] = il_kind_info(kind)->name;
	q.field[1] = "entity";
	q.value[1] = id;
	q.nfilters = 2;
	if ((rc = il__recs_load(s, &q, &mine)) != IL_OK || (rc = il_store_begin(s)) != IL_OK)
		goto out;
	if (remove) {
		ptrdiff_t i = il__recs_find(&mine, aid);
		const char *m = i >= 0 ? il_record_get(&mine.r[i], "method") : NULL;
		if (!m || strcmp(m, "manual") != 0)
			rc = il_error_set(IL_ENOTFOUND, "%s %s is not placed on %s by hand",
					  il_kind_info(kind)->name, id, link);
		else
			rc = il_store_delete(s, IL_KIND_ASSIGNMENT, aid, source);
	} else {
		struct run run;
		struct il_chain_assign_opts o;
		struct il_chain_assign_stats st;
		memset(&run, 0, sizeof(run));
		memset(&o, 0, sizeof(o));
		o.source = source;
		run.s = s;
		run.o = &o;
		run.st = &st;
		for (size_t i = 0; i < mine.n && !rc; i++) {
			const char *m = il_record_get(&mine.r[i], "method");
			if (m && strcmp(m, "manual") != 0)
				rc = il_store_delete(s, IL_KIND_ASSIGNMENT, mine.r[i].id, source);
		}
		if (!rc)
			rc = put_placement(&run, &r, link, "manual", 1.0);
	}
	rc = rc ? (il_store_rollback(s), rc) : il_store_commit(s);
out:
	il__recs_release(&mine);
	il_record_release(&r);
	return rc;
}
