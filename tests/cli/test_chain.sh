#!/usr/bin/env bash
# innolink chain and innolink indicator through the real binary: the JSON
# shapes other programs rely on, placement re-runs and overrides, gaps on
# the demo data, definitions round-tripped, indicator imports with bad rows
# named by line, and progress against targets.
. "$(dirname "$0")/lib.sh"
DB="$T/chain.db"
FIX="$SRC/fixtures/chain"

run "$IL" init --demo --db "$DB"
check_status 0 "init --demo"

# chain list --json: an array of chains with id, name_zh, name_en and links
run "$IL" chain list --json --db "$DB"
check_status 0 "chain list --json"
check_eq "$(json 'len(j) >= 10 and sum(len(c["links"]) for c in j) >= 150')" "True" \
	"at least 10 chains and 150 links"
check_eq "$(json 'all(c["id"] and c["name_zh"] and c["name_en"] and c["links"] for c in j)')" "True" \
	"every chain has id, name_zh, name_en and links"
check_eq "$(json 'sorted({l["segment"] for c in j for l in c["links"]})')" \
	"['downstream', 'midstream', 'upstream']" "links are upstream, midstream or downstream"
check_eq "$(json '[l["parent"] for c in j for l in c["links"] if l["id"] == "LNK-WH-OPTO-07-01"]')" \
	"['LNK-WH-OPTO-07']" "sub-links name their parent"
for id in CHN-JZ-APPLIANCE CHN-JZ-AUTOPARTS CHN-JZ-PETROEQUIP CHN-JZ-PETROMACH CHN-JZ-OILCHEM \
	CHN-JZ-OILSERV CHN-JM-EQUIP CHN-JM-NEWENERGY CHN-JM-CHEM CHN-JM-AGRI CHN-JM-EINFO \
	CHN-JM-RECYCLE CHN-JM-HEALTH CHN-WH-OPTO CHN-XN-OPTOGLASS; do
	check_eq "$(json "any(c['id'] == '$id' for c in j)")" "True" "bundled chain $id"
done
run "$IL" chain list --db "$DB"
check_contains "$out" "智能家电产业链" "chain list prints the Chinese names"
run "$IL" chain list --region 4208 --json --db "$DB"
check_eq "$(json '(len(j), {c["region"] for c in j})')" "(7, {'4208'})" "--region: Jingmen's seven leading industries"
run "$IL" chain list --chain CHN-WH-OPTO --json --db "$DB"
check_eq "$(json '[c["id"] for c in j]')" "['CHN-WH-OPTO']" "--chain: one chain"
run "$IL" chain show CHN-WH-OPTO --db "$DB"
check_contains "$out" "上游 upstream" "chain show prints the segments"
run "$IL" chain show CHN-NONE --db "$DB"
check_status 1 "chain show of an unknown chain fails"
check_contains "$err" "CHN-NONE" "and names it"

# init --demo placed the demo's records: assigning again changes nothing
run "$IL" chain assign --json --db "$DB"
check_status 0 "chain assign"
check_eq "$(json '(j["added"], j["removed"], j["updated"])')" "(0, 0, 0)" \
	"init --demo placed the demo records already"
check_eq "$(json 'j["unchanged"] > 500')" "True" "more than 500 of them"

# assign on records nobody placed (the links come last, so the import places
# nothing): places, reports what changed, and a re-run changes nothing
PLAIN="$T/plain.db"
run "$IL" init --db "$PLAIN"
for kind in region organization person achievement demand chain link; do
	"$IL" export --kind "$kind" --include-confidential --format jsonl --out "$T/$kind.jsonl" \
		--db "$DB" >/dev/null
	"$IL" import "$T/$kind.jsonl" --kind "$kind" --db "$PLAIN" >/dev/null 2>&1
