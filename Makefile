# Thin wrapper over CMake; see README.md.
#   make / make build   build (release with debug info) into build/
#   make test           install deps, build under ASan+UBSan into build-asan/, run every test
#   make start / stop   start or stop the local cluster under $(LOLIGO_DATA)
#   make fuzz           run each libFuzzer target for FUZZ_SECONDS (clang)
#   make bench          run the benchmarks in bench/ against the reference
JOBS ?= 2
LOLIGO_DATA ?= $(CURDIR)/cluster
FUZZ_SECONDS ?= 20
export LOLIGO_DATA
MAKEFLAGS += --no-print-directory

.PHONY: all build deps deps-bench deps-run test unit fuzz start stop bench clean format

all: build

# what building and running needs; the tests also install Debian's Ceph,
# the reference they compare against
deps-run:
	@scripts/install-deps.sh

deps:
	@scripts/install-deps.sh --with-reference

deps-bench:
	@scripts/install-deps.sh --with-bench

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)

build-asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLOLIGO_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)

test: deps build build-asan fuzz
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

unit: build-asan
	@cd build-asan && ctest --output-on-failure -j $(JOBS) -R unit/

fuzz:
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DLOLIGO_SANITIZE=ON -DLOLIGO_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@scripts/run-fuzzers.sh build-fuzz/bin $(FUZZ_SECONDS)

start: deps-run build
	@scripts/start.sh

stop:
	@scripts/stop.sh

bench: deps-bench build
	@bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz
