/*
 * trade.c - deals, the docking pipeline, notifications and the
 * closed-loop figures over the API (docs/api.md, "Deals and docking").
 *
 * A deal's workflow and a demand's docking are read with the record's
 * ETag and moved with If-Match: a stale version is a 412, a move the state
 * machine lacks a 409 naming the current state and the allowed ones.
 * Every move is authorised as an update of the record (il_auth_may_write:
 * a deal's buyer or seller, a demand's owner, operators of their region)
 * and goes through the trade module, so it is versioned and audited.
 *
 * Confidential demands: a demand's docking answers the 404 of a missing
 * demand to those who may not see it; a deal's reference to such a demand
 * is blanked (il__http_view); the figures leave confidential demands and
 * their deals out except for operators.
 *
 * Depends on: http_internal.h, innolink/trade.h.
 */
#include "http_internal.h"

#include <innolink/trade.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRADE_ANSWER_BYTES ((size_t)8 << 20)

static void actor_of(struct il__http_request *req, char *out, size_t size)
{
	snprintf(out, size, "api:%s", req->account.name);
}

/* An answer with the record's version as its ETag. */
static int send_versioned(struct il__http_request *req, unsigned status, int64_t version,
			  struct il_buf *b)
{
	char etag[32];
	const char *extra[] = {MHD_HTTP_HEADER_ETAG, etag, NULL};
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)version);
	return il__http_send(req, status, "application/json; charset=utf-8", b, extra);
}

/* A string member of a JSON body; NULL when absent, IL_EINVAL when not a string. */
static int body_string(json_t *j, const char *name, bool required, const char **out)
{
	json_t *v = json_object_get(j, name);
	*out = NULL;
	if (!v && !required)
		return IL_OK;
	if (!json_is_string(v) || (required && !json_string_length(v)))
		return il_error_set(IL_EINVAL, "field '%s' must be %s string", name,
				    required ? "a non-empty" : "a");
	*out = json_string_value(v);
	return IL_OK;
}

/* Refuses members other than `names`. */
static int body_members(struct il__http_request *req, json_t *j, const char *const *names, size_t n)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		size_t i = 0;
		while (i < n && strcmp(key, names[i]) != 0)
			i++;
		if (i == n)
			return il_error_set(IL_EINVAL, "unknown field '%s' at %s",
					    il__http_clean(req, key, 64), req->instance);
	}
	return IL_OK;
}

/* The front of a move: no parameters, If-Match (428 answered without it:
 * req->responded), a JSON body of only `members`.  *j, set once the body is
 * read, is the caller's to release, also on failure. */
static int move_request(struct il__http_request *req, const char *const *members, size_t n,
			int64_t *want, json_t **j)
{
	int rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "POST %s takes no parameters", req->instance);
	if ((rc = il__http_if_match(req, want)) != IL_OK || req->responded)
		return rc;
	if ((rc = il__http_body_json(req, j)) != IL_OK)
		return rc;
	return body_members(req, *j, members, n);
}

/* ---- deals ---- */

/* The deal's workflow JSON with the caller's view of its demand reference. */
static int deal_workflow(struct il_store *s, const char *id, const struct il_record *view,
			 struct il_buf *b)
{
	struct il_buf raw;
	json_t *j, *deal;
	const char *shown = il_record_get(view, "demand");
	char *text;
	int rc;
	il_buf_init(&raw, TRADE_ANSWER_BYTES);
	if ((rc = il_trade_deal_json(s, id, &raw)) != IL_OK) {
		il_buf_release(&raw);
		return rc;
	}
	if (!(j = json_loadb(raw.ptr, raw.len, 0, NULL))) {
		il_buf_release(&raw);
		return il_error_set(IL_ENOMEM, "cannot read the deal's workflow");
	}
	il_buf_release(&raw);
	deal = json_object_get(j, "deal");
	if (json_object_get(deal, "demand") && (!shown || !shown[0])) {
		json_object_set_new(deal, "demand", json_null());
		json_object_del(deal, "demand_label");
	}
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return il_error_set(IL_ENOMEM, "out of memory writing the workflow");
	rc = il_buf_adds(b, text);
	free(text);
	return rc;
}

/* A deal's workflow or a demand's docking, with the record's version as
 * its ETag; the 404 of a missing record to those who may not see it. */
