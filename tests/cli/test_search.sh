#!/usr/bin/env bash
# innolink search and innolink index on the demo data: the right subject
# first for a Chinese query (and an English record reached through the
# glossary), kind and region filters, the snapshot written by
# `index rebuild` giving the same answers, writes made after the snapshot
# found through the store's change log without a rebuild (a new record, a
# placement on a chain link and its move, a new region, a deleted record),
# a corrupt snapshot or one of another database never giving a wrong
# answer, and usage errors.
. "$(dirname "$0")/lib.sh"
DB="$T/demo.db"

run "$IL" init --demo --db "$DB"
check_status 0 "init --demo"

# hits as "kind id score" lines, for comparing answers
hits() { printf '%s' "$out" | python3 -c '
import json, sys
for h in json.load(sys.stdin)["hits"]:
    print(h["kind"], h["id"], "%.5f" % h["score"])'; }

run "$IL" search 钻井泵柱塞 --json --db "$DB"
check_status 0 "search 钻井泵柱塞"
check_eq "$(json 'j["index"]')" "store" "without a snapshot the index is built from the store"
check_eq "$(json 'len(j["hits"])')" "10" "ten hits by default"
first=$(json '[h for h in j["hits"] if h["kind"] == "achievement"][0]["title"]')
case "$first" in
*柱塞* | *plunger* | *钻井泵* | *"mud pump"*) ok "the first achievement is about drilling-pump plungers: $first" ;;
*) not_ok "the first achievement is about drilling-pump plungers: $first" ;;
esac
check_eq "$(json 'all(h["score"] >= n["score"] for h, n in zip(j["hits"], j["hits"][1:]))')" "True" \
	"hits come best first"
check_eq "$(json 'any(t["translated"] for h in j["hits"] for t in h["terms"] if h["id"].startswith("ACH-E-"))')" \
	"True" "an English achievement is reached through the glossary"
check_eq "$(json 'all(h["terms"] and h["title"] for h in j["hits"])')" "True" \
	"every hit has its title and matched terms"
before=$(hits)

run "$IL" search 钻井泵柱塞 --no-expand --json --db "$DB"
check_eq "$(json 'any(h["id"].startswith("ACH-E-") for h in j["hits"])')" "False" \
	"--no-expand keeps to Chinese records"

run "$IL" search 钻井泵柱塞 --kind demand --top 20 --json --db "$DB"
check_status 0 "search --kind demand"
check_eq "$(json 'set(h["kind"] for h in j["hits"])')" "{'demand'}" "--kind demand gives demands only"
check_eq "$(json 'len(j["hits"]) > 0')" "True" "and some"
run "$IL" search 钻井泵柱塞 --kind demand,achievement --top 50 --json --db "$DB"
check_eq "$(json 'sorted(set(h["kind"] for h in j["hits"]))')" "['achievement', 'demand']" \
	"--kind takes a list"

# --region 4210 (Jingzhou): records in the city, its districts and its parks
run "$IL" list region --all --json --db "$DB"
under=$(printf '%s' "$out" | python3 -c '
import json, sys
rs = json.load(sys.stdin)
parent = {r["id"]: r.get("parent") for r in rs}
def inside(r):
    while r:
        if r == "4210":
            return True
        r = parent.get(r)
    return False
print(" ".join(sorted(r for r in parent if inside(r))))')
check_contains "$under" "421002" "the region tree under 4210 has districts"
run "$IL" search 柱塞 --region 4210 --top 50 --json --db "$DB"
check_status 0 "search --region 4210"
n_city=$(json 'len(j["hits"])')
if [ "$n_city" -gt 0 ]; then ok "$n_city hits in Jingzhou"; else not_ok "hits in Jingzhou"; fi
bad=0
for pair in $(printf '%s' "$out" | python3 -c '
import json, sys
for h in json.load(sys.stdin)["hits"]:
    print(h["kind"] + ":" + h["id"])'); do
	run "$IL" show "${pair%%:*}" "${pair#*:}" --json --db "$DB"
	region=$(json 'j.get("region", "")')
	case " $under " in
	*" $region "*) ;;
	*)
		bad=$((bad + 1))
		echo "#   ${pair} lies in '$region'"
		;;
	esac
