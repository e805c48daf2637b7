#!/usr/bin/env bash
# `make install PREFIX=…` (cmake --install): the binary, the static and
# shared library, the public headers, a pkg-config file that builds a
# program against them, the data files and the man page.
. "$(dirname "$0")/lib.sh"
P="$T/prefix"
run cmake --install "${IL_BUILD_DIR:?}" --prefix "$P"
check_status 0 "cmake --install succeeds"
libdir=$(ls -d "$P"/lib* | head -1)
for f in bin/innolink include/innolink/base.h include/innolink/store.h include/innolink/io.h \
	share/innolink/demo/organization.jsonl share/man/man1/innolink.1; do
	if [ -e "$P/$f" ]; then ok "installs $f"; else not_ok "installs $f"; fi
done
if [ -e "$libdir/libinnolink.a" ] && ls "$libdir"/libinnolink.so* >/dev/null 2>&1; then
	ok "installs the static and shared library"
else
	not_ok "installs the static and shared library"
fi
pc=$(find "$P" -name innolink.pc | head -1)
got=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --variable=libdir innolink)
check_eq "$(cd "$got" && pwd -P)" "$(cd "$libdir" && pwd -P)" "pkg-config finds the library where it was installed"

cat >"$T/prog.c" <<'C'
#include <innolink/store.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	struct il_store *s;
	size_t n = 0;
	if (argc < 2 || il_store_open(argv[1], 0, &s) != IL_OK)
		return 1;
	il_store_count(s, IL_KIND_REGION, &n);
	printf("%zu\n", n);
	il_store_close(s);
	return 0;
}
C
# a library built with sanitizers needs their runtime in the program too
san=""
[ "${IL_SANITIZED:-}" = 1 ] && san="-fsanitize=address,undefined"
run cc $san -o "$T/prog" "$T/prog.c" $(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs innolink)
check_status 0 "a program builds against the installed library with pkg-config"

# the installed binary finds its installed demo data, wherever the prefix is
mv "$P" "$T/moved"
P="$T/moved"
(cd "$T" && env -u INNOLINK_DATA "$P/bin/innolink" init --demo --db "$T/i.db" >/dev/null 2>&1)
prog_lib=$(ls -d "$P"/lib* | head -1)
LD_LIBRARY_PATH="$prog_lib" run "$T/prog" "$T/i.db"
if [ "$status" = 0 ] && [ "$out" -gt 17 ]; then ok "the program reads a database the installed innolink made ($out regions)"; else
	not_ok "the program reads a database the installed innolink made: $out $err"; fi
finish
