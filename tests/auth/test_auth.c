/*
 * test_auth.c - the auth module on a real SQLite store: accounts and what
 * they must name, log-in, sessions, tokens, disabling, the write rules of
 * every role on records it owns and does not, confidential demands, a
 * cycle in the region tree, and the allocation-failure paths of a city
 * operator's region walk.
 */
#include "test.h"

#include <innolink/auth.h>
#include <stdlib.h>
#include <unistd.h>

static struct il_store *s;

/* Stores a record made of "field=value" pairs (id first). */
static void put(enum il_kind kind, const char *const *pairs)
{
	struct il_record r;
	enum il_put_result res;
	IL_CHECK_INT(il_record_init(&r, kind), IL_OK);
	for (size_t i = 0; pairs[i]; i++) {
		const char *eq = strchr(pairs[i], '=');
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - pairs[i]), pairs[i]);
		IL_CHECK_INT(il_record_set_by_name(&r, name, eq + 1, strlen(eq + 1)), IL_OK);
	}
	IL_CHECK_INT(il_store_put(s, &r, IL_PUT_NO_DEDUP, "test", &res), IL_OK);
	il_record_release(&r);
}

static void get(enum il_kind kind, const char *id, struct il_record *r)
{
	IL_CHECK_INT(il_store_get(s, kind, id, r), IL_OK);
}

static void setup(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/auth-%d.db", IL_TEST_TMPDIR, (int)getpid());
	unlink(path);
	IL_CHECK_INT(il_store_open(path, IL_STORE_CREATE, &s), IL_OK);
	put(IL_KIND_REGION, (const char *const[]){"id=42", "name_zh=湖北", "level=province", NULL});
	put(IL_KIND_REGION,
	    (const char *const[]){"id=4201", "name_zh=武汉", "level=city", "parent=42", NULL});
	put(IL_KIND_REGION, (const char *const[]){"id=420111", "name_zh=洪山", "level=district",
						  "parent=4201", NULL});
	put(IL_KIND_REGION,
	    (const char *const[]){"id=4210", "name_zh=荆州", "level=city", "parent=42", NULL});
	put(IL_KIND_ORGANIZATION, (const char *const[]){"id=ORG-A", "name_zh=甲公司",
							"kind=enterprise", "region=4201", NULL});
	put(IL_KIND_ORGANIZATION, (const char *const[]){"id=ORG-B", "name_zh=乙大学",
							"kind=university", "region=4210", NULL});
	put(IL_KIND_PERSON, (const char *const[]){"id=PER-A", "name_zh=张三", NULL});
	put(IL_KIND_DEMAND, (const char *const[]){"id=DEM-OPEN", "title=公开需求", "owner=ORG-A",
						  "region=420111", "visibility=public", NULL});
	put(IL_KIND_DEMAND, (const char *const[]){"id=DEM-SECRET", "title=保密需求", "owner=ORG-A",
						  "region=4201", "visibility=confidential", NULL});
	put(IL_KIND_MATCH,
	    (const char *const[]){"id=MAT-1", "from_kind=demand", "from_id=DEM-SECRET",
				  "to_kind=organization", "to_id=ORG-B", NULL});
}

static struct il_account account(const char *name, const char *role, const char *region,
				 const char *org, const char *person)
{
	struct il_account a;
	memset(&a, 0, sizeof(a));
	a.name = (char *)name;
	a.role = (char *)role;
	a.region = (char *)region;
	a.org = (char *)org;
	a.person = (char *)person;
	return a;
}

