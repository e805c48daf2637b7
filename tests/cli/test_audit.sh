#!/usr/bin/env bash
# innolink audit verify: 0 on an intact log; 1 naming the first broken entry
# once the database file is edited with sqlite3 behind innolink's back.
. "$(dirname "$0")/lib.sh"
DB="$T/audit.db"
run "$IL" init --demo --db "$DB"
run "$IL" deal new --title t --type service --buyer CO-601869 --db "$DB"
run "$IL" deal move DEA-1 negotiation --db "$DB"
run "$IL" audit verify --db "$DB"
check_status 0 "an intact log"
check_contains "$out" "intact" "says so"
last=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")
run "$IL" audit verify --db "$DB" --json
check_eq "$(json 'j["intact"], j["entries"]')" "True $last" "--json counts every entry"

tampered() { # name sql expected-entry expected-text
	cp "$DB" "$T/$1.db"
	sqlite3 "$T/$1.db" "$2"
	run "$IL" audit verify --db "$T/$1.db"
	check_status 1 "$1: detected"
	check_contains "$err" "breaks at entry $3" "$1: names entry $3"
	check_contains "$err" "$4" "$1: says what is wrong"
}
tampered edited "UPDATE audit_log SET actor = 'mallory' WHERE seq = 42" 42 "edited"
tampered deleted "DELETE FROM audit_log WHERE seq = 100" 100 "missing"
tampered truncated "DELETE FROM audit_log WHERE seq = $last" "$last" "missing"
tampered rehashed "UPDATE audit_log SET hash = prev WHERE seq = 7" 7 "edited"
tampered record "UPDATE deal SET title = 'other' WHERE id = 'DEA-1'" "$last" "changed outside innolink"
tampered demand "UPDATE demand SET budget = 1 WHERE id = 'DEM-N-0003'" 3 "changed outside innolink"
# a database of schema 3 with demands (what migrations 5 and 6 made is
# dropped): migrate gives each its first entry
OLD="$T/v3.db"
cp "$DB" "$OLD"
sqlite3 "$OLD" "DROP TABLE audit_log; DROP TABLE docking_step; DROP TABLE docking;
	DROP TABLE rating; DROP TABLE notification;
	DROP TABLE session; DROP TABLE api_token; DROP TABLE audit; DROP TABLE account;
	ALTER TABLE achievement DROP COLUMN expires; ALTER TABLE demand DROP COLUMN expires;
	ALTER TABLE deal DROP COLUMN licence; ALTER TABLE deal DROP COLUMN starts;
	ALTER TABLE deal DROP COLUMN ends; ALTER TABLE deal DROP COLUMN registration_no;
	ALTER TABLE deal DROP COLUMN registered; ALTER TABLE deal DROP COLUMN milestones;
	DELETE FROM schema_meta WHERE key = 'audit_head';
	UPDATE schema_meta SET value = '3' WHERE key = 'schema_version'"
run "$IL" migrate --db "$OLD"
check_status 0 "a schema 3 database is migrated"
run "$IL" audit verify --db "$OLD" --json
records=$(sqlite3 "$OLD" "SELECT (SELECT count(*) FROM demand) + (SELECT count(*) FROM deal) +
	(SELECT count(*) FROM assignment)")
check_eq "$(json 'j["intact"], j["entries"]')" "True $records" \
	"with one entry per demand, deal and placement"

run "$IL" audit check --db "$DB"
check_status 2 "an unknown subcommand is a usage error"
finish