static int send_flow(struct il__http_request *req, struct il_store *s, enum il_kind kind,
		     const char *id, unsigned status)
{
	struct il_record d;
	struct il_buf b;
	int rc;
	if ((rc = il__http_get_visible(req, s, kind, id, &d)) != IL_OK)
		return rc;
	il_buf_init(&b, TRADE_ANSWER_BYTES);
	rc = kind == IL_KIND_DEAL ? deal_workflow(s, id, &d, &b) : il_trade_docking_json(s, id, &b);
	if (rc == IL_OK)
		rc = send_versioned(req, status, d.version, &b);
	il_buf_release(&b);
	il_record_release(&d);
	return rc;
}

static int flow_get(struct il__http_request *req, enum il_kind kind)
{
	static const char *const names[] = {"lang"};
	const char *v[1];
	struct il_store *s;
	int rc;
	if ((rc = il__http_params_check(req, names, 1, v)) != IL_OK ||
	    (rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	return send_flow(req, s, kind, req->args[0], MHD_HTTP_OK);
}

int il__http_deal_get(struct il__http_request *req)
{
	return flow_get(req, IL_KIND_DEAL);
}

int il__http_deal_move(struct il__http_request *req)
{
	static const char *const members[] = {"to"};
	enum il_deal_state to;
	struct il_store *s;
	struct il_record d;
	const char *v;
	json_t *j = NULL;
	int64_t want;
	char actor[160];
	int rc;
	if ((rc = move_request(req, members, 1, &want, &j)) || req->responded ||
	    (rc = body_string(j, "to", true, &v)) || (rc = il_trade_deal_state_parse(v, &to)) ||
	    (rc = il__http_store(req, &s)) ||
	    (rc = il__http_get_visible(req, s, IL_KIND_DEAL, req->args[0], &d))) {
		json_decref(j);
		return rc;
	}
	actor_of(req, actor, sizeof(actor));
	rc = il_auth_may_write(s, &req->account, IL_AUTH_UPDATE, &d, &d);
	if (!rc)
		rc = il_trade_deal_move(s, d.id, to, want, actor, NULL);
	if (!rc)
		rc = send_flow(req, s, IL_KIND_DEAL, d.id, MHD_HTTP_OK);
	il_record_release(&d);
	json_decref(j);
	return rc;
}

int il__http_deal_milestone(struct il__http_request *req)
{
	static const char *const members[] = {"title", "due", "amount"};
	const char *title, *due, *amount;
	char actor[160];
	struct il_store *s;
	struct il_record d;
	json_t *j = NULL;
	int rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "POST %s takes no parameters", req->instance);
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	if ((rc = body_members(req, j, members, 3)) ||
	    (rc = body_string(j, "title", true, &title)) ||
	    (rc = body_string(j, "due", false, &due)) ||
	    (rc = body_string(j, "amount", false, &amount)) || (rc = il__http_store(req, &s)) ||
	    (rc = il__http_get_visible(req, s, IL_KIND_DEAL, req->args[0], &d))) {
		json_decref(j);
		return rc;
	}
	rc = il_auth_may_write(s, &req->account, IL_AUTH_UPDATE, &d, &d);
	actor_of(req, actor, sizeof(actor));
	/* the version just read: a change made since is refused, not lost */
	if (!rc)
		rc = il_trade_milestone_add(s, d.id, title, due, amount, d.version, actor);
	if (!rc)
		rc = send_flow(req, s, IL_KIND_DEAL, d.id, MHD_HTTP_CREATED);
	il_record_release(&d);
	json_decref(j);
	return rc;
}

/* ---- the docking pipeline ---- */

int il__http_docking_get(struct il__http_request *req)
{
	return flow_get(req, IL_KIND_DEMAND);
}

int il__http_docking_move(struct il__http_request *req)
{
	static const char *const members[] = {"to", "broker", "note"};
	const char *v, *broker, *note;
	enum il_docking_state to;
	struct il_store *s;
	struct il_record d;
	json_t *j = NULL;
	int64_t want;
	char actor[160];
	int rc;
	if ((rc = move_request(req, members, 3, &want, &j)) || req->responded ||
	    (rc = body_string(j, "to", true, &v)) ||
	    (rc = body_string(j, "broker", false, &broker)) ||
	    (rc = body_string(j, "note", false, &note)) ||
	    (rc = il_trade_docking_state_parse(v, &to)) || (rc = il__http_store(req, &s)) ||
	    (rc = il__http_get_visible(req, s, IL_KIND_DEMAND, req->args[0], &d))) {
		json_decref(j);
		return rc;
	}
	actor_of(req, actor, sizeof(actor));
	rc = il_auth_may_write(s, &req->account, IL_AUTH_UPDATE, &d, &d);
	if (!rc)
		rc = il_trade_docking_move(s, d.id, to, broker, note, want, actor);
	if (!rc)
		rc = send_flow(req, s, IL_KIND_DEMAND, d.id, MHD_HTTP_OK);
	il_record_release(&d);
	json_decref(j);
	return rc;
}

/* Whether the caller's organization is a buyer or seller of a deal that
 * stems from demand `id`: the supply side of its docking. */
static int deal_party(const struct il_record *r, void *ctx)
{
	const char *org = ctx, *buyer = il_record_get(r, "buyer"),
		   *seller = il_record_get(r, "seller");
	return (buyer && strcmp(buyer, org) == 0) || (seller && strcmp(seller, org) == 0) ? 1 : 0;
}

static int may_rate(struct il__http_request *req, struct il_store *s, const struct il_record *d,
		    const char *side)
{
	struct il_query q;
	int rc = il_auth_may_write(s, &req->account, IL_AUTH_UPDATE, d, d);
	if (rc != IL_EPERM || strcmp(side, "supply") != 0 || !req->account.org)
		return rc;
	il_query_init(&q, IL_KIND_DEAL);
	q.field[0] = "demand";
	q.value[0] = d->id;
	q.nfilters = 1;
	rc = il_store_list(s, &q, deal_party, (void *)req->account.org, NULL);
	if (rc == 1) {
		il_error_clear();
		return IL_OK;
	}
	return rc ? rc
		  : il_error_set(IL_EPERM,
				 "account '%s' may not rate this docking: it is neither "
				 "the demand's side nor a party to a deal from it",
				 req->account.name);
}

int il__http_docking_rate(struct il__http_request *req)
{
	static const char *const members[] = {"side", "score", "comment"};
	const char *side, *comment;
	struct il_store *s;
	struct il_record d;
	json_t *j = NULL, *score;
	char actor[160];
	int rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "POST %s takes no parameters", req->instance);
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	score = json_object_get(j, "score");
	if ((rc = body_members(req, j, members, 3)) || (rc = body_string(j, "side", true, &side)) ||
	    (rc = body_string(j, "comment", false, &comment)) ||
	    (!json_is_integer(score) &&
	     (rc = il_error_set(IL_EINVAL, "field 'score' must be a whole number from 1 to 5"))) ||
	    (rc = il__http_store(req, &s)) ||
	    (rc = il__http_get_visible(req, s, IL_KIND_DEMAND, req->args[0], &d))) {
		json_decref(j);
		return rc;
	}
	actor_of(req, actor, sizeof(actor));
	rc = may_rate(req, s, &d, side);
	if (!rc)
		rc = il_trade_rate(s, d.id, side, (int)json_integer_value(score),
				   comment ? comment : "", actor);
	if (!rc)
		rc = send_flow(req, s, IL_KIND_DEMAND, d.id, MHD_HTTP_CREATED);
	il_record_release(&d);
	json_decref(j);
	return rc;
}

