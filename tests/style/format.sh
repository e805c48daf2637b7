#!/usr/bin/env bash
# The C sources follow the checked-in .clang-format: lists the files that
# clang-format would change.  `make format` rewrites them.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if ! command -v clang-format >/dev/null; then
	echo "not ok - clang-format is not installed ('make test' installs it)" >&2
	exit 1
fi
bad=0
while IFS= read -r f; do
	if ! clang-format --dry-run -Werror "$f" 2>/dev/null; then
		echo "# $f differs from .clang-format's layout: run 'make format'"
		bad=1
	fi
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench fuzz -name '*.[ch]')
[ $bad -eq 0 ] && echo "ok - every C file follows .clang-format"
exit $bad
