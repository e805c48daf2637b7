/*
 * session.c - who is asking: API tokens, session cookies and CSRF; the
 * log-in, log-out, token and account routes.
 *
 * A program sends "Authorization: Bearer TOKEN"; a browser logs in with
 * POST /api/v1/session and gets the cookie "il_session" (HttpOnly,
 * SameSite=Strict, Path=/) and a CSRF token in the answer, which every
 * write it makes must send back in X-CSRF-Token.  SameSite=Strict already
 * keeps other sites' forms from carrying the cookie; the CSRF token is the
 * second lock for browsers that ignore it.  A bearer token that is not
 * valid is a 401 at once, whatever the route: a program should learn that
 * its token is wrong rather than be served as the public.  A cookie that
 * names no session is ignored (it may simply have expired).
 */
#include "http_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COOKIE "il_session"
#define JSON_BYTES 65536

static const char *header(struct il__http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* The 401 answer: il__http_problem() adds the WWW-Authenticate challenge. */
static int unauthorized(const char *detail)
{
	return il_error_set(IL_EAUTH, "%s", detail);
}

void il__http_request_release(struct il__http_request *req)
{
	il_account_release(&req->account);
	free(req->session);
	free(req->csrf);
	il_buf_release(&req->body);
}

int il__http_authenticate(struct il__http_request *req)
{
	const char *auth = header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie;
	struct il_store *s;
	int rc;
	if (auth) {
		if (strncmp(auth, "Bearer ", 7) != 0)
			return unauthorized("Authorization must be 'Bearer TOKEN'");
		if ((rc = il__http_store(req, &s)) != IL_OK)
			return rc;
		rc = il_auth_token(s, auth + 7, &req->account);
		if (rc == IL_EAUTH)
			return unauthorized("the API token is unknown or revoked");
		return rc;
	}
	cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, COOKIE);
	if (!cookie)
		return IL_OK;
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	rc = il_auth_session(s, cookie, &req->account, &req->csrf);
	if (rc == IL_EAUTH) {
		il_error_clear();
		return IL_OK;
	}
	if (rc)
		return rc;
	if (!(req->session = il_strdup(cookie)))
		return il_error_set(IL_ENOMEM, "out of memory");
	return IL_OK;
}

static bool is_login(const struct il__http_request *req)
{
	return req->m == IL__HTTP_POST && req->nseg == 3 && strcmp(req->seg[0], "api") == 0 &&
	       strcmp(req->seg[1], "v1") == 0 && strcmp(req->seg[2], "session") == 0;
}

int il__http_guard_write(struct il__http_request *req)
{
	const char *sent;
	if (is_login(req))
		return IL_OK;
	if (!req->account.name)
		return unauthorized("writing needs an account: log in (POST /api/v1/session) "
				    "or send 'Authorization: Bearer TOKEN'");
	if (!req->session)
		return IL_OK; /* a bearer token: no browser carries it unasked */
	sent = header(req, "X-CSRF-Token");
	if (!sent || !req->csrf || !il_auth_equal(sent, req->csrf))
		return il_error_set(IL_EPERM,
				    "a write with a session cookie needs the session's CSRF "
				    "token in the X-CSRF-Token header");
	return IL_OK;
}

