#!/usr/bin/env bash
# innolink init's first operator and innolink user: passwords from a file,
# the environment or nowhere (no wait for input that never comes), roles
# and their references checked, list, disable, tokens and revocation, and
# no secret in the database.
. "$(dirname "$0")/lib.sh"
H="$SRC/fixtures/http"
DB="$T/u.db"

run "$IL" init --db "$DB" </dev/null
check_status 0 "init without a terminal or password still makes the database"
check_contains "$err" "no operator account was made" "and says why there is no operator"

printf 'first-operator-pw\n' >"$T/pw"
run "$IL" init --db "$DB" --operator root --password-file "$T/pw" </dev/null
check_status 0 "init on an existing database with --password-file"
check_contains "$out" "operator account root added" "the first operator is made"
run "$IL" init --db "$DB" --operator second --password-file "$T/pw" </dev/null
check_eq "$("$IL" user list --db "$DB" --json | wc -l)" "1" "a second init makes no second operator"

"$IL" import "$H/regions.csv" --kind region --db "$DB" >/dev/null
"$IL" import "$H/organizations.csv" --kind organization --db "$DB" >/dev/null
"$IL" import "$H/persons.csv" --kind person --db "$DB" >/dev/null

run env INNOLINK_PASSWORD=enterprise-pw "$IL" user add pumps --role enterprise --org ORG-T-3 --db "$DB"
check_status 0 "an enterprise account from INNOLINK_PASSWORD"
run env INNOLINK_PASSWORD=enterprise-pw "$IL" user add pumps --role enterprise --org ORG-T-3 --db "$DB"
check_status 1 "the same name twice"
check_contains "$err" "already exists" "says the name is taken"
run env INNOLINK_PASSWORD=some-password "$IL" user add ghost --role enterprise --org ORG-NOPE --db "$DB"
check_contains "$err" "field 'org': no organization with id 'ORG-NOPE'" "an unknown organization is named"
run env INNOLINK_PASSWORD=some-password "$IL" user add boss --role king --db "$DB"
check_contains "$err" "role 'king' is unknown" "an unknown role is named"
run env INNOLINK_PASSWORD=some-password "$IL" user add wuhan --role city_operator --db "$DB"
check_contains "$err" "field 'region'" "a city operator needs a region"
run env INNOLINK_PASSWORD=short "$IL" user add zhang --role expert --person PER-T-1 --db "$DB"
check_contains "$err" "field 'password'" "a short password is refused"
run "$IL" user add zhang --role expert --person PER-T-1 --db "$DB" </dev/null
check_status 1 "no password and no terminal"
check_contains "$err" "no password" "says where a password can come from"
run "$IL" user add --db "$DB" --role expert
check_status 2 "user add without a name is a usage error"

run "$IL" user list --db "$DB" --json
names() { python3 -c 'import json,sys; print([json.loads(l)[sys.argv[1]] for l in sys.stdin])' "$1"; }
check_eq "$(printf '%s\n' "$out" | names name)" \
	"['pumps', 'root']" "user list shows the accounts in name order"

run "$IL" user token pumps --label nightly --json --db "$DB"
check_status 0 "a token is made"
token=$(json 'j["token"]')
tid=$(json 'j["id"]')
check_eq "${#token}" "64" "the token is 32 random bytes in hex"
check_eq "$(sqlite3 "$DB" "SELECT count(*) FROM api_token WHERE token_hash = '$token'")" "0" \
	"the database holds the token's hash, not the token"
check_eq "$(sqlite3 "$DB" "SELECT count(*) FROM account WHERE pwhash LIKE '\$argon2id\$%'")" "2" \
	"passwords are Argon2id hashes"
run "$IL" user token pumps --list --db "$DB"
check_contains "$out" "nightly" "the token is listed by its label"
run "$IL" user token pumps --revoke "$tid" --db "$DB"
check_contains "$out" "revoked" "and revoked"
run "$IL" user token pumps --revoke "$tid" --db "$DB"
check_status 1 "a token is revoked once"
run "$IL" user disable pumps --db "$DB"
check_status 0 "disable"
check_eq "$("$IL" user list --db "$DB" --json | names disabled)" \
	"[True, False]" "the account is marked disabled"
run "$IL" user disable nobody --db "$DB"
check_contains "$err" "no account named 'nobody'" "an unknown account is named"
check_eq "$(sqlite3 "$DB" "SELECT group_concat(action, ' ') FROM audit")" \
	"account.add account.add token.create token.revoke account.disable" "the audit log"
finish
