/*
 * auth.c - roles, password and token hashing, sessions, and the rules of
 * who may write and see what.
 *
 * Secrets: a password becomes an Argon2id string (crypto_pwhash_str with
 * libsodium's interactive limits: 2 passes over 64 MiB); a session or API
 * token is 32 bytes from randombytes_buf() in hex, and the store keeps the
 * hex of its 32-byte BLAKE2b (crypto_generichash), which is enough for
 * secrets of that entropy and cheap enough to check on every request.
 * A log-in for an unknown name still verifies a password against a fixed
 * hash, so the time taken does not tell which names exist.
 *
 * Ownership: a record's owning organization is its "owner" (achievements,
 * demands), its own id (organizations) or its buyer or seller (deals); a
 * record's region is its "region" field, a region's own id, a link's
 * chain's region, or the region of what an assignment or a match is about.
 *
 * Depends on: base, model, store, libsodium.
 */
#include <innolink/auth.h>

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_BYTES 32

static const char *const role_names[IL_ROLE__COUNT] = {
	"public", "operator", "city_operator", "enterprise", "expert", "institution", "agency",
};

int il_role_parse(const char *name, enum il_role *out)
{
	for (int i = IL_ROLE_OPERATOR; i < IL_ROLE__COUNT; i++)
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum il_role)i;
			return IL_OK;
		}
	return il_error_set(IL_EINVAL,
			    "role '%s' is unknown; roles are operator, city_operator, enterprise, "
			    "expert, institution and agency",
			    name);
}

const char *il_role_name(enum il_role role)
{
	return (unsigned)role < IL_ROLE__COUNT ? role_names[role] : "public";
}

enum il_role il_account_role(const struct il_account *a)
{
	enum il_role r;
	if (!a || !a->role || il_role_parse(a->role, &r) != IL_OK) {
		il_error_clear();
		return IL_ROLE_PUBLIC;
	}
	return r;
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_rc;

static void sodium_start(void)
{
	sodium_rc = sodium_init() < 0 ? -1 : 0;
}

static int crypto_ready(void)
{
	pthread_once(&sodium_once, sodium_start);
	if (sodium_rc)
		return il_error_set(IL_EIO, "libsodium could not be initialised");
	return IL_OK;
}

bool il_auth_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* A fresh random token as hex; caller frees. */
static int new_token(char **out)
{
	unsigned char raw[TOKEN_BYTES];
	char *hex = il_malloc(2 * TOKEN_BYTES + 1);
	if (!hex)
		return il_error_set(IL_ENOMEM, "out of memory making a token");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, 2 * TOKEN_BYTES + 1, raw, sizeof(raw));
	*out = hex;
	return IL_OK;
}

/* The stored form of a token: hex of its BLAKE2b-256. */
static void token_hash(const char *token, char out[2 * TOKEN_BYTES + 1])
{
	unsigned char h[TOKEN_BYTES];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 2 * TOKEN_BYTES + 1, h, sizeof(h));
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return il_error_set(IL_ENOMEM, "out of memory hashing a password");
	return IL_OK;
}

static int check_ref(struct il_store *s, enum il_kind kind, const char *field, const char *id)
{
	struct il_record r;
	int rc = il_store_get(s, kind, id, &r);
	if (rc == IL_ENOTFOUND)
		return il_error_set(IL_ENOTFOUND, "field '%s': no %s with id '%s'", field,
				    il_kind_info(kind)->name, id);
	if (!rc)
		il_record_release(&r);
	return rc;
}

/* What an account of its role must name, and that it exists. */
static int check_account(struct il_store *s, const struct il_account *a, enum il_role role)
{
	if (!a->name || !a->name[0] || strlen(a->name) > 64)
		return il_error_set(IL_EINVAL, "field 'name': a name of 1 to 64 bytes is required");
	for (const char *p = a->name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == ':')
			return il_error_set(
				IL_EINVAL,
				"field 'name': '%s' has a space, control character or ':'",
				a->name);
	switch (role) {
	case IL_ROLE_CITY_OPERATOR:
		if (!a->region)
			return il_error_set(IL_EINVAL, "field 'region': a city operator needs one");
		return check_ref(s, IL_KIND_REGION, "region", a->region);
	case IL_ROLE_ENTERPRISE:
	case IL_ROLE_INSTITUTION:
	case IL_ROLE_AGENCY:
		if (!a->org)
			return il_error_set(IL_EINVAL,
					    "field 'org': an %s account needs its organization",
					    role_names[role]);
		return check_ref(s, IL_KIND_ORGANIZATION, "org", a->org);
	case IL_ROLE_EXPERT:
		if (!a->person)
			return il_error_set(IL_EINVAL,
					    "field 'person': an expert account needs its person");
		return check_ref(s, IL_KIND_PERSON, "person", a->person);
	default:
		return IL_OK;
	}
}

