#!/usr/bin/env bash
# Hostile-input benchmark (DESIGN section 9, issue 12): time and peak memory of raci-lint on inputs
# built to make it slow or greedy, each kind at two sizes so that linear growth is visible.
#
#   cargo build --release --locked && bench/hostile.sh            # every case, two sizes
#   bench/hostile.sh --quick                                      # smoke run: smaller sizes, 2 runs
#   RACI_LINT=/path/to/raci-lint bench/hostile.sh                 # another binary
#
# The script builds nothing itself, so it measures exactly the binary you built. It needs
# hyperfine (apt-get install -y hyperfine), GNU time at /usr/bin/time (apt-get install -y time) for
# peak RSS, timeout (coreutils) and python3 (standard library only: bench/gen_hostile.py).
#
# Each measurement is one run under /usr/bin/time (peak RSS and exit status; it also warms the
# page cache), then hyperfine for the median: --warmup 1 --runs 5, or --warmup 0 --runs 2 when
# that first run took over 5 s (--quick: always --runs 2). Exit statuses 1 (errors found) and 2
# (e.g. a pack refused by validation) are results, recorded in the table, not failures of the
# script. A run over TIMEOUT seconds (default 300) is killed and recorded as such, not repeated.
#
# Environment: RACI_LINT (binary), TIMEOUT (seconds per run), CASES (e.g. "1 5": only those).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${RACI_LINT:-$ROOT/target/release/raci-lint}"
TIMEOUT="${TIMEOUT:-300}"
CASES="${CASES:-1 2 3 4 5 6 7 8 9}"
QUICK=0

usage() { sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/hostile.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

die() { echo "bench/hostile.sh: $*" >&2; exit 1; }
[[ -x "$BIN" ]] || die "$BIN not found or not executable. Build it first:  cargo build --release --locked  (or set RACI_LINT=path)"
# Absolute, since every measurement runs from inside a generated repository.
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
command -v hyperfine >/dev/null 2>&1 \
    || die "hyperfine not found. Install it:  apt-get install -y hyperfine  (or: cargo install --locked hyperfine)"
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null \
    || die "GNU time not found at /usr/bin/time (needed for peak RSS). Install it:  apt-get install -y time"
command -v timeout >/dev/null 2>&1 || die "timeout not found (coreutils)"
command -v python3 >/dev/null 2>&1 || die "python3 not found; bench/gen_hostile.py needs it"
[[ "$TIMEOUT" =~ ^[0-9]+$ && "$TIMEOUT" -gt 0 ]] || die "TIMEOUT must be a number of seconds, not '$TIMEOUT'"

# Every generated input lives here, never in the repository, and goes however the script ends.
TMP="$(mktemp -d "${TMPDIR:-/tmp}/raci-lint-hostile.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
ROWS="$TMP/rows.tsv"   # case, size, median s, peak RSS MiB, exit status
: >"$ROWS"

gen() { python3 "$ROOT/bench/gen_hostile.py" "$@"; }
want() { [[ " $CASES " == *" $1 "* ]]; }
# Sizes of a case: both, or the smaller one with --quick.
sizes() { if [[ $QUICK -eq 1 ]]; then echo "$1"; else echo "$1 $2"; fi; }
# Markdown: a | inside a table cell, even in a code span, must be escaped.
md() { printf '%s' "${1//|/\\|}"; }

LAST_SECONDS=""   # wall time of the last /usr/bin/time run, for case 5's choice of the slowest

# diagnose REPO RACI-LINT-ARGS...: the distinct codes of the error findings of one more run (not
# timed) of the same command with JSON to a file, for a run that exited neither 0 nor 1.
diagnose() {
    local repo=$1 prev="" arg
    shift
    local args=()
    for arg in "$@"; do
        case "$prev" in
            --format) arg=json ;;
            --output) arg="$TMP/diagnose.json" ;;
        esac
        args+=("$arg")
        prev=$arg
    done
    rm -f "$TMP/diagnose.json"
    (cd "$repo" && timeout -k 10 "$TIMEOUT" "$BIN" "${args[@]}" >/dev/null 2>&1) || true
    python3 -c '
import json, sys
codes = []
for d in json.load(open(sys.argv[1], encoding="utf-8"))["diagnostics"]:
    if d.get("severity") == "error" and d["code"] not in codes:
        codes.append(d["code"])
print(", ".join(codes[:3]))
' "$TMP/diagnose.json" 2>/dev/null || true
}