/* ---- notifications ---- */

/* Whom the trade module notifies for this account: its organization, its
 * city ("city:CODE") for a city operator, else the account itself. */
static int recipient(struct il__http_request *req, char *out, size_t size)
{
	const struct il_account *a = il__http_account(req);
	if (!a)
		return il_error_set(IL_EAUTH, "notifications are an account's: log in or send a "
					      "token");
	if (a->org)
		snprintf(out, size, "%s", a->org);
	else if (il_account_role(a) == IL_ROLE_CITY_OPERATOR && a->region)
		snprintf(out, size, "city:%s", a->region);
	else
		snprintf(out, size, "%s", a->name);
	return IL_OK;
}

int il__http_notifications(struct il__http_request *req)
{
	static const char *const names[] = {"unread", "lang"};
	const char *v[2];
	struct il_store *s;
	struct il_buf b;
	char who[160];
	int rc;
	if ((rc = il__http_params_check(req, names, 2, v)) != IL_OK)
		return rc;
	if (v[0] && strcmp(v[0], "true") != 0 && strcmp(v[0], "false") != 0)
		return il_error_set(IL_EINVAL, "unread must be 'true' or 'false', not '%s'",
				    il__http_clean(req, v[0], 32));
	if ((rc = recipient(req, who, sizeof(who))) != IL_OK ||
	    (rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&b, TRADE_ANSWER_BYTES);
	rc = il_buf_adds(&b, "{\"recipient\":");
	if (!rc)
		rc = il_json_string(&b, who, strlen(who));
	if (!rc)
		rc = il_buf_adds(&b, ",\"items\":");
	if (!rc)
		rc = il_trade_notifications_json(s, who, v[0] && strcmp(v[0], "true") == 0, &b);
	if (!rc)
		rc = il_buf_addc(&b, '}');
	rc = il__http_send_buf(req, rc, &b);
	il_buf_release(&b);
	return rc;
}

int il__http_notifications_read(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf empty = IL_BUF_INIT;
	char who[160];
	int rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "POST %s takes no parameters", req->instance);
	if ((rc = recipient(req, who, sizeof(who))) != IL_OK ||
	    (rc = il__http_store(req, &s)) != IL_OK ||
	    (rc = il_trade_notifications_read(s, who)) != IL_OK)
		return rc;
	return il__http_send(req, MHD_HTTP_NO_CONTENT, "application/json", &empty, NULL);
}

