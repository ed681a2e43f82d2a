#!/usr/bin/env bash
# Foundation benchmark for raci-lint: check a synthetic repository of 1,000 ownership files.
#
#   cargo build --release --locked && bench/run.sh
#
# The script builds nothing itself, so that it measures exactly the binary you built (and never
# starts a long compile by surprise). It needs hyperfine and python3 (standard library only).
set -euo pipefail

# Work from the project root whatever the caller's folder, so target/ and bench/ resolve.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/raci-lint"
OWNERSHIP=1000

if [[ ! -x "$BIN" ]]; then
    echo "bench/run.sh: $BIN not found." >&2
    echo "Build it first:  cargo build --release --locked" >&2
    exit 1
fi
if ! command -v hyperfine >/dev/null 2>&1; then
    echo "bench/run.sh: hyperfine not found. Install it:  apt-get install -y hyperfine" >&2
    echo "(or: cargo install --locked hyperfine)" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "bench/run.sh: python3 not found; bench/gen_repo.py needs it." >&2
    exit 1
fi

# A fresh temporary folder per run, removed however the script ends, so no run reuses another's
# files (or page-cache state of an older layout).
TMP="$(mktemp -d "${TMPDIR:-/tmp}/raci-lint-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# The generator is seeded: every run benchmarks byte-identical ownership files.
python3 "$ROOT/bench/gen_repo.py" "$TMP/repo" --ownership "$OWNERSHIP" --seed 1
cd "$TMP/repo"

# One unmeasured run first. raci-lint exits 1 when it finds errors, and the generated repository
# has some on purpose (about 5% of files), so hyperfine must ignore the exit status below (-i).
# But -i would also hide a crash or a usage error (exit 2), and we would be timing an error
# message: check the status and the JSON here instead.
set +e
"$BIN" --format json . >"$TMP/check.json" 2>"$TMP/check.err"
status=$?
set -e
if [[ $status -ne 0 && $status -ne 1 ]]; then
    echo "bench/run.sh: 'raci-lint --format json .' exited $status (expected 0 or 1):" >&2
    head -n 20 "$TMP/check.err" >&2
    exit 1
fi
if ! python3 - "$TMP/check.json" "$OWNERSHIP" <<'EOF'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        summary = json.load(f)["summary"]
except (ValueError, KeyError, TypeError) as e:
    sys.exit(f"bench/run.sh: --format json did not print JSON with a summary ({e!r})")
want = int(sys.argv[2])
print(f"sanity run: {summary.get('files')} ownership files, {summary.get('errors')} errors, "
      f"{summary.get('warnings')} warnings, {summary.get('scanned')} files scanned for evidence")
if summary.get("files") != want:
    # Not fatal: the numbers below are still a measurement, but of a different workload.
    print(f"warning: expected {want} ownership files (ignored/ holds 2 more that .gitignore "
          "must hide)", file=sys.stderr)
EOF
then
    exit 1
fi
echo

# The real measurement. 3 warm-up runs fill the page cache, so we time raci-lint, not the disk.
# hyperfine discards the command's output by default, so printing the JSON is not measured
# as terminal I/O.
hyperfine --warmup 3 --runs 20 -i \
    --export-markdown "$TMP/foundation.md" \
    --command-name "raci-lint --format json . ($OWNERSHIP ownership files)" \
    "'$BIN' --format json ."

# Process start-up cost, as a floor for the number above. It takes a millisecond or two, so run it
# without a shell (-N): hyperfine's shell-spawn correction would be noisier than the time itself.
hyperfine -N --warmup 3 --runs 20 \
    --export-markdown "$TMP/version.md" \
    --command-name "raci-lint --version" \
    "'$BIN' --version"

echo
echo "## Results"
echo
cat "$TMP/foundation.md"
echo
cat "$TMP/version.md"
echo
# Machine facts, so numbers from different machines are not compared blindly.
cpu_model="$(grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null \
    | cut -d: -f2- | sed 's/^ *//' || true)"
echo "nproc:     $(nproc)"
echo "CPU:       ${cpu_model:-unknown}"
echo "raci-lint: $("$BIN" --version)"
echo "hyperfine: $(hyperfine --version)"
