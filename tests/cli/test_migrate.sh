#!/usr/bin/env bash
# A database made by the first schema: refused with advice, then upgraded
# in place by `innolink migrate`, keeping its records and history.
. "$(dirname "$0")/lib.sh"
DB="$T/old.db"
cp "$SRC/fixtures/store/schema-v1.db" "$DB"

run "$IL" list organization --db "$DB"
check_status 1 "an old schema is refused"
check_contains "$err" "run 'innolink migrate" "with the command that fixes it"
run "$IL" migrate --db "$DB"
check_status 0 "migrate"
check_contains "$out" "migrated to schema version" "migrate says what it did"
run "$IL" migrate --db "$DB"
check_contains "$out" "already at schema version" "a second migrate has nothing to do"
run "$IL" show organization UNI-4142010489 --history --json --db "$DB"
check_eq "$(json '[v["version"] for v in j]')" "[1, 2]" "the history made under schema 1 is kept"
run "$IL" stats --json --db "$DB"
check_eq "$(json 'j["organization"], j["achievement"], j["region"]')" "1 1 2" "and every record"
finish