int il_auth_user_add(struct il_store *s, struct il_account *a, const char *password,
		     const char *actor)
{
	char hash[crypto_pwhash_STRBYTES];
	enum il_role role;
	int rc;
	if ((rc = crypto_ready()) != IL_OK)
		return rc;
	if (!a->role)
		return il_error_set(IL_EINVAL, "field 'role' is required");
	if ((rc = il_role_parse(a->role, &role)) != IL_OK) {
		il_error_prefix("field 'role'");
		return rc;
	}
	if ((rc = check_account(s, a, role)) != IL_OK)
		return rc;
	if (password && strlen(password) < IL_AUTH_MIN_PASSWORD)
		return il_error_set(IL_EINVAL, "field 'password': at least %d bytes are required",
				    IL_AUTH_MIN_PASSWORD);
	if (password && (rc = hash_password(password, hash)) != IL_OK)
		return rc;
	if ((rc = il_store_begin(s)) != IL_OK)
		return rc;
	rc = il_store_account_add(s, a, password ? hash : NULL);
	if (!rc)
		rc = il_store_audit(s, actor, "account.add", a->name, a->role);
	sodium_memzero(hash, sizeof(hash));
	if (rc) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}

/* A hash to verify against when the name is unknown, made once. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (hash_password("not a password of anyone", dummy_hash) != IL_OK)
		dummy_hash[0] = '\0';
	il_error_clear();
}

static int wrong_credentials(void)
{
	return il_error_set(IL_EAUTH,
			    "the name or the password is wrong, or the account is disabled");
}

int il_auth_login(struct il_store *s, const char *name, const char *password,
		  struct il_account *out, char **token, char **csrf)
{
	char *pwhash = NULL, th[2 * TOKEN_BYTES + 1];
	bool ok;
	int rc;
	*token = *csrf = NULL;
	memset(out, 0, sizeof(*out));
	if ((rc = crypto_ready()) != IL_OK)
		return rc;
	rc = il_store_account_get(s, name, out, &pwhash);
	if (rc && rc != IL_ENOTFOUND)
		return rc;
	if (rc || !pwhash) {
		pthread_once(&dummy_once, make_dummy);
		/* the answer is wrong whatever this says: it only spends the time */
		if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			il_log(IL_LOG_DEBUG, "log-in: the decoy password matched");
		free(pwhash);
		il_account_release(out);
		return wrong_credentials();
	}
	ok = crypto_pwhash_str_verify(pwhash, password, strlen(password)) == 0 && !out->disabled;
	free(pwhash);
	if (!ok) {
		il_account_release(out);
		return wrong_credentials();
	}
	if ((rc = new_token(token)) != IL_OK || (rc = new_token(csrf)) != IL_OK)
		goto fail;
	token_hash(*token, th);
	/* sessions that have ended go as new ones come: "" names no session */
	if ((rc = il_store_session_delete(s, "", il_time_now_unix())) != IL_OK ||
	    (rc = il_store_session_add(s, out->id, th, *csrf,
				       il_time_now_unix() + IL_AUTH_SESSION_TTL)) != IL_OK)
		goto fail;
	return IL_OK;
fail:
	free(*token);
	free(*csrf);
	*token = *csrf = NULL;
	il_account_release(out);
	return rc;
}

/* A token from a client: hex of TOKEN_BYTES, nothing else is worth a query. */
static bool token_shape(const char *t)
{
	size_t n = 0;
	for (; t[n]; n++)
		if (!((t[n] >= '0' && t[n] <= '9') || (t[n] >= 'a' && t[n] <= 'f')))
			return false;
	return n == 2 * TOKEN_BYTES;
}

static int not_authenticated(int rc)
{
	if (rc == IL_ENOTFOUND)
		return il_error_set(IL_EAUTH,
				    "the session or token is unknown, expired or revoked");
	return rc;
}

int il_auth_session(struct il_store *s, const char *token, struct il_account *out, char **csrf)
{
	char th[2 * TOKEN_BYTES + 1];
	int rc;
	memset(out, 0, sizeof(*out));
	*csrf = NULL;
	if (!token_shape(token))
		return not_authenticated(IL_ENOTFOUND);
	if ((rc = crypto_ready()) != IL_OK)
		return rc;
	token_hash(token, th);
	return not_authenticated(il_store_session_find(s, th, il_time_now_unix(), out, csrf));
}

int il_auth_logout(struct il_store *s, const char *token)
{
	char th[2 * TOKEN_BYTES + 1];
	int rc;
	if (!token_shape(token))
		return IL_OK;
	if ((rc = crypto_ready()) != IL_OK)
		return rc;
	token_hash(token, th);
	return il_store_session_delete(s, th, il_time_now_unix());
}

int il_auth_token_create(struct il_store *s, const struct il_account *a, const char *label,
			 char **token, int64_t *id)
{
	char th[2 * TOKEN_BYTES + 1];
	int rc;
	*token = NULL;
	if ((rc = crypto_ready()) != IL_OK || (rc = new_token(token)) != IL_OK)
		return rc;
	token_hash(*token, th);
	if ((rc = il_store_begin(s)) != IL_OK)
		goto fail;
	rc = il_store_token_add(s, a->id, th, label, id);
	if (!rc)
		rc = il_store_audit(s, a->name, "token.create", a->name, label);
	if (rc) {
		il_store_rollback(s);
		goto fail;
	}
	if ((rc = il_store_commit(s)) != IL_OK)
		goto fail;
	return IL_OK;
fail:
	free(*token);
	*token = NULL;
	return rc;
}

int il_auth_token(struct il_store *s, const char *token, struct il_account *out)
{
	char th[2 * TOKEN_BYTES + 1];
	int rc;
	memset(out, 0, sizeof(*out));
	if (!token_shape(token))
		return not_authenticated(IL_ENOTFOUND);
	if ((rc = crypto_ready()) != IL_OK)
		return rc;
	token_hash(token, th);
	return not_authenticated(il_store_token_find(s, th, out));
}
