#!/usr/bin/env bash
# Expired listings leave search and matching: on the demo database with the
# clock pinned by INNOLINK_NOW, an achievement renewed for ten days is found
# while live, gone from 'innolink search' and 'innolink match' once its day
# has passed (still listed for its owner by 'renew --expired'), and back
# after 'innolink renew'.
. "$(dirname "$0")/lib.sh"
export INNOLINK_DB="$T/expiry.db"
export INNOLINK_NOW=2025-01-01T00:00:00Z
run "$IL" init --demo
check_status 0 "init --demo"

query=混合布齿
demand="PDC钻头 混合布齿 崩齿"
run "$IL" renew achievement ACH-Z-0001 --days 10
check_status 0 "renew for ten days"
check_contains "$out" "2025-01-11" "expires on 2025-01-11"

INNOLINK_NOW=2025-01-11T12:00:00Z run "$IL" search "$query" --kind achievement
check_contains "$out" "ACH-Z-0001" "found on its last day"
INNOLINK_NOW=2025-01-11T12:00:00Z run "$IL" match text "$demand" --kind achievement
check_contains "$out" "ACH-Z-0001" "matched on its last day"

export INNOLINK_NOW=2025-02-01T00:00:00Z
run "$IL" search "$query" --kind achievement
check_status 0 "search after it expired"
check_eq "$(printf '%s' "$out" | grep -c ACH-Z-0001)" "0" "an expired achievement is not found"
run "$IL" search "$query" --kind achievement --json
check_eq "$(printf '%s' "$out" | grep -c ACH-Z-0001)" "0" "nor in the JSON hits"
run "$IL" match text "$demand" --kind achievement
check_status 0 "match after it expired"
check_contains "$out" "ACH-E-0077" "matching still answers"
check_eq "$(printf '%s' "$out" | grep -c ACH-Z-0001)" "0" "without the expired achievement"
run "$IL" renew --expired achievement --owner UNI-4142010489
check_contains "$out" "ACH-Z-0001	2025-01-11" "its owner still sees it, to renew it"

run "$IL" renew achievement ACH-Z-0001
check_status 0 "the owner renews it"
run "$IL" search "$query" --kind achievement
check_contains "$out" "ACH-Z-0001" "renewed, it is found again"
run "$IL" match text "$demand" --kind achievement
check_contains "$out" "ACH-Z-0001" "and matched again"

# a rebuilt index judges the same way
run "$IL" renew achievement ACH-Z-0001 --days 1
INNOLINK_NOW=2025-03-01T00:00:00Z run "$IL" index rebuild
check_status 0 "index rebuild"
INNOLINK_NOW=2025-03-01T00:00:00Z run "$IL" search "$query" --kind achievement
check_eq "$(printf '%s' "$out" | grep -c ACH-Z-0001)" "0" "expired after a rebuild too"
finish
