# The README's commands.  CMake and CTest do the work; this file installs
# what a fresh Debian machine lacks and drives them.
#
#   make run    install packages, build, create innolink.db with the demo
#               data (if missing), serve http://127.0.0.1:8080
#   make test   build (warnings as errors) and run every test, then again
#               under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench  build and run the benchmarks against their peers
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
DB ?= innolink.db
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan

# Debian packages the build and the tests need.
BUILD_PKGS = build-essential cmake pkg-config libsqlite3-dev libjansson-dev python3-jieba \
	libmicrohttpd-dev libutf8proc-dev libxlsxwriter-dev libzip-dev libxml2-dev \
	libsodium-dev libopencc-dev libstemmer-dev libpq-dev
# postgresql: the store tests start a throwaway cluster (initdb, pg_ctl)
TEST_PKGS = python3 sqlite3 zip unzip postgresql chromium fonts-wqy-microhei clang-format
BENCH_PKGS = sqlite3 postgresql hyperfine bc python3 libxapian-dev python3-jieba libicu-dev libfriso-dev \
	friso-dict wrk curl
# Debian's nodejs and npm only where no node and npm are on the PATH: a
# machine may have them from elsewhere, and the two would conflict.
NODE_PKGS = $(if $(shell command -v node 2>/dev/null),,nodejs) $(if $(shell command -v npm 2>/dev/null),,npm)
# The web UI's ECharts and the browser test's playwright-core, from the
# committed lock files.
NODE_DIRS = web tests/e2e/browser

.PHONY: all build run test test-fast test-asan bench install deps test-deps bench-deps node-modules \
	format clean

all: build

deps:
	@tools/ensure-packages $(BUILD_PKGS)

test-deps:
	@tools/ensure-packages $(BUILD_PKGS) $(TEST_PKGS) $(NODE_PKGS)
	@$(MAKE) --no-print-directory node-modules

# npm ci only when a lock file is newer than what it installed.
node-modules:
	@for d in $(NODE_DIRS); do \
		if [ ! -f $$d/node_modules/.package-lock.json ] || \
		   [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; then \
			echo "npm ci in $$d"; \
			(cd $$d && npm ci --no-audit --no-fund --loglevel=error) || exit 1; \
		fi; \
	done

bench-deps:
	@tools/ensure-packages $(BUILD_PKGS) $(BENCH_PKGS)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@tools/ensure-packages $(NODE_PKGS)
	@$(MAKE) --no-print-directory NODE_DIRS=web node-modules
	@if [ ! -f "$(DB)" ]; then \
		echo "creating $(DB) with the Hubei demo data"; \
		$(BUILD)/innolink init --demo --db "$(DB)"; \
	else \
		$(BUILD)/innolink migrate --db "$(DB)"; \
	fi
	@echo "serving http://$(LISTEN)  (Ctrl-C stops)"
	$(BUILD)/innolink serve --db "$(DB)" --listen "$(LISTEN)"

test: test-deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DIL_WERROR=ON -DIL_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@status=0; \
	echo "== tests (release build)"; \
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) || status=1; \
	echo "== tests (AddressSanitizer + UndefinedBehaviorSanitizer)"; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	IL_SANITIZED=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) -LE slow || status=1; \
	exit $$status

test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: bench-deps build
	bench/run-all $(BUILD)

install: build
	cmake --install $(BUILD) --prefix "$(PREFIX)"

# Lays the C sources out as .clang-format says (tests/style/format.sh checks).
format:
	@tools/ensure-packages clang-format
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
