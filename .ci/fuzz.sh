#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (FUZZ_SECONDS, default 10), seeded from the fixtures.
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP=1 lets the machine's stable toolchain
# accept them. A crash fails CI and leaves its input under fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-10}

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
seed() { # seed TARGET FILES...: copy each file in under a unique name
    local target=$1
    shift
    mkdir -p "$corpus/$target"
    local i=0
    for f in "$@"; do
        i=$((i + 1))
        cp "$f" "$corpus/$target/seed-$i"
    done
}
seed ownership $(find fixtures -name raci.yaml | sort)
seed pack rules/*.yaml fixtures/codes/*/packs/*.yaml
seed evidence $(find fixtures/evidence -type f -path '*found*' | sort)
seed config fixtures/config/*.yaml
seed baseline fixtures/baseline/*.json

export RUSTC_BOOTSTRAP=1
# No sanitizer: the targets drive safe Rust, where a bug is a panic, which libFuzzer catches on
# its own. AddressSanitizer made the build a minute longer (5 min 10 s against 4 min) and each
# run slower, for memory errors our code cannot make.
# Sixteen codegen units and opt-level 1: a release fuzz build otherwise compiles each crate as
# one unit, one core at a time, at opt-level 3, for speed that a run of seconds does not need.
# Measured here: the build took 4 min 19 s with one unit at opt-level 3, 3 min 20 s to 3 min
# 44 s with sixteen, 2 min 50 s with sixteen at opt-level 1; the evidence target then ran 19,333
# inputs in 10 s, against 22,171 to 25,676 at opt-level 3.
build=(--sanitizer none --codegen-units 16)
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1
cargo fuzz build "${build[@]}"
seed render $(find fixtures/bad -type f | sort)
for target in ownership pack evidence config baseline render; do
    echo "fuzzing $target for ${seconds}s"
    cargo fuzz run "${build[@]}" "$target" "$corpus/$target" -- -max_total_time="$seconds" 2>&1 | tail -n 2
done