done
run "$IL" chain assign --json --db "$PLAIN"
check_status 0 "chain assign"
added=$(json 'j["added"]')
if [ "$added" -gt 500 ]; then ok "$added placements added"; else not_ok "$added placements added"; fi
check_eq "$(json 'len(j["changes"]) == j["added"]')" "True" "every change is reported"
run "$IL" chain assign --json --db "$PLAIN"
check_eq "$(json '(j["added"], j["removed"], j["updated"])')" "(0, 0, 0)" "a re-run changes nothing"
check_eq "$(json 'j["unchanged"]')" "$added" "and keeps every placement"
run "$IL" export --kind assignment --format jsonl --db "$DB"
check_eq "$(printf '%s\n' "$out" | python3 -c '
import sys, json
rows = [json.loads(l) for l in sys.stdin if l.strip()]
print(sorted({r["method"] for r in rows}))')" "['classifier', 'rule']" "placements record their method"

# by hand: wins over rule and classifier, kept across re-runs
run "$IL" chain place organization CO-000852 LNK-JZ-PETROMACH-08 --db "$DB"
check_status 0 "chain place"
run "$IL" chain assign --kind organization --id CO-000852 --json --db "$DB"
check_eq "$(json '(j["manual"], j["added"], j["removed"])')" "(1, 0, 0)" "a manual placement is kept on re-run"
run "$IL" list assignment --filter entity=CO-000852 --json --db "$DB"
check_eq "$(json '[(a["link"], a["method"]) for a in j]')" "[('LNK-JZ-PETROMACH-08', 'manual')]" \
	"only the manual placement is left"
run "$IL" chain place organization CO-000852 LNK-JZ-PETROMACH-08 --remove --db "$DB"
check_status 0 "chain place --remove"
run "$IL" chain assign --kind organization --id CO-000852 --json --db "$DB"
check_eq "$(json 'j["added"] >= 1 and j["manual"] == 0')" "True" "taken back, it is placed automatically again"
run "$IL" chain place region 42 LNK-JZ-PETROMACH-08 --db "$DB"
check_status 1 "regions are not placed"

# a record written by import is placed at once
cat >"$T/neworg.csv" <<'CSV'
id,name_zh,kind,region,industry_codes,description
CO-NEW1,荆州新泥浆泵有限公司,enterprise,4210,3512,钻井泵与泥浆泵制造，柱塞与阀座
CSV
run "$IL" import "$T/neworg.csv" --kind organization --json --db "$DB"
check_eq "$(json 'j["placed"]')" "1" "import places the new record"
run "$IL" list assignment --filter entity=CO-NEW1 --json --db "$DB"
check_contains "$(json '[a["link"] for a in j]')" "LNK-JZ-PETROMACH-" "on the petroleum machinery links its code names"

# gaps: per link, both strengths and a class
run "$IL" chain gaps --region 4210 --chain CHN-JZ-PETROMACH --json --db "$DB"
check_status 0 "chain gaps --json"
check_eq "$(json 'len(j)')" "16" "an array with one entry per link of the chain"
check_eq "$(json 'all(l["class"] in ("strong","industry_only","innovation_only","weak") for l in j)')" \
	"True" "every link has a class"
check_eq "$(json 'all(l["industrial_strength"] == l["industry"]["strength"] and "strength" in l["innovation"] for l in j)')" \
	"True" "every link has its industrial and innovation strength"
check_eq "$(json '{l["peers"] for l in j}')" "{17}" "Jingzhou is compared with Hubei's 17 cities"
run "$IL" chain gaps --region 4210 --db "$DB"
check_contains "$out" "LNK-JZ-APPLIANCE-01" "without --chain every chain is shown"
run "$IL" chain gaps --region 4210 --link LNK-JZ-PETROMACH-08 --json --db "$DB"
check_eq "$(json 'j["class"] in ("strong","industry_only","innovation_only","weak") and "industry" in j')" \
	"True" "the one-link report has the link's gap entry"
check_eq "$(json 'sorted(k for k in j if isinstance(j[k], list))')" \
	"['achievements', 'enterprises_to_attract', 'experts', 'laboratories', 'lacks', 'local_enterprises']" \
	"one query answers what a link lacks and who could fill it"
