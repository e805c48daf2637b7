#!/usr/bin/env bash
# A 100 MB CSV: imported in one transaction with bounded memory (the reader
# streams), and a file whose last row is bad rolls back all of it.  Into an
# empty table the load builds the secondary indexes at its end: they are
# there after it, and after a load that failed.
. "$(dirname "$0")/lib.sh"
DB="$T/big.db"
F="$SRC/fixtures/cli"

python3 - "$T/big.csv" <<'PY'
import sys, random
rnd = random.Random(7)
words = ("钻井 泵 柱塞 涂层 耐磨 压裂 油田 化学 智能 家电 压缩机 变频 汽车 零部件 轻量化 铝合金 "
         "laser fibre optical coating wear pump drilling fracturing sensor battery recycling").split()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("id,title,abstract,keywords,kind,owner,trl,region\n")
    size, i = 0, 0
    while size < 100 * 1024 * 1024:
        title = "".join(rnd.choice(words) for _ in range(6))
        abstract = " ".join(rnd.choice(words) for _ in range(120))
        line = f'ACH-L-{i},{title},"{abstract}",{rnd.choice(words)};{rnd.choice(words)},patent,CO-000852,{rnd.randint(1,9)},4201\n'
        f.write(line)
        size += len(line.encode())
        i += 1
PY
rows=$(($(wc -l <"$T/big.csv") - 1))
"$IL" init --db "$DB" >/dev/null
"$IL" import "$F/regions.csv" --kind region --db "$DB" >/dev/null
"$IL" import "$F/orgs.csv" --kind organization --db "$DB" >/dev/null

rss=$(python3 - "$IL" "$T/big.csv" "$DB" <<'PY'
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], "import", sys.argv[2], "--kind", "achievement", "--db", sys.argv[3]],
                   capture_output=True, text=True)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
)
check_eq "${rss%% *}" "0" "a 100 MB CSV imports"
if [ "${rss##* }" -lt 400 ]; then ok "with bounded memory (${rss##* } MB peak)"; else
	not_ok "with bounded memory (${rss##* } MB peak)"; fi
run "$IL" stats --json --db "$DB"
check_eq "$(json 'j["achievement"]')" "$rows" "every row is there"
indexes() { sqlite3 "$1" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
	WHERE type = 'index' AND tbl_name = 'achievement' AND sql IS NOT NULL ORDER BY name)"; }
check_eq "$(indexes "$DB")" "achievement_owner achievement_region" "the secondary indexes were built"
check_eq "$(sqlite3 "$DB" "SELECT count(*) FROM achievement INDEXED BY achievement_region
	WHERE region = '4201'")" "$rows" "and hold every row"
check_eq "$(sqlite3 "$DB" "PRAGMA integrity_check")" "ok" "the database is intact"

# the same file plus one bad last row: all or nothing
{ cat "$T/big.csv"; echo "ACH-L-BAD,坏行,x,,patent,CO-000852,12,4201"; } >"$T/big-bad.csv"
sed -i 's/^ACH-L-\([0-9]*\),/ACH-M-\1,/' "$T/big-bad.csv"
run "$IL" import "$T/big-bad.csv" --kind achievement --db "$DB"
check_status 1 "a bad last row fails the 100 MB file"
check_contains "$err" "big-bad.csv:$((rows + 2)): field 'trl': value '12' is outside 1..9" "naming its line"
run "$IL" stats --json --db "$DB"
check_eq "$(json 'j["achievement"]')" "$rows" "and none of its rows were committed"

# the same into an empty table, where the load had dropped the indexes
DB2="$T/big2.db"
"$IL" init --db "$DB2" >/dev/null
"$IL" import "$F/regions.csv" --kind region --db "$DB2" >/dev/null
"$IL" import "$F/orgs.csv" --kind organization --db "$DB2" >/dev/null
run "$IL" import "$T/big-bad.csv" --kind achievement --db "$DB2"
check_status 1 "a bad last row fails the load into an empty table"
run "$IL" stats --json --db "$DB2"
check_eq "$(json 'j["achievement"]')" "0" "leaving it empty"
check_eq "$(indexes "$DB2")" "achievement_owner achievement_region" "with its indexes in place"
check_eq "$(sqlite3 "$DB2" "PRAGMA integrity_check")" "ok" "and the database intact"
finish