int il__http_body_json(struct il__http_request *req, json_t **out)
{
	json_error_t err;
	json_t *j;
	*out = NULL;
	if (req->body.len == 0)
		return il_error_set(IL_EINVAL, "the request needs a JSON object as its body");
	j = json_loadb(req->body.ptr, req->body.len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		return il_error_set(IL_EINVAL, "the body is not valid JSON: line %d, column %d: %s",
				    err.line, err.column, err.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return il_error_set(IL_EINVAL, "the body must be a JSON object");
	}
	*out = j;
	return IL_OK;
}

static void add_opt(struct il_buf *b, int *rc, const char *name, const char *v)
{
	if (*rc)
		return;
	*rc = il_buf_addf(b, ",\"%s\":", name);
	if (!*rc)
		*rc = v ? il_json_string(b, v, strlen(v)) : il_buf_adds(b, "null");
}

static int account_json(struct il_buf *b, const struct il_account *a)
{
	int rc = il_buf_adds(b, "{\"name\":");
	if (!rc)
		rc = il_json_string(b, a->name, strlen(a->name));
	add_opt(b, &rc, "role", a->role);
	add_opt(b, &rc, "region", a->region);
	add_opt(b, &rc, "org", a->org);
	add_opt(b, &rc, "person", a->person);
	add_opt(b, &rc, "display", a->display);
	if (!rc)
		rc = il_buf_addf(b, ",\"disabled\":%s}", a->disabled ? "true" : "false");
	return rc;
}

/* {"account": ..., "csrf": ...} */
static int send_session(struct il__http_request *req, unsigned status, const struct il_account *a,
			const char *csrf, const char *const *extra)
{
	struct il_buf b;
	int rc;
	il_buf_init(&b, JSON_BYTES);
	rc = il_buf_adds(&b, "{\"account\":");
	if (!rc)
		rc = a ? account_json(&b, a) : il_buf_adds(&b, "null");
	add_opt(&b, &rc, "csrf", csrf);
	if (!rc)
		rc = il_buf_addc(&b, '}');
	if (!rc)
		rc = il__http_send(req, status, "application/json; charset=utf-8", &b, extra);
	il_buf_release(&b);
	return rc;
}

int il__http_session_get(struct il__http_request *req)
{
	if (req->nparams)
		return il_error_set(IL_EINVAL, "/api/v1/session takes no parameters");
	return send_session(req, MHD_HTTP_OK, il__http_account(req), req->csrf, NULL);
}

/* A string member of the body, NULL when absent; IL_EINVAL when not a string. */
static int member(json_t *j, const char *name, bool required, const char **out)
{
	json_t *v = json_object_get(j, name);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return il_error_set(IL_EINVAL, "field '%s' is required", name);
		return IL_OK;
	}
	if (!json_is_string(v))
		return il_error_set(IL_EINVAL, "field '%s' must be a string", name);
	*out = json_string_value(v);
	return IL_OK;
}

/* Refuses members other than those listed, naming the first. */
static int only_members(struct il__http_request *req, json_t *j, const char *const *names)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		size_t i;
		for (i = 0; names[i] && strcmp(names[i], key) != 0; i++)
			;
		if (!names[i])
			return il_error_set(IL_EINVAL, "unknown field '%s'",
					    il__http_clean(req, key, 64));
	}
	return IL_OK;
}

int il__http_session_login(struct il__http_request *req)
{
	static const char *const fields[] = {"name", "password", NULL};
	const char *name, *password;
	struct il_account a;
	struct il_store *s;
	char *token = NULL, *csrf = NULL, cookie[192], key[128];
	unsigned retry;
	json_t *j;
	int rc;
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	if ((rc = only_members(req, j, fields)) || (rc = member(j, "name", true, &name)) ||
	    (rc = member(j, "password", true, &password)) || (rc = il__http_store(req, &s))) {
		json_decref(j);
		return rc;
	}
	/* guesses at one account's password from many addresses are held back
	 * by the account's name, as each address is by its own bucket */
	snprintf(key, sizeof(key), "n:%.100s", name);
	if (!il__http_limiter_take(req->srv->writes, key, &retry)) {
		json_decref(j);
		return il__http_too_many(req, retry, "account name");
	}
	rc = il_auth_login(s, name, password, &a, &token, &csrf);
	json_decref(j);
	if (rc == IL_EAUTH)
		return unauthorized(il_error_detail(rc));
	if (rc)
		return rc;
	snprintf(cookie, sizeof(cookie),
		 COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
		 IL_AUTH_SESSION_TTL, req->https ? "; Secure" : "");
	{
		const char *extra[] = {MHD_HTTP_HEADER_SET_COOKIE, cookie, NULL};
		rc = send_session(req, MHD_HTTP_OK, &a, csrf, extra);
	}
	il_log(IL_LOG_INFO, "log-in: %s (%s) from %s", a.name, a.role, req->addr);
	il_account_release(&a);
	free(token);
	free(csrf);
	return rc;
}

