#!/usr/bin/env bash
# bench/match: the matcher measured, in one run.
#   quality  expert finding on shared/data/expert_finding_brochier (7 topics,
#            707 candidate authors, 64 judged experts): MAP, NDCG@10 and P@10
#            of `innolink match --kind expert` (each author's profile built
#            from their papers) beside two baselines computed in the same run
#            on the same analyzer: BM25 over each author's concatenated
#            papers, and the sum of the BM25 scores of their papers;
#   speed    full matches of a demand (every kind, reasons and snippets) over
#            the demo data and over a store of RECORDS records whose text
#            comes from real data sets (bench/match/make_store.py): p50 and
#            p99 on one core (taskset -c 0), with every query term and with
#            the bundled query.terms, and how far their results agree;
#            with STRESS=1 (or without the shared data) also over the
#            stress case (make_stress.py: the demo's texts recombined).
# usage: bench/match/run.sh BUILD_DIR
# Environment: RECORDS (1000000; 0 skips the large store), RUNS (1000 on the
# demo data), LARGE_RUNS (200 on the large store),
# IL_SHARED_DATA (the data folder, ../shared/data), KEEP (a directory to
# keep the large stores in, KEEP/real and KEEP/stress, and reuse), STRESS.
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
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
echo "-- speed, demo data"
"$il" init --demo --db "$work/demo.db" >/dev/null 2>&1
"$il" index rebuild --db "$work/demo.db" >/dev/null
echo "\$ $bench speed demo.db --runs ${RUNS:-1000} --index demo.db.index"
$pin "$bench" speed "$work/demo.db" --datadir "$top/data" --runs "${RUNS:-1000}" \
	--index "$work/demo.db.index"

records=${RECORDS:-1000000}
[ "$records" -gt 0 ] || exit 0

# large NAME MAKER [DATA]: a store of $records records written by MAKER,
# loaded after the demo's regions and chains, then matched.
large() {
	local name=$1 maker=$2 store=${KEEP:-$work}/$1
	mkdir -p "$store"
	if [ ! -f "$store/big.db.index" ]; then
		python3 "$here/$maker" "$records" "$store/big" ${3:+"$3"}
		rm -f "$store/big.db"*
		"$il" init --db "$store/big.db" >/dev/null 2>&1
		for k in region chain link; do
			"$il" import "$top/data/demo/$k.jsonl" --kind "$k" --db "$store/big.db" >/dev/null
		done
		for k in organization person achievement demand; do
			"$il" import "$store/big/$k.jsonl" --kind "$k" --db "$store/big.db" | tail -1
		done
		"$il" index rebuild --db "$store/big.db" | head -1
	fi
	echo "\$ $pin $bench speed big.db --runs ${LARGE_RUNS:-200} --index big.db.index"
	$pin "$bench" speed "$store/big.db" --datadir "$top/data" --runs "${LARGE_RUNS:-200}" \
		--index "$store/big.db.index"
}

echo
if [ -f "$data/scifact/corpus.jsonl" ] && [ -f "$data/sighan2005/pku_test.utf8" ]; then
	echo "-- speed, $records records of real text (make_store.py: SciFact and DBLP sentences,"
	echo "   GB/T 4754 remarks and PKU news in Chinese, A-share company and university names)"
	large real make_store.py "$data"
else
	echo "-- speed, realistic store: not measured, no shared data at $data (make_store.py"
	echo "   builds it from SciFact, DBLP, GB/T 4754, PKU and chainkg text)."
fi
if [ "${STRESS:-0}" = 1 ] || [ ! -f "$data/scifact/corpus.jsonl" ]; then
	echo
	echo "-- speed, stress case: $records records recombined from the demo's 544 texts"
	echo "   (make_stress.py: every term common, thousands of tied scores)"
	large stress make_stress.py
fi