static void test_accounts_name_what_they_need(void)
{
	struct il_account a = account("ent", "enterprise", NULL, "ORG-A", NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-1", "test"), IL_OK);
	IL_CHECK(a.id > 0);
	a = account("ent", "enterprise", NULL, "ORG-A", NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-1", "test"), IL_ECONFLICT);
	a = account("nobody", "enterprise", NULL, "ORG-NONE", NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-1", "test"), IL_ENOTFOUND);
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND), "field 'org'");
	a = account("city", "city_operator", NULL, NULL, NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-1", "test"), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "field 'region'");
	a = account("king", "king", NULL, NULL, NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-1", "test"), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "field 'role'");
	a = account("has space", "operator", NULL, NULL, NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-1", "test"), IL_EINVAL);
	a = account("short", "operator", NULL, NULL, NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "short", "test"), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "field 'password'");
	a = account("wuhan", "city_operator", "4201", NULL, NULL);
	IL_CHECK_INT(il_auth_user_add(s, &a, "password-2", "test"), IL_OK);
}

static void test_login_sessions_tokens(void)
{
	struct il_account a, b;
	char *token, *csrf, *csrf2;
	int64_t id;
	IL_CHECK_INT(il_auth_login(s, "ent", "wrong-password", &a, &token, &csrf), IL_EAUTH);
	IL_CHECK_INT(il_auth_login(s, "nobody", "password-1", &a, &token, &csrf), IL_EAUTH);
	IL_CHECK_INT(il_auth_login(s, "ent", "password-1", &a, &token, &csrf), IL_OK);
	IL_CHECK_STR(a.org, "ORG-A");
	IL_CHECK_INT(il_auth_session(s, token, &b, &csrf2), IL_OK);
	IL_CHECK_STR(b.name, "ent");
	IL_CHECK(il_auth_equal(csrf, csrf2));
	il_account_release(&b);
	free(csrf2);
	IL_CHECK_INT(il_auth_session(s, "not-a-token", &b, &csrf2), IL_EAUTH);
	IL_CHECK_INT(il_auth_logout(s, token), IL_OK);
	IL_CHECK_INT(il_auth_session(s, token, &b, &csrf2), IL_EAUTH);
	free(token);
	free(csrf);

	IL_CHECK_INT(il_auth_token_create(s, &a, "script", &token, &id), IL_OK);
	IL_CHECK_INT((int)strlen(token), 64);
	IL_CHECK_INT(il_auth_token(s, token, &b), IL_OK);
	IL_CHECK_STR(b.name, "ent");
	il_account_release(&b);
	IL_CHECK_INT(il_store_account_set_disabled(s, "ent", true), IL_OK);
	IL_CHECK_INT(il_auth_token(s, token, &b), IL_EAUTH);
	IL_CHECK_INT(il_auth_login(s, "ent", "password-1", &b, &csrf, &csrf2), IL_EAUTH);
	IL_CHECK_INT(il_store_account_set_disabled(s, "ent", false), IL_OK);
	IL_CHECK_INT(il_auth_token(s, token, &b), IL_EAUTH); /* disabling revoked it for good */
	free(token);
	il_account_release(&a);
}

static void test_write_rules(void)
{
	struct il_account op = account("op", "operator", NULL, NULL, NULL);
	struct il_account wuhan = account("wuhan", "city_operator", "4201", NULL, NULL);
	struct il_account jz = account("jz", "city_operator", "4210", NULL, NULL);
	struct il_account ent = account("ent", "enterprise", NULL, "ORG-A", NULL);
	struct il_account uni = account("uni", "institution", NULL, "ORG-B", NULL);
	struct il_account expert = account("zhang", "expert", NULL, NULL, "PER-A");
	struct il_record d, moved, org, per;
	get(IL_KIND_DEMAND, "DEM-OPEN", &d);
	IL_CHECK_INT(il_record_copy(&moved, &d), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&moved, "region", "4210", 4), IL_OK);
	get(IL_KIND_ORGANIZATION, "ORG-A", &org);
	get(IL_KIND_PERSON, "PER-A", &per);

	IL_CHECK_INT(il_auth_may_write(s, NULL, IL_AUTH_UPDATE, &d, &d), IL_EAUTH);
	IL_CHECK_INT(il_auth_may_write(s, &op, IL_AUTH_DELETE, &d, NULL), IL_OK);
	IL_CHECK_INT(il_auth_may_write(s, &wuhan, IL_AUTH_UPDATE, &d, &d), IL_OK); /* district */
	IL_CHECK_INT(il_auth_may_write(s, &wuhan, IL_AUTH_UPDATE, &d, &moved), IL_EPERM);
	IL_CHECK_INT(il_auth_may_write(s, &jz, IL_AUTH_UPDATE, &d, &d), IL_EPERM);
	IL_CHECK_INT(il_auth_may_write(s, &ent, IL_AUTH_UPDATE, &d, &moved), IL_OK);
	IL_CHECK_INT(il_auth_may_write(s, &uni, IL_AUTH_UPDATE, &d, &d), IL_EPERM);
	IL_CHECK_CONTAINS(il_error_detail(IL_EPERM), "does not own");
	IL_CHECK_INT(il_auth_may_write(s, &ent, IL_AUTH_UPDATE, &org, &org), IL_OK);
	IL_CHECK_INT(il_auth_may_write(s, &ent, IL_AUTH_DELETE, &org, NULL), IL_EPERM);
	IL_CHECK_INT(il_auth_may_write(s, &expert, IL_AUTH_UPDATE, &per, &per), IL_OK);
	IL_CHECK_INT(il_auth_may_write(s, &expert, IL_AUTH_UPDATE, &d, &d), IL_EPERM);
	IL_CHECK_INT(il_auth_may_write(s, &expert, IL_AUTH_CREATE, NULL, &per), IL_EPERM);
	il_record_release(&d);
	il_record_release(&moved);
	il_record_release(&org);
	il_record_release(&per);
}

static void test_match_feedback(void)
{
	struct il_account uni = account("uni", "institution", NULL, "ORG-B", NULL);
	struct il_account other = account("o", "enterprise", NULL, "ORG-X", NULL);
	struct il_record m, fb, score;
	get(IL_KIND_MATCH, "MAT-1", &m);
	IL_CHECK_INT(il_record_copy(&fb, &m), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&fb, "state", "useful", 6), IL_OK);
	IL_CHECK_INT(il_record_copy(&score, &fb), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&score, "score", "0.99", 4), IL_OK);
	IL_CHECK_INT(il_auth_may_write(s, &uni, IL_AUTH_UPDATE, &m, &fb), IL_OK);
	IL_CHECK_INT(il_auth_may_write(s, &uni, IL_AUTH_UPDATE, &m, &score), IL_EPERM);
	IL_CHECK_INT(il_auth_may_write(s, &other, IL_AUTH_UPDATE, &m, &fb), IL_EPERM);
	IL_CHECK_INT(il_auth_may_write(s, &uni, IL_AUTH_DELETE, &m, NULL), IL_EPERM);
	il_record_release(&m);
	il_record_release(&fb);
	il_record_release(&score);
}

