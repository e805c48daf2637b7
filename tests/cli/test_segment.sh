#!/usr/bin/env bash
# innolink segment through the real binary: one output line per input line,
# words separated by single spaces, the characters unchanged (taking the
# spaces out gives the input back), --mode search, user dictionaries read
# at start, invalid UTF-8 and usage errors, --help.
. "$(dirname "$0")/lib.sh"

cat >"$T/in.txt" <<'EOF'
我来到北京清华大学
5G基站用高频PCB板，锂电池 recycling
１９９８年１２月３１日，二○○一年新年贺词（附图片1张）

荆州石油机械：钻井泵、压裂车、抽油机、PDC钻头——增长25.6%……
Jingzhou's M10-3 plungers   and   www.example.com
EOF
printf '没有换行的最后一行' >>"$T/in.txt"

run "$IL" segment <"$T/in.txt"
check_status 0 "segment reads standard input"
printf '%s' "$out" >"$T/out.txt"
check_eq "$(wc -l <"$T/out.txt")" "$(wc -l <"$T/in.txt")" "one output line per input line"
check_eq "$(head -1 "$T/out.txt")" "我 来到 北京 清华大学" "the first line is cut into words"
check_eq "$(sed -n 3p "$T/out.txt")" "１９９８年 １２月 ３１日 ， 二○○一年 新年贺词 （ 附图片 1 张 ）" \
	"full-width dates and punctuation"
check_eq "$(sed -n 4p "$T/out.txt")" "" "an empty line stays empty"
check_eq "$(tail -1 "$T/out.txt")" "没有 换行 的 最后 一行" "a last line without a newline is cut too"
if grep -q '  \|^ \| $' "$T/out.txt"; then not_ok "single spaces only"; else ok "single spaces only"; fi
check_eq "$(tr -d ' \t' <"$T/out.txt" | md5sum)" "$(tr -d ' \t' <"$T/in.txt" | md5sum)" \
	"removing the spaces gives the input back"
check_eq "$(sed -n 6p "$T/out.txt")" "Jingzhou's M10-3 plungers and www.example.com" \
	"runs of spaces become one separator"

printf '华中科技大学\r\n中华人民共和国\n' >"$T/crlf.txt"
run "$IL" segment --mode search <"$T/crlf.txt"
check_status 0 "--mode search"
check_eq "$(printf '%s' "$out" | head -1 | tr -d '\r')" "华中 中科 科技 大学 华中科 华中科技大学" \
	"search mode puts the dictionary words inside a long word before it"
check_eq "$(printf '%s\n' "$out" | head -1 | tail -c 2 | od -An -tx1 | tr -d ' ')" "0d0a" \
	"a CRLF line ending is kept"
run "$IL" segment --mode precise <"$T/crlf.txt"
check_eq "$(printf '%s' "$out" | tail -1)" "中华人民共和国" "--mode precise"

# user dictionaries are read at start: an edit changes the next run
mkdir -p "$T/data/dict"
run env INNOLINK_DATA="$T/data" "$IL" segment <<<"荆楚智造走进车谷"
check_eq "$out" "荆楚 智造 走进 车谷" "without the user word"
printf '荆楚智造 1000 nz\n' >"$T/data/dict/local.txt"
run env INNOLINK_DATA="$T/data" "$IL" segment <<<"荆楚智造走进车谷"
check_eq "$out" "荆楚智造 走进 车谷" "a word added to data/dict/*.txt takes effect without a rebuild"
printf '荆楚智造 lots\n' >"$T/data/dict/local.txt"
run env INNOLINK_DATA="$T/data" "$IL" segment <<<"荆楚"
check_status 1 "a bad user dictionary line fails"
check_contains "$err" "local.txt:1: frequency 'lots'" "and names the file and line"

printf '我来到北京\n第二\xff行\n' >"$T/bad.txt"
run "$IL" segment <"$T/bad.txt"
check_status 1 "invalid UTF-8 fails"
check_contains "$err" "<stdin>:2: invalid UTF-8 at byte offset 6" "with the line and byte offset"
check_contains "$out" "我 来到 北京" "lines before the bad one are written"

run "$IL" segment --mode fast </dev/null
check_status 2 "an unknown mode is a usage error"
check_contains "$err" "--mode is precise or search" "and says what is allowed"
run "$IL" segment extra.txt </dev/null
check_status 2 "a file argument is a usage error"

run "$IL" segment --help
check_status 0 "--help"
check_contains "$out" "usage: innolink segment [--mode precise|search]" "--help shows the usage"
run "$IL" --help
check_contains "$out" "segment" "the command list names segment"

finish
