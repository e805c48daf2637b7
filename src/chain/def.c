/*
 * def.c - chain definition files (data/chains/NAME.json) to and from the
 * store, and the list of chains as JSON.
 *
 * A definition is one JSON object per chain: the chain's fields and
 * "segments", an object whose members upstream, midstream and downstream
 * are arrays of links; a link may hold "links", its sub-links.  Where a
 * link stands gives its chain, segment, parent and position, so the file
 * never repeats them.  Importing upserts every record in one transaction
 * and deletes the links (and their placements) the file no longer has, so
 * a definition edited and imported again is exactly what the store holds.
 */
#include "chain_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const chain_members[] = {"name_zh",     "name_en",        "region",
					    "description", "industry_codes", NULL};
static const char *const link_members[] = {"name_zh",        "name_en",     "keywords",
					   "industry_codes", "sw_codes",    "ipc",
					   "products",       "upstream_of", NULL};
static const char *const segments[] = {"upstream", "midstream", "downstream", NULL};

struct def_run {
	struct il_store *s;
	const char *file;
	const char *source;
	bool demo;
	const char *chain;
	struct il_strmap ids; /* link ids of the file */
	struct il_import_stats *st;
};

static bool member_known(const char *key, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	return false;
}

/* Sets field `key` of r from a JSON string or array of strings. */
static int set_member(struct def_run *run, struct il_record *r, const char *key, json_t *v)
{
	struct il_buf b = IL_BUF_INIT;
	size_t i;
	json_t *item;
	int rc = IL_OK;
	if (json_is_string(v))
		return il_record_set_by_name(r, key, json_string_value(v), json_string_length(v));
	if (json_is_integer(v) || json_is_real(v)) {
		rc = il_buf_addf(&b, "%g", json_number_value(v));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
		{
			if (!json_is_string(item)) {
				il_buf_release(&b);
				return il_error_set(IL_EFORMAT, "%s: %s: '%s' must list strings",
						    run->file, r->id, key);
			}
			if ((i && (rc = il_buf_addc(&b, ';'))) ||
			    (rc = il_buf_adds(&b, json_string_value(item))))
				break;
		}
	} else {
		return il_error_set(IL_EFORMAT, "%s: %s: '%s' must be a string or a list",
				    run->file, r->id, key);
	}
	if (!rc)
		rc = il_record_set_by_name(r, key, il_buf_cstr(&b), b.len);
	il_buf_release(&b);
	return rc;
}

static int put(struct def_run *run, struct il_record *r)
{
	enum il_put_result res;
	int rc = il_record_validate(r);
	if (!rc)
		rc = il_store_put(run->s, r, IL_PUT_NO_DEDUP, run->source, &res);
	if (rc) {
		il_error_prefix("%s: %s", run->file, r->id ? r->id : "?");
		return rc;
	}
	run->st->rows++;
	if (res == IL_PUT_INSERTED)
		run->st->inserted++;
	else if (res == IL_PUT_UNCHANGED)
		run->st->unchanged++;
	else
		run->st->updated++;
	return IL_OK;
}

static int put_links(struct def_run *run, json_t *arr, const char *segment, const char *parent);

static int put_link(struct def_run *run, json_t *o, const char *segment, const char *parent,
		    size_t position)
{
	struct il_record r;
	const char *key;
	json_t *v, *id = json_object_get(o, "id"), *subs = NULL;
	char pos[32];
	int rc;
	if (!json_is_object(o) || !json_is_string(id))
		return il_error_set(IL_EFORMAT,
				    "%s: %s link %zu of %s: not an object with an \"id\"",
				    run->file, segment, position, parent ? parent : run->chain);
	if ((rc = il_record_init(&r, IL_KIND_LINK)) != IL_OK)
		return rc;
	r.demo = run->demo;
	snprintf(pos, sizeof(pos), "%zu", position);
	if ((rc = il_record_set_id(&r, json_string_value(id), json_string_length(id))) ||
	    (rc = il_record_set_by_name(&r, "chain", run->chain, strlen(run->chain))) ||
	    (rc = il_record_set_by_name(&r, "segment", segment, strlen(segment))) ||
	    (rc = il_record_set_by_name(&r, "position", pos, strlen(pos))) ||
	    (parent && (rc = il_record_set_by_name(&r, "parent", parent, strlen(parent)))))
		goto out;
	json_object_foreach(o, key, v)
	{
		if (strcmp(key, "id") == 0)
			continue;
		if (strcmp(key, "links") == 0) {
			subs = v;
		} else if (!member_known(key, link_members)) {
			rc = il_error_set(IL_EFORMAT, "%s: link %s: unknown member '%s'", run->file,
					  r.id, key);
		} else {
			rc = set_member(run, &r, key, v);
		}
		if (rc)
			goto out;
	}
	int64_t old;
	if ((rc = il_strmap_put(&run->ids, r.id, strlen(r.id), 1, &old)) != IL_OK)
		goto out;
	if (old >= 0) {
		rc = il_error_set(IL_EINVAL, "%s: link id '%s' is given twice", run->file, r.id);
		goto out;
	}
	if ((rc = put(run, &r)) == IL_OK && subs)
		rc = put_links(run, subs, segment, r.id);
out:
	if (rc && rc != IL_ENOMEM && !strstr(il_error_detail(rc), run->file))
		il_error_prefix("%s: link %s", run->file, r.id ? r.id : "?");
	il_record_release(&r);
	return rc;
}