static void test_confidential_demands(void)
{
	static const struct {
		const char *role, *region, *org, *person;
		bool see;
	} cases[] = {
		{"operator", NULL, NULL, NULL, true},
		{"city_operator", "4201", NULL, NULL, true},
		{"city_operator", "42", NULL, NULL, true},
		{"city_operator", "4210", NULL, NULL, false},
		{"enterprise", NULL, "ORG-A", NULL, true},
		{"institution", NULL, "ORG-B", NULL, true},
		{"agency", NULL, "ORG-X", NULL, false},
		{"expert", NULL, NULL, "PER-A", false},
	};
	struct il_record d, open;
	bool see;
	get(IL_KIND_DEMAND, "DEM-SECRET", &d);
	get(IL_KIND_DEMAND, "DEM-OPEN", &open);
	IL_CHECK_INT(il_auth_may_see(s, NULL, &d, &see), IL_OK);
	IL_CHECK(!see);
	IL_CHECK_INT(il_auth_may_see(s, NULL, &open, &see), IL_OK);
	IL_CHECK(see);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct il_account a =
			account("x", cases[i].role, cases[i].region, cases[i].org, cases[i].person);
		IL_CHECK_INT(il_auth_may_see(s, &a, &d, &see), IL_OK);
		if (see != cases[i].see)
			printf("# %s %s: see %d\n", cases[i].role,
			       cases[i].region ? cases[i].region : cases[i].org, see);
		IL_CHECK(see == cases[i].see);
	}
	il_record_release(&d);
	il_record_release(&open);
}

static void test_region_cycle_ends(void)
{
	bool in = true;
	put(IL_KIND_REGION, (const char *const[]){"id=R1", "name_zh=甲", "level=park", NULL});
	put(IL_KIND_REGION,
	    (const char *const[]){"id=R2", "name_zh=乙", "level=park", "parent=R1", NULL});
	put(IL_KIND_REGION,
	    (const char *const[]){"id=R1", "name_zh=甲", "level=park", "parent=R2", NULL});
	IL_CHECK_INT(il_auth_region_within(s, "R1", "4201", &in), IL_OK);
	IL_CHECK(!in);
	IL_CHECK_INT(il_auth_region_within(s, "420111", "42", &in), IL_OK);
	IL_CHECK(in);
}

/* Every allocation of a city operator's check fails in turn: ENOMEM, no leak. */
static void test_allocation_failures(void)
{
	struct il_account wuhan = account("wuhan", "city_operator", "4201", NULL, NULL);
	struct il_record d;
	unsigned long n;
	get(IL_KIND_DEMAND, "DEM-OPEN", &d);
	il_alloc_fail_after(0);
	IL_CHECK_INT(il_auth_may_write(s, &wuhan, IL_AUTH_UPDATE, &d, &d), IL_OK);
	n = il_alloc_fail_after(0);
	for (unsigned long i = 1; i <= n; i++) {
		il_alloc_fail_after(i);
		int rc = il_auth_may_write(s, &wuhan, IL_AUTH_UPDATE, &d, &d);
		il_alloc_fail_after(0);
		IL_CHECK(rc == IL_OK || rc == IL_ENOMEM || rc == IL_ESTORE);
	}
	il_record_release(&d);
}

int main(void)
{
	setup();
	IL_RUN(test_accounts_name_what_they_need);
	IL_RUN(test_login_sessions_tokens);
	IL_RUN(test_write_rules);
	IL_RUN(test_match_feedback);
	IL_RUN(test_confidential_demands);
	IL_RUN(test_region_cycle_ends);
	IL_RUN(test_allocation_failures);
	il_store_close(s);
	IL_DONE();
}
