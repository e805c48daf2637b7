/*
 * write.c - creating, changing and deleting records, and importing files,
 * over the API.
 *
 * Every write is authorised by il_auth_may_write() against the stored
 * version and the new one, and recorded by the store's history with the
 * source "api:ACCOUNT", so who changed what and when is always known.
 *
 * Optimistic concurrency: a record's ETag is its version ("3").  PUT,
 * PATCH and DELETE need If-Match with the ETag of the version the client
 * changed (428 without it); a write whose version is no longer current is
 * a 412, so no update is lost.  The read, the check and the write happen
 * in one transaction (BEGIN IMMEDIATE: writers queue), so two clients
 * holding the same ETag cannot both succeed.
 *
 * A record the caller may not see (a confidential demand) answers the 404
 * of a missing one, before any check that could tell them apart.  Ids of
 * new records are made by the platform, except for operators: an id a
 * client chose could otherwise probe for hidden ones through 409s.
 */
#include "http_internal.h"

#include <innolink/chain.h>
#include <innolink/trade.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VALUE_BYTES 65536

/* Members of a record's JSON that are the platform's, not the client's:
 * sent back unchanged from a GET, they are ignored. */
static bool platform_member(const struct il_kind_info *k, const char *key)
{
	static const char *const names[] = {"entity",     "version", "created_at",
					    "updated_at", "source",  "demo"};
	size_t n = strlen(key);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	if (n > 6 && strcmp(key + n - 6, "_label") == 0) {
		char field[128];
		if (n - 6 >= sizeof(field))
			return false;
		memcpy(field, key, n - 6);
		field[n - 6] = '\0';
		return il_field_find(k, field) >= 0;
	}
	return false;
}

/* One JSON value as the text il_record_set() parses: lists joined by ";". */
static int value_text(const char *field, json_t *v, struct il_buf *out)
{
	size_t i;
	json_t *item;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return il_buf_add(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return il_buf_addf(out, "%lld", (long long)json_integer_value(v));
	case JSON_REAL:
		return il_buf_addf(out, "%.17g", json_real_value(v));
	case JSON_TRUE:
		return il_buf_adds(out, "true");
	case JSON_FALSE:
		return il_buf_adds(out, "false");
	case JSON_NULL:
		return IL_OK;
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
		{
			int rc;
			if (json_is_array(item) || json_is_object(item))
				return il_error_set(IL_EINVAL,
						    "field '%s': item %zu must be a string or a "
						    "number",
						    field, i);
			if (i && (rc = il_buf_addc(out, ';')) != IL_OK)
				return rc;
			if ((rc = value_text(field, item, out)) != IL_OK)
				return rc;
		}
		return IL_OK;
	default:
		return il_error_set(IL_EINVAL,
				    "field '%s' must be a string, number, boolean or list", field);
	}
}

int il__http_apply_body(struct il__http_request *req, json_t *j, struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	struct il_buf text;
	const char *key;
	json_t *v;
	int rc = IL_OK;
	il_buf_init(&text, VALUE_BYTES);
	json_object_foreach(j, key, v)
	{
		int fi;
		if (strcmp(key, "id") == 0 || platform_member(k, key))
			continue;
		fi = il_field_find(k, key);
		if (fi < 0 || strcmp(k->fields[fi].name, key) != 0) {
			rc = il_error_set(IL_EINVAL, "unknown field '%s' for a %s",
					  il__http_clean(req, key, 64), k->name);
			break;
		}
		il_buf_reset(&text);
		if ((rc = value_text(key, v, &text)) != IL_OK)
			break;
		if (k->fields[fi].flags & IL_FF_INTERNAL) {
			rc = il_error_set(IL_EINVAL, "field '%s' is written by the platform", key);
			break;
		}
		if ((rc = il_record_set(r, (size_t)fi, il_buf_cstr(&text), text.len)) != IL_OK)
			break;
	}
	il_buf_release(&text);
	return rc;
}

/* The id member of a body, if any: a string. */
static int body_id(json_t *j, const char **id)
{
	json_t *v = json_object_get(j, "id");
	*id = NULL;
	if (!v)
		return IL_OK;
	if (!json_is_string(v))
		return il_error_set(IL_EINVAL, "field 'id' must be a string");
	*id = json_string_value(v);
	return IL_OK;
}

static void source_of(struct il__http_request *req, char *out, size_t size)
{
	snprintf(out, size, "api:%s", req->account.name);
}

/* Fills what an organization's account leaves out of its own records:
 * the owner of a demand or achievement it posts or replaces. */
