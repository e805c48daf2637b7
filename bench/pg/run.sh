#!/usr/bin/env bash
# bench/pg: the PostgreSQL back end with one and with two `innolink serve`
# processes on one database, beside the SQLite back end (the peer) under
# the same load, in one run:
#   writes/s    bench_pg: WRITERS threads putting demands, one transaction
#               each, a quarter of them updating one shared record
#   search      load.py: sequential searches over HTTP, round robin over
#               the servers, while the writers write (p50, p99); and once
#               with one server and no writers ("idle")
#   visibility  with two servers: the delay from an `innolink import` of
#               one demand (timed from the process's exit, after its
#               commit) to the demand's appearing in search on the other
#               server (p50, p99; goal p99 < 1 s)
# The PostgreSQL cluster is a throwaway one (tests/store/with-postgres)
# with fsync on and synchronous_commit off, which is what SQLite's WAL with
# synchronous=NORMAL promises too.  Needs no data set: the demo data.
# usage: bench/pg/run.sh BUILD_DIR   (SECONDS, WRITERS, VISIBLE override)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${INNOLINK_TEST_PG:-}" ]; then
	export INNOLINK_PG_SETTINGS="-c synchronous_commit=off -c shared_buffers=256MB"
	exec sh "$top/tests/store/with-postgres" bash "$0" "$@"
fi
build=$(cd "${1:-build}" && pwd)
il="$build/innolink"
seconds=${SECONDS_EACH:-5}
writers=${WRITERS:-2}
visible=${VISIBLE:-100}
work=$(mktemp -d)
pids=()
stop_servers() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_servers DB N: N servers on DB; their ports in $ports (comma-separated)
start_servers() {
	ports=""
	for i in $(seq "$2"); do
		port=$(free_port)
		"$il" serve --db "$1" --listen "127.0.0.1:$port" --threads 2 >"$work/serve-$port.log" 2>&1 &
		pids+=($!)
		for _ in $(seq 300); do
			python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz')" 2>/dev/null && break
			sleep 0.1
		done
		ports="${ports:+$ports,}$port"
	done
}

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

sqlite_db="$work/bench.db"
"$il" init --demo --db "$sqlite_db" >/dev/null
"$il" init --demo --db "$INNOLINK_TEST_PG" >/dev/null
echo "load: $writers writer threads and one searching client for ${seconds}s per row;" \
	"visibility over $visible writes"
printf '%-9s %-7s %10s %9s %12s %12s %15s %15s\n' backend servers "writes/s" conflicts \
	"search p50" "search p99" "visible p50" "visible p99"
declare -A result
for backend in sqlite postgres; do
	db=$sqlite_db
	[ "$backend" = postgres ] && db=$INNOLINK_TEST_PG
	start_servers "$db" 1
	search=$(python3 "$here/load.py" search "$ports" "$seconds")
	stop_servers
	result[$backend-idle]=$(field "$search" p50_ms)
	printf '%-9s %-7s %10s %9s %12s %12s\n' "$backend" "1 idle" "-" "-" \
		"$(field "$search" p50_ms) ms" "$(field "$search" p99_ms) ms"
done
for backend in sqlite postgres; do
	db=$sqlite_db
	[ "$backend" = postgres ] && db=$INNOLINK_TEST_PG
	for n in 1 2; do
		start_servers "$db" "$n"
		"$build/bench/bench_pg" "$db" "$writers" "$seconds" >"$work/w.json" &
		wpid=$!
		search=$(python3 "$here/load.py" search "$ports" "$seconds")
		wait "$wpid"
		w=$(cat "$work/w.json")
		vis_p50="-"
		vis_p99="-"
		if [ "$n" = 2 ]; then
			vis=$(python3 "$here/load.py" visibility "$il" "$db" "${ports##*,}" "$visible" "$work")
			vis_p50="$(field "$vis" p50_ms) ms"
			vis_p99="$(field "$vis" p99_ms) ms"
		fi
		stop_servers
		result[$backend-$n-w]=$(field "$w" writes_per_s)
		result[$backend-$n-s]=$(field "$search" p50_ms)
		printf '%-9s %-7s %10s %9s %12s %12s %15s %15s\n' "$backend" "$n" \
			"$(field "$w" writes_per_s)" "$(field "$w" conflicts)" \
			"$(field "$search" p50_ms) ms" "$(field "$search" p99_ms) ms" "$vis_p50" "$vis_p99"
	done
done
echo "postgres / sqlite idle: search p50 $(echo "scale=2; ${result[postgres-idle]} / ${result[sqlite-idle]}" | bc)x"
for n in 1 2; do
	echo "postgres / sqlite with $n server(s): writes $(echo "scale=2; ${result[postgres-$n-w]} / ${result[sqlite-$n-w]}" | bc)x," \
		"search p50 $(echo "scale=2; ${result[postgres-$n-s]} / ${result[sqlite-$n-s]}" | bc)x"
done