int il__http_session_logout(struct il__http_request *req)
{
	static const char *const extra[] = {MHD_HTTP_HEADER_SET_COOKIE,
					    COOKIE
					    "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
					    NULL};
	struct il_store *s;
	struct il_buf b = IL_BUF_INIT;
	int rc;
	if (req->session) {
		if ((rc = il__http_store(req, &s)) != IL_OK ||
		    (rc = il_auth_logout(s, req->session)) != IL_OK)
			return rc;
	}
	return il__http_send(req, MHD_HTTP_NO_CONTENT, "application/json; charset=utf-8", &b,
			     extra);
}

struct token_list {
	struct il_buf *b;
	size_t n;
};

static int token_item(const struct il_token_info *t, void *ctx)
{
	struct token_list *l = ctx;
	int rc =
		il_buf_addf(l->b, "%s{\"id\":%lld,\"label\":", l->n++ ? "," : "", (long long)t->id);
	if (!rc)
		rc = il_json_string(l->b, t->label, strlen(t->label));
	if (!rc)
		rc = il_buf_adds(l->b, ",\"created_at\":");
	if (!rc)
		rc = il_json_string(l->b, t->created_at, strlen(t->created_at));
	if (!rc)
		rc = il_buf_addf(l->b, ",\"revoked\":%s}", t->revoked ? "true" : "false");
	return rc;
}

static int need_account(struct il__http_request *req)
{
	if (!req->account.name)
		return unauthorized("this needs an account: log in or send a token");
	return IL_OK;
}

int il__http_tokens_list(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf b;
	struct token_list l = {&b, 0};
	int rc;
	if ((rc = need_account(req)) != IL_OK)
		return rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "/api/v1/tokens takes no parameters");
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&b, (size_t)4 << 20);
	rc = il_buf_adds(&b, "{\"items\":[");
	if (!rc)
		rc = il_store_token_list(s, req->account.id, token_item, &l);
	if (!rc)
		rc = il_buf_adds(&b, "]}");
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	return rc;
}

int il__http_tokens_create(struct il__http_request *req)
{
	static const char *const fields[] = {"label", NULL};
	const char *label = NULL;
	struct il_store *s;
	struct il_buf b;
	char *token = NULL;
	int64_t id = 0;
	json_t *j;
	int rc;
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	if ((rc = only_members(req, j, fields)) || (rc = member(j, "label", false, &label)) ||
	    (rc = il__http_store(req, &s)) ||
	    (rc = il_auth_token_create(s, &req->account, label, &token, &id))) {
		json_decref(j);
		return rc;
	}
	json_decref(j);
	il_buf_init(&b, 4096);
	rc = il_buf_addf(&b, "{\"id\":%lld,\"token\":\"%s\"}", (long long)id, token);
	free(token);
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_CREATED, &b);
	il_buf_release(&b);
	return rc;
}

int il__http_tokens_revoke(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf b = IL_BUF_INIT;
	const char *id = req->args[0];
	int rc;
	if (strspn(id, "0123456789") != strlen(id) || strlen(id) > 18)
		return il_error_set(IL_ENOTFOUND, "no token %s of this account",
				    il__http_clean(req, id, 32));
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	rc = il_store_token_revoke(s, req->account.id, strtoll(id, NULL, 10));
	if (rc == IL_ENOTFOUND)
		return il_error_set(IL_ENOTFOUND, "no active token %s of this account", id);
	if (!rc)
		rc = il_store_audit(s, req->account.name, "token.revoke", req->account.name, id);
	return rc ? rc : il__http_send(req, MHD_HTTP_NO_CONTENT, "application/json", &b, NULL);
}

