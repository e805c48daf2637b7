#!/usr/bin/env bash
# bench/import: 1M CSV rows into innolink (validation, references, history,
# provenance, one transaction) beside the sqlite3 shell's .import of the
# same file into a bare table, in one run.  Prints rows/s of each (median
# of RUNS runs) and the ratio.  Goal: innolink >= 0.5x the bare import.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
il="$build/innolink"
rows=${ROWS:-1000000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$work/achievements.csv"
python3 "$here/make_csv.py" "$rows" "$csv"
echo "file: $rows rows, $(du -m "$csv" | cut -f1) MB"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours=()
theirs=()
for r in $(seq "$runs"); do
	db="$work/il-$r.db"
	"$il" init --db "$db" >/dev/null
	"$il" import "$top/tests/fixtures/cli/regions.csv" --kind region --db "$db" >/dev/null
	"$il" import "$top/tests/fixtures/cli/orgs.csv" --kind organization --db "$db" >/dev/null
	t0=$(now)
	"$il" import "$csv" --kind achievement --db "$db" >/dev/null
	t1=$(now)
	ours+=("$(echo "$t1 - $t0" | bc -l)")
	rm -f "$db"*

	bare="$work/bare-$r.db"
	t0=$(now)
	sqlite3 "$bare" ".mode csv" ".import $csv t"
	t1=$(now)
	theirs+=("$(echo "$t1 - $t0" | bc -l)")
	rm -f "$bare"*
done
o=$(printf '%s\n' "${ours[@]}" | median)
s=$(printf '%s\n' "${theirs[@]}" | median)
printf '%-32s %10s %12s\n' "importer" "seconds" "rows/s"
printf '%-32s %10.2f %12.0f\n' "innolink import" "$o" "$(echo "$rows / $o" | bc -l)"
printf '%-32s %10.2f %12.0f\n' "sqlite3 .import (bare table)" "$s" "$(echo "$rows / $s" | bc -l)"
printf 'ratio innolink/sqlite3 (rows/s): %.2f  (goal >= 0.5)\n' "$(echo "$s / $o" | bc -l)"
