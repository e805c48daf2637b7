#!/usr/bin/env bash
# The CLI's import, export, list, show, stats and dedup on real files:
# UTF-8 with BOM and Chinese headers, GB18030, JSON Lines, XLSX, malformed,
# truncated and duplicate-id files, re-imports, round trips, history.
. "$(dirname "$0")/lib.sh"
F="$SRC/fixtures/cli"
DB="$T/t.db"

run "$IL" init --db "$DB"
check_status 0 "init creates a database"
run "$IL" stats --json --db "$DB"
check_eq "$(json 'j["organization"], j["region"], j["demand"], j["indicator"]')" "0 0 0 0" \
	"stats --json counts every kind"

run "$IL" import "$F/regions.csv" --kind region --db "$DB"
check_status 0 "regions with a BOM and Chinese headers import"
check_contains "$out" "5 rows: 5 new" "import reports what it did"

# the same organizations as GB18030, the way Excel in China saves CSV
iconv -f UTF-8 -t GB18030 "$F/orgs.csv" >"$T/orgs-gb.csv"
run "$IL" import "$T/orgs-gb.csv" --kind organization --db "$DB"
check_status 0 "GB18030 CSV imports"
run "$IL" show organization CO-000852 --json --db "$DB"
check_eq "$(json 'j["name_zh"], j["high_tech"], j["founded"], j["aliases"]')" \
	"中石化石油机械股份有限公司 True 1998-11-26 ['石化机械']" "GB18030 text and canonical values survive"
run "$IL" show organization ORG-JZ-PUMP --json --db "$DB"
check_eq "$(json 'repr(j["description"])')" "'抽油泵,柱塞泵\\n多行简介'" "a quoted multi-line cell stays one value"

# the UTF-8 file has the same rows: nothing changes
run "$IL" import "$F/orgs.csv" --kind organization --db "$DB"
check_contains "$out" "0 new, 0 updated, 4 unchanged" "re-import in another encoding changes nothing"
run "$IL" show organization UNI-4142010489 --history --json --db "$DB"
check_eq "$(json 'len(j)')" "1" "an unchanged re-import makes no new version"

run "$IL" import "$F/achievements.jsonl" --kind achievement --db "$DB"
check_status 0 "JSON Lines import"
run "$IL" show achievement ACH-T-2 --json --db "$DB"
check_eq "$(json 'j["owner"], j["trl"], j["keywords"]')" "CO-000852 7 ['PDC bit', 'drilling']" \
	"an owner given by name resolves to its id"

# a bad file: every bad row named by file, line, field and value; nothing committed
run "$IL" stats --json --db "$DB"
before=$out
run "$IL" import "$F/orgs-bad.csv" --kind organization --db "$DB"
check_status 1 "a file with bad rows fails"
check_contains "$err" "orgs-bad.csv:4: field 'founded': value '2024-13-01' is not a valid calendar date" \
	"bad date named with line, field and value"
check_contains "$err" "orgs-bad.csv:5: field 'region': no region with id '9999'" "bad reference named"
check_contains "$err" "orgs-bad.csv:6: field 'kind': value 'bakery' is not one of" "bad enum named"
check_contains "$err" "3 bad rows; nothing was imported" "summary says nothing was imported"
run "$IL" stats --json --db "$DB"
check_eq "$out" "$before" "a failed import leaves the database as it was"

run "$IL" import "$F/orgs-bad.csv" --kind organization --skip-invalid --rejects "$T/rejects.csv" --db "$DB"
check_status 0 "--skip-invalid commits the valid rows"
check_contains "$out" "3 new, 0 updated, 0 unchanged, 0 merged, 3 rejected" "and counts the rejected ones"
check_eq "$(tail -n +2 "$T/rejects.csv" | wc -l | tr -d ' ')" "3" "rejects file holds the three bad rows"
check_contains "$(cat "$T/rejects.csv")" "orgs-bad.csv:4" "rejects file says where each row was"
check_contains "$(cat "$T/rejects.csv")" "is not a valid calendar date" "and why"

run "$IL" import "$F/orgs-dup.csv" --kind organization --db "$DB"
check_status 1 "an id given twice in one file is refused"
check_contains "$err" "orgs-dup.csv:4: field 'id': value 'ORG-D1' repeats the row at line 2" "and both lines are named"

run "$IL" import "$F/orgs-truncated.csv" --kind organization --db "$DB"
check_status 1 "a truncated file (open quote at the end) fails"
check_contains "$err" "orgs-truncated.csv:3" "naming the line where the broken field starts"

run "$IL" import "$F/orgs-unknown-col.csv" --kind organization --db "$DB"
check_status 1 "an unknown column fails"
check_contains "$err" "column 'colour' is not a field of organization" "naming the column"

run "$IL" import "$T/missing.csv" --kind organization --db "$DB"
check_status 1 "a missing file fails"
check_contains "$err" "missing.csv" "naming the file"