static int default_owner(struct il__http_request *req, struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	int fi = il_field_find(k, "owner");
	if ((r->kind != IL_KIND_DEMAND && r->kind != IL_KIND_ACHIEVEMENT) || fi < 0 ||
	    r->values[fi] || !req->account.org)
		return IL_OK;
	return il_record_set(r, (size_t)fi, req->account.org, strlen(req->account.org));
}

/* A match's feedback names who gave it: the account, whatever the body says. */
static int feedback_actor(struct il__http_request *req, struct il_record *r)
{
	int fi = il_field_find(il_kind_info(r->kind), "actor");
	if (r->kind != IL_KIND_MATCH || fi < 0)
		return IL_OK;
	return il_record_set(r, (size_t)fi, req->account.name, strlen(req->account.name));
}

/*
 * Puts what a write stored on the chains' links, as `innolink import` does
 * (docs/chains.md): record `id` of `kind`, or with id NULL the records of
 * `kind` changed after change `since`.  After the write's commit and best
 * effort: the write stands when placing fails, and the log says why.
 */
static void place(struct il__http_request *req, struct il_store *s, enum il_kind kind,
		  const char *id, int64_t since)
{
	struct il_chain_assign_opts o;
	struct il_chain_assign_stats st;
	char source[160];
	if (kind != IL_KIND_ORGANIZATION && kind != IL_KIND_PERSON && kind != IL_KIND_ACHIEVEMENT &&
	    kind != IL_KIND_DEMAND)
		return;
	source_of(req, source, sizeof(source));
	memset(&o, 0, sizeof(o));
	o.kinds = 1u << kind;
	o.id = id;
	o.since = since;
	o.source = source;
	int rc = il_chain_assign(s, req->srv->text, &o, &st);
	if (rc != IL_OK) {
		il_log(IL_LOG_WARN, "placing %s %s on chain links: %s", il_kind_info(kind)->name,
		       id ? id : "records", il_error_detail(rc));
		il_error_clear();
	}
}

static int finish_tx(struct il_store *s, int rc)
{
	if (rc) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}

static int create_tx(struct il__http_request *req, struct il_store *s, struct il_record *r)
{
	char source[160], *id = NULL;
	enum il_put_result res;
	int rc = IL_OK;
	if (!r->id) {
		if ((rc = il_store_new_id(s, r->kind, &id)) != IL_OK)
			return rc;
		rc = il_record_set_id(r, id, strlen(id));
		free(id);
		if (rc)
			return rc;
	}
	if ((rc = il_record_validate(r)) != IL_OK)
		return rc;
	source_of(req, source, sizeof(source));
	return il_store_put(s, r, IL_PUT_NEW_ONLY | IL_PUT_NO_DEDUP, source, &res);
}

int il__http_api_create(struct il__http_request *req)
{
	const struct il_kind_info *k;
	struct il_store *s;
	struct il_record r;
	struct il_buf loc = IL_BUF_INIT;
	const char *id;
	json_t *j = NULL;
	int rc;
	if ((rc = il__http_parse_kind(req, &k)) != IL_OK)
		return rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "POST %s takes no parameters", req->instance);
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	if ((rc = il_record_init(&r, k->kind)) != IL_OK) {
		json_decref(j);
		return rc;
	}
	if ((rc = body_id(j, &id)) != IL_OK)
		goto done;
	if (id && !il_auth_sees_all(&req->account)) {
		rc = il_error_set(IL_EINVAL, "field 'id': ids of new records are made by the "
					     "platform; leave it out");
		goto done;
	}
	/* a listing published here expires unless its owner renews it */
	if ((id && (rc = il_record_set_id(&r, id, strlen(id))) != IL_OK) ||
	    (rc = il__http_apply_body(req, j, &r)) != IL_OK ||
	    (rc = default_owner(req, &r)) != IL_OK ||
	    (rc = il_trade_keep_workflow(NULL, &r)) != IL_OK ||
	    (rc = il_trade_set_expiry(&r, req->srv->cfg.listing_days
						  ? (int)req->srv->cfg.listing_days
						  : IL_TRADE_LISTING_DAYS)) != IL_OK ||
	    (rc = il__http_store(req, &s)) != IL_OK)
		goto done;
	if ((rc = il_auth_may_write(s, &req->account, IL_AUTH_CREATE, NULL, &r)) != IL_OK)
		goto done;
	if ((rc = il_store_begin(s)) != IL_OK)
		goto done;
	if ((rc = finish_tx(s, create_tx(req, s, &r))) != IL_OK)
		goto done;
	place(req, s, k->kind, r.id, 0);
	if (!(rc = il_buf_addf(&loc, "/api/v1/%s/", k->plural)))
		rc = il__http_url_encode(&loc, r.id);
	if (!rc)
		rc = il__http_send_record(req, MHD_HTTP_CREATED, &r, il_buf_cstr(&loc));