static int put_links(struct def_run *run, json_t *arr, const char *segment, const char *parent)
{
	size_t i;
	json_t *o;
	int rc = IL_OK;
	if (!json_is_array(arr))
		return il_error_set(IL_EFORMAT, "%s: the links of %s must be an array", run->file,
				    parent ? parent : segment);
	json_array_foreach(arr, i, o)
	{
		if ((rc = put_link(run, o, segment, parent, i + 1)) != IL_OK)
			break;
	}
	return rc;
}

static int put_chain(struct def_run *run, json_t *root)
{
	struct il_record r;
	const char *key;
	json_t *v, *segs = NULL, *id = json_object_get(root, "id");
	int rc;
	if (!json_is_object(root) || !json_is_string(id))
		return il_error_set(IL_EFORMAT,
				    "%s: not a chain definition (an object with \"id\")",
				    run->file);
	if ((rc = il_record_init(&r, IL_KIND_CHAIN)) != IL_OK)
		return rc;
	r.demo = run->demo;
	if ((rc = il_record_set_id(&r, json_string_value(id), json_string_length(id))) != IL_OK)
		goto out;
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "id") == 0)
			continue;
		if (strcmp(key, "segments") == 0)
			segs = v;
		else if (!member_known(key, chain_members))
			rc = il_error_set(IL_EFORMAT, "%s: chain %s: unknown member '%s'",
					  run->file, r.id, key);
		else
			rc = set_member(run, &r, key, v);
		if (rc)
			goto out;
	}
	if (!json_is_object(segs)) {
		rc = il_error_set(IL_EFORMAT, "%s: chain %s has no \"segments\" object", run->file,
				  r.id);
		goto out;
	}
	if ((rc = put(run, &r)) != IL_OK)
		goto out;
	run->chain = r.id;
	json_object_foreach(segs, key, v)
	{
		if (!member_known(key, segments)) {
			rc = il_error_set(
				IL_EFORMAT,
				"%s: segment '%s' is not upstream, midstream or downstream",
				run->file, key);
			break;
		}
	}
	for (size_t i = 0; segments[i] && !rc; i++)
		if ((v = json_object_get(segs, segments[i])) != NULL)
			rc = put_links(run, v, segments[i], NULL);
	run->chain = NULL;
out:
	il_record_release(&r);
	return rc;
}

static int delete_placements(struct il_store *s, const char *link, const char *source)
{
	struct il__recs asg = {0};
	struct il_query q;
	int rc;
	il_query_init(&q, IL_KIND_ASSIGNMENT);
	q.include_confidential = true;
	q.field[0] = "link";
	q.value[0] = link;
	q.nfilters = 1;
	rc = il__recs_load(s, &q, &asg);
	for (size_t i = 0; i < asg.n && !rc; i++)
		rc = il_store_delete(s, IL_KIND_ASSIGNMENT, asg.r[i].id, source);
	il__recs_release(&asg);
	return rc;
}

/* Deletes the chain's stored links that the file no longer has, sub-links
 * before their parents, with their placements. */
