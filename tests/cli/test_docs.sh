#!/usr/bin/env bash
# The documentation that is generated from the field tables is current, and
# every command's --help names the options the command accepts.
. "$(dirname "$0")/lib.sh"
DOCS="$SRC/../docs"

"$IL" fields --markdown >"$T/fields.md"
if tail -n +7 "$DOCS/fields.md" | cmp -s - "$T/fields.md"; then
	ok "docs/fields.md matches 'innolink fields --markdown'"
else
	not_ok "docs/fields.md matches 'innolink fields --markdown' (regenerate it)"
	tail -n +7 "$DOCS/fields.md" | diff - "$T/fields.md" | head -5 | sed 's/^/#   /'
fi

for c in init migrate import export list show stats dedup serve search index eval segment copy fields user version; do
	check_contains "$(cat "$DOCS/innolink.1")" ".B $c" "the man page describes '$c'"
done

run "$IL" import --help
for opt in --kind --format --encoding --sheet --skip-invalid --rejects --dry-run; do
	check_contains "$out" "$opt" "import --help explains $opt"
done
run "$IL" fields organization --json
check_eq "$(json 'j[0]["fields"][0]["zh"]')" "名称" "fields --json gives the Chinese headers"
finish