done:
	il_buf_release(&loc);
	il_record_release(&r);
	json_decref(j);
	return rc;
}

struct change {
	struct il__http_request *req;
	const struct il_kind_info *k;
	const char *id;
	int64_t want;
	json_t *body; /* NULL for a delete */
	bool patch;
	struct il_record old, r;
	bool have_old, have_r;
};

/* Reads the current version: IL_ENOTFOUND when it is missing or hidden
 * from the caller, IL_EPRECOND (412) when If-Match names another version.
 * Inside the transaction. */
static int current(struct il_store *s, struct change *c)
{
	bool show = false;
	int rc = il_store_get(s, c->k->kind, c->id, &c->old);
	if (rc == IL_ENOTFOUND)
		return il__http_missing(c->req, c->k, c->id);
	if (rc)
		return rc;
	c->have_old = true;
	if ((rc = il__http_view(c->req, s, &c->old, &show)) != IL_OK)
		return rc;
	if (!show)
		return il__http_missing(c->req, c->k, c->id);
	if (c->want != c->old.version)
		return il_error_set(IL_EPRECOND,
				    "the %s was changed since: its version is %lld, If-Match names "
				    "another; GET it again and redo the change",
				    c->k->name, (long long)c->old.version);
	return IL_OK;
}

static int change_tx(struct il_store *s, struct change *c)
{
	char source[160];
	enum il_put_result res;
	const char *bid;
	int rc;
	if ((rc = current(s, c)) != IL_OK)
		return rc;
	source_of(c->req, source, sizeof(source));
	if (!c->body) {
		if ((rc = il_auth_may_write(s, &c->req->account, IL_AUTH_DELETE, &c->old, NULL)))
			return rc;
		return il_store_delete_version(s, c->k->kind, c->id, c->want, source);
	}
	if ((rc = body_id(c->body, &bid)) != IL_OK)
		return rc;
	if (bid && strcmp(bid, c->id) != 0)
		return il_error_set(IL_EINVAL, "field 'id': '%s' is not the id in the path",
				    il__http_clean(c->req, bid, 64));
	rc = c->patch ? il_record_copy(&c->r, &c->old) : il_record_init(&c->r, c->k->kind);
	if (rc)
		return rc;
	c->have_r = true;
	if (!c->patch && (rc = il_record_set_id(&c->r, c->id, strlen(c->id))) != IL_OK)
		return rc;
	c->r.demo = c->old.demo;
	if ((rc = il__http_apply_body(c->req, c->body, &c->r)) != IL_OK ||
	    (rc = default_owner(c->req, &c->r)) != IL_OK || (rc = feedback_actor(c->req, &c->r)) ||
	    (rc = il_trade_keep_workflow(&c->old, &c->r)) != IL_OK ||
	    (rc = il_record_validate(&c->r)) != IL_OK)
		return rc;
	if ((rc = il_auth_may_write(s, &c->req->account, IL_AUTH_UPDATE, &c->old, &c->r)))
		return rc;
	/* on PostgreSQL the read above does not keep another server from
	 * writing before this does: the store checks the version again */
	c->r.version = c->want;
	return il_store_put(s, &c->r, IL_PUT_NO_DEDUP | IL_PUT_IF_VERSION, source, &res);
}

static int change(struct il__http_request *req, bool del, bool patch)
{
	struct change c;
	struct il_store *s;
	int rc;
	memset(&c, 0, sizeof(c));
	c.req = req;
	c.id = req->args[1];
	c.patch = patch;
	if ((rc = il__http_parse_kind(req, &c.k)) != IL_OK)
		return rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "%s %s takes no parameters", req->method,
				    req->instance);
	if (strlen(c.id) > 128)
		return il__http_missing(req, c.k, c.id);
	if ((rc = il__http_if_match(req, &c.want)) != IL_OK || req->responded)
		return rc;
	if (!del && (rc = il__http_body_json(req, &c.body)) != IL_OK)
		return rc;
	if ((rc = il__http_store(req, &s)) == IL_OK && (rc = il_store_begin(s)) == IL_OK) {
		if ((rc = finish_tx(s, change_tx(s, &c))) == IL_OK) {
			struct il_buf empty = IL_BUF_INIT;
			if (!del)
				place(req, s, c.k->kind, c.id, 0);
			rc = del ? il__http_send(req, MHD_HTTP_NO_CONTENT, "application/json",
						 &empty, NULL)
				 : il__http_send_record(req, MHD_HTTP_OK, &c.r, NULL);
		}
	}
	if (c.have_old)
		il_record_release(&c.old);
	if (c.have_r)
		il_record_release(&c.r);
	json_decref(c.body);
	return rc;
}

