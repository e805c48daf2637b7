#!/usr/bin/env bash
# bench/chain: accuracy@1 and @3 of placing listed companies on chain links
# and on Shenwan industries from their names, with the label hidden
# (shared/data/chainkg), beside a peer that always guesses the most frequent
# labels, and the calibration of the classifier's confidence.
# usage: bench/chain/run.sh BUILD_DIR
# Environment: IL_SHARED_DATA (the data folder, ../shared/data).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data=${IL_SHARED_DATA:-$top/../shared/data}
if [ ! -f "$data/chainkg/company_industry.json" ]; then
	echo "bench/chain: no chainkg data at $data/chainkg (shared/data is absent here);"
	echo "nothing was measured."
	exit 0
fi
if [ ! -x "$build/bench/bench_chain" ]; then
	echo "bench/chain: $build/bench/bench_chain is missing: build the project first" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/bench_chain" "$data/chainkg" "$top/data/chains" "$top/data/demo" "$top/data" \
	"$work/chains.db"
