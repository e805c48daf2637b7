/*
 * match.c - matching over the API (docs/api.md, "Matching"): a demand,
 * an achievement or a person matched to the kinds it reaches, free text
 * matched to every kind, and feedback on a demand's matches.
 *
 * A match runs on the server's search index under its read lock, with the
 * worker's matcher on the worker's store handle.  A matcher caches the
 * region tree, chain links, organizations, persons, placements and the
 * feedback summary at open, which on a large store costs more than the
 * match itself, so each worker keeps its matcher between requests for as
 * long as it is current: opened over this index, at the store change the
 * index reflects (every write, feedback included, moves it on), with the
 * same weights.  Otherwise it is reopened, so a request always sees the
 * current regions, links and feedback.  The scoring weights are those of
 * DATA_DIR/match/weights.conf, or the library's defaults without it.
 *
 * Confidential demands: the source is read as the caller may see it (the
 * 404 of a missing record otherwise), and only then is the matcher told
 * the caller may use it (operator_view); results never hold confidential
 * demands (the matcher leaves them out for everyone).  Feedback is given by
 * those who may write the demand (its owner, operators of its region) and
 * by the matched party (an account that may write the matched record, city
 * operators excepted); it is listed to those who may see the demand.
 *
 * Depends on: http_internal.h, innolink/match.h.
 */
#include "http_internal.h"

#include <innolink/match.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MATCH_ARENA_BYTES ((size_t)32 << 20)
#define MATCH_ANSWER_BYTES ((size_t)32 << 20)
#define MATCH_MAX_TOP 100

struct match_params {
	struct il_match_query q;
	bool best; /* the blended order across kinds */
};

/* kind=K[,K]: names of result kinds (il_match_kind_parse). */
static int parse_kinds(struct il__http_request *req, const char *v, unsigned *kinds)
{
	const char *p = v;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[64];
		enum il_match_kind k;
		if (len == 0 || len >= sizeof(name))
			return il_error_set(IL_EINVAL, "kind '%s' is not a list of result kinds",
					    il__http_clean(req, v, 64));
		memcpy(name, p, len);
		name[len] = '\0';
		if (il_match_kind_parse(name, &k) != IL_OK)
			return il_error_set(IL_EINVAL,
					    "kind '%s' is unknown; matches are of kind "
					    "achievement, expert, institution, agency, "
					    "enterprise or demand",
					    il__http_clean(req, name, 64));
		*kinds |= 1u << k;
		if (!end)
			return IL_OK;
		p = end + 1;
	}
}

/* The parameters every match route takes; `q` for free text. */
static int parse_params(struct il__http_request *req, bool free_text, struct match_params *mp)
{
	enum { P_KIND, P_TOP, P_REGION, P_ORDER, P_LANG, P_Q, P__COUNT };
	static const char *const names[P__COUNT] = {"kind", "top", "region", "order", "lang", "q"};
	const char *v[P__COUNT];
	int rc;
	il_match_query_init(&mp->q);
	mp->best = false;
	if ((rc = il__http_params_check(req, names, free_text ? P__COUNT : P_Q, v)) != IL_OK)
		return rc;
	if (v[P_KIND] && (rc = parse_kinds(req, v[P_KIND], &mp->q.kinds)) != IL_OK)
		return rc;
	if (v[P_TOP] && (rc = il__http_param_count(req, "top", v[P_TOP], 1, MATCH_MAX_TOP,
						   &mp->q.top)) != IL_OK)
		return rc;
	if (v[P_REGION] && !v[P_REGION][0])
		return il_error_set(IL_EINVAL, "region needs a region id");
	mp->q.region = v[P_REGION];
	if (v[P_ORDER]) {
		if (strcmp(v[P_ORDER], "best") != 0 && strcmp(v[P_ORDER], "kind") != 0)
			return il_error_set(IL_EINVAL, "order must be 'kind' or 'best', not '%s'",
					    il__http_clean(req, v[P_ORDER], 32));
		mp->best = strcmp(v[P_ORDER], "best") == 0;
	}
	if (free_text) {
		if (!v[P_Q] || !v[P_Q][0])
			return il_error_set(IL_EINVAL,
					    "parameter 'q' is required: the text to match");
		mp->q.text = v[P_Q];
		mp->q.len = strlen(v[P_Q]);
	}
	mp->q.viewer = req->account.org;
	return IL_OK;
}

