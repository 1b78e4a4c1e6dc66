#!/usr/bin/env bash
# A RUSTC_WRAPPER that leaves coverage instrumentation on gridkeeper's own crates only.
#
#   cd fuzz
#   RUSTC_WRAPPER=$PWD/own-coverage-rustc.sh \
#       cargo +nightly fuzz build -O -s none --target-dir target-own
#   FUZZ_TARGET_DIR=target-own ./saturate.sh profile
#
# cargo-fuzz instruments every crate it compiles (SanitizerCoverage: edge counters, the PC
# table, comparison tracing). In such a build libFuzzer's `cov:` counts the edges of the regex,
# TOML, JSON and overlay crates as well, and a target that feeds a profile's regexes to the
# regex parser goes on finding "new coverage" inside regex-syntax for hours. This wrapper drops
# the SanitizerCoverage flags when cargo compiles a crate from outside this repository (cargo
# names the crate's folder in CARGO_MANIFEST_DIR), so `cov:` counts gridkeeper and the fuzz
# targets only. The dependencies still run on every input: a panic, hang or runaway
# allocation in them still stops libFuzzer. Everything else (`--cfg fuzzing`, optimisation,
# debug assertions) is passed on unchanged.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rustc=$1
shift
case ${CARGO_MANIFEST_DIR:-} in
"$root" | "$root"/*) exec "$rustc" "$@" ;;
esac
args=()
for arg in "$@"; do
    case $arg in
    -Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage-*) ;;
    *) args+=("$arg") ;;
    esac
done
exec "$rustc" "${args[@]}"
