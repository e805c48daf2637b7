#!/usr/bin/env bash
# bench/segment: Chinese word segmentation against its peers on the SIGHAN
# 2005 PKU test set - precision, recall, F1 and OOV recall, scored as
# SIGHAN's scorer does (score.py) - and speed on the test text repeated to
# SIZE_MB megabytes (median of RUNS runs; wall-clock time, including each
# system's start-up, writing its output to /dev/null).
#
#   innolink        innolink segment (precise mode)
#   jieba HMM/-     python3-jieba's jieba.cut with HMM=True / HMM=False
#                   (the same dictionary innolink compiles), jieba_seg.py
#   ICU             ubrk UBRK_WORD, locale zh (peer_icu.c)
#   friso           friso 1.6 complex mode, Debian's friso.ini (peer_friso.c)
#
# The peers' drivers are built here with cc; the project's build never
# links ICU or friso.  Goals: F1 above the best peer; speed >= 10x jieba's
# and >= ICU's.  Without the PKU data the benchmark says so and exits 0.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
data=${IL_SIGHAN_DIR:-/work/shared/data/sighan2005}
size_mb=${SIZE_MB:-100}
runs=${RUNS:-3}
il="$build/innolink"
test_txt="$data/pku_test.utf8"
gold="$data/pku_test_gold.utf8"
train="$data/pku_training_words.utf8"

if [ ! -f "$test_txt" ] || [ ! -f "$gold" ] || [ ! -f "$train" ]; then
	echo "bench/segment: the SIGHAN 2005 PKU data is missing (looked in $data); skipped"
	exit 0
fi
if [ ! -x "$il" ]; then
	echo "bench/segment: $il not found; build first (make build)" >&2
	exit 1
fi
py=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jieba' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "bench/segment: python3-jieba is not installed (make bench-deps)" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/peer_icu" "$here/peer_icu.c" $(pkg-config --cflags --libs icu-uc icu-i18n)
cc -O2 -o "$work/peer_friso" "$here/peer_friso.c" $(pkg-config --cflags --libs friso)

names=("innolink" "jieba HMM" "jieba no HMM" "ICU" "friso")
run_system() { # index < input > output
	case $1 in
	0) "$il" segment ;;
	1) "$py" "$here/jieba_seg.py" --hmm ;;
	2) "$py" "$here/jieba_seg.py" --no-hmm ;;
	3) "$work/peer_icu" ;;
	4) "$work/peer_friso" ;;
	esac
}

# the large text: the test set repeated to about size_mb MB
big="$work/big.txt"
unit=$(wc -c <"$test_txt")
reps=$(((size_mb * 1000000 + unit - 1) / unit))
for _ in $(seq "$reps"); do cat "$test_txt"; done >"$big"
big_bytes=$(wc -c <"$big")

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "PKU test set: $(wc -l <"$test_txt") lines, $(wc -w <"$gold") gold words;" \
	"speed on $((big_bytes / 1000000)) MB, median of $runs runs"
printf '%-14s %7s %7s %7s %7s %9s\n' system P R F1 OOV-R MB/s
declare -a speed
for i in "${!names[@]}"; do
	run_system "$i" <"$test_txt" >"$work/out-$i.txt"
	read -r p r f oov < <(python3 "$here/score.py" "$gold" "$work/out-$i.txt" "$train")
	times=()
	for _ in $(seq "$runs"); do
		t0=$(now)
		run_system "$i" <"$big" >/dev/null
		t1=$(now)
		times+=("$(echo "$t1 - $t0" | bc -l)")
	done
	t=$(printf '%s\n' "${times[@]}" | median)
	speed[$i]=$(echo "$big_bytes / 1000000 / $t" | bc -l)
	printf '%-14s %7.4f %7.4f %7.4f %7.4f %9.2f\n' "${names[$i]}" "$p" "$r" "$f" "$oov" "${speed[$i]}"
done
printf 'speed ratio innolink/jieba (HMM): %.1f (goal >= 10); innolink/ICU: %.2f (goal >= 1)\n' \
	"$(echo "${speed[0]} / ${speed[1]}" | bc -l)" "$(echo "${speed[0]} / ${speed[3]}" | bc -l)"
