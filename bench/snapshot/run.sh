#!/usr/bin/env bash
# bench/snapshot: the index snapshot on disk (bytes per section) and the
# time to load it (what `innolink serve` pays at start) and save it, on
#   - the demo data (always; `innolink init --demo`, `index rebuild`);
#   - SciFact's 5,183 abstracts imported as achievements, when
#     shared/data/scifact is present;
#   - the snapshot file named by SNAPSHOT, when set (e.g. one of a large
#     corpus).
# The size against SQLite FTS5 over the same token stream is bench/engine's.
# usage: bench/snapshot/run.sh BUILD_DIR
# Environment: RUNS (loads and saves per file, 5), SNAPSHOT, IL_SHARED_DATA
# (the data folder, ../shared/data).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data=${IL_SHARED_DATA:-$top/../shared/data}
il="$build/innolink"
bench="$build/bench/bench_snapshot"
runs=${RUNS:-5}
for b in "$il" "$bench"; do
	if [ ! -x "$b" ]; then
		echo "bench/snapshot: $b is missing: build the project first" >&2
		exit 1
	fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- demo data"
"$il" init --demo --db "$work/demo.db" >/dev/null 2>&1
"$il" index rebuild --db "$work/demo.db" >/dev/null
"$bench" "$work/demo.db.index" --runs "$runs"

echo
echo "-- SciFact"
if [ -f "$data/scifact/corpus.jsonl" ]; then
	python3 - "$data/scifact/corpus.jsonl" "$work/achievement.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        d = json.loads(line)
        out.write(json.dumps({"id": "SF" + d["_id"], "title": d["title"] or d["_id"],
                              "abstract": d["text"]}, ensure_ascii=False) + "\n")
PY
	"$il" init --db "$work/scifact.db" >/dev/null 2>&1
	"$il" import "$work/achievement.jsonl" --kind achievement --db "$work/scifact.db" >/dev/null
	"$il" index rebuild --db "$work/scifact.db" >/dev/null
	"$bench" "$work/scifact.db.index" --runs "$runs"
else
	echo "bench/snapshot: no SciFact data at $data/scifact (shared/data is absent here);"
	echo "nothing was measured on it."
fi

if [ -n "${SNAPSHOT:-}" ]; then
	echo
	echo "-- $SNAPSHOT"
	"$bench" "$SNAPSHOT" --runs "$runs"
fi
