#!/usr/bin/env bash
# bench/import: 1M CSV rows into innolink (validation, references, history,
# provenance, one transaction) beside the sqlite3 shell's .import of the
# same file into a bare table, in one run.  Prints rows/s of each (median
# of RUNS runs) and the ratio.  Goal: innolink >= 0.5x the bare import.
#
# Also printed: the processor time (user + system) of each and the load
# average.  On a busy machine wall time follows the share of processor an
# importer gets, and innolink's reading and writing threads share what
# one process gets, so the processor time tells more than the wall time.
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

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs a command; prints "wall cpu" in seconds (cpu: user + system).
timed() {
	local TIMEFORMAT='%R %U %S' t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1)
	awk '{printf "%s %.3f\n", $1, $2 + $3}' <<<"$t"
}

ours=()
ours_cpu=()
theirs=()
theirs_cpu=()
for r in $(seq "$runs"); do
	db="$work/il-$r.db"
	"$il" init --db "$db" >/dev/null 2>&1
	"$il" import "$top/tests/fixtures/cli/regions.csv" --kind region --db "$db" >/dev/null
	"$il" import "$top/tests/fixtures/cli/orgs.csv" --kind organization --db "$db" >/dev/null
	read -r wall cpu < <(timed "$il" import "$csv" --kind achievement --db "$db")
	[ "$("$il" stats --json --db "$db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["achievement"])')" = "$rows" ] ||
		{ echo "innolink import did not store $rows rows" >&2; exit 1; }
	ours+=("$wall")
	ours_cpu+=("$cpu")
	rm -f "$db"*

	bare="$work/bare-$r.db"
	read -r wall cpu < <(timed sqlite3 "$bare" ".mode csv" ".import $csv t")
	theirs+=("$wall")
	theirs_cpu+=("$cpu")
	rm -f "$bare"*
done
o=$(printf '%s\n' "${ours[@]}" | median)
s=$(printf '%s\n' "${theirs[@]}" | median)
oc=$(printf '%s\n' "${ours_cpu[@]}" | median)
sc=$(printf '%s\n' "${theirs_cpu[@]}" | median)
printf '%-32s %10s %12s %12s\n' "importer" "seconds" "rows/s" "cpu seconds"
printf '%-32s %10.2f %12.0f %12.2f\n' "innolink import" "$o" "$(echo "$rows / $o" | bc -l)" "$oc"
printf '%-32s %10.2f %12.0f %12.2f\n' "sqlite3 .import (bare table)" "$s" "$(echo "$rows / $s" | bc -l)" "$sc"
printf 'ratio innolink/sqlite3 (rows/s): %.2f  (goal >= 0.5)\n' "$(echo "$s / $o" | bc -l)"
printf 'ratio of processor time sqlite3/innolink: %.2f\n' "$(echo "$sc / $oc" | bc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors"
