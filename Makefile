# hsomp: an OpenMP runtime whose threads are GHC's threads.
# Every target first runs the idempotent install step (scripts/install-deps.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CABAL_DIR := $(CURDIR)/.cabal
RELEASE := target/release
PREFIX ?= /usr/local

.PHONY: deps lib test test-rust test-loom test-c demo bench bench-quick install clean
.DEFAULT_GOAL := lib

deps:
	@scripts/install-deps.sh

lib: deps
	cargo build --release -p gomp-abi
	@scripts/gen-pkgconfig.sh $(RELEASE)
	@scripts/make-dropin.sh $(RELEASE)

test-rust: deps
	cargo test --release --workspace

test-loom: deps
	RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 CARGO_TARGET_DIR=target/loom cargo test --release -p gomp-abi --lib loom

test-c: lib
	@tests/run-conformance.sh

test: lib
	@scripts/run-tests.sh

demo: lib
	@scripts/demo.sh

bench: lib
	@bench/run.sh full
	@bench/haskell.sh full

bench-quick: lib
	@bench/run.sh quick
	@bench/haskell.sh quick

install: lib
	@scripts/install.sh $(RELEASE) $(DESTDIR)$(PREFIX)

clean:
	cargo clean
	rm -rf dist-newstyle tests/build bench/build
