#!/usr/bin/env bash
# The bundled chains: data/chains/NAME.json is the source, and the demo data
# (data/demo/chain.jsonl, link.jsonl) must be what tools/chains/chains.py
# derives from it; loading the definitions with `innolink chain import`
# gives the same records as loading the demo data; the definitions check
# out (ids, tree, upstream_of), and, when ../shared/data is present, their
# codes exist and their upstream relations are cross-checked against
# chainkg/industry_up.json.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$SRC/.." && pwd)
TOOL="$TOP/tools/chains/chains.py"

run python3 "$TOOL" demo --out "$T/demo"
check_status 0 "chains.py demo"
for f in chain link; do
	if cmp -s "$T/demo/$f.jsonl" "$TOP/data/demo/$f.jsonl"; then
		ok "data/demo/$f.jsonl is what data/chains gives"
	else
		not_ok "data/demo/$f.jsonl is what data/chains gives (run tools/chains/chains.py demo)"
	fi
done

# the C reader and the demo loader agree, record for record
run "$IL" init --demo --db "$T/demo.db"
check_status 0 "init --demo"
run "$IL" init --db "$T/defs.db"
run "$IL" import "$TOP/data/demo/region.jsonl" --kind region --demo --db "$T/defs.db"
run "$IL" chain import --demo "$TOP"/data/chains/*.json --db "$T/defs.db"
check_status 0 "chain import of every bundled definition"
for kind in chain link; do
	a=$("$IL" export --kind $kind --format jsonl --db "$T/demo.db" | sort)
	b=$("$IL" export --kind $kind --format jsonl --db "$T/defs.db" | sort)
	check_eq "$(printf '%s' "$b" | wc -l)" "$(printf '%s' "$a" | wc -l)" "as many ${kind}s either way"
	if [ "$a" = "$b" ]; then ok "the same ${kind}s either way"; else not_ok "the same ${kind}s either way"; fi
done

data=${IL_SHARED_DATA:-$TOP/../shared/data}
run python3 "$TOOL" check --data "$data"
check_status 0 "the definitions check out"
if [ -f "$data/chainkg/industry_up.json" ]; then
	check_contains "$out" "confirmed there:" "upstream relations cross-checked against industry_up.json"
	confirmed=$(printf '%s\n' "$out" | sed -n 's/.*confirmed there: \([0-9]*\).*/\1/p')
	if [ "${confirmed:-0}" -ge 50 ]; then ok "$confirmed relations confirmed by industry_up.json"
	else not_ok "$confirmed relations confirmed by industry_up.json"; fi
else
	check_contains "$out" "not cross-checked" "without the reference data it says so"
fi
finish
