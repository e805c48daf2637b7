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
run "$IL" audit check --db "$DB"
check_status 2 "an unknown subcommand is a usage error"
finish
