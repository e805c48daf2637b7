#!/usr/bin/env bash
# bench/engine: innolink's index beside its peers, in one run.
#   quality  SciFact (shared/data/scifact): ndcg@10, recall@100, mrr@10 of
#            innolink (default parameters), SQLite FTS5 (porter, bm25()) and
#            Xapian (BM25Weight, English stemmer), every run scored by the
#            library's trec_eval measures (bench_quality);
#   speed    innolink against FTS5 on one token stream (innolink's analyzer
#            run once, timed alone, then replayed to both indexes; to FTS5
#            by a tokenizer registered with fts5_api): build rate of each
#            index and end to end, index size, resident memory, top-10
#            latency (CPU time) on SciFact and on a synthetic corpus of DOCS
#            documents made of SciFact's sentences (bench_engine), against
#            the issue's goals.
# usage: bench/engine/run.sh BUILD_DIR
# Environment: DOCS (1000000), RUNS (builds per engine on SciFact, 3),
# LARGE_RUNS (on the synthetic corpus, 1), QUERIES (per class, 200),
# LARGE_QUERIES (100), IL_SHARED_DATA (the data folder, ../shared/data).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data=${IL_SHARED_DATA:-$top/../shared/data}
scifact="$data/scifact"
if [ ! -f "$scifact/corpus.jsonl" ] || [ ! -f "$scifact/queries.jsonl" ] ||
	[ ! -f "$scifact/qrels.tsv" ]; then
	echo "bench/engine: no SciFact data at $scifact (shared/data is absent here);"
	echo "nothing was measured."
	exit 0
fi
scifact=$(cd "$scifact" && pwd)
for b in bench_quality bench_engine; do
	if [ ! -x "$build/bench/$b" ]; then
		echo "bench/engine: $build/bench/$b is missing: build the project first" >&2
		exit 1
	fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- quality on SciFact"
xapian=()
if command -v c++ >/dev/null && pkg-config --exists xapian-core jansson; then
	# shellcheck disable=SC2046
	c++ -O2 -std=c++17 -o "$work/xapian_eval" "$here/xapian_eval.cc" \
		$(pkg-config --cflags --libs xapian-core jansson)
	"$work/xapian_eval" "$scifact/corpus.jsonl" "$scifact/queries.jsonl" "$work/xapian.db" \
		>"$work/xapian.run"
	xapian=(--xapian-run "$work/xapian.run")
	echo "xapian-core $(pkg-config --modversion xapian-core): run written by xapian_eval"
else
	echo "Xapian: libxapian-dev (or a C++ compiler) is not installed; 'make bench-deps'"
	echo "installs it.  Its row stays empty."
fi
echo "\$ $build/bench/bench_quality $scifact --datadir $top/data ${xapian[*]}"
"$build/bench/bench_quality" "$scifact" --datadir "$top/data" "${xapian[@]}"

echo
echo "-- speed"
cmd=("$build/bench/bench_engine" --scifact "$scifact" --datadir "$top/data" --tmp "$work"
	--docs "${DOCS:-1000000}" --runs "${RUNS:-3}" --large-runs "${LARGE_RUNS:-1}"
	--queries "${QUERIES:-200}" --large-queries "${LARGE_QUERIES:-100}")
echo "\$ ${cmd[*]}"
"${cmd[@]}"