static int delete_dropped(struct def_run *run, const char *chain)
{
	struct il__recs chains, links;
	int rc = il__links_in_order(run->s, chain, &chains, &links);
	for (size_t i = links.n; i-- > 0 && !rc;) {
		const char *id = links.r[i].id;
		if (il_strmap_get(&run->ids, id, strlen(id)) >= 0)
			continue;
		if (!(rc = delete_placements(run->s, id, run->source)))
			rc = il_store_delete(run->s, IL_KIND_LINK, id, run->source);
	}
	il__recs_release(&chains);
	il__recs_release(&links);
	return rc;
}

int il_chain_import(struct il_store *s, const char *path, bool demo, const char *source,
		    struct il_import_stats *st)
{
	struct il_import_stats local;
	struct def_run run;
	json_error_t err;
	char src[512];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	int rc;
	if (!root) {
		if (err.line < 0)
			return il_error_set(IL_EIO, "%s: %s", path, err.text);
		return il_error_set(IL_EFORMAT, "%s:%d:%d: %s", path, err.line, err.column,
				    err.text);
	}
	memset(&run, 0, sizeof(run));
	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	snprintf(src, sizeof(src), "chain:%s", base);
	run.s = s;
	run.file = path;
	run.source = source ? source : src;
	run.demo = demo;
	run.st = st;
	il_strmap_init(&run.ids);
	if ((rc = il_store_begin(s)) != IL_OK)
		goto out;
	rc = put_chain(&run, root);
	if (!rc)
		rc = delete_dropped(&run, json_string_value(json_object_get(root, "id")));
	if (rc)
		il_store_rollback(s);
	else
		rc = il_store_commit(s);
out:
	il_strmap_release(&run.ids);
	json_decref(root);
	return rc;
}

/* A JSON value for a field: a list as an array, anything else a string. */
static json_t *field_json(const struct il_record *r, const char *name)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	const char *v = il_record_get(r, name);
	int f = il_field_find(k, name);
	if (!v)
		return NULL;
	if (f >= 0 && k->fields[f].type == IL_FT_LIST) {
		json_t *arr = json_array();
		for (const char *p = v; arr && p;) {
			const char *end = strchr(p, ';');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			json_array_append_new(arr, json_stringn(p, n));
			p = end ? end + 1 : NULL;
		}
		return arr;
	}
	return json_string(v);
}

static int add_fields(json_t *o, const struct il_record *r, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		json_t *v = field_json(r, names[i]);
		if (v && json_object_set_new(o, names[i], v) != 0)
			return IL_ENOMEM;
	}
	return IL_OK;
}

static json_t *link_tree(const struct il__recs *links, size_t i, size_t depth)
{
	json_t *o = json_object(), *subs = json_array();
	if (!o || !subs || json_object_set_new(o, "id", json_string(links->r[i].id)) ||
	    add_fields(o, &links->r[i], link_members))
		goto fail;
	for (size_t j = 0; j < links->n && depth <= links->n; j++) {
		const char *p = il_record_get(&links->r[j], "parent");
		if (p && strcmp(p, links->r[i].id) == 0) {
			json_t *sub = link_tree(links, j, depth + 1);
			if (!sub || json_array_append_new(subs, sub))
				goto fail;
		}
	}
	if (json_array_size(subs))
		return json_object_set_new(o, "links", subs) ? (json_decref(o), NULL) : o;
	json_decref(subs);
	return o;
fail:
	json_decref(subs);
	json_decref(o);
	return NULL;
}

