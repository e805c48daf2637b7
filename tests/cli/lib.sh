# lib.sh - a small TAP harness for tests that drive the real innolink binary.
# Sourced by tests/cli/test_*.sh; CTest sets INNOLINK and IL_TEST_TMPDIR.
set -u
IL=${INNOLINK:?INNOLINK must name the innolink binary}
SRC=${IL_TEST_SRCDIR:?}
mkdir -p "${IL_TEST_TMPDIR:-/tmp}"
T=$(mktemp -d "${IL_TEST_TMPDIR:-/tmp}/cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# run CMD...: runs a command, keeping its stdout in $out, stderr in $err and
# exit status in $status.
run() {
	"$@" >"$T/.out" 2>"$T/.err"
	status=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

check_eq() { # got expected what
	if [ "$1" = "$2" ]; then ok "$3"; else
		not_ok "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}

check_contains() { # haystack needle what
	case "$1" in
	*"$2"*) ok "$3" ;;
	*)
		not_ok "$3"
		printf '#   %s\n#   does not contain: %s\n' "$(printf '%s' "$1" | head -c 600)" "$2"
		;;
	esac
}

check_status() { # expected what (uses $status, $err)
	if [ "$status" = "$1" ]; then ok "$2"; else
		not_ok "$2"
		printf '#   exit status %s, expected %s; stderr: %s\n' "$status" "$1" "$err"
	fi
}

# json EXPR: evaluates a Python expression over the JSON in $out (as `j`).
json() { printf '%s' "$out" | python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

finish() {
	echo "1..$n"
	echo "# $((n - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ]
	exit $?
}