int il__http_api_update(struct il__http_request *req)
{
	return change(req, false, req->m == IL__HTTP_PATCH);
}

int il__http_api_delete(struct il__http_request *req)
{
	return change(req, true, false);
}

/* The importer's detail names the temporary file: the client knows it as
 * "upload". */
static int upload_error(int rc, const char *path)
{
	const char *d = il_error_detail(rc), *at = strstr(d, path);
	char msg[1024];
	if (!at)
		return rc;
	snprintf(msg, sizeof(msg), "%.*supload%s", (int)(at - d), d, at + strlen(path));
	return il_error_set(rc, "%s", msg);
}

/* The body in a temporary file, which the importer reads by name. */
static int body_file(struct il__http_request *req, char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	int fd;
	snprintf(path, size, "%s/innolink-import-XXXXXX", dir && dir[0] ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return il_error_set(IL_EIO, "cannot make a temporary file: %s", strerror(errno));
	for (size_t off = 0; off < req->body.len;) {
		ssize_t n = write(fd, req->body.ptr + off, req->body.len - off);
		if (n <= 0) {
			close(fd);
			unlink(path);
			return il_error_set(IL_EIO, "cannot write a temporary file: %s",
					    strerror(errno));
		}
		off += (size_t)n;
	}
	close(fd);
	return IL_OK;
}

int il__http_api_import(struct il__http_request *req)
{
	const struct il_kind_info *k;
	struct il_import_opts opts;
	struct il_import_stats st;
	struct il_store *s;
	struct il_buf b;
	const char *fmt = il__http_param(req, "format"), *dry = il__http_param(req, "dry_run");
	char path[4096], source[160];
	int rc;
	if ((rc = il__http_parse_kind(req, &k)) != IL_OK)
		return rc;
	if (!il_auth_sees_all(&req->account))
		return il__http_problem(req, IL_EPERM, 0, NULL,
					"only an operator imports files; this account is %s",
					req->account.role);
	for (size_t i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, "format") != 0 &&
		    strcmp(req->params[i].name, "dry_run") != 0)
			return il_error_set(IL_EINVAL,
					    "unknown parameter '%s'; import takes format "
					    "and dry_run",
					    il__http_clean(req, req->params[i].name, 64));
	memset(&opts, 0, sizeof(opts));
	opts.kind = k->kind;
	if (!fmt || il_format_parse(fmt, &opts.format) != IL_OK || opts.format == IL_FMT_AUTO)
		return il_error_set(IL_EINVAL, "format must be csv, tsv, jsonl or xlsx, not '%s'",
				    fmt ? il__http_clean(req, fmt, 32) : "");
	if (dry && strcmp(dry, "1") != 0 && strcmp(dry, "true") != 0)
		return il_error_set(IL_EINVAL, "dry_run must be 1 or true");
	if (req->body.len == 0)
		return il_error_set(IL_EINVAL, "the request needs the file as its body");
	if ((rc = il__http_store(req, &s)) != IL_OK || (rc = body_file(req, path, sizeof(path))))
		return rc;
	source_of(req, source, sizeof(source));
	opts.source = source;
	opts.flags = dry ? IL_IMPORT_DRY_RUN : 0;
	memset(&st, 0, sizeof(st));
	int64_t since = 0;
	rc = il_store_last_change(s, &since);
	if (!rc)
		rc = il_import_file(s, path, &opts, &st);
	unlink(path);
	if (rc)
		return upload_error(rc, path);
	if (!dry && st.inserted + st.updated)
		place(req, s, k->kind, NULL, since);
	il_buf_init(&b, 131072);
	if (!rc)
		rc = il_buf_addf(&b,
				 "{\"rows\":%zu,\"inserted\":%zu,\"updated\":%zu,\"unchanged\":%zu,"
				 "\"merged\":%zu,\"dry_run\":%s}",
				 st.rows, st.inserted, st.updated, st.unchanged, st.merged,
				 dry ? "true" : "false");
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	return rc;
}
