# The front door.  `make run` installs what is missing, builds, and forecasts
# the shipped Korean Peninsula case with every engine; `make test` builds and
# runs the whole test suite.  The build itself is Meson + Ninja.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
PREFIX     ?= /usr/local
MESON      ?= meson

# Debian packages the build and the tests need.
DEB_PACKAGES = meson ninja-build pkg-config gcc libjansson-dev libcsv-dev libgsl-dev \
	libsodium-dev libcmocka-dev libsqlite3-dev libgmp-dev libglpk-dev libxml2-dev \
	nettle-dev sqlite3 libunistring-dev libmicrohttpd-dev libltdl-dev libsuitesparse-dev \
	libicu-dev g++ \
	clang libclang-rt-14-dev valgrind python3-jsonschema \
	libopenmpi-dev openmpi-bin libplplot-dev plplot-driver-cairo nodejs chromium

.PHONY: all deps build release run serve test test-asan test-ledger-full fuzz bench install clean format

all: build

# Installs the Debian packages that are missing (needs root or sudo).
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@# npm: Debian's package, unless a nodejs that ships its own npm is installed
	@command -v npm >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm; }

# Front-end packages (package-lock.json): Chart.js, inlined into `parley
# report` at build time, and playwright-core for the report's browser test.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(BUILD)/build.ninja: | node_modules/.package-lock.json
	$(MESON) setup $(BUILD) --prefix=$(PREFIX)

build: deps node_modules/.package-lock.json $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	./$(BUILD)/cli/parley forecast --engine all
	@echo
	./$(BUILD)/cli/parley compare
	@echo
	./$(BUILD)/cli/parley sweep -n 2000 --engine eu --threshold 50

# The HTTP API and the dashboard (docs/dashboard.md) with the shipped cases
# on a loopback port (SERVE_PORT, default 8080; 0 picks a free one); it
# prints the address to open in a browser.  Ctrl-C stops it.  The permanent
# channel is a ledger of the illustrative 2007 history (data/ledger), made
# once in SERVE_DATA with its parties' keys.
SERVE_PORT ?= 8080
SERVE_DATA ?= $(BUILD)/serve-data
serve: build
	@mkdir -p $(SERVE_DATA)/keys
	@[ -f $(SERVE_DATA)/ledger.db ] || ./$(BUILD)/cli/parley ledger replay $(SERVE_DATA)/ledger.db \
		--script data/ledger/korea-2007.json --keys $(SERVE_DATA)/keys --seed 1
	./$(BUILD)/cli/parley serve --listen 127.0.0.1:$(SERVE_PORT) --data $(SERVE_DATA) \
		--ledger $(SERVE_DATA)/ledger.db --log-key $(SERVE_DATA)/keys/log.six-party.example.key

test: build
	$(MESON) test -C $(BUILD) --print-errorlogs --num-processes 2
	@sh tests/summary.sh $(BUILD)

$(ASAN_BUILD)/build.ninja: | node_modules/.package-lock.json
	$(MESON) setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug

test-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		$(MESON) test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 \
		--timeout-multiplier 4
	@sh tests/summary.sh $(ASAN_BUILD)

# The ledger's long reliability runs (make test runs shorter ones): 200 kill -9
# crashes during appends, and every byte of a ledger database flipped.
test-ledger-full: build
	./$(BUILD)/tests/ledger/test_crash 200
	./$(BUILD)/tests/ledger/test_tamper 1

# libFuzzer targets, each run FUZZ_SECONDS on its corpus, the library
# instrumented for coverage; the log shows each target's coverage at start
# and end, and the inputs that add coverage are merged into
# tests/fuzz/corpus/<target>/ (FUZZ_MERGE= leaves the corpora alone).
FUZZ_SECONDS ?= 60
FUZZ_MERGE ?= merge
$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug

fuzz: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_MERGE)

# The optimised build (-O3) the benchmarks use; CI builds it too, since -O3
# finds warnings -O2 does not.
build-bench/build.ninja: | node_modules/.package-lock.json
	$(MESON) setup build-bench -Dbuildtype=release

release: deps build-bench/build.ninja
	ninja -C build-bench

bench: release
	sh bench/run.sh build-bench

# PREFIX (default /usr/local) and DESTDIR are honoured whatever was built
# before: the build directory is set to PREFIX (a rebuild when it changes).
install: build
	@[ "$$($(MESON) introspect $(BUILD) --buildoptions | \
		python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')" = "$(abspath $(PREFIX))" ] || \
		$(MESON) configure $(BUILD) -Dprefix=$(abspath $(PREFIX))
	ninja -C $(BUILD)
	$(MESON) install -C $(BUILD) $(if $(DESTDIR),--destdir $(abspath $(DESTDIR)))

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-bench
