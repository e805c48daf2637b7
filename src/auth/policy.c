/*
 * policy.c - who may write which record, and who may see a confidential
 * demand.
 *
 * The rules (docs/internals/auth.md has the table):
 *  - the public writes nothing;
 *  - an operator writes everything;
 *  - a city operator writes records whose region is its own or lies inside
 *    it, before and after the change (it cannot move a record out);
 *  - an enterprise, institution or agency writes the records its
 *    organization owns, before and after the change, and may not create or
 *    delete organizations;
 *  - an expert updates its own person record;
 *  - the parties of a match (the owner of what it is from, the
 *    organization or person it is to, or the owner of the achievement it
 *    is to) record their feedback on it: its state and actor, nothing else;
 *  - a confidential demand is seen by operators, city operators of its
 *    region, its owner's accounts and the accounts of the parties it was
 *    matched with.
 *
 * Depends on: base, model, store.
 */
#include <innolink/auth.h>

#include <stdlib.h>
#include <string.h>

#define MAX_REGION_DEPTH 16

static const char *get(const struct il_record *r, const char *field)
{
	return r ? il_record_get(r, field) : NULL;
}

int il_auth_region_within(struct il_store *s, const char *id, const char *ancestor, bool *in)
{
	char *cur = NULL;
	int rc = IL_OK;
	*in = false;
	if (!id || !ancestor)
		return IL_OK;
	if (!(cur = il_strdup(id)))
		return il_error_set(IL_ENOMEM, "out of memory walking regions");
	/* a cycle in the region tree must not hang a request: the depth is capped */
	for (int depth = 0; depth < MAX_REGION_DEPTH && cur && !*in; depth++) {
		struct il_record r;
		const char *parent;
		if (strcmp(cur, ancestor) == 0) {
			*in = true;
			break;
		}
		rc = il_store_get(s, IL_KIND_REGION, cur, &r);
		if (rc == IL_ENOTFOUND) {
			il_error_clear();
			rc = IL_OK;
			break;
		}
		if (rc)
			break;
		parent = il_record_get(&r, "parent");
		free(cur);
		cur = parent ? il_strdup(parent) : NULL;
		il_record_release(&r);
		if (parent && !cur)
			rc = il_error_set(IL_ENOMEM, "out of memory walking regions");
	}
	free(cur);
	return rc;
}

/* The region of a record of another kind named by (kind, id). */
static int region_of_ref(struct il_store *s, const char *kind, const char *id, char **out);

/* The region a record belongs to, as defined above; *out NULL when none,
 * caller frees. */
static int record_region(struct il_store *s, const struct il_record *r, char **out)
{
	const char *v;
	*out = NULL;
	switch (r->kind) {
	case IL_KIND_REGION:
		v = r->id;
		break;
	case IL_KIND_LINK:
		return region_of_ref(s, "chain", get(r, "chain"), out);
	case IL_KIND_ASSIGNMENT:
		return region_of_ref(s, "link", get(r, "link"), out);
	case IL_KIND_MATCH:
		return region_of_ref(s, get(r, "from_kind"), get(r, "from_id"), out);
	default:
		v = get(r, "region");
		break;
	}
	if (v && !(*out = il_strdup(v)))
		return il_error_set(IL_ENOMEM, "out of memory");
	return IL_OK;
}

static int region_of_ref(struct il_store *s, const char *kind, const char *id, char **out)
{
	struct il_record r;
	enum il_kind k;
	int rc;
	*out = NULL;
	if (!kind || !id || il_kind_parse(kind, &k) != IL_OK) {
		il_error_clear();
		return IL_OK;
	}
	rc = il_store_get(s, k, id, &r);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		return IL_OK;
	}
	if (rc)
		return rc;
	rc = record_region(s, &r, out);
	il_record_release(&r);
	return rc;
}