# usage errors exit 2
run "$IL" import "$F/orgs.csv" --db "$DB"
check_status 2 "import without --kind is a usage error"
run "$IL" import "$F/orgs.csv" --kind widget --db "$DB"
check_status 2 "an unknown kind is a usage error"
run "$IL" frobnicate
check_status 2 "an unknown command is a usage error"

# demands: confidential ones stay out of exports and lists unless asked for
run "$IL" import "$F/demands.csv" --kind demand --db "$DB"
check_status 0 "demands import"
run "$IL" export --kind demand --format jsonl --db "$DB"
check_eq "$(printf '%s\n' "$out" | grep -c DEM-T-)" "1" "export leaves out the confidential demand"
run "$IL" export --kind demand --format jsonl --include-confidential --db "$DB"
check_eq "$(printf '%s\n' "$out" | grep -c DEM-T-)" "2" "unless --include-confidential"
run "$IL" list demand --json --db "$DB"
check_eq "$(json 'len(j)')" "1" "list hides confidential demands too"

# filters: a city includes its parks
run "$IL" list organization --region 4210 --json --db "$DB"
check_eq "$(json 'sorted(r["id"] for r in j)')" \
	"['ORG-JZ-PUMP', 'ORG-OK-1', 'ORG-OK-2', 'UNI-4142010489']" "--region includes the city's park"
run "$IL" list organization --filter high_tech=是 --json --db "$DB"
check_eq "$(json '[r["id"] for r in j]')" "['CO-000852']" "--filter takes Chinese yes/no"

# round trips: export -> import into an empty database -> export gives the same bytes
for fmt in csv jsonl xlsx; do
	"$IL" export --kind organization --out "$T/orgs.$fmt" --db "$DB" 2>/dev/null
	"$IL" init --db "$T/rt-$fmt.db" >/dev/null
	"$IL" import "$F/regions.csv" --kind region --db "$T/rt-$fmt.db" >/dev/null
	run "$IL" import "$T/orgs.$fmt" --kind organization --db "$T/rt-$fmt.db"
	check_status 0 "$fmt export imports back"
	"$IL" export --kind organization --out "$T/orgs-again.$fmt.csv" --db "$T/rt-$fmt.db" 2>/dev/null
	"$IL" export --kind organization --out "$T/orgs-first.csv" --db "$DB" 2>/dev/null
	if cmp -s "$T/orgs-first.csv" "$T/orgs-again.$fmt.csv"; then ok "$fmt round trip is lossless"; else
		not_ok "$fmt round trip is lossless"
		diff "$T/orgs-first.csv" "$T/orgs-again.$fmt.csv" | head -5 | sed 's/^/#   /'
	fi
done
run "$IL" import "$T/orgs.xlsx" --kind organization --db "$DB"
check_contains "$out" "0 new, 0 updated, 7 unchanged" "re-importing our own XLSX export changes nothing"
"$IL" export --kind organization --zh-headers --encoding gb18030 --out "$T/orgs-zh.csv" --db "$DB" 2>/dev/null
run "$IL" import "$T/orgs-zh.csv" --kind organization --db "$DB"
check_contains "$out" "7 unchanged" "Chinese headers in GB18030 import back unchanged"

# history: a change keeps the old version, with who and what
sed 's/钻头钻具、钻井装备、压裂装备/钻头钻具、钻井泵、压裂装备/' "$F/orgs.csv" >"$T/orgs-changed.csv"
run "$IL" import "$T/orgs-changed.csv" --kind organization --db "$DB"
check_contains "$out" "1 updated" "a changed row is an update"
run "$IL" show organization CO-000852 --history --db "$DB"
check_contains "$out" "version 2" "history shows the new version"
check_contains "$out" "(was: 钻头钻具、钻井装备、压裂装备)" "and what the value was"
check_contains "$out" "import:orgs-changed.csv:4" "and which file and line changed it"

# de-duplication: an exact name match merges, a near one is listed
printf 'id,name_zh,kind\nORG-HUST-2,Huazhong University of Science & Technology,university\nORG-NEAR,湖北长江大学,university\n' >"$T/dups.csv"
run "$IL" import "$T/dups.csv" --kind organization --db "$DB"
check_contains "$out" "1 new, 0 updated, 0 unchanged, 1 merged" "an organization known by another name is merged"
run "$IL" dedup list --json --db "$DB"
check_eq "$(json '[(c["a"], c["b"]) for c in j]')" "[('ORG-NEAR', 'UNI-4142010489')]" \
	"a near-duplicate is listed as a merge candidate"
run "$IL" dedup merge UNI-4142010489 ORG-NEAR --db "$DB"
check_status 0 "dedup merge"
run "$IL" show organization UNI-4142010489 --json --db "$DB"
check_contains "$(json 'j["aliases"]')" "湖北长江大学" "the merged name becomes an alias"

# --help on every command
for c in init migrate import export list show stats dedup serve fields version; do
	run "$IL" "$c" --help
	if [ "$status" = 0 ] && [ -n "$out" ]; then ok "$c --help"; else not_ok "$c --help"; fi
done

finish
