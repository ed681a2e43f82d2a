#!/usr/bin/env bash
# raci-lint's evidence scan against ripgrep, with the same patterns and globs, measured interleaved
# (bench/paired.py: alternating runs, median of the paired ratios raci-lint/rg), on four real
# repositories exported in full from the local mirrors and on the seeded synthetic trees of 10,000
# and 100,000 files; then raci-lint alone on two small repositories (hyperfine) and its peak RSS
# on the 100,000-file tree (/usr/bin/time -v).
#
#   cargo build --release --locked && bench/vs_ripgrep.sh
#   BIN=/path/to/raci-lint RUNS=21 bench/vs_ripgrep.sh     # the defaults
#
# Environment: BIN (default target/release/raci-lint), RUNS (paired runs per target, default 21),
# SMALL_RUNS (hyperfine runs on the small repositories, default 50), RG (the ripgrep binary;
# default the `rg` on PATH, resolved through a pyenv shim, whose start-up would cost ~100 ms),
# MIRRORS (default /work/.mirror: <owner>+<name>/repo bare repositories), TARGETS (default
# "real synthetic small": which parts to run), SIZES (default "10000 100000": synthetic trees).
# Needs python3 with PyYAML (bench/patterns.py), git, ripgrep, hyperfine and /usr/bin/time
# (apt-get install -y hyperfine time).
#
# What each tool does: raci-lint runs `--format json .` as users do (discovery, ownership files,
# evidence scan of the files in scope, JSON on stdout). rg runs `-c` (a count per matching file),
# so that printing the matches costs it nothing; it searches every file the globs allow, in scope
# or not, with `--hidden` and without .git, skipping files over 1 MiB as raci-lint does
# (`--max-filesize 1M`), and `--no-ignore-dot` because raci-lint reads .gitignore files only.
# Both write to /dev/null while measured (ripgrep 15 does not stop early on /dev/null; only -q
# does that). Every export gets `git init` so that rg honours .gitignore as raci-lint does.
# Note: rg joins the patterns into one regex; with Unicode `\s`, `\S` and `\b` in it, its lazy DFA
# gives up on some real files (nextcloud/vm: ~0.6 s for 158 files; ~50 ms with every pattern
# made ASCII-only by `(?-u)`). That is ripgrep's cost for these patterns, but keep it in mind
# when reading a ratio far below 1 on a real repository.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$ROOT/target/release/raci-lint}"
RUNS="${RUNS:-21}"
SMALL_RUNS="${SMALL_RUNS:-50}"
MIRRORS="${MIRRORS:-/work/.mirror}"
TARGETS="${TARGETS:-real synthetic small}"
SIZES="${SIZES:-10000 100000}"
want() { [[ " $TARGETS " == *" $1 "* ]]; }
RSS_LINT="-" RSS_RG="-" RSS_FILES="-"
REAL_REPOS=(debops/debops kubernetes-sigs/kubespray vitabaks/autobase nextcloud/vm)
SMALL_REPO=geerlingguy/ansible-role-security   # a single Ansible role, in full

die() { echo "bench/vs_ripgrep.sh: $*" >&2; exit 1; }

[[ -x "$BIN" ]] || die "$BIN not found; build it first: cargo build --release --locked"
BIN="$(realpath "$BIN")"
for tool in python3 git hyperfine; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y $tool)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install -y time)"
python3 -c 'import yaml' 2>/dev/null || die "PyYAML is missing (pip install pyyaml)"

# The real ripgrep binary: a pyenv shim is a bash script that execs `pyenv exec rg`, which would
# add about 100 ms to every rg run.
if [[ -z "${RG:-}" ]]; then
    RG="$(command -v rg)" || die "rg is missing"
    if [[ "$(head -c 2 "$RG")" == "#!" ]] && command -v pyenv >/dev/null; then
        RG="$(pyenv which rg)"
    fi
fi
[[ "$(head -c 4 "$RG" | tr -d '\0')" == $'\x7fELF' ]] || echo "warning: $RG is not an ELF binary (a wrapper adds start-up cost)" >&2