/* Whether the organization `org` owns record `r`. */
static bool owned_by(const struct il_record *r, const char *org)
{
	const char *a, *b;
	if (!r || !org)
		return false;
	switch (r->kind) {
	case IL_KIND_ORGANIZATION:
		return r->id && strcmp(r->id, org) == 0;
	case IL_KIND_ACHIEVEMENT:
	case IL_KIND_DEMAND:
		a = get(r, "owner");
		return a && strcmp(a, org) == 0;
	case IL_KIND_DEAL:
		a = get(r, "buyer");
		b = get(r, "seller");
		return (a && strcmp(a, org) == 0) || (b && strcmp(b, org) == 0);
	default:
		return false;
	}
}

static int refuse(const struct il_account *a, enum il_auth_action act, const struct il_record *rec,
		  const char *why)
{
	static const char *const verbs[] = {"create", "update", "delete"};
	return il_error_set(IL_EPERM, "account '%s' (%s) may not %s this %s: %s", a->name, a->role,
			    verbs[act], il_kind_info(rec->kind)->name, why);
}

static int city_may_write(struct il_store *s, const struct il_account *a, enum il_auth_action act,
			  const struct il_record *old, const struct il_record *r)
{
	const struct il_record *recs[2] = {old, r};
	for (int i = 0; i < 2; i++) {
		char *region = NULL;
		bool in = false;
		int rc;
		if (!recs[i])
			continue;
		if ((rc = record_region(s, recs[i], &region)) != IL_OK)
			return rc;
		rc = il_auth_region_within(s, region, a->region, &in);
		free(region);
		if (rc)
			return rc;
		if (!in)
			return refuse(a, act, recs[i], "it is not in the account's region");
	}
	return IL_OK;
}

static int org_may_write(const struct il_account *a, enum il_auth_action act,
			 const struct il_record *old, const struct il_record *r)
{
	const struct il_record *rec = r ? r : old;
	if (rec->kind == IL_KIND_ORGANIZATION && act != IL_AUTH_UPDATE)
		return refuse(a, act, rec, "organizations are added and removed by operators");
	if ((old && !owned_by(old, a->org)) || (r && !owned_by(r, a->org)))
		return refuse(a, act, rec, "the account's organization does not own it");
	return IL_OK;
}

/* Whether the record of (kind, id) belongs to the account: owned by its
 * organization, or its own person record. */
static int ref_is_mine(struct il_store *s, const struct il_account *a, const char *kind,
		       const char *id, bool *mine)
{
	struct il_record r;
	enum il_kind k;
	int rc;
	*mine = false;
	if (!kind || !id || il_kind_parse(kind, &k) != IL_OK) {
		il_error_clear();
		return IL_OK;
	}
	if (k == IL_KIND_PERSON) {
		*mine = a->person && strcmp(id, a->person) == 0;
		return IL_OK;
	}
	if (k == IL_KIND_ORGANIZATION) {
		*mine = a->org && strcmp(id, a->org) == 0;
		return IL_OK;
	}
	rc = il_store_get(s, k, id, &r);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		return IL_OK;
	}
	if (rc)
		return rc;
	*mine = owned_by(&r, a->org);
	il_record_release(&r);
	return IL_OK;
}

/* Feedback on a match by one of its parties: only state and actor change. */
static int feedback_allowed(struct il_store *s, const struct il_account *a,
			    const struct il_record *old, const struct il_record *r, bool *ok)
{
	const struct il_kind_info *k = il_kind_info(IL_KIND_MATCH);
	bool from = false, to = false;
	int rc;
	*ok = false;
	for (size_t i = 0; i < k->nfields; i++) {
		const char *x = old->values[i], *y = r->values[i];
		if (strcmp(k->fields[i].name, "state") == 0 ||
		    strcmp(k->fields[i].name, "actor") == 0)
			continue;
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return IL_OK;
	}
	if ((rc = ref_is_mine(s, a, get(old, "from_kind"), get(old, "from_id"), &from)) != IL_OK ||
	    (rc = ref_is_mine(s, a, get(old, "to_kind"), get(old, "to_id"), &to)) != IL_OK)
		return rc;
	*ok = from || to;
	return IL_OK;
}