done
check_eq "$bad" "0" "every hit of --region 4210 lies in Jingzhou or inside it"
run "$IL" search 柱塞 --region 421002 --top 50 --json --db "$DB"
n_district=$(json 'len(j["hits"])')
if [ "$n_district" -le "$n_city" ]; then ok "a district has no more hits than its city"; else not_ok "district vs city"; fi
run "$IL" search 柱塞 --region 9999 --json --db "$DB"
check_eq "$(json 'len(j["hits"]), j["total"]')" "0 0" "a region with nothing matches nothing"

# AND, operators, odd input
run "$IL" search 钻井泵 柱塞 --db "$DB"
check_status 2 "two arguments are a usage error (quote the query)"
run "$IL" search "钻井泵 柱塞" --and --json --db "$DB"
check_status 0 "search --and"
and_total=$(json 'j["total"]')
run "$IL" search "钻井泵 柱塞" --json --db "$DB"
or_total=$(json 'j["total"]')
if [ "$and_total" -le "$or_total" ]; then ok "AND matches no more than OR"; else not_ok "AND vs OR"; fi
run "$IL" search '"钻井泵' --json --db "$DB"
check_status 0 "an unbalanced quote is not an error"
run "$IL" search "的" --json --db "$DB"
check_eq "$(json 'len(j["hits"])')" "0" "a stop word alone matches nothing"
run "$IL" search "" --json --db "$DB"
check_status 0 "an empty query is not an error"

# the snapshot: same answers, used while fresh
run "$IL" index rebuild --json --db "$DB"
check_status 0 "index rebuild"
check_eq "$(json 'j["docs"] > 1000, j["dead"], j["snapshot_bytes"] > 0')" "True 0 True" \
	"index rebuild reports documents and the snapshot"
if [ -s "$DB.index" ]; then ok "DB.index written"; else not_ok "DB.index written"; fi
run "$IL" search 钻井泵柱塞 --json --db "$DB"
check_eq "$(json 'j["index"]')" "snapshot" "search loads the snapshot"
check_eq "$(hits)" "$before" "the snapshot gives the same answer as a fresh build"
run "$IL" index stats --json --db "$DB"
check_eq "$(json 'j["index"], j["docs"] > 1000, j["kinds"]["achievement"] > 500')" \
	"snapshot True True" "index stats reads the snapshot"
run "$IL" index stats --db "$DB"
check_contains "$out" "postings" "index stats in text"

# writes after the snapshot: it is loaded and caught up from the change log
run "$IL" index stats --json --db "$DB"
seq0=$(json 'j["seq"]')
docs0=$(json 'j["docs"]')
if [ "$seq0" -gt 0 ]; then ok "the snapshot records the store's change sequence ($seq0)"; else
	not_ok "the snapshot records the store's change sequence"; fi
cat >"$T/new.jsonl" <<'EOF'
{"id": "ACH-T-NEW", "title": "钻井泵柱塞激光熔覆新工艺", "abstract": "钻井泵柱塞表面激光熔覆镍基碳化钨。", "keywords": ["钻井泵", "柱塞"], "region": "4210"}
EOF
run "$IL" import "$T/new.jsonl" --kind achievement --db "$DB"
check_status 0 "import after the snapshot"
run "$IL" search 钻井泵柱塞 --top 20 --json --db "$DB"
check_eq "$(json 'j["index"]')" "snapshot" "the snapshot is still used after an import"
check_eq "$(json 'any(h["id"] == "ACH-T-NEW" for h in j["hits"])')" "True" \
	"the new record is found without a rebuild"
run "$IL" index stats --json --db "$DB"
check_eq "$(json 'j["index"], j["seq"] > '"$seq0"', j["docs"] - '"$docs0")" "snapshot True 1" \
	"index stats catches up too: one more document, a later change"

# a placement on a chain link, then moved to another record: the link
# filter follows the assignment through its history
run "$IL" list link --limit 1 --json --db "$DB"
link=$(json 'j[0]["id"]')
printf '{"id": "ASG-T-1", "entity_kind": "achievement", "entity": "%s", "link": "%s", "method": "manual"}\n' \
	ACH-T-NEW "$link" >"$T/asg.jsonl"
run "$IL" import "$T/asg.jsonl" --kind assignment --db "$DB"
check_status 0 "import an assignment"
run "$IL" search 柱塞 --link "$link" --json --db "$DB"
check_eq "$(json '[h["id"] for h in j["hits"]]')" "['ACH-T-NEW']" \
	"a record placed on a link after the snapshot is found by --link"
printf '{"id": "ASG-T-1", "entity_kind": "achievement", "entity": "%s", "link": "%s", "method": "manual"}\n' \
	ACH-E-0075 "$link" >"$T/asg.jsonl"
