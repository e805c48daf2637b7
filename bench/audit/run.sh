#!/usr/bin/env bash
# bench/audit: what the hash-chained audit log costs.  ROWS demands (each
# write appends an audit entry) and ROWS achievements (no audit entry) of
# the same size are imported into fresh databases, RUNS times each; prints
# the median rows/s of each, their ratio, and how fast `innolink audit
# verify` walks the resulting log.  Needs no data from ../shared.
set -euo pipefail
build=${1:-build}
il="$build/innolink"
rows=${ROWS:-100000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$rows" "$work" <<'PY'
import json, sys
n, d = int(sys.argv[1]), sys.argv[2]
text = "钻井泵柱塞耐磨涂层 wear-resistant coating for drilling pump plungers"
with open(d + "/demand.jsonl", "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": "D%d" % i, "title": "需求 %d" % i, "description": text,
                            "keywords": "涂层;耐磨"}, ensure_ascii=False) + "\n")
with open(d + "/achievement.jsonl", "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": "A%d" % i, "title": "成果 %d" % i, "abstract": text,
                            "keywords": "涂层;耐磨"}, ensure_ascii=False) + "\n")
PY
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

audited=()
plain=()
verify=()
for r in $(seq "$runs"); do
	for kind in demand achievement; do
		db="$work/$kind-$r.db"
		"$il" init --db "$db" >/dev/null
		t0=$(now)
		"$il" import "$work/$kind.jsonl" --kind "$kind" --db "$db" >/dev/null
		t1=$(now)
		if [ "$kind" = demand ]; then
			audited+=("$(echo "$t1 - $t0" | bc -l)")
			t0=$(now)
			"$il" audit verify --db "$db" >/dev/null
			t1=$(now)
			verify+=("$(echo "$t1 - $t0" | bc -l)")
		else
			plain+=("$(echo "$t1 - $t0" | bc -l)")
		fi
		rm -f "$db"*
	done
done
a=$(printf '%s\n' "${audited[@]}" | median)
p=$(printf '%s\n' "${plain[@]}" | median)
v=$(printf '%s\n' "${verify[@]}" | median)
printf '%-40s %10s %12s\n' "$rows rows, median of $runs" "seconds" "rows/s"
printf '%-40s %10.2f %12.0f\n' "import demands (audited)" "$a" "$(echo "$rows / $a" | bc -l)"
printf '%-40s %10.2f %12.0f\n' "import achievements (not audited)" "$p" "$(echo "$rows / $p" | bc -l)"
printf '%-40s %10.2f %12.0f\n' "audit verify (entries/s)" "$v" "$(echo "$rows / $v" | bc -l)"
printf 'ratio audited/plain import (rows/s): %.2f\n' "$(echo "$p / $a" | bc -l)"