static int need_operator(struct il__http_request *req)
{
	int rc = need_account(req);
	if (rc)
		return rc;
	if (!il_auth_sees_all(&req->account))
		return il_error_set(IL_EPERM,
				    "only an operator manages accounts; this account is %s",
				    req->account.role);
	return IL_OK;
}

struct account_list {
	struct il_buf *b;
	size_t n;
};

static int account_item(const struct il_account *a, void *ctx)
{
	struct account_list *l = ctx;
	int rc = l->n++ ? il_buf_addc(l->b, ',') : IL_OK;
	return rc ? rc : account_json(l->b, a);
}

int il__http_accounts_list(struct il__http_request *req)
{
	struct il_store *s;
	struct il_buf b;
	struct account_list l = {&b, 0};
	int rc;
	if ((rc = need_operator(req)) != IL_OK)
		return rc;
	if (req->nparams)
		return il_error_set(IL_EINVAL, "/api/v1/accounts takes no parameters");
	if ((rc = il__http_store(req, &s)) != IL_OK)
		return rc;
	il_buf_init(&b, (size_t)32 << 20);
	rc = il_buf_adds(&b, "{\"items\":[");
	if (!rc)
		rc = il_store_account_list(s, account_item, &l);
	if (!rc)
		rc = il_buf_adds(&b, "]}");
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	return rc;
}

int il__http_accounts_create(struct il__http_request *req)
{
	static const char *const fields[] = {"name",   "role",    "region",   "org",
					     "person", "display", "password", NULL};
	const char *password = NULL, *v[6];
	struct il_account a;
	struct il_store *s;
	struct il_buf b;
	json_t *j;
	int rc;
	if ((rc = need_operator(req)) != IL_OK)
		return rc;
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	memset(&a, 0, sizeof(a));
	for (int i = 0; i < 6 && !rc; i++)
		rc = member(j, fields[i], i < 2, &v[i]);
	if (!rc)
		rc = only_members(req, j, fields);
	if (!rc)
		rc = member(j, "password", true, &password);
	if (!rc)
		rc = il__http_store(req, &s);
	if (!rc) {
		a.name = (char *)v[0];
		a.role = (char *)v[1];
		a.region = (char *)v[2];
		a.org = (char *)v[3];
		a.person = (char *)v[4];
		a.display = (char *)v[5];
		rc = il_auth_user_add(s, &a, password, req->account.name);
	}
	if (!rc) {
		il_buf_init(&b, JSON_BYTES);
		rc = account_json(&b, &a);
		if (!rc)
			rc = il__http_send_json(req, MHD_HTTP_CREATED, &b);
		il_buf_release(&b);
	}
	json_decref(j);
	return rc;
}

int il__http_accounts_update(struct il__http_request *req)
{
	static const char *const fields[] = {"disabled", NULL};
	const char *name = req->args[0];
	struct il_store *s;
	struct il_account a;
	struct il_buf b;
	json_t *j, *d;
	int rc;
	if ((rc = need_operator(req)) != IL_OK)
		return rc;
	if ((rc = il__http_body_json(req, &j)) != IL_OK)
		return rc;
	d = json_object_get(j, "disabled");
	if ((rc = only_members(req, j, fields)) == IL_OK && !json_is_boolean(d))
		rc = il_error_set(IL_EINVAL, "field 'disabled' must be true or false");
	if (!rc)
		rc = il__http_store(req, &s);
	if (!rc)
		rc = il_store_account_set_disabled(s, name, json_is_true(d));
	if (!rc)
		rc = il_store_audit(s, req->account.name,
				    json_is_true(d) ? "account.disable" : "account.enable", name,
				    NULL);
	json_decref(j);
	if (rc == IL_ENOTFOUND)
		return il_error_set(IL_ENOTFOUND, "no account named '%s'",
				    il__http_clean(req, name, 64));
	if (rc)
		return rc;
	if ((rc = il_store_account_get(s, name, &a, NULL)) != IL_OK)
		return rc;
	il_buf_init(&b, JSON_BYTES);
	rc = account_json(&b, &a);
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	il_account_release(&a);
	return rc;
}