run "$IL" import "$T/asg.jsonl" --kind assignment --db "$DB"
check_status 0 "move the assignment to another record"
run "$IL" search 柱塞 --link "$link" --json --db "$DB"
check_eq "$(json '[h["id"] for h in j["hits"]]')" "['ACH-E-0075']" \
	"the old record leaves the link and the new one joins it"

# a new park under a district of Jingzhou, and a record in it
cat >"$T/region.jsonl" <<'EOF'
{"id": "P-TESTPARK", "name_zh": "测试园区", "name_en": "Test Park", "level": "park", "parent": "421002"}
EOF
cat >"$T/park.jsonl" <<'EOF'
{"id": "ACH-T-PARK", "title": "园区钻井泵柱塞修复", "keywords": ["钻井泵", "柱塞"], "region": "P-TESTPARK"}
EOF
run "$IL" import "$T/region.jsonl" --kind region --db "$DB"
check_status 0 "import a region"
run "$IL" import "$T/park.jsonl" --kind achievement --db "$DB"
run "$IL" search 柱塞 --region 4210 --top 100 --json --db "$DB"
check_eq "$(json 'any(h["id"] == "ACH-T-PARK" for h in j["hits"])')" "True" \
	"a record in a region added after the snapshot is found under its city"

# a delete: merging a duplicate organization deletes it
cat >"$T/org.jsonl" <<'EOF'
{"id": "ORG-T-DROP", "name_zh": "泽塔柱塞量子研究所", "name_en": "Zetaplunger Quantum Institute", "kind": "institute", "region": "4210"}
EOF
run "$IL" import "$T/org.jsonl" --kind organization --db "$DB"
check_status 0 "import an organization"
run "$IL" search Zetaplunger --json --db "$DB"
check_eq "$(json '[h["id"] for h in j["hits"]]')" "['ORG-T-DROP']" "the new organization is found"
run "$IL" list organization --limit 1 --json --db "$DB"
keep=$(json 'j[0]["id"]')
run "$IL" dedup merge "$keep" ORG-T-DROP --db "$DB"
check_status 0 "dedup merge deletes ORG-T-DROP"
run "$IL" search Zetaplunger --json --db "$DB"
check_eq "$(json 'j["index"], [h["id"] for h in j["hits"]]')" "snapshot ['$keep']" \
	"a deleted record is no longer found; the one it merged into is, by its new alias"

# the caught-up snapshot answers as a rebuild does
run "$IL" search 钻井泵柱塞 --top 30 --json --db "$DB"
caught=$(hits)
run "$IL" index rebuild --json --db "$DB"
check_eq "$(json 'j["dead"], j["seq"] > '"$seq0")" "0 True" "a rebuild records the later change sequence"
run "$IL" search 钻井泵柱塞 --top 30 --json --db "$DB"
check_eq "$(hits)" "$caught" "the caught-up index gives the same answer as a rebuild"

# a snapshot of another database (ahead of its change log) is not used
run "$IL" init --db "$T/other.db"
cp "$DB.index" "$T/other.db.index"
run "$IL" search 钻井泵柱塞 --json --db "$T/other.db"
check_status 0 "search with another database's snapshot"
check_contains "$err" "ignoring" "warns about the foreign snapshot"
check_eq "$(json 'j["index"], len(j["hits"])')" "store 0" "and indexes its own (empty) store"

# a corrupt snapshot is ignored with a warning, not trusted
run "$IL" index rebuild --db "$DB"
printf 'garbage' | dd of="$DB.index" bs=1 seek=4000 conv=notrunc 2>/dev/null
run "$IL" search 钻井泵柱塞 --json --db "$DB"
check_status 0 "search with a corrupt snapshot"
check_contains "$err" "ignoring" "warns about the corrupt snapshot"
check_eq "$(json 'j["index"]')" "store" "and builds from the store"

# usage errors
run "$IL" search --db "$DB"
check_status 2 "search without text"
run "$IL" search x --kind widget --db "$DB"
check_status 2 "unknown kind"
run "$IL" search x --top 0 --db "$DB"
check_status 2 "--top 0"
run "$IL" search x --from 2024-13-01 --db "$DB"
check_status 2 "bad date"
run "$IL" index --db "$DB"
check_status 2 "index without a subcommand"
run "$IL" index compact --db "$DB"
check_status 2 "unknown index subcommand"
run "$IL" search --help
check_contains "$out" "--region CODE" "search --help"
finish