# measure CASE SIZE REPO RACI-LINT-ARGS...: one row of the table, run from inside REPO.
measure() {
    local name=$1 size=$2 repo=$3
    shift 3
    local status=0 seconds rss_kib rss median note="" warmup=1 runs=5
    (cd "$repo" && /usr/bin/time -f '%e %M' -o "$TMP/time.txt" \
        timeout -k 10 "$TIMEOUT" "$BIN" "$@" >/dev/null 2>"$TMP/stderr.txt") || status=$?
    # GNU time writes "Command exited with non-zero status N" (or "terminated by signal") first.
    read -r seconds rss_kib < <(tail -n 1 "$TMP/time.txt")
    LAST_SECONDS=$seconds
    rss=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')
    if [[ $status -eq 124 ]] || { [[ $status -eq 137 ]] \
            && awk -v s="$seconds" -v t="$TIMEOUT" 'BEGIN { exit !(s >= t) }'; }; then
        median="> $TIMEOUT"
        note=" (killed after ${TIMEOUT} s)"
    else
        if [[ $status -ne 0 && $status -ne 1 ]]; then
            # Say why, so that a pack refused by validation (expected in case 5) is told apart
            # from a broken input or a crash: the error codes, in the table and on stderr.
            local why
            why="$(diagnose "$repo" "$@")"
            [[ -n "$why" ]] && note=" ($why)"
            echo "  exit $status: ${why:-$(head -c 300 "$TMP/stderr.txt" | tr '\n' ' ')}" >&2
        fi
        if [[ $QUICK -eq 1 ]] || awk -v s="$seconds" 'BEGIN { exit !(s > 5) }'; then
            # The /usr/bin/time run above already warmed the page cache.
            warmup=0 runs=2
        fi
        local cmd
        cmd="$(printf '%q ' "$BIN" "$@")"
        (cd "$repo" && hyperfine --shell bash --ignore-failure --style none \
            --warmup "$warmup" --runs "$runs" --export-json "$TMP/hyperfine.json" \
            "$cmd" >/dev/null 2>"$TMP/hyperfine.err") \
            || { cat "$TMP/hyperfine.err" >&2; die "hyperfine failed on: $name $size"; }
        median=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
            "$TMP/hyperfine.json")
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$size" "$median" "$rss" "$status$note" >>"$ROWS"
    printf '%-58s %-10s median %8s s  peak %8s MiB  exit %s\n' \
        "$name" "$size" "$median" "$rss" "$status$note" >&2
}

JSON=(--format json --output /dev/null)
started=$SECONDS

# 1. Human-format findings: N unknown activities in one file, human against JSON.
if want 1; then
    for n in $(sizes 10000 20000); do
        repo="$TMP/human-$n"
        gen human "$repo" "$n"
        measure "1 unknown activities, --format human" "$n" "$repo" --format human --color never --output /dev/null .
        measure "1 unknown activities, --format json" "$n" "$repo" "${JSON[@]}" .
        rm -rf "$repo"
    done
fi

# 8. The structure readers of the `ansible` and `command` matchers (issue 15): 1 MiB files
# built to make the YAML reader, the shell lexer or the per-command search work hardest, and a
# pack of 400 command rules (searched as one set per command).
if want 8; then
    for kind in tasks commands heredocs quotes nested continued; do
        for size in $(sizes $((512 * 1024)) $((1024 * 1024))); do
            repo="$TMP/structure"
            gen structure "$repo" "$kind" "$size" --rules 400
            measure "8 structure: $kind, 400 command rules" "$((size / 1024)) KiB" "$repo" --packs packs "${JSON[@]}" .
            rm -rf "$repo"
        done
    done
fi

# 9. Many patterns crafted against one file (issue 12): 40 rules of the `(a|b)*a(a|b){14}$`
# family over a/b words. The lazy DFA gives up and the file is skipped as too costly.
if want 9; then
    for size in $(sizes $((512 * 1024)) $((1024 * 1024))); do
        repo="$TMP/crafted"
        gen crafted "$repo" 40 "$size"
        measure "9 40 crafted patterns, a/b words" "$((size / 1024)) KiB" "$repo" --packs packs "${JSON[@]}" .
        rm -rf "$repo"
    done
fi