/* ---- closed-loop figures ---- */

static int parse_scope(struct il__http_request *req, struct il_trade_scope *sc, bool *xlsx)
{
	static const char *const names[] = {"region", "chain", "by", "format", "lang"};
	const char *v[5];
	int rc;
	memset(sc, 0, sizeof(*sc));
	if ((rc = il__http_params_check(req, names, 5, v)) != IL_OK)
		return rc;
	sc->region = v[0] && v[0][0] ? v[0] : NULL;
	sc->chain = v[1] && v[1][0] ? v[1] : NULL;
	sc->by = IL_BY_YEAR;
	if (v[2] && strcmp(v[2], "month") == 0)
		sc->by = IL_BY_MONTH;
	else if (v[2] && strcmp(v[2], "city") == 0)
		sc->by = IL_BY_CITY;
	else if (v[2] && strcmp(v[2], "year") != 0)
		return il_error_set(IL_EINVAL, "by must be 'year', 'month' or 'city', not '%s'",
				    il__http_clean(req, v[2], 32));
	*xlsx = v[3] && strcmp(v[3], "xlsx") == 0;
	if (v[3] && !*xlsx && strcmp(v[3], "json") != 0)
		return il_error_set(IL_EINVAL, "format must be 'json' or 'xlsx', not '%s'",
				    il__http_clean(req, v[3], 32));
	/* only an operator's figures count confidential demands and their deals */
	sc->include_confidential = il_auth_sees_all(il__http_account(req));
	return IL_OK;
}

static int send_xlsx(struct il__http_request *req, struct il_store *s,
		     const struct il_trade_scope *sc)
{
	static const char *const extra[] = {"Content-Disposition",
					    "attachment; filename=\"figures.xlsx\"", NULL};
	char path[] = "/tmp/innolink-figures-XXXXXX.xlsx";
	struct stat st;
	int fd = mkstemps(path, 5), rc;
	if (fd < 0)
		return il_error_set(IL_EIO, "cannot make a temporary file for the workbook");
	close(fd); /* the writer makes the file anew under this name */
	rc = il_trade_figures_export(s, sc, path, IL_FMT_XLSX);
	fd = rc ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	unlink(path); /* the open descriptor keeps the file until it is sent */
	if (!rc && (fd < 0 || fstat(fd, &st) != 0))
		rc = il_error_set(IL_EIO, "cannot read the workbook back");
	if (rc) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	return il__http_send_fd(req, fd, (uint64_t)st.st_size,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				extra);
}

int il__http_figures(struct il__http_request *req)
{
	struct il_trade_scope sc;
	struct il_store *s;
	struct il_buf b;
	bool xlsx = false;
	int rc;
	if ((rc = parse_scope(req, &sc, &xlsx)) != IL_OK || (rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	if (xlsx)
		return send_xlsx(req, s, &sc);
	il_buf_init(&b, TRADE_ANSWER_BYTES);
	rc = il__http_send_buf(req, il_trade_figures_json(s, &sc, &b), &b);
	il_buf_release(&b);
	return rc;
}