static void load_config(struct il__http_request *req, struct il_match_config *cfg)
{
	char path[4096];
	struct stat st;
	int rc;
	il_match_config_init(cfg);
	if (!req->srv->cfg.data_dir)
		return;
	snprintf(path, sizeof(path), "%s/match/weights.conf", req->srv->cfg.data_dir);
	/* a broken file is the operator's to fix; matching goes on with the defaults */
	if (stat(path, &st) == 0 && (rc = il_match_config_load(cfg, path)) != IL_OK) {
		il_log(IL_LOG_WARN, "%s: %s; matching uses the default weights", path,
		       il_error_detail(rc));
		il_match_config_init(cfg);
	}
}

/* A worker's matcher and what it was opened over. */
struct il__http_matcher {
	struct il_match *m;
	struct il_store *s;
	const struct il_index *ix;
	int64_t seq; /* the index's store change at open */
	struct il_match_config cfg;
};

/* The worker's matcher over `ix` (held under the read lock, so the change
 * it reflects cannot move meanwhile), reopened unless it was opened over
 * this index at this change with these weights.  Borrowed until the next
 * call on this worker. */
static int matcher(struct il__http_request *req, struct il_store *s, const struct il_index *ix,
		   const struct il_match_config *cfg, struct il_match **out)
{
	struct il__http_worker *wk;
	struct il__http_matcher *w;
	int64_t seq = atomic_load(&req->srv->index_seq);
	int rc = il__http_worker(req->srv, &wk);
	if (rc)
		return rc;
	if (!wk->matcher && !(wk->matcher = il_calloc(1, sizeof(*wk->matcher))))
		return il_error_set(IL_ENOMEM, "out of memory for a matcher");
	w = wk->matcher;
	if (!w->m || w->s != s || w->ix != ix || w->seq != seq ||
	    memcmp(&w->cfg, cfg, sizeof(*cfg)) != 0) {
		il_match_close(w->m);
		w->m = NULL;
		if ((rc = il_match_open(s, ix, req->srv->text, cfg, &w->m)) != IL_OK)
			return rc;
		w->s = s;
		w->ix = ix;
		w->seq = seq;
		w->cfg = *cfg;
	}
	*out = w->m;
	return IL_OK;
}

void il__http_matcher_close(struct il__http_matcher *m)
{
	if (m)
		il_match_close(m->m);
	free(m);
}

/* Runs the match and appends {"from": ..., "order", "results", "count", "ms"}. */
static int run(struct il__http_request *req, struct il_store *s, struct match_params *mp,
	       struct il_buf *b)
{
	struct il_match_config cfg;
	struct il_match_answer a;
	const struct il_index *ix;
	struct il_match *m = NULL;
	struct il_arena arena;
	int rc;
	load_config(req, &cfg);
	il_arena_init(&arena, 0, MATCH_ARENA_BYTES);
	if ((rc = il__http_index_acquire(req, s, &ix)) != IL_OK) {
		il_arena_release(&arena);
		return rc;
	}
	if ((rc = matcher(req, s, ix, &cfg, &m)) == IL_OK)
		rc = il_match_run(m, &mp->q, &arena, &a);
	if (!rc)
		rc = il_buf_adds(b, "{\"from\":{\"kind\":");
	if (!rc && a.from_kind < IL_KIND__COUNT) {
		rc = il_buf_addf(b, "\"%s\",\"id\":", il_kind_info(a.from_kind)->name);
		if (!rc)
			rc = il_json_string(b, a.from_id, strlen(a.from_id));
		if (!rc)
			rc = il_buf_adds(b, ",\"title\":");
		if (!rc)
			rc = il_json_string(b, a.from_title ? a.from_title : "",
					    a.from_title ? strlen(a.from_title) : 0);
	} else if (!rc) {
		rc = il_buf_adds(b, "\"text\",\"id\":null,\"title\":");
		if (!rc)
			rc = il_json_string(b, mp->q.text, mp->q.len);
	}
	if (!rc)
		rc = il_buf_addf(b, "},\"order\":\"%s\",\"results\":", mp->best ? "best" : "kind");
	if (!rc)
		rc = il_match_to_json(m, &a, mp->best ? IL_MATCH_JSON_BEST : 0, b);
	if (!rc)
		rc = il_buf_adds(b, ",\"count\":{");
	for (int k = 0; k < IL_MATCH__COUNT && !rc; k++)
		rc = il_buf_addf(b, "%s\"%s\":%zu", k ? "," : "",
				 il_match_kind_name((enum il_match_kind)k), a.count[k]);
	if (!rc)
		rc = il_buf_addf(b, "},\"ms\":%.3f}", a.ms);
	il__http_index_release(req);
	il_arena_release(&arena);
	return rc;
}