int il_chain_export(struct il_store *s, const char *id, struct il_buf *out)
{
	struct il__recs chains, links;
	json_t *root = NULL, *segs;
	char *text = NULL;
	int rc = il__links_in_order(s, id, &chains, &links);
	if (rc)
		return rc;
	rc = IL_ENOMEM;
	if (!(root = json_object()) ||
	    json_object_set_new(root, "id", json_string(chains.r[0].id)) ||
	    add_fields(root, &chains.r[0], chain_members) || !(segs = json_object()) ||
	    json_object_set_new(root, "segments", segs))
		goto out;
	for (size_t k = 0; segments[k]; k++) {
		json_t *arr = json_array();
		if (!arr || json_object_set_new(segs, segments[k], arr))
			goto out;
		for (size_t i = 0; i < links.n; i++) {
			const char *seg = il_record_get(&links.r[i], "segment");
			if (il_record_get(&links.r[i], "parent") || !seg ||
			    strcmp(seg, segments[k]))
				continue;
			json_t *l = link_tree(&links, i, 0);
			if (!l || json_array_append_new(arr, l))
				goto out;
		}
	}
	if ((text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		rc = il_buf_adds(out, text);
	if (!rc)
		rc = il_buf_addc(out, '\n');
out:
	free(text);
	json_decref(root);
	il__recs_release(&chains);
	il__recs_release(&links);
	return rc;
}

static int count_placement(const struct il_record *r, void *ctx)
{
	const char *link = il_record_get(r, "link");
	int64_t n;
	if (!link)
		return IL_OK;
	n = il_strmap_get(ctx, link, strlen(link));
	return il_strmap_put(ctx, link, strlen(link), n < 0 ? 1 : n + 1, NULL);
}

static int link_json(struct il_buf *out, const struct il_record *l, const struct il_strmap *placed)
{
	static const char *const lists[] = {"keywords", "industry_codes", "sw_codes", "ipc",
					    "products", "upstream_of",    NULL};
	const char *pos = il_record_get(l, "position");
	int rc = IL_OK;
	il__json_kv(out, &rc, "{\"id\":", l->id);
	il__json_kv(out, &rc, ",\"name_zh\":", il_record_get(l, "name_zh"));
	il__json_kv(out, &rc, ",\"name_en\":", il_record_get(l, "name_en"));
	il__json_kv(out, &rc, ",\"segment\":", il_record_get(l, "segment"));
	il__json_kv(out, &rc, ",\"parent\":", il_record_get(l, "parent"));
	il__json_kf(out, &rc, ",\"position\":%s", pos ? pos : "null");
	for (size_t i = 0; lists[i] && !rc; i++) {
		if (!(rc = il_buf_addf(out, ",\"%s\":", lists[i])))
			rc = il__json_list(out, il_record_get(l, lists[i]));
	}
	if (!rc && placed) {
		int64_t n = il_strmap_get(placed, l->id, strlen(l->id));
		rc = il_buf_addf(out, ",\"placed\":%lld", (long long)(n < 0 ? 0 : n));
	}
	return rc ? rc : il_buf_addc(out, '}');
}

int il_chain_list_json(struct il_store *s, const char *id, const char *region, bool counts,
		       struct il_buf *out)
{
	struct il__regions g = {0};
	struct il__recs chains, links;
	struct il_strmap placed;
	struct il_query q;
	size_t shown = 0;
	int rc = il__links_in_order(s, id, &chains, &links);
	if (rc)
		return rc;
	il_strmap_init(&placed);
	if (region && !(rc = il__regions_load(s, &g)) && il__recs_find(&g.all, region) < 0)
		rc = il_error_set(IL_ENOTFOUND, "no region '%s' (see 'innolink list region')",
				  region);
	il_query_init(&q, IL_KIND_ASSIGNMENT);
	if (counts && !rc)
		rc = il_store_list(s, &q, count_placement, &placed, NULL);
	if (!rc)
		rc = il_buf_addc(out, '[');
	for (size_t c = 0; c < chains.n && !rc; c++) {
		const struct il_record *ch = &chains.r[c];
		size_t nl = 0;
		if (region && !il__regions_within(&g, il_record_get(ch, "region"), region))
			continue;
		il__json_kv(out, &rc, shown++ ? ",\n{\"id\":" : "{\"id\":", ch->id);
		il__json_kv(out, &rc, ",\"name_zh\":", il_record_get(ch, "name_zh"));
		il__json_kv(out, &rc, ",\"name_en\":", il_record_get(ch, "name_en"));
		il__json_kv(out, &rc, ",\"region\":", il_record_get(ch, "region"));
		il__json_kv(out, &rc, ",\"description\":", il_record_get(ch, "description"));
		il__json_kf(out, &rc, ",\"demo\":%s,\"links\":[", ch->demo ? "true" : "false");
		for (size_t i = 0; i < links.n && !rc; i++) {
			if (strcmp(il_record_get(&links.r[i], "chain"), ch->id) != 0)
				continue;
			if (nl++ && (rc = il_buf_addc(out, ',')))
				break;
			rc = link_json(out, &links.r[i], counts ? &placed : NULL);
		}
		if (!rc)
			rc = il_buf_adds(out, "]}");
	}
	if (!rc)
		rc = il_buf_adds(out, "]\n");
	il_strmap_release(&placed);
	il__regions_release(&g);
	il__recs_release(&chains);
	il__recs_release(&links);
	return rc;
}