# 2. Many findings on one long line (N x HIT, then 50,000 x é).
if want 2; then
    for n in $(sizes 5000 10000); do
        repo="$TMP/longline-$n"
        gen longline "$repo" "$n"
        measure "2 findings on one long line, --format human" "$n" "$repo" --packs packs --format human --color never --output /dev/null .
        measure "2 findings on one long line, --format json" "$n" "$repo" --packs packs "${JSON[@]}" .
        rm -rf "$repo"
    done
fi

# 3. A baseline of N stale entries: each one an unused-baseline-entry note in the human format.
if want 3; then
    for n in $(sizes 5000 10000); do
        repo="$TMP/baseline-$n"
        gen baseline "$repo" "$n"
        measure "3 stale baseline entries, --format human" "$n" "$repo" --baseline baseline.json --format human --color never --output /dev/null .
        rm -rf "$repo"
    done
fi

# 4. Attribution: N sibling ownership files in one folder, each scoped to its own folder.
if want 4; then
    for n in $(sizes 10000 20000); do
        repo="$TMP/attribution-$n"
        gen attribution "$repo" "$n"
        measure "4 sibling scoped ownership files, evidence on" "$n" "$repo" "${JSON[@]}" .
        rm -rf "$repo"
    done
fi

# 5. Regex worst cases: each pattern over each 1 MiB input. The contract: a pack that passes
# validation searches 1 MiB in under a second; one refused by validation exits 2 quickly.
if want 5; then
    PATTERNS=('.{1000}' '.{200}' '\w{50}' '(\w+\s*){20}$' '(a|b)*a(a|b){14}$' '[^x]{300}y' 'x{0,1000}y')
    INPUTS=(e-acute a-lines ab-words newlines)
    declare -A INPUT_NAME=([e-acute]="é on one line" [a-lines]="lines of 80 a"
                           [ab-words]="a/b words, one line" [newlines]="newlines")
    : >"$TMP/regex-times.tsv"
    for p in "${PATTERNS[@]}"; do
        for input in "${INPUTS[@]}"; do
            repo="$TMP/regex"
            gen regex "$repo" "$p" "$input" $((1024 * 1024))
            measure "5 \`$p\` over ${INPUT_NAME[$input]}" "1 MiB" "$repo" --packs packs "${JSON[@]}" .
            printf '%s\t%s\t%s\n' "$LAST_SECONDS" "$p" "$input" >>"$TMP/regex-times.tsv"
            rm -rf "$repo"
        done
    done
    # The two slowest pairs again at half the size, to show that their time is linear.
    if [[ $QUICK -eq 0 ]]; then
        while IFS=$'\t' read -r _ p input; do
            repo="$TMP/regex"
            gen regex "$repo" "$p" "$input" $((512 * 1024))
            measure "5 \`$p\` over ${INPUT_NAME[$input]}" "512 KiB" "$repo" --packs packs "${JSON[@]}" .
            rm -rf "$repo"
        done < <(sort -t $'\t' -k1,1 -g -r "$TMP/regex-times.tsv" | head -n 2)
    fi
fi

# 6. Unbounded findings: pattern '^' over K files of 1 MiB of newlines (a million matches each);
# default max-findings.
if want 6; then
    for k in $(sizes 2 4); do
        repo="$TMP/newlines-$k"
        gen newlines "$repo" "$k"
        measure "6 pattern \`^\` over files of newlines" "$k x 1 MiB" "$repo" --packs packs "${JSON[@]}" .
        rm -rf "$repo"
    done
fi

# 7. Many scope globs in one ownership file.
if want 7; then
    for n in $(sizes 50000 100000); do
        repo="$TMP/globs-$n"
        gen globs "$repo" "$n"
        measure "7 scope globs in one ownership file" "$n" "$repo" "${JSON[@]}" .
        rm -rf "$repo"
    done
fi

echo
echo "## Hostile inputs$([[ $QUICK -eq 1 ]] && echo ' (--quick)')"
echo
echo "| case | size | median s | peak RSS MiB | exit status |"
echo "|:---|---:|---:|---:|---:|"
while IFS=$'\t' read -r name size median rss status; do
    echo "| $(md "$name") | $size | $median | $rss | $status |"
done <"$ROWS"
echo
cpu_model="$(grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null \
    | cut -d: -f2- | sed 's/^ *//' || true)"
echo "nproc: $(nproc); CPU: ${cpu_model:-unknown}"
echo "raci-lint: $("$BIN" --version 2>/dev/null || echo unknown) ($BIN)"
echo "$(hyperfine --version); $(( SECONDS - started )) s in all"