TMP="$(mktemp -d "${TMPDIR:-/tmp}/raci-lint-vs-rg.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# The same patterns and globs as raci-lint's built-in packs (see bench/patterns.py).
python3 "$ROOT/bench/patterns.py" "$TMP/patterns" >&2
mapfile -t GLOBS < "$TMP/patterns/rg-globs.txt"
RG_ARGS=(--no-config --no-messages --hidden --no-ignore-dot --max-filesize 1M -c
         -f "$TMP/patterns/patterns.txt")
for g in "${GLOBS[@]}" '!.git'; do RG_ARGS+=(--glob "$g"); done
RG_ARGS+=(.)
# One string per command for bench/paired.py (it shlex-splits them and runs them without a shell).
RG_CMD="${RG@Q} ${RG_ARGS[*]@Q}"
LINT_CMD="${BIN@Q} --format json ."

# An ownership file at the root of each real repository, so that every file is in scope.
ownership() {
    printf 'service: bench\nprovider: sysbee\noffering: managed-infrastructure\nresponsibilities:\n  web-application-security: platform\n' >"$1/raci.yaml"
}

count_files() { find "$1" -type f -not -path '*/.git/*' | wc -l; }

# The unmeasured sanity run of both tools: raci-lint must exit 0 or 1 with JSON (2 is a setup
# error), rg 0 or 1 (2: an error, e.g. a bad pattern).
sanity() {
    local dir="$1" status=0
    (cd "$dir" && "$BIN" --format json . >"$TMP/out.json" 2>"$TMP/out.err") || status=$?
    if [[ $status -gt 1 ]]; then
        head -n 20 "$TMP/out.err" >&2
        die "raci-lint exited $status in $dir (setup error)"
    fi
    local summary lint_status=$status
    summary="$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(", ".join(f"{k} {v}" for k, v in s.items()))' "$TMP/out.json")" \
        || die "raci-lint printed no JSON summary in $dir"
    status=0
    (cd "$dir" && "$RG" "${RG_ARGS[@]}" >"$TMP/rg.out" 2>"$TMP/rg.err") || status=$?
    [[ $status -le 1 ]] || { head -n 20 "$TMP/rg.err" >&2; die "rg exited $status in $dir"; }
    echo "  raci-lint (exit $lint_status): $summary" >&2
    echo "  rg: $(wc -l <"$TMP/rg.out") files with a match, $(awk -F: '{n += $NF} END {print n + 0}' "$TMP/rg.out") lines" >&2
}

ROWS=()
# paired.py prints `| label | A ms | B ms | B/A | min–max | runs |`; A is rg, B raci-lint.
measure() {
    local label="$1" dir="$2" files row
    files="$(count_files "$dir")"
    echo "== $label ($files files)" >&2
    sanity "$dir"
    row="$(python3 "$ROOT/bench/paired.py" --runs "$RUNS" --cwd "$dir" --label "$label" \
        -- "$RG_CMD" -- "$LINT_CMD")"
    ROWS+=("$(awk -F'|' -v files="$files" '{
        gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); gsub(/ /, "", $5); gsub(/ /, "", $6); gsub(/ /, "", $7)
        printf "| %s | %d | %s | %s | %s | %s | %s |\n", $2, files, $4, $3, $5, $6, $7 }' <<<"$row")")
    echo "  ${ROWS[-1]}" >&2
}

export_real() {
    local repo="$1" dest="$2" git_dir="$MIRRORS/${1/\//+}/repo"
    [[ -d "$git_dir" ]] || die "no mirror of $repo at $git_dir"
    python3 "$ROOT/bench/export_repo.py" "$git_dir" "$dest" >/dev/null
    [[ ! -e "$dest/raci.yaml" ]] || die "$repo already has a raci.yaml at its root"
    ownership "$dest"
    git -C "$dest" init -q
}

