#!/usr/bin/env bash
# innolink copy and the CLI on PostgreSQL: the demo data goes from SQLite
# to PostgreSQL and back with every row the same; the commands read and
# write PostgreSQL through URIs and keyword strings; errors say what.
# Runs itself under tests/store/with-postgres (a throwaway cluster) when
# $INNOLINK_TEST_PG is not set.
if [ -z "${INNOLINK_TEST_PG:-}" ]; then
	exec sh "$(dirname "$0")/../store/with-postgres" bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
PG=$INNOLINK_TEST_PG
URI=$INNOLINK_TEST_PGURI

# every row of every table as .dump writes it (values exact), sorted:
# implicit rowids of tables without a key are not data
dump() {
	sqlite3 "$1" .dump | grep '^INSERT' | sort
}

run "$IL" init --demo --db "$T/a.db"
check_status 0 "init --demo on SQLite"
# versions and a deletion, so history and the change log have more than inserts
printf 'id,title,owner,budget\nDEM-X-1,Copy test demand,UNI-4142010489,0.30000000000000004\n' >"$T/d.csv"
"$IL" import "$T/d.csv" --kind demand --db "$T/a.db" >/dev/null
printf 'id,title,owner,budget\nDEM-X-1,Copy test demand v2,UNI-4142010489,1e-7\n' >"$T/d.csv"
"$IL" import "$T/d.csv" --kind demand --db "$T/a.db" >/dev/null
printf 'id,title,owner\nDEM-X-2,Deleted soon,UNI-4142010489\n' >"$T/e.csv"
"$IL" import "$T/e.csv" --kind demand --db "$T/a.db" >/dev/null
sqlite3 "$T/a.db" "SELECT 1" >/dev/null

run "$IL" copy --from "$T/a.db" --to "$PG"
check_status 0 "copy SQLite -> PostgreSQL (keyword string)"
check_contains "$out" "(sqlite) to" "copy names the back ends"
run "$IL" copy --from "$URI" --to "$T/c.db" --json
check_status 0 "copy PostgreSQL (URI) -> SQLite"
check_eq "$(json 'j["from"] + ">" + j["to"]')" "postgres>sqlite" "--json names the back ends"
if [ "$(dump "$T/a.db")" = "$(dump "$T/c.db")" ]; then
	ok "SQLite -> PostgreSQL -> SQLite gives the same rows"
else
	not_ok "SQLite -> PostgreSQL -> SQLite gives the same rows"
	diff <(dump "$T/a.db") <(dump "$T/c.db") | head -5 | sed 's/^/#   /'
fi

run "$IL" stats --db "$T/a.db" --json
a_stats=$out
run "$IL" stats --db "$URI" --json
check_eq "$out" "$a_stats" "stats agree on both back ends"
run "$IL" show demand DEM-X-1 --history --db "$PG"
check_contains "$out" "Copy test demand v2" "history reads back from PostgreSQL"
run "$IL" list organization --region 4210 --db "$PG"
check_contains "$out" "长江大学" "list with a region subtree on PostgreSQL"
INNOLINK_DB=$PG run "$IL" search 钻井泵柱塞耐磨 --top 3
check_status 0 "search on PostgreSQL through \$INNOLINK_DB"
check_contains "$out" "ACH-" "search finds achievements on PostgreSQL"
run "$IL" index rebuild --db "$PG"
check_status 1 "index rebuild on PostgreSQL fails"
check_contains "$err" "for SQLite files" "and says why"
run "$IL" index stats --db "$PG"
check_status 0 "index stats on PostgreSQL builds in memory"
run "$IL" migrate --db "$PG"
check_contains "$out" "already at schema version" "migrate on a current PostgreSQL database"

run "$IL" copy --from "$T/a.db" --to "$PG"
check_status 1 "copy into a database with records fails"
check_contains "$err" "not empty" "and says why"
run "$IL" copy --from "$T/a.db"
check_status 2 "copy without --to is a usage error"
run "$IL" copy --from "$T/a.db" --to "postgresql:///x?host=/nonexistent-dir"
check_status 1 "copy to an unreachable server fails"
check_contains "$err" "cannot connect to PostgreSQL" "and says so"
run "$IL" copy --help
check_contains "$out" "--from DB" "copy --help"
finish
