#!/usr/bin/env bash
# Evidence benchmark: raci-lint against ripgrep (our yardstick) and semgrep, with the same
# patterns, on seeded synthetic repositories of 10,000 and 100,000 files; peak RSS of raci-lint.
#
#   cargo build --release --locked && bench/evidence.sh
#
# Needs hyperfine and ripgrep (apt-get install -y hyperfine ripgrep), PyYAML and, for the semgrep
# column, semgrep (pip install semgrep pyyaml). Without semgrep that column is skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/raci-lint"
[[ -x "$BIN" ]] || { echo "build first: cargo build --release --locked" >&2; exit 1; }
for tool in hyperfine rg python3; do
    command -v "$tool" >/dev/null || { echo "bench/evidence.sh: $tool is missing" >&2; exit 1; }
done
# semgrep took 394 s on the 10,000-file tree here; on 100,000 files it would take most of an
# hour, so by default it runs on trees up to SEMGREP_MAX_FILES files only (SEMGREP=0: never).
have_semgrep=0
[[ "${SEMGREP:-1}" != 0 ]] && command -v semgrep >/dev/null && have_semgrep=1
SEMGREP_MAX_FILES=${SEMGREP_MAX_FILES:-10000}

TMP="$(mktemp -d "${TMPDIR:-/tmp}/raci-lint-evidence.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
python3 "$ROOT/bench/patterns.py" "$TMP/patterns"
mapfile -t GLOBS < "$TMP/patterns/rg-globs.txt"
rg_globs=()
for g in "${GLOBS[@]}"; do rg_globs+=(--glob "$g"); done

for size in ${SIZES:-10000 100000}; do
    repo="$TMP/repo-$size"
    # One ownership file per 100 files, so that scopes cover most of the tree as in real repos.
    python3 "$ROOT/bench/gen_repo.py" "$repo" --ownership $((size / 100)) --files "$size" --seed 1 >/dev/null
    files=$(find "$repo" -type f -not -path '*/.git/*' | wc -l)
    cd "$repo"
    # The same unmeasured sanity run as bench/run.sh: exit 0 or 1 and JSON, never exit 2.
    status=0
    "$BIN" --format json . >"$TMP/out.json" || status=$?
    [[ $status -le 1 ]] || { echo "raci-lint exited $status" >&2; exit 1; }
    python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(f'raci-lint: {s}')" "$TMP/out.json"
    rg_cmd="rg --no-config --hidden -c -f $TMP/patterns/patterns.txt ${rg_globs[*]@Q} . || true"
    echo "ripgrep matching files: $(eval "$rg_cmd" | wc -l)"
    hyperfine --warmup 2 --runs 10 --export-markdown "$TMP/evidence-$size.md" \
        -n "raci-lint --format json . ($files files)" "$BIN --format json . >/dev/null || true" \
        -n "rg, same patterns and globs ($files files)" "$rg_cmd >/dev/null"
    if [[ $have_semgrep -eq 1 && $size -le $SEMGREP_MAX_FILES ]]; then
        # semgrep takes minutes on these trees: one measured run is enough to compare.
        hyperfine --runs 1 --export-markdown "$TMP/semgrep-$size.md" \
            -n "semgrep, same patterns ($files files)" \
            "semgrep scan --config $TMP/patterns/semgrep.yml --metrics=off --disable-version-check --json -q . >/dev/null || true"
    fi
    if command -v /usr/bin/time >/dev/null; then
        /usr/bin/time -v "$BIN" --format json . 2>"$TMP/time.txt" >/dev/null || true
        grep "Maximum resident set size" "$TMP/time.txt"
    fi
    cd "$ROOT"
    rm -rf "$repo"
done

echo
for size in ${SIZES:-10000 100000}; do
    cat "$TMP/evidence-$size.md"
    [[ -f "$TMP/semgrep-$size.md" ]] && tail -n 1 "$TMP/semgrep-$size.md"
    echo
done
echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "$("$BIN" --version); $(rg --version | head -1); semgrep: $([[ $have_semgrep -eq 1 ]] && semgrep --version || echo 'not installed')"
