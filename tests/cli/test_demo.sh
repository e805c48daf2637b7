#!/usr/bin/env bash
# The bundled Hubei demo data: loads, meets the sizes a first-day platform
# needs, is marked as demo data, holds the facts of the seed reports, has no
# repeated text, and loading it again changes nothing.
. "$(dirname "$0")/lib.sh"
DB="$T/demo.db"

run "$IL" init --demo --db "$DB"
check_status 0 "init --demo loads the demo data"
run "$IL" stats --json --db "$DB"
check_eq "$(json 'sorted(j)')" \
	"['achievement', 'assignment', 'chain', 'deal', 'demand', 'event', 'indicator', 'link', 'match', 'organization', 'person', 'region']" \
	"stats --json has every kind"
for want in "region 18" "organization 300" "person 150" "achievement 500" "demand 150" "chain 10" "link 150" "indicator 10"; do
	kind=${want% *} min=${want#* }
	got=$(json "j['$kind']")
	if [ "$got" -ge "$min" ]; then ok "$got ${kind}s (at least $min)"; else not_ok "$got ${kind}s (at least $min)"; fi
done

# Hubei and its 17 prefecture-level divisions with their national codes
run "$IL" list region --filter level=city --all --json --db "$DB"
check_eq "$(json 'len([r for r in j if r.get("parent") == "42"])')" "17" "17 prefecture-level divisions of Hubei"
run "$IL" show region 4210 --json --db "$DB"
check_eq "$(json 'j["name_zh"]')" "荆州市" "4210 is Jingzhou"

# organizations the seed reports name
for id in UNI-4142010489 UNI-4142010487 CO-000852 CO-000988 ORG-MIDEA-JZ ORG-XIANGCHENG ORG-CSG-XN; do
	run "$IL" show organization "$id" --json --db "$DB"
	check_status 0 "organization $id ($(json 'j.get("name_zh","")' 2>/dev/null))"
done
run "$IL" list organization --filter kind=university --region 42 --all --json --db "$DB"
n=$(json 'len(j)')
if [ "$n" -ge 100 ]; then ok "$n Hubei universities"; else not_ok "$n Hubei universities"; fi

# figures of the seed reports, as indicators
run "$IL" export --kind indicator --format jsonl --db "$DB"
for fig in 163 477 28000; do
	check_contains "$out" "\"value\":$fig" "indicator with the reported figure $fig"
done

# every record is demo data
for kind in region organization person achievement demand chain link indicator; do
	run "$IL" export --kind "$kind" --format jsonl --include-confidential --db "$DB"
	bad=$(printf '%s\n' "$out" | python3 -c 'import sys,json; print(sum(1 for l in sys.stdin if l.strip() and not json.loads(l)["demo"]))')
	check_eq "$bad" "0" "every $kind is marked as demo data"
done

# no filler: titles and abstracts are not repeated
for kind in achievement demand; do
	run "$IL" export --kind "$kind" --format jsonl --include-confidential --db "$DB"
	dups=$(printf '%s\n' "$out" | python3 -c '
import sys, json, collections
rows = [json.loads(l) for l in sys.stdin if l.strip()]
text = [r.get("abstract") or r.get("description") or "" for r in rows]
titles = collections.Counter(r["title"] for r in rows)
print(sum(c - 1 for c in titles.values() if c > 1) + len(text) - len(set(text)))')
	check_eq "$dups" "0" "no repeated $kind titles or texts"
done
run "$IL" export --kind achievement --format jsonl --db "$DB"
check_eq "$(printf '%s\n' "$out" | python3 -c '
import sys, json
langs = {json.loads(l).get("lang") for l in sys.stdin if l.strip()}
print(sorted(x for x in langs if x))')" "['en', 'zh']" "achievements in Chinese and in English"

# filters by chain and by region through the real data
want=$(grep -c '"chain": "CHN-JZ-APPLIANCE"' "$SRC/../data/demo/link.jsonl")
run "$IL" export --kind link --chain CHN-JZ-APPLIANCE --format jsonl --db "$DB"
check_eq "$(printf '%s\n' "$out" | grep -c .)" "$want" "export --chain gives the chain's $want links"
run "$IL" export --kind achievement --region 4210 --format jsonl --db "$DB"
check_eq "$(printf '%s\n' "$out" | python3 -c 'import sys,json; print(all(json.loads(l)["region"] in ("4210",) or json.loads(l)["region"].startswith("4210") or json.loads(l)["region"].startswith("P-") for l in sys.stdin if l.strip()))')" \
	"True" "export --region 4210 gives Jingzhou's achievements only"

run "$IL" init --demo --json --db "$DB"
check_eq "$(json 'j["inserted"], j["updated"], j["unchanged"] > 1000')" "0 0 True" \
	"loading the demo data again changes nothing"
INNOLINK_DB="$DB" run "$IL" stats --json
check_eq "$(json 'j["chain"] > 0')" "True" "\$INNOLINK_DB names the database"
finish
