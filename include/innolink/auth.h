/*
 * innolink/auth.h - accounts, roles, secrets and who may do what.
 *
 * Roles: the operator of the provincial centre (everything), a city
 * operator (records of its region and the regions inside it), an
 * enterprise, an institution or a service agency (the records of its own
 * organization: the organization itself, its achievements, demands and
 * deals), an expert (its own person record), and the public (no account:
 * reads only).  Passwords are kept as Argon2id strings (libsodium's
 * crypto_pwhash_str); sessions and API tokens are 32 random bytes the
 * client holds, of which the store keeps only a BLAKE2b hash, so a copy of
 * the database lets no one in.
 *
 * Confidential demands are seen only by their owner's accounts, operators,
 * city operators of their region and the accounts of the parties they were
 * matched with (il_auth_may_see); every front end asks before it shows one.
 *
 * Depends on: base, model, store, libsodium.
 */
#ifndef INNOLINK_AUTH_H
#define INNOLINK_AUTH_H

#include "base.h"
#include "model.h"
#include "store.h"

enum il_role {
	IL_ROLE_PUBLIC,
	IL_ROLE_OPERATOR,
	IL_ROLE_CITY_OPERATOR,
	IL_ROLE_ENTERPRISE,
	IL_ROLE_EXPERT,
	IL_ROLE_INSTITUTION,
	IL_ROLE_AGENCY,
	IL_ROLE__COUNT
};

/* "operator", "city_operator", "enterprise", "expert", "institution",
 * "agency" ("public" is no account's role).  IL_EINVAL naming the value. */
int il_role_parse(const char *name, enum il_role *out);
const char *il_role_name(enum il_role role);
/* The role of an account; IL_ROLE_PUBLIC for NULL or an unknown role. */
enum il_role il_account_role(const struct il_account *a);

#define IL_AUTH_MIN_PASSWORD 8
#define IL_AUTH_SESSION_TTL (12 * 3600) /* seconds */

/*
 * Adds an account after checking it: a known role other than public; a
 * city operator has a region that exists; an enterprise, institution or
 * agency an organization that exists; an expert a person that exists; a
 * password of at least IL_AUTH_MIN_PASSWORD bytes (NULL: none yet).  The
 * addition is audited as done by `actor`.  IL_EINVAL naming the field,
 * IL_ENOTFOUND for a reference to nothing, IL_ECONFLICT, IL_ESTORE.
 */
int il_auth_user_add(struct il_store *s, struct il_account *a, const char *password,
		     const char *actor);

/*
 * Checks a name and password and opens a session: *token (for the cookie)
 * and *csrf (for forms) are new random hex strings, caller frees both; *out
 * is the account (il_account_release()).  A wrong name, a wrong password and
 * a disabled account all give the same IL_EAUTH, in about the same time.
 */
int il_auth_login(struct il_store *s, const char *name, const char *password,
		  struct il_account *out, char **token, char **csrf);
/* The account of a session token and its CSRF token (caller frees).
 * IL_EAUTH when it is unknown, expired or its account disabled. */
int il_auth_session(struct il_store *s, const char *token, struct il_account *out, char **csrf);
int il_auth_logout(struct il_store *s, const char *token);

/* Makes an API token for an account: *token is shown once (caller frees),
 * *id names it for revocation. */
int il_auth_token_create(struct il_store *s, const struct il_account *a, const char *label,
			 char **token, int64_t *id);
/* The account of an API token.  IL_EAUTH when unknown or revoked. */
int il_auth_token(struct il_store *s, const char *token, struct il_account *out);

/* Whether two strings are equal, in time that depends only on their lengths. */
bool il_auth_equal(const char *a, const char *b);

enum il_auth_action { IL_AUTH_CREATE, IL_AUTH_UPDATE, IL_AUTH_DELETE };

/*
 * Whether account `a` (NULL: the public) may create, update or delete a
 * record: `old` is the stored version (NULL for a create), `r` the new one
 * (NULL for a delete).  IL_OK; IL_EAUTH for the public; IL_EPERM with a
 * detail that says which rule refused (never what a confidential record
 * holds); the store's errors.
 */
int il_auth_may_write(struct il_store *s, const struct il_account *a, enum il_auth_action act,
		      const struct il_record *old, const struct il_record *r);

/* Whether `a` may see record `r` (only confidential demands are ever
 * refused).  The store's errors. */
int il_auth_may_see(struct il_store *s, const struct il_account *a, const struct il_record *r,
		    bool *see);
/* Whether `a` sees every confidential demand (an operator). */
bool il_auth_sees_all(const struct il_account *a);
/* Whether region `id` is `ancestor` or lies inside it. */
int il_auth_region_within(struct il_store *s, const char *id, const char *ancestor, bool *in);

#endif