check_eq "$(json 'all(e["region"] and not e["region"].startswith("4210") for e in j["enterprises_to_attract"])')" \
	"True" "enterprises to attract are outside the region"
run "$IL" chain gaps --db "$DB"
check_status 2 "gaps needs a region"
run "$IL" chain gaps --region 0000 --db "$DB"
check_status 1 "an unknown region fails"
check_contains "$err" "0000" "and is named"

# definitions: export, edit, import
run "$IL" chain export CHN-JM-AGRI --out "$T/agri.json" --db "$DB"
check_status 0 "chain export"
run "$IL" chain import --demo "$T/agri.json" --json --db "$DB"
check_eq "$(json '(j["inserted"], j["updated"])')" "(0, 0)" "an exported chain imports unchanged"
python3 - "$T/agri.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["segments"]["downstream"][0]["name_en"] = "Renamed link"
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
PY
run "$IL" chain import --demo "$T/agri.json" --json --db "$DB"
check_eq "$(json 'j["updated"]')" "1" "an edited link is updated"
run "$IL" chain import "$FIX/bad-member.json" --db "$DB"
check_status 1 "a bad definition is refused"
check_contains "$err" "bad-member.json: link LNK-X-1: unknown member 'keyword'" "naming the file, link and member"

# indicators: imports with bad rows named by line, series and targets
cat >"$T/ind.csv" <<'CSV'
region,name,label_zh,label_en,period,value,target,unit
4210,high_tech_enterprises,高新技术企业,high-tech enterprises,2020,300,,家
4210,high_tech_enterprises,高新技术企业,high-tech enterprises,2022,420,,家
4210,high_tech_enterprises,高新技术企业,high-tech enterprises,2025,,600,家
CSV
cat >"$T/ind-bad.csv" <<'CSV'
region,name,period,value
4210,rnd_institutions,2022,12
4210,rnd_institutions,2023,lots
9999,rnd_institutions,2023,14
CSV
run "$IL" indicator import "$T/ind-bad.csv" --db "$DB"
check_status 1 "an indicator file with bad rows is refused"
check_contains "$err" "ind-bad.csv:3: field 'value': value 'lots'" "the bad value is named by line and field"
check_contains "$err" "ind-bad.csv:4:" "every bad row is reported"
run "$IL" indicator show --region 4210 --name rnd_institutions --json --db "$DB"
check_eq "$(json 'len(j)')" "0" "nothing of the refused file was imported"
run "$IL" indicator import "$T/ind.csv" --db "$DB"
check_status 0 "indicator import"
run "$IL" indicator targets --region 4210 --json --db "$DB"
check_eq "$(json '[(t["name"], t["base"], t["latest"], t["target"], t["progress"]) for t in j if t["name"] == "high_tech_enterprises"]')" \
	"[('high_tech_enterprises', 300, 420, 600, 0.4)]" "progress from the base towards the target"
check_eq "$(json '[t["progress"] for t in j if t["name"] == "petroleum_cluster_output"]')" "[0.3]" \
	"the seeds' 100-billion target of Jingzhou's petroleum industries"
run "$IL" indicator targets --region 4210 --db "$DB"
check_contains "$out" "40.0%" "targets prints the progress"
run "$IL" indicator show --region 42 --json --db "$DB"
check_eq "$(json 'sorted({s["name"] for s in j if s["points"][0]["source"] == "computed"})')" \
	"['docking_rate']" "the platform's own docking rate is computed"
check_eq "$(json '[s["points"][0]["value"] for s in j if s["name"] == "national_key_laboratories"]')" \
	"[163]" "the seeds' figures are there"

# help in both languages
run "$IL" chain --help
check_contains "$out" "产业链" "chain --help has Chinese"
check_contains "$out" "industry_only" "and English"
run "$IL" indicator --help
check_contains "$out" "区域指标" "indicator --help has Chinese"
for c in chain indicator; do
	check_contains "$(cat "$SRC/../docs/innolink.1")" ".B $c" "the man page describes '$c'"
done
finish
