#!/usr/bin/env bash
# Builds the libFuzzer target (ASan + libFuzzer) and fuzzes the scenario loader for SECONDS
# (default 300). Seed corpus: the files of Scenarios/ and Scenarios/base/ as they are; the
# harness resolves `extends:` against Scenarios/ (see Sources/SagstalFuzz/Harness.swift).
# Output, all outside git: .build-fuzz/ (build), Outputs/libfuzzer/corpus/ (grown corpus),
# Outputs/libfuzzer/artifacts/ (crash-*, timeout-*, oom-* inputs), Outputs/libfuzzer/log.txt.
# -detect_leaks=0: LeakSanitizer reports Swift's lazily initialised globals (e.g. the schema
# `Shape.scenario`) as leaks of the first input that touches them — a false positive that stops
# the run (the exit-time check is off through __asan_default_options in CFuzzerDriver/shim.c).
# Extra arguments go to libFuzzer (e.g. -jobs=2 -workers=2, -dict=..., -only_ascii=1).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
seconds=${1:-300}
shift || true
swift build -c debug -Xswiftc -sanitize=fuzzer,address --build-path "$root/.build-fuzz"
out="$root/Outputs/libfuzzer"
mkdir -p "$out/corpus" "$out/artifacts"
cp "$root"/Scenarios/*.yaml "$out/corpus/"
for f in "$root"/Scenarios/base/*.yaml; do cp "$f" "$out/corpus/base-$(basename "$f")"; done
"$root/.build-fuzz/debug/SagstalFuzz" "$out/corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=20000 -detect_leaks=0 \
    -dict=scenario.dict \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$@" 2>&1 | tee "$out/log.txt"