/* The record kind a path names, limited to the kinds a match starts from. */
static int source_kind(struct il__http_request *req, enum il_kind *out)
{
	const struct il_kind_info *k;
	int rc;
	if ((rc = il__http_parse_kind(req, &k)) != IL_OK)
		return rc;
	if (k->kind != IL_KIND_DEMAND && k->kind != IL_KIND_ACHIEVEMENT &&
	    k->kind != IL_KIND_PERSON)
		return il_error_set(IL_ENOTFOUND,
				    "no matches for %s: matches start from demands, "
				    "achievements and persons",
				    k->plural);
	*out = k->kind;
	return IL_OK;
}

int il__http_match_record(struct il__http_request *req)
{
	struct match_params mp;
	struct il_store *s;
	struct il_record r;
	struct il_buf b;
	int rc;
	if ((rc = parse_params(req, false, &mp)) != IL_OK)
		return rc;
	if ((rc = source_kind(req, &mp.q.from_kind)) != IL_OK)
		return rc;
	mp.q.from_id = req->args[1];
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	if ((rc = il__http_get_visible(req, s, mp.q.from_kind, mp.q.from_id, &r)) != IL_OK)
		return rc;
	il_record_release(&r);
	/* seen above: the caller may match from it, as its owner or an operator may */
	mp.q.operator_view = true;
	il_buf_init(&b, MATCH_ANSWER_BYTES);
	rc = il__http_send_buf(req, run(req, s, &mp, &b), &b);
	il_buf_release(&b);
	return rc;
}

int il__http_match_text(struct il__http_request *req)
{
	struct match_params mp;
	struct il_store *s;
	struct il_buf b;
	int rc;
	if ((rc = parse_params(req, true, &mp)) != IL_OK)
		return rc;
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&b, MATCH_ANSWER_BYTES);
	rc = il__http_send_buf(req, run(req, s, &mp, &b), &b);
	il_buf_release(&b);
	return rc;
}

/* Whether the caller is the matched party: it may write the matched record
 * itself (its organization, its achievement, its person).  A city
 * operator's reach over a region does not make it a party. */
static int is_party(struct il__http_request *req, struct il_store *s, enum il_kind kind,
		    const char *id, bool *party)
{
	struct il_record r;
	int rc;
	*party = false;
	if (il_account_role(&req->account) == IL_ROLE_CITY_OPERATOR)
		return IL_OK;
	rc = il_store_get(s, kind, id, &r);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		return IL_OK;
	}
	if (rc)
		return rc;
	rc = il_auth_may_write(s, &req->account, IL_AUTH_UPDATE, &r, &r);
	il_record_release(&r);
	if (rc == IL_EPERM) {
		il_error_clear();
		return IL_OK;
	}
	*party = rc == IL_OK;
	return rc;
}

struct feedback_body {
	enum il_kind to_kind;
	const char *to_id;
	enum il_feedback_action action;
	double score;
};

static int parse_feedback(struct il__http_request *req, json_t *j, struct feedback_body *f)
{
	json_t *kind = json_object_get(j, "to_kind"), *id = json_object_get(j, "to_id");
	json_t *action = json_object_get(j, "action"), *score = json_object_get(j, "score");
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		if (strcmp(key, "to_kind") && strcmp(key, "to_id") && strcmp(key, "action") &&
		    strcmp(key, "score"))
			return il_error_set(IL_EINVAL,
					    "unknown field '%s' in feedback; it takes "
					    "to_kind, to_id, action and score",
					    il__http_clean(req, key, 64));
	}
	if (!json_is_string(kind) || il_kind_parse(json_string_value(kind), &f->to_kind) != IL_OK)
		return il_error_set(IL_EINVAL,
				    "field 'to_kind' must name the matched record's kind "
				    "(achievement, person, organization, demand)");
	if (!json_is_string(id) || !json_string_length(id) || json_string_length(id) > 128)
		return il_error_set(IL_EINVAL, "field 'to_id' must be the matched record's id");
	f->to_id = json_string_value(id);
	if (!json_is_string(action) || il_feedback_parse(json_string_value(action), &f->action))
		return il_error_set(IL_EINVAL, "field 'action' must be one of viewed, contacted, "
					       "useful, not_useful, accepted, rejected");
	f->score = NAN;
	if (score && !json_is_number(score))
		return il_error_set(IL_EINVAL, "field 'score' must be a number");
	if (score)
		f->score = json_number_value(score);
	return IL_OK;
}

