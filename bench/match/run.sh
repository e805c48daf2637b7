#!/usr/bin/env bash
# bench/match: the matcher measured, in one run.
#   quality  expert finding on shared/data/expert_finding_brochier (7 topics,
#            707 candidate authors, 64 judged experts): MAP, NDCG@10 and P@10
#            of `innolink match --kind expert` (each author's profile built
#            from their papers) beside two baselines computed in the same run
#            on the same analyzer: BM25 over each author's concatenated
#            papers, and the sum of the BM25 scores of their papers;
#   speed    full matches of a demand (every kind, reasons and snippets) over
#            the demo data and over a synthetic store of RECORDS records
#            (bench/match/make_store.py): p50 and p99 on one thread.
# usage: bench/match/run.sh BUILD_DIR
# Environment: RECORDS (1000000; 0 skips the large store), RUNS (1000 on the
# demo data), LARGE_RUNS (200 on the large store),
# IL_SHARED_DATA (the data folder, ../shared/data), KEEP (a directory to
# keep the large store in and reuse).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data=${IL_SHARED_DATA:-$top/../shared/data}
bench="$build/bench/bench_match"
il="$build/innolink"
for b in "$bench" "$il"; do
	if [ ! -x "$b" ]; then
		echo "bench/match: $b is missing: build the project first" >&2
		exit 1
	fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- expert finding"
ef="$data/expert_finding_brochier"
if [ -f "$ef/docs.tsv" ] && [ -f "$ef/doc_author.tsv" ] && [ -f "$ef/queries.tsv" ] &&
	[ -f "$ef/expert_qrels.txt" ]; then
	mkdir "$work/ef"
	for f in docs.tsv doc_author.tsv expert_qrels.txt; do ln -s "$(cd "$ef" && pwd)/$f" "$work/ef/$f"; done
	python3 -c '
import json, sys
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        qid, text = line.rstrip("\n").split("\t", 1)
        out.write(json.dumps({"_id": qid, "text": text}) + "\n")' "$ef/queries.tsv" "$work/ef/queries.jsonl"
	echo "\$ $bench experts $ef --datadir $top/data"
	"$bench" experts "$work/ef" --datadir "$top/data" --tmp "$work"
else
	echo "no expert finding data at $ef (shared/data is absent here); nothing was measured."
fi

echo
echo "-- speed, demo data"
"$il" init --demo --db "$work/demo.db" >/dev/null
"$il" index rebuild --db "$work/demo.db" >/dev/null
echo "\$ $bench speed demo.db --runs ${RUNS:-1000} --index demo.db.index"
"$bench" speed "$work/demo.db" --datadir "$top/data" --runs "${RUNS:-1000}" --index "$work/demo.db.index"

records=${RECORDS:-1000000}
[ "$records" -gt 0 ] || exit 0
echo
echo "-- speed, $records records"
store=${KEEP:-$work}
if [ ! -f "$store/big.db.index" ]; then
	python3 "$here/make_store.py" "$records" "$store/big"
	rm -f "$store/big.db"*
	"$il" init --db "$store/big.db" >/dev/null
	for k in region chain link; do
		"$il" import "$top/data/demo/$k.jsonl" --kind "$k" --db "$store/big.db" >/dev/null
	done
	for k in organization person achievement demand; do
		"$il" import "$store/big/$k.jsonl" --kind "$k" --db "$store/big.db" | tail -1
	done
	"$il" index rebuild --db "$store/big.db" | head -1
fi
echo "\$ $bench speed big.db --runs ${LARGE_RUNS:-200} --index big.db.index"
"$bench" speed "$store/big.db" --datadir "$top/data" --runs "${LARGE_RUNS:-200}" --index "$store/big.db.index"
