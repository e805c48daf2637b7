#!/usr/bin/env bash
# HTTP load: wrk against `innolink serve` on 127.0.0.1 with the bundled
# demo data, repeating searches (bench/http/search.lua), or with
# REQUESTS=match free-text matches of the same queries (every supply kind,
# top 10).
#   1. as fast as it goes (THREADS x CONNS connections): requests/s and
#      latency percentiles;
#   2. at half the rate found in 1: latency percentiles against the goal
#      (p99 <= 10 ms), and the server's resident memory sampled every
#      second (flat means the last samples are not above the first ones by
#      more than noise).
# Goals on a 2-core machine: >= 5,000 requests/s, p99 <= 10 ms at half,
# zero errors, memory flat.  DURATION (seconds, default 20) sets each
# run's length; the full check is DURATION=600.
# usage: bench/http/run.sh [BUILD_DIR]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
IL=$build/innolink
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
REQUESTS=${REQUESTS:-search}
case $REQUESTS in
search) export TARGET="/api/v1/search?limit=10&q=" ;;
match) export TARGET="/api/v1/match?top=10&q=" ;;
*) echo "REQUESTS must be search or match"; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing: make bench-deps installs it"; exit 1; }
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$IL" init --demo --db "$tmp/bench.db" </dev/null >/dev/null 2>&1
"$IL" index rebuild --db "$tmp/bench.db" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$IL" serve --db "$tmp/bench.db" --listen "127.0.0.1:$port" --rate-limit 1000000,20 \
	2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"
curl -sf "$url/api/v1/search?q=%E6%B6%82%E5%B1%82" >/dev/null # warm the page cache

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
sample() { # seconds file: RSS in KiB once a second
	for _ in $(seq "$1"); do rss >>"$2"; sleep 1; done
}
result() { grep '^RESULT' "$1" | sed 's/^RESULT //'; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

echo "innolink serve, $(nproc) cores (load average $(cut -d" " -f1 /proc/loadavg) before), wrk -t$THREADS -c$CONNS, ${DURATION}s per run, ${REQUESTS} requests on the demo data"
THREADS=$THREADS CONNS=$CONNS RATE=0 wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
	-s "$here/search.lua" "$url" >"$tmp/max.txt"
max=$(result "$tmp/max.txt")
rps=$(field "$max" rps)
half=$((rps / 2))
sample "$DURATION" "$tmp/rss.txt" &
sampler=$!
THREADS=$THREADS CONNS=$CONNS RATE=$half wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
	-s "$here/search.lua" "$url" >"$tmp/half.txt"
wait "$sampler"
atrate=$(result "$tmp/half.txt")
first=$(head -3 "$tmp/rss.txt" | sort -n | tail -1)
last=$(tail -3 "$tmp/rss.txt" | sort -n | tail -1)
printf '%-22s %10s %8s %8s %8s %8s %7s\n' run "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" errors
for run in "as fast as it goes:$max" "at half ($half/s):$atrate"; do
	name=${run%%:*}
	r=${run#*:}
	printf '%-22s %10s %8s %8s %8s %8s %7s\n' "$name" "$(field "$r" rps)" "$(field "$r" p50_ms)" \
		"$(field "$r" p90_ms)" "$(field "$r" p99_ms)" "$(field "$r" max_ms)" \
		"$(($(field "$r" errors) + $(field "$r" non2xx)))"
done
echo "server RSS: $first KiB in the first seconds of the paced run, $last KiB in its last ($(wc -l <"$tmp/rss.txt") samples)"
ok=yes
[ "$rps" -ge 5000 ] || { echo "goal missed: $rps req/s < 5000"; ok=no; }
awk -v p="$(field "$atrate" p99_ms)" 'BEGIN { exit !(p <= 10) }' ||
	{ echo "goal missed: p99 at half rate > 10 ms"; ok=no; }
[ $(($(field "$max" errors) + $(field "$max" non2xx) + $(field "$atrate" errors) + $(field "$atrate" non2xx))) -eq 0 ] ||
	{ echo "goal missed: errors"; ok=no; }
[ $((last - first)) -le $((first / 10 + 4096)) ] || { echo "goal missed: memory grew"; ok=no; }
echo "goals met: $ok"