/* Whether the caller may give feedback on the demand's match to f. */
static int may_give_feedback(struct il__http_request *req, struct il_store *s,
			     const struct il_record *demand, const struct feedback_body *f)
{
	bool party = false;
	int rc = il_auth_may_write(s, &req->account, IL_AUTH_UPDATE, demand, demand);
	if (rc != IL_EPERM)
		return rc;
	if ((rc = is_party(req, s, f->to_kind, f->to_id, &party)) != IL_OK)
		return rc;
	if (!party)
		return il_error_set(IL_EPERM,
				    "account '%s' may not give feedback on this demand's "
				    "matches: it is neither the demand's owner, an operator "
				    "of its region, nor the matched party",
				    req->account.name);
	il_error_clear();
	return IL_OK;
}

struct feedback_list {
	struct il_buf *b;
	size_t n;
};

static int add_feedback(const struct il_feedback *f, void *ctx)
{
	struct feedback_list *l = ctx;
	int rc = il_buf_addf(l->b, "%s{\"id\":", l->n++ ? "," : "");
	if (!rc)
		rc = il_json_string(l->b, f->id, strlen(f->id));
	if (!rc)
		rc = il_buf_addf(l->b,
				 ",\"to_kind\":\"%s\",\"to_id\":", il_kind_info(f->to_kind)->name);
	if (!rc)
		rc = il_json_string(l->b, f->to_id, strlen(f->to_id));
	if (!rc)
		rc = il_buf_addf(l->b, ",\"action\":\"%s\",\"who\":", il_feedback_name(f->action));
	if (!rc)
		rc = il_json_string(l->b, f->who ? f->who : "", f->who ? strlen(f->who) : 0);
	if (!rc)
		rc = il_buf_adds(l->b, ",\"at\":");
	if (!rc)
		rc = il_json_string(l->b, f->at ? f->at : "", f->at ? strlen(f->at) : 0);
	if (!rc)
		rc = il_buf_addc(l->b, '}');
	return rc;
}

static int send_feedback(struct il__http_request *req, struct il_store *s, const char *demand,
			 unsigned status)
{
	struct il_buf b;
	struct feedback_list l = {&b, 0};
	int rc;
	il_buf_init(&b, MATCH_ANSWER_BYTES);
	rc = il_buf_adds(&b, "{\"demand\":");
	if (!rc)
		rc = il_json_string(&b, demand, strlen(demand));
	if (!rc)
		rc = il_buf_adds(&b, ",\"items\":[");
	/* the caller sees the demand: its own feedback is theirs to see */
	if (!rc)
		rc = il_match_feedback_list(s, IL_KIND_DEMAND, demand, true, add_feedback, &l);
	if (!rc)
		rc = il_buf_adds(&b, "]}");
	if (!rc)
		rc = il__http_send_json(req, status, &b);
	il_buf_release(&b);
	return rc;
}

int il__http_feedback_list(struct il__http_request *req)
{
	static const char *const names[] = {"lang"};
	const char *v[1];
	struct il_store *s;
	struct il_record d;
	int rc;
	if ((rc = il__http_params_check(req, names, 1, v)) != IL_OK ||
	    (rc = il__http_store(req, &s)) != IL_OK ||
	    (rc = il__http_get_visible(req, s, IL_KIND_DEMAND, req->args[0], &d)) != IL_OK)
		return rc;
	il_record_release(&d);
	return send_feedback(req, s, req->args[0], MHD_HTTP_OK);
}

int il__http_feedback_add(struct il__http_request *req)
{
	struct feedback_body f;
	struct il_store *s;
	struct il_record d;
	json_t *j = NULL;
	char who[160];
	int rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "POST %s takes no parameters", req->instance);
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	if ((rc = parse_feedback(req, j, &f)) != IL_OK || (rc = il__http_store(req, &s)) != IL_OK ||
	    (rc = il__http_get_visible(req, s, IL_KIND_DEMAND, req->args[0], &d)) != IL_OK) {
		json_decref(j);
		return rc;
	}
	rc = may_give_feedback(req, s, &d, &f);
	if (!rc && f.to_kind == IL_KIND_DEMAND) {
		struct il_record to; /* a hidden demand is the 404 of a missing one */
		if ((rc = il__http_get_visible(req, s, IL_KIND_DEMAND, f.to_id, &to)) == IL_OK)
			il_record_release(&to);
	}
	snprintf(who, sizeof(who), "api:%s", req->account.name);
	if (!rc)
		rc = il_match_feedback(s, IL_KIND_DEMAND, d.id, f.to_kind, f.to_id, f.action, who,
				       f.score, NULL);
	if (!rc)
		rc = send_feedback(req, s, d.id, MHD_HTTP_CREATED);
	il_record_release(&d);
	json_decref(j);
	return rc;
}