# 1. Real repositories, each exported in full at HEAD.
want real || REAL_REPOS=()
for repo in "${REAL_REPOS[@]}"; do
    dir="$TMP/real/${repo/\//+}"
    export_real "$repo" "$dir"
    measure "$repo @ $(git --git-dir="$MIRRORS/${repo/\//+}/repo" rev-parse --short HEAD)" "$dir"
    rm -rf "$dir"
done

# 2. Synthetic trees, as bench/evidence.sh makes them: one ownership file per 100 files.
want synthetic || SIZES=""
for size in $SIZES; do
    dir="$TMP/synthetic-$size"
    echo "generating the $size-file tree..." >&2
    python3 "$ROOT/bench/gen_repo.py" "$dir" --ownership $((size / 100)) --files "$size" --seed 1 >/dev/null
    measure "synthetic, gen_repo.py --files $size --seed 1" "$dir"
    if [[ $size -eq 100000 ]]; then
        # 3. Peak RSS at 100k files (one run each, after the measured ones: warm cache).
        (cd "$dir" && /usr/bin/time -v "$BIN" --format json . >/dev/null 2>"$TMP/time-lint.txt") || true
        (cd "$dir" && /usr/bin/time -v "$RG" "${RG_ARGS[@]}" >/dev/null 2>"$TMP/time-rg.txt") || true
        rss() { awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }
        RSS_LINT="$(rss "$TMP/time-lint.txt")"
        RSS_RG="$(rss "$TMP/time-rg.txt")"
        RSS_FILES="$(count_files "$dir")"
    fi
    rm -rf "$dir"
done

# 4. Small repositories: raci-lint alone, with hyperfine (no shell: -N), median in ms.
SMALL_ROWS=()
small() {
    local label="$1" dir="$2" files status=0
    files="$(count_files "$dir")"
    echo "== $label ($files files, raci-lint alone)" >&2
    (cd "$dir" && "$BIN" --format json . >/dev/null 2>"$TMP/out.err") || status=$?
    [[ $status -le 1 ]] || { head -n 20 "$TMP/out.err" >&2; die "raci-lint exited $status in $dir"; }
    (cd "$dir" && hyperfine -N -i --warmup 5 --runs "$SMALL_RUNS" --export-json "$TMP/small.json" \
        "$LINT_CMD" >/dev/null 2>&1) || die "hyperfine failed in $dir"
    SMALL_ROWS+=("$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
ms = [r[k] * 1000 for k in ("median", "min", "max")]
print("| %s | %s | %.1f | %.1f | %.1f | %d |" % (sys.argv[2], sys.argv[3], *ms, len(r["times"])))
' "$TMP/small.json" "$label" "$files")")
    echo "  ${SMALL_ROWS[-1]}" >&2
}
small "fixtures/demo" "$ROOT/fixtures/demo"
dir="$TMP/real/${SMALL_REPO/\//+}"
export_real "$SMALL_REPO" "$dir"
small "$SMALL_REPO (one role, in full)" "$dir"
# The small real repository against rg too, for the record (paired.py's timing includes about a
# millisecond of Python's process start-up on both sides).
measure "$SMALL_REPO (one role)" "$dir"

echo
echo "### raci-lint vs ripgrep, interleaved ($RUNS pairs per target, median of paired ratios)"
echo
echo "| target | files | raci-lint median ms | rg median ms | median ratio raci-lint/rg | ratio min–max | pairs |"
echo "|:---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "### Small repositories, raci-lint alone (hyperfine -N, $SMALL_RUNS runs after 5 warm-ups)"
echo
echo "| target | files | median ms | min ms | max ms | runs |"
echo "|:---|---:|---:|---:|---:|---:|"
printf '%s\n' "${SMALL_ROWS[@]}"
echo
echo "Peak RSS at $RSS_FILES files (/usr/bin/time -v, one run): raci-lint $RSS_LINT MiB; rg $RSS_RG MiB."
echo
echo "Commands, run in each target's root:"
echo
echo '```sh'
echo "raci-lint --format json .          # $BIN"
shown=("${RG_ARGS[@]}")
for i in "${!shown[@]}"; do [[ "${shown[$i]}" != "$TMP/patterns/patterns.txt" ]] || shown[$i]=patterns.txt; done
echo "rg ${shown[*]@Q}"
echo '```'
echo
echo "where patterns.txt holds the $(wc -l <"$TMP/patterns/patterns.txt") distinct patterns written by \`python3 bench/patterns.py OUT\` (OUT/patterns.txt)."
echo
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs || true)"
echo "nproc $(nproc), ${cpu:-unknown CPU}; $("$BIN" --version); $("$RG" --version | head -1) ($RG); $(hyperfine --version)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