int il_auth_may_write(struct il_store *s, const struct il_account *a, enum il_auth_action act,
		      const struct il_record *old, const struct il_record *r)
{
	const struct il_record *rec = r ? r : old;
	enum il_role role = il_account_role(a);
	if (rec->kind == IL_KIND_MATCH && act == IL_AUTH_UPDATE && old && r &&
	    role != IL_ROLE_PUBLIC && role != IL_ROLE_OPERATOR && role != IL_ROLE_CITY_OPERATOR) {
		bool ok = false;
		int rc = feedback_allowed(s, a, old, r, &ok);
		if (rc || ok)
			return rc;
		return refuse(a, act, rec, "a party of a match may change only its state");
	}
	switch (role) {
	case IL_ROLE_OPERATOR:
		return IL_OK;
	case IL_ROLE_CITY_OPERATOR:
		return city_may_write(s, a, act, old, r);
	case IL_ROLE_ENTERPRISE:
	case IL_ROLE_INSTITUTION:
	case IL_ROLE_AGENCY:
		return org_may_write(a, act, old, r);
	case IL_ROLE_EXPERT:
		if (rec->kind == IL_KIND_PERSON && act == IL_AUTH_UPDATE && a->person &&
		    strcmp(rec->id, a->person) == 0 && (!old || strcmp(old->id, a->person) == 0))
			return IL_OK;
		return refuse(a, act, rec, "an expert edits only its own person record");
	default:
		return il_error_set(IL_EAUTH, "writing needs an account: log in or send a token");
	}
}

bool il_auth_sees_all(const struct il_account *a)
{
	return il_account_role(a) == IL_ROLE_OPERATOR;
}

static bool is_confidential(const struct il_record *r)
{
	const char *v = r->kind == IL_KIND_DEMAND ? get(r, "visibility") : NULL;
	return v && strcmp(v, "confidential") == 0;
}

struct party_ctx {
	struct il_store *s;
	const struct il_account *a;
	bool found;
};

/* Whether the match's other side is the account's organization or person
 * (directly, or through the achievement it names). */
static int match_party(const struct il_record *m, void *vctx)
{
	struct party_ctx *c = vctx;
	const char *kind = get(m, "to_kind"), *id = get(m, "to_id");
	struct il_record r;
	int rc;
	if (!kind || !id)
		return IL_OK;
	if (strcmp(kind, "organization") == 0)
		c->found |= c->a->org && strcmp(id, c->a->org) == 0;
	else if (strcmp(kind, "person") == 0)
		c->found |= c->a->person && strcmp(id, c->a->person) == 0;
	else if (strcmp(kind, "achievement") == 0 && c->a->org) {
		rc = il_store_get(c->s, IL_KIND_ACHIEVEMENT, id, &r);
		if (rc == IL_ENOTFOUND) {
			il_error_clear();
			return IL_OK;
		}
		if (rc)
			return rc;
		c->found |= owned_by(&r, c->a->org);
		il_record_release(&r);
	}
	return c->found ? 1 : IL_OK; /* 1 stops the walk */
}

static int matched_with(struct il_store *s, const struct il_account *a, const char *demand,
			bool *found)
{
	struct party_ctx c = {s, a, false};
	struct il_query q;
	int rc;
	il_query_init(&q, IL_KIND_MATCH);
	q.include_confidential = true;
	q.field[0] = "from_kind";
	q.value[0] = "demand";
	q.field[1] = "from_id";
	q.value[1] = demand;
	q.nfilters = 2;
	rc = il_store_list(s, &q, match_party, &c, NULL);
	*found = c.found;
	return rc == 1 ? IL_OK : rc;
}

int il_auth_may_see(struct il_store *s, const struct il_account *a, const struct il_record *r,
		    bool *see)
{
	char *region = NULL;
	int rc;
	*see = true;
	if (!is_confidential(r))
		return IL_OK;
	switch (il_account_role(a)) {
	case IL_ROLE_OPERATOR:
		return IL_OK;
	case IL_ROLE_PUBLIC:
		*see = false;
		return IL_OK;
	case IL_ROLE_CITY_OPERATOR:
		if ((rc = record_region(s, r, &region)) != IL_OK)
			return rc;
		rc = il_auth_region_within(s, region, a->region, see);
		free(region);
		return rc;
	default:
		if (owned_by(r, a->org))
			return IL_OK;
		return matched_with(s, a, r->id, see);
	}
}
