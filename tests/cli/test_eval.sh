#!/usr/bin/env bash
# `innolink eval` on a small BEIR-layout set (tests/fixtures/eval): the
# printed measures equal the ones worked out below from the definitions,
# the run file is trec_eval's order, and bad input fails with its place.
#
# The fixture is built so that the ranking does not depend on BM25 details:
#   q1 "zeolite catalyst cracking": d01 has every term in title and body;
#      d02 has "zeolite" (in 2 documents) once, d03-d05 "catalyst" (in 4)
#      once, with the same lengths: d01, d02, then d03-d05.  Judged d01 = 2,
#      d02 = 1, d09 = 1 (shares no word: never found), d03 = 0.
#   q2 "graphene membrane desalination": d07 and d08 are identical, with two
#      terms in title and body; d06 has "desalination" once.  The tie goes
#      to the larger id (trec_eval): d08, d07, d06.  Judged d07 = 1, d06 = 1.
#   q3 is judged with grade 0 only and q4 not at all: both skipped.
#   q5 "lithium battery recycling": d11 has every term, d12 "battery" once:
#      d11 (grade 1), d12 (grade 3).
. "$(dirname "$0")/lib.sh"
F="$SRC/fixtures/eval"
args=(--corpus "$F/corpus.jsonl" --queries "$F/queries.jsonl")

# by hand: DCG@10 = sum g(r) / log2(r + 1), ideal from the grades sorted
expected=$(awk 'function lg(x) { return log(x) / log(2) }
BEGIN {
	n1 = (2 / lg(2) + 1 / lg(3)) / (2 / lg(2) + 1 / lg(3) + 1 / lg(4))
	n2 = (1 / lg(3) + 1 / lg(4)) / (1 / lg(2) + 1 / lg(3))
	n5 = (1 / lg(2) + 3 / lg(3)) / (3 / lg(2) + 1 / lg(3))
	r = (2 / 3 + 1 + 1) / 3
	m = (1 + 1 / 2 + 1) / 3
	printf "ndcg@10=%.4f recall@100=%.4f mrr@10=%.4f", (n1 + n2 + n5) / 3, r, m
}')
check_eq "$expected" "ndcg@10=0.7768 recall@100=0.8889 mrr@10=0.8333" "the hand computation itself"

run "$IL" eval "${args[@]}" --qrels "$F/qrels.tsv" --run "$T/run.txt"
check_status 0 "eval runs"
check_eq "$(printf '%s\n' "$out" | head -1)" "$expected" "measures equal the hand-computed ones"
check_contains "$out" "3 queries evaluated (2 without a relevant document skipped), 12 documents" \
	"counts of queries and documents"

check_eq "$(awk '$1 == "q2" { printf "%s:%s ", $3, $4 }' "$T/run.txt")" "d08:1 d07:2 d06:3 " \
	"run file ranks the tie as trec_eval does"
check_eq "$(awk 'NF != 6 || $2 != "Q0" || $6 != "innolink" { bad++ } END { print bad + 0 }' "$T/run.txt")" \
	"0" "every run line is 'qid Q0 docid rank score innolink'"
check_eq "$(cut -d' ' -f1 "$T/run.txt" | sort -u | tr '\n' ' ')" "q1 q2 q5 " \
	"only evaluated queries are run"
check_eq "$(awk '$1 == "q1" { printf "%s ", $3 }' "$T/run.txt" | cut -d' ' -f1-2)" "d01 d02" \
	"q1 ranks the full match, then the rarer term"

run "$IL" eval "${args[@]}" --qrels "$F/qrels.trec"
check_eq "$(printf '%s\n' "$out" | head -1)" "$expected" "TREC four-column qrels give the same measures"

run "$IL" eval "${args[@]}" --qrels "$F/qrels.tsv" --json
check_eq "$(json '"%.4f %.4f %.4f %d %d %d" % (j["ndcg@10"], j["recall@100"], j["mrr@10"], j["queries"], j["skipped"], j["documents"])')" \
	"$(echo "$expected" | sed 's/[a-z@0-9]*=//g') 3 2 12" "--json carries the same numbers"

# different BM25 parameters still find the same documents for q5
run "$IL" eval "${args[@]}" --qrels "$F/qrels.tsv" --k1 0.9 --b 0.4
check_status 0 "--k1 and --b are accepted"

run "$IL" eval "${args[@]}"
check_status 2 "--qrels is required"
check_contains "$err" "--qrels" "the usage error names what is missing"
run "$IL" eval "${args[@]}" --qrels "$F/qrels.tsv" --b 2
check_status 2 "--b out of range is a usage error"
run "$IL" eval "${args[@]}" --qrels "$F/qrels.tsv" --lang fr
check_status 2 "unknown --lang is a usage error"

printf 'query-id\tcorpus-id\tscore\nq1\td01\tvery\n' >"$T/bad.tsv"
run "$IL" eval "${args[@]}" --qrels "$T/bad.tsv"
check_status 1 "a bad qrels file fails"
check_contains "$err" "bad.tsv:2: grade 'very' is not an integer" "and names file, line and value"
printf '{"_id": "x", "text": "a"}\n{"_id": "y", "text": \n' >"$T/corpus.jsonl"
run "$IL" eval --corpus "$T/corpus.jsonl" --queries "$F/queries.jsonl" --qrels "$F/qrels.tsv"
check_status 1 "a broken corpus line fails"
check_contains "$err" "corpus.jsonl:2:" "and names the line"
run "$IL" eval "${args[@]}" --qrels "$F/qrels.tsv" --run "$T/no/such/dir/run.txt"
check_status 1 "an unwritable run file fails"

run "$IL" eval --help
for opt in --corpus --queries --qrels --lang --k1 --b --run --json; do
	check_contains "$out" "$opt" "eval --help explains $opt"
done
finish
